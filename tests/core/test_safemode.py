"""Crash-loop safe mode, decided from start markers with the time given by the test."""

from __future__ import annotations

import json
import logging
import os
import shutil
import stat
from pathlib import Path

import pytest

from kiosk.core.content.reload import fingerprint
from kiosk.core.service import safemode
from kiosk.core.service.safemode import CrashGuard
from kiosk.core.service.status import short_hash
from tests.core.test_symlinks import fifo_watch
from tests.helpers import copy_bundled


def guard(tmp_path: Path) -> CrashGuard:
    return CrashGuard(tmp_path / "state" / "starts.json", tmp_path / "state" / "last-good",
                      good_after=60, crash_limit=3)


def setup(tmp_path: Path) -> None:
    (tmp_path / "state").mkdir(exist_ok=True)


def test_three_quick_deaths_in_a_row_start_safe_mode(tmp_path: Path) -> None:
    setup(tmp_path)
    for attempt in range(3):
        decision = guard(tmp_path).start(1000.0 + attempt)  # dies: never marked
        assert not decision.safe_mode
        assert decision.crashes_in_a_row == attempt
    decision = guard(tmp_path).start(1010.0)
    assert decision.safe_mode and decision.crashes_in_a_row == 3
    assert decision.crashes_total == 3 and decision.restarts_total == 3
    assert "3 раза подряд" in decision.reason("ru")
    assert "Сохранённой копии содержимого нет" in decision.reason("ru")
    assert "3 times in a row" in decision.reason("en")


def test_good_runs_and_clean_exits_are_not_crashes(tmp_path: Path) -> None:
    setup(tmp_path)
    for _ in range(5):
        g = guard(tmp_path)
        g.start(0.0)
        assert not g.due(59.9)
        assert g.due(60.0)
        g.mark_good()
        assert not g.due(120.0)  # once
    for _ in range(5):  # staff restart it quickly, again and again: SIGTERM is clean
        g = guard(tmp_path)
        assert not g.start(0.0).safe_mode
        g.mark_clean_exit()
    decision = guard(tmp_path).start(0.0)
    assert not decision.safe_mode and decision.crashes_total == 0
    assert decision.restarts_total == 10


def test_a_good_run_ends_the_crash_streak(tmp_path: Path) -> None:
    setup(tmp_path)
    for _ in range(2):
        guard(tmp_path).start(0.0)
    g = guard(tmp_path)
    g.start(0.0)
    g.mark_good()
    for _ in range(3):  # the two deaths before the good run no longer count
        assert not guard(tmp_path).start(0.0).safe_mode
    # Safe mode lasts while it keeps crashing, and ends with the first good run.
    assert guard(tmp_path).start(0.0).safe_mode
    safe = guard(tmp_path)
    assert safe.start(0.0).safe_mode
    safe.mark_good()
    assert not guard(tmp_path).start(0.0).safe_mode


def test_clock_jumps_between_runs_change_nothing(tmp_path: Path) -> None:
    setup(tmp_path)
    for wall in (5e9, 1.0, 3e9):  # forward, back by decades, forward
        guard(tmp_path).start(wall)
    assert guard(tmp_path).start(-100.0).safe_mode


def test_a_damaged_marker_file_starts_a_new_record(tmp_path: Path) -> None:
    setup(tmp_path)
    (tmp_path / "state" / "starts.json").write_text("{not json", encoding="utf-8")
    decision = guard(tmp_path).start(0.0)
    assert not decision.safe_mode and decision.restarts_total == 0
    assert json.loads((tmp_path / "state" / "starts.json").read_text())["starts_total"] == 1


def test_an_unwritable_state_folder_never_raises(tmp_path: Path) -> None:
    (tmp_path / "state").write_text("a file, not a folder")
    g = guard(tmp_path)
    assert not g.start(0.0).safe_mode
    g.mark_good()
    g.mark_clean_exit()


def test_the_last_content_that_worked_is_copied_and_used_in_safe_mode(tmp_path: Path) -> None:
    setup(tmp_path)
    content = copy_bundled(tmp_path)
    g = guard(tmp_path)
    g.start(0.0)
    g.mark_good()
    good = short_hash(fingerprint(content))
    assert g.save_snapshot(content, good, 1234.0)
    assert not g.save_snapshot(content, good, 1235.0)  # the same content: no second copy
    # Then staff publish content that crashes the kiosk at every start.
    (content / "stories" / "umbrella.md").write_text("crashes the kiosk", encoding="utf-8")
    for _ in range(3):
        guard(tmp_path).start(0.0)
    decision = guard(tmp_path).start(0.0)
    assert decision.safe_mode and decision.snapshot == tmp_path / "state" / "last-good"
    assert "Зонтик" in (decision.snapshot / "stories" / "umbrella.md").read_text("utf-8")
    assert "последнее работавшее содержимое (content)" in decision.reason("ru")


def test_a_folder_changing_during_the_copy_is_not_kept(tmp_path: Path) -> None:
    setup(tmp_path)
    content = copy_bundled(tmp_path)
    g = guard(tmp_path)
    g.start(0.0)
    stale = short_hash(fingerprint(content))
    (content / "stories" / "new.md").write_text("---\ntitle: Новая\n---\nТекст.\n", "utf-8")
    assert not g.save_snapshot(content, stale, 0.0)
    assert g.snapshot() is None
    assert not (tmp_path / "state" / "last-good.new").exists()


def test_a_swap_interrupted_by_a_crash_is_repaired(tmp_path: Path) -> None:
    setup(tmp_path)
    content = copy_bundled(tmp_path)
    g = guard(tmp_path)
    g.start(0.0)
    assert g.save_snapshot(content, short_hash(fingerprint(content)), 0.0)
    # A crash between the two renames: the old copy is only under its temporary name.
    shutil.move(tmp_path / "state" / "last-good", tmp_path / "state" / "last-good.old")
    again = guard(tmp_path)
    again.start(0.0)
    assert again.snapshot() == tmp_path / "state" / "last-good"
    assert (tmp_path / "state" / "last-good" / "kiosk.yaml").exists()


# -- the copy: the folder's own files only, and bounded ---------------------------------------


def _files_in(folder: Path) -> dict[str, int]:
    return {str(path.relative_to(folder)): path.lstat().st_size
            for path in folder.rglob("*") if path.is_file() or path.is_symlink()}


def test_the_copy_follows_no_link_and_opens_no_fifo(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(safemode, "MAX_SNAPSHOT_BYTES", 2 << 20)
    setup(tmp_path)
    content = copy_bundled(tmp_path)
    own = _files_in(content)
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "big.bin").write_bytes(b"x" * (3 << 20))  # over the cap on its own
    (content / "images" / "big").symlink_to(outside)  # a «30-byte» folder
    (content / "stories" / "big.md").symlink_to(outside / "big.bin")
    (content / "loop").symlink_to(".")  # copied 40 levels deep before
    os.mkfifo(content / "stories" / "pipe.md")
    g = guard(tmp_path)
    g.start(0.0)
    with fifo_watch(content / "stories" / "pipe.md") as opened:
        assert g.save_snapshot(content, short_hash(fingerprint(content)), 0.0)
    assert opened == []
    copy = tmp_path / "state" / "last-good"
    assert _files_in(copy) == own  # the same files, byte for byte in size; no link, no FIFO
    assert (copy / "kiosk.yaml").read_bytes() == (content / "kiosk.yaml").read_bytes()
    modes = {stat.S_IMODE(p.stat().st_mode) for p in [copy, *copy.rglob("*")]
             if p.is_dir()}
    assert modes == {0o700}
    assert {stat.S_IMODE(p.stat().st_mode) for p in copy.rglob("*") if p.is_file()} == {0o600}


def test_a_folder_over_the_cap_is_given_up_once_not_every_tick(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setattr(safemode, "MAX_SNAPSHOT_BYTES", 200 * 1024)  # the bundled is bigger
    setup(tmp_path)
    content = copy_bundled(tmp_path)
    g = guard(tmp_path)
    g.start(0.0)
    expected = short_hash(fingerprint(content))
    with caplog.at_level(logging.WARNING, "kiosk.core.service.safemode"):
        for _ in range(5):  # five status ticks, 30 s apart
            assert not g.save_snapshot(content, expected, 0.0)
    assert len(caplog.records) == 1
    assert "no safe-mode copy of it is kept" in caplog.records[0].getMessage()
    assert g.snapshot() is None
    assert not (tmp_path / "state" / "last-good.new").exists()  # nothing half-copied left
    # New content is worth a new try.
    (content / "stories" / "umbrella.md").unlink()
    with caplog.at_level(logging.WARNING, "kiosk.core.service.safemode"):
        assert not g.save_snapshot(content, short_hash(fingerprint(content)), 0.0)
    assert len(caplog.records) == 2


def test_a_copy_that_failed_is_tried_again_after_a_growing_pause(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    setup(tmp_path)
    content = copy_bundled(tmp_path)
    now = [0.0]
    g = CrashGuard(tmp_path / "state" / "starts.json", tmp_path / "state" / "last-good",
                   clock=lambda: now[0])
    g.start(0.0)
    expected = short_hash(fingerprint(content))
    obstacle = tmp_path / "state" / "last-good.new"
    obstacle.write_text("a file where the copy is made: every copy fails")
    tried_at = []
    for tick in range(0, 400, 30):  # the status timer asks every 30 s
        now[0] = float(tick)
        with caplog.at_level(logging.ERROR, "kiosk.core.service.safemode"):
            before = len(caplog.records)
            assert not g.save_snapshot(content, expected, 0.0)
            if len(caplog.records) > before:
                tried_at.append(tick)
    assert tried_at == [0, 60, 180]  # then 60 s, then 120 s, then 240 s later (at 420)
    obstacle.unlink()
    now[0] = 420.0
    assert g.save_snapshot(content, expected, 0.0)
