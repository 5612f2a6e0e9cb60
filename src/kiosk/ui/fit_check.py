"""For `kiosk check`: text that would not fit its screen, measured the way the screen lays it
out (the real fonts, both orientations, both languages).

A story is cut only if its text does not fit even with no picture beside it and the smallest
type the screen allows. That is measured for each story from the real card's geometry (its
text column less the title's and the details' real heights) and the text's real layout: about
0.1 ms a story, where showing each story on the screen takes 4 ms (37,000 stories: 15 s rather
than 10 minutes). A story within a line of the limit is shown on the real screen as well, so
the verdict is always the screen's own.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QFontMetrics, QTextDocument
from PySide6.QtWidgets import QApplication

from kiosk.core.model import Content, Story, Text
from kiosk.core.problems import LANGUAGES, Language, Problem, Severity
from kiosk.ui.anniversary import AnniversaryScreen
from kiosk.ui.main_window import KioskWindow
from kiosk.ui.slide_card import ItemCard, story_meta
from kiosk.ui.stories import StoriesScreen
from kiosk.ui.theme import Theme
from kiosk.ui.widgets import MARKDOWN_FEATURES

ORIENTATIONS = {"landscape": (1920, 1080), "portrait": (1080, 1920)}
MARGIN_PX = 2  # rounding in the layout


@dataclass(frozen=True)
class _Column:
    """The text column of a story card when the text has the whole card (no picture)."""

    body_width: int
    body_height: int  # with the reference title and details below
    title_width: int
    title_height: int
    meta_width: int
    meta_height: int


def text_fit_problems(content: Content) -> list[Problem]:
    found: dict[tuple[str, str, str], Problem] = {}
    windows = {name: _window(content, size) for name, size in ORIENTATIONS.items()}
    try:
        doubtful = _doubtful_stories(windows, content)
        for orientation, window in windows.items():
            for lang in LANGUAGES:
                window.set_language(lang)
                _measure_on_screen(window, window.anniversary, range(len(content.pages)),
                                   [page.source for page in content.pages], orientation, lang,
                                   found)
                indices = sorted(i for i, o, lg in doubtful if (o, lg) == (orientation, lang))
                _measure_on_screen(window, window.stories, indices,
                                   [content.stories[i].source for i in indices], orientation,
                                   lang, found)
    finally:
        for window in windows.values():
            window.attract.stop()
            window.close()
            window.deleteLater()
    return list(found.values())


def _window(content: Content, size: tuple[int, int]) -> KioskWindow:
    window = KioskWindow(Theme(*size), content)
    window.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen)
    window.show()
    for screen in window.screens:
        screen.wall = lambda: None  # every item, whatever its schedule
    return window


def _measure_on_screen(window: KioskWindow, screen: AnniversaryScreen | StoriesScreen,
                       indices: range | list[int],
                       sources: list[object], orientation: str, lang: Language,
                       found: dict[tuple[str, str, str], Problem]) -> None:
    """Show each item on the real screen and ask it whether its text was cut."""
    if not indices:
        return
    window.show_screen(screen)
    for index, source in zip(indices, sources, strict=True):
        screen.go(index)
        QApplication.processEvents()
        if screen.card.body.overflows():
            key = (str(source), orientation, lang)
            found[key] = _problem(*key)


def _doubtful_stories(windows: dict[str, KioskWindow],
                      content: Content) -> list[tuple[int, str, Language]]:
    """(story, orientation, language) where the story's text is within a line of not
    fitting; every other story fits for certain."""
    if not content.stories:
        return []
    measures = []
    for orientation, window in windows.items():
        window.show_screen(window.stories)
        card = window.stories.card
        columns = {has_photo: _column(window, card, has_photo) for has_photo in (False, True)}
        title_font = QFontMetrics(card.title.font())
        meta_font = QFontMetrics(card.meta.font())
        # A line of the smallest type, and some: closer than that, the real screen decides.
        room_to_spare = card.body.min_px * 1.5 + MARGIN_PX
        measures.append((orientation, columns, title_font, meta_font, room_to_spare,
                         window.theme.font(card.body.min_px)))
    doubtful: list[tuple[int, str, Language]] = []
    meta_heights: dict[tuple[str, str], int] = {}  # the same centre and date recur
    for index, story in enumerate(content.stories):
        for lang in LANGUAGES:
            title = story.title.get(lang)
            meta = story_meta(story, lang)
            # Font and width before the text: one layout, not three (Qt lays out again on
            # each change).
            document = QTextDocument()
            document.setDocumentMargin(0)
            document.setDefaultFont(measures[0][5])
            document.setTextWidth(measures[0][1][story.photo is not None].body_width)
            document.setMarkdown(story.body.get(lang), MARKDOWN_FEATURES)
            for orientation, columns, title_font, meta_font, spare, font in measures:
                column = columns[story.photo is not None]
                room = column.body_height - spare
                if title_font.horizontalAdvance(title) > column.title_width:  # not one line
                    room -= _wrapped_height(title_font, title, column.title_width) \
                        - column.title_height
                if meta:
                    height = meta_heights.get((meta, orientation))
                    if height is None:
                        height = meta_heights[(meta, orientation)] = _wrapped_height(
                            meta_font, meta, column.meta_width)
                    room -= height - column.meta_height
                if document.defaultFont() != font:
                    document.setDefaultFont(font)
                if document.textWidth() != column.body_width:
                    document.setTextWidth(column.body_width)
                if document.size().height() > room:
                    doubtful.append((index, orientation, lang))
    return doubtful


def _wrapped_height(metrics: QFontMetrics, text: str, width: int) -> int:
    """A plain-text label's height at `width`, as QLabel wraps it."""
    flags = Qt.TextFlag.TextWordWrap | Qt.AlignmentFlag.AlignLeft
    return metrics.boundingRect(QRect(0, 0, width, 1 << 20), flags, text).height()


def _column(window: KioskWindow, card: ItemCard, has_photo: bool) -> _Column:
    """The card's geometry with a one-line title and details and a text too long for any
    picture to stay beside it: what every story is measured against."""
    photo = next((s.photo for s in window.content.stories if s.photo is not None), None)
    probe = Story("probe", window.content.root / "probe.md", title=Text("Заголовок"),
                  body=Text("Слово " * 4000), centre=Text("Центр"),
                  photo=photo if has_photo else None)
    card.show_item("badge", probe.title.ru, story_meta(probe, "ru"), probe.body.ru,
                   probe.photo)
    QApplication.processEvents()
    title_width, meta_width = card.title.contentsRect().width(), card.meta.contentsRect().width()
    return _Column(card.body.width(), card.body.height(), title_width,
                   _wrapped_height(QFontMetrics(card.title.font()), probe.title.ru, title_width),
                   meta_width, _wrapped_height(QFontMetrics(card.meta.font()),
                                               story_meta(probe, "ru"), meta_width))


def _problem(path: str, orientation: str, lang: str) -> Problem:
    return Problem(path, None, Severity.WARNING, "text_too_long",
                   {"orientation": orientation, "language": lang})
