"""The last warnings and errors, kept in memory for the staff diagnostics screen."""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections import deque

KEEP = 20


class RecentLog(logging.Handler):
    """A ring of the last `keep` WARNING-or-worse records, as short one-line texts."""

    def __init__(self, keep: int = KEEP, level: int = logging.WARNING) -> None:
        super().__init__(level)
        # Each record's time and first line: the time is written when read, in the zone asked
        # for (the centre's, as the rest of the diagnostics; the computer's may be UTC).
        self._lines: deque[tuple[float, str]] = deque(maxlen=keep)
        self._guard = threading.Lock()  # workers log too
        self.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        try:
            text = self.format(record).splitlines()
            first = text[0] if text else ""
            if record.exc_info and len(text) > 1:
                first += f" [{text[-1].strip()}]"  # the exception itself, not the whole trace
            with self._guard:
                self._lines.append((record.created, first))
        except Exception:  # a log record must never break the program that logs it
            self.handleError(record)

    def lines(self, zone: dt.tzinfo | None = None) -> list[str]:
        """Oldest first, each stamped in `zone` (None: the computer's)."""
        with self._guard:
            kept = list(self._lines)
        return [f"{dt.datetime.fromtimestamp(created, zone).strftime('%d.%m %H:%M:%S')} {first}"
                for created, first in kept]


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
