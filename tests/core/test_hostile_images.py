"""Pictures that a careless or hostile publisher can put in the content: in a story's text,
under a misleading name, or as a special file. `kiosk check` names each, and Qt is never
given them."""

from __future__ import annotations

import os
import struct
import threading
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest

from kiosk.core.content import loader
from kiosk.core.content.imagesafe import MAX_IMAGE_BYTES, ImageFileError, read_image_file
from kiosk.core.content.loader import ImageCheck, body_images, load_content
from tests.helpers import SVG, fastest_of_three, make_folder, story

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64
GIF = b"GIF89a" + b"\x00" * 64


@pytest.mark.parametrize("form", [
    "![фото](/etc/secret.png)",
    "![a [b] c](/etc/secret.png)",
    "![фото][r]\n\n[r]: /etc/secret.png",
    "![r]\n\n[r]: /etc/secret.png",
    "![R][]\n\n[r]: /etc/secret.png",
    "[![фото](/etc/secret.png)](https://example.org)",
    '<img src="/etc/secret.png">',
    '<IMG\nsrc="/etc/secret.png"/>',
])
def test_a_picture_in_the_text_is_an_error_named_at_its_line(tmp_path: Path,
                                                             form: str) -> None:
    text = f"Первый абзац.\n\nВторой: {form}\n\n=== English ===\n\nText {form}"
    root = make_folder(tmp_path / "c", stories={"x.md": story(body=text),
                                                "y.md": story(body="Без картинок.")})
    content = load_content(root)
    assert [s.id for s in content.stories] == ["y"]  # shown once the picture is taken out
    found = [(p.code, p.line) for p in content.problems if p.is_error]
    # The front matter takes lines 1-3: the Russian text starts on line 4.
    english = 4 + text.split("\n").index("=== English ===") + 2
    assert found == [("inline_image", 6), ("inline_image", english)]
    assert "photo:" in content.problems[0].message("en")


@pytest.mark.parametrize("text", [
    "Внимание![1] Это не картинка.",
    r"Экранировано: \![фото](/etc/secret.png)",
    "Ссылка: [сайт](https://mos.ru) и [сноска][1]\n\n[1]: https://mos.ru",
    "Восклицание! [в скобках] и (в круглых)",
    "Неполная ![картинка без конца",
    "Знак < и img, и <imgs>",
])
def test_text_that_only_looks_like_a_picture_is_left_alone(text: str) -> None:
    assert body_images(text) == []


@pytest.mark.parametrize("make", [
    lambda n: "![" * n,
    lambda n: "[" * n + "]" * n,
    lambda n: "![a](" * n,
    lambda n: "![a]" * n + "\n\n[a]: /x",
    lambda n: "\\" * n,
    lambda n: "![" + "a" * (n * 4) + "][r]",
    lambda n: "<img" * n,
    lambda n: "\n" * n + "=x",
])
def test_finding_pictures_is_linear_on_100_kb_of_hostile_text(
        make: Callable[[int], str]) -> None:
    small, large = make(2_400), make(24_000)
    assert len(large) >= 24_000
    took = fastest_of_three(body_images, large)
    assert took < 0.5
    # Ten times the input: linear is 10, quadratic 100; room for a busy machine between.
    assert took / max(fastest_of_three(body_images, small), 1e-4) < 35


@pytest.mark.parametrize(("name", "data", "code", "args"), [
    ("photo.jpg", PNG, "image_wrong_suffix", {"real": "PNG", "name": "photo.png"}),
    ("photo.png", JPEG, "image_wrong_suffix", {"real": "JPEG", "name": "photo.jpg"}),
    ("photo.png", SVG.encode(), "image_wrong_suffix", {"real": "SVG", "name": "photo.svg"}),
    ("photo.svg", PNG, "image_wrong_suffix", {"real": "PNG", "name": "photo.png"}),
    ("photo.png", GIF, "image_unsupported", {"real": "GIF"}),
    ("photo.jpeg", b"just text", "bad_image", {}),
])
def test_a_picture_must_be_what_its_name_says(tmp_path: Path, name: str, data: bytes,
                                              code: str, args: dict[str, str]) -> None:
    calls: list[Path] = []

    def probe(path: Path) -> ImageCheck:  # the decoder is never asked about it
        calls.append(path)
        return ImageCheck()

    root = make_folder(tmp_path / "c", stories={"x.md": story(photo=f"images/{name}")},
                       images={f"images/{name}": data, f"colouring/{name}": data})
    content = load_content(root, probe)
    assert content.stories == () and content.colouring == ()
    errors = [p for p in content.problems if p.is_error]
    assert [p.code for p in errors] == [code, code]
    assert all(p.args.items() >= args.items() for p in errors)
    assert calls == []


def test_a_jpeg_saved_by_windows_as_jfif_is_told_the_name_to_give_it(tmp_path: Path) -> None:
    """Windows saves many a JPEG from the web as «.jfif»: staff holding a JPEG were told
    «формат не поддерживается; используйте PNG, JPEG или SVG»."""
    jpeg = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64
    root = make_folder(tmp_path / "c", stories={"x.md": story(photo="images/Зонт.jfif")},
                       images={"images/Зонт.jfif": jpeg, "posters/Афиша.jfif": jpeg,
                               "posters/a.svg": SVG})
    content = load_content(root)
    told = {p.args.get("name"): p for p in content.problems if p.code == "image_wrong_suffix"}
    assert set(told) == {"images/Зонт.jpg", "Афиша.jpg"}
    assert told["images/Зонт.jpg"].is_error and not told["Афиша.jpg"].is_error
    assert "картинка JPEG" in told["Афиша.jpg"].message("ru")
    assert "переименуйте файл в «images/Зонт.jpg»" in told["images/Зонт.jpg"].message("ru")
    assert content.stories == () and [p.id for p in content.posters] == ["a"]


def test_a_fifo_in_place_of_a_picture_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "photo.png"
    os.mkfifo(fifo)
    finished = threading.Event()
    rescued = threading.Event()

    def rescue() -> None:
        # Were the read to block, a writer opening and closing the FIFO ends it (an EOF),
        # so the test fails instead of hanging the run.
        if not finished.wait(10):
            rescued.set()
            with open(fifo, "wb"):
                pass

    helper = threading.Thread(target=rescue)
    helper.start()
    try:
        with pytest.raises(ImageFileError) as refused:
            read_image_file(fifo)
    finally:
        finished.set()
        helper.join()
    assert not rescued.is_set()
    assert refused.value.code == "bad_image"


def test_a_device_in_place_of_a_picture_is_refused() -> None:
    with pytest.raises(ImageFileError):
        read_image_file("/dev/zero")


def test_a_cameras_jpeg_too_large_is_told_the_limit_not_to_be_saved_as_jpeg(
        tmp_path: Path) -> None:
    """A 60 MB photo is most often a JPEG already: «сохраните её в JPEG» told staff to do what
    they had done, and not what the most is."""
    root = make_folder(tmp_path / "c", stories={"x.md": story(photo="images/camera.jpg")})
    (root / "images").mkdir(exist_ok=True)
    with open(root / "images" / "camera.jpg", "wb") as photo:  # sparse: nothing is written
        photo.write(b"\xff\xd8\xff\xe0")
        photo.truncate(MAX_IMAGE_BYTES + 10_000_000)
    (problem, *_) = load_content(root).problems
    assert problem.code == "image_file_too_big"
    said = problem.message("ru")
    assert f"до {MAX_IMAGE_BYTES // 1_000_000} МБ" in said and "60,0 МБ" in said
    assert "сохраните её в JPEG" not in said
    assert f"up to {MAX_IMAGE_BYTES // 1_000_000} MB" in problem.message("en")


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png(extra: bytes = b"", width: int = 500, height: int = 400, depth: int = 8) -> bytes:
    """A small whole PNG (a grey strip, height rows of one byte each) with `extra` chunks
    before its pixels."""
    ihdr = struct.pack(">IIBBBBB", width, height, depth, 0, 0, 0, 0)
    pixels = zlib.compress(b"\x00" * 2 * height)  # rows cut short: only the header matters
    return (b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", ihdr) + extra
            + png_chunk(b"IDAT", pixels) + png_chunk(b"IEND", b""))


def ztxt(keyword: bytes, text: bytes) -> bytes:
    return png_chunk(b"zTXt", keyword + b"\x00\x00" + zlib.compress(text, 9))


def jpeg(scans: int) -> bytes:
    """The markers of a progressive JPEG: `scans` start-of-scan segments, each followed by
    entropy-coded data with a stuffed 0xFF and a restart marker, as libjpeg would read them."""
    frame = b"\xff\xc2\x00\x0b\x08\x00\x10\x00\x10\x01\x01\x11\x00"
    scan = b"\xff\xda\x00\x08\x01\x01\x00\x00\x3f\x00" + b"\x12\xff\x00\x34\xff\xd0\x56"
    return b"\xff\xd8\xff\xe0\x00\x04\xff\xda" + frame + scan * scans + b"\xff\xd9"


def _loaded(tmp_path: Path, name: str, data: bytes) -> tuple[list[str], list[Path]]:
    """The error codes `kiosk check` gives a story's photo, and what the decoder was given."""
    calls: list[Path] = []

    def probe(path: Path) -> ImageCheck:
        calls.append(path)
        return ImageCheck()

    root = make_folder(tmp_path / "c", stories={"x.md": story(photo=f"images/{name}")},
                       images={f"images/{name}": data})
    content = load_content(root, probe)
    return [p.code for p in content.problems if p.is_error], calls


@pytest.mark.parametrize(("what", "data"), [
    # The attack's 772 KB poster, in small: each 8 KB zTXt chunk inflates to 8 MB as Qt reads
    # the header; 100 of them aborted the kiosk with std::bad_alloc.
    ("a zTXt bomb", png(ztxt(b"a", b"A" * 5_000_000))),
    ("many small compressed ones", png(b"".join(ztxt(b"k%d" % i, b"B" * 200_000)
                                                for i in range(30)))),
    ("an iTXt bomb", png(png_chunk(b"iTXt", b"XML\x00\x01\x00en\x00\x00"
                                   + zlib.compress(b"C" * 5_000_000, 9)))),
    ("too many chunks", png(png_chunk(b"tEXt", b"a\x00b") * 65)),
    ("a huge uncompressed text", png(png_chunk(b"tEXt", b"a\x00" + b"x" * 1_100_000))),
])
def test_a_png_whose_metadata_would_flood_memory_is_never_decoded(
        tmp_path: Path, what: str, data: bytes) -> None:
    codes, calls = _loaded(tmp_path, "poster.png", data)
    assert (codes, calls) == (["image_too_complex"], []), what


def test_a_png_with_ordinary_metadata_is_decoded(tmp_path: Path) -> None:
    # A photo editor's: a few text chunks, an uncompressed XMP packet, a colour profile.
    xmp = png_chunk(b"iTXt", b"XML:com.adobe.xmp\x00\x00\x00\x00\x00" + b"<x:xmpmeta/>" * 4000)
    profile = png_chunk(b"iCCP", b"ICC\x00\x00" + zlib.compress(bytes(range(256)) * 12))
    extra = xmp + profile + ztxt(b"Comment", b"made by hand " * 100) \
        + png_chunk(b"tEXt", b"Software\x00GIMP") + png_chunk(b"pHYs", bytes(9)) * 3
    codes, calls = _loaded(tmp_path, "poster.png", png(extra))
    assert (codes, len(calls)) == ([], 1)


def test_a_16_bit_png_is_measured_by_its_memory(tmp_path: Path) -> None:
    # 124 KB on disk; 4000×4000 at 8 bytes a pixel took 309 MB to show.
    codes, calls = _loaded(tmp_path, "deep.png", png(width=4000, height=4000, depth=16))
    assert (codes, calls) == (["image_too_deep"], [])
    assert _loaded(tmp_path / "b", "deep.png", png(width=2000, height=2000, depth=16)) \
        == ([], [tmp_path / "b" / "c" / "images" / "deep.png"])
    assert _loaded(tmp_path / "c", "flat.png", png(width=4000, height=4000))[0] == []


def test_a_jpeg_with_too_many_scans_is_never_decoded(tmp_path: Path) -> None:
    # 22,000 scans of one picture took 34 s to decode on the UI thread.
    codes, calls = _loaded(tmp_path, "scans.jpg", jpeg(65))
    assert (codes, calls) == (["image_too_complex"], [])
    codes, calls = _loaded(tmp_path / "b", "photo.jpg", jpeg(10))  # libjpeg's progressive
    assert (codes, len(calls)) == ([], 1)


def test_scans_inside_metadata_are_not_counted(tmp_path: Path) -> None:
    # An EXIF thumbnail is a whole JPEG inside an APP1 segment; its markers are skipped.
    thumbnail = jpeg(70)
    app1 = b"\xff\xe1" + struct.pack(">H", len(thumbnail) + 2) + thumbnail
    photo = jpeg(3)
    codes, calls = _loaded(tmp_path, "photo.jpg", photo[:2] + app1 + photo[2:])
    assert (codes, len(calls)) == ([], 1)


def with_profile(photo: bytes, megabytes: float) -> bytes:
    """`photo` with a colour profile of about `megabytes` in APP2 «ICC_PROFILE» segments, as
    many as it takes (a file may number more than the standard's 255)."""
    part = bytes(range(256)) * 234  # 59,904 bytes a segment
    count = round(megabytes * 1_000_000 / len(part))
    segments = b"".join(b"\xff\xe2" + struct.pack(">H", 2 + 14 + len(part)) + b"ICC_PROFILE\0"
                        + bytes([k % 255 + 1, min(count, 255)]) + part for k in range(count))
    return photo[:2] + segments + photo[2:]


def test_a_jpeg_with_a_colour_profile_of_megabytes_is_never_decoded(tmp_path: Path) -> None:
    # Qt parses the profile into every decoded copy: 50 MB over 760 segments kept 300 MB
    # beside a photo of 1 MP, and the kiosk check said nothing.
    codes, calls = _loaded(tmp_path, "profile.jpg", with_profile(jpeg(3), 4.5))
    assert (codes, calls) == (["image_too_complex"], [])
    codes, calls = _loaded(tmp_path / "b", "photo.jpg", with_profile(jpeg(3), 0.6))
    assert (codes, len(calls)) == ([], 1)


def test_a_picture_check_that_fails_outright_is_that_pictures_problem(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(path: Path) -> None:  # as expat did on a drawing in UTF-7
        raise ValueError("multi-byte encodings are not supported")

    monkeypatch.setattr(loader, "safe_svg_file", broken)
    root = make_folder(tmp_path / "c", stories={"x.md": story(photo="images/a.svg"),
                                                "y.md": story()},
                       images={"images/a.svg": SVG, "colouring/b.svg": SVG})
    content = load_content(root)  # the whole load raised before
    assert [s.id for s in content.stories] == ["y"]
    assert content.colouring == ()
    assert [p.code for p in content.problems if p.is_error] == ["bad_image", "bad_image"]


@pytest.mark.parametrize(("size", "warned"), [((20000, 50), True), ((50, 2000), True),
                                              ((4000, 1000), False), ((1600, 1200), False)])
def test_a_photo_too_long_and_thin_is_told_to_be_cropped(
        tmp_path: Path, size: tuple[int, int], warned: bool) -> None:
    """A web banner given as a story's photo is drawn whole beside the text: a line a pixel
    high. Shown all the same; staff are told its size and what to crop it to."""
    root = make_folder(tmp_path / "c", stories={"x.md": story(photo="images/banner.jpg")},
                       images={"images/banner.jpg": b"\xff\xd8\xff\xe0"})
    content = load_content(root, lambda path: ImageCheck(size=size))
    assert [s.id for s in content.stories] == ["x"]
    found = [p for p in content.problems if p.code == "image_too_thin"]
    assert bool(found) is warned
    if warned:
        assert not found[0].is_error and found[0].args["size"] == f"{size[0]}×{size[1]}"
