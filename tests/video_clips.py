"""Small video clips the tests make with ffmpeg (a second or two, a few KB each), and the marks
for tests that need libmpv or ffmpeg: skipped with the reason when either is missing
(`scripts/system-deps.sh` installs both, so CI runs them)."""

from __future__ import annotations

import shutil
import subprocess
from functools import cache
from pathlib import Path

import pytest

# The colour of the plain clips, as RGB: a blue no slide of the kiosk paints.
CLIP_RGB = (40, 110, 220)
CLIP_COLOUR = "0x" + "".join(f"{part:02x}" for part in CLIP_RGB)


@cache
def libmpv_missing() -> str:
    """Why clips cannot play here ('' when they can)."""
    try:
        from kiosk.ui.video import mpvlib

        mpvlib.load()
    except Exception as exc:
        return f"libmpv is not installed ({exc}); scripts/system-deps.sh installs libmpv2"
    return ""


needs_libmpv = pytest.mark.skipif(bool(libmpv_missing()), reason=libmpv_missing() or "-")
needs_ffmpeg = pytest.mark.skipif(
    shutil.which("ffmpeg") is None,
    reason="ffmpeg makes the test clips: scripts/system-deps.sh --tests installs it")


def _ffmpeg(*args: str) -> None:
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-nostdin", *args], check=True, timeout=60)


def plain_clip(path: Path, seconds: float = 1.0, size: str = "320x180", rate: int = 30,
               colour: str = CLIP_COLOUR, faststart: bool = True) -> Path:
    """A clip of one colour: H.264 in .mp4, VP9 in .webm."""
    codec = ["-c:v", "libvpx-vp9", "-b:v", "200k"] if path.suffix == ".webm" else \
        ["-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p",
         *(["-movflags", "+faststart"] if faststart else [])]
    _ffmpeg("-f", "lavfi", "-i", f"color=c={colour}:size={size}:rate={rate}",
            "-t", f"{seconds}", *codec, str(path))
    return path


def pattern_clip(path: Path, seconds: float = 2.0, size: str = "320x180", rate: int = 30,
                 faststart: bool = True) -> Path:
    """ffmpeg's moving test pattern: every frame differs, so nothing compresses to nothing."""
    _ffmpeg("-f", "lavfi", "-i", f"testsrc2=size={size}:rate={rate}", "-t", f"{seconds}",
            "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p",
            *(["-movflags", "+faststart"] if faststart else []), str(path))
    return path


def cut_in_half(source: Path, target: Path) -> Path:
    """A copy that stops halfway, as a copy broken off does."""
    data = source.read_bytes()
    target.write_bytes(data[: len(data) // 2])
    return target
