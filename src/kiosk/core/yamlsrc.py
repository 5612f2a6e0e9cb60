"""YAML and Markdown-with-front-matter reading that remembers on which line each key stands."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import yaml

from kiosk.core.problems import ProblemLog


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


# libyaml's parser when PyYAML has it (its wheels do): several times faster on 37,000 stories.
_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _LineLoader(_BaseLoader):  # type: ignore[misc, valid-type]
    """SafeLoader whose mappings are LineDicts (line numbers, duplicate keys recorded)."""

    line_offset = 0

    def construct_line_mapping(self, node: yaml.MappingNode, deep: bool = False) -> LineDict:
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


_LineLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
    _LineLoader.construct_line_mapping,
)
# Dates stay text: staff write «2023-08-22» and the loader parses and reports it itself.
def _timestamp_as_text(loader: _LineLoader, node: yaml.Node) -> str:
    assert isinstance(node, yaml.ScalarNode)
    return str(loader.construct_scalar(node))


_LineLoader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_as_text)


def parse_yaml(text: str, log: ProblemLog, line_offset: int = 0) -> Any:
    """Parse YAML; on a syntax error log it with its line and return None."""
    try:
        loader = _LineLoader(text)
        loader.line_offset = line_offset
        try:
            data = loader.get_single_data()
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 + line_offset if mark else None
        detail = " ".join(filter(None, [exc.context, exc.problem]))
        lines = text.splitlines()
        if mark is not None and mark.line < len(lines) and "\t" in lines[mark.line]:
            detail = f"found character '\\t' {detail}"  # libyaml does not name the tab
        log.error("yaml_syntax", line, detail=detail or "?")
        return None
    except yaml.YAMLError as exc:
        log.error("yaml_syntax", None, detail=str(exc))
        return None
    _report_duplicates(data, log)
    return data


def _report_duplicates(data: Any, log: ProblemLog) -> None:
    if isinstance(data, LineDict):
        for key, line in data.duplicates:
            log.warning("duplicate_key", line, key=key)
        for value in data.values():
            _report_duplicates(value, log)
    elif isinstance(data, list):
        for value in data:
            _report_duplicates(value, log)


_FENCE = re.compile(r"^---\s*$")
ENGLISH_SEPARATOR = re.compile(r"^\s*=+\s*english\s*=+\s*$", re.IGNORECASE | re.MULTILINE)


@dataclass(frozen=True)
class MarkdownFile:
    fields: LineDict
    body_ru: str
    body_en: str
    body_line: int  # the line on which the Russian text starts


def parse_markdown_file(text: str, log: ProblemLog) -> MarkdownFile | None:
    """Split `---` front matter from the Markdown body, and the body into Russian and English."""
    text = text.removeprefix("\ufeff")
    lines = text.splitlines()
    if not lines or not _FENCE.match(lines[0]):
        log.error("no_front_matter", 1)
        return None
    closing = next((i for i in range(1, len(lines)) if _FENCE.match(lines[i])), None)
    if closing is None:
        log.error("unclosed_front_matter", len(lines))
        return None
    inner = "\n".join(lines[1:closing])
    fields = parse_yaml(inner, log, line_offset=1) if inner.strip() else LineDict()
    if fields is None:
        return None
    if not isinstance(fields, LineDict):
        log.error("not_a_mapping", 2, found=type(fields).__name__)
        return None
    body = "\n".join(lines[closing + 1 :])
    parts = ENGLISH_SEPARATOR.split(body, maxsplit=1)
    body_ru = parts[0].strip()
    body_en = parts[1].strip() if len(parts) > 1 else ""
    return MarkdownFile(fields, body_ru, body_en, closing + 2)
