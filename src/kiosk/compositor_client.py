"""The primary client of the kiosk's Wayland compositor (deploy/kiosk-compositor.service).

cage runs one program and ends when that program ends. The kiosk itself runs apart, in
kiosk.service, so that systemd's watchdog supervises the kiosk and not the compositor; cage's
own program is this one, which only keeps it running:

    cage -- python -m kiosk.compositor_client
        Waits until the compositor answers on its socket ($XDG_RUNTIME_DIR/$WAYLAND_DISPLAY,
        which cage sets), sends READY=1 where $NOTIFY_SOCKET is set (the tests; the unit
        itself waits for the socket in ExecStartPost=, since PAMName= moves this program out of
        the unit, where systemd would not take its READY=1), then waits for SIGTERM, SIGINT or
        SIGHUP and exits 0, after which cage ends by itself.

    python -m kiosk.compositor_client stop PID
        The unit's ExecStop=: ends the compositor PID cleanly by ending its client (this
        program), and waits until it is gone. cage 0.1.4 (Debian 12) aborts on SIGTERM (a
        wrong pointer in its signal handler, fixed upstream in 2024), so it must not get one.

Nothing here imports Qt: it starts in a few tens of milliseconds.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import struct
import sys
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

from kiosk.core.service.journal import under_journald
from kiosk.core.service.sdnotify import Notifier

CONNECT_TIMEOUT_S = 30.0  # for the compositor to answer on its socket
STOP_TIMEOUT_S = 10.0  # for the compositor to end once its client has
POLL_S = 0.05
PR_SET_PDEATHSIG = 1  # prctl(2)
STOP_SIGNALS = {signal.SIGTERM, signal.SIGINT, signal.SIGHUP}
MARK = "kiosk.compositor_client"  # in the command line of this program's process

# The Wayland wire protocol: a request is (object id, size << 16 | opcode, arguments…) in the
# machine's byte order. wl_display is object 1; its request 0 is sync(new wl_callback), and
# the callback's only event, 0, is done.
WL_DISPLAY = 1
WL_DISPLAY_SYNC = 0
WL_CALLBACK_DONE = 0
CALLBACK = 2


def socket_path(env: Mapping[str, str]) -> str | None:
    display = env.get("WAYLAND_DISPLAY") or "wayland-0"
    if display.startswith("/"):
        return display
    runtime = env.get("XDG_RUNTIME_DIR")
    return os.path.join(runtime, display) if runtime else None


def roundtrip(path: str, timeout: float) -> bool:
    """One wl_display.sync on a connection of its own, answered: the compositor accepts
    clients and runs its event loop. Raises OSError when it cannot connect."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM | socket.SOCK_CLOEXEC) as conn:
        conn.settimeout(timeout)
        conn.connect(path)
        conn.sendall(struct.pack("=III", WL_DISPLAY, 12 << 16 | WL_DISPLAY_SYNC, CALLBACK))
        received = b""
        while len(received) < 65536:
            chunk = conn.recv(4096)
            if not chunk:
                return False
            received += chunk
            while len(received) >= 8:
                sender, size_opcode = struct.unpack_from("=II", received)
                size = size_opcode >> 16
                if size < 8:
                    return False  # not the Wayland protocol
                if len(received) < size:
                    break
                if sender == CALLBACK and size_opcode & 0xFFFF == WL_CALLBACK_DONE:
                    return True
                received = received[size:]
        return False


def wait_for_compositor(path: str, timeout: float = CONNECT_TIMEOUT_S) -> bool:
    deadline = time.monotonic() + timeout
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            return False
        try:
            return roundtrip(path, left)
        except (FileNotFoundError, ConnectionRefusedError):
            time.sleep(POLL_S)  # the socket is not there yet
        except OSError:
            return False


def end_with_parent() -> None:
    """SIGTERM to this process when the compositor ends (if it is killed, or crashes): its
    client is not left waiting for ever."""
    import ctypes

    parent = os.getppid()
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
    if os.getppid() != parent:  # it ended before prctl
        os.kill(os.getpid(), signal.SIGTERM)


def say_error(message: str) -> None:
    """A line on stderr, at the journal's priority «error» when stderr is the journal (as
    kiosk.core.service.logsetup writes the kiosk's): `journalctl -p err` shows it."""
    print(f"<3>{message}" if under_journald(sys.stderr) else message, file=sys.stderr)


def keep_alive(env: Mapping[str, str]) -> int:
    # Blocked before anything else: a stop that comes while we wait is not lost.
    signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
    end_with_parent()
    path = socket_path(env)
    if path is None:
        say_error("compositor_client: no XDG_RUNTIME_DIR: where is the compositor's socket?")
        return 1
    if not wait_for_compositor(path):
        say_error(f"compositor_client: the compositor did not answer on {path}")
        return 1
    notifier = Notifier(env)
    notifier.ready(f"Wayland display at {path}")
    notifier.close()
    signal.sigwait(STOP_SIGNALS)
    return 0


def _parent_and_state(pid: int) -> tuple[int, str] | None:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat[stat.rfind(")") + 2:].split()  # the name may hold spaces and brackets
    return int(fields[1]), fields[0]


def _clients_of(compositor: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        parent = _parent_and_state(int(entry.name))
        if parent is None or parent[0] != compositor:
            continue
        try:
            command = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if MARK.encode() in command:
            found.append(int(entry.name))
    return found


def stop(compositor: int, timeout: float = STOP_TIMEOUT_S) -> int:
    """End the compositor `compositor` by ending its client; 0 once it is gone, 1 if it
    was still there after `timeout` (systemd then goes on with its KillSignal)."""
    for client in _clients_of(compositor):
        with contextlib.suppress(ProcessLookupError):  # ended meanwhile
            os.kill(client, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        state = _parent_and_state(compositor)
        if state is None or state[1] == "Z":
            return 0
        time.sleep(POLL_S)
    say_error(f"compositor_client: the compositor {compositor} did not end in {timeout:.0f} s")
    return 1


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args:
        return keep_alive(os.environ)
    if args[0] == "stop":
        # ExecStop= runs even when the compositor has already gone: $MAINPID is empty then.
        if len(args) < 2 or not args[1].isdigit():
            return 0
        return stop(int(args[1]))
    say_error("usage: python -m kiosk.compositor_client [stop PID]")
    return 2


if __name__ == "__main__":
    sys.exit(main())
