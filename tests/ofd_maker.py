"""Test data: an OFD package (GB/T 33190) made from a real report's PDF, as OA systems write them.

Every text line of each PDF page becomes a ``TextObject`` whose characters are placed by
``DeltaX`` advances (runs of equal advances in the compressed ``g N v`` notation); every third
line is drawn at half scale through a ``CTM`` with a doubled font size and doubled coordinates;
long lines are split into two ``TextCode`` runs; the table rules become ``PathObject``s
(``M … L …``), half of them inside a ``PageBlock``; a template page (drawn in the background of
every page) holds a decorative rule. Only pypdfium2's public API reads the PDF, so the OFD does
not depend on nianbao's own PDF reader.
"""
from __future__ import annotations

import io
import zipfile

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

MM = 72 / 25.4
NS = "http://www.ofdspec.org/2016"


def _mm(v: float) -> str:
    return f"{v / MM:.3f}".rstrip("0").rstrip(".")


def _compress(advances: list) -> str:
    out, i = [], 0
    while i < len(advances):
        j = i
        while j < len(advances) and abs(advances[j] - advances[i]) < 1e-3:
            j += 1
        if j - i >= 3:
            out.append(f"g {j - i} {_mm(advances[i])}")
        else:
            out.extend(_mm(a) for a in advances[i:j])
        i = j
    return " ".join(out)


def _page_lines(textpage, height: float) -> list:
    """Characters of a page grouped into lines by baseline: [(text, boxes)], top-left origin."""
    chars = []
    for i in range(textpage.count_chars()):
        ch = textpage.get_text_range(i, 1)
        if not ch or ch.isspace():
            continue
        left, bottom, right, top = textpage.get_charbox(i, loose=True)
        chars.append((ch, left, height - top, right, height - bottom))
    chars.sort(key=lambda c: (round(c[4] / 3), c[1]))
    lines: list = []
    for c in chars:
        if lines and abs(lines[-1][-1][4] - c[4]) < 2.0 and c[1] >= lines[-1][-1][1] - 0.5:
            lines[-1].append(c)
        else:
            lines.append([c])
    return lines


def _page_rules(page, height: float) -> list:
    rules = []
    for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH], max_depth=3):
        left, bottom, right, top = obj.get_bounds()
        if right - left < 2.5 or top - bottom < 2.5:
            rules.append((left, height - top, right, height - bottom))
    return rules


def pdf_to_ofd(pdf_bytes: bytes) -> bytes:
    pdf = pdfium.PdfDocument(pdf_bytes)
    buf = io.BytesIO()
    ids = iter(range(100, 10 ** 6))
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("OFD.xml", f'<?xml version="1.0" encoding="UTF-8"?><ofd:OFD xmlns:ofd="{NS}" Version="1.1" DocType="OFD">'
                              f'<ofd:DocBody><ofd:DocInfo><ofd:Title>测试</ofd:Title></ofd:DocInfo>'
                              f'<ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>')
        pages_xml = []
        for n in range(len(pdf)):
            page = pdf[n]
            width, height = page.get_size()
            textpage = page.get_textpage()
            objs = []
            for k, line in enumerate(_page_lines(textpage, height)):
                x0 = min(c[1] for c in line)
                top = min(c[2] for c in line)
                x1 = max(c[3] for c in line)
                bottom = max(c[4] for c in line)
                size = bottom - top
                baseline = top + 0.86 * size
                scale = 2.0 if k % 3 == 2 else 1.0  # drawn at half scale through the CTM
                ctm = ' CTM="0.5 0 0 0.5 0 0"' if scale == 2.0 else ""
                runs = [line] if len(line) < 8 else [line[: len(line) // 2], line[len(line) // 2:]]
                codes = []
                for run in runs:
                    adv = [b[1] - a[1] for a, b in zip(run, run[1:])] + [run[-1][3] - run[-1][1]]
                    codes.append(f'<ofd:TextCode X="{_mm((run[0][1] - x0) * scale)}" Y="{_mm((baseline - top) * scale)}" '
                                 f'DeltaX="{_compress([a * scale for a in adv])}">'
                                 + "".join(c[0] for c in run).replace("&", "&amp;").replace("<", "&lt;") + "</ofd:TextCode>")
                objs.append(f'<ofd:TextObject ID="{next(ids)}" Boundary="{_mm(x0)} {_mm(top)} {_mm(x1 - x0 + 5)} {_mm(size + 2)}" '
                            f'Font="1" Size="{_mm(size * scale)}"{ctm}>' + "".join(codes) + "</ofd:TextObject>")
            textpage.close()
            paths = []
            for r in _page_rules(page, height):
                x0, top, x1, bottom = r
                horizontal = (x1 - x0) >= (bottom - top)
                y = (top + bottom) / 2
                x = (x0 + x1) / 2
                d = f"M 0 0 L {_mm(x1 - x0)} 0" if horizontal else f"M 0 0 L 0 {_mm(bottom - top)}"
                bx, by = (x0, y) if horizontal else (x, top)
                paths.append(f'<ofd:PathObject ID="{next(ids)}" Boundary="{_mm(bx)} {_mm(by)} {_mm(max(x1 - x0, 0.5))} '
                             f'{_mm(max(bottom - top, 0.5))}" LineWidth="0.25"><ofd:AbbreviatedData>{d}</ofd:AbbreviatedData></ofd:PathObject>')
            half = len(paths) // 2
            content = ("<ofd:Content><ofd:Layer ID=\"%d\">" % next(ids) + "".join(objs) + "".join(paths[:half])
                       + "<ofd:PageBlock ID=\"%d\">" % next(ids) + "".join(paths[half:]) + "</ofd:PageBlock></ofd:Layer></ofd:Content>")
            z.writestr(f"Doc_0/Pages/Page_{n}/Content.xml",
                       f'<?xml version="1.0" encoding="UTF-8"?><ofd:Page xmlns:ofd="{NS}"><ofd:Template TemplateID="2" ZOrder="Background"/>'
                       f'<ofd:Area><ofd:PhysicalBox>0 0 {_mm(width)} {_mm(height)}</ofd:PhysicalBox></ofd:Area>{content}</ofd:Page>')
            pages_xml.append(f'<ofd:Page ID="{next(ids)}" BaseLoc="Pages/Page_{n}/Content.xml"/>')
            page.close()
        z.writestr("Doc_0/Tpls/Tpl_0/Content.xml",
                   f'<?xml version="1.0" encoding="UTF-8"?><ofd:Page xmlns:ofd="{NS}"><ofd:Content><ofd:Layer ID="3">'
                   '<ofd:PathObject ID="4" Boundary="20 8 170 1" LineWidth="0.5"><ofd:AbbreviatedData>M 0 0 L 170 0'
                   '</ofd:AbbreviatedData></ofd:PathObject></ofd:Layer></ofd:Content></ofd:Page>')
        z.writestr("Doc_0/Document.xml",
                   f'<?xml version="1.0" encoding="UTF-8"?><ofd:Document xmlns:ofd="{NS}"><ofd:CommonData>'
                   '<ofd:PageArea><ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox></ofd:PageArea>'
                   '<ofd:TemplatePage ID="2" BaseLoc="Tpls/Tpl_0/Content.xml"/></ofd:CommonData>'
                   f'<ofd:Pages>{"".join(pages_xml)}</ofd:Pages></ofd:Document>')
    pdf.close()
    return buf.getvalue()


def image_only_ofd() -> bytes:
    """One page with an image object and no text: a scanned document."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("OFD.xml", f'<ofd:OFD xmlns:ofd="{NS}"><ofd:DocBody><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>')
        z.writestr("Doc_0/Document.xml", f'<ofd:Document xmlns:ofd="{NS}"><ofd:Pages><ofd:Page ID="1" BaseLoc="Pages/Page_0/Content.xml"/></ofd:Pages></ofd:Document>')
        z.writestr("Doc_0/Pages/Page_0/Content.xml", f'<ofd:Page xmlns:ofd="{NS}"><ofd:Content><ofd:Layer ID="2">'
                   '<ofd:ImageObject ID="3" Boundary="0 0 210 297" ResourceID="9"/></ofd:Layer></ofd:Content></ofd:Page>')
    return buf.getvalue()
