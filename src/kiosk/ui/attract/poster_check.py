"""For `kiosk check`: titles too long for the loop's posters, and teaser lines with no room
left under the title, measured as the poster sets them (the real fonts, both orientations,
both languages).

A title that needs more than three lines of display type is set at title size on the loop;
staff hear it, with the number of words that would fit, so they can shorten it. About 0.2 ms
a title; with thousands of stories only those whose title is long enough to be in doubt are
laid out.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QSize
from PySide6.QtGui import QFontMetricsF

from kiosk.core.content.model import AnniversaryPage, Content, Story
from kiosk.core.content.problems import LANGUAGES, Language, Problem, Severity
from kiosk.core.typeset import let_go, typeset
from kiosk.ui.attract.poster import HEADLINE_LINES, LINE_LINES, PosterPainter, PosterWords, SetText
from kiosk.ui.theme import Theme

# The stage of the attract screen at each orientation: the screen less the band.
ORIENTATIONS = {"landscape": (1920, 1080), "portrait": (1080, 1920)}
SURELY_SHORT = 24  # characters: a title this short fits three display lines on any screen
# A word Qt's line breaking (Unicode's rules) cannot break inside: words of letters and
# digits, each perhaps opened by «, " or ( and closed by », ", ), a stop or a comma, joined
# by non-breaking spaces. Anything else (a hyphen, a dash, a slash, «?») may let a line
# break there, so a word with it is left to the layout. Letters of the Latin, Greek and
# Cyrillic scripts only: Qt breaks between CJK ideographs (and Thai words) with no space.
_LETTERS = "0-9A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u0370-\u03ff\u0400-\u052f"
_TOKEN = rf"[«\"(]*[{_LETTERS}]+[»\").,:;]*"
_UNBREAKABLE = re.compile(rf"{_TOKEN}(?:\u00a0{_TOKEN})*\Z")


def poster_fit_problems(content: Content) -> list[Problem]:
    """One warning per long title and language, with the words that fit on the narrower
    screen."""
    items: list[Story | AnniversaryPage] = [*content.pages,
                                            *(s for s in content.stories if s.attract)]
    fitting: dict[tuple[int, Language], int] = {}
    # A word wider than a line at display size, and the screen where it is.
    wide: dict[tuple[int, Language], tuple[str, str]] = {}
    dropped: set[tuple[int, Language]] = set()
    typeset_once: dict[tuple[str, Language], str] = {}  # both orientations set the same text
    for orientation, (width, height) in ORIENTATIONS.items():
        theme = Theme(width, height)
        painter = PosterPainter(theme)
        stage = QSize(width, height - theme.px(300 if theme.portrait else 176))
        bounds = _Bounds(painter, stage, typeset_once)
        for n, item in enumerate(items):
            for lang in LANGUAGES:
                title = item.title.get(lang)
                if lang == "en" and not item.title.en:
                    continue
                # Only a line staff wrote is worth a word: a first sentence taken for want of
                # one is left off quietly when there is no room (the title shows alone).
                line = (item.teaser.en if lang == "en" else item.teaser.ru).strip()
                if bounds.surely_fits(title, line, lang):
                    continue  # most of a large collection: no layout needed
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
                    word = _too_wide_word(painter, title, count, lang, stage)
                    if word and (n, lang) not in wide:
                        wide[n, lang] = (word, orientation)
    # Where a word alone is wider than the line, that is the cause: «only the first word
    # fits» read as a title far too long when one word was too long.
    found = [Problem(str(items[n].source), None, Severity.WARNING, "headline_word_wide",
                     {"value": items[n].title.get(lang), "word": wide[n, lang][0],
                      "orientation": wide[n, lang][1]})
             if (n, lang) in wide else
             Problem(str(items[n].source), None, Severity.WARNING, "headline_long",
                     {"value": items[n].title.get(lang), "words": str(count),
                      "lines": str(HEADLINE_LINES)})
             for (n, lang), count in sorted(fitting.items())]
    found += [Problem(str(items[n].source), None, Severity.WARNING, "teaser_no_room",
                      {"key": "teaser" if lang == "ru" else "teaser_en",
                       "value": items[n].teaser.en if lang == "en" else items[n].teaser.ru})
              for n, lang in sorted(dropped)]
    return found


class _Bounds:
    """A poster's lines counted from the widths of its words (cached: a large collection
    repeats its words), breaking them greedily as Qt does but in a column 2 % narrower, so
    the count is never below the layout's. Microseconds a poster, where a layout takes a
    fraction of a millisecond; only the posters near a limit are laid out."""

    SAFETY = 0.98
    KEPT_WORDS = 100_000

    def __init__(self, painter: PosterPainter, stage: QSize,
                 typeset_once: dict[tuple[str, Language], str]) -> None:
        theme = painter.theme
        self._typeset = typeset_once
        self.painter = painter
        probe = painter.layout(PosterWords("Искренний сервис", "Т", "Т", None), "ru", stage)
        assert probe.line is not None
        self.full_width = probe.frame.words.width()
        self.width = self.full_width * self.SAFETY
        self.room = probe.frame.words.height()
        self.kicker = probe.kicker
        self.display = QFontMetricsF(theme.font(theme.display_px, bold=True))
        self.headline_font, self.headline_pitch = probe.headline.font, probe.headline.pitch
        self.lead = QFontMetricsF(probe.line.font)
        self.line_pitch = probe.line.pitch
        self._widths: dict[tuple[int, str], float] = {}

    def _advance(self, metrics: QFontMetricsF, word: str) -> float:
        key = (id(metrics), word)
        width = self._widths.get(key)
        if width is None:
            width = metrics.horizontalAdvance(word)
            if len(self._widths) < self.KEPT_WORDS:
                self._widths[key] = width
        return width

    def typeset(self, text: str, lang: Language) -> str:
        found = self._typeset.get((text, lang))
        if found is None:
            found = self._typeset[text, lang] = typeset(text, lang, hyphenate=False)
        return found

    def lines_at_most(self, text: str, metrics: QFontMetricsF) -> int:
        """At least as many lines as the poster sets `text` in (1 << 20: only a layout can
        tell). Words held together by non-breaking spaces break as one; where such a group
        is wider than the column, the poster lets its glue go, first first or last first
        (set_text keeps the better set, not always the shorter), and so does this count, the
        more of the two, where the group is surely too wide for the poster, or surely not."""
        near = False

        def too_wide(run: str) -> bool:
            nonlocal near
            width = self._advance(metrics, run)
            # set_text's test is a pixel over the real column: within the margin of it, only
            # a layout can tell whether the glue goes; nor where Qt may break inside the
            # group (at a hyphen, between ideographs) without letting it go.
            near = near or (self.width < width and width * self.SAFETY <= self.full_width + 1) \
                or (width > self.width and not _UNBREAKABLE.match(run))
            return width > self.full_width + 1

        most = 0
        for first in (True, False):
            lines, overflows = self._greedy(let_go(text, too_wide, first), metrics)
            if near or overflows is None or overflows:
                return 1 << 20
            most = max(most, lines)
        return most

    def _greedy(self, text: str, metrics: QFontMetricsF) -> tuple[int, bool | None]:
        """Lines of `text` broken greedily in the narrowed column, and whether a word (or a
        group held by non-breaking spaces) overflows the poster's own column: surely (True),
        surely not (False), or perhaps (None)."""
        space = self._advance(metrics, " ")
        lines, used = 1, 0.0
        overflows = False
        for word in text.split(" "):
            width = self._advance(metrics, word)
            if width > self.width:
                # Over the real column (set_text's test: a pixel over) by more than the margin,
                # and with nowhere inside it Qt could break a line: the poster's layout
                # overflows there too. Anything nearer: only a layout can tell.
                if width * self.SAFETY <= self.full_width + 1 or not _UNBREAKABLE.match(word):
                    return lines, None
                overflows = True
            if used and used + space + width > self.width:
                lines, used = lines + 1, width
            else:
                used += (space if used else 0.0) + width
        return lines, overflows

    def surely_fits(self, title: str, line: str, lang: Language) -> bool:
        """True when the title surely takes at most three display lines and the line
        surely has room under it."""
        headline = self.lines_at_most(self.typeset(title, lang), self.display)
        if headline > HEADLINE_LINES:
            return False
        if not line:
            return True
        below = self.lines_at_most(self.typeset(line, lang), self.lead)
        if below > LINE_LINES:
            return False
        head = SetText([("", 0.0)] * headline, self.headline_font, self.headline_pitch, True)
        taken = self.painter.head_height(self.kicker, head)
        return below * self.line_pitch <= self.room - taken


def _too_wide_word(painter: PosterPainter, title: str, count: int, lang: Language,
                   stage: QSize) -> str:
    """The word after the first `count` of `title` that fit, where it is wider than a line
    of the headline at display size on its own; "" otherwise."""
    words = title.split()
    if count >= len(words):
        return ""
    word = words[count].strip("«»\"()[].,:;!?—–-")
    if not word or painter.layout(PosterWords("", word, "", None), lang,
                                  stage).headline_at_display:
        return ""
    return word


def _words_that_fit(painter: PosterPainter, title: str, lang: Language, stage: QSize) -> int:
    words = title.split()
    fitting = 0
    for count in range(1, len(words) + 1):
        shown = PosterWords("", " ".join(words[:count]), "", None)
        if not painter.layout(shown, lang, stage).headline_at_display:
            break
        fitting = count
    return fitting
