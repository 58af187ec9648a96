"""``nianbao write``: draft a body's report in the 2021 template — init (a workbook to fill),
check (the rules on the filled data), render (DOCX or HTML). Registered by :mod:`nianbao.cli`;
thin: each command calls :mod:`nianbao.writing`."""
from __future__ import annotations

import json
import sys

import click

from ..errors import InputError
from ..parsing import parse


@click.group("write")
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
    from .. import writing
    try:
        return writing.load(path)
    except (OSError, ValueError) as e:
        click.echo(f"nianbao: {path}: 无法读取草稿：{getattr(e, 'strerror', None) or e}", err=True)
        sys.exit(2)


def _narrative(text_path, previous):
    from .. import writing
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
    from .. import writing
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
    from .. import writing
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
    from .. import writing
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
