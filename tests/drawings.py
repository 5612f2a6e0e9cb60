"""Drawings for the colouring tests of the editor's wizard and of `kiosk check`: a house, a sun
and a tree as a member of staff draws them with a marker, with or without small breaks where
lines should meet, clean or as a phone photographs the sheet (grey paper, light falling off
to one side, ragged ink, specks)."""

from __future__ import annotations

import io

import cv2
import numpy as np
import numpy.typing as npt
from PIL import Image

Grey = npt.NDArray[np.uint8]

# Breaks of this many pixels at 1400×1000: wider than the 8 px the kiosk closes, narrower
# than what a staff member sees on paper.
BREAK = 16


def drawing(width: int = 1400, height: int = 1000, breaks: int = 0, line: int = 7) -> Grey:
    """Black line art on white: a house (walls, roof, door, two windows), a sun and a tree.
    `breaks`: the width of the gaps left in the house's outline, the roof and the door (0:
    every line meets)."""
    art = np.full((height, width), 255, dtype=np.uint8)
    sx, sy = width / 1400, height / 1000

    def p(x: float, y: float) -> tuple[int, int]:
        return round(x * sx), round(y * sy)

    def segment(a: tuple[float, float], b: tuple[float, float], gap: int = 0) -> None:
        """A line from a to b, with a gap of `gap` pixels in its middle."""
        (x0, y0), (x1, y1) = p(*a), p(*b)
        if not gap:
            cv2.line(art, (x0, y0), (x1, y1), 0, line, cv2.LINE_AA)
            return
        length = float(np.hypot(x1 - x0, y1 - y0))
        cut = (gap + line) / 2 / length  # the round caps eat into the gap
        for t0, t1 in ((0.0, 0.5 - cut), (0.5 + cut, 1.0)):
            cv2.line(art, (round(x0 + (x1 - x0) * t0), round(y0 + (y1 - y0) * t0)),
                     (round(x0 + (x1 - x0) * t1), round(y0 + (y1 - y0) * t1)), 0, line,
                     cv2.LINE_AA)

    # The house: walls with a break in the left and the right one, the roof with a break.
    segment((200, 450), (200, 900), breaks)
    segment((200, 900), (800, 900))
    segment((800, 900), (800, 450), breaks)
    segment((200, 450), (800, 450))
    segment((200, 450), (500, 180), breaks)
    segment((500, 180), (800, 450))
    # The door, with a break at its top; the windows closed.
    segment((440, 900), (440, 680))
    segment((440, 680), (560, 680), breaks)
    segment((560, 680), (560, 900))
    for x in (260, 620):
        cv2.rectangle(art, p(x, 520), p(x + 120, 620), 0, line, cv2.LINE_AA)
    # The sun, closed; the tree: a crown with a break, a trunk.
    cv2.circle(art, p(1150, 220), round(110 * min(sx, sy)), 0, line, cv2.LINE_AA)
    centre, radius = p(1100, 560), round(160 * min(sx, sy))
    if breaks:
        arc = np.degrees(breaks / radius) + 2 * np.degrees(line / 2 / radius)
        cv2.ellipse(art, centre, (radius, radius), 0, 90 + arc / 2, 450 - arc / 2, 0, line,
                    cv2.LINE_AA)
    else:
        cv2.circle(art, centre, radius, 0, line, cv2.LINE_AA)
    segment((1070, 718), (1070, 900))
    segment((1130, 718), (1130, 900))
    segment((1070, 900), (1130, 900))
    return art


def photographed(art: Grey, seed: int = 7, shadow: float = 55) -> Grey:
    """The drawing as a phone photographs it: paper 235 grey, `shadow` darker in one corner
    (the light falling off), lines not quite black, ragged edges, specks of dust, noise."""
    rng = np.random.default_rng(seed)
    height, width = art.shape
    yy, xx = np.mgrid[0:height, 0:width].astype(np.float32)
    light = 235 - shadow * (xx / width) * 0.6 - shadow * (yy / height) * 0.4
    ink = np.asarray(cv2.GaussianBlur((255 - art.astype(np.float32)) / 255, (3, 3), 0),
                     dtype=np.float32)
    rough = rng.normal(0, 0.12, ink.shape).astype(np.float32)
    ink = np.clip(ink + rough * (ink > 0.2), 0, 1)
    picture = light * (1 - 0.72 * ink)
    for _ in range(140):  # specks of dust, 1–3 px
        x, y = int(rng.integers(0, width)), int(rng.integers(0, height))
        cv2.circle(picture, (x, y), int(rng.integers(1, 3)), float(rng.integers(40, 110)), -1)
    picture += rng.normal(0, 4, picture.shape).astype(np.float32)
    result: Grey = np.clip(picture, 0, 255).astype(np.uint8)
    return result


def png(grey: Grey) -> bytes:
    out = io.BytesIO()
    Image.fromarray(grey).save(out, "PNG")
    return out.getvalue()


def jpeg(grey: Grey, quality: int = 88) -> bytes:
    out = io.BytesIO()
    Image.fromarray(grey).convert("RGB").save(out, "JPEG", quality=quality)
    return out.getvalue()


def street_photo(width: int = 1600, height: int = 1200, seed: int = 3) -> bytes:
    """A phone photo of a street, not a drawing (a JPEG): a sky lighter towards the horizon, a
    building with windows, a green lawn, a red car, the grain of a phone's sensor."""
    rng = np.random.default_rng(seed)
    yy = np.mgrid[0:height, 0:width][0].astype(np.float32) / height
    picture = np.empty((height, width, 3), dtype=np.float32)
    picture[...] = np.dstack((90 + 80 * yy, 140 + 60 * yy, 215 + 25 * yy))  # the sky
    h, w = height / 100, width / 100

    def box(x0: float, y0: float, x1: float, y1: float, colour: tuple[int, int, int]) -> None:
        cv2.rectangle(picture, (round(x0 * w), round(y0 * h)), (round(x1 * w), round(y1 * h)),
                      colour, -1)

    box(8, 30, 62, 78, (196, 178, 152))  # the building
    for column in range(4):
        for row in range(3):
            box(12 + column * 12, 36 + row * 13, 19 + column * 12, 45 + row * 13, (70, 100, 140))
    box(0, 78, 100, 100, (70, 140, 60))  # the lawn
    box(66, 66, 92, 82, (200, 40, 50))  # the car
    picture += rng.normal(0, 6, picture.shape).astype(np.float32)
    blurred = cv2.GaussianBlur(picture, (0, 0), 1.5)
    out = io.BytesIO()
    Image.fromarray(np.clip(blurred, 0, 255).astype(np.uint8), "RGB").save(out, "JPEG",
                                                                           quality=88)
    return out.getvalue()
