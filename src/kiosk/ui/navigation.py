"""The bar along the bottom of the reading screens: home, back, where you are, next."""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLayout, QLayoutItem, QWidget

from kiosk.core.i18n import tr
from kiosk.core.problems import Language
from kiosk.ui.theme import Theme
from kiosk.ui.widgets import BigButton, Icon, PageDots, text_label


class NavBar(QWidget):
    def __init__(self, theme: Theme, with_random: bool = False) -> None:
        super().__init__()
        self.theme = theme
        self.home = BigButton(theme, icon=Icon.HOME, background=theme.colours.orange,
                              foreground=theme.colours.ink)
        self.previous = BigButton(theme, icon=Icon.LEFT)
        self.next = BigButton(theme, icon=Icon.RIGHT)
        self.random = BigButton(theme, icon=Icon.RANDOM, background=theme.colours.green)
        self.random.setVisible(with_random)
        self.dots = PageDots(theme)
        self.counter = text_label(theme, theme.heading_px, bold=True, wrap=False)
        self.counter.setAlignment(Qt.AlignmentFlag.AlignCenter)
        centre = QHBoxLayout()
        centre.setSpacing(theme.px(24))
        centre.addWidget(self.previous)
        centre.addWidget(self.dots, 0, Qt.AlignmentFlag.AlignVCenter)
        centre.addWidget(self.counter, 0, Qt.AlignmentFlag.AlignVCenter)
        centre.addWidget(self.next)
        # Three columns, the outer two of equal stretch: the arrows stay in the middle.
        layout = QGridLayout(self)
        layout.setContentsMargins(theme.margin, theme.px(16), theme.margin, theme.margin)
        layout.setHorizontalSpacing(theme.px(24))
        if theme.portrait:
            # Too narrow for one row: the arrows above, home and random below.
            layout.setVerticalSpacing(theme.px(24))
            layout.addLayout(centre, 0, 0, 1, 3, Qt.AlignmentFlag.AlignHCenter)
            row = 1
        else:
            layout.addLayout(centre, 0, 1)
            row = 0
        layout.addWidget(self.home, row, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.random, row, 2, Qt.AlignmentFlag.AlignRight)
        layout.setColumnStretch(0, 1)
        layout.setColumnStretch(2, 1)

    def set_language(self, lang: Language) -> None:
        self.home.setText(tr("home", lang))
        self.random.setText(tr("random", lang))
        self.home.updateGeometry()
        self.random.updateGeometry()

    def set_position(self, index: int, count: int, lang: Language, dots: bool) -> None:
        self.dots.setVisible(dots)
        self.counter.setVisible(not dots)
        if dots:
            self.dots.set_position(index, count)
        else:
            self.counter.setText(tr("page_of", lang, page=index + 1, total=count) if count else "")
        self.previous.setEnabled(index > 0)
        self.next.setEnabled(index < count - 1)
        self.random.setEnabled(count > 1)


def _delete_items(items: list[QLayoutItem]) -> None:
    while items:
        shiboken6.delete(items.pop())


class FlowLayout(QLayout):
    """Lays the tag chips out in rows, wrapping when a row is full."""

    def __init__(self, spacing: int) -> None:
        super().__init__()
        self._items: list[QLayoutItem] = []
        self._spacing = spacing
        # A layout deletes its items when it goes (Qt's own layouts do, in their destructors);
        # a Python one must, or each screen rebuilt for the high-contrast mode leaks them. It
        # goes before its widget's children, so the chips are still there.
        items = self._items
        self.destroyed.connect(lambda: _delete_items(items))

    def addItem(self, item: QLayoutItem) -> None:
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def clear(self) -> None:
        """Remove and delete every item (not their widgets). An item taken with takeAt is the
        caller's to delete, and PySide never does: each rebuild of the chips leaked them."""
        _delete_items(self._items)

    def expandingDirections(self) -> Qt.Orientation:
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._arrange(QRect(0, 0, width, 0), move=False)

    def setGeometry(self, rect: QRect) -> None:
        super().setGeometry(rect)
        self._arrange(rect, move=True)

    def sizeHint(self) -> QSize:
        return self.minimumSize()

    def minimumSize(self) -> QSize:
        size = QSize()
        for item in self._items:
            size = size.expandedTo(item.minimumSize())
        return size

    def _arrange(self, rect: QRect, move: bool) -> int:
        x, y, row_height = rect.x(), rect.y(), 0
        for item in self._items:
            widget = item.widget()
            if widget is not None and widget.isHidden():
                continue
            hint = item.sizeHint()
            if x + hint.width() > rect.right() + 1 and row_height:
                x, y = rect.x(), y + row_height + self._spacing
                row_height = 0
            if move:
                item.setGeometry(QRect(QPoint(x, y), hint))
            x += hint.width() + self._spacing
            row_height = max(row_height, hint.height())
        return y + row_height - rect.y()
