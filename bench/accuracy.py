"""Accuracy over every answered document, by folder and by format: cells exact, reports fully
exact, silent wrong reports and silent wrong cells (wrong, and the record does not say so: not
uncertain, named by no diagnostic, its table reported as found — as ../shared/tools/score.py
counts them).

usage: python bench/accuracy.py [DIR ...] [-v]
       (default: ../shared/corpus, ../shared/pages and tests/fixtures)
"""
import sys
from collections import defaultdict
from pathlib import Path

import nianbao
from nianbao.testing.scoring import answer_files, load_truth, score_report

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


def main(argv):
    verbose = "-v" in argv
    roots = [Path(a) for a in argv if a != "-v"] or [SHARED / "corpus", SHARED / "pages", ROOT / "tests" / "fixtures"]
    totals = defaultdict(lambda: [0, 0, 0, 0, 0, 0])  # cells, exact cells, reports, exact, silent reports, silent cells
    for root in roots:
        for ans, doc in answer_files(root):
            try:
                report = nianbao.parse(doc)
            except nianbao.InputError as e:
                print(f"{doc.name}: NO RECORD ({e.code})")
                continue
            s = score_report(report, load_truth(ans))
            flag = "exact" if s.ok else ("SILENT WRONG" if s.silent or s.unflagged else "flagged")
            print(f"{doc.relative_to(root.parent) if root.parent in doc.parents else doc.name}: "
                  f"{s.exact}/{s.cells} cells, {flag}" + (" | " + "; ".join(s.meta) if s.meta else ""))
            if verbose:
                for key, got, want in s.wrong:
                    print(f"    {key}: got {got!r}, want {want!r}" + ("  (unflagged)" if key in s.unflagged else ""))
            folder = doc.parent.relative_to(root.parent) if root.parent in doc.parents else doc.parent
            for group in (f"folder {folder}", f"format {report.format}", "TOTAL"):
                t = totals[group]
                t[0] += s.cells
                t[1] += s.exact
                t[2] += 1
                t[3] += s.ok
                t[4] += s.silent
                t[5] += len(s.unflagged)
    print()
    for group in sorted(totals, key=lambda g: (g == "TOTAL", g)):
        cells, exact, reports, ok, silent, silent_cells = totals[group]
        pct = 100.0 * exact / cells if cells else 0.0
        print(f"{group:<28} cells {exact}/{cells} ({pct:.2f}%), reports exact {ok}/{reports}, "
              f"silent wrong reports {silent}, silent wrong cells {silent_cells}")


if __name__ == "__main__":
    main(sys.argv[1:])
