"""Where the kiosk keeps what it writes: one state folder for statistics, logs, the status
file, start markers, the last content that worked and the staff PIN.

One folder, so backing up, inspecting or wiping a kiosk's state is one path. Resolution order:
`--state-dir`, then `$KIOSK_STATE_DIR`, then `$XDG_STATE_HOME/kiosk`, then
`~/.local/state/kiosk` (the XDG default, which is what systemd's `StateDirectory=` would give a
user unit too).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from pathlib import Path

log = logging.getLogger(__name__)

STATS_DB = "stats.sqlite3"
LOG_DIR = "logs"
STATUS_FILE = "kiosk.prom"  # node_exporter's textfile collector reads only *.prom
STARTS_FILE = "starts.json"
LAST_GOOD_CONTENT = "last-good-content"
PIN_FILE = "pin"


def state_dir(explicit: str | os.PathLike[str] | None = None,
              env: Mapping[str, str] | None = None) -> Path:
    """The state folder (not created: see `ensure_state_dir`)."""
    env = os.environ if env is None else env
    if explicit:
        return Path(explicit).expanduser()
    if env.get("KIOSK_STATE_DIR"):
        return Path(env["KIOSK_STATE_DIR"]).expanduser()
    # XDG: a relative $XDG_STATE_HOME is invalid and must be ignored.
    xdg = env.get("XDG_STATE_HOME", "")
    if xdg and os.path.isabs(xdg):
        return Path(xdg) / "kiosk"
    home = env.get("HOME") or str(Path.home())
    return Path(home) / ".local" / "state" / "kiosk"


def ensure_state_dir(path: Path) -> bool:
    """Create the folder (private to the kiosk user). False, logged, when it cannot be made:
    the kiosk then runs without statistics, file logs and markers, but it runs."""
    try:
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
        return path.is_dir()
    except OSError as exc:
        log.error("state folder %s cannot be created: %s", path, exc)
        return False


def stats_db(state: Path) -> Path:
    return state / STATS_DB


def log_dir(state: Path) -> Path:
    return state / LOG_DIR


def status_file(state: Path) -> Path:
    return state / STATUS_FILE


def starts_file(state: Path) -> Path:
    return state / STARTS_FILE


def last_good_content(state: Path) -> Path:
    return state / LAST_GOOD_CONTENT


def pin_file(state: Path) -> Path:
    """The staff PIN's salted hash (written by `kiosk set-pin`)."""
    return state / PIN_FILE
