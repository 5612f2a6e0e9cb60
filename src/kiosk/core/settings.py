"""`kiosk.yaml`: every setting has a default and a range; whatever staff type, the kiosk runs."""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from kiosk.core.content.problems import (
    LANGUAGES,
    Language,
    ProblemLog,
    clean_shown,
    shows_anything,
    typed,
)
from kiosk.core.content.yamlsrc import LineDict
from kiosk.core.lazyre import LazyPattern

if TYPE_CHECKING:  # kiosk.core.schedules.opening imports this module (suggest): imported where used
    from kiosk.core.schedules.opening import DayRange, Hours, OpeningHours

# The origin (Settings.origins) of a value given on the command line rather than in a file.
LANG_OPTION = "--lang"


@dataclass(frozen=True)
class QueueSettings:
    """The `queue:` block: where the electronic queue publishes its calls (docs/queue.md)."""

    source: str  # an http(s) address, or a file path (relative: in the content folder)
    format: str = "json"  # an adapter name (kiosk.core.queue)
    poll_seconds: float = 1.0
    timeout_seconds: float = 3.0
    banner_seconds: float = 10.0
    sound: bool = False
    recent_calls: int = 3
    source_line: int | None = field(default=None, compare=False)  # in kiosk.yaml, for messages

    @property
    def is_url(self) -> bool:
        return self.source.lower().startswith(("http://", "https://"))

    def file_path(self, root: Path) -> Path:
        """The queue file: a relative path is in the content folder."""
        return Path(self.source) if self.source.startswith("/") else root / self.source


@dataclass(frozen=True)
class SettingsFile:
    """A settings file of this computer (kiosk.core.machine), as it was found."""

    path: str
    state: str  # "read"; "missing": not there; "broken": not read as a whole (see its problems)


@dataclass(frozen=True)
class Settings:
    """kiosk.yaml as read, over the defaults (and this computer's settings files)."""

    centre_name: str = "Мои Документы"
    centre_name_en: str = "My Documents"
    default_language: Language = "ru"
    slide_seconds: float = 9.0
    transition: str = "crossfade"
    # The kiosk's screen, for `kiosk check`: a poster of the other shape is worth a warning.
    screen: str = "landscape"
    transition_ms: int = 700
    idle_seconds: float = 90.0
    # WCAG 2.2 SC 2.2.1: at least 20 s to answer a time-out's warning (a slow reader takes
    # 7 s for its twelve words at 100 a minute, then a shaky hand aims at «Я здесь»).
    warning_seconds: float = 20.0
    attract_anniversary: bool = True
    attract_stories: int = 6
    attract_colouring_invite: bool = True
    attract_calm_invite: bool = True
    # A gap this wide (pixels on a 1080-pixel screen) in a colouring picture's line is closed.
    colouring_gap_px: float = 8.0
    timezone: str = "Europe/Moscow"  # the centre's: schedules are in its wall-clock time
    # Tag vocabulary for the chips on the stories screen: Russian name -> English name.
    tags: Mapping[str, str] = field(default_factory=dict)
    queue: QueueSettings | None = None  # None: the kiosk does not follow a queue
    # When the centre is open (kiosk.core.schedules.opening): Monday … Sunday; None: round the
    # clock.
    opening_hours: tuple[Hours, ...] | None = None
    closed_days: tuple[DayRange, ...] = ()
    open_days: tuple[tuple[DayRange, Hours], ...] = ()  # other hours than usual on these days
    # Where each top-level key's value came from: key -> the file (the content's kiosk.yaml or
    # a file of this computer); a key not here has its default. Not in repr: the parse cache
    # is keyed on repr(settings), and a value moved to another file is the same value.
    origins: Mapping[str, str] = field(default_factory=dict, repr=False)
    # The files of this computer that were looked for, in order (kiosk.core.machine).
    files: tuple[SettingsFile, ...] = field(default=(), repr=False)

    def keys_from(self, path: str) -> tuple[str, ...]:
        """The top-level keys whose values came from the file `path`."""
        return tuple(key for key, origin in self.origins.items() if origin == path)

    def with_language(self, lang: Language | None) -> Settings:
        """With `kiosk run --lang`: its language is the default, whatever the files say, and
        its origin is the option (LANG_OPTION), not the file it replaced."""
        if lang is None:
            return self
        return replace(self, default_language=lang,
                       origins={**self.origins, "default_language": LANG_OPTION})

    @property
    def opening(self) -> OpeningHours:
        from kiosk.core.schedules.opening import OpeningHours
        return OpeningHours(self.opening_hours, self.closed_days, self.open_days)

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def local_time(self, utc: dt.datetime) -> dt.datetime:
        """The centre's wall-clock time at an aware moment."""
        return utc.astimezone(self.zone)

    def centre(self, lang: Language) -> str:
        return self.centre_name_en if lang == "en" and self.centre_name_en else self.centre_name


TRANSITIONS = ("crossfade", "slide")
ATTRACT_KEYS = {"anniversary": "attract_anniversary", "stories": "attract_stories",
                "colouring_invite": "attract_colouring_invite",
                "calm_invite": "attract_calm_invite"}


@dataclass(frozen=True)
class _Number:
    """The range a number setting must be in, and whether it must be whole."""

    low: float
    high: float
    integer: bool = False


# key in kiosk.yaml -> attribute and rule. Ranges are what a waiting room can live with.
_NUMBERS: dict[str, _Number] = {
    "slide_seconds": _Number(3, 120),
    "transition_ms": _Number(150, 2000, integer=True),
    "idle_seconds": _Number(20, 900),
    "warning_seconds": _Number(20, 120),
    "attract_stories": _Number(0, 50, integer=True),
    "colouring_gap_px": _Number(0, 32),
}
SCREENS = ("landscape", "portrait")
# The same choices as staff say them in Russian.
CHOICE_ALIASES = {"горизонтальный": "landscape", "вертикальный": "portrait"}
_CHOICES: dict[str, tuple[str, ...]] = {"default_language": LANGUAGES, "transition": TRANSITIONS,
                                        "screen": SCREENS}
_TEXTS = ("centre_name", "centre_name_en")
_FLAGS = ("attract_anniversary", "attract_colouring_invite", "attract_calm_invite")
TOP_LEVEL_KEYS = (*_TEXTS, "default_language", "slide_seconds", "transition", "transition_ms",
                  "idle_seconds", "warning_seconds", "attract", "tags", "colouring_gap_px",
                  "screen", "timezone", "queue", "opening_hours", "closed_days", "open_days")
# Keys about the content and how it is shown, the same in every centre: a file of this
# computer may not set them (kiosk.core.machine). The others — the centre's name, language,
# screen, time zone, queue, hours and idle times — may differ from one machine to the next.
CONTENT_ONLY_KEYS = ("attract", "tags", "slide_seconds", "transition", "transition_ms",
                     "colouring_gap_px")

# The queue block: key -> rule. A second is as fast as a queue display needs; a minute is the
# slowest that is still of use to a visitor.
_QUEUE_NUMBERS: dict[str, _Number] = {
    "poll_seconds": _Number(0.5, 60),
    "timeout_seconds": _Number(1, 30),
    "banner_seconds": _Number(3, 120),
    "recent_calls": _Number(0, 10, integer=True),
}
QUEUE_KEYS = ("source", "format", *_QUEUE_NUMBERS, "sound")


YES_WORDS = ("да", "yes", "true", "on")
NO_WORDS = ("нет", "no", "false", "off")


def as_flag(value: Any) -> bool | None:
    """true/false as YAML reads it, and also «да»/«нет» as staff write it; None otherwise."""
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in YES_WORDS:
        return True
    if text in NO_WORDS:
        return False
    return None


def as_number(value: Any) -> float | None:
    """A number, also when typed in quotes («"9"») or with a decimal comma («2,5»); None for
    anything else, «.nan» and «.inf» too (a NaN duration flashed a slide for 50 ms), and a
    whole number too big for a float (which raised)."""
    if isinstance(value, bool):
        return None
    try:
        number = float(value) if isinstance(value, int | float) \
            else float(str(value).strip().replace(",", "."))
    except (ValueError, OverflowError):
        return None
    return number if math.isfinite(number) else None


def suggest(key: str, known: tuple[str, ...] | list[str]) -> str:
    """The nearest known name to a mistyped one, or '' when nothing is close."""
    if len(key) > 64:  # no typo of a known name; and the cache below would keep it
        return ""
    return _nearest(key, tuple(known))


@functools.lru_cache(maxsize=4096)
def _nearest(key: str, known: tuple[str, ...]) -> str:
    # Cached: a folder of 37,000 stories repeats the same unknown tag thousands of times.
    import difflib  # here: only a mistake gets this far (the kiosk's start need not import it)

    matches = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
    return matches[0] if matches else ""


def _format_number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def parse_settings(data: Any, log: ProblemLog, base: Settings | None = None,
                   machine: bool = False) -> Settings:
    """Build Settings from parsed kiosk.yaml, logging (and replacing) every bad value.

    With a `base` (the settings so far: the content's), `data` is laid over it: each top-level
    key it sets replaces the base's whole value, and a value it gets wrong falls back to the
    base's. With `machine`, `data` is a file of this computer (kiosk.core.machine): keys of
    CONTENT_ONLY_KEYS are ignored, with a warning, and a queue file needs a full path."""
    defaults = Settings() if base is None else base
    if data is None:
        return defaults
    if not isinstance(data, LineDict):
        log.error("not_a_mapping", 1, found=type(data).__name__)
        return defaults
    values: dict[str, Any] = {}
    lines: dict[str, int | None] = {}
    keys: dict[str, str] = {}  # attribute -> the top-level key it was given under
    for key, value in data.items():
        line = data.line_of(key)
        if machine and key in CONTENT_ONLY_KEYS:
            log.warning("content_only_key", line, key=key)
            continue
        keys.update({attr: key for attr in ATTRACT_KEYS.values()} if key == "attract"
                    else {key: key})
        if key == "attract" and isinstance(value, LineDict):
            for sub, sub_value in value.items():
                attr = ATTRACT_KEYS.get(sub)
                if attr is None:
                    log.warning("unknown_key", value.line_of(sub), key=f"attract.{sub}",
                                suggest=suggest(sub, list(ATTRACT_KEYS))
                                if log.shows_next("unknown_key") else "")
                    continue
                values[attr] = sub_value
                lines[attr] = value.line_of(sub)
        elif key == "attract":
            log.error("wrong_type", line, key=key, expected="mapping",
                      value=typed(value), default="nothing")
        elif key in ("queue", "opening_hours", "closed_days", "open_days"):
            values[key] = data.raw_text.get(key, value) if key == "opening_hours" \
                and not isinstance(value, LineDict) else value
            lines[key] = line
        elif key in TOP_LEVEL_KEYS:
            # Names are kept as typed: YAML would turn «12:30» into 750 and «yes» into True.
            values[key] = data.raw_text.get(key, value) if key in _TEXTS else value
            lines[key] = line
        else:
            log.warning("unknown_key", line, key=key, suggest=suggest(key, TOP_LEVEL_KEYS)
                        if log.shows_next("unknown_key") else "")

    checked: dict[str, Any] = {}
    origins = dict(defaults.origins)
    for attr, value in values.items():
        default = getattr(defaults, attr)
        line = lines[attr]
        name = _display_key(attr)
        check = _machine_queue if machine and attr == "queue" else _checker(attr)
        errors = log.errors
        checked[attr] = check(name, value, default, line, log)
        # A value refused for the one before it (a number that is not one) did not come from
        # here; a queue block turned off by its mistake did.
        if log.errors == errors or checked[attr] != default:
            origins[keys[attr]] = log.path
    known = {f.name for f in fields(Settings)}
    return replace(defaults, origins=origins,
                   **{k: v for k, v in checked.items() if k in known})


def _display_key(attr: str) -> str:
    for sub, target in ATTRACT_KEYS.items():
        if target == attr:
            return f"attract.{sub}"
    return attr


Checker = Callable[[str, Any, Any, int | None, ProblemLog], Any]


def _checker(attr: str) -> Checker:
    if attr in _NUMBERS:
        return lambda name, value, default, line, log: _check_number(
            _NUMBERS[attr], name, value, default, line, log)
    if attr in _CHOICES:
        return lambda name, value, default, line, log: _check_choice(
            _CHOICES[attr], name, value, default, line, log)
    if attr in _FLAGS:
        return _check_flag
    if attr == "tags":
        return _check_tags
    if attr == "timezone":
        return _check_timezone
    if attr == "queue":
        return _check_queue
    if attr in ("opening_hours", "closed_days", "open_days"):
        return _check_opening
    return _check_text


def _check_number(rule: _Number, name: str, value: Any, default: Any, line: int | None,
                  log: ProblemLog) -> float | int:
    number = as_number(value)
    if number is None or number != number:  # not a number, or NaN
        kind = "whole" if rule.integer else "number"
        log.error("wrong_type", line, key=name, expected=kind, value=typed(value),
                  default=_format_number(default))
        return default  # type: ignore[no-any-return]
    clamped = min(max(number, rule.low), rule.high)
    if clamped != number:
        log.warning("clamped", line, key=name, value=_format_number(number),
                    low=_format_number(rule.low), high=_format_number(rule.high),
                    used=_format_number(clamped))
    return round(clamped) if rule.integer else float(clamped)


def _check_choice(choices: tuple[str, ...], name: str, value: Any, default: Any,
                  line: int | None, log: ProblemLog) -> str:
    text = str(value).strip().lower()
    text = CHOICE_ALIASES.get(text, text)
    if text in choices:
        return text
    log.error("bad_choice", line, key=name, choices=", ".join(choices), value=typed(value),
              default=str(default))
    return str(default)


def _check_flag(name: str, value: Any, default: Any, line: int | None, log: ProblemLog) -> bool:
    flag = as_flag(value)
    if flag is not None:
        return flag
    log.error("wrong_type", line, key=name, expected="yes_no", value=typed(value),
              default=str(default).lower())
    return bool(default)


def _check_text(name: str, value: Any, default: Any, line: int | None, log: ProblemLog) -> str:
    if isinstance(value, str | int | float) and not isinstance(value, bool) \
            and shows_anything(text := _shown(str(value), name, line, log)):
        return text
    log.error("wrong_type", line, key=name, expected="text", value=typed(value),
              default=str(default))
    return str(default)


def _check_timezone(name: str, value: Any, default: Any, line: int | None,
                    log: ProblemLog) -> str:
    text = typed(value).strip()
    try:
        ZoneInfo(text)
    except (ZoneInfoNotFoundError, ValueError):
        log.error("bad_timezone", line, value=text, default=str(default))
        return str(default)
    return text


# Tag chips on the stories screen: a row a visitor slides through, so a few dozen at most.
# Each chip costs the UI thread about half a millisecond to build (20,000 of them held it 10 s),
# and each tag a story has outside the list is compared with every tag of the list.
MAX_TAGS = 50


def _check_tags(name: str, value: Any, default: Any, line: int | None,
                log: ProblemLog) -> Mapping[str, str]:
    if not isinstance(value, dict):
        log.error("wrong_type", line, key=name, expected="mapping",
                  value=typed(value), default="nothing")
        return dict(default)
    if len(value) > MAX_TAGS:  # kept whole: a story's tag past the 50th is no typo
        log.warning("too_many_tags", line, count=str(len(value)), most=str(MAX_TAGS))
    tags: dict[str, str] = {}
    for ru, en in value.items():
        # «дети: [children]» put ['children'] on the English chip; «"": x» an empty chip.
        if isinstance(ru, list | dict) or isinstance(en, list | dict) or \
                not (shown := _shown(str(ru), name, line, log)):
            log.warning("wrong_type", line, key=f"{name}: {typed(ru)}", expected="text",
                        value=typed(en), default="nothing")
            continue
        tags[shown] = _shown(str(en), name, line, log) if en is not None else shown
    return tags


def _shown(text: str, name: str, line: int | None, log: ProblemLog) -> str:
    """A text of the settings the screen shows (the centre's name, a tag chip) without
    bidi, control and line-separator characters, as every content text: U+202E turned the
    centre's name on the band backwards. Staff hear which were taken out."""
    cleaned, removed = clean_shown(text)
    if removed:
        log.warning("hidden_characters", line, key=name, detail=removed)
    return cleaned.strip()


def _check_opening(name: str, value: Any, default: Any, line: int | None,
                   log: ProblemLog) -> Any:
    from kiosk.core.schedules import opening  # imports this module
    if name == "opening_hours":
        return opening.parse_opening_hours(value, line, log)
    if name == "closed_days":
        return opening.parse_days(value, name, line, log)
    return opening.parse_open_days(value, line, log)


_SCHEME = LazyPattern(r"^([a-z][a-z0-9+.-]*)://", re.IGNORECASE)


def _check_queue(name: str, value: Any, default: Any, line: int | None,
                 log: ProblemLog) -> QueueSettings | None:
    """The queue block; any error that leaves no usable source turns the queue off."""
    if value is None or as_flag(value) is False:
        return None  # «queue:» left empty, or «queue: нет»: off
    if not isinstance(value, LineDict):
        log.error("wrong_type", line, key=name, expected="mapping", value=typed(value),
                  default="queue_off")
        return None
    checked: dict[str, Any] = {}
    for key, sub_value in value.items():
        sub_line = value.line_of(key)
        full = f"queue.{key}"
        if key not in QUEUE_KEYS:
            log.warning("unknown_key", sub_line, key=full, suggest=suggest(key, QUEUE_KEYS)
                        if log.shows_next("unknown_key") else "")
        elif key in _QUEUE_NUMBERS:
            checked[key] = _check_number(_QUEUE_NUMBERS[key], full, sub_value,
                                         getattr(_QUEUE_DEFAULTS, key), sub_line, log)
        elif key == "sound":
            checked[key] = _check_flag(full, sub_value, False, sub_line, log)
        elif key == "format":
            text = str(sub_value).strip().lower() if sub_value is not None else ""
            from kiosk.core.queue import adapter_names  # here: only a queue block needs it

            known = adapter_names()
            if text not in known:
                log.error("queue_bad_format", sub_line, value=str(sub_value),
                          choices=", ".join(known), suggest=suggest(text, known))
                return None
            checked[key] = text
        else:  # source
            source = _check_source(value.raw_text.get(key, sub_value), sub_line, log)
            if source is None:
                return None
            checked[key] = source
            checked["source_line"] = sub_line
    if "source" not in checked:
        log.error("queue_no_source", line)
        return None
    return replace(_QUEUE_DEFAULTS, **checked)


_QUEUE_DEFAULTS = QueueSettings(source="")


def _machine_queue(name: str, value: Any, default: Any, line: int | None,
                   log: ProblemLog) -> QueueSettings | None:
    """A queue block in a file of this computer: as in kiosk.yaml, but a queue file is named
    by its full path (a relative one would be looked for in the content folder). A mistake
    turns the queue off rather than falling back to the content's: that queue is another
    centre's, and its calls would be wrong here."""
    source = value.raw_text.get("source", value.get("source")) \
        if isinstance(value, LineDict) else None
    text = str(source).strip() if isinstance(source, str | int | float) \
        and not isinstance(source, bool) else ""
    if text and not text.startswith("/") and _SCHEME.match(text) is None \
            and ":" not in text.split("/")[0]:
        log.error("machine_queue_relative", value.line_of("source"), value=text)
        return None
    return _check_queue(name, value, default, line, log)


def _check_source(value: Any, line: int | None, log: ProblemLog) -> str | None:
    """An http(s) address, an absolute path, or a path inside the content folder."""
    text = str(value).strip() if isinstance(value, str | int | float) else ""
    if not text or isinstance(value, bool):
        log.error("queue_no_source", line)
        return None
    if any(ord(char) < 32 or ord(char) == 127 for char in text):
        # A null byte made every look at the file raise ValueError: the kiosk exited at start
        # (and at each restart) instead of running without its queue.
        log.error("queue_source_control", line, value=text)
        return None
    scheme = _SCHEME.match(text)
    if scheme is not None:
        if scheme.group(1).lower() not in ("http", "https"):
            log.error("queue_bad_scheme", line, value=text)
            return None
        if not _SCHEME.sub("", text).split("/")[0]:
            log.error("queue_bad_scheme", line, value=text)
            return None
        return text
    if ":" in text.split("/")[0] and not text.startswith("/"):
        log.error("queue_bad_scheme", line, value=text)  # «htp:/…», «C:\…»
        return None
    parts = PurePosixPath(text).parts
    if not text.startswith("/") and ".." in parts:
        log.error("queue_path_outside", line, value=text)
        return None
    if not text.startswith("/") and not any(part.startswith(".") for part in parts):
        # The content watcher would see the folder change every second and keep re-reading.
        log.warning("queue_file_watched", line, value=text)
    return text
