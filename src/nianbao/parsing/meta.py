"""Report metadata: title, publishing body (agency), statistics year, template."""
from __future__ import annotations

import re
from typing import Optional

from .normalise import normalise_label, to_halfwidth

_TITLE = re.compile(
    r"(?P<pre>[^。；;\n]{0,60}?)(?P<year>(?:19|20)\d{2})\s*年\s*度?\s*(?P<mid>[^。；;\n]{0,40}?)"
    r"(?:政府|政务)?信息公开(?:工作)?(?:年度)?(?:报告|年报)"
)
_CN_YEAR = re.compile(r"([〇零○一二三四五六七八九]{4})年")
_CN_DIGITS = str.maketrans("〇零○一二三四五六七八九", "00012345678" + "9")
_PREFIX = re.compile(r"^.*[:：]|^\s*(?:关于|印发)")


def find_title(texts, fallback: Optional[str] = None):
    """The report title among the first paragraphs, else ``fallback`` (HTML <title> …).

    Returns (title, agency, year) — any may be None.
    """
    texts = list(texts) + ([fallback] if fallback else [])
    for i, text in enumerate(texts):
        t = _CN_YEAR.sub(lambda m: m.group(1).translate(_CN_DIGITS) + "年", to_halfwidth(text or "").strip())
        if len(t) > 160:
            t = t[:160]
        m = _TITLE.search(t)
        if not m:
            continue
        agency = _clean_agency(m.group("pre")) or _clean_agency(m.group("mid"))
        title = m.group(0).strip()
        if not agency and i > 0:  # title broken over two lines: the body's name on the line before
            prev = _clean_agency(to_halfwidth(texts[i - 1] or ""))
            if 2 <= len(prev) <= 40 and not re.search(r"[。，,；;：:]", prev):
                agency, title = prev, prev + title
        return title, agency or None, int(m.group("year"))
    return None, None, None


def _clean_agency(s: str) -> str:
    s = _PREFIX.sub("", s or "").strip()
    s = re.sub(r"[\s\u3000]+", "", s)
    s = s.strip("《》“”\"'（）()【】[]·-—_|")
    s = re.sub(r"(关于|的)$", "", s)
    return s


_T2021 = ("本年制发件数", "本年废止件数", "现行有效件数", "本年收费金额", "本年处理决定数量")
_T2019 = ("本年新制作数量", "本年新公开数量", "对外公开总数量", "上一年项目数量", "采购项目数量", "政府集中采购")
_T2021_APP = ("不补正", "缴纳费用")


def detect_template(active_labels: str, applications_labels: str):
    """Decide 2019/2021 from the tables' own labels. Returns (template or None, evidence)."""
    a = normalise_label(active_labels)
    n21 = sum(k in a for k in _T2021)
    n19 = sum(k in a for k in _T2019)
    if n21 != n19:
        return ("2021" if n21 > n19 else "2019"), "active"
    b = normalise_label(applications_labels)
    if any(k in b for k in _T2021_APP):
        return "2021", "applications"
    return None, None


def norm_agency(name) -> str:
    """A body's name for pairing and comparing: no spaces, no trailing 人民政府/政府办公室 …."""
    name = re.sub(r"\s+", "", name or "")
    for suffix in ("人民政府办公室", "人民政府办公厅", "人民政府", "政府办公室", "政府"):
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name
