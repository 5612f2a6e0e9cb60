"""«Приглашается талон А017 → окно 12»: a band across the top of whatever screen shows, in the
signal colour (used for nothing else), the ticket and the counter in display-size figures that
read across the waiting room.

The band is flat and runs edge to edge, with no rounded boxes and no shadow: it must never
look like a button. Calls in quick succession share it: the newest in full and large, the
ones before it in a line under it, smaller. A tap on the band closes it (and reaches nothing
under it); the rest of the screen stays usable, so a child colouring is not interrupted. The
band paints only when its calls change.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import QWidget

from kiosk.core.content.problems import Language
from kiosk.core.i18n import tr
from kiosk.ui.theme import Palette, Theme
from kiosk.ui.widgets import TextSpot

if TYPE_CHECKING:  # the calls' module and their layout are imported with the first call
    from kiosk.core.queue import Call
    from kiosk.ui.queue.call_text import Placed

EDGE_PX = 8  # the dark rule along the band's bottom edge, at 1080p


class QueueBanner(QWidget):
    dismissed = Signal()

    def __init__(self, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.theme = theme  # its sizes: the usual mode's in both (the call is large anyway)
        # Its colours: the mode's signal (docs/design.md), white where the large-text mode's
        # buttons are yellow, so that no button wears the called ticket's colour.
        self.high_contrast = False
        # The newest call alone, while the kiosk asks «Вы ещё здесь?»: the question stands
        # below the band, and the band of three calls left it no room on landscape screens.
        self.compact = False
        self.calls: list[Call] = []
        self.lang: Language = "ru"
        self.placed: list[Placed] = []
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.hide()

    # -- what is shown ---------------------------------------------------------------------

    def set_theme(self, theme: Theme) -> None:
        """The screen turned (KioskWindow.lay_out_for): the calls laid out in its new theme."""
        self.theme = theme
        if self.calls:
            self.show_calls(self.calls, self.lang)

    def set_compact(self, on: bool) -> None:
        if on != self.compact:
            self.compact = on
            if self.calls:
                self.show_calls(self.calls, self.lang)
                self.update()

    def set_high_contrast(self, on: bool) -> None:
        self.high_contrast = on
        self.update()

    @property
    def colours(self) -> Palette:
        return self.theme.with_high_contrast(self.high_contrast).colours

    def show_calls(self, calls: list[Call], lang: Language) -> None:
        """Show these calls (newest first) in this language; none: the band goes away."""
        if not calls:
            self.calls = []
            self.hide()
            return
        changed = calls != self.calls or lang != self.lang
        self.calls, self.lang = list(calls), lang
        parent = self.parentWidget()
        width = parent.width() if parent is not None else self.theme.width
        self.placed, bottom = self._layout(width)
        self.setGeometry(0, 0, width, round(bottom))
        if changed:
            self.update()
        if not self.isVisible():
            self.show()
        self.raise_()  # over the idle question and any screen's own overlays

    def _layout(self, width: int) -> tuple[list[Placed], float]:
        """Where every word goes: the newest call as a sentence, its figures at the display
        size; the calls before it on lines under it at the title size."""
        from kiosk.ui.queue import call_text

        theme = self.theme
        left = theme.margin
        room = width - 2 * left
        words = theme.font(theme.title_px, bold=True)
        figures = theme.font(theme.display_px, bold=True)
        newest = call_text.call_words(tr("queue_call", self.lang), self.calls[0], words,
                                      figures)
        lines = call_text.flow(call_text.unbreakable(newest), room)
        placed, y = call_text.place(lines, left, theme.space("l"), room, theme.space("xs"),
                                    centred=True)
        if len(self.calls) > 1 and not self.compact:
            small_words = theme.font(theme.lead_px)
            small_figures = theme.font(theme.title_px, bold=True)
            earlier = [call_text.call_words(tr("queue_call_short", self.lang), call,
                                            small_words, small_figures)
                       for call in self.calls[1:]]
            # Each earlier call is one unbreakable run; they sit side by side where they fit.
            lines = call_text.flow(earlier, room, run_gap=theme.space("xxxl"))
            more, y = call_text.place(lines, left, y + theme.space("m"), room,
                                      theme.space("xs"), centred=True)
            placed += more
        return placed, y + theme.space("l") + theme.px(EDGE_PX)

    # -- painting and input ----------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        colours = self.colours
        painter = QPainter(self)
        # The fills without antialiasing: at a fractional device pixel ratio (1.5) the band's
        # edge falls mid-pixel, and a blended row there showed the yellow under the rule.
        painter.fillRect(self.rect(), QColor(colours.signal))
        # A dark rule along the bottom: the band stands off whatever screen is under it.
        edge = self.theme.px(EDGE_PX)
        painter.fillRect(0, self.height() - edge, self.width(), edge, QColor(colours.signal_ink))
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        from kiosk.ui.queue import call_text

        call_text.draw(painter, self.placed, QColor(colours.signal_ink))
        painter.end()

    def text_spots(self) -> list[TextSpot]:
        from kiosk.ui.queue import call_text

        return call_text.spots(self.placed, QColor(self.colours.signal_ink),
                               inside=self.rect())

    def mousePressEvent(self, event: QMouseEvent) -> None:
        event.accept()  # the screen under the band never sees this tap

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        event.accept()
        self.dismissed.emit()
