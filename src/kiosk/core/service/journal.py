"""Whether stderr is the journal's stream: apart from kiosk.core.service.logsetup, so that a tiny
process (kiosk.compositor_client) can ask without importing the logging set-up."""

from __future__ import annotations

import io
import os
from collections.abc import Mapping
from typing import TextIO


def under_journald(stream: TextIO | None, env: Mapping[str, str] = os.environ) -> bool:
    """Whether `stream` is the journal's own stream: systemd puts "device:inode" of the
    stream it connects to stderr in $JOURNAL_STREAM (a child whose stderr was redirected
    inherits the variable, not the stream, so the two must match)."""
    device, colon, inode = env.get("JOURNAL_STREAM", "").partition(":")
    if not colon or stream is None:
        return False
    try:
        stat = os.fstat(stream.fileno())
        return (int(device), int(inode)) == (stat.st_dev, stat.st_ino)
    except (OSError, ValueError, AttributeError, io.UnsupportedOperation):
        return False
