"""What the staff diagnostics screen says: version, uptime, memory, content, last errors."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kiosk.core import hashes
from kiosk.core.content.model import Content
from kiosk.core.content.problems import Language
from kiosk.core.service.memory import ProcessMemory
from kiosk.core.settings import LANG_OPTION, Settings
from kiosk.core.staff_text import st

if TYPE_CHECKING:
    from kiosk.core.service.screen_report import ScreenReport


def format_uptime(seconds: float, lang: Language) -> str:
    """«3 д 04:05:06» / «3 d 04:05:06»; no days part under a day."""
    total = max(0, int(seconds))
    days, rest = divmod(total, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    clock = f"{hours:02d}:{minutes:02d}:{secs:02d}"
    return f"{days} {'д' if lang == 'ru' else 'd'} {clock}" if days else clock


def content_version(fingerprint: object) -> str:
    """A short name for what the content was read from: equal folders, equal versions."""
    return hashes.sha256(repr(fingerprint).encode()).hexdigest()[:10]


@dataclass(frozen=True)
class ContentStatus:
    content: Content
    version: str = ""  # content_version() of the folder it was read from; "" unknown
    loaded_at: dt.datetime | None = None  # local wall-clock time


def problem_counts(content: Content) -> tuple[int, int]:
    errors = sum(p.is_error for p in content.problems)
    warnings = sum(not p.is_error and not p.is_consequence for p in content.problems)
    return errors, warnings


def settings_lines(settings: Settings, lang: Language, missing: bool = True) -> list[str]:
    """Which settings files of this computer were read and which keys each set (the rest
    are the content's kiosk.yaml's or the defaults); files that are not there too, unless
    `missing` is off (`kiosk check` at head office, which has none)."""
    lines: list[str] = []
    for file in settings.files:
        keys = settings.keys_from(file.path)
        if file.state == "missing":
            if missing:
                lines.append(st("diag_settings_missing", lang, path=file.path))
        elif file.state == "broken" and not keys:
            lines.append(st("diag_settings_broken", lang, path=file.path))
        elif keys:
            lines.append(st("diag_settings_from", lang, keys=", ".join(keys), path=file.path))
        else:
            lines.append(st("diag_settings_empty", lang, path=file.path))
    if keys := settings.keys_from(LANG_OPTION):  # `kiosk run --lang`, over every file
        lines.append(st("diag_settings_from", lang, keys=", ".join(keys), path=LANG_OPTION))
    return lines


def diagnostic_lines(lang: Language, version: str, uptime_s: float,
                     memory: ProcessMemory | None, status: ContentStatus,
                     recent: Sequence[str], screen: tuple[int, int] | None = None,
                     safe_mode: tuple[bool, str] | None = None,
                     extra: Sequence[str] = (),
                     display: ScreenReport | None = None) -> list[str]:
    lines: list[str] = []
    if safe_mode is not None and safe_mode[0]:
        lines.append(st("diag_safe_mode", lang, reason=safe_mode[1]))
    lines += [
        st("diag_version", lang, version=version),
        st("diag_uptime", lang, uptime=format_uptime(uptime_s, lang)),
    ]
    if memory is not None and memory.own_kib is not None:
        lines.append(st("diag_memory_own", lang, mb=f"{memory.total_kib / 1024:.0f}",
                        kind=memory.kind, own=f"{memory.own_kib / 1024:.0f}"))
    elif memory is not None:
        lines.append(st("diag_memory", lang, mb=f"{memory.total_kib / 1024:.0f}",
                        kind=memory.kind))
    if screen is not None:
        lines.append(st("diag_screen", lang, width=screen[0], height=screen[1]))
    if display is not None:  # on or off, why, until when, how it goes dark
        from kiosk.core.service.screen_report import report_lines  # not needed for the first frame

        lines += report_lines(display, lang)
    content = status.content
    when = status.loaded_at.strftime("%d.%m.%Y %H:%M:%S") if status.loaded_at else "—"
    errors, warnings = problem_counts(content)
    lines += [
        st("diag_content", lang, root=str(content.root)),
        st("diag_content_version", lang, version=status.version or "—", when=when),
        st("diag_counts", lang, pages=len(content.pages), stories=len(content.stories),
           colouring=len(content.colouring)),
        st("diag_problems", lang, errors=errors, warnings=warnings),
        *settings_lines(content.settings, lang),
        *extra,
        "",
        st("diag_errors", lang) if recent else st("diag_no_errors", lang),
        *reversed(recent),  # newest first: the one that matters is on the first page
    ]
    return lines
