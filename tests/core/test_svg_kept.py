"""What checking a drawing gave, kept on disk for the next start (kiosk.core.content.imagesafe,
keep_checks_in): a start with nothing changed imports no XML parser, and no kept answer ever
stands for bytes that were not checked."""

from __future__ import annotations

import os
from collections import OrderedDict
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.core import hashes
from kiosk.core.content import imagesafe
from kiosk.core.content.imagesafe import SvgResult, keep_checks_in, safe_svg_file
from tests.helpers import kiosk_env, run_python

GOOD = (b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10" width="10" height="10">'
        b'<rect width="5" height="5" fill="#123456"/></svg>')
# A script: refused. The same size as GOOD, so that a file changed from one to the other keeps
# its size (and, below, its modification time).
HOSTILE = (b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><script>alert(1)'
           b'</script>')
HOSTILE += b" " * (len(GOOD) - len(HOSTILE) - len(b"</svg>")) + b"</svg>"

# One start: checks the drawing with the checks kept in a folder, says what it found and
# whether it imported the XML parser for it.
START = """
import sys
from pathlib import Path
from kiosk.core.content import imagesafe
imagesafe.keep_checks_in(Path(sys.argv[1]))
result = imagesafe.safe_svg_file(sys.argv[2])
print("FOUND", result.ok, result.problem or "-", "xml.etree.ElementTree" in sys.modules,
      "defusedxml" in sys.modules, result.data.hex() or "-")
"""


def start(tmp_path: Path, drawing: Path) -> list[str]:
    done = run_python(START, str(tmp_path / "kept"), str(drawing), env=kiosk_env(tmp_path))
    found = [line.split()[1:] for line in done.stdout.splitlines() if line.startswith("FOUND")]
    assert found, done.stderr[-2000:]
    return found[0]


@pytest.fixture
def kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[list[bytes]]:
    """Checks kept in tmp_path/kept, nothing in memory from other tests; lists the drawings
    actually checked."""
    checked: list[bytes] = []
    check = imagesafe._sanitise_svg

    def counting(data: bytes) -> SvgResult:
        checked.append(data)
        return check(data)

    monkeypatch.setattr(imagesafe, "_sanitise_svg", counting)
    monkeypatch.setattr(imagesafe, "_checked", OrderedDict())
    keep_checks_in(tmp_path / "kept")
    yield checked
    keep_checks_in(None)


def a_new_start(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(imagesafe, "_checked", OrderedDict())  # what the process remembered


def test_a_start_with_nothing_changed_imports_no_xml_parser(tmp_path: Path) -> None:
    drawing = tmp_path / "icon.svg"
    drawing.write_bytes(GOOD)
    ok, problem, etree, defused, data = start(tmp_path, drawing)
    assert (ok, problem, etree, defused) == ("True", "-", "True", "True")
    # The next start draws the very document the check rebuilt, without parsing anything.
    assert start(tmp_path, drawing) == ["True", "-", "False", "False", data]


def test_a_drawing_changed_between_two_starts_is_checked_again(tmp_path: Path) -> None:
    drawing = tmp_path / "poster.svg"
    drawing.write_bytes(GOOD)
    assert start(tmp_path, drawing)[:2] == ["True", "-"]
    before = os.stat(drawing)
    with drawing.open("r+b") as out:  # the same file, size and modification time
        out.write(HOSTILE)
    os.utime(drawing, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = os.stat(drawing)
    assert (after.st_size, after.st_mtime_ns, after.st_ino) == \
        (before.st_size, before.st_mtime_ns, before.st_ino)
    assert start(tmp_path, drawing)[:3] == ["False", "svg_script", "True"]
    # … and back: a refusal is kept too, and never outlives the bytes it was about.
    drawing.write_bytes(GOOD)
    assert start(tmp_path, drawing)[:3] == ["True", "-", "False"]


def test_a_damaged_or_foreign_record_is_never_used(
        tmp_path: Path, kept: list[bytes], monkeypatch: pytest.MonkeyPatch) -> None:
    good, hostile = tmp_path / "good.svg", tmp_path / "hostile.svg"
    good.write_bytes(GOOD)
    hostile.write_bytes(HOSTILE)
    rebuilt = safe_svg_file(good)
    assert safe_svg_file(hostile).problem == "svg_script"
    assert kept == [GOOD, HOSTILE]
    records = {path.name: path for path in (tmp_path / "kept").iterdir()}
    assert len(records) == 2
    good_record, hostile_record = (
        records[hashes.blake2b(data, digest_size=16).hexdigest()]
        for data in (GOOD, HOSTILE))
    original = good_record.read_bytes()

    # The good drawing's answer put in the hostile drawing's place: not taken for it.
    hostile_record.write_bytes(original)
    a_new_start(monkeypatch)
    assert safe_svg_file(hostile).problem == "svg_script"
    assert kept[-1] == HOSTILE
    # A record damaged (one byte of its document, or cut short), or written by another
    # version of the checks: the drawing is checked again, and drawn as checked.
    for damaged in (original[:-3] + b"X" + original[-2:], original[:-10]):
        good_record.write_bytes(damaged)
        a_new_start(monkeypatch)
        assert safe_svg_file(good) == rebuilt
        assert kept[-1] == GOOD
    checks = len(kept)
    a_new_start(monkeypatch)
    assert safe_svg_file(good) == rebuilt and len(kept) == checks  # rewritten, and used
    monkeypatch.setattr(imagesafe, "_version", ["another version"])
    a_new_start(monkeypatch)
    assert safe_svg_file(good) == rebuilt and len(kept) == checks + 1


def test_kept_checks_are_few(tmp_path: Path, kept: list[bytes],
                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(imagesafe, "KEPT_FILES", 3)
    for colour in range(6):
        assert imagesafe.sanitise_svg(GOOD.replace(b"123456", b"%06d" % colour)).ok
    assert len(list((tmp_path / "kept").iterdir())) == 3


def test_nothing_is_kept_unless_told_where(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                           ) -> None:
    # `kiosk check`, the editor and tests: checks stay in memory (kiosk run keeps them).
    monkeypatch.setattr(imagesafe, "_checked", OrderedDict())
    monkeypatch.chdir(tmp_path)
    assert imagesafe.sanitise_svg(GOOD).ok
    assert imagesafe._kept_folder is None
    assert list(tmp_path.iterdir()) == []
