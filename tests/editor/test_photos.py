"""Photos uploaded in the editor (kiosk.editor.photos): read by what they are, within bounds,
upright, without metadata, as small as the screen needs; everything else refused with a
message that names the cause and the fix."""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, JpegImagePlugin, UnidentifiedImageError

from kiosk.core.content.problems import LANGUAGES, MESSAGES
from kiosk.editor import photos
from kiosk.editor.photos import PHOTO_LONG_SIDE, PhotoRejected, prepare_photo
from tests.helpers import cmyk_jpeg

ORIENTATION, GPS = 0x0112, 0x8825


def _marked(width: int, height: int) -> Image.Image:
    """White with a red block in the stored top-left corner (where «up» is, as stored)."""
    pixels = np.full((height, width, 3), 250, dtype=np.uint8)
    side = max(8, min(width, height) // 8)
    pixels[:side, :side] = (230, 20, 20)
    return Image.fromarray(pixels)


def _jpeg(image: Image.Image, orientation: int = 1, gps: bool = False, **options: object
          ) -> bytes:
    exif = Image.Exif()
    if orientation != 1:
        exif[ORIENTATION] = orientation
    if gps:
        exif[GPS] = {1: "N", 2: (55.0, 45.0, 21.0), 3: "E", 4: (37.0, 37.0, 0.0)}
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80, exif=exif.tobytes(), **options)
    return out.getvalue()


def _heic(image: Image.Image, orientation: int = 1) -> bytes:
    import pillow_heif

    exif = Image.Exif()
    if orientation != 1:
        exif[ORIENTATION] = orientation
    out = io.BytesIO()
    pillow_heif.from_pillow(image).save(out, quality=70, exif=exif.tobytes())
    return out.getvalue()


def _png_header_only(width: int, height: int) -> bytes:
    """A PNG that claims `width`×`height` in a few dozen bytes: a decompression bomb."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 1024)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat)
            + chunk(b"IEND", b""))


def _red_corner(jpeg: bytes) -> str:
    image = Image.open(io.BytesIO(jpeg)).convert("RGB")
    width, height = image.size
    corners = {"top-left": (4, 4), "top-right": (width - 5, 4), "bottom-left": (4, height - 5),
               "bottom-right": (width - 5, height - 5)}
    red = [name for name, xy in corners.items() if image.getpixel(xy)[1] < 100]  # type: ignore[index]
    assert len(red) == 1, red
    return red[0]


@pytest.fixture(scope="module")
def phone_photo() -> bytes:
    """A 24 MP phone photo (6000×4000), stored on its side with EXIF orientation 6, with GPS."""
    return _jpeg(_marked(6000, 4000), orientation=6, gps=True)


def test_a_24_megapixel_phone_photo_comes_out_upright_small_and_without_metadata(
        phone_photo: bytes) -> None:
    photo = prepare_photo(phone_photo, "IMG_2041.jpg")
    # Turned by EXIF: the phone was held upright, so the photo is tall; the red corner, stored
    # top-left, is top-right once turned 90° clockwise (orientation 6).
    assert (photo.width, photo.height) == (1365, PHOTO_LONG_SIDE)
    assert _red_corner(photo.jpeg) == "top-right"
    assert photo.notes[:2] == ["повёрнуто по EXIF", "уменьшено с 4000×6000 до 1365×2048"]
    out = Image.open(io.BytesIO(photo.jpeg))
    assert out.format == "JPEG" and out.mode == "RGB" and out.info.get("progressive")
    assert not out.getexif() and "exif" not in out.info  # no GPS, no orientation left
    assert b"Exif" not in photo.jpeg[:2000] and "icc_profile" not in out.info
    assert len(photo.jpeg) < 1_000_000


def test_a_jpeg_is_decoded_reduced_by_libjpeg(phone_photo: bytes,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    decoded: list[tuple[int, int]] = []
    real_load = JpegImagePlugin.JpegImageFile.load

    def load(self: JpegImagePlugin.JpegImageFile) -> object:
        decoded.append(self.size)
        return real_load(self)

    monkeypatch.setattr(JpegImagePlugin.JpegImageFile, "load", load)
    prepare_photo(phone_photo)
    # 6000×4000 shrunk to 2048 on the long side: libjpeg's 1/2 scale is the smallest that
    # still has 2048 pixels, so a quarter of the pixels are decoded.
    assert decoded and decoded[0] == (3000, 2000)


def test_a_50_megapixel_photo_passes_and_a_bigger_one_is_refused_by_its_header() -> None:
    big = _jpeg(Image.new("RGB", (8160, 6120), (90, 140, 200)))
    photo = prepare_photo(big, "50mp.jpg")
    assert (photo.width, photo.height) == (2048, 1536)
    with pytest.raises(PhotoRejected) as refused:
        prepare_photo(_png_header_only(9000, 6000), "54mp.png")
    assert refused.value.code == "photo_too_many_pixels"
    assert "9000×6000" in refused.value.message("ru")


def test_a_png_bomb_is_refused_before_decoding() -> None:
    bomb = _png_header_only(100_000, 100_000)
    assert len(bomb) < 200
    with pytest.raises(PhotoRejected) as refused:
        prepare_photo(bomb, "bomb.png")
    assert refused.value.code == "photo_too_many_pixels"
    message = refused.value.message("ru")
    assert "100000×100000" in message and "Уменьшите" in message


def test_pillows_own_bomb_limit_is_the_editors() -> None:
    assert Image.MAX_IMAGE_PIXELS == photos.MAX_PHOTO_PIXELS


def test_a_truncated_jpeg_is_damaged() -> None:
    whole = _jpeg(_marked(1200, 900), progressive=False)
    with pytest.raises(PhotoRejected) as refused:
        prepare_photo(whole[: len(whole) * 2 // 3], "cut.jpg")
    assert refused.value.code == "photo_damaged"
    assert "заново" in refused.value.message("ru")
    assert "again" in refused.value.message("en")
    assert "технически" not in refused.value.message("ru")  # the decoder's English: the log


def test_a_jpeg_or_png_cut_in_its_header_is_damaged_not_a_failure() -> None:
    """An upload that stopped a few bytes in: staff are told it is damaged (Pillow 13 has no
    opener named MPO, and trying one made the editor answer 500)."""
    png = io.BytesIO()
    _marked(64, 48).save(png, "PNG")
    for whole, name in ((_jpeg(_marked(640, 480)), "cut.jpg"), (png.getvalue(), "cut.png")):
        with pytest.raises(PhotoRejected) as refused:
            prepare_photo(whole[:20], name)
        assert refused.value.code == "photo_damaged", name


def test_a_heic_photo_named_jpg_is_read_by_its_content() -> None:
    data = _heic(_marked(1600, 1200), orientation=6)
    photo = prepare_photo(data, "IMG_0001.jpg")
    assert (photo.width, photo.height) == (1200, 1600)  # turned, once
    assert _red_corner(photo.jpeg) == "top-right"
    assert Image.open(io.BytesIO(photo.jpeg)).format == "JPEG"


def test_heic_is_not_registered_with_pillow() -> None:
    data = _heic(_marked(400, 300))
    prepare_photo(data)
    with pytest.raises(UnidentifiedImageError):
        Image.open(io.BytesIO(data))


def test_webp_and_png_with_transparency_are_laid_on_white() -> None:
    image = Image.new("RGBA", (900, 600), (0, 0, 0, 0))
    image.paste((20, 90, 200, 255), (0, 0, 300, 600))
    for kind in ("PNG", "WEBP"):
        out = io.BytesIO()
        image.save(out, kind, **({"lossless": True} if kind == "WEBP" else {}))
        photo = prepare_photo(out.getvalue(), f"x.{kind.lower()}")
        result = Image.open(io.BytesIO(photo.jpeg)).convert("RGB")
        assert min(result.getpixel((800, 300))) > 245  # type: ignore[arg-type]
        assert result.getpixel((100, 300))[2] > 180  # type: ignore[index]


SVG_ENTITY = (b'<?xml version="1.0"?>\n<!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
              b'<svg xmlns="http://www.w3.org/2000/svg"><text>&x;</text></svg>')


@pytest.mark.parametrize(("data", "code", "said"), [
    (b"Dear colleagues,\nplease find attached\n", "photo_not_image", "не фотография"),
    (b"PK\x03\x04" + b"\x00" * 100, "photo_not_image", "JPEG, PNG"),  # a .docx
    (b"", "photo_not_image", "не фотография"),
    (SVG_ENTITY, "photo_unsupported", "SVG"),
    (b"GIF89a" + b"\x01\x00\x01\x00" + b"\x00" * 40, "photo_unsupported", "GIF"),
    (b"%PDF-1.7\n" + b"\x00" * 40, "photo_pdf", "Сохраните страницу картинкой"),
    (b"BM" + b"\x00" * 60, "photo_unsupported", "BMP"),
])
def test_what_is_not_a_photo_is_refused_by_its_content(data: bytes, code: str,
                                                       said: str) -> None:
    with pytest.raises(PhotoRejected) as refused:
        prepare_photo(data, "photo.jpg")  # the name promises a JPEG: the content decides
    assert refused.value.code == code
    assert said in refused.value.message("ru")


@pytest.mark.parametrize("head", [
    b"\x00\x00\x00\x20ftypisom\x00\x00\x02\x00isomiso2avc1mp41",  # a phone's MP4
    b"\x00\x00\x00\x14ftypqt  \x00\x00\x00\x00qt  ",  # an iPhone's MOV (a Live Photo)
    b"\x1aE\xdf\xa3\x9fB\x86\x81\x01B\xf7\x81\x01webm",  # a WebM
])
def test_a_video_chosen_as_a_photo_is_called_a_video(head: bytes) -> None:
    # It was «картинка MP4 … сохраните её как JPEG или PNG»: no picture editor opens a clip.
    with pytest.raises(PhotoRejected) as refused:
        prepare_photo(head + b"\x00" * 200, "IMG_0042.MOV")
    assert refused.value.code == "photo_video"
    said = refused.value.message("ru")
    assert "«IMG_0042.MOV»\u00a0— видео, а не фотография" in said and "снимок экрана" in said
    assert "картинка" not in said
    assert "is a video, not a photo" in refused.value.message("en")


def test_a_real_gif_is_refused_even_named_png() -> None:
    out = io.BytesIO()
    Image.new("P", (800, 600)).save(out, "GIF")
    with pytest.raises(PhotoRejected) as refused:
        prepare_photo(out.getvalue(), "picture.png")
    assert refused.value.code == "photo_unsupported"
    assert "сохраните её как JPEG или PNG" in refused.value.message("ru")


def test_an_upload_over_the_size_limit_is_refused_unread(monkeypatch: pytest.MonkeyPatch) -> None:
    data = _jpeg(_marked(400, 300))
    monkeypatch.setattr(photos, "MAX_PHOTO_BYTES", len(data) - 1)
    with pytest.raises(PhotoRejected) as refused:
        prepare_photo(data, "huge.jpg")
    assert refused.value.code == "photo_file_too_big"


def test_a_jpeg_of_too_many_scans_is_refused_as_the_kiosk_would() -> None:
    # kiosk.core.content.imagesafe counts a progressive JPEG's scans before any decoder runs.
    whole = _jpeg(_marked(64, 64), progressive=True)
    start = whole.index(b"\xff\xda")
    end = whole.rindex(b"\xff\xd9")
    scan = whole[start:end]
    many = whole[:start] + scan * 80 + whole[end:]
    with pytest.raises(PhotoRejected) as refused:
        prepare_photo(many, "scans.jpg")
    assert refused.value.code == "image_too_complex"


def test_a_small_photo_is_kept_as_it_is_with_a_note() -> None:
    photo = prepare_photo(_jpeg(_marked(640, 480)), "small.jpg")
    assert (photo.width, photo.height) == (640, 480)
    assert any("маленькое" in note for note in photo.notes)
    assert not any("уменьшено" in note for note in photo.notes)


def test_every_photo_code_has_both_languages_and_names_the_fix() -> None:
    args = {"value": "IMG.jpg", "real": "GIF", "size": "31", "most": "30", "detail": "x"}
    for code in ("photo_not_image", "photo_unsupported", "photo_pdf", "photo_file_too_big",
                 "photo_too_many_pixels", "photo_damaged", "photo_video"):
        assert code in MESSAGES
        for lang in LANGUAGES:
            text = PhotoRejected(code, **args).message(lang)
            assert "IMG.jpg" in text and "{" not in text


def test_no_file_is_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                            phone_photo: bytes) -> None:
    monkeypatch.chdir(tmp_path)
    prepare_photo(phone_photo)
    assert list(tmp_path.iterdir()) == []


def _grid_heic(width: int, height: int, monkeypatch: pytest.MonkeyPatch) -> bytes:
    """A HEIC stored as a grid of 256-pixel tiles, as a phone stores a large photo."""
    import pillow_heif

    monkeypatch.setattr(pillow_heif.options, "GRID_TILE_SIZE", 256)
    return _heic(_marked(width, height))


def test_a_heic_grid_declaring_more_than_its_item_is_refused_before_decoding(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The item's size said 1 MP while the grid's own said 32768×32768: libheif decoded the
    whole grid (1.66 GB for 15 KB) before it compared the two. The grid's size is read from
    the file first (here 6000×5000 in a 1024×768 picture's grid: 30 MP, over the 24 MP)."""
    from kiosk.editor.heif_grid import declared_canvases

    data = _grid_heic(1024, 768, monkeypatch)
    assert declared_canvases(data) == [(1024, 768)]
    photo = prepare_photo(data, "сетка.heic")
    assert (photo.width, photo.height) == (1024, 768)
    grid = data.index(b"\x00\x00\x02\x03\x04\x00\x03\x00")  # rows, columns, 1024, 768
    bomb = data[:grid + 4] + struct.pack(">HH", 6000, 5000) + data[grid + 8:]
    with pytest.raises(PhotoRejected) as refused:
        prepare_photo(bomb, "сетка.heic")
    assert refused.value.code == "photo_too_many_pixels"
    assert "6000×5000" in refused.value.message()


def test_a_heic_whose_boxes_do_not_say_its_size_is_damaged(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from kiosk.editor.heif_grid import HeifUnreadable, declared_canvases

    # One coded picture, no grid: its header's size is the size, as before.
    assert declared_canvases(_heic(_marked(400, 300))) == []
    data = _grid_heic(1024, 768, monkeypatch)
    iloc = data.index(b"iloc")
    cut = data[:iloc + 4] + b"\x01\x00\x00\x00\x44\x40\xff\xff" + data[iloc + 12:]  # 65,535 items
    with pytest.raises(HeifUnreadable):
        declared_canvases(cut)
    with pytest.raises(PhotoRejected) as refused:
        prepare_photo(cut, "сетка.heic")
    assert refused.value.code == "photo_damaged"


def test_a_png_with_a_profile_of_megabytes_that_the_kiosk_shows_is_taken() -> None:
    """A 3.9 MB colour profile (under the 4 MB the kiosk's check allows once inflated) was
    «damaged or copied only in part» to the editor: Pillow's own cap is 1 MB."""
    out = io.BytesIO()
    _marked(64, 48).save(out, "PNG")
    plain = out.getvalue()
    profile = b"icc\x00\x00" + zlib.compress(bytes(3_900_000), 9)
    chunk = (struct.pack(">I", len(profile)) + b"iCCP" + profile
             + struct.pack(">I", zlib.crc32(b"iCCP" + profile) & 0xFFFFFFFF))
    data = plain[:33] + chunk + plain[33:]  # after the signature and IHDR
    photo = prepare_photo(data, "профиль.png")
    assert (photo.width, photo.height) == (64, 48)


@pytest.mark.parametrize("adobe", [True, False])
def test_a_print_shops_cmyk_jpeg_keeps_its_colours(adobe: bool) -> None:
    """Pillow reads every CMYK JPEG as Adobe's, inverted: one without Adobe's segment came
    out black, in the editor's preview and on the kiosk alike."""
    photo = prepare_photo(cmyk_jpeg((200, 30, 40), adobe), "плакат.jpg")
    shown = Image.open(io.BytesIO(photo.jpeg)).convert("RGB").getpixel((320, 240))
    assert shown == pytest.approx((200, 30, 40), abs=12)
