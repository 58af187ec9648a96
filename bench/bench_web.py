"""The web app on a large store: list page, filtered list and report page with 10,000 reports.

usage: python bench/bench_web.py [--n 10000] [--db sqlite:///path.db | postgresql://…] [--runs 15] [--seed 0]

Target (issue 12): each page under 300 ms with 10⁴ reports in the store. The store is filled with
synthetic reports (nianbao.testing.synth: values satisfying the template's arithmetic, ~10 %
with planted defects, several consecutive years per body), each checked by the rules and written
through the store's batched writer (``Corpus.store_results``) — no parsing, so filling takes seconds. About 5 % of the error
findings get a decision, so the 已审核 status has something to find. The pages are then requested
in-process (FastAPI's TestClient: routing, SQL, templates, no network) ``--runs`` times each and
the median and worst times are printed. Not a timed test.
"""
from __future__ import annotations

import argparse
import hashlib
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from nianbao.model import CellValue, Location, Part, Report  # noqa: E402
from nianbao.rules import check  # noqa: E402
from nianbao.store import Corpus  # noqa: E402
from nianbao.store.codec import encode_report  # noqa: E402
from nianbao.store.review import Review  # noqa: E402
from nianbao.testing.synth.corpus import random_body  # noqa: E402
from nianbao.testing.synth.values import plant_defects, random_values, template_for_year  # noqa: E402

PARTS = ("一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
         "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项")


def synth_result(name: str, agency: str, year: int, tpl: str, values: dict, texts: list) -> dict:
    """The store's result dict of a synthetic report (``values`` by cell key, ``texts`` of the six
    parts), audited, as a worker would send it."""
    cells = {k: CellValue(v, "" if v is None else str(v), Location(line=10 + i), True)
             for i, (k, v) in enumerate(values.items())}
    sha = hashlib.sha256(name.encode()).hexdigest()
    report = Report(file=name, format="text", sha256=sha, agency=agency, year=year, template=tpl,
                    title=f"{agency}{year}年政府信息公开工作年度报告",
                    parts=[Part(i + 1, t, x) for i, (t, x) in enumerate(zip(PARTS, texts))], cells=cells,
                    tables=["active", "applications", "review_litigation"])
    return {"name": name, "sha256": sha, "size": 1000, **encode_report(report, check(report))}


def fill(corpus: Corpus, n: int, seed: int) -> None:
    rng = random.Random(seed)
    made, seen, todo = 0, set(), []
    t0 = time.perf_counter()
    while made < n:
        agency, scale = random_body(rng)
        if agency in seen:
            continue
        seen.add(agency)
        start = rng.randint(2019, 2023)
        prev = None
        for year in range(start, min(2025, start + rng.randint(1, 4))):
            if made >= n:
                break
            tpl = template_for_year(year)
            values = random_values(rng, tpl, previous=prev, scale=scale)
            prev = values
            if rng.random() < 0.1:
                values, _ = plant_defects(rng, dict(values), tpl)
            todo.append(synth_result(f"synth/{made:05d}-{agency}-{year}.txt", agency, year, tpl, values,
                                     [f"{t}（正文）" for t in PARTS]))
            made += 1
            if len(todo) >= 500:  # the store's batched writer, as ingest uses it
                corpus.store_results(todo)
                todo = []
                if made % 5000 == 0:
                    print(f"  {made} reports stored ({time.perf_counter() - t0:.0f} s)", file=sys.stderr)
    if todo:
        corpus.store_results(todo)
    review = Review(corpus)
    rows = corpus.db.query("SELECT id FROM findings WHERE severity = 'error' ORDER BY id")
    for (fid,) in rows[::20]:
        review.decide(fid, "dismissed", "基准测试", "bench")


def timed(client, url: str, runs: int, before=None) -> tuple:
    """(median, worst) wall ms of ``runs`` requests of ``url`` (each must answer 200); ``before()``
    runs ahead of each request, untimed (e.g. to drop a cache)."""
    times = []
    for _ in range(runs):
        if before is not None:
            before()
        t = time.perf_counter()
        r = client.get(url)
        times.append((time.perf_counter() - t) * 1000)
        assert r.status_code == 200, (url, r.status_code, r.text[:300])
    return statistics.median(times), max(times)


def arguments(doc: str, runs: int) -> argparse.Namespace:
    """The benches' options: --n reports, --db a store URL, --runs, --seed."""
    ap = argparse.ArgumentParser(description=doc.split("\n")[0])
    ap.add_argument("--n", type=int, default=10000)
    ap.add_argument("--db", help="store URL (default: a temporary SQLite file)")
    ap.add_argument("--runs", type=int, default=runs)
    ap.add_argument("--seed", type=int, default=0)
    return ap.parse_args()


def filled_store(args, fill) -> tuple:
    """The store at ``--db`` (or a temporary SQLite file), filled by ``fill(corpus, have)`` (``have``:
    the reports it holds); returns (url, the temporary directory to clean up, the open corpus)."""
    tmp = tempfile.TemporaryDirectory()
    url = args.db or f"sqlite:///{Path(tmp.name) / 'bench.db'}"
    corpus = Corpus(url)
    have = corpus.db.one("SELECT COUNT(*) FROM reports")[0]
    t = time.perf_counter()
    if fill(corpus, have):
        print(f"filled in {time.perf_counter() - t:.1f} s", file=sys.stderr)
    return url, tmp, corpus


def web_client(url: str):
    """The web app on ``url`` in-process (FastAPI's TestClient: loopback, no users — the open
    single-user mode), warmed up: templates compiled, connection opened."""
    from fastapi.testclient import TestClient

    from nianbao.web import create_app
    client = TestClient(create_app(url))
    client.get("/reports")
    return client


def print_pages(client, pages, runs: int, target: float) -> float:
    """Request each (label, path, counted) page ``runs`` times, print median and worst; returns the
    worst median of the counted pages."""
    worst = 0.0
    for label, path, counted in pages:
        med, mx = timed(client, path, runs)
        if counted:
            worst = max(worst, med)
        verdict = ("ok" if med < target else "SLOW") if counted else "(info)"
        print(f"  {label:<40} {med:7.1f} {mx:7.1f}  {verdict}")
    return worst


def main() -> int:
    args = arguments(__doc__, 15)

    def fill_to_n(corpus, have):
        if have >= args.n:
            return False
        print(f"filling {corpus.db.url} with {args.n - have} synthetic reports …", file=sys.stderr)
        fill(corpus, args.n - have, args.seed + have)
        return True
    url, tmp, corpus = filled_store(args, fill_to_n)
    with corpus:
        n = corpus.db.one("SELECT COUNT(*) FROM reports")[0]
        rid = corpus.db.one("SELECT id FROM reports WHERE errors > 0 ORDER BY id DESC LIMIT 1")[0]
        agency = corpus.db.one("SELECT agency FROM reports WHERE id = ?", (rid,))[0]
    client = web_client(url)
    pages = [
        ("list page", "/reports"),
        ("list page, sorted by errors, page 20", "/reports?sort=errors&desc=true&page=20"),
        ("filtered list (year + status)", "/reports?year=2022&status=errors"),
        ("filtered list (agency, as typed)", f"/reports?agency={agency[:3]}"),
        ("filtered list (rule code)", "/reports?code=A101"),
        ("filtered list (已审核)", "/reports?status=reviewed"),
        ("report page", f"/reports/{rid}"),
        ("report JSON", f"/api/reports/{rid}"),
        ("agency search as you type", f"/api/agencies?q={agency[:2]}"),
    ]
    print(f"\n{n} reports in {url.split('?')[0]}; {args.runs} runs each (median / worst, ms; target < 300)")
    worst = print_pages(client, [(label, path, True) for label, path in pages], args.runs, 300)
    tmp.cleanup()
    return 0 if worst < 300 else 1


if __name__ == "__main__":
    sys.exit(main())
