"""Watches the content folder and hands the window new content, read off the UI thread.

Polling (a stat per file every half second, in a worker) works the same on every file system,
for network shares and sync tools that inotify misses, and for a release link flipped to a new
folder. The decisions are kiosk.core.reload's.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from kiosk.core.loader import ImageProbe, ParseCache, load_content
from kiosk.core.model import Content
from kiosk.core.reload import Fingerprint, ReloadDecider, fingerprint, keep_last_good
from kiosk.ui.background import Background

log = logging.getLogger(__name__)


class ContentReloader(QObject):
    changed = Signal(object)  # the new Content, already merged with the last good one

    def __init__(self, root: Path, content: Content, loaded_from: Fingerprint,
                 probe: ImageProbe, cache: ParseCache | None = None,
                 interval_ms: int = 500, settle: float = 1.0,
                 clock: Callable[[], float] = time.monotonic,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.root = root
        self.content = content  # the last good content, on screen
        self.probe = probe
        self.cache = cache if cache is not None else ParseCache()  # re-read only what changed
        self.clock = clock
        self.decider = ReloadDecider(settle)
        self.decider.done(loaded_from)
        self.worker = Background(self)
        self._busy = False
        self.looks = 0  # how many looks at the folder have come back (diagnostics, tests)
        self.interval_ms = interval_ms
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self._look)

    def start(self) -> None:
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()
        self.worker.cancel()
        self._busy = False

    def reload_now(self) -> None:
        """Staff asked: read the whole folder again, changed or not (after a look or load
        already running, which then hands over its own result first)."""
        if self._busy:
            QTimer.singleShot(200, self, self.reload_now)
            return
        self._busy = True
        root, probe, cache = self.root, self.probe, self.cache
        self.worker.run(lambda: (fingerprint(root), load_content(root, probe, cache=cache)),
                        self._loaded)

    def _look(self) -> None:
        if self._busy:
            return  # the last look or load is still running: never two at once
        self._busy = True
        root = self.root

        def timed_look() -> tuple[float, Fingerprint]:
            started = time.perf_counter()
            look = fingerprint(root)
            return time.perf_counter() - started, look

        self.worker.run(timed_look, self._looked)

    def _looked(self, result: Any) -> None:
        self.looks += 1
        if isinstance(result, Exception):
            self._busy = False
            return
        took, current = result
        # A folder of 37,000 files takes ~0.3 s to look at: look less often, so watching
        # never costs more than about a tenth of a core.
        self.timer.setInterval(max(self.interval_ms, round(took * 10_000)))
        if not self.decider.look(current, self.clock()):
            self._busy = False
            return
        root, probe, cache = self.root, self.probe, self.cache
        self.worker.run(lambda: (current, load_content(root, probe, cache=cache)), self._loaded)

    def _loaded(self, result: Any) -> None:
        self._busy = False
        if isinstance(result, Exception):
            log.error("content reload failed: %s", result)
            return
        current, new = result
        self.decider.done(current)
        merged = keep_last_good(self.content, new)
        for problem in merged.problems:
            log.log(logging.ERROR if problem.is_error else logging.WARNING, "%s",
                    problem.format("en"))
        self.content = merged
        log.info("content reloaded: %d pages, %d stories, %d colouring pictures",
                 len(merged.pages), len(merged.stories), len(merged.colouring))
        self.changed.emit(merged)
