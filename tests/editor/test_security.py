"""The editor against an attacker: findings of the review of the staff web editor (request
size, redirects, sessions that end, links out of the centre folder, …), one test each."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.core.pin import PinStore
from tests.editor.test_auth import PIN, Editor, editor, sign_in_pin, signed_in, token

__all__ = ["editor"]  # the fixture, used by name


# -- 1. a url-encoded body is read whole: only uploads may be large -------------------------------

def test_a_large_url_encoded_post_is_refused_unread(editor: Editor) -> None:
    app = editor.app()
    client = app.test_client()
    body = "name=a&password=" + "b" * (3 * 1024 * 1024)
    response = client.post("/signin", data=body,
                           content_type="application/x-www-form-urlencoded")
    assert response.status_code == 413
    assert sign_in_pin(client, PIN)[0] == 303
    response = client.post("/stories/save", data=body + "&csrf_token=" + token(client, "/probe"),
                           content_type="application/x-www-form-urlencoded")
    assert response.status_code == 413
    # A multipart upload to the photo endpoint still takes a large file (past the form limit).
    import io

    from werkzeug.datastructures import FileStorage
    from werkzeug.test import encode_multipart

    boundary, multipart = encode_multipart({
        "csrf_token": token(client, "/probe"),
        "photo": FileStorage(io.BytesIO(b"x" * (2500 * 1024)), "a.jpg")})
    response = client.post("/photo", data=multipart,
                           content_type=f"multipart/form-data; boundary={boundary}")
    assert response.status_code != 413
    assert signed_in(client)


_ = Path


# -- 2. after sign-in, only a page of this site ---------------------------------------------------

BAD_NEXT = ("/\t/evil.example", "/\n/evil.example", "/\r\nSet-Cookie: a=b", " //evil.example",
            "/ /evil.example", "/\\/evil.example", "//evil.example", "https://evil.example/",
            "/%2F/evil.example", "/%5C/evil.example", "javascript:alert(1)")


def test_next_never_leads_off_the_site_nor_breaks_the_page(editor: Editor) -> None:
    from kiosk.editor import auth

    for target in BAD_NEXT:
        assert auth.safe_next(target) == "/", repr(target)
    assert auth.safe_next("/stories/%D0%B1/edit?x=1") == "/stories/%D0%B1/edit?x=1"
    app = editor.app()
    client = app.test_client()
    assert sign_in_pin(client, PIN)[0] == 303
    for query in ("/%09/evil.example", "/%0A/evil.example", "/%0D/evil.example",
                  "%2F%09%2Fevil.example"):
        response = client.get("/signin?next=" + query)
        assert response.status_code == 303, query
        assert response.headers["Location"] == "/", query
    response = client.post("/language/en", data={"csrf_token": token(client, "/probe"),
                                                 "next": "/\t/evil.example"})
    assert response.headers["Location"] == "/"


# -- 3. a session ends when its account, password or PIN goes, and at sign-out --------------------

def test_removing_an_account_or_changing_a_password_ends_its_sessions(editor: Editor) -> None:
    from kiosk.editor import auth
    from tests.editor.test_auth import PASSWORD, sign_in_account

    accounts = auth.Accounts(editor.state / "editor" / auth.ACCOUNTS_FILE)
    accounts.add("bob", PASSWORD)
    app = editor.app()
    client = app.test_client()
    assert sign_in_account(client, "bob", PASSWORD)[0] == 303
    assert signed_in(client)
    accounts.add("bob", PASSWORD + "new")
    assert not signed_in(client)
    assert sign_in_account(client, "bob", PASSWORD + "new")[0] == 303
    assert signed_in(client)
    accounts.remove("bob")
    assert not signed_in(client)
    # The PIN's sessions end when the PIN changes.
    pin_client = app.test_client()
    assert sign_in_pin(pin_client, PIN)[0] == 303
    assert signed_in(pin_client)
    PinStore(editor.state).set_pin("73910248")
    assert not signed_in(pin_client)


def test_a_copy_of_the_cookie_dies_at_sign_out(editor: Editor) -> None:
    from kiosk.editor import auth

    app = editor.app()
    client, thief, other = app.test_client(), app.test_client(), app.test_client()
    assert sign_in_pin(client, PIN)[0] == 303
    assert sign_in_pin(other, PIN)[0] == 303
    cookie = client.get_cookie(auth.SESSION_COOKIE)
    assert cookie is not None
    thief.set_cookie(auth.SESSION_COOKIE, cookie.value)
    assert signed_in(thief)
    assert client.post("/signout", data={"csrf_token": token(client, "/probe")}).status_code \
        == 303
    assert not signed_in(thief)
    assert signed_in(other)  # another person's session with the same PIN goes on
    # A restart keeps the record.
    again = editor.app().test_client()
    again.set_cookie(auth.SESSION_COOKIE, cookie.value)
    assert not signed_in(again)


# -- 4. links and FIFOs in the centre folder ------------------------------------------------------

def test_a_folder_linked_out_of_the_centre_is_never_read_written_or_emptied(
        tmp_path: Path) -> None:

    from kiosk.editor.publish import Publisher, PublishError

    outside, centre = tmp_path / "outside", tmp_path / "centre"
    outside.mkdir()
    centre.mkdir()
    (outside / "a.yaml").write_text("text: чужой файл\n")
    (centre / "notices").symlink_to(outside)
    publisher = Publisher(centre, tmp_path / "state")
    with pytest.raises(PublishError, match="a link"):
        publisher.read("notices/a.yaml")
    with pytest.raises(PublishError, match="a link"):
        publisher.publish({"notices/a.yaml": None}, "anna", "delete", "a")
    with pytest.raises(PublishError, match="a link"):
        publisher.publish({"notices/b.yaml": b"text: x\n"}, "anna", "publish", "b")
    assert sorted(p.name for p in outside.iterdir()) == ["a.yaml"]
    # A file that is a link is refused too, and unlinking never follows it.
    (centre / "stories").mkdir()
    (centre / "stories" / "x.md").symlink_to(outside / "a.yaml")
    with pytest.raises(PublishError):
        publisher.read("stories/x.md")
    assert (outside / "a.yaml").read_text() == "text: чужой файл\n"


def test_the_preview_never_hands_its_renderer_a_file_through_a_link(tmp_path: Path) -> None:
    """The renderer, a child, opens the pictures it is given by name: an images/ folder
    linked out of the centre gave it a file outside (`is_symlink()` saw only the file)."""
    import os

    from kiosk.core.paths import package_folder
    from kiosk.editor.app import create_app
    from kiosk.editor.config import EditorConfig
    from kiosk.editor.preview_views import RENDERER_KEY
    from kiosk.editor.publish import Publisher
    from kiosk.editor.render import RenderError

    outside, centre = tmp_path / "outside", tmp_path / "centre"
    outside.mkdir()
    centre.mkdir()
    (outside / "secret.jpg").write_bytes(b"\xff\xd8 not the centre's")
    (centre / "images").symlink_to(outside)
    (centre / "posters").mkdir()
    (centre / "posters" / "own.jpg").write_bytes(b"\xff\xd8 the centre's")
    (centre / "posters" / "link.jpg").symlink_to(outside / "secret.jpg")
    os.mkfifo(centre / "posters" / "fifo.jpg")
    publisher = Publisher(centre, tmp_path / "state")
    assert publisher.regular("images/secret.jpg") is None
    assert publisher.regular("posters/link.jpg") is None
    assert publisher.regular("posters/fifo.jpg") is None
    assert publisher.regular("posters/own.jpg") == centre / "posters" / "own.jpg"

    asked: list[dict[str, object]] = []

    class Recorder:
        def render(self, request: dict[str, object], key: str) -> None:
            asked.append(request)
            raise RenderError("нет", "no")

    app = create_app(EditorConfig(package_folder("content"), centre, tmp_path / "state",
                                  login_disabled=True, csrf=False))
    app.extensions[RENDERER_KEY] = Recorder()
    app.test_client().post("/preview/story", data={
        "title": "Зонтик", "text": "Текст.", "photo": "images/secret.jpg", "period": "always",
        "days": "all", "hours": ""})
    assert asked and asked[0]["photo_source"] == ""  # not centre/images/secret.jpg


def test_a_fifo_named_like_a_story_never_hangs_the_preview(tmp_path: Path) -> None:
    import os
    import threading

    from werkzeug.datastructures import MultiDict

    from kiosk.editor import preview_views

    (tmp_path / "centre" / "stories").mkdir(parents=True)
    fifo = tmp_path / "centre" / "stories" / "x.md"
    os.mkfifo(fifo)
    done: list[object] = []
    worker = threading.Thread(target=lambda: done.append(preview_views.draft_fields(
        MultiDict({"slug": "x", "title": "Зонтик", "text": "Текст."}), tmp_path / "shared",
        tmp_path / "centre")), daemon=True)
    worker.start()
    worker.join(5)
    hung = worker.is_alive()
    if hung:  # let the thread go
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
    assert not hung and done


# -- 5. the centre's folder is never head office's, nor inside it, nor around it ------------------

def test_the_centre_folder_must_be_apart_from_head_offices(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from kiosk import cli
    from kiosk.editor.app import serve_from_cli

    content = tmp_path / "content"
    (content / "stories").mkdir(parents=True)
    (content / "stories" / "a.md").write_text("---\\ntitle: A\\n---\\nТекст.\\n")
    state = ["--state-dir", str(tmp_path / "state")]
    for centre in (content, Path(str(content) + "/"), content / "centre", tmp_path):
        for command in (["editor", *state, "--content", str(content)], ["check", str(content)],
                        ["preview", str(content), "--out", str(tmp_path / "out")],
                        ["run", "--content", str(content), *state]):
            assert cli.main([*command, "--centre", str(centre)]) == 2, (command, centre)
            assert "одна внутри другой" in capsys.readouterr().err
        assert serve_from_cli(content, centre, tmp_path / "state", None) == 2
    assert not (content / "centre").exists()
    assert (content / "stories" / "a.md").exists()


# -- 6. a broken hidden.yaml is never written over ------------------------------------------------

@pytest.mark.parametrize("broken", [
    "hide:\n  - stories/a.md\n  - stories/b.md\n  bad: [\n",  # not YAML
    "hide: stories/a.md\nhide2: [",
    "- stories/a.md\n",  # a list, not hide:
    "hide: {stories/a.md: 1}\n",
    "hide:\n  - stories/a.md\n  - {x: 1}\n",
])
def test_hiding_refuses_to_overwrite_a_broken_hidden_yaml(tmp_path: Path, broken: str) -> None:
    from kiosk.core.paths import package_folder
    from kiosk.editor.app import create_app
    from kiosk.editor.config import EditorConfig

    centre = tmp_path / "centre"
    centre.mkdir()
    (centre / "hidden.yaml").write_text(broken, encoding="utf-8")
    app = create_app(EditorConfig(package_folder("content"), centre, tmp_path / "state",
                                  login_disabled=True, csrf=False))
    client = app.test_client()
    answer = client.post("/hide", data={"path": "stories/umbrella.md"})
    assert answer.status_code == 302
    assert (centre / "hidden.yaml").read_text(encoding="utf-8") == broken
    assert "hidden.yaml в папке центра испорчен" in client.get("/").get_data(as_text=True)


# -- 7. decoding a photo: bounded pixels, one at a time, made small before it is flattened --------

def test_a_large_png_is_refused_and_decoding_is_one_at_a_time_and_small_first(
        monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    from PIL import Image

    from kiosk.editor import photos

    out = io.BytesIO()
    Image.new("RGBA", (7200, 7200), (255, 0, 0, 128)).save(out, "PNG")
    assert len(out.getvalue()) < 1_000_000  # a few hundred KB that decode to 207 MB
    with pytest.raises(photos.PhotoRejected) as refused:
        photos.prepare_photo(out.getvalue(), "bomb.png")
    assert refused.value.code == "photo_too_many_pixels"
    assert refused.value.args_["most"] == "24"

    held: list[bool] = []
    sizes: list[tuple[int, int]] = []
    open_pillow, to_srgb = photos._open_pillow, photos._to_srgb

    def watched_open(*args: object, **kwargs: object) -> object:
        held.append(not photos._DECODING.acquire(blocking=False))
        return open_pillow(*args, **kwargs)  # type: ignore[arg-type]

    def watched_srgb(image: Image.Image, *args: object) -> Image.Image:
        sizes.append(image.size)
        return to_srgb(image, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(photos, "_open_pillow", watched_open)
    monkeypatch.setattr(photos, "_to_srgb", watched_srgb)
    out = io.BytesIO()
    Image.new("RGBA", (4000, 3000), (255, 0, 0, 128)).save(out, "PNG")
    photo = photos.prepare_photo(out.getvalue(), "big.png")
    assert held == [True]  # the semaphore was held while decoding
    assert sizes == [(2048, 1536)] and (photo.width, photo.height) == (2048, 1536)
    r, g, b = Image.open(io.BytesIO(photo.jpeg)).getpixel((10, 10))  # type: ignore[misc]
    assert r > 240 and 110 < g < 150 and 110 < b < 150  # half-transparent red on white


# -- 8. the wizard publishes the drawing its page showed, never another tab's upload --------------

def test_the_wizard_never_publishes_another_tabs_upload(tmp_path: Path) -> None:
    import re

    from kiosk.core.paths import package_folder
    from kiosk.editor.app import create_app
    from kiosk.editor.config import EditorConfig
    from tests.drawings import drawing, jpeg
    from tests.editor.test_wizard import upload

    centre = tmp_path / "centre"
    centre.mkdir()
    app = create_app(EditorConfig(package_folder("content"), centre, tmp_path / "state",
                                  login_disabled=True, csrf=False))
    with app.test_client() as client:
        def page_token() -> str:
            found = re.search(r'name="upload" value="([0-9a-f]+)"',
                              client.get("/colouring/edit").get_data(as_text=True))
            assert found
            return found.group(1)

        upload(client, jpeg(drawing(1400, 1000, breaks=0, line=10)))
        first = page_token()
        upload(client, jpeg(drawing(1400, 1000, breaks=0, line=14)))  # another tab
        second = page_token()
        assert first != second
        stale = client.post("/colouring/publish", data={
            "title": "Домик", "gap": "32", "anyway": "1", "upload": first})
        assert stale.status_code == 303 and stale.headers["Location"].endswith("/colouring/edit")
        assert not (centre / "colouring").exists()
        assert "заменили новой загрузкой" in client.get("/colouring/edit").get_data(as_text=True)
        done = client.post("/colouring/publish", data={
            "title": "Домик", "gap": "32", "anyway": "1", "upload": second})
        assert done.status_code == 303 and (centre / "colouring" / "domik.png").exists()


# -- 11. a centre folder that cannot be written: a plain message, the text kept, nothing half-done

def test_a_write_that_fails_is_said_plainly_and_rolled_back(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    from kiosk.core.paths import package_folder
    from kiosk.editor.app import create_app
    from kiosk.editor.config import EditorConfig
    from kiosk.editor.publish import Publisher, PublishError

    centre = tmp_path / "centre"
    (centre / "colouring").mkdir(parents=True)
    (centre / "colouring" / "colouring.yaml").write_bytes(b"- file: old.png\n")
    replace = os.replace

    def read_only(src: object, dst: object, **kwargs: object) -> None:
        if str(dst) == "colouring.yaml" or str(dst).endswith(".md"):
            raise PermissionError(13, "Permission denied")
        replace(src, dst, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "replace", read_only)
    publisher = Publisher(centre, tmp_path / "state")
    with pytest.raises(PublishError) as refused:
        publisher.publish({"colouring/new.png": b"png",
                           "colouring/colouring.yaml": b"- file: new.png\n"},
                          "anna", "colouring", "new")
    assert str(centre) in refused.value.ru and "ИТ-служб" in refused.value.ru
    assert str(centre) in refused.value.en
    assert sorted(p.name for p in (centre / "colouring").iterdir()) == ["colouring.yaml"]
    assert (centre / "colouring" / "colouring.yaml").read_bytes() == b"- file: old.png\n"
    # Through the story form: the message on the page, the text still in the form.
    app = create_app(EditorConfig(package_folder("content"), centre, tmp_path / "state",
                                  login_disabled=True, csrf=False))
    answer = app.test_client().post("/stories/save", data={
        "title": "Привет", "text": "Текст, который нельзя потерять.", "period": "always"})
    page = answer.get_data(as_text=True)
    assert answer.status_code == 409, page[:2000]
    assert "Текст, который нельзя потерять." in page and str(centre) in page


# -- 10. a wrong sign-in costs the same for a name that is no account -----------------------------

def test_a_name_that_is_no_account_is_written_down_the_same_way(
        editor: Editor, monkeypatch: pytest.MonkeyPatch) -> None:
    from kiosk.editor import auth
    from tests.editor.test_auth import PASSWORD, sign_in_account

    auth.Accounts(editor.state / "editor" / auth.ACCOUNTS_FILE).add("bob", PASSWORD)
    app = editor.app()
    writes: list[str] = []
    write = auth.write_private  # type: ignore[attr-defined]

    def counted(path: Path, text: str) -> None:
        writes.append(path.name)
        write(path, text)

    monkeypatch.setattr(auth, "write_private", counted)
    assert sign_in_account(app.test_client(), "bob", "wrong-password-1")[0] == 401
    known = list(writes)
    writes.clear()
    assert sign_in_account(app.test_client(), "nobody", "wrong-password-1")[0] == 401
    assert known == writes == [auth.ACCOUNT_TRIES_FILE]
    # The lock of a name that is no account is still kept (in memory), not in the file.
    assert "nobody" not in (editor.state / "editor" / auth.ACCOUNT_TRIES_FILE).read_text()


# -- 14. an address for every network in disguise, a port in use: a plain refusal -----------------

def test_a_mapped_any_address_and_a_port_in_use_are_refused_plainly(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import socket

    from kiosk.editor import auth
    from kiosk.editor.app import serve_from_cli

    for listen in ("[::ffff:0.0.0.0]:8099", "[::ffff:0:0]:8099"):
        assert auth.check_listen(listen) is not None and "во всех сетях" in str(
            auth.check_listen(listen))
    PinStore(tmp_path / "state").set_pin(PIN)
    content = tmp_path / "content"
    content.mkdir()
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        code = serve_from_cli(content, tmp_path / "centre", tmp_path / "state",
                              f"127.0.0.1:{port}")
    assert code == 2
    assert f"не может слушать 127.0.0.1:{port}" in capsys.readouterr().err


# -- 9. behind a TLS proxy named in editor.yaml, waitress believes its headers --------------------

def test_trusted_proxy_from_editor_yaml_reaches_waitress(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import waitress  # type: ignore[import-untyped]

    from kiosk.editor import app as app_module
    from kiosk.editor import auth

    settings = tmp_path / "editor.yaml"
    settings.write_text('listen: 127.0.0.1:8099\ntrusted_proxy: "127.0.0.1"\n')
    assert auth.resolve_trusted_proxy(settings) == "127.0.0.1"
    assert auth.resolve_listen(None, settings) == "127.0.0.1:8099"
    settings.write_text("trusted_proxy: proxy.local\n")
    with pytest.raises(auth.CannotStart, match="trusted_proxy"):
        auth.resolve_trusted_proxy(settings)
    settings.write_text("trusted_proxy: 10.0.0.5\n")
    monkeypatch.setattr(auth, "EDITOR_SETTINGS", settings)
    seen: dict[str, object] = {}
    monkeypatch.setattr(waitress, "serve", lambda app, **kwargs: seen.update(kwargs))
    monkeypatch.setattr(app_module, "_can_listen", lambda host, port: None)
    PinStore(tmp_path / "state").set_pin(PIN)
    (tmp_path / "content").mkdir()
    assert app_module.serve_from_cli(tmp_path / "content", tmp_path / "centre",
                                     tmp_path / "state", "127.0.0.1:8099") == 0
    assert seen["trusted_proxy"] == "10.0.0.5"
    assert seen["trusted_proxy_headers"] == {"x-forwarded-proto", "x-forwarded-for"}
    # A client holding connections open and idle (slowloris) is let go after 30 s, not
    # waitress's 120, and holds 32 at most, each body spooled before sign-in is asked.
    assert seen["channel_timeout"] == 30 and seen["connection_limit"] == 32


# -- 12. the render child's scratch folder goes with it, even killed ------------------------------

def test_the_render_childs_scratch_folder_is_removed_even_when_it_is_killed(
        tmp_path: Path) -> None:
    import os
    import sys

    from kiosk.editor.render import SCRATCH_ENV, Renderer

    root = tmp_path / "preview"
    root.mkdir()
    stale = root / "preview-999999999-gone"  # left by an editor that was killed
    stale.mkdir()
    (stale / "x.png").write_bytes(b"x")
    mine = root / f"preview-{os.getpid()}-live"  # this editor's own: left alone
    mine.mkdir()
    renderer = Renderer(command=[sys.executable, "-c", "import sys; sys.stdin.read()"],
                        scratch_root=root)
    assert not stale.exists() and mine.exists()
    child = renderer._start()
    scratch = Path(renderer._scratch[child.pid])
    assert scratch.parent == root and scratch.is_dir()
    (scratch / "drawn.png").write_bytes(b"png")
    renderer._stop(child, kill=True)
    assert not scratch.exists()
    child = renderer._start()
    scratch = Path(renderer._scratch[child.pid])
    renderer._process = child
    renderer.shutdown()
    assert not scratch.exists()
    assert SCRATCH_ENV == "KIOSK_PREVIEW_SCRATCH"


# -- 15. never in another site's frame; only the editor's own scripts -----------------------------

def test_every_page_refuses_frames_and_foreign_scripts(editor: Editor) -> None:
    app = editor.app()
    client = app.test_client()
    static = client.get("/static/editor.js")
    static.close()
    for response in (client.get("/signin"), client.get("/"), static,
                     client.post("/signin", data={"method": "pin", "pin": "1"})):
        assert response.headers["X-Frame-Options"] == "DENY"
        policy = response.headers["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in policy and "default-src 'self'" in policy
        assert "script-src 'self';" in policy
    # The templates keep to it: no inline script, no handler in an attribute.
    for template in (Path(__file__).resolve().parents[2] / "src/kiosk/editor/templates").glob(
            "*.html"):
        text = template.read_text(encoding="utf-8")
        assert "<script>" not in text and " onclick=" not in text and " onload=" not in text
