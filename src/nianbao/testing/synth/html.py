"""Synthetic web-page reports: ``render_html`` and ``encode_html`` (see the package doc)."""
from __future__ import annotations

import html as _html
import random

from .layout import _INTRO, _layouts, _narrative, _Style, _title
from .text import _HEADINGS

HTML_CHARSETS = ("utf-8", "gbk", "gb2312")


# ================================================================================== HTML

_FONTS = ("仿宋_GB2312", "宋体", "微软雅黑", "方正仿宋_GBK")
_SITE_NAV = ("首页", "政务公开", "政务服务", "互动交流", "走进{p}", "数据开放")


def _split_spans(text: str, rng: random.Random, n: int) -> list:
    """Cut CJK text into up to ``n`` pieces at random points (never inside a digit run)."""
    if n <= 1 or len(text) < 4:
        return [text]
    cuts = sorted(rng.sample(range(1, len(text)), min(n - 1, len(text) - 1)))
    pieces, last = [], 0
    for c in cuts:
        if text[c - 1].isdigit() and text[c].isdigit() or text[c - 1].isascii() and text[c].isascii():
            continue
        pieces.append(text[last:c])
        last = c
    pieces.append(text[last:])
    return [p for p in pieces if p]


class _Html:
    def __init__(self, rng: random.Random):
        self.rng = rng
        self.font = rng.choice(_FONTS)
        self.wrap = rng.random() < 0.8  # cells wrapped in <p><span> like Word-made pages
        self.multiline = rng.random() < 0.6  # cell content on its own indented lines
        self.split = rng.random() < 0.5  # labels cut into several spans
        self.nbsp = rng.random() < 0.15  # value cells start with &nbsp;
        self.th = rng.random() < 0.2  # header cells as <th>

    def span(self, text: str) -> str:
        esc = _html.escape(text, quote=False)
        return f'<span style="font-family: {self.font}; font-size: 12pt;">{esc}</span>'

    def para(self, text: str, indent: bool = True) -> str:
        rng = self.rng
        pieces = _split_spans(text, rng, rng.randint(1, 4)) if self.split else [text]
        style = "text-indent: 2em; text-align: justify; line-height: 2;" if indent else "text-align: center;"
        return f'<p style="{style}">' + "".join(self.span(p) for p in pieces) + "</p>"

    def heading(self, text: str) -> str:
        v = self.rng.random()
        if v < 0.4:
            return (f'<p style="text-indent: 2em; line-height: 2;"><span style="font-family: 黑体;">'
                    f'<font face="黑体">{text}</font></span></p>')
        if v < 0.7:
            return f"<p><strong>{text}</strong></p>"
        return f"<h3>{text}</h3>"

    def cell_inner(self, text: str, label: bool) -> str:
        rng = self.rng
        if text == "":
            inner = "&nbsp;" if rng.random() < 0.7 else ""
            return f"<p><span>{inner}</span></p>" if self.wrap else inner
        esc = _html.escape(text, quote=False)
        if not label and self.nbsp:
            esc = "&nbsp;" + esc
        if not self.wrap:
            return esc
        if not label:
            return ('<p style="text-align: center; line-height: 1.5;"><span style="font-family: '
                    f'{self.font}; font-size: 12pt;">{esc}</span><o:p></o:p></p>')
        pieces = _split_spans(text, rng, rng.randint(1, 3)) if self.split else [text]
        sep = "\n      " if (self.multiline and len(pieces) > 1) else ""
        return ('<p style="text-align: center; line-height: 1.5;">'
                + sep.join(self.span(p) for p in pieces) + "<o:p></o:p></p>")

    def table(self, layout: list, values: dict, template: str, style: _Style) -> str:
        widths = {2: 150, 3: 60, 4: 42}
        rows = []
        for row in layout:
            tds = []
            for kind, text, cs, rs in row:
                content = style.cell(text, values[text], template) if kind == "v" else text
                attrs = ""
                if cs > 1:
                    attrs += f' colspan="{cs}"'
                if rs > 1:
                    attrs += f' rowspan="{rs}"'
                attrs += f' width="{widths.get(len(row), 40) * cs}" valign="center"'
                inner = self.cell_inner(content, kind != "v")
                tag = "th" if kind == "h" and self.th else "td"
                if self.multiline:
                    tds.append(f"      <{tag}{attrs}>\n      {inner}\n      </{tag}>")
                else:
                    tds.append(f"<{tag}{attrs}>{inner}</{tag}>")
            rows.append("    <tr>\n" + "\n".join(tds) + "\n    </tr>")
        table = ('<table style="BORDER-COLLAPSE: collapse" cellspacing="0" cellpadding="2" '
                 'bordercolor="#000000" border="1">\n  <tbody>\n' + "\n".join(rows) + "\n  </tbody>\n</table>")
        if self.rng.random() < 0.5:
            table = f'<div align="center">\n{table}\n</div>'
        return table


def _site(agency: str) -> str:
    for mark in ("市", "县", "区"):
        i = agency.find(mark)
        if 0 < i <= 6:
            return agency[: i + 1] + "人民政府"
    return agency


def render_html(values: dict, *, agency: str, year: int, template: str, rng: random.Random,
                charset: str = "utf-8") -> str:
    """The report as a government web page (``charset`` is declared in a ``<meta>``; encode the
    returned string with :func:`encode_html` using the same charset)."""
    h = _Html(rng)
    style = _Style(rng, blank_mark=False)
    narrative = _narrative(values, agency, year, template, rng)
    layouts = _layouts(template)
    title = _title(agency, year, rng)
    site = _site(agency)
    place = site.replace("人民政府", "")
    published = f"{year + 1}-{rng.randint(1, 2):02d}-{rng.randint(1, 28):02d}"
    meta = (f'<meta charset="{charset}">' if rng.random() < 0.5 else
            f'<meta http-equiv="Content-Type" content="text/html; charset={charset}" />')
    nav = "\n".join(f'        <li><a href="/{i}/index.shtml">{t.format(p=place)}</a></li>'
                    for i, t in enumerate(_SITE_NAV))
    body: list = []
    if rng.random() < 0.5:
        body.append(h.para(_INTRO.format(y=year, a=agency)))
    for n in range(1, 7):
        body.append(h.heading(_HEADINGS[n]))
        if n in narrative:
            body.extend(h.para(p) for p in narrative[n])
        else:
            body.append(h.table(layouts[n], values, template, style))
    body.append(h.para(agency, indent=False))
    body.append(h.para(f"{year + 1}年{int(published[5:7])}月{int(published[8:])}日", indent=False))
    index_no = f"{rng.randint(10**8, 10**9 - 1)}/{year + 1}-{rng.randint(1, 99999):05d}"
    site_code = rng.randint(10**9, 10**10 - 1)
    return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
{meta}
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<meta name="SiteName" content="{site}">
<meta name="ArticleTitle" content="{_html.escape(title)}">
<title>{_html.escape(title)}-{site}</title>
<link rel="stylesheet" href="/css/common.css">
<style>
  .article-content p {{ margin: 0; }}
  .table_content td {{ border: 1px solid #ccc; padding: 8px; }}
</style>
<script type="text/javascript">
  var websiteId = "{rng.getrandbits(64):016x}";
  function time() {{ var d = new Date(); document.getElementById("utime").innerHTML = d.getFullYear() + "年"; }}
</script>
</head>
<body>
<!--header start-->
<div class="header">
  <div class="header-t"><span id="utime"></span> <a href="javascript:void(0);">繁體版</a> | <a href="javascript:;">无障碍</a> | <a href="javascript:;">适老化</a></div>
  <div class="logo"><img src="/images/logo.png" alt="{site}"><span class="site-name">{site}</span></div>
  <div class="search"><form action="/search" method="get"><input name="q" type="text" placeholder="请输入关键词"><input type="submit" value="搜索"></form></div>
  <div class="mainNav">
      <ul class="clearfix">
{nav}
      </ul>
  </div>
</div>
<!--header end-->
<div class="location">当前位置：<a href="/">首页</a> &gt; <a href="/xxgk/">政府信息公开</a> &gt; <a href="/xxgk/ndbg/">政府信息公开年报</a></div>
<div class="xxgk-main">
  <div class="article-tb">
    <table class="table_content">
      <tbody>
        <tr><td class="c1">索引号</td><td class="c2">{index_no}</td><td class="c1">分类</td><td class="c3">信息公开年报&nbsp;&nbsp;报告</td></tr>
        <tr><td class="c1">发布机构</td><td class="c2">{agency}</td><td class="c1">公开日期</td><td class="c3">{published}</td></tr>
        <tr><td class="c1">文号</td><td class="c2"></td><td class="c1">关键词</td><td class="c3">年度报告</td></tr>
      </tbody>
    </table>
  </div>
  <div class="article">
    <h1 class="article-title">{_html.escape(title)}</h1>
    <div class="article-info">发布时间：{published}&nbsp;&nbsp;来源：{agency}&nbsp;&nbsp;字号：[大 中 小]</div>
    <div class="article-content" id="zoomcon">
{chr(10).join(body)}
    </div>
    <div class="article-tools"><a href="javascript:window.print()">【打印本页】</a> <a href="javascript:window.close()">【关闭窗口】</a></div>
  </div>
</div>
<!--footer start-->
<div class="footer">
  <div class="links"><a href="/sitemap.shtml">网站地图</a> | <a href="/contact.shtml">联系我们</a> | <a href="/privacy.shtml">隐私声明</a></div>
  <p>主办单位：{site}办公室&nbsp;&nbsp;网站标识码：{site_code}</p>
  <p>ICP备案号：ICP备{rng.randint(10**7, 10**8 - 1)}号-1&nbsp;&nbsp;公安机关备案号：{rng.randint(10**13, 10**14 - 1)}号</p>
</div>
<!--footer end-->
<script type="text/javascript">time();</script>
</body>
</html>
"""


_CODECS = {"gbk": "gbk", "gb2312": "gbk", "gb18030": "gb18030", "utf-8": "utf-8", "utf8": "utf-8"}


def encode_html(html: str, charset: str = "utf-8") -> bytes:
    """The page as bytes in ``charset`` (the one its ``<meta>`` declares). GB2312 pages are
    written as GBK, as servers that declare GB2312 do."""
    return html.encode(_CODECS.get(charset.lower(), charset))
