"""The editor's side of the preview renderer: `Renderer` talks to the child process
`python -m kiosk.editor.render_worker`, which draws drafts with the kiosk's own screens.

No Qt here (the editor's process never loads it: ~100 MB, and a crash in it would take the
web server with it). The child is started on the first request, asked one request at a time
(a lock), and answered within `timeout` seconds, or killed and started afresh on the next
request: a draft that hangs or crashes the renderer costs the page a clear message, never the
server a stuck thread. After `idle_seconds` without a request the child is stopped, to give
its memory back; the next preview starts it again (about a second).

A newer request from the same page makes a waiting older one pointless: `render(..., key=)`
returns None for a request that a newer one with the same key overtook while it waited.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import select
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

log = logging.getLogger(__name__)

HEADER_BYTES = 4
MAX_HEADER_BYTES = 4 * 1024 * 1024  # the answer's JSON (problems are bounded by the loader)
MAX_IMAGE_BYTES = 32 * 1024 * 1024  # one PNG (a 1920×1080 screen is 0.1–3 MB)
DEFAULT_TIMEOUT = 15.0  # seconds for one request: eight screens take ~1 s warm
FIRST_TIMEOUT_EXTRA = 20.0  # the first request also waits for Python, Qt and fonts to load
DEFAULT_IDLE_SECONDS = 10 * 60.0
# Requests waiting for the one being drawn: two staff typing at once each have one waiting
# (an older one from the same page gives way to the newer); more are refused at once.
MAX_WAITING = 2
SCRATCH_ENV = "KIOSK_PREVIEW_SCRATCH"  # the child's scratch folder, made and removed here
# The folder of the child's content index (beside the scratch folders, in the editor's state):
# each child started after an idle stop reads head office's folder from it, not every file.
INDEX_ENV = "KIOSK_PREVIEW_INDEX"
SCRATCH_PREFIX = "preview-"
WAIT_STEP = 0.05  # seconds between looks, while waiting, for a newer request from the page


class RenderError(Exception):
    """The preview could not be drawn: `ru` and `en` say so to staff."""

    def __init__(self, ru: str, en: str, reason: str = "") -> None:
        super().__init__(en if not reason else f"{en} ({reason})")
        self.ru = ru
        self.en = en
        self.reason = reason


TIMED_OUT = RenderError(
    "Предпросмотр не успел нарисоваться и прерван. Проверьте, не слишком ли длинный текст "
    "или большая фотография, и попробуйте ещё раз.",
    "The preview took too long and was stopped. Check that the text is not too long or the "
    "photo too large, and try again.")
CRASHED = RenderError(
    "Программа предпросмотра остановилась с ошибкой; следующая попытка запустит её заново. "
    "Если это повторяется, сообщите в ИТ-службу.",
    "The preview program stopped with an error; the next try starts it again. If it keeps "
    "happening, tell IT.")
BUSY = RenderError(
    "Предпросмотр сейчас рисуется для других; он обновится при следующей правке.",
    "The preview is busy drawing for others; it updates at your next edit.")
FAILED = RenderError(
    "Предпросмотр не удалось нарисовать. Если это повторяется, сообщите в ИТ-службу.",
    "The preview could not be drawn. If it keeps happening, tell IT.")


@dataclass
class RenderResult:
    """What the child drew: PNG bytes by name (`landscape-ru-story`, `portrait-en-poster`
    …), each image's description, the draft's problems (as the child's JSON), and timings."""

    images: dict[str, bytes]
    described: list[dict[str, Any]]
    problems: list[dict[str, Any]]
    shown: bool
    timings: dict[str, float] = field(default_factory=dict)


def sweep_scratch(root: Path) -> None:
    """Remove the scratch folders of children whose editor is gone (killed, crashed): their
    names carry the editor's process id."""
    try:
        names = os.listdir(root)
    except OSError:
        return
    for name in names:
        owner = name.removeprefix(SCRATCH_PREFIX).partition("-")[0]
        if not name.startswith(SCRATCH_PREFIX) or not owner.isdigit() or \
                int(owner) == os.getpid():
            continue  # not ours, or this editor's own (removed by the Renderer that made it)
        try:
            os.kill(int(owner), 0)
            continue  # another editor still running with this state folder
        except ProcessLookupError:
            shutil.rmtree(root / name, ignore_errors=True)
        except OSError:
            continue


def worker_command() -> list[str]:
    return [sys.executable, "-m", "kiosk.editor.render_worker"]


class Renderer:
    def __init__(self, timeout: float = DEFAULT_TIMEOUT,
                 idle_seconds: float = DEFAULT_IDLE_SECONDS,
                 command: Sequence[str] | None = None,
                 env: dict[str, str] | None = None,
                 max_waiting: int = MAX_WAITING,
                 scratch_root: Path | None = None) -> None:
        self.timeout = timeout
        self.idle_seconds = idle_seconds
        self.command = list(command) if command is not None else worker_command()
        self.env = env
        self.start_allowance = FIRST_TIMEOUT_EXTRA  # more time for a request that starts it
        self.max_waiting = max_waiting
        self._waiting = 0
        self._lock = threading.Lock()
        self._process: subprocess.Popen[bytes] | None = None
        self._latest: dict[str, int] = {}  # key → the newest request's number
        self._counter = 0
        self._counter_lock = threading.Lock()
        self._idle_timer: threading.Timer | None = None
        self._last_used = time.monotonic()
        self.starts = 0  # children started, for tests and the bench
        # Each child's scratch folder is made here (under the editor's state folder) and
        # removed when it stops, killed or not; ones left by an editor that died are swept.
        self.scratch_root = scratch_root
        self._scratch: dict[int, str] = {}
        if scratch_root is not None:
            sweep_scratch(scratch_root)

    # -- the child -------------------------------------------------------------------------

    @property
    def pid(self) -> int | None:
        process = self._process
        return process.pid if process is not None and process.poll() is None else None

    def _start(self) -> subprocess.Popen[bytes]:
        env = dict(os.environ if self.env is None else self.env)
        env["QT_QPA_PLATFORM"] = "offscreen"
        if self.scratch_root is not None:
            self.scratch_root.mkdir(parents=True, exist_ok=True, mode=0o700)
        scratch = tempfile.mkdtemp(prefix=f"{SCRATCH_PREFIX}{os.getpid()}-",
                                   dir=self.scratch_root)
        env[SCRATCH_ENV] = scratch
        if self.scratch_root is not None:
            env[INDEX_ENV] = str(self.scratch_root.parent / "index")
        try:
            process = subprocess.Popen(self.command, stdin=subprocess.PIPE,
                                       stdout=subprocess.PIPE, env=env, close_fds=True,
                                       bufsize=0)
        except BaseException:
            shutil.rmtree(scratch, ignore_errors=True)
            raise
        self._scratch[process.pid] = scratch
        self.starts += 1
        log.info("preview renderer started (pid %d)", process.pid)
        return process

    def _stop(self, process: subprocess.Popen[bytes] | None, kill: bool) -> None:
        if process is None:
            return
        if self._process is process:
            self._process = None
        try:
            if kill:
                process.kill()
            else:
                assert process.stdin is not None
                process.stdin.close()  # the child ends at the end of its input
            process.wait(timeout=5)
        except (OSError, subprocess.TimeoutExpired):
            process.kill()
            process.wait()
        for stream in (process.stdin, process.stdout):
            if stream is not None:
                with contextlib.suppress(OSError):
                    stream.close()
        self._remove_scratch(process)

    def _remove_scratch(self, process: subprocess.Popen[bytes]) -> None:
        scratch = self._scratch.pop(process.pid, None)
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)

    def close(self) -> None:
        """Stop the child (the next request starts another)."""
        with self._lock:
            self._cancel_idle()
            self._stop(self._process, kill=False)

    def shutdown(self) -> None:
        """For a server that exits: the child is stopped, killed if it is drawing (never
        waited for)."""
        if self._lock.acquire(blocking=False):
            try:
                self._cancel_idle()
                self._stop(self._process, kill=False)
            finally:
                self._lock.release()
        elif (process := self._process) is not None:
            process.kill()
            self._remove_scratch(process)

    def _cancel_idle(self) -> None:
        if self._idle_timer is not None:
            self._idle_timer.cancel()
            self._idle_timer = None

    def _arm_idle(self) -> None:
        self._cancel_idle()
        self._idle_timer = threading.Timer(self.idle_seconds, self._idle_check)
        self._idle_timer.daemon = True
        self._idle_timer.start()

    def _idle_check(self) -> None:
        if not self._lock.acquire(blocking=False):
            return  # a request is running; it arms the timer again when done
        try:
            if time.monotonic() - self._last_used >= self.idle_seconds * 0.99:
                log.info("preview renderer idle for %.0f s: stopped", self.idle_seconds)
                self._stop(self._process, kill=False)
        finally:
            self._lock.release()

    # -- requests --------------------------------------------------------------------------

    def ping(self, shared: str = "") -> int:
        """Start the child if needed and wait for it to answer; its pid. With `shared` (head
        office's folder) the child also reads it and builds its windows, so that the first
        draft is drawn as fast as the next ones."""
        header, _ = self._ask({"ping": True, "shared": shared} if shared else {"ping": True})
        return int(header["pid"])

    def warm_up(self, shared: str) -> None:
        """`ping(shared)` in a thread of its own, unless the child is already running: for a
        page that will soon ask for a preview. Errors are left to that preview."""
        if self.pid is not None or self._lock.locked():
            return

        def run() -> None:
            try:
                self.ping(shared)
            except RenderError as exc:
                log.info("preview renderer warm-up failed: %s", exc)

        threading.Thread(target=run, name="preview-warm-up", daemon=True).start()

    def render(self, request: dict[str, Any], key: str | None = None) -> RenderResult | None:
        """Draw a draft (see kiosk.editor.render_worker for the request's fields). None when
        a newer request with the same `key` came in while this one waited. RenderError when
        the child timed out, crashed or refused the request."""
        with self._counter_lock:
            self._counter += 1
            number = self._counter
            if key is not None:
                self._latest[key] = number
        header, blobs = self._ask(request, key, number)
        if header.get("superseded"):
            return None
        described = list(header.get("images", []))
        names = [str(item.get("name", "")) for item in described]
        return RenderResult(dict(zip(names, blobs, strict=True)), described,
                            list(header.get("problems", [])), bool(header.get("shown")),
                            dict(header.get("timings", {})))

    def _ask(self, request: dict[str, Any], key: str | None = None,
             number: int = 0) -> tuple[dict[str, Any], list[bytes]]:
        if not self._wait_turn(key, number):
            return {"superseded": True}, []
        try:
            if key is not None and self._latest.get(key, number) > number:
                return {"superseded": True}, []
            self._cancel_idle()
            try:
                return self._exchange(request)
            finally:
                self._last_used = time.monotonic()
                if self._process is not None:
                    self._arm_idle()
        finally:
            self._lock.release()

    def _wait_turn(self, key: str | None, number: int) -> bool:
        """Take the lock (True), or give up waiting when a newer request with the same key
        came in (False). At most `max_waiting` requests wait, none longer than a request may
        take: past that RenderError, so previews never hold all of the server's threads."""
        with self._counter_lock:
            if self._waiting >= self.max_waiting:
                raise BUSY
            self._waiting += 1
        try:
            deadline = time.monotonic() + self.timeout + self.start_allowance
            while not self._lock.acquire(timeout=WAIT_STEP):
                if key is not None and self._latest.get(key, number) > number:
                    return False
                if time.monotonic() > deadline:
                    raise BUSY
            return True
        finally:
            with self._counter_lock:
                self._waiting -= 1

    def _exchange(self, request: dict[str, Any]) -> tuple[dict[str, Any], list[bytes]]:
        process = self._process
        timeout = self.timeout
        if process is None or process.poll() is not None:
            self._stop(process, kill=True)
            process = self._process = self._start()
            timeout += self.start_allowance
        deadline = time.monotonic() + timeout
        assert process.stdin is not None and process.stdout is not None
        data = json.dumps(request, ensure_ascii=False).encode()
        try:
            process.stdin.write(len(data).to_bytes(HEADER_BYTES, "big") + data)
            process.stdin.flush()
            header = json.loads(_read_frame(process.stdout, deadline, MAX_HEADER_BYTES))
            if not isinstance(header, dict):
                raise ValueError("the answer is not an object")
            blobs = [_read_frame(process.stdout, deadline, MAX_IMAGE_BYTES)
                     for _ in header.get("images", [])]
        except TimeoutError:
            log.warning("preview renderer gave no answer in %.0f s: killed", timeout)
            self._stop(process, kill=True)
            raise TIMED_OUT from None
        except (OSError, EOFError, ValueError) as exc:
            code = process.poll()
            log.warning("preview renderer failed (%s, exit status %s): restarted next time",
                        exc, code)
            self._stop(process, kill=True)
            raise CRASHED from None
        if not header.get("ok"):
            reason = str(header.get("error", ""))
            log.warning("preview renderer refused a draft: %s", reason)
            raise RenderError(FAILED.ru, FAILED.en, reason)
        return header, blobs


def _read_exactly(stream: IO[bytes], size: int, deadline: float) -> bytes:
    """`size` bytes from the pipe, or TimeoutError at `deadline`, or EOFError."""
    fd = stream.fileno()
    chunks: list[bytes] = []
    left = size
    while left:
        wait = deadline - time.monotonic()
        if wait <= 0:
            raise TimeoutError
        ready, _, _ = select.select([fd], [], [], wait)
        if not ready:
            raise TimeoutError
        chunk = os.read(fd, min(left, 1 << 20))
        if not chunk:
            raise EOFError("the renderer's output ended")
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def _read_frame(stream: IO[bytes], deadline: float, most: int) -> bytes:
    size = int.from_bytes(_read_exactly(stream, HEADER_BYTES, deadline), "big")
    if size > most:
        raise ValueError(f"a frame of {size} bytes")
    return _read_exactly(stream, size, deadline)
