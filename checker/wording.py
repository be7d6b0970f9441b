"""Problems with input files, in Chinese under the default language.

Readers, loaders and the command line raise ``InputError`` with an English
message (the ``--lang en`` text and what the JSON output records). Lines a
person reads on stderr under ``--lang zh`` go through :func:`problem_zh`:
each known message shape is reworded in Chinese, keeping its particulars (a
line number, a byte offset, the library's own detail in brackets). A message
of no known shape is left as it is rather than guessed.

A shape with a group named ``m`` is a prefix (``line 3: ``, ``rule T3-001: ``,
``page 2: ``) in front of another message: that message is reworded in turn,
and the whole is known only when it is. The first shape that matches wins, so
a specific shape stands before a general one, and the prefixes come last.
``tests/test_wording_coverage.py`` finds every message the code can raise and
holds each to a shape here.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from checker.regexes import compiled, lazy

# a repr() in a message, in either quote; its text goes inside Chinese quotes
_Q = r"""['"](.*?)['"]"""

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
    (r"cannot read: the name contains a NUL character", "无法读取：文件名中含有 NUL 字符"),
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
    (r"file is (\d+) bytes, over the (\d+)-byte limit", r"文件有\1字节，超过\2字节的上限"),
    (r"no such file", "文件不存在"),
    (r"broken or looping symbolic link", "符号链接已损坏或循环指向自身"),
    (r"is a folder, not a report file", "是目录，不是报告文件"),
    (r"cannot list folder: (.+)", r"无法列出目录内容（\1）"),
    (
        r"no annual-report content found \(no title, year, numbered section or table\)",
        "没有找到年度报告的内容（没有标题、年度、带编号的部分或表格）",
    ),
    (
        r"more than (\d+) paragraphs and table rows: longer than any annual report "
        r"\(a generated or concatenated file\?\)",
        r"段落和表格行超过\1个，比任何年度报告都长（是程序生成或多个文件拼接而成的？）",
    ),
    (
        r"more than (\d+) table labels and values: longer than any annual report",
        r"表格的标签和数值超过\1个，比任何年度报告都长",
    ),
    (r"line (\d+), column (\d+): YAML syntax error: (.+)", r"第\1行第\2列：YAML 语法错误（\3）"),
    (r"YAML syntax error: (.+)", r"YAML 语法错误（\1）"),
    (r"YAML error: (.+)", r"YAML 错误（\1）"),
    (r"nesting too deep to parse", "嵌套层数过多，无法解析"),
    (r"nesting deeper than (\d+) levels", r"嵌套超过\1层"),
    (
        r"more than (\d+) values: larger than any annual report",
        r"数值超过\1个，比任何年度报告都大",
    ),
    (r"YAML anchors and aliases are not allowed", "不允许使用 YAML 锚点和别名（&、*）"),
    (r"YAML merge keys \(<<\) are not allowed", "不允许使用 YAML 合并键（<<）"),
    (rf"YAML tag {_Q} is not allowed", r"不允许使用 YAML 标签“\1”"),
    (r"one YAML document per file, found another", "每个文件只能有一个 YAML 文档，却发现了第二个"),
    (rf"duplicate key {_Q}", r"键“\1”重复"),
    (r"mapping keys must be plain scalars", "映射的键必须是简单的文字或数字"),
    (rf"invalid value {_Q}: (.+)", r"取值“\1”有误（\2）"),
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
    (
        r"the PDF has no text layer \(a scanned document\?\); run OCR on it first",
        "PDF 没有文字层（是扫描件？）；请先进行 OCR 文字识别",
    ),
    (
        r"page content over the (\d+)-byte limit for one PDF \(a content or decompression bomb\?\)",
        r"页面内容超过单个 PDF \1字节的上限（内容或解压炸弹？）",
    ),
    (r"a PDF form that draws itself", "PDF 表单对象引用了自身"),
    (r"forms nested deeper than (\d+) levels", r"表单对象嵌套超过\1层"),
    (
        r"PDF streams inflate to more than the (\d+)-byte limit for one file "
        r"\(a decompression bomb\?\)",
        r"PDF 数据流解压后超过单个文件\1字节的上限（解压炸弹？）",
    ),
    (r"encrypted PDF: a password is needed to read it", "PDF 已加密，需要密码才能读取"),
    (
        r"encrypted Word \.docx document: a password is needed to read it",
        "Word .docx 文档已加密，需要密码才能读取",
    ),
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
    (
        r"a legacy Word \.doc \(or other OLE\) file, not \.docx; save it as \.docx",
        "这是旧版 Word .doc（或其他 OLE）文件，不是 .docx；请另存为 .docx",
    ),
    (
        r"zip archive with (\d+) members, over the limit of (\d+)",
        r"zip 压缩包中有\1个文件，超过上限\2个",
    ),
    (
        r"word/document\.xml inflates to (\d+) bytes, over the (\d+)-byte limit",
        r"word/document.xml 解压后为\1字节，超过\2字节的上限",
    ),
    (
        r"archive inflates to (\d+) bytes, over the (\d+)-byte limit",
        r"压缩包解压后为\1字节，超过\2字节的上限",
    ),
    (r"archive inflates to more than the (\d+)-byte limit", r"压缩包解压后超过\1字节的上限"),
    (r"not readable as HTML: (.+)", r"无法作为网页读取（\1）"),
    (
        r"cannot be read whole: elements nested over 255 deep or a text run over 10 MB \((.+)\)",
        r"无法完整读取：元素嵌套超过 255 层或一段文字超过 10 MB（\1）",
    ),
    (
        r"(\d+) HTML elements, over (\d+): larger than any annual report",
        r"共\1个 HTML 元素，超过\2个，比任何年度报告都大",
    ),
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
    (r"not a baseline: invalid JSON at line (\d+)", r"不是基线文件：第\1行 JSON 格式有误"),
    (r"not a baseline: nested too deeply", "不是基线文件：嵌套层数过多"),
    (r"not a nianbao baseline of format (\S+)", r"不是格式 \1 的 nianbao 基线文件"),
    (r"a baseline needs a 'findings' list", "基线文件需要 findings 列表"),
    (r"baseline entry (\d+) needs (.+) as text", r"基线条目 \1 的 \2 应为文字"),
    (r"baseline entry (\d+): count must be a positive integer", r"基线条目 \1：count 应为正整数"),
    (r"fingerprint (\S+) is listed twice", r"指纹 \1 在基线中出现了两次"),
    (r"no such configuration file", "配置文件不存在"),
    (r"has no \[tool\.nianbao\] table", "没有 [tool.nianbao] 表"),
    (r"invalid TOML: (.+)", r"TOML 格式有误（\1）"),
    (r"invalid configuration at top level: (?P<m>.+)", r"配置文件有误：\g<m>"),
    (r"invalid configuration at (.+?): (?P<m>.+)", r"配置项 \1 有误：\g<m>"),
    (r"invalid configuration at top level: (.+)", r"配置文件有误（\1）"),
    (r"invalid configuration at (.+?): (.+)", r"配置项 \1 有误（\2）"),
    # jsonschema's messages, as the configuration check passes them on
    (
        r"Additional properties are not allowed \((.+) (?:was|were) unexpected\)",
        r"有不认识的配置项 \1（拼写是否有误？）",
    ),
    (r"(.+) is not one of \[(.+)\]", r"\1 不是允许的取值（可选：\2）"),
    (r"(.+) is less than the minimum of (.+)", r"\1 小于下限 \2"),
    (r"(.+) is greater than the maximum of (.+)", r"\1 大于上限 \2"),
    (r"(.+) is not of type 'integer'", r"\1 应为整数"),
    (r"(.+) is not of type 'number'", r"\1 应为数"),
    (r"(.+) is not of type 'string'", r"\1 应为文字（加引号）"),
    (r"(.+) is not of type 'boolean'", r"\1 应为 true 或 false"),
    (r"(.+) is not of type 'array'", r"\1 应为列表（如 [\1]）"),
    (r"(.+) is not of type 'object'", r"\1 应为表（键 = 值）"),
    (r"'(.+)' is a required property", r"缺少必填项“\1”"),
    (r"(.+) should be non-empty", r"\1 不能为空"),
    (r"(.+) is too short", r"\1 过短"),
    (r"(.+) does not match '(.+)'", r"\1 不符合规定的写法（\2）"),
    (r"nested too deeply to read", "嵌套层数过多，无法读取"),
    (r"must be one of (.+)", r"只能是 \1 之一"),
    (r"must be 0 \(one per CPU\) or more", "应为 0（每个 CPU 一个进程）或更大的数"),
    (r"(\d+) processes: at most (\d+)", r"\1个进程：最多\2个"),
    (r"must be 0 to (\S+) seconds", r"应为 0 到 \1 秒（0：不限）"),
    (r"must be 0 to (\d+) megabytes", r"应为 0 到 \1 MB（0：不限）"),
    (
        rf"severity override: no rule code starts with {_Q}",
        r"严重程度覆盖：没有以“\1”开头的规则编号",
    ),
    (rf"no rule code starts with {_Q}", r"没有以“\1”开头的规则编号"),
    (r"give one --output per --format", "每个 --format 需要一个 --output"),
    (r"unknown format '(.*)'; choose from (.+)", r"未知的输出格式“\1”；可选：\2"),
    (r"rule (\S+) could not be evaluated: (?P<m>.+)", r"规则 \1 无法执行：\g<m>"),
    (r"rule (\S+) could not be evaluated: (.+)", r"规则 \1 无法执行（\2）"),
    (
        rf"pattern {_Q}: the rules' regular expressions exceeded their (\S+)s time limit "
        "for this report",
        r"正则表达式“\1”：各规则的正则表达式在本报告上用时超过\2秒的上限",
    ),
    (
        rf"pattern {_Q}: the rule's regular expressions exceeded their (\S+)s time limit",
        r"正则表达式“\1”：这条规则的正则表达式用时超过\2秒的上限",
    ),
    (rf"pattern {_Q} exceeded the (\S+)s time limit", r"正则表达式“\1”用时超过\2秒的上限"),
    (r"no such rule \(see `nianbao rules list`\)", "没有这条规则（见 nianbao rules list）"),
    (r"needs hypothesis \((.+)\)", r"需要安装 hypothesis（\1）"),
    # rule packs (--rules, rules = [...] in the configuration)
    (
        r"a rule pack must be a mapping with 'pack' and 'rules'",
        "规则包必须是含 pack 和 rules 的映射",
    ),
    (
        r"a rule pack needs a 'pack' section with name and version",
        "规则包需要含 name 和 version 的 pack 部分",
    ),
    (r"invalid rule pack at (.+?): (.+)", r"规则包 \1 处有误（\2）"),
    (r"packs extend each other more than (\d+) deep", r"规则包逐级扩展（extends）超过\1层"),
    (
        rf"extends {_Q}: no built-in pack or pack file of that name",
        r"extends“\1”：没有这个名称的内置规则包或规则包文件",
    ),
    (
        rf"extends {_Q}: packs extend each other in a cycle",
        r"extends“\1”：规则包相互扩展，形成循环",
    ),
    (rf"include {_Q} points outside the pack's folder", r"include“\1”指向规则包目录之外"),
    (
        r"more than (\d+) rules in the pack and its includes",
        r"规则包及其 include 的文件中规则超过\1条",
    ),
    (r"rule (\S+) is defined twice \(also in (.+)\)", r"规则 \1 定义了两次（另一处在 \2）"),
    (
        r"'severity' overrides need 'extends' \(the pack they change\)",
        "severity 覆盖需要 extends（指明所修改的规则包）",
    ),
    (
        r"rule (\S+) is inherited from pack (\S+); "
        r"change its severity under 'severity:' instead of copying it",
        r"规则 \1 继承自规则包 \2；请在 severity: 下修改其严重程度，不要复制这条规则",
    ),
    (r"rule (\S+) is already defined by pack (\S+)", r"规则 \1 已由规则包 \2 定义"),
    (r"cannot compile check: (.+)", r"无法编译检查（\1）"),
    (rf"no template defines the set {_Q}", r"没有模板定义集合“\1”"),
    (rf"no example base {_Q}", r"没有示例底本“\1”"),
    (rf"example text not found: {_Q}", r"示例中找不到要替换的文字“\1”"),
    (r"regular expression of (\d+) characters, over (\d+)", r"正则表达式长\1个字符，超过上限\2"),
    (
        rf"regular expression {_Q}: its counted repeats multiply to more than (\d+)",
        r"正则表达式“\1”中计数重复的次数相乘超过\2",
    ),
    (rf"invalid regular expression {_Q}: (.+)", r"正则表达式“\1”有误（\2）"),
    (rf"regular expression {_Q}: groups nested too deeply", r"正则表达式“\1”的分组嵌套过深"),
    (
        rf"regular expression {_Q} takes more than (\S+) s or (\d+) MB to compile",
        r"正则表达式“\1”编译需要超过\2秒或\3 MB",
    ),
    # nianbao new / nianbao render
    (r"is the input file; choose another output \(-o\)", "就是输入文件；请另选输出文件（-o）"),
    (r"is a directory; give a file name", "是目录；请给出文件名"),
    (r"exists; use --force to overwrite it", "已存在；如要覆盖，请加 --force"),
    (r"its folder does not exist", "所在的目录不存在"),
    (r"(-?\d+) is not a report year \((\d+)-(\d+)\)", r"\1 不是报告年度（应在\2至\3之间）"),
    (r"(-?\d+) is not a report year", r"\1 不是报告年度"),
    (r"must name the agency", "需要填写机关名称"),
    (r"is the report of (\S+), not of (\S+) \(--from\)", r"是\1年度的报告，不是\2年度的（--from）"),
    (
        r"rendering PDF needs the CJK font package (\S+) \(pip install it\)",
        r"生成 PDF 需要中文字体包 \1（请用 pip 安装）",
    ),
    (
        r"the (\S+) format has no place for (.+) and (\d+) more",
        r"\1年版格式中没有 \2 等（另有\3项）的位置",
    ),
    (r"the (\S+) format has no place for (.+)", r"\1年版格式中没有 \2 的位置"),
    (
        r"table (\S+) has no section (\S+) to stand in; add the section",
        r"表格 \1 没有所在的第\2部分；请添加这一部分",
    ),
    (
        rf"cannot render to {_Q}; use \.docx, \.html, \.pdf or \.md",
        r"无法生成“\1”文件；请用 .docx、.html、.pdf 或 .md",
    ),
    (
        r"render takes a structured report \(\.yaml, \.yml or \.json\)",
        "render 只接受结构化报告（.yaml、.yml 或 .json）",
    ),
    (
        r"not a valid report at (.+?): (.+) \(and (\d+) more\)",
        r"报告在 \1 处有误（\2）；另有\3处",
    ),
    (r"not a valid report at (.+?): (.+)", r"报告在 \1 处有误（\2）"),
    (
        r"internal error: worker pool stopped: (.+)",
        r"内部错误：并行检查的进程池已停止（\1）；请报告此问题",
    ),
    (
        r"internal error: a worker process stopped: (.+)",
        r"内部错误：一个并行检查的进程意外停止（\1）；请报告此问题",
    ),
    (r"internal error: (.+)", r"内部错误（\1）；请报告此问题"),
    (r"file grew over the (\d+)-byte limit while read", r"读取时文件增长超过\1字节上限"),
    (r"larger than (\d+) bytes", r"大于\1字节"),
    (r"'(.*)' is not a date like 2024-01-31", r"“\1”不是 2024-01-31 这样的日期"),
    # nianbao rules test: an example that misbehaved (checker/engine/examples.py)
    (r"(\S+) did not fire", r"本应报告 \1，却没有报告"),
    (r"(\S+) fired: (.+)", r"本不应报告 \1，却报告了：\2"),
    (r"other error rules fired too: (.+)", r"还报告了其他错误级规则：\1"),
    # prefixes: the message after them is reworded in turn (last: any shape above wins)
    (r"line (\d+): (?P<m>.+)", r"第\1行：\g<m>"),
    (r"page (\d+): (?P<m>.+)", r"第\1页：\g<m>"),
    (r"rule (\S+): (?P<m>.+)", r"规则 \1：\g<m>"),
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
    return tuple((compiled(rf"^{shape}$", re.DOTALL), zh) for shape, zh in _SHAPES)


def problem_zh(message: str) -> str:
    """`message` reworded in Chinese when its shape is known; otherwise as it is."""
    for pattern, zh in _compiled():
        match = pattern.match(message)
        if match is None:
            continue
        if "m" in pattern.groupindex:  # a prefix: known only when what follows it is
            inner = match.group("m")
            worded_inner = problem_zh(inner)
            if worded_inner == inner:
                continue
            zh = zh.replace(r"\g<m>", worded_inner.replace("\\", "\\\\"))
        worded = match.expand(zh)
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
_QUOTED = lazy(r"'([^']*)'")


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
