"""Content mistakes that once passed `kiosk check` without a word (issue 17, part 3): each is
now a warning or an error that names the cause and the fix, in Russian and English."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from kiosk.core.content.loader import COLOURING_MOST, load_content
from kiosk.core.content.model import Content
from kiosk.core.content.problems import Problem, ProblemLog
from kiosk.core.content.reload import fingerprint
from kiosk.core.content.yamlsrc import parse_markdown_file
from kiosk.core.schedules.schedule import Schedule, YearlyDay, parse_schedule, read_date
from tests.helpers import BUNDLED, SVG, make_folder, story

MSK = dt.timezone(dt.timedelta(hours=3))


def found(content: Content, code: str) -> list[Problem]:
    return [p for p in content.problems if p.code == code]


def both(problem: Problem) -> str:
    """Both wordings, checked for a fix each; a missing placeholder would raise here."""
    return problem.message("ru") + "\n" + problem.message("en")


def front(text: str) -> tuple[Schedule, list[Problem]]:
    problems: list[Problem] = []
    md = parse_markdown_file(f"---\n{text}---\nТекст.\n", ProblemLog("s.md", problems))
    assert md is not None, problems
    return parse_schedule(md.fields, ProblemLog("s.md", problems)), problems


# -- wrong-format files in a folder of texts ---------------------------------------------------

def test_files_the_kiosk_does_not_read_in_stories_are_named_with_the_fix(tmp_path: Path) -> None:
    root = make_folder(tmp_path / "c", stories={"a.md": story()}, images={
        "stories/visit.docx": b"PK\x03\x04word", "stories/note.txt": "Текст истории",
        "stories/old.doc": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "stories/s.rtf": b"{\\rtf1",
        "stories/s2.odt": b"PK\x03\x04", "stories/leaflet.pdf": b"%PDF-1.4",
        "stories/photo.jpg": b"\xff\xd8\xff", "stories/~$visit.docx": b"",
        "stories/table.xlsx": b"PK"})
    content = load_content(root)
    named = {Path(p.path).name: p for p in content.problems}
    for name in ("visit.docx", "old.doc", "s.rtf", "s2.odt"):
        assert named[name].code == "word_file"
        assert "скопируйте текст" in named[name].message("ru")
        assert "copy the text" in named[name].message("en")
    assert named["note.txt"].code == "plain_text_file" and "«note.md»" in both(named["note.txt"])
    assert named["leaflet.pdf"].code == "pdf_in_text_folder"
    assert named["photo.jpg"].code == "picture_in_text_folder"
    assert "photo: images/photo.jpg" in both(named["photo.jpg"])
    assert named["table.xlsx"].code == "stray_file"
    assert "~$visit.docx" not in named  # Word's own lock file while a document is open
    assert [s.id for s in content.stories] == ["a"]


def test_texts_left_in_the_folders_of_pictures_are_named(tmp_path: Path) -> None:
    root = make_folder(tmp_path / "c", stories={"a.md": story()}, images={
        "colouring/cat.svg": SVG, "colouring/titles.txt": "Кот",
        "colouring/story.md": story(), "colouring/README.txt": "для себя",
        "posters/notes.txt": "Плакат", "posters/readme.md": "для себя"})
    named = {Path(p.path).name: p for p in load_content(root).problems}
    assert set(named) == {"titles.txt", "story.md", "notes.txt"}, named
    assert all(p.code == "stray_file" for p in named.values())
    assert "в папке colouring/" in named["titles.txt"].message("ru")
    assert "Уберите этот файл из папки" in named["story.md"].message("ru")
    assert "in the posters/ folder" in named["notes.txt"].message("en")


# What Windows, macOS and office programs leave in every folder they touch (a folder copied
# from a USB stick, opened in Explorer's thumbnail view, zipped on a Mac, a Word document open).
LEFT_BY_SYSTEM = ("Thumbs.db", "desktop.ini", "ehthumbs.db", "~$Отчёт.docx", "~WRL0001.tmp",
                  ".DS_Store", "._umbrella.md", ".~lock.Отчёт.docx#",
                  # A copy or a download on its way (WinSCP, Chrome, Firefox and curl).
                  "umbrella.md.filepart", "Плакат.png.crdownload", "cat.svg.part")
LEFT_FOLDERS = ("$RECYCLE.BIN", "System Volume Information", "__MACOSX", ".git")


def test_files_windows_and_macs_leave_are_never_called_a_mistake(tmp_path: Path) -> None:
    images: dict[str, str | bytes] = {"colouring/cat.svg": SVG, "posters/plan.svg": SVG,
                                      "notices/today.yaml": "text: Сегодня до 16:00\n",
                                      "images/photo.svg": SVG}
    for folder in ("", "stories/", "anniversary/", "colouring/", "posters/", "notices/",
                   "images/"):
        for name in LEFT_BY_SYSTEM:
            images[folder + name] = b"\0\1junk"
        for name in LEFT_FOLDERS:
            images[f"{folder}{name}/desktop.ini"] = b"[.ShellClassInfo]"
    root = make_folder(tmp_path / "c", stories={"a.md": story(photo="images/photo.svg")},
                       pages={"01.md": story("Страница")}, images=images)
    content = load_content(root)
    assert content.problems == (), [both(p) for p in content.problems]
    assert [s.id for s in content.stories] == ["a"] and len(content.pages) == 1
    assert len(content.colouring) == 1 and len(content.posters) == 1
    assert len(content.notices) == 1
    # A centre's own folder, where staff of a Windows office keep their files, the same.
    centre = make_folder(tmp_path / "centre", stories={"b.md": story("Своя")}, images={
        **{name: b"junk" for name in LEFT_BY_SYSTEM},
        **{f"stories/{name}": b"junk" for name in LEFT_BY_SYSTEM},
        "$RECYCLE.BIN/S-1-5-21/desktop.ini": b"junk"})
    merged = load_content(root, centre=centre)
    assert merged.problems == (), [both(p) for p in merged.problems]
    assert sorted(s.id for s in merged.stories) == ["a", "b"]


def test_explorer_rewriting_its_thumbnail_cache_is_not_a_change_to_reload(
        tmp_path: Path) -> None:
    root = make_folder(tmp_path / "c", stories={"a.md": story()})
    before = fingerprint(root)
    (root / "stories" / "Thumbs.db").write_bytes(b"thumbnails")
    (root / "desktop.ini").write_bytes(b"[.ShellClassInfo]")
    assert fingerprint(root) == before
    (root / "stories" / "b.md").write_text(story("Новая"), encoding="utf-8")
    assert fingerprint(root) != before


def test_a_story_copied_beside_itself_by_explorer_is_named(tmp_path: Path) -> None:
    # Ctrl+C, Ctrl+V in a folder of Windows: «umbrella - копия.md» (older: «Копия umbrella.md»)
    text = story("Зонтик", "Тренер раздобыл зонт.", title_en="Umbrella")
    root = make_folder(tmp_path / "c", stories={
        "umbrella.md": text, "umbrella - копия.md": text, "Копия umbrella (2).md": text,
        "other.md": story("Зонтик", "Другой текст.")})
    content = load_content(root)
    assert len(content.stories) == 4  # still shown: a warning, not an error
    copies = {Path(p.path).name: p for p in found(content, "story_copy")}
    assert set(copies) == {"umbrella - копия.md", "Копия umbrella (2).md"}
    for problem in copies.values():
        assert "«umbrella.md»" in problem.message("ru") and "дважды" in problem.message("ru")
        assert "Удалите лишний файл" in problem.message("ru")
        assert "“umbrella.md”" in problem.message("en")


def test_a_single_copy_beside_its_story_is_named(tmp_path: Path) -> None:
    # The usual slip: one Ctrl+V, one «- копия» beside the story it copies.
    text = story("Зонтик", "Тренер раздобыл зонт.")
    root = make_folder(tmp_path / "c", stories={"umbrella.md": text,
                                                "umbrella - копия.md": text})
    (copy,) = found(load_content(root), "story_copy")
    assert Path(copy.path).name == "umbrella - копия.md"
    assert copy.message("ru").startswith("«umbrella - копия.md» слово в слово повторяет")
    assert copy.message("en").startswith("“umbrella - копия.md” is word for word")


def test_a_word_file_named_md_docx_is_not_told_to_be_renamed(tmp_path: Path) -> None:
    root = make_folder(tmp_path / "c", stories={"a.md": story()},
                       images={"stories/visit.md.docx": b"PK\x03\x04word"})
    (problem,) = load_content(root).problems
    assert problem.code == "word_file_md_name"
    assert "переименуйте" not in problem.message("ru")  # the «not UTF-8» loop
    assert "Переименование его не исправит" in problem.message("ru")
    assert "«visit.md»" in problem.message("ru") and "Word document" in problem.message("en")


@pytest.mark.parametrize(("data", "code"), [
    (b"PK\x03\x04\x14\x00\x06\x00", "file_is_word"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00", "file_is_word"),
    ("---\ntitle: Привет\n---\nТекст\n".encode("utf-16"), "file_is_utf16"),
    ("---\ntitle: Привет\n---\nТекст\n".encode("utf-16-le"), "file_is_utf16"),
])
def test_a_word_or_utf16_file_under_an_md_name_says_what_it_is(tmp_path: Path, data: bytes,
                                                                 code: str) -> None:
    root = make_folder(tmp_path / "c", stories={"a.md": story()}, images={"stories/b.md": data})
    content = load_content(root)
    assert [p.code for p in content.problems] == [code, "skipped"]
    assert content.problems[0].is_error and "UTF-8" in both(content.problems[0])
    assert "not_utf8" not in [p.code for p in content.problems]


# -- the English separator ---------------------------------------------------------------------

@pytest.mark.parametrize("line", ["=== Englsh ===", "=== Английский ===", "--- English ---",
                                  "==== Eng ====", "### English", "== Англ =="])
def test_a_misspelt_separator_is_an_error_at_its_line(tmp_path: Path, line: str) -> None:
    root = make_folder(tmp_path / "c", stories={
        "a.md": story(body=f"Русский текст.\n\n{line}\nEnglish text.")})
    content = load_content(root)
    (problem,) = found(content, "separator_misspelt")
    assert problem.is_error and problem.line == 6
    assert "=== English ===" in problem.message("ru") and line in problem.message("en")
    assert content.stories == ()  # never English on the Russian screen


@pytest.mark.parametrize("line", ["== English ==", "=== ENGLISH ===", "===english===",
                                  "=  English  ="])
def test_the_separator_in_any_case_and_spacing_is_read(tmp_path: Path, line: str) -> None:
    root = make_folder(tmp_path / "c", stories={
        "a.md": story(body=f"Русский текст.\n\n{line}\nEnglish text.")})
    content = load_content(root)
    assert content.problems == ()
    assert content.stories[0].body.en == "English text."


def test_ordinary_lines_are_not_taken_for_a_separator(tmp_path: Path) -> None:
    root = make_folder(tmp_path / "c", stories={"a.md": story(
        body="# Англия\n\n---\n\n*** \n\n**Важно**\n\n=== Итоги ===\n\nТекст.")})
    assert load_content(root).problems == ()


# -- colouring pictures past what the screen shows ---------------------------------------------

def test_a_thirteenth_colouring_picture_is_named(tmp_path: Path) -> None:
    root = make_folder(tmp_path / "c", stories={"a.md": story()}, images={
        f"colouring/{i:02d}-picture.svg": SVG for i in range(1, COLOURING_MOST + 2)})
    content = load_content(root)
    (problem,) = found(content, "colouring_too_many")
    assert Path(problem.path).name == "13-picture.svg" and not problem.is_error
    assert "12" in problem.message("ru") and "13" in problem.message("ru")
    assert "colouring.yaml" in problem.message("en")


# -- the wrong folder --------------------------------------------------------------------------

def test_the_parent_of_the_content_folder_is_an_error_naming_the_right_one(
        tmp_path: Path) -> None:
    shutil.copytree(BUNDLED, tmp_path / "kiosk" / "content")
    for root, inside in ((tmp_path, tmp_path / "kiosk" / "content"),
                         (tmp_path / "kiosk", tmp_path / "kiosk" / "content")):
        content = load_content(root)
        (problem,) = [p for p in content.problems if p.is_error]
        assert problem.code == "not_content_folder_inside"
        assert str(inside) in problem.message("ru") and str(inside) in problem.message("en")


def test_stories_itself_given_as_the_content_folder_is_an_error(tmp_path: Path) -> None:
    shutil.copytree(BUNDLED, tmp_path / "content")
    content = load_content(tmp_path / "content" / "stories")
    (problem,) = [p for p in content.problems if p.is_error]
    assert problem.code == "content_subfolder_given"
    assert str(tmp_path / "content") in problem.message("en")


def test_an_empty_or_unrelated_folder_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    assert [p.code for p in load_content(tmp_path / "empty").errors] == ["empty_content_folder"]
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "letter.docx").write_bytes(b"PK")
    assert [p.code for p in load_content(tmp_path / "docs").errors] == ["not_content_folder"]


def test_the_bundled_content_is_a_content_folder() -> None:
    assert load_content(BUNDLED).problems == ()


# -- unknown fields that look like a schedule --------------------------------------------------

@pytest.mark.parametrize(("key", "right"), [
    ("месяцы", "months"), ("month", "months"), ("дни", "weekdays"), ("weekday", "weekdays"),
    ("часы", "hours"), ("show_untill", "show_until"), ("showfrom", "show_from"),
    ("до", "show_until"), ("days", "weekdays"),
])
def test_a_schedule_under_an_unknown_name_is_an_error(tmp_path: Path, key: str,
                                                       right: str) -> None:
    root = make_folder(tmp_path / "c", stories={"a.md": story(**{key: "[август]"})})
    content = load_content(root)
    (problem,) = found(content, "schedule_field_unknown")
    assert problem.is_error and problem.line == 3
    assert f"«{right}:»" in problem.message("ru") and "круглый год" in problem.message("ru")
    assert "all year round" in problem.message("en")
    assert content.stories == ()


def test_other_unknown_fields_stay_warnings_with_the_nearest_field(tmp_path: Path) -> None:
    root = make_folder(tmp_path / "c", stories={"a.md": story(titel="x", dates="2023-01-01",
                                                              colour="red")})
    content = load_content(root)
    assert [(p.code, p.args.get("suggest", "")) for p in content.problems] == [
        ("unknown_field", "title"), ("unknown_field", "date"), ("unknown_field", "")]
    assert len(content.stories) == 1


# -- advice that used to mislead ---------------------------------------------------------------

def test_curly_quotes_are_explained_instead_of_asking_for_quotes(tmp_path: Path) -> None:
    for value, quote in (("“Центр: Марьино”", "“"), ("«Центр: Марьино»", "«")):
        root = make_folder(tmp_path / quote, stories={"a.md": story(title=value)})
        (problem,) = load_content(root).errors
        assert (problem.code, problem.line, problem.args["quote"]) == ("curly_quotes", 2, quote)
        assert "прямые кавычки" in problem.message("ru")
        assert "straight quotes" in problem.message("en")


@pytest.mark.parametrize("text", ["---\ntitle:Привет\ndate: 2023-07-14\n---\nТекст.\n",
                                  "---\ntitle:Привет\n---\nТекст.\n"])
def test_a_colon_without_a_space_is_told_at_its_own_line(tmp_path: Path, text: str) -> None:
    root = make_folder(tmp_path / "c", stories={"a.md": text})
    (problem,) = load_content(root).errors
    assert (problem.code, problem.line) == ("colon_no_space", 2)
    assert "«title: Привет»" in problem.message("ru")


def test_a_heic_photo_named_jpg_is_not_called_damaged(tmp_path: Path) -> None:
    heic = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 64
    root = make_folder(tmp_path / "c", stories={"a.md": story(photo="images/p.jpg")},
                       images={"images/p.jpg": heic})
    problems = load_content(root).problems
    assert problems[0].code == "image_heic"
    assert "iPhone" in problems[0].message("ru") and "editor" in problems[0].message("en")
    assert "поврежд" not in problems[0].message("ru")


# -- dates as staff write them -----------------------------------------------------------------

@pytest.mark.parametrize(("text", "result"), [
    ("2023-07-14", dt.date(2023, 7, 14)), ("14.07.2023", dt.date(2023, 7, 14)),
    ("4.7.2023", dt.date(2023, 7, 4)), ("14 июля 2023", dt.date(2023, 7, 14)),
    ("14.07", YearlyDay(7, 14)), ("1 августа", YearlyDay(8, 1)), ("29.02", YearlyDay(2, 29)),
    ("31.02.2024", "impossible_date"), ("29.02.2023", "impossible_date"),
    ("14.13.2023", "impossible_date"), ("14.07.23", "bad_date"), ("07/14/2023", "bad_date"),
    ("вчера", "bad_date"),
])
def test_dates_are_read_in_both_forms_without_ambiguity(text: str,
                                                         result: object) -> None:
    assert read_date(text) == result


def test_a_story_date_in_the_russian_form(tmp_path: Path) -> None:
    root = make_folder(tmp_path / "c", stories={"a.md": story(date="14.07.2023"),
                                                "b.md": story(date="31.02.2024")})
    content = load_content(root)
    assert [s.date for s in content.stories] == [dt.date(2023, 7, 14), None]
    (problem,) = content.problems
    assert problem.code == "impossible_date" and "31.02.2024" in problem.message("en")


def test_schedule_dates_in_the_russian_form_and_every_year() -> None:
    once, problems = front("show_from: 01.08.2026\nshow_until: 31.08.2026\n")
    assert problems == []
    assert once.active(dt.datetime(2026, 8, 15, 12, tzinfo=MSK))
    assert not once.active(dt.datetime(2027, 8, 15, 12, tzinfo=MSK))
    yearly, problems = front("show_from: 01.08\nshow_until: 31.08\n")
    assert problems == []
    for year in (2026, 2031):
        assert yearly.active(dt.datetime(year, 8, 1, 0, 1, tzinfo=MSK))
        assert yearly.active(dt.datetime(year, 8, 31, 23, 59, tzinfo=MSK))
        assert not yearly.active(dt.datetime(year, 9, 1, tzinfo=MSK))
    winter, _ = front("show_from: 20 декабря\nshow_until: 10 января\n")
    assert winter.active(dt.datetime(2027, 1, 5, tzinfo=MSK))
    assert winter.active(dt.datetime(2026, 12, 25, tzinfo=MSK))
    assert not winter.active(dt.datetime(2026, 11, 25, tzinfo=MSK))


@pytest.mark.parametrize(("text", "code"), [
    ("show_from: 31.02.2024\n", "impossible_date"),
    ("show_until: 2024-02-30\n", "impossible_date"),
    ("show_from: 01.08\nshow_until: 2026-08-31\n", "dates_mixed_yearly"),
    ("months: [авгст]\n", "bad_month"),
    ("months: июнь-августт\n", "bad_month"),
])
def test_impossible_dates_and_months_are_errors(text: str, code: str) -> None:
    _, problems = front(text)
    assert [p.code for p in problems] == [code]
    assert problems[0].is_error
    both(problems[0])


def test_every_august_with_months() -> None:
    august, problems = front("months: [август]\n")
    assert problems == []
    assert august.active(dt.datetime(2026, 8, 22, 10, tzinfo=MSK))
    assert august.active(dt.datetime(2040, 8, 1, tzinfo=MSK))
    assert not august.active(dt.datetime(2026, 9, 1, tzinfo=MSK))
    winter, _ = front("months: декабрь-февраль\n")
    assert [m for m in range(1, 13) if winter.active(dt.datetime(2026, m, 10, tzinfo=MSK))] \
        == [1, 2, 12]
    summer, _ = front("months: июнь, июль, 8\n")
    assert summer.months == frozenset({6, 7, 8})
    (problem,) = front("months: [авгст]\n")[1]
    assert problem.args["suggest"] == "август"


# -- weekday ranges ----------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "days"), [
    ("weekdays: пн-пт\n", {0, 1, 2, 3, 4}), ("weekdays: пн–пт\n", {0, 1, 2, 3, 4}),
    ("weekdays: сб-вс\n", {5, 6}), ("weekdays: пн, ср, пт\n", {0, 2, 4}),
    ("weekdays: mon-fri\n", {0, 1, 2, 3, 4}), ("weekdays: [пн-ср, пт]\n", {0, 1, 2, 4}),
    ("weekdays: пт-пн\n", {4, 5, 6, 0}), ("weekdays: будни\n", {0, 1, 2, 3, 4}),
    ("weekdays: выходные\n", {5, 6}), ("weekdays: Пн - Пт\n", {0, 1, 2, 3, 4}),
])
def test_weekday_ranges(text: str, days: set[int]) -> None:
    schedule, problems = front(text)
    assert problems == [] and schedule.weekdays == frozenset(days)
    monday = dt.datetime(2026, 8, 17, 10, tzinfo=MSK)
    assert [schedule.active(monday + dt.timedelta(days=d)) for d in range(7)] == \
        [d in days for d in range(7)]


def test_a_misspelt_end_of_a_weekday_range_is_named() -> None:
    _, problems = front("weekdays: пн-птн\n")
    assert [(p.code, p.args["value"], p.args["suggest"]) for p in problems] == [
        ("bad_weekday", "птн", "пт")]


# -- tags --------------------------------------------------------------------------------------

def test_tags_are_read_whatever_their_case_and_a_misspelt_one_is_the_nearest(
        tmp_path: Path) -> None:
    root = make_folder(tmp_path / "c", settings="tags:\n  забота: care\n  дети: children\n",
                       stories={"a.md": story(tags="[Забота, ДЕТИ]"),
                                "b.md": story(tags="[забта]"),
                                "c.md": story(tags="[погода]")})
    content = load_content(root)
    assert [s.tags for s in content.stories] == [("забота", "дети"), ("забота",),
                                                 ("погода",)]
    assert [(Path(p.path).name, p.code) for p in content.problems] == [
        ("b.md", "tag_misspelt"), ("c.md", "unknown_tag")]
    assert "«забота»" in content.problems[0].message("ru")


def test_yearly_schedules_survive_the_index(tmp_path: Path) -> None:
    from kiosk.core.content.index import ContentIndex
    from kiosk.core.content.loader import ParseCache

    root = make_folder(tmp_path / "c", stories={
        "a.md": story(months="июнь-август", weekdays="пн-пт"),
        "b.md": story(show_from="20.12", show_until="10.01")})
    schedules = []
    for _ in range(2):  # written to the index, then read back from it in a new "process"
        index = ContentIndex.open(tmp_path / "index.sqlite")
        assert index is not None
        content = load_content(root, cache=ParseCache(index=index))
        schedules.append([s.schedule for s in content.stories])
        index.close()
    assert schedules[0] == schedules[1]
    assert schedules[1][0].months == frozenset({6, 7, 8})
    assert schedules[1][1].yearly == ((12, 20), (1, 10))


@pytest.mark.parametrize("value", ["31.02.2024", "2024-02-30", "30-31 февраля",
                                   "29.02.2023..01.03.2023"])
def test_an_impossible_closed_day_is_named_as_such(value: str) -> None:
    from kiosk.core.schedules.opening import parse_days

    problems: list[Problem] = []
    assert parse_days([value], "closed_days", 3, ProblemLog("kiosk.yaml", problems)) == ()
    assert [(p.code, p.line) for p in problems] == [("closed_day_impossible", 3)]
    assert "не бывает" in problems[0].message("ru")


def test_a_folder_inside_a_folder_of_content_is_named_not_dropped(tmp_path: Path) -> None:
    """Staff sorting stories by year into stories/2024/ lost them without a word: the kiosk
    reads one level. Each such folder is named, with the fix; images/ may have folders, and
    hidden ones (a sync tool's) are left alone."""
    root = make_folder(tmp_path / "c", stories={"a.md": story()}, images={
        "stories/2024/b.md": story("Прошлогодняя"), "anniversary/old/01.md": story(),
        "colouring/extra/cat.svg": SVG, "posters/winter/snow.svg": SVG,
        "notices/old/closed.yaml": "text: Закрыто\n", "images/2024/photo.svg": SVG,
        "stories/.sync/c.md": story(), "colouring/.DS_Store": b"\x00", "colouring/cat.svg": SVG})
    content = load_content(root)
    named = {Path(p.path).relative_to(root).as_posix(): p for p in content.problems}
    assert set(named) == {"stories/2024", "anniversary/old", "colouring/extra",
                          "posters/winter", "notices/old"}, named
    assert all(p.code == "subfolder_not_read" and not p.is_error for p in named.values())
    assert "«2024» — папка внутри stories/" in named["stories/2024"].message("ru")
    assert "Переложите их прямо в папку stories/" in named["stories/2024"].message("ru")
    assert "move this folder out of posters/" in named["posters/winter"].message("en")
    assert [s.id for s in content.stories] == ["a"]
    assert [p.id for p in content.colouring] == ["cat"]  # a hidden file first: read past


def test_a_title_of_characters_that_print_nothing_is_as_empty_as_one_of_spaces(
        tmp_path: Path) -> None:
    """Zero-width spaces, a word joiner, soft hyphens, a Hangul filler: `kiosk check` said
    nothing, and the story, the page and the band showed a blank where the title goes."""
    root = make_folder(
        tmp_path / "c",
        stories={"zw.md": story('"\\u200b\\u200b"', teaser='"\\u2060"'),
                 "shy.md": story('"\\u00ad\\u00ad"'), "fine.md": story("Обычная история",
                                                                      title_en='"\\u200d"')},
        pages={"01.md": story('"\\u3164"')},
        settings='centre_name: "\\u200b"\n')
    content = load_content(root)
    by_file = {(Path(p.path).name, p.code, p.is_error) for p in content.problems}
    assert {("zw.md", "empty_field", True), ("shy.md", "empty_field", True),
            ("01.md", "empty_field", True), ("fine.md", "empty_field", False),
            ("kiosk.yaml", "wrong_type", True)} <= by_file, by_file
    assert [(s.id, s.title.get("en")) for s in content.stories] == [
        ("fine", "Обычная история")]  # the English title blank: the Russian one stands in
    assert content.pages == ()
    assert content.settings.centre_name == "Мои Документы"  # the default, not a blank band


def test_a_schedule_no_day_can_suit_is_named() -> None:
    """«weekdays: [сб]» for a Monday-to-Friday week, February's month for August's dates:
    accepted without a word, and the item never shown."""
    never = [
        "show_from: 2026-02-02\nshow_until: 2026-02-06\nweekdays: [сб]\n",
        "show_from: 2026-08-01\nshow_until: 2026-08-31\nmonths: [февраль]\n",
        "show_from: 01.08\nshow_until: 31.08\nmonths: [февраль, март]\n",
        # 30 January to 2 February: the Saturday is in January, February has none.
        "show_from: 2026-01-30\nshow_until: 2026-02-02\nmonths: [февраль]\nweekdays: [сб]\n",
        "show_from: 20.12\nshow_until: 10.01\nmonths: [март]\n",  # over the new year
    ]
    for text in never:
        _, problems = front(text)
        assert [p.code for p in problems] == ["schedule_never"], (text, problems)
        assert problems[0].line in (4, 5) and not problems[0].is_error
        assert "не покажется никогда" in both(problems[0])
    fine = [
        "show_from: 2026-02-02\nshow_until: 2026-02-06\nweekdays: [пн]\n",
        "show_from: 2026-08-30\nshow_until: 2026-09-02\nmonths: [сентябрь]\n",
        "show_from: 2026-01-01\nshow_until: 2027-06-30\nmonths: [декабрь]\nweekdays: [вс]\n",
        "show_from: 30.12\nshow_until: 02.01\nmonths: [январь]\n",  # over the new year
        "show_from: 2026-01-30\nshow_until: 2026-02-02\nmonths: [февраль]\nweekdays: [пн]\n",
        "show_from: 2026-12-28\nshow_until: 2027-01-03\nmonths: [январь]\nweekdays: [вс]\n",
        "show_from: 2026-02-02\nshow_until: 2026-02-02\n",
    ]
    for text in fine:
        _, problems = front(text)
        assert problems == [], (text, problems)


def test_invisible_line_breaks_in_the_fields_are_named_at_their_line(tmp_path: Path) -> None:
    """U+2028 from a web page, a vertical tab from PowerPoint, NUL, a stray U+FFFE: YAML broke
    the line there or refused it, and the message named another line and «no colon» as the
    cause (or refused the whole file)."""
    root = make_folder(tmp_path / "c", stories={
        "ls.md": "---\ntitle: Строка\u2028с разделителем\nteaser: Тизер\u2029абзац\n"
                 "date: 2024-13-45\n---\nТекст.\n",
        "vt.md": "---\r\ntitle: Вертикальная\x0bтабуляция\r\n---\r\nТекст.\r\n",
        "nul.md": "---\ntitle: NUL\x00байт\n---\nТекст.\n",
        "nonchar.md": "---\ntitle: Кот\ufffe и пёс\uffff\n---\nТекст.\n"},
        images={"notices/closed.yaml": "level: срочное\ntext: Завтра\u2028закрыто\n"})
    content = load_content(root)
    assert [n.text.ru for n in content.notices] == ["Завтра закрыто"]  # in a .yaml file too
    seen = {(Path(p.path).name, p.code, p.line) for p in content.problems}
    assert {("ls.md", "hidden_characters_line", 2), ("ls.md", "hidden_characters_line", 3),
            ("vt.md", "hidden_characters_line", 2), ("nul.md", "hidden_characters_line", 2),
            ("nonchar.md", "hidden_characters_line", 2),
            ("closed.yaml", "hidden_characters_line", 2)} <= seen, seen
    assert not any(code in ("yaml_syntax", "no_colon") for _, code, _ in seen), seen
    dated = [line for name, code, line in seen if name == "ls.md" and "date" in code]
    assert dated == [4], seen  # the bad date named at its own line, as Notepad numbers it
    titles = {s.id: s.title.ru for s in content.stories}
    assert titles == {"ls": "Строка с разделителем", "vt": "Вертикальная табуляция",
                      "nul": "NULбайт", "nonchar": "Кот и пёс"}
    named = next(p for p in content.problems if p.code == "hidden_characters_line")
    assert "U+2028" in both(named) and "наберите строку заново" in both(named)


def test_messages_quote_values_as_typed_not_as_python_prints_them(tmp_path: Path) -> None:
    """«['a'» — не день недели, часовой пояс «['Europe/Moscow']», «указано «750»» for 12:30:
    the message showed Python's text, not what staff typed."""
    _, problems = front("weekdays: [[a, [b]], {c: [d]}]\n")
    assert [p.args["value"] for p in problems] == ["[a, [b]]", "{c: [d]}"]
    _, problems = front("weekdays: 12:30\n")
    assert [p.args["value"] for p in problems] == ["12:30"]
    _, problems = front("show_from: [a, b]\nbefore_closed_days: [x]\n")
    assert [p.args["value"] for p in problems] == ["[a, b]", "[x]"]
    tags = 'tags: {забота: [care], дети: {a: b}, "": пусто, находки: finds}\n'
    root = make_folder(tmp_path / "c", stories={"a.md": story(tags="12:30")},
                       settings="timezone: [Europe/Moscow]\n" + tags)
    content = load_content(root)
    messages = "\n".join(p.message("ru") for p in content.problems)
    assert "[Europe/Moscow]" in messages and "'" not in messages, messages
    assert "«12:30»" in messages and "750" not in messages, messages
    assert content.settings.tags == {"находки": "finds"}  # no ['care'] on an English chip
    wrong = [p for p in content.problems if p.code == "wrong_type" and "tags:" in p.args["key"]]
    assert len(wrong) == 3, content.problems


def test_colouring_yaml_mistakes_are_named_with_their_fix(tmp_path: Path) -> None:
    cases = {
        "file: cat.svg\ntitle: Кот\n": ("colouring_index_not_list", 1, "- file:"),
        "- cat.svg\n": ("colouring_entry_not_picture", None, "«cat.svg»"),
        "- title: Кот\n  title_en: Cat\n": ("colouring_entry_no_file", 1, "file: кот.svg"),
        "- file: [a]\n  title: Кот\n": ("wrong_type", 1, "«[a]»"),
        "- file: 12:30\n": ("wrong_type", 1, "«12:30»"),
        "- file: cat.svg\n  title: [Кот]\n": ("wrong_type", 2, "«[Кот]»"),
    }
    for index, (text, (code, line, words)) in enumerate(cases.items()):
        root = make_folder(tmp_path / f"c{index}", stories={"a.md": story()},
                           images={"colouring/cat.svg": SVG, "colouring/colouring.yaml": text})
        (problem,) = [p for p in load_content(root).problems if p.path.endswith("colouring.yaml")]
        assert (problem.code, problem.line) == (code, line), (text, problem)
        assert words in problem.message("ru"), (text, problem.message("ru"))
        assert "LineDict" not in both(problem) and "начало файла" not in both(problem)


def test_a_hundred_folders_inside_stories_are_named_in_twenty_one_lines(tmp_path: Path) -> None:
    root = make_folder(tmp_path / "c", stories={"a.md": story()})
    for number in range(100):
        (root / "stories" / f"{number:03d}").mkdir()
    problems = load_content(root).problems
    assert [p.code for p in problems].count("subfolder_not_read") == 20
    (more,) = [p for p in problems if p.code == "more_subfolders"]
    assert Path(more.path) == root / "stories" and "ни в одну из них" in more.message("ru")
