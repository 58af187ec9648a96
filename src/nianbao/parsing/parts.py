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
        for b in range(h.block, (end.block if end else len(blocks) - 1) + 1):
            block = blocks[b]
            if block.kind != "para":
                continue
            t = block.cells[0].text
            s = h.end if b == h.block else 0
            e = end.start if end is not None and b == end.block else len(t)
            piece = t[s:e]
            if end is None:
                if b != h.block and _FOOTER.match(piece):
                    break
                m = _FOOTER_INLINE.search(piece)
                if m:  # web copies: the footer runs on in the same line
                    piece = piece[: m.start()]
            if piece.strip():
                texts.append(piece.strip())
        parts.append(Part(h.part, h.title, "\n".join(texts), blocks[h.block].cells[0].loc))
    return parts


_FOOTER_INLINE = re.compile(r"\s(?:附件下载|【打印本页】|【关闭窗口】|打印本页|关闭窗口)")
