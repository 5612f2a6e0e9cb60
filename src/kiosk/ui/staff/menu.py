"""The staff menu, behind the PIN: reload content, content problems, diagnostics, screen
test, restart, quit. Restart and quit ask for a second press. Text panels turn pages with
buttons (no scrolling: nothing here grabs a gesture)."""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum

from PySide6.QtCore import QRect, QSize, Qt, Signal
from PySide6.QtGui import QFontMetrics, QPainter, QPaintEvent, QResizeEvent
from PySide6.QtWidgets import (
    QBoxLayout,
    QGridLayout,
    QHBoxLayout,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from kiosk.core.content.problems import Language
from kiosk.core.i18n import tr
from kiosk.core.staff_text import st
from kiosk.ui import theme as th
from kiosk.ui.resources import ImageCache
from kiosk.ui.screen import Screen
from kiosk.ui.theme import Theme
from kiosk.ui.widgets import BigButton, Icon, text_label


class StaffAction(Enum):
    RELOAD = "reload"
    PROBLEMS = "problems"
    DIAGNOSTICS = "diagnostics"
    PATTERN = "pattern"
    RESTART = "restart"
    EXIT = "exit"
    BACK = "back"


BUTTONS: tuple[tuple[StaffAction, str, str, str], ...] = (
    # action, text key, background, foreground
    (StaffAction.RELOAD, "staff_reload", th.BLUE, th.WHITE),
    (StaffAction.PROBLEMS, "staff_problems", th.BLUE, th.WHITE),
    (StaffAction.DIAGNOSTICS, "staff_diagnostics", th.BLUE, th.WHITE),
    (StaffAction.PATTERN, "staff_pattern", th.BLUE, th.WHITE),
    (StaffAction.RESTART, "staff_restart", th.PLUM, th.WHITE),
    (StaffAction.EXIT, "staff_exit", th.PLUM, th.WHITE),
    (StaffAction.BACK, "staff_back", th.GREEN, th.WHITE),
)
CONFIRMED = (StaffAction.RESTART, StaffAction.EXIT)
# The two panels the text area can show: a pair of tabs above it, apart from the actions, so
# the one outlined reads as the other choice and not as a button unlike the rest.
PANELS = (StaffAction.PROBLEMS, StaffAction.DIAGNOSTICS)


class TextPages(QWidget):
    """Lines of text split into pages that fit; each line wraps, none is cut."""

    paged = Signal()  # the pages were counted again (new lines or a new size)

    def __init__(self, theme: Theme) -> None:
        super().__init__()
        self.theme = theme
        self.lines: list[str] = []
        self.pages: list[list[str]] = [[]]
        self.page = 0
        self.setFont(theme.font(theme.small_px))
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def set_lines(self, lines: list[str]) -> None:
        self.lines = lines
        self.page = 0
        self._paginate()

    def turn(self, step: int) -> None:
        self.page = max(0, min(len(self.pages) - 1, self.page + step))
        self.update()

    def _line_height(self, metrics: QFontMetrics, line: str) -> int:
        box = QRect(0, 0, max(1, self.width()), 100_000)
        return metrics.boundingRect(box, Qt.TextFlag.TextWordWrap, line or " ").height() \
            + self.theme.px(8)

    def _paginate(self) -> None:
        metrics = QFontMetrics(self.font())
        pages: list[list[str]] = [[]]
        used = 0
        for line in self.lines:
            height = self._line_height(metrics, line)
            if pages[-1] and used + height > self.height():
                pages.append([])
                used = 0
            pages[-1].append(line)
            used += height
        self.pages = pages
        self.page = min(self.page, len(pages) - 1)
        self.update()
        self.paged.emit()

    def resizeEvent(self, event: QResizeEvent) -> None:
        self._paginate()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setPen(self.palette().text().color())
        painter.setFont(self.font())
        metrics = QFontMetrics(self.font())
        top = 0
        for line in self.pages[self.page]:
            height = self._line_height(metrics, line)
            painter.drawText(QRect(0, top, self.width(), height),
                             Qt.TextFlag.TextWordWrap | Qt.AlignmentFlag.AlignTop, line)
            top += height
        painter.end()


class StaffMenuScreen(Screen):
    action = Signal(StaffAction)  # RELOAD, PATTERN, RESTART and EXIT (confirmed), BACK

    def __init__(self, theme: Theme, images: ImageCache,
                 diagnostics: Callable[[Language], list[str]],
                 problems: Callable[[Language], list[str]],
                 parent: QWidget | None = None) -> None:
        super().__init__(theme, images, parent)
        self.diagnostics = diagnostics
        self.problems = problems
        self.shown = StaffAction.DIAGNOSTICS  # which panel the text area shows
        self.status = ""  # a line above the panel: reloading, press again …
        self.armed: StaffAction | None = None  # restart or quit, waiting for the second press
        self.title = text_label(theme, theme.title_px, bold=True)
        self.buttons: dict[StaffAction, BigButton] = {}
        grid = QGridLayout()
        grid.setSpacing(theme.px(14))
        tabs = QHBoxLayout()
        tabs.setSpacing(theme.px(14))
        for action, _key, background, foreground in BUTTONS:
            button = BigButton(theme, background=background, foreground=foreground,
                               font_px=theme.px(40), padding=theme.px(24))
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            button.clicked.connect(lambda _=False, a=action: self._pressed(a))
            button.setCheckable(action in PANELS)
            self.buttons[action] = button
            if action in PANELS:
                tabs.addWidget(button)
                continue
            index = grid.count()
            if theme.portrait:
                grid.addWidget(button, index // 2, index % 2)
            else:
                grid.addWidget(button, index, 0)

        self.status_label = text_label(theme, theme.body_px, bold=True, colour=th.BLUE)
        self.text = TextPages(theme)
        self.text.paged.connect(self._update_pager)
        self.previous = BigButton(theme, icon=Icon.LEFT)
        self.next = BigButton(theme, icon=Icon.RIGHT)
        self.counter = text_label(theme, theme.body_px, wrap=False)
        self.previous.clicked.connect(lambda: self._turn(-1))
        self.next.clicked.connect(lambda: self._turn(1))
        for part in (self.previous, self.counter, self.next):
            policy = part.sizePolicy()  # hidden on a single page, its room kept: no reflow
            policy.setRetainSizeWhenHidden(True)
            part.setSizePolicy(policy)
        pager = QHBoxLayout()
        pager.setSpacing(theme.px(24))
        pager.addStretch(1)
        pager.addWidget(self.previous)
        pager.addWidget(self.counter)
        pager.addWidget(self.next)
        panel = QVBoxLayout()
        panel.setSpacing(theme.px(16))
        panel.addLayout(tabs)
        panel.addWidget(self.status_label)
        panel.addWidget(self.text, 1)
        panel.addLayout(pager)

        margin = theme.margin
        layout: QBoxLayout
        if theme.portrait:
            layout = QVBoxLayout(self)
            layout.setContentsMargins(margin, margin, margin, margin)
            layout.setSpacing(margin)
            layout.addWidget(self.title)
            layout.addLayout(grid)
            layout.addLayout(panel, 1)
        else:
            # The actions fill the left column: the title goes above the text panel.
            panel.insertWidget(0, self.title)
            left = QVBoxLayout()
            left.setContentsMargins(0, 0, 0, 0)  # the style's 9 px made 725 px at 720p
            left.addLayout(grid)
            left.addStretch(1)
            layout = QHBoxLayout(self)
            layout.setContentsMargins(margin, margin, margin, margin)
            # The panel on a column's edge on a 4:3 or 5:4 screen, where every pixel of its
            # width counts («Меню / сотрудников» wrapped by a hair).
            layout.setSpacing(theme.grid.gutter if theme.narrow else margin)
            holder = QWidget()
            holder.setLayout(left)
            # Five columns of twelve on a 4:3 or 5:4 screen: 620 px left the tabs 420 there.
            holder.setFixedWidth(theme.grid.span(5) if theme.narrow else theme.px(620))
            layout.addWidget(holder)
            layout.addLayout(panel, 1)

    def sizeHint(self) -> QSize:
        return QSize(self.theme.width, self.theme.height)

    # -- actions -----------------------------------------------------------------------------

    def _pressed(self, action: StaffAction) -> None:
        if action in CONFIRMED and self.armed is not action:
            self.armed = action
            self.status = st("staff_confirm", self.lang)
            self.render_view()
            return
        self.armed = None
        if action in (StaffAction.PROBLEMS, StaffAction.DIAGNOSTICS):
            self.shown = action
            self.status = ""
            self.render_view()
            return
        if action is StaffAction.RELOAD:
            self.status = st("staff_reloading", self.lang)
            self.render_view()
        self.action.emit(action)

    def show_status(self, text: str) -> None:
        self.status = text
        self.refresh()

    def _turn(self, step: int) -> None:
        self.text.turn(step)
        self._update_pager()

    def _update_pager(self) -> None:
        pages = len(self.text.pages)
        for part in (self.previous, self.counter, self.next):  # «1 из 1» says nothing
            part.setVisible(pages > 1)
        self.counter.setText(tr("page_of", self.lang, page=self.text.page + 1, total=pages))
        self.previous.setEnabled(self.text.page > 0)
        self.next.setEnabled(self.text.page < pages - 1)

    def reset(self) -> None:
        self.shown = StaffAction.DIAGNOSTICS
        self.status = ""
        self.armed = None
        super().reset()

    def render_view(self) -> None:
        lang = self.lang
        self.title.setText(st("staff_title", lang))
        for action, key, _background, _foreground in BUTTONS:
            button = self.buttons[action]
            if self.theme.narrow and action is StaffAction.PROBLEMS:
                key = "staff_problems_short"  # both tabs on one row beside the actions
            button.setText(st(key, lang))
            button.setChecked(action is self.shown)
        self.status_label.setText(self.status)
        self.status_label.setVisible(bool(self.status))
        lines = (self.problems(lang) if self.shown is StaffAction.PROBLEMS
                 else self.diagnostics(lang))
        self.text.set_lines(lines)
