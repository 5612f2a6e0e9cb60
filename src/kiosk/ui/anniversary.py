"""The anniversary story, page by page: swipe or the big arrows, dots show where you are."""

from __future__ import annotations

from PySide6.QtWidgets import QVBoxLayout, QWidget

from kiosk.core.content.model import AnniversaryPage, Content
from kiosk.core.gestures import Gesture
from kiosk.core.i18n import tr
from kiosk.core.typeset import typeset, typeset_markdown
from kiosk.ui.chrome import TopBar
from kiosk.ui.navigation import NavBar
from kiosk.ui.resources import ImageCache, assets_dir
from kiosk.ui.screen import Screen
from kiosk.ui.slide_card import ItemCard
from kiosk.ui.theme import Theme
from kiosk.ui.video.view import ClipView
from kiosk.ui.widgets import SwipeDetector

LAST_PAGE = -1  # going back from a page's first screenful opens the page before at its end


class AnniversaryScreen(Screen):
    def __init__(self, theme: Theme, images: ImageCache, parent: QWidget | None = None) -> None:
        super().__init__(theme, images, parent)
        self.index = 0
        self.page = 0  # of this anniversary page's text, when it needs more than one screen
        self._rendering = False
        self.top_bar = TopBar(theme)
        self.top_bar.home.connect(lambda: self.home_requested.emit())
        self.top_bar.language_chosen.connect(lambda code: self.language_chosen.emit(code))
        self.top_bar.large_text_toggled.connect(lambda: self.large_text_toggled.emit())
        self.card = ItemCard(theme, images)
        self.card.image.placeholder = assets_dir() / "icons" / "anniversary.svg"
        self.card.body.paginated.connect(self._paginated)
        # A page's clip (`video:`) plays over its picture (kiosk.ui.video.view).
        self.clip = ClipView(self.card, self, self.card.picture_rect, theme.colours.paper,
                             self.card.image)
        self.nav = NavBar(theme)
        self.nav.previous.clicked.connect(lambda: self.step(-1))
        self.nav.next.clicked.connect(lambda: self.step(1))
        self.swipes = SwipeDetector(self, self.width)
        self.swipes.swiped.connect(self._swiped)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.top_bar)
        # The same distance from the bar to the card as on the stories screen below its
        # chips: the title stands where it stands there, less the chips' row.
        layout.addSpacing(theme.space("m"))
        layout.addWidget(self.card, 1)
        layout.addWidget(self.nav)

    @property
    def pages(self) -> tuple[AnniversaryPage, ...]:
        """The pages scheduled for now."""
        return self.content.pages_at(self.wall()) if self.content else ()

    @property
    def page_count(self) -> int:
        return len(self.pages)

    def go(self, index: int, page: int = 0) -> None:
        if self.page_count:
            self.index = min(max(index, 0), self.page_count - 1)
        self.page = page
        self.refresh()

    def step(self, delta: int) -> None:
        """On through this page's text, then to the next (or previous) anniversary page."""
        screens = self.card.body.page_count
        if delta > 0 and self.page < screens - 1:
            self.page += 1
            self.refresh()
        elif delta < 0 and self.page > 0:
            self.page -= 1
            self.refresh()
        elif delta > 0 and self.index < self.page_count - 1:
            self.go(self.index + 1)
        elif delta < 0 and self.index > 0:
            self.go(self.index - 1, LAST_PAGE)

    def _swiped(self, gesture: Gesture) -> None:
        self.step(1 if gesture is Gesture.SWIPE_LEFT else -1)

    def set_content(self, content: Content) -> None:
        self.clip.forget(bool(content.clips()))
        super().set_content(content)

    def reset(self) -> None:
        self.index = 0
        self.page = 0
        self.refresh()

    def carry_over(self, old: Screen) -> None:
        if isinstance(old, AnniversaryScreen):
            self.index, self.page = old.index, 0  # pages differ at another type size
        self.refresh()

    def render_view(self) -> None:
        lang = self.lang
        self.top_bar.set_language(lang)
        self.nav.set_language(lang)
        pages = self.pages
        self._rendering = True
        try:
            if not pages:
                self.card.show_item("", "", "", "", None)
                self.clip.show_clip(None)
            else:
                page = pages[min(self.index, len(pages) - 1)]
                self.card.show_item(tr("anniversary_badge", lang),
                                    typeset(page.title.get(lang), lang, hyphenate=False), "",
                                    typeset_markdown(page.body.get(lang), lang), page.image)
                self.clip.show_clip(page.video)
                if self.index + 1 < len(pages):  # the next page's picture, decoded ahead
                    self.card.image.prepare(pages[self.index + 1].image)
        finally:
            self._rendering = False
        self._show_position()

    def _show_position(self) -> None:
        screens = self.card.body.page_count
        self.page = screens - 1 if self.page == LAST_PAGE else min(self.page, screens - 1)
        self.card.set_page(self.page)
        self.nav.set_position(self.index, self.page_count, self.lang, dots=True,
                              page=self.page, pages=screens)

    def _paginated(self) -> None:
        if self.isVisible() and not self._stale and not self._rendering:
            self._show_position()
