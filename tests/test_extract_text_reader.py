"""The text reader: crawler pages, chrome, page numbers, vertical text, Markdown rows, positions."""

from __future__ import annotations

from checker.sources.text import page_pieces, parse_text

CRAWLER = (
    "标题: 示例区2024年度政府信息公开工作年度报告\n"
    "发布时间: 2025-01-20 15:35\n"
    "文号: \n"
    "发布机构: 示例区管委会办公室\n"
    "==================== 正文 ====================\n"
    "当前位置： 首页政务公开 示例区2024年度报告 来源：示例区 时间：2025-01-20 微信 微博 QQ空间 相关链接： --> "
    "本报告根据条例编制。一、总体情况 2024年，我区做了工作。（一）主动公开方面。二、主动公开政府信息情况"
    "第二十条第（一）项信息内容规章000三、收到和处理政府信息公开申请情况申请人情况 附件下载\n"
)


def test_crawler_header_gives_hints_and_the_publisher_is_not_the_agency():
    doc = parse_text(CRAWLER, "c.txt")
    assert doc.hints["title"].value == "示例区2024年度政府信息公开工作年度报告"
    assert doc.hints["published"].value == "2025-01-20 15:35"
    assert doc.hints["publisher"].value == "示例区管委会办公室"
    assert "agency" not in doc.hints
    assert (doc.hints["title"].pos.line, doc.hints["title"].pos.column) == (1, 5)


def test_page_line_is_cut_at_headings_and_sentences_without_chrome():
    doc = parse_text(CRAWLER, "c.txt")
    line = CRAWLER.split("\n")[5]
    texts = [b.text for b in doc.blocks]
    assert texts == [
        "本报告根据条例编制。",
        "一、总体情况",
        "2024年，我区做了工作。",
        "（一）主动公开方面。",
        "二、主动公开政府信息情况",
        "第二十条第（一）项信息内容规章000",
        "三、收到和处理政府信息公开申请情况",
        "申请人情况",
    ]
    for block in doc.blocks:
        assert block.pos.line == 6
        assert line[block.pos.column - 1 :].startswith(block.text)


def test_site_footer_after_the_article_is_dropped():
    line = (
        "一、总体情况 我区做了工作。六、其他需要报告的事项 无。 附件下载 打印本页 "
        "主办单位：示例区管委会 网站标识码：3501000003 闽ICP备05012345号"
    )
    assert [text for text, _ in page_pieces(line)] == [
        "一、总体情况",
        "我区做了工作。",
        "六、其他需要报告的事项",
        "无。",
    ]


def test_ordinary_lines_are_not_page_lines():
    assert page_pieces("一、总体情况") is None
    assert page_pieces("本年度共收到申请3件。本年度办结3件。" * 20) is None
    assert page_pieces("统一、规范的公开。" * 300) is not None  # a whole page even without headings


def test_page_numbers_and_chrome_lines_are_dropped_but_values_kept():
    text = (
        "- 4 -\n— 12 —\n第3页 共10页\n当前位置：首页 > 政务公开\n微信 微博 打印 关闭\n4\n－\n"
        "微信公众号发布信息20条。\n主办单位：示例区管委会\n闽ICP备05012345号\n"
    )
    doc = parse_text(text, "p.txt")
    assert [(b.text, b.pos.line) for b in doc.blocks] == [
        ("4", 6),
        ("－", 7),
        ("微信公众号发布信息20条。", 8),
    ]


def test_vertical_text_is_one_label():
    doc = parse_text(
        "三、\n本\n年\n度\n办\n理\n结\n果\n（一）予以公开 1 0 0 0 0 0 1\n无\n无\n", "v.txt"
    )
    assert [(b.text, b.pos.line) for b in doc.blocks] == [
        ("三、本年度办理结果", 1),
        ("（一）予以公开 1 0 0 0 0 0 1", 9),
        ("无", 10),  # placeholders one per line are values, not vertical text
        ("无", 11),
    ]


def test_markdown_rows_keep_cell_columns_and_headings_become_paragraphs():
    text = "---\ntitle: 示例局2025年政府信息公开工作年度报告\nyear: 2025\n---\n## 二、主动公开政府信息情况\n| 规章 | 0 | 12 |\n|---|---|---|\n"
    doc = parse_text(text, "m.md")
    assert doc.hints["year"].value == "2025"
    heading, row = doc.blocks
    assert heading.text == "二、主动公开政府信息情况" and not heading.is_row
    assert row.is_row and [(c.text, c.pos.line, c.pos.column) for c in row.cells] == [
        ("规章", 6, 3),
        ("0", 6, 8),
        ("12", 6, 12),
    ]
