"""Start the kiosk: Qt application, fonts, the content read off the UI thread, and from the
first frame of content on, the qasync event loop."""

from __future__ import annotations

import contextlib
import ctypes
import linecache
import logging
import os
import signal
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from types import FrameType, TracebackType
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QEventLoop,
    QObject,
    QSocketNotifier,
    Qt,
    QThreadPool,
    QTimer,
    Signal,
    SignalInstance,
)
from PySide6.QtGui import QGuiApplication, QPixmapCache
from PySide6.QtWidgets import QApplication

from kiosk.core.content.imagesafe import keep_checks_in
from kiosk.core.content.index import ContentIndex, default_index_path, first_read_parses
from kiosk.core.content.loader import ParseCache, load_content
from kiosk.core.content.model import Content
from kiosk.core.content.problems import Language, problems_to_log
from kiosk.core.content.sandbox import shared_sandbox
from kiosk.core.machine import SettingsPath
from kiosk.core.paths import cache_dir
from kiosk.core.service import heap, recent_log
from kiosk.core.service.exit_codes import EXIT_OK
from kiosk.ui.resources import load_fonts, probe_image
from kiosk.ui.service.lockdown import CursorMode
from kiosk.ui.service.operations import Operations, Startup, start_operations

if TYPE_CHECKING:  # imported in start_kiosk, once the content is being read
    import asyncio

    from kiosk.ui.main_window import KioskWindow, PinSource

log = logging.getLogger(__name__)


M_MMAP_THRESHOLD = -3  # glibc's mallopt parameter number


def return_freed_pixmaps_to_the_system() -> None:
    """Each transition frees a full-screen pixmap (7 MB at 1080p). glibc raises its mmap
    threshold after such a free, so the next ones come from the heap and are not given back:
    PSS then climbs by ~15 MB in the first minute. A fixed 4 MB threshold keeps it flat, and
    keeps the colouring page's per-tap arrays (~1 MB at 1080p) on the heap, where reusing
    them is fast (at 1 MB each fill mapped fresh pages: 7 ms instead of 2)."""
    try:
        libc = ctypes.CDLL("libc.so.6")
        libc.mallopt(M_MMAP_THRESHOLD, 4 * 1024 * 1024)
    except (OSError, AttributeError):
        pass  # not glibc: nothing to tune


class ErrorCounter:
    """Exceptions nobody caught, logged and counted; the kiosk goes on where it was."""

    def __init__(self) -> None:
        self.count = 0

    def excepthook(self, kind: type[BaseException], value: BaseException,
                   trace: TracebackType | None) -> None:
        # PySide6 hands an exception raised in a slot or an event handler to sys.excepthook
        # and carries on; the default hook would only print it.
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, value, trace)
            return
        self.count += 1
        log.error("unhandled exception (the kiosk continues)", exc_info=(kind, value, trace))

    def thread_hook(self, args: threading.ExceptHookArgs) -> None:
        """A worker thread's: logged (Python's own hook would print it to stderr, where the
        journal takes each line of it for a message of its own, at info)."""
        if issubclass(args.exc_type, SystemExit):
            return
        self.count += 1
        name = args.thread.name if args.thread is not None else "?"
        log.error("unhandled exception in thread %s (the kiosk continues)", name,
                  exc_info=(args.exc_type, args.exc_value, args.exc_traceback)
                  if args.exc_value is not None else None)

    def loop_handler(self, loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
        """asyncio's: an exception in a task or callback nobody awaited."""
        self.count += 1
        error = context.get("exception")
        message = context.get("message", "")
        if isinstance(error, BaseException):
            log.error("unhandled exception in the event loop: %s (the kiosk continues)",
                      message, exc_info=(type(error), error, error.__traceback__))
        else:
            log.error("event loop error: %s (the kiosk continues)", message)


ERRORS = ErrorCounter()


def install_error_handlers(loop: asyncio.AbstractEventLoop | None = None) -> ErrorCounter:
    sys.excepthook = ERRORS.excepthook
    threading.excepthook = ERRORS.thread_hook
    if loop is not None:
        loop.set_exception_handler(ERRORS.loop_handler)
    recent_log.install()
    return ERRORS


def create_application() -> QApplication:
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication([])
    app.setApplicationName("kiosk")
    return_freed_pixmaps_to_the_system()
    # Qt's pixmap cache (10 MB by default) serves style drawing we hardly use; slides are
    # full-screen pixmaps of their own. Bounded small, it keeps an idle kiosk's memory flat.
    QPixmapCache.setCacheLimit(2048)
    load_fonts()
    return app


# The first frame needs only a few stories: with an index these take milliseconds to read
# whatever the folder holds. The reloader's first look then reads all of them (37,000 from the
# index: about a second, off the UI thread) and the attract loop fades to the whole
# collection at its next slide.
FIRST_STORIES = 200


def _load(root: Path, cache: ParseCache, machine: tuple[SettingsPath, ...] = (),
          centre: Path | None = None) -> Content:
    # Not inside long_lived_allocations(): its first full collection would hold up the window
    # being built meanwhile (~40 ms), for a few hundred objects. The reloader's first read of
    # the whole folder sets them aside with everything else.
    if cache.index is None:
        # Other folders' index files no kiosk used for a month go (the clock's time for it).
        cache.index = ContentIndex.open(default_index_path(root, centre=centre), root,
                                        now=time.time())
    return load_content(root, probe_image, cache=cache, story_limit=FIRST_STORIES,
                        machine=machine, centre=centre).warm()


class Stops(QObject):
    """What ends the kiosk: SIGTERM or SIGINT, the last window closed (windowed), staff's exit.
    Heard from the start on, through Qt's event loop (a nested one until the first frame,
    qasync's after it): a signal writes to a pipe Qt watches, and the request is made there,
    between two events, never in the middle of other Python code."""

    requested = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.status: int | None = None  # None: nobody asked yet
        self._signalled = False
        self._notifier: QSocketNotifier | None = None
        self._read_fd = self._write_fd = -1
        self._previous: dict[int, Any] = {}
        self._previous_fd = -1
        for sig in (signal.SIGTERM, signal.SIGINT):
            self._previous[sig] = signal.signal(sig, self._on_signal)

    def _on_signal(self, _number: int, _frame: FrameType | None) -> None:
        # Run by Python between two bytecodes of whatever runs: only noted here. Before the
        # event loop watches the pipe (`watch`), the start looks at it between its steps.
        self._signalled = True

    def watch(self) -> None:
        """From now on a signal wakes Qt's event loop (needs the QApplication)."""
        self._read_fd, self._write_fd = os.pipe2(os.O_NONBLOCK | os.O_CLOEXEC)
        self._previous_fd = signal.set_wakeup_fd(self._write_fd)
        self._notifier = QSocketNotifier(self._read_fd, QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._woken)
        self.check()

    def _woken(self) -> None:
        with contextlib.suppress(OSError):
            while os.read(self._read_fd, 64):
                pass
        self.check()

    def check(self) -> bool:
        """Has anything asked to stop? (A signal that came meanwhile asks now.)"""
        if self._signalled:
            self._signalled = False
            self.request()
        return self.status is not None

    def request(self, status: int | None = None) -> None:
        """Stop with this status (staff's exit or restart), or as asked before (EXIT_OK)."""
        if status is not None:
            self.status = status
        elif self.status is None:
            self.status = EXIT_OK
        self.requested.emit()

    def close(self) -> None:
        """Signals as they were before (tests and benchmarks run more in this process)."""
        for sig, handler in self._previous.items():
            signal.signal(sig, handler)
        if self._notifier is not None:
            self._notifier.setEnabled(False)
            signal.set_wakeup_fd(self._previous_fd)
            os.close(self._read_fd)
            os.close(self._write_fd)
            self._notifier = None


class FirstRead(QObject):
    """The content read in a thread of its own (starting now) while the window is built;
    `done` comes in the UI thread."""

    done = Signal()

    def __init__(self, root: Path, cache: ParseCache, machine: tuple[SettingsPath, ...] = (),
                 centre: Path | None = None) -> None:
        super().__init__()
        self.cache = cache
        self.content: Content | None = None
        self.error: BaseException | None = None
        self.finished = False
        self.reader = threading.Thread(target=self._read, args=(root, cache, machine, centre),
                                       name="first-read")
        self.reader.start()

    def _read(self, root: Path, cache: ParseCache, machine: tuple[SettingsPath, ...],
              centre: Path | None) -> None:
        try:
            self.content = _load(root, cache, machine, centre)
        except BaseException as error:  # raised again in the UI thread (start_kiosk)
            self.error = error
        self.finished = True
        self.done.emit()

    def result(self) -> Content:
        if self.error is not None:
            error, self.error = self.error, None
            raise error
        assert self.content is not None
        return self.content


def wait_until(done: Callable[[], bool], signals: tuple[SignalInstance, ...],
               most: float | None = None) -> None:
    """Run Qt's events (a nested event loop: no asyncio before the first frame) until `done()`,
    looked at whenever one of `signals` comes, or `most` seconds have passed."""
    loop = QEventLoop()

    def look() -> None:
        if done():
            loop.quit()

    for signal_ in signals:
        # Queued: the content's comes from the reading thread.
        signal_.connect(look, Qt.ConnectionType.QueuedConnection)
    timer: QTimer | None = None
    if most is not None:
        timer = QTimer()
        timer.setSingleShot(True)
        # A Python slot: PySide keeps ~100 B for good per connection to a C++ method.
        timer.timeout.connect(lambda: loop.quit())
        timer.start(round(most * 1000))
    try:
        if not done():
            loop.exec()
    finally:
        if timer is not None:
            timer.stop()
        for signal_ in signals:
            # RuntimeError: its sender was deleted meanwhile (the stage, at a turn).
            with contextlib.suppress(RuntimeError):
                signal_.disconnect(look)


def next_frame(window: KioskWindow, stops: Stops | None = None, most: float = 1.0) -> None:
    """Until the window has painted its first frame of content: the attract loop's first
    slide whole (not the neutral screen kept on show while that slide's pictures come), or
    the black cover's of a screen asleep (at most `most` seconds, should neither paint: a
    window nobody shows), or until something asks the kiosk to stop."""
    attract = window.attract
    ended = shown = False

    def end() -> None:
        nonlocal ended
        ended = True

    def painted() -> None:
        # Painted, not only rendered: the slide may be ready before the window's first paint.
        nonlocal shown
        shown = shown or attract.pictures_shown

    # A turn (laid_out) rebuilds the screens, deleting the stage: that ends the wait too.
    enders = (window.screen_sleep.cover.painted, window.laid_out)
    for signal_ in enders:
        signal_.connect(end)
    attract.stage.painted.connect(painted)
    try:
        wait_until(lambda: ended or shown or (stops is not None and stops.check()),
                   (attract.stage.painted, *enders,
                    *((stops.requested,) if stops is not None else ())), most)
    finally:
        for signal_, slot in ((attract.stage.painted, painted),
                              *((signal_, end) for signal_ in enders)):
            with contextlib.suppress(RuntimeError):
                signal_.disconnect(slot)


def log_problems(content: Content, before: Content | None = None,
                 logger: logging.Logger = log) -> None:
    """The content's problems, in the log: only those the last load (`before`) did not have
    (each reload would write the whole list again), and at most MAX_LOGGED of them."""
    new, more, unchanged = problems_to_log(content.problems,
                                           before.problems if before is not None else ())
    for problem in new:
        level = logging.ERROR if problem.is_error else logging.WARNING
        logger.log(level, "%s", problem.format("en"))
    if more:
        logger.warning("… and %d more problems not logged: run `kiosk check` for the list", more)
    if unchanged:
        logger.info("%d problems as at the last load (not logged again)", unchanged)


# The window is shown once the content is read and the first slide's pictures decoded (the
# first frame is then that slide, whole), or this long after the read starts, whichever comes
# first: then the neutral screen shows until they come, as before. A start with nothing
# changed gets there in ~45 ms here (the window's imports, the read, a 1080p JPEG), so this
# covers a PC three times slower; a slow read (a first start of 37,000 stories: seconds)
# shows the neutral screen at most ~0.1 s later than it would be without this wait.
FIRST_SHOW_WAIT_S = 0.15


class Started:
    """What the start made by its first frame of content, for the rest of the run. (A plain
    class: a dataclass costs ~1 ms of the start to make.)"""

    def __init__(self, window: KioskWindow, ops: Operations | None, read: FirstRead,
                 content: Content | None) -> None:
        self.window = window
        self.ops = ops
        self.read = read
        self.content = content  # None: asked to stop before the content was read


def first_content(read: FirstRead, lang: Language | None) -> Content:
    """The content read, its problems logged, in the language asked (`--lang`)."""
    content = read.result()
    log_problems(content)
    return replace(content, settings=content.settings.with_language(lang))


def start_kiosk(content_dir: Path, windowed: bool, size: tuple[int, int] | None,
                lang: Language | None, stops: Stops,
                on_window: Callable[[KioskWindow], None] | None = None,
                startup: Startup | None = None,
                pins: PinSource = None,
                cursor: CursorMode = CursorMode.AUTO,
                machine: tuple[SettingsPath, ...] = (),
                centre: Path | None = None) -> Started:
    """The window, the content read and shown, up to its first painted frame: plain Qt, its
    events run by nested event loops (asyncio and qasync, ~25 ms of imports, come after it).
    Returns sooner if something asks the kiosk to stop meanwhile (`stops`)."""
    # What checking each drawing gave is kept for the next start (kiosk.core.content.imagesafe): one
    # with nothing changed imports no XML parser (~5 ms) before its first frame.
    keep_checks_in(cache_dir() / "drawings")
    cache = ParseCache()
    # Reading and decoding the folder starts first and runs while the window is built.
    # Shared with the reloader, and kept on disk: a reload or a restart re-reads only what
    # changed. `machine`: the settings files of this computer, over the content's.
    read = FirstRead(content_dir, cache, machine, centre)
    show_by = time.monotonic() + FIRST_SHOW_WAIT_S
    # The window's modules are imported while it reads (~50 ms: the reading mostly waits on
    # the sandbox child, and lets this thread run meanwhile).
    from kiosk.ui.main_window import KioskWindow
    from kiosk.ui.service.screen_follow import ScreenFollower
    from kiosk.ui.theme import Theme

    if centre is not None and not centre.is_dir():
        log.info("the centre's own folder %s is not there (yet): showing head office's "
                 "content only; its items appear once it is made", centre)
    screen = QGuiApplication.primaryScreen().geometry()
    width, height = size or (screen.width(), screen.height())
    # The read ends sooner if this thread waits for it (the GIL): ~8 ms of CPU, which took
    # 25–45 ms beside the window's building and the neutral screen's paint.
    wait_until(lambda: read.finished or stops.check(), (read.done, stops.requested),
               max(0.0, show_by - time.monotonic()))
    # The neutral branded screen shows while the content loads (never a black frame), when
    # the window is shown before it is read (AttractScreen.neutral_when_shown). The screens
    # other than attract are built just after the first frame of content (run_kiosk).
    window = KioskWindow(Theme(width, height), Content(content_dir), pins=pins,
                         defer_screens=True)
    window.decode_photos_in_background()  # a phone's photo never freezes a tap
    ops = Operations(window, startup.config, startup.guard, startup.decision, startup.logs) \
        if startup is not None else None
    if startup is not None and startup.decision is not None:
        window.safe_mode = (startup.decision.safe_mode, startup.decision.reason("ru"))

    def queue_health() -> list[str]:
        if window.queue is None:
            return []
        return [window.queue.follower.health(window.clock()).describe(window.lang)]

    window.diagnostic_extra = queue_health  # the staff diagnostics screen shows it
    window.exit_requested.connect(stops.request)
    window.visitor_left.connect(lambda: heap.release_freed_memory())
    if on_window is not None:
        on_window(window)
    if stops.check():
        return Started(window, ops, read, None)
    content: Content | None = None
    if read.finished:
        # Read in time: the first slide's pictures are decoded while the opening hours are
        # looked at and the slide's words rendered (the attract screen, at the wait's first
        # turn), and the window shows that slide whole (or the dark cover) as its first frame,
        # or the neutral screen should the pictures be late (show_by).
        content = first_content(read, lang)
        window.set_content(content)
        window.screen_sleep.start()  # a start at night: the cover is the first frame
        photos = window.images.photos
        assert photos is not None
        wait_until(lambda: not window.attract.waits_unseen or stops.check(),
                   (photos.ready, stops.requested), max(0.0, show_by - time.monotonic()))
        if stops.check():
            return Started(window, ops, read, None)
    if windowed:  # trying it out at a desk: the window may be closed
        window.allow_close = True
        window.resize(width, height)
        window.show()
    else:
        window.lockdown.enter_kiosk_mode(screen)  # full screen, on top, and kept so
        # The screen turned, changed or was replaced: the window and its layouts follow.
        ScreenFollower(window).changed.connect(window.follow_screen)
        if window.lockdown.hide_cursor(cursor):
            log.info("touch screen: the mouse cursor is hidden")

    if content is None:  # a slow read: the neutral screen shows meanwhile
        wait_until(lambda: read.finished or stops.check(), (read.done, stops.requested))
        if stops.check():
            return Started(window, ops, read, None)
        content = first_content(read, lang)
        window.set_content(content)
        # Dark outside opening hours (kiosk.ui.service.sleep): its first look comes at the event
        # loop's next turn (measured: before the first frame of content is painted).
        QTimer.singleShot(0, window, window.screen_sleep.start)
    # What can wait comes once that frame is on screen: the screens other than attract (a
    # touch before builds them at once: KioskWindow.build_screens), the event loop, the queue,
    # the reloader and its watcher: ~90 ms with their imports, which the first frame no
    # longer waits for.
    next_frame(window, stops)
    if ops is not None:
        ops.startup_done()  # the status file, written at the screen's first look: now
    return Started(window, ops, read, content)


async def run_kiosk(started: Started, stops: Stops, content_dir: Path, lang: Language | None,
                    machine: tuple[SettingsPath, ...] = (),
                    centre: Path | None = None) -> int:
    """From the first frame of content on, until SIGTERM/SIGINT or staff end it; returns the
    exit status. `centre`: the centre's own folder, shown beside `content_dir`
    (kiosk.core.content.merge)."""
    import asyncio

    install_error_handlers(asyncio.get_running_loop())
    window, ops, content = started.window, started.ops, started.content
    assert content is not None
    from kiosk.core.service.diagnostics import content_version, settings_lines

    for line in settings_lines(content.settings, "en", missing=False):
        log.info("%s", line)  # the settings files of this computer that were read
    finished = asyncio.Event()
    stops.requested.connect(finished.set)
    if stops.check():
        finished.set()
    window.build_screens()
    if ops is not None and ops.config.state_dir is not None:
        from kiosk.core.paths import prepared_pictures

        # The colouring pictures are prepared in the loop, not when a child picks one.
        window.keep_colouring_prepared(prepared_pictures(ops.config.state_dir))
    window.follow_queue(content)
    window.content_loaded_at = window.local_now()
    from kiosk.ui.service.reloader import ContentReloader

    # The reloader's first look at the folder (a stat of every file: 0.3 s for 37,000
    # stories) comes after the first frame, and the content is checked against it then.
    reloader = ContentReloader(content_dir, content, None, probe_image, started.read.cache,
                               parent=window, machine=machine, centre=centre)
    window.reload_requested.connect(reloader.reload_now)
    reloader.settled.connect(lambda seen: setattr(window, "content_version",
                                                  content_version(seen)))
    if lang is not None:
        reloader.changed.connect(lambda new: window.update_content(replace(
            new, settings=new.settings.with_language(lang))))
    else:
        reloader.changed.connect(window.update_content)
    # The queue follows kiosk.yaml at once, even while a visitor holds back the new content.
    reloader.changed.connect(window.follow_queue)
    reloader.start()
    # Asleep outside opening hours: the folder is looked at less often (inotify still tells).
    window.screen_sleep.changed.connect(lambda report: reloader.set_asleep(not report.on))
    reloader.set_asleep(window.screen_sleep.asleep)
    if ops is not None:
        # What is on screen is known once the reloader has read the folder (a second after
        # start): only then can it count as the last content that worked.
        reloader.settled.connect(ops.content_shown)
    # PySide6's import hook read the source of every module imported after it into
    # linecache (about 3 MB); nothing needs it unless a traceback is printed.
    linecache.clearcache()
    log.info("showing %d pages, %d stories, %d colouring pictures from %s",
             len(content.pages), len(content.stories), len(content.colouring), content_dir)
    await finished.wait()
    reloader.stop()
    return shut_down(window, ops, stops)


def shut_down(window: KioskWindow, ops: Operations | None, stops: Stops) -> int:
    """The end of a run, however far the start got; returns the exit status."""
    window.stop_queue()
    # A look at the folder, a picture being prepared or the status file being written may
    # still run in the pool: let it end before Python does, so exiting never races a worker
    # thread, and before the last status is written (a write started just before, by the
    # screen turning on at the first frame, landed after it: "up" again).
    QThreadPool.globalInstance().waitForDone(3000)
    if ops is not None:
        ops.shutdown()
    window.allow_close = True
    window.close()
    status = stops.status if stops.status is not None else EXIT_OK
    log.info("exiting with status %d", status)
    return status


def run(content_dir: Path, windowed: bool = False, size: tuple[int, int] | None = None,
        lang: Language | None = None,
        on_window: Callable[[KioskWindow], None] | None = None,
        state_dir: Path | None = None, status_file: Path | None = None,
        pins: PinSource = None, cursor: CursorMode = CursorMode.AUTO,
        log_level: int = logging.INFO,
        machine: tuple[SettingsPath, ...] = (), centre: Path | None = None) -> int:
    """Show the kiosk until it is told to stop; returns its exit status. An exception that
    gets out of here ends the process: kiosk.cli logs it and exits EXIT_CRASH."""
    # The child that parses content files starts its imports now, on the other core, while
    # this process builds the window (kiosk.core.content.sandbox), when the first read will parse:
    # with an index, a start with nothing changed parses no file (kiosk.core.content.kept), and the
    # child starts only if a file did change.
    if first_read_parses(content_dir, centre=centre):
        shared_sandbox().prestart()
    # SIGTERM from here on is a clean exit (the crash guard's start is recorded next).
    stops = Stops()
    try:
        startup = start_operations(content_dir, state_dir, status_file, log_level=log_level)
        if centre is not None and startup.decision is not None and startup.decision.safe_mode:
            # The copy of the last content that worked is head office's folder alone; the
            # centre's folder may be what brought the kiosk down.
            log.warning("safe mode: the centre's own folder %s is not read", centre)
            centre = None
        app = create_application()
        app.setQuitOnLastWindowClosed(False)  # the kiosk decides when the program ends
        app.lastWindowClosed.connect(stops.request)
        stops.watch()
        install_error_handlers()  # exceptions in slots during the start: logged, as after it
        started = start_kiosk(startup.config.content_dir, windowed, size, lang, stops,
                              on_window, startup, pins, cursor, machine, centre)
        heap.resume_collections()  # paused by kiosk.cli for the start
        if stops.check():  # asked to stop before the first frame
            started.read.reader.join()  # as it would be at exit, but with Qt still there
            return shut_down(started.window, started.ops, stops)
        from kiosk.ui.no_tls import ssl_missing

        with ssl_missing():  # asyncio without TLS: no OpenSSL in the kiosk's process
            import asyncio

            import qasync

        with asyncio.Runner(loop_factory=lambda: qasync.QEventLoop(app)) as runner:
            return runner.run(run_kiosk(started, stops, startup.config.content_dir, lang,
                                        machine, centre))
    finally:
        stops.close()
