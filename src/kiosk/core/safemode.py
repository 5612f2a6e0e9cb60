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
is 236 KB, and the copy is skipped above MAX_SNAPSHOT_BYTES). A copy, not a path: staff edit
the folder in place, and Syncthing or a release flip may remove an old release, so only a copy
of our own is sure to still be there, unchanged. It is made under a temporary name and swapped
in by renames, so a crash while copying never leaves half a copy in its place.
"""

from __future__ import annotations

import json
import logging
import os
import threading
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from kiosk.core.files import write_atomic
from kiosk.core.problems import Language
from kiosk.core.reload import fingerprint
from kiosk.core.status import short_hash

log = logging.getLogger(__name__)

GOOD_AFTER = 60.0
CRASH_LIMIT = 3
HISTORY = 20  # starts remembered
MAX_SNAPSHOT_BYTES = 512 * 1024 * 1024


class RunState(StrEnum):
    RUNNING = "running"  # still starting up, or died before it was marked
    GOOD = "good"  # survived good_after seconds
    CLEAN = "clean"  # exited normally before that


@dataclass
class Decision:
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
    starts: list[dict[str, Any]] = field(default_factory=list)
    starts_total: int = 0
    crashes_total: int = 0
    last_good: dict[str, Any] = field(default_factory=dict)


class CrashGuard:
    """Reads and writes the start markers. Never raises: a state folder that cannot be
    written only means no safe mode (logged)."""

    def __init__(self, path: Path, snapshot_dir: Path, good_after: float = GOOD_AFTER,
                 crash_limit: int = CRASH_LIMIT) -> None:
        self.path = path
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
        file work: call it off the UI thread. True if a new copy is in place."""
        import shutil  # only here: start-up never needs it

        if expected == self.snapshot_fingerprint and self.snapshot() is not None:
            return False
        real = Path(os.path.realpath(content_dir))
        new = self.snapshot_dir.with_name(self.snapshot_dir.name + ".new")
        old = self.snapshot_dir.with_name(self.snapshot_dir.name + ".old")
        try:
            size = sum(f.stat().st_size for f in real.rglob("*") if f.is_file())
            if size > MAX_SNAPSHOT_BYTES:
                log.warning("content folder is %d MB: no safe-mode copy is kept", size >> 20)
                return False
            shutil.rmtree(new, ignore_errors=True)
            shutil.copytree(real, new, ignore=shutil.ignore_patterns(".*"))
            if short_hash(fingerprint(content_dir)) != expected:
                shutil.rmtree(new, ignore_errors=True)
                return False  # changed while we copied
            shutil.rmtree(old, ignore_errors=True)
            if self.snapshot_dir.exists():
                os.replace(self.snapshot_dir, old)
            os.replace(new, self.snapshot_dir)
            shutil.rmtree(old, ignore_errors=True)
        except OSError as exc:
            log.error("the last content that worked cannot be saved: %s", exc)
            shutil.rmtree(new, ignore_errors=True)
            return False
        self.state.last_good = {"fingerprint": expected, "release": real.name,
                                "saved_at": wall_now}
        self._save()
        log.info("saved %s as the last content that worked", real)
        return True
