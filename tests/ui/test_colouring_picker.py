"""The colouring picker at the sizes and in the modes where its room is tightest: large text
on 4:3 and 5:4 screens, above an urgent notice's band and without it."""

from __future__ import annotations

import itertools
import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from kiosk.core.content.loader import load_content
from kiosk.core.content.problems import Language
from kiosk.ui.colouring.picker import PICTURE_LEAST, Thumbnail
from kiosk.ui.main_window import KioskWindow
from kiosk.ui.resources import probe_image
from tests.helpers import copy_bundled
from tests.ui.conftest import WindowFactory, settle, wrapped_lines

# Words a line must not end on after another word: one-letter words, the prepositions of up to
# three letters, the English articles and short prepositions.
SHORT_WORDS = {*"авикосуя", "на", "по", "за", "от", "до", "из", "во", "ко", "со", "об", "для",
               "под", "при", "без", "про", "над", "a", "an", "the", "at", "by", "in", "of",
               "on", "to", "for", "from", "into", "with"}


def lines_shown(thumbnail: Thumbnail) -> list[str]:
    """The caption's lines as its card draws them: wrapped to the title's width."""
    lines = wrapped_lines(thumbnail.caption(), thumbnail.font(), thumbnail.title_rect().width())
    return [line.replace("\xa0", " ").replace("\xad", "").strip() for line in lines]


def show_picker(qtbot: QtBot, window: KioskWindow, band: bool, lang: Language = "ru") -> None:
    """A visitor in large text on the picker, the notice band up or not."""
    if band:  # up before the visitor comes: it never changes under one
        window.every_notice = True
        window.show_notices()
        assert window.notice_band.isVisible()
    qtbot.mouseClick(window.attract.stage, Qt.MouseButton.LeftButton)
    window.set_high_contrast(True)
    window.set_language(lang)
    window.show_screen(window.picker)
    settle(qtbot)  # the grid has placed the cards


def every_page(qtbot: QtBot, window: KioskWindow) -> list[list[Thumbnail]]:
    """The cards of each page in turn, turned with the arrow as a visitor turns them."""
    picker = window.picker
    pages = []
    for page in range(picker.pages):
        if page:
            qtbot.mouseClick(picker.nav.next, Qt.MouseButton.LeftButton)
            settle(qtbot)
        pages.append([t for t in picker.thumbnails if t.isVisible()])
    return pages


@pytest.mark.parametrize("band", [True, False], ids=["band", "no-band"])
@pytest.mark.parametrize("size", [(1280, 1024), (1024, 768)], ids=["5:4", "4:3"])
def test_in_large_text_the_pictures_stay_recognisable_and_every_title_fits(
        qtbot: QtBot, window: KioskWindow, band: bool) -> None:
    """Two rows of five cards, each keeping room for three lines of large title, left the
    pictures 46 px tall at 1280×1024 above the band (73 at 1024×768): white strips with
    stamps in them. The cards go to pages instead, and every picture keeps PICTURE_LEAST."""
    show_picker(qtbot, window, band)
    theme = window.theme
    pages = every_page(qtbot, window)
    seen = [t.picture.id for page in pages for t in page]
    assert sorted(seen) == sorted(t.picture.id for t in window.picker.thumbnails)  # each once
    if len(pages) > 1:
        assert window.picker.nav.counter.text() == f"{len(pages)} из {len(pages)}"
    for page in pages:
        for thumbnail in page:
            assert thumbnail.font().pixelSize() == theme.small_px  # the large type kept
            box = thumbnail.picture_box()
            assert min(box.width(), box.height()) >= theme.px(PICTURE_LEAST), thumbnail.caption()
            spot, = thumbnail.text_spots()
            assert spot.fits, spot.text  # every title whole in its room, none cut


@pytest.mark.parametrize("lang", ["ru", "en"])
@pytest.mark.parametrize("band", [True, False], ids=["band", "no-band"])
@pytest.mark.parametrize("size", [(1280, 1024), (1024, 768)], ids=["5:4", "4:3"])
def test_in_large_text_no_title_leaves_a_short_word_at_a_line_s_end(
        qtbot: QtBot, window: KioskWindow, band: bool, lang: Language) -> None:
    """«Щенок с / косточкой», «Рыбки в / аквариуме», «Зонтик под / дождём»: cards narrower
    than «с косточкой» let the typesetter's tie go, and the short word hung at the line's
    end. The cards are as wide as the titles' tied words need."""
    show_picker(qtbot, window, band, lang)
    for page in every_page(qtbot, window):
        for thumbnail in page:
            lines = lines_shown(thumbnail)
            for line in lines[:-1]:
                *before, last = line.split(" ")
                assert not (before and last.lower() in SHORT_WORDS), lines
            if lang == "ru":
                kept = {"umbrella": "под дождём", "dog": "с косточкой", "fish": "в аквариуме"}
                if thumbnail.picture.id in kept:
                    assert any(kept[thumbnail.picture.id] in line for line in lines), lines


@pytest.mark.parametrize("size", [(1920, 1080), (1080, 1920)])
def test_in_large_text_no_title_line_ends_on_an_article(qtbot: QtBot,
                                                        window: KioskWindow) -> None:
    """«The / Moscow Kremlin» under its picture in large text on 16:9 screens, either way
    round: a title's first word may start a line alone, never an article ending one."""
    show_picker(qtbot, window, False, "en")
    for page in every_page(qtbot, window):
        for thumbnail in page:
            lines = lines_shown(thumbnail)
            assert not any(line.split(" ")[-1].lower() in ("a", "an", "the")
                           for line in lines[:-1]), lines


@pytest.mark.parametrize("size", [(1280, 1024)])
def test_pages_hold_as_even_a_share_as_they_can_in_cards_of_one_width(
        qtbot: QtBot, make_window: WindowFactory, tmp_path: Path) -> None:
    """Ten pictures in three pages were 4, 4 and 2: the last half empty, its two cards wider
    than the others. As even as they can be, each card as wide as on every other page."""
    root = copy_bundled(tmp_path)
    shutil.copy(root / "colouring" / "cat.svg", root / "colouring" / "zz-cat-again.svg")
    content = load_content(root, probe_image)
    assert len(content.colouring) == 10
    window = make_window(content)
    show_picker(qtbot, window, band=False)
    pages = every_page(qtbot, window)
    assert len(pages) > 1
    sizes = [len(cards) for cards in pages]
    assert sum(sizes) == 10 and max(sizes) - min(sizes) <= 1, sizes
    assert len({card.width() for cards in pages for card in cards}) == 1


@pytest.mark.parametrize("size", [(1280, 1024), (1024, 768)], ids=["5:4", "4:3"])
def test_a_page_short_of_cards_shows_them_centred_as_far_apart_as_a_full_one(
        qtbot: QtBot, make_window: WindowFactory, tmp_path: Path) -> None:
    """Ten pictures on pages of four: the pages of three stood against the left edge with a
    card's room empty on the right. Every page's cards are centred on the screen, the gap
    between two cards the same on every page."""
    root = copy_bundled(tmp_path)
    shutil.copy(root / "colouring" / "cat.svg", root / "colouring" / "zz-cat-again.svg")
    window = make_window(load_content(root, probe_image))
    show_picker(qtbot, window, band=False)
    pages = every_page(qtbot, window)
    assert len({len(cards) for cards in pages}) > 1  # some page is short of cards
    middle = window.picker.width() / 2
    gaps = set()
    for cards in pages:
        placed = sorted((card.geometry() for card in cards), key=lambda r: r.x())
        assert len({r.y() for r in placed}) == 1  # one row to a page here
        assert abs((placed[0].left() + placed[-1].right() + 1) / 2 - middle) <= 2
        gaps |= {b.left() - a.right() - 1 for a, b in itertools.pairwise(placed)}
    assert max(gaps) - min(gaps) <= 2, gaps
