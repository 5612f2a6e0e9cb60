"""The kiosk's one window: the screens in a stack, the idle overlay above them, and the
adapter that feeds touches and time to the core's session machine."""

from __future__ import annotations

import datetime as dt
import itertools
import logging
import sys
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QPoint, QRect, QSize, Qt, QTimer, Signal
from PySide6.QtGui import (
    QCloseEvent,
    QInputEvent,
    QMouseEvent,
    QResizeEvent,
    QTouchEvent,
    QWindow,
)
from PySide6.QtWidgets import QAbstractButton, QApplication, QStackedLayout, QWidget

from kiosk import __version__
from kiosk.core.content.model import Content, Notice
from kiosk.core.content.notices import MOST_URGENT_SHOWN, next_change
from kiosk.core.content.problems import Language
from kiosk.core.content.sandbox import IDLE_EXIT
from kiosk.core.gestures import SecondTap
from kiosk.core.playlist import Slide, SlideKind
from kiosk.core.service import recent_log
from kiosk.core.service.exit_codes import EXIT_OK, EXIT_RESTART
from kiosk.core.session import IdleSession, Phase, SessionEvent
from kiosk.core.staff_gesture import CORNER_PX, CornerTaps
from kiosk.core.staff_text import st
from kiosk.ui.attract import AttractScreen
from kiosk.ui.notice_band import NoticeBand
from kiosk.ui.queue.banner import QueueBanner
from kiosk.ui.resources import ImageCache
from kiosk.ui.screen import Screen
from kiosk.ui.service.lockdown import Lockdown
from kiosk.ui.service.sleep import REST_OF_TOUCH, SWALLOW_S, TOUCH_ENDS, ScreenSleep
from kiosk.ui.theme import Theme

if TYPE_CHECKING:
    from pathlib import Path

    from kiosk.core.colouring.kept import KeptDrawing, KeptDrawings
    from kiosk.core.pin import PinStore  # the PIN pad's, built after the first frame
    from kiosk.ui.background import Background

    # The staff PIN's store, or what makes it when first asked for: `kiosk run` reads the
    # state folder's PIN file after its first frame, not before it.
    PinSource = PinStore | Callable[[], PinStore] | None

    # The screens other than attract are imported where they are built (build_screens):
    # `kiosk run` paints its first frame without them (tests/ui/test_first_frame.py).
    from kiosk.ui.anniversary import AnniversaryScreen
    from kiosk.ui.calm import CalmScreen
    from kiosk.ui.colouring.picker import ColouringPickerScreen
    from kiosk.ui.colouring.screen import ColouringScreen
    from kiosk.ui.idle_overlay import IdleOverlay
    from kiosk.ui.menu import Destination, MenuScreen
    from kiosk.ui.queue.source import QueueSource
    from kiosk.ui.staff.menu import StaffAction, StaffMenuScreen
    from kiosk.ui.staff.pattern import PatternScreen
    from kiosk.ui.staff.pin_pad import PinPadScreen
    from kiosk.ui.stories import StoriesScreen

log = logging.getLogger(__name__)

# Events that mean a person is at the screen (keys never arrive: the lockdown takes them).
PRESENCE_EVENTS = {
    QEvent.Type.MouseButtonPress,
    QEvent.Type.TouchBegin,
    QEvent.Type.Wheel,
}
PRESS_EVENTS = {QEvent.Type.MouseButtonPress, QEvent.Type.TouchBegin}
NOTICE_RECHECK_S = 3600.0  # urgent notices are judged again at least this often
BUILD_RETRY_S = 10.0  # after the screens failed to build, the soonest they are tried again
# New content (or a new size) waits this long before its colouring pictures are prepared: the
# content reader's child has gone by then (it ends after IDLE_EXIT without a file to read), so
# the two children's memory never adds up beside the loop's.
AHEAD_DELAY_S = IDLE_EXIT + 2.0
# Then the pass waits for the loop's next transition to end, this long at most (a loop of one
# slide, a visitor on screen): the slide before has just been let go and the next one's
# pictures are not asked for yet (PICTURE_LEAD_S before it is due), so the preparing child's
# peak (~70 MB at 1080p) comes beside the loop at its lightest, not at a transition's or a
# poster's extra 7 MB.
AHEAD_QUIET_WAIT_S = 20.0


class KioskWindow(QWidget):
    session_event = Signal(object)  # each SessionEvent, for statistics and monitoring
    reload_requested = Signal()  # staff: read the content folder again now
    exit_requested = Signal(int)  # staff: end the program with this status
    visitor_left = Signal()  # the session ended and every screen was wiped
    visitor_screens_built = Signal()  # the visitor's screens are new objects (large text)
    laid_out = Signal()  # every screen was built anew for a new screen size (a turn)

    def __init__(self, theme: Theme, content: Content,
                 clock: Callable[[], float] = time.monotonic,
                 utc_now: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC),
                 pins: PinSource = None, defer_screens: bool = False) -> None:
        super().__init__()
        # The attract loop always uses the normal theme: the high-contrast, large-text mode is
        # one visitor's choice and ends when they leave.
        self.theme = theme.with_high_contrast(False)
        self.clock = clock
        self.utc_now = utc_now  # wall-clock time, for schedules (previews pass a fixed one)
        self.started = clock()
        self.allow_close = False  # set only by the staff menu's «quit» (and the app at exit)
        # Diagnostics: set by the app as it learns them.
        self.content_version = ""
        self.content_loaded_at: dt.datetime | None = None
        self.safe_mode: tuple[bool, str] | None = None
        self.diagnostic_extra: Callable[[], list[str]] = list
        self._reload_asked = False
        self._laid_out_ratio = self.devicePixelRatioF()  # the ratio the screens are built at
        self.setWindowTitle("Киоск «Мои Документы»")
        self.resize(theme.width, theme.height)
        self.images = ImageCache()
        self.content = content
        self.pending_content: Content | None = None  # arrived while a visitor was here
        self.lang: Language = content.settings.default_language
        self.screens: list[Screen] = []
        self.stack = QStackedLayout(self)
        self._build_attract(self.theme)
        # kiosk run: its neutral screen only if the window is shown before the content is read
        self.attract.neutral_when_shown = defer_screens
        self._colouring: ColouringScreen | None = None  # made when a child first picks
        # The drawings a child left this visit, by picture (made with the colouring page: it
        # brings numpy); wiped when the visitor goes.
        self._drawings: KeptDrawings | None = None
        # The visitor's and the staff's screens: here, or with `defer_screens` (kiosk run)
        # just after the first frame (kiosk.ui.app), which then needs only the attract loop.
        # Whatever needs one of them before that builds them all at once (build_screens).
        self._pins = pins
        self.screens_built = False
        self._preparing_work: Background | None = None  # see _preparing_child
        self._ahead_timer: QTimer | None = None  # see keep_colouring_prepared
        self._ahead_waits_for_waking = False
        self._ahead_quiet: QTimer | None = None  # the most it waits for a transition's end
        self._build_failed_at: float | None = None  # the clock's time of the last failure
        if not defer_screens:
            self.build_screens()
        self.corner_taps = CornerTaps()
        # The electronic queue: a band over every screen when a ticket is called (app.py
        # gives the window its source; without one the kiosk does not follow a queue).
        self.queue: QueueSource | None = None
        self.queue_banner = QueueBanner(theme, self)
        self.queue_banner.dismissed.connect(self._dismiss_banner)
        self.queue_timer = QTimer(self)
        self.queue_timer.setSingleShot(True)
        self.queue_timer.timeout.connect(self.show_queue)
        # Urgent notices: a band at the foot of every visitor screen, which gives it the room
        # (kiosk.ui.notice_band); one timer for the next moment the set due changes.
        self.notice_band = NoticeBand(self.theme, self)
        self.notice_band.room_changed.connect(self._notice_room)
        self.notice_timer = QTimer(self)
        self.notice_timer.setSingleShot(True)
        self.notice_timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.notice_timer.timeout.connect(self.show_notices)
        self.notices_due: tuple[Notice, ...] = ()
        # When notices are judged (None: not at all). A preview without a moment shows every
        # urgent notice, whatever its schedule, as it shows every other item.
        self.notice_clock: Callable[[], dt.datetime | None] = self.local_now
        self.every_notice = False
        self.stack.currentChanged.connect(lambda _index: self._place_notices(moving=True))
        # Screens are laid out in what the band leaves: the tallest one's wish (the staff
        # menu's) must not make the window taller than the screen.
        self.stack.setSizeConstraint(QStackedLayout.SizeConstraint.SetNoConstraint)
        self.session = IdleSession(content.settings.idle_seconds,
                                   content.settings.warning_seconds)
        self.session_timer = QTimer(self)
        self.session_timer.setInterval(250)
        self.session_timer.timeout.connect(self._tick)
        # Outside opening hours the screen sleeps: a black cover over everything, the display
        # off (kiosk.ui.service.sleep). Made before the event filter, which asks it about touches.
        self.screen_sleep = ScreenSleep(self)
        self.second_tap = SecondTap()
        self._echo_until: float | None = None  # swallowing the rest of an echo till then
        self._echo_ended: int | None = None  # the stamp of the echo's touch end
        self.screen_sleep.changed.connect(self._prepare_ahead_on_waking)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        # Installed after our own filter, so it sees every event first.
        self.lockdown = Lockdown(self)
        self.set_content(content)

    # -- the visitor's screens and the high-contrast mode ------------------------------------

    def _build_attract(self, theme: Theme) -> None:
        self.attract = AttractScreen(theme, self.images, self.clock)
        self.attract.wall = self.local_now
        self.attract.wall_clock_set.connect(self.show_notices)
        # A pass of colouring pictures waiting for the loop's quiet moment (keep_colouring_
        # prepared) hears it from this stage, also once the screen has turned.
        self.attract.stage.transition_finished.connect(self._quiet_moment)
        self.screens.insert(0, self.attract)
        self.stack.insertWidget(0, self.attract)

    def build_screens(self) -> None:
        """The screens other than attract, if they are not built yet. If building them
        raises, it is logged and undone: the kiosk goes on with the attract loop, the flag
        says not built, and the next call (a touch, the idle countdown) tries again."""
        if self.screens_built:
            return
        if self._build_failed_at is not None \
                and self.clock() - self._build_failed_at < BUILD_RETRY_S:
            return  # failed just now: not again at every tick of a countdown (~0.1 s each)
        # Set while they are built: their wiring asks for them (the properties, staff_screens,
        # the statistics' hooks), which must find them, not build them again.
        self.screens_built = True
        late = hasattr(self, "lockdown")  # the window was made before them (deferred)
        before = len(self.screens)
        had = set(vars(self))
        try:
            self._build_visitor_screens(self.theme)
            self._build_staff_screens(self.theme, self._pin_store_made())
            if late:
                for screen in self.screens[before:]:  # as go_to_attract leaves them
                    screen.reset()
                    screen.set_language(self.lang)
        except Exception:
            log.exception("the visitor's and staff screens could not be built: attract only")
            self.screens_built = False
            self._build_failed_at = self.clock()
            # Nothing half-built stays reachable: the screens leave the stack, and the
            # attributes this attempt set go (a property asked meanwhile raises, never shows
            # a screen that is not wired).
            made = [vars(self).pop(name) for name in set(vars(self)) - had]
            for widget in {id(w): w for w in [*self.screens[before:], *made]}.values():
                if isinstance(widget, QWidget):
                    self.stack.removeWidget(widget)
                    widget.hide()
                    widget.deleteLater()
            del self.screens[before:]
            return
        if not late:
            return
        if self.queue_banner.isVisible():
            self.queue_banner.raise_()  # above the screens made just now
        if self.screen_sleep.asleep:
            self.screen_sleep.cover.raise_()

    @property
    def pin_store(self) -> PinStore | None:
        """What the PIN pad checks against, asked without building the pad."""
        return self._pin_pad.store if self.screens_built else self._pin_store_made()

    def _pin_store_made(self) -> PinStore | None:
        if callable(self._pins):  # made once, when first asked for
            self._pins = self._pins()
        return self._pins

    @property
    def menu(self) -> MenuScreen:
        self.build_screens()
        return self._menu

    @property
    def anniversary(self) -> AnniversaryScreen:
        self.build_screens()
        return self._anniversary

    @property
    def stories(self) -> StoriesScreen:
        self.build_screens()
        return self._stories

    @property
    def picker(self) -> ColouringPickerScreen:
        self.build_screens()
        return self._picker

    @property
    def calm(self) -> CalmScreen:
        self.build_screens()
        return self._calm

    @property
    def overlay(self) -> IdleOverlay:
        self.build_screens()
        return self._overlay

    @property
    def pin_pad(self) -> PinPadScreen:
        self.build_screens()
        return self._pin_pad

    @property
    def staff(self) -> StaffMenuScreen:
        self.build_screens()
        return self._staff

    @property
    def pattern(self) -> PatternScreen:
        self.build_screens()
        return self._pattern

    def _build_staff_screens(self, theme: Theme, pins: PinStore | None) -> None:
        """Staff screens, always in the usual theme (a visitor's mode is not theirs)."""
        from kiosk.ui.staff.menu import StaffMenuScreen
        from kiosk.ui.staff.pattern import PatternScreen
        from kiosk.ui.staff.pin_pad import PinPadScreen

        self._pin_pad = PinPadScreen(theme, self.images, pins,
                                     lambda: self.utc_now().timestamp())
        self._staff = StaffMenuScreen(theme, self.images, self.diagnostics, self.problem_lines)
        self._pattern = PatternScreen(theme, self.images)
        for screen in self.staff_screens:
            self._add_screen(screen)
        self.pin_pad.accepted.connect(self._staff_arrives)
        self.pin_pad.cancelled.connect(lambda: self.show_screen(self.menu))
        self.staff.action.connect(self._staff_action)
        self.pattern.done.connect(lambda: self.show_screen(self.staff))

    def _build_visitor_screens(self, theme: Theme) -> None:
        """The screens a visitor uses (all but attract) and the idle question, in `theme`."""
        from kiosk.ui.anniversary import AnniversaryScreen
        from kiosk.ui.calm import CalmScreen
        from kiosk.ui.colouring.picker import ColouringPickerScreen
        from kiosk.ui.idle_overlay import IdleOverlay
        from kiosk.ui.menu import MenuScreen
        from kiosk.ui.stories import StoriesScreen

        self._menu = MenuScreen(theme, self.images)
        self._anniversary = AnniversaryScreen(theme, self.images)
        self._stories = StoriesScreen(theme, self.images)
        self._picker = ColouringPickerScreen(theme, self.images)
        self._calm = CalmScreen(theme, self.images, self.clock)
        for screen in (self.menu, self.anniversary, self.stories, self.picker, self.calm):
            self._add_screen(screen)
            self._connect_chrome(screen)
        self.menu.chosen.connect(self._open)
        self.picker.picture_chosen.connect(self._colour)
        # The calm minute's own pages: «Ещё раз» stands where the first rhythm's button comes.
        self.calm.pages.currentChanged.connect(lambda _index: self.second_tap.changed())
        self.picker.kept_drawing = self._kept_drawing
        self._overlay = IdleOverlay(theme, self)
        self._overlay.stay.connect(self._touched)
        self.visitor_screens_built.emit()

    def _connect_chrome(self, screen: Screen) -> None:
        """The language switch and the large-text toggle in a visitor screen's top bar."""
        screen.language_chosen.connect(self._language_chosen)
        screen.large_text_toggled.connect(
            lambda: self.set_high_contrast(not self.theme.high_contrast))

    def _add_screen(self, screen: Screen) -> None:
        screen.wall = self.local_now
        screen.lang = self.lang
        screen.set_content(self.content)
        screen.home_requested.connect(lambda: self.show_screen(self.menu))
        self.stack.addWidget(screen)
        self.screens.append(screen)

    def set_high_contrast(self, on: bool) -> None:
        """Switch the large-text, high-contrast mode: the visitor's screens are built anew in
        the other theme (about 0.1 s). The visitor stays where they were: the same screen,
        the same story or page, the same picture to colour (the drawing comes back, with
        nothing to undo: kiosk.core.colouring.kept)."""
        if on == self.theme.high_contrast:
            return
        self.theme = self.theme.with_high_contrast(on)
        showing = self.stack.currentWidget()
        names = ("menu", "anniversary", "stories", "picker", "calm")
        was = next((name for name in names if getattr(self, name) is showing), None)
        old = getattr(self, was) if was is not None else None
        picture = self._colouring.picture if self._colouring is showing \
            and self._colouring is not None else None
        if self._colouring is not None:
            # As if the child left the page: the drawing kept (the page built anew shows it
            # again), the old page's canvas wiped, not freed with the paint on it.
            self._colouring.reset()
        kept = [self.attract, *self.staff_screens]
        for screen in self.screens:
            if screen not in kept:
                self.stack.removeWidget(screen)
                screen.hide()
                screen.deleteLater()
        self.screens = kept
        self._colouring = None
        self.overlay.hide()
        self.overlay.deleteLater()
        self._build_visitor_screens(self.theme)
        # The band's words are a visitor's text too: large with the rest (its colours are
        # the same in either mode).
        self.notice_band.set_theme(self.theme)
        self.queue_banner.set_high_contrast(on)
        if self.queue_banner.isVisible():
            self.queue_banner.raise_()  # above the screens and the question made just now
        log.info("high-contrast mode %s", "on" if on else "off")
        if was is not None and isinstance(old, Screen):
            again: Screen = getattr(self, was)
            again.carry_over(old)
            self.show_screen(again)
        elif picture is not None:
            self._colour(picture.id)

    def decode_photos_in_background(self) -> None:
        """Content photos (stories, anniversary pages, posters) are decoded off the UI
        thread and kept decoded, about three screens' worth (kiosk.ui.photos): a phone's
        24-megapixel photo no longer freezes a tap for a third of a second. The running kiosk
        does; previews and `kiosk check` draw every picture at once, as they render."""
        if self.images.photos is None:
            from kiosk.ui.photos import PhotoLoader, screen_budget

            self.images.photos = PhotoLoader(
                screen_budget(QSize(self.theme.width, self.theme.height),
                              self.devicePixelRatioF()), self)

    # -- content and language --------------------------------------------------------------

    def local_now(self) -> dt.datetime:
        """The centre's wall-clock time, in its time zone (kiosk.yaml `timezone`)."""
        return self.content.settings.local_time(self.utc_now())

    def _adopt(self, content: Content) -> None:
        """Take the content's settings: idle times and the default language."""
        self.content = content
        self._prepare_ahead_soon()  # its colouring pictures
        settings = content.settings
        self.session.idle_seconds = settings.idle_seconds
        self.session.warning_seconds = settings.warning_seconds
        self.lang = settings.default_language
        for screen in self.screens:
            screen.lang = self.lang

    def set_content(self, content: Content) -> None:
        self._adopt(content)
        for screen in self.screens:
            screen.set_content(content)
        self.go_to_attract()
        self.screen_sleep.evaluate()  # the opening hours may have changed

    def update_content(self, content: Content) -> None:
        """New content from the folder. Nobody here: in it goes, the attract loop fading to
        it. A visitor here: it waits until they leave, so nothing jumps under their finger."""
        self.content_loaded_at = self.local_now()
        if self._reload_asked:
            self._reload_asked = False
            self.staff.show_status(st("staff_reloaded", self.lang,
                                      time=self.content_loaded_at.strftime("%H:%M:%S")))
        if self.screen_sleep.asleep:  # nothing is rendered in the dark: shown on waking
            self.pending_content = content
            self.screen_sleep.evaluate()  # the opening hours may have changed
            return
        if self.session.phase is Phase.ATTRACT:
            self.pending_content = None
            self._adopt(content)
            for screen in self.screens:
                if screen is not self.attract:
                    screen.set_content(content)
            self.attract.replace_content(content)
            self.show_notices()
        else:
            self.pending_content = content
        self.screen_sleep.evaluate()

    def set_language(self, lang: Language) -> None:
        self.lang = lang
        for screen in self.screens:
            screen.set_language(lang)
        if self.queue_banner.isVisible():
            self.queue_banner.show_calls(self.queue_banner.calls, lang)
        self.notice_band.set_language(lang)

    def _language_chosen(self, lang: str) -> None:
        self.set_language("en" if lang == "en" else "ru")

    # -- navigation ------------------------------------------------------------------------

    @property
    def colouring(self) -> ColouringScreen:
        """The colouring canvas, built on first use: it brings numpy and OpenCV, which the
        attract loop never needs (start-up stays lighter by ~15 MB and ~50 ms)."""
        if self._colouring is None:
            from kiosk.ui.colouring import screen as colouring  # here, not at the top: see above

            screen = colouring.ColouringScreen(self.theme, self.images)
            self._add_screen(screen)
            screen.back_requested.connect(lambda: self.show_screen(self.picker))
            self._connect_chrome(screen)
            if self._drawings is None:
                from kiosk.core.colouring.kept import KeptDrawings

                self._drawings = KeptDrawings()
            screen.kept = self._drawings
            self._colouring = screen
        return self._colouring

    @property
    def current_screen(self) -> Screen:
        widget = self.stack.currentWidget()
        assert isinstance(widget, Screen)
        return widget

    def show_screen(self, screen: Screen) -> None:
        self._preparing_child(screen)
        if screen is not self.attract:
            self.attract.stop()
        if self._colouring is not None and screen is not self._colouring:
            self._colouring.reset()  # its drawing kept for this visit only (kept.py)
        if screen is not self.stack.currentWidget():
            self.second_tap.changed()  # a quick second tap is not for the new screen
        self.stack.setCurrentWidget(screen)
        if screen is self.attract:
            self.attract.start()
        if self.queue_banner.isVisible():
            self.queue_banner.raise_()  # a screen made just now would be stacked above it

    def _notice_room(self, room: int) -> None:
        self.setContentsMargins(0, 0, 0, room)
        self._prepare_ahead_soon()  # the colouring page's canvas is another size now

    def keep_colouring_prepared(self, directory: Path) -> None:
        """From now on the colouring pictures are prepared in the loop, AHEAD_DELAY_S after
        each new content or screen size, as the loop's next transition ends, and kept in
        `directory` (kiosk.ui.colouring.ahead): the picker and the page then need no child
        process and no OpenCV."""
        from kiosk.ui.colouring import ahead as colouring_ahead

        colouring_ahead.use_store(directory)
        timer = QTimer(self)
        timer.setSingleShot(True)
        timer.setInterval(round(AHEAD_DELAY_S * 1000))
        timer.timeout.connect(self._await_quiet_moment)
        self._ahead_timer = timer
        quiet = QTimer(self)
        quiet.setSingleShot(True)
        quiet.timeout.connect(self._prepare_ahead)  # no transition came: the pass goes anyway
        self._ahead_quiet = quiet
        timer.start()

    def _prepare_ahead_soon(self) -> None:
        if self._ahead_timer is not None and self._ahead_quiet is not None:
            self._ahead_quiet.stop()  # a pass waiting for its moment waits AHEAD_DELAY_S again
            self._ahead_timer.start()  # (again: a burst of changes prepares once)

    def _await_quiet_moment(self) -> None:
        if self._ahead_quiet is not None:
            self._ahead_quiet.start(round(AHEAD_QUIET_WAIT_S * 1000))

    def _quiet_moment(self) -> None:
        """A transition of the loop ended: a pass waiting for it (its timer running) starts."""
        quiet = self._ahead_quiet
        if quiet is not None and quiet.isActive():
            quiet.stop()
            self._prepare_ahead()

    def colouring_canvas(self, ratio: float | None = None) -> QSize:
        """The canvas the colouring page gives a picture now, in device pixels (at `ratio`:
        1 for logical pixels): the page fills the window's content rectangle (above a
        notice's band)."""
        from kiosk.ui.colouring.ahead import canvas_box
        from kiosk.ui.hidpi import ratio_of

        room = self.contentsRect().size()
        return canvas_box(self.picker.theme, room.width(), room.height(),
                          ratio_of(self) if ratio is None else ratio)

    def _prepare_ahead_on_waking(self, _report: object) -> None:
        if self._ahead_waits_for_waking and not self.screen_sleep.asleep:
            self._ahead_waits_for_waking = False
            self._prepare_ahead_soon()

    def _prepare_ahead(self) -> None:
        if self.screen_sleep.asleep:
            # Asleep, the kiosk does nothing (bench/sleep.py: 0.15 % of a core): the pictures
            # are prepared after it wakes, before the centre opens its doors.
            self._ahead_waits_for_waking = True
            return
        if not self.screens_built:
            self._prepare_ahead_soon()  # building them failed: try again later
            return
        from kiosk.core.colouring.prepare_apart import apply_wish
        from kiosk.core.content.loader import COLOURING_MOST
        from kiosk.ui.colouring.ahead import prepare_ahead

        pictures = self.content.colouring[:COLOURING_MOST]
        canvas, logical = self.colouring_canvas(), self.colouring_canvas(ratio=1.0)
        gap = self.content.settings.colouring_gap_px

        def work() -> int:
            from kiosk.core.service import heap

            try:
                return prepare_ahead(pictures, canvas, gap, logical)
            finally:
                apply_wish()  # the child goes, unless the picker shows meanwhile
                # The pictures drawn for the child (~8 MB each at 1080p) were freed in this
                # worker's heap, which glibc would keep for good.
                heap.release_freed_memory()

        self._preparing.run(work, self._prepared_ahead, every=True)

    def _prepared_ahead(self, made: object) -> None:
        if isinstance(made, int) and made:
            log.info("%d colouring pictures prepared ahead", made)

    def _preparing_child(self, screen: Screen) -> None:
        """The child process that prepares colouring pictures (kiosk.core.colouring.prepare_apart)
        is started when the picker shows and waits there, so a tapped picture opens in ~25 ms, not
        ~150; the page lets it go once its canvas is ready, and any other screen now (in a worker:
        it may wait for a picture being prepared)."""
        if self.screens_built and screen is self._picker:
            # No child when every picture is kept for this canvas (prepared ahead).
            waiting = not self.colouring_all_kept()
            if not waiting and "kiosk.core.colouring.prepare_apart" not in sys.modules:
                return
        elif screen is not self._colouring and "kiosk.core.colouring.prepare_apart" in sys.modules:
            waiting = False  # (not imported: no picker shown since the start, no child)
        else:
            return
        from kiosk.core.colouring.prepare_apart import apply_wish, want_waiting

        want_waiting(waiting)
        self._preparing.run(apply_wish, lambda _: None, every=True)

    def colouring_all_kept(self) -> bool:
        from kiosk.core.content.loader import COLOURING_MOST
        from kiosk.ui.colouring.ahead import all_kept

        return all_kept(self.content.colouring[:COLOURING_MOST], self.colouring_canvas(),
                        self.content.settings.colouring_gap_px)

    @property
    def _preparing(self) -> Background:
        if self._preparing_work is None:
            from kiosk.ui.background import Background

            self._preparing_work = Background(self)
        return self._preparing_work

    def _open(self, destination: Destination) -> None:
        from kiosk.ui.menu import Destination

        target = {Destination.ANNIVERSARY: self.anniversary, Destination.STORIES: self.stories,
                  Destination.COLOURING: self.picker, Destination.CALM: self.calm}[destination]
        target.reset()
        self.show_screen(target)

    def _open_from_attract(self, slide: Slide | None) -> None:
        """A tap on the loop opens what the poster showed: the whole story, the anniversary
        page, the colouring pictures or the calm minute; a staff poster or the welcome opens
        the menu."""
        from kiosk.ui.menu import Destination

        kind = slide.kind if slide is not None else None
        item_id = slide.item_id if slide is not None else ""
        if kind is SlideKind.STORY:
            self.stories.reset()
            found = next((i for i, s in enumerate(self.stories.visible_stories)
                          if s.id == item_id), None)
            if found is not None:
                self.stories.go(found)
                self.show_screen(self.stories)
                return
        elif kind is SlideKind.ANNIVERSARY:
            self.anniversary.reset()
            found = next((i for i, p in enumerate(self.anniversary.pages) if p.id == item_id),
                         None)
            if found is not None:
                self.anniversary.go(found)
                self.show_screen(self.anniversary)
                return
        if kind is SlideKind.COLOURING and self.content.colouring:
            self._open(Destination.COLOURING)
        elif kind is SlideKind.CALM:
            self._open(Destination.CALM)
        else:
            self.show_screen(self.menu)

    def _kept_drawing(self, source: Path) -> KeptDrawing | None:
        """The drawing the child left on that picture this visit, for the picker's card."""
        return self._drawings.get(source) if self._drawings is not None else None

    def _forget_drawings(self) -> None:
        """The visitor has gone: every drawing of theirs goes, the one on the canvas too."""
        if self._colouring is not None:
            self._colouring.forget_drawing()
        if self._drawings is not None:
            self._drawings.wipe()

    def _staff_arrives(self) -> None:
        """The PIN was right: the visit is over, staff have the kiosk."""
        self._forget_drawings()
        self.show_screen(self.staff)
        if self._drawings is not None:
            self._drawings.wipe()  # the canvas, left just now, kept nothing: to be sure
        if self.screens_built:
            self.picker.forget_pictures()  # the cards that showed them

    def _colour(self, picture_id: str) -> None:
        picture = next((p for p in self.content.colouring if p.id == picture_id), None)
        if picture is not None:
            self.show_screen(self.colouring)
            self.colouring.open_picture(picture)

    def go_to_attract(self) -> None:
        """The visitor has gone: wipe every screen's state, default language, attract."""
        if self.pending_content is not None:
            content, self.pending_content = self.pending_content, None
            self.set_content(content)  # comes back here, with nothing pending
            return
        self.session.end()
        self.session_timer.stop()
        if self.screens_built:
            self.overlay.hide()
        self.queue_banner.set_compact(False)
        self.set_high_contrast(False)  # the next visitor starts with the usual screen
        self.set_language(self.content.settings.default_language)
        self._forget_drawings()
        for screen in self.screens:
            screen.reset()
        if self._drawings is not None:
            self._drawings.wipe()  # after the screens' reset: nothing they kept stays
        if self._colouring is not None:
            self._colouring.forget_pictures()
        if self.screens_built:
            self.picker.forget_pictures()
        self.images.clear()  # the pictures of the pages they read
        if self.images.photos is not None:
            # The photos of the stories they read: up to three screens' worth (~24 MB at
            # 1080p) while they read, only the last once they have gone (the next visitor
            # may open the same story). The loop asks again for its next slide's picture if
            # it went (AttractScreen.start).
            self.images.photos.keep_latest(1)
        self.show_screen(self.attract)
        self.show_notices()  # also on waking (kiosk.ui.service.sleep comes back here)
        self.visitor_left.emit()

    # -- the queue -------------------------------------------------------------------------

    def follow_queue(self, content: Content) -> None:
        """Follow the queue that content's kiosk.yaml names: start it, restart it when its
        settings changed, stop it when they are gone."""
        settings = content.settings.queue
        current = self.queue
        if current is not None and current.settings == settings \
                and current.root == content.root:
            return
        if current is not None:
            current.stop()
            current.deleteLater()
        source = None
        if settings is not None:
            # Here, not at the top: Qt's network module and ssl cost ~25 ms of every start-up,
            # and most kiosks follow no queue.
            from kiosk.ui.queue.source import QueueSource

            try:
                source = QueueSource(settings, content.root, content.settings.zone, self.clock,
                                     parent=self)
            except KeyError:  # kiosk check reports an unknown format; it cannot run
                log.error("queue format %r is unknown: not following the queue",
                          settings.format)
        self.set_queue(source)
        if source is not None:
            source.start()

    def stop_queue(self) -> None:
        if self.queue is not None:
            self.queue.stop()
        self.set_queue(None)

    def set_queue(self, source: QueueSource | None) -> None:
        """Follow this queue source (None: no queue). The caller starts and stops it."""
        if self.queue is not None:
            self.queue.updated.disconnect(self._queue_updated)
        self.queue = source
        if source is not None:
            source.updated.connect(self._queue_updated)
        self.show_queue()

    def _queue_updated(self, new_calls: int) -> None:
        if new_calls and self.queue is not None and self.queue.settings.sound:
            QApplication.beep()  # the system bell: QtMultimedia is not in PySide6-Essentials
        self.show_queue()

    def show_queue(self) -> None:
        """Put the follower's banner and recent calls on screen, and wake up when the banner
        is next due to change."""
        self.queue_timer.stop()
        if self.screen_sleep.asleep:
            return  # the follower goes on; nothing is painted in the dark (shown on waking)
        if self.queue is None:
            self.queue_banner.show_calls([], self.lang)
            self.attract.set_recent_calls([])
            return
        follower, now = self.queue.follower, self.clock()
        self.queue_banner.show_calls(follower.banner(now), self.lang)
        self.attract.set_recent_calls(follower.recent(now))
        ends = follower.banner_ends(now)
        if ends is not None:
            self.queue_timer.start(max(50, round((ends - now) * 1000)))

    def _dismiss_banner(self) -> None:
        if self.queue is not None:
            self.queue.follower.dismiss(self.clock())
        self.show_queue()

    # -- urgent notices --------------------------------------------------------------------

    def show_notices(self) -> None:
        """Put up the urgent notices due now, and wake when that set next changes (at the
        latest in NOTICE_RECHECK_S: the wall clock may be set meanwhile, which a timer does
        not follow)."""
        self.notice_timer.stop()
        if self.screen_sleep.asleep:
            return  # nothing is looked at in the dark: judged again on waking
        content = self.content
        urgent = [n for n in content.notices if n.urgent]
        local = None if self.every_notice else self.notice_clock()
        if local is None or not urgent:
            self.notices_due = tuple(urgent[:MOST_URGENT_SHOWN]) if self.every_notice else ()
            self._place_notices()
            return
        closed = content.closed_days()
        self.notices_due = tuple(itertools.islice(
            (n for n in urgent if n.schedule.active(local, closed)), MOST_URGENT_SHOWN))
        self._place_notices()
        change = next_change(urgent, local, closed)
        wait = NOTICE_RECHECK_S if change is None else min(
            NOTICE_RECHECK_S, (change - local.astimezone(dt.UTC)).total_seconds())
        self.notice_timer.start(max(50, round(wait * 1000)))

    def _place_notices(self, moving: bool = False) -> None:
        """The band with the notices due, over the visitor's screens (the staff's have none).
        While a visitor is on a screen, a change waits until they move to another or leave:
        the band's coming or going changes the room the screen has, and nothing moves under
        a finger (a picture being coloured would lose its edges)."""
        staff = self.stack.currentWidget() in self.staff_screens
        wanted = () if staff else self.notices_due
        if wanted != self.notice_band.notices and not moving \
                and self.session.phase is not Phase.ATTRACT and not staff:
            return
        self.notice_band.show_notices(wanted, self.lang)

    # -- staff -----------------------------------------------------------------------------

    @property
    def staff_screens(self) -> tuple[Screen, ...]:
        if not self.screens_built:
            return ()  # none on screen yet (and asking builds none)
        return (self.pin_pad, self.staff, self.pattern)

    def open_pin_pad(self) -> None:
        if self.current_screen in self.staff_screens:
            return
        if self.session.phase is Phase.ATTRACT:
            self._touched()
        self.overlay.hide()
        self.pin_pad.reset()  # afresh: a PIN set meanwhile with `kiosk set-pin` counts now
        self.show_screen(self.pin_pad)
        # Staff type their first digit right after the gesture: no echo of a corner tap to
        # fear (it lands on the pad's empty corner), and the digit was lost (a wrong PIN).
        self.second_tap.meant()

    def _staff_action(self, action: StaffAction) -> None:
        from kiosk.ui.staff.menu import StaffAction

        if action is StaffAction.RELOAD:
            self._reload_asked = True
            self.reload_requested.emit()
        elif action is StaffAction.PATTERN:
            self.show_screen(self.pattern)
        elif action is StaffAction.RESTART:
            log.warning("staff asked for a restart")
            self.exit_requested.emit(EXIT_RESTART)
        elif action is StaffAction.EXIT:
            log.warning("staff asked to quit the kiosk")
            self.allow_close = True
            self.exit_requested.emit(EXIT_OK)
        elif action is StaffAction.BACK:
            self.go_to_attract()

    def _latest_content(self) -> Content:
        return self.pending_content or self.content

    def diagnostics(self, lang: Language) -> list[str]:
        from kiosk.core.service.diagnostics import ContentStatus, diagnostic_lines
        from kiosk.core.service.memory import process_memory  # staff's diagnostics only (~1.5 ms)

        ring = recent_log.installed()
        # Stamped in the centre's time, as the content's time above them (the computer's
        # zone may be UTC: three hours off in Moscow).
        recent = ring.lines(self.content.settings.zone) if ring is not None else []
        status = ContentStatus(self.screen_sleep.with_problems(self._latest_content()),
                               self.content_version, self.content_loaded_at)
        return diagnostic_lines(lang, __version__, self.clock() - self.started,
                                process_memory(),
                                status, recent,
                                (self.width(), self.height()), self.safe_mode,
                                self.diagnostic_extra(), self.screen_sleep.report)

    def problem_lines(self, lang: Language) -> list[str]:
        from kiosk.core.service.diagnostics import problem_counts
        from kiosk.ui.video.view import with_clip_failures

        # Clips that did not play on screen are listed too (kiosk.ui.video.view).
        content = with_clip_failures(self._latest_content(), self.attract.failed_clips,
                                     self.stories.clip.failed, self.anniversary.clip.failed)
        content = self.screen_sleep.with_problems(content)  # closed_days dark for long
        problems = sorted(content.problems, key=lambda p: p.sort_key)
        if not problems:
            return [st("staff_no_problems", lang)]
        errors, warnings = problem_counts(content)
        return [st("staff_problems_count", lang, errors=errors, warnings=warnings), "",
                *(p.format(lang) for p in problems)]

    def _corner_tap(self, event: QEvent) -> None:
        """Feed a finger or button going down to the staff gesture. Every press from the
        screen passes the top-level QWindow once (then Qt hands it to the widget under it
        and its parents): counted there, a touch as its TouchBegin, not again as the mouse
        press Qt makes of it."""
        if isinstance(event, QTouchEvent):
            points = event.points()
            if not points:
                return
            where = points[0].position()
        elif isinstance(event, QMouseEvent) \
                and event.source() is Qt.MouseEventSource.MouseEventNotSynthesized:
            where = event.position()
        else:
            return
        if self.corner_taps.tap(where.x(), where.y(), self.corner_px(), self.clock(),
                                on_control=self._button_at(where.toPoint())):
            log.info("staff gesture: PIN pad")
            # After this tap has reached the screen under it, as an ordinary tap.
            QTimer.singleShot(0, self, self.open_pin_pad)

    def corner_px(self) -> int:
        """The staff gesture's corner: the page's margin left of Home, so that no tap on Home
        (at the margin) is in it."""
        return min(self.theme.px(CORNER_PX), self.theme.margin)

    def _button_at(self, where: QPoint) -> bool:
        widget = self.childAt(where)
        while widget is not None and widget is not self:
            if isinstance(widget, QAbstractButton) and widget.isEnabled():
                return True
            widget = widget.parentWidget()
        return False

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.allow_close:
            log.info("close refused: only staff can quit the kiosk")
            event.ignore()
            return
        self.lockdown.kiosk_geometry = None
        # Closed for good (staff quit, the program's end): nothing under it runs on.
        self.attract.stop()
        for timer in self.findChildren(QTimer):
            timer.stop()
        self.screen_sleep.close()
        super().closeEvent(event)

    # -- the session -----------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if self.screen_sleep.filter(watched, event):
            return True  # the touch that woke the screen: it does nothing else
        kind = event.type()
        if kind in PRESS_EVENTS and isinstance(watched, QWindow) \
                and watched == self.windowHandle():
            self._corner_tap(event)  # an echo counts too: staff tap the corner quickly
        if self._echo(watched, event):
            return True
        if kind in PRESENCE_EVENTS and isinstance(watched, QWidget) \
                and watched.window() is self:
            if watched is self.queue_banner and self.session.phase is Phase.ATTRACT:
                return False  # closing the banner does not open the menu under it
            if watched is self.notice_band and self.session.phase is Phase.ATTRACT:
                return False  # reading a notice does not start a visit
            self._touched()
        return False

    def _echo(self, watched: QObject, event: QEvent) -> bool:
        """True for a touch that is the echo of the tap before it (kiosk.core.gestures.
        SecondTap), swallowed whole; it still says somebody is here."""
        kind = event.type()
        if kind not in REST_OF_TOUCH:
            return False
        handle = self.windowHandle()
        if not (watched == handle if isinstance(watched, QWindow)
                else isinstance(watched, QWidget) and watched.window() is self):
            return False
        if self._echo_until is not None:
            if self.clock() < self._echo_until:
                if kind in TOUCH_ENDS and isinstance(watched, QWindow) \
                        and isinstance(event, QInputEvent):
                    self._echo_until = None
                    self._echo_ended = event.timestamp()
                return True
            self._echo_until = None  # a release that never came
        if kind == QEvent.Type.MouseButtonRelease and isinstance(event, QMouseEvent) \
                and event.source() is not Qt.MouseEventSource.MouseEventNotSynthesized \
                and event.timestamp() == self._echo_ended:
            return True  # the release Qt makes of the echo's touch end, after it
        if not isinstance(watched, QWindow) or not isinstance(event, QInputEvent):
            return False
        if kind in PRESS_EVENTS:
            if self.second_tap.press(event.timestamp()):
                log.info("a second tap on a screen the first one changed: ignored")
                self._echo_until = self.clock() + SWALLOW_S
                if self.session.phase is not Phase.ATTRACT:
                    self._touched()  # still somebody here; on attract it would open a screen
                return True
        elif kind in TOUCH_ENDS:
            self.second_tap.seen(event.timestamp())
        return False

    def _touched(self) -> None:
        outcome = self.session.touch(self.clock())
        if outcome is not None:
            self.session_event.emit(outcome)
        if outcome is SessionEvent.STARTED:
            self.session_timer.start()
            self._open_from_attract(self.attract.current_slide)
        elif outcome is SessionEvent.STAYED:
            self.second_tap.changed()  # what the question covered is under the finger now
            self.overlay.hide()
            self.queue_banner.set_compact(False)  # the earlier calls again

    def _tick(self) -> None:
        now = self.clock()
        if self.current_screen.holds_attention():
            self.session.hold(now)  # breathing with the calm minute: the visitor is here
        outcome = self.session.tick(now)
        if outcome is not None:
            self.session_event.emit(outcome)
        if outcome is SessionEvent.RESET:
            log.info("idle: visitor gone, back to attract")
            self.go_to_attract()
        elif self.session.phase is Phase.WARNING:
            # A call outranks the question, and the question moves below the call's band
            # where it has room there (the band covered it on landscape screens: the visitor
            # was never asked).
            banner = self.queue_banner
            banner.set_compact(True)
            self.overlay.clear_above = banner.geometry().bottom() + 1 \
                if banner.isVisible() else 0
            self.overlay.show_countdown(self.session.seconds_left(now), self.lang)
            if banner.isVisible():
                banner.raise_()

    # -- the screen's size and turn (kiosk.ui.service.screen_follow) -------------------------------

    def follow_screen(self, geometry: QRect) -> None:
        """The screen the kiosk fills turned, changed its size or scale, or was replaced:
        the window takes the new geometry (in kiosk mode the lockdown keeps it there from now
        on, never the one the kiosk started with) and every screen is laid out for it."""
        if self.lockdown.kiosk_geometry is not None:
            self.lockdown.follow(geometry)
        else:
            self.setGeometry(geometry)
        self.lay_out_for(geometry.width(), geometry.height())

    def lay_out_for(self, width: int, height: int) -> None:
        """Every screen built anew in a theme of `width` × `height` (its grid, its portrait or
        landscape layouts, its type at the screen's scale), as the large-text switch builds
        the visitor's: nothing of the old layout stays, and what was kept for the old size
        (rendered pictures and slides, prepared colouring pictures) goes with the old screens.
        The visitor stays where they were (a drawing comes back fitted to the new canvas,
        with nothing to undo); the attract loop goes on from its slide."""
        ratio = self.devicePixelRatioF()
        if (width, height, ratio) == (self.theme.width, self.theme.height, self._laid_out_ratio):
            return  # the same size and device pixels: nothing to do
        self._laid_out_ratio = ratio
        showing = self.stack.currentWidget()
        names = ("menu", "anniversary", "stories", "picker", "calm", "pin_pad", "staff",
                 "pattern")
        was = next((name for name in names if getattr(self, name) is showing), None)
        picture = self._colouring.picture if self._colouring is showing \
            and self._colouring is not None else None
        playlist, pins = self.attract.playlist, self.pin_pad.store
        self.attract.stop()
        if self.attract.player is not None:
            self.attract.player.terminate()
        for screen in self.screens:
            if screen is self._colouring:
                screen.reset()  # its work off the UI thread is cancelled
            self.stack.removeWidget(screen)
            screen.hide()
            screen.deleteLater()
        self.screens = []
        self._colouring = None
        self.overlay.hide()
        self.overlay.deleteLater()
        self.images.clear()
        high = self.theme.high_contrast
        self.theme = Theme(width, height)
        self._build_attract(self.theme)
        self.attract.set_content(self.content)
        if playlist is not None:
            self.attract.playlist = playlist  # the loop goes on where it was
        self._build_staff_screens(self.theme, pins)
        self.theme = self.theme.with_high_contrast(high)
        self._build_visitor_screens(self.theme)
        self.notice_band.set_theme(self.theme)
        self.queue_banner.set_theme(self.theme.with_high_contrast(False))
        log.info("laid out for %d×%d (%s)", width, height,
                 "portrait" if self.theme.portrait else "landscape")
        old = showing if isinstance(showing, Screen) else None
        if was is not None and was not in ("pin_pad", "staff", "pattern") and old is not None:
            again: Screen = getattr(self, was)
            again.carry_over(old)
            self.show_screen(again)
        elif was is not None:
            self.show_screen(getattr(self, was))
        elif picture is not None:
            self._colour(picture.id)
        else:
            self.show_screen(self.attract)
        if self.screen_sleep.asleep:  # nothing under the cover renders in the dark
            self.attract.stop()
            self.attract.hide()
            self.screen_sleep.cover.raise_()
        self.show_queue()  # the calls on the new attract screen, the banner above it
        self.laid_out.emit()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._prepare_ahead_soon()  # the colouring page's canvas is another size now
        if self.screens_built and self.overlay.isVisible():
            self.overlay.setGeometry(self.rect())
        if self.queue_banner.isVisible():
            self.queue_banner.show_calls(self.queue_banner.calls, self.lang)
