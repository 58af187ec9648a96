"""Part texts: each found part's heading and the paragraphs up to the next heading."""
from __future__ import annotations

import re

from ..model.document import Line
from ..model.report import Part

# the page around the article: print/close links, site footer, attachments
_FOOTER = re.compile(r"^\s*(?:【?\s*(?:打印本页|打印|关闭窗口|关闭|返回顶部|收藏)\s*】?|网站地图|主办单位|承办单位|"
                     r"版权所有|网站标识码|ICP备|[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼]ICP|"
                     r"公安机关备案|联系我们|相关链接|附件下载|扫一扫|分享到)")


def blocks_to_parts(blocks: list, headings: list) -> list:
    """Each found part: its heading as written and the paragraph text up to the next heading (the
    last part stops where the page's footer begins)."""
    parts = []
    for i, h in enumerate(headings):
        end = headings[i + 1] if i + 1 < len(headings) else None
        last = end.block if end else len(blocks) - 1
        first = blocks[h.block]
        head = first.cells[0].text[h.end: end.start if end is not None and last == h.block else None] \
            if first.kind == "para" else ""
        if end is None:
            head = _cut_inline_footer(head)
        texts = [head.strip()] if head and not head.isspace() else []
        if last > h.block:
            if end is None:
                _last_part_texts(blocks, h.block + 1, last, texts)
            else:
                # the paragraphs between the headings, stripped (the end heading's block cut at it)
                texts.extend([t for t in [(b.text if type(b) is Line else b.cells[0].text).strip()
                                          for b in blocks[h.block + 1: last] if b.kind == "para"] if t])
                b = blocks[last]
                if b.kind == "para":
                    tail = b.cells[0].text[: end.start].strip()
                    if tail:
                        texts.append(tail)
        parts.append(Part(h.part, h.title, "\n".join(texts), first.cells[0].loc))
    return parts


def _last_part_texts(blocks: list, start: int, last: int, texts: list) -> None:
    """The last part's paragraphs from block ``start`` to ``last``, stripped, up to the page's
    footer (a footer line ends the part; a footer running on in a line cuts it)."""
    add = texts.append
    first = _FOOTER_FIRST
    for block in blocks[start: last + 1]:
        if block.kind != "para":
            continue
        piece = block.text if type(block) is Line else block.cells[0].text
        kept = piece.strip()
        if not kept:
            continue  # (a blank line: no footer, nothing kept)
        lead = kept[0]
        if lead == "【":
            lead = kept[1:].lstrip()[:1]
        if lead in first and _FOOTER.match(piece):
            break
        if "打" in kept or "关" in kept or "附" in kept:  # what _FOOTER_INLINE needs
            kept = _cut_inline_footer(piece).strip()
            if not kept:
                continue
        add(kept)


def _cut_inline_footer(piece: str) -> str:
    """A line up to a footer that runs on in it (web copies)."""
    if "打" in piece or "关" in piece or "附" in piece:  # what _FOOTER_INLINE needs
        m = _FOOTER_INLINE.search(piece)
        if m:
            return piece[: m.start()]
    return piece


_FOOTER_INLINE = re.compile(r"\s(?:附件下载|【打印本页】|【关闭窗口】|打印本页|关闭窗口)")
# the first characters of a _FOOTER line (after spaces, and 【 and spaces): a line starting
# with none of them is no footer line
_FOOTER_FIRST = frozenset("打关返收网主承版公联相附扫分I京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼")
