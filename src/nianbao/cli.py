"""Command line: a thin shell over the library."""
from __future__ import annotations

import json
import sys

import click

from .errors import InputError
from .output.text import report_to_text
from .parsing import parse


_USAGE_ZH = [
    (r"No such option:? '?(?P<a>[^'.\s]+)'?.*", "没有选项 {a}"),
    (r"No such command '?(?P<a>[^'.]+)'?.*", "没有命令“{a}”"),
    (r"Missing argument '(?P<a>[^'.]+)(?:\.\.\.)?'.*", "缺少参数 {a}"),
    (r"Missing option '(?P<a>[^']+)'.*", "缺少选项 {a}"),
    (r"Option '(?P<a>[^']+)' requires an argument.*", "选项 {a} 需要一个值"),
    (r"Invalid value for '(?P<a>[^']+)': Path '(?P<b>.*)' does not exist.*", "路径“{b}”不存在"),
    (r"Invalid value for '(?P<a>[^']+)': '(?P<b>.*)' is not one of (?P<c>.*)\.", "{a} 的值“{b}”无效，可选：{c}"),
    (r"Invalid value for '(?P<a>[^']+)': '(?P<b>.*)' is not a valid integer.*", "{a} 的值“{b}”不是整数"),
    (r"Invalid value for '(?P<a>[^']+)'.*", "{a} 的值无效"),
    (r"Got unexpected extra arguments? \((?P<a>.*)\)", "多余的参数：{a}"),
]


def _usage_zh(message: str) -> str:
    """click's English usage errors in Chinese (a reviewer never sees ``Error: No such option``)."""
    import re
    for pattern, zh in _USAGE_ZH:
        m = re.fullmatch(pattern, message.strip(), re.S)
        if m:
            d = {k: (v or "").replace("'", "").replace(", ", "、") for k, v in m.groupdict().items()}
            return zh.format(**d)
    return "参数有误"


class _Formatter(click.HelpFormatter):
    """``--help`` in Chinese: 用法 / 选项 / 命令."""

    HEADINGS = {"Options": "选项", "Commands": "命令", "Arguments": "参数"}

    def write_usage(self, prog, args="", prefix=None):
        args = args.replace("[OPTIONS]", "[选项]").replace("COMMAND [ARGS]...", "命令 [参数]...")
        super().write_usage(prog, args, prefix="用法：")

    def write_heading(self, heading):
        self.write(f"{'':>{self.current_indent}}{self.HEADINGS.get(heading, heading)}：\n")


class _Context(click.Context):
    formatter_class = _Formatter


def _zh_help_option(option):
    if option is not None:
        option.help = "显示此帮助并退出。"
    return option


class _Command(click.Command):
    context_class = _Context

    def get_help_option(self, ctx):
        return _zh_help_option(super().get_help_option(ctx))


class _Group(click.Group):
    """Usage errors and ``--help`` in Chinese, exit code 2 on a usage error, never a traceback."""

    context_class = _Context
    command_class = _Command

    def get_help_option(self, ctx):
        return _zh_help_option(super().get_help_option(ctx))

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode, **extra)
        if args is None and sys.argv[1:2] != ["serve"]:  # a batch run from the shell: parse and exit
            from .isolation import tune_gc
            tune_gc()  # the collector as in the workers (not in a server, nor for a caller's args)
        try:
            super().main(args, prog_name or "nianbao", complete_var, standalone_mode=False, **extra)
        except click.exceptions.Exit as e:
            sys.exit(e.exit_code)
        except click.Abort:
            click.echo("nianbao: 已中止", err=True)
            sys.exit(1)
        except click.UsageError as e:
            where = e.ctx.command_path if e.ctx is not None else "nianbao"
            click.echo(f"nianbao: 用法错误：{_usage_zh(e.format_message())}（{where} --help 查看用法）", err=True)
            sys.exit(2)
        except click.ClickException as e:
            click.echo(f"nianbao: {e.format_message()}", err=True)
            sys.exit(e.exit_code)
        except Exception as e:
            from .store.db import StoreError
            if not isinstance(e, StoreError):
                raise
            click.echo(f"nianbao: {e.zh}", err=True)
            sys.exit(2)
        sys.exit(0)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="nianbao", message="nianbao 版本 %(version)s", help="显示版本并退出。")
def main():
    """nianbao（年报）：政府信息公开工作年度报告的解析与核查。"""


_DB_HELP = "数据库：默认为当前目录下的 SQLite 文件 nianbao.db（或环境变量 NIANBAO_DB）；也可用 postgresql://…"


@main.command("parse")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False), metavar="文件...")
@click.option("--json", "as_json", is_flag=True, help="每个文件输出一行 JSON（JSON Lines）。")
@click.option("--full/--brief", default=True, help="JSON 中包含各部分文本和单元格来源（默认包含）。")
@click.option("--debug", is_flag=True, help="显示解析器看到的内容：每个段落和表格行及其位置、各部分标题。")
@click.pass_context
def parse_cmd(ctx, files, as_json, full, debug):
    """解析年报文件，输出三张统计表和诊断信息。"""
    from click.core import ParameterSource

    from .ingest.sources import display_name
    from .output.findings import error_zh, oserror_zh
    if debug and as_json:
        _fail("--debug 与 --json 不能同时使用：--debug 输出解析器所见内容的文字视图，--json 输出解析结果")
    if not as_json and ctx.get_parameter_source("full") is ParameterSource.COMMANDLINE:
        _fail("--full/--brief 只对 --json 输出有效，请同时使用 --json")
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
            click.echo(f"nianbao: {shown}: 无法读取：{error_zh(e)}", err=True)
            continue
        except OSError as e:
            failed = True
            click.echo(f"nianbao: {shown}: 无法打开文件：{oserror_zh(e)}", err=True)
            continue
        except Exception:  # a parser defect must not stop the other files
            failed = True
            click.echo(f"nianbao: {shown}: 解析程序内部错误，未能读取；请将该文件反馈给维护人员", err=True)
            continue
        if any(d.severity == "error" for d in report.diagnostics):
            failed = True  # e.g. a scanned PDF: recorded, but nothing could be read
            for d in report.diagnostics:
                if d.severity == "error":
                    from .rules.parser import diagnostic_message
                    click.echo(f"nianbao: {shown}: {d.code} {diagnostic_message(d)}", err=True)
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
        from .output.findings import error_zh, oserror_zh
        click.echo(f"nianbao: {f}: 无法读取：{error_zh(e) if hasattr(e, 'zh') else oserror_zh(e)}", err=True)
        return True
    click.echo(trace_to_debug(trace, report))
    return False


_SEV = {"error": "错误", "warning": "警告", "info": "提示"}


def _codes(value):
    return [c.strip() for v in value for c in v.split(",") if c.strip()] or None


@main.command("check")
@click.argument("paths", nargs=-1, required=True, type=click.Path(), metavar="路径...")
@click.option("--output-format", "output_format", type=click.Choice(["grouped", "text", "json"]), default=None,
              help="grouped（默认）：每张表每条规则一行，共用单元格的问题放在一起；text：每个问题一行；"
                   "json：JSON Lines，每行一条问题，无法读取的文件也占一行。")
@click.option("--json", "as_json", is_flag=True, help="等同于 --output-format json。")
@click.option("--xlsx", "xlsx_path", type=click.Path(dir_okay=False), help="写出核查工作簿（.xlsx）。")
@click.option("--sheets/--no-sheets", "sheets", default=None,
              help="工作簿中每份报告一个工作表（默认：不超过 50 份时是）。")
@click.option("--select", multiple=True, help="只运行这些代码前缀的规则，如 A,S1（替代配置文件中的 select）。")
@click.option("--ignore", multiple=True, help="忽略这些代码前缀的规则，如 C101,P2（追加到配置文件中的 ignore）。")
@click.option("--statistics", is_flag=True, help="最后列出各规则的问题数。")
@click.option("--exit-zero", "exit_zero", is_flag=True, help="有错误级问题时退出码仍为 0（无法读取的文件仍为 2）。")
@click.option("--workers", type=int, help="并行进程数（默认：全部 CPU 核）；每个文件在独立进程中解析，受时间和内存上限约束。")
@click.option("--db", "db_url", help="与数据库中同一机关上一年度的报告比对（跨年度规则 Y）；" + _DB_HELP)
def check_cmd(paths, output_format, as_json, xlsx_path, sheets, select, ignore, statistics, exit_zero, workers,
              db_url):
    """核查年报（文件、目录或 zip 压缩包）：解析并按规则逐项检查。

    退出码：0 无错误级问题；1 有错误级问题；2 有文件无法读取，或参数、配置有误。
    规则选择也可写在当前目录（或上级目录）的 nianbao.toml 或 pyproject.toml 的 [tool.nianbao] 中：
    select = ["A", "S"]、ignore = ["C101"]。
    """
    from .audit import SelectionError, audit, selection
    from .output.findings import error_zh
    from .output.text import audit_run_to_text

    if as_json and output_format not in (None, "json"):
        _fail(f"--json 与 --output-format {output_format} 不能同时使用")
    fmt = "json" if as_json else (output_format or "grouped")
    try:
        sel, ign, _ = selection(_codes(select), _codes(ignore))
    except SelectionError as e:
        _fail(e.zh)
    if db_url:
        from .store import Corpus
        with Corpus(db_url, must_exist=True) as corpus:
            run = audit(paths, select=sel, ignore=ign, workers=workers, previous=corpus.previous_report)
    else:
        run = audit(paths, select=sel, ignore=ign, workers=workers)
    _note_skipped(run.skipped)
    for a in run.tasks:
        if a.error is not None:
            click.echo(f"nianbao: {a.name}: 无法读取：{error_zh(a.error)}", err=True)
    if fmt == "json":
        for d in run.json_lines():
            sys.stdout.write(json.dumps(d, ensure_ascii=False) + "\n")
        if statistics:
            from .output.text import statistics_lines
            click.echo("\n".join(statistics_lines(run)), err=True)
    else:
        click.echo(audit_run_to_text(run, fmt, statistics))
    if xlsx_path:
        from .output.xlsx import audits_to_workbook
        audits_to_workbook(run, xlsx_path, sheets=sheets)
        click.echo(f"核查工作簿已写出：{xlsx_path}", err=True)
    code = run.exit_code
    sys.exit(0 if exit_zero and code == 1 else code)


def _fail(message: str, code: int = 2):
    click.echo(f"nianbao: {message}", err=True)
    sys.exit(code)


@main.command("notice")
@click.argument("paths", nargs=-1, required=True, type=click.Path(), metavar="路径...")
@click.option("--out", "out", required=True, type=click.Path(file_okay=False), help="输出目录：每个机关一份问题反馈单（.docx）。")
@click.option("--select", multiple=True, help="只列入这些代码前缀的规则，如 A,S。")
@click.option("--ignore", multiple=True, help="不列入这些代码前缀的规则，如 C106。")
@click.option("--dismiss", multiple=True, help="不列入这些问题编号（check --json 输出的 id），审核人员已认定不是问题的。")
@click.option("--issuer", default="", help="落款单位，如“某某市人民政府办公室（政务公开办）”；默认留空待填。")
@click.option("--workers", type=int, help="并行进程数（默认：全部 CPU 核）。")
@click.option("--db", "db_url", help="不列入审核人员在数据库中标为“误报/已说明”的问题；" + _DB_HELP)
def notice_cmd(paths, out, select, ignore, dismiss, issuer, workers, db_url):
    """为每个机关生成问题反馈单（Word 文档）：列出其年度报告的问题（表、行、列、应为、实为）和核查依据，可直接打印发送。"""
    from .audit import SelectionError, audit, selection
    from .output.findings import error_zh
    from .output.notice import write_notices

    try:
        sel, ign, _ = selection(_codes(select), _codes(ignore))
    except SelectionError as e:
        _fail(e.zh)
    run = audit(paths, select=sel, ignore=ign, workers=workers)
    _note_skipped(run.skipped)
    for a in run.tasks:
        if a.error is not None:
            click.echo(f"nianbao: {a.name}: 无法读取：{error_zh(a.error)}", err=True)
    dismissed = set(_codes(dismiss) or ())
    if db_url:  # the findings a reviewer dismissed in the store (the web app, nianbao decide)
        from .store import Corpus
        from .store.review import dismissed_ids
        with Corpus(db_url, must_exist=True) as corpus:
            dismissed |= dismissed_ids(corpus, run)
    try:
        written, skipped = write_notices(run, out, dismissed, issuer=issuer)
    except OSError as e:
        from .output.findings import oserror_zh
        _fail(f"无法写出反馈单到 {out}：{oserror_zh(e)}")
    for name, reason in skipped:
        if not any(a.name == name and a.error is not None for a in run.tasks):
            click.echo(f"nianbao: {name}: {reason}", err=True)
    for p in written:
        click.echo(str(p))
    click.echo(f"已生成问题反馈单 {len(written)} 份。", err=True)
    sys.exit(2 if any(a.status == "unreadable" for a in run.tasks) else 0)


def _note_skipped(skipped: list) -> None:
    for name, reason in skipped:
        click.echo(f"nianbao: 跳过 {name}：{reason}", err=True)


@main.command("rules")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON（每条规则一个对象）。")
def rules_cmd(as_json):
    """列出全部规则（代码、名称、级别、说明）。"""
    from .rules import FAMILIES, rules_list
    if as_json:
        click.echo(json.dumps([{"code": r.code, "name": r.name, "title": r.title, "severity": r.severity,
                                "summary": r.doc.splitlines()[0] if r.doc else ""} for r in rules_list()],
                              ensure_ascii=False, indent=1))
        return
    family = None
    for r in rules_list():
        if r.family != family:
            family = r.family
            click.echo(f"\n【{family}】{FAMILIES[family]}")
        first = r.doc.splitlines()[0] if r.doc else ""
        click.echo(f"  {r.code}  {_pad(r.title, 28)}{_SEV[r.severity]}  {first}")


def _pad(text: str, width: int) -> str:
    from .output.text import _pad as pad
    return pad(text, width)


@main.command("rule")
@click.argument("code", metavar="代码")
def rule_cmd(code):
    """打印一条规则的文档（也可查已停用的代码和输入错误代码）。"""
    from .rules.codes import explain
    from .rules.zh import TITLES
    r = explain(code)
    if r is None:
        click.echo(f"nianbao: 没有代码为“{code}”的规则或错误（nianbao rules 列出全部规则）", err=True)
        sys.exit(2)
    status = "" if r.status == "active" else "，已停用"
    click.echo(f"{r.code} {TITLES.get(r.code, r.name)}（{_SEV[r.severity]}{status}）\n标识：{r.name}\n"
               f"消息模板：{r.message}\n\n{r.doc}")
    if r.retired:
        click.echo(f"\n停用：{r.retired}")




@main.command("ingest")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("--db", "db_url", help=_DB_HELP)
@click.option("--workers", type=int, help="本机并行进程数（默认：全部 CPU 核）。")
@click.option("--engine", type=click.Choice(["local", "dask"]), default="local", show_default=True,
              help="local：本机多进程；dask：在 Dask 分布式集群上解析。")
@click.option("--scheduler", help="Dask 调度器地址，如 tcp://127.0.0.1:8786（--engine dask 时必填）。")
@click.option("--retry-failed", is_flag=True, help="重试以前无法读取的文件（默认跳过，直到文件内容或解析器版本改变）。")
@click.option("--manifest", type=click.Path(exists=True, dir_okay=False),
              help="来源清单（CSV：文件、来源、发布日期、索引号），记录每份文件从哪里来。")
def ingest_cmd(paths, db_url, workers, engine, scheduler, retry_failed, manifest):
    """批量解析、核查并入库（文件、目录或 zip 压缩包）。同一文件重复入库只保留一份；中断后重跑会从断点继续。"""
    from .ingest.sources import iter_inputs
    from .store import Corpus

    if engine == "dask" and not scheduler:
        _fail("--engine dask 需要 --scheduler 地址")
    rows = None
    if manifest:
        from .store.provenance import ManifestError, read_manifest
        try:
            rows = read_manifest(manifest)
        except ManifestError as e:
            _fail(f"{manifest}: {e.zh}")
    from .isolation import tune_gc
    tune_gc()  # a one-shot batch process: the collector need not rescan what it keeps
    skipped: list = []
    total = sum(1 for _ in iter_inputs(paths, skipped, read=False))  # counted, not read
    _note_skipped(skipped)
    with Corpus(db_url) as corpus:
        with click.progressbar(length=total, label="入库", file=sys.stderr) as bar:
            s = corpus.ingest(paths, workers=workers, engine=engine, scheduler=scheduler, progress=bar.update,
                              retry_failed=retry_failed)
        _note_failures(s.failures)
        if s.skipped_failed:
            click.echo(f"nianbao: {s.skipped_failed} 份以前无法读取，已跳过（--retry-failed 可重试）", err=True)
        click.echo(f"共 {s.total} 份：新解析 {s.parsed} 份，无法读取 {s.failed} 份，已入库跳过 {s.skipped} 份，"
                   f"有错误级问题 {s.with_errors} 份；跨年度核查 {s.cross_year_pairs} 对。数据库：{corpus.db.url}")
        _note_conflicts(s.conflicts, s.ocr_pages)
        if rows is not None:
            from .store.provenance import attach_manifest
            unmatched = attach_manifest(corpus.db, rows, str(manifest))
            click.echo(f"来源清单：{len(rows) - len(unmatched)} 份文件已记录来源" +
                       (f"，{len(unmatched)} 行未找到对应文件：" + "、".join(unmatched[:5]) + ("等" if len(unmatched) > 5 else "")
                        if unmatched else ""), err=bool(unmatched))
    sys.exit(2 if s.failed else 0)


def _note_failures(failures) -> None:
    for name, reason in failures:
        click.echo(f"nianbao: {name}: 无法读取：{reason}", err=True)


def _note_conflicts(n: int, ocr_pages: int = 0) -> None:
    if ocr_pages:  # pages already in the store (or the user cache) are not counted: they were not read again
        click.echo(f"nianbao: 扫描件文字识别（OCR）{ocr_pages} 页", err=True)
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
        _note_failures(s.failures)
        if s.missing_bytes:
            click.echo(f"nianbao: {s.missing_bytes} 份入库时未保存原始文件，无法重新解析（重新 ingest 即可保存）", err=True)
        click.echo(f"重新解析 {s.parsed + s.failed} 份：成功 {s.parsed} 份，无法读取 {s.failed} 份，"
                   f"有错误级问题 {s.with_errors} 份；跨年度核查 {s.cross_year_pairs} 对。数据库：{corpus.db.url}")
        _note_conflicts(s.conflicts, s.ocr_pages)
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
@click.option("--labels", type=click.Choice(["key", "zh"]), default="key", show_default=True,
              help="key：英文键名列名（如 new_requests__natural_person）；zh：中文列名。")
def export_cmd(db_url, out, fmt, shape, year, agency, template, labels):
    """导出数据集：长表、宽表、可跨模板比较的合并表、文件明细、问题明细和编码本（CSV / XLSX / Parquet /
    JSON Lines）；--out - 把长表输出到标准输出。"""
    from .store import Corpus
    with Corpus(db_url, must_exist=True) as corpus:
        paths = corpus.export(out, fmt=fmt, shape=shape, year=list(year) or None, agency=agency, template=template,
                              labels=labels)
    for p in paths:
        click.echo(str(p))


@main.command("stats")
@click.option("--db", "db_url", help=_DB_HELP)
@click.option("--json", "as_json", is_flag=True, help="输出 JSON。")
@click.option("--missing", is_flag=True, help="对照名录（nianbao roster import）列出某年度未报送的机关（需 --year）。")
@click.option("--year", type=int, help="与 --missing 或 --by parent 一起使用：核对的年度。")
@click.option("--by", "by", type=click.Choice(["year", "agency", "rule", "parent"]),
              help="按年度、机关、规则或名录中的上级机关汇总（在数据库中计算）。")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table", show_default=True,
              help="与 --by 一起使用：表格、JSON（带字段名的对象）或 CSV。")
@click.option("--full", is_flag=True, help="列出全部统计（默认只列概况和主要问题）。")
def stats_cmd(db_url, as_json, missing, year, by, fmt, full):
    """语料概况：各年度/模板报告数、各规则问题数、各年度申请办理结果。"""
    from .store import Corpus
    if by:
        from .store.aggregates import aggregate
        with Corpus(db_url, must_exist=True) as corpus:
            rows = aggregate(corpus.db, by, year)
        from .output.rows import rows_to_text
        click.echo(rows_to_text(rows, "json" if as_json else fmt), nl=False)
        return
    if missing:
        if year is None:
            click.echo("nianbao: --missing 需要用 --year 指明核对的年度，如 --year 2024", err=True)
            sys.exit(2)
        from .store.roster import filing
        with Corpus(db_url, must_exist=True) as corpus:
            f = filing(corpus.db, year)
        if as_json:
            click.echo(json.dumps(f.to_dict(), ensure_ascii=False, indent=1))
            return
        click.echo(f"{year}年度：名录中已报送 {f.matched + len(f.unsure)} 个机关，未报送 {len(f.missing)} 个。")
        if f.missing:
            click.echo("\n未报送：")
            for e in f.missing:
                click.echo(f"  {e.name}" + (f"（{e.level}）" if e.level else "") + (f"  上级：{e.parent}" if e.parent else ""))
        if f.unsure:
            click.echo("\n名称与名录不完全一致，按可能的对应计为已报送，请核对：")
            for agency, name in f.unsure:
                click.echo(f"  报告“{agency}” → 名录“{name}”")
        if f.unknown:
            click.echo("\n已报送但名录中没有的机关（请核对名称，或补入名录）：")
            for agency in f.unknown:
                click.echo(f"  {agency}")
        return
    with Corpus(db_url, must_exist=True) as corpus:
        st = corpus.stats()
    if as_json:
        click.echo(json.dumps(_named_stats(st), ensure_ascii=False, indent=1, default=str))
        return
    click.echo("文档：" + "，".join(f"{'已解析' if s == 'parsed' else '无法读取'} {n}" for s, n in st["documents"]))
    click.echo("\n各年度、模板报告数：")
    for y, t, n in st["reports_by_year_template"]:
        click.echo(f"  {y or '未知'}年度  {t or '?'}版  {n}")
    from .output.findings import SEV_ORDER
    rules = sorted(st["findings_by_rule"], key=lambda r: (SEV_ORDER.get(r[2], 9), -r[3], r[0]))
    shown = rules if full else rules[:8]
    click.echo("\n各规则问题数：" if full else "\n主要问题（错误级在前）：")
    from .rules import RULES
    for code, name, sev, n in shown:
        title = RULES[code].title if code in RULES else name
        click.echo(f"  {code}  {_pad(title, 28)}{_SEV.get(sev, sev)} {n}")
    if len(shown) < len(rules):
        click.echo(f"  …另有 {len(rules) - len(shown)} 条规则")
    if st["conflicts"]:
        click.echo("\n待核对：同一机关同一年度有多份不同的报告文件（均已保存，当前采用的一份如下）：")
        for agency, y, n, current in st["conflicts"]:
            click.echo(f"  {agency} {y}年度  {n} 份  当前：{current}")
    if full:
        click.echo("\n各年度申请办理情况（总计列）：")
        from . import spec
        labels = {r.key: r.label for r in spec.APPLICATIONS_2021.rows + (spec.APPLICATIONS_2019.row("other"),)}
        order = {k: i for i, k in enumerate(labels)}
        for y, row, v in sorted(st["applications_by_outcome_year"], key=lambda r: (r[0] or 0, order.get(r[1], 99))):
            v = int(v) if v is not None and float(v).is_integer() else v
            click.echo(f"  {y or '未知'}  {labels.get(row, row)}  {v}")
    click.echo("\n下一步：nianbao stats --full 查看全部统计；nianbao stats --by rule 按规则汇总；"
               "nianbao export --out 数据/ 导出数据；nianbao serve 在网页中逐份审核。")


def _named_stats(st: dict) -> dict:
    """``stats --json``: every table as objects with named fields."""
    names = {"documents": ("status", "documents"), "reports_by_year_template": ("year", "template", "reports"),
             "findings_by_rule": ("code", "name", "severity", "findings"),
             "conflicts": ("agency", "year", "documents", "current"),
             "applications_by_outcome_year": ("year", "row", "total")}
    return {k: [dict(zip(names.get(k, range(len(r))), r)) for r in v] for k, v in st.items()}


@main.group("roster")
def roster_group():
    """名录：本单位应收取年报的机关（名称、层级、上级、别名），用于核对谁未报送。"""


@roster_group.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False), metavar="文件")
@click.option("--db", "db_url", help=_DB_HELP)
def roster_import_cmd(file, db_url):
    """导入名录（CSV 或 XLSX；表头含“名称”，可选“层级”“上级”“别名”）；已有的机关按名称更新。"""
    from .store import Corpus
    from .store.roster import RosterError, import_roster, read_roster
    try:
        entries = read_roster(file)
    except RosterError as e:
        click.echo(f"nianbao: {file}: {e.zh}", err=True)
        sys.exit(2)
    with Corpus(db_url) as corpus:
        n = import_roster(corpus.db, entries)
    click.echo(f"已导入名录 {n} 个机关。下一步：nianbao stats --missing --year 年度")


# web app and review: nianbao serve / user / decide (in nianbao.web.commands, loadable without FastAPI)
from .web.commands import decide_cmd, serve_cmd, user_cmd  # noqa: E402
for _cmd in (serve_cmd, user_cmd, decide_cmd):
    main.add_command(_cmd)


# report writing: nianbao write init / check / render (in nianbao.writing.commands)
from .writing.commands import write_group  # noqa: E402
main.add_command(write_group)
