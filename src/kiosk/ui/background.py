"""Work off the UI thread, results back on it: decoding and preparing pictures."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, Qt, QThreadPool, Signal, Slot


class _Relay(QObject):
    """Lives on the UI thread; the worker emits `finished`, the queued connection calls
    `deliver` on the UI thread."""

    finished = Signal(object)

    def __init__(self, on_result: Callable[[Any], None], parent: QObject) -> None:
        super().__init__(parent)
        self.on_result = on_result
        self.finished.connect(self.deliver, Qt.ConnectionType.QueuedConnection)

    @Slot(object)
    def deliver(self, result: Any) -> None:
        self.on_result(result)


class Background(QObject):
    """Runs jobs in Qt's thread pool; only the newest request's result is delivered, so a
    child tapping several pictures quickly gets the last one, never a stale one."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._generation = 0
        # The pool's threads are kept for good (there are only as many as cores). By default
        # one idle for 30 s ends, and the next picture starts a new one: OpenCV 5 keeps ~0.9 KB
        # of every thread that called it after the thread is gone (measured: 259 KB per 300
        # threads), a few MB a month of children colouring minutes apart.
        QThreadPool.globalInstance().setExpiryTimeout(-1)

    def run(self, work: Callable[[], Any], done: Callable[[Any], None]) -> None:
        self._generation += 1
        generation = self._generation

        def deliver(result: Any) -> None:
            relay.deleteLater()
            if generation == self._generation:
                done(result)

        def job() -> None:  # in a worker thread
            try:
                result = work()
            except Exception as exc:  # delivered as the result, never lost in the pool
                result = exc
            if not shiboken6.isValid(relay):
                return  # the screen that asked went (a window closed), its relay with it
            with contextlib.suppress(RuntimeError):  # … or went between the check and the emit
                relay.finished.emit(result)

        # The relay is this worker's child: Qt keeps it (and its Python side) until its result
        # arrives, and deletes it with the worker when the screen that asked goes, so a result
        # never arrives for a worker that is gone, or one Python's collector has emptied (a
        # Python set of relays made a cycle the collector cleared while a result was queued).
        relay = _Relay(deliver, self)
        # A plain function, not a QRunnable subclass: PySide kept the Python wrappers of
        # about 1 in 80 finished QRunnable subclasses alive for good (a soak of 10,000
        # sessions ended with ~450 of them, and with them their work until run() let go).
        QThreadPool.globalInstance().start(job)

    def cancel(self) -> None:
        """Whatever is running, its result is dropped."""
        self._generation += 1
