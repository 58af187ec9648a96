"""Audit many reports at once: parse each in an isolated worker, pair each body's consecutive
years, run the rules, and gather it all in an :class:`AuditRun` (like frictionless's ``Report``).

    run = audit(["reports/"])            # or audit_inputs(named_blobs)
    run.exit_code, run.stats, run.to_dict()
    for task in run.tasks: task.status   # "ok" | "findings" | "unreadable"
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from .config import DEFAULT, Settings
from .errors import InputError
from .isolation import run_isolated
from .model import Report
from .parsing import parse
from .parsing.meta import norm_agency
from .rules import check

OK, FINDINGS, UNREADABLE = "ok", "findings", "unreadable"


@dataclass
class Audited:
    """One input of a run: its report and findings, or the error that made it unreadable."""

    name: str
    report: Optional[Report] = None
    findings: list = field(default_factory=list)
    error: Optional[InputError] = None

    @property
    def unreadable(self) -> bool:
        """Parsed, but nothing could be read (a scanned PDF: P001)."""
        return self.report is not None and any(d.code == "P001" for d in self.report.diagnostics)

    @property
    def status(self) -> str:
        """``unreadable`` (an error or a scan), ``findings`` (error-level findings) or ``ok``."""
        if self.error is not None or self.unreadable:
            return UNREADABLE
        return FINDINGS if self.count("error") else OK

    @property
    def reason(self) -> Optional[dict]:
        """Why the input is unreadable: ``{"code", "message", "message_en"}`` (None when readable)."""
        if self.error is not None:
            return error_dict(self.error)
        if self.unreadable:
            d = next(d for d in self.report.diagnostics if d.code == "P001")
            return {"code": d.code, "message": "PDF 是扫描件，没有文字层，无法读取（暂不支持文字识别）",
                    "message_en": None}
        return None

    def count(self, severity: str) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    def to_dict(self) -> dict:
        r = self.report
        return {"file": self.name, "status": self.status, "error": self.reason,
                "agency": r.agency if r else None, "year": r.year if r else None,
                "template": r.template if r else None,
                "errors": self.count("error"), "warnings": self.count("warning"), "infos": self.count("info"),
                "findings": [f.to_dict() for f in self.findings]}


def error_dict(e: InputError) -> dict:
    """``{"code", "message", "message_en"}``: ``message`` is what a reviewer reads (Chinese only)."""
    from .output.findings import error_zh
    return {"code": e.code, "message": error_zh(e), "message_en": e.en}


@dataclass
class AuditRun:
    """A whole run: every input's :class:`Audited`, the totals and the exit code."""

    tasks: list = field(default_factory=list)
    skipped: list = field(default_factory=list)  # (name, reason): files of a folder that are no reports

    @property
    def stats(self) -> dict:
        t = self.tasks
        return {"inputs": len(t), "read": sum(1 for a in t if a.report is not None),
                "unreadable": sum(1 for a in t if a.status == UNREADABLE),
                "with_errors": sum(1 for a in t if a.report is not None and a.count("error")),
                "errors": sum(a.count("error") for a in t), "warnings": sum(a.count("warning") for a in t),
                "infos": sum(a.count("info") for a in t), "skipped": len(self.skipped)}

    @property
    def valid(self) -> bool:
        return self.exit_code == 0

    @property
    def exit_code(self) -> int:
        """2: some input unreadable; 1: error-level findings; 0: neither."""
        if any(a.status == UNREADABLE for a in self.tasks):
            return 2
        return 1 if any(a.count("error") for a in self.tasks) else 0

    def to_dict(self) -> dict:
        return {"valid": self.valid, "exit_code": self.exit_code, "stats": self.stats,
                "tasks": [a.to_dict() for a in self.tasks],
                "skipped": [{"file": n, "reason": r} for n, r in self.skipped]}

    def json_lines(self):
        """One dict per finding (with ``file`` and its ``id``), and one ``{"file", "error"}`` per
        unreadable input."""
        from .output.findings import finding_id
        for a in self.tasks:
            if a.error is not None:
                yield {"file": a.name, "error": error_dict(a.error)}
            for f in a.findings:
                d = f.to_dict()
                d["file"] = a.name
                d["id"] = finding_id(f)  # what ``notice --dismiss`` takes
                yield d

    def __iter__(self):
        return iter(self.tasks)

    def __len__(self):
        return len(self.tasks)

    def __getitem__(self, i):
        return self.tasks[i]


# ---------------------------------------------------------------- rule selection (ruff-like)

class SelectionError(ValueError):
    """An unknown code in ``select``/``ignore`` (command line or configuration): never a silent
    clean pass. ``zh`` is the reviewer's message."""

    def __init__(self, zh: str):
        super().__init__(zh)
        self.zh = zh


def validate_codes(codes, option: str, where: str = "") -> list:
    """Upper-cased code prefixes; each must select at least one code ever issued (``A``, ``A1``,
    ``C101``; input-error names do not count: they are no rules)."""
    from .rules import RULES
    from .rules.codes import RULE_CODES, RETIRED_RULES
    known = set(RULES) | set(RULE_CODES) | set(RETIRED_RULES)
    out = []
    for c in codes or ():
        code = str(c).strip().upper()
        if not code:
            continue
        if not any(k.startswith(code) for k in known):
            raise SelectionError(f"{where + '中' if where else ''}{option} 有未知的规则代码“{c}”（nianbao rules 列出全部规则）")
        out.append(code)
    return out


CONFIG_FILES = ("nianbao.toml", "pyproject.toml")


def find_config(start=None):
    """The first ``nianbao.toml`` (top-level ``select``/``ignore``) or ``pyproject.toml`` with a
    ``[tool.nianbao]`` table, from ``start`` (default: the working directory) upwards:
    ``(path, {"select": [...], "ignore": [...]})`` or ``(None, {})``."""
    import sys
    from pathlib import Path
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib
    here = Path(start or ".").resolve()
    for d in (here, *here.parents):
        for name in CONFIG_FILES:
            f = d / name
            if not f.is_file():
                continue
            try:
                data = tomllib.loads(f.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as e:
                raise SelectionError(f"配置文件 {f} 无法读取：{_toml_error_zh(e)}") from None
            table = data if name == "nianbao.toml" else data.get("tool", {}).get("nianbao")
            if table is None:
                continue
            return f, {k: table[k] for k in ("select", "ignore") if k in table}
    return None, {}


def _toml_error_zh(e) -> str:
    import re
    m = re.search(r"line (\d+)", str(e))
    return f"第{m.group(1)}行格式有误" if m else "格式有误"


def selection(select=None, ignore=None, start=None) -> tuple:
    """(select, ignore, config path) for ``check``: the configuration's lists, ``select`` from the
    command line replacing the configured one and ``ignore`` adding to it; unknown codes raise
    :class:`SelectionError`."""
    path, conf = find_config(start)
    where = f"配置文件 {path} " if path else ""
    for key in ("select", "ignore"):
        if key in conf and not isinstance(conf[key], list):
            raise SelectionError(f"{where}中 {key} 应为代码列表，如 [\"A\", \"S1\"]")
    conf_select = validate_codes(conf.get("select"), "select", where)
    conf_ignore = validate_codes(conf.get("ignore"), "ignore", where)
    sel = validate_codes(select, "--select") if select else conf_select
    ign = conf_ignore + validate_codes(ignore, "--ignore")
    return (sel or None), (ign or None), path


def body_key(report: Report) -> str:
    return norm_agency(report.agency or "")


def parse_task(name: str, data: bytes, settings: Settings | None = None) -> Report:
    """The worker's job for ``check``: bytes → :class:`Report` (the rules run in the caller, which
    pairs the years)."""
    return parse(data, filename=name, settings=settings)


def audit_inputs(named_blobs, select=None, ignore=None, *, workers: int | None = None,
                 settings: Settings | None = None, previous=None) -> AuditRun:
    """[(name, bytes | InputError)] → :class:`AuditRun`, previous years paired by normalised body name.

    Each input is parsed in a worker process (``settings.time_limit``, ``settings.memory_limit``);
    any failure of one input is recorded for it and the run goes on. ``previous(agency, year)``:
    where a body's report of the year before is not among the inputs, a lookup for it (a stored
    corpus: :meth:`nianbao.Corpus.previous_report`).
    """
    settings = settings or DEFAULT
    run = AuditRun()
    for name, result in run_isolated("nianbao.audit:parse_task", named_blobs, workers, settings):
        if isinstance(result, InputError):
            run.tasks.append(Audited(name, error=result))
        else:
            run.tasks.append(Audited(name, report=result))
    by_body = {}
    for a in run.tasks:
        if a.report is not None and a.report.agency and a.report.year:
            by_body[(body_key(a.report), a.report.year)] = a.report
    for a in run.tasks:
        if a.report is None:
            continue
        prev = None
        if a.report.agency and a.report.year:
            prev = by_body.get((body_key(a.report), a.report.year - 1))
            if prev is None and previous is not None:
                prev = previous(a.report.agency, a.report.year - 1)
        try:
            a.findings = check(a.report, prev, select=select, ignore=ignore)
        except Exception as e:  # a rule defect: recorded for this input, the run goes on
            a.error = InputError("internal-error", error=f"{type(e).__name__}: {e}"[:500], message=str(e)[:500])
            a.findings = []
    return run


def audit(paths, select=None, ignore=None, *, workers: int | None = None,
          settings: Settings | None = None, previous=None) -> AuditRun:
    """Audit files, directories and zip archives (see :func:`audit_inputs`)."""
    from .ingest.sources import iter_inputs
    skipped: list = []
    run = audit_inputs(iter_inputs(paths, skipped, settings=settings), select, ignore, workers=workers,
                       settings=settings, previous=previous)
    run.skipped = skipped
    return run
