"""For `kiosk check`: text too long to read comfortably on its screen, measured the way the
screen lays it out (the real fonts, both orientations, both languages).

Type never shrinks: a long text is paged. More than `MOST_PAGES` pages is a long read for a
visitor waiting for their turn, so staff hear how many pages it takes and how many words fit
on one. Each story is first measured from the real card's geometry (its text column less the
title's and the details' real heights) and the text's real layout: about 0.4 ms a story in two
languages and two orientations, where showing each on the screen takes 16 ms (37,000 stories:
15 s of work, shared among the cores, rather than 10 minutes). Only a story that may be too
long is then shown on the real screen and its pages counted, so the verdict is always the
screen's own.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QApplication

from kiosk.core.content.model import Content, Story, Text
from kiosk.core.content.problems import LANGUAGES, Language, Problem, Severity
from kiosk.ui.anniversary import AnniversaryScreen
from kiosk.ui.main_window import KioskWindow
from kiosk.ui.markdown import markdown_document
from kiosk.ui.slide_card import ItemCard, shown_meta, story_meta
from kiosk.ui.stories import StoriesScreen
from kiosk.ui.theme import Theme
from kiosk.ui.widgets import breakable

ORIENTATIONS = {"landscape": (1920, 1080), "portrait": (1080, 1920)}
MARGIN_PX = 2  # rounding in the layout
MOST_PAGES = 3  # pages of one story or page a visitor can be asked to turn
LINE_ALLOWANCE = 1.6  # a line's pitch at most, in font sizes


@dataclass(frozen=True)
class _Column:
    """The text column of a story card when the text has the whole card (no picture)."""

    body_width: int
    body_height: int  # with the reference title and details below
    title_width: int
    title_height: int
    meta_width: int
    meta_height: int


def text_fit_problems(content: Content,
                      meanwhile: Callable[[], object] | None = None) -> list[Problem]:
    """`meanwhile`: other work for this process (`kiosk check`'s poster check), run once
    while the worker processes measure a large collection (else before the screens are
    shown): this process would only wait for them, and a core would stand idle."""
    found: dict[tuple[str, str, str], Problem] = {}
    windows = {name: _window(content, size) for name, size in ORIENTATIONS.items()}
    try:
        doubtful = _doubtful_stories(windows, content, meanwhile or (lambda: None))
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
            window.allow_close = True  # the kiosk refuses to close otherwise
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
        body = screen.card.body
        pages = body.page_count
        if pages > MOST_PAGES:
            key = (str(source), orientation, lang)
            if (crowding := _crowding_title(screen, key)) is not None:
                found[key] = crowding  # the title, not the text, is what to shorten
                continue
            words = len(body.markdown.split())
            per_page = max(1, words // pages)
            found[key] = _problem(*key, pages=pages, words=per_page,
                                  most=per_page * MOST_PAGES)


TITLE_LINES_MOST = 2  # a card's title over this many lines crowds its text off the page


def _crowding_title(screen: AnniversaryScreen | StoriesScreen,
                    key: tuple[str, str, str]) -> Problem | None:
    """A title of more than TITLE_LINES_MOST lines on the card, where the text runs over:
    staff were told to shorten the text when the title took its room."""
    label = screen.card.title
    pitch = max(1, QFontMetrics(label.font()).lineSpacing())
    lines = round(label.contentsRect().height() / pitch)
    title = label.text()
    if lines <= TITLE_LINES_MOST or not title:
        return None
    path, orientation, lang = key
    return Problem(path, None, Severity.WARNING, "title_too_long_for_card",
                   {"value": title, "lines": str(lines), "orientation": orientation,
                    "language": lang,
                    "most": str(max(10, len(title) * TITLE_LINES_MOST // lines))})


@dataclass(frozen=True)
class _Measure:
    """One orientation's story card, in numbers and font descriptions: what a worker
    process needs to measure stories as that card lays them out."""

    orientation: str
    columns: dict[bool, _Column]  # by whether the story has a photo
    title_font: str  # QFont.toString()
    meta_font: str
    body_font: str  # the text's one size


# (index, has photo, then title, details and text in each language)
_Texts = tuple[int, bool, tuple[tuple[Language, str, str, str], ...]]
CHUNK = 2000  # stories a worker process measures at a time
WORKERS_FROM = 4000  # fewer stories are measured here: starting workers would take longer


def _doubtful_stories(windows: dict[str, KioskWindow], content: Content,
                      meanwhile: Callable[[], object]) -> list[tuple[int, str, Language]]:
    """(story, orientation, language) where the story's text may not fit; every other story
    fits for certain. Large collections are measured in worker processes, one a core,
    `meanwhile` running here as they do (else after the stories are measured)."""
    if not content.stories:
        meanwhile()
        return []
    measures = []
    for orientation, window in windows.items():
        window.show_screen(window.stories)
        card = window.stories.card
        columns = {has_photo: _column(window, card, has_photo) for has_photo in (False, True)}
        measures.append(_Measure(orientation, columns, card.title.font().toString(),
                                 card.meta.font().toString(),
                                 window.theme.font(card.body.font_px).toString()))
    texts: list[_Texts] = [
        (index, story.photo is not None,
         tuple((lang, story.title.get(lang), story_meta(story, lang), story.body.get(lang))
               for lang in LANGUAGES))
        for index, story in enumerate(content.stories)]
    chunks = [texts[i:i + CHUNK] for i in range(0, len(texts), CHUNK)]
    workers = min(4, os.cpu_count() or 1, len(chunks))  # each holds Qt: ~100 MB
    if len(texts) < WORKERS_FROM or workers < 2:
        doubtful = _measure_chunk(measures, texts)
        meanwhile()
        return doubtful
    context = multiprocessing.get_context("spawn")  # never fork a process running Qt
    with ProcessPoolExecutor(workers, context, initializer=_start_worker) as pool:
        found = pool.map(_measure_chunk, [measures] * len(chunks), chunks)  # all sent now
        meanwhile()
        return [item for part in found for item in part]


def _start_worker() -> None:
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtGui import QGuiApplication

    from kiosk.ui.resources import load_fonts

    global _WORKER_APP
    _WORKER_APP = QGuiApplication([])
    load_fonts()


_WORKER_APP: object = None


def _measure_chunk(measures: list[_Measure],
                   texts: list[_Texts]) -> list[tuple[int, str, Language]]:
    """The stories among `texts` whose text may take more than `MOST_PAGES` pages: laid out
    in each column they can have, with the room their title and details leave on the first
    page (later pages have more room, so this errs towards measuring on the screen)."""
    metrics: dict[str, tuple[QFontMetrics, QFontMetrics]] = {
        measure.orientation: (QFontMetrics(_font(measure.title_font)),
                              QFontMetrics(_font(measure.meta_font)))
        for measure in measures}
    fonts = {measure.orientation: _font(measure.body_font) for measure in measures}
    doubtful: list[tuple[int, str, Language]] = []
    meta_heights: dict[tuple[str, str], int] = {}  # the same centre and date recur
    for index, has_photo, languages in texts:
        for lang, title, meta, body in languages:
            # Made the way the screen makes it (the text first, then its type and width):
            # Qt lays the same text out a pixel or two differently in another order.
            document = markdown_document(body)
            font_set = ""
            # The narrowest column first: a wider one in the same type never needs more lines
            # (each line holds at least as many words), so a text that fits the narrow
            # column's height there fits the wider column's height without laying it out.
            narrowest: tuple[str, int, float] | None = None
            for measure in sorted(measures, key=lambda m: m.columns[has_photo].body_width):
                orientation = measure.orientation
                column = measure.columns[has_photo]
                title_metrics, meta_metrics = metrics[orientation]
                # Pages break between whole lines and keep a paragraph's first and last lines
                # company: each page may leave up to three lines of its box unused.
                line = fonts[orientation].pixelSize() * LINE_ALLOWANCE
                room = MOST_PAGES * (column.body_height - 3 * line) - MARGIN_PX
                if title_metrics.horizontalAdvance(title) > column.title_width:  # not one line
                    shown = breakable(title, title_metrics, column.title_width)  # as set
                    room -= _wrapped_height(title_metrics, shown, column.title_width) \
                        - column.title_height
                if meta:
                    height = meta_heights.get((meta, orientation))
                    if height is None:
                        height = meta_heights[(meta, orientation)] = _wrapped_height(
                            meta_metrics, shown_meta(meta, meta_metrics, column.meta_width),
                            column.meta_width)
                    room -= height - column.meta_height
                if narrowest is not None and narrowest[0] == measure.body_font \
                        and narrowest[1] <= column.body_width and narrowest[2] <= room:
                    continue
                if measure.body_font != font_set:  # setting it again lays the text out again
                    document.setDefaultFont(fonts[orientation])
                    font_set = measure.body_font
                document.setTextWidth(column.body_width)
                text_height = document.size().height()
                if narrowest is None:
                    narrowest = (measure.body_font, column.body_width, text_height)
                if text_height > room:
                    doubtful.append((index, orientation, lang))
    return doubtful


def _font(description: str) -> QFont:
    font = QFont()
    font.fromString(description)
    return font


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


def _problem(path: str, orientation: str, lang: str, pages: int, words: int,
             most: int) -> Problem:
    return Problem(path, None, Severity.WARNING, "text_too_long",
                   {"orientation": orientation, "language": lang, "pages": str(pages),
                    "words": str(words), "most": str(most)})


def centre_name_problems(content: Content) -> list[Problem]:
    """For `kiosk check`: a centre's name (kiosk.yaml or this computer's settings) too long
    for the attract screen's band even in small type on several lines, measured by the band
    itself in the screen's fonts, in both orientations and both languages."""
    from kiosk.core.content.loader import SETTINGS_FILE
    from kiosk.ui.attract.band import AttractBand
    from kiosk.ui.resources import ImageCache

    settings = content.settings
    found: dict[str, Problem] = {}
    for orientation, (width, height) in ORIENTATIONS.items():
        band = AttractBand(Theme(width, height), ImageCache(capacity=1))
        band.resize(width, band.height())
        try:
            for lang in LANGUAGES:
                # The English screen shows the Russian name where there is no English one.
                key = "centre_name_en" if lang == "en" and settings.centre_name_en \
                    else "centre_name"
                name = settings.centre(lang)
                if not name:
                    continue
                band.set_texts(lang, name, "", ())
                layout = band.name_layout()
                shown = layout.text
                # The orientation that shows the least of it: once a name.
                if not layout.whole and (key not in found or len(shown) < len(
                        found[key].args["shown"])):
                    path = settings.origins.get(key, str(content.root / SETTINGS_FILE))
                    found[key] = Problem(path, _line_of(path, key), Severity.WARNING,
                                         "centre_name_long",
                                         {"value": name, "key": key, "shown": shown,
                                          "orientation": orientation,
                                          "most": str(len(shown.rstrip("…")))})
        finally:
            band.deleteLater()
    return list(found.values())


def _line_of(path: str, key: str) -> int | None:
    """The line of `key:` at the start of a line of a settings file, if it is there (the
    file was read and checked already: a small one; only its first 64 KB are looked at)."""
    try:
        with open(path, encoding="utf-8", errors="replace") as file:
            text = file.read(65536)
    except OSError:
        return None
    for number, line in enumerate(text.splitlines(), start=1):
        if line.startswith(f"{key}:"):
            return number
    return None
