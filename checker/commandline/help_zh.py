"""`--help` in Chinese, the default language: every command's and option's text, and click's
headings, worded for people; ``--lang en`` keeps typer's English help as it is.

The command tree typer builds is walked once: each help text is looked up in
:data:`HELP_ZH` (a text without an entry stays English, and tests/test_cli_language.py
holds that none is without one), the commands are switched to click's plain layout and
given :class:`ChineseHelpFormatter`, which words click's headings (用法, 选项, 命令, 参数),
the ``[default: …]`` and ``[required]`` notes, and wraps by display width: a Chinese
character takes two columns, so wrapping by characters would run lines to twice the
terminal's width.
"""

from __future__ import annotations

from typing import Any

from rich.cells import cell_len as width_of  # columns in a terminal: two for a CJK character

from checker.regexes import lazy

HELP_ZH: dict[str, str] = {
    # the application and its commands
    "Check Chinese government information-disclosure annual reports (政府信息公开工作年度报告).": (
        "检查政府信息公开工作年度报告：发布前自查，或在CI中把关报告仓库。"
    ),
    "Show the version.": "显示版本。",
    "Language of this help and the default of every command's --lang.": (
        "本帮助的语言，也是各命令 --lang 的默认值。"
    ),
    "Show this message and exit.": "显示本帮助并退出。",
    "Check reports and print findings. Exit 0 clean, 1 findings at --fail-on or above, 2 errors.": (
        "检查报告并列出发现的问题。退出码：0 无问题；1 有 --fail-on 级别及以上的问题；2 出错。"
    ),
    "Turn a source document into a structured report (YAML or JSON) that checks the same.": (
        "把原文（网页、Word、PDF、文本）转为结构化报告（YAML或JSON），检查结果与原文相同。"
    ),
    "Print one of the JSON Schemas.": "输出一个JSON Schema。",
    "Write a report skeleton (YAML) to fill in: every section and table cell, with guidance.": (
        "生成待填写的报告框架（YAML）：每一部分、每个表格单元格，附填写说明。"
    ),
    "Publish a report in the official layout; refuses (exit 1) a report with errors unless "
    "--force.": "按官方格式排版输出报告；报告有错误时拒绝输出（退出码1），除非加 --force。",
    "List, explain and test the rules.": "列出、说明和测试规则。",
    "List every rule: code, severity, title.": "列出全部规则：编号、级别、标题。",
    "Explain a rule: what it checks, why, its basis and its examples.": (
        "说明一条规则：检查什么、为什么、依据和示例。"
    ),
    "Run every rule's passing and failing examples; exit 1 if any misbehaves.": (
        "运行每条规则的通过与不通过示例；有示例不符时退出码为1。"
    ),
    "Prove each rule on generated valid reports (soundness, sensitivity); exit 1 on a failure.": (
        "用生成的合规报告验证每条规则（不误报、能检出）；有失败时退出码为1。"
    ),
    # check
    "Report files or directories.": "报告文件或文件夹。",
    "Output format; repeat for several.": "输出格式；可重复指定多个。",
    "Output file, one per --format ('-': stdout).": "输出文件，每个 --format 一个（'-'：标准输出）。",
    "Exit 1 on findings at or above: error, warning, info or never [default: error].": (
        "有此级别及以上的问题时退出码为1：error、warning、info 或 never［默认：error］。"
    ),
    "Only these rule codes or prefixes (T3,META-004).": "只用这些规则编号或前缀（如 T3,META-004）。",
    "Add these rule codes or prefixes to the selection.": "在所选规则之外再加上这些编号或前缀。",
    "Skip these rule codes or prefixes.": "跳过这些规则编号或前缀。",
    "Configuration file (default: nearest nianbao.toml or pyproject.toml).": (
        "配置文件（默认：最近的 nianbao.toml 或 pyproject.toml）。"
    ),
    "Fail only on findings this baseline does not hold.": "只对基线中没有的问题判为失败。",
    "Record the current findings as the baseline; exit 0.": "把当前发现的问题记为基线；退出码为0。",
    "Parallel processes (0: one per CPU).": "并行进程数（0：每个CPU一个）。",
    "Glob: in directories, check only matching files.": "通配符：在文件夹中只检查匹配的文件。",
    "Glob: in directories, skip matching files/folders.": "通配符：在文件夹中跳过匹配的文件或文件夹。",
    "Message language.": "提示语言。",
    "Extra rule pack (YAML).": "附加规则包（YAML）。",
    "Report (data) year, when the file does not say.": "报告（数据）年度，文件中未写明时使用。",
    "Agency name.": "机关名称。",
    "Agency kind: government, department, township, subdistrict or other.": (
        "机关类型：government（人民政府）、department（部门）、township（乡镇）、"
        "subdistrict（街道）或 other（其他）。"
    ),
    "Publication date, YYYY-MM-DD.": "发布日期，格式 YYYY-MM-DD。",
    "Print counts per rule instead of the findings on stdout.": (
        "在标准输出中按规则列出问题数量，而不是逐条列出问题。"
    ),
    "Exit 1 also when a table could not be read reliably (EXT-002 on); --no-fail-on-unreadable: "
    "not even when the configuration says so. Default: the configuration's fail-on-unreadable, "
    "else such reading problems are reported but do not fail the run.": (
        "表格未能可靠读取（EXT-002 等）时也以退出码1结束；--no-fail-on-unreadable："
        "即使配置文件要求也不如此。默认：按配置文件的 fail-on-unreadable，"
        "未配置时这类读取问题只报告、不判为失败。"
    ),
    "List what the run skipped: what each rule could not check (blank cells, unknown dates) "
    "and the files a folder walk took for non-reports.": (
        "列出本次跳过的内容：各规则未能核对的项目（空白单元格、未知日期等），"
        "以及遍历文件夹时判定为非报告的文件。"
    ),
    "CPU seconds to read and check one file (0: no limit); default: the configuration's "
    "time-budget, else 60.": (
        "读取并检查一个文件可用的CPU秒数（0：不限）；默认：配置文件的 time-budget，否则60。"
    ),
    "Megabytes one file may add to memory (0: no limit); default: the configuration's "
    "memory-budget, else 2048.": (
        "一个文件可增加的内存（MB，0：不限）；默认：配置文件的 memory-budget，否则2048。"
    ),
    # extract
    "A source report (.txt .md .html .docx .pdf …).": "原文报告（.txt .md .html .docx .pdf 等）。",
    "Write here (.yaml or .json).": "写到此文件（.yaml 或 .json）。",
    "Report (data) year.": "报告（数据）年度。",
    "Agency kind.": "机关类型。",
    "Record where each value came from.": "记录每个数值在原文中的位置。",
    # schema
    "report | ruleset | findings | config": (
        "report（报告）| ruleset（规则包）| findings（检查结果）| config（配置）"
    ),
    "Message language (of a problem line).": "提示语言（出错时的提示行）。",
    # new
    "The agency's full name.": "机关全称。",
    "government|department|township|subdistrict|other": (
        "government（人民政府）|department（部门）|township（乡镇）|subdistrict（街道）|other（其他）"
    ),
    "The skeleton YAML ('-': stdout).": "生成的框架YAML（'-'：标准输出）。",
    "Format 2019|2021 (default: the report year's).": "格式 2019|2021（默认：按报告年度）。",
    "Last year's report: carry over linked values.": "上一年度报告：沿用应衔接的数值。",
    "Overwrite an existing output file.": "覆盖已有的输出文件。",
    # render
    "A structured report (.yaml/.json).": "结构化报告（.yaml/.json）。",
    "The document: .docx, .html, .pdf or .md.": "输出文档：.docx、.html、.pdf 或 .md。",
    "Render even when the report has error findings.": "报告有错误时也输出。",
    "Configuration file for the check.": "检查所用的配置文件。",
    # rules
    "Language.": "语言。",
    "Extra rule pack.": "附加规则包。",
    "A rule code, e.g. T3-001.": "规则编号，如 T3-001。",
    "Rule packs (default: the national pack).": "规则包（默认：全国规则包）。",
    "Generated reports per rule scope.": "每个规则适用范围生成的报告数。",
    "Random seed (default: derandomized).": "随机种子（默认：固定序列）。",
    "Message language (the counterexamples stay YAML data).": "提示语言（反例仍为YAML数据）。",
}

HEADINGS_ZH = {"Usage": "用法", "Options": "选项", "Commands": "命令", "Arguments": "参数"}
_NOTE = lazy(r"\s*\[(?:(default|env var): ([^\]]*)|required)\]")
_USAGE_WORDS = lazy(r"\[OPTIONS\]|\[ARGS\]|COMMAND")
_USAGE_ZH = {"[OPTIONS]": "[选项]", "[ARGS]": "[参数]", "COMMAND": "命令"}
_NOTES_ZH = {"default": "默认", "env var": "环境变量"}
_NO_LINE_START = "，。、；：！？）》」』】%％,.;:!?)"


def _tokens(text: str) -> list[str]:
    """Pieces a line may break between: a word, a space, or one wide character (with the
    punctuation that may not start a line kept on its left)."""
    tokens: list[str] = []
    for char in text:
        if tokens and char in _NO_LINE_START:
            tokens[-1] += char
        elif (
            tokens
            and width_of(char) == 1
            and not char.isspace()
            and not tokens[-1].isspace()
            and width_of(tokens[-1][-1]) == 1
        ):
            tokens[-1] += char  # a Latin word stays whole
        else:
            tokens.append(char)
    return tokens


def wrap(text: str, width: int) -> list[str]:
    """`text` as lines of at most `width` columns (a longer single word has a line of its own)."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line, used = "", 0
        for token in _tokens(" ".join(paragraph.split())):
            size = width_of(token)
            if line and used + size > width:
                lines.append(line.rstrip())
                line, used = ("", 0) if token.isspace() else (token, size)
            elif line or not token.isspace():
                line, used = line + token, used + size
        lines.append(line.rstrip())
    return lines


def _worded_notes(text: str) -> str:
    def word(match: Any) -> str:
        if match.group(1) is None:
            return "［必填］"
        return f"［{_NOTES_ZH[match.group(1)]}：{match.group(2)}］"

    return _NOTE.sub(word, text)


def chinese_formatter(base: type) -> type:
    """A subclass of click's HelpFormatter `base` that words and wraps for Chinese."""

    class ChineseHelpFormatter(base):  # type: ignore[misc,valid-type]
        def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
            args = _USAGE_WORDS.sub(lambda m: _USAGE_ZH[m.group()], args)
            super().write_usage(prog, args, prefix=f"{HEADINGS_ZH['Usage']}：")

        def write_heading(self, heading: str) -> None:
            self.write(f"{'':>{self.current_indent}}{HEADINGS_ZH.get(heading, heading)}：\n")

        def write_text(self, text: str) -> None:
            indent = " " * self.current_indent
            for line in wrap(text, max(self.width - self.current_indent, 20)):
                self.write(f"{indent}{line}\n" if line else "\n")

        def write_dl(self, rows: Any, col_max: int = 30, col_spacing: int = 2) -> None:
            rows = list(rows)
            first_col = min(max((width_of(first) for first, _ in rows), default=0), col_max)
            first_col += col_spacing
            indent = " " * self.current_indent
            for first, second in rows:
                self.write(f"{indent}{first}")
                if not second:
                    self.write("\n")
                    continue
                if width_of(first) <= first_col - col_spacing:
                    self.write(" " * (first_col - width_of(first)))
                else:
                    self.write("\n" + " " * (first_col + self.current_indent))
                text_width = max(self.width - first_col - self.current_indent, 20)
                lines = wrap(_worded_notes(second), text_width)
                self.write(f"{lines[0]}\n")
                for line in lines[1:]:
                    self.write(f"{'':>{first_col + self.current_indent}}{line}\n")

    return ChineseHelpFormatter


def _word(owner: Any, *attributes: str) -> None:
    """Each help text of `owner` (a command or a parameter) in Chinese, where it has a wording."""
    for attribute in attributes:
        text = getattr(owner, attribute, None)
        if text:
            setattr(owner, attribute, HELP_ZH.get(" ".join(text.split()), text))


def in_chinese(command: Any) -> Any:
    """`command` (a click command tree built by typer) with its help worded in Chinese, laid
    out by click's plain formatter made Chinese."""
    context_class = type(
        "ChineseHelpContext",
        (command.context_class,),
        {"formatter_class": chinese_formatter(command.context_class.formatter_class)},
    )

    def visit(node: Any) -> None:
        node.context_class = context_class
        if hasattr(node, "rich_markup_mode"):
            node.rich_markup_mode = None
        _word(node, "help", "short_help")
        helper = node.get_help_option(context_class(node))
        for param in [*node.params, *([helper] if helper is not None else [])]:
            _word(param, "help")
        for child in getattr(node, "commands", {}).values():
            visit(child)

    visit(command)
    return command
