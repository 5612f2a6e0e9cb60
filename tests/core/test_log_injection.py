"""A file name, a title or a queue's answer cannot forge or turn round a log line, nor a line of
`kiosk check` (issue 14, attacker review: a file named «x⏎2025-01-01 00:00:00,000 CRITICAL
kiosk.pin: staff PIN accepted⏎y.md» put a forged line in the log)."""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.core.content.loader import ContentLoader
from kiosk.core.content.problems import LANGUAGES, Problem, Severity, printable
from kiosk.core.service.logsetup import setup_logging
from tests.helpers import make_folder, story

FORGED = "2025-01-01 00:00:00,000 CRITICAL kiosk.pin: staff PIN accepted"
NAME = f"x\n{FORGED}\ny.md"
RECORD = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} ")


@pytest.fixture
def logs(tmp_path: Path) -> Iterator[tuple[Path, io.StringIO]]:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    err = io.StringIO()
    setup = setup_logging(tmp_path / "logs", stderr=err)
    yield tmp_path / "logs" / "kiosk.log", err
    setup.close()
    for handler in handlers:
        root.addHandler(handler)
    root.setLevel(level)


def test_a_file_named_with_a_log_line_in_it_forges_nothing(
        tmp_path: Path, logs: tuple[Path, io.StringIO]) -> None:
    log_file, err = logs
    root = make_folder(tmp_path / "c", stories={"ok.md": story()})
    (root / "stories" / NAME).write_text("no front matter\n", encoding="utf-8")
    content = ContentLoader(root).load()
    # Its name (a line break, a colon) is one Windows cannot hold either: told, and escaped too.
    assert {p.code for p in content.problems} == {"no_front_matter", "skipped",
                                                  "windows_name_chars"}
    log = logging.getLogger("kiosk.ui.app")
    for problem in content.problems:  # as kiosk.ui.app.log_problems writes them
        log.error("%s", problem.format("en"))
    log.warning("raw: %s", NAME)  # and a message that does not go through Problem
    for text in (log_file.read_text(encoding="utf-8"), err.getvalue()):
        lines = text.splitlines()
        assert len(lines) == 4 and all(RECORD.match(line) for line in lines)
        assert not any(line.startswith(FORGED) for line in lines)
        assert "x\\n2025-01-01 00:00:00,000 CRITICAL" in lines[0]  # still findable


def test_bidi_and_separators_are_escaped_in_the_log(logs: tuple[Path, io.StringIO]) -> None:
    log_file, _ = logs
    logging.getLogger("kiosk.queue").warning("ticket %s\r%s", "\u202eА017", "\u2028\x85\x1b[2J")
    line = log_file.read_text(encoding="utf-8")
    assert line.count("\n") == 1
    assert "\\u202eА017\\r\\u2028\\u0085\\u001b[2J" in line
    assert not re.search("[\u202e\u2028\x85\x1b\r]", line)


def test_a_traceback_stays_on_its_lines_and_cannot_forge_one(
        logs: tuple[Path, io.StringIO]) -> None:
    log_file, _ = logs
    try:
        raise ValueError(f"bad file\n{FORGED}")
    except ValueError:
        logging.getLogger("kiosk").exception("reading %s failed", "a\nb.md")
    lines = log_file.read_text(encoding="utf-8").splitlines()
    assert RECORD.match(lines[0]) and lines[0].endswith("reading a\\nb.md failed")
    assert lines[1] == "Traceback (most recent call last):"
    assert any(line.startswith('  File "') for line in lines)
    assert lines[-2] == "ValueError: bad file"
    assert lines[-1] == " " + FORGED  # indented: not a record of its own
    assert sum(bool(RECORD.match(line)) for line in lines) == 1


def test_check_output_shows_a_reversed_name_as_it_is_on_disk() -> None:
    """U+202E in a file name showed «gpj.exe» for «exe.jpg» in `kiosk check`'s lines."""
    problem = Problem("stories/\u202egpj.md", 3, Severity.ERROR, "missing_file",
                      {"value": "images/\u202egnp.exe\u2028x"})
    for lang in LANGUAGES:
        line = problem.format(lang)
        assert line.startswith("stories/\\u202egpj.md:3: ")
        assert "images/\\u202egnp.exe\\u2028x" in line
        assert not re.search("[\u202e\u2028\n]", line)


def test_printable_leaves_ordinary_text_alone() -> None:
    text = "Тёплый приём\u00a0— 12\u00adлет «ёлочки» 👩\u200d👧 C:\\path"
    assert printable(text) is text
