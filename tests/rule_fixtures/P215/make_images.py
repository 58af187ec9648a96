"""Regenerate the P215 and P106 fixtures (scans as JPEG files; needs ../shared and the ocr extra).

P215: page 5 of the Longnan 2020 LibreOffice layout (table 三's end, table 四) at 150 dpi,
skewed by 2.5°, blurred twice and noisy (fail: the hairline rules of table 四's header fade and
stop inside it) and clean (pass). P106: the title page of Huaian 2024 at 150 dpi, with (fail)
and without (pass) a grey smudge over the 政 of the agency's name 淮安市人民政府.

Run: ``python tests/rule_fixtures/P215/make_images.py``.
"""
from __future__ import annotations

import sys
from pathlib import Path

import cv2

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))
from scan_maker import HUAIAN, LONGNAN, damage, render  # noqa: E402

SMUDGE = (329.7, 157.5, 350.8, 178.8)  # points: the 政 of 淮安市人民政府 on the title page


def jpeg(img, path: Path) -> None:
    ok, buf = cv2.imencode(".jpg", cv2.cvtColor(img, cv2.COLOR_BGR2GRAY), [cv2.IMWRITE_JPEG_QUALITY, 50])
    assert ok
    path.write_bytes(buf.tobytes())


def main() -> None:
    jpeg(damage(render(LONGNAN, 4, 150), ("skew-2.5", "blur", "blur", "noise"), seed=4), HERE / "faded.jpg")
    jpeg(render(LONGNAN, 4, 150), HERE / "clean.jpg")
    title = render(HUAIAN, 0, 150)
    jpeg(title, HERE.parent / "P106" / "clean.jpg")
    x0, top, x1, bottom = (int(v * 150 / 72) for v in SMUDGE)
    cv2.ellipse(title, ((x0 + x1) // 2, (top + bottom) // 2), ((x1 - x0) // 2, (bottom - top) // 3), 30, 0, 360,
                (120, 120, 120), -1)
    jpeg(title, HERE.parent / "P106" / "smudge.jpg")


if __name__ == "__main__":
    main()
