"""Crash-loop safe mode: if the kiosk keeps dying right after it starts, start with the last
content that worked.

Each start is recorded in `starts.json` as "running". It becomes "good" once the kiosk has run
`good_after` seconds, or "clean" when it exits normally (SIGTERM, staff exit). A start still
"running" when the next one begins therefore died early: a crash, `kill -9`, the watchdog, a
power cut. After `crash_limit` such starts in a row the next start is in safe mode. Only the
markers are compared, never clock readings across runs, so a clock that jumps cannot fake or
hide a crash loop.

The last content that worked is a copy of the content folder in the state folder
(`last-good-content`), made after the content on screen has stayed up `good_after` seconds, and
only when it differs from the copy already there (content folders are small: the bundled one
is 236 KB, and the copy is given up above MAX_SNAPSHOT_BYTES, counted as it is copied). Only
the folder's own files and folders are copied: links and special files are neither followed
nor opened. A copy, not a path: staff edit
the folder in place, and Syncthing or a release flip may remove an old release, so only a copy
of our own is sure to still be there, unchanged. It is made under a temporary name and swapped
in by renames, so a crash while copying never leaves half a copy in its place.
"""

from __future__ import annotations

import json
import logging
import os
import stat
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from kiosk.core.content.problems import Language
from kiosk.core.files import write_atomic

log = logging.getLogger(__name__)

GOOD_AFTER = 60.0
CRASH_LIMIT = 3
HISTORY = 20  # starts remembered
MAX_SNAPSHOT_BYTES = 512 * 1024 * 1024
RETRY_FIRST = 60.0  # seconds before a copy that failed is tried again, doubling each time
RETRY_MAX = 3600.0
COPY_CHUNK = 1 << 20


class RunState(StrEnum):
    RUNNING = "running"  # still starting up, or died before it was marked
    GOOD = "good"  # survived good_after seconds
    CLEAN = "clean"  # exited normally before that


@dataclass
class Decision:
    """What the crash guard decided for this start: safe mode or not, and why."""

    safe_mode: bool
    crashes_in_a_row: int  # early deaths just before this start
    restarts_total: int
    crashes_total: int
    snapshot: Path | None  # the last content that worked, if a copy exists
    snapshot_release: str = ""

    def reason(self, lang: Language = "ru") -> str:
        if not self.safe_mode:
            return ""
        if lang == "ru":
            text = (f"Безопасный режим: киоск {self.crashes_in_a_row} раза подряд "
                    "останавливался в первую минуту после запуска. ")
            return text + (f"Показано последнее работавшее содержимое ({self.snapshot_release})."
                           if self.snapshot else
                           "Сохранённой копии содержимого нет: показана папка как есть.")
        text = (f"Safe mode: the kiosk stopped within a minute of starting "
                f"{self.crashes_in_a_row} times in a row. ")
        return text + (f"Showing the last content that worked ({self.snapshot_release})."
                       if self.snapshot else
                       "No saved copy of the content exists: showing the folder as it is.")


@dataclass
class _State:
    """The crash guard's file: the recent starts and how they ended."""

    starts: list[dict[str, Any]] = field(default_factory=list)
    starts_total: int = 0
    crashes_total: int = 0
    last_good: dict[str, Any] = field(default_factory=dict)


class CrashGuard:
    """Reads and writes the start markers. Never raises: a state folder that cannot be
    written only means no safe mode (logged)."""

    def __init__(self, path: Path, snapshot_dir: Path, good_after: float = GOOD_AFTER,
                 crash_limit: int = CRASH_LIMIT,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.path = path
        self.clock = clock
        # The content whose copy failed, when to try it again, and the pause before that.
        self._retry: tuple[str, float, float] | None = None
        self.snapshot_dir = snapshot_dir
        self.good_after = good_after
        self.crash_limit = crash_limit
        self.state = _State()
        self.decision: Decision | None = None
        self.marked = False
        self._lock = threading.Lock()  # the copy is saved from a worker thread

    def _load(self) -> _State:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            starts = [s for s in data.get("starts", []) if isinstance(s, dict)]
            return _State(starts[-HISTORY:], int(data.get("starts_total", len(starts))),
                          int(data.get("crashes_total", 0)), dict(data.get("last_good", {})))
        except FileNotFoundError:
            return _State()
        except (OSError, ValueError, TypeError, AttributeError) as exc:
            log.warning("start markers %s unreadable (%s): starting a new record", self.path,
                        exc)
            return _State()

    def _save(self) -> None:
        with self._lock:
            data = {"starts": self.state.starts, "starts_total": self.state.starts_total,
                    "crashes_total": self.state.crashes_total,
                    "last_good": self.state.last_good}
            try:
                # No fsync: a crash of the kiosk never loses what the OS has; a power cut
                # losing a marker only misses one start. Start-up stays fast.
                write_atomic(self.path, json.dumps(data, indent=1) + "\n", mode=0o600,
                             durable=False)
            except OSError as exc:
                log.error("start markers %s cannot be written: %s", self.path, exc)

    def start(self, wall_now: float) -> Decision:
        """Record this start and decide whether it is in safe mode."""
        self.state = self._load()
        starts = self.state.starts
        if starts and starts[-1].get("state") == RunState.RUNNING:
            self.state.crashes_total += 1  # the previous start never got to "good" or "clean"
        in_a_row = 0
        for previous in reversed(starts):
            if previous.get("state") != RunState.RUNNING:
                break
            in_a_row += 1
        starts.append({"at": wall_now, "state": RunState.RUNNING.value})
        del starts[:-HISTORY]
        self.state.starts_total += 1
        self._save()
        snapshot = self.snapshot()
        self.decision = Decision(
            safe_mode=in_a_row >= self.crash_limit, crashes_in_a_row=in_a_row,
            restarts_total=max(0, self.state.starts_total - 1),
            crashes_total=self.state.crashes_total, snapshot=snapshot,
            snapshot_release=str(self.state.last_good.get("release", "")) if snapshot else "")
        if self.decision.safe_mode:
            starts[-1]["safe_mode"] = True
            self._save()
            log.error("%s", self.decision.reason("en"))
        return self.decision

    def _finish(self, state: RunState) -> None:
        if self.state.starts and self.state.starts[-1].get("state") == RunState.RUNNING:
            self.state.starts[-1]["state"] = state.value
            self._save()

    def due(self, uptime: float) -> bool:
        """Time to mark this start good (once)."""
        return not self.marked and uptime >= self.good_after

    def mark_good(self) -> None:
        self.marked = True
        self._finish(RunState.GOOD)

    def mark_clean_exit(self) -> None:
        self._finish(RunState.CLEAN)

    # -- the last content that worked ------------------------------------------------------

    @property
    def snapshot_fingerprint(self) -> str:
        return str(self.state.last_good.get("fingerprint", ""))

    def snapshot(self) -> Path | None:
        """The copy, if there is a complete one (repairing a swap a crash interrupted)."""
        old = self.snapshot_dir.with_name(self.snapshot_dir.name + ".old")
        if not self.snapshot_dir.is_dir() and old.is_dir():
            try:
                os.replace(old, self.snapshot_dir)
            except OSError:
                return None
        if self.snapshot_dir.is_dir() and self.snapshot_fingerprint:
            return self.snapshot_dir
        return None

    def save_snapshot(self, content_dir: Path, expected: str, wall_now: float) -> bool:
        """Copy `content_dir` as the last content that worked, if it is still the content
        with fingerprint `expected` (else a change is under way: try another time). Blocking
        file work: call it off the UI thread. True if a new copy is in place.

        Only the folder's own regular files and folders are copied (the folder itself may be
        a link, as a release link is): links are never followed, FIFOs, devices and sockets
        never opened, as the loader refuses them all. A copy that would pass
        MAX_SNAPSHOT_BYTES stops there; that content is then not tried again, and a copy that
        failed (a full disk) is tried again after a growing pause, not at every status tick."""
        import shutil  # only here (and the folder's look): start-up never needs them

        from kiosk.core.content.reload import fingerprint
        from kiosk.core.service.status import short_hash

        if expected == self.snapshot_fingerprint and self.snapshot() is not None:
            return False
        now = self.clock()
        if self._retry is not None and self._retry[0] == expected and now < self._retry[1]:
            return False
        real = Path(os.path.realpath(content_dir))
        new = self.snapshot_dir.with_name(self.snapshot_dir.name + ".new")
        old = self.snapshot_dir.with_name(self.snapshot_dir.name + ".old")
        try:
            shutil.rmtree(new, ignore_errors=True)
            copy_folder(real, new, MAX_SNAPSHOT_BYTES)
            if short_hash(fingerprint(content_dir)) != expected:
                shutil.rmtree(new, ignore_errors=True)
                return False  # changed while we copied: the next tick copies what is there now
            shutil.rmtree(old, ignore_errors=True)
            if self.snapshot_dir.exists():
                os.replace(self.snapshot_dir, old)
            os.replace(new, self.snapshot_dir)
            shutil.rmtree(old, ignore_errors=True)
        except TooBig as exc:
            shutil.rmtree(new, ignore_errors=True)
            log.warning("content folder is over %d MB (%s): no safe-mode copy of it is kept",
                        MAX_SNAPSHOT_BYTES >> 20, exc)
            self._retry = (expected, float("inf"), 0.0)  # never, for this content
            return False
        except OSError as exc:
            shutil.rmtree(new, ignore_errors=True)
            pause = min(RETRY_MAX, max(RETRY_FIRST, 2 * self._retry[2])) \
                if self._retry is not None and self._retry[0] == expected else RETRY_FIRST
            log.error("the last content that worked cannot be saved: %s; trying again in "
                      "%.0f s", exc, pause)
            self._retry = (expected, now + pause, pause)
            return False
        self._retry = None
        self.state.last_good = {"fingerprint": expected, "release": real.name,
                                "saved_at": wall_now}
        self._save()
        log.info("saved %s as the last content that worked", real)
        return True


class TooBig(Exception):
    """The copy would pass its limit."""


ENTRY_BYTES = 4096  # what a file or folder costs at least on disk: a million empty files count


def copy_folder(source: Path, target: Path, limit: int) -> int:
    """Copy the regular files and folders under `source` (not those whose names start with a
    dot: sync tools' and editors' temporary files) to the new folder `target`, private to the
    kiosk user (0700 folders, 0600 files). Links, FIFOs, devices and sockets are skipped:
    never followed, never opened. Returns the bytes counted; raises TooBig as soon as they
    pass `limit` (each entry counts at least ENTRY_BYTES), OSError if the copy fails."""
    total = 0
    os.mkdir(target, 0o700)
    folders = [(str(source), str(target))]  # a list, not recursion: any depth is fine
    while folders:
        here, there = folders.pop()
        with os.scandir(here) as found:
            entries = [(entry.name, entry.is_dir(follow_symlinks=False),
                        entry.is_file(follow_symlinks=False))
                       for entry in found if not entry.name.startswith(".")]
        for name, is_folder, is_file in entries:
            total += ENTRY_BYTES
            if total > limit:
                raise TooBig(f"more than {limit} bytes")
            if is_folder:
                os.mkdir(os.path.join(there, name), 0o700)
                folders.append((os.path.join(here, name), os.path.join(there, name)))
            elif is_file:
                total = _copy_file(os.path.join(here, name), os.path.join(there, name),
                                   total, limit)
    return total


def _copy_file(source: str, target: str, total: int, limit: int) -> int:
    # O_NOFOLLOW and O_NONBLOCK: what was listed as a file may have been swapped for a link
    # or a FIFO since; neither is followed nor waited on, and fstat says what was opened.
    fd = os.open(source, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            return total
        out = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW
                      | os.O_CLOEXEC, 0o600)
        try:
            while chunk := os.read(fd, COPY_CHUNK):
                total += len(chunk)  # the bytes really read, whatever the size said
                if total > limit:
                    raise TooBig(f"more than {limit} bytes")
                view = memoryview(chunk)
                while view:
                    view = view[os.write(out, view):]
        finally:
            os.close(out)
        os.utime(target, ns=(info.st_atime_ns, info.st_mtime_ns))
    finally:
        os.close(fd)
    return total
