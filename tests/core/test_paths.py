"""Where the kiosk keeps its state."""

from __future__ import annotations

import datetime as dt
import io
import logging
import os
import stat
from pathlib import Path

from kiosk.core.paths import ensure_state_dir, log_dir, pin_file, state_dir, stats_db
from kiosk.core.service.logsetup import setup_logging
from kiosk.core.service.stats import Event, StatsStore


def test_state_dir_resolution() -> None:
    assert state_dir("/srv/kiosk-state", {"KIOSK_STATE_DIR": "/x"}) == Path("/srv/kiosk-state")
    assert state_dir(None, {"KIOSK_STATE_DIR": "/x", "XDG_STATE_HOME": "/y"}) == Path("/x")
    assert state_dir(None, {"XDG_STATE_HOME": "/y", "HOME": "/h"}) == Path("/y/kiosk")
    # A relative XDG_STATE_HOME is invalid by the spec and ignored.
    assert state_dir(None, {"XDG_STATE_HOME": "rel", "HOME": "/h"}) == Path(
        "/h/.local/state/kiosk")
    assert pin_file(Path("/h/.local/state/kiosk")) == Path("/h/.local/state/kiosk/pin")


def test_state_logs_and_statistics_are_private_whoever_made_the_folder(tmp_path: Path) -> None:
    # An installer (or systemd, or an earlier version) made the folders readable by all.
    state = tmp_path / "state"
    (state / "logs").mkdir(parents=True, mode=0o755)
    for folder in (state, state / "logs"):
        os.chmod(folder, 0o755)
    (state / "logs" / "kiosk.log").write_text("an old line naming a ticket\n")
    os.chmod(state / "logs" / "kiosk.log", 0o644)
    assert ensure_state_dir(state)
    logs = setup_logging(log_dir(state), stderr=io.StringIO())
    try:
        logging.getLogger("kiosk.test").warning("a line")
    finally:
        logs.close()
    store = StatsStore(stats_db(state))
    assert store.record(Event.MENU_OPEN, dt.datetime(2026, 11, 27, 10, 0))
    store.close()
    assert mode(state) == mode(state / "logs") == 0o700
    files = [p for p in state.rglob("*") if p.is_file()]
    assert {p.name for p in files} >= {"kiosk.log", "stats.sqlite3"}
    assert {p.name: mode(p) for p in files} == {p.name: 0o600 for p in files}
    # A folder made afresh is private too.
    fresh = tmp_path / "fresh" / "state"
    assert ensure_state_dir(fresh)
    assert mode(fresh) == 0o700


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)
