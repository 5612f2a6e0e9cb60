"""Read back from the index, 37,000 stories share what they have in common: an empty teaser
and the day they were written are one object each, not one a story; what each story says
is unchanged."""

from __future__ import annotations

from pathlib import Path

from kiosk.core.content.index import ContentIndex
from kiosk.core.content.loader import ParseCache, load_content
from tests.helpers import make_folder, story


def test_stories_read_from_the_index_share_an_empty_teaser_and_their_day(
        tmp_path: Path) -> None:
    root = make_folder(tmp_path / "content", stories={
        "a.md": story("Первая", date="2024-05-01"),
        "b.md": story("Вторая", date="2024-05-01"),
        "c.md": story("Третья", date="2024-05-02", teaser="Одна строка о главном.")})
    path = tmp_path / "index.sqlite"
    fresh = load_content(root, cache=ParseCache(index=ContentIndex.open(path)))
    again = load_content(root, cache=ParseCache(index=ContentIndex.open(path)))
    first, second, third = again.stories
    assert [(s.title.ru, s.date, s.teaser) for s in again.stories] == \
        [(s.title.ru, s.date, s.teaser) for s in fresh.stories]
    assert first.date is second.date
    assert first.teaser is second.teaser and not first.teaser.ru
    assert third.teaser.ru == "Одна строка о главном." and third.date != first.date
