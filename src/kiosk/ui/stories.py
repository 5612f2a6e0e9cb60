"""Sincere-service stories, one at a time: swipe, next, previous, random, filter by tag."""

from __future__ import annotations

import random

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QButtonGroup, QHBoxLayout, QVBoxLayout, QWidget

from kiosk.core.content.model import Content, Story
from kiosk.core.gestures import Gesture
from kiosk.core.i18n import tr
from kiosk.core.typeset import typeset, typeset_markdown
from kiosk.ui.chrome import TopBar
from kiosk.ui.navigation import ChipStrip, NavBar
from kiosk.ui.resources import ImageCache, assets_dir
from kiosk.ui.screen import Screen
from kiosk.ui.slide_card import ItemCard, story_meta
from kiosk.ui.theme import Theme
from kiosk.ui.video.view import ClipView
from kiosk.ui.widgets import BigButton, SwipeDetector

LAST_PAGE = -1  # going back from a story's first page opens the one before at its end
# Story photos kept decoded while a visitor reads (kiosk.ui.photos): the one on show, the one
# before it (a swipe back) and the next, decoded ahead. More held every story read, ~1.3 MB
# each at 1080p (12 stories: 17 MB), for a visitor going back further, who waits a decode.
PHOTOS_KEPT = 3


CHIPS_IN_BAR_ROOM = 560  # px at 1080p between the top bar's groups: about three chips


class StoriesScreen(Screen):
    def __init__(self, theme: Theme, images: ImageCache, parent: QWidget | None = None) -> None:
        super().__init__(theme, images, parent)
        self.index = 0
        self.page = 0  # of the story's text
        self.tag: str | None = None
        self._filtered: tuple[tuple[Story, ...], str, tuple[Story, ...]] | None = None
        self.random = random.Random()
        self._rendering = False  # the text is being replaced: its pages settle at the end
        self.top_bar = TopBar(theme)
        self.top_bar.home.connect(lambda: self.home_requested.emit())
        self.top_bar.language_chosen.connect(lambda code: self.language_chosen.emit(code))
        self.top_bar.large_text_toggled.connect(lambda: self.large_text_toggled.emit())
        self.card = ItemCard(theme, images)
        self.card.image.placeholder = assets_dir() / "icons" / "stories.svg"
        self.card.image.placeholder_colour = "green"  # as the stories' tile in the menu
        self.card.body.paginated.connect(self._paginated)
        # A story's clip (`video:`) plays over its photo (kiosk.ui.video.view).
        self.clip = ClipView(self.card, self, self.card.picture_rect, theme.colours.paper,
                             self.card.image)
        self.nav = NavBar(theme, with_random=True)
        self.nav.previous.clicked.connect(lambda: self.step(-1))
        self.nav.next.clicked.connect(lambda: self.step(1))
        self.nav.random.clicked.connect(lambda: self.show_random())
        self.swipes = SwipeDetector(self, self.width)
        self.swipes.swiped.connect(self._swiped)
        # One row of chips, in every mode and language: it slides sideways when they are
        # more than the width. On a wide screen it sits in the top bar, between Home and the
        # language: a row of its own there took two of the five lines a page of the story
        # has beside its picture (with an urgent notice's band, three of five). Where the bar
        # has not room for about three chips (large text, 16:10, 4:3, 5:4), its own row.
        self.strip = ChipStrip(theme)
        self.chip_group = QButtonGroup(self)
        self.chip_buttons: dict[str | None, BigButton] = {}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.top_bar)
        if theme.portrait or self.top_bar.room_between() < theme.px(CHIPS_IN_BAR_ROOM):
            strip_row = QHBoxLayout()
            strip_row.setContentsMargins(theme.margin, 0, theme.margin, 0)
            strip_row.addWidget(self.strip)
            layout.addLayout(strip_row)
        else:
            self.top_bar.hold(self.strip)
        layout.addSpacing(theme.space("m"))
        layout.addWidget(self.card, 1)
        layout.addWidget(self.nav)

    # -- state -----------------------------------------------------------------------------

    @property
    def visible_stories(self) -> tuple[Story, ...]:
        if not self.content:
            return ()
        stories = self.content.stories_at(self.wall())
        if self.tag is None:
            return stories
        # Kept while the same stories and tag are asked for: 37,000 to filter on each turn
        # of a page would cost a frame.
        if self._filtered is None or self._filtered[0] is not stories \
                or self._filtered[1] != self.tag:
            self._filtered = (stories, self.tag,
                              tuple(s for s in stories if self.tag in s.tags))
        return self._filtered[2]

    def go(self, index: int, page: int = 0) -> None:
        """Story `index`, from the first page of its text (or `LAST_PAGE`)."""
        count = len(self.visible_stories)
        self.index = min(max(index, 0), count - 1) if count else 0
        self.page = page
        self.refresh()

    def step(self, delta: int) -> None:
        """The next (+1) or previous (-1) page: of this story's text while it has more, then
        of the story after or before it."""
        pages = self.card.body.page_count
        if delta > 0 and self.page < pages - 1:
            self.page += 1
            self.refresh()
        elif delta < 0 and self.page > 0:
            self.page -= 1
            self.refresh()
        elif delta > 0 and self.index < len(self.visible_stories) - 1:
            self.go(self.index + 1)
        elif delta < 0 and self.index > 0:
            self.go(self.index - 1, LAST_PAGE)

    def show_random(self) -> None:
        count = len(self.visible_stories)
        if count > 1:
            choice = self.random.randrange(count - 1)
            self.go(choice if choice < self.index else choice + 1)  # never the same story

    def filter_by(self, tag: str | None) -> None:
        self.tag = tag
        self.index = 0
        self.page = 0
        self.refresh()
        chip = self.chip_buttons.get(tag)
        if chip is not None:
            self.strip.ensure_visible(chip)

    def _swiped(self, gesture: Gesture) -> None:
        self.step(1 if gesture is Gesture.SWIPE_LEFT else -1)

    def set_content(self, content: Content) -> None:
        self.clip.forget(bool(content.clips()))
        super().set_content(content)
        self._rebuild_chips()
        self.refresh()

    def reset(self) -> None:
        self.index = 0
        self.page = 0
        self.tag = None
        self.strip.set_offset(0)
        self.card.image.clear()  # the photo read last: the loader keeps what is worth keeping
        if self.isVisible():
            # The visitor has gone and the loop comes next: the first story, and its photo
            # and the next one's decoded and kept, would be for nobody. Drawn if still shown.
            self._stale = True
            QTimer.singleShot(0, self, lambda: self.refresh() if self._stale and
                              self.isVisible() else None)
        else:
            self.refresh()

    def carry_over(self, old: Screen) -> None:
        if isinstance(old, StoriesScreen):
            self.tag = old.tag if old.tag in self.chip_buttons else None
            self.index, self.page = old.index, 0  # pages differ at another type size
        self.refresh()

    # -- display ---------------------------------------------------------------------------

    def _rebuild_chips(self) -> None:
        for button in self.chip_buttons.values():
            self.chip_group.removeButton(button)
            button.hide()  # it stays a visible child until deleted
            button.deleteLater()
        self.chip_buttons = {}
        tags: list[str | None] = [None]
        if self.content:
            tags += list(self.content.story_tags(self.content.stories_at(self.wall())))
        for tag in tags:
            chip = BigButton(self.theme, font_px=self.theme.small_px,
                             background=self.theme.colours.accent,
                             padding=self.theme.space("m"))
            chip.setCheckable(True)
            chip.clicked.connect(lambda _=False, t=tag: self.filter_by(t))
            self.chip_group.addButton(chip)
            self.chip_buttons[tag] = chip
        self.strip.set_chips(list(self.chip_buttons.values()))

    def render_view(self) -> None:
        lang = self.lang
        self.top_bar.set_language(lang)
        self.nav.set_language(lang)
        for tag, chip in self.chip_buttons.items():
            label = (tr("all_stories", lang) if tag is None
                     else self.content.tag_label(tag, lang) if self.content else tag)
            chip.setText(label)
            chip.setChecked(tag == self.tag)
        self.strip.relayout()
        stories = self.visible_stories
        if not stories:
            self.card.show_item("", tr("no_stories", lang), "", "", None)
            self.clip.show_clip(None)
            self.page = 0
            self._show_position()
            return
        story = stories[self.index]
        self._rendering = True
        try:
            self.card.show_item(tr("story_badge", lang),
                                typeset(story.title.get(lang), lang, hyphenate=False),
                                story_meta(story, lang),
                                typeset_markdown(story.body.get(lang), lang), story.photo)
            self.clip.show_clip(story.video)
        finally:
            self._rendering = False
        if self.index + 1 < len(stories):  # the next story's photo is ready when swiped to
            self.card.image.prepare(stories[self.index + 1].photo)
        if self.images.photos is not None:
            self.images.photos.keep_latest(PHOTOS_KEPT)
        self._show_position()

    def _show_position(self) -> None:
        pages = self.card.body.page_count
        self.page = pages - 1 if self.page == LAST_PAGE else min(self.page, pages - 1)
        self.card.set_page(self.page)
        self.nav.set_position(self.index, len(self.visible_stories), self.lang, dots=False,
                              page=self.page, pages=pages)

    def _paginated(self) -> None:
        """The text was laid out anew (its box changed size): keep the page in range."""
        if self.isVisible() and not self._stale and not self._rendering:
            self._show_position()
