"""kiosk.core.hashes gives the very digests hashlib gives (the content index, the picture and
clip caches and the crash fingerprints on disk key on them), without loading OpenSSL."""

from __future__ import annotations

import hashlib
import importlib
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.core import hashes

SIZES = (0, 1, 55, 56, 63, 64, 65, 127, 128, 129, 1000, 65_536, 1_000_003)


def chunks(data: bytes, rng: random.Random) -> list[bytes]:
    parts, at = [], 0
    while at < len(data):
        step = rng.choice((1, 7, 64, 100, 4096, 70_000))
        parts.append(data[at:at + step])
        at += step
    return parts


@pytest.mark.parametrize("size", SIZES)
def test_sha256_is_hashlibs(size: int) -> None:
    rng = random.Random(size)
    data = rng.randbytes(size)
    assert hashes.sha256(data).digest() == hashlib.sha256(data).digest()
    assert hashes.sha256(data).hexdigest() == hashlib.sha256(data).hexdigest()
    digest = hashes.sha256()
    for part in chunks(data, rng):
        digest.update(part)
    copy = digest.copy()
    assert digest.hexdigest() == hashlib.sha256(data).hexdigest()
    copy.update(b"more")
    assert copy.hexdigest() == hashlib.sha256(data + b"more").hexdigest()


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("digest_size", [16, 32, 64])
def test_blake2b_is_hashlibs(size: int, digest_size: int) -> None:
    rng = random.Random(size * 100 + digest_size)
    data = rng.randbytes(size)
    person = str(size).encode()[:16]
    assert hashes.blake2b(data, digest_size=digest_size, person=person).digest() \
        == hashlib.blake2b(data, digest_size=digest_size, person=person).digest()
    digest = hashes.blake2b(digest_size=digest_size)
    for part in chunks(data, rng):
        digest.update(part)
    assert digest.hexdigest() == hashlib.blake2b(data, digest_size=digest_size).hexdigest()


def test_known_answers() -> None:
    # FIPS 180-2's and RFC 7693's own examples: the algorithm, not only the same as hashlib.
    assert hashes.sha256(b"abc").hexdigest() == (
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    assert hashes.blake2b(b"abc").hexdigest() == (
        "ba80a53f981c4d0d6a2797b69f12f6e94c212f14685ac4b74b12bb6fdbffa2d1"
        "7d87c5392aab792dc252d5de4533cc9518d38aa8dbf1925ab92386edd4009923")


def test_keys_on_disk_are_as_before(tmp_path: Path) -> None:
    """The names and keys the kiosk wrote with hashlib are the ones it computes now."""
    from kiosk.core.content.index import default_index_path
    from kiosk.core.content.video import EDGE_BYTES, clip_key

    content = tmp_path / "content"
    name = os.path.abspath(content)
    assert default_index_path(content, {"KIOSK_CACHE_DIR": str(tmp_path)}).name \
        == f"index-{hashlib.sha256(name.encode()).hexdigest()[:16]}.sqlite"
    clip = tmp_path / "clip.mp4"
    data = random.Random(1).randbytes(3 * EDGE_BYTES + 5)
    clip.write_bytes(data)
    info = clip.stat()
    edges = hashlib.sha256(data[:EDGE_BYTES] + data[-EDGE_BYTES:]).hexdigest()[:32]
    assert clip_key(clip) == f"{info.st_size}-{info.st_mtime_ns}-{edges}"


def test_without_pythons_own_it_is_hashlibs(monkeypatch: pytest.MonkeyPatch) -> None:
    """A Python built without its own SHA-256 and BLAKE2 (or a later one naming them
    otherwise) gets hashlib's."""
    for module in ("_sha256", "_sha2", "_blake2"):
        monkeypatch.setitem(sys.modules, module, None)  # importing it raises ImportError
    try:
        fallback = importlib.reload(hashes)
        assert fallback.sha256 is hashlib.sha256
        assert fallback.blake2b is hashlib.blake2b
        assert fallback.sha256(b"abc").hexdigest() == hashlib.sha256(b"abc").hexdigest()
    finally:
        monkeypatch.undo()
        importlib.reload(hashes)
    assert hashes.sha256 is not hashlib.sha256  # this Python's own again


# The core modules of the kiosk's window process that make digests, and the PIN's.
DIGESTING = ("kiosk.core.service.diagnostics", "kiosk.core.content.imagesafe",
             "kiosk.core.content.index", "kiosk.core.content.loader", "kiosk.core.machine",
             "kiosk.core.pin", "kiosk.core.content.reload", "kiosk.core.service.status",
             "kiosk.core.content.video")

PROBE = """
import sys
for name in sys.argv[1:]:
    __import__(name)
from kiosk.core.service import diagnostics
from kiosk.core.content import index
from kiosk.core.service import status
from kiosk.core.pin import hash_pin, verify
print(status.short_hash("x"), index.reader_version(), diagnostics.__name__)
print("BEFORE", *sorted({"hashlib", "_hashlib", "ssl", "_ssl"} & set(sys.modules)))
print(verify("1234", hash_pin("1234", n=2**4)), verify("4321", hash_pin("1234", n=2**4)))
print("AFTER", "_hashlib" in sys.modules)
"""


def test_the_core_makes_its_digests_without_openssl() -> None:
    done = subprocess.run([sys.executable, "-c", PROBE, *DIGESTING], capture_output=True,
                          text=True, timeout=60, check=False)
    lines = done.stdout.splitlines()
    assert "BEFORE" in lines, done.stderr[-2000:]
    assert "True False" in lines  # the PIN is checked with OpenSSL's scrypt, loaded then
    assert "AFTER True" in lines
