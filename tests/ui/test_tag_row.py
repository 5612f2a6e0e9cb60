"""One story's tags never move another story (issue 17): the tag row is one row of a fixed
height that slides sideways, and only the tags kiosk.yaml lists are chips. A story with nine
tags, a capitalised «Забота» or a misspelt tag leaves every other story's screen as it was,
pixel for pixel; only the count of stories («2 из 16») changes."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QRect
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from kiosk.core.content.loader import load_content
from kiosk.core.content.model import Content
from kiosk.ui.resources import probe_image
from tests.helpers import BUNDLED, CULPRIT, copy_bundled
from tests.ui.conftest import WindowFactory, settle

COLLEAGUES = ("eye-level", "birthday")


def shot(make_window: WindowFactory, qtbot: QtBot, content: Content, story_id: str,
         lang: str) -> QImage:
    """The story's screen with every story shown (whatever their schedules), its counter
    painted over: the one thing that counts the other stories."""
    window = make_window(content)
    for screen in window.screens:
        screen.wall = lambda: None
    window.set_language(lang)  # type: ignore[arg-type]
    window.show_screen(window.stories)
    ids = [s.id for s in window.stories.visible_stories]
    window.stories.go(ids.index(story_id))
    settle(qtbot)
    image = window.grab().toImage()
    counter = window.stories.nav.counter
    painter = QPainter(image)
    painter.fillRect(QRect(counter.mapTo(window, counter.rect().topLeft()), counter.size()),
                     QColor("magenta"))
    painter.end()
    window.close()
    return image


def test_a_story_with_many_or_wrong_tags_changes_no_other_story(
        make_window: WindowFactory, qtbot: QtBot, tmp_path: Path) -> None:
    root = copy_bundled(tmp_path)
    before = load_content(root, probe_image)
    (root / "stories" / "zz-many-tags.md").write_text(CULPRIT, encoding="utf-8")
    after = load_content(root, probe_image)
    assert len(after.stories) == len(before.stories) + 1
    # The chips: the vocabulary's tags in use, the same before and after.
    assert after.story_tags() == before.story_tags()
    for story_id in COLLEAGUES:
        for lang in ("ru", "en"):
            # Twice: the first round warms the glyph caches, which shade type a level or two
            # differently the first time a glyph is drawn after others.
            for _ in range(2):
                old = shot(make_window, qtbot, before, story_id, lang)
                new = shot(make_window, qtbot, after, story_id, lang)
            if old != new:
                old.save(str(tmp_path / f"{story_id}-{lang}-before.png"))
                new.save(str(tmp_path / f"{story_id}-{lang}-after.png"))
            assert old == new, f"{story_id} ({lang}) changed: see {tmp_path}"


def test_the_tag_row_keeps_its_height_with_every_tag(make_window: WindowFactory,
                                                     tmp_path: Path) -> None:
    root = copy_bundled(tmp_path)
    (root / "stories" / "zz-many-tags.md").write_text(CULPRIT, encoding="utf-8")
    window = make_window(load_content(root, probe_image))
    window.show_screen(window.stories)
    strip = window.stories.strip
    height = strip.height()
    card = window.stories.card.geometry()
    chips = [button.text() for button in window.stories.chip_buttons.values()]
    assert "Забота" not in chips and "заботта" not in chips and "вежливость" not in chips
    strip.set_offset(strip.content_width)  # slid to its end
    assert strip.height() == height and window.stories.card.geometry() == card


@pytest.mark.parametrize("size", [(1920, 1080), (1080, 1920), (1366, 768), (1280, 1024)])
@pytest.mark.parametrize("large", [False, True])
def test_on_a_wide_screen_the_tags_ride_in_the_top_bar_and_the_story_gets_the_room(
        make_window: WindowFactory, qtbot: QtBot, size: tuple[int, int], large: bool) -> None:
    """A row of chips of its own took two of the five lines a landscape page of a story has
    beside its picture: on a wide screen the chips sit between Home and the language, in the
    bar's height. Where the bar has not room for about three chips (large text, a 5:4
    panel: 41 px there, narrower than any chip) and in portrait, they keep their row."""
    window = make_window(load_content(BUNDLED, probe_image))
    window.set_high_contrast(large)
    window.show_screen(window.stories)
    settle(qtbot)
    screen = window.stories
    bar, strip = screen.top_bar, screen.strip

    def on_window(widget: QWidget) -> QRect:
        return QRect(widget.mapTo(window, widget.rect().topLeft()), widget.size())

    home, languages = on_window(bar.home_button), on_window(bar.languages)
    chips, card = on_window(strip), on_window(screen.card)
    in_bar = size in ((1920, 1080), (1366, 768)) and not large
    if in_bar:
        assert on_window(bar).contains(chips)
        assert home.right() < chips.left() and chips.right() < languages.left()
        assert card.top() > on_window(bar).bottom()
        assert card.top() - on_window(bar).bottom() <= window.theme.space("m") + 1
    else:
        assert chips.top() >= on_window(bar).bottom() and card.top() > chips.bottom()
    # Every chip is whole on its row, and reachable: slid to its end, the last shows whole.
    assert max(chip.width() for chip in screen.chip_buttons.values()) <= strip.width()
    strip.set_offset(strip.content_width)
    last = list(screen.chip_buttons.values())[-1]
    assert on_window(strip).contains(on_window(last))
