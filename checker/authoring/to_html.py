"""The report as one self-contained web page (no external style sheet, font or script).

The page carries ``ArticleTitle`` and ``PubDate`` meta tags as government
sites do, a viewport for phones, the title in a heading face, body text in a
FangSong/Song face, and the tables with full borders and their merged cells
(``rowspan``/``colspan``). On a narrow screen a table scrolls sideways inside
its own box instead of squeezing its figures.
"""

from __future__ import annotations

import html

from checker.authoring.layout import Layout, Table

STYLE = """
body{margin:0;background:#f4f4f4;color:#111}
main{max-width:820px;margin:0 auto;background:#fff;padding:24px 20px 40px;box-sizing:border-box;
 font-family:FangSong,"仿宋","仿宋_GB2312",STFangsong,"Noto Serif CJK SC","Source Han Serif SC",SimSun,"宋体",serif;
 font-size:17px;line-height:1.8}
h1{font-family:"方正小标宋简体","FZXiaoBiaoSong-B05S",SimHei,"黑体","Noto Sans CJK SC","Source Han Sans SC",sans-serif;
 font-weight:normal;font-size:26px;line-height:1.5;text-align:center;margin:8px 0 4px}
.date{text-align:center;margin:0 0 16px}
h2{font-family:SimHei,"黑体","Noto Sans CJK SC","Source Han Sans SC",sans-serif;font-weight:normal;
 font-size:18px;margin:20px 0 6px}
p{text-indent:2em;margin:4px 0}
.table{overflow-x:auto;-webkit-overflow-scrolling:touch;margin:10px 0 14px}
table{border-collapse:collapse;width:100%;min-width:560px;
 font-family:SimSun,"宋体","Noto Serif CJK SC","Source Han Serif SC",serif;font-size:13px;line-height:1.4}
th,td{border:1px solid #000;padding:4px 3px;text-align:center;vertical-align:middle}
th{font-weight:normal}
td{font-variant-numeric:tabular-nums}
.t3 th.note{font-size:12px}
@media (max-width:600px){main{padding:14px 12px 28px;font-size:16px}h1{font-size:21px}}
@media print{body{background:#fff}main{max-width:none;padding:0}.table{overflow:visible}}
"""


def _table(table: Table) -> list[str]:
    total = sum(table.widths)
    lines = [f'<div class="table" id="{table.name}"><table class="{table.name}"><colgroup>']
    lines += [f'<col style="width:{100 * w / total:.1f}%">' for w in table.widths]
    lines.append("</colgroup>")
    for row in table.rows:
        cells = []
        for cell in row:
            tag = "th" if cell.label else "td"
            spans = "".join(
                f' {name}="{n}"'
                for name, n in (("rowspan", cell.rowspan), ("colspan", cell.colspan))
                if n > 1
            )
            note = ' class="note"' if cell.rowspan > 1 and cell.colspan > 1 else ""
            cells.append(f"<{tag}{spans}{note}>{html.escape(cell.text)}</{tag}>")
        lines.append("<tr>" + "".join(cells) + "</tr>")
    lines.append("</table></div>")
    return lines


def render_html(layout: Layout) -> str:
    title = html.escape(layout.title)
    head = [
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta name="ArticleTitle" content="{title}">',
    ]
    if layout.published:
        head.append(f'<meta name="PubDate" content="{layout.published.isoformat()}">')
    head += [f"<title>{title}</title>", f"<style>{STYLE.strip()}</style>"]
    body = [f"<h1>{title}</h1>"]
    if layout.date_line:
        body.append(f'<div class="date">{html.escape(layout.date_line)}</div>')
    body += [f"<p>{html.escape(text)}</p>" for text in layout.preamble]
    for section in layout.sections:
        body.append(f"<h2>{html.escape(section.heading)}</h2>")
        body += [f"<p>{html.escape(text)}</p>" for text in section.paragraphs]
        if section.table is not None:
            body += _table(section.table)
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN"><head>'
        + "".join(head)
        + "</head>\n<body><main>\n"
        + "\n".join(body)
        + "\n</main></body></html>\n"
    )
