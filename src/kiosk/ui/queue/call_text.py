"""A queue call's words laid out for the screen: the banner's «Приглашается талон А017 → окно
12» and the attract screen's «А017 → окно 12».

The sentence comes from a template in kiosk.core.i18n with `{ticket}` and `{window}` in it, so
each language keeps its own word order ("Ticket A017, please go to counter 12"). The figures
are set larger than the words. Lines break between words, never between a figure and the word
before it («талон А017», «counter 12») nor after an arrow; type never shrinks: a piece wider
than the line (a 16-character ticket on a narrow screen) is broken, never cut.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import pairwise
from string import Formatter

from PySide6.QtCore import QRect, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter

from kiosk.core.queue import Call
from kiosk.ui.widgets import TextSpot

ARROWS = frozenset("→—–")
# A word is one line, laid out left to right: kiosk.core.queue already removes the characters
# that would break or reverse it; this holds for any text that reached a Word some other way.
WORD_FLAGS = Qt.TextFlag.TextSingleLine | Qt.TextFlag.TextForceLeftToRight


@dataclass(frozen=True)
class Word:
    """One word or figure, in its font."""

    text: str
    font: QFont
    figure: bool = False
    joined: bool = False  # no space before it: a comma straight after a figure

    @property
    def width(self) -> float:
        return QFontMetricsF(self.font).horizontalAdvance(self.text)


def call_words(template: str, call: Call, word_font: QFont, figure_font: QFont) -> list[Word]:
    """The template's words with the call's ticket and window put in as figures."""
    words: list[Word] = []
    for literal, name, _, _ in Formatter().parse(template):
        for i, text in enumerate(literal.split()):
            joined = i == 0 and bool(words) and not literal[0].isspace()
            words.append(Word(text, word_font, joined=joined))
        if name is not None:
            value = call.ticket if name == "ticket" else call.window
            joined = bool(words) and (not literal or not literal[-1].isspace())
            words.append(Word(value, figure_font, figure=True, joined=joined))
    return words


def unbreakable(words: list[Word], whole_call: bool = True) -> list[list[Word]]:
    """The words in runs a line may not break inside: a word and the figure after it, a
    figure and the punctuation stuck to it, an arrow and the word after it, and with
    `whole_call` the word before it too (the call «талон А017 → окно 12» whole: a line began
    with «→ окно 12» at 1280×1024). `flow` lets that last tie go where the call is wider
    than a line (a ticket of 16 characters in portrait)."""
    runs: list[list[Word]] = []
    for word in words:
        previous = runs[-1][-1] if runs else None
        keep = previous is not None and (
            word.joined or (word.figure and not previous.figure) or previous.text in ARROWS
            or (whole_call and word.text in ARROWS))
        if keep:
            runs[-1].append(word)
        else:
            runs.append([word])
    return runs


def _space(left: Word, right: Word) -> float:
    if right.joined:
        return 0.0
    smaller = left.font if left.font.pixelSize() <= right.font.pixelSize() else right.font
    return QFontMetricsF(smaller).horizontalAdvance(" ")


def _run_width(run: list[Word]) -> float:
    return sum(w.width for w in run) + sum(_space(a, b) for a, b in pairwise(run))


def _split(word: Word, width: float) -> list[Word]:
    """A word wider than the line, in pieces that fit (at least a character each)."""
    pieces: list[Word] = []
    metrics = QFontMetricsF(word.font)
    text = word.text
    while text:
        cut = len(text)
        while cut > 1 and metrics.horizontalAdvance(text[:cut]) > width:
            cut -= 1
        pieces.append(Word(text[:cut], word.font, word.figure,
                           joined=word.joined or bool(pieces)))
        text = text[cut:]
    return pieces


@dataclass
class Line:
    """Words on one line: each with its x from the line's start; the line's width and the
    largest ascent and descent among its words."""

    words: list[tuple[Word, float]] = field(default_factory=list)
    width: float = 0.0
    ascent: float = 0.0
    descent: float = 0.0

    def add(self, word: Word, gap: float) -> None:
        x = self.width + (gap if self.words else 0.0)
        self.words.append((word, x))
        self.width = x + word.width
        metrics = QFontMetricsF(word.font)
        self.ascent = max(self.ascent, metrics.ascent())
        self.descent = max(self.descent, metrics.descent())

    @property
    def height(self) -> float:
        return self.ascent + self.descent


def flow(runs: list[list[Word]], width: float, run_gap: float | None = None) -> list[Line]:
    """Fill lines of `width` with the runs in order. Between runs: a space, or `run_gap`
    (the recent calls are set apart further than words)."""
    pieces: list[list[Word]] = []
    for run in runs:
        if _run_width(run) <= width:
            pieces.append(run)
            continue
        for part in unbreakable(run, whole_call=False):  # a call wider than a line: its
            if _run_width(part) <= width:  # «А017» and «→ окно 12» keep their ties
                pieces.append(part)
                continue
            for word in part:  # still too wide: it breaks between its words, then inside
                pieces.extend([piece] for piece in (_split(word, width)
                                                    if word.width > width else [word]))
    lines: list[Line] = []
    for run in pieces:
        line = lines[-1] if lines else None
        if line is not None and line.words:
            last = line.words[-1][0]
            gap = run_gap if run_gap is not None and not run[0].joined else _space(last, run[0])
            if line.width + gap + _run_width(run) > width + 0.5:
                line = None
        if line is None:
            line = Line()
            lines.append(line)
            gap = 0.0
        for i, word in enumerate(run):
            line.add(word, gap if i == 0 else _space(run[i - 1], word))
    return lines


@dataclass(frozen=True)
class Placed:
    """A word where it is drawn: its baseline's left end."""

    word: Word
    x: float
    baseline: float

    @property
    def rect(self) -> QRectF:
        metrics = QFontMetricsF(self.word.font)
        return QRectF(self.x, self.baseline - metrics.ascent(), self.word.width,
                      metrics.ascent() + metrics.descent())


def place(lines: list[Line], left: float, top: float, width: float, line_gap: float,
          centred: bool) -> tuple[list[Placed], float]:
    """Put the lines one under another from `top`, each centred in `width` or flush left
    at `left`. Returns the placed words and the bottom of the last line."""
    placed: list[Placed] = []
    y = top
    for i, line in enumerate(lines):
        if i:
            y += line_gap
        x0 = left + ((width - line.width) / 2 if centred else 0.0)
        baseline = y + line.ascent
        placed.extend(Placed(word, x0 + x, baseline) for word, x in line.words)
        y += line.height
    return placed, y


def draw(painter: QPainter, placed: list[Placed], colour: QColor,
         figure_colour: QColor | None = None) -> None:
    for item in placed:
        painter.setFont(item.word.font)
        painter.setPen(figure_colour if item.word.figure and figure_colour else colour)
        painter.drawText(item.rect, WORD_FLAGS, item.word.text)


def spots(placed: list[Placed], colour: QColor, figure_colour: QColor | None = None,
          inside: QRect | None = None) -> list[TextSpot]:
    """What the accessibility audit measures: every word drawn, in its colour and size."""
    out = []
    for item in placed:
        rect = item.rect.toAlignedRect()
        ink = figure_colour if item.word.figure and figure_colour else colour
        out.append(TextSpot(item.word.text, rect, ink, item.word.font.pixelSize(),
                            item.word.font.bold(), inside is None or inside.contains(rect)))
    return out
