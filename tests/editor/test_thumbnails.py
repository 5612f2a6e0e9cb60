"""The listing's small pictures: each item with what it shows, made small from the content
files, and nothing else opened whatever a client asks or the folders turn into."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient
from PIL import Image

from kiosk.editor.config import EditorConfig

STORY = "---\ntitle: Зонтик для бабушки\nphoto: images/zontik.jpg\n---\n{}\n".format(
    "Бабушка пришла в центр под проливным дождём, и специалист принёс ей горячий чай.")


def thumbnails(html: str) -> dict[str, str]:
    """Each row's id (or title) → its picture's address."""
    found: dict[str, str] = {}
    for row in re.findall(r"<tr [^>]*>.*?</tr>", html, re.S):
        src = re.search(r'<span class="thumb"><img src="([^"]+)"', row)
        title = re.search(r'<td class="c-title">\s*(?:<a [^>]*>)?([^<]+)', row)
        if src and title:
            found[title.group(1).strip()] = src.group(1).replace("&amp;", "&")
    return found


def a_centre_story_with_a_photo(config: EditorConfig, photo: bytes) -> None:
    (config.centre / "stories").mkdir()
    (config.centre / "images").mkdir()
    (config.centre / "stories" / "zontik.md").write_text(STORY, encoding="utf-8")
    (config.centre / "images" / "zontik.jpg").write_bytes(photo)


def jpeg(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 120, 40)).save(out, "JPEG", quality=90)
    return out.getvalue()


def test_every_item_with_a_picture_is_listed_with_it_small(
        client: FlaskClient, config: EditorConfig) -> None:
    a_centre_story_with_a_photo(config, jpeg(4000, 3000))
    html = client.get("/").get_data(as_text=True)
    pictures = thumbnails(html)
    # 15 + 1 stories, 7 anniversary pages, the poster, 9 colouring pictures; notices have none.
    assert len(pictures) == 33, sorted(pictures)
    shown = re.sub(r"<[^>]*>", " ", html)  # what the page says, not its forms' values
    assert "Зонтик для бабушки" in shown and "stories/" not in shown  # titles, not files

    photo = client.get(pictures["Зонтик для бабушки"])
    assert photo.status_code == 200 and photo.mimetype == "image/jpeg"
    with Image.open(io.BytesIO(photo.data)) as small:
        assert small.size == (240, 180)  # the 4000×3000 photo, its shape kept
    assert len(photo.data) < 20_000

    drawing = client.get(pictures["День рождения у окна"])
    assert drawing.status_code == 200 and drawing.mimetype == "image/svg+xml"
    # As the kiosk's check rebuilt it (the file's comments are not in it), not as written.
    assert b"<svg" in drawing.data and b"<!--" not in drawing.data
    # Opened on its own rather than as a picture, a drawing runs nothing and loads nothing.
    assert "sandbox" in drawing.headers["Content-Security-Policy"]
    assert "default-src 'none'" in drawing.headers["Content-Security-Policy"]


def test_only_what_the_listing_pointed_at_is_opened(
        client: FlaskClient, config: EditorConfig, tmp_path: Path) -> None:
    a_centre_story_with_a_photo(config, jpeg(800, 600))
    address = thumbnails(client.get("/").get_data(as_text=True))["Зонтик для бабушки"]
    assert client.get(address).status_code == 200
    token = address.split("/thumbnail/")[1].split("?")[0]
    # A token changed or made up: its signature does not hold.
    assert client.get(f"/thumbnail/{token[:-2]}xx").status_code == 404
    from itsdangerous import URLSafeSerializer
    forged = URLSafeSerializer("guessed", salt="editor-thumbnail").dumps([1, "../../etc"])
    assert client.get(f"/thumbnail/{forged}").status_code == 404

    # The photo made a link to a file outside, after the listing was read: not followed.
    secret = tmp_path / "secret.jpg"
    secret.write_bytes(jpeg(640, 480))
    photo = config.centre / "images" / "zontik.jpg"
    photo.unlink()
    photo.symlink_to(secret)
    assert client.get(address).status_code == 404
    # Its folder made a link out of the centre folder: not followed either.
    photo.unlink()
    (config.centre / "images").rmdir()
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "zontik.jpg").write_bytes(jpeg(640, 480))
    (config.centre / "images").symlink_to(outside)
    assert client.get(address).status_code == 404


def test_a_photo_that_cannot_be_made_small_leaves_the_frame_empty_and_the_listing_whole(
        client: FlaskClient, config: EditorConfig) -> None:
    a_centre_story_with_a_photo(config, jpeg(800, 600)[:2000])  # copied half-way
    html = client.get("/")
    assert html.status_code == 200
    address = thumbnails(html.get_data(as_text=True))["Зонтик для бабушки"]
    assert client.get(address).status_code == 404
    # A header that claims 65,000 × 65,000 pixels is refused by its size, never decoded.
    header = bytearray(jpeg(8, 8))
    sof = header.index(b"\xff\xc0")
    header[sof + 5:sof + 9] = (65_000).to_bytes(2, "big") * 2
    (config.centre / "images" / "zontik.jpg").write_bytes(bytes(header))
    address = thumbnails(client.get("/").get_data(as_text=True))["Зонтик для бабушки"]
    assert client.get(address).status_code == 404


def test_a_picture_that_cannot_be_made_small_is_not_decoded_again_at_every_view(
        client: FlaskClient, config: EditorConfig, monkeypatch: pytest.MonkeyPatch) -> None:
    """A 25 MB JPEG cut short took a second of the editor's one decoding slot at every view
    of the listing: its failure is kept, as a picture made small is."""
    from kiosk.editor import photos

    a_centre_story_with_a_photo(config, jpeg(800, 600)[:3000])
    decoded: list[str] = []
    real = photos.open_upload

    def counted(*args: Any, **kwargs: Any) -> Any:
        decoded.append("x")
        return real(*args, **kwargs)

    monkeypatch.setattr(photos, "open_upload", counted)
    address = thumbnails(client.get("/").get_data(as_text=True))["Зонтик для бабушки"]
    assert [client.get(address).status_code for _ in range(3)] == [404, 404, 404]
    assert decoded == ["x"]
    # Put right (another file): made small at once.
    (config.centre / "images" / "zontik.jpg").write_bytes(jpeg(800, 600))
    address = thumbnails(client.get("/").get_data(as_text=True))["Зонтик для бабушки"]
    assert client.get(address).status_code == 200


def test_signed_nonsense_is_a_404_never_an_error(client: FlaskClient) -> None:
    """Only the editor's own key signs these; still, what it could sign is answered calmly."""
    from flask import current_app
    from itsdangerous import URLSafeSerializer

    with client.application.app_context():
        signer = URLSafeSerializer(current_app.config["SECRET_KEY"], salt="editor-thumbnail")
        for payload in ([1, "images/a\x00.jpg"], [float("inf"), "x"], [0, "../kiosk.yaml"],
                        [0, "/etc/passwd"], [0, ""], "images/a.jpg", [0, "a" * 5000],
                        [-3, "images/a.jpg"], [0, "stories/birthday.md"]):
            token = signer.dumps(payload)
            assert client.get(f"/thumbnail/{token}").status_code == 404, payload


def test_a_centre_folder_reached_through_a_link_still_has_its_pictures(
        tmp_path: Path) -> None:
    from kiosk.core.paths import package_folder
    from kiosk.editor.app import create_app

    real = tmp_path / "real-centre"
    real.mkdir()
    (tmp_path / "centre").symlink_to(real)
    config = EditorConfig(package_folder("content"), tmp_path / "centre", tmp_path / "state",
                          login_disabled=True, csrf=False)
    a_centre_story_with_a_photo(config, jpeg(800, 600))
    with create_app(config).test_client() as client:
        pictures = thumbnails(client.get("/").get_data(as_text=True))
        assert client.get(pictures["Зонтик для бабушки"]).status_code == 200


def test_what_is_kept_stays_within_its_bytes(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """256 drawings of 255 KB each held 64 MB: the kept thumbnails are bounded in bytes too."""
    from collections import OrderedDict

    import numpy as np

    from kiosk.editor import thumbnails as module

    monkeypatch.setattr(module, "_kept", OrderedDict())
    monkeypatch.setattr(module, "_kept_bytes", 0)
    monkeypatch.setattr(module, "KEPT_TOTAL_BYTES", 120_000)
    (tmp_path / "images").mkdir()
    noise = np.random.default_rng(7)
    for number in range(12):
        out = io.BytesIO()
        Image.fromarray(noise.integers(0, 255, (300, 400, 3), dtype=np.uint8)).save(out, "JPEG")
        (tmp_path / "images" / f"{number}.jpg").write_bytes(out.getvalue())
        assert module.thumbnail(tmp_path, f"images/{number}.jpg") is not None
    kept = [t for t in module._kept.values() if t is not None]
    assert 1 < len(kept) < 12
    assert module._kept_bytes == sum(len(t.data) for t in kept) <= 120_000


def test_a_cameras_photo_the_kiosk_shows_is_in_the_listing_too(
        client: FlaskClient, config: EditorConfig) -> None:
    """A 54 MP photo is past what an upload takes (52 MP), not past what the kiosk shows
    (100 MP, a JPEG decoded reduced): put in the folder, it was on the screen with no word
    from the kiosk's check, and its frame in the listing was empty."""
    out = io.BytesIO()
    Image.new("L", (9000, 6000), 90).save(out, "JPEG", quality=50)
    a_centre_story_with_a_photo(config, out.getvalue())
    address = thumbnails(client.get("/").get_data(as_text=True))["Зонтик для бабушки"]
    photo = client.get(address)
    assert photo.status_code == 200
    with Image.open(io.BytesIO(photo.data)) as small:
        assert small.size == (240, 160)
