"""`kiosk check`'s clips (kiosk.ui.video.probe.clip_problems): what was found about a clip is
kept while its file stays the same, so a second check of a folder (the publish checks its copy
too) plays nothing again, and a changed clip is played again; clips are probed several at a
time, all within a budget, and a clip whose turn did not come is a warning. The probe itself is
stood in for here (the counting is the point); the example clip in docs/examples/video/ is
checked for real by `kiosk check` (needs libmpv)."""

from __future__ import annotations

import json
import math
import os
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from kiosk.core.content.loader import load_content
from kiosk.core.content.model import Content
from kiosk.core.content.problems import Problem
from kiosk.core.content.video import VideoFacts
from kiosk.ui.video import probe
from kiosk.ui.video.probe import Probed, clip_problems, probe_clip
from tests.helpers import REPO, copy_bundled, make_folder
from tests.video_clips import needs_libmpv

MP4 = b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2avc1mp41" + bytes(64)
GOOD = VideoFacts(codec="h264", width=1920, height=904, fps=25.0, duration=6.0,
                  size_bytes=100_000, decoded_to=5.96, finished=True)
EXAMPLE = REPO / "docs" / "examples" / "video"


class FakeProbe:
    """Stands in for probe_clip: counts the clips it is asked about, and says GOOD (or what
    `answer` says) after doing `meanwhile`."""

    def __init__(self, answer: Callable[[Path], Probed | None] | None = None,
                 meanwhile: Callable[[Path], None] | None = None) -> None:
        self.asked: list[str] = []
        self.answer = answer or (lambda path: Probed(GOOD, lasting=True))
        self.meanwhile = meanwhile
        self.lock = threading.Lock()

    def __call__(self, path: Path, open_limit: float = 0.0, decode_limit: float = 0.0,
                 until: float = math.inf) -> Probed | None:
        with self.lock:
            self.asked.append(path.name)
        if self.meanwhile is not None:
            self.meanwhile(path)
        return self.answer(path)


@pytest.fixture
def fake_probe(monkeypatch: pytest.MonkeyPatch) -> FakeProbe:
    fake = FakeProbe()
    monkeypatch.setattr(probe, "probe_clip", fake)
    return fake


@pytest.fixture(autouse=True)
def own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test its own cache folder, never the user's."""
    cache = tmp_path / "cache"
    monkeypatch.setenv("KIOSK_CACHE_DIR", str(cache))
    return cache


def clips_folder(root: Path, count: int = 3) -> Content:
    """Posters 1-clip.mp4 … N-clip.mp4, each larger than the one before (probed in order)."""
    return load_content(make_folder(root, images={
        f"posters/{n}-clip.mp4": MP4 + bytes(1000 * n) for n in range(1, count + 1)}))


def summary(problems: list[Problem]) -> set[tuple[str, str]]:
    return {(Path(p.path).name, p.code) for p in problems}


def test_a_second_check_of_the_same_folder_plays_no_clip_again(
        tmp_path: Path, fake_probe: FakeProbe) -> None:
    content = clips_folder(tmp_path / "c")
    first = clip_problems(content)
    assert sorted(fake_probe.asked) == ["1-clip.mp4", "2-clip.mp4", "3-clip.mp4"]
    second = clip_problems(load_content(content.root))
    assert len(fake_probe.asked) == 3  # nothing played again
    assert first == second == []


def test_the_publish_s_copy_of_a_folder_is_not_played_again(
        tmp_path: Path, fake_probe: FakeProbe) -> None:
    content = clips_folder(tmp_path / "incoming")
    clip_problems(content)
    shutil.copytree(content.root, tmp_path / "release")  # keeps the times, as rsync -a does
    clip_problems(load_content(tmp_path / "release"))
    assert len(fake_probe.asked) == 3


def test_a_changed_clip_is_played_again_and_only_it(tmp_path: Path, fake_probe: FakeProbe) -> None:
    content = clips_folder(tmp_path / "c")
    clip_problems(content)
    posters = content.root / "posters"
    # Same size, same time, other bytes (a file replaced keeping its time: cp -p, rsync).
    second = posters / "2-clip.mp4"
    times = (second.stat().st_atime_ns, second.stat().st_mtime_ns)
    second.write_bytes(MP4 + b"\x01" * 2000)
    os.utime(second, ns=times)
    (posters / "3-clip.mp4").write_bytes(MP4 + bytes(2500))  # another length
    fake_probe.asked.clear()
    clip_problems(load_content(content.root))
    assert sorted(fake_probe.asked) == ["2-clip.mp4", "3-clip.mp4"]
    fake_probe.asked.clear()
    clip_problems(load_content(content.root))
    assert fake_probe.asked == []


def test_the_file_s_own_verdict_is_kept_and_the_machine_s_is_not(
        tmp_path: Path, fake_probe: FakeProbe) -> None:
    broken = VideoFacts(error="moov atom not found")
    verdicts = {"1-clip.mp4": Probed(broken, lasting=True),  # the file is broken: for good
                "2-clip.mp4": Probed(VideoFacts(error="timeout"), lasting=False),
                "3-clip.mp4": Probed(GOOD, lasting=True)}
    fake_probe.answer = lambda path: verdicts[path.name]
    content = clips_folder(tmp_path / "c")
    assert summary(clip_problems(content)) == {("1-clip.mp4", "video_broken"),
                                               ("2-clip.mp4", "video_timeout")}
    fake_probe.asked.clear()
    again = clip_problems(load_content(content.root))
    assert fake_probe.asked == ["2-clip.mp4"]  # only the one the machine did not finish
    assert summary(again) == {("1-clip.mp4", "video_broken"), ("2-clip.mp4", "video_timeout")}


@pytest.mark.parametrize("cores", [2, 3])
def test_clips_are_played_one_a_core_at_a_time(
        tmp_path: Path, fake_probe: FakeProbe, monkeypatch: pytest.MonkeyPatch,
        cores: int) -> None:
    monkeypatch.setattr(os, "cpu_count", lambda: cores)
    together = threading.Barrier(cores, timeout=20)  # one by one, it would never fill
    running = [0, 0]  # now, most
    lock = threading.Lock()

    def meanwhile(path: Path) -> None:
        with lock:
            running[0] += 1
            running[1] = max(running)
        together.wait()
        with lock:
            running[0] -= 1

    fake_probe.meanwhile = meanwhile
    assert clip_problems(clips_folder(tmp_path / "c", count=2 * cores)) == []
    assert len(fake_probe.asked) == 2 * cores and running[1] == cores


def test_clips_whose_turn_does_not_come_within_the_budget_are_warnings_and_the_next_check_goes_on(
        tmp_path: Path, fake_probe: FakeProbe) -> None:
    now = [1000.0]
    fake_probe.meanwhile = lambda path: now.__setitem__(0, now[0] + 25.0)  # each takes 25 s
    content = clips_folder(tmp_path / "c", count=4)
    first = clip_problems(content, budget=60.0, workers=1, clock=lambda: now[0])
    # Started at 0, 25 and 50 s (10 s left): the fourth's turn comes at 75 s.
    assert fake_probe.asked == ["1-clip.mp4", "2-clip.mp4", "3-clip.mp4"]
    assert summary(first) == {("4-clip.mp4", "video_not_probed")}
    warning = first[0]
    assert not warning.is_error and not warning.is_consequence
    assert "не проверен" in warning.message("ru") and "60 с" in warning.message("ru")
    assert "4-clip.mp4" in warning.message("en") and "60 s" in warning.message("en")
    fake_probe.asked.clear()
    assert clip_problems(load_content(content.root), budget=60.0, workers=1,
                         clock=lambda: now[0]) == []
    assert fake_probe.asked == ["4-clip.mp4"]  # the rest were remembered


def test_a_clip_started_with_too_little_of_the_budget_left_is_not_started(
        tmp_path: Path, fake_probe: FakeProbe) -> None:
    now = [0.0]
    fake_probe.meanwhile = lambda path: now.__setitem__(0, now[0] + 58.5)
    found = clip_problems(clips_folder(tmp_path / "c", count=2), budget=60.0, workers=1,
                          clock=lambda: now[0])
    assert fake_probe.asked == ["1-clip.mp4"]
    assert summary(found) == {("2-clip.mp4", "video_not_probed")}


def test_a_damaged_cache_file_is_ignored_and_replaced(
        tmp_path: Path, fake_probe: FakeProbe, own_cache: Path) -> None:
    content = clips_folder(tmp_path / "c", count=2)
    own_cache.mkdir()
    (own_cache / "clips.json").write_bytes(b"\x00{{ not json")
    assert clip_problems(content) == []
    assert len(fake_probe.asked) == 2
    kept = json.loads((own_cache / "clips.json").read_text())
    assert len(kept["clips"]) == 2
    clip_problems(load_content(content.root))
    assert len(fake_probe.asked) == 2


# -- the real probe ---------------------------------------------------------------------------


@needs_libmpv
def test_a_probe_whose_budget_ends_before_the_clip_opens_is_not_a_verdict() -> None:
    clip = EXAMPLE / "2-birthday.mp4"
    assert probe_clip(clip, until=time.monotonic()) is None  # not probed: no error
    timed_out = probe_clip(clip, open_limit=0.0)  # its own limit: the clip's fault
    assert timed_out is not None and timed_out.facts.error == "timeout"
    assert not timed_out.lasting
    whole = probe_clip(clip)
    assert whole is not None and whole.lasting and whole.facts.finished


def check(root: Path, cache: Path) -> dict[str, object]:
    result = subprocess.run(
        [sys.executable, "-m", "kiosk", "check", str(root), "--format", "json"],
        capture_output=True, text=True, timeout=180,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen", "KIOSK_CACHE_DIR": str(cache)})
    assert result.returncode == 0, result.stdout + result.stderr
    found: dict[str, object] = json.loads(result.stdout)
    return found


@needs_libmpv
@pytest.mark.parametrize("screen", ["горизонтальный", "вертикальный"])
def test_the_example_clip_passes_the_check_in_a_content_folder(
        tmp_path: Path, own_cache: Path, screen: str) -> None:
    names = sorted(p.name for p in EXAMPLE.iterdir())
    assert names == ["2-birthday.mp4", "2-birthday.portrait.mp4", "2-birthday.yaml"]
    root = copy_bundled(tmp_path)
    for name in names:
        shutil.copy2(EXAMPLE / name, root / "posters" / name)
    settings = root / "kiosk.yaml"
    text = settings.read_text(encoding="utf-8")
    assert "screen: горизонтальный" in text
    settings.write_text(text.replace("screen: горизонтальный", f"screen: {screen}"),
                        encoding="utf-8")
    first = check(root, own_cache)
    assert (first["errors"], first["warnings"], first["problems"]) == (0, 0, [])
    assert first["posters"] == 2
    kept = json.loads((own_cache / "clips.json").read_text())["clips"]
    assert len(kept) == 2 and all(facts["finished"] for facts in kept.values())
    assert check(root, own_cache) == first  # the second from what the first found
