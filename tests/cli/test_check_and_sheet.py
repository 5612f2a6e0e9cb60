"""`kiosk check` blames the item at fault, and `kiosk preview`'s contact sheet says all that
`check` says (issue 17): text too long for its screen, a picture a child cannot colour, a
centre's name too long for the band, each outlined on the shots that show it; and with
`--at`, what each schedule hides then."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

from tests.cli.test_cli import kiosk
from tests.helpers import CULPRIT, copy_bundled, make_folder, story

TOO_LONG_NAME = ("Государственное бюджетное учреждение города Москвы «Многофункциональные "
                 "центры предоставления государственных услуг города Москвы», Южное Бутово")


def checked(root: Path, *options: str) -> dict[str, object]:
    result = kiosk("check", root, "--format", "json", *options)
    assert result.returncode in (0, 1), result.stderr
    found: dict[str, object] = json.loads(result.stdout)
    return found


def test_a_story_with_many_or_wrong_tags_is_the_only_one_check_names(tmp_path: Path) -> None:
    root = copy_bundled(tmp_path)
    culprit = root / "stories" / "zz-many-tags.md"
    culprit.write_text(CULPRIT, encoding="utf-8")
    report = checked(root)
    problems = report["problems"]
    assert isinstance(problems, list) and problems
    assert {Path(p["path"]).name for p in problems} == {culprit.name}, problems
    assert report["errors"] == 0


def test_check_names_a_centre_name_too_long_for_the_band(tmp_path: Path) -> None:
    root = make_folder(tmp_path / "c", stories={"a.md": story()},
                       settings=f"centre_name: {TOO_LONG_NAME}\n")
    machine = tmp_path / "machine.yaml"
    machine.write_text("idle_seconds: 60\n", encoding="utf-8")
    report = checked(root, "--settings", str(machine))
    names = [p for p in report["problems"] if p["code"] == "centre_name_long"]  # type: ignore
    assert [(Path(p["path"]).name, p["line"], p["severity"]) for p in names] == \
        [("kiosk.yaml", 1, "warning")]
    # Set on this computer instead: that file is named.
    machine.write_text(f"centre_name: {TOO_LONG_NAME}\n", encoding="utf-8")
    (root / "kiosk.yaml").write_text("centre_name: Мои Документы\n", encoding="utf-8")
    report = checked(root, "--settings", str(machine))
    names = [p for p in report["problems"] if p["code"] == "centre_name_long"]  # type: ignore
    assert [(Path(p["path"]), p["line"]) for p in names] == [(machine, 1)]


def open_outline(tmp_path: Path) -> bytes:
    """A colouring picture whose outline is open: one tap floods the whole sheet."""
    from PIL import Image, ImageDraw

    image = Image.new("L", (1200, 900), 255)
    ImageDraw.Draw(image).arc((200, 100, 1000, 800), 20, 340, fill=0, width=8)
    path = tmp_path / "open.png"
    image.save(path)
    return path.read_bytes()


def test_the_contact_sheet_lists_and_outlines_what_check_warns_about(tmp_path: Path) -> None:
    long_text = "Очень длинный текст истории, который никто не дочитает. " * 120
    root = make_folder(
        tmp_path / "c",
        stories={"long.md": story("Длинная история", long_text),
                 "weekdays.md": story("Только по будням", weekdays="[пн, вт, ср, чт, пт]"),
                 "short.md": story("Короткая история")},
        settings=f"centre_name: {TOO_LONG_NAME}\n",
        images={"colouring/open.png": open_outline(tmp_path)})
    report = checked(root)
    problems = report["problems"]
    assert isinstance(problems, list)
    codes = {p["code"] for p in problems}
    assert {"text_too_long", "centre_name_long"} <= codes, codes
    assert codes & {"colouring_not_closed", "colouring_gaps", "colouring_no_lines"}, codes
    out = tmp_path / "preview"
    # 5 December 2026 is a Saturday: the weekday story is hidden then.
    result = kiosk("preview", root, "--out", out, "--size", "1920x1080",
                   "--at", "2026-12-05 10:00")
    assert result.returncode == 0, result.stderr
    sheet = html.unescape((out / "index.html").read_text(encoding="utf-8"))
    assert "Замечаний нет" not in sheet
    for problem in problems:
        assert problem["message"] in sheet, problem["message"]
    outlined = re.findall(r'<figure class="shot problem">.*?</figure>', sheet, re.S)
    assert any("Длинная история" in f and "займёт" in f for f in outlined)
    assert any("colouring-" in f and "open.png" in f for f in outlined)
    assert any("attract-" in f and "centre_name" in f for f in outlined)
    assert not any("Короткая история" in f for f in outlined)
    assert "скрыто расписанием: история «Только по будням»" in sheet
    assert "показывается только по будням" in sheet


def test_preview_in_english_writes_its_sheet_and_says_done_in_english(tmp_path: Path) -> None:
    """`--lang en`: the screens, and the preview's own words (the done line, the sheet's
    headings, captions, problems and what the schedules hide), as `check --lang en` says them."""
    root = make_folder(
        tmp_path / "c",
        stories={"weekdays.md": story("Только по будням", title_en="Weekdays only",
                                      weekdays="[пн, вт, ср, чт, пт]"),
                 "short.md": story("Короткая история", title_en="A short story")},
        settings=f"centre_name: {TOO_LONG_NAME}\n")
    english = checked(root, "--lang", "en")["problems"]
    assert isinstance(english, list) and english
    out = tmp_path / "preview"
    result = kiosk("preview", root, "--out", out, "--size", "1920x1080", "--lang", "en",
                   "--at", "2026-12-05 10:00")  # a Saturday: the weekday story is hidden
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Done: "), result.stdout
    assert str(out / "index.html") in result.stdout
    sheet = html.unescape((out / "index.html").read_text(encoding="utf-8"))
    assert '<html lang="en">' in sheet
    for problem in english:
        assert problem["message"] in sheet, problem["message"]
    assert "hidden by its schedule: story “Weekdays only”" in sheet
    assert "A short story" in sheet and "Staff: diagnostics" in sheet
    for russian in ("Замечания", "Предпросмотр", "Заставка", "Сотрудники", "скрыто", "Меню"):
        assert russian not in sheet, russian


def test_the_side_by_side_sheet_says_whether_the_screen_is_lit_in_the_language_asked(
        tmp_path: Path) -> None:
    """Both orientations' sheet (no --size), at a moment after hours: the screen is off then,
    and the Monday story hidden, in Russian by default and in English with --lang en."""
    import datetime as dt

    from kiosk.core.content.loader import load_content
    from kiosk.ui.preview import Shot, write_side_by_side

    root = make_folder(tmp_path / "c", stories={"a.md": story("Понедельник", weekdays="[пн]")},
                       settings="opening_hours: 08:00-20:00\n")
    content = load_content(root)
    saturday_night = dt.datetime(2026, 12, 5, 22, 0, tzinfo=content.settings.zone)
    shots = {"landscape": [Shot("menu.png", "Menu")], "portrait": [Shot("menu.png", "Menu")]}
    write_side_by_side(content, tmp_path, shots, saturday_night, "en")
    sheet = html.unescape((tmp_path / "index.html").read_text(encoding="utf-8"))
    assert "landscape and portrait" in sheet and '<html lang="en">' in sheet
    assert "Screen off — the centre is closed" in sheet
    assert "hidden by its schedule: story “Понедельник”" in sheet
    assert "Предпросмотр" not in sheet and "Экран" not in sheet
    write_side_by_side(content, tmp_path, shots, saturday_night)
    sheet = html.unescape((tmp_path / "index.html").read_text(encoding="utf-8"))
    assert "альбомный и книжный экран" in sheet and '<html lang="ru">' in sheet
    assert "Экран выключен — центр закрыт" in sheet
    assert "скрыто расписанием: история «Понедельник»" in sheet


def test_check_names_items_whose_showing_has_ended(tmp_path: Path) -> None:
    """show_until in the past (a year typed wrong, most often): the item is never shown
    again, and `check` says so at the file where the date is written."""
    root = copy_bundled(tmp_path)
    (root / "stories" / "twins.md").write_text(
        (root / "stories" / "twins.md").read_text(encoding="utf-8").replace(
            "date: 2023-02-15", "date: 2023-02-15\nshow_until: 2025-12-31"), encoding="utf-8")
    side = root / "posters" / "1-thank-you.yaml"
    side.write_text(side.read_text(encoding="utf-8") + "show_until: 2001-01-01\n",
                    encoding="utf-8")
    (root / "stories" / "later.md").write_text(story(show_until="2999-01-01"), encoding="utf-8")
    problems = checked(root)["problems"]
    assert isinstance(problems, list)
    ended = {Path(p["path"]).name: p for p in problems if p["code"] == "schedule_ended"}
    assert set(ended) == {"twins.md", "1-thank-you.yaml"}, problems
    assert "срок показа закончился 2025-12-31" in ended["twins.md"]["message"]
    assert ended["1-thank-you.yaml"]["severity"] == "warning"


def test_check_names_a_story_dated_after_today(tmp_path: Path) -> None:
    """«date: 2027-10-05» for 2017: the story shows a day to come under its title."""
    root = copy_bundled(tmp_path)
    (root / "stories" / "twins.md").write_text(
        (root / "stories" / "twins.md").read_text(encoding="utf-8").replace(
            "date: 2023-02-15", "date: 2999-02-15"), encoding="utf-8")
    problems = checked(root)["problems"]
    assert isinstance(problems, list)
    ahead = [p for p in problems if p["code"] == "story_date_ahead"]
    assert [Path(p["path"]).name for p in ahead] == ["twins.md"], problems
    assert ahead[0]["severity"] == "warning"
    assert "«date:» 2999-02-15 — этот день ещё не наступил" in ahead[0]["message"]
