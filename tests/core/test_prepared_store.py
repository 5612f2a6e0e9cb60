"""Colouring pictures kept on disk once prepared (kiosk.core.colouring.prepared_store): what the
page loads is exactly what preparing gave, and a kept file that is damaged, foreign or stale is
refused as a whole (the picture is prepared again), never half used."""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

import numpy as np
import pytest

from kiosk.core.colouring.engine import EngineSettings, PreparedPicture, prepare
from kiosk.core.colouring.prepared_store import (
    CARD_FILE,
    PICTURE_FILE,
    PreparedStore,
    decode_picture,
    encode_picture,
    picture_key,
)
from tests.core.test_colouring import scribbles

CARD = b"\x89PNG not decoded here"


@pytest.fixture(scope="module")
def picture() -> PreparedPicture:
    return prepare(scribbles(1), EngineSettings(gap_px=8.0))


def kept(tmp_path: Path, picture: PreparedPicture, key: str = "k") -> PreparedStore:
    store = PreparedStore(tmp_path / "prepared")
    assert store.put(key, encode_picture(picture), CARD)
    return store


def test_a_kept_picture_loads_as_it_was_prepared(tmp_path: Path,
                                                 picture: PreparedPicture) -> None:
    store = kept(tmp_path, picture)
    height, width = picture.darkness.shape
    loaded = store.load("k", width, height)
    assert loaded is not None
    assert np.array_equal(loaded.darkness, picture.darkness)
    assert np.array_equal(loaded.owner, picture.owner)
    assert loaded.owner.dtype == picture.owner.dtype
    assert loaded.regions == picture.regions
    assert loaded.line_fraction == picture.line_fraction
    assert loaded.darkness.flags.writeable and loaded.owner.flags.c_contiguous
    assert store.card_path("k").read_bytes() == CARD


def test_nothing_is_kept_under_another_key_or_for_a_smaller_canvas(
        tmp_path: Path, picture: PreparedPicture) -> None:
    store = kept(tmp_path, picture)
    height, width = picture.darkness.shape
    assert store.load("other", width, height) is None
    assert not store.has("other")
    assert store.load("k", width - 1, height) is None  # a picture larger than its canvas


def rewritten(store: PreparedStore, **arrays: np.ndarray) -> None:
    """The kept picture with some of its arrays replaced."""
    path = store.picture_path("k")
    with np.load(path) as old:
        merged = {name: old[name] for name in old.files} | arrays
    buffer = io.BytesIO()
    np.savez(buffer, **merged)
    path.write_bytes(buffer.getvalue())


def regions_of(picture: PreparedPicture) -> np.ndarray:
    return np.array([(r.label, *r.box, r.area) for r in picture.regions.values()],
                    dtype=np.int64)


@pytest.mark.parametrize("damage", [
    "truncated", "not a zip", "owner of floats", "owner another shape", "region off the edge",
    "region twice", "owner names a missing region", "no regions", "pickled object",
    "line share above one", "a shape larger than its data", "a region missing between"])
def test_a_damaged_kept_picture_is_refused_and_forgotten(
        tmp_path: Path, picture: PreparedPicture, damage: str,
        caplog: pytest.LogCaptureFixture) -> None:
    store = kept(tmp_path, picture)
    path = store.picture_path("k")
    height, width = picture.darkness.shape
    table = regions_of(picture)
    if damage == "truncated":  # a disk that filled up, a power cut
        path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    elif damage == "not a zip":
        path.write_bytes(b"\0" * 1000)
    elif damage == "owner of floats":
        rewritten(store, owner=picture.owner.astype(np.float64))
    elif damage == "owner another shape":
        rewritten(store, owner=picture.owner[:-1])
    elif damage == "region off the edge":
        table[0, 1] = width  # x
        rewritten(store, regions=table)
    elif damage == "region twice":
        rewritten(store, regions=np.concatenate([table, table[:1]]))
    elif damage == "owner names a missing region":
        rewritten(store, regions=table[table[:, 0] != table[:, 0].max()])
    elif damage == "no regions":
        with zipfile.ZipFile(path) as archive:
            members = {name: archive.read(name) for name in archive.namelist()}
        with zipfile.ZipFile(path, "w") as archive:
            for name, data in members.items():
                if name != "regions.npy":
                    archive.writestr(name, data)
    elif damage == "a shape larger than its data":  # an allocation of terabytes asked for
        with zipfile.ZipFile(path) as archive:
            members = {name: archive.read(name) for name in archive.namelist()}
        header = members["darkness.npy"]
        shape = f"{height, width}".encode()
        huge = b"(10000000, 10000000)"
        padding = b" " * (len(huge) - len(shape))
        assert shape in header and padding + b"\n" in header
        members["darkness.npy"] = header.replace(shape, huge, 1).replace(
            padding + b"\n", b"\n", 1)
        with zipfile.ZipFile(path, "w") as archive:
            for name, data in members.items():
                archive.writestr(name, data)
    elif damage == "a region missing between":  # a tap there would find no region
        rewritten(store, regions=table[table[:, 0] != 2])
    elif damage == "pickled object":
        rewritten(store, regions=np.array([{"label": 1}], dtype=object))
    else:
        rewritten(store, line_fraction=np.array(1.5))
    assert store.load("k", width, height) is None
    assert "not used" in caplog.text
    assert not store.folder("k").exists()  # prepared again next time, not refused again


def test_an_archive_that_unpacks_to_more_than_any_picture_is_not_unpacked(
        tmp_path: Path, picture: PreparedPicture, monkeypatch: pytest.MonkeyPatch) -> None:
    store = kept(tmp_path, picture)
    monkeypatch.setattr("kiosk.core.colouring.prepared_store.MOST_BYTES", 1000)
    height, width = picture.darkness.shape
    assert decode_picture(store.picture_path("k"), width, height) is None


def test_a_folder_is_kept_whole_or_not_at_all(tmp_path: Path, picture: PreparedPicture,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    store = PreparedStore(tmp_path / "prepared")
    written: list[Path] = []
    real = Path.write_bytes

    def full_disk(path: Path, data: bytes) -> int:
        written.append(path)
        if path.name == CARD_FILE:
            raise OSError(28, "No space left on device")
        return real(path, data)

    monkeypatch.setattr(Path, "write_bytes", full_disk)
    assert not store.put("k", encode_picture(picture), CARD)
    assert written[0].name == PICTURE_FILE  # the picture was written, then the card failed
    assert not store.has("k") and not store.folder("k").exists()
    assert os.listdir(store.directory) == []  # nothing half written left behind


def test_only_the_pictures_asked_for_stay(tmp_path: Path, picture: PreparedPicture) -> None:
    store = kept(tmp_path, picture, "a")
    store.put("b", encode_picture(picture), CARD)
    (store.directory / ".partial-c-123").mkdir()  # a write cut short by a power cut
    assert store.keep_only({"b"}) == 2
    assert sorted(os.listdir(store.directory)) == ["b"]


def test_each_picture_keeps_its_last_canvases_and_a_picture_gone_goes(
        tmp_path: Path, picture: PreparedPicture) -> None:
    store = PreparedStore(tmp_path / "prepared")
    data = encode_picture(picture)
    for when, key in enumerate(["cat-full", "cat-band", "cat-old", "cat-older", "dog-full"]):
        store.put(key, data, CARD)
        os.utime(store.folder(key), ns=(10**18 - when, 10**18 - when))  # each older
    # The page above a notice's band now: the full page and the band's other height stay.
    assert store.keep_only({"cat-now"}, canvases=3) == 3
    assert sorted(os.listdir(store.directory)) == ["cat-band", "cat-full"]
    store.put("cat-now", data, CARD)
    store.touch("cat-full")  # wanted again: the latest
    assert store.keep_only({"cat-now"}, canvases=2) == 1
    assert sorted(os.listdir(store.directory)) == ["cat-full", "cat-now"]


def test_the_key_changes_with_the_file_the_canvas_and_the_gap(tmp_path: Path) -> None:
    source = tmp_path / "cat.svg"
    source.write_text("<svg/>")
    first = picture_key(source, 1200, 900, 8.0)
    assert first is not None and first == picture_key(source, 1200, 900, 8.0)
    assert picture_key(source, 1201, 900, 8.0) != first
    assert picture_key(source, 1200, 901, 8.0) != first
    assert picture_key(source, 1200, 900, 9.0) != first
    os.utime(source, ns=(1, 1))  # a new version copied in with another time
    assert picture_key(source, 1200, 900, 8.0) != first
    assert picture_key(tmp_path / "gone.svg", 1200, 900, 8.0) is None
