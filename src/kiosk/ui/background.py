"""Work off the UI thread, results back on it: decoding and preparing pictures."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal, Slot


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


class _Job(QRunnable):
    def __init__(self, work: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self.work: Callable[[], Any] | None = work
        self.relay: _Relay | None = relay

    def run(self) -> None:
        work, relay = self.work, self.relay
        # Some Python wrappers of finished jobs outlive them (the soak found ~3 per 100
        # sessions): they must not keep the work, its data and the relay's closures alive.
        self.work = self.relay = None
        assert work is not None and relay is not None
        try:
            result = work()
        except Exception as exc:  # delivered as the result, never lost in the pool
            result = exc
        relay.finished.emit(result)


class Background(QObject):
    """Runs jobs in Qt's thread pool; only the newest request's result is delivered, so a
    child tapping several pictures quickly gets the last one, never a stale one."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._generation = 0
        self._relays: set[_Relay] = set()

    def run(self, work: Callable[[], Any], done: Callable[[Any], None]) -> None:
        self._generation += 1
        generation = self._generation

        def deliver(result: Any) -> None:
            self._relays.discard(relay)
            relay.deleteLater()
            # The screen that asked may be gone meanwhile (rebuilt for the high-contrast
            # mode): then its widgets are too, and the result has nowhere to go.
            if generation == self._generation and shiboken6.isValid(self):
                done(result)

        relay = _Relay(deliver)
        self._relays.add(relay)  # kept alive until its result arrives
        QThreadPool.globalInstance().start(_Job(work, relay))

    def cancel(self) -> None:
        """Whatever is running, its result is dropped."""
        self._generation += 1
