"""The grid's and the overlay's own sizes, read from a HEIF file's boxes (kiosk.editor.heif_grid)
before libheif decodes anything: files put together box by box."""

from __future__ import annotations

import struct
from collections.abc import Callable

import pytest

from kiosk.editor import heif_grid
from kiosk.editor.heif_grid import MOST_BOXES, HeifUnreadable, declared_canvases


def box(kind: bytes, payload: bytes, large: bool = False) -> bytes:
    if large:  # the 64-bit size form
        return struct.pack(">I4sQ", 1, kind, 16 + len(payload)) + payload
    return struct.pack(">I4s", 8 + len(payload), kind) + payload


def full(kind: bytes, version: int, payload: bytes) -> bytes:
    return box(kind, struct.pack(">I", version << 24) + payload)


def infe(item: int, kind: bytes) -> bytes:
    return full(b"infe", 2, struct.pack(">HH4s", item, 0, kind) + b"\x00")


def heif(items: list[tuple[int, bytes, bytes]], large_meta: bool = False) -> bytes:
    """`items`: id, type and data (kept in idat, one after another)."""
    iinf = full(b"iinf", 0, struct.pack(">H", len(items))
                + b"".join(infe(item, kind) for item, kind, _ in items))
    # iloc version 1: offsets and lengths of 4 bytes, no base offset; construction method 1.
    entries, offset = b"", 0
    for item, _, data in items:
        entries += struct.pack(">HHHHII", item, 1, 0, 1, offset, len(data))
        offset += len(data)
    iloc = full(b"iloc", 1, struct.pack(">BBH", 0x44, 0x00, len(items)) + entries)
    idat = box(b"idat", b"".join(data for _, _, data in items))
    meta = box(b"meta", bytes(4) + full(b"hdlr", 0, bytes(20)) + iinf + iloc + idat,
               large=large_meta)
    return box(b"ftyp", b"heic\x00\x00\x00\x00mif1heic") + meta + box(b"mdat", bytes(64))


def test_a_grid_and_an_overlay_say_their_sizes_in_both_field_widths() -> None:
    grid16 = struct.pack(">BBBBHH", 0, 0, 1, 1, 4032, 3024)
    grid32 = struct.pack(">BBBBII", 0, 1, 0, 0, 70000, 2)
    overlay = struct.pack(">BB8sHH", 0, 0, bytes(8), 800, 600)
    tile = b"hvc1 coded bytes"
    data = heif([(1, b"grid", grid16), (2, b"hvc1", tile), (3, b"grid", grid32),
                 (4, b"iovl", overlay)], large_meta=True)
    assert declared_canvases(data) == [(4032, 3024), (70000, 2), (800, 600)]
    assert declared_canvases(heif([(1, b"hvc1", tile)])) == []


@pytest.mark.parametrize("mangle", [
    lambda d: d.replace(b"meta", b"mota"),  # no meta box
    lambda d: d.replace(b"iloc", b"ilok"),  # nowhere to find the grid's data
    lambda d: d[:-80],  # cut in the middle of its boxes
    lambda d: d.replace(struct.pack(">HHHH", 1, 1, 0, 1), struct.pack(">HHHH", 1, 2, 0, 1)),
])
def test_a_file_whose_boxes_do_not_say_is_unreadable(
        mangle: Callable[[bytes], bytes]) -> None:
    data = heif([(1, b"grid", struct.pack(">BBBBHH", 0, 0, 0, 0, 100, 100))])
    with pytest.raises(HeifUnreadable):
        declared_canvases(mangle(data))


def test_the_walk_stops_after_its_boxes() -> None:
    many = b"".join(box(b"free", b"") for _ in range(MOST_BOXES + 1))
    data = heif([(1, b"grid", struct.pack(">BBBBHH", 0, 0, 0, 0, 100, 100))])
    with pytest.raises(HeifUnreadable, match="boxes"):
        declared_canvases(many + data)


def test_an_item_named_twice_is_unreadable() -> None:
    """Two locations for the grid, 32768×32768 first and 100×100 last: the walk kept the
    last while libheif may decode the first."""
    small = struct.pack(">BBBBHH", 0, 0, 0, 0, 100, 100)
    bomb = struct.pack(">BBBBHH", 0, 0, 0, 0, 32768, 32768)
    data = heif([(1, b"grid", bomb), (2, b"hvc1", small)])
    located_twice = data.replace(struct.pack(">HHHHII", 2, 1, 0, 1, len(bomb), len(small)),
                                 struct.pack(">HHHHII", 1, 1, 0, 1, len(bomb), len(small)))
    with pytest.raises(HeifUnreadable, match="twice"):
        declared_canvases(located_twice)


def test_extents_of_no_bytes_are_stepped_over_not_read_one_by_one(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """An iloc with every size zero and 65,535 extents an item: read one by one, 30 ms of the
    editor's one decoding slot for each 6 bytes of upload (days for 30 MB). Stepped over, an
    item costs the same few reads however many extents it claims."""
    reads = 0
    number = heif_grid._Reader.number

    def counted(self: heif_grid._Reader, size: int) -> int:
        nonlocal reads
        reads += 1
        return number(self, size)

    monkeypatch.setattr(heif_grid._Reader, "number", counted)
    items = 2000
    iloc = full(b"iloc", 0, struct.pack(">BBH", 0, 0, items)
                + b"".join(struct.pack(">HHH", k, 0, 0xFFFF) for k in range(1, items + 1)))
    iinf = full(b"iinf", 0, struct.pack(">H", 1) + infe(1, b"grid"))
    data = box(b"ftyp", b"heic\x00\x00\x00\x00") + box(b"meta", bytes(4) + iinf + iloc)
    declared_canvases(data + bytes(16))
    assert reads < 10 * items
    # More items than a picture ever has: refused before any is read.
    many = full(b"iloc", 0, struct.pack(">BBH", 0, 0, heif_grid.MOST_ITEMS + 1))
    with pytest.raises(HeifUnreadable, match="items"):
        declared_canvases(box(b"meta", bytes(4) + iinf + many))
