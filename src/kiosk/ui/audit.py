"""Accessibility audit of the rendered screens: text contrast and touch-target sizes.

Walks the widget tree of what is on screen for text (QLabel, MarkdownView, and widgets that
paint their own words and say where, through `text_spots()`), takes each text's colour, and
measures it against the background really rendered behind it: the grabbed pixels of the text's
box and a rim around it, whose dominant colours (the text's own colour left out) are the
background, pictures and scrims included. Every clickable widget is measured too.

Thresholds (WCAG 2 contrast ratio): 7:1 for body text, 4.5:1 for large text (bold, or at least
heading size: headings, buttons); 7:1 for every text in the high-contrast mode. Touch targets:
at least 96 px each way at 1080p, in proportion on other screens.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QColor, QImage, QPalette
from PySide6.QtWidgets import QAbstractButton, QLabel, QWidget

from kiosk.ui.markdown import MarkdownView
from kiosk.ui.theme import Theme
from kiosk.ui.widgets import TextSpot

BODY_RATIO = 7.0
LARGE_RATIO = 4.5
HIGH_CONTRAST_RATIO = 7.0
TARGET_PX = 96  # at 1080p

_COLOUR = re.compile(r"(?<![-\w])color:\s*([^;]+)")


@dataclass(frozen=True)
class Finding:
    """One failure: which check, on which screen and widget, what was measured."""

    check: str  # "contrast", "target" or "cut"
    screen: str
    widget: str
    measured: float
    needed: float
    detail: str = ""

    def __str__(self) -> str:
        return (f"{self.screen}: {self.check} {self.widget}: {self.measured:.2f} "
                f"(needed {self.needed:g}) {self.detail}").rstrip()


@dataclass(frozen=True)
class Measured:
    """A text as the audit saw it."""

    widget: str
    text: str
    ratio: float
    needed: float
    background: str


def describe(widget: QWidget) -> str:
    name = type(widget).__name__
    text = widget.text() if isinstance(widget, (QLabel, QAbstractButton)) else ""
    if isinstance(widget, MarkdownView):
        text = widget.markdown
    text = " ".join(text.split())
    return f"{name} «{text[:40]}»" if text else name


def _shown(widget: QWidget, root: QWidget) -> bool:
    return widget.isVisibleTo(root) and not widget.isHidden() and widget.width() > 0


def label_colour(label: QLabel) -> QColor:
    """The colour a label's text is drawn in: its style sheet's, else its palette's."""
    match = _COLOUR.search(label.styleSheet())
    if match:
        return QColor(match.group(1).strip())
    return label.palette().color(QPalette.ColorRole.WindowText)


def label_fits(label: QLabel) -> bool:
    """The whole text is visible: no word wider than the label, no line below it."""
    metrics = label.fontMetrics()
    rect = label.contentsRect()
    if not label.wordWrap():
        return max(metrics.horizontalAdvance(line) for line in label.text().split("\n")) \
            <= rect.width() + 1
    longest = max((metrics.horizontalAdvance(word) for word in label.text().split()), default=0)
    needed = metrics.boundingRect(rect, int(Qt.TextFlag.TextWordWrap), label.text()).height()
    return longest <= rect.width() + 1 and needed <= rect.height() + 1


def _covered(root: QWidget, widget: QWidget, point: QPoint) -> bool:
    on_top = root.childAt(point)
    return on_top is not None and on_top is not widget and not widget.isAncestorOf(on_top)


def text_spots(root: QWidget) -> list[tuple[QWidget, TextSpot]]:
    """Every visible text under `root`, with its box in the widget's coordinates."""
    found: list[tuple[QWidget, TextSpot]] = []
    for widget in root.findChildren(QWidget):
        if not _shown(widget, root):
            continue
        spots = getattr(widget, "text_spots", None)
        if callable(spots):
            found.extend((widget, spot) for spot in spots() if spot.text.strip())
        elif isinstance(widget, QLabel) and widget.text().strip():
            found.append((widget, TextSpot(widget.text(), widget.contentsRect(),
                                           label_colour(widget), widget.font().pixelSize(),
                                           widget.font().bold(), label_fits(widget))))
        elif isinstance(widget, MarkdownView) and widget.markdown.strip():
            height = min(widget.height(), round(widget.document.size().height()))
            found.append((widget, TextSpot(widget.markdown, QRect(0, 0, widget.width(), height),
                                           widget.colour, widget.font_px, False,
                                           not widget.overflows())))
    return found


def _luminance(rgb: np.ndarray) -> np.ndarray:
    c = rgb.astype(np.float64) / 255
    linear = np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    return linear @ np.array([0.2126, 0.7152, 0.0722])  # type: ignore[no-any-return]


def _ratio(a: np.ndarray, b: float) -> np.ndarray:
    light = np.maximum(a, b)
    dark = np.minimum(a, b)
    return (light + 0.05) / (dark + 0.05)  # type: ignore[no-any-return]


def as_array(image: QImage) -> np.ndarray:
    """An RGB array (height, width, 3) of a grabbed image."""
    image = image.convertToFormat(QImage.Format.Format_RGB888)
    width, height = image.width(), image.height()
    data = np.frombuffer(image.constBits(), np.uint8, image.bytesPerLine() * height)
    rows = data.reshape(height, image.bytesPerLine())[:, : width * 3]
    return rows.reshape(height, width, 3).copy()  # a copy: the image's memory goes with it


def background_contrast(pixels: np.ndarray, box: QRect, rim: int,
                        colour: QColor) -> tuple[float, str]:
    """The contrast of `colour` against the background in `box` (and `rim` px around it):
    the worst of its dominant colours, the text's own colour (and the blend at glyph edges,
    which is never dominant) left out. Also returns that background colour."""
    height, width = pixels.shape[:2]
    area = box.adjusted(-rim, -rim, rim, rim).intersected(QRect(0, 0, width, height))
    if area.isEmpty():
        return 21.0, ""
    region = pixels[area.top():area.bottom() + 1, area.left():area.right() + 1].reshape(-1, 3)
    fg = np.array([colour.red(), colour.green(), colour.blue()], np.int32)
    distance = np.abs(region.astype(np.int32) - fg).max(axis=1)
    rest = region[distance > 24]
    if len(rest) == 0:  # nothing but the text's colour: no contrast at all
        return 1.0, colour.name()
    codes = (rest[:, 0] >> 4).astype(np.int32) << 8 | (rest[:, 1] >> 4) << 4 | (rest[:, 2] >> 4)
    counts = np.bincount(codes, minlength=4096)
    dominant = np.nonzero(counts >= max(1, 0.05 * len(rest)))[0]
    fg_lum = float(_luminance(fg[None, :])[0])
    worst, worst_colour = 21.0, ""
    for code in dominant:
        mean = rest[codes == code].mean(axis=0)
        ratio = float(_ratio(_luminance(mean[None, :]), fg_lum)[0])
        if ratio < worst:
            worst = ratio
            worst_colour = "#{:02X}{:02X}{:02X}".format(*(round(v) for v in mean))
    return worst, worst_colour


def needed_ratio(spot: TextSpot, theme: Theme) -> float:
    if theme.high_contrast:
        return HIGH_CONTRAST_RATIO
    large = spot.bold or spot.pixel_size >= theme.text_px(48)
    return LARGE_RATIO if large else BODY_RATIO


def audit(root: QWidget, theme: Theme, screen: str,
          image: QImage | None = None) -> tuple[list[Finding], list[Measured]]:
    """Check what `root` shows now: contrast and whole text for every text, size for every
    clickable widget. `image` is `root` as rendered (grabbed when not given)."""
    shot = image if image is not None else root.grab().toImage()
    if shot.devicePixelRatio() != 1.0:  # a Hi-DPI screen: measured where the spots are,
        shot = shot.scaled(root.size(), Qt.AspectRatioMode.IgnoreAspectRatio,  # in logical
                           Qt.TransformationMode.SmoothTransformation)  # pixels
    pixels = as_array(shot)
    findings: list[Finding] = []
    measured: list[Measured] = []
    rim = theme.px(6)
    for widget, spot in text_spots(root):
        if not widget.isEnabled():
            continue  # WCAG: text of a control that cannot be used is exempt
        box = QRect(widget.mapTo(root, spot.rect.topLeft()), spot.rect.size())
        inner = box.adjusted(2, 2, -2, -2)
        if any(_covered(root, widget, point) for point in (
                box.center(), inner.topLeft(), inner.topRight(), inner.bottomLeft(),
                inner.bottomRight())):
            # Under something else, wholly or in part (a question over a dimmed screen, the
            # queue's banner over the top of a slide): what shows is not this text's.
            continue

        ratio, background = background_contrast(pixels, box, rim, spot.colour)
        needed = needed_ratio(spot, theme)
        name = describe(widget)
        measured.append(Measured(name, spot.text, ratio, needed, background))
        if ratio < needed:
            findings.append(Finding("contrast", screen, name, ratio, needed,
                                    f"{spot.colour.name()} on {background}"))
        if not spot.fits:
            findings.append(Finding("cut", screen, name, 0, 0, f"text cut: {spot.text[:40]!r}"))
    smallest = theme.px(TARGET_PX)
    for button in root.findChildren(QAbstractButton):
        if not _shown(button, root) or button.testAttribute(
                Qt.WidgetAttribute.WA_TransparentForMouseEvents):
            continue
        side = min(button.width(), button.height())
        if side < smallest:
            findings.append(Finding("target", screen, describe(button), side, smallest,
                                    f"{button.width()}×{button.height()} px"))
    return findings, measured
