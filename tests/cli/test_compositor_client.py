"""The compositor's primary client (python -m kiosk.compositor_client) on its own, against a
stand-in compositor speaking just enough of the Wayland protocol; tests/ui/test_wayland.py
runs it under the real cage."""

from __future__ import annotations

import os
import socket
import struct
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from kiosk.compositor_client import main, roundtrip, socket_path, wait_for_compositor

DONE = struct.pack("=III", 2, 12 << 16 | 0, 7)  # wl_callback 2: done(serial 7)
DELETE_ID = struct.pack("=III", 1, 12 << 16 | 1, 2)  # wl_display: delete_id(2)
# wl_display: error(object 1, code 1, "bad"): the compositor refused the request
ERROR = struct.pack("=IIIII4s", 1, 24 << 16 | 0, 1, 1, 4, b"bad\0")


@pytest.fixture
def compositor(tmp_path: Path) -> Iterator[Callable[[bytes], str]]:
    """A socket that answers the first request it reads with `reply`, then hangs up."""
    servers: list[socket.socket] = []

    def serve(reply: bytes) -> str:
        path = str(tmp_path / f"wayland-{len(servers)}")
        server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        server.bind(path)
        server.listen(1)
        servers.append(server)

        def answer() -> None:
            conn, _ = server.accept()
            with conn:
                request = conn.recv(12)
                assert struct.unpack("=III", request) == (1, 12 << 16 | 0, 2)  # sync
                conn.sendall(reply)

        threading.Thread(target=answer, daemon=True).start()
        return path

    yield serve
    for server in servers:
        server.close()


def test_a_compositor_that_answers_the_sync_is_ready(
        compositor: Callable[[bytes], str]) -> None:
    assert roundtrip(compositor(DELETE_ID + DONE), 5)  # another event before it
    assert wait_for_compositor(compositor(DONE), 5)


@pytest.mark.parametrize("reply", [b"", DELETE_ID, ERROR, struct.pack("=II", 2, 4 << 16)])
def test_a_compositor_that_hangs_up_or_speaks_nonsense_is_not(
        compositor: Callable[[bytes], str], reply: bytes) -> None:
    assert not roundtrip(compositor(reply), 5)


def test_no_socket_is_no_compositor_within_the_time_allowed(tmp_path: Path) -> None:
    assert not wait_for_compositor(str(tmp_path / "wayland-0"), 0.3)


def test_where_the_socket_is() -> None:
    assert socket_path({"XDG_RUNTIME_DIR": "/run/kiosk-wayland"}) == \
        "/run/kiosk-wayland/wayland-0"
    assert socket_path({"XDG_RUNTIME_DIR": "/run/x", "WAYLAND_DISPLAY": "wayland-1"}) == \
        "/run/x/wayland-1"
    assert socket_path({"WAYLAND_DISPLAY": "/run/x/w"}) == "/run/x/w"
    assert socket_path({}) is None


def test_the_stop_of_a_compositor_already_gone_and_a_wrong_call() -> None:
    assert main(["stop"]) == 0  # ExecStop= with an empty $MAINPID
    assert main(["stop", ""]) == 0
    assert main(["start"]) == 2


def test_without_a_runtime_folder_the_client_ends_and_says_why(tmp_path: Path) -> None:
    env = {key: value for key, value in os.environ.items()
           if key not in ("XDG_RUNTIME_DIR", "WAYLAND_DISPLAY")}
    result = subprocess.run([sys.executable, "-m", "kiosk.compositor_client"], env=env,
                            capture_output=True, text=True, timeout=30)
    assert result.returncode == 1
    assert "XDG_RUNTIME_DIR" in result.stderr


def test_an_error_line_is_an_error_in_the_journal_and_plain_elsewhere(
        compositor: Callable[[bytes], str], tmp_path: Path) -> None:
    def client(journal: bool) -> str:
        err = tmp_path / f"stderr-{journal}"
        with err.open("w") as stream:
            info = os.fstat(stream.fileno())
            env = {**os.environ, "XDG_RUNTIME_DIR": str(tmp_path),
                   "WAYLAND_DISPLAY": Path(compositor(b"")).name}  # hangs up at once
            env.pop("JOURNAL_STREAM", None)
            if journal:  # stderr is the journal's stream, as systemd says it is
                env["JOURNAL_STREAM"] = f"{info.st_dev}:{info.st_ino}"
            result = subprocess.run([sys.executable, "-m", "kiosk.compositor_client"], env=env,
                                    stderr=stream, timeout=30)
        assert result.returncode == 1
        return err.read_text()

    assert client(journal=True).startswith("<3>compositor_client: the compositor did not answer")
    assert client(journal=False).startswith("compositor_client: the compositor did not answer")
