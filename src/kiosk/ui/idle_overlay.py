"""«Вы ещё здесь?»: a card over a dimmed screen, a countdown and one big button to stay."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QVBoxLayout, QWidget

from kiosk.core.i18n import tr
from kiosk.core.problems import Language
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
        self.question = text_label(theme, theme.display_px, bold=True)
        self.question.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.countdown = text_label(theme, theme.text_px(160), bold=True,
                                    colour=theme.colours.blue, wrap=False)
        self.countdown.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.hint = text_label(theme, theme.body_px, colour=theme.colours.ink_soft)
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.button = BigButton(theme, font_px=theme.text_px(56), background=theme.colours.green)
        self.button.setFixedHeight(theme.px(150))
        self.button.clicked.connect(self.stay)
        self.card = QWidget(self)
        card_layout = QVBoxLayout(self.card)
        pad = theme.px(64)
        card_layout.setContentsMargins(pad, pad, pad, pad)
        card_layout.setSpacing(theme.px(32))
        card_layout.addWidget(self.question)
        card_layout.addWidget(self.countdown)
        card_layout.addWidget(self.hint)
        card_layout.addWidget(self.button)
        self.hide()

    def show_countdown(self, seconds: int, lang: Language) -> None:
        self.lang = lang
        self.seconds = seconds
        self.question.setText(tr("still_here", lang))
        self.hint.setText(tr("still_here_hint", lang, seconds=seconds))
        self.countdown.setText(str(seconds))
        self.button.setText(tr("stay", lang))
        parent = self.parentWidget()
        if parent is not None:
            self.setGeometry(parent.rect())
        width = min(self.width() - 2 * self.theme.margin, self.theme.px(1100))
        self.card.setFixedWidth(width)
        self.card.adjustSize()
        self.card.move((self.width() - self.card.width()) // 2,
                       (self.height() - self.card.height()) // 2)
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
        radius = self.theme.px(48)
        painter.drawRoundedRect(QRectF(self.card.geometry()), radius, radius)
        painter.end()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        # A tap anywhere means somebody is here; nothing under the overlay receives it.
        self.stay.emit()
