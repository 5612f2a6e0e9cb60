"""«1–8 января центр не работает»: an urgent notice as a band along the foot of every visitor
screen, for as long as its schedule says (kiosk.core.content.notices; the window says which
are due).

The band takes its room from the screens, which lay out in what is left above it, rather than
covering them: a notice stays for hours or days, and nothing a visitor needs may be under it
for that long (the colouring page's controls and «Готово», the page arrows, the tiles). At the
foot, not the top: the top keeps Home, Back and the language where they always are, and the
queue's call banner runs there, so a call and a notice can both be read at once.

Flat and edge to edge, in the notice colour (used for nothing else), a warning sign and the
words in bold at reading size. Several notices, or one too long for the band's lines, take
turns, each part for as long as its words take to read: the band keeps one height, the
tallest part's in either language, so neither a turn nor a change of language moves the
screens above. A tap on it does nothing: it is not a button and cannot be put away.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QObject, QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QTextLayout,
    QTextOption,
)
from PySide6.QtWidgets import QWidget

from kiosk.core.content.model import Notice
from kiosk.core.content.problems import Language
from kiosk.core.content.teaser import reading_seconds, word_count
from kiosk.core.typeset import typeset
from kiosk.ui.attract.poster import set_text
from kiosk.ui.theme import Theme
from kiosk.ui.widgets import Icon, TextSpot, draw_icon

# Lines of one part: the colouring page in landscape keeps its controls apart down to 928 of
# 1080 px, so the band takes at most two lines of body type there (138 px); portrait has room
# for four lines of lead type (282 of 1920 px). A notice of up to notices.LONG_CHARS
# characters takes one part either way.
LINES = {"landscape": 2, "portrait": 4}
LEADING = 1.2
# Large text: the lines set as tight as a poster's headline and the band's padding a step
# less, so its larger type costs the screens above no more room than the usual type did
# (at 1.2 it grew by 31 px at 1920×1080 and stories' first pages kept their titles alone).
# PT Sans Bold's ink, «Й» over «щ», spans 1.07 em: two lines touch only there, by a pixel.
LARGE_LEADING = 1.05
TURN_SECONDS = 6.0  # the shortest a part stays when the notices take turns


def _lines(text: str, font: QFont, width: float) -> list[str]:
    """The text broken into lines of at most `width`: at spaces, and a word wider than a line
    (a long word in large type on a portrait screen; kiosk check refuses much longer ones)
    at a letter, as nothing may run off the band."""
    set_ = set_text(text, font, width, LEADING)
    if set_.fits:
        return [line for line, _width in set_.lines]
    layout = QTextLayout(text, font)
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
    layout.setTextOption(option)
    lines: list[str] = []
    layout.beginLayout()
    while (line := layout.createLine()).isValid():
        line.setLineWidth(width)
        lines.append(text[line.textStart(): line.textStart() + line.textLength()].strip())
    layout.endLayout()
    return [line for line in lines if line]


class NoticeBand(QWidget):
    room_changed = Signal(int)  # the height it takes at its parent's foot (0: none)

    def __init__(self, theme: Theme, parent: QWidget) -> None:
        super().__init__(parent)
        self.theme = theme
        self.notices: tuple[Notice, ...] = ()
        self.lang: Language = "ru"
        self.parts: list[list[str]] = []  # the lines of each part, in the language shown
        self.part = 0
        self.room = 0
        self.placed: list[tuple[str, QRectF]] = []
        self.turn_timer = QTimer(self)
        self.turn_timer.setSingleShot(True)
        self.turn_timer.timeout.connect(self._turn)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        parent.installEventFilter(self)  # its size: the band's width and place
        self.hide()

    # -- what is shown ---------------------------------------------------------------------

    @property
    def text_font(self) -> QFont:
        theme = self.theme
        return theme.font(theme.lead_px if theme.portrait else theme.body_px, bold=True)

    @property
    def pitch(self) -> float:
        """From one line's baseline to the next."""
        leading = LARGE_LEADING if self.theme.high_contrast else LEADING
        return self.text_font.pixelSize() * leading

    @property
    def max_lines(self) -> int:
        return LINES["portrait" if self.theme.portrait else "landscape"]

    def show_notices(self, notices: Sequence[Notice], lang: Language) -> None:
        """Show these notices (none: the band goes and gives the screens their room back)."""
        notices = tuple(notices)
        if notices == self.notices and lang == self.lang:
            return
        if notices != self.notices:
            self.part = 0
        self.notices, self.lang = notices, lang
        self._lay_out()

    def set_language(self, lang: Language) -> None:
        self.show_notices(self.notices, lang)

    def set_theme(self, theme: Theme) -> None:
        """The screen turned (KioskWindow.lay_out_for): the band laid out in its new theme."""
        self.theme = theme
        self._lay_out()

    def _split(self, lang: Language, width: float) -> list[list[str]]:
        """Each notice broken into lines at `width`, in parts of at most `max_lines`, as even
        as they can be (five lines are three and two, not four and one)."""
        font, most = self.text_font, self.max_lines
        parts: list[list[str]] = []
        for notice in self.notices:
            text = typeset(notice.text.get(lang), lang, hyphenate=False)
            lines = _lines(text, font, width)
            count = -(-len(lines) // most)
            size = -(-len(lines) // count) if count else most
            parts += [lines[i:i + size] for i in range(0, len(lines), size)]
        return parts

    def _lay_out(self) -> None:
        parent = self.parentWidget()
        if not self.notices or parent is None:
            self.parts, self.placed = [], []
            self.turn_timer.stop()
            self.hide()
            self._set_room(0)
            return
        theme = self.theme
        width = parent.width()
        font = self.text_font
        icon = round(font.pixelSize() * 1.2)
        left = theme.margin + icon + theme.space("m")
        text_width = width - left - theme.margin
        self.parts = self._split(self.lang, text_width) or [[""]]
        other: Language = "en" if self.lang == "ru" else "ru"
        tallest = max(len(part) for part in (*self.parts, *self._split(other, text_width)))
        pitch = self.pitch
        # Landscape: two lines in 138 px, as the colouring page allows (136 in large text);
        # portrait has room.
        pad = theme.space(("s" if theme.high_contrast else "m") if theme.portrait
                          else ("xs" if theme.high_contrast else "s"))
        height = round(tallest * pitch + 2 * pad)
        self.part %= len(self.parts)
        self.setGeometry(0, parent.height() - height, width, height)
        self._place(left, pitch)
        self._set_room(height)
        if not self.isVisible():
            self.show()
        self.raise_()
        self.update()
        self._schedule_turn()

    def _place(self, left: float, pitch: float) -> None:
        """Where the lines of the part on show go: a block centred in the band's height."""
        lines = self.parts[self.part]
        metrics = QFontMetricsF(self.text_font)
        top = (self.height() - len(lines) * pitch) / 2
        self.placed = [(line, QRectF(left, top + n * pitch + (pitch - metrics.height()) / 2,
                                     metrics.horizontalAdvance(line), metrics.height()))
                       for n, line in enumerate(lines)]

    def _set_room(self, height: int) -> None:
        if height != self.room:
            self.room = height
            self.room_changed.emit(height)

    # -- taking turns ----------------------------------------------------------------------

    def _schedule_turn(self) -> None:
        if len(self.parts) < 2:
            self.turn_timer.stop()
            return
        words = sum(word_count(line) for line in self.parts[self.part])
        self.turn_timer.start(round(reading_seconds(words, TURN_SECONDS) * 1000))

    def _turn(self) -> None:
        if len(self.parts) < 2:
            return
        self.part = (self.part + 1) % len(self.parts)
        font = self.text_font
        self._place(self.theme.margin + round(font.pixelSize() * 1.2) + self.theme.space("m"),
                    self.pitch)
        self.update()
        self._schedule_turn()

    # -- painting and input ----------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.parentWidget() and event.type() == QEvent.Type.Resize \
                and self.notices:
            self._lay_out()
        return False

    def paintEvent(self, event: QPaintEvent) -> None:
        colours = self.theme.colours
        ink = QColor(colours.notice_ink)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        painter.fillRect(self.rect(), QColor(colours.notice))
        font = self.text_font
        side = round(font.pixelSize() * 1.2)
        if self.placed:  # the sign beside the first line, as a list's mark
            first = self.placed[0][1]
            draw_icon(painter, Icon.ALERT, QRectF(self.theme.margin,
                                                  first.center().y() - side / 2, side, side), ink)
        painter.setFont(font)
        painter.setPen(ink)
        ascent = QFontMetricsF(font).ascent()
        for line, box in self.placed:
            painter.drawText(QPointF(box.left(), box.top() + ascent), line)
        painter.end()

    def text_spots(self) -> list[TextSpot]:
        ink = QColor(self.theme.colours.notice_ink)
        size = self.text_font.pixelSize()
        edge = self.width() - self.theme.margin + 1  # a word wider than the band runs off
        return [TextSpot(line, box.toRect(), ink, size, True, box.right() <= edge)
                for line, box in self.placed if line]

    def mousePressEvent(self, event: QMouseEvent) -> None:
        event.accept()  # not a button: the screen above never sees this tap either

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        event.accept()
