"""The anniversary story, page by page: swipe or the big arrows, dots show where you are."""

from __future__ import annotations

from PySide6.QtWidgets import QVBoxLayout, QWidget

from kiosk.core.gestures import Gesture
from kiosk.core.i18n import tr
from kiosk.core.model import AnniversaryPage
from kiosk.ui.navigation import NavBar
from kiosk.ui.resources import ImageCache
from kiosk.ui.screen import Screen
from kiosk.ui.slide_card import ItemCard
from kiosk.ui.theme import Theme
from kiosk.ui.widgets import SwipeDetector


class AnniversaryScreen(Screen):
    def __init__(self, theme: Theme, images: ImageCache, parent: QWidget | None = None) -> None:
        super().__init__(theme, images, parent)
        self.index = 0
        self.card = ItemCard(theme, images)
        self.nav = NavBar(theme)
        self.nav.home.clicked.connect(self.home_requested)
        self.nav.previous.clicked.connect(lambda: self.go(self.index - 1))
        self.nav.next.clicked.connect(lambda: self.go(self.index + 1))
        self.swipes = SwipeDetector(self, self.width)
        self.swipes.swiped.connect(self._swiped)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.card, 1)
        layout.addWidget(self.nav)

    @property
    def pages(self) -> tuple[AnniversaryPage, ...]:
        """The pages scheduled for now."""
        return self.content.pages_at(self.wall()) if self.content else ()

    @property
    def page_count(self) -> int:
        return len(self.pages)

    def go(self, index: int) -> None:
        if self.page_count:
            self.index = min(max(index, 0), self.page_count - 1)
        self.refresh()

    def _swiped(self, gesture: Gesture) -> None:
        self.go(self.index + (1 if gesture is Gesture.SWIPE_LEFT else -1))

    def reset(self) -> None:
        self.index = 0
        self.refresh()

    def render_view(self) -> None:
        self.nav.set_language(self.lang)
        self.nav.set_position(self.index, self.page_count, self.lang, dots=True)
        pages = self.pages
        if not pages:
            self.card.show_item("", "", "", "", None)
            return
        page = pages[min(self.index, len(pages) - 1)]
        self.card.show_item(tr("anniversary_badge", self.lang), page.title.get(self.lang), "",
                            page.body.get(self.lang), page.image)
