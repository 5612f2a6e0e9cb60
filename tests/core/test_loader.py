from __future__ import annotations

import datetime as dt
import re
import unicodedata
from pathlib import Path

import pytest

from kiosk.core.content.loader import ImageCheck, load_content
from kiosk.core.content.problems import Language, Problem
from kiosk.core.i18n import STRINGS
from tests.helpers import BUNDLED, SVG, make_folder, story


def codes(problems: tuple[Problem, ...]) -> list[tuple[str, int | None, str]]:
    return [(Path(p.path).name, p.line, p.code) for p in problems]


def test_bundled_content_loads_without_errors() -> None:
    content = load_content(BUNDLED)
    assert content.errors == ()
    assert len(content.pages) >= 5
    assert len(content.stories) >= 12
    assert content.colouring
    assert all(s.example for s in content.stories)
    assert all(p.title.en and p.body.en for p in content.pages)
    assert all(s.title.en and s.body.en for s in content.stories)


def test_the_bundled_texts_name_a_section_as_the_menu_does() -> None:
    """«в разделе «Истории»» sent a visitor to look for a section the menu does not have:
    the stories' tile is «Искренний сервис» ("Sincere Service")."""
    content = load_content(BUNDLED)
    tiles = [key for key in STRINGS if key.startswith("tile_") and not key.endswith("_sub")]
    named = {"ru": re.compile(r"раздел\w* «([^»]+)»"), "en": re.compile(r"“([^”]+)” section")}
    texts = [(p.source, p.body) for p in content.pages]
    texts += [(s.source, s.body) for s in content.stories]
    languages: tuple[Language, Language] = ("ru", "en")
    for column, lang in enumerate(languages):
        menu = {STRINGS[key][column] for key in tiles}
        for source, body in texts:
            for section in named[lang].findall(body.get(lang)):
                assert section in menu, f"{source} ({lang}): no section «{section}»"


def test_a_story_is_read_with_all_its_fields(tmp_path: Path) -> None:
    root = make_folder(
        tmp_path / "c",
        settings="tags:\n  дети: children\n",
        stories={"a.md": story(title_en="A warm welcome", centre="Марьино", date="2023-07-14",
                               tags="[дети]", photo="images/a.svg", example="true",
                               body="Русский текст.\n\n=== English ===\nEnglish text.")},
        images={"images/a.svg": SVG})
    content = load_content(root)
    assert content.problems == ()
    (item,) = content.stories
    assert item.title.get("ru") == "Тёплый приём"
    assert item.title.get("en") == "A warm welcome"
    assert item.body.get("ru") == "Русский текст."
    assert item.body.get("en") == "English text."
    assert item.date == dt.date(2023, 7, 14)
    assert item.tags == ("дети",)
    assert item.photo == (root / "images/a.svg").resolve()
    assert content.tag_label("дети", "en") == "children"


def test_missing_english_falls_back_to_russian(tmp_path: Path) -> None:
    root = make_folder(tmp_path / "c", stories={"a.md": story()})
    (item,) = load_content(root).stories
    assert item.title.get("en") == "Тёплый приём"


def test_broken_front_matter_skips_only_that_story(tmp_path: Path) -> None:
    root = make_folder(tmp_path / "c", stories={
        "good.md": story(),
        "bad.md": "---\ntitle: Центр: Марьино\n---\nТекст\n",
    })
    content = load_content(root)
    assert [s.id for s in content.stories] == ["good"]
    assert codes(content.problems) == [("bad.md", 2, "yaml_syntax"), ("bad.md", None, "skipped")]
    assert content.problems[0].format("ru").startswith(
        f"{root / 'stories' / 'bad.md'}:2: ошибка: разметка YAML нарушена")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Текст без полей\n", ("no_front_matter", 1)),
        ("---\ntitle: А\nТекст\n", ("unclosed_front_matter", 3)),
        ("---\ntitle: А\n---\n\n", ("empty_text", 4)),
        ("---\ncentre: Марьино\n---\nТекст\n", ("missing_field", 2)),
        ("---\ntitle: [1, 2]\n---\nТекст\n", ("wrong_type", 2)),
        ("---\ntitle:\n---\nТекст\n", ("empty_field", 2)),
        ("---\ntitle: #1 в районе\n---\nТекст\n", ("empty_field", 2)),
    ],
)
def test_each_broken_story_is_explained(tmp_path: Path, text: str,
                                        expected: tuple[str, int]) -> None:
    root = make_folder(tmp_path / "c", stories={"x.md": text})
    content = load_content(root)
    assert content.stories == ()
    first = content.problems[0]
    assert (first.code, first.line) == expected
    assert first.is_error


@pytest.mark.parametrize(
    ("photo", "code"),
    [
        ("images/missing.svg", "missing_file"),
        ("../outside.svg", "path_outside"),
        ("/etc/passwd", "path_outside"),
        ("https://example.org/a.jpg", "path_remote"),
        ("images/notes.txt", "bad_image_format"),
    ],
)
def test_bad_photo_paths(tmp_path: Path, photo: str, code: str) -> None:
    (tmp_path / "outside.svg").write_text(SVG)
    root = make_folder(tmp_path / "c", stories={"x.md": story(photo=photo)},
                       images={"images/notes.txt": "hello"})
    content = load_content(root)
    assert content.stories == ()
    assert (content.problems[0].code, content.problems[0].line) == (code, 3)


def test_windows_paths(tmp_path: Path) -> None:
    root = make_folder(tmp_path / "c", stories={
        "a.md": story(photo="images\\a.svg"),
        "b.md": story(photo="C:\\Users\\Мария\\фото.jpg")},
        images={"images/a.svg": SVG})
    content = load_content(root)
    assert [s.id for s in content.stories] == ["a"]
    assert content.problems[0].code == "path_outside"


def test_a_name_macos_wrote_is_found_however_its_letters_were_typed(tmp_path: Path) -> None:
    # macOS names a file «й» as «и» and a combining breve (NFD); Notepad and every keyboard
    # type the one letter «й» (NFC). They look the same; the bytes differ.
    nfd, nfc = (unicodedata.normalize(form, "майский-день.svg") for form in ("NFD", "NFC"))
    assert nfd != nfc
    root = make_folder(tmp_path / "c", stories={
        "mac.md": story(photo=f"images/{nfc}"),
        "pc.md": story(photo=unicodedata.normalize("NFD", "images/ёлка.svg"))},
        images={f"images/{nfd}": SVG, "images/ёлка.svg": SVG,
                f"colouring/{nfd}": SVG,
                "colouring/colouring.yaml": f"- file: {nfc}\n  title: Майский день\n"})
    content = load_content(root)
    assert content.problems == ()
    photos = {s.id: s.photo for s in content.stories}
    assert photos["mac"] is not None and photos["mac"].name == nfd
    assert photos["pc"] is not None and photos["pc"].name == "ёлка.svg"
    assert [p.title.ru for p in content.colouring] == ["Майский день"]


@pytest.mark.parametrize(("typed", "on_disk"), [("images/poster.jpg", "images/Poster.JPG"),
                                                ("Images/Poster.JPG", "images/Poster.JPG"),
                                                ("IMAGES/poster.jpg", "images/Poster.JPG")])
def test_a_name_in_other_case_names_the_file_that_is_there(tmp_path: Path, typed: str,
                                                           on_disk: str) -> None:
    # Windows found «Poster.JPG» as «poster.jpg» on the publisher's own computer.
    root = make_folder(tmp_path / "c", stories={"a.md": story(photo=typed)},
                       images={"images/Poster.JPG": b"\xff\xd8\xff"})
    problem = load_content(root).problems[0]
    assert (problem.code, problem.line, problem.is_error) == ("missing_file_case", 3, True)
    assert f"«{on_disk}»" in problem.message("ru") and f"“{on_disk}”" in problem.message("en")
    assert "в точности как у файла" in problem.message("ru")


def test_a_name_in_other_case_never_names_what_lies_through_a_link(tmp_path: Path) -> None:
    # «Images» is a link to a folder outside the content: the photo typed «images/…» is
    # missing, and nothing beyond the link is listed or named (the file there is private).
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "Secret-Plan.jpg").write_bytes(b"\xff\xd8\xff")
    root = make_folder(tmp_path / "c", stories={"a.md": story(photo="images/secret-plan.jpg")})
    (root / "Images").symlink_to(outside, target_is_directory=True)
    problems = load_content(root).problems
    messages = [p.message("ru") for p in problems]
    assert not any("Secret-Plan" in message for message in messages), messages
    assert any("images/secret-plan.jpg" in message for message in messages)
    # Missing, as it is: no other spelling of the name to copy is offered.
    assert [p.code for p in problems if p.code.startswith("missing")] == ["missing_file"]


def test_optional_fields_of_the_wrong_kind_only_warn(tmp_path: Path) -> None:
    root = make_folder(tmp_path / "c", stories={
        "a.md": story(attract="иногда", tags="5", duration="долго", example="нет")})
    content = load_content(root)
    assert len(content.stories) == 1
    assert content.stories[0].attract is True
    assert [(p.code, p.is_error) for p in content.problems] == [("wrong_type", False)] * 3


def test_what_yaml_would_mangle_is_kept_as_typed(tmp_path: Path) -> None:
    root = make_folder(tmp_path / "c", stories={"a.md": story(title="12:30", centre="yes")})
    (item,) = load_content(root).stories
    assert item.title.ru == "12:30"
    assert item.centre.ru == "yes"


def test_misnamed_files_and_folders_are_named(tmp_path: Path) -> None:
    root = make_folder(tmp_path / "c", stories={"a.md": story()})
    (root / "stories" / "b.md.txt").write_text(story(), encoding="utf-8")
    (root / "stories" / "c.markdown").write_text(story(), encoding="utf-8")
    (root / "story").mkdir()
    content = load_content(root)
    found = sorted((Path(p.path).name, p.code, p.message("ru")) for p in content.problems)
    assert found == [
        ("b.md.txt", "wrong_suffix", "файл «b.md.txt» не будет прочитан: нужно расширение .md "
                                     "— переименуйте его в «b.md»"),
        ("c.markdown", "wrong_suffix", "файл «c.markdown» не будет прочитан: нужно расширение "
                                       ".md — переименуйте его в «c.md»"),
        ("story", "unknown_entry", "«story» — лишнее: такой файл или папку киоск не читает "
                                   "(возможно, вы имели в виду «stories»?)"),
    ]


def test_symlink_leading_outside_is_refused(tmp_path: Path) -> None:
    (tmp_path / "secret.svg").write_text(SVG)
    root = make_folder(tmp_path / "c", stories={"x.md": story(photo="images/link.svg")})
    (root / "images").mkdir()
    (root / "images" / "link.svg").symlink_to(tmp_path / "secret.svg")
    assert load_content(root).problems[0].code == "path_outside"


def test_the_image_probe_decides_about_damaged_images(tmp_path: Path) -> None:
    root = make_folder(tmp_path / "c", stories={"x.md": story(photo="images/a.png"),
                                                 "y.md": story(photo="images/a.png")},
                       images={"images/a.png": b"\x89PNG\r\n\x1a\n"})
    calls: list[Path] = []

    def probe(path: Path) -> ImageCheck:
        calls.append(path)
        return ImageCheck("bad_image", "truncated")

    content = load_content(root, probe)
    assert content.stories == ()
    assert len(calls) == 1  # decoded once, however many stories use it
    assert "повреждено" in content.problems[0].message("ru")


def test_svg_with_external_references_is_refused(tmp_path: Path) -> None:
    svg = SVG.replace("</svg>", '<image href="http://example.org/x.png"/></svg>')
    root = make_folder(tmp_path / "c", stories={"x.md": story(photo="images/a.svg")},
                       images={"images/a.svg": svg})
    content = load_content(root)
    assert content.stories == ()
    assert content.problems[0].code == "svg_external"
    assert content.problems[0].is_error
    assert "example.org" in content.problems[0].message("ru")


def test_warnings_do_not_hide_a_story(tmp_path: Path) -> None:
    root = make_folder(
        tmp_path / "c", settings="tags:\n  дети: children\n",
        stories={"x.md": story(titel="Опечатка", date="22.08.23", tags="[дтеи]",
                               body="Текст")})
    content = load_content(root)
    assert len(content.stories) == 1
    assert [p.code for p in content.problems] == ["unknown_field", "bad_date", "tag_misspelt"]
    assert "возможно, вы имели в виду «title»" in content.problems[0].message("ru")
    assert "похоже, это «дети»" in content.problems[2].message("ru")
    assert content.stories[0].tags == ("дети",)


def test_not_utf8_is_explained(tmp_path: Path) -> None:
    root = make_folder(tmp_path / "c")
    (root / "stories").mkdir()
    (root / "stories" / "x.md").write_bytes("---\ntitle: Привет\n---\nТекст\n".encode("cp1251"))
    problem = load_content(root).problems[0]
    assert (problem.code, problem.line) == ("not_utf8", 2)
    assert "UTF-8" in problem.message("ru")


def test_pages_are_ordered_as_people_number_them(tmp_path: Path) -> None:
    page = "---\ntitle: Страница\n---\nТекст\n"
    root = make_folder(tmp_path / "c", pages={"10-last.md": page, "2-second.md": page,
                                              "1-first.md": page})
    assert [p.id for p in load_content(root).pages] == ["1-first", "2-second", "10-last"]


def test_page_duration_is_clamped(tmp_path: Path) -> None:
    root = make_folder(tmp_path / "c", pages={"1.md": "---\ntitle: А\nduration: 1\n---\nТ\n"})
    content = load_content(root)
    assert content.pages[0].duration == 3.0
    assert content.problems[0].code == "clamped"


def test_colouring_index_gives_order_and_titles(tmp_path: Path) -> None:
    root = make_folder(tmp_path / "c", images={
        "colouring/a-cat.svg": SVG, "colouring/b-dog.svg": SVG, "colouring/notes.txt": "x",
        "colouring/photo.gif": "GIF89a",
        "colouring/colouring.yaml": "- file: b-dog.svg\n  title: Собака\n  title_en: Dog\n"
                                    "- file: ghost.svg\n  title: Призрак\n"})
    content = load_content(root)
    assert [(p.id, p.title.get("ru"), p.title.get("en")) for p in content.colouring] == [
        ("b-dog", "Собака", "Dog"), ("a-cat", "A cat", "A cat")]
    assert sorted(p.code for p in content.problems) == [
        "bad_image_format", "colouring_unknown_file", "no_content", "stray_file"]


def test_missing_folder_and_empty_folder(tmp_path: Path) -> None:
    missing = load_content(tmp_path / "nowhere")
    assert missing.is_empty and missing.problems[0].code == "missing_folder"
    empty = load_content(make_folder(tmp_path / "empty"))
    assert empty.is_empty and [p.code for p in empty.problems] == ["empty_content_folder",
                                                                     "no_content"]


def test_quoted_or_comma_numbers_out_of_range_are_clamped(tmp_path: Path) -> None:
    root = make_folder(tmp_path / "c", pages={"1.md": '---\ntitle: А\nduration: "2,5"\n---\nТ\n'})
    content = load_content(root)
    assert content.pages[0].duration == 3.0
    assert content.problems[0].message("ru").startswith("«duration»: 2.5 — вне допустимого")


def test_values_in_messages_are_words_not_python(tmp_path: Path) -> None:
    root = make_folder(tmp_path / "c", settings="slide_seconds:\ncentre_name: 12:30\n",
                       stories={"a.md": story(tags="5")})
    content = load_content(root)
    assert content.settings.centre_name == "12:30"
    messages = [p.message("ru") for p in content.problems]
    assert messages == [
        "«slide_seconds»: ожидается число, а указано «пусто»; используется 9",
        "«tags»: ожидается список в квадратных скобках, например [дети, забота], а указано «5»; "
        "используется ничего (поле не учитывается)",
    ]


def test_names_that_differ_only_in_case_are_reported(tmp_path: Path) -> None:
    root = make_folder(tmp_path / "c", stories={"umbrella.md": story(), "Umbrella.md": story()},
                       images={"colouring/a.svg": SVG,
                               "colouring/colouring.yaml": "- file: a.svg\n- file: a.svg\n"})
    content = load_content(root)
    codes = sorted(p.code for p in content.problems)
    assert codes == ["duplicate_id", "duplicate_key"]
    assert len(content.colouring) == 1


def test_a_missing_queue_file_is_a_warning_that_names_the_line(tmp_path: Path) -> None:
    root = make_folder(tmp_path / "content", stories={"a.md": story()},
                       settings="idle_seconds: 60\nqueue:\n  source: .queue/calls.json\n")
    content = load_content(root)
    assert content.settings.queue is not None
    assert [(p.line, p.code, p.is_error) for p in content.problems] == [
        (3, "queue_file_missing", False)]
    (root / ".queue").mkdir()
    (root / ".queue" / "calls.json").write_text("{}", encoding="utf-8")
    assert load_content(root).problems == ()
