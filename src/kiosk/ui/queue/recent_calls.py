"""The queue's last calls on the attract screen: «Вызваны: А017 → окно 12   Б104 → окно 3 …».

Quiet on purpose: the page's own colours (ink on paper under a thin rule), never the signal
colour, so only a *new* call — the banner — shouts. Every call is shown: where the width runs
out (portrait, or ten calls) they go on further lines, aligned under the first; the widget
grows by a line rather than leave a call out.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from PySide6.QtCore import QRect, QSize
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from kiosk.core.content.problems import Language
from kiosk.core.i18n import tr
from kiosk.ui.theme import Theme
from kiosk.ui.widgets import TextSpot

if TYPE_CHECKING:  # the calls' module and their layout are imported with the first call
    from kiosk.core.queue import Call
    from kiosk.ui.queue.call_text import Placed, Word


class RecentCalls(QWidget):
    """The label, then the calls flowing in lines beside it. Its height follows from the
    width it is given (`heightForWidth`); its preferred width is what the calls need, at
    most the screen's width inside the margins."""

    def __init__(self, theme: Theme) -> None:
        super().__init__()
        self.theme = theme
        self.calls: list[Call] = []
        self.lang: Language = "ru"
        self.painted_texts: list[str] = []  # the words the last paint drew (tests read them)
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)

    def set_calls(self, calls: list[Call], lang: Language) -> None:
        if calls == self.calls and lang == self.lang:
            return
        self.calls, self.lang = list(calls), lang
        self.setMinimumWidth(min(self._widest_entry(), self._room()))
        self.updateGeometry()
        self._settle()
        self.update()

    def _settle(self) -> None:
        """Qt passes a changed height up one parent per turn of the event loop; settle it
        now, so no call is ever drawn cut off by a row that has not grown yet."""
        widget = self.parentWidget()
        while widget is not None:
            layout = widget.layout()
            if layout is not None:
                layout.activate()
            widget = widget.parentWidget()

    # -- layout ----------------------------------------------------------------------------

    def _room(self) -> int:
        return self.theme.width - 2 * self.theme.margin

    def _label(self) -> Word:
        from kiosk.ui.queue.call_text import Word

        return Word(tr("queue_recent", self.lang), self.theme.font(self.theme.small_px))

    def _entries(self) -> list[list[Word]]:
        from kiosk.ui.queue import call_text

        theme = self.theme
        words = theme.font(theme.body_px)
        figures = theme.font(theme.body_px, bold=True)
        return [call_text.call_words(tr("queue_call_short", self.lang), call, words, figures)
                for call in self.calls]

    def _widest_entry(self) -> int:
        label = self._label()
        widest = max((sum(w.width for w in entry) + len(entry) * self.theme.space("s")
                      for entry in self._entries()), default=0.0)
        return math.ceil(label.width + self.theme.space("m") + widest)

    def _layout(self, width: int) -> tuple[list[Placed], float]:
        """The label on the first line; the calls in lines beside it, each call whole."""
        from kiosk.ui.queue import call_text
        from kiosk.ui.queue.call_text import Placed

        theme = self.theme
        label = self._label()
        indent = label.width + theme.space("m")
        lines = call_text.flow(self._entries(), max(1.0, width - indent),
                               run_gap=theme.space("xl"))
        top = theme.space("s")
        placed, bottom = call_text.place(lines, indent, top, width - indent,
                                         theme.space("xs"), centred=False)
        if lines:  # the label sits on the first line's baseline
            placed.insert(0, Placed(label, 0.0, top + lines[0].ascent))
        return placed, bottom + theme.space("s")

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return math.ceil(self._layout(width)[1])

    def sizeHint(self) -> QSize:
        from kiosk.ui.queue import call_text

        lines = call_text.flow(self._entries(), 1e9, run_gap=self.theme.space("xl"))
        one_line = self._label().width + self.theme.space("m") + (lines[0].width if lines
                                                                   else 0.0)
        width = min(math.ceil(one_line), self._room())
        return QSize(width, self.heightForWidth(width))

    def minimumSizeHint(self) -> QSize:
        width = self.minimumWidth()
        return QSize(width, self.heightForWidth(width))

    # -- painting --------------------------------------------------------------------------

    def _placed(self) -> list[Placed]:
        return self._layout(self.width())[0]

    def paintEvent(self, event: QPaintEvent) -> None:
        colours = self.theme.colours
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        painter.fillRect(self.rect(), QColor(colours.paper))
        placed = self._placed()
        self.painted_texts = [p.word.text for p in placed]
        from kiosk.ui.queue import call_text

        call_text.draw(painter, placed[:1], QColor(colours.ink_soft))
        call_text.draw(painter, placed[1:], QColor(colours.ink_soft), QColor(colours.ink))
        painter.end()

    def text_spots(self) -> list[TextSpot]:
        from kiosk.ui.queue import call_text

        colours = self.theme.colours
        placed = self._placed()
        return (call_text.spots(placed[:1], QColor(colours.ink_soft), inside=self.rect())
                + call_text.spots(placed[1:], QColor(colours.ink_soft), QColor(colours.ink),
                                  inside=self.rect()))

    def call_rects(self) -> list[QRect]:
        """Each call's box as drawn (its words together), newest first."""
        placed = self._placed()[1:]
        rects: list[QRect] = []
        index = 0
        for entry in self._entries():
            words = placed[index:index + len(entry)]
            index += len(entry)
            box = words[0].rect
            for word in words[1:]:
                box = box.united(word.rect)
            rects.append(box.toAlignedRect())
        return rects
