"""A small evaluator for the formulas of a draft workbook.

openpyxl writes formulas without their values, so ``nianbao write check`` computes them itself:
numbers, cell references on the same sheet (``D7``, ``$D$7``), ranges in ``SUM``, ``+ - * /``,
parentheses. Anything else raises :class:`FormulaError` (the clerk is asked to type a number).
"""
from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from openpyxl.utils import column_index_from_string, range_boundaries

_TOKEN = re.compile(r"\s*(?:(?P<num>\d+(?:\.\d*)?|\.\d+)|(?P<range>\$?[A-Z]{1,3}\$?\d+:\$?[A-Z]{1,3}\$?\d+)"
                    r"|(?P<ref>\$?[A-Z]{1,3}\$?\d+)|(?P<fn>SUM)\s*\(|(?P<op>[-+*/(),]))", re.I)


class FormulaError(ValueError):
    pass


def _tokens(text: str) -> list:
    out, pos = [], 0
    text = text.strip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            raise FormulaError(text)
        kind = m.lastgroup
        out.append((kind, m.group(kind).upper().replace("$", "")))
        pos = m.end()
    return out


def _cell(ref: str) -> tuple:
    m = re.match(r"([A-Z]+)(\d+)$", ref)
    return int(m.group(2)), column_index_from_string(m.group(1))


def evaluate(formula: str, value_at, depth: int = 0) -> Decimal:
    """The value of ``formula`` (with or without the leading ``=``); ``value_at(row, col)`` gives
    a referenced cell's value as a Decimal (0 when blank)."""
    if depth > 50:
        raise FormulaError("循环引用")
    toks = _tokens(formula[1:] if formula.startswith("=") else formula)
    pos = 0

    def peek():
        return toks[pos] if pos < len(toks) else (None, None)

    def take():
        nonlocal pos
        pos += 1
        return toks[pos - 1]

    def atom() -> Decimal:
        kind, val = take() if pos < len(toks) else (None, None)
        if kind == "num":
            try:
                return Decimal(val)
            except InvalidOperation:
                raise FormulaError(val) from None
        if kind == "ref":
            return value_at(*_cell(val))
        if kind == "fn":
            total = Decimal(0)
            while True:
                k, v = peek()
                if k == "range":
                    take()
                    c1, r1, c2, r2 = range_boundaries(v)
                    total += sum((value_at(r, c) for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)), Decimal(0))
                else:
                    total += expr()
                k, v = take() if pos < len(toks) else (None, None)
                if v == ")":
                    return total
                if v != ",":
                    raise FormulaError(formula)
        if val == "(":
            x = expr()
            if take()[1] != ")":
                raise FormulaError(formula)
            return x
        if val == "-":
            return -atom()
        if val == "+":
            return atom()
        raise FormulaError(formula)

    def term() -> Decimal:
        x = atom()
        while peek()[1] in ("*", "/"):
            op = take()[1]
            y = atom()
            if op == "*":
                x *= y
            elif y == 0:
                raise FormulaError("除数为0")
            else:
                x /= y
        return x

    def expr() -> Decimal:
        x = term()
        while peek()[1] in ("+", "-"):
            op = take()[1]
            y = term()
            x = x + y if op == "+" else x - y
        return x

    result = expr()
    if pos != len(toks):
        raise FormulaError(formula)
    return result
