"""The design system on the visitor's screens: fixed places, a fixed grid and type that never
shrinks, in both orientations, both languages and both modes."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QColor
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLabel, QWidget
from pytestqt.qtbot import QtBot

from kiosk.core.content.problems import Language
from kiosk.core.typeset import ties_forward
from kiosk.ui import theme as th
from kiosk.ui.anniversary import AnniversaryScreen
from kiosk.ui.chrome import LargeTextToggle, TopBar, large_text_icon
from kiosk.ui.main_window import KioskWindow
from kiosk.ui.markdown import _widow
from kiosk.ui.menu import Destination
from kiosk.ui.navigation import ChipStrip
from kiosk.ui.screen import Screen
from kiosk.ui.slide_card import Kicker
from kiosk.ui.stories import StoriesScreen
from kiosk.ui.theme import Theme
from tests.helpers import ONE_LETTER_WORDS
from tests.ui.conftest import wrapped_lines

LANGUAGES: tuple[Language, ...] = ("ru", "en")
MODES = ["normal", "large-text"]


Box = tuple[int, int, int, int]


def where(widget: QWidget, window: QWidget) -> QRect:
    return QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())


def box(rect: QRect) -> Box:
    return rect.x(), rect.y(), rect.width(), rect.height()


def set_mode(window: KioskWindow, mode: str, lang: Language) -> None:
    """A visitor's session (a touch on the loop), in `mode` and `lang`, on the menu."""
    if window.current_screen is window.attract:
        QTest.mouseClick(window.attract.stage, Qt.MouseButton.LeftButton)
    window.show_screen(window.menu)
    window.set_high_contrast(mode == "large-text")
    window.set_language(lang)


def every_page(window: KioskWindow,
               screen: AnniversaryScreen | StoriesScreen) -> Iterator[tuple[int, int]]:
    """Shows each item and each page of its text in turn: (item, page)."""
    window.show_screen(screen)
    count = len(screen.pages) if isinstance(screen, AnniversaryScreen) \
        else len(screen.visible_stories)
    for item in range(count):
        screen.go(item)
        QApplication.processEvents()
        for page in range(screen.card.body.page_count):
            if page:
                screen.step(1)
                QApplication.processEvents()
            assert (screen.index, screen.page) == (item, page)
            yield item, page


def reading_screens(window: KioskWindow) -> list[AnniversaryScreen | StoriesScreen]:
    return [window.anniversary, window.stories]


def text_column_left(window: KioskWindow) -> int:
    """Column 7 in landscape (column 6 in large text, where the picture gives a column)."""
    grid = window.theme.grid
    if window.theme.portrait:
        return grid.margin
    return grid.x(5) if window.theme.high_contrast else grid.x(6)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_title_and_text_starts_on_the_same_column(window: KioskWindow, lang: Language,
                                                         mode: str) -> None:
    set_mode(window, mode, lang)
    left = text_column_left(window)
    for screen in reading_screens(window):
        for item, page in every_page(window, screen):
            card = screen.card
            body = card.body.text_spots()[0].rect.translated(where(card.body, window).topLeft())
            assert body.left() == left, (screen, item, page)
            if page == 0:
                assert card.title.isVisible()
                assert where(card.title, window).left() == left, (screen, item)
            assert where(card.badge, window).left() == left


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_text_is_set_at_the_body_size_on_every_page(window: KioskWindow, lang: Language,
                                                        mode: str) -> None:
    """Type never shrinks to fit: a long text is paged instead."""
    set_mode(window, mode, lang)
    theme = window.theme
    paged = 0
    for screen in reading_screens(window):
        for _, page in every_page(window, screen):
            body = screen.card.body
            assert body.font_px == theme.body_px
            assert body.document.defaultFont().pixelSize() == theme.body_px
            # The title at its size, or a designed step under it where that keeps the start
            # of the text on the first page (docs/design.md, «Reading screens»; large text:
            # «Раскраска / для маленького / помощника» took the room of its text).
            title = screen.card.title.font().pixelSize()
            assert title in screen.card._title_sizes()  # the first of them is title_px
            paged += page > 0
    assert paged  # some texts do take more than one page, and keep their size there


def line_pitch(window: KioskWindow) -> float:
    """The distance from one line of a story's text to the next, as laid out on screen."""
    window.show_screen(window.stories)
    window.stories.go(0)
    QApplication.processEvents()
    tops = [top for top, _ in window.stories.card.body._lines()]
    return min(b - a for a, b in itertools.pairwise(tops) if b > a)


def test_large_text_is_at_least_a_third_larger_on_every_reading_screen(
        window: KioskWindow) -> None:
    normal_px = {}
    for screen in (window.menu, *reading_screens(window)):
        window.show_screen(screen)
        QApplication.processEvents()
    normal_body = window.stories.card.body.font_px
    normal_pitch = line_pitch(window)
    normal_px["title"] = window.stories.card.title.font().pixelSize()
    normal_px["menu"] = window.menu.title.font().pixelSize()
    set_mode(window, "large-text", "ru")
    large_pitch = line_pitch(window)
    # Sizes are whole pixels: 1.3 × 44 is 57.2, set as 57.
    assert window.stories.card.body.font_px >= round(normal_body * th.HIGH_CONTRAST_TEXT_SCALE)
    assert large_pitch >= normal_pitch * th.HIGH_CONTRAST_TEXT_SCALE - 1
    assert window.stories.card.title.font().pixelSize() >= round(
        normal_px["title"] * th.HIGH_CONTRAST_TEXT_SCALE)
    assert window.menu.title.font().pixelSize() >= round(
        normal_px["menu"] * th.HIGH_CONTRAST_TEXT_SCALE)


@pytest.mark.parametrize("mode", MODES)
def test_the_picture_has_one_place_and_size_on_every_story(window: KioskWindow,
                                                          mode: str) -> None:
    set_mode(window, mode, "ru")
    for screen in reading_screens(window):
        boxes: set[Box] = set()
        drawn: set[tuple[int, int, int]] = set()
        with_photo = 0
        for _, page in every_page(window, screen):
            image = screen.card.image
            assert image.isVisible()  # never given up to make room for the text
            boxes.add(box(where(image, window)))
            if image.path is not None and page == 0:
                with_photo += 1
                rect = image.drawn_rect().translated(where(image, window).topLeft())
                drawn.add((rect.left(), rect.top(), rect.width()))
        assert with_photo > 5
        assert len(boxes) == 1  # one box for every story (for every anniversary page)
        grid = window.theme.grid
        (left, top, width, height), = boxes
        assert left == grid.margin
        if not window.theme.portrait:
            assert top == where(screen.card.badge, window).top()  # level with the words
        large = window.theme.high_contrast  # the picture gives the words room
        columns = 4 if large else 5
        assert width == (grid.span(grid.columns) if window.theme.portrait else grid.span(columns))
        if window.theme.portrait:  # on top, across the width, 40 % of the reading area (30)
            reading = screen.card.height()
            share = 0.3 if large else 0.4
            assert (share - 0.05) * reading <= height <= (share + 0.05) * reading
        assert len(drawn) == 1, drawn  # every (4:3) picture drawn in the same rectangle


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_tag_chips_are_one_row(window: KioskWindow, lang: Language, mode: str) -> None:
    set_mode(window, mode, lang)
    window.show_screen(window.stories)
    QApplication.processEvents()
    strip = window.stories.strip
    assert strip.isVisible()  # in the large-text mode too
    chips = list(window.stories.chip_buttons.values())
    assert len(chips) > 5 and strip.chips == chips
    for chip in chips:
        assert chip.y() == 0 and chip.height() == strip.height()
    assert strip.height() >= window.theme.px(96)  # a fingertip
    assert strip.height() < 2 * window.theme.px(96)  # and one row only
    # Where they are more than the width, the faded end with its arrow says so.
    assert strip.more_right.isVisible() == (strip.content_width > strip.width())


def test_a_drag_slides_the_chips_and_a_tap_chooses_one(qtbot: QtBot,
                                                       window: KioskWindow) -> None:
    set_mode(window, "large-text", "en")  # the longest row
    window.show_screen(window.stories)
    QApplication.processEvents()
    screen, strip = window.stories, window.stories.strip
    assert strip.content_width > strip.width()
    chip = screen.chip_buttons[window.content.story_tags()[0]]
    start = chip.rect().center()
    qtbot.mousePress(chip, Qt.MouseButton.LeftButton, pos=start)
    for step in range(1, 6):
        qtbot.mouseMove(chip, start - QPoint(step * window.theme.px(40), 0))
    qtbot.mouseRelease(chip, Qt.MouseButton.LeftButton,
                       pos=start - QPoint(5 * window.theme.px(40), 0))
    assert strip.offset > 0 and strip.more_left.isVisible()
    assert screen.tag is None  # a drag is not a tap
    qtbot.mouseClick(strip.more_right, Qt.MouseButton.LeftButton)
    assert strip.offset > 5 * window.theme.px(40)
    last = list(screen.chip_buttons.values())[-1]
    for _ in range(10):
        if last.isVisible() and last.geometry().right() < strip.width():
            break
        qtbot.mouseClick(strip.more_right, Qt.MouseButton.LeftButton)
    assert not strip.more_right.isVisible()  # the end of the row
    qtbot.mouseClick(last, Qt.MouseButton.LeftButton)
    assert screen.tag == list(screen.chip_buttons)[-1]


@pytest.mark.parametrize("dx", [20, -20], ids=["right", "left"])
def test_a_chip_tapped_by_a_shaky_finger_is_chosen(qtbot: QtBot, window: KioskWindow,
                                                   dx: int) -> None:
    """A hand with a tremor slides 10–20 px while it presses: that is a tap, as on every other
    button (kiosk.core.gestures.TAP_WANDER), not a drag of the row; at the row's start, where
    it cannot slide right, the finger did nothing at all."""
    window.show_screen(window.stories)
    QApplication.processEvents()
    screen = window.stories
    tag = window.content.story_tags()[0]
    chip = screen.chip_buttons[tag]
    start = chip.rect().center()
    qtbot.mousePress(chip, Qt.MouseButton.LeftButton, pos=start)
    for step in range(1, 5):
        qtbot.mouseMove(chip, start + QPoint(dx * step // 4, 6 * (step % 2)))
    qtbot.mouseRelease(chip, Qt.MouseButton.LeftButton, pos=start + QPoint(dx, 0))
    assert screen.tag == tag
    assert screen.strip.offset == 0


def clear_of_the_fades(strip: ChipStrip, chip: QWidget) -> bool:
    """Whether `chip` is whole on screen and under neither end's fade."""
    edge = strip.more_right.width()
    left = edge if strip.more_left.isVisible() else 0
    right = strip.width() - (edge if strip.more_right.isVisible() else 0)
    return chip.isVisible() and left <= chip.x() and chip.geometry().right() < right


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("size", [(1366, 768), (1920, 1080), (1080, 1920)])
def test_each_arrow_tap_brings_the_next_chips_out_whole(
        qtbot: QtBot, window: KioskWindow, lang: Language) -> None:
    """The arrows slid the row by 70 % of its width: at 1366×768 (the row in the top bar,
    about two chips wide) chips stood cut under both fades after every tap, and some were
    never seen whole. Each tap brings the chip cut under the arrow out whole, and going
    there and back every chip is seen whole, clear of the fades."""
    set_mode(window, "normal", lang)
    window.show_screen(window.stories)
    QApplication.processEvents()
    strip = window.stories.strip
    if strip.content_width <= strip.width():
        pytest.skip("every chip fits")
    seen_whole = {chip for chip in strip.chips if clear_of_the_fades(strip, chip)}
    for arrow in (strip.more_right, strip.more_left):
        for _ in range(len(strip.chips)):
            if not arrow.isVisible():
                break
            before = strip.offset
            qtbot.mouseClick(arrow, Qt.MouseButton.LeftButton)
            assert strip.offset != before
            whole = {chip for chip in strip.chips if clear_of_the_fades(strip, chip)}
            assert whole, strip.offset  # never a row of cut chips alone
            seen_whole |= whole
        assert not arrow.isVisible()  # the end of the row reached
    assert seen_whole == set(strip.chips)


def top_bars(window: KioskWindow, screen: Screen) -> list[TopBar]:
    return [bar for bar in screen.findChildren(TopBar) if bar.isVisible()]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("lang", LANGUAGES)
def test_home_and_the_switches_are_in_the_same_places_on_every_visitor_screen(
        window: KioskWindow, lang: Language, mode: str) -> None:
    set_mode(window, mode, lang)
    theme = window.theme
    homes: set[Box] = set()
    switches: set[Box] = set()
    toggles: set[int] = set()
    for screen in (window.menu, window.anniversary, window.stories, window.picker,
                   window.calm):
        window.show_screen(screen)
        QApplication.processEvents()
        bars = top_bars(window, screen)
        assert len(bars) == 1, f"{type(screen).__name__} has no top bar"
        bar = bars[0]
        assert where(bar, window).topLeft() == QPoint(0, 0)
        assert bar.height() == theme.px(160)
        if screen is window.menu:
            assert not bar.home_button.isVisible()  # the menu is home
        else:
            homes.add(box(where(bar.home_button, window)))
        switches.add(box(where(bar.languages, window)))
        toggles.add(where(bar.large_text, window).right())
        for target in (bar.home_button, *bar.languages.segments.values(), bar.large_text):
            assert target.height() >= theme.px(112)
    assert len(homes) == 1
    (left, top, _, height), = homes
    assert left == theme.margin and top == (theme.px(160) - height) // 2
    assert len(switches) == 1 and len(toggles) == 1
    right, = toggles
    assert right == window.width() - theme.margin - 1


@pytest.mark.parametrize("mode", MODES)
def test_the_language_switchs_two_targets_stand_apart(window: KioskWindow, mode: str) -> None:
    """RU and EN touched (0 px between them): one control to the eye, and a finger on the
    seam took either. A gap of the page's own colour stands between them now, on every
    bar."""
    set_mode(window, mode, "ru")
    theme = window.theme
    paper = QColor(theme.colours.paper)
    for screen in (window.menu, window.anniversary, window.stories, window.picker,
                   window.calm):
        window.show_screen(screen)
        QApplication.processEvents()
        bar, = top_bars(window, screen)
        ru, en = (where(bar.languages.segments[lang], window) for lang in LANGUAGES)
        assert en.left() - ru.right() - 1 >= theme.space("xs"), (screen, ru, en)
        shot = window.grab().toImage()
        middle = (ru.right() + en.left()) // 2
        column = {shot.pixelColor(middle, y).name() for y in range(ru.top(), ru.bottom())}
        assert column == {paper.name()}, (screen, column)
        for segment in (ru, en):
            assert segment.width() >= theme.px(96) and segment.height() >= theme.px(96)


def test_the_centres_name_on_its_tile_is_never_broken_where_the_picture_can_give_room(
        window: KioskWindow) -> None:
    """In large text at 1920×1080 the tile read «12 лет «Моим / Документам»»: the name
    broken in two beside a picture that could give the width. The picture gives it; the
    name stands whole on its line, the picture still there."""
    set_mode(window, "large-text", "ru")
    QApplication.processEvents()
    tile = window.menu.tiles[Destination.ANNIVERSARY]
    layout = tile.tile_layout()
    assert "«Моим\xa0Документам»" in layout.title and layout.fits
    assert layout.picture.width() > 0
    lines = wrapped_lines(layout.title, layout.title_font, layout.title_rect.width())
    assert any("«Моим" in line and "Документам»" in line for line in lines), lines


def test_the_language_switch_and_the_large_text_toggle_show_their_state(
        qtbot: QtBot, window: KioskWindow) -> None:
    set_mode(window, "normal", "ru")
    window.show_screen(window.stories)
    window.stories.go(3)
    bar = window.stories.top_bar
    assert bar.languages.segments["ru"].isChecked()
    assert not bar.large_text.isChecked() and bar.large_text.text() == "Крупный шрифт"
    qtbot.mouseClick(bar.languages.segments["en"], Qt.MouseButton.LeftButton)
    assert window.lang == "en" and window.stories.top_bar.large_text.text() == "Large text"
    assert window.stories.top_bar.languages.segments["en"].isChecked()
    tag = window.content.story_tags()[0]
    qtbot.mouseClick(window.stories.chip_buttons[tag], Qt.MouseButton.LeftButton)
    window.stories.go(1)
    before = window.stories.card.title.text()
    qtbot.mouseClick(window.stories.top_bar.large_text, Qt.MouseButton.LeftButton)
    # The screens were built anew in large type; the visitor is where they were.
    assert window.theme.high_contrast
    assert window.current_screen is window.stories
    assert (window.stories.index, window.stories.tag) == (1, tag)
    assert window.stories.card.title.text() == before
    assert window.stories.top_bar.large_text.isChecked()  # drawn filled: on
    assert window.stories.chip_buttons[tag].isChecked()
    window.show_screen(window.anniversary)
    window.anniversary.go(2)
    qtbot.mouseClick(window.anniversary.top_bar.large_text, Qt.MouseButton.LeftButton)
    assert not window.theme.high_contrast
    assert window.current_screen is window.anniversary and window.anniversary.index == 2
    assert window.lang == "en"


@pytest.mark.parametrize("mode", MODES)
def test_the_counter_and_arrows_stay_put_from_nine_to_ten(window: KioskWindow,
                                                          mode: str) -> None:
    set_mode(window, mode, "ru")
    window.show_screen(window.stories)
    screen = window.stories
    assert len(screen.visible_stories) >= 10
    places = []
    for index in (8, 9):
        for page in range(2):
            screen.go(index)
            if page:
                screen.step(1)  # the page line under the counter shows: nothing moves
            QApplication.processEvents()
            nav = screen.nav
            places.append((box(where(nav.previous, window)),
                           where(nav.counter, window).center().x(),
                           box(where(nav.next, window))))
    assert screen.nav.counter.text() == "10 из 15"
    assert len(set(places)) == 1, places
    counter = screen.nav.counter
    assert counter.fontMetrics().horizontalAdvance(counter.text()) <= counter.width()


def ink_rows(window: KioskWindow, area: QRect) -> list[int]:
    """The rows of the window (y) in `area` where anything but the paper is painted."""
    image = window.grab(area).toImage()
    paper = QColor(window.theme.colours.paper)
    return [area.y() + y for y in range(image.height())
            if any(image.pixelColor(x, y) != paper for x in range(image.width()))]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_in_large_text_the_page_counter_stands_within_its_buttons(window: KioskWindow,
                                                                  lang: Language) -> None:
    """«2 из 15» over «страница 1 из 4» set at the font's line spacing made the bar 31 px
    taller than its buttons in large text, and it hung below them: that room was the text's
    (a first page's third line at 1920×1080, a first page's text at all at 1024×768). Set
    by their ink, the two lines stand within the buttons' height, apart, and the bar is as
    tall as in the usual mode."""
    set_mode(window, "normal", lang)
    window.show_screen(window.stories)
    QApplication.processEvents()
    usual = window.stories.nav.height()
    set_mode(window, "large-text", lang)
    screen = window.stories
    window.show_screen(screen)
    screen.go(1)
    QApplication.processEvents()
    nav = screen.nav
    assert nav.page_line.isVisible() and nav.height() == usual
    counter, line = where(nav.counter, window), where(nav.page_line, window)
    buttons = where(nav.next, window)
    rows = ink_rows(window, QRect(counter.x(), counter.top(), counter.width(),
                                  line.bottom() - counter.top() + 1))
    assert buttons.top() <= rows[0] and rows[-1] <= buttons.bottom(), (rows, buttons)
    assert counter.bottom() < line.top()  # neither over the other
    apart = [b - a for a, b in itertools.pairwise(rows) if b - a > 1]
    assert apart and max(apart) >= window.theme.space("s") // 2  # a gap between the lines
    for label in (nav.counter, nav.page_line):
        assert label.fontMetrics().horizontalAdvance(label.text()) <= label.width()


@pytest.mark.parametrize("size", [(1024, 768), (1280, 1024)])
def test_in_large_text_on_a_squarer_screen_every_story_starts_on_its_first_page(
        window: KioskWindow) -> None:
    """At 1024×768 above the notice band seven stories of fifteen opened on a page of their
    title alone, a third of the screen black under it: the counter's bar took the room of
    their first two lines."""
    window.every_notice = True
    window.show_notices()
    set_mode(window, "large-text", "ru")
    screen = window.stories
    window.show_screen(screen)
    for item in range(len(screen.visible_stories)):
        screen.go(item)
        QApplication.processEvents()
        assert len(screen.card.body.page_text(0).splitlines()) >= 2, item


@pytest.mark.parametrize("lang", LANGUAGES)
def test_in_large_text_above_the_notice_band_a_story_starts_on_its_first_page(
        window: KioskWindow, lang: Language) -> None:
    """The picture at its usual size left a first page of a title and no text there (five
    pages to a story in landscape): the picture gives room in large text, then the section's
    name goes to the running head, then the title steps down, never below the usual size."""
    window.every_notice = True
    window.show_notices()
    set_mode(window, "large-text", lang)
    assert window.notice_band.isVisible()
    usual_title = window.theme.px(th.TYPE_SCALE["title"])
    for screen in reading_screens(window):
        for item, page in every_page(window, screen):
            card = screen.card
            if page == 0:
                assert card.body.page_text(0).strip(), (screen, item)
                assert usual_title <= card.title.font().pixelSize() <= window.theme.title_px
                title = where(card.title, window)
                assert title.bottom() < where(card.meta, window).top() or not card.meta.text()
            else:  # the section's name or the title, small, above the rest of the text
                assert card.badge.isVisible() and card.badge.text(), (screen, item, page)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_in_large_text_a_page_holds_every_line_there_is_room_for_above_the_navigation(
        window: KioskWindow, lang: Language) -> None:
    """A page of a story broke a line early: the text stopped a margin short of the
    navigation, which keeps a space of its own above its buttons, and «День рождения у окна»
    at 1920×1080 above the notice band took four lines a page where five fit (89 pages for
    the bundled stories and anniversary pages, 79 now). A page ends early only where a rule
    of the page break moves it (a paragraph's first line, half a word, a short last page, a
    paragraph's last line that would open the next page alone); its lines stay clear of the
    navigation."""
    window.every_notice = True
    window.show_notices()
    set_mode(window, "large-text", lang)
    for screen in reading_screens(window):
        for item, page in every_page(window, screen):
            body = screen.card.body
            assert screen.nav.page_line.text().endswith(f" {body.page_count}")
            navigation = where(screen.nav, window).top() - where(body, window).top()
            laid, _ = body._laid_lines()
            top, bottom = body.pages[page]
            assert body.inset(page) + bottom - top <= navigation, (screen, item, page)
            following = next((k for k, line in enumerate(laid) if line[0] >= bottom), None)
            if following is None or page + 2 >= body.page_count or not body.page_text(page) \
                    or laid[following][2] or laid[following][3] \
                    or _widow(laid, following + 1):
                continue  # the last pages, a title page, or a break a rule moved up
            ends = body.inset(page) + laid[following][1] - top
            assert ends > navigation, (screen, item, page, "a line more fits")


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_page_of_text_is_whole_and_no_line_is_lost(window: KioskWindow, lang: Language,
                                                         mode: str) -> None:
    set_mode(window, mode, lang)
    for screen in reading_screens(window):
        shown: dict[int, list[str]] = {}
        for item, page in every_page(window, screen):
            body = screen.card.body
            assert not body.overflows(), (screen, item, page)
            if not body.page_text(page):
                # A title page: too little room under a long title in large type, so the
                # text starts on the next page rather than leave one line there alone.
                assert page == 0 and body.page_count > 1, (screen, item, page)
                continue
            if page == 0 and body.page_count > 1:
                assert len(body.page_text(page).split("\n")) >= 2, (screen, item)
            spot = body.text_spots()[0]
            # The page's lines lie inside the view, under the title (or the running head).
            assert spot.rect.top() >= body.inset(page)
            assert spot.rect.bottom() < body.height()
            card = screen.card
            header = card.meta if card.meta.isVisible() else \
                card.title if card.title.isVisible() else card.badge
            assert where(header, window).bottom() < spot.rect.translated(
                where(body, window).topLeft()).top()
            assert body.page_text(page)
            lines = body.page_text(page).split("\n")
            # No page ends on half a word («внима- / тельно»): its break moves up a line,
            # or where the page holds two lines, the word goes whole onto the next page.
            assert page == body.page_count - 1 or not lines[-1].endswith("\u00ad"), \
                (item, page, lines)
            # Nor between a compound's halves («собакой- / поводырём»).
            assert page == body.page_count - 1 or not re.search(r"\w-$", lines[-1]), \
                (item, page, lines)
            # Nor on a paragraph's first line, the paragraph going on over the page.
            laid, _ = body._laid_lines()
            top, bottom = body.pages[page]
            here = [k for k, line in enumerate(laid) if top <= line[0] and line[1] <= bottom]
            if page < body.page_count - 1 and len(here) >= 3:
                assert not (laid[here[-1]][2] and not laid[here[-1] + 1][2]), \
                    (item, page, lines[-1])
            shown.setdefault(item, []).append(body.page_text(page))
            for line in body.page_text(page).split("\n"):
                assert len(line.replace("\u00ad", "")) <= 75, line  # a comfortable measure
        for item, pages in shown.items():
            screen.go(item)
            everything = "\n".join(text for _, text in screen.card.body._lines())
            assert "\n".join(pages) == everything  # every line, once, in order


def test_the_section_name_is_a_kicker_not_a_chip(window: KioskWindow) -> None:
    window.show_screen(window.stories)
    QApplication.processEvents()
    kicker = window.stories.card.badge
    assert isinstance(kicker, Kicker) and kicker.text() == "Искренний сервис"
    spot, = kicker.text_spots()
    assert spot.colour.name() == th.NORMAL.accent.lower()
    assert spot.pixel_size == window.theme.small_px and spot.bold
    image = window.grab(where(kicker, window)).toImage()
    around = {image.pixelColor(x, y).name() for x in (spot.rect.left() - 4,
                                                      spot.rect.right() + 4)
              for y in (1, image.height() - 2)}
    assert around == {th.NORMAL.paper.lower()}  # no pill behind the words


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_menu_tiles_stand_on_the_grid_in_one_type_size(window: KioskWindow,
                                                           lang: Language, mode: str) -> None:
    set_mode(window, mode, lang)
    window.show_screen(window.menu)
    QApplication.processEvents()
    theme, grid = window.theme, window.theme.grid
    lefts = set()
    for tile in window.menu.tiles.values():
        rect = where(tile, window)
        lefts.add(rect.left())
        columns = grid.columns if theme.portrait else 6
        assert rect.width() == pytest.approx(grid.span(columns), abs=1)
        layout = tile.tile_layout()
        assert layout.title_font.pixelSize() == theme.lead_px
        assert layout.fits, tile.text()
    expected = {grid.margin} if theme.portrait else {grid.x(0), grid.x(6)}
    assert {round(x) for x in lefts} == expected
    assert where(window.menu.title, window).left() == grid.margin
    assert Destination.CALM in window.menu.tiles


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("size", [(1280, 1024), (1024, 768)], ids=["5:4", "4:3"])
def test_the_menu_tiles_are_whole_on_a_4_3_or_5_4_screen(window: KioskWindow, lang: Language,
                                                         mode: str) -> None:
    """At 1280×1024 «Документам»» was wider than its tile's column: its » was cut. The icon
    gives some of its side there; every title and line that shows is whole."""
    set_mode(window, mode, lang)
    window.show_screen(window.menu)
    QApplication.processEvents()
    for tile in window.menu.tiles.values():
        layout = tile.tile_layout()
        assert layout.fits, tile.text()
        assert layout.title_rect.right() <= tile.width(), tile.text()
        if mode == "normal":  # a smaller icon is enough: none left out
            assert layout.picture.width() >= tile.theme.px(80), tile.text()
    # One icon size for all four (they had three: the words started at three places).
    assert len({round(tile.tile_layout().picture.width())
                for tile in window.menu.tiles.values()}) == 1


@pytest.mark.parametrize("high_contrast", [False, True], ids=["normal", "large-text"])
@pytest.mark.parametrize("size", [(1920, 1080), (1080, 1920), (1366, 768), (1280, 1024),
                                  (1024, 768)])
def test_the_large_text_switch_on_two_lines_stays_inside_its_rim(
        qtbot: QtBot, size: tuple[int, int], high_contrast: bool) -> None:
    """At the font's line height two lines of «Крупный шрифт» were taller than the button
    in every landscape bar: «шрифт» lost its descenders under the rim."""
    theme = Theme(*size, high_contrast=high_contrast)
    toggle = LargeTextToggle(theme, large_text_icon())
    qtbot.addWidget(toggle)
    toggle.setText("Крупный шрифт")
    toggle.two_lines = True
    toggle.resize(toggle.sizeHint())
    spot, = toggle.text_spots()
    rim = theme.px(4)
    assert spot.text == "Крупный\nшрифт"
    assert rim < spot.rect.top() and spot.rect.bottom() < toggle.height() - rim
    # Where the font's own line spacing fits (portrait), the lines keep it.
    if theme.portrait:
        first, second = toggle._baselines()
        assert second - first == toggle.fontMetrics().lineSpacing()


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("size", [(1920, 1080), (1080, 1920), (1366, 768), (1280, 1024),
                                  (1024, 768)])
def test_every_picture_title_in_the_picker_is_whole(window: KioskWindow, lang: Language,
                                                    mode: str) -> None:
    """«A birthday cake» advanced 196 px in a 196 px card at 1280×1024 and was drawn 198
    wide: its last letter cut (the audit walks the picker in Russian only)."""
    set_mode(window, mode, lang)
    window.show_screen(window.picker)
    QApplication.processEvents()
    for thumbnail in window.picker.thumbnails:
        spot, = thumbnail.text_spots()
        assert spot.fits, (spot.text, thumbnail.width())


def test_the_picker_loads_no_hyphenation_patterns_until_a_title_needs_them(
        window: KioskWindow) -> None:
    """Every kiosk held the Russian patterns (6 MB) for its picker's sake, hyphenated titles
    made whether a word was too wide or not: the pass that prepares the pictures ahead read
    +5 MB in `make bench`. Loaded now only where a word is wider than its card."""
    from kiosk.core import typeset

    typeset._hyphenator.cache_clear()
    window.picker.render_view()
    window.show_screen(window.picker)
    QApplication.processEvents()
    assert all(thumbnail.text_spots()[0].fits for thumbnail in window.picker.thumbnails)
    assert typeset._hyphenator.cache_info().currsize == 0


def test_a_screen_title_under_the_bar_is_one_size_on_every_screen(window: KioskWindow) -> None:
    """«Выбери картинку» under the portrait bar was at the bar's size (52 px), smaller than
    «Что вы хотите посмотреть?» and «Минутка спокойствия» there (72)."""
    for screen in (window.menu, window.calm, window.picker):
        window.show_screen(screen)
        QApplication.processEvents()
        title = screen.title
        if title.isVisible():
            assert title.font().pixelSize() == window.theme.title_px, screen


@pytest.mark.parametrize("mode", MODES)
def test_the_menu_tiles_titles_are_typeset_and_whole(window: KioskWindow, mode: str) -> None:
    """«12 лет «Моим / Документам»», «Раскраска для / детей»: the titles were set as typed.
    Typeset, a name or a preposition's words stay together where they fit on a line, and
    where they do not (large text, landscape) they wrap apart rather than run off the tile."""
    set_mode(window, mode, "ru")
    QApplication.processEvents()
    anniversary = window.menu.tiles[Destination.ANNIVERSARY].tile_layout()
    colouring = window.menu.tiles[Destination.COLOURING].tile_layout()
    assert anniversary.fits and colouring.fits
    assert "для\u00a0детей" in colouring.title
    if mode == "normal":
        assert "«Моим\u00a0Документам»" in anniversary.title



@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_rendered_line_ends_in_a_one_letter_word(window: KioskWindow, lang: Language,
                                                    mode: str) -> None:
    # As Qt broke the lines on screen: «…и» or «…с» at a line's end reads as a typo in Russian.
    set_mode(window, mode, lang)
    for screen in reading_screens(window):
        for item, page in every_page(window, screen):
            if page:
                continue  # the lines are the whole text's: once an item is enough
            for _top, line in screen.card.body._lines():
                words = line.replace("\u00a0", " ").replace("\u00ad", "").split()
                assert not words or words[-1] not in ONE_LETTER_WORDS, (screen, item, line)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_page_arrows_stand_at_the_bottom_centre_on_every_reading_screen(
        window: KioskWindow, lang: Language, mode: str) -> None:
    """«Page turning at the bottom centre» (docs/design.md): in portrait the stories' arrows
    kept to the left margin to leave «Случайная» its word; now the word gives way to its
    die."""
    set_mode(window, mode, lang)
    for screen in reading_screens(window):
        window.show_screen(screen)
        QApplication.processEvents()
        nav = screen.nav
        left, right = where(nav.previous, window).left(), where(nav.next, window).right()
        assert abs((left + right) / 2 - window.width() / 2) <= 2, (screen, left, right)
        if not nav.random.isHidden():
            assert where(nav.random, window).left() > right


@pytest.mark.parametrize("size", [(1280, 1024), (1024, 768), (1920, 1080)])
@pytest.mark.parametrize("mode", MODES)
def test_a_tiles_line_is_shown_whole_or_not_at_all(window: KioskWindow, mode: str,
                                                   size: tuple[int, int]) -> None:
    """On a 5:4 screen «Дыхательное упражнение на одну минуту» showed as «Дыхательное /
    упражнение», the rest cut off without a «…»: where the line does not fit whole, the
    title stands alone."""
    set_mode(window, mode, "ru")
    QApplication.processEvents()
    shown = 0
    for tile in window.menu.tiles.values():
        layout = tile.tile_layout()
        if layout.subtitle:
            assert layout.fits, (tile.text(), layout.subtitle)
            shown += 1
    if size == (1920, 1080) and mode == "normal":
        assert shown == len(window.menu.tiles)  # where there is room, every line shows


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("size", [(1280, 1024), (1024, 768)], ids=["5:4", "4:3"])
def test_on_a_narrow_screen_every_menu_tile_keeps_its_line(window: KioskWindow,
                                                           lang: Language) -> None:
    """At 1280×1024 in English two tiles of four showed their line and two stood bare, read
    as broken ("Sincere Service" said nothing of its stories). The line takes the picture's
    room where it must: every tile says what it opens, and all four look alike."""
    set_mode(window, "normal", lang)
    QApplication.processEvents()
    layouts = [tile.tile_layout() for tile in window.menu.tiles.values()]
    for tile, layout in zip(window.menu.tiles.values(), layouts, strict=True):
        assert layout.subtitle and layout.fits, (tile.text(), layout.subtitle)
    assert len({round(layout.picture.width()) for layout in layouts}) == 1
    assert len({round(layout.title_rect.left()) for layout in layouts}) == 1


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("size", [(1280, 1024), (1024, 768)], ids=["5:4", "4:3"])
def test_on_a_4_3_or_5_4_screen_the_text_runs_under_the_picture_then_across_the_card(
        window: KioskWindow, lang: Language, mode: str) -> None:
    """Beside the picture the words' column held two lines of a story under its title on a
    5:4 screen (five pages a story, seven in large text). The picture and the title share
    the top; the text runs under them across the width, and on the next pages it has the
    whole card under its running head."""
    set_mode(window, mode, lang)
    window.every_notice = True
    window.show_notices()  # the notice band up: the least room there is
    grid = window.theme.grid
    for screen in reading_screens(window):
        for item, page in every_page(window, screen):
            card = screen.card
            picture = where(card.image, window)
            body = card.body
            if not body.page_text(page):
                assert page == 0, (item, page)  # a title page: the text starts overleaf
                continue
            spot = body.text_spots()[0].rect.translated(where(body, window).topLeft())
            assert spot.left() == pytest.approx(grid.x(0), abs=2), (item, page)
            if page == 0:
                assert card.image.isVisible() and picture.left() == grid.x(0)
                assert where(card.title, window).left() > picture.right()  # beside it
                assert spot.top() > picture.bottom()  # the text under both
            else:
                assert not card.image.isVisible(), (item, page)
                assert spot.top() < picture.bottom()  # the room the picture had
                head = where(card.badge, window)
                assert head.left() == grid.x(0) and head.bottom() < spot.top()


def test_the_details_keep_a_districts_name_whole_and_are_never_cut(
        window: KioskWindow) -> None:
    """«Южное / Бутово» and "Public Service / Centre" stood apart where the centre took two
    lines: the centre's last two words are held together, as a paragraph's are; where even
    those are wider than the column they are let go rather than cut off."""
    from PySide6.QtGui import QFontMetrics

    from kiosk.ui.slide_card import shown_meta, story_meta

    story = window.content.story("birthday") if window.content else None
    assert story is not None
    assert "Южное\xa0Бутово" in story_meta(story, "ru")
    assert "Service\xa0Centre" in story_meta(story, "en")
    metrics = QFontMetrics(window.theme.font(window.theme.small_px))
    for width in (120, 200, 320, 480):
        for line in shown_meta(story_meta(story, "ru"), metrics, width).split("\n"):
            tied = [run for run in line.split(" ") if "\xa0" in run]
            assert all(metrics.horizontalAdvance(run) < width for run in tied), (width, line)


def title_lines(label: QLabel) -> list[str]:
    """A title's lines as its label wraps them."""
    return [" ".join(line.replace("\xa0", " ").split())
            for line in wrapped_lines(label.text(), label.font(), label.width())]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("size", [(1920, 1080), (1366, 768), (1280, 800), (1080, 1920)])
def test_no_title_line_ends_on_a_preposition(window: KioskWindow, mode: str) -> None:
    """«Раскраска для / маленького помощника» on every landscape screen (and in large text in
    portrait): the title's last two words were kept together at the cost of a preposition
    left hanging. «Раскраска / для маленького / помощника» or «…для маленького / помощника»."""
    set_mode(window, mode, "ru")
    for screen in reading_screens(window):
        window.show_screen(screen)
        count = len(screen.pages) if isinstance(screen, AnniversaryScreen) \
            else len(screen.visible_stories)
        for item in range(count):
            screen.go(item)
            QApplication.processEvents()
            lines = title_lines(screen.card.title)
            assert lines and len(" ".join(lines)) > 3
            for line in lines[:-1]:
                assert not ties_forward(line.split()[-1], "ru"), (item, lines)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("size", [(1280, 1024)], ids=["5:4"])
def test_a_title_kept_off_a_preposition_never_costs_the_first_page_its_text(
        window: KioskWindow, lang: Language, mode: str) -> None:
    """Large text above the notice band on a 5:4 screen: «Раскраска / для маленького /
    помощника», a line more than «Раскраска для / маленького помощника», pushed the story's
    two first lines overleaf and left a title page. There the text wins, as under a
    poster's headline: every story and page starts on its first page. At the usual size
    the title can step down no further, and its three lines and the details left the text
    110 px, 8 short of two lines (a title page, 130 px blank under it): the space above the
    text closes a step (`m` to `s`)."""
    window.every_notice = True
    window.show_notices()
    set_mode(window, mode, lang)
    assert window.notice_band.isVisible()
    for screen in reading_screens(window):
        for item, page in every_page(window, screen):
            if page == 0:
                card = screen.card
                assert card.body.page_text(0).strip(), (item, card.title.text())
                # Still a step apart: the details, then the text.
                text = card.body.text_spots()[0].rect.translated(where(card.body, window)
                                                                 .topLeft())
                gap = text.top() - where(card.meta, window).bottom()
                assert gap >= window.theme.space("s"), (item, gap)
