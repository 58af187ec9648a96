"""Accuracy over every answered document: cell accuracy and silent wrong reports.

usage: python bench/accuracy.py [DIR ...] [-v]     (default: ../shared/corpus and tests/fixtures)
"""
import sys
from pathlib import Path

import nianbao
from nianbao.testing.scoring import answer_files, load_truth, score_report

ROOT = Path(__file__).resolve().parents[1]


def main(argv):
    verbose = "-v" in argv
    roots = [a for a in argv if a != "-v"] or [ROOT.parent / "shared" / "corpus", ROOT / "tests" / "fixtures"]
    total = exact_cells = exact_reports = silent = 0
    pairs = answer_files(*roots)
    for ans, doc in pairs:
        s = score_report(nianbao.parse(doc), load_truth(ans))
        total += s.cells
        exact_cells += s.exact
        exact_reports += s.ok
        silent += s.silent
        flag = "exact" if s.ok else ("SILENT WRONG" if s.silent else "flagged")
        print(f"{doc.name}: {s.exact}/{s.cells} cells, {flag}, {s.diagnostics} diagnostics"
              + (" | " + "; ".join(s.meta) if s.meta else ""))
        if verbose:
            for key, got, want in s.wrong:
                print(f"    {key}: got {got!r}, want {want!r}")
    pct = 100.0 * exact_cells / total if total else 0.0
    print(f"TOTAL cells {exact_cells}/{total} ({pct:.2f}%), reports exact {exact_reports}/{len(pairs)}, "
          f"silent wrong reports {silent}")


if __name__ == "__main__":
    main(sys.argv[1:])
