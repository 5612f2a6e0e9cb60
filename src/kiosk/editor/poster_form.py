"""A centre's poster as the editor's form holds it, and the files it becomes (no Flask, no Qt).

A poster is `posters/<slug>.jpg` (the picture a landscape screen shows, prepared by
kiosk.editor.photos at the poster size), optionally `posters/<slug>.portrait.jpg` (what a
portrait screen shows instead) and `posters/<slug>.yaml` (duration, fit, schedule), as
docs/content-format.md describes. `poster_lines(fields)` is the side file's text exactly as
Publish writes it (its first line a comment with staff's name for the poster, which the kiosk
ignores; "" when there is nothing to say: no side file then), with the form field each line
comes from, so the loader's problems are shown on their fields.

The pictures in the form are names of drafts the editor saved itself (`images/poster-….jpg`
in its state folder, kiosk.editor.views.draft_photo), never a client's path: `from_form`
keeps them only in that shape. SVG and video posters are placed in the folder by head
office; the form keeps such a centre file as it is and edits only its settings.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from kiosk.core.content.loader import DURATION_RANGE, POSTER_FIT_WORDS
from kiosk.core.content.problems import ProblemLog
from kiosk.core.content.yamlsrc import LineDict, parse_yaml
from kiosk.core.settings import as_number
from kiosk.editor.story_form import (
    PHOTO_PATTERN,
    FormData,
    NoticeFields,
    ScheduledFields,
    Unfilled,
    _numbered,
    _raw_line,
    _schedule_or_kept,
    file_value,
    kept_lines,
    schedule_lines,
    scheduled_form,
)

FITS = ("whole", "fill")
NAME_LIMIT = 120
# The suffixes of a poster's own picture in posters/ (kiosk.core.content.loader reads these).
PICTURE_SUFFIXES = (".jpg", ".jpeg", ".png", ".svg", ".mp4", ".webm")
RASTER_SUFFIXES = (".jpg", ".jpeg", ".png")
POSTER_FORM_KEYS = ("duration", "fit", "show_from", "show_until", "weekdays", "hours", "months")


@dataclass(frozen=True, slots=True)
class PosterFields(ScheduledFields):
    slug: str = ""  # the poster's name in posters/ ("" for a new one: made from `name`)
    name: str = ""  # what staff call it (a new poster's file name is made from it)
    duration: str = ""  # seconds as typed; "" for the kiosk's own pace
    fit: str = "whole"  # whole (all of it, margins) | fill (the screen covered, edges cut)
    picture: str = ""  # a draft's name (images/poster-….jpg), "" for none or the published one
    portrait: str = ""  # the same for the portrait picture
    remove_portrait: bool = False  # an edited poster's portrait picture taken away
    # (the schedule and the side-file lines the form does not show: ScheduledFields)

    @classmethod
    def from_form(cls, form: FormData) -> PosterFields:
        """The fields of a posted form, each cut to its bound; never raises."""
        def draft(key: str) -> str:
            value = str(form.get(key, "") or "")
            return value if PHOTO_PATTERN.match(value) else ""

        fit = str(form.get("fit", "") or "")
        # Kept as a YAML comment: a control character there is a YAML error, not a name.
        typed = str(form.get("name", "") or "")[:NAME_LIMIT]
        name = " ".join("".join(c if c.isprintable() else " " for c in typed).split())
        return cls(name=name, duration=str(form.get("duration", "") or "").strip()[:20],
                   fit=fit if fit in FITS else "whole", picture=draft("picture"),
                   portrait=draft("portrait"),
                   remove_portrait=str(form.get("remove_portrait", "") or "") == "1",
                   **scheduled_form(form))

    def seconds(self) -> float | None:
        """The duration as a number, None when empty or not a number."""
        return as_number(self.duration.replace(",", ".")) if self.duration else None


def poster_lines(fields: PosterFields) -> tuple[str, dict[int, str]]:
    """The side file's text ("" when it would say nothing) and the field of each line."""
    out: list[tuple[str, str]] = []
    if fields.name:  # staff's own name for it, kept where the kiosk ignores it (a comment)
        out.append((f"# {fields.name}", "name"))
    seconds = fields.seconds()
    if seconds is not None:
        out.append((f"duration: {seconds:g}", "duration"))
    if fields.fit == "fill":
        out.append(("fit: fill", "fit"))
    schedule = NoticeFields(period=fields.period, month=fields.month,
                            show_from=fields.show_from, show_until=fields.show_until,
                            days=fields.days, hours=fields.hours)
    out += schedule_lines(schedule)
    out += [(kept, "") for kept in fields.kept]
    if not out:
        return "", {}
    return _numbered(out)


def poster_problems(fields: PosterFields, has_picture: bool) -> dict[str, tuple[str, str]]:
    """The editor's own rules, before the loader's: field → (Russian, English) message."""
    found: dict[str, tuple[str, str]] = {}
    if not fields.slug and not fields.name:
        found["name"] = Unfilled("Напишите название плаката: по нему его найдут в списке.",
                                 "Write the poster's name: it is listed by it.")
    if not has_picture:
        found["picture"] = Unfilled("Добавьте картинку плаката: перетащите файл или выберите "
                                    "его.",
                                    "Add the poster's picture: drag the file here or choose "
                                    "it.")
    if fields.duration:
        low, high = DURATION_RANGE
        seconds = fields.seconds()
        if seconds is not None and not low <= seconds <= high:
            # The kiosk shows it all the same, for the nearest time it allows.
            used = min(max(seconds, low), high)
            found["duration"] = (
                f"Киоск покажет плакат {used:g} с, а не {seconds:g}: время показа — от "
                f"{low:g} до {high:g} секунд. Исправьте число или оставьте поле пустым, и "
                "киоск выберет сам.",
                f"The kiosk shows the poster for {used:g} s, not {seconds:g}: the time on "
                f"screen is {low:g} to {high:g} seconds. Correct it, or leave it empty and the "
                "kiosk chooses.")
        elif seconds is None:
            found["duration"] = (
                f"Время показа — число секунд от {low:g} до {high:g}; или оставьте поле "
                "пустым, и киоск выберет сам.",
                f"The time on screen is a number of seconds from {low:g} to {high:g}; or "
                "leave it empty and the kiosk chooses.")
    found.update(fields.schedule_problems())
    return found


def from_poster_file(slug: str, text: str) -> PosterFields:
    """A centre poster's side file as the form shows it; what the form cannot show is kept."""
    fields = PosterFields(slug=slug, name=poster_name(text) or slug)
    if not text.strip():
        return fields
    values = parse_yaml(text, ProblemLog("", []))
    if not isinstance(values, LineDict):
        return replace(fields, kept=tuple(row for row in text.splitlines() if row.strip()))
    lines = text.removeprefix("\ufeff").splitlines()

    def value(key: str) -> str:
        return file_value(values, key).strip('"')[:100]

    kept: list[str] = []
    duration = value("duration")
    fit = POSTER_FIT_WORDS.get(value("fit").lower(), "")
    if value("fit") and not fit:
        kept.append(_raw_line(lines, values.line_of("fit")))
    fields = replace(fields, duration=duration, fit=fit or "whole")
    schedule, schedule_kept = _schedule_or_kept(values, lines, value)
    kept += schedule_kept
    return replace(fields, kept=kept_lines(values, lines, POSTER_FORM_KEYS, kept),
                   **schedule)  # type: ignore[arg-type]


def poster_name(text: str) -> str:
    """The name staff gave a poster: its side file's first line, a comment («# Афиша»)."""
    first = text.removeprefix("\ufeff").split("\n", 1)[0]
    return " ".join(first[2:].split())[:NAME_LIMIT] if first.startswith("# ") else ""


def poster_files(slug: str, names: list[str]) -> tuple[str, str, str]:
    """Of the names in a posters/ folder, the poster `slug`'s picture, portrait picture and
    side file ("" for each missing)."""
    lower = {name.lower(): name for name in names}

    def first(stem: str, suffixes: tuple[str, ...]) -> str:
        return next((lower[f"{stem}{s}"] for s in suffixes if f"{stem}{s}" in lower), "")

    return (first(slug, PICTURE_SUFFIXES), first(f"{slug}.portrait", PICTURE_SUFFIXES),
            first(slug, (".yaml", ".yml")))
