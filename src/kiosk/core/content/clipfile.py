"""Which files in the content are video clips, and how long a clip's slide lasts: what the
model, the loader and the attract loop ask of every start. The rest of the clips' rules (their
files' first bytes, what a probe found, its cache) is kiosk.core.content.video, imported where a
clip is checked."""

from __future__ import annotations

import os
from pathlib import Path

VIDEO_SUFFIXES = (".mp4", ".webm")
# A clip played once ends its slide when it ends; a longer one is cut at this many seconds
# (the longest `duration` a slide may have).
MAX_ONCE_SECONDS = 120.0


def is_video(path: Path | str) -> bool:
    return os.path.splitext(str(path))[1].lower() in VIDEO_SUFFIXES


def clip_seconds(loop: bool, duration: float | None, default: float) -> float:
    """The longest a clip's slide lasts from its first frame: a looped clip its `duration`
    (else the loop's usual time); a clip played once until it ends, at most its `duration`
    (else MAX_ONCE_SECONDS). The slide ends on the clip's end whatever this says: a clip cut
    short by a damaged copy ends early, never on a frozen frame."""
    if loop:
        return duration or default
    return duration or MAX_ONCE_SECONDS
