"""Synthetic report values: plausible cell values for a template, and planted defects (see the package doc)."""
from __future__ import annotations

import random
from collections import Counter
from decimal import Decimal

from ... import spec

DEFECT_KINDS = ("A101", "A102", "A103", "A104", "C101")

_APP6 = spec.APPLICANT_COLUMNS[:6]


def template_for_year(year: int) -> str:
    """The template a report of ``year`` uses: ≤ 2020 → ``"2019"``, else ``"2021"``."""
    return "2019" if year <= 2020 else "2021"


def _outcome_rows(template: str) -> list:
    if template == "2019":
        return [k for k in spec.OUTCOME_ROWS if not k.startswith("other_")]
    return [k for k in spec.OUTCOME_ROWS if k != "other"]


# ================================================================================== values

_APP_WEIGHT = {"natural_person": 1.0, "commercial": 0.25, "research": 0.02, "social_welfare": 0.03,
               "legal_service": 0.08, "other_org": 0.1}
_APP_ZERO = {"natural_person": 0.35, "commercial": 0.6, "research": 0.95, "social_welfare": 0.93,
             "legal_service": 0.85, "other_org": 0.8}
_OUTCOME_WEIGHT = {
    "granted": 40, "partially_granted": 6, "withheld_state_secret": 0.3, "withheld_law_prohibited": 0.8,
    "withheld_security_stability": 0.3, "withheld_third_party": 1.5, "withheld_internal_affairs": 1.5,
    "withheld_process_info": 2, "withheld_enforcement_file": 1, "withheld_admin_query": 1.5,
    "unavailable_not_held": 20, "unavailable_needs_creation": 4, "unavailable_unclear": 2,
    "not_processed_complaint": 3, "not_processed_duplicate": 3, "not_processed_publication": 0.5,
    "not_processed_excessive": 0.5, "not_processed_confirmation": 1, "other": 6,
    "other_no_correction": 3, "other_no_fee": 0.2, "other_other": 3,
}
# size of a body: township, county department, county government, city department, city government
_SCALES = ((0.3, 30), (1.5, 35), (5.0, 15), (8.0, 12), (40.0, 8))


def _scale(rng: random.Random) -> float:
    return rng.choices([s for s, _ in _SCALES], [w for _, w in _SCALES])[0]


def _count(rng: random.Random, mean: float, zero: float = 0.5) -> int:
    """Mostly small counts, many zeros, occasionally a large one."""
    if mean <= 0 or rng.random() < zero:
        return 0
    if rng.random() < 0.015:
        mean *= 40
    return 1 + int(rng.expovariate(1.0 / max(mean, 0.2)))


def _money(d: Decimal):
    """Yuan as the parser gives it: ``int`` when whole, else ``float``."""
    return int(d) if d == d.to_integral_value() else float(d)


def _spread(rng: random.Random, n: int, weights: dict) -> Counter:
    keys = list(weights)
    return Counter(rng.choices(keys, [weights[k] for k in keys], k=n)) if n else Counter()


def random_values(rng: random.Random, template: str, *, previous: dict | None = None,
                  scale: float | None = None) -> dict:
    """A value for every key of ``spec.all_keys(template)`` satisfying A1–A4.

    ``previous``: the same body's values of the year before (either template): this year's
    上年结转 is last year's 结转下年度 (A5) and, when both are 2021, 现行有效件数 continues
    (现行有效 = last year's + 制发 − 废止). ``scale``: size of the body (≈ mean applications).
    """
    if template not in spec.TABLES:
        raise ValueError(f"unknown template {template!r}")
    scale = _scale(rng) if scale is None else scale
    prev = previous or {}
    v: dict = {}

    # -- table 二
    if template == "2019":
        for r, mean, zero in (("regulations", 0.3, 0.93), ("normative_documents", scale * 0.6, 0.55)):
            made = _count(rng, mean, zero)
            published = made if rng.random() < 0.8 else rng.randint(0, made)
            v[f"active.{r}.made"] = made
            v[f"active.{r}.published"] = published
            v[f"active.{r}.total_published"] = published + _count(rng, mean * 4 + 1, 0.5 if made else 0.8)
        for r, mean in (("licensing", scale * 6), ("other_services", scale * 3), ("penalty", scale * 10),
                        ("coercion", scale * 2)):
            previous_n = _count(rng, max(mean / 4, 1), 0.45)
            v[f"active.{r}.previous"] = previous_n
            v[f"active.{r}.change"] = 0 if rng.random() < 0.6 else rng.randint(-min(previous_n, 5), 6)
            v[f"active.{r}.decisions"] = _count(rng, mean, 0.4)
        fees = _count(rng, 3, 0.6)
        v["active.fees.previous"] = fees
        v["active.fees.change"] = 0 if rng.random() < 0.75 else rng.randint(-min(fees, 2), 2)
        projects = _count(rng, scale, 0.5)
        v["active.procurement.projects"] = projects
        amount = 0
        for _ in range(projects):
            amount += rng.randint(50, 30000) * 100 if rng.random() < 0.6 else rng.randint(3000, 3000000)
        v["active.procurement.amount_yuan"] = amount
    else:
        for r, mean, zero in (("regulations", 0.3, 0.93), ("normative_documents", scale * 0.6, 0.55)):
            issued = _count(rng, mean, zero)
            before = prev.get(f"active.{r}.in_force") if f"active.{r}.issued" in prev else None
            if before is None:
                base = _count(rng, mean * 5 + 1, 0.4 if issued else 0.7)
                repealed = rng.randint(0, base) if base and rng.random() < 0.3 else 0
                in_force = base + issued - repealed
            else:
                repealed = rng.randint(0, before) if before and rng.random() < 0.3 else 0
                in_force = before + issued - repealed
            v[f"active.{r}.issued"] = issued
            v[f"active.{r}.repealed"] = repealed
            v[f"active.{r}.in_force"] = in_force
        for r, mean in (("licensing", scale * 6), ("penalty", scale * 10), ("coercion", scale * 2)):
            v[f"active.{r}.decisions"] = _count(rng, mean, 0.4)
        if rng.random() < 0.7:
            fee = 0
        else:  # 万元 with 2, 4 or 6 decimals
            places = rng.choice((2, 2, 4, 6))
            fee = _money(Decimal(rng.randint(1, 9_999_999 if places == 6 else 999_999)) / (10 ** places) * 10000)
        v["active.fees.amount_yuan"] = fee

    # -- table 三
    weights = {k: _OUTCOME_WEIGHT[k] * rng.uniform(0.3, 1.7) for k in _outcome_rows(template)}
    rows = ["new_requests", "carried_over"] + list(weights) + ["total", "carried_forward"]
    app = {r: {} for r in rows}
    for c in _APP6:
        new = _count(rng, scale * _APP_WEIGHT[c] * 2, _APP_ZERO[c])
        key = f"applications.carried_forward.{c}"
        carried = prev[key] if key in prev and prev[key] is not None else (
            0 if previous is not None or rng.random() < 0.85 else _count(rng, scale * 0.1 + 1, 0.0))
        avail = new + carried
        fwd = rng.randint(0, max(1, avail // 5)) if avail and rng.random() < 0.25 else 0
        fwd = min(fwd, avail)
        handled = avail - fwd
        split = _spread(rng, handled, weights)
        app["new_requests"][c] = new
        app["carried_over"][c] = carried
        app["carried_forward"][c] = fwd
        app["total"][c] = handled
        for r in weights:
            app[r][c] = split.get(r, 0)
    for r in rows:
        app[r]["total"] = sum(app[r][c] for c in _APP6)
        for c in spec.APPLICANT_COLUMNS:
            v[f"applications.{r}.{c}"] = app[r][c]

    # -- table 四
    for g, mean, zero in (("review", scale * 0.15, 0.75), ("suit_direct", scale * 0.08, 0.85),
                          ("suit_after_review", scale * 0.04, 0.9)):
        parts = [_count(rng, mean, zero) for _ in range(4)]
        if rng.random() < 0.6:
            parts[1] = parts[1] // 3  # 纠正 is rare
        for col, n in zip(spec.REVIEW_COLUMNS, parts + [sum(parts)]):
            v[f"review_litigation.{g}.{col}"] = n

    return {k: v[k] for k in spec.all_keys(template)}


def _n(x) -> float:
    return 0 if x is None else x


def arithmetic_findings(values: dict, template: str) -> set:
    """The arithmetic rule codes (A101–A104) that ``values`` break: an independent statement of
    the template's A1–A4 (blank counts as 0)."""
    out = set()
    outcome = _outcome_rows(template)
    for c in spec.APPLICANT_COLUMNS:
        def g(r):
            return _n(values.get(f"applications.{r}.{c}"))
        if g("new_requests") + g("carried_over") != g("total") + g("carried_forward"):
            out.add("A101")
        if sum(g(r) for r in outcome) != g("total"):
            out.add("A102")
    for r in ["new_requests", "carried_over", *outcome, "total", "carried_forward"]:
        if _n(values.get(f"applications.{r}.total")) != sum(_n(values.get(f"applications.{r}.{c}")) for c in _APP6):
            if values.get(f"applications.{r}.total") is not None:
                out.add("A103")
    for grp in spec.REVIEW_GROUPS:
        if _n(values.get(f"review_litigation.{grp}.total")) != sum(
                _n(values.get(f"review_litigation.{grp}.{c}")) for c in spec.REVIEW_COLUMNS[:4]):
            out.add("A104")
    return out


def plant_defects(rng: random.Random, values: dict, template: str, *, kinds=None) -> tuple:
    """Break the arithmetic or blank a cell. Returns ``(new values, planted rule codes)``.

    ``kinds``: the defects to plant (subset of :data:`DEFECT_KINDS`); default one at random,
    sometimes two. A101: 本年新收 of an applicant column and its 总计 raised (A1 fails);
    A102: an outcome cell and its row's 总计 raised (A2 fails); A103: a row's 总计 column made
    different from the sum of its applicant columns (A3 fails, A1/A2 kept); A104: a review group's
    总计 changed; C101: a zero cell left blank (the arithmetic is unchanged). ``planted`` lists the
    rule codes that must fire, sorted.
    """
    v = dict(values)
    if kinds is None:
        kinds = [rng.choice(DEFECT_KINDS)]
        if rng.random() < 0.2:
            kinds.append(rng.choice([k for k in DEFECT_KINDS if k != kinds[0]]))
    kinds = sorted(kinds, key=lambda k: k == "C101")  # blank last: a later change could refill it
    outcome = _outcome_rows(template)
    for kind in kinds:
        d = rng.choice((1, 1, 1, 2, 3, 10))
        if kind == "A101":
            c = rng.choice(_APP6)
            v[f"applications.new_requests.{c}"] = _n(v[f"applications.new_requests.{c}"]) + d
            v["applications.new_requests.total"] = _n(v["applications.new_requests.total"]) + d
        elif kind == "A102":
            r, c = rng.choice(outcome), rng.choice(_APP6)
            v[f"applications.{r}.{c}"] = _n(v[f"applications.{r}.{c}"]) + d
            v[f"applications.{r}.total"] = _n(v[f"applications.{r}.total"]) + d
        elif kind == "A103":
            r1 = rng.choice(outcome)
            donors = [r for r in outcome if r != r1 and _n(v[f"applications.{r}.total"]) >= 1]
            if donors:  # move d between two rows' 总计: column sums (A1, A2) unchanged
                r2 = rng.choice(donors)
                d = min(d, v[f"applications.{r2}.total"])
                v[f"applications.{r1}.total"] = _n(v[f"applications.{r1}.total"]) + d
                v[f"applications.{r2}.total"] -= d
            else:  # raise the 总计 column of 新收, （七）总计 and one outcome: A1, A2 still hold
                for r in ("new_requests", "total", r1):
                    v[f"applications.{r}.total"] = _n(v[f"applications.{r}.total"]) + d
        elif kind == "A104":
            grp = rng.choice(spec.REVIEW_GROUPS)
            key = f"review_litigation.{grp}.total"
            v[key] = _n(v[key]) - d if _n(v[key]) >= d and rng.random() < 0.5 else _n(v[key]) + d
        elif kind == "C101":
            zeros = [k for k, x in v.items() if x == 0 and x is not None]
            if zeros:
                v[rng.choice(zeros)] = None
        else:
            raise ValueError(f"unknown defect kind {kind!r}")
    blanked = any(x is None and values.get(k) is not None for k, x in v.items())
    planted = arithmetic_findings(v, template) | ({"C101"} if blanked else set())
    return v, sorted(planted)
