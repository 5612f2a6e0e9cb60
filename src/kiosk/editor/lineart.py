"""A scan or a phone photo of a drawing made into clean black line art for the colouring page,
and fills tried on it with the kiosk's own engine (no Flask, no Qt; numpy and OpenCV).

The steps, each a setting of the editor's wizard:

1. **Grey and flat paper** (`read_scan`, once per upload): the picture is read like a photo
   (kiosk.editor.photos: by content, bounded, upright by EXIF), made grey, and divided by an
   estimate of the paper's own brightness (the picture with its lines closed away, blurred),
   so a sheet photographed with the light falling off to one corner becomes evenly white.
2. **Threshold** (`LineArtSettings.threshold`): darker than this is line; by default Otsu's
   level for the flattened picture.
3. **Specks** (`specks_px`): ink spots smaller than this many pixels (dust, paper grain) are
   taken out, and holes in the lines as small are filled, so ragged lines hold no bubbles a
   fingertip cannot colour.
4. **Gaps** (`gap_px`): the engine's own closing (kiosk.core.colouring.engine.close_gaps), drawn
   into the lines, so breaks up to that width are sealed on the picture itself, in the same units as
   the kiosk's `colouring_gap_px` (pixels at 1080p).

The result is an 8-bit grey PNG (black lines, white paper) at most `LINE_ART_SIDE` pixels on
its long side: the colouring page takes PNG (kiosk.core.content.loader.IMAGE_SUFFIXES) and fits it
into its canvas as it does an SVG.

`trial_fill` and `flood_report` fit the PNG into the kiosk's canvas and prepare it with the
engine, as the colouring page and `kiosk check` do, so what the browser shows is what a child
gets.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

import cv2
import numpy as np
import numpy.typing as npt
from PIL import Image

from kiosk.core.colouring.engine import (
    Box,
    Canvas,
    EngineSettings,
    analyse,
    close_gaps,
    flood,
    prepare,
    rgb,
)
from kiosk.editor.photos import open_upload

Grey = npt.NDArray[np.uint8]

# The colouring canvas is 1024 px square at 1920×1080 (docs/colouring.md), 2048 on a 4K panel:
# a picture of 2048 px on its long side is never enlarged.
LINE_ART_SIDE = 2048
# Where the kiosk prepares a picture: the canvas at 1920×1080 (room 1024×1032), and the box
# `kiosk check` fits pictures into (kiosk.ui.colouring.line_art.line_art_problem).
CANVAS_BOX = (1024, 1032)
CHECK_BOX = (1400, 1000)
TRIAL_COLOUR = "#FB8C00"  # the page's orange: visible against black lines and white paper

# A line drawing on white paper is grey: paper and ink, coloured outlines a few per cent of
# it, paper under warm light below this saturation. A photo of anything else is in colour over
# much of the frame; from this share on, the wizard says so (its flattening makes any photo
# an outline of its shapes, which the sliders cannot make a colouring picture).
PHOTO_SATURATION = 90  # of 255: (max − min) / max of a pixel's RGB, 35 %
PHOTO_COLOUR_SHARE = 0.2

MAX_SPECKS_PX = 2000
MAX_GAP_PX = 48.0  # drawn into the lines: wider than the kiosk closes by itself (32)


@dataclass(frozen=True)
class LineArtSettings:
    threshold: int | None = None  # 1–254; None: Otsu's level for the picture
    specks_px: int = 30  # ink spots and holes in lines smaller than this are removed
    gap_px: float = 8.0  # gaps this wide (in pixels at 1080p) are closed in the lines

    def bounded(self) -> LineArtSettings:
        """The same with each value within its range (values come from a web form)."""
        threshold = None if self.threshold is None else min(254, max(1, int(self.threshold)))
        return LineArtSettings(threshold, min(MAX_SPECKS_PX, max(0, int(self.specks_px))),
                               min(MAX_GAP_PX, max(0.0, float(self.gap_px))))


@dataclass(frozen=True)
class Scan:
    """An upload decoded, grey, its paper made evenly white: what the sliders work on."""

    grey: Grey
    otsu: int  # Otsu's threshold for it
    notes: list[str] = field(default_factory=list)
    colour: float = 0.0  # the share of the upload in clear colour (`colour_share`)

    @property
    def photo_like(self) -> bool:
        """A photo rather than a line drawing (by its colour: `PHOTO_COLOUR_SHARE`)."""
        return self.colour >= PHOTO_COLOUR_SHARE

    @property
    def png(self) -> bytes:
        """Lossless, to keep between the wizard's requests."""
        return _png(self.grey)

    @classmethod
    def from_png(cls, data: bytes) -> Scan:
        grey = _grey(data)
        return cls(grey, _otsu(grey))


@dataclass(frozen=True)
class LineArt:
    lightness: Grey  # 0 line, 255 paper
    threshold: int  # the level used
    specks_removed: int
    holes_filled: int

    @property
    def png(self) -> bytes:
        return _png(self.lightness)


@dataclass(frozen=True)
class FloodReport:
    """Does one tap flood most of the sheet? As `kiosk check` judges it
    (kiosk.core.colouring.engine.flood). `breaks`: where, as fractions of the picture's width and
    height (x, y, w, h)."""

    floods: bool
    share: float  # of the sheet, the largest region: what the widest tap fills
    leaked: float  # of the sheet, the shapes small breaks join to it
    breaks: tuple[tuple[float, float, float, float], ...]
    regions: int
    problem: str  # what `kiosk check` would say: '' or a problem code


def read_scan(data: bytes, name: str = "рисунок") -> Scan:
    """Decode an uploaded scan or photo of a drawing (JPEG, PNG, WebP, HEIC) and flatten its
    paper. Raises PhotoRejected (kiosk.editor.photos) for anything else."""
    notes: list[str] = []
    image = open_upload(data, name, LINE_ART_SIDE, notes)
    grey = np.asarray(image.convert("L"), dtype=np.uint8)
    flat = flatten(grey)
    return Scan(flat, _otsu(flat), notes, colour_share(image))


def colour_share(image: Image.Image) -> float:
    """The share of the picture in clear colour: saturated, not near black (where saturation
    is noise). Judged on a copy at most 400 px wide: a share needs no detail."""
    small = image.convert("RGB")
    small.thumbnail((400, 400))
    hsv = cv2.cvtColor(np.asarray(small, dtype=np.uint8), cv2.COLOR_RGB2HSV)
    return float(((hsv[..., 1] >= PHOTO_SATURATION) & (hsv[..., 2] >= 50)).mean())


def flatten(grey: Grey) -> Grey:
    """The picture divided by its paper's brightness: paper 255 everywhere, lines as dark
    against it as they were against the paper around them."""
    height, width = grey.shape
    # The paper's brightness: lines closed away (a closing wider than any line, on a copy at
    # a quarter of the size, for speed), then smoothed; brought back to full size.
    small = cv2.resize(grey, (max(1, width // 4), max(1, height // 4)),
                       interpolation=cv2.INTER_AREA)
    side = max(3, min(small.shape) // 30) | 1
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (side, side))
    paper = cv2.morphologyEx(small, cv2.MORPH_CLOSE, kernel)
    paper = cv2.GaussianBlur(paper, (0, 0), side / 2)
    paper = cv2.resize(paper, (width, height), interpolation=cv2.INTER_LINEAR)
    flat = cv2.divide(grey, np.maximum(paper, 1), scale=255)
    result: Grey = np.asarray(flat, dtype=np.uint8)
    return result


def line_art(scan: Scan, settings: LineArtSettings = LineArtSettings()) -> LineArt:
    """Clean black line art from a flattened scan."""
    settings = settings.bounded()
    level = scan.otsu if settings.threshold is None else settings.threshold
    ink = (scan.grey < level).astype(np.uint8)
    specks = holes = 0
    if settings.specks_px > 0:
        ink, specks = _drop_small(ink, 1, settings.specks_px)  # dust
        ink, holes = _drop_small(ink, 0, settings.specks_px)  # bubbles in ragged lines
    gap, _ = EngineSettings(gap_px=settings.gap_px).scaled(min(ink.shape))
    ink = _seal(ink, close_gaps(ink, gap))
    lightness: Grey = np.where(ink > 0, 0, 255).astype(np.uint8)
    return LineArt(lightness, int(level), specks, holes)


def clean_line_art(data: bytes, settings: LineArtSettings = LineArtSettings(),
                   name: str = "рисунок") -> LineArt:
    """`read_scan` and `line_art` in one: upload in, line art out."""
    return line_art(read_scan(data, name), settings)


def trial_fill(line_art_png: bytes, x: int, y: int, gap_px: float = 8.0,
               colour: str = TRIAL_COLOUR) -> tuple[bytes, float]:
    """A tap at (x, y) (pixels of the line-art PNG) as the kiosk's colouring page does it: the
    picture fitted into the canvas at 1920×1080, prepared by the engine with the kiosk's gap
    setting, the region under the finger filled. Returns the coloured picture as a PNG (at
    the canvas's size) and the share of the sheet the tap filled (0 on a thick line)."""
    lightness = _fitted(_grey(line_art_png), CANVAS_BOX)
    source = Image.open(io.BytesIO(line_art_png)).size
    picture = prepare(lightness, EngineSettings(gap_px=gap_px))
    width, height = picture.size
    cx = min(width - 1, max(0, round(x * width / source[0])))
    cy = min(height - 1, max(0, round(y * height / source[1])))
    canvas = Canvas(picture)
    label = picture.region_at(cx, cy)
    canvas.fill(cx, cy, rgb(colour))
    share = picture.regions[label].area / (width * height) if label else 0.0
    argb = canvas.composite()
    rgb_bytes = np.dstack(((argb >> 16) & 0xFF, (argb >> 8) & 0xFF, argb & 0xFF)).astype(np.uint8)
    out = io.BytesIO()
    Image.fromarray(rgb_bytes, "RGB").save(out, "PNG", compress_level=3)
    return out.getvalue(), share


def flood_report(line_art_png: bytes, gap_px: float = 8.0) -> FloodReport:
    """What `kiosk check` will say of this picture, and whether one tap floods most of it
    (and through which breaks), judged as the check judges it."""
    lightness = _fitted(_grey(line_art_png), CHECK_BOX)
    settings = EngineSettings(gap_px=gap_px)
    picture = prepare(lightness, settings)
    leak = flood(picture, settings)
    width, height = picture.size
    breaks = tuple(_fraction(box, width, height) for box in leak.breaks)
    return FloodReport(leak.floods, leak.share, leak.leaked, breaks, len(picture.regions),
                       analyse(picture, settings).problem)


# -- helpers ---------------------------------------------------------------------------------


def _drop_small(mask: Grey, value: int, most: int) -> tuple[Grey, int]:
    """Components of `mask == value` smaller than `most` pixels turned to the other value."""
    target = (mask == value).astype(np.uint8)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(target, connectivity=8,
                                                                ltype=cv2.CV_32S)
    small = np.flatnonzero(stats[1:, cv2.CC_STAT_AREA] < most) + 1
    if not small.size:
        return mask, 0
    lookup = np.zeros(count, dtype=bool)
    lookup[small] = True
    out = mask.copy()
    out[lookup[labels]] = 1 - value
    return out, int(small.size)


def _seal(ink: Grey, closed: Grey) -> Grey:
    """The lines with only those pieces of the closing that seal a gap drawn into them: a
    piece between two shapes (or around a bubble of paper), not the fillet the closing also
    puts into every corner (drawn in, a wide closing would blunt each corner into a blob)."""
    added = (closed > 0) & (ink == 0)
    if not added.any():
        return ink
    _, shapes = cv2.connectedComponents((closed == 0).astype(np.uint8), connectivity=4,
                                        ltype=cv2.CV_32S)
    count, pieces = cv2.connectedComponents(added.astype(np.uint8), connectivity=8,
                                            ltype=cv2.CV_32S)
    pairs = []
    for piece, shape in ((pieces[:, :-1], shapes[:, 1:]), (pieces[:, 1:], shapes[:, :-1]),
                         (pieces[:-1], shapes[1:]), (pieces[1:], shapes[:-1])):
        meet = (piece > 0) & (shape > 0)
        pairs.append(piece[meet].astype(np.int64) << 32 | shape[meet])
    touching = np.bincount((np.unique(np.concatenate(pairs)) >> 32).astype(np.int64),
                           minlength=count)
    keep = touching != 1  # between two shapes or more, or around paper of its own
    keep[0] = False
    out = ink.copy()
    out[keep[pieces]] = 1
    return out


def _otsu(grey: Grey) -> int:
    level, _ = cv2.threshold(grey, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    return min(254, max(1, int(level)))


def _grey(data: bytes) -> Grey:
    """A PNG this module made (or any picture a staff member uploads), grey, bounded."""
    image = open_upload(data, "рисунок", LINE_ART_SIDE * 2, [])
    return np.asarray(image.convert("L"), dtype=np.uint8)


def _fitted(lightness: Grey, box: tuple[int, int]) -> Grey:
    """Fitted into the box, keeping its proportions, as the kiosk's renderer does (smooth)."""
    height, width = lightness.shape
    scale = min(box[0] / width, box[1] / height)
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    if size == (width, height):
        return lightness
    interpolation = cv2.INTER_AREA if scale < 1 else cv2.INTER_LINEAR
    return np.asarray(cv2.resize(lightness, size, interpolation=interpolation), dtype=np.uint8)


def _fraction(box: Box, width: int, height: int) -> tuple[float, float, float, float]:
    x, y, w, h = box
    return (round(x / width, 4), round(y / height, 4), round(w / width, 4),
            round(h / height, 4))


def _png(grey: Grey) -> bytes:
    out = io.BytesIO()
    Image.fromarray(grey, "L").save(out, "PNG", compress_level=6)
    return out.getvalue()
