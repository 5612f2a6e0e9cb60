"""Video clips in the content: which files are clips, what a clip's file and its probe say
about it, and the limits that keep one playable on the kiosk's two cores (no Qt, no player).

The player itself (libmpv, docs/video.md) lives in the Qt layer, kiosk.ui.video, and is
loaded only when content has a clip. Here are the rules: a clip is told by its suffix; its
first bytes must say the same (checked when the folder is read, without decoding); what
`kiosk check` learns by playing it to the end in a child process (kiosk.ui.video.probe) is
turned into problems by `facts_problems`. What a probe found is kept in the user's cache
(`ClipCache`) for as long as the clip's file stays the same, so a second check of the same
folder (the publish checks its copy too) does not decode its clips again.
"""

from __future__ import annotations

import contextlib
import json
import logging
import math
import os
import stat
import tempfile
from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any

from kiosk.core import hashes

# Which files are clips and how long a clip's slide lasts: kiosk.core.content.clipfile, which the
# model and the attract loop import without this module (~1.5 ms before the first frame).
from kiosk.core.content.clipfile import MAX_ONCE_SECONDS as MAX_ONCE_SECONDS
from kiosk.core.content.clipfile import VIDEO_SUFFIXES as VIDEO_SUFFIXES
from kiosk.core.content.clipfile import clip_seconds as clip_seconds
from kiosk.core.content.clipfile import is_video as is_video
from kiosk.core.content.problems import Problem, Severity
from kiosk.core.paths import cache_dir

log = logging.getLogger(__name__)

# The codecs the kiosk is made for: H.264 in MP4, VP8 or VP9 in WebM (libavcodec's names).
CODECS = ("h264", "vp8", "vp9")
# A clip file larger than this is not opened: a minute of 1080p at 12 Mb/s is 90 MB.
MAX_VIDEO_BYTES = 500_000_000

# What one clip may ask of the machine (docs/video.md, «Heavy clips»): measured on the
# kiosk's two cores without a GPU, a 1080p30 H.264 clip at 5 Mb/s takes 32 % of one core;
# 60 frames a second 60 %, 20 Mb/s 46 %, 1440p 44 %. Above these the loop's own painting
# and a visitor's taps start to compete with decoding: `kiosk check` warns.
MAX_PIXELS = 1920 * 1088  # 1080p either way round (H.264 codes 1080 lines as 1088)
# Larger still, a clip is not played at all: the player refuses its frames before decoding
# them (kiosk.ui.video.mpvlib) and `kiosk check` says so. Twice 1080p lets 2560×1600 play;
# 4K (8.3 million pixels) stutters on two cores without a GPU, and an 8192×8192 clip of
# 199 KB made each frame 268 MB and held the UI thread 229 ms to scale it down.
MOST_PIXELS = 2 * MAX_PIXELS
# The decoder's own limit a little above it: libavcodec counts its padded frame (the width
# rounded up to 32 or 64), and refused a 2544×1640 clip (4.17 million pixels, under
# MOST_PIXELS) that `kiosk check` let through.
DECODER_MOST_PIXELS = MOST_PIXELS * 11 // 10
MAX_FPS = 30.5
MAX_BITRATE = 12_000_000  # bits a second, the whole file's average
# A clip decoded short of its declared length by more than this is truncated (a copy cut
# off): it would end early on screen. Half a second covers a last frame's own length and
# the rounding of container durations.
TRUNCATION_SLACK = 0.5


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
    from kiosk.core.content.imagesafe import ImageFileError, file_head  # the model needs none of it

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

    if facts.width * facts.height > MOST_PIXELS:  # the player refuses its frames: told first
        return [problem(Severity.ERROR, "video_too_large", size=f"{facts.width}×{facts.height}")]
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


# -- what probes found, kept while a clip's file stays the same ------------------------------

CACHE_FILE = "clips.json"
CACHE_FORMAT = 1
MAX_CACHED = 1000  # clips remembered, the least recently checked forgotten first (~250 KB)
MAX_CACHE_BYTES = 1_000_000  # a larger cache file is damaged or not ours: not read
EDGE_BYTES = 65536  # a clip's first and last bytes that go into its key
_MAX_KEY = 120
_MAX_TEXT = 2000  # characters of a cached error or codec name


def clip_cache_path(env: Mapping[str, str] | None = None) -> Path:
    """The cache file, in the user's cache folder beside the content index
    (kiosk.core.paths.cache_dir)."""
    return cache_dir(env) / CACHE_FILE


def clip_key(path: Path) -> str | None:
    """What tells a clip's file from any other: its size, its modification time (ns) and a
    digest of its first and last EDGE_BYTES (an MP4's index is at one end or the other).
    Not its path: the publish's copy of a folder (rsync keeps the times, a hard link is the
    same file) has the same key. Not a digest of the whole file: that would read every clip
    in full at every check (docs/video.md). None when the file cannot be read: it is probed,
    and what is found is not kept."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError:
        return None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            return None
        digest = hashes.sha256(os.pread(fd, EDGE_BYTES, 0))
        digest.update(os.pread(fd, EDGE_BYTES, max(EDGE_BYTES, info.st_size - EDGE_BYTES)))
    except OSError:
        return None
    finally:
        os.close(fd)
    return f"{info.st_size}-{info.st_mtime_ns}-{digest.hexdigest()[:32]}"


_NO_FACTS = VideoFacts()


def _facts_from(record: object) -> VideoFacts | None:
    """The facts a cache entry holds, or None if any of them is missing or of the wrong
    kind (a damaged or edited file)."""
    if not isinstance(record, dict):
        return None
    values: dict[str, Any] = {}
    for field in fields(VideoFacts):
        value: Any = record.get(field.name)
        kind: type[Any] = type(getattr(_NO_FACTS, field.name))  # decoded_to's: NoneType
        if isinstance(value, bool) or kind is bool:
            good = isinstance(value, bool) and kind is bool
        elif isinstance(value, str):
            good = kind is str and len(value) <= _MAX_TEXT
        elif isinstance(value, int) and kind is int:
            good = 0 <= value < 1 << 53
        elif isinstance(value, int | float) and kind is not str:  # float, or decoded_to's
            good = kind is not int and math.isfinite(value) and value >= 0
            value = float(value)
        else:
            good = value is None and field.name == "decoded_to"
        if not good:
            return None
        values[field.name] = value
    return VideoFacts(**values)


def _read_cache(path: Path, version: str) -> dict[str, VideoFacts]:
    """The entries of the cache file, oldest use first; none if it is missing, damaged, too
    large, of another format or written by another version of the probe."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except FileNotFoundError:
        return {}
    except OSError as exc:
        log.warning("clip cache %s not read: %s", path, exc)
        return {}
    try:
        with os.fdopen(fd, "rb") as file:
            raw = file.read(MAX_CACHE_BYTES + 1) \
                if stat.S_ISREG(os.fstat(file.fileno()).st_mode) else b""
        data = json.loads(raw) if 0 < len(raw) <= MAX_CACHE_BYTES else None
    except (OSError, ValueError, RecursionError) as exc:
        data = exc
    if not isinstance(data, dict) or not isinstance(data.get("clips"), dict):
        log.warning("clip cache %s is damaged and is not used (%s): clips are checked afresh",
                    path, data if isinstance(data, Exception) else "not a cache")
        return {}
    if data.get("format") != CACHE_FORMAT or data.get("probe") != version:
        return {}
    entries: dict[str, VideoFacts] = {}
    for key, record in list(data["clips"].items())[-MAX_CACHED:]:
        facts = _facts_from(record)
        if facts is not None and len(key) <= _MAX_KEY:
            entries[key] = facts
    return entries


class ClipCache:
    """What probes found, by `clip_key`, in one small JSON file in the user's cache folder:
    read whole when a check starts, written when it ends. `version` names the probe's code
    (what it finds may change with it): a file of another version reads as empty.

    Never trusted beyond a cache: a damaged, foreign or unreadable file reads as empty, and
    the clips are probed again. Bounded (MAX_CACHED entries, the least recently checked
    forgotten first; a file over MAX_CACHE_BYTES is not read). Written whole to a temporary
    file renamed over the old one, so a check stopped halfway leaves the old file or the new
    one, never half of either; merged with what another check wrote meanwhile. Private to
    the user, like the content index."""

    def __init__(self, path: Path, version: str) -> None:
        self.path = path
        self.version = version
        self._entries = _read_cache(path, version)
        self._used: dict[str, VideoFacts] = {}  # what this check found or used, in order

    def get(self, key: str | None) -> VideoFacts | None:
        facts = self._entries.get(key) if key is not None else None
        if facts is not None:
            self._used.pop(key, None)  # type: ignore[arg-type]
            self._used[key] = facts  # type: ignore[index]
        return facts

    def put(self, key: str | None, facts: VideoFacts) -> None:
        if key is not None and len(key) <= _MAX_KEY:
            self._entries[key] = facts
            self._used.pop(key, None)
            self._used[key] = facts

    def save(self) -> bool:
        """Write what this check found or used (False, logged, if it cannot be written: the
        next check probes those clips again)."""
        if not self._used:
            return True
        entries = _read_cache(self.path, self.version)  # another check's, if one wrote
        for key, facts in self._used.items():
            entries.pop(key, None)
            entries[key] = facts  # the most recently used last
        kept = list(entries.items())[-MAX_CACHED:]
        text = json.dumps({"format": CACHE_FORMAT, "probe": self.version,
                           "clips": {key: asdict(facts) for key, facts in kept}},
                          ensure_ascii=False, separators=(",", ":"))
        from kiosk.core.paths import private_dir

        try:
            private_dir(self.path.parent)
            fd, temporary = tempfile.mkstemp(prefix=".clips-", suffix=".tmp",
                                             dir=self.path.parent)  # 0600
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as file:
                    file.write(text)
                    file.flush()
                    os.fsync(file.fileno())
                os.replace(temporary, self.path)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(temporary)
                raise
        except OSError as exc:
            log.warning("clip cache %s not written: %s", self.path, exc)
            return False
        return True
