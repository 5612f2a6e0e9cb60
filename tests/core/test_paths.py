"""Where the kiosk keeps its state."""

from __future__ import annotations

from pathlib import Path

from kiosk.core.paths import pin_file, state_dir


def test_state_dir_resolution() -> None:
    assert state_dir("/srv/kiosk-state", {"KIOSK_STATE_DIR": "/x"}) == Path("/srv/kiosk-state")
    assert state_dir(None, {"KIOSK_STATE_DIR": "/x", "XDG_STATE_HOME": "/y"}) == Path("/x")
    assert state_dir(None, {"XDG_STATE_HOME": "/y", "HOME": "/h"}) == Path("/y/kiosk")
    # A relative XDG_STATE_HOME is invalid by the spec and ignored.
    assert state_dir(None, {"XDG_STATE_HOME": "rel", "HOME": "/h"}) == Path(
        "/h/.local/state/kiosk")
    assert pin_file(Path("/h/.local/state/kiosk")) == Path("/h/.local/state/kiosk/pin")
