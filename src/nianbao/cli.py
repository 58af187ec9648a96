"""Command line: a thin shell over the library."""
from __future__ import annotations

import json
import sys

import click

from .errors import InputError
from .parse import parse
from .render import report_to_text


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="nianbao")
def main():
    """nianbao（年报）：政府信息公开工作年度报告的解析与核查。"""


@main.command("parse")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="每个文件输出一行 JSON（JSON Lines）。")
@click.option("--full/--brief", default=True, help="JSON 中包含各部分文本和单元格来源（默认包含）。")
def parse_cmd(files, as_json, full):
    """解析年报文件，输出三张统计表和诊断信息。"""
    failed = False
    for i, f in enumerate(files):
        try:
            report = parse(f)
        except InputError as e:
            failed = True
            click.echo(f"nianbao: {f}: 无法读取：{e.zh}（{e.en}）", err=True)
            continue
        except OSError as e:
            failed = True
            click.echo(f"nianbao: {f}: 无法打开文件（cannot open file）：{e.strerror or e}", err=True)
            continue
        except Exception as e:  # a parser defect must not stop the other files
            failed = True
            click.echo(f"nianbao: {f}: 解析出错（internal error）：{type(e).__name__}: {e}", err=True)
            continue
        if any(d.severity == "error" for d in report.diagnostics):
            failed = True  # e.g. a scanned PDF: recorded, but nothing could be read
            for d in report.diagnostics:
                if d.severity == "error":
                    click.echo(f"nianbao: {f}: {d.code} {d.message}", err=True)
        if as_json:
            d = report.to_dict(full)
            d["file"] = f
            sys.stdout.write(json.dumps(d, ensure_ascii=False) + "\n")
        else:
            if i:
                click.echo("\n" + "=" * 60)
            click.echo(report_to_text(report))
    sys.exit(2 if failed else 0)


_SEV = {"error": "错误", "warning": "警告", "info": "提示"}
_ORDER = {"error": 0, "warning": 1, "info": 2}


def _codes(value):
    return [c.strip() for v in value for c in v.split(",") if c.strip()] or None


@main.command("check")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--json", "as_json", is_flag=True, help="输出 JSON Lines，每行一条问题。")
@click.option("--xlsx", "xlsx_path", type=click.Path(dir_okay=False), help="写出核查工作簿（.xlsx）。")
@click.option("--select", multiple=True, help="只运行这些代码前缀的规则，如 A,S1。")
@click.option("--ignore", multiple=True, help="忽略这些代码前缀的规则，如 C101,P2。")
def check_cmd(paths, as_json, xlsx_path, select, ignore):
    """核查年报（文件、目录或 zip 压缩包）：解析并按规则逐项检查。

    退出码：0 无错误级问题；1 有错误级问题；2 有文件无法读取。
    """
    from .audit import audit_inputs
    from .inputs import iter_inputs

    audits = audit_inputs(iter_inputs(paths), select=_codes(select), ignore=_codes(ignore))
    for a in audits:
        if a.error is not None:
            click.echo(f"nianbao: {a.name}: 无法读取：{a.error.zh}（{a.error.en}）", err=True)
    if as_json:
        for a in audits:
            for f in a.findings:
                d = f.to_dict()
                d["file"] = a.name
                sys.stdout.write(json.dumps(d, ensure_ascii=False) + "\n")
    else:
        for a in audits:
            if a.report is None:
                continue
            r = a.report
            click.echo(f"\n{a.name}：{r.agency or '未识别机关'} {r.year or '?'}年度（{r.template or '?'}版）"
                       f" 错误{a.count('error')} 警告{a.count('warning')} 提示{a.count('info')}")
            for f in sorted(a.findings, key=lambda f: (_ORDER[f.severity], f.code)):
                where = f"［{f.loc.describe()}］" if f.loc is not None and f.loc.describe() else ""
                click.echo(f"  {f.code} {_SEV[f.severity]}{where} {f.message}")
        ok = [a for a in audits if a.report is not None]
        click.echo(f"\n共 {len(audits)} 份：读取 {len(ok)} 份，无法读取 {len(audits) - len(ok)} 份，"
                   f"有错误 {sum(1 for a in ok if a.count('error'))} 份。")
    if xlsx_path:
        from .xlsx import audits_to_workbook
        audits_to_workbook(audits, xlsx_path)
        click.echo(f"核查工作簿已写出：{xlsx_path}", err=True)
    if any(a.error is not None for a in audits):
        sys.exit(2)
    sys.exit(1 if any(a.count("error") for a in audits) else 0)


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
    """打印一条规则的文档。"""
    from .rules import RULES
    r = RULES.get(code.upper())
    if r is None:
        click.echo(f"nianbao: 没有规则 {code}（unknown rule）", err=True)
        sys.exit(2)
    click.echo(f"{r.code} {r.name}（{_SEV[r.severity]}）\n消息模板：{r.message}\n\n{r.doc}")
