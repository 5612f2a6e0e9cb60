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

    def __init__(self, on_result: Callable[[Any], None]) -> None:
        super().__init__()
        self.on_result = on_result
        self.finished.connect(self.deliver, Qt.ConnectionType.QueuedConnection)

    @Slot(object)
    def deliver(self, result: Any) -> None:
        self.on_result(result)


class _Requests:
    """What a worker's result is checked against on arrival, apart from the QObject: the
    result may arrive after Python's collector cleared a worker whose screen has gone (seen
    once in the soak as an AttributeError in the event loop), and this stays whole."""

    def __init__(self) -> None:
        self.generation = 0
        self.relays: set[_Relay] = set()  # each kept alive until its result arrives


class Background(QObject):
    """Runs jobs in Qt's thread pool; only the newest request's result is delivered, so a
    child tapping several pictures quickly gets the last one, never a stale one."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._requests = _Requests()
        # The pool's threads are kept for good (there are only as many as cores). By default
        # one idle for 30 s ends, and the next picture starts a new one: OpenCV 5 keeps ~0.9 KB
        # of every thread that called it after the thread is gone (measured: 259 KB per 300
        # threads), a few MB a month of children colouring minutes apart.
        QThreadPool.globalInstance().setExpiryTimeout(-1)

    def run(self, work: Callable[[], Any], done: Callable[[Any], None]) -> None:
        requests = self._requests
        requests.generation += 1
        generation = requests.generation

        def deliver(result: Any) -> None:
            requests.relays.discard(relay)
            relay.deleteLater()
            # The screen that asked may be gone meanwhile (rebuilt for the high-contrast
            # mode): then its widgets are too, and the result has nowhere to go.
            if generation == requests.generation and shiboken6.isValid(self):
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

        relay = _Relay(deliver)
        requests.relays.add(relay)
        # A plain function, not a QRunnable subclass: PySide kept the Python wrappers of
        # about 1 in 80 finished QRunnable subclasses alive for good (a soak of 10,000
        # sessions ended with ~450 of them, and with them their work until run() let go).
        QThreadPool.globalInstance().start(job)

    def cancel(self) -> None:
        """Whatever is running, its result is dropped."""
        self._requests.generation += 1
