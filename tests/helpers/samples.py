"""Sample reports for the reviewer outputs (notice, workbook): real base documents edited the way
real reports go wrong."""
from __future__ import annotations

from pathlib import Path

BASE = Path(__file__).resolve().parents[1] / "fixtures" / "rule_bases" / "000_287ae363a5fda47a.txt"

# one wrong cell (（一）予以公开 / 自然人: 2 instead of 3) breaks two relations, A2 (column 自然人) and
# A3 (row 予以公开): the one cell common to both is the probable cause; plus a blank cell (C101)
EDITS = [
    ("一、本年新收政府信息公开申请数量\n\t0\n\t0\n\t0\n\t0\n\t0\n\t0\n\t0\n",
     "一、本年新收政府信息公开申请数量\n\t3\n\t0\n\t0\n\t0\n\t0\n\t0\n\t3\n"),
    ("（一）予以公开\n\t0\n\t0\n\t0\n\t0\n\t0\n\t0\n\t0\n", "（一）予以公开\n\t2\n\t0\n\t0\n\t0\n\t0\n\t0\n\t3\n"),
    ("（七）总计\n\t0\n\t0\n\t0\n\t0\n\t0\n\t0\n\t0\n", "（七）总计\n\t3\n\t0\n\t0\n\t0\n\t0\n\t0\n\t3\n"),
    ("\t行政处罚\n\t0\n\t0\n\t0\n", "\t行政处罚\n\t0\n\t0\n\t \n"),
]


def faulty_report(dirpath: Path) -> Path:
    text = BASE.read_text(encoding="utf-8")
    for old, new in EDITS:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    out = Path(dirpath) / "抚远镇-2019-有误.txt"
    out.write_text(text, encoding="utf-8")
    return out
