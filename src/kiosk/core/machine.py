"""Settings of this computer, apart from the content folder head office copies to every centre.

Head office copies the content folder to each centre with `rsync --delete`: whatever a centre
wrote into the content's kiosk.yaml (its queue's address, its hours) is gone at the next copy.
What belongs to one machine or one centre lives beside it instead, read in this order, each
later file winning:

1. the content's `kiosk.yaml` (the same in every centre);
2. `/etc/kiosk/kiosk.yaml`, this computer's (root's; the Debian package ships it all comments);
3. `$XDG_CONFIG_HOME/kiosk/kiosk.yaml` (by default `~/.config/kiosk/kiosk.yaml`), the user's.

The rule: a top-level key set in a later file replaces the earlier file's whole value — a
`queue:` or an `opening_hours:` block is taken whole, never mixed with the content's, so a centre
never runs half of head office's queue and half of its own. Each value is checked as in the
content's kiosk.yaml; a single value with a mistake falls back to the value it would have
without this file, a block never does: opening hours are read as in kiosk.yaml (a day not
understood is on round the clock), a queue block keeps its own source (a bad value in it takes
its default) or is off. Keys about the content itself
(kiosk.core.settings.CONTENT_ONLY_KEYS) are ignored here with a warning. A file that cannot be
read at all leaves the content's settings as they are.

These files are not content: they are read here, in the kiosk's own process, with the same
bounded YAML reading (no FIFO waited on, a size cap, no aliases, a depth limit), and they may be
links (configuration management often puts one there).
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from kiosk.core import hashes
from kiosk.core.content.problems import Problem, ProblemLog, cap_problems
from kiosk.core.content.yamlsrc import LineDict, NotRegularFile, parse_yaml, read_at_most
from kiosk.core.settings import Settings, SettingsFile, parse_settings

MACHINE_FILE = Path("/etc/kiosk/kiosk.yaml")
# Instead of /etc/kiosk/kiosk.yaml and of the user's file: a path, or empty for none.
MACHINE_ENV = "KIOSK_MACHINE_SETTINGS"
USER_ENV = "KIOSK_USER_SETTINGS"
# A settings file is a few dozen lines: the example with all its comments is about 5 KB.
MAX_MACHINE_BYTES = 64 * 1024


@dataclass(frozen=True)
class SettingsPath:
    """A settings file of this computer, read over the content's kiosk.yaml."""

    path: Path
    named: bool = True  # named by --settings or an environment variable: missing is worth a word


def settings_paths(environ: Mapping[str, str], home: Path | None,
                   named: Sequence[Path] | None = None) -> tuple[SettingsPath, ...]:
    """The files of this computer to read, in order. `named` (`--settings`, given once or more):
    exactly these. Otherwise /etc/kiosk/kiosk.yaml, or $KIOSK_MACHINE_SETTINGS, then the user's
    file, or $KIOSK_USER_SETTINGS (either variable set but empty: no such file)."""
    if named:
        return tuple(SettingsPath(path) for path in named)
    found: list[SettingsPath] = []
    machine = environ.get(MACHINE_ENV)
    if machine is None:
        found.append(SettingsPath(MACHINE_FILE, named=False))
    elif machine:
        found.append(SettingsPath(Path(machine)))
    user = environ.get(USER_ENV)
    if user:
        found.append(SettingsPath(Path(user)))
    elif user is None:
        config = environ.get("XDG_CONFIG_HOME", "")
        # The XDG rule: a relative XDG_CONFIG_HOME is to be ignored.
        base = Path(config) if os.path.isabs(config) else \
            home / ".config" if home is not None else None
        if base is not None:
            found.append(SettingsPath(base / "kiosk" / "kiosk.yaml", named=False))
    return tuple(found)


def default_settings_paths(named: Sequence[Path] | None = None) -> tuple[SettingsPath, ...]:
    """settings_paths() for this process: its environment and home folder."""
    try:
        home: Path | None = Path.home()
    except (RuntimeError, KeyError):  # a system user with no home and no HOME
        home = None
    return settings_paths(os.environ, home, named)


def read_settings_file(where: SettingsPath, problems: list[Problem]) -> tuple[Any, str]:
    """The parsed YAML of one file of this computer and its state: "read", "missing" or
    "broken" (not read as a whole; the problems say why)."""
    log = ProblemLog(str(where.path), problems)
    try:
        # Followed to the file itself: read_at_most opens no link.
        raw, size = read_at_most(os.path.realpath(where.path), MAX_MACHINE_BYTES)
    except FileNotFoundError:
        if where.named:
            log.warning("machine_settings_missing")
        return None, "missing"
    except NotRegularFile:
        log.error("machine_settings_not_file")
        return None, "broken"
    except PermissionError as exc:
        if not where.named and not _can_look_at(where.path):
            # Its folder is closed to the kiosk (a home under systemd's ProtectHome=): the
            # user's file cannot be there for it. A file it may not read is an error.
            return None, "missing"
        log.error("machine_settings_unreadable", detail=exc.strerror or str(exc))
        return None, "broken"
    except OSError as exc:
        log.error("machine_settings_unreadable", detail=exc.strerror or str(exc))
        return None, "broken"
    if len(raw) > MAX_MACHINE_BYTES:
        log.error("machine_settings_too_large", size=str(-(-max(size, len(raw)) // 1024)),
                  most=str(MAX_MACHINE_BYTES // 1024))
        return None, "broken"
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        log.error("not_utf8", raw[: exc.start].count(b"\n") + 1)
        return None, "broken"
    data = parse_yaml(text.removeprefix("\ufeff"), log)
    if log.errors or (data is not None and not isinstance(data, LineDict)):
        return data, "broken"  # a YAML mistake; or not «key: value» lines (parse_settings says)
    return data, "read"


def _can_look_at(path: Path) -> bool:
    try:
        os.stat(path)
    except PermissionError:
        return False
    except OSError:
        pass
    return True


def with_machine_settings(settings: Settings, paths: Sequence[SettingsPath],
                          problems: list[Problem]) -> Settings:
    """`settings` (the content's) with the files of this computer laid over them in order;
    each file's problems go to `problems`, under its own path."""
    files: list[SettingsFile] = []
    for where in paths:
        before = len(problems)
        data, state = read_settings_file(where, problems)
        if data is not None:
            settings = parse_settings(data, ProblemLog(str(where.path), problems), settings,
                                      machine=True)
        problems[before:] = cap_problems(problems[before:])
        files.append(SettingsFile(str(where.path), state))
    return replace(settings, files=tuple(files))


def files_stamp(paths: Sequence[SettingsPath]) -> str:
    """What the files of this computer are now (size, times, inode of each, the links
    followed), for the reloader: a change of one is followed like a change of the content."""
    digest = hashes.blake2b(digest_size=16)
    for where in paths:
        try:
            info = os.stat(where.path)
            digest.update(f"{where.path}\0{info.st_size}\0{info.st_mtime_ns}\0{info.st_ctime_ns}"
                          f"\0{info.st_ino}\n".encode("utf-8", "surrogateescape"))
        except OSError as exc:
            digest.update(f"{where.path}\0{exc.errno}\n".encode("utf-8", "surrogateescape"))
    return digest.hexdigest()
