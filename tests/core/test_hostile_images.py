"""Pictures that a careless or hostile publisher can put in the content: in a story's text,
under a misleading name, or as a special file. `kiosk check` names each, and Qt is never
given them."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from kiosk.core.imagesafe import ImageFileError, read_image_file
from kiosk.core.loader import ImageCheck, body_images, load_content
from tests.helpers import SVG, make_folder, story

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
    def seconds(text: str) -> float:
        best = float("inf")
        for _ in range(3):
            started = time.perf_counter()
            body_images(text)
            best = min(best, time.perf_counter() - started)
        return best

    small, large = make(6_000), make(24_000)
    assert len(large) >= 24_000
    assert seconds(large) < 0.5
    assert seconds(large) / max(seconds(small), 1e-4) < 8  # 4 times the input


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
