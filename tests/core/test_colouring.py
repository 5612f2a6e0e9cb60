"""The colouring engine on arrays: no leaks, no white specks, exact undo."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import cv2
import numpy as np
import pytest

from kiosk.core.colouring.engine import (
    PAPER,
    SPECK_SHARE,
    Canvas,
    EngineSettings,
    PreparedPicture,
    analyse,
    auto_colours,
    coloured_in,
    composite,
    faces,
    prepare,
    rgb,
)

RED, BLUE, GREEN = rgb("#E53935"), rgb("#1E88E5"), rgb("#43A047")


def two_rooms(width: int = 960, height: int = 540, gap: int = 0,
              antialiased: bool = True) -> np.ndarray:
    """A rectangle split by a wall into two rooms, drawn like line art (anti-aliased)."""
    art = np.full((height, width), 255, dtype=np.uint8)
    line = cv2.LINE_AA if antialiased else cv2.LINE_8
    cv2.rectangle(art, (50, 50), (width - 50, height - 50), 0, 5, line)
    cv2.line(art, (width // 2, 50), (width // 2, height - 50), 0, 5, line)
    if gap:
        middle = height // 2
        art[middle - gap // 2: middle + (gap + 1) // 2, width // 2 - 6: width // 2 + 7] = 255
    return art


def circle(antialiased: bool) -> np.ndarray:
    art = np.full((540, 960), 255, dtype=np.uint8)
    cv2.circle(art, (480, 270), 200, 0, 4, cv2.LINE_AA if antialiased else cv2.LINE_8)
    return art


@pytest.mark.parametrize("antialiased", [True, False])
def test_fill_stays_inside_the_lines(antialiased: bool) -> None:
    canvas = Canvas(prepare(circle(antialiased)))
    assert canvas.fill(480, 270, RED) is not None
    assert canvas.paint[270, 480] == RED
    assert canvas.paint[270, 900] == PAPER  # outside the circle
    assert canvas.paint[20, 20] == PAPER


@pytest.mark.parametrize("antialiased", [True, False])
def test_no_paper_left_near_the_lines(antialiased: bool) -> None:
    art = circle(antialiased)
    picture = prepare(art)
    canvas = Canvas(picture)
    canvas.fill(480, 270, RED)
    inside = (np.indices(art.shape)[0] - 270) ** 2 + (np.indices(art.shape)[1] - 480) ** 2
    disc = inside < 200 ** 2
    ink = (art < 250).astype(np.uint8)
    near_lines = cv2.dilate(ink, np.ones((7, 7), np.uint8)).astype(bool)  # within 3 px
    visible = art > 64  # paper and the grey anti-aliased edge: what is not hidden by black
    edge = disc & near_lines & visible
    assert edge.sum() > 1000
    # Every visible pixel of the disc within 3 px of the line, the grey edge included,
    # carries the paint: multiplied by the line art, no white speck can show.
    assert (canvas.paint[edge] == RED).all()
    assert not (canvas.composite()[edge] == 0xFFFFFFFF).any()


def test_a_small_gap_does_not_leak() -> None:
    canvas = Canvas(prepare(two_rooms(gap=3)))
    canvas.fill(200, 270, RED)
    assert canvas.paint[270, 200] == RED
    assert canvas.paint[270, 760] == PAPER


def leaks(art: np.ndarray, settings: EngineSettings | None = None) -> bool:
    """Whether a fill of two_rooms' left room reaches the right one."""
    height, width = art.shape
    canvas = Canvas(prepare(art, settings or EngineSettings()))
    canvas.fill(width // 4, height // 2, RED)
    assert canvas.paint[height // 2, width // 4] == RED
    return bool(canvas.paint[height // 2, width * 3 // 4] == RED)


def test_gap_closing_scales_and_can_be_tuned() -> None:
    assert not leaks(two_rooms(1920, 1080, gap=7))
    assert leaks(two_rooms(1920, 1080, gap=7), EngineSettings(gap_px=1))  # no closing: floods
    # On a 4K screen the same picture has every gap twice as wide: still closed.
    assert not leaks(two_rooms(3840, 2160, gap=14))
    # A wider gap leaks at the default and is closed when staff raise colouring_gap_px.
    assert leaks(two_rooms(1920, 1080, gap=14))
    assert not leaks(two_rooms(1920, 1080, gap=14), EngineSettings(gap_px=16))


def test_a_tap_on_a_line_fills_the_nearest_region() -> None:
    art = two_rooms()
    canvas = Canvas(prepare(art))
    x = 480 + 2  # on the wall, nearer the right room
    assert art[270, x] < 128
    canvas.fill(x, 270, BLUE)
    assert canvas.paint[270, 700] == BLUE
    assert canvas.paint[270, 200] == PAPER


def test_undo_restores_the_exact_previous_image() -> None:
    canvas = Canvas(prepare(two_rooms()))
    states = [canvas.paint.copy()]
    canvas.fill(200, 270, RED)
    states.append(canvas.paint.copy())
    canvas.begin_stroke(100, 100, BLUE, 20)
    canvas.extend_stroke(700, 400)
    canvas.extend_stroke(720, 120)
    canvas.end_stroke()
    states.append(canvas.paint.copy())
    canvas.fill(700, 270, GREEN)
    states.append(canvas.paint.copy())
    canvas.start_over()
    assert canvas.is_blank
    for expected in reversed(states):
        canvas.undo()
        assert np.array_equal(canvas.paint, expected)
    assert not canvas.can_undo


def test_at_least_twenty_undo_steps() -> None:
    canvas = Canvas(prepare(two_rooms()))
    colours = [rgb(f"#{i:02X}{255 - i:02X}80") for i in range(25)]
    for colour in colours:
        canvas.fill(200, 270, colour)
    for colour in reversed(colours[:-1]):
        canvas.undo()
        assert canvas.paint[270, 200] == colour
    assert len(colours) - 1 >= 20


def test_brush_stroke_is_continuous_and_eraser_brings_back_paper() -> None:
    canvas = Canvas(prepare(two_rooms()))
    canvas.fill(200, 270, RED)
    canvas.begin_stroke(100, 200, BLUE, 10)
    canvas.extend_stroke(400, 200)  # one fast move: the whole way is painted
    canvas.end_stroke()
    assert (canvas.paint[200, 100:400] == BLUE).all()
    canvas.begin_stroke(150, 200, PAPER, 15)
    canvas.extend_stroke(250, 200)
    canvas.end_stroke()
    assert (canvas.paint[200, 150:250] == PAPER).all()
    # the line art is a separate layer: the eraser never removes a line
    assert canvas.composite()[50, 300] & 0xFF < 100


def test_wipe_forgets_everything() -> None:
    canvas = Canvas(prepare(two_rooms()))
    canvas.fill(200, 270, RED)
    canvas.wipe()
    assert canvas.is_blank and not canvas.can_undo


def test_line_art_is_told_apart_from_photos_and_blank_pages() -> None:
    assert analyse(prepare(two_rooms())).problem == ""
    noise = np.random.default_rng(1).integers(0, 256, (540, 960), dtype=np.uint8)
    assert analyse(prepare(noise)).problem == "colouring_photo"
    blank = np.full((540, 960), 255, dtype=np.uint8)
    assert analyse(prepare(blank)).problem == "colouring_no_lines"
    scribble = blank.copy()
    cv2.line(scribble, (100, 100), (800, 400), 0, 6)
    assert analyse(prepare(scribble)).problem == "colouring_not_closed"


@pytest.mark.parametrize("line", [3, 5, 8])
def test_the_gap_setting_means_what_it_says(line: int) -> None:
    """colouring_gap_px: 8 closes an 8-pixel gap (at 1080p) in lines 3 px thick or more."""
    art = np.full((1080, 1080), 255, dtype=np.uint8)
    cv2.rectangle(art, (100, 100), (980, 980), 0, line)
    cv2.line(art, (540, 100), (540, 980), 0, line)
    art[536:544, 540 - line: 541 + line] = 255  # an 8-pixel gap in the middle wall
    canvas = Canvas(prepare(art, EngineSettings(gap_px=8)))
    canvas.fill(300, 540, RED)
    assert canvas.paint[540, 800] == PAPER


def test_auto_colours_leave_the_outside_white_and_neighbours_apart() -> None:
    """The picker's cards show each picture coloured in by a fixed rule."""
    art = two_rooms()
    cv2.circle(art, (240, 270), 60, 0, 5, cv2.LINE_AA)  # a ball in the left room
    picture = prepare(art)
    light, bright = (rgb("#4FC3F7"), rgb("#FFCC80")), (RED, BLUE, GREEN)
    colours = auto_colours(picture, light, bright, large=0.2)
    outside = picture.region_at(10, 10)
    left, right, ball = (picture.region_at(x, 270) for x in (120, 700, 240))
    assert outside not in colours  # the paper around the drawing stays paper
    assert set(colours) == {left, right, ball}
    assert colours[left] != colours[right] and colours[ball] != colours[left]
    assert colours[left] in light and colours[right] in light  # big rooms: soft colours
    assert colours[ball] in bright  # a small shape: a bright one
    assert auto_colours(picture, light, bright, large=0.2) == colours  # the same every time
    finished = coloured_in(picture, colours)
    assert finished[10, 10] == PAPER and finished[270, 240] == colours[ball]
    assert finished[50, 300] & 0xFF < 60  # the lines on top, black


def test_the_finished_picture_is_the_paint_darkened_by_the_lines_channel_by_channel() -> None:
    # What «Готово» and the cards show: each of red, green and blue multiplied by the line
    # art's lightness and rounded, the paint's own alpha ignored, the result opaque.
    rng = np.random.default_rng(7)
    paint = rng.integers(0, 1 << 32, (37, 53), dtype=np.uint32)
    darkness = rng.integers(0, 256, (37, 53), dtype=np.uint8)
    darkness[0, :4] = (0, 255, 128, 1)
    light = 255 - darkness.astype(np.int64)
    expected = np.full(paint.shape, 0xFF000000, dtype=np.int64)
    for shift in (16, 8, 0):
        channel = (paint.astype(np.int64) >> shift) & 0xFF
        expected |= ((channel * light + 127) // 255) << shift
    out = composite(paint, darkness)
    assert out.dtype == np.uint32 and out.shape == paint.shape
    assert (out.astype(np.int64) == expected).all()
    assert composite(np.array([[0x00336699]], dtype=np.uint32),
                     np.array([[0]], dtype=np.uint8))[0, 0] == 0xFF336699  # no line: paint
    assert composite(np.array([[0xFFFFFFFF]], dtype=np.uint32),
                     np.array([[255]], dtype=np.uint8))[0, 0] == 0xFF000000  # line: black


def test_a_shape_with_eyes_is_a_face_and_takes_the_face_colour() -> None:
    art = two_rooms()
    for x in (180, 300):  # two eyes in the left room, nothing in the right one
        cv2.circle(art, (x, 220), 12, 0, -1, cv2.LINE_AA)
    picture = prepare(art)
    left, right = picture.region_at(120, 400), picture.region_at(700, 270)
    assert faces(picture) == {left}
    face = rgb("#FFCC80")
    colours = auto_colours(picture, (RED,), (BLUE, GREEN), face=face)
    assert colours[left] == face and colours[right] == RED


def scribbles(seed: int) -> np.ndarray:
    """Random anti-aliased strokes and dots: regions of every shape, some touching the edge,
    some a pixel wide, holes inside holes."""
    rng = np.random.default_rng(seed)
    art = np.full((301, 457), 255, dtype=np.uint8)
    for _ in range(40):
        x0, x1 = rng.integers(-20, 477, 2)
        y0, y1 = rng.integers(-20, 321, 2)
        cv2.line(art, (int(x0), int(y0)), (int(x1), int(y1)), int(rng.integers(0, 150)),
                 int(rng.integers(1, 6)), cv2.LINE_AA)
    art[rng.random(art.shape) < 0.01] = 0
    return art


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("gap", [0.0, 8.0, 30.0])
def test_the_region_table_is_opencvs_statistics_of_the_regions(seed: int, gap: float) -> None:
    """prepare() reads each region's box and area from runs along the rows, not from OpenCV's
    slower connectedComponentsWithStats: they must be the same, region for region."""
    art = scribbles(seed)
    picture = prepare(art, EngineSettings(gap_px=gap))
    _, reach = EngineSettings(gap_px=gap).scaled(min(art.shape))
    walls = close_gaps_of(art, gap)
    _, _, stats, _ = cv2.connectedComponentsWithStats(
        (walls == 0).astype(np.uint8), connectivity=4, ltype=cv2.CV_32S)
    height, width = art.shape
    # The specks went to their neighbours; the regions keep OpenCV's order, numbered anew.
    shapes = [row for row in stats[1:] if row[4] * SPECK_SHARE >= width * height]
    assert sorted(picture.regions) == list(range(1, len(shapes) + 1))
    for label, region in picture.regions.items():
        x, y, w, h, area = (int(v) for v in shapes[label - 1])
        assert region.area == area
        bx, by, bw, bh = region.box  # the region's own box, grown by the same margin all round
        grown = x - bx if bx > 0 else y - by if by > 0 else None
        if grown is not None:
            assert grown >= reach + 1
            assert (bx, by) == (max(0, x - grown), max(0, y - grown))
            assert (bx + bw, by + bh) == (min(width, x + w + grown), min(height, y + h + grown))
        # And the box covers every pixel the region's paint reaches.
        ys, xs = np.nonzero(picture.owner == label)
        assert bx <= xs.min() and xs.max() < bx + bw and by <= ys.min() and ys.max() < by + bh


def close_gaps_of(art: np.ndarray, gap: float) -> np.ndarray:
    from kiosk.core.colouring.engine import INK_LEVEL, close_gaps

    closing, _ = EngineSettings(gap_px=gap).scaled(min(art.shape))
    return close_gaps((art < INK_LEVEL).astype(np.uint8), closing)


def test_many_regions_keep_their_own_labels() -> None:
    """More regions than two bytes can number (a chequerboard of single pixels): the owner map
    switches to four bytes and no region takes another's number."""
    rows, columns = np.indices((400, 400))
    art = np.where((rows + columns) % 2 == 0, 255, 0).astype(np.uint8)
    picture = prepare(art, EngineSettings(gap_px=0))
    assert len(picture.regions) == 80_000 > 1 << 16
    assert picture.owner[0, 0] != picture.owner[0, 2]
    assert int(picture.owner[399, 399]) == max(picture.regions)
    canvas = Canvas(picture)
    canvas.fill(398, 398, RED)
    assert canvas.paint[398, 398] == RED and (canvas.paint == RED).sum() <= 5



def test_fills_colour_exactly_what_their_regions_own_and_undo_exactly() -> None:
    """On an irregular picture, a fill paints every pixel its region owns and no other, and
    undo takes each fill back exactly (the mask is worked out in a buffer the canvas reuses)."""
    picture = prepare(scribbles(11))
    canvas = Canvas(picture)
    regions = sorted(picture.regions.values(), key=lambda r: -r.area)[:6]
    colours = [RED, BLUE, GREEN, RED, BLUE, GREEN]
    expected = np.full(picture.owner.shape, PAPER, dtype=np.uint32)
    steps = [canvas.paint.copy()]
    for region, colour in zip(regions, colours, strict=True):
        ys, xs = np.nonzero(picture.owner == region.label)
        assert canvas.fill(int(xs[len(xs) // 2]), int(ys[len(ys) // 2]), colour) == region.box
        expected[picture.owner == region.label] = colour
        assert np.array_equal(canvas.paint, expected)
        steps.append(canvas.paint.copy())
    for before in reversed(steps[:-1]):
        canvas.undo()
        assert np.array_equal(canvas.paint, before)


def test_the_owner_map_takes_one_byte_a_pixel_for_a_childs_picture() -> None:
    """A picture of up to 255 shapes numbers them in one byte a pixel (the map is kept for
    every open and cached picture); more shapes take two bytes and keep their own numbers."""
    few = prepare(scribbles(11))
    assert 2 <= len(few.regions) <= 255 and few.owner.itemsize == 1
    rows, columns = np.indices((300, 300))
    grid = np.where((rows % 10 < 8) & (columns % 10 < 8), 255, 0).astype(np.uint8)
    many = prepare(grid, EngineSettings(gap_px=0))  # 30 × 30 little squares
    assert len(many.regions) == 900 and many.owner.itemsize == 2
    assert len(np.unique(many.owner[many.owner > 0])) == 900
    canvas = Canvas(many)
    canvas.fill(295, 295, RED)
    assert (canvas.paint == RED).sum() == many.regions[int(many.owner[295, 295])].area + \
        int(((many.owner == many.owner[295, 295]) & (grid < 128)).sum())


def test_a_long_stroke_across_the_picture_undoes_exactly() -> None:
    """A stroke keeps what it paints over only where it goes (not a copy of the whole
    canvas); across fills, over the edges of the picture, and back over itself, one undo still
    brings back every pixel as it was."""
    canvas = Canvas(prepare(two_rooms()))
    canvas.fill(200, 270, RED)
    canvas.fill(700, 270, BLUE)
    canvas.begin_stroke(200, 100, PAPER, 6)
    canvas.extend_stroke(250, 150)
    canvas.end_stroke()
    before = canvas.paint.copy()
    canvas.begin_stroke(-30, 20, GREEN, 12)
    # A finger's moves, a few pixels each: across both rooms and back over itself.
    for x, y in [(-30 + 10 * i, 20 + 6 * i) for i in range(1, 60)] + \
            [(560 - 10 * i, 374 - 4 * i) for i in range(20)] + [(990, 560)]:
        canvas.extend_stroke(x, y)
    assert canvas._stroke is not None
    kept = sum(tile.nbytes for tile in canvas._stroke.before.values())
    assert kept < canvas.paint.nbytes // 2  # what it went over, not the whole canvas
    canvas.end_stroke()
    assert not np.array_equal(canvas.paint, before)
    canvas.undo()
    assert np.array_equal(canvas.paint, before)


def blank_canvas(width: int, height: int) -> Canvas:
    """A canvas over an empty page, made without `prepare` (and so without OpenCV)."""
    blank = np.zeros((height, width), dtype=np.uint8)
    return Canvas(PreparedPicture(blank, blank.copy(), {}, 0.0))


def distance_to_segment(shape: tuple[int, int], a: tuple[int, int], b: tuple[int, int]
                        ) -> np.ndarray:
    """Each pixel centre's distance to the segment a–b."""
    ys, xs = np.indices(shape).astype(float)
    (ax, ay), (bx, by) = a, b
    dx, dy = bx - ax, by - ay
    length2 = dx * dx + dy * dy
    t = np.clip(((xs - ax) * dx + (ys - ay) * dy) / max(length2, 1), 0, 1)
    distance: np.ndarray = np.hypot(xs - ax - t * dx, ys - ay - t * dy)
    return distance


@pytest.mark.parametrize("radius", [1, 3, 10, 40])
@pytest.mark.parametrize(("a", "b"), [
    ((40, 100), (260, 100)),  # level
    ((150, 20), (150, 180)),  # upright
    ((30, 20), (270, 180)),  # slanted
    ((140, 10), (170, 190)),  # steep
    ((-25, 150), (120, -30)),  # from beyond the edges
    ((250, 160), (330, 230)),  # to beyond them
])
def test_a_stroke_paints_what_is_within_its_radius_of_the_way(
        a: tuple[int, int], b: tuple[int, int], radius: int) -> None:
    canvas = blank_canvas(300, 200)
    boxes = [canvas.begin_stroke(*a, BLUE, radius), canvas.extend_stroke(*b)]
    painted = canvas.paint == BLUE
    distance = distance_to_segment(painted.shape, a, b)
    assert painted[distance <= radius - 1].all()  # solid: no holes, no gaps along the way
    assert not painted[distance > radius + 1].any()  # and no wider than the brush
    inside = np.zeros_like(painted)
    for box in boxes:
        if box is not None:  # None: that part was all off the canvas
            x, y, width, height = box
            inside[y:y + height, x:x + width] = True
    assert not (painted & ~inside).any()  # the boxes returned cover what changed


@pytest.mark.parametrize("radius", [1, 3, 10, 40])
def test_a_tap_with_the_brush_paints_a_disc(radius: int) -> None:
    canvas = blank_canvas(120, 100)
    canvas.begin_stroke(50, 45, RED, radius)
    canvas.extend_stroke(50, 45)  # a zero-length move: the same disc
    canvas.end_stroke()
    disc = distance_to_segment(canvas.paint.shape, (50, 45), (50, 45)) <= radius
    assert np.array_equal(canvas.paint == RED, disc)


def test_brushing_and_filling_do_not_import_opencv() -> None:
    """Only preparing a picture needs OpenCV: the kiosk process paints without it."""
    code = """
import sys
import numpy as np
from kiosk.core.colouring.engine import PAPER, Canvas, PreparedPicture, Region
owner = np.ones((30, 40), dtype=np.uint8)
owner[:, 20:] = 2
regions = {1: Region(1, (0, 0, 20, 30), 600), 2: Region(2, (20, 0, 20, 30), 600)}
canvas = Canvas(PreparedPicture(np.zeros((30, 40), dtype=np.uint8), owner, regions, 0.0))
canvas.begin_stroke(5, 5, 0xFF1E88E5, 3)
canvas.extend_stroke(35, 25)
canvas.end_stroke()
canvas.fill(30, 5, 0xFFE53935)
canvas.undo()
canvas.undo()
assert (canvas.paint == PAPER).all()
print("cv2" in sys.modules)
"""
    src = Path(__file__).resolve().parents[2] / "src"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True, env={**os.environ, "PYTHONPATH": str(src)})
    assert result.stdout.strip() == "False"
