"""The dashboards on a large store: the overview and a body over the years with 100,000 synthetic
reports in PostgreSQL and 10,000 in SQLite (issue 13: each under 500 ms), plus the plots, the compare
table and the 雷同 list of a filtered set for information.

usage: python bench/bench_dashboard.py [--n 10000] [--db sqlite:///path.db | postgresql://…] [--runs 7]
       python bench/bench_dashboard.py --n 100000 --db postgresql://nianbao:nianbao@localhost/nianbao_dash_bench

The store is filled by a generator of its own (no parsing, so filling is quick): ~45,000 bodies
(townships and departments of 912 counties), each filing 1–4 consecutive years, values satisfying
the template's arithmetic (``nianbao.testing.synth.values``, ~10 % with planted defects), each
report checked by the rules and written through the store's batched writer
(``Corpus.store_results``, 500 reports a transaction), with a roster of one city's bodies (their
parent county) so the overview's 未报送 list and the compare page have something to show. The
pages are requested in-process (FastAPI's TestClient: routing, SQL, templates, no network) ``--runs``
times each; the median and worst wall times are printed (the page's answer time, as the target is
stated). The overview's figures are computed on its first request and kept until the store changes
(``nianbao.web.dashboard.overview_data``): the first request, and ``--runs`` requests each with the
cache dropped before it (as the first after a change), are printed apart and held to the target
too. Not a timed test.
"""
from __future__ import annotations

import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from bench_web import arguments, filled_store, print_pages, synth_result, timed, web_client  # noqa: E402
from nianbao.store import Corpus  # noqa: E402
from nianbao.store.roster import Entry, import_roster  # noqa: E402
from nianbao.testing.synth.corpus import _DEPTS, _PLACES, _TOWNS  # noqa: E402
from nianbao.testing.synth.values import plant_defects, random_values, template_for_year  # noqa: E402
from nianbao.web import dashboard  # noqa: E402

TARGET_MS = 500


def bodies():
    """Every synthetic body once: (agency, county, scale), townships and departments county by county."""
    for place in _PLACES:
        for town in _TOWNS:
            county = place + town + "县"
            for t in _TOWNS:
                yield county + t + "镇人民政府", county, 0.3
            for d in _DEPTS:
                yield county + d, county, 1.5


def _texts(agency: str, county: str, year: int, rng: random.Random) -> list:
    """Part texts: a county's bodies share its template sentences (the 雷同 across bodies to find)."""
    shared = (f"{county}统一要求：坚持以公开为常态、不公开为例外，持续深化政府信息公开标准化规范化建设，"
              f"及时回应社会关切，推进决策、执行、管理、服务、结果公开。")
    own = f"{agency}{year}年度认真贯彻落实《中华人民共和国政府信息公开条例》，第{rng.randint(1, 99)}次专题会议部署相关工作。"
    return [own + shared, f"{agency}主动公开政府信息。", "依申请公开情况见下表。", "行政复议、行政诉讼情况见下表。",
            shared if rng.random() < 0.5 else own, "无其他需要报告的事项。"]


def fill(corpus: Corpus, n: int, seed: int, batch: int = 500) -> None:
    rng = random.Random(seed)
    made, todo, t0 = 0, [], time.perf_counter()
    roster = []
    for agency, county, scale in bodies():
        if made >= n:
            break
        if county.startswith(_PLACES[0]):
            roster.append(Entry(agency, "乡镇" if agency.endswith("人民政府") else "部门", county))
        start = rng.randint(2019, 2023)
        prev = None
        for year in range(start, min(2025, start + rng.randint(1, 4))):
            if made >= n:
                break
            tpl = template_for_year(year)
            values = random_values(rng, tpl, previous=prev if prev and template_for_year(year - 1) == tpl else None,
                                   scale=scale)
            prev = values
            if rng.random() < 0.1:
                values, _ = plant_defects(rng, dict(values), tpl)
            todo.append(synth_result(f"synth/{made:06d}-{agency}-{year}.txt", agency, year, tpl, values,
                                     _texts(agency, county, year, rng)))
            made += 1
            if len(todo) >= batch:
                corpus.store_results(todo)
                todo = []
                if made % 10000 == 0:
                    print(f"  {made} reports stored ({time.perf_counter() - t0:.0f} s)", file=sys.stderr)
    if todo:
        corpus.store_results(todo)
    import_roster(corpus.db, roster + [Entry(_PLACES[0] + "某某乡人民政府", "乡镇", roster[0].parent)])


def main() -> int:
    args = arguments(__doc__, 7)

    def fill_if_empty(corpus, have):  # the bodies are made from the first: fill an empty store only
        if have:
            return False
        print(f"filling {corpus.db.url} with {args.n} synthetic reports …", file=sys.stderr)
        fill(corpus, args.n, args.seed)
        return True
    url, tmp, corpus = filled_store(args, fill_if_empty)
    with corpus:
        n = corpus.db.one("SELECT COUNT(*) FROM reports")[0]
        agency = corpus.db.one("SELECT agency FROM reports WHERE agency_norm = (SELECT agency_norm FROM reports "
                               "GROUP BY agency_norm ORDER BY COUNT(*) DESC, agency_norm LIMIT 1) LIMIT 1")[0]
        parent = corpus.db.one("SELECT parent FROM roster ORDER BY id LIMIT 1")[0]
    client = web_client(url)
    t = time.perf_counter()
    client.get("/overview")  # the first overview computes its figures (kept until the store changes)
    first = (time.perf_counter() - t) * 1000
    uncached = timed(client, "/overview", args.runs, before=dashboard._CACHE.clear)  # as after a change
    pages = [
        ("overview", "/overview", True),
        ("overview JSON", "/api/overview", True),
        ("a body over the years (4 years)", f"/bodies/{agency}", True),
        ("a body, JSON", f"/api/bodies/{agency}", True),
        ("plots of a county (roster parent)", f"/plots?parent={parent}", False),
        ("compare a county's bodies, 2023", f"/compare?parent={parent}&year=2023", False),
        ("雷同 across a county's bodies, 2023", f"/similar?parent={parent}&year=2023", False),
    ]
    print(f"\n{n} reports in {url.split('?')[0]}; {args.runs} runs each (median / worst, ms; target < {TARGET_MS})")
    print(f"  {'overview, first request':<40} {first:7.1f}          {'ok' if first < TARGET_MS else 'SLOW'}")
    print(f"  {'overview, figures computed (no cache)':<40} {uncached[0]:7.1f} {uncached[1]:7.1f}  "
          f"{'ok' if uncached[0] < TARGET_MS else 'SLOW'}")
    worst = max(print_pages(client, pages, args.runs, TARGET_MS), uncached[0], first)
    tmp.cleanup()
    return 0 if worst < TARGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())
