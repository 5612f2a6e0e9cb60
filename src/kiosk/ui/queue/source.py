"""Reads the electronic queue's calls (an HTTP(S) endpoint or a file) without ever blocking
the UI thread, and feeds them to kiosk.core.queue's follower.

HTTP goes through Qt's own network stack (asynchronous, a size limit, and `timeout_seconds`
as a deadline for the whole answer: Qt's transfer timeout only measures silence, and a server
sending a byte a second held a request for 80 s against 3). Redirects are followed only to the
same scheme, host and port: the kiosk talks to the server kiosk.yaml names and no other. A file
is looked at in a worker thread, only if it is a regular file (never a FIFO, device, socket or
symbolic link, which could block or lead anywhere), and read only when its size or time
changed. One question at a time: the next is asked only after the last one was answered (or
its deadline passed), after the follower's delay (which backs off while the source fails).
"""

from __future__ import annotations

import datetime as dt
import errno
import logging
import os
import stat
import threading
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
    clean_reason,
    file_kind,
    make_adapter,
    parse_calls,
    queue_file_problem,
)
from kiosk.core.settings import QueueSettings
from kiosk.ui.background import Background

log = logging.getLogger(__name__)

Stamp = tuple[int, int]  # size and modification time of the queue file
MAX_REDIRECTS = 3
DEADLINE_MARGIN_MS = 1000  # the source's own deadline, after the fetcher's: a backstop


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
        request.setTransferTimeout(self.timeout_ms)  # a silent server: a failure, not a hang
        request.setAttribute(QNetworkRequest.Attribute.CacheLoadControlAttribute,
                             QNetworkRequest.CacheLoadControl.AlwaysNetwork)
        # Same scheme, host and port only: a redirect elsewhere (another host, http from
        # https) is refused, so a misconfigured or hostile queue server cannot send the kiosk
        # to fetch from, or show the answer of, any machine on the centre's network. A path
        # moved on the same server still works.
        request.setAttribute(QNetworkRequest.Attribute.RedirectPolicyAttribute,
                             QNetworkRequest.RedirectPolicy.SameOriginRedirectPolicy)
        request.setMaximumRedirectsAllowed(MAX_REDIRECTS)
        request.setHeader(QNetworkRequest.KnownHeaders.UserAgentHeader, "kiosk-queue/1")
        reply = self.manager.get(request)
        self._reply = reply
        too_large = [False]
        timed_out = [False]
        # The whole answer within timeout_seconds, however the server dribbles it.
        deadline = QTimer(reply)
        deadline.setSingleShot(True)

        def too_late() -> None:
            if not reply.isFinished():
                timed_out[0] = True
                reply.abort()

        def progress(received: int, total: int) -> None:
            if max(received, total) > self.limit and not too_large[0]:
                too_large[0] = True
                reply.abort()  # never buffer a runaway answer

        def finished() -> None:
            deadline.stop()
            if self._reply is reply:
                self._reply = None
            reply.deleteLater()
            if reply.property("cancelled"):
                return
            done(self._answer(reply, too_large[0], timed_out[0]))

        deadline.timeout.connect(too_late)
        reply.downloadProgress.connect(progress)
        reply.finished.connect(finished)
        deadline.start(self.timeout_ms)

    def _answer(self, reply: QNetworkReply, too_large: bool, timed_out: bool = False
                ) -> Answer:
        if too_large:
            return Failure(f"the answer is larger than {self.limit // 1024} KB")
        status = reply.attribute(QNetworkRequest.Attribute.HttpStatusCodeAttribute)
        error = reply.error()
        if timed_out or error in (QNetworkReply.NetworkError.OperationCanceledError,
                                  QNetworkReply.NetworkError.TimeoutError):
            return Failure(f"no answer within {self.timeout_ms / 1000:g} s")
        if error == QNetworkReply.NetworkError.InsecureRedirectError:
            target = reply.attribute(QNetworkRequest.Attribute.RedirectionTargetAttribute)
            where = f" to {target.toDisplayString()}" if isinstance(target, QUrl) else ""
            return Failure(f"redirected{where}, to another server: refused; put the address "
                           "that answers in kiosk.yaml")
        if error == QNetworkReply.NetworkError.TooManyRedirectsError:
            return Failure(f"more than {MAX_REDIRECTS} redirects: put the address that "
                           "answers in kiosk.yaml")
        if error != QNetworkReply.NetworkError.NoError:
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


def _read_up_to(fd: int, limit: int) -> bytes:
    chunks: list[bytes] = []
    left = limit
    while left > 0:
        chunk = os.read(fd, min(left, 64 * 1024))
        if not chunk:
            break
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def look_at_file(path: Path, last: Stamp | None, limit: int, root: Path | None = None
                 ) -> Answer:
    """In a worker: the file's bytes if it changed since `last` and was not being written
    while we read it (its size and time the same before and after). Only a regular file is
    opened, never in a way that can block (`queue_file_problem`); `root`: the content folder
    a relative source must stay in."""
    refused = ("the kiosk reads only a regular file: name the file the queue system writes "
               "in kiosk.yaml")
    try:
        problem = queue_file_problem(path, root)
        if problem is not None:
            return Failure(clean_reason(f"the queue file {path} {problem}; {refused}"))
        looked = os.lstat(path)
        if (looked.st_size, looked.st_mtime_ns) == last:
            return Unchanged()
        # Swapped for a FIFO or a link since the look: O_NONBLOCK opens a FIFO without
        # waiting for a writer, O_NOFOLLOW refuses a link, and fstat tells what was opened.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW | os.O_CLOEXEC
                     | os.O_NOCTTY)
        try:
            before = os.fstat(fd)
            if not stat.S_ISREG(before.st_mode):
                return Failure(clean_reason(f"the queue file {path} is "
                                            f"{file_kind(before.st_mode)}; {refused}"))
            stamp = (before.st_size, before.st_mtime_ns)
            if before.st_size > limit:
                return Failure(f"the file is larger than {limit // 1024} KB")
            data = _read_up_to(fd, limit + 1)
            after = os.fstat(fd)
        finally:
            os.close(fd)
    except FileNotFoundError:
        return Failure(f"the file {path} does not exist")
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return Failure(clean_reason(f"the queue file {path} is a symbolic link; {refused}"))
        return Failure(f"the file {path} cannot be read: {exc.strerror or exc}")
    if (after.st_size, after.st_mtime_ns) != stamp or len(data) != before.st_size:
        return Payload(b"", None)  # being written: look again next time
    return Payload(data, stamp)


class FileFetcher(QObject):
    def __init__(self, path: Path, limit: int = MAX_PAYLOAD_BYTES, root: Path | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.path = path
        self.limit = limit
        self.root = root  # the content folder, for a source given inside it
        self.last_good: Stamp | None = None  # the stamp of the last file that parsed
        self.worker = Background(self)
        # Set while a look runs in the worker, cleared by the worker itself: a network folder
        # that stopped answering holds one pool thread, never one more per poll.
        self._looking = threading.Event()

    def fetch(self, done: Done) -> None:
        path, last, limit, root = self.path, self.last_good, self.limit, self.root
        looking = self._looking
        if looking.is_set():
            done(Failure(f"the last read of {path} has not returned (a network folder not "
                         "answering?)"))
            return

        def look() -> Answer:
            try:
                return look_at_file(path, last, limit, root)
            finally:
                looking.clear()

        def deliver(result: Any) -> None:
            done(result if not isinstance(result, Exception)
                 else Failure(f"{type(result).__name__}: {result}"))

        looking.set()
        self.worker.run(look, deliver)

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
            inside = None if settings.source.startswith("/") else root
            self.fetcher = FileFetcher(settings.file_path(root), root=inside, parent=self)
        self._half_written: Stamp | None = None  # a file that did not parse once
        self.parser = Background(self)
        self._busy = False
        self.answers = 0  # how many answers came back (tests, diagnostics)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self._ask)
        # No question stays open past its deadline, whatever the fetcher does (a file on a
        # network folder that stopped answering): it is a failure, and health says so.
        self.deadline = QTimer(self)
        self.deadline.setSingleShot(True)
        self.deadline.setInterval(round(settings.timeout_seconds * 1000) + DEADLINE_MARGIN_MS)
        self.deadline.timeout.connect(self._too_late)

    def start(self) -> None:
        log.info("following the queue at %s (%s)", self.settings.source, self.settings.format)
        self.timer.start(0)

    def stop(self) -> None:
        self.timer.stop()
        self.deadline.stop()
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
        self.deadline.start()
        self.fetcher.fetch(self._answered)

    def _too_late(self) -> None:
        if not self._busy:
            return
        self.fetcher.cancel()
        self.parser.cancel()
        self.follower.failed(f"no answer within {self.settings.timeout_seconds:g} s",
                             self.clock())
        self._finish(0)

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
        self.deadline.stop()
        self._busy = False
        self.answers += 1
        self.updated.emit(new)
        self.timer.start(round(self.follower.next_delay() * 1000))
