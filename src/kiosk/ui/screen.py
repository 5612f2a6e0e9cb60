"""What every screen has: the theme, the content, the language, and a way to forget a visitor."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QShowEvent
from PySide6.QtWidgets import QWidget

from kiosk.core.content.model import Content
from kiosk.core.content.problems import Language
from kiosk.ui.resources import ImageCache
from kiosk.ui.theme import Theme


class Screen(QWidget):
    home_requested = Signal()
    # From the TopBar of a visitor's screen: the window switches every screen together.
    language_chosen = Signal(str)
    large_text_toggled = Signal()

    def __init__(self, theme: Theme, images: ImageCache, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.theme = theme
        self.images = images
        self.content: Content | None = None
        self.lang: Language = "ru"
        self.background = QColor(theme.colours.paper)
        self._stale = True
        # The centre's wall-clock time, for schedules; the window sets it. None: show all.
        self.wall: Callable[[], dt.datetime | None] = lambda: None

    def set_content(self, content: Content) -> None:
        self.content = content
        self.reset()

    def set_language(self, lang: Language) -> None:
        if lang != self.lang:
            self.lang = lang
            self.refresh()

    def reset(self) -> None:
        """Forget everything the last visitor did here (position, filter, drawing)."""
        self.refresh()

    def carry_over(self, old: Screen) -> None:
        """Take the visitor's place from `old`, this screen as built in the other theme (the
        large-text switch rebuilds the screens): the same story, page or tag. Not the
        language: the window gives every screen that."""
        self.refresh()

    def refresh(self) -> None:
        """Show the current state in the current language; a hidden screen waits until it is
        shown, so a new visitor or new content costs nothing for screens nobody looks at."""
        if self.isVisible():
            self._stale = False
            self.render_view()
        else:
            self._stale = True

    def holds_attention(self) -> bool:
        """True while the screen keeps a visitor busy without touches (a breathing exercise):
        the idle time does not run meanwhile."""
        return False

    def render_view(self) -> None:
        """Put the state on the widgets (each screen its own)."""

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self.refresh()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(event.rect(), self.background)
        painter.end()
