"""Clips in the content (kiosk.core.content.video): a poster that is a clip, played once or looped;
a page's or story's `video:`; what the folder's reading can tell without playing (the file is what
its name says), and how `kiosk check`'s probe findings become problems."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from kiosk.core.content import video
from kiosk.core.content.loader import load_content
from kiosk.core.content.problems import Problem
from kiosk.core.content.video import (
    MAX_ONCE_SECONDS,
    ClipCache,
    VideoFacts,
    clip_cache_path,
    clip_key,
    clip_seconds,
    facts_problems,
    is_video,
    video_kind,
)
from tests.helpers import SVG, make_folder, story

MP4 = b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2avc1mp41" + bytes(64)
WEBM = b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01" + bytes(64)


def codes(problems: tuple[Problem, ...] | list[Problem]) -> list[str]:
    return [p.code for p in problems]


def test_clips_are_told_by_their_name_and_their_first_bytes() -> None:
    assert is_video("a.MP4") and is_video(Path("b.webm")) and not is_video("c.mov")
    assert video_kind(MP4) == "mp4" and video_kind(WEBM) == "webm"
    assert video_kind(b"\x89PNG\r\n\x1a\n" + bytes(16)) == "" and video_kind(b"hello") == ""


def test_a_poster_clip_plays_once_unless_its_side_file_says_loop(tmp_path: Path) -> None:
    root = make_folder(tmp_path / "c", images={
        "posters/1-still.svg": SVG, "posters/2-once.mp4": MP4, "posters/3-looped.webm": WEBM,
        "posters/3-looped.yaml": "loop: yes\nduration: 20\n",
        "posters/4-both.svg": SVG,
        "posters/4-both.portrait.mp4": MP4})
    content = load_content(root)
    posters = {p.id: p for p in content.posters}
    assert not posters["1-still"].is_video and not posters["1-still"].loop
    assert posters["2-once"].is_video and not posters["2-once"].loop
    assert posters["3-looped"].loop and posters["3-looped"].duration == 20
    both = posters["4-both"]
    assert both.is_video and both.is_video_for(True) and not both.is_video_for(False)
    assert set(content.clips()) == {root / "posters" / "2-once.mp4",
                                    root / "posters" / "3-looped.webm",
                                    root / "posters" / "4-both.portrait.mp4"}
    assert not content.problems, content.problems


def test_a_file_named_as_a_clip_that_is_not_one_is_skipped_with_its_problem(
        tmp_path: Path) -> None:
    root = make_folder(tmp_path / "c", images={
        "posters/1-text.mp4": "this is not a video\n", "posters/2-png.webm": b"\x89PNG\r\n\x1a\n",
        "posters/3-swapped.webm": MP4})
    content = load_content(root)
    found = {(Path(p.path).name, p.code) for p in content.problems}
    assert ("1-text.mp4", "video_not_video") in found and ("2-png.webm", "video_not_video") \
        in found
    # An MP4 named .webm plays all the same: a warning that names the right name.
    swapped = next(p for p in content.problems if p.code == "video_wrong_suffix")
    assert swapped.args["name"] == "3-swapped.mp4" and not swapped.is_error
    assert [p.id for p in content.posters] == ["3-swapped"]
    assert "3-swapped.mp4" in swapped.message("ru") and "3-swapped.mp4" in swapped.message("en")


def test_loop_on_a_picture_poster_is_named_and_ignored(tmp_path: Path) -> None:
    root = make_folder(tmp_path / "c", images={"posters/a.svg": SVG,
                                                "posters/a.yaml": "loop: yes\n"})
    content = load_content(root)
    assert codes(content.problems) == ["loop_on_picture"]
    assert not content.clips()


def test_a_poster_clip_with_a_loop_that_is_not_yes_or_no_plays_once(tmp_path: Path) -> None:
    root = make_folder(tmp_path / "c", images={"posters/a.mp4": MP4,
                                                "posters/a.yaml": "loop: often\n"})
    content = load_content(root)
    assert codes(content.problems) == ["wrong_type"]
    assert not content.posters[0].loop


def test_a_story_and_a_page_may_have_a_clip_where_the_picture_goes(tmp_path: Path) -> None:
    root = make_folder(
        tmp_path / "c",
        stories={"a.md": story(video="images/clip.mp4", photo="images/still.svg")},
        pages={"p.md": story(video="images/clip.webm")},
        images={"images/clip.mp4": MP4, "images/clip.webm": WEBM, "images/still.svg": SVG})
    content = load_content(root)
    assert not content.problems, content.problems
    assert content.stories[0].video == (root / "images" / "clip.mp4").resolve()
    assert content.pages[0].video == (root / "images" / "clip.webm").resolve()
    assert len(content.clips()) == 2


@pytest.mark.parametrize(("written", "code"), [
    ("images/missing.mp4", "missing_file"),
    ("../outside.mp4", "path_outside"),
    ("https://example.org/a.mp4", "path_remote"),
    ("images/clip.avi", "bad_video_format"),
    ("images/still.svg", "bad_video_format"),
    ("images/text.mp4", "video_not_video"),
])
def test_a_story_clip_that_cannot_be_played_is_an_error_that_names_it(
        tmp_path: Path, written: str, code: str) -> None:
    root = make_folder(
        tmp_path / "c", stories={"a.md": story(video=written)},
        images={"images/clip.avi": MP4, "images/still.svg": SVG, "images/text.mp4": "text"})
    (tmp_path / "outside.mp4").write_bytes(MP4)
    content = load_content(root)
    assert code in codes(content.problems)
    problem = next(p for p in content.problems if p.code == code)
    assert problem.is_error and problem.line == 3  # the line of `video:` in the file
    assert not content.stories  # skipped until it is fixed, as for a photo


def facts(**changes: object) -> VideoFacts:
    base: dict[str, object] = dict(codec="h264", width=1920, height=1080, fps=30.0,
                                   duration=10.0, size_bytes=6_700_000, decoded_to=9.967,
                                   finished=True)
    return VideoFacts(**{**base, **changes})  # type: ignore[arg-type]


def test_a_sound_clip_has_no_problem() -> None:
    assert facts_problems(facts(), "a.mp4", played_once=True) == []


@pytest.mark.parametrize(("found", "code", "error"), [
    (facts(error="unrecognized file format"), "video_broken", True),
    (VideoFacts(error="timeout"), "video_timeout", True),
    (facts(codec="", width=0, height=0), "video_no_picture", True),
    (facts(decoded_to=4.93), "video_truncated", True),
    (facts(codec="hevc"), "video_codec", False),
    (facts(width=2560, height=1440), "video_heavy", False),
    (facts(fps=60.0), "video_heavy", False),
    (facts(size_bytes=26_600_000), "video_heavy", False),  # 21 Mb/s
    (facts(decoded_to=None, finished=False), "video_not_checked", False),
    (facts(duration=300.0, decoded_to=299.97), "video_long", False),
])
def test_what_the_probe_found_is_told_for_what_it_is(found: VideoFacts, code: str,
                                                     error: bool) -> None:
    problems = facts_problems(found, "clip.mp4", played_once=True)
    assert codes(problems) == [code]
    assert problems[0].is_error is error
    for lang in ("ru", "en"):
        message = problems[0].message(lang)
        assert "clip.mp4" in message and "{" not in message


def test_a_heavy_clip_says_what_is_heavy_in_the_reader_s_language() -> None:
    problem = facts_problems(facts(width=2560, height=1440, fps=60.0), "a.mp4", True)[0]
    assert "2560×1440, 60 кадров в секунду" in problem.message("ru")
    assert "2560×1440, 60 frames a second" in problem.message("en")
    assert "Mb/s" not in problem.message("ru")


@pytest.mark.parametrize("error", ["", "no audio or video data played"])
def test_a_clip_larger_than_the_kiosk_shows_is_an_error_told_by_its_size(error: str) -> None:
    """4K and up: the player refuses its frames (kiosk.ui.video.mpvlib), so the probe's
    «nothing played» is told as the size it is, with what to do."""
    problems = facts_problems(facts(width=3840, height=2160, error=error), "a.mp4", True)
    assert codes(problems) == ["video_too_large"] and problems[0].is_error
    assert "3840×2160" in problems[0].message("ru") and "1080p" in problems[0].message("ru")
    assert codes(facts_problems(facts(width=2560, height=1600), "a.mp4", True)) == [
        "video_heavy"]


def test_a_long_clip_is_a_warning_only_when_it_is_played_once() -> None:
    long = facts(duration=300.0, decoded_to=299.97)
    assert codes(facts_problems(long, "a.mp4", played_once=False)) == []


def test_a_clip_slide_lasts_its_clip_or_its_duration_when_looped() -> None:
    assert clip_seconds(loop=False, duration=None, default=8.0) == MAX_ONCE_SECONDS
    assert clip_seconds(loop=False, duration=15.0, default=8.0) == 15.0
    assert clip_seconds(loop=True, duration=None, default=8.0) == 8.0
    assert clip_seconds(loop=True, duration=30.0, default=8.0) == 30.0


# -- what `kiosk check` found about a clip, kept while its file stays the same ---------------


def test_a_clip_s_key_follows_its_bytes_size_and_time_not_its_path(tmp_path: Path) -> None:
    clip = tmp_path / "a.mp4"
    clip.write_bytes(MP4 + bytes(300_000))
    key = clip_key(clip)
    assert key is not None
    copy = tmp_path / "release" / "a.mp4"
    copy.parent.mkdir()
    copy.write_bytes(clip.read_bytes())
    os.utime(copy, ns=(clip.stat().st_atime_ns, clip.stat().st_mtime_ns))
    assert clip_key(copy) == key  # the publish's copy: same key
    times = (clip.stat().st_atime_ns, clip.stat().st_mtime_ns)
    for where in (100, 300_000):  # the first bytes, the last ones: same size and time
        changed = bytearray(clip.read_bytes())
        changed[where] ^= 0xFF
        copy.write_bytes(changed)
        os.utime(copy, ns=times)
        assert clip_key(copy) != key, where
    copy.write_bytes(clip.read_bytes())
    os.utime(copy, ns=(times[0], times[1] + 1))
    assert clip_key(copy) != key  # touched
    copy.write_bytes(clip.read_bytes()[:-1])
    os.utime(copy, ns=times)
    assert clip_key(copy) != key  # cut short
    assert clip_key(tmp_path / "gone.mp4") is None and clip_key(tmp_path) is None
    os.mkfifo(tmp_path / "fifo.mp4")
    assert clip_key(tmp_path / "fifo.mp4") is None  # never waits on a pipe


def test_the_cache_is_in_the_user_s_cache_folder_beside_the_content_index() -> None:
    assert clip_cache_path({"HOME": "/home/k"}) == Path("/home/k/.cache/kiosk/clips.json")
    assert clip_cache_path({"HOME": "/home/k", "XDG_CACHE_HOME": "/c"}) == Path(
        "/c/kiosk/clips.json")
    assert clip_cache_path({"KIOSK_CACHE_DIR": "/k", "XDG_CACHE_HOME": "/c"}) == Path(
        "/k/clips.json")


def test_what_a_check_found_is_read_back_by_the_next_and_is_private(tmp_path: Path) -> None:
    path = tmp_path / "cache" / "clips.json"
    found = facts(codec="vp9", decoded_to=None, finished=False, error="x")
    first = ClipCache(path, "v1")
    assert first.get("k1") is None
    first.put("k1", facts())
    first.put("k2", found)
    assert first.save()
    again = ClipCache(path, "v1")
    assert again.get("k1") == facts() and again.get("k2") == found
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert [p.name for p in path.parent.iterdir()] == ["clips.json"]  # no temporary left
    assert ClipCache(path, "v2").get("k1") is None  # another version of the probe


@pytest.mark.parametrize("damage", [
    b"\x00\x01garbage", b"", b"[1, 2]", b'{"format": 1, "probe": "v1", "clips": []}',
    b"[" * 100_000, b'{"format": 1, "probe": "v1", "clips": {"k1": {"codec": 5}}}',
    b'{"format": 1, "probe": "v1", "clips": {"k1": {"width": 1.5}}}',
    b" " * (video.MAX_CACHE_BYTES + 1),
], ids=["bytes", "empty", "list", "clips-list", "deep", "bad-codec", "bad-width", "huge"])
def test_a_damaged_cache_reads_as_empty_and_is_replaced(tmp_path: Path, damage: bytes) -> None:
    path = tmp_path / "clips.json"
    good = json.loads(_cache_text(tmp_path / "good.json"))
    path.write_bytes(damage)
    cache = ClipCache(path, "v1")
    assert cache.get("k1") is None
    cache.put("k2", facts())
    assert cache.save()
    assert json.loads(path.read_text())["clips"] == {"k2": good["clips"]["k1"]}


def _cache_text(path: Path) -> str:
    cache = ClipCache(path, "v1")
    cache.put("k1", facts())
    cache.save()
    return path.read_text()


def test_one_damaged_entry_is_dropped_and_the_others_kept(tmp_path: Path) -> None:
    path = tmp_path / "clips.json"
    data = json.loads(_cache_text(path))
    data["clips"]["k0"] = {**data["clips"]["k1"], "fps": float("inf")}
    data["clips"]["k2"] = {**data["clips"]["k1"], "finished": 1}
    data["clips"]["k3"] = {**data["clips"]["k1"], "decoded_to": "6"}
    path.write_text(json.dumps(data))
    cache = ClipCache(path, "v1")
    assert [cache.get(key) is not None for key in ("k0", "k1", "k2", "k3")] == [
        False, True, False, False]


def test_the_cache_keeps_the_clips_checked_last_and_forgets_the_oldest(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(video, "MAX_CACHED", 3)
    path = tmp_path / "clips.json"
    cache = ClipCache(path, "v1")
    for key in ("a", "b", "c"):
        cache.put(key, facts())
    cache.save()
    cache = ClipCache(path, "v1")
    assert cache.get("a") is not None  # used again: now the most recent
    cache.put("d", facts())
    cache.save()
    assert list(json.loads(path.read_text())["clips"]) == ["c", "a", "d"]


def test_two_checks_at_once_both_keep_what_they_found(tmp_path: Path) -> None:
    path = tmp_path / "clips.json"
    first, second = ClipCache(path, "v1"), ClipCache(path, "v1")
    first.put("a", facts())
    second.put("b", facts())
    first.save()
    second.save()
    again = ClipCache(path, "v1")
    assert again.get("a") is not None and again.get("b") is not None


def test_a_cache_write_that_fails_halfway_leaves_the_old_file_whole(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "clips.json"
    before = _cache_text(path)
    cache = ClipCache(path, "v1")
    cache.put("k2", facts())

    def no_rename(source: str, target: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", no_rename)
    assert not cache.save()
    assert path.read_text() == before
    assert [p.name for p in tmp_path.iterdir()] == ["clips.json"]


def test_a_cache_that_cannot_be_written_is_only_a_slower_check(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("")
    cache = ClipCache(tmp_path / "file" / "clips.json", "v1")  # its folder is a file
    cache.put("k", facts())
    assert not cache.save()
