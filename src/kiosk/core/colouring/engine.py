"""The colouring engine: line art in, regions out; fills, brush strokes, undo. No Qt.

The picture arrives as an array of lightness (0 black … 255 white) at the size it is shown.
The line art is never painted on: it stays a layer above the paint, drawn as black with
alpha = 255 − lightness (the same as a multiply). Under it, each region's paint reaches
`reach` pixels into the lines (and across closed gaps), so anti-aliased edges show no white
specks.

OpenCV does the preparing's pixel work (labelling, closing, distance transform) in C++: a
1080p picture takes tens of milliseconds. It is imported on first use, and the kiosk runs
`prepare` in a child process (kiosk.core.colouring.prepare_apart): fills, brush strokes (drawn with
numpy) and undo need numpy alone, a fill about a millisecond.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from types import ModuleType

import numpy as np
import numpy.typing as npt

Lightness = npt.NDArray[np.uint8]
Labels = npt.NDArray[np.int32]
# One byte a pixel when the labels fit (line art for children: tens of regions), else two,
# else four.
Owner = npt.NDArray[np.uint8] | npt.NDArray[np.uint16] | npt.NDArray[np.int32]
Paint = npt.NDArray[np.uint32]
Box = tuple[int, int, int, int]  # x, y, width, height

PAPER = 0xFFFFFFFF  # opaque white, as 0xAARRGGBB (the layout of Qt's RGB32)
INK_LEVEL = 160  # lightness below this is line; anti-aliased edges are lighter
HIDDEN_BELOW = 32  # line this dark hides the paint under it: paper there shows as black
SPECK_SHARE = 2000  # a region under this share of the picture is a speck, no shape
REFERENCE_SIDE = 1080  # gap and reach are given for a 1080-pixel short side
HISTORY_STEPS = 30  # undo steps kept (at least 20 are promised)
HISTORY_BYTES = 24 * 1024 * 1024  # and never more memory than this
MASK_BYTES = 256 * 1024  # a fill compares the owner map this many pixels at a time
STROKE_TILE = 64  # a brush stroke keeps the paint it covers in tiles this many pixels a side


def _cv2() -> ModuleType:
    import cv2

    return cv2


def rgb(hex_colour: str) -> int:
    """«#F5962F» → 0xFFF5962F."""
    return 0xFF000000 | int(hex_colour.lstrip("#"), 16)


@dataclass(frozen=True)
class EngineSettings:
    gap_px: float = 8.0  # a gap this wide (at 1080p) in a line does not let a fill through
    reach_px: float = 8.0  # how far paint reaches under the lines (at 1080p; at least 3 px)

    def scaled(self, short_side: int) -> tuple[int, int]:
        factor = short_side / REFERENCE_SIDE
        return max(1, round(self.gap_px * factor)), max(3, round(self.reach_px * factor))


@dataclass(frozen=True)
class Region:
    label: int
    box: Box  # covers the region and the line pixels its paint reaches
    area: int  # open pixels (not counting the lines)


@dataclass
class PreparedPicture:
    """Everything computed once per picture and size (the caller caches it)."""

    # The line art as its darkness (255 − lightness): the alpha of the black line layer the
    # screen draws over the paint, straight from this array. Kept once: with the lightness
    # beside it, a page held two (1 MB each at 1080p, 4 at 4K).
    darkness: Lightness
    owner: Owner  # the region each pixel's paint belongs to; 0: none (stays paper)
    regions: dict[int, Region]
    line_fraction: float  # share of pixels that are line

    @property
    def size(self) -> tuple[int, int]:
        return int(self.darkness.shape[1]), int(self.darkness.shape[0])

    @property
    def lightness(self) -> Lightness:
        """The line art, 0 black … 255 white: a new array each time (for checks and the
        finished picture, not for every repaint)."""
        return np.subtract(255, self.darkness, dtype=np.uint8)

    def line_alpha(self) -> Lightness:
        """Alpha of the black line layer drawn over the paint: the picture's own array, not
        a copy (read only)."""
        return self.darkness

    def region_at(self, x: int, y: int) -> int:
        """The region a tap at (x, y) fills: the one under the finger or, on a line, the
        nearest one. 0 when there is none (outside the picture, deep inside a thick line)."""
        width, height = self.size
        if not (0 <= x < width and 0 <= y < height):
            return 0
        return int(self.owner[y, x])


def close_gaps(ink: Lightness, gap: int) -> Lightness:
    """The line mask (1 line, 0 paper) with gaps up to about `gap` pixels closed: the walls a
    fill stops at. Also used by the editor's line-art wizard (kiosk.editor.lineart)."""
    if gap <= 1:
        return ink
    cv2 = _cv2()
    # A disc this wide closes a gap of `gap` pixels between lines 3 px thick or more
    # (measured: a disc as wide as the gap only closes ~3/4 of it). Odd: an even kernel
    # shifts the lines by a pixel.
    side = round(gap * 1.4) | 1
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (side, side))
    closed: Lightness = cv2.morphologyEx(ink, cv2.MORPH_CLOSE, kernel)
    return closed


def prepare(lightness: Lightness, settings: EngineSettings = EngineSettings()) -> PreparedPicture:
    """Label the regions of a line-art picture, closing small gaps in its lines.

    Each full-size array goes as soon as what it gives is taken from it (the labels once the
    boxes and the lookup are read, the transform's outputs once the owner map is made): at
    1080p the labels and both outputs of the transform are 4 MB each, and the preparing child
    runs beside the cycling kiosk (kiosk.core.colouring.prepare_apart)."""
    cv2 = _cv2()
    height, width = lightness.shape
    gap, reach = settings.scaled(min(height, width))
    ink: Lightness = (lightness < INK_LEVEL).view(np.uint8)  # 1 line, 0 paper; no copy
    walls = close_gaps(ink, gap)
    open_area = walls == 0
    # Labels only: OpenCV's connectedComponentsWithStats spends four times as long on its
    # statistics as on the labels (12 ms against 3 at 1080p); `_region_boxes` reads the same
    # boxes and areas from the rows' runs of one label.
    count, labels = cv2.connectedComponents(open_area.view(np.uint8), connectivity=4,
                                            ltype=cv2.CV_32S)
    boxes = _region_boxes(labels, count)
    # A speck (where a line meets another at a sharp angle on a small canvas: an 8-pixel
    # triangle by the girl's arm at 1366×768) is no shape a finger can hit, and stayed a
    # white dot among the colours. Like a bubble the closing swallowed, it takes the nearest
    # region's paint; the regions keep their numbers in order, 1, 2, 3 …
    specks = {label for label, box in boxes.items() if box[4] * SPECK_SHARE < width * height}
    renumber: npt.NDArray[np.int32] | None = None
    if specks and len(specks) < len(boxes):
        renumber = np.arange(count, dtype=np.int32)
        renumber[list(specks)] = 0
        open_area &= renumber[labels] > 0
        walls = (~open_area).view(np.uint8)  # the specks are walls now, as swallowed paper
        kept = renumber > 0
        renumber[kept] = np.arange(1, int(kept.sum()) + 1, dtype=np.int32)
        boxes = {int(renumber[label]): box for label, box in boxes.items()
                 if label not in specks}
        count = len(boxes) + 1
    # The distance transform below numbers open pixels in row-major order. One byte a label
    # when they fit (the bundled pictures have 10-60 regions), else two (any real picture):
    # the owner map is kept for every open and cached picture, and a fill compares it byte by
    # byte.
    small = np.uint8 if count <= 1 << 8 else np.uint16 if count <= 1 << 16 else np.int32
    lookup = np.zeros(cv2.countNonZero(open_area.view(np.uint8)) + 1, dtype=small)
    lookup[1:] = labels[open_area] if renumber is None else renumber[labels[open_area]]
    del labels
    # Each wall pixel takes the label of the nearest open pixel (a Voronoi split of the
    # lines between the regions on either side), if that is within reach.
    distance, nearest = cv2.distanceTransformWithLabels(
        walls, cv2.DIST_L2, cv2.DIST_MASK_5, labelType=cv2.DIST_LABEL_PIXEL)
    del walls
    owner: Owner = np.take(lookup, nearest)  # an open pixel is its own nearest: own label
    del nearest, lookup
    # Deep inside a thick line the paint is hidden: black there anyway (all such line is
    # ink: HIDDEN_BELOW < INK_LEVEL). Not so the light anti-aliased edge of a line along paper
    # the closing swallowed (two lines nearly touching, a candle's flame on its wick): beyond
    # reach too, its paper showed as a grey hairline or grey specks between the colours.
    dark = lightness < HIDDEN_BELOW
    owner[dark & (distance > reach)] = 0
    # Paper the closing swallowed (a bubble smaller than the gap, the closed gap itself), and
    # such a light edge, take the nearest region's paint however far it is, or they would
    # stay a white speck: the regions' boxes reach as far as the farthest of them. That is
    # every wall pixel but the dark line (open pixels are 0 away, light line within reach
    # adds nothing over `reach`): one masked maximum, not five whole-picture masks (~2 ms).
    del open_area
    farthest = float(np.max(distance, where=~dark, initial=0.0))
    margin = max(reach, int(np.ceil(farthest)))
    del distance, dark
    regions = {}
    for label, (x, y, w, h, area) in boxes.items():
        # What a region owns lies within `margin` of it (the distance transform's metric is
        # approximate: one pixel more).
        x0, y0 = max(0, x - margin - 1), max(0, y - margin - 1)
        x1, y1 = min(width, x + w + margin + 1), min(height, y + h + margin + 1)
        regions[label] = Region(label, (x0, y0, x1 - x0, y1 - y0), area)
    darkness = np.subtract(255, lightness, dtype=np.uint8)
    return PreparedPicture(darkness, owner, regions, cv2.countNonZero(ink) / ink.size)


def _region_boxes(labels: npt.NDArray[np.int32], count: int
                  ) -> dict[int, tuple[int, int, int, int, int]]:
    """Label → (x, y, width, height, area) of labels 1 … count − 1, as OpenCV's
    connectedComponentsWithStats gives them, from the runs of one label along each row (a
    few per row and region in line art, so this is one pass over the pixels and then work
    on the runs)."""
    height, width = labels.shape
    if count < 2 or labels.size == 0:
        return {}
    starts_here = np.empty(labels.shape, dtype=bool)
    starts_here[:, 0] = True  # every row starts a run
    np.not_equal(labels[:, 1:], labels[:, :-1], out=starts_here[:, 1:])
    starts = np.flatnonzero(starts_here)
    ends = np.empty_like(starts)  # one past each run's last pixel
    ends[:-1] = starts[1:]
    ends[-1] = labels.size
    run_labels = labels.ravel()[starts]
    keep = run_labels > 0  # not the walls
    starts, ends, run_labels = starts[keep], ends[keep], run_labels[keep]
    rows = starts // width
    first_x = starts - rows * width
    last_x = ends - 1 - rows * width
    area = np.bincount(run_labels, weights=ends - starts, minlength=count)
    left = np.full(count, width, dtype=np.int64)
    right = np.full(count, -1, dtype=np.int64)
    np.minimum.at(left, run_labels, first_x)
    np.maximum.at(right, run_labels, last_x)
    top = np.full(count, height, dtype=np.int64)
    bottom = np.full(count, -1, dtype=np.int64)
    np.minimum.at(top, run_labels, rows)
    np.maximum.at(bottom, run_labels, rows)
    return {label: (int(left[label]), int(top[label]), int(right[label] - left[label] + 1),
                    int(bottom[label] - top[label] + 1), int(area[label]))
            for label in range(1, count)}


@dataclass(frozen=True)
class LineArtReport:
    """What `kiosk check` says about a picture that may not be line art."""

    regions: int
    tiny_regions: int
    line_fraction: float
    grey_fraction: float  # neither line nor paper: shading, colour fills, photo tones
    # The share of the sheet one tap floods through small breaks in the lines (see `flood`);
    # 0 when no tap does.
    flood_share: float = 0.0

    @property
    def problem(self) -> str:
        """'' when it looks like colouring line art, else a problem code."""
        if self.line_fraction < 0.002:
            return "colouring_no_lines"
        if self.flood_share and self.line_fraction <= 0.45 and (
                self.tiny_regions <= 300 or self.grey_fraction <= 0.12):
            # Before «a photo»: a drawing photographed on grey paper, or scanned with ragged
            # lines (many tiny bubbles), is not a photo, and what a child meets first is one
            # tap colouring the whole sheet. A photo is both grey and full of tiny regions.
            return "colouring_gaps"
        if self.tiny_regions > 300 or self.line_fraction > 0.45 or self.grey_fraction > 0.12:
            return "colouring_photo"
        if self.regions < 2:
            return "colouring_not_closed"
        return ""


def outside_region(picture: PreparedPicture) -> int:
    """The region around the drawing: the largest one that reaches the picture's edge (0 when
    none does)."""
    owner = picture.owner
    edge = np.concatenate((owner[0], owner[-1], owner[:, 0], owner[:, -1]))
    labels = np.unique(edge[edge > 0])
    if not labels.size:
        return 0
    return int(max(labels, key=lambda label: picture.regions[int(label)].area))


def neighbours(picture: PreparedPicture) -> dict[int, set[int]]:
    """Which regions touch which: their paint meets under a shared line."""
    owner = picture.owner
    pairs = []
    for a, b in ((owner[:, :-1], owner[:, 1:]), (owner[:-1], owner[1:])):
        meet = (a != b) & (a > 0) & (b > 0)
        low, high = np.minimum(a[meet], b[meet]), np.maximum(a[meet], b[meet])
        pairs.append(low.astype(np.int64) << 32 | high)
    touching: dict[int, set[int]] = {label: set() for label in picture.regions}
    for pair in np.unique(np.concatenate(pairs)):
        low, high = int(pair >> 32), int(pair & 0xFFFFFFFF)
        touching[low].add(high)
        touching[high].add(low)
    return touching


def faces(picture: PreparedPicture) -> set[int]:
    """Regions with two or more marks drawn inside them and touching nothing else (eyes, a
    smile): faces, as a child draws and sees them."""
    cv2 = _cv2()
    ink = (picture.lightness < INK_LEVEL).astype(np.uint8)
    _, marks = cv2.connectedComponents(ink, connectivity=8, ltype=cv2.CV_32S)
    inside = (marks > 0) & (picture.owner > 0)
    pairs = np.unique(marks[inside].astype(np.int64) << 32 | picture.owner[inside])
    _, first, counts = np.unique(pairs >> 32, return_index=True, return_counts=True)
    holders = pairs[first[counts == 1]] & 0xFFFFFFFF  # marks that touch one region only
    labels, per_region = np.unique(holders, return_counts=True)
    return {int(label) for label in labels[per_region >= 2]}


def auto_colours(picture: PreparedPicture, light: tuple[int, ...], bright: tuple[int, ...],
                 face: int | None = None, large: float = 0.05) -> dict[int, int]:
    """A cheerful colouring of the picture, the same every time: the outside stays paper,
    faces take `face`, regions over `large` of the picture take `light` colours (a big red
    sky shouts), the rest `bright` ones; each takes the next colour of its list that none of
    its neighbours has."""
    outside = outside_region(picture)
    touching = neighbours(picture)
    width, height = picture.size
    colours: dict[int, int] = {}
    if face is not None:
        colours = dict.fromkeys(faces(picture) - {outside}, face)
    ranked = sorted((r for r in picture.regions.values()
                     if r.label != outside and r.label not in colours),
                    key=lambda r: (-r.area, r.label))
    for rank, region in enumerate(ranked):
        choices = light if region.area > large * width * height else bright
        taken = {colours.get(other) for other in touching[region.label]}
        turn = [choices[(rank + i) % len(choices)] for i in range(len(choices))]
        colours[region.label] = next((c for c in turn if c not in taken), turn[0])
    return colours


def coloured_in(picture: PreparedPicture, colours: dict[int, int]) -> Paint:
    """The picture with each region painted its colour (others paper), lines on top, as
    0xAARRGGBB."""
    lookup = np.full(max(picture.regions, default=0) + 1, PAPER, dtype=np.uint32)
    for label, colour in colours.items():
        lookup[label] = colour
    return composite(lookup[picture.owner], picture.darkness)


# Where each colour channel of a 0xAARRGGBB pixel lies among its four bytes in memory.
_CHANNEL_BYTES = (2, 1, 0) if sys.byteorder == "little" else (1, 2, 3)


def composite(paint: Paint, darkness: Lightness) -> Paint:
    """`paint` multiplied by the line art, as 0xAARRGGBB (opaque). Channel by channel through
    16-bit scratch (255 × 255 + 127 fits): two 16-bit arrays beside the result, where 32-bit
    expressions would hold five or six picture-sized temporaries at once (~20 MB at 1080p,
    in the preparing child beside the cycling kiosk)."""
    light = np.subtract(255, darkness, dtype=np.uint16)
    out = np.full(paint.shape, 0xFF000000, dtype=np.uint32)
    channel = np.empty(paint.shape, dtype=np.uint16)
    paint_bytes = np.ascontiguousarray(paint).view(np.uint8).reshape(*paint.shape, 4)
    out_bytes = out.view(np.uint8).reshape(*out.shape, 4)
    for byte in _CHANNEL_BYTES:
        np.multiply(paint_bytes[..., byte], light, out=channel)
        channel += 127
        channel //= 255
        np.copyto(out_bytes[..., byte], channel, casting="unsafe")
    return out


def colours_at(fine: PreparedPicture, coarse: PreparedPicture,
               colours: dict[int, int]) -> dict[int, int]:
    """`colours` (of `coarse`'s regions) for the regions of `fine`, the same picture at more
    pixels: each takes the colour of the coarse region most of its pixels lie in."""
    height, width = fine.owner.shape
    coarse_height, coarse_width = coarse.owner.shape
    rows = np.arange(height) * coarse_height // height
    columns = np.arange(width) * coarse_width // width
    under = coarse.owner[rows[:, None], columns[None, :]]
    inside = fine.owner > 0
    pairs = fine.owner[inside].astype(np.int64) << 32 | under[inside]
    found, counts = np.unique(pairs, return_counts=True)
    best: dict[int, tuple[int, int]] = {}  # fine label: (pixels, the coarse label)
    for pair, count in zip(found.tolist(), counts.tolist(), strict=True):
        label, below = pair >> 32, pair & 0xFFFFFFFF
        if below and count > best.get(label, (0, 0))[0]:
            best[label] = (count, below)
    # A region mostly over the outside (left as paper) stays paper.
    return {label: colours[below] for label, (_count, below) in best.items()
            if below in colours}


def analyse(picture: PreparedPicture, settings: EngineSettings = EngineSettings()
            ) -> LineArtReport:
    """`settings`: those the picture was prepared with (the gap, for `flood`)."""
    width, height = picture.size
    tiny = max(16, width * height // 10_000)  # a region a fingertip can't hit
    light = picture.lightness
    # Counted on the drawing as drawn: `prepare` gives the specks to their neighbours, and a
    # photo is hundreds of them.
    cv2 = _cv2()
    walls = close_gaps((light < INK_LEVEL).view(np.uint8), settings.scaled(min(width, height))[0])
    _, _, stats, _ = cv2.connectedComponentsWithStats((walls == 0).view(np.uint8),
                                                      connectivity=4)
    tiny_regions = int((stats[1:, cv2.CC_STAT_AREA] < tiny).sum())
    grey = float(((light > 40) & (light < 215)).mean())  # anti-aliased edges are a few %
    leak = flood(picture, settings)
    return LineArtReport(len(picture.regions), tiny_regions, picture.line_fraction, grey,
                         leak.share if leak.floods else 0.0)


# -- one tap that floods the sheet -------------------------------------------------------------

FLOOD_SHARE = 0.5  # a region this share of the sheet or more: one tap colours most of it…
LEAK_GAP_PX = 32.0  # …and closing breaks up to this wide (at 1080p; 4× the default gap)…
LEAK_SHARE = 0.08  # …splits off shapes that make up this share of the sheet or more
LEAK_PIECE = 0.004  # a shape counts from this share of the sheet (a small window: less)
MAX_BREAKS = 24  # breaks pointed at, the widest first


@dataclass(frozen=True)
class Flood:
    """Does one tap flood most of the sheet through small breaks in the lines? `share`: of the
    sheet the largest region takes; `leaked`: of the sheet, the shapes that small breaks join
    to it (0 when none); `breaks`: boxes (x, y, width, height) around the places where closing
    the lines harder would seal them."""

    share: float
    leaked: float
    breaks: tuple[Box, ...] = ()

    @property
    def floods(self) -> bool:
        return self.share >= FLOOD_SHARE and self.leaked >= LEAK_SHARE


def flood(picture: PreparedPicture, settings: EngineSettings = EngineSettings()) -> Flood:
    """A scanned drawing with small breaks in its lines (wider than the gap the kiosk closes)
    lets the paint of one tap run through them into shape after shape, until it fills the
    whole sheet. Found by closing the lines again, much harder: if the largest region then
    falls apart into shapes of their own, breaks joined them. A large shape with no break
    (a big circle, wide paper around a small drawing) stays one piece and is no flood."""
    cv2 = _cv2()
    width, height = picture.size
    sheet = width * height
    if not picture.regions or not sheet:
        return Flood(0.0, 0.0)
    biggest = max(picture.regions.values(), key=lambda r: (r.area, -r.label))
    share = biggest.area / sheet
    if share < FLOOD_SHARE:
        return Flood(share, 0.0)
    strong, _ = EngineSettings(gap_px=max(LEAK_GAP_PX, settings.gap_px * 3)).scaled(
        min(width, height))
    ink = (picture.lightness < INK_LEVEL).astype(np.uint8)
    walls = close_gaps(ink, strong)
    region = picture.owner == biggest.label
    inside = region & (walls == 0)
    _, pieces, stats, _ = cv2.connectedComponentsWithStats(
        inside.astype(np.uint8), connectivity=4, ltype=cv2.CV_32S)
    areas = stats[1:, cv2.CC_STAT_AREA]
    shapes = np.flatnonzero(areas >= LEAK_PIECE * sheet) + 1  # labels of the real shapes
    if shapes.size < 2:
        return Flood(share, 0.0)
    shape_areas = areas[shapes - 1]
    leaked = float((shape_areas.sum() - shape_areas.max()) / sheet)
    return Flood(share, leaked, _breaks(region & (walls > 0) & (ink == 0), pieces,
                                        shapes[np.argsort(-shape_areas)][:MAX_BREAKS]))


def _breaks(sealed: npt.NDArray[np.bool_], pieces: Labels,
            shapes: npt.NDArray[np.int64]) -> tuple[Box, ...]:
    """The patches of paper the hard closing turned into line that touch two shapes or more:
    the breaks, widest first."""
    cv2 = _cv2()
    count, patches, stats, _ = cv2.connectedComponentsWithStats(
        sealed.astype(np.uint8), connectivity=8, ltype=cv2.CV_32S)
    if count < 2:
        return ()
    touching = np.zeros(count, dtype=np.int32)
    ring = np.ones((3, 3), dtype=np.uint8)
    for label in shapes:
        near = cv2.dilate((pieces == label).astype(np.uint8), ring).astype(bool)
        touching[np.unique(patches[near & sealed])] += 1
    found = [label for label in range(1, count) if touching[label] >= 2]
    found.sort(key=lambda label: -int(stats[label, cv2.CC_STAT_AREA]))
    return tuple((int(stats[label, 0]), int(stats[label, 1]), int(stats[label, 2]),
                  int(stats[label, 3])) for label in found[:MAX_BREAKS])


# -- painting -------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Sparse:
    """Mostly one colour, with a few exceptions (a fill over a region with brush marks)."""

    base: int
    where: npt.NDArray[np.int32]
    values: Paint

    def expand(self, size: int) -> Paint:
        out = np.full(size, self.base, dtype=np.uint32)
        out[self.where] = self.values
        return out


@dataclass(frozen=True)
class _Indexed:
    """Many colours, all from the canvas's few: one byte a pixel."""

    palette: Paint
    indices: npt.NDArray[np.uint8]

    def expand(self, size: int) -> Paint:
        return self.palette[self.indices]


Previous = int | _Sparse | _Indexed | Paint


_NO_MASK = np.zeros(0, dtype=np.uint8)


@dataclass
class _Change:
    """What one step changed, enough to put it back exactly, in little memory. A fill of a
    region that was one colour keeps only the region's label and that colour."""

    box: Box
    mask: npt.NDArray[np.uint8]  # packed bits: which pixels in the box changed
    shape: tuple[int, int]
    previous: Previous
    uniform: dict[int, int]  # the regions known to be one colour, as they were before
    label: int = 0  # set: the change filled this region, `mask` is recomputed from it

    @property
    def nbytes(self) -> int:
        previous = self.previous
        if isinstance(previous, _Sparse):
            extra = previous.where.nbytes + previous.values.nbytes
        elif isinstance(previous, _Indexed):
            extra = previous.indices.nbytes
        elif isinstance(previous, np.ndarray):
            extra = previous.nbytes
        else:
            extra = 0
        return self.mask.nbytes + extra


def _pack(values: Paint, palette: Paint) -> Previous:
    """Previous colours of the changed pixels, small: one colour, one colour with exceptions,
    or indices into the colours the canvas has used. No sorting of pixels: start over on a
    4K canvas must not freeze the screen."""
    if not values.size:
        return PAPER
    base = values[0]
    different = np.flatnonzero(values != base)
    if different.size == 0:
        return int(base)
    if different.size < values.size // 8:
        return _Sparse(int(base), different.astype(np.int32), values[different])
    indices = np.searchsorted(palette, values).astype(np.uint8)
    if palette.size <= 256 and np.array_equal(palette[indices], values):
        return _Indexed(palette.copy(), indices)
    return values.copy()


def _unpack(previous: Previous, size: int) -> int | Paint:
    if isinstance(previous, _Sparse | _Indexed):
        return previous.expand(size)
    return previous


@dataclass
class _Stroke:
    colour: int
    radius: int
    last: tuple[int, int]
    # The paint as it was when the stroke began, in the tiles (column, row) it has reached:
    # a copy of the whole canvas at every press was 4 MB at 1080p, 16 at 4K.
    before: dict[tuple[int, int], Paint] = field(default_factory=dict)
    box: Box | None = None


def _union(a: Box | None, b: Box) -> Box:
    if a is None:
        return b
    x0, y0 = min(a[0], b[0]), min(a[1], b[1])
    x1, y1 = max(a[0] + a[2], b[0] + b[2]), max(a[1] + a[3], b[1] + b[3])
    return x0, y0, x1 - x0, y1 - y0


def _capsule_spans(x0: int, y0: int, x1: int, y1: int, r: int, top: int, bottom: int
                   ) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """For each row top … bottom − 1, the columns [first, end) of a brush of radius r drawn
    from (x0, y0) to (x1, y1): the pixel centres within r of the segment (a capsule), and
    first ≥ end where there are none. The capsule meets a row in one interval, worked out
    for all rows at once: a long stroke costs its rows, not the pixels of its box."""
    ys = np.arange(top, bottom, dtype=np.float64)
    lo = np.full(ys.size, np.inf)
    hi = np.full(ys.size, -np.inf)
    for cx, cy in ((x0, y0), (x1, y1)):  # the chord of each end's disc
        reach = r * r - (ys - cy) ** 2
        half = np.sqrt(np.maximum(reach, 0.0))
        inside = reach >= 0
        np.minimum(lo, np.where(inside, cx - half, np.inf), out=lo)
        np.maximum(hi, np.where(inside, cx + half, -np.inf), out=hi)
    dx, dy = x1 - x0, y1 - y0
    if dy:  # the band between the ends (a level one: the end chords already span it)
        length2 = float(dx * dx + dy * dy)
        length = length2 ** 0.5
        # OpenCV's thick line, which drew strokes before, rounds its edges out to whole
        # pixels: a slanted stroke was a pixel wider than a level one. Half a pixel more
        # along the minor axis keeps strokes as they looked (0.3 % of the pixels differ
        # from OpenCV's, 2.5 % without).
        half_width = r + 0.5 * max(abs(dx), abs(dy)) / length
        ey = ys - y0
        # Across the segment: |u·dy − ey·dx| ≤ half_width·length, u = x − x0.
        centre = ey * (dx / dy)
        across = half_width * length / abs(dy)
        band_lo, band_hi = centre - across, centre + across
        # Along it: 0 ≤ u·dx + ey·dy ≤ length².
        if dx:
            a = -ey * (dy / dx)
            b = a + length2 / dx
            if dx < 0:
                a, b = b, a
            np.maximum(band_lo, a, out=band_lo)
            np.minimum(band_hi, b, out=band_hi)
        else:
            along = ey * dy
            band_lo[(along < 0) | (along > length2)] = np.inf
        meets = band_lo <= band_hi
        np.minimum(lo, np.where(meets, band_lo + x0, np.inf), out=lo)
        np.maximum(hi, np.where(meets, band_hi + x0, -np.inf), out=hi)
    eps = 1e-9  # a centre exactly on the edge counts, despite rounding
    first = np.ceil(np.minimum(lo - eps, 2.0 ** 40)).astype(np.int64)  # no row: huge, not inf
    end = np.floor(np.maximum(hi + eps, -2.0 ** 40)).astype(np.int64) + 1
    return first, end


class Canvas:
    """The child's painting over one prepared picture. Every method returns the box that
    changed (x, y, width, height) so the screen repaints only that, or None."""

    def __init__(self, picture: PreparedPicture) -> None:
        self.picture = picture
        width, height = picture.size
        self.paint: Paint = np.full((height, width), PAPER, dtype=np.uint32)
        self.history: list[_Change] = []
        self._stroke: _Stroke | None = None
        self._colours: Paint = np.array([PAPER], dtype=np.uint32)  # sorted, every colour used
        # Regions known to be all one colour: a fill of one of them needs no look at its
        # pixels, and its undo needs no copy of them. Brush strokes take regions out.
        self._uniform: dict[int, int] = dict.fromkeys(picture.regions, PAPER)
        # Where a region is within its box, worked out band by band in this one small
        # buffer: a fresh mask for each tap is memory mapped anew when it is large (the kiosk
        # maps blocks from 4 MB: a 4K picture's outside), a millisecond of page faults a tap;
        # one as large as the canvas stays for the whole page (1 MB at 1080p, 4 at 4K).
        self._mask_buffer = np.empty(min(width * height, MASK_BYTES), dtype=bool)
        # Whether the paint under the oldest step kept (or with no step) has colour on it: a
        # drawing brought back (kiosk.core.colouring.kept), or steps let go past the bound.
        # Start over must stay possible there, with nothing to undo.
        self._painted_below = False

    def _paint_region(self, label: int, box: Box, colour: int) -> None:
        """`colour` on every pixel of `box` that is `label`'s."""
        bx, by, bw, bh = box
        if not bw or not bh:
            return
        rows = max(1, self._mask_buffer.size // bw)
        value = np.uint32(colour)
        for top in range(by, by + bh, rows):
            bottom = min(by + bh, top + rows)
            mask = self._mask_buffer[:(bottom - top) * bw].reshape(bottom - top, bw)
            np.equal(self.picture.owner[top:bottom, bx:bx + bw], label, out=mask)
            np.copyto(self.paint[top:bottom, bx:bx + bw], value, where=mask)

    @property
    def colours(self) -> Paint:
        """Every colour the canvas has used, sorted (read only): each pixel has one of them."""
        return self._colours

    @property
    def uniform_regions(self) -> dict[int, int]:
        """The regions known to be all one colour, and their colours (a copy)."""
        return dict(self._uniform)

    def take_paint(self, paint: Paint, colours: Paint, uniform: dict[int, int]) -> None:
        """Start from `paint` (a drawing the child left, the canvas's size), made of
        `colours`, with `uniform` the regions known to be one colour: nothing to undo."""
        self._stroke = None
        np.copyto(self.paint, paint)
        self.history.clear()
        self._colours = np.union1d(self._colours, colours).astype(np.uint32)
        self._uniform = {label: colour for label, colour in uniform.items()
                         if label in self.picture.regions}
        self._painted_below = True

    @property
    def has_paint(self) -> bool:
        """Whether start over has anything to take away, without looking at every pixel
        (a millisecond at 1080p, on every touch): something to undo, or paint under it."""
        return bool(self.history) or self._painted_below

    def _use(self, colour: int) -> None:
        if colour not in self._colours:
            self._colours = np.sort(np.append(self._colours, np.uint32(colour)))

    # -- fill -------------------------------------------------------------------------------

    def fill(self, x: int, y: int, colour: int) -> Box | None:
        label = self.picture.region_at(x, y)
        if label == 0:
            return None
        region = self.picture.regions[label]
        bx, by, bw, bh = region.box
        was = self._uniform.get(label)
        if was == colour:
            return None  # already this colour: nothing to do, nothing to undo
        self._use(colour)
        if was is not None:
            self._record(_Change(region.box, _NO_MASK, (bh, bw), was, dict(self._uniform),
                                 label))
            self._paint_region(label, region.box, colour)
        else:  # brush marks in it: what was under the fill is kept for undo
            view = self.paint[by:by + bh, bx:bx + bw]
            mask = self.picture.owner[by:by + bh, bx:bx + bw] == label
            self._remember(region.box, mask, view[mask])
            np.copyto(view, np.uint32(colour), where=mask)
        self._uniform[label] = colour
        return region.box

    # -- brush and eraser -------------------------------------------------------------------

    def begin_stroke(self, x: int, y: int, colour: int, radius: int) -> Box | None:
        self.end_stroke()
        self._use(colour)
        self._stroke = _Stroke(colour, max(1, radius), (x, y))
        return self._segment(x, y)

    def extend_stroke(self, x: int, y: int) -> Box | None:
        """Continue the stroke to (x, y): a solid line from the last point, so a fast finger
        draws a continuous stroke, not dots."""
        if self._stroke is None:
            return None
        return self._segment(x, y)

    def end_stroke(self) -> None:
        stroke, self._stroke = self._stroke, None
        if stroke is None or stroke.box is None:
            return
        bx, by, bw, bh = stroke.box
        before = self.paint[by:by + bh, bx:bx + bw].copy()  # as it was where no tile is kept
        side = STROKE_TILE
        for (column, row), tile in stroke.before.items():
            x0, y0 = column * side, row * side
            left, top = max(bx, x0), max(by, y0)
            right = min(bx + bw, x0 + tile.shape[1])
            bottom = min(by + bh, y0 + tile.shape[0])
            if right > left and bottom > top:
                before[top - by:bottom - by, left - bx:right - bx] = \
                    tile[top - y0:bottom - y0, left - x0:right - x0]
        mask = before != self.paint[by:by + bh, bx:bx + bw]
        if mask.any():
            self._remember(stroke.box, mask, before[mask])
            for label in np.unique(self.picture.owner[by:by + bh, bx:bx + bw][mask]):
                self._uniform.pop(int(label), None)

    def _segment(self, x: int, y: int) -> Box | None:
        stroke = self._stroke
        assert stroke is not None
        width, height = self.picture.size
        (x0, y0), r = stroke.last, stroke.radius
        left, top = max(0, min(x0, x) - r - 1), max(0, min(y0, y) - r - 1)
        right, bottom = min(width, max(x0, x) + r + 2), min(height, max(y0, y) + r + 2)
        stroke.last = (x, y)
        if left >= right or top >= bottom:
            return None
        side = STROKE_TILE
        for row in range(top // side, (bottom - 1) // side + 1):
            for column in range(left // side, (right - 1) // side + 1):
                if (column, row) not in stroke.before:  # reached for the first time
                    stroke.before[column, row] = self.paint[
                        row * side:(row + 1) * side, column * side:(column + 1) * side].copy()
        # In numpy, not OpenCV: the kiosk process never imports cv2 for a visitor's strokes.
        # The flat indices of the pixels painted, run by run: a long diagonal stroke costs its
        # own area, not its box's (a mask over its box was ten times slower).
        first, end = _capsule_spans(x0, y0, x, y, r, top, bottom)
        np.clip(first, left, right, out=first)
        counts = np.clip(end, first, right) - first
        starts = np.arange(top, bottom) * width + first - (np.cumsum(counts) - counts)
        pixels = np.repeat(starts, counts)
        pixels += np.arange(pixels.size)
        assert self.paint.flags.c_contiguous  # else reshape(-1) is a copy, painted in vain
        self.paint.reshape(-1)[pixels] = stroke.colour
        box = (left, top, right - left, bottom - top)
        stroke.box = _union(stroke.box, box)
        return box

    # -- history ----------------------------------------------------------------------------

    def _remember(self, box: Box, mask: npt.NDArray[np.bool_], previous: Paint) -> None:
        self._record(_Change(box, np.packbits(mask), mask.shape,
                             _pack(previous, self._colours), dict(self._uniform)))

    def _record(self, change: _Change) -> None:
        self.history.append(change)
        total = sum(c.nbytes for c in self.history)
        while len(self.history) > HISTORY_STEPS or (total > HISTORY_BYTES
                                                    and len(self.history) > 1):
            total -= self.history.pop(0).nbytes
            self._painted_below = True  # what that step left is the oldest state now

    @property
    def can_undo(self) -> bool:
        return bool(self.history)

    def undo(self) -> Box | None:
        self.end_stroke()
        if not self.history:
            return None
        change = self.history.pop()
        bx, by, bw, bh = change.box
        view = self.paint[by:by + bh, bx:bx + bw]
        if change.label:  # a fill of a region that was all one colour: that colour again
            assert isinstance(change.previous, int)
            self._paint_region(change.label, change.box, change.previous)
        else:
            count = change.shape[0] * change.shape[1]
            mask = np.unpackbits(change.mask, count=count).reshape(change.shape).astype(bool)
            previous = _unpack(change.previous, int(mask.sum()))
            if isinstance(previous, int):
                np.copyto(view, np.uint32(previous), where=mask)
            else:
                view[mask] = previous
        self._uniform = change.uniform
        return change.box

    def start_over(self) -> Box | None:
        """Back to a blank picture; one undo brings the painting back."""
        self.end_stroke()
        mask = self.paint != PAPER
        if not mask.any():
            return None
        width, height = self.picture.size
        box = (0, 0, width, height)
        self._remember(box, mask, self.paint[mask])
        self.paint[mask] = PAPER
        self._uniform = dict.fromkeys(self.picture.regions, PAPER)
        return box

    def wipe(self) -> None:
        """Forget everything (the child has gone): blank paper, no history."""
        self._stroke = None
        self.paint.fill(PAPER)
        self.history.clear()
        self._uniform = dict.fromkeys(self.picture.regions, PAPER)
        self._painted_below = False

    # -- result -----------------------------------------------------------------------------

    def composite(self) -> Paint:
        """The finished picture as 0xAARRGGBB: paint multiplied by the line art."""
        return composite(self.paint, self.picture.darkness)

    @property
    def is_blank(self) -> bool:
        return bool((self.paint == PAPER).all())

