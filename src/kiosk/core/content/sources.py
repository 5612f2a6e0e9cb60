"""Reading one content text file: bytes to parsed YAML or Markdown, with its problems.

This is the part of loading that touches what staff wrote before anything is checked, so it
is what runs in the sandbox's child (kiosk.core.content.sandbox): kept to the few modules it needs,
so a child starts in a fraction of the loader's import time.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kiosk.core.content.problems import Problem, ProblemLog, cap_problems
from kiosk.core.content.yamlsrc import (
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
    if (code := _not_text(raw)) is not None:  # a Word file or UTF-16 under a text's name
        log.error(code, None, value=path.name)
        return None
    # Caught mid-copy (or a copy cut short): a file made empty before it is written (Explorer,
    # `cp`, rsync --inplace), or made its full size in zeros first (robocopy). Told as such,
    # not as a file lacking its «---» or its text, and an error, so the last good version stays.
    if raw.endswith(b"\0"):
        log.error("file_incomplete", None, value=path.name)
        return None
    if not raw.removeprefix(b"\xef\xbb\xbf").strip():
        log.error("file_empty", None, value=path.name)
        return None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.end == len(raw) and exc.reason == "unexpected end of data":
            # UTF-8 all through but a letter cut at the very end: a copy stopped mid-letter
            # (rsync --inplace, a network copy), not a file in another encoding.
            log.error("file_cut_short", None, value=path.name)
            return None
        line = raw[: exc.start].count(b"\n") + 1
        log.error("not_utf8", line)
        return None


# The first bytes of word processors' files: .docx and .odt (zip), .doc (OLE2), .rtf.
_WORD_MAGIC = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"{\\rtf")


def _not_text(raw: bytes) -> str | None:
    """`file_is_word` or `file_is_utf16` when the bytes say so (a renamed .docx read as text
    gave «not UTF-8», and saving it «as UTF-8» from Word gave a .docx again), else None."""
    if raw.startswith(_WORD_MAGIC):
        return "file_is_word"
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "file_is_utf16"
    head = raw[:512]
    # Without its mark: every other byte is 0 in Latin text and in YAML's «key: value».
    zeros = sorted((head[0::2].count(0), head[1::2].count(0)))
    if len(head) >= 8 and zeros[1] * 4 >= len(head) // 2 and zeros[0] * 3 < zeros[1]:
        return "file_is_utf16"
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
