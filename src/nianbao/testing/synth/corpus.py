"""Synthetic corpora: varied bodies and years, written to a folder with a manifest (see the package doc)."""
from __future__ import annotations

import json
import random
from pathlib import Path

from .html import HTML_CHARSETS, encode_html, render_html
from .text import TEXT_SHAPES, encode_text, render_text
from .values import plant_defects, random_values, template_for_year

# ================================================================================== corpus

YEARS = tuple(range(2019, 2025))

_PLACES = ("临川", "安平", "青阳", "永和", "平远", "乐安", "泰和", "宁化", "清河", "武宁", "丰城", "南溪", "长宁",
           "东阿", "新源", "高邑", "广德", "金寨", "石门", "桃源", "宜丰", "瑞安", "桐庐", "崇义", "怀远", "河津",
           "松阳", "江华", "古田", "阳新", "新化", "蒙城", "郎溪", "华容", "灵山", "富平", "嘉禾", "宁远")
_COUNTY = ("县", "县", "区", "市")
_CITIES = ("宁州", "江陵", "临安", "云州", "海州", "丰阳", "安庆", "平江")
_DEPTS = ("发展和改革局", "教育局", "公安局", "民政局", "司法局", "财政局", "人力资源和社会保障局", "自然资源局",
          "生态环境局", "住房和城乡建设局", "交通运输局", "水利局", "农业农村局", "商务局", "文化广电和旅游局",
          "卫生健康委员会", "应急管理局", "市场监督管理局", "统计局", "医疗保障局", "城市管理局", "退役军人事务局",
          "审计局", "林业局", "行政审批局", "数据局")
_TOWNS = ("兴隆", "太平", "长安", "新华", "红旗", "白沙", "石桥", "柳林", "东风", "双河", "黄土", "龙泉", "马坊",
          "清水", "高桥", "三合", "大桥", "新塘", "官庄", "李集", "张店", "王家", "杨柳", "古城")


def random_body(rng: random.Random) -> tuple:
    """(agency, scale) of a random body."""
    county = rng.choice(_PLACES) + rng.choice(_COUNTY)
    kind = rng.random()
    if kind < 0.35:
        return county + rng.choice(_DEPTS), 1.5
    if kind < 0.55:
        return rng.choice(_TOWNS) + rng.choice(("镇", "镇", "乡")) + "人民政府", 0.3
    if kind < 0.65:
        return county + rng.choice(_TOWNS) + "街道办事处", 0.4
    if kind < 0.75:
        return county + rng.choice(("人民政府", "人民政府办公室")), 5.0
    if kind < 0.92:
        return rng.choice(_CITIES) + "市" + rng.choice(_DEPTS), 8.0
    return rng.choice(_CITIES) + "市人民政府", 40.0


def render_document(values: dict, *, agency: str, year: int, template: str, rng: random.Random,
                    fmt: str, shape: str | None = None, encoding: str | None = None) -> tuple:
    """One document as ``(bytes, extension, details)`` (details: shape/charset used)."""
    if fmt == "text":
        shape = shape or rng.choice(TEXT_SHAPES)
        encoding = encoding or rng.choices(("utf-8", "utf-8-sig", "gbk"), (80, 10, 10))[0]
        text = render_text(values, agency=agency, year=year, template=template, rng=rng, shape=shape)
        return encode_text(text, encoding), ".txt", {"shape": shape, "encoding": encoding}
    if fmt == "html":
        encoding = encoding or rng.choices(HTML_CHARSETS, (70, 20, 10))[0]
        page = render_html(values, agency=agency, year=year, template=template, rng=rng, charset=encoding)
        return encode_html(page, encoding), ".html", {"encoding": encoding}
    raise ValueError(f"unknown format {fmt!r}")


_PROVINCES = ("江西省", "湖南省", "安徽省", "浙江省", "福建省", "河北省", "山东省", "河南省", "湖北省", "广东省",
              "广西壮族自治区", "四川省", "贵州省", "云南省", "陕西省", "甘肃省", "山西省", "吉林省", "辽宁省", "江苏省")
_MISSES = 500  # names drawn in a row that were all taken: this tier of names is (nearly) used up


def _tier_prefix(tier: int) -> str:
    """What a body's name starts with in tier ``tier`` (0: nothing; then a province; past the
    provinces, a province and a number), so a corpus can have as many distinct bodies as it needs."""
    if tier == 0:
        return ""
    k, p = divmod(tier - 1, len(_PROVINCES))
    return _PROVINCES[p] + (f"第{k + 1}片区" if k else "")


def plan_corpus(n: int, *, seed: int = 0) -> list:
    """(agency, scale, year) of each of ``n`` documents: distinct bodies, each with a run of
    consecutive years within 2019–2024, so every (body, year) is distinct. When the names drawn
    run out (:data:`_MISSES` taken names in a row), later bodies' names start with a province
    (``_tier_prefix``): any ``n`` can be planned (10⁵ and more); a plan that never runs out is
    what it always was."""
    rng = random.Random(seed)
    plan = []
    seen = set()
    tier = misses = 0
    while len(plan) < n:
        agency, scale = random_body(rng)
        agency = _tier_prefix(tier) + agency
        if agency in seen:
            misses += 1
            if misses >= _MISSES:
                tier, misses = tier + 1, 0
            continue
        misses = 0
        seen.add(agency)
        span = rng.choice((2, 2, 3, 3, 4, 5, 6))
        start = rng.randint(YEARS[0], YEARS[-1] - span + 1)
        for year in range(start, start + span):
            plan.append((agency, scale, year))
    return plan[:n]


def corpus_documents(n: int, *, seed: int = 0, formats=("text", "html"), defect_rate: float = 0.1):
    """Yield ``(name, entry, rng)`` of each document of the corpus (not rendered): ``entry`` as in
    the manifest without the rendering's details, ``rng`` the document's generator, in the state
    its rendering starts from (:func:`render_document` with it makes the document's bytes)."""
    clean_by_body: dict = {}
    for i, (agency, scale, year) in enumerate(plan_corpus(n, seed=seed)):
        doc_rng = random.Random(seed * 1_000_003 + i)
        template = template_for_year(year)
        previous = clean_by_body.get((agency, year - 1))
        values = random_values(doc_rng, template, previous=previous, scale=scale * doc_rng.uniform(0.5, 2.0))
        clean_by_body[(agency, year)] = values
        planted: list = []
        if doc_rng.random() < defect_rate:
            values, planted = plant_defects(doc_rng, values, template)
        fmt = doc_rng.choice(tuple(formats))
        name = f"{i:06d}-{year}{'.txt' if fmt == 'text' else '.html'}"
        yield name, {"name": name, "format": fmt, "agency": agency, "year": year, "template": template,
                     "values": values, "planted": planted}, doc_rng


def render_entry(entry: dict, rng: random.Random) -> tuple:
    """``(bytes, details)`` of a document of :func:`corpus_documents`."""
    data, _, details = render_document(entry["values"], agency=entry["agency"], year=entry["year"],
                                       template=entry["template"], rng=rng, fmt=entry["format"])
    return data, details


def write_corpus(out_dir, n: int, *, seed: int = 0, formats=("text", "html"), defect_rate: float = 0.1) -> list:
    """Write ``n`` synthetic reports into ``out_dir`` and return the manifest.

    Bodies are drawn from lists of places and departments (:func:`plan_corpus`: any ``n``, every
    (body, year) distinct); each body reports for a run of
    consecutive years within 2019–2024 (so cross-year rules have pairs), its 上年结转 chained to
    the year before. About ``defect_rate`` of the documents get planted defects. Each manifest
    entry: ``file`` (path), ``name``, ``format``, ``agency``, ``year``, ``template``, ``values``
    (what a correct parse returns), ``planted`` (rule codes that must fire), ``shape``/``encoding``.
    The manifest is also written to ``out_dir/manifest.json``. Deterministic for ``seed``.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    manifest = []
    for name, entry, rng in corpus_documents(n, seed=seed, formats=formats, defect_rate=defect_rate):
        data, details = render_entry(entry, rng)
        path = out / name
        path.write_bytes(data)
        manifest.append({"file": str(path), **entry, **details})
    (out / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    return manifest
