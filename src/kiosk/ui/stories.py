"""Sincere-service stories, one at a time: swipe, next, previous, random, filter by tag."""

from __future__ import annotations

import random

from PySide6.QtWidgets import QButtonGroup, QVBoxLayout, QWidget

from kiosk.core.gestures import Gesture
from kiosk.core.i18n import tr
from kiosk.core.model import Content, Story
from kiosk.ui.navigation import FlowLayout, NavBar
from kiosk.ui.resources import ImageCache
from kiosk.ui.screen import Screen
from kiosk.ui.slide_card import ItemCard, story_meta
from kiosk.ui.theme import Theme
from kiosk.ui.widgets import BigButton, SwipeDetector


class StoriesScreen(Screen):
    def __init__(self, theme: Theme, images: ImageCache, parent: QWidget | None = None) -> None:
        super().__init__(theme, images, parent)
        self.index = 0
        self.tag: str | None = None
        self._filtered: tuple[tuple[Story, ...], str, tuple[Story, ...]] | None = None
        self.random = random.Random()
        self.card = ItemCard(theme, images, top_margin=theme.margin // 2)
        self.nav = NavBar(theme, with_random=True)
        self.nav.home.clicked.connect(self.home_requested)
        self.nav.previous.clicked.connect(lambda: self.go(self.index - 1))
        self.nav.next.clicked.connect(lambda: self.go(self.index + 1))
        self.nav.random.clicked.connect(self.show_random)
        self.swipes = SwipeDetector(self, self.width)
        self.swipes.swiped.connect(self._swiped)
        self.chips_box = QWidget()
        self.chips = FlowLayout(theme.px(16))
        self.chips_box.setLayout(self.chips)
        self.chip_group = QButtonGroup(self)
        self.chip_buttons: dict[str | None, BigButton] = {}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, theme.margin, 0, 0)
        layout.setSpacing(0)
        chips_row = QVBoxLayout()
        chips_row.setContentsMargins(theme.margin * 2, 0, theme.margin * 2, 0)
        chips_row.addWidget(self.chips_box)
        # Large type leaves no room for the tag chips beside a long story: in the high-contrast
        # mode the stories are browsed with the arrows and «Случайная» only.
        self.chips_box.setVisible(not theme.high_contrast)
        layout.addLayout(chips_row)
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

    def go(self, index: int) -> None:
        count = len(self.visible_stories)
        self.index = min(max(index, 0), count - 1) if count else 0
        self.refresh()

    def show_random(self) -> None:
        count = len(self.visible_stories)
        if count > 1:
            choice = self.random.randrange(count - 1)
            self.go(choice if choice < self.index else choice + 1)  # never the same story

    def filter_by(self, tag: str | None) -> None:
        self.tag = tag
        self.index = 0
        self.refresh()

    def _swiped(self, gesture: Gesture) -> None:
        self.go(self.index + (1 if gesture is Gesture.SWIPE_LEFT else -1))

    def set_content(self, content: Content) -> None:
        super().set_content(content)
        self._rebuild_chips()
        self.refresh()

    def reset(self) -> None:
        self.index = 0
        self.tag = None
        self.refresh()

    # -- display ---------------------------------------------------------------------------

    def _rebuild_chips(self) -> None:
        for button in self.chip_buttons.values():
            self.chip_group.removeButton(button)
            button.hide()  # out of the layout it stays a visible child until deleted
            button.deleteLater()
        self.chips.clear()
        self.chip_buttons = {}
        tags: list[str | None] = [None]
        if self.content:
            tags += list(self.content.story_tags(self.content.stories_at(self.wall())))
        for tag in tags:
            chip = BigButton(self.theme, font_px=self.theme.text_px(32),
                             background=self.theme.colours.blue,
                             padding=self.theme.px(26))
            chip.setCheckable(True)
            chip.setFixedHeight(self.theme.px(100))
            chip.clicked.connect(lambda _=False, t=tag: self.filter_by(t))
            self.chip_group.addButton(chip)
            self.chips.addWidget(chip)
            self.chip_buttons[tag] = chip

    def render_view(self) -> None:
        lang = self.lang
        self.nav.set_language(lang)
        for tag, chip in self.chip_buttons.items():
            label = (tr("all_stories", lang) if tag is None
                     else self.content.tag_label(tag, lang) if self.content else tag)
            chip.setText(label)
            chip.setChecked(tag == self.tag)
            chip.updateGeometry()
        self.chips.invalidate()
        stories = self.visible_stories
        self.nav.set_position(self.index, len(stories), lang, dots=False)
        if not stories:
            self.card.show_item("", tr("no_stories", lang), "", "", None)
            return
        story = stories[self.index]
        self.card.show_item(tr("story_badge", lang), story.title.get(lang), story_meta(story, lang),
                            story.body.get(lang), story.photo)
