"""Aggregates in SQL over a store with known numbers (SQLite and PostgreSQL): by year, body, rule
and the roster's parent; `nianbao stats --by … --format json|csv|table`."""
import csv
import io
import json
import random
import subprocess
import sys

import nianbao
from nianbao import spec
from nianbao.parsing.meta import norm_agency
from nianbao.store.aggregates import aggregate
from nianbao.store.roster import Entry, import_roster
from nianbao.testing import synth

BODIES = ["甲镇人民政府", "乙镇人民政府", "丙街道办事处"]


def _store(db_url, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    n = 0
    for year in (2021, 2022):
        for i, agency in enumerate(BODIES):
            rng = random.Random(year * 10 + i)
            values = synth.random_values(rng, "2021")
            if agency == "乙镇人民政府" and year == 2022:
                values["applications.total.natural_person"] = (values["applications.total.natural_person"] or 0) + 5
            text = synth.render_text(values, agency=agency, year=year, template="2021", rng=rng, shape="rows")
            (folder / f"{n}.txt").write_text(text, encoding="utf-8")
            n += 1
    corpus = nianbao.Corpus(db_url)
    corpus.ingest([folder], workers=1)
    import_roster(corpus.db, [Entry(b, "乡镇", "某某县") for b in BODIES] + [Entry("丁乡人民政府", "乡镇", "某某县"),
                                                                          Entry("某某县交通运输局", "部门", "")])
    return corpus


def test_aggregates_have_the_known_numbers(db_url, tmp_path):
    corpus = _store(db_url, tmp_path)
    years = {r["year"]: r for r in aggregate(corpus.db, "year")}
    assert years[2021]["reports"] == 3 and years[2022]["reports"] == 3
    assert years[2022]["with_errors"] >= 1  # 乙镇's broken 总计
    agencies = {r["agency"]: r for r in aggregate(corpus.db, "agency")}
    assert set(agencies) == set(BODIES)
    assert agencies["甲镇人民政府"]["reports"] == 2 and agencies["甲镇人民政府"]["first_year"] == 2021
    rules = {r["code"]: r for r in aggregate(corpus.db, "rule")}
    assert rules["A102"]["reports"] >= 1 and rules["A102"]["findings"] >= 1
    parents = {r["parent"]: r for r in aggregate(corpus.db, "parent", 2022)}
    assert parents["某某县"]["bodies"] == 4 and parents["某某县"]["filed"] == 3
    assert parents["（未填上级）"]["filed"] == 0
    corpus.close()


def test_stats_by_in_three_formats(tmp_path):
    db = tmp_path / "a.db"
    _store(f"sqlite:///{db}", tmp_path).close()
    run = lambda *a: subprocess.run([sys.executable, "-m", "nianbao", *a], capture_output=True, text=True)  # noqa: E731
    rows = json.loads(run("stats", "--db", str(db), "--by", "year", "--format", "json").stdout)
    assert rows[0].keys() >= {"year", "template", "reports", "with_errors", "with_warnings", "clean"}
    table = list(csv.DictReader(io.StringIO(run("stats", "--db", str(db), "--by", "rule", "--format", "csv").stdout)))
    assert any(r["code"] == "A102" for r in table)
    p = run("stats", "--db", str(db), "--by", "parent", "--year", "2022")
    assert p.returncode == 0 and "上级机关" in p.stdout and "某某县" in p.stdout


def test_dashboard_aggregates_have_the_known_numbers(db_url, tmp_path):
    from nianbao.store.aggregates import awaiting_review, by_status, missing_by_year
    corpus = _store(db_url, tmp_path)
    assert by_status(corpus.db) == {"with_errors": 3, "with_warnings": 0, "clean": 3, "unreadable": 0, "total": 6}
    waiting = awaiting_review(corpus.db)
    assert (waiting["reports"], waiting["findings"]) == (3, 10)
    assert waiting["rows"][0]["agency"] == "乙镇人民政府" and waiting["rows"][0]["undecided_errors"] == 5
    missing = {y["year"]: y for y in missing_by_year(corpus.db)}
    assert set(missing) == {2021, 2022}
    assert [m["name"] for m in missing[2022]["missing"]] == ["丁乡人民政府", "某某县交通运输局"]
    assert missing[2022]["expected"] == 5 and missing[2022]["filed"] == 3
    corpus.close()


# ---------------------------------------------------------------- plots, compare, 雷同: a second store

SHARED = "本单位按照县政府办公室统一下发的年度报告模板逐项填写本年度政务公开工作的各项内容并按时报送"
THREE = "甲镇人民政府"


def _values(year, i, agency):
    """The values ``_store`` wrote for ``agency`` (its ``i``) and ``year`` (the same seeds)."""
    values = synth.random_values(random.Random(year * 10 + i), "2021")
    if agency == "乙镇人民政府" and year == 2022:
        values["applications.total.natural_person"] = (values["applications.total.natural_person"] or 0) + 5
    return values


def _three_years(db_url, tmp_path):
    """甲镇 over 2020–2022 (values chained, its 2021 结转下年度 raised on both sides of A1 so that 2022's
    上年结转 no longer follows it: an A5 / Y101 finding in 2022 only) and two more bodies in 2022 whose
    part 6 shares one sentence (雷同 across bodies). Returns (corpus, {(agency, year): values})."""
    folder = tmp_path / "three"
    folder.mkdir()
    known, prev = {}, None
    rng = random.Random(7)
    for year in (2020, 2021, 2022):
        values = synth.random_values(rng, "2021", previous=prev)
        known[(THREE, year)], prev = values, dict(values)  # 2022 follows 2021 as it was before the change
        if year == 2021:
            for c in ("natural_person", "total"):
                values[f"applications.carried_forward.{c}"] += 2
                values[f"applications.new_requests.{c}"] += 2
    for agency in ("乙镇人民政府", "丙街道办事处"):
        known[(agency, 2022)] = synth.random_values(rng, "2021")
    for n, ((agency, year), values) in enumerate(known.items()):
        text = synth.render_text(values, agency=agency, year=year, template="2021", rng=random.Random(n), shape="rows")
        if agency != THREE:
            text = text.replace("六、其他需要报告的事项\n", f"六、其他需要报告的事项\n{agency}{SHARED}。\n", 1)
        (folder / f"{n}.txt").write_text(text, encoding="utf-8")
    corpus = nianbao.Corpus(db_url)
    corpus.ingest([folder], workers=1)
    return corpus, known


def test_plot_sums_have_the_known_numbers(db_url, tmp_path):
    from nianbao.store.aggregates import cell_sums, report_set, reports_by_year
    from nianbao.web.plots import OUTCOMES, plots_data
    corpus = _store(db_url, tmp_path)
    db = corpus.db
    where, params = report_set(db)
    assert reports_by_year(db, where, params) == {2021: {"2021": 3}, 2022: {"2021": 3}}
    keys = ["applications.new_requests.total", "applications.granted.total", "active.fees.amount_yuan"]
    sums = cell_sums(db, keys, where, params)
    for year in (2021, 2022):
        for k in keys:
            expect = sum(_values(year, i, a)[k] or 0 for i, a in enumerate(BODIES))
            assert sums[(year, k)] == (expect, 3), (year, k)
    data = plots_data(db)
    outcomes = next(p for p in data["plots"] if p["id"] == "outcomes")
    assert outcomes["years"] == [2021, 2022]
    for s, (name, keys) in zip(outcomes["series"], OUTCOMES):
        assert s["name"] == name
        assert s["values"] == [sum(_values(y, i, a).get(k) or 0 for i, a in enumerate(BODIES) for k in keys)
                               for y in (2021, 2022)], name
    fees = next(p for p in data["plots"] if p["id"] == "fees-amount")
    assert fees["unit"] == "万元" and fees["series"][0]["values"] == [
        round(sum(_values(y, i, a)["active.fees.amount_yuan"] for i, a in enumerate(BODIES)) / 10000, 2)
        for y in (2021, 2022)]
    assert next(p for p in data["plots"] if p["id"] == "fees-items")["years"] == []  # no 2019-template report
    # one body, and the roster parent's set (the three towns are under 某某县; 丁乡 filed nothing)
    one = plots_data(db, body="乙镇")["plots"][0]
    assert one["series"][0]["values"] == [_values(y, 1, "乙镇人民政府")["applications.new_requests.total"]
                                          for y in (2021, 2022)]
    assert plots_data(db, parent="某某县")["reports"] == 6 and plots_data(db, parent="无此上级")["reports"] == 0
    assert plots_data(db, year=2022, agency="镇")["reports"] == 2
    corpus.close()


def test_compare_marks_unusual_shares_by_median_and_mad(db_url, tmp_path):
    from nianbao.web.compare import compare_data, robust_band
    assert robust_band([0.5, 0.52, 0.48, 0.5, 0.51]) == (0.5, 0.5 - 3 * 1.4826 * 0.01, 0.5 + 3 * 1.4826 * 0.01)
    assert robust_band([0.5] * 4) is None  # fewer than five: no judgement
    corpus = _store(db_url, tmp_path)
    data = compare_data(corpus.db, {"parent": "某某县", "year": 2022}, ["new_requests", "handled",
                                                                      "applications.granted.natural_person"])
    assert [r["agency"] for r in data["rows"]] == ["丙街道办事处", "乙镇人民政府", "甲镇人民政府"]  # by normalised name
    row = next(r for r in data["rows"] if r["agency"] == "甲镇人民政府")
    v = _values(2022, 0, "甲镇人民政府")
    assert row["cells"]["new_requests"] == v["applications.new_requests.total"]
    assert row["cells"]["applications.granted.natural_person"] == v["applications.granted.natural_person"]
    handled = v["applications.total.total"]
    assert row["cells"]["share_granted"] == (round(v["applications.granted.total"] / handled, 4) if handled else None)
    assert data["bands"][2022]["share_granted"] is None and data["unusual"] == 0  # three reports: too few to judge
    assert "MAD" in data["method"] and "1.4826" in data["method"]
    by_new = compare_data(corpus.db, {"year": 2022}, ["new_requests"], sort="new_requests", desc=True)["rows"]
    news = [r["cells"]["new_requests"] for r in by_new]
    assert news == sorted(news, reverse=True)
    corpus.close()


def test_compare_marks_an_outlier(db_url, tmp_path):
    """Eight bodies with ~half their requests granted and one granting all: the one is marked high;
    a body with fewer handled requests than the minimum is never judged."""
    from nianbao.web.compare import compare_data
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(9):
        rng = random.Random(100 + i)
        values = synth.random_values(rng, "2021", scale=4.0)
        outcome = [k for k in values if k.startswith("applications.") and k.endswith(".natural_person")
                   and k.split(".")[1] not in ("new_requests", "carried_over", "total", "carried_forward")]
        for k in outcome:
            values[k] = 0
        handled = 40 + i
        granted = handled if i == 8 else handled // 2
        values["applications.granted.natural_person"] = granted
        values["applications.unavailable_not_held.natural_person"] = handled - granted
        for c in [c for c in spec.APPLICANT_COLUMNS if c not in ("natural_person", "total")]:
            for k in [k for k in values if k.startswith("applications.") and k.endswith("." + c)]:
                values[k] = 0
        values.update({"applications.new_requests.natural_person": handled, "applications.carried_over.natural_person": 0,
                       "applications.total.natural_person": handled, "applications.carried_forward.natural_person": 0})
        for row in {k.split(".")[1] for k in values if k.startswith("applications.")}:
            values[f"applications.{row}.total"] = values.get(f"applications.{row}.natural_person") or 0
        agency = f"{'一二三四五六七八九'[i]}号镇人民政府"
        text = synth.render_text(values, agency=agency, year=2022, template="2021", rng=rng, shape="rows")
        (folder / f"{i}.txt").write_text(text, encoding="utf-8")
    corpus = nianbao.Corpus(db_url)
    corpus.ingest([folder], workers=1)
    data = compare_data(corpus.db, {"year": 2022}, ["handled", "o0"])
    marked = {r["agency"]: r["marks"] for r in data["rows"] if r["marks"]}
    assert marked == {"九号镇人民政府": {"share_granted": "high", "share_unavailable": "low"}}
    band = data["bands"][2022]["share_granted"]
    assert band["n"] == 9 and band["low"] < 0.5 < band["high"] < 1
    corpus.close()


def test_shared_passages_and_a_body_over_three_years(db_url, tmp_path):
    from nianbao.rules.crossyear import similarity
    from nianbao.web.similar import body_similarity, shared_passages
    corpus, known = _three_years(db_url, tmp_path)
    data = shared_passages(corpus.db, {"year": 2022})
    assert data["year"] == 2022 and data["reports"] == 3
    pair = next(p for p in data["pairs"] if {p["a"]["agency"], p["b"]["agency"]} == {"乙镇人民政府", "丙街道办事处"})
    planted = [s for s in pair["passages"] if SHARED in s["a"]]
    assert len(planted) == 1 and SHARED in planted[0]["b"] and planted[0]["part"] == 6
    assert planted[0]["a"].startswith("乙镇") != planted[0]["b"].startswith("乙镇")  # each body's own sentence
    assert shared_passages(corpus.db, {"year": 2021})["pairs"] == []  # one body that year
    sims = body_similarity(corpus.db, THREE, [2020, 2021, 2022])
    assert [s["year"] for s in sims] == [2021, 2022]
    parts = {p["part"]: p for p in sims[1]["parts"]}
    texts = {(rid, n): t for rid, n, t in corpus.db.query("SELECT report_id, number, text FROM parts")}
    ids = dict(corpus.db.query("SELECT year, id FROM reports WHERE agency_norm = ?", (norm_agency(THREE),)))
    for n, p in parts.items():
        before, now = texts[(ids[2021], n)], texts[(ids[2022], n)]
        assert "".join(s["text"] for s in p["before"]) == before and "".join(s["text"] for s in p["now"]) == now
        assert p["similarity"] == round(similarity(before, now), 3)
        for s in p["now"]:
            if s["copied"]:
                assert s["text"] in before and len(s["text"]) >= 12
    corpus.close()


def test_the_current_predicate_agrees_with_the_view(db_url, tmp_path):
    """Two versions of one body's year: the latest is current, then the resolved older one; the
    overview's figures follow (its cache is keyed by the store's fingerprint), as does a roster edit."""
    from nianbao.store.aggregates import CURRENT, fingerprint
    from nianbao.store.review import Review
    from nianbao.web.dashboard import overview_data
    corpus = _store(db_url, tmp_path)
    folder = tmp_path / "v2"
    folder.mkdir()
    values = _values(2022, 0, "甲镇人民政府")
    values["applications.total.natural_person"] = (values["applications.total.natural_person"] or 0) + 9
    (folder / "v2.txt").write_text(synth.render_text(values, agency="甲镇人民政府", year=2022, template="2021",
                                                     rng=random.Random(5), shape="rows"), encoding="utf-8")
    review = Review(corpus)
    before = overview_data(review)
    corpus.ingest([folder], workers=1)

    def both():
        view = {i for (i,) in corpus.db.query("SELECT id FROM current_reports")}
        pred = {i for (i,) in corpus.db.query("SELECT r.id FROM reports r WHERE " + CURRENT)}
        return view, pred
    view, pred = both()
    assert view == pred and len(view) == 6 and corpus.db.one("SELECT COUNT(*) FROM reports")[0] == 7
    after = overview_data(review)
    assert after["charts"]["by-year"]["rows"] == before["charts"]["by-year"]["rows"]  # still 3 a year
    older = corpus.db.one("SELECT MIN(r.document_id) FROM reports r WHERE r.agency_norm = ? AND r.year = 2022",
                          (norm_agency("甲镇人民政府"),))[0]
    fp = fingerprint(corpus.db)
    corpus.resolve(older)
    assert fingerprint(corpus.db) != fp
    view, pred = both()
    assert view == pred and corpus.db.one("SELECT document_id FROM reports WHERE id IN (%s) AND agency_norm = ? AND "
                                          "year = 2022" % ",".join(map(str, view)), (norm_agency("甲镇人民政府"),))[0] == older
    import_roster(corpus.db, [Entry("丁乡人民政府", "乡镇", "另一县")])  # an edit in place
    assert overview_data(review)["missing"][-1]["missing"][0]["parent"] == "另一县"
    corpus.close()


def test_missing_bodies_read_from_the_current_reports_agree_with_the_full_filing(db_url):
    """The overview's 未报送 lists (``filings(bodies_only=True)``: each body matched once, from the
    current reports' index) equal the full comparison's, for exact names, aliases, names one within
    the other (unsure), bodies the roster does not know, and a body that filed one year only."""
    from nianbao.store import Corpus
    from nianbao.store.roster import filings
    from test_store_current import result
    bodies = {2021: ["甲镇人民政府", "乙县交通运输局", "丙街道办事处", "某某县卫生健康委员会", "戊镇人民政府", "己镇"],
              2022: ["甲镇人民政府", "丙街道办", "某某县卫生健康委员会", "庚乡人民政府"]}
    with Corpus(db_url) as c:
        c.store_results([result(a, y, "1") for y, names in bodies.items() for a in names])
        c.store_results([result("甲镇人民政府", 2022, "2")])  # a second version: one body still
        import_roster(c.db, [Entry("甲镇人民政府", "乡镇", "某某县"), Entry("乙县交通运输局", "部门", "乙县"),
                             Entry("丁乡人民政府", "乡镇", "某某县"), Entry("丙街道", "街道", "某某区", ["丙街道办"]),
                             Entry("某某县卫生健康委", "部门", "某某县"), Entry("己镇人民政府", "乡镇", "某某县"),
                             Entry("庚乡人民政府办公室", "乡镇", "某某县")])
        full, fast = filings(c.db), filings(c.db, bodies_only=True)
        assert sorted(full) == sorted(fast) == [2021, 2022]
        for y in full:
            assert [e.name for e in fast[y].missing] == [e.name for e in full[y].missing]
            assert fast[y].matched == full[y].matched
            assert len(fast[y].unsure) == len(full[y].unsure)
        assert [e.name for e in fast[2022].missing] == ["乙县交通运输局", "丁乡人民政府", "己镇人民政府"]
        assert fast[2021].unsure and fast[2022].matched == 3
        assert filings(c.db, [2022, 2023], bodies_only=True)[2023].missing[0].name == "甲镇人民政府"


def test_awaiting_review_from_the_decisions_equals_the_check_of_every_finding(db_url, tmp_path):
    """The waiting list finds the findings decisions cover from the decisions; it equals asking, for
    every error finding of every current report, whether a decision covers it — with decisions
    made on the current bytes, on an older version of the same body and year (carried over when
    the finding is the same) and on findings of other reports."""
    from nianbao.store.aggregates import CURRENT, awaiting_review
    from nianbao.store.review import Review, _decision_for
    corpus = _store(db_url, tmp_path)
    folder = tmp_path / "v2"
    folder.mkdir()
    for i, agency in enumerate(["乙镇人民政府", "甲镇人民政府"]):  # newer versions: the same findings, or others
        values = _values(2022, BODIES.index(agency), agency)
        values["applications.total.natural_person"] = (values["applications.total.natural_person"] or 0) + 7 * i
        (folder / f"v2-{i}.txt").write_text(synth.render_text(values, agency=agency, year=2022, template="2021",
                                                              rng=random.Random(9 + i), shape="rows"), encoding="utf-8")
    corpus.ingest([folder], workers=1)
    review = Review(corpus)
    errors = corpus.db.query("SELECT f.id FROM findings f WHERE f.severity = 'error' ORDER BY f.id")
    assert corpus.db.one("SELECT COUNT(*) FROM reports WHERE is_current = 0")[0] == 2 and len(errors) > 10
    for (fid,) in errors[::3]:  # a third of every report's, current or not
        review.decide(fid, "confirmed", "", "测试")

    def reference():
        base = ("FROM findings f JOIN (SELECT rr.id, rr.agency_norm, rr.year, rr.is_current, d.sha256, d.name "
                "FROM reports rr JOIN documents d ON d.id = rr.document_id) r ON r.id = f.report_id "
                "WHERE f.severity = 'error' AND " + CURRENT + " AND NOT EXISTS (" + _decision_for() + ")")
        return dict(corpus.db.query("SELECT r.id, COUNT(*) " + base + " GROUP BY r.id"))
    want = reference()
    got = awaiting_review(corpus.db)
    assert {r["report_id"]: r["undecided_errors"] for r in got["rows"]} == want
    assert (got["reports"], got["findings"]) == (len(want), sum(want.values()))
    counts = [r["undecided_errors"] for r in got["rows"]]
    assert counts == sorted(counts, reverse=True) and 0 < sum(want.values()) < len(errors)
    older = corpus.db.query("SELECT f.id FROM findings f JOIN reports r ON r.id = f.report_id "
                            "WHERE r.is_current = 0 AND f.severity = 'error'")
    assert older  # decisions on the older versions take part
    corpus.close()
