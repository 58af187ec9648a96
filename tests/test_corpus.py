"""Every answer file of the corpus (and of the web-page copies) is a test: exact cells, and
uncertainty flagged, never guessed."""
import json

import pytest

import nianbao
from conftest import answer_files

from nianbao.parsing.meta import norm_agency
from nianbao.spec import all_keys

ANSWERS = answer_files()

# Cells the document's own text cannot settle (digits of the 2019/2021 part-二 table ran together
# in the web copy; the answer was settled from the neighbouring years' reports and the original
# page). The parser must flag them with candidates that include the truth, not guess.
SETTLED_OUTSIDE_DOCUMENT = {
    "pingtan-2019.txt": {f"active.{r}.{c}" for r in ("normative_documents",) for c in ("made", "published", "total_published")}
    | {f"active.{r}.{c}" for r in ("licensing", "other_services", "penalty", "coercion") for c in ("previous", "change", "decisions")}
    | {"active.fees.previous", "active.fees.change"},
    "pingtan-2021.txt": {"active.normative_documents.issued", "active.normative_documents.repealed",
                         "active.normative_documents.in_force"},
}


@pytest.mark.parametrize("answer,doc", ANSWERS, ids=[d.name for _, d in ANSWERS])
def test_document_matches_answer(answer, doc):
    truth = json.loads(answer.read_text(encoding="utf-8"))
    report = nianbao.parse(doc)
    assert norm_agency(report.agency) == norm_agency(truth["agency"])
    assert report.year == truth["year"]
    assert report.template == truth["template"]
    for t in truth.get("missing_tables", []):  # absent, or cut off: never presented as complete
        assert t not in report.tables
        assert any(d.code in ("P201", "P210") for d in report.diagnostics)
    uncertain = set(truth.get("uncertain", []))
    outside = SETTLED_OUTSIDE_DOCUMENT.get(doc.name, set())
    flagged = {k for d in report.diagnostics for k in d.keys}
    wrong = []
    for key, want in truth["cells"].items():
        if key in uncertain:
            continue
        got = report.cells.get(key)
        if key in outside:
            assert got is not None and not got.certain and got.value is None, key
            assert key in flagged, key
            continue
        if got is None or got.value != want or not got.certain:
            wrong.append((key, None if got is None else got.value, want))
    assert not wrong, wrong
    # uncertain cells carry a diagnostic naming them and no confident value
    for key in uncertain:
        got = report.cells.get(key)
        assert got is None or not got.certain, key
        assert key in flagged, key
    # no confident cell outside the answer
    for key, c in report.cells.items():
        if c.certain:
            assert key in truth["cells"], key


@pytest.mark.parametrize("answer,doc", ANSWERS, ids=[d.name for _, d in ANSWERS])
def test_ambiguous_candidates_include_truth(answer, doc):
    """Where the parser refuses to choose a split, one of its candidates is the truth."""
    truth = json.loads(answer.read_text(encoding="utf-8"))
    report = nianbao.parse(doc)
    for d in report.diagnostics:
        if d.code != "P206":
            continue
        row_keys = [k for k in truth["cells"] if k.rsplit(".", 1)[0] == d.keys[0].rsplit(".", 1)[0]]
        want = [truth["cells"][k] for k in row_keys]
        assert want in d.candidates or len(d.candidates) >= 8, (d.keys, want, d.candidates)


@pytest.mark.parametrize("answer,doc", ANSWERS, ids=[d.name for _, d in ANSWERS])
def test_record_round_trips_through_json(answer, doc):
    report = nianbao.parse(doc)
    again = nianbao.Report.from_json(report.to_json())
    assert again == report
    assert set(report.cells) <= set(all_keys(report.template)) | {
        k for k in all_keys("2019") if k.startswith("applications.other.")}
