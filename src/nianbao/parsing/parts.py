"""Part texts: each found part's heading and the paragraphs up to the next heading."""
from __future__ import annotations

import re

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
        texts = []
        add = texts.append
        last = end.block if end else len(blocks) - 1
        for b in range(h.block, last + 1):
            block = blocks[b]
            if block.kind != "para":
                continue
            piece = block.cells[0].text
            if b == last and end is not None:
                piece = piece[: end.start]
            if b == h.block:
                piece = piece[h.end:]
            if end is None:
                if b != h.block:
                    lead = piece.lstrip()
                    if lead[:1] == "【":
                        lead = lead[1:].lstrip()
                    if lead[:1] in _FOOTER_FIRST and _FOOTER.match(piece):
                        break
                if "打" in piece or "关" in piece or "附" in piece:  # what _FOOTER_INLINE needs
                    m = _FOOTER_INLINE.search(piece)
                    if m:  # web copies: the footer runs on in the same line
                        piece = piece[: m.start()]
            piece = piece.strip()
            if piece:
                add(piece)
        parts.append(Part(h.part, h.title, "\n".join(texts), blocks[h.block].cells[0].loc))
    return parts


_FOOTER_INLINE = re.compile(r"\s(?:附件下载|【打印本页】|【关闭窗口】|打印本页|关闭窗口)")
# the first characters of a _FOOTER line (after spaces, and 【 and spaces): a line starting
# with none of them is no footer line
_FOOTER_FIRST = frozenset("打关返收网主承版公联相附扫分I京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼")
