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
