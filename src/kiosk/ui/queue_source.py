"""Reads the electronic queue's calls (an HTTP(S) endpoint or a file) without ever blocking
the UI thread, and feeds them to kiosk.core.queue's follower.

HTTP goes through Qt's own network stack (asynchronous, a transfer timeout, a size limit); a
file is looked at in a worker thread and read only when its size or time changed. One question
at a time: the next is asked only after the last one was answered, after the follower's delay
(which backs off while the source fails).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QTimer, QUrl, Signal
from PySide6.QtNetwork import QNetworkAccessManager, QNetworkReply, QNetworkRequest

from kiosk.core.queue import (
    MAX_PAYLOAD_BYTES,
    QueueFollower,
    QueueFormatError,
    make_adapter,
    parse_calls,
)
from kiosk.core.settings import QueueSettings
from kiosk.ui.background import Background

log = logging.getLogger(__name__)

Stamp = tuple[int, int]  # size and modification time of the queue file


@dataclass(frozen=True)
class Failure:
    reason: str


@dataclass(frozen=True)
class Unchanged:
    """The file is as it was at the last good read."""


@dataclass(frozen=True)
class Payload:
    data: bytes
    stamp: Stamp | None = None  # for a file: what was read


Answer = Payload | Unchanged | Failure
Done = Callable[[Answer], None]


class HttpFetcher(QObject):
    """GET the address; the answer, or why there is none."""

    def __init__(self, url: str, timeout_s: float, limit: int = MAX_PAYLOAD_BYTES,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.url = QUrl(url)
        self.timeout_ms = round(timeout_s * 1000)
        self.limit = limit
        self.manager = QNetworkAccessManager(self)
        self._reply: QNetworkReply | None = None

    def fetch(self, done: Done) -> None:
        request = QNetworkRequest(self.url)
        request.setTransferTimeout(self.timeout_ms)  # a stalled server is a failure, not a hang
        request.setAttribute(QNetworkRequest.Attribute.CacheLoadControlAttribute,
                             QNetworkRequest.CacheLoadControl.AlwaysNetwork)
        request.setHeader(QNetworkRequest.KnownHeaders.UserAgentHeader, "kiosk-queue/1")
        reply = self.manager.get(request)
        self._reply = reply
        too_large = [False]

        def progress(received: int, total: int) -> None:
            if max(received, total) > self.limit and not too_large[0]:
                too_large[0] = True
                reply.abort()  # never buffer a runaway answer

        def finished() -> None:
            if self._reply is reply:
                self._reply = None
            reply.deleteLater()
            if reply.property("cancelled"):
                return
            done(self._answer(reply, too_large[0]))

        reply.downloadProgress.connect(progress)
        reply.finished.connect(finished)

    def _answer(self, reply: QNetworkReply, too_large: bool) -> Answer:
        if too_large:
            return Failure(f"the answer is larger than {self.limit // 1024} KB")
        status = reply.attribute(QNetworkRequest.Attribute.HttpStatusCodeAttribute)
        if reply.error() in (QNetworkReply.NetworkError.OperationCanceledError,
                             QNetworkReply.NetworkError.TimeoutError):
            return Failure(f"no answer within {self.timeout_ms / 1000:g} s")
        if reply.error() != QNetworkReply.NetworkError.NoError:
            if status:
                return Failure(f"HTTP {status}")
            return Failure(reply.errorString())
        if status is not None and status != 200:
            return Failure(f"HTTP {status}")
        data = bytes(reply.readAll().data())
        if len(data) > self.limit:
            return Failure(f"the answer is larger than {self.limit // 1024} KB")
        return Payload(data)

    def cancel(self) -> None:
        reply, self._reply = self._reply, None
        if reply is not None:
            reply.setProperty("cancelled", True)
            reply.abort()


def look_at_file(path: Path, last: Stamp | None, limit: int) -> Answer:
    """In a worker: the file's bytes if it changed since `last` and was not being written
    while we read it (its size and time the same before and after)."""
    try:
        before = os.stat(path)
        stamp = (before.st_size, before.st_mtime_ns)
        if stamp == last:
            return Unchanged()
        if before.st_size > limit:
            return Failure(f"the file is larger than {limit // 1024} KB")
        with open(path, "rb") as file:
            data = file.read(limit + 1)
        after = os.stat(path)
    except FileNotFoundError:
        return Failure(f"the file {path} does not exist")
    except OSError as exc:
        return Failure(f"the file {path} cannot be read: {exc.strerror or exc}")
    if (after.st_size, after.st_mtime_ns) != stamp or len(data) != before.st_size:
        return Payload(b"", None)  # being written: look again next time
    return Payload(data, stamp)


class FileFetcher(QObject):
    def __init__(self, path: Path, limit: int = MAX_PAYLOAD_BYTES,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.path = path
        self.limit = limit
        self.last_good: Stamp | None = None  # the stamp of the last file that parsed
        self.worker = Background(self)

    def fetch(self, done: Done) -> None:
        path, last, limit = self.path, self.last_good, self.limit

        def deliver(result: Any) -> None:
            done(result if not isinstance(result, Exception)
                 else Failure(f"{type(result).__name__}: {result}"))

        self.worker.run(lambda: look_at_file(path, last, limit), deliver)

    def cancel(self) -> None:
        self.worker.cancel()


class QueueSource(QObject):
    """Asks the source, hands the answers to the follower, and says when something changed."""

    updated = Signal(int)  # after every answer: how many calls are new (0 after a failure)

    def __init__(self, settings: QueueSettings, root: Path, zone: dt.tzinfo = dt.UTC,
                 clock: Callable[[], float] = time.monotonic,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.root = root
        self.clock = clock
        self.adapter = make_adapter(settings.format, zone)
        self.follower = QueueFollower(settings.banner_seconds, settings.recent_calls,
                                      settings.poll_seconds)
        self.fetcher: HttpFetcher | FileFetcher
        if settings.is_url:
            self.fetcher = HttpFetcher(settings.source, settings.timeout_seconds, parent=self)
        else:
            self.fetcher = FileFetcher(settings.file_path(root), parent=self)
        self._half_written: Stamp | None = None  # a file that did not parse once
        self.parser = Background(self)
        self._busy = False
        self.answers = 0  # how many answers came back (tests, diagnostics)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self._ask)

    def start(self) -> None:
        log.info("following the queue at %s (%s)", self.settings.source, self.settings.format)
        self.timer.start(0)

    def stop(self) -> None:
        self.timer.stop()
        self.fetcher.cancel()
        self.parser.cancel()
        self._busy = False

    def ask_now(self) -> None:
        """Ask at once instead of waiting out the back-off (staff diagnostics: «check now»)."""
        if not self._busy:
            self.timer.start(0)

    def _ask(self) -> None:
        if self._busy:
            return
        self._busy = True
        self.fetcher.fetch(self._answered)

    def _answered(self, answer: Answer) -> None:
        now = self.clock()
        if isinstance(answer, Unchanged):
            self.follower.unchanged(now)
        elif isinstance(answer, Failure):
            self.follower.failed(answer.reason, now)
        elif answer.stamp is None and isinstance(self.fetcher, FileFetcher):
            pass  # the file changed while it was read: the next look gets it whole
        else:
            # A full 256 KB list takes ~50 ms to parse: in a worker, never in a frame.
            adapter, data = self.adapter, answer.data
            self.parser.run(lambda: parse_calls(adapter, data),
                            lambda result: self._parsed(answer, result))
            return
        self._finish(0)

    def _parsed(self, answer: Payload, result: Any) -> None:
        now = self.clock()
        if isinstance(result, Exception):
            if answer.stamp is not None and answer.stamp != self._half_written:
                # Perhaps caught half-written (a queue system that does not write-then-rename):
                # keep the last good state and look again before calling it broken.
                self._half_written = answer.stamp
            else:
                reason = str(result) if isinstance(result, QueueFormatError) \
                    else f"{type(result).__name__}: {result}"
                self.follower.failed(f"unreadable answer: {reason}", now)
            self._finish(0)
            return
        calls, skipped = result
        self._half_written = None
        if isinstance(self.fetcher, FileFetcher):
            self.fetcher.last_good = answer.stamp
        self._finish(len(self.follower.succeeded(calls, now, skipped)))

    def _finish(self, new: int) -> None:
        self._busy = False
        self.answers += 1
        self.updated.emit(new)
        self.timer.start(round(self.follower.next_delay() * 1000))
