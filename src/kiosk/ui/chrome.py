"""The visitor's chrome: the bar along the top of every visitor screen.

Home sits top-left at the margin (Back right of it where there is a level to go back to), the
language switch and the large-text toggle top-right: the same places on every screen, so a
visitor who found them once finds them again without looking.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QImage, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QButtonGroup, QHBoxLayout, QSizePolicy, QWidget

from kiosk.core.content.problems import Language
from kiosk.core.i18n import tr
from kiosk.ui.resources import assets_dir, render_image
from kiosk.ui.theme import Theme
from kiosk.ui.widgets import BigButton, Icon, TextSpot, TouchButton, text_label, tinted

BAR_HEIGHT = 160  # at 1080p; the same in the large-text mode (the controls scale within)
LANGUAGES: tuple[Language, ...] = ("ru", "en")


TWO_LINE_PITCH = 1.0  # em, from one line of the large-text toggle's words to the next


def large_text_icon() -> QImage:
    """Tabler's «text-size» where it is bundled, else the kiosk's own contrast circle."""
    tabler = assets_dir() / "icons" / "tabler" / "text-size.svg"
    path = tabler if tabler.exists() else assets_dir() / "icons" / "contrast.svg"
    return render_image(path, QSize(128, 128))


def control_height(theme: Theme) -> int:
    """The bar's buttons: a touch target, a little taller for the large-text labels."""
    return theme.px(112 * (1.15 if theme.high_contrast else 1))


def chrome_label_px(theme: Theme) -> int:
    """The labels of the bar's controls: body size, so Home reads from a step away; in
    portrait the small size, or the four controls would not fit the width."""
    return theme.small_px if theme.portrait else theme.body_px


class Segment(TouchButton):
    """One half of the RU | EN switch: filled with the accent when it is the language now."""

    def __init__(self, theme: Theme, text: str) -> None:
        super().__init__()
        self.theme = theme
        self.setText(text)
        self.setCheckable(True)
        self.setFont(theme.font(chrome_label_px(theme), bold=True))
        self.setFixedSize(control_height(theme), control_height(theme))

    def ink(self) -> QColor:
        colours = self.theme.colours
        return QColor(colours.white if self.isChecked() else colours.accent)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        colours = self.theme.colours
        rim = self.theme.px(4)
        radius = self.theme.px(36)
        shape = QRectF(self.rect()).adjusted(rim / 2, rim / 2, -rim / 2, -rim / 2)
        fill = QColor(colours.accent if self.isChecked() else colours.white)
        if self.isDown() and not self.isChecked():
            fill = QColor(colours.accent).lighter(170) if not colours.outline else fill
        painter.setPen(QPen(QColor(colours.accent), rim))
        painter.setBrush(fill)
        painter.drawRoundedRect(shape, radius, radius)
        painter.setPen(self.ink())
        painter.setFont(self.font())
        painter.drawText(QRectF(self.rect()), Qt.AlignmentFlag.AlignCenter, self.text())
        painter.end()

    def text_spots(self) -> list[TextSpot]:
        metrics = self.fontMetrics()
        width = metrics.horizontalAdvance(self.text())
        rect = QRect((self.width() - width) // 2, (self.height() - metrics.height()) // 2,
                     width, metrics.height())
        return [TextSpot(self.text(), rect, self.ink(), self.font().pixelSize(), True,
                         fits=QRect(self.rect()).contains(rect))]


class LanguageSwitch(QWidget):
    """RU | EN: two segments side by side, the current one filled, a small gap between them:
    touching, the two targets read as one button and a finger on the seam took either."""

    chosen = Signal(str)

    def __init__(self, theme: Theme) -> None:
        super().__init__()
        self.segments: dict[Language, Segment] = {}
        group = QButtonGroup(self)
        group.setExclusive(True)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(theme.space("xs"))
        for lang in LANGUAGES:
            segment = Segment(theme, tr(f"language_{lang}", lang))
            segment.clicked.connect(lambda _=False, code=lang: self.chosen.emit(code))
            group.addButton(segment)
            row.addWidget(segment)
            self.segments[lang] = segment

    def set_language(self, lang: Language) -> None:
        self.segments[lang].setChecked(True)
        for code, segment in self.segments.items():
            segment.setAccessibleName(tr(f"language_{code}", lang))


class LargeTextToggle(TouchButton):
    """The large-text switch: its icon and the words «Крупный шрифт», filled with the
    accent while the mode is on. The words may take two lines where the bar is narrow."""

    def __init__(self, theme: Theme, icon: QImage) -> None:
        super().__init__()
        self.theme = theme
        self.pictogram = icon
        self.two_lines = False
        self.setCheckable(True)
        self.setChecked(theme.high_contrast)
        self.setFont(theme.font(chrome_label_px(theme), bold=True))
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)

    @property
    def icon_side(self) -> int:
        return round(control_height(self.theme) * 0.5)

    @property
    def padding(self) -> int:
        return self.theme.space("s" if self.theme.portrait else "m")

    @property
    def gap(self) -> int:
        return self.theme.space("s")

    def label(self) -> str:
        """The words as drawn: on two lines (split at the last space) when asked to."""
        text = self.text()
        if self.two_lines and " " in text:
            head, tail = text.rsplit(" ", 1)
            return f"{head}\n{tail}"
        return text

    @property
    def on_two_lines(self) -> bool:
        """The words are drawn on two lines (asked to, and there are two words)."""
        return "\n" in self.label()

    def _text_size(self) -> QSize:
        rect = self.fontMetrics().boundingRect(QRect(0, 0, 10_000, 10_000),
                                               int(Qt.AlignmentFlag.AlignLeft), self.label())
        return rect.size()

    def sizeHint(self) -> QSize:
        text = self._text_size()
        width = self.padding * 2 + self.icon_side + self.gap + text.width()
        return QSize(max(width, control_height(self.theme)), control_height(self.theme))

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint()

    def ink(self) -> QColor:
        colours = self.theme.colours
        return QColor(colours.white if self.isChecked() else colours.accent)

    def _text_rect(self) -> QRect:
        text = self._text_size()
        left = self.padding + self.icon_side + self.gap
        if self.on_two_lines:
            baselines = self._baselines()
            metrics = self.fontMetrics()
            top = baselines[0] + metrics.tightBoundingRect(self.label().split("\n")[0]).top()
            bottom = baselines[-1] + metrics.tightBoundingRect(
                self.label().split("\n")[-1]).bottom()
            return QRect(left, top, text.width() + 1, bottom - top + 1)
        return QRect(left, (self.height() - text.height()) // 2, text.width() + 1,
                     text.height())

    def _baselines(self) -> list[int]:
        """Where each of two lines sits, centred by their ink: at the font's line spacing
        where that fits, else an em apart. At the line spacing (1.3 em) two lines are taller
        than the button in every landscape bar: «шрифт» lost its descenders under the rim."""
        metrics = self.fontMetrics()
        lines = self.label().split("\n")
        inks = [metrics.tightBoundingRect(line) for line in lines]  # y from the baseline

        def extent(pitch: int) -> tuple[int, int]:
            return (min(ink.top() + i * pitch for i, ink in enumerate(inks)),
                    max(ink.bottom() + i * pitch for i, ink in enumerate(inks)))

        # The font's own line spacing where the lines fit inside the rim with room (portrait),
        # an em where they would not.
        pitch = metrics.lineSpacing()
        top, bottom = extent(pitch)
        if bottom - top > self.height() - 2 * self.theme.px(12):
            pitch = round(self.font().pixelSize() * TWO_LINE_PITCH)
            top, bottom = extent(pitch)
        first = (self.height() - (bottom - top)) // 2 - top
        return [first + i * pitch for i in range(len(lines))]

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        colours = self.theme.colours
        rim = self.theme.px(4)
        rect = QRectF(self.rect()).adjusted(rim / 2, rim / 2, -rim / 2, -rim / 2)
        radius = self.theme.px(36)
        fill = QColor(colours.accent if self.isChecked() else colours.white)
        if self.isDown() and not self.isChecked() and not colours.outline:
            fill = QColor(colours.accent).lighter(170)
        painter.setPen(QPen(QColor(colours.accent), rim))
        painter.setBrush(fill)
        painter.drawRoundedRect(rect, radius, radius)
        side = self.icon_side
        box = QRect(self.padding, (self.height() - side) // 2, side, side)
        painter.drawImage(box, tinted(self.pictogram, self.ink()))
        painter.setPen(self.ink())
        painter.setFont(self.font())
        if self.on_two_lines:
            left = self._text_rect().left()
            for line, baseline in zip(self.label().split("\n"), self._baselines(), strict=True):
                painter.drawText(left, baseline, line)
        else:
            painter.drawText(self._text_rect(), int(Qt.AlignmentFlag.AlignLeft
                                                    | Qt.AlignmentFlag.AlignVCenter),
                             self.label())
        painter.end()

    def text_spots(self) -> list[TextSpot]:
        rect = self._text_rect()
        return [TextSpot(self.label(), rect, self.ink(), self.font().pixelSize(), True,
                         fits=QRect(self.rect()).contains(rect))]


class TopBar(QWidget):
    """Home (and Back) on the left, the language and the large-text switch on the right,
    an optional title between them; `theme.px(160)` tall in every mode."""

    home = Signal()
    back = Signal()
    language_chosen = Signal(str)
    large_text_toggled = Signal()

    def __init__(self, theme: Theme, back: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.theme = theme
        self.lang: Language = "ru"
        colours = theme.colours
        label_px = chrome_label_px(theme)
        padding = theme.space("s" if theme.portrait else "m")
        self.home_button = BigButton(theme, icon=Icon.HOME, background=colours.navigation,
                                     foreground=colours.navigation_ink, font_px=label_px,
                                     padding=padding)
        self.home_button.clicked.connect(lambda: self.home.emit())
        self.back_button = BigButton(theme, icon=Icon.LEFT, background=colours.navigation,
                                     foreground=colours.navigation_ink, font_px=label_px,
                                     padding=padding)
        self.back_button.clicked.connect(lambda: self.back.emit())
        self.back_button.setVisible(back)
        for button in (self.home_button, self.back_button):
            button.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
            button.setFixedHeight(control_height(theme))
            button.setMinimumWidth(control_height(theme))
        self.title = text_label(theme, theme.heading_px, bold=True, wrap=False)
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.title.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.title.hide()
        self.languages = LanguageSwitch(theme)
        self.languages.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.languages.chosen.connect(lambda code: self.language_chosen.emit(code))
        self.large_text = LargeTextToggle(theme, large_text_icon())
        self.large_text.clicked.connect(lambda: self.large_text_toggled.emit())

        self.setFixedHeight(theme.px(BAR_HEIGHT))
        gap = theme.space("s")
        row = QHBoxLayout(self)
        row.setContentsMargins(theme.margin, 0, theme.margin, 0)
        row.setSpacing(0)
        row.addWidget(self.home_button, 0, Qt.AlignmentFlag.AlignVCenter)
        row.addSpacing(gap)
        row.addWidget(self.back_button, 0, Qt.AlignmentFlag.AlignVCenter)
        row.addSpacing(gap)
        row.addWidget(self.title, 1, Qt.AlignmentFlag.AlignVCenter)
        row.addStretch(0)  # keeps the right group at the right while there is no title
        row.addSpacing(gap)
        row.addWidget(self.languages, 0, Qt.AlignmentFlag.AlignVCenter)
        row.addSpacing(gap)
        row.addWidget(self.large_text, 0, Qt.AlignmentFlag.AlignVCenter)
        self.set_language("ru")

    def set_language(self, lang: Language) -> None:
        """Put the labels in `lang` and mark it as the language chosen."""
        self.lang = lang
        self.home_button.setText(tr("home", lang))
        self.home_button.setAccessibleName(tr("home", lang))
        self.back_button.setText(tr("back", lang))
        self.back_button.setAccessibleName(tr("back", lang))
        self.large_text.setText(tr("large_text", lang))
        self.large_text.setAccessibleName(tr("large_text", lang))
        self.languages.set_language(lang)
        # Where the width is short (portrait, large text, with Back), the toggle's words go
        # on two lines, then Back shows its arrow alone, then Home its house; nothing ever
        # shrinks or is cut.
        # The toggle is the same on every screen, whatever the bar holds on its left: the
        # language switch beside it never moves from one screen to the next.
        self.large_text.two_lines = False
        if self._overfull(every=True):
            self.large_text.two_lines = True
        if self._overfull():
            self.back_button.setText("")
        if self._overfull():  # large text on a 4:3 or 5:4 screen: «На главную» was cut
            self.home_button.setText("")
        for widget in (self.home_button, self.back_button, self.large_text):
            widget.updateGeometry()
            widget.update()
        self._show_title()

    def room_between(self) -> int:
        """The width between the two groups as the bar stands (what `hold` would give)."""
        return self.theme.width - self._controls_width() - 2 * self.theme.space("s") \
            - self.theme.space("l")

    def hold(self, widget: QWidget) -> None:
        """`widget` between the two groups, taking the room the title would (the stories' tag
        chips in landscape, where a row of their own would take two lines of the story)."""
        widget.setSizePolicy(QSizePolicy.Policy.Ignored, widget.sizePolicy().verticalPolicy())
        row = self.layout()
        assert isinstance(row, QHBoxLayout)
        row.insertWidget(row.indexOf(self.title) + 1, widget, 1, Qt.AlignmentFlag.AlignVCenter)
        row.insertSpacing(row.indexOf(widget) + 1, self.theme.space("l"))

    def set_home_visible(self, shown: bool) -> None:
        """The menu is home itself: it has no Home button (the right group stays put)."""
        self.home_button.setVisible(shown)

    def set_title(self, text: str) -> None:
        """A short title between the two groups, in landscape where it fits whole; see
        `title_in_bar` (otherwise the screen shows its title itself, below the bar)."""
        self.title.setText(text)
        self._show_title()

    @property
    def title_in_bar(self) -> bool:
        return not self.title.isHidden()

    def _show_title(self) -> None:
        text = self.title.text()
        room = self.theme.width - self._controls_width() - 2 * self.theme.space("s")
        fits = self.title.fontMetrics().horizontalAdvance(text) <= room
        self.title.setVisible(bool(text) and not self.theme.portrait and fits)

    def _controls_width(self, every: bool = False) -> int:
        """The width the margins, the controls and the gaps between them take; `every`:
        as if Home and Back were both there."""
        gap = self.theme.space("s")
        needed = 2 * self.theme.margin + self.languages.sizeHint().width() \
            + self.large_text.sizeHint().width() + gap
        for button in (self.home_button, self.back_button):
            if every or not button.isHidden():
                needed += button.sizeHint().width() + gap
        return needed

    def _overfull(self, every: bool = False) -> bool:
        """True when the controls on one line each would not fit the screen's width."""
        return self._controls_width(every) + self.theme.space("s") > self.theme.width
