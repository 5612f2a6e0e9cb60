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
