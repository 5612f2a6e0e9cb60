"""Clips in the attract loop (kiosk.ui.video): a clip plays after the slide before it, its
first frame painted on the stage; a clip played once ends its slide when it ends; a broken,
truncated or stalled clip is skipped and the loop goes on, never through a black or empty
stage; nothing plays behind another screen; content without clips ends the player."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint
from PySide6.QtGui import QColor
from pytestqt.qtbot import QtBot

from kiosk.core.content.loader import load_content
from kiosk.core.content.model import Content
from kiosk.ui.main_window import KioskWindow
from tests.helpers import BUNDLED, SVG, story
from tests.ui.conftest import FakeClock, WindowFactory
from tests.video_clips import (
    CLIP_RGB,
    cut_in_half,
    needs_ffmpeg,
    needs_libmpv,
    pattern_clip,
    plain_clip,
)

pytestmark = [needs_libmpv, needs_ffmpeg]


@pytest.fixture(autouse=True)
def own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`kiosk check`'s clip cache in the test's folder, never the user's."""
    monkeypatch.setenv("KIOSK_CACHE_DIR", str(tmp_path / "cache"))


def clip_content(root: Path, **clips: Callable[[Path], Path]) -> Content:
    """A folder with one still poster («1-still.svg») and then each clip, made by its maker
    under its name («2-clip.mp4»), in that order."""
    (root / "posters").mkdir(parents=True)
    shutil.copy(BUNDLED / "kiosk.yaml", root / "kiosk.yaml")
    (root / "posters" / "1-still.svg").write_text(SVG)
    for number, (name, make) in enumerate(clips.items(), 2):
        make(root / "posters" / f"{number}-{name}")
    return load_content(root)


@pytest.fixture
def open_window(make_window: WindowFactory) -> Callable[[Content], KioskWindow]:
    return lambda content: make_window(content)


def step_to(window: KioskWindow, clock: FakeClock, key_part: str) -> None:
    """Let the loop's time pass until the slide whose key contains `key_part` is due."""
    attract = window.attract
    assert attract.playlist is not None
    for _ in range(20):
        if key_part in attract.playlist.current.key:
            return
        clock.advance(attract.playlist.remaining(clock()) + 0.01)
        attract._next_slide()
    raise AssertionError(f"no slide {key_part} in {[s.key for s in attract.playlist.slides]}")


def watch_the_stage(window: KioskWindow) -> list[str]:
    """What each paint of the stage showed: "slide", "clip" or "nothing" (the paper alone)."""
    stage = window.attract.stage
    seen: list[str] = []

    def painted() -> None:
        if stage.video_frame is not None:
            seen.append("clip")
        else:
            seen.append("nothing" if stage.current.isNull() else "slide")

    stage.painted.connect(painted)
    return seen


def near(colour: QColor, rgb: tuple[int, int, int], tolerance: int = 14) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(
        (colour.red(), colour.green(), colour.blue()), rgb, strict=True))


def test_a_clip_shows_after_the_slide_before_and_its_first_frame_is_painted(
        qtbot: QtBot, tmp_path: Path, clock: FakeClock,
        open_window: Callable[[Content], KioskWindow]) -> None:
    window = open_window(clip_content(tmp_path, **{"clip.mp4": lambda p: plain_clip(p, 2.0)}))
    attract = window.attract
    step_to(window, clock, "1-still")
    seen = watch_the_stage(window)
    step_to(window, clock, "2-clip")
    # Asked to play, not yet shown: the poster before it is still on the stage.
    assert attract.player is not None and attract.player.playing
    assert attract.stage.video_frame is None and not attract.stage.current.isNull()
    with qtbot.waitSignal(attract.player.first_frame, timeout=5000):
        pass
    qtbot.waitUntil(lambda: not attract.stage.in_transition, timeout=3000)
    stage = attract.stage
    middle = stage.grab().toImage().pixelColor(QPoint(stage.width() // 2, stage.height() // 2))
    assert near(middle, CLIP_RGB), middle.name()
    assert "nothing" not in seen and "clip" in seen
    # The slide's time started with its first frame.
    assert attract.playlist is not None and attract.playlist.shown_at == clock()


def test_a_clip_played_once_ends_its_slide_when_it_ends(
        qtbot: QtBot, tmp_path: Path, clock: FakeClock,
        open_window: Callable[[Content], KioskWindow]) -> None:
    window = open_window(clip_content(tmp_path, **{"clip.webm": lambda p: plain_clip(p, 0.5)}))
    attract = window.attract
    step_to(window, clock, "2-clip")
    assert attract.player is not None
    with qtbot.waitSignal(attract.player.finished, timeout=5000) as ended:
        pass
    assert ended.args == ["eof"]
    # The fake clock did not move: the clip's end, not the slide's time, moved the loop on.
    assert attract.playlist is not None and "2-clip" not in attract.playlist.current.key
    assert not attract.player.playing and attract.stage.video_frame is None
    assert not attract.failed_clips


@pytest.mark.parametrize("size", [(1920, 1080)], ids=["landscape"])
def test_a_broken_clip_is_skipped_and_the_loop_goes_on_from_the_slide_before(
        qtbot: QtBot, tmp_path: Path, clock: FakeClock,
        open_window: Callable[[Content], KioskWindow]) -> None:
    def broken(path: Path) -> Path:  # the index (moov) is at the end: nothing opens
        return cut_in_half(pattern_clip(tmp_path / "whole.mp4", faststart=False), path)

    content = clip_content(tmp_path / "c", **{"broken.mp4": broken})
    window = open_window(content)
    attract = window.attract
    step_to(window, clock, "1-still")
    seen = watch_the_stage(window)
    step_to(window, clock, "2-broken")
    assert attract.player is not None
    with qtbot.waitSignal(attract.player.finished, timeout=5000) as ended:
        pass
    assert ended.args[0].startswith("error")
    assert attract.playlist is not None and "2-broken" not in attract.playlist.current.key
    assert set(attract.failed_clips) == {tmp_path / "c" / "posters" / "2-broken.mp4"}
    assert "nothing" not in seen and "clip" not in seen
    # Staff see it in the diagnostics' list of problems.
    assert any("2-broken.mp4" in line and "не показался" in line
               for line in window.problem_lines("ru"))
    # Next time round the loop does not try it again.
    step_to(window, clock, "1-still")
    clock.advance(attract.playlist.remaining(clock()) + 0.01)
    attract._next_slide()
    assert "2-broken" not in attract.playlist.current.key
    assert not attract.player.playing


@pytest.mark.parametrize("size", [(1920, 1080)], ids=["landscape"])
def test_a_truncated_clip_ends_early_and_the_loop_goes_on(
        qtbot: QtBot, tmp_path: Path, clock: FakeClock,
        open_window: Callable[[Content], KioskWindow]) -> None:
    def truncated(path: Path) -> Path:  # index first: the first half plays, then it stops
        return cut_in_half(pattern_clip(tmp_path / "whole.mp4", seconds=2.0), path)

    window = open_window(clip_content(tmp_path / "c", **{"cut.mp4": truncated}))
    attract = window.attract
    step_to(window, clock, "2-cut")
    assert attract.player is not None
    with qtbot.waitSignal(attract.player.first_frame, timeout=5000):
        pass
    with qtbot.waitSignal(attract.player.finished, timeout=5000) as ended:
        pass
    assert ended.args == ["eof"]
    assert attract.playlist is not None and "2-cut" not in attract.playlist.current.key
    assert attract.stage.video_frame is None and not attract.stage.current.isNull()


@pytest.mark.parametrize("size", [(1920, 1080)], ids=["landscape"])
def test_a_clip_without_a_first_frame_in_time_is_skipped(
        qtbot: QtBot, tmp_path: Path, clock: FakeClock, monkeypatch: pytest.MonkeyPatch,
        open_window: Callable[[Content], KioskWindow]) -> None:
    from kiosk.ui.video.player import VideoPlayer

    monkeypatch.setattr(VideoPlayer, "_render", lambda self: None)  # frames never come
    window = open_window(clip_content(tmp_path, **{"clip.mp4": lambda p: plain_clip(p, 2.0)}))
    attract = window.attract
    step_to(window, clock, "2-clip")
    assert attract.player is not None
    attract.player.stall.setInterval(200)
    attract.player.stall.start()
    with qtbot.waitSignal(attract.player.finished, timeout=5000) as ended:
        pass
    assert ended.args == ["stalled"]
    assert attract.playlist is not None and "2-clip" not in attract.playlist.current.key
    assert not attract.player.playing


@pytest.mark.parametrize("size", [(1920, 1080)], ids=["landscape"])
def test_nothing_plays_behind_another_screen_and_the_clip_starts_over_on_return(
        qtbot: QtBot, tmp_path: Path, clock: FakeClock,
        open_window: Callable[[Content], KioskWindow]) -> None:
    looped = tmp_path / "posters" / "2-clip.yaml"
    content_root = tmp_path
    window = open_window(clip_content(content_root, **{"clip.mp4": lambda p: plain_clip(p, 1.0)}))
    looped.write_text("loop: yes\nduration: 30\n")
    window.set_content(load_content(content_root))
    attract = window.attract
    step_to(window, clock, "2-clip")
    assert attract.player is not None
    with qtbot.waitSignal(attract.player.first_frame, timeout=5000):
        pass
    window.show_screen(window.menu)
    assert not attract.player.playing and attract.stage.video_frame is None
    assert not attract.stage.current.isNull()  # its last frame, as a still
    window.show_screen(window.attract)
    assert attract.player.playing
    with qtbot.waitSignal(attract.player.first_frame, timeout=5000):
        pass
    # Looped: it is still on show after its own length (1 s), until its slide's 30 s.
    with qtbot.waitSignal(attract.player.finished, timeout=1500, raising=False) as ended:
        pass
    assert not ended.signal_triggered and attract.player.playing
    assert 25 <= attract.slide_timer.remainingTime() / 1000 <= 30.1  # 1.5 s went by


@pytest.mark.parametrize("size", [(1920, 1080)], ids=["landscape"])
def test_content_without_clips_ends_the_player(
        qtbot: QtBot, tmp_path: Path, clock: FakeClock,
        open_window: Callable[[Content], KioskWindow]) -> None:
    window = open_window(clip_content(tmp_path, **{"clip.mp4": lambda p: plain_clip(p, 2.0)}))
    attract = window.attract
    step_to(window, clock, "2-clip")
    assert attract.player is not None
    with qtbot.waitSignal(attract.player.first_frame, timeout=5000):
        pass
    (tmp_path / "posters" / "2-clip.mp4").unlink()
    window.update_content(load_content(tmp_path))
    assert attract.player is None
    assert attract.stage.video_frame is None and not attract.stage.current.isNull()


@pytest.mark.parametrize("size", [(1920, 1080), (1080, 1920)], ids=["landscape", "portrait"])
def test_a_story_s_clip_plays_where_its_photo_goes_and_stops_when_the_visitor_leaves(
        qtbot: QtBot, tmp_path: Path, open_window: Callable[[Content], KioskWindow]) -> None:
    root = tmp_path / "c"
    (root / "stories").mkdir(parents=True)
    (root / "images").mkdir()
    plain_clip(root / "images" / "clip.mp4", 1.0)
    (root / "stories" / "a.md").write_text(story(video="images/clip.mp4"), encoding="utf-8")
    window = open_window(load_content(root))
    window.stories.reset()
    window.show_screen(window.stories)
    clip = window.stories.clip
    assert clip.player is not None and clip.player.playing
    with qtbot.waitSignal(clip.player.first_frame, timeout=5000):
        pass
    qtbot.waitUntil(clip.isVisible, timeout=2000)
    assert clip.geometry() == window.stories.card.picture_rect()
    middle = clip.grab().toImage().pixelColor(QPoint(clip.width() // 2, clip.height() // 2))
    assert near(middle, CLIP_RGB), middle.name()
    # Looped: it plays on past its own second.
    with qtbot.waitSignal(clip.player.finished, timeout=1500, raising=False) as ended:
        pass
    assert not ended.signal_triggered and clip.player.playing
    window.show_screen(window.menu)
    assert not clip.player.playing and not clip.isVisible()
    window.show_screen(window.stories)
    assert clip.player.playing
    window.show_screen(window.menu)


@pytest.mark.parametrize("size", [(1920, 1080), (1080, 1920)], ids=["landscape", "portrait"])
def test_the_preview_shows_a_clip_s_slide_as_its_first_frame_with_a_play_mark(
        qtbot: QtBot, tmp_path: Path, size: tuple[int, int]) -> None:
    from kiosk.ui.preview import attract_slides, preview_window

    content = clip_content(tmp_path, **{"clip.mp4": lambda p: plain_clip(p, 1.0)})
    window = preview_window(content, size)
    qtbot.addWidget(window)
    slide = next(s for s in attract_slides(content) if s.item_id == "2-clip")
    window.attract.display(slide)
    assert window.attract.player is None  # the preview never plays: libmpv ran elsewhere
    stage = window.attract.stage.grab().toImage()
    middle = stage.pixelColor(QPoint(stage.width() // 2, stage.height() // 2))
    assert middle.lightness() > 240, middle.name()  # the white triangle of ▶
    ring_inside = stage.pixelColor(QPoint(stage.width() // 2 - round(
        min(stage.width(), stage.height()) * 0.07), stage.height() // 2))
    assert ring_inside.lightness() < 80, ring_inside.name()  # the dark disc round it
    corner = stage.pixelColor(QPoint(stage.width() // 10, stage.height() // 10))
    assert near(corner, CLIP_RGB), corner.name()  # the frame, or margins of its colour
    window.attract.stop()


def test_the_preview_leaves_out_a_clip_the_loop_would_skip(
        qtbot: QtBot, tmp_path: Path) -> None:
    """A clip with nothing to show was drawn in the preview as a blank slide with ▶: staff saw
    a slide that would never be on the screen. The preview skips it as the loop does."""
    from kiosk.ui.preview import render_previews

    def broken(path: Path) -> Path:  # the index (moov) is at the end: nothing opens
        return cut_in_half(pattern_clip(tmp_path / "whole.mp4", faststart=False), path)

    content = clip_content(tmp_path / "c", **{"broken.mp4": broken,
                                              "clip.mp4": lambda p: plain_clip(p, 1.0)})
    shots = [shot.file for shot in render_previews(content, tmp_path / "out", (1920, 1080))]
    attract = [name for name in shots if name.startswith("attract-")]
    assert [name[11:] for name in attract if "poster" in name] == ["poster-1-still.png",
                                                                   "poster-3-clip.png"]
    assert [name[8:10] for name in attract] == [f"{n:02d}" for n in range(1, len(attract) + 1)]


def test_kiosk_check_plays_every_clip_to_its_end_and_names_what_is_wrong(
        tmp_path: Path) -> None:
    from kiosk.ui.video.probe import clip_problems

    whole = pattern_clip(tmp_path / "whole.mp4", seconds=2.0)
    content = clip_content(tmp_path / "c", **{
        "good.webm": lambda p: plain_clip(p, 1.0),
        "cut.mp4": lambda p: cut_in_half(whole, p),
        "broken.mp4": lambda p: cut_in_half(
            pattern_clip(tmp_path / "moov-last.mp4", faststart=False), p),
        "fast.mp4": lambda p: plain_clip(p, 0.5, size="160x90", rate=60),
        "tall.mp4": lambda p: plain_clip(p, 0.5, size="180x320"),
        "huge.mp4": lambda p: plain_clip(p, 0.2, size="2600x1700"),
    })
    found = {(Path(p.path).name, p.code, p.severity.value) for p in clip_problems(content)}
    assert found == {
        ("3-cut.mp4", "video_truncated", "error"),
        ("4-broken.mp4", "video_broken", "error"),
        ("5-fast.mp4", "video_heavy", "warning"),
        ("6-tall.mp4", "poster_portrait_on_landscape", "warning"),
        # The player refuses its frames; the check tells its size, not «damaged».
        ("7-huge.mp4", "video_too_large", "error"),
    }


def test_the_player_refuses_a_clip_larger_than_it_shows(qtbot: QtBot, tmp_path: Path) -> None:
    """An 8192×8192 clip of 199 KB made each frame 268 MB and held the UI thread 229 ms to
    scale it down; the decoder now refuses frames over `MOST_PIXELS` (and a tenth: it counts
    its padded frame) before it makes them, and the clip ends as a broken one does (the loop
    skips it). Under `MOST_PIXELS` it plays, 2544×1640 too (refused at exactly the limit)."""
    from PySide6.QtCore import QSize

    from kiosk.core.content.video import DECODER_MOST_PIXELS, MOST_PIXELS
    from kiosk.ui.video.player import VideoPlayer

    assert 3000 * 1700 > DECODER_MOST_PIXELS > MOST_PIXELS >= 2544 * 1640
    player = VideoPlayer()
    frames: list[int] = []
    player.frame.connect(lambda: frames.append(1))
    try:
        for size, refused in (("3000x1700", True), ("2544x1640", False)):
            clip = plain_clip(tmp_path / f"{size}.mp4", 0.3, size=size)
            with qtbot.waitSignal(player.finished, timeout=20_000) as ended:
                player.play(clip, QSize(640, 360), loop=False)
            assert ended.args[0].startswith("error") is refused, ended.args
        assert frames  # the 2544×1640 clip played
    finally:
        player.terminate()


@pytest.mark.parametrize("size", [(1920, 1080)], ids=["landscape"])
def test_a_loop_of_nothing_but_a_broken_clip_shows_the_welcome_and_does_not_retry(
        qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        open_window: Callable[[Content], KioskWindow]) -> None:
    from kiosk.ui.video.player import VideoPlayer

    root = tmp_path / "c"
    (root / "posters").mkdir(parents=True)
    (root / "kiosk.yaml").write_text("attract:\n  calm_invite: false\n"
                                     "  colouring_invite: false\n", encoding="utf-8")
    (root / "posters" / "broken.mp4").write_bytes(b"\x00\x00\x00\x18ftypisom" + bytes(600))
    asked: list[Path] = []
    play = VideoPlayer.play

    def counted(self: VideoPlayer, path: Path, *args: Any, **kwargs: Any) -> None:
        asked.append(path)
        play(self, path, *args, **kwargs)

    monkeypatch.setattr(VideoPlayer, "play", counted)
    window = open_window(load_content(root))
    attract = window.attract
    assert attract.player is not None
    qtbot.waitUntil(lambda: bool(attract.failed_clips), timeout=5000)
    assert not attract.stage.current.isNull() and attract.stage.video_frame is None
    assert "Добро пожаловать!" in [spot.text for spot in attract.stage.spots]  # the welcome
    # Given time to spin, it would have asked again: it does not.
    with qtbot.waitSignal(attract.player.finished, timeout=600, raising=False) as again:
        pass
    assert not again.signal_triggered and len(asked) == 1


@pytest.mark.parametrize("size", [(1920, 1080)], ids=["landscape"])
def test_a_clip_that_stalled_once_is_tried_again_an_hour_later(
        qtbot: QtBot, tmp_path: Path, clock: FakeClock, monkeypatch: pytest.MonkeyPatch,
        open_window: Callable[[Content], KioskWindow]) -> None:
    """A busy moment (an update, the index rebuilt) kept a clip's first frame past its time:
    skipped, it stays out of the loop only for an hour, not until someone changes the
    content, which on a kiosk nobody updates is months."""
    from kiosk.ui.attract.screen import CLIP_RETRY_S
    from kiosk.ui.video.player import VideoPlayer

    render, busy = VideoPlayer._render, [True]
    # While busy, frames never come (the player hears of frames through this, as it was).
    monkeypatch.setattr(VideoPlayer, "_render",
                        lambda self: None if busy[0] else render(self))
    window = open_window(clip_content(tmp_path, **{"clip.mp4": lambda p: plain_clip(p, 2.0)}))
    attract = window.attract
    step_to(window, clock, "2-clip")
    player = attract.player
    assert player is not None
    player.stall.setInterval(200)
    player.stall.start()
    with qtbot.waitSignal(player.finished, timeout=5000) as ended:
        pass
    assert ended.args == ["stalled"]
    busy[0] = False  # the machine is idle again
    with pytest.raises(AssertionError):
        step_to(window, clock, "2-clip")  # skipped meanwhile
    clock.advance(CLIP_RETRY_S)
    step_to(window, clock, "2-clip")
    with qtbot.waitSignal(player.first_frame, timeout=5000):
        pass
    assert attract.failed_clips == {}
    assert not any("clip.mp4" in line for line in window.problem_lines("ru"))


@pytest.mark.parametrize("size", [(1920, 1080)], ids=["landscape"])
def test_two_clips_in_a_row_each_play_to_their_own_end(
        qtbot: QtBot, tmp_path: Path, clock: FakeClock,
        open_window: Callable[[Content], KioskWindow]) -> None:
    window = open_window(clip_content(tmp_path, **{
        "first.mp4": lambda p: plain_clip(p, 0.5), "second.webm": lambda p: plain_clip(
            p, 0.5, colour="0xd06020")}))
    attract = window.attract
    step_to(window, clock, "2-first")
    assert attract.player is not None
    ends: list[str] = []
    attract.player.finished.connect(ends.append)
    qtbot.waitUntil(lambda: len(ends) == 2, timeout=8000)
    assert ends == ["eof", "eof"]
    assert attract.playlist is not None and "3-second" not in attract.playlist.current.key
    assert attract.player.path is not None and attract.player.path.name == "3-second.webm"


@pytest.mark.parametrize("size", [(1280, 1024)], ids=["5:4"])
def test_on_a_stacked_card_the_clip_plays_on_the_first_page_only(
        qtbot: QtBot, tmp_path: Path, open_window: Callable[[Content], KioskWindow]) -> None:
    """On a 5:4 screen the picture (and its clip) opens the story and the next pages give
    the text the whole card: the clip stops there and starts over on the first page."""
    root = tmp_path / "c"
    (root / "stories").mkdir(parents=True)
    (root / "images").mkdir()
    plain_clip(root / "images" / "clip.mp4", 1.0)
    body = "\n\n".join(["Посетитель пришёл в центр рано утром, и сотрудница помогла ему "
                        "заполнить заявление, не торопя и объясняя каждую строку."] * 6)
    (root / "stories" / "a.md").write_text(story(body=body, video="images/clip.mp4"),
                                           encoding="utf-8")
    window = open_window(load_content(root))
    window.stories.reset()
    window.show_screen(window.stories)
    stories, clip = window.stories, window.stories.clip
    assert stories.card.stacked and stories.card.body.page_count > 1
    assert clip.player is not None and clip.player.playing
    qtbot.waitUntil(clip.isVisible, timeout=5000)
    stories.go(0, page=1)
    assert not stories.card.image.isVisible() and not clip.isVisible()
    assert not clip.player.playing
    stories.go(0, page=0)
    assert stories.card.image.isVisible() and clip.player.playing
    qtbot.waitUntil(clip.isVisible, timeout=5000)
