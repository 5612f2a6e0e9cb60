"""Logs: bounded in size, and a full disk or an unwritable folder stops the file, not the
kiosk."""

from __future__ import annotations

import errno
import io
import logging
import os
from pathlib import Path

import pytest

from kiosk.core.logsetup import Logging, setup_logging


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
