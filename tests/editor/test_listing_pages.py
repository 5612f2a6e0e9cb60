"""The listing with hundreds of items: a long group a page at a time, the search by title, the
items with problems on their own, «Показать в списке» finding its row's page, and the content
read again at every page with only what changed parsed (kiosk.editor.catalog)."""

from __future__ import annotations

import html
import os
import re
from pathlib import Path
from urllib.parse import unquote

import pytest
from flask.testing import FlaskClient

from kiosk.core.paths import package_folder
from kiosk.editor import catalog
from kiosk.editor.config import EditorConfig

STORIES = 250
BUNDLED_STORIES = len(list(package_folder("content").glob("stories/*.md")))


def story(title: str) -> str:
    return f"---\ntitle: {title}\ncentre: Центр госуслуг района Марьино\n---\nТекст истории.\n"


@pytest.fixture
def many(config: EditorConfig) -> EditorConfig:
    folder = config.centre / "stories"
    folder.mkdir()
    for number in range(1, STORIES + 1):
        (folder / f"story-{number:03}.md").write_text(story(f"История номер {number}"),
                                                      encoding="utf-8")
    return config


def story_rows(page: str) -> list[str]:
    return re.findall(r'id="stories-(story-\d+)"', page)


def text_of(page: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", page)).replace("\xa0", " ")


def next_link(page: str) -> str:
    found = re.search(r'rel="next" href="([^"]+)"', page)
    assert found, "no «Следующие» link"
    return html.unescape(found.group(1))


def test_a_long_group_is_shown_a_hundred_rows_at_a_time(client: FlaskClient,
                                                         many: EditorConfig) -> None:
    first = client.get("/").get_data(as_text=True)
    rows = story_rows(first)  # by title, «2» before «10»
    assert len(rows) == catalog.PAGE_ROWS and rows[0] == "story-001"
    total = STORIES + BUNDLED_STORIES
    assert f"Показаны 1–100 из {total}" in " ".join(text_of(first).split())
    assert "Следующие 100" in first and 'rel="prev"' not in first

    second = client.get(next_link(first)).get_data(as_text=True)
    assert story_rows(second)[0] == "story-101" and len(story_rows(second)) == 100
    assert 'rel="prev"' in second

    last = client.get(next_link(second)).get_data(as_text=True)
    # The centre's own first, then head office's.
    assert story_rows(last) == [f"story-{n:03}" for n in range(201, 251)]
    assert f"Показаны 201–{total} из {total}" in " ".join(text_of(last).split())
    assert 'rel="next"' not in last
    # A page past the end (an old bookmark, a number typed by hand) shows the last one.
    assert story_rows(client.get("/?kind=stories&page=99").get_data(as_text=True)) == \
        story_rows(last)
    assert story_rows(client.get("/?kind=stories&page=x").get_data(as_text=True))[0] == \
        "story-001"


def test_the_other_groups_stay_whole_while_one_is_paged(client: FlaskClient,
                                                        many: EditorConfig) -> None:
    page = client.get("/?kind=stories&page=2").get_data(as_text=True)
    assert "Первый центр" in page  # an anniversary page of the bundled content
    assert page.count('class="pager"') == 1


def test_the_search_finds_by_title_whatever_the_case_and_the_yo(client: FlaskClient,
                                                               many: EditorConfig) -> None:
    (many.centre / "stories" / "tree.md").write_text(story("Ёлка в зале ожидания"),
                                                     encoding="utf-8")
    found = client.get("/", query_string={"q": "  ЕЛКА   зале "}).get_data(as_text=True)
    assert re.findall(r'id="stories-([a-z0-9-]+)"', found) == ["tree"]
    assert "Найдено по запросу «ЕЛКА зале»: 1 материал" in " ".join(text_of(found).split())
    assert "Первый центр" not in found  # the groups with nothing found are left out

    # Every word, each at a word's start: «25» is not inside «125» or «225».
    every_word = client.get("/", query_string={"q": "номер 25"}).get_data(as_text=True)
    assert story_rows(every_word) == ["story-025", "story-250"]
    # «елка» is not inside the bundled colouring picture «Рисуем мелками».
    alone = client.get("/", query_string={"q": "елка"}).get_data(as_text=True)
    assert "Ёлка в зале ожидания" in alone and "Рисуем мелками" not in alone
    assert "Рисуем мелками" in client.get("/", query_string={"q": "мелк"}).get_data(as_text=True)

    nothing = client.get("/", query_string={"q": "пингвин"}).get_data(as_text=True)
    assert "По запросу «пингвин» ничего не нашлось" in text_of(nothing)
    assert not story_rows(nothing)


def test_the_counts_of_problems_open_the_items_that_have_them(client: FlaskClient,
                                                              many: EditorConfig) -> None:
    (many.centre / "stories" / "broken.md").write_text("---\ntitle: Сломанная\n---\n",
                                                       encoding="utf-8")
    page = client.get("/").get_data(as_text=True)
    link = re.search(r'<a class="count error" href="([^"]+)"', page)
    assert link, "the count of errors is not a link"
    problems = client.get(html.unescape(link.group(1))).get_data(as_text=True)
    assert re.findall(r'id="stories-([a-z0-9-]+)"', problems) == ["broken"]
    assert "Не показывается: есть ошибка" in problems


def test_show_in_the_list_opens_the_page_that_holds_the_row(client: FlaskClient,
                                                            many: EditorConfig) -> None:
    page = client.get("/?at=stories-story-180").get_data(as_text=True)
    assert "story-180" in story_rows(page) and story_rows(page)[0] == "story-101"
    # A row that is not there any more: the first page, not an error.
    assert story_rows(client.get("/?at=stories-gone").get_data(as_text=True))[0] == "story-001"


def test_each_page_shows_the_content_as_it_is_now(client: FlaskClient,
                                                  many: EditorConfig) -> None:
    assert "История номер 7<" in client.get("/").get_data(as_text=True)
    path = many.centre / "stories" / "story-007.md"
    before = path.stat()
    # Head office's copy rewrites a file in place; same size, a new time.
    path.write_text(story("История нумер 7"), encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns + 1_000_000_000))
    (many.centre / "stories" / "story-008.md").unlink()
    page = client.get("/?q=7").get_data(as_text=True)  # «нумер» sorts after every «номер»
    assert "История нумер 7<" in page and "История номер 7<" not in page
    assert "story-008" not in story_rows(client.get("/").get_data(as_text=True))


def test_the_editors_content_index_is_its_own(many: EditorConfig) -> None:
    reader = catalog.ContentReader(many)
    assert len(reader.load().stories) >= STORIES
    assert reader.index_path().exists()
    assert reader.index_path().is_relative_to(many.editor_state)
    # The next read takes every unchanged file from it: nothing is parsed again.
    parsed: list[Path] = []
    from kiosk.core.content import loader

    real = loader.ContentLoader._load_story

    def counting(self: loader.ContentLoader, path: Path, *args: object) -> object:
        parsed.append(path)
        return real(self, path, *args)  # type: ignore[arg-type]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(loader.ContentLoader, "_load_story", counting)
        assert len(reader.load().stories) >= STORIES
    assert parsed == []


def test_show_in_the_list_stays_on_the_page_when_the_row_is_on_it(client: FlaskClient,
                                                                  many: EditorConfig) -> None:
    with client.session_transaction() as session:
        session["_flashes"] = [("done:r1|stories-story-180", "Опубликовано")]
    page = client.get("/").get_data(as_text=True)
    assert 'href="/?at=stories-story-180#stories-story-180">Показать в списке' in page
    with client.session_transaction() as session:
        session["_flashes"] = [("done:r1|stories-story-007", "Опубликовано")]
    page = client.get("/").get_data(as_text=True)
    assert 'href="#stories-story-007">Показать в списке' in page


def test_hiding_from_a_search_comes_back_to_that_search(client: FlaskClient,
                                                        many: EditorConfig) -> None:
    """Hiding several of head office's items one by one: each hide led back to the whole
    listing, and the search was typed again."""
    found = client.get("/?q=ливнем").get_data(as_text=True)
    next_field = re.search(r'name="next" value="([^"]+)"', found)
    assert next_field is not None
    back = html.unescape(next_field.group(1))
    answer = client.post("/hide", data={"path": "stories/umbrella.md", "next": back})
    assert answer.status_code == 302
    assert unquote(answer.headers["Location"]) == "/?q=ливнем"
    # Never to another site, whatever the form says.
    elsewhere = client.post("/hide", data={"path": "stories/umbrella.md", "show": "1",
                                           "next": "https://evil.example/"})
    assert elsewhere.headers["Location"] == "/"


def test_the_centres_own_are_listed_by_their_titles(client: FlaskClient,
                                                     config: EditorConfig) -> None:
    """By their files, «Зонт под ливнем» (zont-…) came after «Яркий случай» (a-…) and, past
    the first hundred, onto the next page."""
    folder = config.centre / "stories"
    folder.mkdir()
    for name, title in (("a-yarkiy", "Яркий случай"), ("z-zont", "Зонт под ливнем"),
                        ("m-yolka", "Ёлка у окна")):
        (folder / f"{name}.md").write_text(story(title), encoding="utf-8")
    rows = re.findall(r'id="stories-([a-z0-9-]+)"', client.get("/").get_data(as_text=True))
    assert rows[:3] == ["m-yolka", "z-zont", "a-yarkiy"]
