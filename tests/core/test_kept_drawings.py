"""The drawings of one visit (kiosk.core.colouring.kept): a child who leaves a picture finds it
as they left it; the last few are kept, small; nothing stays once the visitor goes. No Qt."""

from __future__ import annotations

import random

import cv2
import numpy as np

from kiosk.core.colouring.engine import PAPER, Canvas, PreparedPicture, prepare, rgb
from kiosk.core.colouring.kept import KEPT_BYTES, KEPT_MOST, KeptDrawings, pack

RED, BLUE, GREEN, YELLOW = rgb("#E53935"), rgb("#1E88E5"), rgb("#43A047"), rgb("#FDD835")


def house(width: int = 960, height: int = 540) -> PreparedPicture:
    """Line art: a rectangle with a wall across it (two rooms) and a circle beside it."""
    art = np.full((height, width), 255, dtype=np.uint8)
    cv2.rectangle(art, (40, 40), (width // 2, height - 40), 0, 5, cv2.LINE_AA)
    cv2.line(art, (40, height // 2), (width // 2, height // 2), 0, 5, cv2.LINE_AA)
    cv2.circle(art, (width * 3 // 4, height // 2), height // 3, 0, 5, cv2.LINE_AA)
    return prepare(art)


def coloured(picture: PreparedPicture) -> Canvas:
    """The two rooms and the circle filled, and a brush stroke across the picture."""
    canvas = Canvas(picture)
    width, height = picture.size
    canvas.fill(width // 4, height // 4, RED)
    canvas.fill(width // 4, height * 3 // 4, BLUE)
    canvas.fill(width * 3 // 4, height // 2, GREEN)
    canvas.begin_stroke(width // 8, height // 8, YELLOW, 14)
    canvas.extend_stroke(width * 7 // 8, height * 7 // 8)
    canvas.end_stroke()
    return canvas


def test_coming_back_shows_the_drawing_as_it_was_left() -> None:
    picture = house()
    canvas = coloured(picture)
    left = canvas.paint.copy()
    kept = KeptDrawings()
    assert kept.keep("cat", canvas) is not None

    again = Canvas(picture)  # the page opens the picture anew: a fresh canvas
    assert again.is_blank
    assert kept.restore("cat", again)
    assert np.array_equal(again.paint, left)
    # Nothing to undo (the history is not kept), but start over has something to take away.
    assert not again.can_undo and again.has_paint
    assert again.start_over() is not None and again.is_blank
    again.undo()  # and takes it back
    assert np.array_equal(again.paint, left)


def test_a_brought_back_drawing_paints_on_as_before() -> None:
    """Fills of regions kept one colour, the brush, undo: exact, as on a fresh canvas."""
    picture = house()
    canvas = coloured(picture)
    kept = KeptDrawings()
    kept.keep("cat", canvas)
    again = Canvas(picture)
    kept.restore("cat", again)
    width, height = picture.size
    for painting in (canvas, again):
        painting.fill(width * 3 // 4, height // 2, RED)
        painting.fill(10, 10, BLUE)  # the outside, under the stroke's ends
    assert np.array_equal(again.paint, canvas.paint)
    again.undo()
    again.undo()
    canvas.undo()
    canvas.undo()
    assert np.array_equal(again.paint, canvas.paint)


def test_each_picture_keeps_its_own_drawing_and_another_size_is_fitted() -> None:
    kept = KeptDrawings()
    small, large = house(480, 270), house()
    first = coloured(large)
    kept.keep("cat", first)
    other = Canvas(small)
    other.fill(5, 5, GREEN)
    kept.keep("dog", other)
    fresh = Canvas(large)
    assert kept.restore("cat", fresh) and np.array_equal(fresh.paint, first.paint)
    # The screen turned or a notice's band came: the same picture on a smaller canvas.
    fitted = Canvas(small)
    assert kept.restore("cat", fitted)
    width, height = small.size
    assert fitted.paint[height // 5, width * 3 // 8] == RED  # off the stroke
    assert fitted.paint[height * 3 // 4, width // 4] == BLUE
    assert not kept.restore("fish", Canvas(small))  # nothing left there: a blank sheet


def test_a_blank_canvas_keeps_nothing_and_lets_the_old_drawing_go() -> None:
    picture = house()
    kept = KeptDrawings()
    canvas = coloured(picture)
    kept.keep("cat", canvas)
    canvas.start_over()  # the child started over, then left
    assert kept.keep("cat", canvas) is None
    assert kept.get("cat") is None and len(kept) == 0
    assert not kept.restore("cat", Canvas(picture))


def test_the_last_few_are_kept_the_oldest_left_goes_first() -> None:
    picture = house(480, 270)
    kept = KeptDrawings()
    names = [f"picture{i}" for i in range(KEPT_MOST + 2)]
    for name in names:
        kept.keep(name, coloured(picture))
    assert len(kept) == KEPT_MOST
    assert [kept.get(n) is None for n in names] == [True, True] + [False] * KEPT_MOST
    kept.keep(names[2], coloured(picture))  # left again: the newest now
    kept.keep("another", coloured(picture))
    assert kept.get(names[2]) is not None and kept.get(names[3]) is None


def test_drawings_are_small_and_their_bytes_bounded() -> None:
    """A typical drawing is a few kilobytes; one scribbled all over with every colour still
    far under the budget; the budget holds however many are kept."""
    picture = house()
    typical = pack(coloured(picture))
    assert typical is not None and typical.nbytes < 16 * 1024
    scribbled = coloured(picture)
    width, height = picture.size
    colours = [rgb(f"#{n:06X}") for n in random.Random(1).sample(range(1 << 24), 18)]
    rng = random.Random(2)
    for _ in range(300):
        scribbled.begin_stroke(rng.randrange(width), rng.randrange(height),
                               rng.choice(colours), rng.choice((6, 14, 28)))
        for _ in range(10):
            scribbled.extend_stroke(rng.randrange(width), rng.randrange(height))
        scribbled.end_stroke()
    worst = pack(scribbled)
    assert worst is not None and worst.nbytes < 256 * 1024
    again = Canvas(picture)
    kept = KeptDrawings(budget=int(worst.nbytes * 2.5))
    for name in ("a", "b", "c"):
        kept.keep(name, scribbled)
    assert len(kept) == 2 and kept.nbytes <= kept.budget
    assert kept.restore("c", again) and np.array_equal(again.paint, scribbled.paint)
    assert KeptDrawings(budget=1000).keep("a", scribbled) is None  # too large: not kept
    assert KEPT_MOST * worst.nbytes <= KEPT_BYTES


def test_the_budget_holds_when_a_large_drawing_follows_small_ones() -> None:
    """A child scribbles all over picture after picture, after a small drawing: however the
    sizes mix, the drawings kept never take more memory than the budget."""
    picture = house()
    small = Canvas(picture)
    small.fill(10, 10, RED)
    scribbled = coloured(picture)
    width, height = picture.size
    rng = random.Random(3)
    for _ in range(200):
        scribbled.begin_stroke(rng.randrange(width), rng.randrange(height),
                               rng.choice((RED, BLUE, GREEN, YELLOW)), 14)
        for _ in range(8):
            scribbled.extend_stroke(rng.randrange(width), rng.randrange(height))
        scribbled.end_stroke()
    little, large = pack(small), pack(scribbled)
    assert little is not None and large is not None and little.nbytes * 4 < large.nbytes
    kept = KeptDrawings(budget=int(large.nbytes * 2.5))
    for name in ("small", "big1", "big2", "big3"):
        kept.keep(name, small if name == "small" else scribbled)
        assert kept.nbytes <= kept.budget, name
    assert kept.get("big3") is not None and kept.get("small") is None


def test_at_the_end_of_the_visit_nothing_is_left() -> None:
    picture = house()
    kept = KeptDrawings()
    drawings = [kept.keep(name, coloured(picture)) for name in ("cat", "dog")]
    kept.wipe()
    assert len(kept) == 0 and kept.nbytes == 0
    assert kept.get("cat") is None and not kept.restore("dog", Canvas(picture))
    for drawing in drawings:  # their bytes are zeros, not a drawing waiting in freed memory
        assert drawing is not None and not any(drawing.packed)


def test_the_colours_found_by_table_and_by_search_agree() -> None:
    """Colours alike in their low 16 bits are told apart by a search, not the quick table."""
    picture = house(480, 270)
    canvas = Canvas(picture)
    alike = (0xFF10ABCD, 0xFF20ABCD)  # the same low 16 bits
    canvas.fill(100, 60, alike[0])
    canvas.fill(100, 200, alike[1])
    kept = KeptDrawings()
    kept.keep("cat", canvas)
    again = Canvas(picture)
    kept.restore("cat", again)
    assert np.array_equal(again.paint, canvas.paint)
    assert again.paint[60, 100] == alike[0] and again.paint[200, 100] == alike[1]
    assert (again.paint[5:10, 5:10] == PAPER).all()



def test_a_workers_copy_stays_whole_when_the_visit_ends_under_it() -> None:
    """The picker's card draws a kept drawing in a worker, from a copy: the visit's end wipes
    the drawing at any moment, and the copy must still read (it read zeros: a zlib error)."""
    canvas = coloured(house())
    left = canvas.paint.copy()
    kept = KeptDrawings()
    drawing = kept.keep("cat", canvas)
    assert drawing is not None
    copy = drawing.copy()
    kept.wipe()
    assert not any(drawing.packed)
    assert np.array_equal(copy.paint(), left) and copy.serial == drawing.serial
    assert not copy.palette.flags.writeable and isinstance(copy.packed, bytes)
