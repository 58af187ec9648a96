"""Command line: a thin shell over the library."""
from __future__ import annotations

import json
import sys

import click

from .errors import InputError
from .output.text import report_to_text
from .parsing import parse


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="nianbao")
def main():
    """nianbao（年报）：政府信息公开工作年度报告的解析与核查。"""


@main.command("parse")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="每个文件输出一行 JSON（JSON Lines）。")
@click.option("--full/--brief", default=True, help="JSON 中包含各部分文本和单元格来源（默认包含）。")
@click.option("--debug", is_flag=True, help="显示解析器看到的内容：每个段落和表格行及其位置、各部分标题。")
def parse_cmd(files, as_json, full, debug):
    """解析年报文件，输出三张统计表和诊断信息。"""
    from .ingest.sources import display_name
    failed = False
    for i, f in enumerate(files):
        shown = display_name(f)  # a GBK file name on a UTF-8 system: shown, never a traceback
        if debug:
            failed |= _debug(f)
            continue
        try:
            report = parse(f)
        except InputError as e:
            failed = True
            click.echo(f"nianbao: {shown}: 无法读取：{e.zh}（{e.en}）", err=True)
            continue
        except OSError as e:
            failed = True
            click.echo(f"nianbao: {shown}: 无法打开文件（cannot open file）：{e.strerror or e}", err=True)
            continue
        except Exception as e:  # a parser defect must not stop the other files
            failed = True
            click.echo(f"nianbao: {shown}: 解析出错（internal error）：{type(e).__name__}: {e}", err=True)
            continue
        if any(d.severity == "error" for d in report.diagnostics):
            failed = True  # e.g. a scanned PDF: recorded, but nothing could be read
            for d in report.diagnostics:
                if d.severity == "error":
                    click.echo(f"nianbao: {shown}: {d.code} {d.message}", err=True)
        if as_json:
            d = report.to_dict(full)
            d["file"] = shown
            sys.stdout.write(json.dumps(d, ensure_ascii=False) + "\n")
        else:
            if i:
                click.echo("\n" + "=" * 60)
            click.echo(report_to_text(report))
    sys.exit(2 if failed else 0)


def _debug(f) -> bool:
    from .output.debug import document_to_debug, trace_to_debug
    trace: dict = {}
    try:
        report = parse(f, trace=trace)
    except (InputError, OSError) as e:
        if "document" in trace:  # read, but not a report: still show what was seen
            from .parsing.sections import blocks_to_headings
            click.echo(document_to_debug(trace["document"], blocks_to_headings(trace["document"].blocks)))
        click.echo(f"nianbao: {f}: 无法读取：{getattr(e, 'zh', e)}", err=True)
        return True
    click.echo(trace_to_debug(trace, report))
    return False


_SEV = {"error": "错误", "warning": "警告", "info": "提示"}


def _codes(value):
    return [c.strip() for v in value for c in v.split(",") if c.strip()] or None


@main.command("check")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--json", "as_json", is_flag=True, help="输出 JSON Lines，每行一条问题；无法读取的文件也占一行（含 error）。")
@click.option("--xlsx", "xlsx_path", type=click.Path(dir_okay=False), help="写出核查工作簿（.xlsx）。")
@click.option("--select", multiple=True, help="只运行这些代码前缀的规则，如 A,S1。")
@click.option("--ignore", multiple=True, help="忽略这些代码前缀的规则，如 C101,P2。")
@click.option("--workers", type=int, help="并行进程数（默认：全部 CPU 核）；每个文件在独立进程中解析，受时间和内存上限约束。")
def check_cmd(paths, as_json, xlsx_path, select, ignore, workers):
    """核查年报（文件、目录或 zip 压缩包）：解析并按规则逐项检查。

    退出码：0 无错误级问题；1 有错误级问题；2 有文件无法读取。
    """
    from .audit import audit
    from .output.text import audit_run_to_text

    run = audit(paths, select=_codes(select), ignore=_codes(ignore), workers=workers)
    _note_skipped(run.skipped)
    for a in run.tasks:
        if a.error is not None:
            click.echo(f"nianbao: {a.name}: 无法读取：{a.error.zh}（{a.error.en}）", err=True)
    if as_json:
        for d in run.json_lines():
            sys.stdout.write(json.dumps(d, ensure_ascii=False) + "\n")
    else:
        click.echo(audit_run_to_text(run))
    if xlsx_path:
        from .output.xlsx import audits_to_workbook
        audits_to_workbook(run, xlsx_path)
        click.echo(f"核查工作簿已写出：{xlsx_path}", err=True)
    sys.exit(run.exit_code)


def _note_skipped(skipped: list) -> None:
    for name, reason in skipped:
        click.echo(f"nianbao: 跳过 {name}：{reason}", err=True)


@main.command("rules")
def rules_cmd():
    """列出全部规则（代码、名称、级别、说明）。"""
    from .rules import FAMILIES, rules_list
    family = None
    for r in rules_list():
        if r.family != family:
            family = r.family
            click.echo(f"\n[{family}] {FAMILIES[family]}")
        first = r.doc.splitlines()[0] if r.doc else ""
        click.echo(f"  {r.code}  {r.name:<44} {_SEV[r.severity]}  {first}")


@main.command("rule")
@click.argument("code")
def rule_cmd(code):
    """打印一条规则的文档（也可查已停用的代码和输入错误代码）。"""
    from .rules.codes import explain
    r = explain(code)
    if r is None:
        click.echo(f"nianbao: 没有规则 {code}（unknown rule）", err=True)
        sys.exit(2)
    status = "" if r.status == "active" else "，已停用（retired）"
    click.echo(f"{r.code} {r.name}（{_SEV[r.severity]}{status}）\n消息模板：{r.message}\n\n{r.doc}")
    if r.retired:
        click.echo(f"\n停用：{r.retired}")


_DB_HELP = "数据库：默认为当前目录下的 SQLite 文件 nianbao.db（或环境变量 NIANBAO_DB）；也可用 postgresql://…"


@main.command("ingest")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("--db", "db_url", help=_DB_HELP)
@click.option("--workers", type=int, help="本机并行进程数（默认：全部 CPU 核）。")
@click.option("--engine", type=click.Choice(["local", "dask"]), default="local", show_default=True,
              help="local：本机多进程；dask：在 Dask 分布式集群上解析。")
@click.option("--scheduler", help="Dask 调度器地址，如 tcp://127.0.0.1:8786（--engine dask 时必填）。")
@click.option("--retry-failed", is_flag=True, help="重试以前无法读取的文件（默认跳过，直到文件内容或解析器版本改变）。")
def ingest_cmd(paths, db_url, workers, engine, scheduler, retry_failed):
    """批量解析、核查并入库（文件、目录或 zip 压缩包）。同一文件重复入库只保留一份；中断后重跑会从断点继续。"""
    from .ingest.sources import iter_inputs
    from .store import Corpus

    if engine == "dask" and not scheduler:
        raise click.UsageError("--engine dask 需要 --scheduler 地址")
    skipped: list = []
    total = sum(1 for _ in iter_inputs(paths, skipped))
    _note_skipped(skipped)
    with Corpus(db_url) as corpus:
        with click.progressbar(length=total, label="入库", file=sys.stderr) as bar:
            s = corpus.ingest(paths, workers=workers, engine=engine, scheduler=scheduler, progress=bar.update,
                              retry_failed=retry_failed)
        for name, reason in s.failures:
            click.echo(f"nianbao: {name}: 无法读取：{reason}", err=True)
        if s.skipped_failed:
            click.echo(f"nianbao: {s.skipped_failed} 份以前无法读取，已跳过（--retry-failed 可重试）", err=True)
        click.echo(f"共 {s.total} 份：新解析 {s.parsed} 份，无法读取 {s.failed} 份，已入库跳过 {s.skipped} 份，"
                   f"有错误级问题 {s.with_errors} 份；跨年度核查 {s.cross_year_pairs} 对。数据库：{corpus.db.url}")
        _note_conflicts(s.conflicts)
    sys.exit(2 if s.failed else 0)


def _note_conflicts(n: int) -> None:
    if n:
        click.echo(f"nianbao: {n} 个机关年度有多份不同的报告文件，均已保存，以最新入库的一份为准"
                   f"（nianbao stats 列出，待核对）", err=True)


@main.command("reprocess")
@click.option("--db", "db_url", help=_DB_HELP)
@click.option("--all", "which", flag_value="all", help="重新解析全部已入库文件。")
@click.option("--failed", "which", flag_value="failed", help="只重新解析以前无法读取的文件。")
@click.option("--older", "which", flag_value="older", default=True,
              help="只重新解析由其他（旧）解析器版本处理的文件（默认）。")
@click.option("--workers", type=int, help="本机并行进程数（默认：全部 CPU 核）。")
@click.option("--engine", type=click.Choice(["local", "dask"]), default="local", show_default=True,
              help="local：本机多进程；dask：在 Dask 分布式集群上解析。")
@click.option("--scheduler", help="Dask 调度器地址（--engine dask 时必填）。")
def reprocess_cmd(db_url, which, workers, engine, scheduler):
    """升级解析器后，用库中保存的原始文件重新解析、核查（每份文件单独一个事务，中断后重跑即可继续）。"""
    from .store import Corpus

    if engine == "dask" and not scheduler:
        raise click.UsageError("--engine dask 需要 --scheduler 地址")
    with Corpus(db_url) as corpus:
        with click.progressbar(length=corpus.reprocess_count(which), label="重新解析", file=sys.stderr) as bar:
            s = corpus.reprocess(which, workers=workers, engine=engine, scheduler=scheduler, progress=bar.update)
        for name, reason in s.failures:
            click.echo(f"nianbao: {name}: 无法读取：{reason}", err=True)
        if s.missing_bytes:
            click.echo(f"nianbao: {s.missing_bytes} 份入库时未保存原始文件，无法重新解析（重新 ingest 即可保存）", err=True)
        click.echo(f"重新解析 {s.parsed + s.failed} 份：成功 {s.parsed} 份，无法读取 {s.failed} 份，"
                   f"有错误级问题 {s.with_errors} 份；跨年度核查 {s.cross_year_pairs} 对。数据库：{corpus.db.url}")
        _note_conflicts(s.conflicts)
    sys.exit(2 if s.failed else 0)


@main.command("export")
@click.option("--db", "db_url", help=_DB_HELP)
@click.option("--out", "out", required=True, type=click.Path(), help="输出目录（xlsx 可为文件名）。")
@click.option("--format", "fmt", type=click.Choice(["csv", "xlsx", "parquet", "json"]), default="csv", show_default=True)
@click.option("--shape", type=click.Choice(["long", "wide", "both"]), default="both", show_default=True,
              help="long：每个单元格一行；wide：每张表一个文件，每份报告一行。")
@click.option("--year", multiple=True, type=int, help="只导出这些年度。")
@click.option("--agency", help="只导出名称包含此文字的机关。")
@click.option("--template", type=click.Choice(["2019", "2021"]), help="只导出此模板。")
def export_cmd(db_url, out, fmt, shape, year, agency, template):
    """导出整理好的数据集（长表、宽表；CSV / XLSX / Parquet / JSON）。"""
    from .store import Corpus
    with Corpus(db_url) as corpus:
        paths = corpus.export(out, fmt=fmt, shape=shape, year=list(year) or None, agency=agency, template=template)
    for p in paths:
        click.echo(str(p))


@main.command("stats")
@click.option("--db", "db_url", help=_DB_HELP)
@click.option("--json", "as_json", is_flag=True, help="输出 JSON。")
def stats_cmd(db_url, as_json):
    """语料概况：各年度/模板报告数、各规则问题数、各年度申请办理结果。"""
    from .store import Corpus
    with Corpus(db_url) as corpus:
        st = corpus.stats()
    if as_json:
        click.echo(json.dumps({k: [list(r) for r in v] for k, v in st.items()}, ensure_ascii=False, indent=1))
        return
    click.echo("文档：" + "，".join(f"{'已解析' if s == 'parsed' else '无法读取'} {n}" for s, n in st["documents"]))
    click.echo("\n各年度、模板报告数：")
    for y, t, n in st["reports_by_year_template"]:
        click.echo(f"  {y or '未知'}年度  {t or '?'}版  {n}")
    click.echo("\n各规则问题数：")
    for code, name, sev, n in st["findings_by_rule"]:
        click.echo(f"  {code} {name:<44} {_SEV.get(sev, sev)} {n}")
    if st["conflicts"]:
        click.echo("\n待核对：同一机关同一年度有多份不同的报告文件（均已保存，当前采用的一份如下）：")
        for agency, y, n, current in st["conflicts"]:
            click.echo(f"  {agency} {y}年度  {n} 份  当前：{current}")
    click.echo("\n各年度申请办理情况（总计列）：")
    from . import spec
    labels = {r.key: r.label for r in spec.APPLICATIONS_2021.rows + (spec.APPLICATIONS_2019.row("other"),)}
    order = {k: i for i, k in enumerate(labels)}
    for y, row, v in sorted(st["applications_by_outcome_year"], key=lambda r: (r[0] or 0, order.get(r[1], 99))):
        v = int(v) if v is not None and float(v).is_integer() else v
        click.echo(f"  {y or '未知'}  {labels.get(row, row)}  {v}")


# ---------------------------------------------------------------- web app and review

@main.command("serve")
@click.option("--db", "db_url", help=_DB_HELP)
@click.option("--host", default="127.0.0.1", show_default=True,
              help="监听地址。127.0.0.1 且尚无用户时为本机单用户模式；绑定其他地址必须先有管理员。")
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--workers", type=int, help="后台解析的并行进程数（默认：最多 4 个）。")
def serve_cmd(db_url, host, port, workers):
    """启动审核网页（中文界面，/api/ 下有对应的 JSON 接口，/api/docs 为接口文档）。"""
    try:
        import uvicorn

        from .web import StartupRefused, create_app
    except ImportError as e:
        click.echo(f"nianbao: 缺少网页组件（{e.name}）：请安装 pip install 'nianbao[web]'", err=True)
        sys.exit(2)
    try:
        app = create_app(db_url, host=host, workers=workers)
    except StartupRefused as e:
        click.echo(f"nianbao: {e}", err=True)
        sys.exit(2)
    with app.state.store.use() as review:
        users = review.count_users()
    mode = "本机单用户模式（无需登录）" if app.state.loopback and users == 0 else "需登录"
    click.echo(f"nianbao 审核网页：http://{'[' + host + ']' if ':' in host else host}:{port}/ （{mode}）", err=True)
    uvicorn.run(app, host=host, port=port, log_level="warning")


@main.group("user")
def user_cmd():
    """管理网页用户：admin 管理员 / reviewer 审核员 / viewer 只读。"""


def _review(db_url):
    from .store import Corpus
    from .store.review import Review
    corpus = Corpus(db_url)
    return corpus, Review(corpus)


@user_cmd.command("add")
@click.argument("name")
@click.option("--role", type=click.Choice(["admin", "reviewer", "viewer"]), default="reviewer", show_default=True)
@click.option("--db", "db_url", help=_DB_HELP)
@click.password_option("--password", prompt="密码", confirmation_prompt="再次输入密码", help="不给出时提示输入（不回显）。")
def user_add(name, role, db_url, password):
    """新建用户（密码以 argon2 散列保存）。"""
    from .store.review import ReviewError
    corpus, review = _review(db_url)
    with corpus:
        try:
            review.add_user(name, role, password)
        except ReviewError as e:
            click.echo(f"nianbao: {e.message}", err=True)
            sys.exit(2)
    click.echo(f"已新建用户 {name}（{role}）")


@user_cmd.command("list")
@click.option("--db", "db_url", help=_DB_HELP)
def user_list(db_url):
    """列出用户。"""
    corpus, review = _review(db_url)
    with corpus:
        for u in review.users():
            state = "已停用" if u["disabled"] else ""
            click.echo(f"{u['name']}\t{u['role']}\t{u['created_at'][:19]}\t{state}".rstrip())


@user_cmd.command("passwd")
@click.argument("name")
@click.option("--db", "db_url", help=_DB_HELP)
@click.password_option("--password", prompt="新密码", confirmation_prompt="再次输入新密码")
def user_passwd(name, db_url, password):
    """修改用户密码。"""
    from .store.review import ReviewError
    corpus, review = _review(db_url)
    with corpus:
        try:
            review.set_password(name, password)
        except ReviewError as e:
            click.echo(f"nianbao: {e.message}", err=True)
            sys.exit(2)
    click.echo(f"已修改 {name} 的密码")


@user_cmd.command("role")
@click.argument("name")
@click.argument("role", type=click.Choice(["admin", "reviewer", "viewer"]))
@click.option("--db", "db_url", help=_DB_HELP)
def user_role(name, role, db_url):
    """修改用户角色。"""
    corpus, review = _review(db_url)
    with corpus:
        review.set_role(name, role)
    click.echo(f"{name} 的角色已改为 {role}")


@user_cmd.command("remove")
@click.argument("name")
@click.option("--db", "db_url", help=_DB_HELP)
def user_remove(name, db_url):
    """停用用户（结束其会话、撤销其令牌；其审核记录保留）。"""
    corpus, review = _review(db_url)
    with corpus:
        review.remove_user(name)
    click.echo(f"已停用 {name}")


@main.command("decide")
@click.argument("report")
@click.argument("code")
@click.option("--cell", "cells", multiple=True, help="只决定涉及这些单元格键的问题（须与问题的单元格完全一致）。")
@click.option("--confirm", "decision", flag_value="confirmed", help="确认问题。")
@click.option("--dismiss", "decision", flag_value="dismissed", help="误报/已说明（须填 --comment）。")
@click.option("--comment", default="", help="说明。")
@click.option("--user", "user", required=True, help="决定人（记录在案）。")
@click.option("--db", "db_url", help=_DB_HELP)
@click.option("--json", "as_json", is_flag=True, help="输出 JSON。")
def decide_cmd(report, code, cells, decision, comment, user, db_url, as_json):
    """对一份报告的问题作出决定（与网页共用同一记录）。REPORT：报告编号或文件的 sha256。

    例：nianbao decide 12 S102 --dismiss --comment "该机关当年无主动公开事项" --user li
    """
    from .store.review import ReviewError
    if not decision:
        raise click.UsageError("请给出 --confirm 或 --dismiss")
    corpus, review = _review(db_url)
    with corpus:
        try:
            rid = int(report) if report.isdigit() else review.report_by_sha(report.lower())
            done = review.decide_by_key(rid, code, list(cells), decision, comment, user)
        except ReviewError as e:
            click.echo(f"nianbao: {e.message}", err=True)
            sys.exit(2)
    if as_json:
        for d in done:
            sys.stdout.write(json.dumps(d, ensure_ascii=False) + "\n")
    else:
        for d in done:
            click.echo(f"{d['code']} {'、'.join(d['keys']) or '（整份报告）'}：{d['label']}")

# ------------------------------------------------------------------------------ nianbao write

@main.group("write")
def write_group():
    """起草年报：按2021年版官方模板填写数据、核查、生成报告（Word / 网页）。"""


def _previous_report(path):
    if path is None:
        return None
    try:
        return parse(path)
    except (InputError, OSError) as e:
        click.echo(f"nianbao: {path}: 无法读取上一年度报告：{getattr(e, 'zh', e)}", err=True)
        sys.exit(2)


def _load_draft(path):
    from . import writing
    try:
        return writing.load(path)
    except (OSError, ValueError) as e:
        click.echo(f"nianbao: {path}: 无法读取草稿：{getattr(e, 'strerror', None) or e}", err=True)
        sys.exit(2)


def _narrative(text_path, previous):
    from . import writing
    if text_path:
        with open(text_path, encoding="utf-8-sig") as f:
            n = writing.parse_markdown(f.read())
    elif previous is not None and previous.parts:
        n = writing.from_previous(previous)
    else:
        n = writing.placeholders()
    for w in n.warnings:
        click.echo(f"nianbao: 注意：{w}", err=True)
    return n


@write_group.command("init")
@click.option("--agency", required=True, help="机关名称，如 某某镇人民政府。")
@click.option("--year", required=True, type=int, help="报告年度，如 2025。")
@click.option("--previous", "previous_path", type=click.Path(dir_okay=False, exists=True),
              help="上一年度报告（任何 nianbao parse 能读的格式）：预填上年结转、现行有效件数。")
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False), help="输出文件：draft.xlsx / .csv / .json。")
@click.option("--format", "fmt", type=click.Choice(["xlsx", "csv", "json"]), help="默认按 --out 的扩展名，否则 xlsx。")
def write_init_cmd(agency, year, previous_path, out, fmt):
    """生成待填写的草稿：工作簿（表二、表三、表四按官方模板排版，合计自动计算），或 CSV/JSON（单元格代码 → 数值）。"""
    from . import writing
    previous = _previous_report(previous_path)
    if previous is not None and previous.year and previous.year != year - 1:
        click.echo(f"nianbao: 注意：上一年度报告是{previous.year}年度的，不是{year - 1}年度", err=True)
    writing.init(agency, year, out, previous=previous, fmt=fmt)
    click.echo(f"草稿已写出：{out}" + ("（已按上一年度报告预填上年结转、现行有效件数）" if previous is not None else ""), err=True)


@write_group.command("check")
@click.argument("draft", type=click.Path(dir_okay=False))
@click.option("--text", "text_path", type=click.Path(dir_okay=False, exists=True), help="各部分文字（Markdown）：一并核查。")
@click.option("--previous", "previous_path", type=click.Path(dir_okay=False, exists=True),
              help="上一年度报告：跨年度核查（默认用草稿中保存的上年数据）。")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON Lines，每行一条问题。")
def write_check_cmd(draft, text_path, previous_path, as_json):
    """核查草稿：按 nianbao check 的规则检查填写的数据（合计由本工具计算）。

    退出码：0 无错误级问题；1 有错误级问题；2 草稿无法读取。
    """
    from . import writing
    d, problems = _load_draft(draft)
    previous = _previous_report(previous_path)
    narrative = None
    if text_path:
        with open(text_path, encoding="utf-8-sig") as f:
            narrative = writing.parse_markdown(f.read())
    findings = writing.check_draft(d, problems, narrative=narrative, previous=previous)
    for f in findings:
        if as_json:
            row = f.to_dict()
            row["cells"] = [writing.cell_ref(k) for k in f.keys]
            sys.stdout.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")
        else:
            click.echo(writing.finding_line(f))
    errors = sum(f.severity == "error" for f in findings)
    if not as_json:
        click.echo(f"{d.title}：错误 {errors} 条，警告 {sum(f.severity == 'warning' for f in findings)} 条"
                   + ("。可以生成报告：nianbao write render" if not errors else "。请先改正错误。"))
    sys.exit(1 if errors else 0)


@write_group.command("render")
@click.argument("draft", type=click.Path(dir_okay=False))
@click.option("--text", "text_path", type=click.Path(dir_okay=False, exists=True),
              help="各部分文字（Markdown，## 一、总体情况 …）。不给时用 --previous 报告的文字作草稿（须改写）。")
@click.option("--previous", "previous_path", type=click.Path(dir_okay=False, exists=True), help="上一年度报告。")
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False), help="输出文件（.docx 或 .html）。")
@click.option("--format", "fmt", type=click.Choice(["docx", "html"]), help="默认按 --out 的扩展名，否则 docx。")
@click.option("--force", is_flag=True, help="有错误级问题也生成（仅供内部审阅，不得发布）。")
def write_render_cmd(draft, text_path, previous_path, out, fmt, force):
    """生成完整报告（2021年版格式：标题、六个部分、三张统计表），生成前先核查。"""
    from . import writing
    d, problems = _load_draft(draft)
    previous = _previous_report(previous_path)
    narrative = _narrative(text_path, previous)
    findings = writing.check_draft(d, problems, narrative=narrative, previous=previous)
    for f in findings:
        click.echo(writing.finding_line(f), err=True)
    if any(f.severity == "error" for f in findings) and not force:
        click.echo("nianbao: 草稿有错误级问题，未生成报告（改正后重试；--force 可生成供内部审阅的稿子）", err=True)
        sys.exit(1)
    fmt = fmt or ("html" if out.lower().endswith((".html", ".htm")) else "docx")
    writing.render(d, narrative, out, fmt=fmt)
    click.echo(f"报告已生成：{out}", err=True)
