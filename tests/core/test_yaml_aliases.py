"""YAML anchors and aliases are refused before anything is expanded, and nesting is bounded:
a few hundred bytes of aliases once made a 52 MB message and 390 MB in `kiosk check`, and
deep nesting raised RecursionError out of the loader."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import pytest

from kiosk.core.content.loader import ContentLoader, load_content
from kiosk.core.content.problems import Problem, ProblemLog
from kiosk.core.content.yamlsrc import MAX_DEPTH, parse_yaml
from tests.helpers import make_folder, story

# 9 × 9 × … : 4.8 million strings once the teaser is turned into text (31 MB).
ALIAS_BOMB = "\n".join([
    "---",
    "title: Бомба",
    'a: &a ["ха", "ха", "ха", "ха", "ха", "ха", "ха", "ха", "ха"]',
    "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]",
    "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]",
    "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]",
    "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]",
    "f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]",
    "teaser: *f",
    "tags: *f",
    "---",
    "Текст.",
    "",
])


def codes(problems: tuple[Problem, ...] | list[Problem]) -> list[tuple[str, int | None, str]]:
    return [(Path(p.path).name, p.line, p.code) for p in problems]


@pytest.mark.timeout(30)
def test_an_alias_bomb_is_a_clear_error_found_quickly(tmp_path: Path) -> None:
    assert len(ALIAS_BOMB.encode()) < 500
    root = make_folder(tmp_path / "c", stories={"bomb.md": ALIAS_BOMB, "ok.md": story()})
    content = load_content(root)  # as `kiosk check` reads it
    assert codes(content.problems) == [("bomb.md", 3, "yaml_alias"), ("bomb.md", None, "skipped")]
    assert [s.id for s in content.stories] == ["ok"]
    message = content.problems[0].format("ru")
    assert "&имя" in message and "*имя" in message and "в кавычки" in message
    assert len(message) < 1000


@pytest.mark.timeout(30)
def test_an_alias_bomb_costs_next_to_no_memory(tmp_path: Path) -> None:
    root = make_folder(tmp_path / "c", stories={"bomb.md": ALIAS_BOMB})
    tracemalloc.start()
    try:
        content = ContentLoader(root).load()  # in this process, to be measured
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert "yaml_alias" in [p.code for p in content.problems]
    assert peak < 2_000_000


@pytest.mark.parametrize("fields", [
    "title: &name Заголовок",  # an anchor alone expands nothing, but is no content either
    "title: Заголовок\nteaser: &t Фраза\ncentre: *t",
    "title: Заголовок\nteaser: *bold text",  # meant as emphasis, read as an alias
])
def test_anchors_and_aliases_are_refused_with_their_line(tmp_path: Path, fields: str) -> None:
    text = f"---\n{fields}\n---\nТекст.\n"
    root = make_folder(tmp_path / "c", stories={"s.md": text, "ok.md": story()})
    content = ContentLoader(root).load()
    line = next(i for i, row in enumerate(text.splitlines(), start=1) if "&" in row or "*" in row)
    assert codes(content.problems) == [("s.md", line, "yaml_alias"), ("s.md", None, "skipped")]


def test_a_value_starting_with_an_asterisk_is_told_to_be_quoted() -> None:
    problems: list[Problem] = []
    assert parse_yaml("teaser: *Новое* расписание", ProblemLog("s.md", problems)) is None
    assert [p.code for p in problems] == ["yaml_syntax"]
    assert "возьмите его в кавычки" in problems[0].message("ru")


def test_ampersands_and_asterisks_inside_text_are_fine() -> None:
    problems: list[Problem] = []
    data = parse_yaml('title: "*Новое* расписание & Q&A"\nteaser: Мы & вы, 2*2\n',
                      ProblemLog("s.md", problems))
    assert problems == []
    assert data == {"title": "*Новое* расписание & Q&A", "teaser": "Мы & вы, 2*2"}


def test_an_alias_in_kiosk_yaml_keeps_the_defaults(tmp_path: Path) -> None:
    settings = "centre_name: &n Мои Документы\ncentre_name_en: *n\nslide_seconds: 12\n"
    root = make_folder(tmp_path / "c", stories={"s.md": story()}, settings=settings)
    content = ContentLoader(root).load()
    assert codes(content.problems) == [("kiosk.yaml", 1, "yaml_alias")]
    assert content.settings.slide_seconds != 12  # nothing of the file is used
    assert [s.id for s in content.stories] == ["s"]


@pytest.mark.timeout(30)
@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 330, 700])
def test_deep_nesting_is_an_error_not_a_crash(tmp_path: Path, depth: int) -> None:
    flow = "title: " + "[" * depth + "]" * depth
    block = "".join(" " * i + "a:\n" for i in range(depth)) + " " * depth + "b: 1\n"
    root = make_folder(tmp_path / "c", settings=block,
                       stories={"s.md": f"---\n{flow}\n---\nТекст.\n", "ok.md": story()})
    content = ContentLoader(root).load()  # raised RecursionError from 330 levels
    assert codes(content.problems) == [
        ("kiosk.yaml", MAX_DEPTH + 1, "yaml_too_deep"),
        ("s.md", 2, "yaml_too_deep"), ("s.md", None, "skipped")]
    assert str(MAX_DEPTH) in content.problems[0].message("ru")


def test_nesting_up_to_the_limit_is_read() -> None:
    problems: list[Problem] = []
    depth = MAX_DEPTH
    data = parse_yaml("v: " + "[" * (depth - 1) + "1" + "]" * (depth - 1),
                      ProblemLog("k.yaml", problems))
    assert problems == []
    for _ in range(depth - 1):
        data = data["v"] if isinstance(data, dict) else data[0]
    assert data == [1]
