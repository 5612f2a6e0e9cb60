"""The reading screens' controls: the bar along the bottom (previous, where you are, next,
random) and the one-row strip of tag chips under the top bar."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPointF, QRect, QRectF, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QLinearGradient,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QResizeEvent,
)
from PySide6.QtWidgets import QAbstractButton, QWidget

from kiosk.core.content.problems import Language
from kiosk.core.gestures import TAP_WANDER
from kiosk.core.i18n import tr
from kiosk.ui.theme import Theme
from kiosk.ui.widgets import BigButton, Icon, PageDots, TouchButton, draw_icon, text_label


def widest_count(template: str, total: int) -> str:
    """`template` with the page and the total both at `total`'s width, every digit the widest:
    the counter is this wide from «1 из 12» to «12 из 12», so the arrows never move."""
    digits = len(str(max(total, 1)))
    return template.format(page="8" * digits, total="8" * digits)


class NavBar(QWidget):
    """◀ «3 из 15» ▶ centred along the bottom, «Случайная» at the right. Under the counter,
    «стр. 1 из 2» when the item's text takes more than one page. Home is in the top bar."""

    def __init__(self, theme: Theme, with_random: bool = False) -> None:
        super().__init__()
        self.theme = theme
        colours = theme.colours
        # Wide arrows where there is room; touch-sized in portrait, beside «Случайная».
        arrow_width = theme.touch_px if theme.portrait else theme.px(160)
        self.previous = BigButton(theme, icon=Icon.LEFT, background=colours.accent,
                                  foreground=colours.white, parent=self)
        self.next = BigButton(theme, icon=Icon.RIGHT, background=colours.accent,
                              foreground=colours.white, parent=self)
        for arrow in (self.previous, self.next):
            arrow.setFixedSize(arrow_width, theme.touch_px)
        self.random = BigButton(theme, icon=Icon.RANDOM, background=colours.green,
                                font_px=theme.body_px, padding=theme.space("m"), parent=self)
        self.random.setFixedHeight(theme.touch_px)
        self.random.setVisible(with_random)
        self.dots = PageDots(theme, self)
        self.counter = text_label(theme, theme.heading_px, bold=True, wrap=False)
        self.counter.setParent(self)
        self.counter.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.page_line = text_label(theme, theme.small_px, bold=True,
                                    colour=colours.accent, wrap=False)
        self.page_line.setParent(self)
        self.page_line.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.page_line.hide()
        self.lang: Language = "ru"
        self._dots = self._wants_dots = False
        self._total = 0
        self.setFixedHeight(self.row_height + theme.space("s") + theme.space("m"))

    @property
    def row_height(self) -> int:
        """The buttons' height, or more where the counter and the page line under it need
        it: the two never overlap."""
        return max(self.theme.touch_px, self._lines_height())

    def _by_ink(self) -> bool:
        """The counter and the page line are set by their ink, not by the font's line
        spacing, where that would be taller than the buttons (large text): the room above
        the capitals and below the baseline made the bar 31 px taller at 1920×1080, a line
        of a story's first page lost, or all of its text at 1024×768 (a title page)."""
        return self.counter.fontMetrics().height() + self.page_line.fontMetrics().height() \
            > self.theme.touch_px

    def _lines_height(self) -> int:
        """The counter's and the page line's height: their ink, a gap apart, where set so."""
        counter, line = self.counter.fontMetrics(), self.page_line.fontMetrics()
        if not self._by_ink():
            return counter.height() + line.height()
        return counter.capHeight() + self.theme.space("s") + line.capHeight() + line.descent()

    def set_language(self, lang: Language) -> None:
        self.lang = lang
        self.random.setAccessibleName(tr("random", lang))
        self.previous.setAccessibleName(tr("previous", lang))
        self.next.setAccessibleName(tr("next", lang))
        self._place()

    def set_position(self, index: int, count: int, lang: Language, dots: bool,
                     page: int = 0, pages: int = 1) -> None:
        """Item `index` of `count` (as dots or «N из M»), and page `page` of `pages` of its
        text. The arrows step through the pages, then the items."""
        self.lang = lang
        self._wants_dots, self._total = dots, count
        self.dots.set_position(index, count)
        self.counter.setText(tr("page_of", lang, page=index + 1, total=count) if count else "")
        self.page_line.setText(tr("text_page", lang, page=page + 1, total=pages))
        self.page_line.setVisible(pages > 1)
        self.previous.setEnabled(index > 0 or page > 0)
        self.next.setEnabled(index < count - 1 or page < pages - 1)
        self.random.setEnabled(count > 1)
        self._place()

    def _dots_fit(self) -> bool:
        """Whether the dots fit between the arrows, the group centred clear of the margins and
        of «Случайная»'s die: 30 anniversary pages made a row of dots wider than a portrait
        screen, the arrows pushed off it. More pages are counted («3 из 30») instead."""
        theme = self.theme
        side = theme.margin + self.previous.width() + theme.space("m")
        if not self.random.isHidden():
            side += theme.touch_px + theme.space("m")
        return self.dots.width_for(self._total) <= self.width() - 2 * side

    def centre_width(self) -> int:
        """The width of the middle: the counter (or dots) and the page line under it, at the
        widest they can be for this total."""
        if self._dots:
            middle = self.dots.sizeHint().width()
        else:
            middle = self.counter.fontMetrics().horizontalAdvance(
                widest_count(tr("page_of", self.lang, page="{page}", total="{total}"),
                             self._total))
        page = self.page_line.fontMetrics().horizontalAdvance(
            widest_count(tr("text_page", self.lang, page="{page}", total="{total}"), 9))
        return max(middle, page) + self.theme.space("s")

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._place()

    def _place(self) -> None:
        """Arrows and counter centred, on every screen and in both orientations (the arrows
        never move: docs/design.md); «Случайная» at the right margin, its die alone where its
        word does not fit beside them (portrait)."""
        self._dots = self._wants_dots and self._dots_fit()
        self.dots.setVisible(self._dots)
        self.counter.setVisible(not self._dots)
        theme = self.theme
        gap = theme.space("m")
        height = self.row_height
        top = theme.space("s")
        button_top = top + (height - theme.touch_px) // 2
        middle = self.centre_width()
        arrow = self.previous.width()
        group = arrow + gap + middle + gap + arrow
        left = (self.width() - group) // 2
        self.random.setText(tr("random", self.lang))
        room = self.width() - theme.margin - (left + group + gap)
        if self.random.sizeHint().width() > room:
            self.random.setText("")
        random_width = self.random.sizeHint().width() if not self.random.isHidden() else 0
        self.random.setGeometry(self.width() - theme.margin - random_width, button_top,
                                random_width, theme.touch_px)
        self.previous.move(left, button_top)
        centre = QRect(left + arrow + gap, top, middle, height)
        line = self.page_line.fontMetrics().height()
        if not self.page_line.isHidden() and self._by_ink():
            first = self._place_by_ink(centre)
        else:
            for label in (self.counter, self.page_line):
                label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            first = centre
            if not self.page_line.isHidden():
                first = QRect(centre.x(), top, middle, height - line)
                self.page_line.setGeometry(centre.x(), top + height - line, middle, line)
            self.counter.setGeometry(first)
        dots = self.dots.sizeHint()
        self.dots.setGeometry(first.center().x() - dots.width() // 2,
                              first.center().y() - dots.height() // 2, dots.width(),
                              dots.height())
        self.next.move(centre.right() + 1 + gap, button_top)

    def _place_by_ink(self, centre: QRect) -> QRect:
        """The counter and the page line centred in `centre` by their ink, a gap apart; their
        boxes meet without overlapping (nothing of their words is above the capitals or, on
        the counter, below the baseline: «2 из 15», "page 1 of 4"). The counter's ink."""
        counter, line = self.counter.fontMetrics(), self.page_line.fontMetrics()
        # Centred, the counter's box (the room above its capitals) kept inside the bar.
        ink_top = max(centre.y() + (centre.height() - self._lines_height()) // 2,
                      counter.ascent() - counter.capHeight())
        baseline = ink_top + counter.capHeight()
        meet = baseline + self.theme.space("s") // 2
        self.counter.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.counter.setGeometry(centre.x(), baseline - counter.ascent(), centre.width(),
                                 meet - (baseline - counter.ascent()))
        below = baseline + self.theme.space("s") + line.capHeight() + line.descent()
        self.page_line.setAlignment(Qt.AlignmentFlag.AlignHCenter
                                    | Qt.AlignmentFlag.AlignBottom)
        self.page_line.setGeometry(centre.x(), meet, centre.width(), below - meet)
        return QRect(centre.x(), ink_top, centre.width(), counter.capHeight())


class EdgeArrow(TouchButton):
    """The end of the chip strip where more chips wait: the chips fade into the page under
    an arrow; a tap brings the chips under it out whole (ChipStrip.turn)."""

    def __init__(self, theme: Theme, icon: Icon, parent: QWidget) -> None:
        super().__init__(parent)
        self.theme = theme
        self.glyph = icon

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        paper = QColor(self.theme.colours.paper)
        clear = QColor(paper)
        clear.setAlpha(0)
        leftward = self.glyph is Icon.LEFT
        fade = QLinearGradient(QPointF(self.width() if leftward else 0, 0),
                               QPointF(0 if leftward else self.width(), 0))
        fade.setColorAt(0.0, clear)
        fade.setColorAt(0.45, paper)
        fade.setColorAt(1.0, paper)
        painter.fillRect(self.rect(), fade)
        side = self.theme.px(56)
        x = 0 if leftward else self.width() - side
        draw_icon(painter, self.glyph, QRectF(x, (self.height() - side) / 2, side, side),
                  QColor(self.theme.colours.accent))
        painter.end()


class ChipStrip(QWidget):
    """The tag chips in one row, however many and in whatever language: the row slides
    sideways under a finger (a drag that starts on a chip does not tap it), and a faded edge
    with an arrow shows where more chips are."""

    scrolled = Signal()

    def __init__(self, theme: Theme) -> None:
        super().__init__()
        self.theme = theme
        self.chips: list[QAbstractButton] = []
        self.offset = 0  # how far the row is slid to the left
        self._press: QPointF | None = None
        self._start_offset = 0
        self._dragging = False
        self.more_left = EdgeArrow(theme, Icon.LEFT, self)
        self.more_right = EdgeArrow(theme, Icon.RIGHT, self)
        self.more_left.clicked.connect(lambda: self.turn(-1))
        self.more_right.clicked.connect(lambda: self.turn(1))
        self.setFixedHeight(theme.px(96))

    def set_chips(self, chips: list[QAbstractButton]) -> None:
        """Take `chips` (the caller deletes the old ones) and start at the left."""
        self.chips = chips
        for chip in chips:
            chip.setParent(self)
            chip.setFixedHeight(self.height())
            chip.installEventFilter(self)
        self.offset = 0
        self.relayout()

    @property
    def content_width(self) -> int:
        gap = self.theme.space("s")
        return sum(chip.sizeHint().width() for chip in self.chips) \
            + gap * max(0, len(self.chips) - 1)

    def _page(self) -> int:
        return round(self.width() * 0.7)

    def turn(self, direction: int) -> None:
        """An arrow's tap: the first chip cut or hidden under that end's fade comes out whole,
        at the other end's fade, with the chips after it (a slide by 70 % of the width left
        chips cut under both fades: «…шее поколение», «наход…», at 1366×768). A chip wider
        than the room between the fades: by 70 % of the width."""
        edge = self.more_right.width()
        page = self._page()
        if direction > 0:
            cut = next((c for c in self.chips if c.geometry().right() >= self.width() - edge),
                       None)
            target = self.offset + page if cut is None else cut.x() + self.offset - edge
            self.set_offset(target if target > self.offset else self.offset + page)
        else:
            cut = next((c for c in reversed(self.chips) if c.x() < edge), None)
            target = self.offset - page if cut is None else \
                cut.x() + self.offset + cut.width() - (self.width() - edge)
            self.set_offset(target if target < self.offset else self.offset - page)

    def scroll_by(self, dx: int) -> None:
        self.set_offset(self.offset + dx)

    def set_offset(self, offset: int) -> None:
        most = max(0, self.content_width - self.width())
        offset = min(max(offset, 0), most)
        if offset != self.offset:
            self.offset = offset
            self.relayout()
            self.scrolled.emit()

    def ensure_visible(self, chip: QAbstractButton) -> None:
        """Slide the row so `chip` is whole on screen, clear of the faded ends."""
        edge = self.more_right.width()
        left = chip.x() + self.offset
        if chip.x() < edge:
            self.set_offset(left - edge)
        elif chip.geometry().right() > self.width() - edge:
            self.set_offset(left + chip.width() - self.width() + edge)

    def relayout(self) -> None:
        gap = self.theme.space("s")
        x = -self.offset
        for chip in self.chips:
            width = chip.sizeHint().width()
            chip.setGeometry(x, 0, width, self.height())
            chip.setVisible(x + width > 0 and x < self.width())  # wholly out of sight: hidden
            x += width + gap
        edge = self.theme.px(112)
        self.more_left.setGeometry(0, 0, edge, self.height())
        self.more_right.setGeometry(self.width() - edge, 0, edge, self.height())
        self.more_left.setVisible(self.offset > 0)
        self.more_right.setVisible(self.offset < self.content_width - self.width())
        self.more_left.raise_()
        self.more_right.raise_()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.set_offset(self.offset)
        self.relayout()

    # -- the finger: drag the row, or tap a chip -----------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if isinstance(event, QMouseEvent) and watched in self.chips:
            return self._mouse(event, watched)
        return False

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self._mouse(event, None)
        event.accept()  # a drag on the strip is not a swipe of the story under it

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        self._mouse(event, None)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        self._mouse(event, None)

    def _mouse(self, event: QMouseEvent, chip: QObject | None) -> bool:
        """Follow a press across the strip; True when the event is the strip's (a drag), so
        the chip under the finger does not take it as a tap."""
        kind = event.type()
        where = event.globalPosition()
        if kind == QEvent.Type.MouseButtonPress:
            self._press, self._start_offset, self._dragging = where, self.offset, False
            return False
        if self._press is None:
            return False
        dx = where.x() - self._press.x()
        if kind == QEvent.Type.MouseMove:
            # A tap wanders as far as it may elsewhere: at 16 px a tremor's wobble dragged
            # the row (or, at its end, nothing) and the chip under the finger was not chosen.
            if not self._dragging and abs(dx) > TAP_WANDER * self.theme.width:
                self._dragging = True
                if isinstance(chip, QAbstractButton):
                    chip.setDown(False)  # it will not be tapped now
            if self._dragging:
                self.set_offset(round(self._start_offset - dx))
                return True
            return False
        if kind == QEvent.Type.MouseButtonRelease:
            dragged = self._dragging
            self._press, self._dragging = None, False
            return dragged
        return False
