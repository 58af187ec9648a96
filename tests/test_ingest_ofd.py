"""OFD (GB/T 33190): real reports' PDFs rewritten as OFD packages the way OA systems write them
(DeltaX with the g notation, CTM scaling, split TextCode runs, PageBlocks, a template page, several
pages — see tests/ofd_maker.py) read to exactly the answers of the originals."""
import json
import zipfile
import io

import pytest

import nianbao
from nianbao.ingest.ofd import deltas

from conftest import CORPUS, FIXTURES
from ofd_maker import NS, image_only_ofd, pdf_to_ofd

SOURCES = [CORPUS / "real" / "huaian-2024.pdf", FIXTURES / "huaian-2024-lo.pdf", FIXTURES / "longnan-lirenzhen-2020-lo.pdf"]


@pytest.mark.parametrize("pdf", SOURCES, ids=[p.name for p in SOURCES])
def test_ofd_made_from_a_real_report_reads_like_it(pdf):
    if not pdf.exists():
        pytest.skip("../shared is not beside the checkout")
    truth = json.loads(pdf.with_name(pdf.stem + ".expected.json").read_text(encoding="utf-8"))
    r = nianbao.parse(pdf_to_ofd(pdf.read_bytes()), filename=pdf.stem + ".ofd")
    assert r.format == "ofd"
    assert (r.year, r.template) == (truth["year"], truth["template"])
    assert {k: r.value(k) for k in truth["cells"]} == truth["cells"]
    assert all(c.loc.page is not None and c.loc.bbox is not None for c in r.cells.values() if c.value is not None)


def test_delta_notation():
    assert deltas("g 3 4.2 5 g 2 1") == [4.2, 4.2, 4.2, 5.0, 1.0, 1.0]
    assert deltas("") == []


def _tiny(page_objects: str, template_objects: str = "") -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("OFD.xml", f'<ofd:OFD xmlns:ofd="{NS}"><ofd:DocBody><ofd:DocRoot>/Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>')
        z.writestr("Doc_0/Document.xml", f'<ofd:Document xmlns:ofd="{NS}"><ofd:CommonData><ofd:TemplatePage ID="7" BaseLoc="Tpl.xml"/>'
                   '</ofd:CommonData><ofd:Pages><ofd:Page ID="1" BaseLoc="P0.xml"/></ofd:Pages></ofd:Document>')
        z.writestr("Doc_0/Tpl.xml", f'<ofd:Page xmlns:ofd="{NS}"><ofd:Content><ofd:Layer ID="2">{template_objects}</ofd:Layer></ofd:Content></ofd:Page>')
        z.writestr("Doc_0/P0.xml", f'<ofd:Page xmlns:ofd="{NS}"><ofd:Template TemplateID="7" ZOrder="Foreground"/>'
                   f'<ofd:Content><ofd:Layer ID="3">{page_objects}</ofd:Layer></ofd:Content></ofd:Page>')
    return buf.getvalue()


def test_template_text_rotation_free_ctm_and_private_glyphs():
    title = ('<ofd:TextObject ID="4" Boundary="20 20 170 10" Size="5"><ofd:TextCode X="0" Y="4.3" DeltaX="g 23 5">'
             '某某县人民政府2022年政府信息公开工作年度报告</ofd:TextCode></ofd:TextObject>')
    heading = ('<ofd:TextObject ID="5" Boundary="20 40 170 10" Size="8" CTM="0.5 0 0 0.5 0 0"><ofd:TextCode X="0" Y="6.9" '
               'DeltaX="g 5 8">一、总体情况</ofd:TextCode></ofd:TextObject>')
    glyphs = ('<ofd:TextObject ID="6" Boundary="20 60 170 10" Size="4"><ofd:CGTransform CodePosition="0" CodeCount="2" '
              'GlyphCount="2"><ofd:Glyphs>17 18</ofd:Glyphs></ofd:CGTransform><ofd:TextCode X="0" Y="3.4">\ue011\ue012'
              '</ofd:TextCode></ofd:TextObject>')
    r = nianbao.parse(_tiny(heading + glyphs, template_objects=title), filename="t.ofd")
    assert r.agency == "某某县人民政府" and r.year == 2022  # the title comes from the template page
    assert r.part(1) is not None


def test_a_scanned_ofd_is_p001():
    r = nianbao.parse(image_only_ofd(), filename="scan.ofd")
    assert [d.code for d in r.diagnostics] == ["P001"]


def test_a_corrupt_ofd_is_refused_with_a_reason():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("OFD.xml", f'<ofd:OFD xmlns:ofd="{NS}"><ofd:DocBody><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>')
    with pytest.raises(nianbao.InputError) as e:
        nianbao.parse(buf.getvalue(), filename="x.ofd")
    assert e.value.code == "corrupt-ofd" and "Document.xml" in e.value.zh
