"""Where the kiosk keeps what it writes: one state folder for statistics, logs, the status
file, start markers, the last content that worked and the staff PIN.

One folder, so backing up, inspecting or wiping a kiosk's state is one path. Resolution order:
`--state-dir`, then `$KIOSK_STATE_DIR`, then `$XDG_STATE_HOME/kiosk`, then
`~/.local/state/kiosk` (the XDG default, which is what systemd's `StateDirectory=` would give a
user unit too).

What the kiosk writes is private to its user (folders 0700, files 0600), whoever made the
folder first: logs name tickets and problems, statistics say when the centre is busy, and the
PIN's hash is there. A folder or file of ours that others can read is made private again.
"""

from __future__ import annotations

import functools
import logging
import os
import stat
from collections.abc import Mapping
from pathlib import Path

log = logging.getLogger(__name__)

STATS_DB = "stats.sqlite3"
LOG_DIR = "logs"
STATUS_FILE = "kiosk.prom"  # node_exporter's textfile collector reads only *.prom
STARTS_FILE = "starts.json"
LAST_GOOD_CONTENT = "last-good-content"
PIN_FILE = "pin"
PREPARED_PICTURES = "colouring-prepared"
CONTENT_ENV = "KIOSK_CONTENT"


@functools.cache
def package_folder(name: str) -> Path:
    """A folder shipped inside the kiosk package: "assets" (fonts, icons, illustrations) or
    "content" (the bundled example content), wherever and however the kiosk is installed.
    The wheel and the sdist carry both as package data; in the repository src/kiosk/assets and
    src/kiosk/content are links to its assets/ and content/, which an editable install reads."""
    # The package's own folder, as importlib.resources.files("kiosk") gives it for a package
    # installed as files (whose import, with tempfile, shutil, bz2 and lzma, cost the start
    # ~3 ms for this one path).
    package = Path(__file__).parent.parent  # kiosk/core/paths.py
    if not package.is_dir():  # imported from a zip: Qt and the loader need real files
        raise RuntimeError(f"the kiosk package must be installed as files, not {package}")
    return (package / name).resolve()


def cache_dir(env: Mapping[str, str] | None = None) -> Path:
    """The user's cache folder for the kiosk (kiosk.core.content.index's, the clip and drawing
    checks'): $KIOSK_CACHE_DIR, else $XDG_CACHE_HOME/kiosk, else ~/.cache/kiosk."""
    env = os.environ if env is None else env
    return Path(env.get("KIOSK_CACHE_DIR") or os.path.join(
        env.get("XDG_CACHE_HOME") or os.path.join(env.get("HOME", "/tmp"), ".cache"), "kiosk"))


def default_content(env: Mapping[str, str] | None = None) -> Path:
    """The content `kiosk run`, `check` and `preview` use when none is named: $KIOSK_CONTENT,
    else the content shipped with the kiosk (so an installed `kiosk check` works anywhere)."""
    env = os.environ if env is None else env
    if env.get(CONTENT_ENV):
        return Path(env[CONTENT_ENV]).expanduser()
    return package_folder("content")


CENTRE_ENV = "KIOSK_CENTRE_CONTENT"


def default_centre(env: Mapping[str, str] | None = None) -> Path | None:
    """The centre's own folder (kiosk.core.content.merge) when none is named: $KIOSK_CENTRE_CONTENT,
    else none (head office's content alone)."""
    env = os.environ if env is None else env
    return Path(env[CENTRE_ENV]).expanduser() if env.get(CENTRE_ENV) else None


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
        private_dir(path)
        return path.is_dir()
    except OSError as exc:
        log.error("state folder %s cannot be created: %s", path, exc)
        return False


def private_dir(path: Path) -> None:
    """Make the folder `path` (and its parents) if missing, and private (0700) either way: an
    installer, systemd or an earlier version may have made it readable by all. Raises
    OSError if it cannot be made."""
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    _make_private(path)


def private_file(path: Path) -> None:
    """Make the file `path` if missing (empty), and private (0600) either way: SQLite and
    logging create files readable by all under the usual umask. Raises OSError."""
    # Not following a link, and never waiting on a FIFO put in its place.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC,
                 0o600)
    os.close(fd)
    _make_private(path)


def private_database(path: Path) -> None:
    """`private_file` for an SQLite file, and its -wal and -shm files if an earlier version
    left them readable (SQLite makes new ones with the mode of the database)."""
    private_file(path)
    for suffix in ("-wal", "-shm"):
        extra = path.with_name(path.name + suffix)
        if os.path.isfile(extra):
            _make_private(extra)


def _make_private(path: Path) -> None:
    """Take group and other permissions away from `path` if it is ours; if it is not, say so
    (the kiosk can do nothing about it, the administrator can)."""
    info = os.stat(path)
    if not stat.S_IMODE(info.st_mode) & 0o077:
        return
    if info.st_uid != os.geteuid():
        log.warning("%s can be read by other users and is not the kiosk's to change: "
                    "chmod go-rwx it", path)
        return
    os.chmod(path, stat.S_IMODE(info.st_mode) & 0o700)


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


def prepared_pictures(state: Path) -> Path:
    """Colouring pictures prepared ahead (kiosk.core.colouring.prepared_store): made again if
    wiped."""
    return state / PREPARED_PICTURES
