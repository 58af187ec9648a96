"""The README is tested against the code (like sqlite-utils' ``tests/test_docs.py``): every CLI
command and option it shows exists, every command is shown, and its code tables equal the catalogue."""
import re
from pathlib import Path

import pytest

from nianbao.cli import main
from nianbao.model.codes import CODES, INPUT_ERRORS

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def _section(title: str) -> str:
    m = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", README, re.S | re.M)
    assert m, f"README has no section {title!r}"
    return m.group(1)


def _command_lines() -> list:
    block = re.search(r"```sh\n(.*?)```", _section("命令"), re.S)
    assert block, "the 命令 section starts with a sh block of commands"
    return [line for line in block.group(1).splitlines() if line.startswith("nianbao ")]


def _table(after: str) -> dict:
    """code → name of the markdown table that follows the line containing ``after``."""
    start = README.index(after)
    rows, in_table = {}, False
    for line in README[start:].splitlines()[1:]:
        if not line.startswith("|"):
            if in_table:
                break
            continue
        in_table = True
        m = re.match(r"\|\s*`?([A-Za-z0-9][A-Za-z0-9-]*)`?\s*\|\s*`?([a-z0-9][a-z0-9-]*)`?\s*\|", line)
        if m and m.group(1) != "code":
            rows[m.group(1)] = m.group(2)
    return rows


def test_commands_are_documented():
    shown = {line.split()[1] for line in _command_lines()}
    assert shown == set(main.commands), (set(main.commands) - shown, shown - set(main.commands))


@pytest.mark.parametrize("line", _command_lines())
def test_documented_options_exist(line):
    name = line.split()[1]
    cmd = main.commands[name]
    if hasattr(cmd, "commands"):  # a command group (nianbao write init …): its subcommand's options
        cmd = cmd.commands[line.split()[2]]
    known = {o for p in cmd.params for o in getattr(p, "opts", []) + getattr(p, "secondary_opts", [])}
    for opt in re.findall(r"(?<![\w-])(--[a-z][a-z-]*)", line.split("#")[0]):
        assert opt in known, f"{line!r}: {name} has no option {opt}"


def test_parser_diagnostic_table_matches_the_catalogue():
    table = _table("Parser diagnostics (")
    assert table == {c: e.name for c, e in CODES.items() if e.status == "active"}


def test_input_error_table_matches_the_catalogue():
    table = _table("Input errors (")
    assert table == {c: e.name for c, e in INPUT_ERRORS.items() if e.status == "active"}
