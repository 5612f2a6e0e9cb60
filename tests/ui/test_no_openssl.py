"""The kiosk's window process loads no OpenSSL while it cycles (issue 18: PSS ≤ 80 MB).
libcrypto and libssl are ~4 MB of pages, their Python modules and OpenSSL's heap ~3 MB more,
for nothing: the window process speaks no TLS from Python (the queue goes through QtNetwork),
its digests come from Python's own implementations (kiosk.core.hashes) and asyncio is
imported without `ssl` (kiosk.ui.no_tls). Only a PIN typed or set needs OpenSSL (scrypt)."""

from __future__ import annotations

import os
from pathlib import Path

from tests.helpers import BUNDLED, kiosk_env, run_python

OPENSSL_MODULES = ("ssl", "_ssl", "hashlib", "_hashlib")

CHILD = """
import os, sys
from PySide6.QtCore import QTimer
from kiosk.cli import main

TURNS = 4

def openssl():
    with open("/proc/self/maps") as maps:
        mapped = {line.split()[-1].rsplit("/", 1)[-1] for line in maps
                  if "libcrypto" in line or "libssl" in line}
    return sorted(mapped) + sorted(set(sys.argv[2:]) & set(sys.modules))

def watch(window):
    attract = window.attract
    turns = []

    def cycle():
        # Started whole (the screens built after the first frame, the reloader's watcher,
        # the event loop), and the slide on show whole, its pictures in it.
        if not (window.screens_built and "watchdog" in sys.modules
                and "asyncio" in sys.modules and attract.pictures_shown):
            return
        turns.append(attract.current_slide)
        if len(turns) <= TURNS:  # on to the next slide, as if its time were up
            attract.playlist.shown_at -= attract.playlist.current.duration
            attract._next_slide()
            return
        print("CYCLED", len(set(turns)), *openssl(), flush=True)
        os._exit(0)

    timer = QTimer(window)
    timer.timeout.connect(cycle)
    timer.start(20)

main(["run", "--content", sys.argv[1], "--size", "1920x1080"], on_window=watch)
"""


def test_the_kiosk_cycles_without_openssl(tmp_path: Path) -> None:
    done = run_python(CHILD, str(BUNDLED), *OPENSSL_MODULES, env=kiosk_env(tmp_path))
    cycled = [line.split()[1:] for line in done.stdout.splitlines()
              if line.startswith("CYCLED")]
    assert cycled, done.stderr[-2000:]
    turns, *openssl = cycled[0]
    assert turns == "5"  # five slides shown (the first and four more)
    assert openssl == []  # neither libcrypto/libssl mapped nor their Python modules loaded


LOOP = """
import socket, sys
from kiosk.ui.no_tls import ssl_missing

with ssl_missing():
    import asyncio

    import qasync
print("WITHIN", *sorted({"ssl", "_ssl"} & set(sys.modules)))
from PySide6.QtWidgets import QApplication

app = QApplication([])

listening = socket.create_server(("127.0.0.1", 0))

async def work():
    await asyncio.sleep(0.01)
    try:  # TLS asked of this asyncio: refused, as on a Python without ssl
        await asyncio.get_running_loop().create_connection(
            asyncio.Protocol, *listening.getsockname(), ssl=True)
    except RuntimeError as error:
        return str(error)
    return "connected"

with asyncio.Runner(loop_factory=lambda: qasync.QEventLoop(app)) as runner:
    print("LOOP", runner.run(work()))
import ssl  # for whatever needs it later

print("AFTER", ssl.PROTOCOL_TLS_CLIENT is not None)
with ssl_missing():  # ssl already there: nothing changes
    import ssl as again
print("AGAIN", again is ssl)
"""


def test_asyncio_comes_without_ssl_and_ssl_stays_importable() -> None:
    done = run_python(LOOP, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    lines = done.stdout.splitlines()
    assert lines == ["WITHIN", "LOOP stdlib ssl module not available", "AFTER True",
                     "AGAIN True"], done.stderr[-2000:]
