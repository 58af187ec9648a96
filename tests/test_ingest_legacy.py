"""Legacy Word (.doc) and Kingsoft WPS (.wps): recognised by content (the OLE directory), converted
with LibreOffice headless, read like the DOCX they become — the same record values."""
import json
import shutil
import subprocess

import pytest

import nianbao
from nianbao.ingest.legacy import ole_kind

from conftest import FIXTURES

needs_lo = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed (.ci/run installs it)")


@pytest.fixture(scope="module")
def legacy_files(tmp_path_factory):
    """The DOCX fixtures saved as Word 97–2003 by LibreOffice (as bodies do), and one renamed .wps."""
    out = tmp_path_factory.mktemp("legacy")
    for src in sorted(FIXTURES.glob("*.docx")):
        shutil.copy(src, out / src.name)
        subprocess.run(["soffice", f"-env:UserInstallation=file://{out}/profile", "--headless", "--convert-to", "doc",
                        "--outdir", str(out), str(out / src.name)], check=True, capture_output=True, timeout=180)
    return out


@needs_lo
@pytest.mark.parametrize("name", [p.stem for p in sorted(FIXTURES.glob("*.docx"))])
def test_doc_reads_like_its_docx(legacy_files, name):
    doc = legacy_files / f"{name}.doc"
    data = doc.read_bytes()
    assert data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" and ole_kind(data) == "word"
    truth = json.loads((FIXTURES / f"{name}.expected.json").read_text(encoding="utf-8"))
    for filename in (f"{name}.doc", f"{name}.wps", "no-extension"):  # by content, not by name
        r = nianbao.parse(data, filename=filename)
        assert r.format == "doc"
        assert {k: r.value(k) for k in truth["cells"]} == truth["cells"]
        assert r.year == truth["year"] and r.template == truth["template"]


@needs_lo
def test_check_and_ingest_take_doc_and_wps_files(legacy_files, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    name = sorted(FIXTURES.glob("*.docx"))[0].stem
    shutil.copy(legacy_files / f"{name}.doc", folder / "a.doc")
    shutil.copy(legacy_files / f"{name}.doc", folder / "b.wps")
    import sys
    p = subprocess.run([sys.executable, "-m", "nianbao", "check", "--json", str(folder)], capture_output=True, text=True)
    assert p.returncode in (0, 1), p.stderr
    assert "无法读取" not in p.stderr


def test_spreadsheet_in_an_ole_file_is_refused_with_its_kind():
    fake = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + "Workbook".encode("utf-16-le") + b"\x00" * 600
    with pytest.raises(nianbao.InputError) as e:
        nianbao.parse(fake, filename="x.doc")
    assert e.value.code == "unsupported-office" and "电子表格" in e.value.zh


def test_without_libreoffice_the_message_says_how_to_install(monkeypatch, legacy_files=None):
    import nianbao.ingest.legacy as legacy
    monkeypatch.setattr(legacy, "soffice", lambda: None)
    fake = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + "WordDocument".encode("utf-16-le") + b"\x00" * 600
    with pytest.raises(nianbao.InputError) as e:
        nianbao.parse(fake, filename="x.doc")
    assert e.value.code == "needs-libreoffice" and "libreoffice-writer" in e.value.zh
