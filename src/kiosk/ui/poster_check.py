"""For `kiosk check`: titles too long for the loop's posters, and teaser lines with no room
left under the title, measured as the poster sets them (the real fonts, both orientations,
both languages).

A title that needs more than three lines of display type is set at title size on the loop;
staff hear it, with the number of words that would fit, so they can shorten it. About 0.2 ms
a title; with thousands of stories only those whose title is long enough to be in doubt are
laid out.
"""

from __future__ import annotations

from PySide6.QtCore import QSize

from kiosk.core.model import AnniversaryPage, Content, Story
from kiosk.core.problems import LANGUAGES, Language, Problem, Severity
from kiosk.core.teaser import teaser_line
from kiosk.ui.attract_poster import HEADLINE_LINES, PosterPainter, PosterWords
from kiosk.ui.resources import ImageCache
from kiosk.ui.theme import Theme

# The stage of the attract screen at each orientation: the screen less the band.
ORIENTATIONS = {"landscape": (1920, 1080), "portrait": (1080, 1920)}
SURELY_SHORT = 24  # characters: a title this short fits three display lines on any screen


def poster_fit_problems(content: Content) -> list[Problem]:
    """One warning per long title and language, with the words that fit on the narrower
    screen."""
    items: list[Story | AnniversaryPage] = [*content.pages,
                                            *(s for s in content.stories if s.attract)]
    fitting: dict[tuple[int, Language], int] = {}
    dropped: set[tuple[int, Language]] = set()
    for width, height in ORIENTATIONS.values():
        theme = Theme(width, height)
        painter = PosterPainter(theme, ImageCache())
        stage = QSize(width, height - theme.px(300 if theme.portrait else 176))
        for n, item in enumerate(items):
            for lang in LANGUAGES:
                title = item.title.get(lang)
                if lang == "en" and not item.title.en:
                    continue
                line = teaser_line(item, lang)
                if line and len(title) + len(line) > SURELY_SHORT * 2:
                    # The kicker is a word or two; the real one changes nothing here.
                    shown = PosterWords("Искренний сервис", title, line, None)
                    if painter.layout(shown, lang, stage).line is None:
                        dropped.add((n, lang))
                if len(title) <= SURELY_SHORT:
                    continue
                words = PosterWords("", title, "", None)
                if not painter.layout(words, lang, stage).headline_at_display:
                    count = _words_that_fit(painter, title, lang, stage)
                    fitting[n, lang] = min(count, fitting.get((n, lang), count))
    found = [Problem(str(items[n].source), None, Severity.WARNING, "headline_long",
                     {"value": items[n].title.get(lang), "words": str(count),
                      "lines": str(HEADLINE_LINES)})
             for (n, lang), count in sorted(fitting.items())]
    found += [Problem(str(items[n].source), None, Severity.WARNING, "teaser_no_room",
                      {"key": "teaser" if lang == "ru" else "teaser_en",
                       "value": teaser_line(items[n], lang)})
              for n, lang in sorted(dropped)]
    return found


def _words_that_fit(painter: PosterPainter, title: str, lang: Language, stage: QSize) -> int:
    words = title.split()
    fitting = 0
    for count in range(1, len(words) + 1):
        shown = PosterWords("", " ".join(words[:count]), "", None)
        if not painter.layout(shown, lang, stage).headline_at_display:
            break
        fitting = count
    return fitting
