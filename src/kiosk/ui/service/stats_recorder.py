"""Counts what visitors use, from the window's existing signals: nothing in the screens knows
about statistics. Each event goes to a `record(event, local_time)` callable (a StatsWriter's,
which writes off the UI thread)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QObject

from kiosk.core.service.stats import Event
from kiosk.core.session import SessionEvent
from kiosk.ui.main_window import KioskWindow

Record = Callable[[Event, dt.datetime], None]


class StatsRecorder(QObject):
    def __init__(self, window: KioskWindow, record: Record) -> None:
        super().__init__(window)
        self.window = window
        self.record = record
        self._story: str | None = None  # the story last counted, so a re-render is not a read
        self._finished = False  # «Готово» counts once per picture
        self._colouring_hooked = False
        window.session_event.connect(self.session)
        window.stack.currentChanged.connect(self._screen_shown)
        # The large-text switch builds the visitor's screens anew: hook the new ones too.
        window.visitor_screens_built.connect(self._hook_screens)
        if window.screens_built:  # else when they are (kiosk run: after the first frame)
            self._hook_screens()

    def _hook_screens(self) -> None:
        window = self.window
        self._colouring_hooked = False  # the colouring page is built again on first use
        window.picker.picture_chosen.connect(self._picture_chosen)
        stories = window.stories
        # Connected after the screen's own slots, so the new story is already on screen.
        for button in (stories.nav.next, stories.nav.previous, stories.nav.random):
            button.clicked.connect(self._story_maybe_changed)
        stories.swipes.swiped.connect(self._story_maybe_changed)
        stories.chip_group.buttonClicked.connect(self._story_maybe_changed)

    def _count(self, event: Event) -> None:
        self.record(event, self.window.local_now())

    def session(self, outcome: object) -> None:
        if outcome is SessionEvent.STARTED:
            self._count(Event.SESSION_STARTED)
        elif outcome is SessionEvent.RESET:
            self._count(Event.IDLE_RESET)

    def _screen_shown(self, index: int) -> None:
        window = self.window
        screen = window.stack.widget(index)
        if not window.screens_built:
            return  # the attract loop: asking for the others would build them
        if screen is window.menu:
            self._count(Event.MENU_OPEN)
        elif screen is window.anniversary:
            self._count(Event.ANNIVERSARY_OPEN)
        elif screen is window.stories:
            self._story = None
            self._story_maybe_changed()
        elif screen is window._colouring and not self._colouring_hooked:
            self._colouring_hooked = True  # the page is built on first use
            window.colouring.done_button.clicked.connect(self._done)

    def _story_maybe_changed(self, *_: object) -> None:
        stories = self.window.stories
        visible = stories.visible_stories
        if not stories.isVisible() or not visible:
            return
        story = visible[min(stories.index, len(visible) - 1)].id
        if story != self._story:
            self._story = story
            self._count(Event.STORY_READ)

    def _picture_chosen(self, picture_id: str) -> None:
        self._finished = False
        self._count(Event.COLOURING_STARTED)

    def _done(self) -> None:
        if not self._finished:
            self._finished = True
            self._count(Event.COLOURING_FINISHED)
