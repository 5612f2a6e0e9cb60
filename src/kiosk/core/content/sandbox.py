"""Parse untrusted content in a child process with limits, so that no file can stall the kiosk.

Regular expressions, PyYAML and most parsers hold the GIL while they run: a file that makes one
of them run for a minute (or block, opening a FIFO) would freeze every thread of the kiosk,
the UI and the systemd watchdog's pings with it. Reading a file here runs in a child process
instead; the calling thread waits on a pipe with the GIL released, and a child that takes too
long, uses too much memory or dies is killed and reported as a `ParseRunaway` for that one
file. The rest of the folder is read as usual.

The child is started on first use and ends by itself after a few idle seconds, so a kiosk
that is only cycling through its slides has no second process. Requests and answers are
pickles on the child's stdin and stdout; only the kiosk's own code writes to these pipes.

Run as `python -m kiosk.core.content.sandbox`: the child's side.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import select
import struct
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    # pickle and subprocess come with the first file read here: a start whose content is
    # all in the index reads none before its first frame (3 ms of imports less).
    import subprocess

# A story is at most a few hundred kilobytes (the size cap): parsing one takes milliseconds.
# These limits are for files that are not stories at all.
TIME_LIMIT = 5.0  # seconds of wall-clock time for one file
MEMORY_LIMIT = 768 * 1024 * 1024  # bytes of address space for the child
IDLE_EXIT = 15.0  # seconds without a request before the child ends
# A child's own start (Python and the loader's imports: 0.2 s on an idle machine) is not a
# file's fault: it has its own, wide limit, and a file's time starts when the child is ready.
START_LIMIT = 30.0
ANSWER_LIMIT = 64 * 1024 * 1024  # an answer larger than this is a runaway too

_HEADER = struct.Struct("<I")


class ParseRunaway(Exception):
    """Reading one file was stopped: `reason` is "time", "memory" or "crash"."""

    def __init__(self, reason: str, seconds: float) -> None:
        super().__init__(f"{reason} after {seconds:.1f} s")
        self.reason = reason
        self.seconds = seconds


class ParseSandbox:
    """One child process at a time, shared by the threads that read content (one request at
    a time: the loader reads files one after another anyway)."""

    def __init__(self, time_limit: float = TIME_LIMIT, memory_limit: int = MEMORY_LIMIT,
                 idle_exit: float = IDLE_EXIT, preload: tuple[str, ...] = ()) -> None:
        self.preload = preload  # modules the child imports before it is asked anything
        self.time_limit = time_limit
        self.memory_limit = memory_limit
        self.idle_exit = idle_exit
        self._lock = threading.Lock()
        self._child: subprocess.Popen[bytes] | None = None
        self._abandoned: list[subprocess.Popen[bytes]] = []  # killed, not yet gone
        self._ready = False  # the child has said it is ready (its imports are done)
        self.started = 0  # children started (diagnostics, tests)
        self.stopped = 0  # children killed for running away

    def call(self, function: Callable[..., Any], *args: Any) -> Any:
        """`function(*args)` in the child; `function` is a module-level function of the
        kiosk's own code. Raises ParseRunaway when the child had to be stopped, and the
        function's own exception (as RuntimeError) if it raised one."""
        import pickle

        reference = f"{function.__module__}:{function.__qualname__}"
        request = pickle.dumps((reference, args), protocol=pickle.HIGHEST_PROTOCOL)
        with self._lock:
            started = time.monotonic()
            status, value = pickle.loads(self._ask(request))
        if status == "memory":
            raise ParseRunaway("memory", time.monotonic() - started)
        if status == "error":
            raise RuntimeError(value)
        return value

    def _ask(self, request: bytes) -> bytes:
        for attempt in range(2):
            child = self._running_child()
            if not self._ready:
                started = time.monotonic()
                try:
                    hello = self._answer(child, started + START_LIMIT)
                except ParseRunaway:
                    raise ParseRunaway("crash", time.monotonic() - started) from None
                if hello is None:  # it could not even start
                    self._kill(child)
                    self._child = None
                    raise ParseRunaway("crash", time.monotonic() - started)
                self._ready = True
            started = time.monotonic()
            try:
                assert child.stdin is not None
                child.stdin.write(_HEADER.pack(len(request)) + request)
                child.stdin.flush()
                answer = self._answer(child, started + self.time_limit)
            except BrokenPipeError:
                answer = None
            if answer is not None:
                return answer
            # No answer: the child ended. If it ended on its own, idle, just as the request
            # went out, ask a new one; otherwise this file killed it.
            self._kill(child)  # it has ended: this collects it and closes its pipes
            self._child = None
            if child.returncode == 0 and attempt == 0:
                continue
            self.stopped += 1
            raise ParseRunaway("memory" if child.returncode == _MEMORY_EXIT else "crash",
                               time.monotonic() - started)
        raise AssertionError("unreachable")

    def prestart(self) -> None:
        """Start the child now, so that it is ready (its imports done, on the other core)
        when the first file is to be read."""
        with self._lock:
            self._running_child()

    @property
    def running(self) -> bool:
        """A child is there (started, not yet ended)."""
        child = self._child
        return child is not None and child.poll() is None

    def close(self) -> None:
        with self._lock:
            if self._child is not None:
                self._kill(self._child)
                self._child = None

    def _running_child(self) -> subprocess.Popen[bytes]:
        self._abandoned = [child for child in self._abandoned if child.poll() is None]
        if self._child is not None:
            if self._child.poll() is None:
                return self._child
            self._kill(self._child)  # ended while idle: close its pipes
        self._ready = False
        env = dict(os.environ)
        # The child imports the very kiosk code this process runs, wherever it came from.
        here = str(Path(__file__).resolve().parents[3])
        env["PYTHONPATH"] = os.pathsep.join(p for p in (here, env.get("PYTHONPATH")) if p)
        import subprocess

        self._child = subprocess.Popen(
            [sys.executable, "-m", "kiosk.core.content.sandbox", str(self.memory_limit),
             str(self.idle_exit), *self.preload],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env, close_fds=True)
        _widen_pipes(self._child)
        self.started += 1
        return self._child

    def _answer(self, child: subprocess.Popen[bytes], deadline: float) -> bytes | None:
        """The child's answer, or None if it ended first; kills it at the deadline."""
        assert child.stdout is not None
        fd = child.stdout.fileno()
        received = bytearray()
        wanted = _HEADER.size
        header_read = False
        while len(received) < wanted:
            remaining = deadline - time.monotonic()
            ready = select.select([fd], [], [], max(0.0, remaining))[0] if remaining > 0 else []
            if not ready:
                self._kill(child)
                self._child = None
                self.stopped += 1
                raise ParseRunaway("time", self.time_limit)
            chunk = os.read(fd, min(1 << 20, wanted - len(received)))
            if not chunk:
                return None
            received += chunk
            if not header_read and len(received) >= _HEADER.size:
                header_read = True
                size = _HEADER.unpack_from(received)[0]
                if size > ANSWER_LIMIT:
                    self._kill(child)
                    self._child = None
                    self.stopped += 1
                    raise ParseRunaway("memory", 0.0)
                del received[: _HEADER.size]
                wanted = size
        return bytes(received)

    def _kill(self, child: subprocess.Popen[bytes]) -> None:
        import subprocess

        child.kill()
        try:
            child.wait(timeout=2)
        except subprocess.TimeoutExpired:
            # Stuck in the kernel (a hung network share): SIGKILL lands when the read
            # returns. Never wait for it here; it is collected later.
            self._abandoned.append(child)
        for stream in (child.stdin, child.stdout):
            if stream is not None:
                stream.close()


PIPE_BYTES = 1024 * 1024  # Linux's default most for an unprivileged process


def _widen_pipes(child: subprocess.Popen[bytes]) -> None:
    """1 MB pipes, not 64 KB: a colouring picture's arrays (~2 MB at 1080p) then cross in a
    few writes rather than 32, each a switch between the two processes (~4 ms of the trip).
    Where the system refuses (another kernel, a lower limit), the pipes stay as they are."""
    import fcntl

    if not hasattr(fcntl, "F_SETPIPE_SZ"):  # not Linux
        return
    for stream in (child.stdin, child.stdout):
        if stream is not None:
            with contextlib.suppress(OSError):
                fcntl.fcntl(stream.fileno(), fcntl.F_SETPIPE_SZ, PIPE_BYTES)


_shared: ParseSandbox | None = None
_shared_lock = threading.Lock()


def shared_sandbox() -> ParseSandbox:
    """The process's sandbox, started on first use."""
    global _shared
    with _shared_lock:
        if _shared is None:
            # PyYAML too: kiosk.core.content.yamlsrc imports it only when it first parses.
            _shared = ParseSandbox(preload=("kiosk.core.content.sources", "yaml"))
        return _shared


# -- the child's side ---------------------------------------------------------------------

_MEMORY_EXIT = 3  # the child could not even report a MemoryError


def _limit_self(memory_limit: int) -> None:
    """Each limit the child can set on itself. One the system refuses (a seccomp filter, a
    container) is done without: the parent's deadline still stops the child, and reading
    content must not stop because a limit could not be set."""
    import resource

    hard = resource.getrlimit(resource.RLIMIT_AS)[1]
    if hard != resource.RLIM_INFINITY:
        memory_limit = min(memory_limit, hard)
    steps: list[Callable[[], object]] = [
        lambda: resource.setrlimit(resource.RLIMIT_AS, (memory_limit, hard)),
        # It reads; it never writes a file (its answers go into a pipe, which is not a file).
        lambda: resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0)),
        lambda: os.nice(5),  # a runaway parse must not take the core the screen is painted on
    ]
    for step in steps:
        try:
            step()
        except (OSError, ValueError) as exc:
            print(f"kiosk sandbox: a limit was not set: {exc}", file=sys.stderr)


def _read_exactly(fd: int, size: int) -> bytes | None:
    data = bytearray()
    while len(data) < size:
        chunk = os.read(fd, size - len(data))
        if not chunk:
            return None
        data += chunk
    return bytes(data)


def _serve(memory_limit: int, idle_exit: float, preload: list[str]) -> int:
    import pickle
    import resource

    stdin, stdout = sys.stdin.fileno(), sys.stdout.fileno()
    _limit_self(memory_limit)
    for module in preload:
        importlib.import_module(module)
    os.write(stdout, _HEADER.pack(0))  # ready: the parent's clock for a file starts now
    functions: dict[str, Callable[..., Any]] = {}
    while True:
        if not select.select([stdin], [], [], idle_exit)[0]:
            return 0  # idle: the parent starts a new child when it needs one
        header = _read_exactly(stdin, _HEADER.size)
        if header is None:
            return 0  # the parent went
        request = _read_exactly(stdin, _HEADER.unpack(header)[0])
        if request is None:
            return 0
        reference, args = pickle.loads(request)
        # A child left alone (its parent killed mid-request) stops by itself, too.
        used = sum(os.times()[:2])
        hard = resource.getrlimit(resource.RLIMIT_CPU)[1]
        soft = int(used) + 60
        with contextlib.suppress(OSError, ValueError):  # see _limit_self
            resource.setrlimit(resource.RLIMIT_CPU, (
                soft if hard == resource.RLIM_INFINITY else min(soft, hard), hard))
        try:
            function = functions.get(reference)
            if function is None:
                module, _, name = reference.partition(":")
                function = functions[reference] = getattr(importlib.import_module(module), name)
            answer = pickle.dumps(("ok", function(*args)), protocol=pickle.HIGHEST_PROTOCOL)
        except MemoryError:
            answer = pickle.dumps(("memory", ""))
        except Exception as exc:
            answer = pickle.dumps(("error", f"{type(exc).__name__}: {exc}"[:2000]))
        try:
            os.write(stdout, _HEADER.pack(len(answer)))
            view = memoryview(answer)
            while view:
                view = view[os.write(stdout, view):]
        except MemoryError:
            return _MEMORY_EXIT


if __name__ == "__main__":
    try:
        sys.exit(_serve(int(sys.argv[1]), float(sys.argv[2]), sys.argv[3:]))
    except MemoryError:
        sys.exit(_MEMORY_EXIT)
    except BrokenPipeError:  # the parent went (a crash at start): no traceback for the journal
        sys.exit(0)
