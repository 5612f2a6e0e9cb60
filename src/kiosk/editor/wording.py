"""The loader's messages as the editor says them. `kiosk check` prints them after a file name
and a colon («stories/x.md:4: дата окончания 2026-12-01 раньше…»); on a page each is a
sentence of its own, and the dates the form's calendar picked read as people write them
(«1 декабря 2026»). No Flask here: the preview's renderer, a child process, words its
problems the same way."""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import re

from kiosk.core.content.problems import MESSAGES, Language, Problem
from kiosk.core.i18n import MONTHS_EN, MONTHS_RU

ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
# The arguments that hold a date the loader read (a format hint in a template, a file name or
# a title that holds one are quoted as they are).
DATE_ARGS = frozenset({"start", "end"})
DATE_VALUE_CODES = frozenset({"story_date_ahead"})


def date_words(text: str, lang: Language) -> str:
    """«2026-12-01» as «1 декабря 2026» (or "1 December 2026"); anything else as it is."""
    found = ISO_DATE.fullmatch(text.strip())
    if found is None:
        return text
    try:
        day = dt.date(*(int(part) for part in found.groups()))
    except ValueError:  # «2026-02-31»: quoted as typed
        return text
    return f"{day.day} {(MONTHS_RU if lang == 'ru' else MONTHS_EN)[day.month - 1]} {day.year}"


def megabytes(size: int) -> str:
    """Megabytes to a tenth, rounded up: a file a byte over 30 MB reads 30.1, not 30."""
    return f"{math.ceil(size / 100_000) / 10:.1f}".removesuffix(".0")


SENTENCE_ENDS = ".!?…"
DECIMAL_ARGS = frozenset({"size", "most"})  # megabytes (kiosk.editor.photos)
DECIMAL = re.compile(r"[0-9]{1,6}\.[0-9]{1,3}")


def editor_message(problem: Problem, lang: Language) -> str:
    """`problem`'s message for a page: its dates in words, its first letter capital where
    its template starts with a word or a language (not with a key or a quoted value), a full
    stop at its end (the table's messages are clauses the kiosk's own lists show without
    one), and a no-break space before each dash."""
    args = {key: date_words(value, lang) if isinstance(value, str) and (
        key in DATE_ARGS or (key == "value" and problem.code in DATE_VALUE_CODES)) else value
        for key, value in problem.args.items()}
    if lang == "ru":  # «30,1 МБ», as Russian writes a decimal
        args = {key: value.replace(".", ",") if key in DECIMAL_ARGS and isinstance(value, str)
                and DECIMAL.fullmatch(value) else value for key, value in args.items()}
    text = dataclasses.replace(problem, args=args).message(lang)
    ru, en = MESSAGES.get(problem.code, ("", ""))
    template = ru if lang == "ru" else en
    # «{language} займёт…» starts with words too: «русский текст» → «Русский текст».
    if (template[:1].isalpha() and template[:1].islower()) or template.startswith("{language}"):
        text = text[:1].upper() + text[1:]
    if text and text[-1] not in SENTENCE_ENDS:
        text += "."
    return text.replace(" — ", "\u00a0— ")  # a dash never starts a line («…\n— снимок»)
