"""The loader's messages as the editor says them (kiosk.editor.wording): a sentence of its own
on a page, the dates the form's calendar picked in words; format hints, file names and keys
quoted as they are."""

from __future__ import annotations

from kiosk.core.content.problems import MESSAGES, Problem, Severity
from kiosk.editor.wording import date_words, editor_message


def problem(code: str, **args: str) -> Problem:
    return Problem("stories/x.md", 4, Severity.ERROR, code, args)


def test_the_dates_the_loader_read_are_in_words_and_the_sentence_starts_with_a_capital() -> None:
    reversed_ = problem("dates_reversed", start="2026-12-20", end="2026-12-01")
    assert editor_message(reversed_, "ru").startswith(
        "Дата окончания 1 декабря 2026 раньше даты начала 20 декабря 2026")
    assert editor_message(reversed_, "en").startswith(
        "The end date 1 December 2026 is before the start date 20 December 2026")
    assert reversed_.message("ru").startswith("дата окончания 2026-12-01")  # kiosk check's


def test_format_hints_file_names_and_keys_are_quoted_as_they_are() -> None:
    """«пишите так: … 2023-08-22 (год-месяц-день)» became «22 августа 2023 (год-месяц-день)»,
    «stories/2024-05-09-pobeda.txt» «stories/9 мая 2024-pobeda.txt», «closed_days:»
    «Closed_days:»."""
    hint = editor_message(problem("bad_date", value="31.02.2026"), "ru")
    assert "2023-08-22 (год-месяц-день)" in hint and hint.startswith("Дата «31.02.2026»")
    typed = editor_message(problem("bad_date", value="2026-02-31"), "ru")
    assert typed.startswith("Дата «2026-02-31» не распознана")  # what was typed, as typed
    named = editor_message(problem("unknown_entry", value="2024-05-09-pobeda.txt"), "ru")
    assert "«2024-05-09-pobeda.txt»" in named
    folder = editor_message(problem("unknown_entry", value="2024-05-09"), "ru")
    assert "«2024-05-09»" in folder  # a name, not a date the loader read
    for code, (ru, _en) in MESSAGES.items():
        if ru.startswith("{"):
            args = {name: "closed_days" for name in ("key", "value", "field")}
            found = Problem("kiosk.yaml", 1, Severity.ERROR, code, args)
            try:
                plain = found.message("ru")
            except (KeyError, IndexError):
                continue  # a template that needs other arguments: not this test's
            assert editor_message(found, "ru")[:1] == plain[:1], code


def test_a_date_that_is_not_one_stays_as_typed() -> None:
    assert date_words("2026-13-01", "ru") == "2026-13-01"
    assert date_words("2026-02-31", "ru") == "2026-02-31"
    assert date_words("22.08.2023", "ru") == "22.08.2023"
    assert date_words("2026-08-22", "en") == "22 August 2026"


def test_a_message_on_a_page_is_a_sentence_whose_dashes_never_start_a_line() -> None:
    problem = Problem("a.gif", None, Severity.ERROR, "photo_not_image", {"value": "a.gif"})
    for lang in ("ru", "en"):
        text = editor_message(problem, lang)
        assert text[0].isupper() and text.endswith(".") and not text.endswith(".."), text
        assert " — " not in text and " – " not in text
    assert "\u00a0— " in editor_message(problem, "ru")


def test_a_message_that_starts_with_its_language_starts_with_a_capital() -> None:
    """«русский текст займёт 6 страниц…» began with a small letter on the form."""
    long = problem("text_too_long", language="ru", orientation="landscape", pages="6",
                   words="66", most="198")
    assert editor_message(long, "ru").startswith("Русский текст займёт 6 страниц")
    assert editor_message(long, "en").startswith("The Russian text takes 6 pages")
