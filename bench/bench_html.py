"""HTML ingest stage by stage against the Lexbor parse of the same page, and hostile markup.

usage: python bench/bench_html.py [--repeats 15]

Per page (the pages of ``bench_floor.py``'s HTML row): process CPU time, median of ``--repeats``
runs, of each stage of ``nianbao.ingest.html`` — decoding, the nesting guard, the Lexbor parse,
the walk — and of the whole ingest (bytes → Document) and the whole parse (bytes → record), each
as a ratio to the bare Lexbor parse (``selectolax.lexbor.LexborHTMLParser(bytes)``) measured
interleaved with it. Then hostile markup (open tags that make the HTML5 tree builder
superlinear, ``rowspan=0``): the time to a record or to the refusal (``too-deep``); the goal is
under 1 s each.

The collector and the C allocator are set first as in the workers (``bench_floor.pin_allocator``:
``nianbao.isolation.tune_gc``): with glibc's adaptive defaults a process that only imported
selectolax returns Lexbor's memory to the system after every parse and faults it in again (the
bare parse then costs ~1.7× as much) — the floor would otherwise depend on what ran before it.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "tests"))

from selectolax.lexbor import LexborHTMLParser  # noqa: E402

from bench_floor import html_pages, pin_allocator  # noqa: E402
from nianbao import InputError, parse  # noqa: E402
from nianbao.config import DEFAULT  # noqa: E402
from nianbao.ingest import bytes_to_document  # noqa: E402
from nianbao.ingest.html import decode_html, html_to_document  # noqa: E402
from nianbao.ingest.html.guard import check_nesting  # noqa: E402
from nianbao.ingest.html.walk import Walker  # noqa: E402


def cpu(fn) -> float:
    t0 = time.process_time()
    fn()
    return time.process_time() - t0


def stages(data: bytes, name: str) -> dict:
    text, encoding = decode_html(data)
    raw = data if encoding == "utf-8" else text.encode("utf-8")
    tree = LexborHTMLParser(raw)

    def walk():
        w = Walker(raw, DEFAULT.max_span, DEFAULT.max_html_depth)
        w.walk(tree.root)
        w.flush()

    return {
        "lexbor": lambda: LexborHTMLParser(data),
        "decode": lambda: decode_html(data),
        "guard": lambda: check_nesting(raw, DEFAULT.max_html_depth),
        "parse": lambda: LexborHTMLParser(raw),
        "walk": walk,
        "ingest": lambda: html_to_document(data),
        "record": lambda: parse(data, filename=name),
    }


HOSTILE = {
    "20,000 unclosed <div>": "<p>报告</p>" + "<div>" * 20000 + "正文",
    "2,000 nested <div> closed": "<p>报告</p>" + "<div>" * 2000 + "正文" + "</div>" * 2000,
    "999 × <font a=N><p> (below the scan)": "".join(f"<font a={i}><p>x" for i in range(999)),
    "20,000 × <font a=N><p>": "".join(f"<font a={i}><p>x" for i in range(20000)),
    "7,900 × <ul><li>": "<p>报告</p>" + "<ul><li>" * 7900 + "正文",
    "rowspan=0 over 20,000 rows": "<p>报告</p><table>" + "".join(
        f"<tr><td rowspan=0>a{i}</td><td rowspan=0 colspan=3>b</td></tr>" for i in range(20000)) + "</table>",
}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeats", type=int, default=15)
    a = ap.parse_args(argv)
    pin_allocator()
    names = ["lexbor", "decode", "guard", "parse", "walk", "ingest", "record"]
    totals = dict.fromkeys(names, 0.0)
    print(f"{'page':<32} {'KB':>5} " + " ".join(f"{n:>7}" for n in names) + "   (ms)")
    for name, data in html_pages():
        fns = stages(data, name)
        for fn in fns.values():
            fn()  # warm-up
        runs = {n: [] for n in names}
        for _ in range(a.repeats):
            for n in names:
                runs[n].append(cpu(fns[n]))
        med = {n: 1000 * statistics.median(runs[n]) for n in names}
        for n in names:
            totals[n] += med[n]
        print(f"{name:<32} {len(data) // 1024:>5} " + " ".join(f"{med[n]:7.3f}" for n in names))
    lex = totals["lexbor"]
    print(f"{'all pages':<32} {'':>5} " + " ".join(f"{totals[n]:7.3f}" for n in names))
    print(f"{'ratio to Lexbor':<32} {'':>5} " + " ".join(f"{totals[n] / lex:7.2f}" for n in names))
    ok = True
    print()
    for label, page in HOSTILE.items():
        data = page.encode()
        t0 = time.process_time()
        try:
            doc = bytes_to_document(data, "x.html")
            what = f"{len(doc.blocks)} blocks"
        except InputError as e:
            what = e.code
        t = time.process_time() - t0
        ok &= t < 1.0
        print(f"{label:<40} {len(data) // 1024:>6} KB {t:7.3f} s  {what}  {'met' if t < 1.0 else 'MISSED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
