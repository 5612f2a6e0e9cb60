"""Names published from Linux or a Mac that the centres' Windows computers cannot hold."""

from __future__ import annotations

import os
from pathlib import Path

from kiosk.core.content.loader import load_content
from kiosk.core.content.problems import Problem
from kiosk.core.content.winnames import troubled, windows_trouble
from tests.helpers import SVG, make_folder, story


def said(problems: tuple[Problem, ...]) -> dict[str, Problem]:
    return {Path(p.path).name: p for p in problems if p.code != "skipped"}


def test_each_name_windows_cannot_hold_is_named_with_the_name_to_give_it(
        tmp_path: Path) -> None:
    root = make_folder(tmp_path / "c", stories={
        "вопрос: ответ.md": story("Вопрос"), "CON.md": story("Приставка"), "ok.md": story()},
        images={"posters/где?.svg": SVG, "colouring/кот|пёс.svg": SVG})
    content = load_content(root)
    found = said(content.problems)
    assert {name: p.code for name, p in found.items()} == {
        "вопрос: ответ.md": "windows_name_chars", "CON.md": "windows_name_reserved",
        "где?.svg": "windows_name_chars", "кот|пёс.svg": "windows_name_chars"}
    colon = found["вопрос: ответ.md"]
    assert colon.message("ru") == (
        "в имени «вопрос: ответ.md» есть «:» — такие знаки Windows в именах не допускает, "
        "и на компьютерах с Windows его не открыть и не скопировать. Переименуйте его, "
        "например в «вопрос- ответ.md»")
    assert "Windows does not allow" in colon.message("en")
    assert "«где.svg»" in found["где?.svg"].message("ru")
    assert "«CON-1.md»" in found["CON.md"].message("ru")
    assert "устройств" in found["CON.md"].message("ru")
    # The kiosk itself reads them all: only the centres' computers cannot.
    assert len(content.stories) == 3 and len(content.posters) == 1


def test_a_name_ending_in_a_dot_or_a_space_is_told_as_such_not_as_a_case_or_suffix_slip(
        tmp_path: Path) -> None:
    root = make_folder(tmp_path / "c", stories={
        "seven.md.": story("Семь"), "eight.md ": story("Восемь"),
        "one.md": story("Один", photo="images/a.svg"),
        "two.md": story("Два", photo="images/b.svg."),
        "three.md": story("Три", photo="images/B.svg.")},
        images={"images/a.svg ": SVG, "images/b.svg": SVG})
    found = said(load_content(root).problems)
    for name in ("seven.md.", "eight.md "):  # not «only .md files are read: remove it»
        assert found[name].code == "windows_name_end", name
        assert f"Переименуйте его в «{name.rstrip('. ')}»" in found[name].message("ru")
    on_disk = found["one.md"]  # the file's name is what is wrong, not the story's
    assert on_disk.code == "missing_file_end_on_disk"
    assert "переименуйте «a.svg » в «a.svg»" in on_disk.message("ru")
    assert "rename “a.svg ” to “a.svg”" in on_disk.message("en")
    for name in ("two.md", "three.md"):  # Windows drops the dot and finds it; the kiosk not
        assert found[name].code == "missing_file_end", name
        assert "напишите имя в точности «images/b.svg»" in found[name].message("ru")
    for problem in found.values():
        assert "заглавные и строчные" not in problem.message("ru")


def test_a_name_in_windows_1251_bytes_is_named_with_its_letters(tmp_path: Path) -> None:
    # An old zip unpacked on Linux: «Пример.md» as Windows-1251 bytes, not UTF-8.
    root = make_folder(tmp_path / "c", stories={"ok.md": story()})
    name = os.fsdecode("Пример.md".encode("cp1251"))
    (root / "stories" / name).write_text(story("Пример"), encoding="utf-8")
    found = said(load_content(root).problems)
    assert found[name].code == "name_not_utf8"
    text = found[name].message("ru")
    assert "Переименуйте его в «Пример.md»" in text and "не в UTF-8" in text
    text.encode("utf-8")  # printable as it is: no lone surrogates in the message


def test_the_name_to_give_instead_is_one_windows_can_hold(tmp_path: Path) -> None:
    # «con:.md» without its «:» is «con.md», a device's name: staff who followed the advice
    # would get a second warning, and a file Windows still cannot open.
    root = make_folder(tmp_path / "c", stories={"con:.md": story("Связь"), "ok.md": story()},
                       images={"posters/Aux?.svg": SVG})
    found = said(load_content(root).problems)
    assert "например в «con-1.md»" in found["con:.md"].message("ru")
    assert "«Aux-1.svg»" in found["Aux?.svg"].message("ru")
    for name in ("con:.md", "nul.", "PRN ", "a|b.md", "com1:", "CON:.txt",
                 os.fsdecode("кон:.md".encode("cp1251")), os.fsdecode(b"nul\xff:")):
        code, fixed = windows_trouble(name)
        assert code and fixed and not windows_trouble(fixed)[0], (name, fixed)


def test_a_device_name_with_spaces_before_its_extension_is_told_as_the_device(
        tmp_path: Path) -> None:
    # Windows drops the spaces before the dot: «con .md» opens the console, «lpt1 .svg» the
    # printer port, as «con.md» and «lpt1.svg» do.
    root = make_folder(tmp_path / "c", stories={"con .md": story("Связь"), "ok.md": story()},
                       images={"posters/lpt1  .svg": SVG})
    found = said(load_content(root).problems)
    assert {name: p.code for name, p in found.items()} == {
        "con .md": "windows_name_reserved", "lpt1  .svg": "windows_name_reserved"}
    assert found["con .md"].message("ru") == (
        "имя «con .md» Windows оставляет за устройством (CON): на компьютерах с Windows этот "
        "файл не открыть и не скопировать. Переименуйте его, например в «con-1.md»")
    assert "“lpt1-1.svg”" in found["lpt1  .svg"].message("en")
    for name in ("con .md", "NUL .tar.gz", "aux ", "com1 .txt"):
        code, fixed = windows_trouble(name)
        assert code and fixed and not windows_trouble(fixed)[0], (name, fixed)
    assert not windows_trouble("con x.md")[0] and not windows_trouble("console .md")[0]


def test_each_kind_of_trouble_is_told_even_alone_in_its_folder() -> None:
    # The loader asks `troubled` once per folder; a quick look lets most folders through
    # unread, so a lone «a.md.» or «CON.md» among usual names must still be named to staff.
    for names, told in ((["a.md.", "b.md"], ["a.md."]), (["b.md", "a.md."], ["a.md."]),
                        (["c.md ", "b.md"], ["c.md "]), (["b.md", "c.md "], ["c.md "]),
                        (["CON.md", "console.md", "b.md"], ["CON.md"]),
                        (["Осень.md", "lpt1.png"], ["lpt1.png"])):
        assert troubled(names) == told, names


def test_the_name_to_give_keeps_all_windows_can_hold() -> None:
    # What the message offers staff to type: only what Windows refuses is changed.
    for name, fixed in (("Приложение X.", "Приложение X"), ("Глава: X", "Глава- X"),
                        (" план: май.md", " план- май.md"), ("???", "-"), ("  ", "-"),
                        ("con.tar.gz", "con-1.tar.gz"), ("?.md", "-.md"), (":.svg", "-.svg")):
        assert windows_trouble(name)[1] == fixed, name


def test_a_name_neither_utf8_nor_windows_1251_is_named_with_a_dash_for_each_odd_byte(
        tmp_path: Path) -> None:
    # Byte 0x98 is no letter in Windows-1251 either: what the name cannot say is a dash.
    root = make_folder(tmp_path / "c", stories={"ok.md": story()})
    name = os.fsdecode(b"caf\x98.md")
    (root / "stories" / name).write_text(story("Кафе"), encoding="utf-8")
    found = said(load_content(root).problems)
    assert found[name].code == "name_not_utf8"
    assert "Переименуйте его в «caf-.md»" in found[name].message("ru")


def test_each_character_windows_refuses_is_named_once_and_an_invisible_one_by_its_code(
        tmp_path: Path) -> None:
    root = make_folder(tmp_path / "c", stories={
        "вопрос: ответ?.md": story("Вопрос"), "таб\tуляция.md": story("Табуляция"),
        "ok.md": story()})
    found = said(load_content(root).problems)
    assert "есть «: ?» — такие знаки" in found["вопрос: ответ?.md"].message("ru")
    assert "есть «U+0009» — такие знаки" in found["таб\tуляция.md"].message("ru")
