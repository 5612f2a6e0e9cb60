"""`kiosk check` on the mistakes that once passed it with exit status 0 (issue 17, part 3)."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.cli.test_cli import kiosk
from tests.helpers import BUNDLED, copy_bundled


def test_checking_the_folder_above_the_content_fails_and_names_the_right_one(
        tmp_path: Path) -> None:
    shutil.copytree(BUNDLED, tmp_path / "kiosk" / "content")
    result = kiosk("check", tmp_path / "kiosk")
    assert result.returncode == 1, result.stdout
    assert f"kiosk check {tmp_path / 'kiosk' / 'content'}" in result.stdout
    stories = kiosk("check", tmp_path / "kiosk" / "content" / "stories", "--lang", "en")
    assert stories.returncode == 1
    assert "is the stories/ folder inside the content folder" in stories.stdout
    (tmp_path / "empty").mkdir()
    empty = kiosk("check", tmp_path / "empty")
    assert empty.returncode == 1 and "пуста" in empty.stdout


def test_check_names_word_files_separators_and_a_thirteenth_picture(tmp_path: Path) -> None:
    root = copy_bundled(tmp_path)
    (root / "stories" / "visit.md.docx").write_bytes(b"PK\x03\x04word")
    (root / "stories" / "note.txt").write_text("Текст", encoding="utf-8")
    umbrella = root / "stories" / "umbrella.md"
    umbrella.write_text(umbrella.read_text(encoding="utf-8").replace(
        "=== English ===", "=== Englsh ==="), encoding="utf-8")
    pictures = sorted((root / "colouring").glob("*.svg"))
    for i in range(13 - len(pictures)):
        shutil.copy(pictures[0], root / "colouring" / f"zz-extra-{i:02d}.svg")
    result = kiosk("check", root)
    assert result.returncode == 1, result.stdout
    out = result.stdout
    assert "visit.md.docx: предупреждение: «visit.md.docx» — документ Word" in out
    assert "note.txt: предупреждение: «note.txt» — простой текстовый файл" in out
    assert "umbrella.md:15: ошибка: строка «=== Englsh ===»" in out
    assert "zz-extra-03.svg: предупреждение: картинка «zz-extra-03.svg» не показывается" in out


def test_a_long_title_is_told_to_shorten_the_title_not_the_text(tmp_path: Path) -> None:
    root = copy_bundled(tmp_path)
    umbrella = root / "stories" / "umbrella.md"
    text = umbrella.read_text(encoding="utf-8")
    body_ru = text.split("---\n", 2)[2].split("=== English ===")[0]
    long_title = ("Зонтик под ливнем, который тренер академии раздобыл для участницы, "
                  "ждавшей под козырьком сорок пять минут")
    umbrella.write_text(text.replace("title: Зонтик под ливнем", f"title: {long_title}")
                        .replace(body_ru, body_ru.strip() + "\n\n" + body_ru.strip() * 2
                                 + "\n\n"), encoding="utf-8")
    result = kiosk("check", root, "--lang", "en")
    lines = [line for line in result.stdout.splitlines() if "umbrella.md" in line]
    assert any("shorten the title" in line and "not the text" in line for line in lines), \
        result.stdout
    assert not any("shorten it to about" in line for line in lines)
