"""What staff see when the editor refuses: its own page in words, never the server's bare
English one (Flask's test client; the browser's side is test_desk_browser.py); and to
nobody signed in, nothing of the editor's."""

from __future__ import annotations

import io
from pathlib import Path

from flask.testing import FlaskClient

from kiosk.core.paths import package_folder
from kiosk.core.pin import PinStore
from kiosk.editor.app import create_app
from kiosk.editor.config import MAX_UPLOAD_BYTES, EditorConfig
from kiosk.editor.photos import PhotoRejected, prepare_photo


def test_an_unknown_address_is_the_editors_own_page_with_a_way_back(
        client: FlaskClient) -> None:
    answer = client.get("/stories/no-such-story/edit/extra")
    body = answer.get_data(as_text=True)
    assert answer.status_code == 404
    assert "Такой страницы нет" in body and "Not Found" not in body
    assert 'class="top"' in body and "К списку материалов" in body  # the header, a way back


def test_a_form_sent_to_a_page_that_only_shows_is_said_in_words(client: FlaskClient) -> None:
    answer = client.post("/history")
    assert answer.status_code == 405 and "Method Not Allowed" not in answer.get_data(as_text=True)
    assert "К списку материалов" in answer.get_data(as_text=True)


def small_limit_client(tmp_path: Path) -> FlaskClient:
    (tmp_path / "centre").mkdir()
    return create_app(EditorConfig(package_folder("content"), tmp_path / "centre",
                                   tmp_path / "state", login_disabled=True, csrf=False,
                                   max_request_bytes=100_000)).test_client()


def test_a_drawing_too_large_to_read_leaves_the_wizard_on_its_page(tmp_path: Path) -> None:
    answer = small_limit_client(tmp_path).post(
        "/colouring/upload", data={"scan": (io.BytesIO(b"x" * 200_000), "scan.jpg")})
    body = answer.get_data(as_text=True)
    assert answer.status_code == 413
    assert "Загрузить и обработать" in body  # the upload form again, to choose another file
    assert f"до {MAX_UPLOAD_BYTES // 1_000_000} МБ" in body


def test_every_refusal_of_a_large_file_names_one_limit(client: FlaskClient) -> None:
    """The wizard's hint, a refused photo and the browser's own check say the same figure."""
    mb = MAX_UPLOAD_BYTES // 1_000_000
    assert f"до {mb} МБ" in client.get("/colouring/").get_data(as_text=True)
    listing = client.get("/").get_data(as_text=True)
    assert f'data-max-upload="{MAX_UPLOAD_BYTES}"' in listing
    assert f"не больше {mb} МБ" in listing  # the text the scripts fill in
    try:
        prepare_photo(b"\xff\xd8\xff" + b"\0" * MAX_UPLOAD_BYTES, "big.jpg")
    except PhotoRejected as refused:
        # A file just over the limit never reads as the limit; a decimal as Russian writes it.
        assert f"весит {mb},1 МБ" in refused.message() and f"не больше {mb} МБ" in \
            refused.message()
        assert f"is {mb}.1 MB" in refused.message("en")
    else:
        raise AssertionError("a file over the limit was taken")


def test_to_nobody_signed_in_a_refusal_shows_nothing_of_the_editor(tmp_path: Path) -> None:
    """The fonts and static files are open to everyone; a missing one's 404, and a request
    refused for its size before the sign-in is asked for, were the editor's page with its
    menu (and the wizard's form with a CSRF token)."""
    (tmp_path / "centre").mkdir()
    PinStore(tmp_path / "state").set_pin("48291375")
    client = create_app(EditorConfig(package_folder("content"), tmp_path / "centre",
                                     tmp_path / "state", max_request_bytes=100_000)
                        ).test_client()
    for answer, status in ((client.get("/fonts/nothing.ttf"), 404),
                           (client.get("/static/nothing.css"), 404),
                           (client.post("/colouring/upload", data={
                               "scan": (io.BytesIO(b"x" * 200_000), "scan.jpg")}), 413)):
        body = answer.get_data(as_text=True)
        assert answer.status_code == status, body
        assert "nav-add" not in body and "csrf_token" not in body and "Выйти" not in body
        assert "Такой страницы нет" in body or "Файл слишком большой" in body
