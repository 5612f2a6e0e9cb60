"""Work off the UI thread, results back on it: decoding and preparing pictures."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, Qt, QThreadPool, Signal, Slot


class _Hub(QObject):
    """The one object workers emit on, made on the UI thread and never deleted: a result
    carries its own callback, and the queued connection calls it on the UI thread. (A relay
    object per job could be deleted by the UI thread between a worker's check that it still
    existed and its emit: a crash in the pool, seen when a screen was rebuilt mid-job.)"""

    finished = Signal(object, object)

    def __init__(self) -> None:
        super().__init__()
        self.finished.connect(self.deliver, Qt.ConnectionType.QueuedConnection)

    @Slot(object, object)
    def deliver(self, callback: Callable[[Any], None], result: Any) -> None:
        callback(result)


_hub: _Hub | None = None


def _the_hub() -> _Hub:
    global _hub
    if _hub is None:
        _hub = _Hub()
    return _hub


class Background(QObject):
    """Runs jobs in Qt's thread pool; only the newest request's result is delivered, so a
    child tapping several pictures quickly gets the last one, never a stale one."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._generation = 0
        self._hub = _the_hub()  # made here, on the UI thread, before any worker needs it
        # The pool's threads are kept for good (there are only as many as cores). By default
        # one idle for 30 s ends, and the next picture starts a new one: OpenCV 5 keeps ~0.9 KB
        # of every thread that called it after the thread is gone (measured: 259 KB per 300
        # threads), a few MB a month of children colouring minutes apart.
        QThreadPool.globalInstance().setExpiryTimeout(-1)

    def run(self, work: Callable[[], Any], done: Callable[[Any], None], *,
            every: bool = False) -> None:
        """`work` in a worker thread, then `done(result)` on this one. With `every`, the result
        is delivered even when newer jobs were asked for since, and this job drops none of
        theirs (a cache's jobs, each for its own picture: kiosk.ui.photos)."""
        if not every:
            self._generation += 1
        generation = self._generation

        def deliver(result: Any) -> None:  # on the UI thread
            if not shiboken6.isValid(self):
                return  # the screen that asked went (a window closed), this worker with it
            if every or generation == self._generation:
                done(result)

        hub = self._hub

        def job() -> None:  # in a worker thread
            try:
                result = work()
            except Exception as exc:  # delivered as the result, never lost in the pool
                result = exc
            # RuntimeError: the hub went with Python's end (it is never deleted before).
            with contextlib.suppress(RuntimeError):
                hub.finished.emit(deliver, result)

        # A plain function, not a QRunnable subclass: PySide kept the Python wrappers of
        # about 1 in 80 finished QRunnable subclasses alive for good (a soak of 10,000
        # sessions ended with ~450 of them, and with them their work until run() let go).
        QThreadPool.globalInstance().start(job)

    def cancel(self) -> None:
        """Whatever is running, its result is dropped."""
        self._generation += 1
