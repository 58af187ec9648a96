"""The PDF leg of the round trip: reports rendered by ``write render`` (DOCX), converted to PDF
with LibreOffice, parse back to exactly the data that went in. The pages are also drawn as PNG
beside the official blank template's, in ``test-artifacts/`` (git-ignored), to be looked at.

Needs ``soffice`` and ``pdftoppm`` (.ci/run installs libreoffice-writer, fonts-noto-cjk and
poppler-utils and sets NIANBAO_REQUIRE_LIBREOFFICE=1); skipped locally without them.
"""
import os
import shutil
import subprocess

import pytest

import nianbao
from conftest import ROOT
from nianbao import writing
from test_writing import CORPUS_CASES, MARKDOWN, SYNTH_CASES, _assert_same

ARTIFACTS = ROOT / "test-artifacts"
CASES = CORPUS_CASES + SYNTH_CASES[:3]


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory):
    if not (shutil.which("soffice") and shutil.which("pdftoppm")):
        if os.environ.get("NIANBAO_REQUIRE_LIBREOFFICE"):
            pytest.fail("NIANBAO_REQUIRE_LIBREOFFICE is set but soffice/pdftoppm are missing")
        pytest.skip("LibreOffice (soffice) or pdftoppm not installed")
    tmp = tmp_path_factory.mktemp("pdf")
    docs = []
    for name, agency, year, values in CASES:
        out = tmp / f"{name.split('.')[0]}.docx"
        writing.render(writing.Draft(agency, year, dict(values)), writing.parse_markdown(MARKDOWN), out)
        docs.append(out)
    blank = tmp / "2021-blank.docx"
    blank.write_bytes(writing.layout.template_bytes())
    subprocess.run(["soffice", "--headless", "--norestore", f"-env:UserInstallation=file://{tmp}/profile",
                    "--convert-to", "pdf", "--outdir", str(tmp), *map(str, docs + [blank])],
                   check=True, capture_output=True, timeout=600)
    return tmp, {c[0]: tmp / f"{c[0].split('.')[0]}.pdf" for c in CASES}


@pytest.mark.parametrize("name,agency,year,values", CASES, ids=[c[0] for c in CASES])
def test_pdf_parses_back_exactly(pdfs, name, agency, year, values):
    _, files = pdfs
    report = nianbao.parse(files[name])
    _assert_same(report, agency, year, values)
    assert "政务公开工作要点" in report.part(6).text


def test_pages_drawn_beside_the_blank_template(pdfs):
    tmp, files = pdfs
    ARTIFACTS.mkdir(exist_ok=True)
    first = CASES[0][0]
    for pdf, prefix in ((files[first], "rendered"), (tmp / "2021-blank.pdf", "blank")):
        for old in ARTIFACTS.glob(f"{prefix}-*.png"):
            old.unlink()
        subprocess.run(["pdftoppm", "-r", "60", "-png", str(pdf), str(ARTIFACTS / prefix)], check=True, timeout=120)
    rendered = sorted(ARTIFACTS.glob("rendered-*.png"))
    assert rendered and sorted(ARTIFACTS.glob("blank-*.png"))
    assert all(p.stat().st_size > 5000 for p in rendered)
