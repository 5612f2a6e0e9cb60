"""A story as the editor's form holds it, and the story file it becomes.

`StoryFields` is the form's fields, already cut to their limits (`from_form`), with no I/O;
`story_text(fields) -> str` is the text of `stories/<slug>.md` exactly as Publish writes it
(front matter + Russian text + `=== English ===` + English text), so the live preview
(kiosk.editor.preview_views) renders the very bytes that will be published:

    from kiosk.editor.story_form import StoryFields, story_text
    fields = StoryFields.from_form(request.form)   # never raises; unknown keys ignored
    text = story_text(fields)                      # UTF-8 text of the .md file

`fields.photo` is a path inside the centre folder (`images/<name>.jpg`) or "" — the form
carries the name of a photo already prepared and saved by the editor, never a client's path;
`from_form` keeps it only when it has that shape.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import Any, NamedTuple, Protocol

from kiosk.core.content.problems import ProblemLog
from kiosk.core.content.yamlsrc import (
    LineDict,
    is_english_separator,
    parse_markdown_file,
    parse_yaml,
)
from kiosk.core.schedules.schedule import WEEKDAY_NAMES


class Unfilled(NamedTuple):
    """A form rule's (Russian, English) message that a required field is still empty: the
    page says it once she has left that field or pressed Publish, not while she fills the
    fields before it (static/preview.js). Unpacks and compares as the plain pair."""

    ru: str
    en: str


# Bounds of each field as the form takes it: past them the text is cut (the browser's
# maxlength says the same). The loader's own limits (16 KB of text, 20 words of teaser …)
# are checked by the loader and shown on the field.
LIMITS = {
    "title": 200, "title_en": 200, "teaser": 400, "teaser_en": 400, "centre": 200,
    "centre_en": 200, "text": 20_000, "text_en": 20_000,
}
# A story's words, as the guide asks (40–120): the form's counter and its long-text warning
# both say these (the kiosk's own check allows three pages, which is more).
WORDS_LEAST = 40
WORDS_MOST = 120
MAX_TAGS = 50
MAX_TAG_CHARS = 60
SLUG_CHARS = 60
PHOTO_PATTERN = re.compile(r"^images/[a-z0-9][a-z0-9-]{0,80}\.jpg$")
SLUG_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")
PERIODS = ("always", "yearly", "dates", "keep")  # keep: as an edited file wrote it
SCHEDULE_KEYS = ("show_from", "show_until", "months", "weekdays", "hours", "before_closed_days",
                 "on_closed_days")
DAYS = ("all", "weekdays")
WEEKDAYS_LINE = "пн-пт"
MORNING = "08:00-12:00"
HOURS_PRESETS = {"": "", "morning": MORNING}
# Nominative: `months: август` (kiosk.core.schedules.schedule: every year, in that month).
MONTHS_RU = ("январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август",
             "сентябрь", "октябрь", "ноябрь", "декабрь")
# Fields of a story file the form shows; the others of an edited file are kept as they are.
FORM_KEYS = ("title", "title_en", "teaser", "teaser_en", "centre", "centre_en", "date",
             "tags", "photo", "show_from", "show_until", "weekdays", "hours", "months")


class FormData(Protocol):
    """What Flask's request.form (a MultiDict) offers."""

    def get(self, key: str, default: str) -> str: ...
    def getlist(self, key: str) -> list[str]: ...


@dataclass(frozen=True, slots=True)
class StoryFields:
    slug: str = ""  # the file's name without .md; "" for a new story (made from the title)
    title: str = ""
    text: str = ""
    title_en: str = ""
    text_en: str = ""
    teaser: str = ""
    teaser_en: str = ""
    centre: str = ""
    centre_en: str = ""
    date: str = ""  # ISO date from <input type=date>, or ""
    tags: tuple[str, ...] = ()
    photo: str = ""  # images/<name>.jpg inside the centre folder, or ""
    # always | yearly (one month, every year) | dates | keep (a schedule the presets cannot
    # show, kept as the edited file wrote it: its lines are in `kept`)
    period: str = "always"
    month: int = field(default_factory=lambda: dt.date.today().month)  # for "yearly"
    show_from: str = ""  # ISO, for "dates"
    show_until: str = ""
    days: str = "all"  # all | weekdays
    hours: str = ""  # "" (all day), "morning", or hours as an edited file gave them
    # Front-matter lines of an edited file the form does not show (video:, duration: …),
    # carried over by the server; never taken from the client.
    kept: tuple[str, ...] = field(default=())

    @property
    def kept_schedule(self) -> tuple[str, ...]:
        """The schedule lines an edited file had that the presets cannot show."""
        return tuple(row for row in self.kept if row.split(":")[0].strip() in SCHEDULE_KEYS)

    @classmethod
    def from_form(cls, form: FormData) -> StoryFields:
        """The fields of a posted form, each cut to its bound; never raises."""
        def text(key: str) -> str:
            value = str(form.get(key, "") or "")[: LIMITS[key]]
            return value.replace("\r\n", "\n").replace("\r", "\n")

        def body(key: str) -> str:
            return _paragraphs([_tidy_line(row) for row in text(key).split("\n")])

        def line(key: str) -> str:
            return " ".join(text(key).split())

        slug = str(form.get("slug", "") or "")
        photo = str(form.get("photo", "") or "")
        period = str(form.get("period", "") or "")
        days = str(form.get("days", "") or "")
        month = str(form.get("month", "") or "")
        hours = str(form.get("hours", "") or "")[:100]
        return cls(
            slug=slug if SLUG_PATTERN.match(slug) else "",
            title=line("title"), text=body("text"),
            title_en=line("title_en"), text_en=body("text_en"),
            teaser=line("teaser"), teaser_en=line("teaser_en"),
            centre=line("centre"), centre_en=line("centre_en"),
            date=_iso_or_empty(str(form.get("date", "") or "")),
            tags=tuple(dict.fromkeys(t.strip()[:MAX_TAG_CHARS] for t in form.getlist("tags")
                                     [:MAX_TAGS] if t.strip())),
            photo=photo if PHOTO_PATTERN.match(photo) else "",
            period=period if period in PERIODS else "always",
            month=int(month) if month.isdigit() and 1 <= int(month) <= 12
            else dt.date.today().month,
            show_from=_iso_or_empty(str(form.get("show_from", "") or "")),
            show_until=_iso_or_empty(str(form.get("show_until", "") or "")),
            days=days if days in DAYS else "all",
            hours=hours if hours in HOURS_PRESETS or _hours_ok(hours) else "",
        )


# A list item as Word's paste gives it: a bullet (a dash only before a tab: «— Здравствуйте»
# opens a line of dialogue) or a number, then a tab. Bounded runs only: linear on any input.
# Word's bullets as its plain text pastes them: a sign and a tab («o» and «§» its second and
# third levels' in the Symbol and Wingdings fonts, a letter only when a tab follows it).
_PASTED_ITEM = re.compile(
    r"(?:[•◦▪▫●○■□‣⁃·][ \t]{1,8}|[–—o§Ø-]\t[ \t]{0,8})(?=\S)")
_PASTED_NUMBER = re.compile(r"([0-9]{1,3}[.)])\t[ \t]{0,8}(?=\S)")
_BLANKS = re.compile(r"[ \t]+")


# A line that starts a Markdown list item or another block the kiosk reads by its line.
_BLOCK_START = re.compile(r"[ \t]*(?:[-*+][ \t]|[0-9]{1,3}[.)][ \t]|#|>|\||```|~~~)")
_LIST_ROW = re.compile(r"[ \t]*(?:[-*+]|[0-9]{1,3}[.)])[ \t]")


def _paragraphs(rows: list[str]) -> str:
    """The box's lines as the kiosk should show them: each line a paragraph, as staff see it
    (Word pastes a paragraph as one line with no blank line after it: paragraphs ran together,
    and a paragraph after a list went into its last item); a list's items stay together."""
    out: list[str] = []
    previous_item = False
    for row in rows:
        if not row.strip():
            continue  # the joins below make the blank lines
        item = bool(_LIST_ROW.match(row))
        if out:
            out.append("\n" if item and previous_item else "\n\n")
        out.append(row)
        previous_item = item
    return "".join(out)


def _unwrapped(body: str) -> str:
    """A file's Markdown with each paragraph on one line (lines of one paragraph joined), so
    that the box, whose every line is a paragraph, keeps it whole when it is published again."""
    out: list[list[str]] = []  # each output line as its parts, joined once (linear)
    joinable = False
    for row in body.split("\n"):
        if row.strip() and joinable and not _BLOCK_START.match(row):
            out[-1].append(row.strip())
            continue
        out.append([row])
        joinable = bool(row.strip()) and not row.lstrip().startswith(("#", "```", "~~~", "|"))
    return "\n".join(" ".join(part.rstrip() if i < len(parts) - 1 else part
                               for i, part in enumerate(parts)) for parts in out)


def _tidy_line(row: str) -> str:
    """A line of text as if typed, not pasted from Word: a bullet and its tab become the list
    item the kiosk shows as one, and a tab or a run of spaces between words a single space (on
    the kiosk a tab is a wide hole). An indent of spaces alone is kept: it nests a list item."""
    rest = row.lstrip(" \t")
    indent = row[: len(row) - len(rest)]
    if "\t" in indent:
        indent = ""  # Word's paragraph indent; four spaces' worth would turn into code
    if item := _PASTED_ITEM.match(rest):
        rest = "- " + rest[item.end():]
    elif number := _PASTED_NUMBER.match(rest):
        rest = f"{number[1]} {rest[number.end():]}"
    return indent + _BLANKS.sub(" ", rest).rstrip(" ")


def _iso_or_empty(value: str) -> str:
    try:
        return dt.date.fromisoformat(value.strip()[:10]).isoformat()
    except ValueError:
        return ""


def _hours_ok(value: str) -> bool:
    return bool(re.fullmatch(r"\d{1,2}:\d{2}-\d{1,2}:\d{2}(, ?\d{1,2}:\d{2}-\d{1,2}:\d{2}){0,5}",
                             value))


def _quoted(value: str) -> str:
    """A YAML double-quoted scalar (JSON's string syntax is YAML's): any text, one line."""
    return json.dumps(value, ensure_ascii=False)


def schedule_lines(fields: StoryFields | NoticeFields) -> list[tuple[str, str]]:
    """The schedule's front-matter lines, each with the form field it comes from."""
    lines: list[tuple[str, str]] = []
    if fields.period == "keep":
        return lines  # the edited file's own lines, in `kept`
    if fields.period == "yearly":
        lines.append((f"months: {MONTHS_RU[fields.month - 1]}", "period"))
    elif fields.period == "dates":
        if fields.show_from:
            lines.append((f"show_from: {fields.show_from}", "show_from"))
        if fields.show_until:
            lines.append((f"show_until: {fields.show_until}", "show_until"))
    if fields.days == "weekdays":
        lines.append((f"weekdays: {WEEKDAYS_LINE}", "days"))
    hours = HOURS_PRESETS.get(fields.hours, fields.hours)
    if hours:
        lines.append((f"hours: {_quoted(hours)}", "hours"))
    return lines


def _numbered(out: list[tuple[str, str]]) -> tuple[str, dict[int, str]]:
    """The file's text of (line, field) pairs, and the field of each line (1-based)."""
    return ("\n".join(row for row, _ in out) + "\n",
            {number: key for number, (_, key) in enumerate(out, 1) if key})


def story_lines(fields: StoryFields) -> tuple[str, dict[int, str]]:
    """The story file's text and, for each line (1-based), the form field it comes from, so
    a problem the loader finds at a line is shown on that field."""
    out: list[tuple[str, str]] = [("---", "")]
    for key in ("title", "title_en", "teaser", "teaser_en", "centre", "centre_en"):
        value = getattr(fields, key)
        if value:
            out.append((f"{key}: {_quoted(value)}", key))
    if fields.date:
        out.append((f"date: {fields.date}", "date"))
    if fields.tags:
        out.append((f"tags: [{', '.join(_quoted(tag) for tag in fields.tags)}]", "tags"))
    if fields.photo:
        out.append((f"photo: {fields.photo}", "photo"))
    out += schedule_lines(fields)
    out += [(kept, "") for kept in fields.kept]
    out.append(("---", ""))
    out += [(row, "text") for row in fields.text.split("\n")]
    if fields.text_en:
        out.append(("", "text"))
        out.append(("=== English ===", "text_en"))
        out += [(row, "text_en") for row in fields.text_en.split("\n")]
    return _numbered(out)


def story_text(fields: StoryFields) -> str:
    """The text of the story file (UTF-8, \\n line ends) exactly as Publish writes it."""
    return story_lines(fields)[0]


def form_problems(fields: StoryFields) -> dict[str, tuple[str, str]]:
    """The editor's own rules, before the loader's: field → (Russian, English) message."""
    found: dict[str, tuple[str, str]] = {}
    if not fields.title:
        found["title"] = Unfilled("Напишите заголовок истории.", "Write the story's title.")
    if not fields.text:
        found["text"] = Unfilled("Напишите текст истории.", "Write the story's text.")
    elif any(is_english_separator(row) for row in fields.text.split("\n")):
        found["text"] = ("В русском тексте есть строка «=== English ===»: английский текст "
                         "пишите в поле «Текст по-английски».",
                         "The Russian text has a line “=== English ===”: write the English "
                         "text in the field “Text in English”.")
    if fields.period == "dates" and not (fields.show_from or fields.show_until):
        found["show_from"] = Unfilled("Выберите в календаре хотя бы одну дату: с какого или "
                                      "по какое число показывать.",
                                      "Pick at least one date: the first or the last day to "
                                      "show it.")
    return found


_TRANSLIT = dict(zip(
    "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
    ["a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "y", "k", "l", "m", "n", "o", "p",
     "r", "s", "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "", "y", "", "e", "yu", "ya"],
    strict=True))


def slugify(title: str) -> str:
    """A file name (without suffix) from a title: «Зонтик под ливнем» → «zontik-pod-livnem».
    Latin letters, digits and hyphens only; "story" when nothing is left."""
    out: list[str] = []
    for char in title.lower()[:200]:
        if char in _TRANSLIT:
            out.append(_TRANSLIT[char])
        else:
            plain = unicodedata.normalize("NFKD", char).encode("ascii", "ignore").decode()
            out.append(plain if plain.isalnum() else "-")
    slug = re.sub(r"-+", "-", "".join(out)).strip("-")[:SLUG_CHARS].strip("-")
    return slug or "story"


def unused_slug(base: str, taken: Iterable[str]) -> str:
    """`base`, or `base-2`, `base-3` … whichever no file has (case-insensitively)."""
    names = {name.lower() for name in taken}
    candidate, number = base, 1
    while candidate in names:
        number += 1
        candidate = f"{base[: SLUG_CHARS - 4]}-{number}"
    return candidate


def from_story_file(slug: str, text: str) -> StoryFields:
    """A centre's story file as the form shows it (for editing); what the form cannot show
    is kept in `kept` as it was written."""
    md = parse_markdown_file(text, ProblemLog("", []))
    if md is None:
        return StoryFields(slug=slug, text=text)
    values = md.fields
    raw = values.raw_text

    def value(key: str) -> str:
        got = values.get(key)
        if got is None or isinstance(got, list | dict):
            return ""
        return str(raw.get(key, got)).strip().strip('"').strip()[: LIMITS.get(key, 200)] \
            if not isinstance(got, str) else got.strip()[: LIMITS.get(key, 200)]

    tags = values.get("tags")
    tag_list = tags if isinstance(tags, list) else str(tags or "").split(",")
    fields = StoryFields(
        slug=slug, title=value("title"), text=_unwrapped(md.body_ru), title_en=value("title_en"),
        text_en=_unwrapped(md.body_en), teaser=value("teaser"), teaser_en=value("teaser_en"),
        centre=value("centre"), centre_en=value("centre_en"),
        date=_iso_or_empty(value("date")),
        tags=tuple(str(t).strip() for t in tag_list[:MAX_TAGS] if str(t).strip()),
        photo=value("photo") if PHOTO_PATTERN.match(value("photo")) else "")
    lines = text.removeprefix("\ufeff").splitlines()
    schedule, kept = _schedule_or_kept(values, lines, value)
    if value("photo") and not fields.photo:
        kept.append(_raw_line(lines, values.line_of("photo")))
    for key in values:
        if key not in FORM_KEYS:
            kept.append(_raw_line(lines, values.line_of(key)))
    return replace(fields, kept=tuple(row for row in kept if row), **schedule)  # type: ignore[arg-type]


def _schedule_or_kept(values: LineDict, lines: list[str], value: Callable[[str], str],
                      ) -> tuple[dict[str, object], list[str]]:
    """The presets that show a file's schedule and no line kept; or, when the presets cannot
    show it, the period «keep» and the schedule's lines kept as they were written."""
    schedule = _schedule_from(value("show_from"), value("show_until"), value("months"),
                              values.get("weekdays"), value("hours"))
    if schedule is not None and not _closed_days_keys(values):
        return schedule, []
    return {"period": "keep"}, [_raw_line(lines, values.line_of(key)) for key in
                                ("show_from", "show_until", "months", "weekdays", "hours")
                                if key in values]


def _closed_days_keys(values: LineDict) -> bool:
    """A schedule tied to kiosk.yaml's closed days, which no preset writes."""
    return "before_closed_days" in values or "on_closed_days" in values


def _raw_line(lines: list[str], number: int | None) -> str:
    """A front-matter key's own line (values over several lines are not kept)."""
    return lines[number - 1] if number is not None and 0 < number <= len(lines) else ""


def _schedule_from(start: str, end: str, months: str, weekdays: object,
                   hours: str) -> dict[str, object] | None:
    """The presets that write these schedule fields; None when none does."""
    found: dict[str, object] = {}
    if months:
        if start or end or months.lower() not in MONTHS_RU:
            return None
        found.update(period="yearly", month=MONTHS_RU.index(months.lower()) + 1)
    elif start or end:
        if (start and not _iso_or_empty(start)) or (end and not _iso_or_empty(end)):
            return None
        found.update(period="dates", show_from=_iso_or_empty(start),
                     show_until=_iso_or_empty(end))
    if weekdays is not None:
        names = weekdays if isinstance(weekdays, list) else str(weekdays).split(",")
        numbers = {WEEKDAY_NAMES.get(str(n).strip().lower()) for n in names}
        if numbers != {0, 1, 2, 3, 4} and str(weekdays).strip().lower() != WEEKDAYS_LINE:
            return None
        found["days"] = "weekdays"
    if hours:
        if hours != MORNING:
            return None
        found["hours"] = "morning"
    return found


# -- notices ------------------------------------------------------------------------------------

NOTICE_LIMIT = 300  # characters of a notice's text as the form takes it (the loader: 200 max)
LEVELS = ("ordinary", "urgent")
NOTICE_FORM_KEYS = ("text", "text_en", "level", "show_from", "show_until", "weekdays", "hours",
                    "months")


@dataclass(frozen=True, slots=True)
class ScheduledFields:
    """The schedule presets of a notice's or a poster's form, as for a story, and the file's
    lines the form does not show (`kept`)."""

    period: str = "always"
    month: int = field(default_factory=lambda: dt.date.today().month)  # a new one: this month
    show_from: str = ""
    show_until: str = ""
    days: str = "all"
    hours: str = ""
    kept: tuple[str, ...] = field(default=())

    @property
    def kept_schedule(self) -> tuple[str, ...]:
        return tuple(row for row in self.kept if row.split(":")[0].strip() in SCHEDULE_KEYS)

    def schedule_problems(self) -> dict[str, tuple[str, str]]:
        """The form's own rule for the schedule: field → (Russian, English) message."""
        if self.period == "dates" and not (self.show_from or self.show_until):
            return {"show_from": Unfilled("Выберите в календаре хотя бы одну дату: с какого "
                                          "или по какое число показывать.",
                                          "Pick at least one date: the first or the last day "
                                          "to show it.")}
        return {}


def scheduled_form(form: FormData) -> dict[str, Any]:
    """A posted form's slug and schedule presets, read as the story form reads them."""
    story = StoryFields.from_form(form)
    return {"slug": story.slug, "period": story.period, "month": story.month,
            "show_from": story.show_from, "show_until": story.show_until, "days": story.days,
            "hours": story.hours}


def file_value(values: LineDict, key: str) -> str:
    """A notice's or poster's file value as written, on one line ("" for none, a list, a map)."""
    got = values.get(key)
    if got is None or isinstance(got, list | dict):
        return ""
    return " ".join(str(values.raw_text.get(key, got)).split())


def kept_lines(values: LineDict, lines: list[str], form_keys: tuple[str, ...],
               kept: list[str]) -> tuple[str, ...]:
    """The file's lines the form keeps as they were: `kept`, then each key it does not show."""
    kept = kept + [_raw_line(lines, values.line_of(key)) for key in values
                   if key not in form_keys]
    return tuple(row for row in kept if row)


@dataclass(frozen=True, slots=True)
class NoticeFields(ScheduledFields):
    """A notice (notices/<slug>.yaml) as its form holds it; the schedule as for a story."""

    slug: str = ""
    text: str = ""
    text_en: str = ""
    level: str = "ordinary"  # ordinary (a slide of the loop) | urgent (a band on every screen)

    @classmethod
    def from_form(cls, form: FormData) -> NoticeFields:
        def line(key: str) -> str:
            return " ".join(str(form.get(key, "") or "")[:NOTICE_LIMIT].split())

        level = str(form.get("level", "") or "")
        return cls(text=line("text"), text_en=line("text_en"),
                   level=level if level in LEVELS else "ordinary", **scheduled_form(form))


def notice_lines(fields: NoticeFields) -> tuple[str, dict[int, str]]:
    """The notice file's text and the form field of each line."""
    out: list[tuple[str, str]] = [(f"text: {_quoted(fields.text)}", "text")]
    if fields.text_en:
        out.append((f"text_en: {_quoted(fields.text_en)}", "text_en"))
    if fields.level == "urgent":
        out.append(("level: срочное", "level"))
    out += schedule_lines(fields)
    out += [(kept, "") for kept in fields.kept]
    return _numbered(out)


def notice_text(fields: NoticeFields) -> str:
    return notice_lines(fields)[0]


def notice_problems(fields: NoticeFields) -> dict[str, tuple[str, str]]:
    found: dict[str, tuple[str, str]] = {}
    if not fields.text:
        found["text"] = Unfilled("Напишите текст объявления.", "Write the notice's text.")
    found.update(fields.schedule_problems())
    return found


def from_notice_file(slug: str, text: str) -> NoticeFields:
    """A centre's notice file as its form shows it; what the form cannot show is kept."""
    values = parse_yaml(text, ProblemLog("", []))
    if not isinstance(values, LineDict):
        return NoticeFields(slug=slug)
    lines = text.removeprefix("\ufeff").splitlines()

    def value(key: str) -> str:
        return file_value(values, key)[:NOTICE_LIMIT]

    level = value("level").lower()
    fields = NoticeFields(slug=slug, text=value("text").strip('"'),
                          text_en=value("text_en").strip('"'),
                          level="urgent" if level in ("срочное", "urgent") else "ordinary")
    if isinstance(values.get("text"), str):
        fields = replace(fields, text=" ".join(values["text"].split())[:NOTICE_LIMIT])
    if isinstance(values.get("text_en"), str):
        fields = replace(fields, text_en=" ".join(values["text_en"].split())[:NOTICE_LIMIT])
    schedule, kept = _schedule_or_kept(values, lines, value)
    if level and level not in ("срочное", "urgent", "обычное", "ordinary"):
        kept.append(_raw_line(lines, values.line_of("level")))
    return replace(fields, kept=kept_lines(values, lines, NOTICE_FORM_KEYS, kept),
                   **schedule)  # type: ignore[arg-type]
