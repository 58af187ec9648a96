"""Round trip: synthetic reports (nianbao.testing.synth) rendered as text and HTML, parsed back.

These are parser tests: for every generated document the parser must return exactly the values
that were rendered (all certain), the right body/year/template, all six parts, no warning or
error diagnostics, and the audit must report exactly the planted defects.
"""
import json
import random
from functools import lru_cache

import pytest

import nianbao
from nianbao import spec
from nianbao.testing import synth
from nianbao.parsing.sections import PART_TITLES
from nianbao.store import Corpus

PER_FORMAT_AND_TEMPLATE = 60
YEARS = {"2019": (2019, 2020), "2021": (2021, 2022, 2023, 2024)}
TEXT_ENCODINGS = ("utf-8", "utf-8", "gbk", "utf-8-sig")


class Doc:
    def __init__(self, fmt, template, i):
        self.fmt, self.template, self.i = fmt, template, i
        rng = random.Random(1_000_000 * (fmt == "html") + 1000 * int(template) + i)
        self.agency, scale = synth.random_body(rng)
        self.year = rng.choice(YEARS[template])
        values = synth.random_values(rng, template, scale=scale)
        self.planted = []
        if i % 4 == 3:  # a quarter with defects, cycling through the kinds
            kind = synth.DEFECT_KINDS[(i // 4) % len(synth.DEFECT_KINDS)]
            values, self.planted = synth.plant_defects(rng, values, template, kinds=[kind])
            assert kind in self.planted
        self.values = values
        if fmt == "text":
            self.shape, self.encoding = synth.TEXT_SHAPES[i % 2], TEXT_ENCODINGS[i % 4]
        else:
            self.shape, self.encoding = None, synth.HTML_CHARSETS[i % 3]
        self.data, self.ext, _ = synth.render_document(values, agency=self.agency, year=self.year,
                                                       template=template, rng=rng, fmt=fmt, shape=self.shape,
                                                       encoding=self.encoding)

    @property
    def id(self):
        extra = self.shape or self.encoding
        return f"{self.fmt}-{self.template}-{self.i:02d}-{extra}" + (f"-{'+'.join(self.planted)}" if self.planted else "")


@lru_cache(maxsize=None)
def doc(fmt, template, i) -> Doc:
    return Doc(fmt, template, i)


@lru_cache(maxsize=None)
def parsed(fmt, template, i):
    d = doc(fmt, template, i)
    return nianbao.parse(d.data, filename=f"synth-{d.i}{d.ext}")


def _cases() -> list:
    return [pytest.param(fmt, template, i, id=doc(fmt, template, i).id)
            for fmt in ("text", "html") for template in ("2019", "2021") for i in range(PER_FORMAT_AND_TEMPLATE)]


CASES = _cases()


# ---------------------------------------------------------------------------- round trip

@pytest.mark.parametrize("fmt,template,i", CASES)
def test_every_cell_round_trips(fmt, template, i):
    d, r = doc(fmt, template, i), parsed(fmt, template, i)
    assert sorted(r.cells) == sorted(spec.all_keys(template))
    wrong = {k: (v, r.value(k)) for k, v in d.values.items() if r.value(k) != v or type(r.value(k)) is not type(v)}
    assert wrong == {}, "(rendered, parsed)"
    assert [k for k, c in r.cells.items() if not c.certain] == []


@pytest.mark.parametrize("fmt,template,i", CASES)
def test_metadata_and_parts(fmt, template, i):
    d, r = doc(fmt, template, i), parsed(fmt, template, i)
    assert (r.agency, r.year, r.template, r.format) == (d.agency, d.year, template, fmt)
    assert [p.number for p in r.parts] == [1, 2, 3, 4, 5, 6]
    for p in r.parts:
        assert PART_TITLES[p.number] in p.title
    for n in (1, 5, 6):
        assert r.part(n).text.strip()
    assert r.tables == ["active", "applications", "review_litigation"]


@pytest.mark.parametrize("fmt,template,i", CASES)
def test_no_warning_or_error_diagnostics(fmt, template, i):
    r = parsed(fmt, template, i)
    assert [(x.code, x.message) for x in r.diagnostics if x.severity in ("warning", "error")] == []


@pytest.mark.parametrize("fmt,template,i", CASES)
def test_planted_defects_fire_and_clean_documents_pass_arithmetic(fmt, template, i):
    d, r = doc(fmt, template, i), parsed(fmt, template, i)
    for code in d.planted:
        assert nianbao.check(r, select=[code]), f"{code} planted but not reported"
    if not any(c.startswith("A") for c in d.planted):
        assert [f.message for f in nianbao.check(r, select=["A1"])] == []


@pytest.mark.parametrize("fmt,template,i", CASES)
def test_findings_are_exactly_the_planted_defects(fmt, template, i):
    """No rule (structure, cells, arithmetic, text vs tables, parser) reports anything else: the
    narrative states the table's figures, every part has content, units are stated."""
    d, r = doc(fmt, template, i), parsed(fmt, template, i)
    assert sorted({f.code for f in nianbao.check(r)}) == d.planted


def test_cases_cover_every_shape_encoding_and_defect():
    docs = [doc(f, t, i) for f in ("text", "html") for t in ("2019", "2021") for i in range(PER_FORMAT_AND_TEMPLATE)]
    assert len(docs) == 240
    assert {d.shape for d in docs if d.fmt == "text"} == set(synth.TEXT_SHAPES)
    assert {d.encoding for d in docs if d.fmt == "html"} == set(synth.HTML_CHARSETS)
    assert {c for d in docs for c in d.planted} == set(synth.DEFECT_KINDS)
    assert any(d.values.get("active.fees.amount_yuan") for d in docs if d.template == "2021")
    assert any(isinstance(d.values.get("active.fees.amount_yuan"), float) for d in docs)
    assert any((d.values.get("active.licensing.change") or 0) < 0 for d in docs if d.template == "2019")
    assert max(d.values["applications.new_requests.total"] for d in docs) >= 100  # occasionally large


# ---------------------------------------------------------------------------- known parser bug

def _blank_row_doc(blank_row: str, template: str, fill: dict, shape: str):
    values = {k: 0 for k in spec.all_keys(template)}
    for k in values:
        if k.startswith(f"{blank_row}."):
            values[k] = None
    values.update(fill)
    assert synth.arithmetic_findings(values, template) == set()
    year = 2022 if template == "2021" else 2020
    rng = random.Random(1)
    if shape == "html":
        data = synth.encode_html(synth.render_html(values, agency="安平县教育局", year=year, template=template, rng=rng))
        return values, nianbao.parse(data, filename="x.html")
    text = synth.render_text(values, agency="安平县教育局", year=year, template=template, rng=rng, shape=shape)
    return values, nianbao.parse(text.encode(), filename="x.txt")


_TWO = {f"applications.{r}.{c}": 2 for r in ("carried_over", "granted", "total") for c in ("natural_person", "total")}


@pytest.mark.parametrize("shape", ["cells", "rows", "html"])
@pytest.mark.parametrize("blank_row,template,fill", [
    ("active.coercion", "2021", {}),  # 行政强制 | 无  → P202/S103, cell missing
    ("active.fees", "2021", {}),  # last row of table 二 → P203, cell uncertain
    ("active.fees", "2019", {}),  # 行政事业性收费 | / | /
    ("applications.new_requests", "2021", _TWO),  # silent: 新收 read as 上年结转's 2 … 2, 上年结转 missing
], ids=["2021-coercion", "2021-fees", "2019-fees", "2021-new_requests"])
def test_all_blank_row_is_read_as_blank(blank_row, template, fill, shape):
    values, r = _blank_row_doc(blank_row, template, fill, shape)
    assert r.values() == values
    assert sorted({f.code for f in nianbao.check(r)}) == ["C101"]


# ---------------------------------------------------------------------------- generator

@pytest.mark.parametrize("template", spec.TEMPLATES)
def test_random_values_satisfy_the_template(template):
    keys = spec.all_keys(template)
    for s in range(300):
        v = synth.random_values(random.Random(s), template)
        assert list(v) == keys
        assert synth.arithmetic_findings(v, template) == set()
        for k, x in v.items():
            col = spec.column_of(k, template)
            assert isinstance(x, (int, float)) and x is not None
            assert col.money or isinstance(x, int)
            assert col.signed or x >= 0, k
            if col.money:  # yuan with at most 2 decimals (万元 with at most 6)
                assert round(x, 2) == x


def test_previous_year_chains_carried_over_and_in_force():
    rng = random.Random(4)
    last = synth.random_values(rng, "2021", scale=5)
    this = synth.random_values(rng, "2021", previous=last, scale=5)
    for c in spec.APPLICANT_COLUMNS:
        assert this[f"applications.carried_over.{c}"] == last[f"applications.carried_forward.{c}"]
    for r in ("regulations", "normative_documents"):
        assert this[f"active.{r}.in_force"] == (last[f"active.{r}.in_force"] + this[f"active.{r}.issued"]
                                               - this[f"active.{r}.repealed"])


@pytest.mark.parametrize("template", spec.TEMPLATES)
@pytest.mark.parametrize("kind", synth.DEFECT_KINDS)
def test_plant_defects_plants_exactly_the_kind(kind, template):
    for s in range(40):
        rng = random.Random(s)
        clean = synth.random_values(rng, template)
        v, planted = synth.plant_defects(rng, clean, template, kinds=[kind])
        assert planted == [kind]
        assert v != clean and clean == synth.random_values(random.Random(s), template)  # input not mutated
        if kind == "C101":
            assert [k for k in v if v[k] is None and clean[k] == 0] and all(v[k] == clean[k] for k in v if v[k] is not None)


def test_plant_defects_default_draws_kinds():
    seen = set()
    for s in range(200):
        rng = random.Random(s)
        _, planted = synth.plant_defects(rng, synth.random_values(rng, "2021"), "2021")
        assert planted
        seen.update(planted)
    assert seen == set(synth.DEFECT_KINDS)


def test_rendering_is_deterministic_for_a_seed():
    v = synth.random_values(random.Random(9), "2021")
    kw = dict(values=v, agency="宁州市教育局", year=2022, template="2021")
    for shape in synth.TEXT_SHAPES:
        a = synth.render_text(**kw, rng=random.Random(5), shape=shape)
        assert a == synth.render_text(**kw, rng=random.Random(5), shape=shape)
        assert a != synth.render_text(**kw, rng=random.Random(6), shape=shape)
    a = synth.render_html(**kw, rng=random.Random(5), charset="gbk")
    assert a == synth.render_html(**kw, rng=random.Random(5), charset="gbk")
    assert synth.encode_html(a, "gbk") == synth.encode_html(a, "gbk")
    assert synth.random_values(random.Random(3), "2019") == synth.random_values(random.Random(3), "2019")


def test_gbk_page_declares_its_charset():
    v = synth.random_values(random.Random(2), "2019")
    page = synth.render_html(v, agency="青阳县民政局", year=2020, template="2019", rng=random.Random(2), charset="gbk")
    data = synth.encode_html(page, "gbk")
    assert b"charset=gbk" in data[:600] or b'charset="gbk"' in data[:600]
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    assert data.decode("gbk") == page


# ---------------------------------------------------------------------------- corpus

def test_write_corpus_is_deterministic(tmp_path):
    a = synth.write_corpus(tmp_path / "a", 30, seed=5)
    b = synth.write_corpus(tmp_path / "b", 30, seed=5)
    assert [dict(e, file=None) for e in a] == [dict(e, file=None) for e in b]
    for x, y in zip(a, b):
        assert (tmp_path / "a" / x["name"]).read_bytes() == (tmp_path / "b" / y["name"]).read_bytes()
    c = synth.write_corpus(tmp_path / "c", 30, seed=6)
    assert [e["values"] for e in a] != [e["values"] for e in c]


def test_write_corpus_manifest_and_cross_year_pairs(tmp_path):
    m = synth.write_corpus(tmp_path, 120, seed=2, defect_rate=0.25)
    assert len(m) == 120
    assert json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8")) == m
    assert {e["format"] for e in m} == {"text", "html"}
    assert 10 <= sum(bool(e["planted"]) for e in m) <= 50
    by = {(e["agency"], e["year"]): e for e in m}
    assert len(by) == len(m)  # one report per body and year
    pairs = [(e, by[(e["agency"], e["year"] - 1)]) for e in m if (e["agency"], e["year"] - 1) in by]
    assert len(pairs) >= 40
    assert len({e["agency"] for e in m}) >= 25
    reports = {}
    for e in m:
        assert 2019 <= e["year"] <= 2024 and e["template"] == synth.template_for_year(e["year"])
        assert set(e["values"]) == set(spec.all_keys(e["template"]))
        assert synth.arithmetic_findings(e["values"], e["template"]) == {c for c in e["planted"] if c[0] == "A"}
        r = reports[(e["agency"], e["year"])] = nianbao.parse(e["file"])
        assert (r.agency, r.year, r.template) == (e["agency"], e["year"], e["template"])
        assert r.values() == e["values"], e["name"]
        assert sorted({f.code for f in nianbao.check(r)}) == e["planted"], e["name"]
    # 上年结转 = last year's 结转下年度 and 现行有效 continuity hold for every pair
    for e, prev in pairs:
        found = nianbao.check(reports[(e["agency"], e["year"])], reports[(prev["agency"], prev["year"])],
                              select=["Y101", "Y102"])
        assert [f.message for f in found] == [], e["name"]


def test_synthetic_corpus_ingests_faithfully(tmp_path):
    m = synth.write_corpus(tmp_path / "docs", 24, seed=11, defect_rate=0.2)
    with Corpus(f"sqlite:///{tmp_path / 'c.db'}") as c:
        s = c.ingest([tmp_path / "docs"], workers=1)
        assert (s.parsed, s.failed, s.skipped) == (24, 0, 0)
        assert s.cross_year_pairs >= 5
        stored = {}
        for row in c.long_rows():
            stored.setdefault(row["file"], {})[f"{row['table']}.{row['row']}.{row['column']}"] = row["value"]
        for e in m:
            assert stored[e["file"]] == e["values"], e["name"]
