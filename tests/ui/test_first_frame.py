"""`kiosk run` paints its first frame of content with only what that frame needs (issue 18:
start ≤ 0.2 s). The screens a visitor has not opened, the staff's, the reloader's watcher and
the colouring engine come after it; anything that needs one of those screens sooner builds
them at once."""

from __future__ import annotations

import builtins
import datetime as dt
import os
import shutil
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from pytestqt.qtbot import QtBot

from kiosk.core.pin import PinStore
from kiosk.core.service.stats import Event
from kiosk.ui.main_window import KioskWindow
from kiosk.ui.service.stats_recorder import StatsRecorder
from tests.helpers import BUNDLED, kiosk_env, run_python
from tests.ui.conftest import WindowFactory
from tests.ui.test_navigation import tap
from tests.video_clips import needs_ffmpeg, needs_libmpv, plain_clip

# Imported after the first frame, not before it.
LATER = ("kiosk.ui.menu", "kiosk.ui.stories", "kiosk.ui.anniversary", "kiosk.ui.calm",
         "kiosk.ui.colouring.picker", "kiosk.ui.colouring.screen", "kiosk.ui.idle_overlay",
         "kiosk.ui.staff.pin_pad", "kiosk.ui.staff.menu", "kiosk.ui.staff.pattern",
         "kiosk.ui.chrome",
         "kiosk.ui.navigation", "kiosk.ui.queue.source", "kiosk.editor", "watchdog", "numpy",
         "cv2", "PIL", "yaml",  # PyYAML: content files are parsed in the sandbox child
         # The start is plain Qt up to its first frame: the event loop comes after it.
         "asyncio", "qasync", "ssl",
         "importlib.resources",  # 3–5 ms for the path of the package's own folder
         "difflib",  # suggestions for a mistake in the content
         # The queue's calls and their layout: imported with the first call (none here)
         "kiosk.core.queue", "kiosk.ui.queue.call_text",
         "kiosk.ui.markdown",  # Qt's text documents (3 ms): the reading cards'
         # The status file's and the folder's look (the crash guard's copy), and a centre's
         # own folder (none here): ~3 ms of dataclasses and imports
         "kiosk.core.service.status", "kiosk.core.content.reload", "kiosk.core.content.merge",
         # Usage statistics (from the first frame, or a touch before it), the staff's memory
         # figures, what a clip's file and probe say (only which files are clips, clipfile):
         # 7 modules, 4 dataclasses: ~3 ms of the main thread
         "kiosk.core.service.stats", "kiosk.ui.service.stats_recorder",
         "kiosk.core.service.memory", "kiosk.core.content.video",
         # The staff PIN's store and its file: with the PIN pad, or the status file (~1.7 ms)
         "kiosk.core.pin")

CHILD = """
import gc, os, sys
from PySide6.QtCore import QTimer
from kiosk.cli import main
from kiosk.core.lazyre import LazyPattern

def watch(window):
    stage = window.attract.stage

    def painted():
        if window.content.is_empty or stage.current.isNull():
            return  # the neutral screen shown while content loads
        stage.painted.disconnect(painted)
        print("FIRST", window.screens_built, " ".join(sorted(sys.modules)), flush=True)
        print("COLLECTING", gc.isenabled(), flush=True)
        print("COMPILED", *sorted(f"{m.__name__}.{name}" for m in list(sys.modules.values())
                                  if getattr(m, "__name__", "").startswith("kiosk.")
                                  for name, value in vars(m).items()
                                  if isinstance(value, LazyPattern) and value._compiled),
              flush=True)

        def built():
            if not window.screens_built:
                return
            print("LATER", window.screens_built, "watchdog" in sys.modules, gc.isenabled(),
                  flush=True)
            os._exit(0)

        timer = QTimer(window)
        timer.timeout.connect(built)
        timer.start(20)

    stage.painted.connect(painted)

main(["run", "--content", sys.argv[1], "--size", "1920x1080"], on_window=watch)
"""


def test_the_first_frame_comes_before_the_screens_it_does_not_show(tmp_path: Path) -> None:
    # No settings file of this computer (one that is there is parsed here, with PyYAML).
    done = run_python(CHILD, str(BUNDLED), env=kiosk_env(tmp_path))
    lines = {line.split()[0]: line.split()[1:] for line in done.stdout.splitlines()
             if line.startswith(("FIRST", "LATER", "COLLECTING"))}
    assert "FIRST" in lines, done.stderr[-2000:]
    built, *modules = lines["FIRST"]
    assert built == "False"  # only the attract loop at the first frame
    early = sorted(m for m in modules if m in LATER or m.split(".")[0] in LATER)
    assert early == []
    # No cycle collection through the ~30,000 objects the start makes (4–5 ms) …
    assert lines["COLLECTING"] == ["False"]
    # … the rest just after the first frame, the content folder watched from then on, and
    # collections as usual.
    assert lines.get("LATER") == ["True", "True", "True"], done.stderr[-2000:]
    # The state folder has no PIN: staff are told so, once, when its store is made.
    assert done.stderr.count("WARNING kiosk.cli: no staff PIN is set") == 1, done.stderr[-2000:]
    # … with the command for this kiosk's folder, not one that writes root's own.
    assert f"until `kiosk set-pin --state-dir {tmp_path / 'state'}` is run" in done.stderr


def test_a_start_from_the_index_imports_no_parsing_child_before_its_first_frame(
        tmp_path: Path) -> None:
    """With every file in the content index (kiosk.core.content.kept), the start reads nothing
    through the sandbox's child: its pipes' modules (subprocess, pickle: 3 ms) come with the first
    file it parses, and the patterns that only parsing uses (kiosk.core.lazyre: ~2 ms) are compiled
    then. Its drawings (icons) were checked at the first start, and that is kept too: no XML parser
    (xml.etree, defusedxml: ~5 ms) before the first frame."""
    modules: list[list[str]] = []
    compiled: list[list[str]] = []
    for start in ("index made", "from the index"):
        # One cache (the index), each a first start of the day (a state folder of its own).
        done = run_python(CHILD, str(BUNDLED), env=kiosk_env(tmp_path, tmp_path / start))
        first = [line.split()[2:] for line in done.stdout.splitlines()
                 if line.startswith("FIRST")]
        assert first, done.stderr[-2000:]
        modules.append(first[0])
        compiled += [line.split()[1:] for line in done.stdout.splitlines()
                     if line.startswith("COMPILED")]
    assert {"subprocess", "pickle"} <= set(modules[0])  # the first start parses every file
    assert {"subprocess", "pickle"} & set(modules[1]) == set()
    parsers = {"xml.etree.ElementTree", "defusedxml"}
    assert parsers <= set(modules[0])
    assert parsers & set(modules[1]) == set()
    assert compiled[0] != [] and compiled[1] == []


def test_pythons_own_modules_are_not_read_for_pysides_feature_check(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """PySide6 looks for «PySide6» in each module imported after it (kiosk.ui.pyside_feature):
    ~80 of those `kiosk run` imports are Python's own, 2–3 ms of the start to read."""
    import argparse
    import json
    import sys

    feature = sys.modules["shibokensupport.feature"]
    check = feature._mod_uses_pyside
    opened: list[str] = []
    real = builtins.open

    def recording(file: Any, *args: Any, **kwargs: Any) -> Any:
        opened.append(str(file))
        return real(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", recording)
    ours = sys.modules["kiosk.ui.pyside_feature"]
    assert not check(json) and not check(argparse)
    assert check(ours)  # read: it names PySide6
    assert opened == [ours.__file__]


def test_a_window_with_deferred_screens_builds_them_on_first_use(
        qtbot: QtBot, make_window: WindowFactory, tmp_path: Path) -> None:
    pins = PinStore(tmp_path)
    window: KioskWindow = make_window(pins=pins, defer_screens=True)
    assert not window.screens_built
    assert window.screens == [window.attract]
    assert window.staff_screens == ()
    assert window.pin_store is pins  # the status file asks without building the pad
    assert not window.screens_built
    events: list[tuple[Event, dt.datetime]] = []
    StatsRecorder(window, lambda event, when: events.append((event, when)))
    assert not window.screens_built  # hooked when they are built
    tap(qtbot, window.attract.stage)  # a visitor before the screens were built
    assert window.screens_built
    assert window.current_screen is not window.attract
    assert window.current_screen in window.screens
    assert window.pin_pad.store is pins
    assert window.current_screen.lang == window.lang
    assert events[0][0] is Event.SESSION_STARTED
    window.picker.picture_chosen.emit(window.content.colouring[0].id)
    assert Event.COLOURING_STARTED in [event for event, _ in events]


def test_a_pin_store_given_as_its_maker_is_made_once_when_first_asked_for(
        qtbot: QtBot, make_window: WindowFactory, tmp_path: Path) -> None:
    made: list[PinStore] = []

    def make() -> PinStore:
        made.append(PinStore(tmp_path))
        return made[-1]

    window: KioskWindow = make_window(pins=make, defer_screens=True)
    assert made == []  # not with the window: `kiosk run` paints its first frame first
    store = window.pin_store  # the status file's first write
    assert made == [store]
    tap(qtbot, window.attract.stage)  # the screens, the PIN pad among them
    assert window.screens_built
    assert window.pin_pad.store is store
    assert window.pin_store is store and len(made) == 1
    # A touch before anything asked: the pad is built with the store made then.
    touched: KioskWindow = make_window(pins=make, defer_screens=True)
    tap(qtbot, touched.attract.stage)
    assert touched.pin_pad.store is made[-1] and len(made) == 2


def test_screens_built_after_the_window_are_as_those_built_with_it(
        qtbot: QtBot, make_window: WindowFactory) -> None:
    now = make_window()
    later = make_window(defer_screens=True)
    later.set_language("en")
    later.build_screens()
    assert [type(screen) for screen in later.screens] == [type(s) for s in now.screens]
    assert all(screen.lang == "en" for screen in later.screens)
    assert later.staff_screens == (later.pin_pad, later.staff, later.pattern)
    later.show_screen(later.menu)
    assert later.current_screen is later.menu
    assert later.menu.isVisible()


TURNED = """
import os, sys
from PySide6.QtCore import QTimer
from kiosk.cli import main
from kiosk.ui import app

first_frame = app.next_frame

def turned_meanwhile(window, *args, **kwargs):
    # The compositor settles the output just as the kiosk starts: the screens are rebuilt
    # (the first stage deleted) while the start waits for its first frame.
    QTimer.singleShot(0, lambda: window.lay_out_for(1080, 1920))
    first_frame(window, *args, **kwargs)

app.next_frame = turned_meanwhile

def watch(window):
    def started():
        if window.screens_built and "watchdog" in sys.modules:
            print("STARTED", window.width(), window.height(), flush=True)
            os._exit(0)

    timer = QTimer(window)
    timer.timeout.connect(started)
    timer.start(20)

main(["run", "--content", sys.argv[1], "--size", "1920x1080"], on_window=watch)
"""


def test_a_turn_while_the_first_frame_is_awaited_does_not_stop_the_start(tmp_path: Path) -> None:
    done = run_python(TURNED, str(BUNDLED), env=kiosk_env(tmp_path))
    # The reloader's watcher is set up after the wait: the start went on past it.
    assert "STARTED" in done.stdout, done.stderr[-2000:]
    assert "Signal source has been deleted" not in done.stderr


STOPPED = """
import os, signal, sys, threading, time
from PySide6.QtCore import QTimer
from kiosk.cli import main
from kiosk.ui import app
from kiosk.ui.service import operations

SIGNAL = getattr(signal, sys.argv[2])
written = operations.write_atomic

def slow_disk(path, text):  # the status file written in the pool takes a while
    if threading.current_thread() is not threading.main_thread():
        time.sleep(0.3)
    written(path, text)

operations.write_atomic = slow_disk

def watch(window):
    window.attract.stage.painted.connect(lambda: print("PAINTED", flush=True))
    if sys.argv[3] == "before-content":
        os.kill(os.getpid(), SIGNAL)

first_frame = app.next_frame

def signalled_meanwhile(window, *args, **kwargs):
    if sys.argv[3] == "at-first-frame":  # as the start waits for its first frame
        QTimer.singleShot(0, lambda: os.kill(os.getpid(), SIGNAL))
    first_frame(window, *args, **kwargs)

app.next_frame = signalled_meanwhile
sys.exit(main(["run", "--content", sys.argv[1], "--size", "1920x1080"], on_window=watch))
"""


@pytest.mark.parametrize("when", ["before-content", "at-first-frame"])
@pytest.mark.parametrize("name", ["SIGTERM", "SIGINT"])
def test_a_stop_asked_before_the_first_frame_ends_the_kiosk_cleanly(
        tmp_path: Path, name: str, when: str) -> None:
    state = tmp_path / "state"
    done = run_python(STOPPED, str(BUNDLED), name, when, env=kiosk_env(tmp_path, state))
    assert done.returncode == 0, done.stderr[-3000:]
    assert "exiting with status 0" in done.stderr
    assert "Traceback" not in done.stderr
    # Ended where it was: no event loop, screens or reloader started for it.
    assert "INFO kiosk.ui.app: showing" not in done.stderr
    if when == "before-content":
        assert "PAINTED" not in done.stdout
    # A clean exit: not counted as a crash, and monitoring sees the kiosk down (the status
    # written as the screen turned on, at the first frame, does not land after that).
    assert '"state": "clean"' in (state / "starts.json").read_text()
    assert "\nkiosk_up 0\n" in (state / "kiosk.prom").read_text()


ASLEEP = """
import os, sys
from PySide6.QtCore import QTimer
from kiosk.cli import main

def watch(window):
    window.screen_sleep.cover.painted.connect(lambda: print("COVER", flush=True))
    stage = window.attract.stage
    stage.painted.connect(lambda: print(
        "CONTENT" if not (window.content.is_empty or stage.current.isNull()) else "NEUTRAL",
        flush=True))

    def started():  # the start went on past its first frame: the cover's
        if window.screen_sleep.asleep and window.screens_built and "watchdog" in sys.modules:
            print("STARTED", "asyncio" in sys.modules, flush=True)
            os._exit(0)

    timer = QTimer(window)
    timer.timeout.connect(started)
    timer.start(20)

main(["run", "--content", sys.argv[1], "--size", "1920x1080"], on_window=watch)
"""


def test_a_start_outside_opening_hours_shows_the_dark_cover_first(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(BUNDLED, content)
    today = dt.datetime.now(ZoneInfo("Europe/Moscow")).date()
    settings = content / "kiosk.yaml"
    settings.write_text(settings.read_text(encoding="utf-8") + "\nopening_hours: 08:00-20:00\n"
                        f"closed_days:\n  - {today - dt.timedelta(days=1)}.."
                        f"{today + dt.timedelta(days=1)}\n", encoding="utf-8")
    done = run_python(ASLEEP, str(content), env=kiosk_env(tmp_path))
    lines = done.stdout.split("\n")
    assert "STARTED True" in lines, done.stderr[-2000:]
    assert "COVER" in lines
    # No content was painted before the cover (only the neutral screen, if anything).
    assert "CONTENT" not in lines[:lines.index("COVER")]


@pytest.mark.parametrize("size", [(1920, 1080), (1080, 1920)], ids=["landscape", "portrait"])
def test_the_neutral_screen_is_rendered_once_at_the_screen_size(
        qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        size: tuple[int, int]) -> None:
    """The window `kiosk run` makes renders its neutral screen at the theme's size from the
    start: not first at a hidden widget's 640×480 and again when shown (~5 ms of the start)."""
    from PySide6.QtGui import QPixmap

    from kiosk.core.content.model import Content
    from kiosk.ui.attract.screen import AttractScreen
    from kiosk.ui.theme import Theme

    rendered: list[tuple[int, int]] = []
    real = AttractScreen._pixmap

    def record(self: AttractScreen, slide: object) -> QPixmap:
        rendered.append(self.stage.size().toTuple())
        return real(self, slide)  # type: ignore[arg-type]

    monkeypatch.setattr(AttractScreen, "_pixmap", record)
    width, height = size
    window = KioskWindow(Theme(width, height), Content(tmp_path / "none"), defer_screens=True)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    stage = window.attract.stage
    assert rendered == [stage.size().toTuple()]
    assert stage.width() == width and stage.height() < height  # the band below it
    assert stage.current.size() == stage.size()


NEUTRAL = """
import os, sys, threading
from kiosk.cli import main
from kiosk.ui import app
from kiosk.ui.attract.poster import PosterPainter

case = sys.argv[2]
# A start on a fast or a slow PC: its content read (and its first slide's picture decoded)
# before the window's time to show, or not.
app.FIRST_SHOW_WAIT_S = 60.0 if case == "ready" else 0.05
painted_once = threading.Event()

if case == "slow-read":  # a long first read (37,000 stories): it ends after the first paint
    read = app._load

    def slow_read(*args, **kwargs):
        painted_once.wait(60)
        return read(*args, **kwargs)

    app._load = slow_read

rendered = PosterPainter.render

def render(self, slide, content, *args, **kwargs):
    print("RENDER", "neutral" if content.is_empty else "content", flush=True)
    return rendered(self, slide, content, *args, **kwargs)

PosterPainter.render = render

def watch(window):
    stage = window.attract.stage
    if case == "late-picture":  # a phone's photo on a slow PC: decoded after the first paint
        photos = window.images.photos
        decode = photos.decode

        def late(*args):
            painted_once.wait(60)
            return decode(*args)

        photos.decode = late
    if case == "clip-first":  # a clip whose first frame comes after the window's first paint
        from PySide6.QtCore import QTimer

        attract = window.attract
        clip_shown = attract._clip_shown  # connected to the player's first frame when made

        def later():
            if painted_once.is_set():
                clip_shown()
            else:
                QTimer.singleShot(20, later)

        attract._clip_shown = later

    def painted():
        whole = window.attract.pictures_shown
        blank = stage.current.isNull() and stage.video_frame is None  # the paper alone
        print("PAINT", "content" if whole else "blank" if blank else "other", flush=True)
        painted_once.set()
        if whole:
            print("CLIP", stage.video_frame is not None, flush=True)
            os._exit(0)

    stage.painted.connect(painted)

main(["run", "--content", sys.argv[1], "--size", "1920x1080"], on_window=watch)
"""


def _renders_and_paints(tmp_path: Path, case: str, content: Path = BUNDLED) -> list[str]:
    # On the tests' 1920×1080 screen (conftest): the window is not resized as it shows.
    env = {**kiosk_env(tmp_path), "QT_QPA_PLATFORM": os.environ["QT_QPA_PLATFORM"]}
    done = run_python(NEUTRAL, str(content), case, env=env)
    lines = [line for line in done.stdout.splitlines()
             if line.startswith(("RENDER", "PAINT", "CLIP"))]
    assert "PAINT content" in lines, done.stderr[-2000:]
    return lines[:lines.index("PAINT content") + 2]


def test_a_start_whose_content_is_ready_shows_its_first_slide_as_its_first_frame(
        tmp_path: Path) -> None:
    """Read (and its first picture decoded) before the window's time to show: no neutral
    screen rendered nor painted, the first frame is the first slide whole (~15 ms sooner)."""
    assert _renders_and_paints(tmp_path, "ready") == ["RENDER content", "PAINT content",
                                                      "CLIP False"]


@pytest.mark.parametrize("case", ["slow-read", "late-picture"])
def test_the_neutral_screen_shows_while_a_slow_start_reads_or_decodes(
        tmp_path: Path, case: str) -> None:
    """A read or a first picture that takes longer: the neutral screen shows meanwhile,
    never a blank window, and the first slide takes its place, whole."""
    lines = _renders_and_paints(tmp_path, case)
    assert lines[:2] == ["RENDER neutral", "PAINT other"], lines
    assert lines[-3:] == ["RENDER content", "PAINT content", "CLIP False"]
    assert "RENDER neutral" not in lines[2:]  # rendered once


@needs_libmpv
@needs_ffmpeg
def test_a_start_whose_first_slide_is_a_clip_shows_the_neutral_screen_until_its_first_frame(
        tmp_path: Path) -> None:
    """A clip is not started unseen (its player comes after the window): the neutral screen
    shows while it starts, never a blank stage, and the clip's first frame takes its place,
    whole. No slide is rendered for it: the clip is what the stage shows."""
    content = tmp_path / "content"
    (content / "posters").mkdir(parents=True)
    settings = (BUNDLED / "kiosk.yaml").read_text(encoding="utf-8")
    invite = "  colouring_invite: true"
    assert invite in settings
    # The clip first: no invitation to the calm minute before it.
    (content / "kiosk.yaml").write_text(
        settings.replace(invite, f"{invite}\n  calm_invite: false"), encoding="utf-8")
    plain_clip(content / "posters" / "1-clip.mp4", 3.0)
    lines = _renders_and_paints(tmp_path, "clip-first", content)
    assert lines[:2] == ["RENDER neutral", "PAINT other"], lines
    assert "PAINT blank" not in lines
    assert lines[-2:] == ["PAINT content", "CLIP True"], lines
    assert lines.count("RENDER neutral") == 1 and "RENDER content" not in lines
