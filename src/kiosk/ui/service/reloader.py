"""Watches the content folder and hands the window new content, read off the UI thread.

inotify (kiosk.ui.service.watcher) says at once that something changed; a look at the folder (a stat
per file, in a worker) then says what, and is repeated until the folder has settled. Looks also
run on a timer, which on its own catches what inotify misses (network shares, some sync
tools). The decisions are kiosk.core.content.reload's.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from kiosk.core.content.loader import ImageProbe, ParseCache, load_content
from kiosk.core.content.model import Content
from kiosk.core.content.reload import (
    Fingerprint,
    ReloadDecider,
    fingerprint,
    keep_last_good,
    kept_folders,
)
from kiosk.core.machine import SettingsPath, files_stamp
from kiosk.core.service import heap
from kiosk.ui.background import Background
from kiosk.ui.service.watcher import FolderWatcher

log = logging.getLogger(__name__)

ASLEEP_SLOWER = 20  # 0.5 s between looks becomes 10 s (3 s for 37,000 stories: a minute)


class ContentReloader(QObject):
    changed = Signal(object)  # the new Content, already merged with the last good one
    # After each read of the folder, changed or not: the Fingerprint of what is on screen.
    settled = Signal(object)

    def __init__(self, root: Path, content: Content, loaded_from: Fingerprint | None,
                 probe: ImageProbe, cache: ParseCache | None = None,
                 interval_ms: int = 500, settle: float = 1.0,
                 clock: Callable[[], float] = time.monotonic,
                 parent: QObject | None = None,
                 machine: tuple[SettingsPath, ...] = (),
                 centre: Path | None = None) -> None:
        super().__init__(parent)
        self.root = root
        # The centre's own folder (kiosk.core.content.merge): watched and looked at like `root`, and
        # read with it. A centre that has no folder yet is looked for at each look.
        self.centre = centre
        # The settings files of this computer (kiosk.core.machine): each look stats them too,
        # so a change of one is read like a change of the folder (by the timer's looks:
        # inotify watches the folder only).
        self.machine = machine
        self.content = content  # the last good content, on screen
        self.probe = probe
        self.cache = cache if cache is not None else ParseCache()  # re-read only what changed
        self.clock = clock
        self.decider = ReloadDecider(settle)
        # None: what the content was read from is not known, so the first look that settles
        # reads the folder again (only what changed since; usually nothing).
        self.decider.done(loaded_from)
        self.worker = Background(self)
        self._busy = False
        self.looks = 0  # how many looks at the folder have come back (diagnostics, tests)
        self.interval_ms = interval_ms
        self.slower = 1  # ASLEEP_SLOWER while the screen sleeps: inotify still speaks up
        self._took = 0.0  # the last look's time
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self._look)
        # A change seen but not yet settled: look again when it may have.
        self.settle_timer = QTimer(self)
        self.settle_timer.setSingleShot(True)
        self.settle_timer.setInterval(round(settle * 1000))
        self.settle_timer.timeout.connect(self._look)
        self.watcher = FolderWatcher(root, self)
        self.watcher.nudged.connect(self._nudged)
        self.centre_watcher = FolderWatcher(centre, self) if centre is not None else None
        if self.centre_watcher is not None:
            self.centre_watcher.nudged.connect(self._nudged)
        self._centre_watch_tried: object = None
        self._nudged_while_busy = False
        self._watch_tried: object = None

    def start(self) -> None:
        if self.watcher.start():
            self._watch_tried = self.watcher.watching
        if self.centre_watcher is not None and self.centre_watcher.start():
            self._centre_watch_tried = self.centre_watcher.watching
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()
        self.settle_timer.stop()
        self.watcher.stop()
        if self.centre_watcher is not None:
            self.centre_watcher.stop()
        self.worker.cancel()
        self._busy = False

    def _interval(self) -> int:
        return max(self.interval_ms, round(self._took * 10_000)) * self.slower

    def set_asleep(self, asleep: bool) -> None:
        """The screen sleeps (kiosk.ui.service.sleep): look at the folder 20 times less often, the
        timer's looks being the safety net for what inotify misses (a change nobody sees
        can wait a few seconds), and look at once on waking."""
        slower = ASLEEP_SLOWER if asleep else 1
        if slower == self.slower:
            return
        self.slower = slower
        self.timer.setInterval(self._interval())
        if not asleep:
            self._nudged()

    def _nudged(self) -> None:
        if self._busy:
            self._nudged_while_busy = True  # looked at once when the running job ends
        elif not self.settle_timer.isActive():
            self._look()

    def _idle(self) -> None:
        self._busy = False
        if self._nudged_while_busy:
            self._nudged_while_busy = False
            self._look()

    def reload_now(self) -> None:
        """Staff asked: read the whole folder again, changed or not (after a look or load
        already running, which then hands over its own result first)."""
        if self._busy:
            QTimer.singleShot(200, self, self.reload_now)
            return
        self._busy = True
        self._read(None, force=True)

    def _look(self) -> None:
        if self._busy:
            return  # the last look or load is still running: never two at once
        self._busy = True
        look_at = self._fingerprint

        def timed_look() -> tuple[float, Fingerprint]:
            started = time.perf_counter()
            look = look_at()
            return time.perf_counter() - started, look

        self.worker.run(timed_look, self._looked)

    def _fingerprint(self) -> Fingerprint:
        """The folder as it is now, and the settings files of this computer (in a worker)."""
        look = fingerprint(self.root)
        if self.centre is not None:  # one item more: look[0] stays where `root` leads
            look = (*look, ("centre", fingerprint(self.centre)))
        return (*look, files_stamp(self.machine)) if self.machine else look

    def _looked(self, result: Any) -> None:
        self.looks += 1
        if isinstance(result, Exception):
            self._idle()
            return
        took, current = result
        # A folder of 37,000 files takes ~0.3 s to look at: look less often, so watching
        # never costs more than about a tenth of a core (inotify speaks up in between).
        self._took = took
        self.timer.setInterval(self._interval())
        real = current[0] if current and current[0] not in ("missing", "unreadable") else None
        if real is not None and real != self.watcher.watching and real != self._watch_tried:
            # A flipped release link, or a folder back after it was gone: watch it (once a
            # folder: where inotify cannot, the timer's looks carry on alone).
            self._watch_tried = real
            self.watcher.start()
        self._watch_centre(current)
        if not self.decider.look(current, self.clock()):
            if self.decider.waiting:
                self.settle_timer.start()
            self._idle()
            return
        self._read(current)

    def _watch_centre(self, current: Fingerprint) -> None:
        """The centre's folder made, flipped or back: watch where it is now (once a folder)."""
        if self.centre_watcher is None:
            return
        look = next((part[1] for part in current
                     if isinstance(part, tuple) and part[:1] == ("centre",)), None)
        real = look[0] if look and look[0] not in ("missing", "unreadable") else None
        if real is not None and real != self.centre_watcher.watching \
                and real != self._centre_watch_tried:
            self._centre_watch_tried = real
            self.centre_watcher.start()

    def _read(self, current: Fingerprint | None, force: bool = False) -> None:
        """Read the folder (seen as `current`; None: look at it first) in the worker, then
        show what changed; with `force`, hand it over even if nothing did."""
        root, probe, cache, shown = self.root, self.probe, self.cache, self.content
        machine, look_at, centre = self.machine, self._fingerprint, self.centre
        # Folders gone or emptied: their items stay while a copy may be under way.
        replacing = None if self.decider.let_go(self.clock()) else self.decider.replacing

        def load_and_merge() -> tuple[Fingerprint, Content | None, frozenset[str]]:
            seen = look_at() if current is None else current
            # All of it off the UI thread: merging 37,000 stories takes longer than a frame.
            with heap.long_lived_allocations():
                merged = keep_last_good(shown, load_content(root, probe, cache=cache,
                                                            machine=machine, centre=centre),
                                        replacing)
            # The same items (an unchanged file gives the very same object): nothing to show.
            result = None if merged == shown and not force else merged.warm()
            # What the read made and dropped (37,000 stories: the whole index as a dict,
            # its records) goes back to the system: ~8 MB of PSS. glibc holds each arena's
            # lock meanwhile, so the UI thread can wait for it (up to ~40 ms on a fragmented
            # 150 MB heap, a content change's rare cost; bench/scale.py's reload stall counts
            # it), rather than run the whole trim itself.
            heap.release_freed_memory()
            return seen, result, kept_folders(merged)

        self.worker.run(load_and_merge, self._loaded)

    def _loaded(self, result: Any) -> None:
        try:
            self._show(result)
        finally:
            self._idle()

    def _show(self, result: Any) -> None:
        if isinstance(result, Exception):
            log.error("content reload failed: %s", result)
            return
        current, merged, replacing = result
        self.decider.done(current, replacing, self.clock())
        if merged is None:
            self.settled.emit(current)
            return
        from kiosk.ui.app import log_problems  # here: app imports this module

        log_problems(merged, self.content, log)
        self.content = merged
        log.info("content reloaded: %d pages, %d stories, %d colouring pictures",
                 len(merged.pages), len(merged.stories), len(merged.colouring))
        self.changed.emit(merged)
        self.settled.emit(current)
