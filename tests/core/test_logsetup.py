"""Logs: bounded in size, and a full disk or an unwritable folder stops the file, not the
kiosk."""

from __future__ import annotations

import errno
import io
import logging
import os
import re
from pathlib import Path
from typing import TextIO

import pytest

from kiosk.core.service.journal import under_journald
from kiosk.core.service.logsetup import (
    Logging,
    journal_priority,
    resolve_level,
    setup_logging,
)


class FullDisk(io.StringIO):
    """A log file on a disk with no space left."""

    def write(self, text: str) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")


def test_messages_go_to_stderr_and_the_file(tmp_path: Path, restore_logging: None) -> None:
    err = io.StringIO()
    logs = setup_logging(tmp_path / "logs", stderr=err)
    logging.getLogger("kiosk.test").warning("привет, журнал")
    logs.close()
    assert "привет, журнал" in err.getvalue()
    assert "привет, журнал" in (tmp_path / "logs" / "kiosk.log").read_text(encoding="utf-8")
    assert logs.recent.lines()[-1].endswith("привет, журнал")


def test_total_size_is_bounded(tmp_path: Path, restore_logging: None) -> None:
    logs = setup_logging(tmp_path / "logs", stderr=io.StringIO(), max_bytes=10_000, backups=4)
    for i in range(5000):
        logging.getLogger("kiosk.test").info("line %d %s", i, "x" * 60)
    logs.close()
    files = sorted(p.name for p in (tmp_path / "logs").iterdir())
    assert files == ["kiosk.log", "kiosk.log.1", "kiosk.log.2", "kiosk.log.3", "kiosk.log.4"]
    assert sum(p.stat().st_size for p in (tmp_path / "logs").iterdir()) <= 5 * 10_000
    assert "line 4999" in (tmp_path / "logs" / "kiosk.log").read_text()


@pytest.mark.parametrize("how", ["deleted", "moved"])
def test_a_log_file_deleted_or_moved_by_hand_is_made_again_at_the_next_record(
        tmp_path: Path, restore_logging: None, how: str) -> None:
    """IT deletes kiosk.log to free space, or moves it onto a USB stick: the next lines are in
    a new kiosk.log, not in the file nobody can open any more until 2 MB rotated it."""
    logs = setup_logging(tmp_path / "logs", stderr=io.StringIO())
    log = logging.getLogger("kiosk.test")
    log.warning("before")
    path = tmp_path / "logs" / "kiosk.log"
    if how == "deleted":
        path.unlink()
    else:
        path.rename(tmp_path / "stick.log")
    log.warning("after")
    logs.close()
    assert path.read_text(encoding="utf-8").splitlines()[-1].endswith("after")
    if how == "moved":
        assert "after" not in (tmp_path / "stick.log").read_text(encoding="utf-8")


def test_a_full_disk_stops_the_file_not_the_program(tmp_path: Path,
                                                    restore_logging: None) -> None:
    err = io.StringIO()
    logs = setup_logging(tmp_path / "logs", stderr=err)
    assert logs.file is not None
    log = logging.getLogger("kiosk.test")
    log.info("before the disk filled up")
    assert logs.file.stream is not None
    logs.file.stream.close()
    logs.file.stream = FullDisk()  # type: ignore[assignment]
    for i in range(100):
        log.info("while full %d", i)  # must not raise, must not print 100 tracebacks
    assert logs.file_failures == 1  # the stream was dropped; the file reopened for the rest
    assert "cannot write the log file" in err.getvalue()
    assert "Traceback" not in err.getvalue()
    assert "while full 99" in err.getvalue()  # the journal still gets everything
    log.info("space is back")
    logs.close()
    text = (tmp_path / "logs" / "kiosk.log").read_text()
    assert "before the disk filled up" in text and "space is back" in text


def test_a_disk_that_stays_full_is_counted_and_said_once(tmp_path: Path,
                                                         restore_logging: None,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    err = io.StringIO()
    logs = setup_logging(tmp_path / "logs", stderr=err)
    assert logs.file is not None
    monkeypatch.setattr(logs.file, "_open", lambda: FullDisk())
    for i in range(50):
        logging.getLogger("kiosk.test").error("still full %d", i)
    assert logs.file_failures == 50
    assert err.getvalue().count("cannot write the log file") == 1
    monkeypatch.undo()
    logging.getLogger("kiosk.test").error("free again")
    assert "written again" in err.getvalue()
    logs.close()


def unwritable(tmp_path: Path) -> Path:
    if os.geteuid() == 0:  # root ignores permissions: a folder under a regular file
        (tmp_path / "file").write_text("x")
        return tmp_path / "file" / "logs"
    folder = tmp_path / "ro"
    folder.mkdir(mode=0o500)
    return folder / "logs"


def test_an_unwritable_log_folder_leaves_stderr(tmp_path: Path, restore_logging: None) -> None:
    err = io.StringIO()
    logs: Logging = setup_logging(unwritable(tmp_path), stderr=err)
    logging.getLogger("kiosk.test").warning("still here")
    assert logs.file is None
    assert "cannot be created" in err.getvalue() and "still here" in err.getvalue()
    logs.close()


def test_an_existing_but_read_only_log_folder_counts_failures(tmp_path: Path,
                                                              restore_logging: None) -> None:
    folder = tmp_path / "logs"
    folder.mkdir()
    (folder / "kiosk.log").mkdir()  # the file cannot be opened, whoever we are
    err = io.StringIO()
    logs = setup_logging(folder, stderr=err)
    logging.getLogger("kiosk.test").warning("one")
    logging.getLogger("kiosk.test").warning("two")
    assert logs.file_failures == 2
    assert err.getvalue().count("cannot write the log file") == 1
    logs.close()


# -- the journal's priorities and the level -----------------------------------------------------


def journal_of(stream: TextIO) -> dict[str, str]:
    """The environment systemd gives a unit whose stderr is this stream."""
    info = os.fstat(stream.fileno())
    return {"JOURNAL_STREAM": f"{info.st_dev}:{info.st_ino}"}


def test_the_journal_is_recognised_by_its_stream_not_by_the_variable(tmp_path: Path) -> None:
    with open(tmp_path / "stream", "w") as stream, open(tmp_path / "other", "w") as other:
        assert under_journald(stream, journal_of(stream))
        # A child whose stderr was redirected inherits the variable, not the stream.
        assert not under_journald(other, journal_of(stream))
        for wrong in ("", "12", "a:b", ":", "1:2:3"):
            assert not under_journald(stream, {"JOURNAL_STREAM": wrong})
        assert not under_journald(stream, {})
        assert not under_journald(None, journal_of(other))
        env = journal_of(stream)
    assert not under_journald(stream, env)  # closed
    assert not under_journald(io.StringIO(), {"JOURNAL_STREAM": "1:2"})  # no descriptor


def test_priorities_follow_syslogs() -> None:
    assert [journal_priority(level) for level in (logging.CRITICAL, logging.ERROR,
                                                  logging.WARNING, logging.INFO,
                                                  logging.DEBUG, 5, 35)] == [2, 3, 4, 6, 7, 7, 4]


def emit_one_of_each(name: str) -> None:
    log = logging.getLogger(name)
    log.debug("a detail")
    log.info("started")
    log.warning("a content problem")
    try:
        raise ValueError("bad\nvalue")
    except ValueError:
        log.exception("a fault the kiosk survives")
    log.critical("the end", stack_info=True)


def test_under_the_journal_every_line_of_a_record_carries_its_priority(
        tmp_path: Path, restore_logging: None) -> None:
    with open(tmp_path / "stderr", "w", encoding="utf-8") as stream:
        logs = setup_logging(tmp_path / "logs", logging.DEBUG, stderr=stream,
                             env=journal_of(stream))
        emit_one_of_each("kiosk.test")
        logs.close()
    lines = (tmp_path / "stderr").read_text(encoding="utf-8").splitlines()
    priorities = [line[:3] for line in lines]
    assert all(re.fullmatch(r"<[2-7]>", p) for p in priorities), lines
    assert lines[:3] == ["<7>DEBUG kiosk.test: a detail", "<6>INFO kiosk.test: started",
                         "<4>WARNING kiosk.test: a content problem"]  # journald stamps the time
    fault = lines.index("<3>ERROR kiosk.test: a fault the kiosk survives")
    end = lines.index("<2>CRITICAL kiosk.test: the end")
    assert lines[fault + 1] == "<3>Traceback (most recent call last):"
    assert set(priorities[fault:end]) == {"<3>"}  # the traceback's lines too
    # An exception's text of two lines: the second has its priority too.
    assert lines[end - 2:end] == ["<3>ValueError: bad", "<3>value"]
    assert set(priorities[end:]) == {"<2>"} and len(lines) > end + 2  # and a stack's
    # The file keeps its format: a time, no priorities.
    text = (tmp_path / "logs" / "kiosk.log").read_text(encoding="utf-8")
    assert not re.search(r"^<\d>", text, re.MULTILINE)
    assert re.search(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} ERROR kiosk.test: a fault", text,
                     re.MULTILINE)


def test_elsewhere_stderr_reads_as_before(tmp_path: Path, restore_logging: None) -> None:
    with open(tmp_path / "stderr", "w", encoding="utf-8") as stream, \
            open(tmp_path / "elsewhere", "w") as journal:
        logs = setup_logging(None, stderr=stream,
                             env=journal_of(journal))
        emit_one_of_each("kiosk.test")
        logs.close()
    text = (tmp_path / "stderr").read_text(encoding="utf-8")
    assert not re.search(r"^<\d>", text, re.MULTILINE)
    assert re.match(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} INFO kiosk.test: started\n", text)


def test_complaints_about_the_file_carry_a_warnings_priority(tmp_path: Path,
                                                             restore_logging: None) -> None:
    with open(tmp_path / "stderr", "w", encoding="utf-8") as stream:
        logs = setup_logging(unwritable(tmp_path), stderr=stream,
                             env=journal_of(stream))
        folder = tmp_path / "logs"
        folder.mkdir()
        (folder / "kiosk.log").mkdir()
        full = setup_logging(folder, stderr=stream, env=journal_of(stream))
        logging.getLogger("kiosk.test").warning("one")
        logs.close()
        full.close()
    lines = (tmp_path / "stderr").read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("<4>kiosk: log folder") and "cannot be created" in lines[0]
    assert any(line.startswith("<4>kiosk: cannot write the log file") for line in lines)


def test_the_level_applies_to_stderr_and_the_file_not_to_the_staff_ring(
        tmp_path: Path, restore_logging: None) -> None:
    err = io.StringIO()
    logs = setup_logging(tmp_path / "logs", logging.ERROR, stderr=err)
    emit_one_of_each("kiosk.test")
    logging.getLogger("kiosk.test").warning("for the staff only")
    logs.close()
    text = (tmp_path / "logs" / "kiosk.log").read_text(encoding="utf-8")
    for shown in (err.getvalue(), text):
        assert "a fault the kiosk survives" in shown and "the end" in shown
        assert "started" not in shown and "a content problem" not in shown
        assert "for the staff only" not in shown
    assert logs.recent.lines()[-1].endswith("WARNING kiosk.test: for the staff only")
    err = io.StringIO()
    logs = setup_logging(tmp_path / "logs", logging.DEBUG, stderr=err)
    logging.getLogger("kiosk.test").debug("a detail")
    logs.close()
    assert "DEBUG kiosk.test: a detail" in err.getvalue()
    assert "a detail" in (tmp_path / "logs" / "kiosk.log").read_text(encoding="utf-8")


def test_the_option_wins_over_the_variable_and_a_wrong_variable_is_said() -> None:
    assert resolve_level(None, {}) == (logging.INFO, None)
    assert resolve_level(None, {"KIOSK_LOG_LEVEL": "Debug"}) == (logging.DEBUG, None)
    assert resolve_level("error", {"KIOSK_LOG_LEVEL": "debug"}) == (logging.ERROR, None)
    assert resolve_level("warning", {}) == (logging.WARNING, None)
    assert resolve_level(None, {"KIOSK_LOG_LEVEL": " "}) == (logging.INFO, None)
    level, complaint = resolve_level(None, {"KIOSK_LOG_LEVEL": "verbose\n"})
    assert level == logging.INFO
    assert complaint == ("KIOSK_LOG_LEVEL='verbose' is not one of debug, info, warning, error: "
                         "logging at info")
