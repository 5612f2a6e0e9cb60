"""`kiosk check`'s look at each clip, and `kiosk preview`'s first frame of one: libmpv in a
child process with limits, never in the kiosk's or the check's own process (a clip is
untrusted input, and its decoder runs native code on it).

The child (`python -m kiosk.ui.video.probe FILE` or `… FILE --frame WIDTH HEIGHT FILL`) opens
the clip with the player's safe options (kiosk.ui.video.mpvlib), says what it is (codec,
size, frame rate, duration) as soon as it is open, then decodes it to its end as fast as it
can (`untimed`, nothing shown) and says where it got to: a copy cut off shows as a clip
decoded short of its declared length. With --frame it draws the first frame instead and
writes its pixels. Each answer is one JSON line on stdout (the frame's pixels follow it).

The parent gives the child OPEN_LIMIT seconds to open the clip and DECODE_LIMIT to decode
it; a child that overruns is killed (a clip that did not open in time is an error, one not
decoded to the end in time a warning).

`kiosk check` probes several clips at a time (one a core, at most MAX_PROBES), all of them
within CLIPS_BUDGET seconds (a clip whose turn does not come in time is a warning: it is
still shown, and the kiosk skips it if it does not play), and keeps what it found about each
clip in the user's cache for as long as the clip's file stays the same
(kiosk.core.content.video.ClipCache): the publish's second check, of its copy, decodes nothing
again, and a check cut short by the budget is carried on by the next one.
"""

from __future__ import annotations

import contextlib
import functools
import json
import logging
import math
import os
import select
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from kiosk.core import hashes
from kiosk.core.content.model import Content
from kiosk.core.content.poster_shape import shape_problem
from kiosk.core.content.problems import Problem, Severity
from kiosk.core.content.video import (
    ClipCache,
    VideoFacts,
    clip_cache_path,
    clip_key,
    facts_problems,
)

log = logging.getLogger(__name__)

OPEN_LIMIT = 20.0  # seconds: the child's start (~0.3 s) and the clip's opening
# Decoded as fast as it goes, nothing shown, a 1080p30 H.264 clip takes a tenth to a third
# of its length on the kiosk's two cores (docs/video.md): two minutes of clip in 12–40 s.
DECODE_LIMIT = 45.0
MEMORY_LIMIT = 2 * 1024**3  # bytes of address space (libmpv maps ~0.6 GB for its threads)
FRAME_LIMIT = 20.0
MAX_FRAME_SIDE = 7680
# All of a check's clip probing: the publish stops a whole `kiosk check` at 120 s
# (deploy/publish-content.sh's CHECK_TIMEOUT), and reading 37,000 stories takes ~20 s of it.
CLIPS_BUDGET = 60.0
MIN_PROBE_SECONDS = 2.0  # a clip is not started with less of the budget left than this
# Clips probed at a time: one a core, at most this many. Each decoder already runs a thread a
# core (two at a time on two cores: 20-25 % sooner than one by one, docs/video.md), and each
# child takes ~130 MB for a 1080p clip, ~200 MB for 2160p (max RSS), under the publish job's
# 1.5 GB (deploy/kiosk-publish.service).
MAX_PROBES = 4


# -- the parent's side -----------------------------------------------------------------------


def _child(arguments: list[str]) -> subprocess.Popen[bytes]:
    env = dict(os.environ)
    here = str(Path(__file__).resolve().parents[3])  # this kiosk's code, wherever it is
    env["PYTHONPATH"] = os.pathsep.join(p for p in (here, env.get("PYTHONPATH")) if p)
    return subprocess.Popen([sys.executable, "-m", "kiosk.ui.video.probe", *arguments],
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, env=env, close_fds=True)


class _Reader:
    """Lines and bytes from a child's stdout, each read with a deadline."""

    def __init__(self, child: subprocess.Popen[bytes]) -> None:
        assert child.stdout is not None
        self.fd = child.stdout.fileno()
        self.buffer = bytearray()
        self.closed = False

    def _fill(self, deadline: float) -> bool:
        remaining = deadline - time.monotonic()
        if remaining <= 0 or not select.select([self.fd], [], [], remaining)[0]:
            return False
        chunk = os.read(self.fd, 1 << 20)
        if not chunk:
            self.closed = True
            return False
        self.buffer += chunk
        return True

    def line(self, deadline: float) -> dict[str, Any] | None:
        while b"\n" not in self.buffer:
            if len(self.buffer) > 65536 or not self._fill(deadline):
                return None
        line, _, rest = bytes(self.buffer).partition(b"\n")
        self.buffer = bytearray(rest)
        try:
            found = json.loads(line)
        except ValueError:
            return None
        return found if isinstance(found, dict) else None

    def exactly(self, size: int, deadline: float) -> bytes | None:
        while len(self.buffer) < size:
            if not self._fill(deadline):
                return None
        data, self.buffer = bytes(self.buffer[:size]), self.buffer[size:]
        return data


def _end(child: subprocess.Popen[bytes]) -> None:
    child.kill()
    with contextlib.suppress(subprocess.TimeoutExpired):  # stuck in the kernel: it goes
        child.wait(timeout=5)  # when the read returns
    if child.stdout is not None:
        child.stdout.close()


@dataclass(frozen=True)
class Probed:
    """What a probe found, and whether it is the file's own verdict (`lasting`: it holds for
    as long as the file stays the same, and is kept in the cache) rather than the machine's
    (a deadline, a child that died or could not load libmpv)."""

    facts: VideoFacts
    lasting: bool


def probe_clip(path: Path, open_limit: float = OPEN_LIMIT, decode_limit: float = DECODE_LIMIT,
               until: float = math.inf) -> Probed | None:
    """What the clip is and whether it decodes to its end (see the module's docstring), all
    by `until` (time.monotonic()'s time). None: `until` came before the clip had opened."""
    child = _child([str(path)])
    try:
        reader = _Reader(child)
        opened_by = time.monotonic() + open_limit
        opened = reader.line(min(opened_by, until))
        if opened is None:
            if not reader.closed and until < opened_by and time.monotonic() >= until:
                return None
            return Probed(VideoFacts(error="timeout" if not reader.closed
                                     else "the check stopped"), lasting=False)
        if opened.get("error"):  # with the size the file declares, where it was read
            return Probed(VideoFacts(error=str(opened["error"]),
                                     codec=str(opened.get("codec") or ""),
                                     width=int(opened.get("width") or 0),
                                     height=int(opened.get("height") or 0)),
                          lasting=not opened.get("retry"))
        facts = VideoFacts(codec=str(opened.get("codec") or ""),
                           width=int(opened.get("width") or 0),
                           height=int(opened.get("height") or 0),
                           fps=float(opened.get("fps") or 0.0),
                           duration=float(opened.get("duration") or 0.0),
                           size_bytes=int(opened.get("size") or 0))
        ended = reader.line(min(time.monotonic() + decode_limit, until))
        if ended is None:
            return Probed(facts, lasting=False)  # not decoded to the end in time
        if ended.get("error"):
            return Probed(replace(facts, error=str(ended["error"])),
                          lasting=not ended.get("retry"))
        return Probed(replace(facts, decoded_to=float(ended.get("decoded_to") or 0.0),
                              finished=True), lasting=True)
    finally:
        _end(child)


@functools.cache
def probe_version() -> str:
    """The probe's code, as the cache knows it: what a probe finds may change with it."""
    digest = hashes.sha256()
    for name in ("probe.py", "mpvlib.py"):
        try:
            digest.update((Path(__file__).parent / name).read_bytes())
        except OSError:
            digest.update(name.encode())
    return digest.hexdigest()[:16]


def _probe_in_time(path: Path, until: float, clock: Callable[[], float]) -> Probed | None:
    """`probe_clip` if enough of the budget is left to start it; None otherwise."""
    if until - clock() < MIN_PROBE_SECONDS:
        return None
    try:
        return probe_clip(path, until=until)
    except OSError as exc:  # no process could be started (a limit on tasks, memory)
        log.warning("clip %s not checked: the check could not start a process: %s", path, exc)
        return None


def probe_all(clips: tuple[Path, ...], cache: ClipCache, budget: float = CLIPS_BUDGET,
              workers: int | None = None,
              clock: Callable[[], float] = time.monotonic) -> dict[Path, VideoFacts | None]:
    """What each clip is: from the cache for a file probed before and unchanged since, else
    probed (`workers` at a time, the smallest files first: the most clips told in the time),
    all within `budget` seconds; None for a clip whose turn did not come in time."""
    until = clock() + budget
    keys = {path: clip_key(path) for path in clips}
    found: dict[Path, VideoFacts | None] = {}
    todo: list[Path] = []
    for path in clips:
        facts = cache.get(keys[path])
        if facts is None:
            todo.append(path)
        else:
            found[path] = facts
    todo.sort(key=_size)
    if todo:
        at_once = max(1, min(len(todo), workers or min(os.cpu_count() or 1, MAX_PROBES)))
        with ThreadPoolExecutor(at_once, thread_name_prefix="clip-probe") as pool:
            results = list(pool.map(lambda path: _probe_in_time(path, until, clock), todo))
        for path, probed in zip(todo, results, strict=True):
            found[path] = None if probed is None else probed.facts
            if probed is not None and probed.lasting:
                cache.put(keys[path], probed.facts)
    cache.save()
    return found


def _size(path: Path) -> int:
    try:
        return os.stat(path).st_size
    except OSError:
        return 0


def clip_problems(content: Content, budget: float = CLIPS_BUDGET, workers: int | None = None,
                  cache_path: Path | None = None,
                  clock: Callable[[], float] = time.monotonic) -> list[Problem]:
    """`kiosk check`: every clip of the content probed (see `probe_all`), each problem under
    the clip's file (a clip used twice is probed once). A poster's clip made for the other
    orientation of screen is told as a poster picture's is."""
    once = {path for poster in content.posters if not poster.loop
            for path in (poster.source, poster.portrait) if path is not None}
    portrait_screen = content.settings.screen == "portrait"
    # What a poster shows on this screen (as the loader checks a poster picture's shape).
    shown = {poster.picture_for(portrait_screen): poster for poster in content.posters}
    cache = ClipCache(cache_path or clip_cache_path(), probe_version())
    probed = probe_all(content.clips(), cache, budget, workers, clock)
    found: list[Problem] = []
    for path in content.clips():
        facts = probed[path]
        if facts is None:
            found.append(Problem(str(path), None, Severity.WARNING, "video_not_probed", {
                "value": _shown_as(content.root, path), "seconds": f"{budget:.0f}"}))
            continue
        problems = facts_problems(facts, _shown_as(content.root, path), path in once)
        poster = shown.get(path)
        shape = None if poster is None or facts.error else shape_problem(
            path.name, (facts.width, facts.height), portrait_screen, poster.fit == "fill",
            f"{poster.id}.portrait{path.suffix.lower()}")
        if shape is not None:
            problems.append(Problem("", None, Severity.WARNING, shape[0], shape[1]))
        found += [replace(problem, path=str(path)) for problem in problems]
    return found


def _shown_as(root: Path, path: Path) -> str:
    """A poster's clip by its name, a page's or story's as its field gives it."""
    if path.parent.name == "posters":
        return path.name
    try:
        return path.relative_to(os.path.realpath(root)).as_posix()
    except ValueError:
        return path.name


def first_frame(path: Path, width: int, height: int,
                fill: bool) -> tuple[int, int, int, bytes] | None:
    """The clip's first frame drawn for a stage of `width`×`height` (filling it, or at the
    clip's shape fitted in it): width, height, bytes a row and the pixels (blue, green,
    red, unused); None when it cannot be drawn."""
    child = _child([str(path), "--frame", str(width), str(height), "1" if fill else "0"])
    try:
        reader = _Reader(child)
        deadline = time.monotonic() + FRAME_LIMIT
        header = reader.line(deadline)
        if header is None or header.get("error"):
            return None
        w, h, stride = (int(header.get(key) or 0) for key in ("width", "height", "stride"))
        if not (0 < w <= MAX_FRAME_SIDE and 0 < h <= MAX_FRAME_SIDE and stride >= 4 * w):
            return None
        pixels = reader.exactly(stride * h, deadline)
        return None if pixels is None else (w, h, stride, pixels)
    finally:
        _end(child)


# -- the child's side ------------------------------------------------------------------------


def _limit_self() -> None:
    import resource

    for limit, value in ((resource.RLIMIT_AS, MEMORY_LIMIT), (resource.RLIMIT_FSIZE, 0),
                         (resource.RLIMIT_CPU, int(2 * (OPEN_LIMIT + DECODE_LIMIT)))):
        try:
            hard = resource.getrlimit(limit)[1]
            resource.setrlimit(limit, (value if hard == resource.RLIM_INFINITY
                                       else min(value, hard), hard))
        except (OSError, ValueError):
            pass  # the parent's deadline still stops the child
    with contextlib.suppress(OSError):
        os.nice(5)  # never the core the screen is painted on


def _say(answer: dict[str, Any]) -> None:
    os.write(1, (json.dumps(answer) + "\n").encode())


class _Events:
    """The few events the child waits for, from python-mpv's event thread."""

    def __init__(self) -> None:
        self.loaded = threading.Event()
        self.ended = threading.Event()
        self.frame = threading.Event()
        self.error = ""
        self.tracks: list[Any] = []  # the container's tracks, as they were read

    def tracks_read(self, _name: str, value: Any) -> None:
        """`track-list` as it changes: read before the decoders start, so a clip whose
        frames the decoder refuses (it ends before it is loaded) still says its size."""
        if isinstance(value, list) and value:
            self.tracks = value

    def __call__(self, event: Any) -> None:
        kind = int(event.event_id.value)
        if kind == 8:  # MPV_EVENT_FILE_LOADED
            self.loaded.set()
        elif kind == 7:  # MPV_EVENT_END_FILE
            data = event.data
            if int(data.reason) == 4:
                from kiosk.ui.video.mpvlib import error_text

                self.error = error_text(int(data.error)) or "error"
            self.ended.set()
            self.loaded.set()


def _facts(player: Any, path: str, tracks: list[Any]) -> dict[str, Any]:
    def read(name: str) -> Any:
        try:
            return getattr(player, name.replace("-", "_"))
        except Exception:
            return None

    # The size the container declares where none was decoded: a clip too large for the
    # player's decoder (mpvlib.SAFE_OPTIONS) is told as too large, not as damaged.
    declared = next((track for track in tracks
                     if isinstance(track, dict) and track.get("type") == "video"), {})
    return {"codec": read("video-format") or declared.get("codec"),
            "width": read("width") or declared.get("demux-w"),
            "height": read("height") or declared.get("demux-h"),
            "fps": read("container-fps"), "duration": read("duration"),
            "size": os.path.getsize(path)}


def _serve_facts(path: str) -> int:
    from kiosk.ui.video import mpvlib

    events = _Events()
    decoded_to = [0.0]
    player = mpvlib.new_player(vo="null", untimed="yes", pause="yes")
    player.register_event_callback(events)
    player.observe_property("track-list", events.tracks_read)
    player.observe_property("time-pos", lambda _name, value: decoded_to.__setitem__(
        0, max(decoded_to[0], float(value))) if value is not None else None)
    player.loadfile(path)
    if not events.loaded.wait(OPEN_LIMIT):
        return 1
    if events.error:
        # A clip whose frames the decoder refused still says how large it is.
        _say({**_facts(player, path, events.tracks), "error": events.error}
             if events.tracks else {"error": events.error})
        return 0
    _say(_facts(player, path, events.tracks))
    player.pause = False
    events.ended.wait(DECODE_LIMIT)
    _say({"error": events.error} if events.error else {"decoded_to": decoded_to[0]})
    return 0


def _serve_frame(path: str, width: int, height: int, fill: bool) -> int:
    import ctypes

    from kiosk.ui.video import mpvlib

    events = _Events()
    player = mpvlib.new_player(vo="libmpv", pause="yes", keepaspect="yes" if fill else "no",
                               panscan="1.0" if fill else "0.0")
    player.register_event_callback(events)
    renderer = mpvlib.SoftwareRenderer(player, events.frame.set)
    player.loadfile(path)
    deadline = time.monotonic() + FRAME_LIMIT
    while time.monotonic() < deadline and not events.error:
        events.frame.wait(max(0.0, deadline - time.monotonic()))
        events.frame.clear()
        if not renderer.frame_due():
            continue
        w, h = width, height
        if not fill and player.dwidth and player.dheight:
            scale = min(width / player.dwidth, height / player.dheight)
            w, h = max(1, round(player.dwidth * scale)), max(1, round(player.dheight * scale))
        stride = w * 4
        buffer = ctypes.create_string_buffer(stride * h)
        if renderer.render(ctypes.addressof(buffer), w, h, stride):
            _say({"width": w, "height": h, "stride": stride})
            view = memoryview(buffer.raw)
            while view:
                view = view[os.write(1, view):]
            break
    else:
        _say({"error": events.error or "no frame"})
    renderer.free()
    return 0


def _main(arguments: list[str]) -> int:
    _limit_self()
    path = arguments[0]
    if len(arguments) == 5 and arguments[1] == "--frame":
        width, height = min(int(arguments[2]), MAX_FRAME_SIDE), min(int(arguments[3]),
                                                                   MAX_FRAME_SIDE)
        return _serve_frame(path, width, height, arguments[4] == "1")
    return _serve_facts(path)


if __name__ == "__main__":
    try:
        code = _main(sys.argv[1:])
    except Exception as exc:  # libmpv missing, a limit hit: said, and the parent goes on
        _say({"error": f"{type(exc).__name__}: {exc}", "retry": True})  # not the file's fault
        code = 0
    os._exit(code)  # libmpv's threads are not waited for
