"""The last warnings and errors, kept in memory for the staff diagnostics screen."""

from __future__ import annotations

import logging
import threading
import time
from collections import deque

KEEP = 20


class RecentLog(logging.Handler):
    """A ring of the last `keep` WARNING-or-worse records, as short one-line texts."""

    def __init__(self, keep: int = KEEP, level: int = logging.WARNING) -> None:
        super().__init__(level)
        self._lines: deque[str] = deque(maxlen=keep)
        self._guard = threading.Lock()  # workers log too
        self.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        try:
            text = self.format(record).splitlines()
            first = text[0] if text else ""
            if record.exc_info and len(text) > 1:
                first += f" [{text[-1].strip()}]"  # the exception itself, not the whole trace
            stamp = time.strftime("%d.%m %H:%M:%S", time.localtime(record.created))
            with self._guard:
                self._lines.append(f"{stamp} {first}")
        except Exception:  # a log record must never break the program that logs it
            self.handleError(record)

    def lines(self) -> list[str]:
        """Oldest first."""
        with self._guard:
            return list(self._lines)


_installed: RecentLog | None = None


def install(logger: logging.Logger | None = None) -> RecentLog:
    """Attach the one ring to the root logger (again, if logging was set up anew since) and
    return it."""
    global _installed
    if _installed is None:
        _installed = RecentLog()
    target = logger or logging.getLogger()
    if _installed not in target.handlers:
        target.addHandler(_installed)
    return _installed


def installed() -> RecentLog | None:
    return _installed
