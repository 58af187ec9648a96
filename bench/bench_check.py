"""What auditing costs on top of parsing: parse alone vs parse + check (all rules), over the corpus.

usage: python bench/bench_check.py [--rounds 7] [--min-seconds 0.5] [--fixtures] [--strict]

Both loops run over the same in-memory documents, interleaved round by round; the best round of
each is kept (the least disturbed by the machine). Target: check adds < 20 % to parse.
``--strict`` exits 1 when the overhead is above the target.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from nianbao import parse
from nianbao.ingest import sniff_format
from nianbao.rules import RULES, check

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
FIXTURES = ROOT / "tests" / "fixtures"
EXTENSIONS = (".txt", ".html", ".htm", ".docx", ".pdf")
TARGET = 0.20


def documents(with_fixtures: bool):
    bases = [CORPUS] + ([FIXTURES] if with_fixtures else [])
    for base in bases:
        for p in sorted(base.rglob("*")):
            if p.is_file() and p.suffix.lower() in EXTENSIONS:
                yield p.name, p.read_bytes()


def parse_only(docs):
    for name, data in docs:
        parse(data, filename=name)


def parse_and_check(docs):
    findings = 0
    for name, data in docs:
        findings += len(check(parse(data, filename=name)))
    return findings


def best_round(fn, docs, min_seconds: float):
    """Seconds per pass over ``docs`` (repeating the pass until ``min_seconds`` have elapsed)."""
    n = 0
    start = time.perf_counter()
    while True:
        fn(docs)
        n += 1
        dt = time.perf_counter() - start
        if dt >= min_seconds:
            return dt / n


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=7, help="interleaved rounds; the best of each is kept")
    ap.add_argument("--min-seconds", type=float, default=0.5, help="minimum time per round and mode")
    ap.add_argument("--fixtures", action="store_true", help="also the documents under tests/fixtures")
    ap.add_argument("--strict", action="store_true", help=f"exit 1 when the overhead is ≥ {TARGET:.0%}")
    a = ap.parse_args()

    docs = list(documents(a.fixtures))
    if not docs:
        print(f"no documents under {CORPUS}", file=sys.stderr)
        return 2
    findings = parse_and_check(docs)  # warm-up (imports, caches) and the finding count
    reports = [parse(data, filename=name) for name, data in docs]
    t_parse = t_both = float("inf")
    for _ in range(a.rounds):
        t_parse = min(t_parse, best_round(parse_only, docs, a.min_seconds))
        t_both = min(t_both, best_round(parse_and_check, docs, a.min_seconds))
    t_check = best_round(lambda _: [check(r) for r in reports], docs, a.min_seconds)

    n = len(docs)
    overhead = (t_both - t_parse) / t_parse
    print(f"{n} reports, {len(RULES)} rules, {findings} findings")
    print(f"{'':<16} {'reports/s':>10} {'ms/report':>10}")
    print(f"{'parse':<16} {n / t_parse:>10.1f} {1000 * t_parse / n:>10.3f}")
    print(f"{'parse + check':<16} {n / t_both:>10.1f} {1000 * t_both / n:>10.3f}")
    print(f"{'check alone':<16} {n / t_check:>10.1f} {1000 * t_check / n:>10.3f}")
    by_format: dict = {}
    for (name, data), report in zip(docs, reports):
        by_format.setdefault(sniff_format(data, name), []).append(((name, data), report))
    print(f"\n{'format':<8} {'files':>5} {'parse ms':>9} {'check ms':>9} {'overhead':>9}")
    for fmt, items in sorted(by_format.items()):
        sub = [d for d, _ in items]
        reps = [r for _, r in items]
        tp = min(best_round(parse_only, sub, a.min_seconds / 2) for _ in range(3))
        tc = min(best_round(lambda _: [check(r) for r in reps], sub, a.min_seconds / 2) for _ in range(3))
        print(f"{fmt:<8} {len(sub):>5} {1000 * tp / len(sub):>9.3f} {1000 * tc / len(sub):>9.3f} "
              f"{100 * tc / tp:>8.1f}%")
    print()
    verdict = "ok" if overhead < TARGET else "ABOVE TARGET"
    print(f"overhead of check: {100 * overhead:.1f} % (target < {100 * TARGET:.0f} %: {verdict}); "
          f"check alone is {100 * t_check / t_parse:.1f} % of parse")
    return 1 if a.strict and overhead >= TARGET else 0


if __name__ == "__main__":
    sys.exit(main())
