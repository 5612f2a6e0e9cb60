"""A start with nothing changed parses no file and checks no picture (kiosk.core.content.kept): the
settings, colouring, poster and notice files and the pictures' checks come from the index,
exactly as a fresh read gives them; a changed file, or a record that is not sound, is read
again."""

from __future__ import annotations

import json
import math
import os
import random
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kiosk.core.content import loader as loader_module
from kiosk.core.content.index import ContentIndex
from kiosk.core.content.kept import MAX_RECORD, decode_picture, decode_yaml, encode_yaml
from kiosk.core.content.loader import ImageCheck, ParseCache, load_content
from kiosk.core.content.model import Content
from kiosk.core.content.problems import Problem, Severity
from kiosk.core.content.sandbox import ParseRunaway, ParseSandbox
from kiosk.core.content.yamlsrc import LineDict
from tests.helpers import SVG, make_folder, story

PROBED: list[str] = []


def counting_probe(path: Path) -> ImageCheck:
    """A decoder check that counts its calls (a module-level function: its verdicts are kept)."""
    PROBED.append(path.name)
    return ImageCheck(size=(100, 100))


@pytest.fixture
def parsed(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The files sent to the sandbox's child, by name."""
    sent: list[str] = []
    call = ParseSandbox.call

    def counted(self: ParseSandbox, function: Any, *args: Any) -> Any:
        sent.append(Path(args[0]).name)
        return call(self, function, *args)

    monkeypatch.setattr(ParseSandbox, "call", counted)
    PROBED.clear()
    yield sent


def _folder(tmp_path: Path) -> Path:
    root = make_folder(
        tmp_path / "c", stories={"a.md": story("История", "Текст.")},
        settings="tags:\n  дети: children\nslide_secondz: 5\n",  # a warning: kept with it
        images={"colouring/1-cat.svg": SVG, "colouring/2-dog.svg": SVG,
                "colouring/colouring.yaml": "- file: 2-dog.svg\n  title: Пёс\n  colour: red\n",
                "posters/hello.svg": SVG, "posters/hello.yaml": "duration: 500\n",
                "notices/closed.yaml": "text: Завтра закрыто\nlevel: срочно\n",
                "notices/broken.yaml": "text: [\n"})
    return root


def _start(root: Path, index: Path, story_limit: int | None = 200) -> Content:
    """A new process's first read: a fresh cache over the same index file."""
    opened = ContentIndex.open(index, root)
    assert opened is not None
    try:
        return load_content(root, counting_probe, cache=ParseCache(index=opened),
                            story_limit=story_limit)
    finally:
        opened.close()


def _same(content: Content, fresh: Content) -> None:
    for name in ("settings", "colouring", "posters", "notices"):
        assert getattr(content, name) == getattr(fresh, name), name
    assert [(s.id, s.title) for s in content.stories] == [(s.id, s.title) for s in fresh.stories]
    assert content.problems == fresh.problems


def test_a_start_with_nothing_changed_parses_no_file(tmp_path: Path, parsed: list[str]) -> None:
    root = _folder(tmp_path)
    fresh = load_content(root, counting_probe)
    assert {p.code for p in fresh.problems} >= {"unknown_key", "unknown_field", "clamped",
                                                "yaml_syntax"}
    first = _start(root, tmp_path / "index.sqlite")
    _same(first, fresh)
    parsed.clear()
    PROBED.clear()
    for _ in range(2):
        warm = _start(root, tmp_path / "index.sqlite")
        _same(warm, fresh)
        assert parsed == []  # not even kiosk.yaml: the sandbox's child is not needed
        assert PROBED == []  # and no picture decoded again
    # A reload in the same process (the reloader's whole read) needs none either.
    opened = ContentIndex.open(tmp_path / "index.sqlite", root)
    cache = ParseCache(index=opened)
    for _ in range(2):
        _same(load_content(root, counting_probe, cache=cache), fresh)
    assert parsed == [] and PROBED == []


def test_a_file_rewritten_with_the_same_size_and_times_is_read_again(
        tmp_path: Path, parsed: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    root = _folder(tmp_path)
    _start(root, tmp_path / "index.sqlite")
    notice = root / "notices" / "closed.yaml"
    info = notice.stat()
    text = notice.read_text(encoding="utf-8").replace("Завтра", "Сейчас")
    assert len(text.encode()) == info.st_size
    with notice.open("r+", encoding="utf-8") as file:  # in place: the same inode
        file.write(text)
    os.utime(notice, ns=(info.st_atime_ns, info.st_mtime_ns))
    # Written in the same tick of the file system's clock, its change time would not move
    # either: the record of a YAML file is checked against its bytes, not its times.
    monkeypatch.setattr(loader_module, "stamp", lambda path: b"same")
    parsed.clear()
    content = _start(root, tmp_path / "index.sqlite")
    assert [n.text.ru for n in content.notices] == ["Сейчас закрыто"]
    assert "closed.yaml" in parsed and "kiosk.yaml" not in parsed


def test_a_picture_replaced_keeping_its_size_and_time_is_checked_again(
        tmp_path: Path, parsed: list[str]) -> None:
    root = _folder(tmp_path)
    _start(root, tmp_path / "index.sqlite")
    picture = root / "colouring" / "1-cat.svg"
    info = picture.stat()
    swapped = SVG.replace('stroke="#000"', 'stroke="#111"')
    assert len(swapped) == len(SVG)
    new = picture.with_name(".new.svg")
    new.write_text(swapped, encoding="utf-8")
    os.utime(new, ns=(info.st_atime_ns, info.st_mtime_ns))
    os.replace(new, picture)  # as rsync does: the change time and the inode tell
    PROBED.clear()
    _start(root, tmp_path / "index.sqlite")
    assert PROBED == ["1-cat.svg"]


def _json(value: Any) -> bytes:
    return json.dumps(value).encode()


def _records(index: Path) -> dict[str, bytes]:
    with sqlite3.connect(index) as connection:
        return dict(connection.execute("SELECT key, record FROM kept"))


def _spoil(index: Path, spoilt: dict[str, bytes]) -> None:
    with sqlite3.connect(index) as connection:
        connection.executemany("UPDATE kept SET record = ? WHERE key = ?",
                               [(record, key) for key, record in spoilt.items()])


def test_a_damaged_or_foreign_record_is_as_good_as_none(tmp_path: Path,
                                                        parsed: list[str]) -> None:
    root = _folder(tmp_path)
    fresh = load_content(root, counting_probe)
    index = tmp_path / "index.sqlite"
    _start(root, index)
    records = _records(index)
    assert len(records) == 8  # kiosk.yaml, colouring.yaml, a poster's, 2 notices, 3 pictures
    key = {Path(k.rpartition(":")[2]).name: k for k in records}
    poster = json.loads(records[key["hello.yaml"]])
    notice = json.loads(records[key["closed.yaml"]])
    spoilt = {
        key["kiosk.yaml"]: records[key["kiosk.yaml"]][:-7],  # cut short
        key["colouring.yaml"]: b"\x00" * 40,  # not JSON at all
        # A problem this code does not know, and a tree PyYAML never makes.
        key["hello.yaml"]: _json([*poster[:3], [[str(root / "posters" / "hello.yaml"), 1,
                                                "error", "nope", []]]]),
        key["closed.yaml"]: _json([*notice[:2], ["x", []], notice[3]]),
        key["1-cat.svg"]: _json(["picture1", "00", [], None]),  # another stamp
        key["2-dog.svg"]: _json(["picture1"]),  # not a record's shape
        key["hello.svg"]: b"\xff" * (MAX_RECORD + 1),  # larger than any record
    }
    _spoil(index, spoilt)
    parsed.clear()
    PROBED.clear()
    _same(_start(root, index), fresh)
    # (broken.yaml's notice is kept as an item that failed, as a broken story is.)
    assert sorted(parsed) == ["closed.yaml", "colouring.yaml", "hello.yaml", "kiosk.yaml"]
    assert sorted(PROBED) == ["1-cat.svg", "2-dog.svg", "hello.svg"]
    # Read again, and kept again: the next start needs nothing.
    parsed.clear()
    PROBED.clear()
    _same(_start(root, index), fresh)
    assert parsed == [] and PROBED == []


def test_records_of_files_gone_go_and_a_partial_read_forgets_none(
        tmp_path: Path, parsed: list[str]) -> None:
    root = _folder(tmp_path)
    index = tmp_path / "index.sqlite"
    _start(root, index, story_limit=None)
    (root / "notices" / "broken.yaml").unlink()
    (root / "posters" / "hello.svg").rename(root / "posters" / "bye.svg")
    _start(root, index)  # a first frame's read: it may not have seen everything
    assert any(k.endswith("broken.yaml") for k in _records(index))
    _start(root, index, story_limit=None)
    names = sorted(Path(k.rpartition(":")[2]).name for k in _records(index))
    assert names == ["1-cat.svg", "2-dog.svg", "bye.svg", "closed.yaml", "colouring.yaml",
                     "kiosk.yaml"]  # hello.yaml stands alone now: told, not read


def test_a_parse_stopped_is_not_kept(tmp_path: Path, parsed: list[str],
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    root = _folder(tmp_path)
    call = ParseSandbox.call

    def slow(self: ParseSandbox, function: Any, *args: Any) -> Any:
        if args[0].endswith("closed.yaml"):
            raise ParseRunaway("time", 5.0)  # a busy machine, not the file's doing
        return call(self, function, *args)

    with monkeypatch.context() as patch:
        patch.setattr(ParseSandbox, "call", slow)
        first = _start(root, tmp_path / "index.sqlite")
    assert "parse_too_slow" in {p.code for p in first.problems}
    parsed.clear()
    content = _start(root, tmp_path / "index.sqlite")
    assert "parse_too_slow" not in {p.code for p in content.problems}
    assert parsed == ["closed.yaml"]


def test_records_of_another_version_of_the_code_are_dropped(
        tmp_path: Path, parsed: list[str]) -> None:
    root = _folder(tmp_path)
    index = tmp_path / "index.sqlite"
    _start(root, index)
    with sqlite3.connect(index) as connection:
        connection.execute("UPDATE meta SET value = 'older' WHERE key = 'kept_reader'")
    reopened = ContentIndex.open(index, root)
    assert reopened is not None
    reopened.close()
    assert _records(index) == {}


def test_every_kind_of_value_pyyaml_makes_comes_back_as_it_was() -> None:
    inner = LineDict()
    inner["x"] = [1, 2.5, None, True, "текст", b"\x00\x01", {1, "a"}, (("k", 1), ("j", 2))]
    inner.key_lines["x"] = 3
    top = LineDict()
    top["a"] = inner
    top["n"] = 10 ** 40
    top["f"] = math.inf
    top.key_lines.update(a=2, n=7, f=8)
    top.duplicates.append(("a", 9))
    top.raw_text["n"] = "1e40"
    problems = [Problem("f.yaml", 9, Severity.WARNING, "duplicate_key", {"key": "a"})]
    record = encode_yaml(b"d", top, problems)
    value, read = decode_yaml(record, b"d", "f.yaml") or (None, [])
    assert value == top and read == problems
    assert isinstance(value["a"], LineDict)
    assert (value.key_lines, value.duplicates, value.raw_text, value["a"].key_lines) == \
        (top.key_lines, top.duplicates, top.raw_text, inner.key_lines)
    assert decode_yaml(record, b"other", "f.yaml") is None  # the file's bytes changed
    assert decode_yaml(record, b"d", "g.yaml") is None  # another file's record


def test_a_record_too_deep_or_too_large_is_refused() -> None:
    deep: Any = "x"
    for _ in range(40):
        deep = [deep]
    with pytest.raises(ValueError):
        encode_yaml(b"d", deep, [])
    nested: Any = "x"
    for _ in range(40):
        nested = ["l", [nested]]
    assert decode_yaml(_json(["yaml1", "64", nested, []]), b"d", "f") is None
    wide = _json(["yaml1", "64", ["l", [["l", [0] * 1000]] * 200], []])  # 200,000 values
    assert decode_yaml(wide, b"d", "f") is None
    assert decode_yaml(_json(["yaml1", "64", ["l", [["l", [0] * 100]] * 20], []]), b"d", "f") \
        == ([[0] * 100] * 20, [])


def test_no_damage_to_a_record_makes_reading_it_fail(tmp_path: Path) -> None:
    root = _folder(tmp_path)
    _start(root, tmp_path / "index.sqlite")
    records = _records(tmp_path / "index.sqlite")
    kiosk_yaml = next(r for k, r in records.items() if k.endswith("kiosk.yaml"))
    picture = next(r for k, r in records.items() if k.endswith("1-cat.svg"))
    digest = bytes.fromhex(json.loads(kiosk_yaml)[1])
    stamp = bytes.fromhex(json.loads(picture)[1])
    path = str(root / "kiosk.yaml")
    assert decode_yaml(kiosk_yaml, digest, path) is not None
    damaged = [record[:cut] for record in (kiosk_yaml, picture) for cut in range(len(record))]
    rng = random.Random(18)
    for record in (kiosk_yaml, picture):
        for _ in range(400):
            spoilt = bytearray(record)
            for _ in range(rng.randint(1, 4)):
                spoilt[rng.randrange(len(spoilt))] = rng.randrange(256)
            damaged.append(bytes(spoilt))
    for record in damaged:  # None, or what the record says: never an exception
        decode_yaml(record, digest, path)
        decode_picture(record, stamp, "1-cat.svg")
