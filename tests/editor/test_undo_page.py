"""«Отменить» in the history opens a page that shows what the undo will do, before it is done
(kiosk.editor.undo_views), through Flask's test client with the real renderer: what comes back
drawn as the live preview draws it, what disappears named, a photo or picture that comes back
shown, the refusals said there, nothing done until «Отменить публикацию» is pressed."""

from __future__ import annotations

import io
import re
import shutil
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import numpy as np
import pytest
from flask import Flask
from flask.testing import FlaskClient
from PIL import Image, ImageChops, ImageDraw

from kiosk.core.paths import package_folder
from kiosk.core.pin import PinStore
from kiosk.editor.app import create_app
from kiosk.editor.colouring_views import index_text
from kiosk.editor.config import EditorConfig
from kiosk.editor.preview_views import RENDERER_KEY
from kiosk.editor.publish import Publisher
from kiosk.editor.render import Renderer
from tests.editor.test_preview_views import image as screen

SHARED = package_folder("content")
T = TypeVar("T")
TEXT = ("Бабушка пришла в центр под проливным дождём, без зонта и совсем промокшая. "
        "Специалист усадил её у батареи, принёс горячий чай и помог со всеми документами.")


pytestmark = pytest.mark.usefixtures("rendering")  # `client` draws with the real renderer


def form(**fields: object) -> dict[str, object]:
    base: dict[str, object] = {"title": "Зонтик для бабушки", "text": TEXT, "period": "always",
                               "days": "all", "hours": ""}
    base.update(fields)
    return base


def records(config: EditorConfig) -> list[str]:
    """The history's records, oldest first."""
    return [r.id for r in reversed(Publisher(config.centre, config.editor_state).history())]


def headings(page: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", h) for h in re.findall(r"<h2 id=\"undo-item-\d+\">(.*?)</h2>",
                                                          page)]


def confirm(client: FlaskClient, record: str) -> str:
    answer = client.get(f"/history/{record}/undo")
    assert answer.status_code == 200, answer.status_code
    return answer.get_data(as_text=True)


def drawn(client: FlaskClient, page: str, number: int = 0) -> dict[str, object]:
    """The page's preview of its item `number`, as its script asks for it."""
    (url,) = [u for u in re.findall(r'data-url="([^"]+)"', page)
              if u.endswith(f"/undo/preview/{number}")]
    answer = client.get(url)
    assert answer.status_code == 200, answer.get_data(as_text=True)
    body = answer.get_json()
    assert isinstance(body, dict)
    return body




def names(body: dict[str, object]) -> set[str]:
    images = body["images"]
    assert isinstance(images, list)
    return {str(image["name"]) for image in images}


def differ(first: Image.Image, second: Image.Image) -> bool:
    extrema = ImageChops.difference(first, second).getextrema()
    return max(high for _, high in extrema) > 32  # type: ignore[misc]


def jpeg(colour: tuple[int, int, int]) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (1600, 1200), colour).save(out, "JPEG")
    return out.getvalue()


def test_undo_in_the_history_shows_the_earlier_story_as_the_live_preview_draws_it_first(
        client: FlaskClient, config: EditorConfig) -> None:
    assert client.post("/stories/save", data=form()).status_code == 302
    assert client.post("/stories/save", data=form(slug="zontik-dlya-babushki",
                                                  title="Зонтик для дедушки")).status_code == 302
    _, edit = records(config)
    story = config.centre / "stories/zontik-dlya-babushki.md"
    now = story.read_bytes()
    # «Отменить» in the history is a link to the undo's page, not a form that acts at once.
    history = client.get("/history").get_data(as_text=True)
    history = history.split('<table class="items history">')[1]  # (not the publish's flash)
    assert f'href="/history/{edit}/undo"' in history
    assert f'action="/history/{edit}/undo"' not in history
    page = confirm(client, edit)
    assert story.read_bytes() == now  # the page changes nothing
    assert headings(page) == ["История «Зонтик для бабушки» станет такой, какой была до "
                              "этого изменения"]
    assert f'<form method="post" action="/history/{edit}/undo"' in page
    assert ">Отменить публикацию</button>" in page
    assert '<a class="button quiet" href="/history">Назад к журналу</a>' in page
    # Landscape and portrait, Russian and English, the story and its poster: as the form's
    # preview draws the story as it was.
    body = drawn(client, page)
    assert body["shown"] is True and body["problems"] == []
    assert names(body) == {f"{o}-{lang}-{s}" for o in ("landscape", "portrait")
                           for lang in ("ru", "en") for s in ("story", "poster")}
    live = client.post("/preview/story", data=form(slug="zontik-dlya-babushki")).get_json()
    current = client.post("/preview/story", data=form(slug="zontik-dlya-babushki",
                                                      title="Зонтик для дедушки")).get_json()
    for name in ("landscape-ru-story", "portrait-en-story"):
        assert not differ(screen(client, body, name), screen(client, live, name))
        assert differ(screen(client, body, name), screen(client, current, name))
    # Pressed: the earlier story is back, and the page of that undo is the way back again.
    assert client.post(f"/history/{edit}/undo").status_code == 302
    assert 'title: "Зонтик для бабушки"' in story.read_text(encoding="utf-8")
    undo = records(config)[-1]
    assert headings(confirm(client, undo)) == [
        "История «Зонтик для дедушки» станет такой, какой была до этого изменения"]


def test_the_refusals_are_said_on_the_page_before_anything_is_pressed(
        client: FlaskClient, config: EditorConfig) -> None:
    client.post("/stories/save", data=form())
    client.post("/stories/save", data=form(slug="zontik-dlya-babushki",
                                           title="Зонтик для дедушки"))
    first, edit = records(config)
    page = confirm(client, first)
    assert "с тех пор это изменили ещё раз («Зонтик для дедушки», test)" in page
    assert "<h1>Эту публикацию отменить нельзя</h1>" in page
    assert ">Отменить публикацию</button>" not in page and ">Назад к журналу</a>" in page
    assert 'data-undo-refused' in page and "data-undo-preview data-screen" not in page
    assert client.get(f"/history/{first}/undo/preview/0").status_code == 404
    drawn(client, confirm(client, edit))  # its page open, its plan kept for its previews…
    client.post(f"/history/{edit}/undo")
    # …which no longer draw once it is undone.
    assert client.get(f"/history/{edit}/undo/preview/0").status_code == 404
    page = confirm(client, edit)
    assert "Эту публикацию уже отменили." in page and ">Отменить публикацию</button>" not in page
    assert client.get("/history/20990101T000000-000001/undo").status_code == 404
    assert client.get("/history/..%2F..%2Fx/undo").status_code == 404


def test_what_disappears_is_named_and_a_photo_that_comes_back_is_shown(
        client: FlaskClient, config: EditorConfig) -> None:
    photo = client.post("/photo", data={"photo": (io.BytesIO(jpeg((40, 110, 190))), "a.jpg"),
                                        "title": "Зонтик"}).get_json()["photo"]
    client.post("/stories/save", data=form(photo=photo))
    (publish,) = records(config)
    published = (config.centre / photo).read_bytes()
    page = confirm(client, publish)
    assert headings(page) == ["История «Зонтик для бабушки» исчезнет с киоска",
                              "Фото истории «Зонтик для бабушки» тоже будет удалено"]
    assert "data-undo-preview data-screen" not in page and 'class="undo-picture"' not in page
    client.post(f"/history/{publish}/undo")
    assert not (config.centre / photo).exists()
    undo = records(config)[-1]
    page = confirm(client, undo)  # the undo of the undo: both come back
    assert headings(page) == ["История «Зонтик для бабушки» вернётся на киоск",
                              "Вернётся фото истории «Зонтик для бабушки»"]
    (picture,) = re.findall(r'<img class="undo-picture" src="([^"]+)"', page)
    shown = client.get(picture)
    assert shown.mimetype == "image/jpeg" and shown.data == published
    body = drawn(client, page)  # drawn with its photo, from the history: nothing is missing
    assert body["shown"] is True and body["problems"] == []
    # The photo's blue is on the story's screen.
    pixels = np.asarray(screen(client, body, "landscape-ru-story"), dtype=int)
    assert (np.abs(pixels - (40, 110, 190)).sum(axis=2) < 30).mean() > 0.05


def test_notices_posters_colouring_pictures_and_hidden_items(
        client: FlaskClient, config: EditorConfig) -> None:
    notice = {"text": "Центр 31 декабря работает до 16:00", "level": "ordinary",
              "period": "always", "days": "all", "hours": ""}
    client.post("/notices/save", data=notice)
    slug = next(p.stem for p in (config.centre / "notices").iterdir())
    client.post(f"/notices/{slug}/delete")
    client.post("/notices/save", data={**notice, "text": "Приём документов на загранпаспорт "
                                                         "— в окнах 5–7"})
    picture = client.post("/posters/upload", data={
        "picture": (io.BytesIO(jpeg((30, 90, 160))), "p.jpg")}).get_json()["picture"]
    client.post("/posters/save", data={"name": "График на праздники", "period": "always",
                                       "days": "all", "hours": "", "fit": "whole",
                                       "duration": "", "picture": picture})
    client.post("/posters/grafik-na-prazdniki/delete")
    art = Image.new("L", (800, 600), 255)
    ImageDraw.Draw(art).rectangle((100, 100, 700, 500), outline=0, width=12)
    png = io.BytesIO()
    art.save(png, "PNG")
    Publisher(config.centre, config.editor_state).publish({
        "colouring/domik.png": png.getvalue(), "colouring/colouring.yaml": index_text(
            [{"file": "domik.png", "title": "Домик"}])}, "anna", "colouring", "Домик")
    client.post("/colouring/pictures/domik/save", data={"title": "Домик у реки"})
    # (Said before the picture is removed: its removal changes the list of pictures again.)
    assert headings(confirm(client, records(config)[-1])) == [
        "Раскраска «Домик у реки» снова будет называться «Домик»"]
    client.post("/colouring/pictures/domik/delete")
    client.post("/hide", data={"path": "stories/umbrella.md"})
    (first_notice, gone_notice, new_notice, _, gone_poster, _, rename, gone_picture,
     hide) = records(config)

    assert "с тех пор это изменили ещё раз" in confirm(client, first_notice)
    assert headings(confirm(client, new_notice)) == [
        "Объявление «Приём документов на загранпаспорт — в окнах 5–7» исчезнет с киоска"]
    page = confirm(client, gone_notice)
    assert headings(page) == ["Объявление «Центр 31 декабря работает до 16:00» вернётся на "
                              "киоск"]
    body = drawn(client, page)
    assert body["shown"] is True and names(body) == {
        f"{o}-{lang}-notice" for o in ("landscape", "portrait") for lang in ("ru", "en")}
    page = confirm(client, gone_poster)
    assert headings(page) == ["Плакат «График на праздники» вернётся в заставку"]
    body = drawn(client, page)
    assert body["shown"] is True and names(body) == {"landscape-ru-poster",
                                                      "portrait-ru-poster"}
    assert "с тех пор это изменили ещё раз" in confirm(client, rename)
    page = confirm(client, gone_picture)
    assert headings(page) == ["Раскраска «Домик у реки» вернётся на экран раскрасок"]
    (url,) = re.findall(r'<img class="undo-picture" src="([^"]+)"', page)
    answer = client.get(url)
    assert answer.mimetype == "image/png" and answer.data == png.getvalue()
    assert headings(confirm(client, hide)) == [
        "«Зонтик под ливнем» снова будет показываться на этом киоске"]
    # Nothing was undone by looking.
    assert records(config)[-1] == hide and (config.centre / "hidden.yaml").is_file()
    assert not (config.centre / "posters/grafik-na-prazdniki.jpg").exists()

    with client.session_transaction() as session:
        session["lang"] = "en"
    page = confirm(client, gone_poster)
    assert headings(page) == ["The poster “График на праздники” comes back to the slideshow"]
    assert ">Undo the publish</button>" in page and ">Back to the history</a>" in page
    assert headings(confirm(client, new_notice)) == [
        "The notice “Приём документов на загранпаспорт — в окнах 5–7” disappears from the "
        "kiosk"]


def test_the_page_needs_sign_in_and_its_undo_a_csrf_token(tmp_path: Path,
                                                           renderer: Renderer) -> None:
    root = tmp_path / "signed"  # an editor of its own, beside the module's `app`
    (root / "centre").mkdir(parents=True)
    PinStore(root / "state").set_pin("48291375")
    config = EditorConfig(SHARED, root / "centre", root / "state")
    publisher = Publisher(config.centre, config.editor_state)
    record = publisher.publish({"stories/a.md": b"---\ntitle: A\n---\nText\n"}, "anna",
                               "publish", "A")
    app: Flask = create_app(config)
    app.extensions[RENDERER_KEY] = renderer
    with app.test_client() as client:
        for url in (f"/history/{record.id}/undo", f"/history/{record.id}/undo/preview/0"):
            answer = client.get(url)
            assert answer.status_code in (302, 303) and "/signin" in answer.headers["Location"]
        signin = client.get("/signin").get_data(as_text=True)
        found = re.search(r'name="csrf_token" value="([^"]+)"', signin)
        assert found is not None
        client.post("/signin", data={"method": "pin", "pin": "48291375",
                                     "csrf_token": found.group(1)})
        page = client.get(f"/history/{record.id}/undo")
        assert page.status_code == 200
        html = page.get_data(as_text=True)
        assert re.search(r'action="/history/[^"]+/undo"[^>]*>\s*<input type="hidden" '
                         r'name="csrf_token"', html)
        assert client.post(f"/history/{record.id}/undo").status_code == 400
    assert (config.centre / "stories/a.md").is_file()


def test_a_picture_put_in_by_hand_comes_back_named_not_an_error_page(
        client: FlaskClient, config: EditorConfig) -> None:
    # colouring.yaml written by hand names «Кот.png» (a name the editor never writes) and a
    # link; a publish took them off the screen, leaving the files. Its undo page was «Internal
    # Server Error»: the pictures were read as the editor's own files.
    folder = config.centre / "colouring"
    folder.mkdir()
    png = io.BytesIO()
    Image.new("L", (80, 60), 255).save(png, "PNG")
    (folder / "Кот.png").write_bytes(png.getvalue())
    (folder / "cat.png").symlink_to(config.centre.parent / "elsewhere.png")
    (config.centre.parent / "elsewhere.png").write_bytes(png.getvalue())
    (folder / "colouring.yaml").write_bytes(index_text(
        [{"file": "Кот.png", "title": "Кот"}, {"file": "cat.png", "title": "Кошка"}]))
    record = Publisher(config.centre, config.editor_state).publish(
        {"colouring/colouring.yaml": index_text([])}, "anna", "colouring", "Убрали")
    page = confirm(client, record.id)
    assert headings(page) == ["Раскраска «Кот» вернётся на экран раскрасок",
                              "Раскраска «Кошка» вернётся на экран раскрасок"]
    assert '<img class="undo-picture"' not in page  # neither is read: not the editor's, or a link


def calls_made(action: Callable[[], T]) -> tuple[int, T]:
    """The functions `action` calls (Python's and C's), counted, and what it returns: the work
    of a page measured without a clock, the same on a busy machine."""
    called = 0

    def counted(_frame: object, event: str, _arg: object) -> None:
        nonlocal called
        called += event in ("call", "c_call")

    sys.setprofile(counted)
    try:
        result = action()
    finally:
        sys.setprofile(None)
    return called, result


def test_the_page_of_a_large_record_grows_with_it_not_with_its_square(
        config: EditorConfig, client: FlaskClient) -> None:
    """A record of many posters, stories and photos (a centre's folder brought back at once):
    the page's work, counted in the functions it calls (no timing), twice as much for twice
    as many files. A pass over the whole record for each poster once made 10,000 posters'
    page take many minutes."""
    publisher = Publisher(config.centre, config.editor_state)

    def calls(count: int) -> int:
        record = publisher.publish({
            **{f"posters/p{count}-{n}.png": b"\x89PNG\r\n\x1a\n%d" % n for n in range(count)},
            **{f"stories/s{count}-{n}.md": b"---\ntitle: S%d\n---\nText\n" % n
               for n in range(count)},
            **{f"images/i{count}-{n}.jpg": b"\xff\xd8\xff%d" % n for n in range(count)}},
            "anna", "publish", f"{count}")
        confirm(client, record.id)  # templates compiled, caches filled
        called, page = calls_made(lambda: confirm(client, record.id))
        assert len(headings(page)) == 3 * count
        return called

    small, middle, large = calls(20), calls(40), calls(80)
    # Linear: 40 more files of each kind cost twice what 20 more did; quadratic: four times.
    assert large - middle <= 2.5 * (middle - small), (small, middle, large)


def test_the_page_of_a_record_hiding_many_shared_items_grows_with_it_not_with_its_square(
        tmp_path: Path) -> None:
    """A record that hides some of head office's items and shows others, hundreds of them:
    its page names each by the title the listing gives it. Counted in the functions it calls
    (no timing): twice the items, twice the work. The whole listing was made again for each
    item (500 items: 500 listings of 500 rows)."""
    from kiosk.editor import catalog

    def calls(count: int) -> int:
        shared = tmp_path / f"shared{count}"
        shutil.copytree(SHARED, shared)
        for n in range(count):
            (shared / f"stories/h{n}.md").write_text(f"---\ntitle: Ш{n}\n---\nТекст\n")
        config = EditorConfig(shared, tmp_path / f"centre{count}", tmp_path / f"state{count}",
                              login_disabled=True, csrf=False)
        config.centre.mkdir()
        paths = [f"stories/h{n}.md" for n in range(count)]
        publisher = Publisher(config.centre, config.editor_state)
        publisher.publish({"hidden.yaml": catalog.hidden_text(paths[::2])}, "anna", "hide",
                          "half")
        record = publisher.publish({"hidden.yaml": catalog.hidden_text(paths[1::2])}, "anna",
                                   "hide", "the other half")
        with create_app(config).test_client() as client:
            confirm(client, record.id)  # templates compiled, caches filled
            called, page = calls_made(lambda: confirm(client, record.id))
        # Those hidden now are named from their files, those shown now from the listing.
        assert headings(page) == [
            f"«Ш{n}» снова будет {'скрыто' if n % 2 == 0 else 'показываться'} на этом киоске"
            for n in sorted(range(count), key=lambda n: (n % 2, n))]
        return called

    small, middle, large = calls(20), calls(40), calls(80)
    # Linear: 40 more items cost twice what 20 more did; quadratic: four times.
    assert large - middle <= 2.5 * (middle - small), (small, middle, large)


def test_drawing_every_preview_of_a_large_record_grows_with_it_not_with_its_square(
        config: EditorConfig, client: FlaskClient, monkeypatch: pytest.MonkeyPatch) -> None:
    """The page asks for a preview of each story, notice and poster that comes back, one
    request each: each request builds its one item, not the record's whole list again (1,000
    stories took 0.44 s a preview, 7 minutes for the page's previews before the first was
    drawn). Counted in the functions called (no timing), the renderer left out: twice as many
    items, twice the work."""
    publisher = Publisher(config.centre, config.editor_state)
    asked: list[dict[str, object]] = []

    def rendered(job: dict[str, object], *_: object) -> dict[str, object]:
        asked.append(job)
        return {"images": [], "problems": [], "shown": True}

    monkeypatch.setattr("kiosk.editor.preview_views.rendered", rendered)

    def calls(count: int) -> int:
        files: dict[str, bytes] = {
            **{f"stories/s{count}-{n}.md": b"---\ntitle: S%d\n---\nText\n" % n
               for n in range(count)},
            **{f"notices/n{count}-{n}.yaml": b"text: N%d\n" % n for n in range(count)},
            **{f"posters/p{count}-{n}.png": b"\x89PNG\r\n\x1a\n%d" % n for n in range(count)}}
        publisher.publish(dict(files), "anna", "publish", f"{count}")
        # Its undo brings them all back, drawn; the centre's folder stays as small for each.
        record = publisher.publish(dict.fromkeys(files), "anna", "delete", f"{count}")
        page = confirm(client, record.id)
        urls = re.findall(r'data-url="([^"]+)"', page)
        assert len(urls) == 3 * count
        asked.clear()
        called, answers = calls_made(lambda: [client.get(url) for url in urls])
        assert [answer.status_code for answer in answers] == [200] * len(urls)
        # Each address drew the item of its heading, in the page's order.
        assert [job["slug"] for job in asked] == [
            *(f"s{count}-{n}" for n in range(count)), *(f"n{count}-{n}" for n in range(count)),
            *(f"p{count}-{n}" for n in range(count))]
        return called

    small, middle, large = calls(4), calls(8), calls(16)
    # Linear: 8 more items of each kind cost twice what 4 more did; quadratic: four times.
    assert large - middle <= 2.5 * (middle - small), (small, middle, large)


def test_each_item_built_alone_for_its_preview_is_the_item_of_its_heading(
        app: Flask, config: EditorConfig) -> None:
    """A preview or a picture builds its one item from the record's plan: for a record of
    every kind, the item so built is the page's item of that number (a number off by one
    would draw one story under another's heading)."""
    from kiosk.editor import catalog
    from kiosk.editor.undo_views import Reading, built, plan_of, undo_items

    png = io.BytesIO()
    Image.new("L", (80, 60), 255).save(png, "PNG")
    files: dict[str, bytes] = {
        "stories/a.md": b"---\ntitle: A\nphoto: images/p.jpg\n---\nText\n",
        "images/p.jpg": jpeg((40, 110, 190)), "images/q.jpg": jpeg((190, 110, 40)),
        "notices/n.yaml": b"text: N\n", "posters/q.png": png.getvalue(),
        "posters/q.yaml": b"# Q\n", "colouring/c.png": png.getvalue(),
        "colouring/x.png": png.getvalue(), "stories/b.md": b"---\ntitle: B\n---\nText\n",
        "colouring/colouring.yaml": index_text([{"file": "c.png", "title": "Кот"}]),
        "hidden.yaml": catalog.hidden_text(["stories/umbrella.md"])}
    publisher = Publisher(config.centre, config.editor_state)
    publisher.publish(files, "anna", "publish", "all")
    record = publisher.publish(dict.fromkeys(files), "anna", "delete", "all")
    with app.test_request_context():
        plan = plan_of(record)
        page = undo_items(plan)
        assert [item.kind for item in page] == [
            "story", "notice", "story", "photo", "photo", "poster", "colouring", "hidden",
            "colouring"]
        for number, slot in enumerate(plan.slots):
            alone = built(slot, Reading(plan))
            assert (alone.kind, alone.effect, alone.job, alone.picture) == (
                page[number].kind, page[number].effect, page[number].job, page[number].picture)


def test_the_time_of_the_publish_is_on_the_centres_clock_without_javascript(
        client: FlaskClient, config: EditorConfig, monkeypatch: pytest.MonkeyPatch) -> None:
    # Published at 12:44 UTC: staff in Moscow read 15:44, as editor.js writes it, not «12:44
    # UTC» (what the page said before its script ran, and all along with JavaScript off).
    monkeypatch.setattr("kiosk.editor.publish._now", lambda: "2026-12-07T12:44:05+00:00")
    record = Publisher(config.centre, config.editor_state).publish(
        {"stories/a.md": b"---\ntitle: A\n---\nText\n"}, "anna", "publish", "A")
    for url in (f"/history/{record.id}/undo", "/history"):
        page = client.get(url).get_data(as_text=True)
        assert '<time datetime="2026-12-07T12:44:05+00:00" data-local>7 декабря 2026 г. в ' \
               '15:44</time>' in page, url
        assert "UTC" not in page
    client.post("/language/en")
    assert ">7 December 2026 at 15:44</time>" in confirm(client, record.id)
