"""Reading one content text file: bytes to parsed YAML or Markdown, with its problems.

This is the part of loading that touches what staff wrote before anything is checked, so it
is what runs in the sandbox's child (kiosk.core.sandbox): kept to the few modules it needs,
so a child starts in a fraction of the loader's import time.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kiosk.core.problems import Problem, ProblemLog, cap_problems
from kiosk.core.yamlsrc import (
    MAX_TEXT_BYTES,
    MarkdownFile,
    NotRegularFile,
    parse_markdown_file,
    parse_yaml,
    read_at_most,
)


def read_text(path: Path, log: ProblemLog) -> str | None:
    try:
        raw, size = read_at_most(path, MAX_TEXT_BYTES)
    except NotRegularFile:  # made a FIFO or a device since it was listed
        log.error("special_file", None, value=path.name)
        return None
    except OSError as exc:
        log.error("unreadable", None, detail=exc.strerror or str(exc))
        return None
    if len(raw) > MAX_TEXT_BYTES:  # only MAX_TEXT_BYTES + 1 bytes were read
        log.error("file_too_large", None, size=str(-(-max(size, len(raw)) // 1024)),
                  most=str(MAX_TEXT_BYTES // 1024))
        return None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        log.error("not_utf8", line)
        return None


def read_yaml(path: Path, log: ProblemLog) -> Any:
    text = read_text(path, log)
    return parse_yaml(text.removeprefix("\ufeff"), log) if text is not None else None


def read_markdown(path: Path, log: ProblemLog) -> MarkdownFile | None:
    text = read_text(path, log)
    return parse_markdown_file(text, log) if text is not None else None


def markdown_source(path: str) -> tuple[MarkdownFile | None, list[Problem]]:
    """In the sandbox's child: a Markdown file with front matter, parsed, and its problems."""
    problems: list[Problem] = []
    parsed = read_markdown(Path(path), ProblemLog(path, problems))
    return parsed, cap_problems(problems)


def yaml_source(path: str) -> tuple[Any, list[Problem]]:
    """In the sandbox's child: a YAML file, parsed, and its problems."""
    problems: list[Problem] = []
    parsed = read_yaml(Path(path), ProblemLog(path, problems))
    return parsed, cap_problems(problems)
