"""Parse throughput per format over the corpus and fixtures (reports/s of process CPU time).

usage: python bench/bench_parse.py [--seconds 2]
Targets (issue 2): text, HTML, DOCX ≥ 500 reports/s; text-layer PDF within 2× pypdfium2's own
text extraction of the same files (see bench/bench_pdf.py). The goals of issue 10, against each
format's floor, are in bench/bench_floor.py.
"""
import argparse
import time
from collections import defaultdict
from pathlib import Path

from nianbao import parse
from nianbao.ingest import sniff_format

ROOT = Path(__file__).resolve().parents[1]


def documents():
    for base in (ROOT.parent / "shared" / "corpus", ROOT / "tests" / "fixtures"):
        for p in sorted(base.rglob("*")):
            if p.is_file() and not p.name.endswith(".json") and p.suffix in (".txt", ".html", ".htm", ".docx", ".pdf"):
                yield p


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=2.0, help="time spent per format")
    a = ap.parse_args()
    by_format = defaultdict(list)
    for p in documents():
        data = p.read_bytes()
        by_format[sniff_format(data, p.name)].append((p.name, data))
    print(f"{'format':<6} {'files':>5} {'reports/s':>10} {'ms/report':>10}")
    for fmt, docs in sorted(by_format.items()):
        for name, data in docs:
            parse(data, filename=name)  # warm-up (caches, imports)
        n = 0
        start = time.process_time()
        while time.process_time() - start < a.seconds:
            for name, data in docs:
                parse(data, filename=name)
                n += 1
        dt = time.process_time() - start
        print(f"{fmt:<6} {len(docs):>5} {n / dt:>10.1f} {1000 * dt / n:>10.2f}")


if __name__ == "__main__":
    main()
