"""Renders the example clip, docs/examples/video/2-birthday.mp4 (and its portrait version
2-birthday.portrait.mp4): a six-second title card for the centres' birthday, in the design
system's colours, with the anniversary's own cake illustration (content/images/cake.svg).
Made for this project: MIT, like the code (the cake's figures are Fluent Emoji, MIT,
content/images/LICENSE-fluent-emoji.txt).

Each frame is painted with Qt and piped to ffmpeg (H.264, the stage's size: 1920×904 in
landscape, 1080×1620 in portrait, 25 frames a second, no sound). Run again after changing it:
QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/example_clip.py
"""

from __future__ import annotations

import math
import random
import subprocess
from pathlib import Path

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QGuiApplication, QImage, QPainter, QPainterPath
from PySide6.QtSvg import QSvgRenderer

from kiosk.ui.resources import load_fonts

REPO = Path(__file__).resolve().parents[1]
CAKE = REPO / "content" / "images" / "cake.svg"
OUT = REPO / "docs" / "examples" / "video"
FPS = 25
SECONDS = 6.0
BLUE_DARK, BLUE, ORANGE, WHITE = "#143761", "#1D4E89", "#F5962F", "#FFFFFF"
LIGHT_BLUE = "#BCD3EE"  # the English line: quieter than the white, 8:1 on the blue


def ease_out(t: float) -> float:
    t = min(1.0, max(0.0, t))
    return 1 - (1 - t) ** 3


def phase(now: float, start: float, length: float) -> float:
    return ease_out((now - start) / length)


class Card:
    def __init__(self, width: int, height: int) -> None:
        self.width, self.height = width, height
        self.portrait = height > width
        self.cake = QSvgRenderer(str(CAKE))
        # Confetti: the same every run (a fixed seed), drifting down after the words are in.
        rng = random.Random(22082011)
        self.confetti = [(rng.random() * width, rng.random() * height, 4 + rng.random() * 7,
                          0.6 + rng.random() * 0.8, rng.choice((ORANGE, WHITE, LIGHT_BLUE)))
                         for _ in range(70 if not self.portrait else 60)]

    def font(self, pixels: int, bold: bool = False) -> QFont:
        font = QFont("PT Sans")
        font.setPixelSize(pixels)
        font.setBold(bold)
        return font

    def frame(self, now: float) -> QImage:
        image = QImage(self.width, self.height, QImage.Format.Format_RGB32)
        image.fill(QColor(BLUE_DARK))
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        if self.portrait:
            card = QRectF(60, 90, 960, 640)
            words_left, words_top, sizes = 90.0, 980.0, (150, 72, 48)
        else:
            card = QRectF(110, 152, 900, 600)
            words_left, words_top, sizes = 1100.0, 250.0, (130, 64, 44)
        # The confetti keeps off the words: a dot on a letter reads as a smudge.
        self._confetti(painter, now, QRectF(words_left - 30, words_top - 30,
                                            self.width - words_left, sizes[0] * 2.6 + 120))
        # The cake is there from the first frame (what a preview and the fade into the clip
        # show), settling from a little larger into place.
        settle = phase(now, 0.0, 1.4)
        scale = 1.05 - 0.05 * settle
        painter.save()
        painter.translate(card.center())
        painter.scale(scale, scale)
        painter.translate(-card.center())
        path = QPainterPath()
        path.addRoundedRect(card, 36, 36)
        painter.setClipPath(path)
        self.cake.render(painter, card)
        painter.restore()
        # The rule grows, then the words come in one after another.
        rule = phase(now, 0.8, 0.7)
        painter.fillRect(QRectF(words_left, words_top, 170 * rule, 14), QColor(ORANGE))
        lines = (("22 августа", sizes[0], True, WHITE, 1.0),
                 ("день рождения центров", sizes[1], False, WHITE, 1.35),
                 ("22 August: the centres’ birthday", sizes[2], False, LIGHT_BLUE, 1.7))
        y = words_top + 40
        for text, size, bold, colour, start in lines:
            shown = phase(now, start, 0.8)
            font = self.font(size, bold)
            painter.setFont(font)
            painter.setPen(QColor(colour))
            painter.setOpacity(shown)
            y += size * 1.15
            painter.drawText(QPointF(words_left + (1 - shown) * 60, y), text)
            y += size * 0.25
        painter.setOpacity(1.0)
        painter.end()
        return image

    def _confetti(self, painter: QPainter, now: float, words: QRectF) -> None:
        start = 1.9
        if now < start:
            return
        strength = phase(now, start, 1.0)
        painter.save()
        painter.setPen(Qt.PenStyle.NoPen)
        for x, y, radius, speed, colour in self.confetti:
            drift = (now - start) * 90 * speed
            cx = x + math.sin((now + x) * 1.3) * 12
            cy = (y + drift) % (self.height + 40) - 20
            if words.contains(QPointF(cx, cy)):
                continue
            painter.setOpacity(0.75 * strength)
            painter.setBrush(QColor(colour))
            painter.drawEllipse(QPointF(cx, cy), radius, radius)
        painter.restore()


def render(name: str, width: int, height: int) -> Path:
    card = Card(width, height)
    out = OUT / name
    encoder = subprocess.Popen(
        ["ffmpeg", "-v", "error", "-y", "-f", "rawvideo", "-pix_fmt", "bgra",
         "-s", f"{width}x{height}", "-r", str(FPS), "-i", "-",
         "-c:v", "libx264", "-preset", "veryslow", "-crf", "26", "-pix_fmt", "yuv420p",
         "-profile:v", "high", "-movflags", "+faststart", "-an", str(out)],
        stdin=subprocess.PIPE)
    assert encoder.stdin is not None
    for number in range(round(SECONDS * FPS)):
        image = card.frame(number / FPS)
        encoder.stdin.write(bytes(image.constBits()))
    encoder.stdin.close()
    if encoder.wait() != 0:
        raise SystemExit(f"ffmpeg failed on {name}")
    return out


def main() -> None:
    app = QGuiApplication([])
    load_fonts()
    for name, size in (("2-birthday.mp4", (1920, 904)),
                       ("2-birthday.portrait.mp4", (1080, 1620))):
        path = render(name, *size)
        print(f"{path.relative_to(REPO)}: {path.stat().st_size // 1024} KB")
    del app


if __name__ == "__main__":
    main()
