"""YAML and Markdown-with-front-matter reading that remembers on which line each key stands."""

from __future__ import annotations

import functools
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk.core.content.problems import ProblemLog
from kiosk.core.lazyre import LazyPattern

if TYPE_CHECKING:
    # Imported where YAML is parsed: the kiosk's window parses none itself (its files are read
    # in the sandbox child, kiosk.core.content.sandbox), and starts ~5 ms sooner without PyYAML.
    import yaml

# Every text file of the content (stories, pages, kiosk.yaml, side files) is at most this big.
# The longest real story is about 2 KB: 256 KB is over a hundred times that (some 20,000
# Russian words, far past the text_too_long warning), and bounds what one file can cost the
# parsers (bench/adversarial.py times each of them on hostile input up to this size).
MAX_TEXT_BYTES = 256 * 1024


class NotRegularFile(OSError):
    """A FIFO, a device, a socket or a folder where a text file was expected."""


def read_at_most(path: Path | str, most: int = MAX_TEXT_BYTES) -> tuple[bytes, int]:
    """Up to `most` + 1 bytes of a regular file (more means it is too big: the rest is never
    read), and the file's size. Opened without blocking: a FIFO is refused, not waited on."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW | os.O_CLOEXEC)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise NotRegularFile(str(path))
        chunks: list[bytes] = []
        left = most + 1
        while left > 0 and (chunk := os.read(fd, left)):
            chunks.append(chunk)
            left -= len(chunk)
        return b"".join(chunks), info.st_size
    finally:
        os.close(fd)


class LineDict(dict[str, Any]):
    """A mapping read from YAML, with the 1-based line of each key."""

    def __init__(self) -> None:
        super().__init__()
        self.key_lines: dict[str, int] = {}
        self.duplicates: list[tuple[str, int]] = []
        # The text as typed, for values YAML turned into something else («12:30» → 750).
        self.raw_text: dict[str, str] = {}

    def line_of(self, key: str) -> int | None:
        return self.key_lines.get(key)


@functools.cache
def _loaders() -> tuple[Any, Any]:
    """libyaml's parser when PyYAML has it (its wheels do: several times faster on 37,000
    stories), and the SafeLoader made of it whose mappings are LineDicts (line numbers,
    duplicate keys recorded). Made on first use (see the import above)."""
    import yaml

    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    class _LineLoader(base):  # type: ignore[misc, valid-type]
        line_offset = 0

        def construct_line_mapping(self, node: yaml.MappingNode,
                                   deep: bool = False) -> LineDict:
            result = LineDict()
            self.flatten_mapping(node)
            for key_node, value_node in node.value:
                key = self.construct_object(key_node, deep=True)
                key_text = str(key)
                line = key_node.start_mark.line + 1 + self.line_offset
                if key_text in result:
                    result.duplicates.append((key_text, line))
                result[key_text] = self.construct_object(value_node, deep=True)
                result.key_lines[key_text] = line
                if isinstance(value_node, yaml.ScalarNode):
                    result.raw_text[key_text] = str(value_node.value)
            return result

    # Dates stay text: staff write «2023-08-22» and the loader parses and reports it itself.
    def _timestamp_as_text(loader: _LineLoader, node: yaml.Node) -> str:
        assert isinstance(node, yaml.ScalarNode)
        return str(loader.construct_scalar(node))

    _LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
                                _LineLoader.construct_line_mapping)
    _LineLoader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_as_text)
    return base, _LineLoader


# Content never needs more: kiosk.yaml's deepest value is queue → source (two mappings),
# colouring.yaml's a list of mappings. Deeper nesting is a mistake or an attack (PyYAML's
# constructors recurse: about 330 levels raise RecursionError; libyaml stops at 1000).
MAX_DEPTH = 20


class _Refused(Exception):
    """A YAML text the kiosk does not read: `code` (a problem code) at a 0-based `line`."""

    def __init__(self, code: str, line: int, **args: str) -> None:
        super().__init__(code)
        self.code = code
        self.line = line
        self.args_ = args


def _first_anchor_or_alias(text: str) -> int | None:
    """The 0-based line of the first anchor (&name) or alias (*name), from libyaml's events:
    found before anything is composed or expanded. None if there is none, or if the text is
    broken before one (the composer then reports that)."""
    import yaml

    try:
        for event in yaml.parse(text, Loader=_loaders()[0]):
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
                return int(event.start_mark.line) if event.start_mark is not None else 0
    except yaml.YAMLError:
        return None
    return None


def _check_nodes(root: yaml.Node) -> None:
    """Depth and sharing of the composed nodes, before anything is built from them: one pass
    (a node met twice is an alias, and is not entered again, so this is linear even for a
    document of aliases to aliases)."""
    import yaml

    seen: set[int] = set()
    stack: list[tuple[yaml.Node, int]] = [(root, 0)]
    while stack:
        node, depth = stack.pop()
        if not isinstance(node, yaml.CollectionNode):
            continue
        if id(node) in seen:
            raise _Refused("yaml_alias", node.start_mark.line)
        seen.add(id(node))
        if depth >= MAX_DEPTH:
            raise _Refused("yaml_too_deep", node.start_mark.line, most=str(MAX_DEPTH))
        for item in node.value:
            if isinstance(item, tuple):  # a mapping's (key, value)
                stack.append((item[0], depth + 1))
                stack.append((item[1], depth + 1))
            else:
                stack.append((item, depth + 1))


# In the fields: characters YAML breaks a line at or refuses (a vertical tab from PowerPoint,
# U+2028 from a web page, NUL). Notepad shows one line where YAML saw two, and the message
# named the wrong line and cause; the kiosk takes them out (a break becomes a space) and says
# so at the line they were on.
_FIELD_BREAKS = "\x0b\x0c\x85\u2028\u2029"
# Controls, line and paragraph separators, and the two non-characters U+FFFE and U+FFFF
# (a stray one pasted from the web): YAML refuses the last two and broke lines at the others.
_FIELD_HIDDEN = LazyPattern("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufffe\uffff]")


def _without_hidden(text: str, log: ProblemLog, line_offset: int) -> str:
    """`text` without the characters of _FIELD_HIDDEN, each line that had any named."""
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if _FIELD_HIDDEN.search(line):
            found = sorted({match.group() for match in _FIELD_HIDDEN.finditer(line)})
            lines[i] = _FIELD_HIDDEN.sub(
                lambda match: " " if match.group() in _FIELD_BREAKS else "", line)
            log.warning("hidden_characters_line", i + 1 + line_offset,
                        detail=", ".join(f"U+{ord(char):04X}" for char in found[:5]))
    return "\n".join(lines)


def parse_yaml(text: str, log: ProblemLog, line_offset: int = 0) -> Any:
    """Parse YAML; on a syntax error log it with its line and return None. Anchors and aliases
    (a few hundred bytes of them expand to gigabytes) and nesting deeper than MAX_DEPTH are
    refused before anything is built."""
    import yaml

    if _FIELD_HIDDEN.search(text):
        text = _without_hidden(text, log, line_offset)
    try:
        # Both need one of these characters: most files skip the extra pass.
        if "&" in text or "*" in text:
            line = _first_anchor_or_alias(text)
            if line is not None:
                raise _Refused("yaml_alias", line)
        loader = _loaders()[1](text)
        loader.line_offset = line_offset
        try:
            node = loader.get_single_node()
            if node is not None:
                _check_nodes(node)
            data = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except _Refused as refused:
        log.error(refused.code, refused.line + 1 + line_offset, **refused.args_)
        return None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if mark is not None and (better := _plain_mistake(text, mark.line)) is not None:
            code, at, args = better  # «title:Привет», «title: “Центр: Марьино”»
            log.error(code, at + 1 + line_offset, **args)
            return None
        line = mark.line + 1 + line_offset if mark else None
        detail = " ".join(filter(None, [exc.context, exc.problem]))
        if mark is not None and "\t" in _line_at(text, mark.line):
            detail = f"found character '\\t' {detail}"  # libyaml does not name the tab
        log.error("yaml_syntax", line, detail=detail or "?")
        return None
    except yaml.YAMLError as exc:
        log.error("yaml_syntax", None, detail=str(exc))
        return None
    except ValueError as exc:  # a constructor's: int() of 5,000 digits is refused by Python
        digits, line = _longest_number(text)
        if digits > MAX_INT_DIGITS:
            log.error("yaml_number_too_long", line + 1 + line_offset, digits=str(digits),
                      most=str(MAX_INT_DIGITS))
        else:
            log.error("yaml_syntax", None, detail=str(exc))
        return None
    _report_duplicates(data, log)
    return data


# Python refuses to read longer whole numbers (sys.get_int_max_str_digits(), 4300 by default:
# quadratic time beyond), and said so as «unreadable: …use sys.set_int_max_str_digits()».
MAX_INT_DIGITS = 4300
_DIGITS = LazyPattern(r"\d+")


def _longest_number(text: str) -> tuple[int, int]:
    """The length of the longest run of digits in `text` and its 0-based line (linear)."""
    longest, start = 0, 0
    for match in _DIGITS.finditer(text):
        if match.end() - match.start() > longest:
            longest, start = match.end() - match.start(), match.start()
    return longest, text.count("\n", 0, start)


_NO_SPACE = LazyPattern(r"^\s*([A-Za-z_][A-Za-z0-9_]{0,40}):([^\s:/\\])")
_KEY_VALUE = LazyPattern(r"^\s*-?\s*([A-Za-z_][A-Za-z0-9_]{0,40}):\s+(.)")
_CURLY = "“”„«»‘’‚"
MOST_HINT_LINES = 400  # lines looked at for a plainer reason of a YAML error


def _plain_mistake(text: str, error_line: int) -> tuple[str, int, dict[str, str]] | None:
    """The everyday mistake behind a YAML error at the 0-based `error_line`, told at its own
    line: a colon without a space after it (`title:Привет`, which YAML reads as text and then
    stumbles on the next line) or a value in curly quotes or «ёлочки» (YAML counts only the
    straight " and '). None when neither is there."""
    lines = text.split("\n", min(error_line, MOST_HINT_LINES) + 1)[: error_line + 1]
    for index, row in enumerate(lines[-MOST_HINT_LINES:], max(0, len(lines) - MOST_HINT_LINES)):
        row = row[:1000]
        if (match := _NO_SPACE.match(row)) is not None:
            key = match.group(1)
            value = row[match.end(1) + 1:].strip()
            return "colon_no_space", index, {"value": row.strip(), "fixed": f"{key}: {value}"}
    for index in (error_line, error_line - 1):
        if 0 <= index < len(lines):
            match = _KEY_VALUE.match(lines[index][:1000])
            if match is not None and match.group(2) in _CURLY:
                return "curly_quotes", index, {"key": match.group(1), "quote": match.group(2)}
    return None


def _line_at(text: str, index: int) -> str:
    """Line `index` (0-based) of `text`, without splitting all of it."""
    start = 0
    for _ in range(index):
        start = text.find("\n", start) + 1
        if start == 0:
            return ""
    end = text.find("\n", start)
    return text[start:] if end == -1 else text[start:end]


def _report_duplicates(data: Any, log: ProblemLog) -> None:
    if isinstance(data, LineDict):
        for key, line in data.duplicates:
            log.warning("duplicate_key", line, key=key)
        for value in data.values():
            _report_duplicates(value, log)
    elif isinstance(data, list):
        for value in data:
            _report_duplicates(value, log)


@dataclass(frozen=True)
class MarkdownFile:
    """A Markdown file split: its front matter and its Russian and English texts."""

    fields: LineDict
    body_ru: str
    body_en: str
    body_line: int  # the line on which the Russian text starts
    # The lines of the first words of each text (blank lines before them are stripped), so
    # a problem inside a text is told at its own line; 0: no such text.
    ru_line: int = 0
    en_line: int = 0


# Lines are recognised by plain string tests, not regular expressions: a pattern scanned with
# MULTILINE over the body (`^\s*=+\s*english…`, whose \s also crosses lines) went back over
# every blank line from each of them, so 40 KB of blank lines took 19 s.


def _is_fence(line: str) -> bool:
    """`---`, perhaps with spaces after it."""
    return line.startswith("---") and not line[3:].strip()


def is_english_separator(line: str) -> bool:
    """`=== English ===`: one or more «=» on each side, any case, spaces anywhere between."""
    if "=" not in line:
        return False
    text = line.strip()
    if len(text) < 2 or text[0] != "=" or text[-1] != "=":
        return False
    return text.strip("=").strip().lower() == "english"


# The word of a separator line as staff misspell it: «Englsh», «Английский», «Eng», «EN».
_SEPARATOR_WORDS = ("english", "englisch", "engl", "eng", "en", "английский", "английский текст",
                    "английская версия", "англ", "на английском", "english text",
                    "english version", "in english", "перевод", "translation")
_DECORATION = "=-*_~#"
MOST_SEPARATOR_CHARS = 60  # a longer line is a sentence, not a separator
MOST_SEPARATOR_LOOKS = 200  # decorated lines of one text compared with the separator


def near_separator(line: str) -> bool:
    """A line meant as `=== English ===` but not read as one: a word close to «English»
    (or its Russian name) between runs of `=`, `-`, `*`, `_`, `~` or `#` (`--- English ---`,
    `=== Englsh ===`), or that word itself after them (`### English`). Only short lines are
    looked at, each in time linear in its length."""
    text = line.strip()
    if len(text) > MOST_SEPARATOR_CHARS or len(text) < 3 or is_english_separator(line):
        return False
    if text[0] not in _DECORATION:
        return False
    word = " ".join(text.strip(_DECORATION + " ").lower().split())
    if not word or any(char in _DECORATION for char in word):
        return False
    if word in _SEPARATOR_WORDS:  # «### English» too: a heading where the line should be
        return True
    if text[-1] not in _DECORATION:
        return False
    import difflib  # here: most files never get this far

    return bool(difflib.get_close_matches(word, _SEPARATOR_WORDS, n=1, cutoff=0.7))


def parse_markdown_file(text: str, log: ProblemLog) -> MarkdownFile | None:
    """Split `---` front matter from the Markdown body, and the body into Russian and English.
    Lines end at a line feed, a CR LF or a CR, as an editor shows them (str.splitlines also
    ends them at U+2028, a vertical tab and others, and the line numbers said so)."""
    text = text.removeprefix("\ufeff")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()  # the last line's own line feed
    if not lines or not _is_fence(lines[0]):
        log.error("no_front_matter", 1)
        return None
    closing = next((i for i in range(1, len(lines)) if _is_fence(lines[i])), None)
    if closing is None:
        log.error("unclosed_front_matter", len(lines))
        return None
    inner = "\n".join(lines[1:closing])
    fields = parse_yaml(inner, log, line_offset=1) if inner.strip() else LineDict()
    if fields is None:
        return None
    if not isinstance(fields, LineDict):
        if isinstance(fields, str) and (better := _plain_mistake(inner, 0)) is not None:
            code, at, args = better  # the only line: «title:Привет»
            log.error(code, at + 2, **args)
            return None
        log.error("not_a_mapping", 2, found=type(fields).__name__)
        return None
    separator = next((i for i in range(closing + 1, len(lines))
                      if is_english_separator(lines[i])), len(lines))
    # «=== Englsh ===»: English on the Russian screen. The first such line is told (the file
    # is not shown until it is fixed); decorated lines are few, and at most
    # MOST_SEPARATOR_LOOKS of them are compared, so a hostile file costs milliseconds.
    looks = 0
    for i in range(closing + 1, separator):
        if lines[i][:1] in _DECORATION or lines[i].lstrip()[:1] in _DECORATION:
            looks += 1
            if looks > MOST_SEPARATOR_LOOKS:
                break
            if near_separator(lines[i]):
                log.error("separator_misspelt", i + 1, value=lines[i].strip())
                break
    body_ru = "\n".join(lines[closing + 1 : separator]).strip()
    body_en = "\n".join(lines[separator + 1 :]).strip()
    ru_line = next((i + 1 for i in range(closing + 1, separator) if lines[i].strip()), 0)
    en_line = next((i + 1 for i in range(separator + 1, len(lines)) if lines[i].strip()), 0)
    return MarkdownFile(fields, body_ru, body_en, closing + 2, ru_line, en_line)
