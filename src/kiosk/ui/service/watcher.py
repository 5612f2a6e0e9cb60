"""Tells the reloader at once when anything under the content folder changes (inotify, through
watchdog), so a change is seen within a second however large the folder; polling stays as the
safety net for what inotify misses (network shares, some sync tools)."""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal

log = logging.getLogger(__name__)


class FolderWatcher(QObject):
    """Emits `nudged` (on the Qt thread) when something changes under `root`, or when the
    `root` link itself is replaced (a release flip)."""

    nudged = Signal()
    # Emitted from watchdog's thread; Qt queues it to this object's thread.
    _event = Signal()

    def __init__(self, root: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.root = root
        self.watching: str | None = None  # the real folder watched, None: polling only
        self._observer: Any = None
        self.events_handled = 0  # by watchdog's thread (diagnostics, tests)
        self._event.connect(self.nudged)

    def start(self) -> bool:
        """Watch the folder where the link points now; False if inotify is not available."""
        self.stop()
        real = os.path.realpath(self.root)
        try:
            from watchdog import events as kinds
            from watchdog.events import FileSystemEvent, FileSystemEventHandler
            from watchdog.observers import Observer

            event = self._event
            link_name = os.path.basename(os.path.abspath(self.root))
            watcher = self

            # What changes a folder: not a file opened or closed unwritten. Asked of inotify
            # itself (watchdog builds its mask from the filter), so the kiosk's own reads of
            # content (37,000 stories: two events each) never wake this thread.
            changes = [kinds.FileCreatedEvent, kinds.FileDeletedEvent, kinds.FileModifiedEvent,
                       kinds.FileMovedEvent, kinds.FileClosedEvent, kinds.DirCreatedEvent,
                       kinds.DirDeletedEvent, kinds.DirModifiedEvent, kinds.DirMovedEvent]

            class Inside(FileSystemEventHandler):
                def on_any_event(self, change: FileSystemEvent) -> None:
                    watcher.events_handled += 1
                    event.emit()

            class Link(FileSystemEventHandler):
                def on_any_event(self, change: FileSystemEvent) -> None:
                    watcher.events_handled += 1
                    paths = (change.src_path, getattr(change, "dest_path", ""))
                    if any(os.path.basename(os.fsdecode(p)) == link_name for p in paths if p):
                        event.emit()

            observer = Observer()
            observer.daemon = True
            observer.schedule(Inside(), real, recursive=True, event_filter=changes)
            parent = os.path.dirname(os.path.abspath(self.root))
            observer.schedule(Link(), parent, recursive=False, event_filter=changes)
            observer.start()
        except Exception as exc:  # no inotify, too many watches, folder gone: poll instead
            log.info("content folder not watched (%s): polling only", exc)
            return False
        self._observer = observer
        self.watching = real
        return True

    def stop(self) -> None:
        if self._observer is not None:
            self._observer.stop()
            self._observer.join(timeout=2)
        self._observer = None
        self.watching = None
