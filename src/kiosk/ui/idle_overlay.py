"""«Вы ещё здесь?»: a card over a dimmed screen, the seconds left in large figures and one
button to stay, in the «tap here» colour (the only action on the card; a tap anywhere
counts too)."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFontMetrics, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QVBoxLayout, QWidget

from kiosk.core.content.problems import Language
from kiosk.core.i18n import plural, tr
from kiosk.core.typeset import typeset
from kiosk.ui import theme as th
from kiosk.ui.theme import Theme
from kiosk.ui.widgets import BigButton, text_label


class IdleOverlay(QWidget):
    stay = Signal()

    def __init__(self, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.theme = theme
        self.lang: Language = "ru"
        self.seconds = 0
        self.clear_above = 0  # the card's room starts this far down (a call's band above it)
        colours = theme.colours
        centre = Qt.AlignmentFlag.AlignCenter
        self.question = text_label(theme, theme.title_px, bold=True)
        self.question.setAlignment(centre)
        self.countdown = text_label(theme, theme.display_px, bold=True, colour=colours.accent,
                                    wrap=False)
        self.countdown.setAlignment(centre)
        self.hint = text_label(theme, theme.body_px, colour=colours.ink_soft)
        self.hint.setAlignment(centre)
        self.button = BigButton(theme, font_px=theme.lead_px, background=colours.action,
                                foreground=colours.action_ink)
        self.button.setFixedHeight(theme.touch_px + theme.space("m"))
        self.button.clicked.connect(lambda: self.stay.emit())
        self.card = QWidget(self)
        card_layout = QVBoxLayout(self.card)
        pad = theme.space("xxl")
        card_layout.setContentsMargins(pad, pad, pad, pad)
        card_layout.setSpacing(0)
        card_layout.addWidget(self.question)
        card_layout.addSpacing(theme.space("m"))
        card_layout.addWidget(self.countdown)
        card_layout.addWidget(self.hint)
        card_layout.addSpacing(theme.space("xl"))
        card_layout.addWidget(self.button)
        self.hide()

    def show_countdown(self, seconds: int, lang: Language) -> None:
        """Called every quarter second while the question shows: the words change only when
        the second or the language does."""
        if (seconds, lang) != (self.seconds, self.lang) or not self.question.text():
            self.lang = lang
            self.seconds = seconds
            self.question.setText(tr("still_here", lang))
            unit = plural(seconds, lang, ("секунда", "секунды", "секунд"), ("second", "seconds"))
            self.hint.setText(typeset(tr("still_here_hint", lang, unit=unit), lang))
            self.countdown.setText(str(seconds))
            self.button.setText(tr("stay", lang))
        parent = self.parentWidget()
        if parent is not None and self.geometry() != parent.rect():
            self.setGeometry(parent.rect())
        grid = self.theme.grid
        # Half the columns in landscape, eight on a 4:3 or 5:4 screen (half made «Вы ещё /
        # здесь?» two lines at 1280×1024), all of them in portrait.
        columns = grid.columns if self.theme.portrait else \
            (grid.columns * 2 // 3 if self.theme.narrow else grid.columns // 2)
        layout = self.card.layout()
        assert layout is not None
        # Two columns more at a time (still centred on the grid) while the question would
        # wrap: large text set «Are you still / there?» in the half of every landscape screen.
        margins = layout.contentsMargins()
        question = QFontMetrics(self.question.font()).horizontalAdvance(self.question.text())
        while columns + 2 <= grid.columns \
                and grid.span(columns) - margins.left() - margins.right() < question:
            columns += 2
        width = grid.span(columns)
        # The height the wrapped words need at this width (adjustSize would measure them
        # at their one-line width and cut a question that wraps).
        room = self.height() - self.clear_above  # below the call's band, if one is up
        # Large type under a call's band on a 4:3 or 5:4 screen: the question, the seconds
        # and «Я здесь» keep their room; the line under the seconds gives way. Measured, not
        # shown to be measured: showing it at every quarter second's call re-laid the card.
        hint_height = self.hint.heightForWidth(width - margins.left() - margins.right())
        height = layout.totalHeightForWidth(width)
        if not self.hint.isVisibleTo(self.card):
            height += hint_height
        show_hint = height <= room
        if not show_hint:
            height -= hint_height
        if self.hint.isVisibleTo(self.card) != show_hint:
            self.hint.setVisible(show_hint)
        size = QSize(width, height)
        if self.card.size() != size:
            self.card.setFixedSize(size)
        top = self.clear_above + (room - size.height()) // 2 if size.height() <= room \
            else (self.height() - size.height()) // 2
        self.card.move((self.width() - self.card.width()) // 2, top)
        if not self.isVisible():
            self.show()
            self.raise_()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), th.scrim(self.theme))
        colours = self.theme.colours
        painter.setPen(QPen(QColor(colours.ink), self.theme.px(6)) if colours.outline
                       else Qt.PenStyle.NoPen)
        painter.setBrush(QColor(colours.paper))
        radius = self.theme.space("xl")
        painter.drawRoundedRect(QRectF(self.card.geometry()), radius, radius)
        painter.end()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        # A tap anywhere means somebody is here; nothing under the overlay receives it.
        self.stay.emit()
