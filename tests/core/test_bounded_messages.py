"""Every message and log record is bounded, whatever it quotes: once a 470-byte story made a
52 MB message, logged as one 52 MB line past the 2 MB log cap and stored in the index."""

from __future__ import annotations

import io
import logging
from pathlib import Path

from kiosk.core.content.problems import MAX_VALUE_CHARS, Problem, ProblemLog, Severity
from kiosk.core.service.logsetup import MAX_MESSAGE_CHARS, MAX_TRACE_CHARS, setup_logging


def test_a_huge_log_record_is_cut_in_every_handler(tmp_path: Path,
                                                   restore_logging: None) -> None:
    err = io.StringIO()
    logs = setup_logging(tmp_path / "logs", stderr=err)
    try:
        logging.getLogger("kiosk.test").warning("значение: %s", "ы" * 10_000_000)
        logging.getLogger("kiosk.test").warning("короткая запись")
    finally:
        logs.close()
    for text in (err.getvalue(), (tmp_path / "logs" / "kiosk.log").read_text("utf-8")):
        first, second = text.splitlines()
        assert first.count("ы") < MAX_MESSAGE_CHARS < len(first) < MAX_MESSAGE_CHARS + 200
        assert first.endswith("characters cut]") and "значение: ыыы" in first
        assert second.endswith("короткая запись")
    assert len(logs.recent.lines()[-2]) < MAX_MESSAGE_CHARS + 200


def test_a_huge_exception_keeps_its_head_and_its_end(tmp_path: Path,
                                                      restore_logging: None) -> None:
    err = io.StringIO()
    logs = setup_logging(None, stderr=err)
    try:
        raise ValueError("x" * 1_000_000 + " the end")
    except ValueError:
        logging.getLogger("kiosk.test").exception("не удалось")
    finally:
        logs.close()
    text = err.getvalue()
    assert len(text) < MAX_MESSAGE_CHARS + MAX_TRACE_CHARS
    assert "не удалось" in text and "Traceback (most recent call last)" in text
    assert text.rstrip().endswith("the end") and "characters cut" in text


def test_a_problem_quoting_a_huge_value_is_bounded_when_made() -> None:
    problems: list[Problem] = []
    ProblemLog("s.md", problems).error("wrong_type", 3, key="title", expected="text",
                                       value="[" + "'ха', " * 1_000_000 + "]", default="nothing")
    problem = problems[0]
    assert len(problem.args["value"]) == MAX_VALUE_CHARS
    assert problem.args["value"].endswith("…") and problem.args["key"] == "title"
    for lang in ("ru", "en"):
        assert len(problem.format(lang)) < 1000
    assert "ожидается текст, а указано «['ха', 'ха'" in problem.format("ru")


def test_short_values_are_kept_whole() -> None:
    problem = Problem("k.yaml", 1, Severity.WARNING, "unknown_key",
                      {"key": "slide_second", "suggest": "slide_seconds"})
    assert problem.args == {"key": "slide_second", "suggest": "slide_seconds"}
    assert "slide_seconds" in problem.format("ru")
