"""Content is read in time linear in its size, and no text file is read past the size cap.

The hostile inputs are checked for their result under a time limit, not timed: a parser that
is quadratic again shows as a test that runs out of time (60 KB of blank lines then «=x» took
26 s). bench/adversarial.py has the times against size.
"""

from __future__ import annotations

import os
import tracemalloc
from pathlib import Path

import pytest

from kiosk.core.content.loader import ContentLoader
from kiosk.core.content.problems import Problem, ProblemLog
from kiosk.core.content.yamlsrc import (
    MAX_TEXT_BYTES,
    NotRegularFile,
    is_english_separator,
    parse_markdown_file,
    read_at_most,
)
from kiosk.core.typeset import MAX_LIST_ITEMS, typeset_markdown
from tests.helpers import make_folder, story


def codes(problems: tuple[Problem, ...]) -> list[tuple[str, int | None, str]]:
    return [(Path(p.path).name, p.line, p.code) for p in problems]


@pytest.mark.timeout(10)
@pytest.mark.parametrize("blank", ["\n", "\n \n", "\t\n"])
def test_blank_lines_then_a_line_of_equals_signs_are_read_at_once(blank: str) -> None:
    front = "---\ntitle: Заголовок\n---\n"
    for size in (40_000, 60_000, MAX_TEXT_BYTES - 100):
        text = front + "Начало.\n" + blank * (size // len(blank)) + "=x"
        problems: list[Problem] = []
        md = parse_markdown_file(text, ProblemLog("s.md", problems))
        assert md is not None and problems == []
        assert md.body_ru.startswith("Начало.") and md.body_ru.endswith("=x")
        assert md.body_en == ""
        # The same blank lines before a real separator: it still splits the texts.
        md = parse_markdown_file(text.replace("=x", "=== English ===\nText."),
                                 ProblemLog("s.md", problems))
        assert md is not None and md.body_ru == "Начало." and md.body_en == "Text."


@pytest.mark.parametrize("line, separates", [
    ("=== English ===", True), ("==english==", True), ("= ENGLISH =", True),
    ("   ===   English   ===   ", True), ("=\tEnglish\t=", True),
    ("=== English", False), ("English ===", False), ("=== Englishman ===", False),
    ("=== Русский ===", False), ("= = English = =", False), ("=x", False), ("==", False),
])
def test_the_english_separator_is_one_line(line: str, separates: bool) -> None:
    assert is_english_separator(line) is separates
    md = parse_markdown_file(f"---\ntitle: T\n---\nРусский.\n{line}\nMore.\n",
                             ProblemLog("s.md", []))
    assert md is not None
    assert (md.body_en == "More.") is separates


def test_the_separator_does_not_reach_across_lines() -> None:
    """`=\\nenglish\\n=` are three lines of text, not a separator."""
    md = parse_markdown_file("---\ntitle: T\n---\nРусский.\n=\nenglish\n=\nMore.\n",
                             ProblemLog("s.md", []))
    assert md is not None and md.body_en == "" and md.body_ru.endswith("More.")


def test_a_story_at_the_cap_is_read_and_one_byte_more_is_refused(tmp_path: Path) -> None:
    # The bulk in a comment of the front matter: a text itself is capped far lower
    # (loader.MAX_BODY_BYTES, tests/core/test_text_limits.py).
    head, tail = "---\ntitle: Длинная\n# ", "\n---\nТекст истории.\n"
    exact = head + "я" * ((MAX_TEXT_BYTES - len(head.encode()) - len(tail.encode())) // 2)
    exact += "x" * (MAX_TEXT_BYTES - len(exact.encode()) - len(tail.encode())) + tail
    assert len(exact.encode()) == MAX_TEXT_BYTES
    root = make_folder(tmp_path / "c", stories={"exact.md": exact, "over.md": exact + "x"})
    content = ContentLoader(root).load()
    assert [s.id for s in content.stories] == ["exact"]
    assert codes(content.problems) == [("over.md", None, "file_too_large"),
                                       ("over.md", None, "skipped")]
    message = content.problems[0].message("ru")
    assert "257 КБ" in message and "не больше 256 КБ" in message


@pytest.mark.timeout(20)
def test_a_huge_file_is_never_read_whole(tmp_path: Path) -> None:
    root = make_folder(tmp_path / "c", stories={"ok.md": story()})
    huge = root / "stories" / "huge.md"
    with huge.open("wb") as file:  # 8 GB, sparse: instant, and no disk space
        file.write(b"---\ntitle: x\n---\n")
        file.truncate(8 << 30)
    (root / "kiosk.yaml").write_bytes(b"# " + b"x" * MAX_TEXT_BYTES)
    tracemalloc.start()
    try:
        content = ContentLoader(root).load()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 4 * MAX_TEXT_BYTES
    assert codes(content.problems) == [("kiosk.yaml", None, "file_too_large"),
                                       ("huge.md", None, "file_too_large"),
                                       ("huge.md", None, "skipped")]
    assert "8388608 КБ" in content.problems[1].message("ru")
    assert [s.id for s in content.stories] == ["ok"]


@pytest.mark.timeout(20)
def test_a_fifo_in_place_of_kiosk_yaml_is_refused_not_waited_on(tmp_path: Path) -> None:
    root = make_folder(tmp_path / "c", stories={"ok.md": story()})
    fifo = root / "kiosk.yaml"
    os.mkfifo(fifo)  # nobody ever writes to it: opening it to read would block for good
    content = ContentLoader(root).load()
    assert codes(content.problems) == [("kiosk.yaml", None, "special_file")]
    assert [s.id for s in content.stories] == ["ok"]
    # The reading itself refuses it too (it may become a FIFO after the folder was listed).
    with pytest.raises(NotRegularFile):
        read_at_most(fifo)


@pytest.mark.timeout(20)
def test_a_list_too_long_for_qt_is_cut_to_lines_of_text() -> None:
    """Qt's Markdown reader takes time quadratic in a list's items (12,800 took 8 s on the
    UI thread): past MAX_LIST_ITEMS the markers are escaped, so Qt sees text."""
    body = "- пункт\n" * 20_000
    lines = typeset_markdown(body, "ru").split("\n")
    items = [line for line in lines if line.startswith("- ")]
    assert len(items) == MAX_LIST_ITEMS
    assert lines[MAX_LIST_ITEMS].startswith("\\- ")
    short = "- один\n- два\n\n1. раз\n2. два\n"
    assert typeset_markdown(short, "ru") == short  # ordinary lists are left alone
