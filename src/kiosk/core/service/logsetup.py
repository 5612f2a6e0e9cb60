"""Logging for an unattended kiosk: stderr for the journal, plus rotating files of bounded
total size in the state folder, for centres that read logs from a USB stick rather than
journalctl.

Files: `kiosk.log` and at most BACKUPS older ones of MAX_BYTES each (10 MB in all by default).
A full disk or an unwritable folder stops the file logging, never the kiosk: the file handler
swallows its own errors, counts them, says so once on stderr, and tries again on the next
message (so logging resumes by itself when space comes back). A kiosk.log deleted or moved
by hand is made again at the next record. Each record is cut to 4 KB of
message and 8 KB of traceback, whoever logs it, and its message is kept on one line: control,
bidi and line-separator characters in it are written as escapes («\\n», «\\u202e»), so a file
named «x⏎2025-01-01 00:00:00,000 CRITICAL …» cannot forge a log line.

Under systemd (stderr is the journal's stream: $JOURNAL_STREAM names its device and inode) each
stderr line starts with its syslog priority, «<3>» for an error (journald reads it: the
unit's SyslogLevelPrefix=yes, systemd's default), every line of a traceback too, so
`journalctl -p err` shows whole records; the journal stamps the time itself. Elsewhere, and in
the files, lines read as before. The level (`--log-level`, $KIOSK_LOG_LEVEL) applies to both;
the staff diagnostics' ring keeps warnings whatever it is.
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from kiosk.core.content.problems import printable
from kiosk.core.paths import private_dir, private_file
from kiosk.core.service import recent_log
from kiosk.core.service.journal import under_journald
from kiosk.core.service.recent_log import RecentLog

MAX_BYTES = 2 * 1024 * 1024
BACKUPS = 4  # kiosk.log + kiosk.log.1 … .4: five files, 10 MB at most
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
JOURNAL_FORMAT = "%(levelname)s %(name)s: %(message)s"  # journald stamps each line itself
# `--log-level` and $KIOSK_LOG_LEVEL: the option wins; info if neither (or a wrong one) is given.
LEVELS = {"debug": logging.DEBUG, "info": logging.INFO, "warning": logging.WARNING,
          "error": logging.ERROR}
LEVEL_ENV = "KIOSK_LOG_LEVEL"
# Each record is cut to this, whatever a caller logs (once a 52 MB YAML error message went into
# one line, past the file cap): its message, and its traceback (head and tail kept: the
# exception is at the end).
MAX_MESSAGE_CHARS = 4096
MAX_TRACE_CHARS = 8192


def _cut(text: str, most: int, keep_tail: bool = False) -> str:
    if len(text) <= most:
        return text
    note = f" … [{len(text) - most} characters cut] … "
    if not keep_tail:
        return text[:most] + note.rstrip(" …")
    half = most // 2
    return text[:half] + note + text[-half:]


class CapRecords(logging.Filter):
    """Cuts a record's message and traceback in place, so every handler after the first sees
    the short one (the record is shared), and puts the message on one line (`printable`: what
    content brings, a file name, a title, a queue's answer, is in messages). A traceback stays
    on its lines (the formatter adds it after the message); a line of it that could pass for a
    record of its own (an exception's text from content) is indented."""

    _traces = logging.Formatter()

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a bad format string: logging reports it in the handler as usual
            return True
        shown = printable(_cut(message, MAX_MESSAGE_CHARS))
        if shown is not message:
            record.msg, record.args = shown, None
        if record.exc_info and not record.exc_text:
            record.exc_text = self._traces.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = _trace_lines(_cut(record.exc_text, MAX_TRACE_CHARS, True))
        if record.stack_info:
            record.stack_info = _trace_lines(_cut(record.stack_info, MAX_TRACE_CHARS, True))
        return True


def _trace_lines(trace: str) -> str:
    """A traceback on its own lines, each made printable; a line starting with a digit (as
    a record's time does) is indented: no traceback line of Python's starts with one."""
    lines = trace.split("\n")
    fixed = [(" " + shown if shown[:1].isdigit() else shown)
             for shown in (printable(line) for line in lines)]
    return trace if fixed == lines else "\n".join(fixed)


CAP_RECORDS = CapRecords()


class SafeRotatingFileHandler(logging.FileHandler):
    """Size-rotated log files (as logging.handlers.RotatingFileHandler, whose module costs
    ~7 ms of start-up for sockets and pickling we never use) whose failures are counted,
    never raised or printed per record."""

    def __init__(self, filename: Path, max_bytes: int = MAX_BYTES, backups: int = BACKUPS,
                 complaints: TextIO | None = None) -> None:
        # delay: the file is opened at the first record, so an unwritable folder is an error
        # of that record (counted), not of start-up.
        super().__init__(filename, encoding="utf-8", delay=True)
        self.max_bytes = max_bytes
        self.backups = backups
        self.failures = 0
        self.failing = False
        self._complaints = complaints
        self.complaint_prefix = ""  # «<4>» when stderr is the journal's stream
        self._error_in_emit = False
        self.addFilter(CAP_RECORDS)

    def _open(self) -> io.TextIOWrapper:
        # 0600 whatever the umask: the log names the problems and what staff did.
        private_file(Path(self.baseFilename))
        return super()._open()

    def _should_rotate(self, record: logging.LogRecord) -> bool:
        if self.stream is not None and self._moved_away():
            # Deleted or moved by hand (to free space, onto a USB stick): written to where
            # nobody reads, for days until the size rotated it. A new file instead.
            with contextlib.suppress(OSError, ValueError):
                self.stream.close()
            self.stream = None
        if self.stream is None:
            self.stream = self._open()
        size = len((self.format(record) + self.terminator).encode("utf-8"))
        self.stream.seek(0, os.SEEK_END)
        return self.stream.tell() + size > self.max_bytes > 0 and self.stream.tell() > 0

    def _moved_away(self) -> bool:
        """Whether the open file is no longer the one at the log's name (one stat a
        record)."""
        assert self.stream is not None
        try:
            opened = os.fstat(self.stream.fileno())
        except (OSError, ValueError):
            return False  # not a file of its own to tell by: written as before
        try:
            here = os.stat(self.baseFilename)
        except FileNotFoundError:
            return True
        except OSError:
            return False
        return (here.st_dev, here.st_ino) != (opened.st_dev, opened.st_ino)

    def _rotate(self) -> None:
        """kiosk.log → kiosk.log.1 → … → kiosk.log.N (the oldest is overwritten)."""
        if self.stream is not None:
            self.stream.close()
            self.stream = None
        base = self.baseFilename
        for i in range(self.backups - 1, 0, -1):
            if os.path.exists(f"{base}.{i}"):
                os.replace(f"{base}.{i}", f"{base}.{i + 1}")
        if self.backups > 0 and os.path.exists(base):
            os.replace(base, f"{base}.1")
        elif os.path.exists(base):
            os.remove(base)
        self.stream = self._open()

    def emit(self, record: logging.LogRecord) -> None:
        self._error_in_emit = False
        try:
            if self._should_rotate(record):
                self._rotate()
            super().emit(record)  # catches its own exceptions and calls handleError
        except Exception:
            self.handleError(record)
        if self.failing and not self._error_in_emit:
            self.failing = False
            self._complain(f"kiosk: log file {self.baseFilename} is written again")

    def handleError(self, record: logging.LogRecord) -> None:
        self._error_in_emit = True
        self.failures += 1
        error = sys.exc_info()[1]
        # Drop the stream: what is buffered in it cannot be written, and the next record
        # reopens the file (after a rotation it may be a fresh one).
        stream, self.stream = self.stream, None
        if stream is not None:
            with contextlib.suppress(OSError, ValueError):
                stream.close()
        if not self.failing:
            self.failing = True
            self._complain(f"kiosk: cannot write the log file {self.baseFilename} ({error}); "
                           "file logging paused, the kiosk goes on")

    def _complain(self, message: str) -> None:
        target = self._complaints if self._complaints is not None else sys.__stderr__
        if target is None:
            return
        with contextlib.suppress(OSError, ValueError):
            print(self.complaint_prefix + message, file=target, flush=True)


def resolve_level(option: str | None, env: Mapping[str, str] = os.environ,
                  ) -> tuple[int, str | None]:
    """The log level from the command line's option, else from $KIOSK_LOG_LEVEL, else info;
    with a warning to log if the variable holds something else (a typo in a unit must not
    stop the kiosk)."""
    if option is not None:
        return LEVELS[option], None
    value = env.get(LEVEL_ENV, "").strip()
    if not value or value.lower() in LEVELS:
        return LEVELS.get(value.lower(), logging.INFO), None
    return logging.INFO, (f"{LEVEL_ENV}={printable(value[:40])!r} is not one of "
                          f"{', '.join(LEVELS)}: logging at info")


def journal_priority(levelno: int) -> int:
    """The syslog priority of a logging level: critical 2, error 3, warning 4, info 6,
    debug 7 (levels in between take the lower one's)."""
    for floor, priority in ((logging.CRITICAL, 2), (logging.ERROR, 3), (logging.WARNING, 4),
                            (logging.INFO, 6)):
        if levelno >= floor:
            return priority
    return 7


class JournalFormatter(logging.Formatter):
    """Each line of a record with its priority, «<3>»: journald takes a prefix per line, so a
    traceback's lines would otherwise come out at the stream's default, info."""

    def __init__(self) -> None:
        super().__init__(JOURNAL_FORMAT)

    def format(self, record: logging.LogRecord) -> str:
        prefix = f"<{journal_priority(record.levelno)}>"
        return "\n".join(prefix + line for line in super().format(record).split("\n"))


@dataclass
class Logging:
    """The handlers `kiosk run` logs through: the rotated file, the ring the staff read."""

    file: SafeRotatingFileHandler | None
    recent: RecentLog  # the one ring the staff diagnostics screen reads
    handlers: list[logging.Handler] = field(default_factory=list)

    @property
    def file_failures(self) -> int:
        return self.file.failures if self.file is not None else 0

    def close(self) -> None:
        root = logging.getLogger()
        for handler in self.handlers:
            root.removeHandler(handler)
            handler.close()


def setup_logging(log_dir: Path | None, level: int = logging.INFO,
                  stderr: TextIO | None = None, max_bytes: int = MAX_BYTES,
                  backups: int = BACKUPS, env: Mapping[str, str] = os.environ) -> Logging:
    """Replace the root logger's handlers: stderr (with priorities, if it is the journal's
    stream), the rotating file (unless `log_dir` is None or cannot be made), both at `level`,
    and the recent-problems buffer."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        root.removeHandler(handler)
        if isinstance(handler, SafeRotatingFileHandler):
            handler.close()  # set up before (tests): its file would stay open
    # Warnings are made whatever the level: the staff diagnostics' ring shows them.
    root.setLevel(min(level, logging.WARNING))
    formatter = logging.Formatter(FORMAT)
    stream = stderr if stderr is not None else sys.stderr
    journal = under_journald(stream, env)
    console = logging.StreamHandler(stream)
    console.setFormatter(JournalFormatter() if journal else formatter)
    handlers: list[logging.Handler] = [console]
    file_handler: SafeRotatingFileHandler | None = None
    if log_dir is not None:
        try:
            private_dir(log_dir)
        except OSError as exc:
            print(f"{'<4>' if journal else ''}kiosk: log folder {log_dir} cannot be created "
                  f"({exc}); logging to stderr only", file=stream, flush=True)
        else:
            file_handler = SafeRotatingFileHandler(log_dir / "kiosk.log", max_bytes, backups,
                                                   complaints=stderr)
            file_handler.complaint_prefix = "<4>" if journal else ""
            file_handler.setFormatter(formatter)
            handlers.append(file_handler)
    for handler in handlers:
        handler.setLevel(level)
        handler.addFilter(CAP_RECORDS)
        root.addHandler(handler)
    recent = recent_log.install(root)
    recent.addFilter(CAP_RECORDS)  # it keeps 20 records' first lines in memory
    return Logging(file_handler, recent, [*handlers, recent])
