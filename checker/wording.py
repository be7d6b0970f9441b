"""Problems with input files, in Chinese under the default language.

Readers, loaders and the command line raise ``InputError`` with an English
message (the ``--lang en`` text and what the JSON output records). Lines a
person reads on stderr under ``--lang zh`` go through :func:`problem_zh`:
each known message shape is reworded in Chinese, keeping its particulars (a
line number, a byte offset, the library's own detail in brackets). A message
of no known shape is left as it is rather than guessed.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

# (English shape, Chinese wording); groups carry the particulars over
_SHAPES: tuple[tuple[str, str], ...] = (
    (r"no such file or directory", "文件或目录不存在"),
    (r"is a directory, not a report file", "是目录，不是报告文件"),
    (r"binary data, not a text report", "是二进制数据，不是文本报告"),
    (
        r"not valid text in UTF-8, GB18030 or any detectable encoding",
        "不是 UTF-8、GB18030 或可识别编码的文本",
    ),
    (r"not UTF-8 text", "不是 UTF-8 文本"),
    (r"invalid UTF-16 text", "UTF-16 文本有误"),
    (
        r"invalid UTF-8 at byte (\d+) \(the text before it is UTF-8\)",
        r"第\1字节处不是有效的 UTF-8（此前为 UTF-8 文本）",
    ),
    (r"invalid UTF-8 after the BOM at byte (\d+)", r"BOM 之后第\1字节处不是有效的 UTF-8"),
    (r"cannot read: (.+)", r"无法读取（\1）"),
    (r"cannot write: folder (.+) does not exist", r"无法写入：目录 \1 不存在"),
    (r"cannot write: (.+)", r"无法写入（\1）"),
    (
        r"over the per-file time budget of (\S+) s of CPU \(--time-budget\)",
        r"超出单个文件的时间预算（CPU \1 秒，--time-budget）",
    ),
    (
        r"over the per-file memory budget of (\d+) MB \(--memory-budget\)",
        r"超出单个文件的内存预算（\1 MB，--memory-budget）",
    ),
    (r"not a regular file \(a pipe, device or socket\)", "不是普通文件（是管道、设备或套接字）"),
    (r"line (\d+), column (\d+): YAML syntax error: (.+)", r"第\1行第\2列：YAML 语法错误（\3）"),
    (r"YAML syntax error: (.+)", r"YAML 语法错误（\1）"),
    (r"YAML error: (.+)", r"YAML 错误（\1）"),
    (r"nesting too deep to parse", "嵌套层数过多，无法解析"),
    (
        r"a structured report must be a mapping with at least 'meta'",
        "结构化报告必须是至少含 meta 的映射",
    ),
    (r"empty file, not a PDF", "空文件，不是 PDF"),
    (r"empty file, not a Word \.docx document", "空文件，不是 Word .docx 文档"),
    (r"empty file, no HTML content", "空文件，没有 HTML 内容"),
    (r"no text in the HTML page", "网页中没有文字"),
    (r"no text in the Word document", "Word 文档中没有文字"),
    (r"not a PDF file \(no %PDF- signature\)", "不是 PDF 文件（没有 %PDF- 标记）"),
    (r"not a readable PDF: (.+)", r"无法读取的 PDF（\1）"),
    (r"encrypted PDF: a password is needed to read it", "PDF 已加密，需要密码才能读取"),
    (
        r"an HTML page named \.pdf, not a PDF; rename it to \.html",
        "这是扩展名为 .pdf 的网页，不是 PDF；请改名为 .html",
    ),
    (r"not a readable Word \.docx document: (.+)", r"无法读取的 Word .docx 文档（\1）"),
    (
        r"not a Word \.docx document \(not a readable zip archive\)",
        "不是 Word .docx 文档（不是可读的 zip 压缩包）",
    ),
    (
        r"a zip archive without word/document\.xml, not a Word \.docx document",
        "zip 压缩包中没有 word/document.xml，不是 Word .docx 文档",
    ),
    (r"not readable as HTML: (.+)", r"无法作为网页读取（\1）"),
    (r"(\d+) pages, over the limit of (\d+)", r"共\1页，超过上限\2页"),
    (r"unsupported file type '(.*)'; supported: (.+)", r"不支持的文件类型“\1”；支持：\2"),
    (
        r"no report files found \(skipped (\d+) non-report file\(s\); --show-skipped lists them\)",
        r"没有找到报告文件（跳过\1个非报告文件；--show-skipped 可列出）",
    ),
    (r"no report files found", "没有找到报告文件"),
    (
        r"no such baseline file \(write one with --write-baseline\)",
        "基线文件不存在（可用 --write-baseline 写出）",
    ),
    (r"no such configuration file", "配置文件不存在"),
    (r"has no \[tool\.nianbao\] table", "没有 [tool.nianbao] 表"),
    (r"invalid TOML: (.+)", r"TOML 格式有误（\1）"),
    (r"invalid configuration at (.+?): (.+)", r"配置项 \1 有误（\2）"),
    (r"must be one of (.+)", r"只能是 \1 之一"),
    (r"give one --output per --format", "每个 --format 需要一个 --output"),
    (r"unknown format '(.*)'; choose from (.+)", r"未知的输出格式“\1”；可选：\2"),
    (r"rule (\S+) could not be evaluated: (.+)", r"规则 \1 无法执行（\2）"),
    (r"internal error: (.+)", r"内部错误（\1）；请报告此问题"),
    (r"file grew over the (\d+)-byte limit while read", r"读取时文件增长超过\1字节上限"),
    (r"larger than (\d+) bytes", r"大于\1字节"),
    (r"'(.*)' is not a date like 2024-01-31", r"“\1”不是 2024-01-31 这样的日期"),
)


# PyYAML's own problem texts, kept in brackets after the Chinese
_YAML_PROBLEMS = {
    "did not find expected node content": "缺少应有的内容",
    "did not find expected key": "缺少应有的键（缩进可能不齐）",
    "mapping values are not allowed here": "此处不能有“键: 值”（缩进或冒号有误）",
    "could not find expected ':'": "缺少冒号",
    "found character '\\t' that cannot start any token": "出现了制表符（YAML 只能用空格缩进）",
    "found undefined alias": "引用了未定义的锚点",
    "found unexpected end of stream": "文件意外结束（引号或括号未闭合）",
    "did not find expected ',' or ']'": "缺少逗号或右方括号",
    "did not find expected ',' or '}'": "缺少逗号或右花括号",
    "found duplicate anchor": "锚点重复",
    "found a tab character that violates indentation": "出现了制表符（YAML 只能用空格缩进）",
}


# the operating system's texts (strerror) inside "cannot read/write: …"
_OS_PROBLEMS = {
    "No such file or directory": "文件或目录不存在",
    "Permission denied": "没有权限",
    "No space left on device": "磁盘空间不足",
    "Is a directory": "是目录",
    "Not a directory": "路径中有一项不是目录",
    "Read-only file system": "文件系统只读",
    "File name too long": "文件名过长",
    "Too many levels of symbolic links": "符号链接层数过多",
}


@cache
def _compiled() -> tuple[tuple[re.Pattern[str], str], ...]:
    return tuple((re.compile(rf"^{shape}$", re.DOTALL), zh) for shape, zh in _SHAPES)


def problem_zh(message: str) -> str:
    """`message` reworded in Chinese when its shape is known; otherwise as it is."""
    for pattern, zh in _compiled():
        if pattern.match(message):
            worded = pattern.sub(zh, message)
            for english, chinese in (*_YAML_PROBLEMS.items(), *_OS_PROBLEMS.items()):
                worded = worded.replace(f"（{english}）", f"（{chinese}）")
            return worded
    return message


def problem_in(message: str, lang: str) -> str:
    return problem_zh(message) if lang == "zh" else message


_TYPES_ZH = {
    "integer": "整数",
    "number": "数",
    "string": "文字",
    "object": "映射（键: 值）",
    "array": "列表",
    "boolean": "是/否（true/false）",
    "null": "空值",
}
_QUOTED = re.compile(r"'([^']*)'")


def _shown(value: object) -> str:
    text = value if isinstance(value, str) else repr(value)
    return f"“{text[:40]}{'…' if len(text) > 40 else ''}”"


def schema_problem_zh(error: Any) -> str:
    """A JSON-Schema validation error (``jsonschema.ValidationError``) worded in Chinese."""
    kind, expected, value = error.validator, error.validator_value, error.instance
    message = str(error.message)
    if kind == "type":
        names = expected if isinstance(expected, list) else [expected]
        return f"{_shown(value)}应为{'或'.join(_TYPES_ZH.get(n, n) for n in names)}"
    if kind == "required":
        missing = _QUOTED.search(message)
        return f"缺少必填项“{missing.group(1) if missing else expected}”"
    if kind == "additionalProperties":
        extra = "、".join(f"“{k}”" for k in _QUOTED.findall(message.partition("(")[2]))
        return f"有模式中没有的键{extra}（拼写是否有误？）"
    if kind == "enum":
        allowed = "、".join("空" if v is None else str(v) for v in expected[:12])
        more = f"…（共{len(expected)}个）" if len(expected) > 12 else ""
        return f"{_shown(value)}不是允许的取值（{allowed}{more}）"
    if kind == "const":
        return f"应为 {expected!r}，实为{_shown(value)}"
    if kind in ("minimum", "exclusiveMinimum"):
        return f"{value} 小于{'或等于' if kind == 'exclusiveMinimum' else ''}下限 {expected}"
    if kind in ("maximum", "exclusiveMaximum"):
        return f"{value} 大于{'或等于' if kind == 'exclusiveMaximum' else ''}上限 {expected}"
    if kind == "minLength":
        return f"{_shown(value)}过短（至少{expected}个字符）"
    if kind == "maxLength":
        return f"{_shown(value)}过长（至多{expected}个字符）"
    if kind == "pattern":
        return f"{_shown(value)}不符合规定的写法（{expected}）"
    if kind == "format":
        return f"{_shown(value)}不是有效的{expected}"
    if kind == "minItems":
        return f"列表至少应有{expected}项"
    if kind == "maxItems":
        return f"列表至多可有{expected}项"
    return f"不符合模式（{message}）"
