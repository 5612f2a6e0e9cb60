"""A page's or story's clip (`video:`), played where its picture goes on the card: looped,
muted, from its first frame over the picture (or the emblem) shown until then. Nothing plays
while its screen is not on show; leaving the screen stops it, coming back starts it over.

This module loads no player: the first clip to show makes one (kiosk.ui.video.player, with
libmpv), and content without clips ends it. A clip that does not play is logged and the
picture stays.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QPointF, QRect
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QWidget

from kiosk.core.content.model import Content
from kiosk.core.content.problems import Problem, Severity
from kiosk.ui.hidpi import logical_size, ratio_of

if TYPE_CHECKING:
    from kiosk.ui.video.player import VideoPlayer

log = logging.getLogger(__name__)


class ClipView(QWidget):
    """Lies over `card`'s picture box (`area()` gives it); shown from the clip's first frame.
    `screen` is the screen the card is on: its showing and hiding start and stop the clip."""

    def __init__(self, card: QWidget, screen: QWidget, area: Callable[[], QRect],
                 paper: str, picture: QWidget | None = None) -> None:
        super().__init__(card)
        # The picture the clip plays over: hidden (a card's later pages on a 5:4 screen), the
        # clip stops with it, and starts over when it shows again.
        self._picture = picture
        self._picture_hidden = picture is not None and picture.isHidden()
        if picture is not None:
            picture.installEventFilter(self)
        self._area = area  # where the picture is on the card
        self.paper = QColor(paper)
        self.clip: Path | None = None
        self.player: VideoPlayer | None = None
        self.failed: dict[Path, str] = {}
        self.hide()
        screen.installEventFilter(self)
        card.installEventFilter(self)
        self._screen = screen
        self._card = card

    def show_clip(self, clip: Path | None) -> None:
        """The item on the card changed: its clip (or none) replaces what played."""
        if clip == self.clip and (self.player is None or self.player.playing or clip is None):
            return
        self.clip = clip
        self._stop()
        self._start()

    def forget(self, has_clips: bool) -> None:
        """New content: clips that failed are tried again; without clips the player ends."""
        self.failed.clear()
        self.show_clip(None)
        if not has_clips and self.player is not None:
            self.player.terminate()
            self.player.deleteLater()
            self.player = None

    # -- playing -----------------------------------------------------------------------------

    def _start(self) -> None:
        clip = self.clip
        if clip is None or clip in self.failed or not self._screen.isVisible():
            return
        if self._picture is not None and self._picture.isHidden():
            return
        player = self._ensure_player()
        if player is None:
            return
        rect = self._area()
        self.setGeometry(rect)
        player.play(clip, rect.size(), loop=True, ratio=ratio_of(self))

    def _stop(self) -> None:
        if self.player is not None:
            self.player.stop()
        self.hide()

    def _ensure_player(self) -> VideoPlayer | None:
        if self.player is None:
            from kiosk.ui.video.player import open_player

            opened = open_player(self)
            if isinstance(opened, str):
                if self.clip is not None:
                    self.failed[self.clip] = opened
                return None
            self.player = opened
            self.player.first_frame.connect(self._first_frame)
            self.player.frame.connect(self.update)
            self.player.finished.connect(self._finished)
        return self.player

    def _first_frame(self) -> None:
        self.show()
        self.raise_()
        self.update()

    def _finished(self, reason: str) -> None:
        """A looped clip ends only when it fails: the picture stays, the clip is not tried
        again for this content."""
        if self.clip is not None:
            log.warning("clip %s skipped: %s", self.clip, reason)
            self.failed[self.clip] = reason
        self.hide()

    # -- Qt ----------------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if watched is self._screen and kind == QEvent.Type.Hide:
            self._stop()
        elif watched is self._screen and kind == QEvent.Type.Show:
            self._stop()
            self._start()
        elif watched is self._picture and kind in (QEvent.Type.Hide, QEvent.Type.Show):
            # Only the picture's own hiding counts, not its screen's (handled above).
            hidden = self._picture is not None and self._picture.isHidden()
            if hidden != self._picture_hidden:
                self._picture_hidden = hidden
                self._stop()
                if not hidden:
                    self._start()
        elif watched is self._card and kind == QEvent.Type.Resize:
            rect = self._area()
            self.setGeometry(rect)
            if self.player is not None and self.player.playing:
                self.player.resize(rect.size(), ratio_of(self))
        return False

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(event.rect(), self.paper)
        player = self.player
        if player is not None and player.shown and not player.image.isNull():
            frame = player.image  # in device pixels, drawn at its logical size
            size = logical_size(frame)
            painter.drawImage(QPointF(round((self.width() - size.width()) / 2),
                                      round((self.height() - size.height()) / 2)), frame)
        painter.end()


def with_clip_failures(content: Content, *failed: dict[Path, str]) -> Content:
    """`content` with a problem for each clip that did not play on screen (the staff
    diagnostics' list: the running kiosk does not probe clips, it skips one that fails)."""
    found = {path: reason for failures in failed for path, reason in failures.items()}
    if not found:
        return content
    return replace(content, problems=(*content.problems, *(
        Problem(str(path), None, Severity.ERROR, "video_failed",
                {"value": path.name, "detail": reason}) for path, reason in found.items())))
