"""Scaling: parse cost per KB (per page for PDF) from 10 KB to 10 MB, for every input shape.

usage: python bench/bench_scaling.py [--sizes 10,100,1000,10000] [--only SHAPE,...] [--repeats 3]

Each shape is a real report grown to the size by more of what makes it large (narrative
paragraphs, table rows, continuation lines, fused digit runs, pages). Figures are process CPU
time, the median of ``--repeats`` runs (one run from 1 MB up), with the collector tuned as in
the workers (``nianbao.isolation.tune_gc``: ``gc.freeze()`` after the imports, a higher
first-generation threshold; each parse inside ``collector_paused``, as a worker runs one input). Goal (issue 10): per-KB cost within 2× from 10 KB to
10 MB (``growth``: the marginal cost per KB of each step up in size over the lowest of the
steps before it; the columns show the plain cost per KB, which for the smallest inputs is the
fixed cost of a whole report), and no text, HTML or DOCX input under 10 MB over 1 s.
Exit status 1 when a goal is missed.
"""
from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tests"))

from nianbao import InputError, parse  # noqa: E402

SEED = SHARED / "corpus" / "seeds" / "004_a224db91dbdf5e26.txt"
SEED_CELLS = SHARED / "corpus" / "seeds" / "000_287ae363a5fda47a.txt"
PAGE = SHARED / "pages" / "page-001.txt"
HTML = SHARED / "corpus" / "real" / "shuyang-fgj-2023.html"
DOCX = ROOT / "tests" / "fixtures" / "huaian-2024-docx.docx"
PDF = ROOT / "tests" / "fixtures" / "huaian-2024-lo.pdf"

PARA = "按照《中华人民共和国政府信息公开条例》要求，坚持“公开为常态、不公开为例外”的原则，全面梳理公开内容，严格规范公开程序，主动公开各类政策文件和便民服务信息。"


def _grow_text(base: str, size: int, filler: str) -> str:
    """``base`` with ``filler`` repeated after its first part heading up to ``size`` bytes."""
    head, sep, tail = base.partition("一、总体情况")
    need = max(0, size - len(base.encode()))
    n = need // max(1, len(filler.encode())) + 1
    return head + sep + "\n" + filler * n + tail


def text_narrative(size):
    return _grow_text(SEED.read_text(), size, PARA + "\n\n").encode()


def text_one_line(size):
    """A web copy on one line: everything fused, the narrative grown on the same line."""
    t = PAGE.read_text().replace("\n", " ")
    return _grow_text(t, size, PARA).encode()


def text_tab_continuations(size):
    """A tab cell followed by many continuation lines (quadratic string building before)."""
    base = SEED_CELLS.read_text()
    head, sep, tail = base.partition("一、总体情况")
    line = "续行文字，没有制表符的一行\n"
    n = max(1, (size - len(base.encode())) // len(line.encode()))
    return (head + sep + "\n\t标签\n" + line * n + "\n" + tail).encode()


def text_pipe_rows(size):
    import shapes
    base = shapes.pipe_rows(SEED.read_text())
    row = "| 其他对外管理服务事项 | 0 | 0 | 0 |\n"
    head, sep, tail = base.partition("一、总体情况")
    n = max(1, (size - len(base.encode())) // len(row.encode()))
    return (head + sep + "\n" + row * n + "\n" + tail).encode()


FUSED_RUN = "其他对外管理服务事项 " + "1234567890123" + "\n"


def text_fused_digits(size):
    """Fused table rows with long digit runs inside table 二 (split candidates enumerated up to
    the cap before; every run after the first is a group of values no row takes: the first 20 of
    the table a P209 each, the rest counted in one P216 — one P209 each until 2026-11)."""
    t = PAGE.read_text()
    head, sep, tail = t.partition("(五)项")  # the page writes the bracket half-width
    assert sep, "table 二's (五)项 header not found in the page"
    n = max(1, (size - len(t.encode())) // len(FUSED_RUN.encode()))
    return (head + sep + "\n" + FUSED_RUN * n + tail).encode()


def text_fused_digits_after(size):
    """The same runs after the page's last part (part 三, the table of applications: no row of
    it takes them). Until 2026-11 this was the shape above, its insertion point not found."""
    t = PAGE.read_text()
    n = max(1, (size - len(t.encode())) // len(FUSED_RUN.encode()))
    return (t + "\n" + FUSED_RUN * n).encode()


def html_page(size):
    data = HTML.read_bytes()
    i = data.lower().find(b"<p")
    para = f"<p>{PARA}</p>\n".encode()
    n = max(1, (size - len(data)) // len(para))
    return data[:i] + para * n + data[i:]


def html_table_rows(size):
    data = HTML.read_bytes()
    i = data.lower().find(b"<p")
    row = "<tr><td>其他对外管理服务事项</td><td>0</td><td>0</td><td>0</td></tr>".encode()
    n = max(1, (size - len(data)) // len(row))
    return data[:i] + b"<table>" + row * n + b"</table>" + data[i:]


def html_rowspan_zero(size):
    """A table whose first cell spans all its rows (``rowspan=0``) over thousands of rows (a
    quadratic pending grid before, 2.7 s)."""
    data = HTML.read_bytes()
    i = data.lower().find(b"<p")
    row = "<tr><td>其他对外管理服务事项</td><td>0</td><td>0</td></tr>".encode()
    n = max(1, (size - len(data)) // len(row))
    return data[:i] + "<table><tr><td rowspan=0>合计</td><td>0</td></tr>".encode() + row * n + b"</table>" + data[i:]


def _grow_docx(size, unit: bytes, head: bytes = b"", tail: bytes = b""):
    """The DOCX fixture with ``unit`` repeated at the start of its body (inside ``head``…``tail``)
    up to ``size`` bytes of word/document.xml (the zip compresses repeated XML ~100×: the expanded
    XML is what the reader reads). Returns (bytes, KB of document.xml)."""
    src = zipfile.ZipFile(io.BytesIO(DOCX.read_bytes()))
    xml = src.read("word/document.xml")
    i = xml.find(b"<w:body>") + len(b"<w:body>")
    n = max(1, (size - len(xml)) // len(unit))
    body = xml[:i] + head + unit * n + tail + xml[i:]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            z.writestr(info.filename, body if info.filename == "word/document.xml" else src.read(info.filename))
    return out.getvalue(), len(body) / 1024


def docx_paragraphs(size):
    return _grow_docx(size, f'<w:p><w:r><w:t>{PARA}</w:t></w:r></w:p>'.encode())


def docx_table_rows(size):
    cell = "<w:tc><w:p><w:r><w:t>{}</w:t></w:r></w:p></w:tc>"
    row = "<w:tr>" + cell.format("其他对外管理服务事项") + cell.format("0") * 3 + "</w:tr>"
    return _grow_docx(size, row.encode(), b"<w:tbl>", b"</w:tbl>")


def pdf_pages(size):
    """Not bytes but pages: ``size`` / 10 KB copies of the fixture's pages."""
    import pypdfium2 as pdfium
    src = pdfium.PdfDocument(PDF.read_bytes())
    dst = pdfium.PdfDocument.new()
    copies = max(1, size // 10240)
    for _ in range(copies):
        dst.import_pages(src)
    buf = io.BytesIO()
    dst.save(buf)
    pages = len(dst)
    dst.close()
    src.close()
    return buf.getvalue(), pages


# A shape: ``size in bytes → bytes`` (or ``(bytes, units)`` when the cost is per something else than
# the KB of the input: the pages of a PDF, the expanded XML of a DOCX). Its name starts with the
# format ("text: …"), which names the file parsed (FILE_NAMES). Add a shape by adding it here.
FILE_NAMES = {"text": "x.txt", "html": "x.html", "docx": "x.docx", "pdf": "x.pdf"}
PER_PAGE = ("pdf",)  # formats whose cost is per page, and which have no 1 s goal

SHAPES = {
    "text: narrative": text_narrative,
    "text: one fused line": text_one_line,
    "text: tab cell + continuation lines": text_tab_continuations,
    "text: pipe table rows": text_pipe_rows,
    "text: fused digit runs": text_fused_digits,
    "text: fused digit runs after the tables": text_fused_digits_after,
    "html: paragraphs": html_page,
    "html: table rows": html_table_rows,
    "html: rowspan=0 over all rows": html_rowspan_zero,
    "docx: paragraphs": docx_paragraphs,
    "docx: table rows": docx_table_rows,
    "pdf: pages (per page)": pdf_pages,
}


def cpu_parse(data: bytes, name: str) -> float:
    from nianbao.isolation import collector_paused
    t0 = time.process_time()
    with collector_paused():
        try:
            parse(data, filename=name)
        except InputError:
            pass
    return time.process_time() - t0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="10,100,1000,10000", help="KB")
    ap.add_argument("--only", default="")
    ap.add_argument("--repeats", type=int, default=3)
    a = ap.parse_args(argv)
    sizes = [int(s) * 1024 for s in a.sizes.split(",")]
    from nianbao.isolation import tune_gc
    tune_gc()  # as in the workers that check and ingest read inputs in
    ok = True
    print(f"{'shape':<38}" + "".join(f"{s // 1024:>9}K" for s in sizes) + "   max s   growth")
    for shape, make in SHAPES.items():
        if a.only and not any(o in shape for o in a.only.split(",")):
            continue
        per, worst, points = [], 0.0, []
        for size in sizes:
            made = make(size)
            data, units = made if isinstance(made, tuple) else (made, len(made) / 1024)
            name = FILE_NAMES[shape.split(":", 1)[0]]
            reps = a.repeats if size < 1024 * 1024 else 1
            t = statistics.median(cpu_parse(data, name) for _ in range(reps))
            worst = max(worst, t)
            per.append(1000 * t / units)
            points.append((units, 1000 * t))
        # superlinear growth, on the marginal cost of what was added between two sizes (per KB
        # the smallest inputs are dominated by the fixed cost of a whole report, or by cheap page
        # chrome): each step's marginal cost over the lowest of the steps before it
        marginal = []
        for (u0, t0), (u1, t1) in zip(points, points[1:]):
            if u1 > 1.5 * u0:
                marginal.append(max(t1 - t0, 0.0) / (u1 - u0))
        growth = max([1.0] + [marginal[i] / min(marginal[: i + 1]) for i in range(1, len(marginal))
                              if min(marginal[: i + 1]) > 0])
        per_page = shape.split(":", 1)[0] in PER_PAGE
        fast = per_page or worst <= 1.0
        met = growth <= 2.0 and fast
        ok &= met
        unit = "ms/page" if per_page else "ms/KB"
        print(f"{shape:<38}" + "".join(f"{p:>10.3f}" for p in per) + f" {worst:7.2f} {growth:6.2f}×  {unit}"
              f" {'met' if met else 'MISSED'}", flush=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
