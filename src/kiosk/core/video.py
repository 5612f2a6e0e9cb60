"""Video clips in the content: which files are clips, what a clip's file and its probe say
about it, and the limits that keep one playable on the kiosk's two cores (no Qt, no player).

The player itself (libmpv, docs/video.md) lives in the Qt layer, kiosk.ui.video, and is
loaded only when content has a clip. Here are the rules: a clip is told by its suffix; its
first bytes must say the same (checked when the folder is read, without decoding); what
`kiosk check` learns by playing it to the end in a child process (kiosk.ui.video.probe) is
turned into problems by `facts_problems`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from kiosk.core.problems import Problem, Severity

VIDEO_SUFFIXES = (".mp4", ".webm")
# The codecs the kiosk is made for: H.264 in MP4, VP8 or VP9 in WebM (libavcodec's names).
CODECS = ("h264", "vp8", "vp9")
# A clip file larger than this is not opened: a minute of 1080p at 12 Mb/s is 90 MB.
MAX_VIDEO_BYTES = 500_000_000

# What one clip may ask of the machine (docs/video.md, «Heavy clips»): measured on the
# kiosk's two cores without a GPU, a 1080p30 H.264 clip at 5 Mb/s takes 32 % of one core;
# 60 frames a second 60 %, 20 Mb/s 46 %, 1440p 44 %. Above these the loop's own painting
# and a visitor's taps start to compete with decoding: `kiosk check` warns.
MAX_PIXELS = 1920 * 1088  # 1080p either way round (H.264 codes 1080 lines as 1088)
MAX_FPS = 30.5
MAX_BITRATE = 12_000_000  # bits a second, the whole file's average
# A clip played once ends its slide when it ends; a longer one is cut at this many seconds
# (the longest `duration` a slide may have).
MAX_ONCE_SECONDS = 120.0
# A clip decoded short of its declared length by more than this is truncated (a copy cut
# off): it would end early on screen. Half a second covers a last frame's own length and
# the rounding of container durations.
TRUNCATION_SLACK = 0.5


def is_video(path: Path | str) -> bool:
    return os.path.splitext(str(path))[1].lower() in VIDEO_SUFFIXES


def video_kind(head: bytes) -> str:
    """What the first bytes of a file say it is: "mp4", "webm" (Matroska too: a WebM is a
    Matroska file, and the player opens either) or ""."""
    if head[:4] == b"\x1a\x45\xdf\xa3":
        return "webm"
    if head[4:8] in (b"ftyp", b"moov", b"mdat", b"free", b"wide", b"skip"):
        return "mp4"
    return ""


def video_file_problem(path: Path, shown_as: str) -> Problem | None:
    """What can be told of a clip without playing it (when the folder is read): a file too
    large, unreadable, or whose first bytes are not those of an MP4 or WebM file. None: it
    may play (`kiosk check` plays it to be sure)."""
    from kiosk.core.imagesafe import ImageFileError, file_head  # the model needs none of it

    try:
        head = file_head(path, MAX_VIDEO_BYTES, 64)
    except ImageFileError as exc:
        if exc.code == "image_file_too_big":
            return Problem("", None, Severity.ERROR, "video_file_too_big",
                           {"value": shown_as, "detail": exc.detail,
                            "most": f"{MAX_VIDEO_BYTES // 1_000_000} MB"})
        return Problem("", None, Severity.ERROR, "video_broken",
                       {"value": shown_as, "detail": exc.detail})
    real = video_kind(head)
    expected = os.path.splitext(path.name)[1].lower().lstrip(".")
    if real == expected:
        return None
    if real:  # an MP4 named .webm or the other way: the player reads it, the name misleads
        return Problem("", None, Severity.WARNING, "video_wrong_suffix",
                       {"value": shown_as, "real": real.upper(),
                        "name": os.path.splitext(path.name)[0] + "." + real})
    return Problem("", None, Severity.ERROR, "video_not_video", {"value": shown_as})


@dataclass(frozen=True)
class VideoFacts:
    """What playing a clip to its end in a child process found. `error` is set when it did
    not open or play at all ("" otherwise); `decoded_to` is the time of the last frame shown,
    None when it was not played to the end (`finished` False: it took too long to check)."""

    error: str = ""
    codec: str = ""
    width: int = 0
    height: int = 0
    fps: float = 0.0
    duration: float = 0.0
    size_bytes: int = 0
    decoded_to: float | None = None
    finished: bool = False

    @property
    def bitrate(self) -> float:
        return 8 * self.size_bytes / self.duration if self.duration > 0 else 0.0

    @property
    def truncated(self) -> bool:
        return self.decoded_to is not None and self.duration > 0 \
            and self.decoded_to < self.duration - max(TRUNCATION_SLACK, 2 / max(self.fps, 1))


def facts_problems(facts: VideoFacts, shown_as: str, played_once: bool) -> list[Problem]:
    """The problems of one probed clip (errors: it will not play, or will end early; warnings:
    it plays, but costs the machine more than it should or is cut)."""
    def problem(severity: Severity, code: str, **args: str) -> Problem:
        return Problem("", None, severity, code, {"value": shown_as, **args})

    if facts.error:
        code = "video_timeout" if facts.error == "timeout" else "video_broken"
        return [problem(Severity.ERROR, code, detail=facts.error)]
    if not facts.codec or facts.width <= 0:
        return [problem(Severity.ERROR, "video_no_picture")]
    found: list[Problem] = []
    if facts.truncated:
        found.append(problem(Severity.ERROR, "video_truncated", played=f"{facts.decoded_to:.1f}",
                             duration=f"{facts.duration:.1f}"))
    if facts.codec not in CODECS:
        found.append(problem(Severity.WARNING, "video_codec", codec=facts.codec))
    heavy: list[tuple[str, str]] = []  # in Russian and in English
    if facts.width * facts.height > MAX_PIXELS:
        heavy.append((f"{facts.width}×{facts.height}",) * 2)
    if facts.fps > MAX_FPS:
        heavy.append((f"{facts.fps:.0f} кадров в секунду", f"{facts.fps:.0f} frames a second"))
    if facts.bitrate > MAX_BITRATE:
        megabits = f"{facts.bitrate / 1e6:.0f}"
        heavy.append((f"{megabits} Мбит/с", f"{megabits} Mb/s"))
    if heavy:  # «русский / English», as the picture checks word their details
        detail = ", ".join(ru for ru, _ in heavy) + " / " + ", ".join(en for _, en in heavy)
        found.append(problem(Severity.WARNING, "video_heavy", detail=detail))
    if not facts.finished:
        found.append(problem(Severity.WARNING, "video_not_checked",
                             duration=f"{facts.duration:.0f}"))
    if played_once and facts.duration > MAX_ONCE_SECONDS:
        found.append(problem(Severity.WARNING, "video_long", duration=f"{facts.duration:.0f}",
                             most=f"{MAX_ONCE_SECONDS:.0f}"))
    return found


def clip_seconds(loop: bool, duration: float | None, default: float) -> float:
    """The longest a clip's slide lasts from its first frame: a looped clip its `duration`
    (else the loop's usual time); a clip played once until it ends, at most its `duration`
    (else MAX_ONCE_SECONDS). The slide ends on the clip's end whatever this says: a clip cut
    short by a damaged copy ends early, never on a frozen frame."""
    if loop:
        return duration or default
    return duration or MAX_ONCE_SECONDS
