"""The attract loop's posters: what a story says there, for how long, and staff posters."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from kiosk.core.content.loader import load_content
from kiosk.core.content.model import AnniversaryPage, Content, Story, Text
from kiosk.core.content.teaser import (
    LONGEST_SLIDE_SECONDS,
    first_sentence,
    reading_seconds,
    teaser_line,
)
from kiosk.core.playlist import SlideKind, build_cycle
from kiosk.core.settings import Settings
from tests.helpers import BUNDLED, SVG, make_folder, story


def test_the_first_sentence_stops_at_its_end_not_at_an_abbreviation() -> None:
    body = ("**22 августа 2011 г.** в Москве открылся первый центр. С этого дня ведётся "
            "отсчёт.\n\nВторой абзац.")
    assert first_sentence(body) == "22 августа 2011 г. в Москве открылся первый центр."


def test_a_long_first_sentence_is_not_cut_but_left_out() -> None:
    long = "Слово " * 60 + "конец."
    assert first_sentence(long) == ""
    assert first_sentence("Коротко и ясно") == "Коротко и ясно"


def test_first_sentence_reads_a_bounded_head_of_any_body() -> None:
    # A body of a megabyte with no sentence end: answered from its head, and empty.
    assert first_sentence("а" * 1_000_000) == ""
    assert first_sentence("\n" * 100_000 + "Вот. Ещё") == "Вот."


def test_the_staff_teaser_wins_and_english_never_shows_russian() -> None:
    item = Story("s", Path("s.md"), Text("Т", "T"), Text("Первое. Второе."),
                 teaser=Text("Тизер", ""))
    assert teaser_line(item, "ru") == "Тизер"
    assert teaser_line(item, "en") == ""  # no English body: a Russian line would be wrong
    item = replace(item, body=Text("Первое. Второе.", "First. Second."), teaser=Text(""))
    assert teaser_line(item, "ru") == "Первое."
    assert teaser_line(item, "en") == "First."


def test_slide_time_follows_the_words_shown() -> None:
    assert reading_seconds(0, 9) == 9  # a poster with nothing to read: kiosk.yaml's time
    assert reading_seconds(20, 5) > reading_seconds(10, 5) > 5
    assert reading_seconds(500, 9) == LONGEST_SLIDE_SECONDS
    assert reading_seconds(500, 60) == 60  # staff asked for longer slides: they get them


def _content(**stories: Story) -> Content:
    return Content(Path("c"), replace(Settings(), attract_calm_invite=False,
                                      attract_colouring_invite=False),
                   stories=tuple(stories.values()))


def test_a_story_with_more_words_on_its_poster_stays_longer() -> None:
    short = Story("a", Path("a.md"), Text("Зонт"), Text("Тело."), teaser=Text("Два слова"))
    long = Story("b", Path("b.md"), Text("Справка нашлась до закрытия"), Text("Тело."),
                 teaser=Text(" ".join(["слово"] * 16)))
    timed = Story("c", Path("c.md"), Text("Зонт"), Text("Тело."), duration=30.0)
    slides = {s.item_id: s.duration for s in build_cycle(_content(a=short, b=long, c=timed))}
    assert slides["b"] > slides["a"]
    assert slides["c"] == 30.0  # the story's own duration wins


def test_teasers_are_read_and_a_paragraph_for_a_teaser_is_named(tmp_path: Path) -> None:
    root = make_folder(tmp_path / "c", stories={
        "a.md": story(teaser="«Помочь было несложно»", teaser_en="It was easy to help"),
        "b.md": story(teaser=" ".join(["слово"] * 25)),
    })
    content = load_content(root)
    first = content.story("a")
    assert first is not None and first.teaser == Text("«Помочь было несложно»",
                                                      "It was easy to help")
    long = [p for p in content.problems if p.code == "teaser_long"]
    assert [(Path(p.path).name, p.line, p.args["words"]) for p in long] == [("b.md", 3, "25")]


def test_posters_join_the_loop_with_their_own_schedule(tmp_path: Path) -> None:
    root = make_folder(tmp_path / "c", stories={f"s{i}.md": story() for i in range(4)},
                       images={"posters/1-holiday.svg": SVG, "posters/1-holiday.yaml":
                               "duration: 15\nshow_until: 2020-01-01\n",
                               "posters/2-hours.svg": SVG,
                               "posters/notes.yaml": "duration: 5\n"})
    content = load_content(root)
    assert [p.id for p in content.posters] == ["1-holiday", "2-hours"]
    assert content.posters[0].duration == 15
    alone = [Path(p.path).name for p in content.problems if p.code == "poster_side_file_alone"]
    assert alone == ["notes.yaml"]
    assert not [p for p in content.problems if p.code == "unknown_entry"]
    import datetime as dt

    now = dt.datetime(2026, 12, 4, 12, 0)
    shown = [s.item_id for s in build_cycle(content, 0, now) if s.kind is SlideKind.POSTER]
    assert shown == ["2-hours"]  # the holiday poster's time is over
    every = [s.item_id for s in build_cycle(content) if s.kind is SlideKind.POSTER]
    assert every == ["1-holiday", "2-hours"]


def test_a_folder_of_posters_alone_is_content(tmp_path: Path) -> None:
    root = make_folder(tmp_path / "c", images={"posters/a.svg": SVG})
    content = load_content(root)
    assert not content.is_empty
    assert "no_content" not in [p.code for p in content.problems]
    assert SlideKind.POSTER in [s.kind for s in build_cycle(content)]


def test_bundled_stories_and_pages_all_have_a_teaser_in_both_languages() -> None:
    content = load_content(BUNDLED)
    items: list[Story | AnniversaryPage] = [*content.pages, *content.stories]
    for item in items:
        assert item.teaser.ru and item.teaser.en, item.source.name


def test_a_sentence_ends_only_within_the_limit() -> None:
    text = "а" * 159 + ". Дальше"  # the dot is the 160th character: the sentence fits
    assert first_sentence(text) == "а" * 159 + "."
    longer = "а" * 160 + ". Дальше"
    assert first_sentence(longer) == ""


def test_posters_open_nothing_outside_the_folder_and_a_fifo_never_blocks(
        tmp_path: Path) -> None:
    import os

    from kiosk.core.content.loader import ImageCheck

    secret = tmp_path / "secret.png"
    secret.write_bytes(b"not the kiosk's")
    root = make_folder(tmp_path / "c", stories={"a.md": story()},
                       images={"posters/ok.svg": SVG, "posters/inside.svg": SVG})
    (root / "posters" / "leak.png").symlink_to(secret)
    (root / "posters" / "near.svg").symlink_to(root / "posters" / "inside.svg")
    os.mkfifo(root / "posters" / "ok.yaml")  # a reader of it would wait for a writer forever
    opened: list[str] = []

    def probe(path: Path) -> ImageCheck:
        opened.append(path.name)
        return ImageCheck()

    content = load_content(root, probe)
    # A link is refused even when it leads inside the folder (docs/content-format.md).
    assert [p.id for p in content.posters] == ["inside", "ok"]
    assert "secret.png" not in opened
    assert sorted((Path(p.path).name, p.code) for p in content.problems
                  if p.code in ("link_outside", "content_link", "special_file")) == [
        ("leak.png", "link_outside"), ("near.svg", "content_link"), ("ok.yaml", "special_file")]
