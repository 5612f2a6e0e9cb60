"""The kiosk's unattended duties, driven from the Qt event loop: systemd readiness and watchdog
pings, the Prometheus status file, usage statistics, and the crash guard's good-run mark and
copy of the last content that worked. The decisions and file formats are kiosk.core's; this
only times them."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, QTimer

from kiosk import __version__
from kiosk.core import paths
from kiosk.core.files import write_atomic
from kiosk.core.service.logsetup import Logging
from kiosk.core.service.safemode import CrashGuard, Decision
from kiosk.core.service.sdnotify import Notifier, watchdog_interval
from kiosk.ui.background import Background

if TYPE_CHECKING:  # kiosk.ui.app starts reading the content before it imports the window
    # The status file's and the folder's look: imported where used, after the first frame.
    from kiosk.core.content.reload import Fingerprint
    from kiosk.core.service.stats import StatsWriter
    from kiosk.core.service.status import Status
    from kiosk.ui.main_window import KioskWindow
    from kiosk.ui.service.stats_recorder import StatsRecorder

log = logging.getLogger(__name__)

STATUS_INTERVAL_MS = 30_000


@dataclass
class OpsConfig:
    """Where this run keeps its state, status and content folders."""

    state_dir: Path | None  # None: it could not be made; run without files of our own
    status_file: Path | None
    content_dir: Path  # the folder shown (the safe-mode copy in safe mode)
    live_content_dir: Path  # the folder staff edit


class Operations(QObject):
    def __init__(self, window: KioskWindow, config: OpsConfig, guard: CrashGuard | None,
                 decision: Decision | None, logs: Logging | None,
                 notifier: Notifier | None = None,
                 clock: Callable[[], float] = time.monotonic,
                 wall: Callable[[], float] = time.time) -> None:
        super().__init__(window)
        self.window = window
        self.config = config
        self.guard = guard
        self.decision = decision
        self.logs = logs
        self.notifier = notifier if notifier is not None else Notifier()
        self.clock = clock
        self.wall = wall
        self.started = clock()
        self.loaded_from: Fingerprint | None = None  # the folder on screen, set by the app
        self.loaded_at = clock()
        self.ready_sent = False
        self.status_writes = 0
        self.worker = Background(self)
        self._writing = False
        # Why the status file is not being written (a full or read-only disk), said once:
        # a warning every 30 s filled the staff diagnostics' 20 recent problems in ten minutes.
        self._status_failure: tuple[str, int | None] | None = None
        self.snapshots = Background(self)
        self._saving = False

        # Usage statistics start once the first frame is on screen (`startup_done`), or at a
        # visitor's first touch if that comes sooner: before either there is nothing to count,
        # and the first frame does not wait for their imports and thread (~2.5 ms).
        self.stats: StatsWriter | None = None
        self.recorder: StatsRecorder | None = None
        if config.state_dir is not None:
            window.session_event.connect(self._touched_before_stats,
                                         Qt.ConnectionType.SingleShotConnection)

        # READY=1 at the first frame: from then on the screen is never black.
        window.attract.stage.painted.connect(self._first_frame,
                                             Qt.ConnectionType.SingleShotConnection)
        # … or the black of a screen asleep, for a start outside opening hours.
        window.screen_sleep.cover.painted.connect(self._first_frame,
                                                  Qt.ConnectionType.SingleShotConnection)
        # The status file says at once when the screen turns on or off; the first look, made
        # before the first frame of content, once the start is over (`startup_done`): ~3 ms that
        # frame need not wait for.
        self._starting = True
        self._tick_when_started = False
        window.screen_sleep.changed.connect(self._screen_changed)
        self.watchdog = QTimer(self)
        interval = watchdog_interval()
        if interval is not None and self.notifier.enabled:
            # From the event loop, not a thread: a hung UI must stop the pings.
            self.watchdog.setInterval(max(50, round(interval * 1000)))
            self.watchdog.timeout.connect(self.notifier.watchdog)
            self.watchdog.start()
            self.notifier.watchdog()
        self.status_timer = QTimer(self)
        self.status_timer.setInterval(STATUS_INTERVAL_MS)
        self.status_timer.timeout.connect(self.tick)
        self.status_timer.start()
        if guard is not None:
            # Precise: a coarse timer may fire up to 5 % early, before the run counts as good.
            # A little late, so the content loaded just after start has been up as long.
            self.good_timer = QTimer(self)
            self.good_timer.setSingleShot(True)
            self.good_timer.setTimerType(Qt.TimerType.PreciseTimer)
            self.good_timer.setInterval(round(guard.good_after * 1050) + 500)
            self.good_timer.timeout.connect(self.tick)
            self.good_timer.start()

    @property
    def safe_mode(self) -> bool:
        return self.decision is not None and self.decision.safe_mode

    def _first_frame(self) -> None:
        if self.ready_sent:
            return
        self.ready_sent = True
        self.notifier.ready("showing the kiosk" + (" in SAFE MODE" if self.safe_mode else ""))

    def _screen_changed(self, _report: object) -> None:
        if self._starting:
            self._tick_when_started = True
        else:
            self.tick()

    def start_stats(self) -> None:
        """Count what visitors use from now on (once; nothing without a state folder)."""
        if self.stats is not None or self.config.state_dir is None:
            return
        from kiosk.core.service.stats import StatsStore, StatsWriter
        from kiosk.ui.service.stats_recorder import StatsRecorder

        self.stats = StatsWriter(StatsStore(paths.stats_db(self.config.state_dir)))
        self.recorder = StatsRecorder(self.window, self.stats.record)

    def _touched_before_stats(self, outcome: object) -> None:
        if self.stats is None:
            self.start_stats()
            assert self.recorder is not None
            # The recorder hears the window from the next event on: this one is counted here.
            self.recorder.session(outcome)

    def startup_done(self) -> None:
        """The start is over: its first frame of content (or the dark cover) is on screen."""
        self.start_stats()
        self._starting = False
        if self._tick_when_started:
            self._tick_when_started = False
            self.tick()

    def content_shown(self, loaded_from: Fingerprint | None) -> None:
        """The window shows content read from this folder state (at start or a reload)."""
        self.loaded_from = loaded_from
        self.loaded_at = self.clock()
        # Soon, not now: the first frames of new content come first.
        QTimer.singleShot(1000, self, self.tick)

    # -- every 30 s -----------------------------------------------------------------------

    def status(self, up: bool = True) -> Status:
        from kiosk.core.service.memory import process_memory
        from kiosk.core.service.status import Status, short_hash

        content = self.window.content
        session = self.window.session
        last_touch = (self.wall() - (self.clock() - session.last_touch)
                      if session.last_touch > 0 else None)
        decision = self.decision
        return Status(
            version=__version__, uptime_seconds=self.clock() - self.started,
            content_release=Path(self.config.content_dir).resolve().name,
            content_fingerprint=short_hash(self.loaded_from) if self.loaded_from else "",
            content_errors=sum(p.is_error for p in content.problems),
            content_warnings=sum(not p.is_error and not p.is_consequence
                                 for p in content.problems),
            memory=process_memory(), last_touch_timestamp=last_touch,
            restarts_total=decision.restarts_total if decision else 0,
            crashes_total=decision.crashes_total if decision else 0,
            safe_mode=self.safe_mode,
            log_write_errors_total=self.logs.file_failures if self.logs else 0,
            stats_write_errors_total=self.stats.store.errors if self.stats else 0,
            pin=pins.counts(self.wall()) if (pins := self.window.pin_store) else None,
            up=up, screen=self.window.screen_sleep.report)

    def tick(self) -> None:
        self._check_good_run()
        if self.config.status_file is None or self._writing:
            return
        from kiosk.core.service.status import render

        text = render(self.status())  # cheap, on the UI thread; the fsync is not
        path = self.config.status_file
        self._writing = True
        self.worker.run(lambda: write_atomic(path, text), self._written)

    def _written(self, result: Any) -> None:
        self._writing = False
        if isinstance(result, Exception):
            # By its kind, not its text: that names the writing thread's temporary file.
            failure = (type(result).__name__, getattr(result, "errno", None))
            if failure != self._status_failure:
                log.warning("status file %s not written: %s (said again once it is written, "
                            "or fails otherwise)", self.config.status_file, result)
            self._status_failure = failure
        else:
            if self._status_failure is not None:
                log.info("status file %s is written again", self.config.status_file)
                self._status_failure = None
            self.status_writes += 1

    def _check_good_run(self) -> None:
        guard = self.guard
        if guard is None:
            return
        now = self.clock()
        if guard.due(now - self.started):
            guard.mark_good()
            log.info("running for %.0f s: this start counts as good", now - self.started)
        # The content on screen has stayed up long enough: keep a copy as the last that
        # worked (never in safe mode, which shows that copy).
        if (guard.marked and not self.safe_mode and self.loaded_from is not None
                and now - self.loaded_at >= guard.good_after):
            # The folder's part alone: what the copy is checked against (the look also holds
            # the centre's folder and this computer's settings files, which are not copied).
            from kiosk.core.content.reload import folder_fingerprint
            from kiosk.core.service.status import short_hash

            expected = short_hash(folder_fingerprint(self.loaded_from))
            if expected != guard.snapshot_fingerprint and not self._saving:
                self._saving = True
                source, wall = self.config.live_content_dir, self.wall()
                self.snapshots.run(lambda: guard.save_snapshot(source, expected, wall),
                                   self._saved)

    def _saved(self, result: Any) -> None:
        self._saving = False
        if isinstance(result, Exception):
            log.error("the last content that worked was not saved: %s", result)

    # -- the end ---------------------------------------------------------------------------

    def shutdown(self) -> None:
        """A clean exit: tell systemd, mark the start clean, write the last status."""
        self.notifier.stopping()
        self.watchdog.stop()
        self.status_timer.stop()
        if self.guard is not None:
            self.guard.mark_clean_exit()
        if self.stats is not None:
            self.stats.close()
        if self.config.status_file is not None:
            from kiosk.core.service.status import render

            try:
                write_atomic(self.config.status_file, render(self.status(up=False)))
            except OSError as exc:
                log.warning("status file %s not written: %s", self.config.status_file, exc)
        self.notifier.close()


@dataclass
class Startup:
    """What is decided before the window exists: where state goes, logging, safe mode."""

    config: OpsConfig
    guard: CrashGuard | None
    decision: Decision | None
    logs: Logging | None


def start_operations(content_dir: Path, state_dir: Path | None = None,
                     status_file: Path | None = None,
                     wall: Callable[[], float] = time.time,
                     log_level: int = logging.INFO) -> Startup:
    """Resolve the state folder, start logging to it, record this start and pick the content
    folder (the last content that worked, in safe mode). Never raises for a bad folder."""
    from kiosk.core.service.logsetup import setup_logging

    state = paths.state_dir(state_dir)
    usable = paths.ensure_state_dir(state)
    logs = setup_logging(paths.log_dir(state) if usable else None, log_level)
    if not usable:
        log.error("state folder %s unusable: no statistics, file logs or safe mode", state)
    guard = decision = None
    shown = content_dir
    if usable:
        guard = CrashGuard(paths.starts_file(state), paths.last_good_content(state))
        decision = guard.start(wall())
        if decision.safe_mode and decision.snapshot is not None:
            shown = decision.snapshot
    if status_file is not None and not status_file.parent.is_dir():
        # As the units' «ReadWritePaths=-…» leave out a folder that is not there (no
        # node_exporter installed): the file goes to the state folder, said once, not at
        # every write.
        moved = paths.status_file(state) if usable else None
        log.warning("status file folder %s does not exist: %s", status_file.parent,
                    f"writing {moved} instead" if moved else "no status file")
        status_file = moved
    if status_file is None and usable:
        status_file = paths.status_file(state)
    log.info("state folder %s%s", state, "" if usable else " (unusable)")
    config = OpsConfig(state if usable else None, status_file, shown, content_dir)
    return Startup(config, guard, decision, logs)
