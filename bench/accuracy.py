"""Accuracy over every answered document, by folder and by format: cells exact, reports fully
exact, silent wrong reports and silent wrong cells (wrong, and the record does not say so: not
uncertain, named by no diagnostic, its table reported as found — as ../shared/tools/score.py
counts them).

With the OCR extra installed, the default run also scores the scans made from real reports by
tests/scan_maker.py (image-only PDFs with skew, blur, JPEG, a seal, a page turned by 90°; their
answers are the originals'), as folder ``scans`` and format ``pdf (scan, OCR)``, outside TOTAL
(which stays comparable with runs without OCR); ``--no-ocr`` leaves them out; OCR results are
cached (see ``ocr_cache``). The default run also scores the answered PDFs rewritten as OFD
(tests/ofd_maker.py: folder ``ofd``) and the DOCX fixtures saved as Word 97–2003 .doc by LibreOffice
(folder ``legacy``, when LibreOffice is installed), outside TOTAL as well.

usage: python bench/accuracy.py [DIR ...] [-v] [--no-ocr]
       (default: ../shared/corpus, ../shared/pages and tests/fixtures; OFD, .doc and the scans)
"""
import sys
from collections import defaultdict
from pathlib import Path

import nianbao
from nianbao.testing.scoring import answer_files, load_truth, score_report

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


def scans():
    """(name, PDF bytes, answer file) of the test scans, when OCR is installed."""
    from nianbao.ingest import ocr
    if not ocr.available():
        print("scans: left out (OCR extra not installed: pip install 'nianbao[ocr]')")
        return []
    sys.path.insert(0, str(ROOT / "tests"))
    from scan_maker import scans as made
    return [(name + ".pdf", data, ans) for name, (data, ans) in made().items()]


def ofds():
    """(name, OFD bytes, answer file): the answered PDFs of the corpus and fixtures rewritten as OFD
    packages the way OA systems write them (tests/ofd_maker.py)."""
    sys.path.insert(0, str(ROOT / "tests"))
    from ofd_maker import pdf_to_ofd
    out = []
    for root in (SHARED / "corpus", ROOT / "tests" / "fixtures"):
        for ans, doc in answer_files(root):
            if doc.suffix.lower() == ".pdf":
                out.append((doc.stem + ".ofd", pdf_to_ofd(doc.read_bytes()), ans))
    return out


def legacy_docs():
    """(name, .doc bytes, answer file): the DOCX fixtures saved as Word 97–2003 by LibreOffice."""
    import shutil
    import subprocess
    import tempfile
    if shutil.which("soffice") is None:
        print("legacy: left out (LibreOffice not installed: apt-get install libreoffice-writer)")
        return []
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        for ans, doc in answer_files(ROOT / "tests" / "fixtures"):
            if doc.suffix.lower() != ".docx":
                continue
            subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp}/profile", "--headless", "--convert-to",
                            "doc", "--outdir", tmp, str(doc)], check=True, capture_output=True, timeout=180)
            out.append((doc.stem + ".doc", (Path(tmp) / (doc.stem + ".doc")).read_bytes(), ans))
    return out


def main(argv):
    verbose = "-v" in argv
    dirs = [Path(a) for a in argv if not a.startswith("-")]
    roots = dirs or [SHARED / "corpus", SHARED / "pages", ROOT / "tests" / "fixtures"]
    totals = defaultdict(lambda: [0, 0, 0, 0, 0, 0])  # cells, exact cells, reports, exact, silent reports, silent cells

    def score(name, source, ans, folder, fmt=None):
        try:
            report = nianbao.parse(source, filename=name)
        except nianbao.InputError as e:
            print(f"{name}: NO RECORD ({e.code})")
            return
        s = score_report(report, load_truth(ans))
        flag = "exact" if s.ok else ("SILENT WRONG" if s.silent or s.unflagged else "flagged")
        print(f"{name}: {s.exact}/{s.cells} cells, {flag}" + (" | " + "; ".join(s.meta) if s.meta else ""))
        if verbose:
            for key, got, want in s.wrong:
                print(f"    {key}: got {got!r}, want {want!r}" + ("  (unflagged)" if key in s.unflagged else ""))
        for group in (f"folder {folder}", f"format {fmt or report.format}") + (() if fmt else ("TOTAL",)):
            t = totals[group]
            t[0] += s.cells
            t[1] += s.exact
            t[2] += 1
            t[3] += s.ok
            t[4] += s.silent
            t[5] += len(s.unflagged)

    for root in roots:
        for ans, doc in answer_files(root):
            inside = root.parent in doc.parents
            score(str(doc.relative_to(root.parent)) if inside else doc.name, doc, ans,
                  doc.parent.relative_to(root.parent) if inside else doc.parent)
    if not dirs:  # the same reports in the other formats bodies publish (outside TOTAL, like the scans)
        for name, data, ans in ofds():
            score(f"ofd/{name}", data, ans, "ofd", fmt="ofd (from the PDFs)")
        for name, data, ans in legacy_docs():
            score(f"legacy/{name}", data, ans, "legacy", fmt="doc (LibreOffice)")
    if not dirs and "--no-ocr" not in argv:
        for name, data, ans in scans():
            score(f"scans/{name}", data, ans, "scans", fmt="pdf (scan, OCR)")
    print()
    for group in sorted(totals, key=lambda g: (g == "TOTAL", g)):
        cells, exact, reports, ok, silent, silent_cells = totals[group]
        pct = 100.0 * exact / cells if cells else 0.0
        print(f"{group:<28} cells {exact}/{cells} ({pct:.2f}%), reports exact {ok}/{reports}, "
              f"silent wrong reports {silent}, silent wrong cells {silent_cells}")


if __name__ == "__main__":
    main(sys.argv[1:])
