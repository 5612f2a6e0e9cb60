"""The staff PIN pad: big digits, dots for what was typed, clear, back, cancel, enter.

Touch only (keys never reach it). A wrong PIN shakes the dots and says so; after five wrong
tries the pad is locked, longer each time (kiosk.core.pin), and says for how long. Like every
screen it is wiped when the visitor session ends.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from PySide6.QtCore import QPointF, QSize, Qt, QTimer, QVariantAnimation, Signal
from PySide6.QtGui import QColor, QHideEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QBoxLayout, QGridLayout, QHBoxLayout, QVBoxLayout, QWidget

from kiosk.core.pin import MAX_DIGITS, MAX_TRIES, Outcome, PinStore
from kiosk.core.staff_text import st
from kiosk.core.typeset import typeset
from kiosk.ui import theme as th
from kiosk.ui.resources import ImageCache
from kiosk.ui.screen import Screen
from kiosk.ui.theme import Theme
from kiosk.ui.widgets import BigButton, Icon, text_label

ALERT = "#A1231B"  # wrong PIN, locked: 7:1 on the paper background


class PinDots(QWidget):
    """● ● ○ ○: how many digits were typed (never which)."""

    def __init__(self, theme: Theme, centred: bool) -> None:
        super().__init__()
        self.theme = theme
        self.centred = centred
        self.count = 0
        self.offset = 0.0
        self.setFixedSize(theme.px(64) * MAX_DIGITS, theme.px(64))
        self.shake = QVariantAnimation(self)
        self.shake.setStartValue(0.0)
        self.shake.setEndValue(1.0)
        self.shake.setDuration(450)
        self.shake.valueChanged.connect(self._shaking)
        self.shake.finished.connect(self._still)

    def set_count(self, count: int) -> None:
        self.count = count
        self.update()

    def start_shake(self) -> None:
        self.shake.stop()
        self.shake.start()

    def _shaking(self, value: object) -> None:
        progress = float(value)  # type: ignore[arg-type]
        self.offset = math.sin(progress * math.pi * 6) * (1 - progress) * self.theme.px(28)
        self.update()

    def _still(self) -> None:
        self.offset = 0.0
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        step = self.theme.px(64)
        radius = self.theme.px(16)
        shown = max(4, self.count)  # four places at least: nobody learns the PIN's length
        left = (self.width() - step * shown) / 2 if self.centred else 0.0
        left += step / 2 + self.offset
        for i in range(shown):
            centre = QPointF(left + i * step, self.height() / 2)
            if i < self.count:
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(QColor(th.BLUE))
                painter.drawEllipse(centre, radius, radius)
            else:
                painter.setPen(QPen(QColor(th.BLUE), self.theme.px(4)))
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.drawEllipse(centre, radius * 0.8, radius * 0.8)
        painter.end()


class PinPadScreen(Screen):
    accepted = Signal()  # the right PIN: open the staff menu
    cancelled = Signal()

    def __init__(self, theme: Theme, images: ImageCache, store: PinStore | None,
                 epoch: Callable[[], float], parent: QWidget | None = None) -> None:
        super().__init__(theme, images, parent)
        self.store = store
        self.epoch = epoch  # wall-clock seconds: a lock must mean the same after a restart
        self.digits = ""
        self.message_key = ""
        self.title = text_label(theme, theme.title_px, bold=True)
        self.message = text_label(theme, theme.body_px, colour=th.INK_SOFT)
        # At the top of its room, under the dots: centred in it, a one-line hint floated
        # halfway to the buttons.
        self.message.setAlignment(Qt.AlignmentFlag.AlignTop | (
            Qt.AlignmentFlag.AlignHCenter if theme.portrait else Qt.AlignmentFlag.AlignLeft))
        # Room for the longest message (a lock of hours, with what to do: four lines in a
        # narrow column), so a longer one never pushes the buttons or is cut at its foot.
        self.message.setMinimumHeight(self.message.fontMetrics().lineSpacing() * 4)
        self.dots = PinDots(theme, centred=theme.portrait)
        key_px = theme.px(150)
        self.keys: dict[str, BigButton] = {}
        grid = QGridLayout()
        grid.setSpacing(theme.px(20))
        for index, digit in enumerate("123456789"):
            self.keys[digit] = self._key(digit, key_px)
            grid.addWidget(self.keys[digit], index // 3, index % 3)
        # Clear and back: white keys, rimmed so they read as keys on the cream page.
        self.clear = self._key("", key_px, background=th.WHITE, foreground=th.BLUE,
                               font_px=theme.px(32), rimmed=True)
        self.clear.clicked.disconnect()
        self.clear.clicked.connect(self._clear)
        self.keys["0"] = self._key("0", key_px)
        # Backspace, not the chevron: that one means «back» and «previous page» elsewhere.
        self.back = BigButton(theme, icon=Icon.BACKSPACE, background=th.WHITE,
                              foreground=th.BLUE, glyph_scale=0.45, rimmed=True)
        self.back.setFixedSize(key_px, key_px)
        self.back.clicked.connect(self._back)
        grid.addWidget(self.clear, 3, 0)
        grid.addWidget(self.keys["0"], 3, 1)
        grid.addWidget(self.back, 3, 2)
        # The colour roles (docs/design.md): going back in navy, the main action in orange.
        self.cancel = BigButton(theme, font_px=theme.px(44), background=th.BLUE_DARK,
                                foreground=th.WHITE)
        self.cancel.clicked.connect(self.cancelled)
        self.enter = BigButton(theme, font_px=theme.px(44), background=th.ORANGE,
                               foreground=th.INK)
        self.enter.clicked.connect(self._submit)
        actions = QHBoxLayout()
        actions.setSpacing(theme.px(24))
        actions.addWidget(self.cancel)
        actions.addWidget(self.enter)

        info = QVBoxLayout()
        info.setSpacing(theme.px(32))
        info.addWidget(self.title)
        info.addWidget(self.dots, 0, Qt.AlignmentFlag.AlignLeft if not theme.portrait
                       else Qt.AlignmentFlag.AlignHCenter)
        info.addWidget(self.message)
        info.addLayout(actions)
        # Wide margins beside the keys on 16:9; a 4:3 or 5:4 screen needs that width for the
        # words (the title's «сотрудников» was cut, the keys squeezed into each other).
        margin = theme.margin if theme.narrow else theme.margin * 2
        if theme.portrait:  # all of it together in the middle, the keys under the words
            layout: QBoxLayout = QVBoxLayout(self)
            layout.addStretch(1)
            layout.addLayout(info)
            layout.addLayout(grid)
            layout.addStretch(1)
            grid_alignment = Qt.AlignmentFlag.AlignHCenter
        else:  # words on the left, the keys on the right
            layout = QHBoxLayout(self)
            column = QVBoxLayout()
            column.addStretch(1)
            column.addLayout(info)
            column.addStretch(1)
            layout.addLayout(column, 1)
            layout.addLayout(grid)
            grid_alignment = Qt.AlignmentFlag.AlignVCenter
        layout.setAlignment(grid, grid_alignment)
        layout.setContentsMargins(margin, theme.margin, margin, theme.margin)
        layout.setSpacing(margin)
        if theme.portrait:
            self.title.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.lock_timer = QTimer(self)
        self.lock_timer.setInterval(1000)
        self.lock_timer.timeout.connect(self.refresh)

    def _key(self, text: str, side: int, background: str = th.BLUE, foreground: str = th.WHITE,
             font_px: int | None = None, rimmed: bool = False) -> BigButton:
        button = BigButton(self.theme, text, background=background, foreground=foreground,
                           font_px=font_px or self.theme.px(64), padding=self.theme.px(8),
                           rimmed=rimmed)
        button.setFixedSize(side, side)
        button.clicked.connect(lambda _=False, d=text: self._digit(d))
        return button

    def sizeHint(self) -> QSize:
        return QSize(self.theme.width, self.theme.height)

    # -- input -------------------------------------------------------------------------------

    def _digit(self, digit: str) -> None:
        if len(self.digits) < MAX_DIGITS and not self._locked_seconds():
            self.digits += digit
            self.message_key = ""
            self.render_view()

    def _back(self) -> None:
        self.digits = self.digits[:-1]
        self.render_view()

    def _clear(self) -> None:
        self.digits = ""
        self.render_view()

    def _locked_seconds(self) -> float:
        return self.store.seconds_locked(self.epoch()) if self.store is not None else 0.0

    def _submit(self) -> None:
        if self.store is None or not self.digits:
            return
        outcome = self.store.check(self.digits, self.epoch())
        self.digits = ""
        if outcome is Outcome.OK:
            self.message_key = ""
            self.render_view()
            self.accepted.emit()
            return
        self.message_key = "pin_wrong" if outcome is Outcome.WRONG else ""
        self.render_view()
        self.dots.start_shake()

    # -- view --------------------------------------------------------------------------------

    def reset(self) -> None:
        self.digits = ""
        self.message_key = ""
        self.lock_timer.stop()
        super().reset()

    def hideEvent(self, event: QHideEvent) -> None:
        super().hideEvent(event)
        self.lock_timer.stop()
        self.dots.shake.stop()  # nothing moves on a screen nobody sees
        self.dots.offset = 0.0

    def render_view(self) -> None:
        lang = self.lang
        self.title.setText(typeset(st("pin_title", lang), lang, hyphenate=False))  # «Вход /
        # для сотрудников» where it takes two lines, not «Вход для / сотрудников»
        self.clear.setText(st("pin_clear", lang))
        self.cancel.setText(st("pin_cancel", lang))
        self.enter.setText(st("pin_enter", lang))
        self.dots.set_count(len(self.digits))
        not_set = self.store is None or not self.store.is_set()
        locked = 0.0 if not_set else self._locked_seconds()
        colour = th.INK_SOFT
        if not_set:
            text = st("pin_not_set", lang)
        elif locked > 90 * 60:  # «1440 мин.» reads worse than «24 ч»
            text = st("pin_locked_hours", lang, hours=math.ceil(locked / 3600))
            colour = ALERT
        elif locked:
            text = st("pin_locked", lang, minutes=max(1, math.ceil(locked / 60)))
            colour = ALERT
        elif self.message_key == "pin_wrong" and self.store is not None:
            text = st("pin_wrong", lang, tries=MAX_TRIES - self.store.lockout.failures)
            colour = ALERT
        else:
            text = st("pin_hint", lang)
        self.message.setText(typeset(text, lang, hyphenate=False))  # no «на» at a line's end
        self.message.setStyleSheet(f"color: {colour}; background: transparent;")
        usable = not not_set and not locked
        for button in (*self.keys.values(), self.clear, self.back, self.enter):
            button.setEnabled(usable)
        self.dots.setVisible(not not_set)
        if locked and self.isVisible():
            self.lock_timer.start()
        else:
            self.lock_timer.stop()
