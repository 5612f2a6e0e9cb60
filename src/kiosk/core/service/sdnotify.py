"""systemd's notify protocol, by hand: one datagram to $NOTIFY_SOCKET per message.

`READY=1` once the first frame is on screen (Type=notify: systemd counts the kiosk as started
only then), `WATCHDOG=1` from the UI event loop every third of WatchdogSec (so a hung UI stops
the pings and systemd restarts the kiosk), `STOPPING=1` on a clean exit. Outside systemd
(NOTIFY_SOCKET unset) every call is a no-op. Protocol: sd_notify(3), sd_watchdog_enabled(3).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import socket

log = logging.getLogger(__name__)


class Notifier:
    def __init__(self, env: Mapping[str, str] | None = None) -> None:
        env = os.environ if env is None else env
        address = env.get("NOTIFY_SOCKET", "")
        self.address: str | None = None
        if address.startswith("@"):  # Linux abstract namespace
            self.address = "\0" + address[1:]
        elif address.startswith("/"):
            self.address = address
        self._socket: socket.socket | None = None
        self._warned = False

    @property
    def enabled(self) -> bool:
        return self.address is not None

    def notify(self, *messages: str) -> bool:
        """Send `KEY=value` lines as one datagram. False if not sent (never raises)."""
        if self.address is None:
            return False
        import socket  # only under systemd

        try:
            if self._socket is None:
                # Non-blocking: if the listener stops reading, a message is dropped rather
                # than the UI thread waiting on a full socket queue.
                self._socket = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM
                                             | socket.SOCK_CLOEXEC | socket.SOCK_NONBLOCK)
            self._socket.sendto("\n".join(messages).encode(), self.address)
            return True
        except OSError as exc:
            if not self._warned:  # systemd gone or restarting: say it once
                self._warned = True
                log.warning("cannot notify systemd at %s: %s", self.address, exc)
            return False

    def ready(self, status: str = "") -> bool:
        return self.notify("READY=1", *([f"STATUS={status}"] if status else []))

    def watchdog(self) -> bool:
        return self.notify("WATCHDOG=1")

    def stopping(self) -> bool:
        return self.notify("STOPPING=1")

    def status(self, text: str) -> bool:
        return self.notify(f"STATUS={text}")

    def close(self) -> None:
        if self._socket is not None:
            self._socket.close()
            self._socket = None


def watchdog_interval(env: Mapping[str, str] | None = None, pid: int | None = None) -> float | None:
    """Seconds between WATCHDOG=1 pings: a third of $WATCHDOG_USEC (systemd's advice is half;
    a third leaves room for a slow frame), or None when no watchdog is set for this process."""
    env = os.environ if env is None else env
    try:
        usec = int(env.get("WATCHDOG_USEC", ""))
    except ValueError:
        return None
    if usec <= 0:
        return None
    owner = env.get("WATCHDOG_PID")
    if owner and owner.isdigit() and int(owner) != (os.getpid() if pid is None else pid):
        return None  # meant for another process (we were started by a wrapper that forked)
    return usec / 3 / 1_000_000
