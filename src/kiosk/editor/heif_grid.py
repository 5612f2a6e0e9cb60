"""The size a HEIC picture's grid or overlay declares, read from its boxes before libheif
decodes anything.

A phone stores a large photo as a grid of tiles. Its item's `ispe` property, which pillow-heif
reports as the size, may say 1000×1000 while the grid's own data says 32768×32768: libheif
decodes the whole grid (1.66 GB for a 15 KB file) and only then finds the two disagree. The
grid's and the overlay's output sizes are in the file, a few bytes each; this walk finds them
(ISO/IEC 23008-12: `meta` → `iinf` for the items' types, `iloc` for where their data is,
`idat` or the file for the data). Bounded by `MOST_BOXES` and `MOST_ITEMS`, and linear in the
file: an item's extents after its first are stepped over, not read one by one (with sizes of
zero bytes, 65,535 extents an item made 600 bytes take 3 s). A file whose derived item it
cannot read, or that names an item twice, is refused by the caller rather than decoded blind.
"""

from __future__ import annotations

import struct

MOST_BOXES = 4096  # boxes looked at, every level together: a phone's HEIC has a few dozen
MOST_ITEMS = 4096  # items located (a phone's 24 MP grid: about 50); libheif stops at 1,000
DERIVED = (b"grid", b"iovl")  # items whose picture is made of others, at a size of their own


class HeifUnreadable(ValueError):
    """The file's boxes do not say where its grid's size is."""


def declared_canvases(data: bytes) -> list[tuple[int, int]]:
    """Width and height of every grid and overlay item in a HEIF file (none: the picture is
    one coded image, its size what its header says). Raises HeifUnreadable."""
    budget = [MOST_BOXES]
    meta = _children(data, 0, len(data), budget).get(b"meta")
    if meta is None:
        raise HeifUnreadable("no meta box")
    inside = _children(data, meta[0] + 4, meta[1], budget)  # a full box: version, flags
    derived = _derived_items(data, inside.get(b"iinf"), budget)
    if not derived:
        return []
    places = _locations(data, inside.get(b"iloc"))
    idat = inside.get(b"idat")
    sizes = []
    for item in derived:
        if item not in places:
            raise HeifUnreadable(f"item {item} has no location")
        method, offset = places[item]
        if method == 1:  # in the idat box
            if idat is None:
                raise HeifUnreadable("no idat box")
            offset += idat[0]
            if offset >= idat[1]:
                raise HeifUnreadable("outside idat")
        elif method != 0:  # made from another item: not written by phones or editors
            raise HeifUnreadable(f"construction method {method}")
        sizes.append(_output_size(data, offset, derived[item]))
    return sizes


def _boxes(data: bytes, start: int, end: int,
           budget: list[int]) -> list[tuple[bytes, int, int]]:
    """The boxes between `start` and `end`: type, where its payload starts and ends."""
    found = []
    at = start
    while at + 8 <= end:
        budget[0] -= 1
        if budget[0] < 0:
            raise HeifUnreadable(f"more than {MOST_BOXES} boxes")
        size, kind = struct.unpack_from(">I4s", data, at)
        header = 8
        if size == 1:
            if at + 16 > end:
                raise HeifUnreadable("cut box header")
            (size,) = struct.unpack_from(">Q", data, at + 8)
            header = 16
        elif size == 0:
            size = end - at
        if size < header or at + size > end:
            raise HeifUnreadable(f"box {kind!r} runs past its parent")
        found.append((kind, at + header, at + size))
        at += size
    return found


def _children(data: bytes, start: int, end: int,
              budget: list[int]) -> dict[bytes, tuple[int, int]]:
    """The first box of each type between `start` and `end`: where its payload is."""
    found: dict[bytes, tuple[int, int]] = {}
    for kind, payload, stop in _boxes(data, start, end, budget):
        found.setdefault(kind, (payload, stop))
    return found


def _derived_items(data: bytes, iinf: tuple[int, int] | None,
                   budget: list[int]) -> dict[int, bytes]:
    """The grid and overlay items: item id → type."""
    if iinf is None:
        raise HeifUnreadable("no iinf box")
    start, end = iinf
    if start + 4 > end:
        raise HeifUnreadable("cut iinf box")
    version = data[start]
    first = start + 4 + (2 if version == 0 else 4)  # the entry count, not needed
    derived: dict[int, bytes] = {}
    for kind, payload, stop in _boxes(data, first, end, budget):
        if kind != b"infe" or payload + 4 > stop:
            continue
        version = data[payload]
        if version < 2:
            continue  # old item infos carry no type: not a picture's
        id_size = 2 if version == 2 else 4
        at = payload + 4
        if at + id_size + 2 + 4 > stop:
            raise HeifUnreadable("cut infe box")
        item = int.from_bytes(data[at:at + id_size], "big")
        item_type = data[at + id_size + 2:at + id_size + 6]
        if item in derived:
            raise HeifUnreadable(f"item {item} described twice")
        if item_type in DERIVED:
            derived[item] = item_type
    return derived


def _locations(data: bytes, iloc: tuple[int, int] | None) -> dict[int, tuple[int, int]]:
    """Item id → (construction method, offset of its first extent's data)."""
    if iloc is None:
        raise HeifUnreadable("no iloc box")
    start, end = iloc
    reader = _Reader(data, start, end)
    version = reader.number(1)
    reader.number(3)  # flags
    sizes = reader.number(2)
    offset_size, length_size = sizes >> 12, (sizes >> 8) & 15
    base_size, index_size = (sizes >> 4) & 15, sizes & 15 if version in (1, 2) else 0
    count = reader.number(2 if version < 2 else 4)
    if count > MOST_ITEMS:
        raise HeifUnreadable(f"more than {MOST_ITEMS} items")
    places: dict[int, tuple[int, int]] = {}
    for _ in range(count):
        item = reader.number(2 if version < 2 else 4)
        method = reader.number(2) & 15 if version in (1, 2) else 0
        reader.number(2)  # data reference index
        base = reader.number(base_size)
        extents = reader.number(2)
        first = 0
        if extents:
            reader.number(index_size)
            first = reader.number(offset_size)
            reader.number(length_size)
            reader.skip((extents - 1) * (index_size + offset_size + length_size))
        if item in places:  # which one would libheif take? Neither is trusted
            raise HeifUnreadable(f"item {item} located twice")
        places[item] = (method, base + first)
    return places


def _output_size(data: bytes, at: int, kind: bytes) -> tuple[int, int]:
    """A grid's or an overlay's output width and height, from its data at `at`."""
    reader = _Reader(data, at, len(data))
    reader.number(1)  # version
    flags = reader.number(1)
    if kind == b"grid":
        reader.number(2)  # rows and columns, less one each
    else:
        reader.number(8)  # the canvas's fill colour
    field = 4 if flags & 1 else 2
    return reader.number(field), reader.number(field)


class _Reader:
    """Big-endian numbers of 0 to 8 bytes, read forwards within [start, end)."""

    def __init__(self, data: bytes, start: int, end: int) -> None:
        self.data, self.at, self.end = data, start, end

    def skip(self, size: int) -> None:
        if self.at + size > self.end:
            raise HeifUnreadable("cut box")
        self.at += size

    def number(self, size: int) -> int:
        if size > 8 or self.at + size > self.end:
            raise HeifUnreadable("cut box")
        value = int.from_bytes(self.data[self.at:self.at + size], "big")
        self.at += size
        return value
