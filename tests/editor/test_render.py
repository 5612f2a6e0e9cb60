"""The preview renderer's child process and its client (kiosk.editor.render, render_worker):
PNGs of the kiosk's own screens, recovery from a hung or killed child, idle stop, and no Qt in
the editor's own process."""

from __future__ import annotations

import datetime as dt
import io
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PIL import Image, ImageChops
from pytestqt.qtbot import QtBot

from kiosk.core.paths import package_folder
from kiosk.editor.render import BUSY, CRASHED, TIMED_OUT, Renderer, RenderError, RenderResult
from kiosk.editor.story_form import StoryFields, story_text

SHARED = package_folder("content")
TEXT = ("Посетительница оставила зонт у окна, а на улице начался ливень. Сотрудник догнал её "
        "у выхода и отдал зонт. Она поблагодарила и сказала, что теперь придёт снова.")


def draft(title: str = "Зонтик под ливнем", **more: object) -> dict[str, object]:
    fields = StoryFields(slug="draft-umbrella", title=title, text=TEXT, **more)  # type: ignore[arg-type]
    return {"shared": str(SHARED), "slug": "draft-umbrella", "text": story_text(fields)}


def wait_for(condition: Callable[[], object], seconds: float = 30.0) -> None:
    """Until `condition()` holds (a condition, not a fixed pause)."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "the condition never held"
        time.sleep(0.01)


@pytest.fixture(scope="module")
def renderer() -> Iterator[Renderer]:
    found = Renderer(timeout=60.0)
    yield found
    found.close()


def pixels(data: bytes) -> Image.Image:
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    return Image.open(io.BytesIO(data)).convert("RGB")


def differs(first: bytes, second: bytes) -> bool:
    """Whether two PNGs differ in what they show. The same text drawn twice may differ by a few
    levels in the edges of its letters (Qt's glyph cache, max 8 of 255): not a difference."""
    extrema = ImageChops.difference(pixels(first), pixels(second)).getextrema()
    return max(high for _, high in extrema) > 32  # type: ignore[misc]


def test_draws_the_story_screen_and_its_poster_in_both_orientations_and_languages(
        renderer: Renderer) -> None:
    result = renderer.render(draft())
    assert isinstance(result, RenderResult)
    assert result.shown
    assert {(d["orientation"], d["lang"], d["screen"]) for d in result.described} == {
        (o, lang, s) for o in ("landscape", "portrait") for lang in ("ru", "en")
        for s in ("story", "poster")}
    assert pixels(result.images["landscape-ru-story"]).size == (1920, 1080)
    assert pixels(result.images["portrait-en-poster"]).size == (1080, 1920)
    assert result.problems == []


def test_the_picture_changes_with_the_title(renderer: Renderer) -> None:
    first = renderer.render(draft("Зонтик под ливнем"))
    second = renderer.render(draft("Очки нашлись"))
    assert first is not None and second is not None
    for name in ("landscape-ru-story", "portrait-ru-poster"):
        assert differs(first.images[name], second.images[name]), name
    again = renderer.render(draft("Зонтик под ливнем"))
    assert again is not None
    # The same draft, the same pixels: nothing of the other draft is left over.
    assert not differs(first.images["landscape-ru-story"], again.images["landscape-ru-story"])


def test_the_drafts_problems_come_with_the_line_and_both_messages(renderer: Renderer) -> None:
    result = renderer.render(draft(tags=("забота", "Зонты")))
    assert result is not None
    (problem,) = [p for p in result.problems if p["code"] in ("unknown_tag", "tag_misspelt")]
    assert problem["path"] == "stories/draft-umbrella.md"
    assert problem["line"] == 3  # ---, title, tags
    assert "Зонты" in problem["ru"] and "Зонты" in problem["en"]


def test_a_hung_child_is_killed_at_the_timeout_and_the_next_one_starts() -> None:
    hang = [sys.executable, "-c", "import sys, time; sys.stdin.buffer.read(4); time.sleep(600)"]
    renderer = Renderer(timeout=0.5, command=hang)
    renderer.start_allowance = 5.0
    try:
        started = time.monotonic()
        with pytest.raises(RenderError) as raised:
            renderer.render(draft())
        assert raised.value is TIMED_OUT
        assert time.monotonic() - started < 10
        assert renderer.pid is None  # killed, not left behind
        with pytest.raises(RenderError):
            renderer.render(draft())
        assert renderer.starts == 2
    finally:
        renderer.close()


def test_a_child_killed_mid_request_fails_that_request_and_the_next_one_works() -> None:
    renderer = Renderer(timeout=60.0)
    failure: list[BaseException] = []

    def ask() -> None:
        try:
            renderer.render(draft())
        except RenderError as exc:
            failure.append(exc)

    try:
        asking = threading.Thread(target=ask)
        asking.start()
        wait_for(lambda: renderer.pid is not None)
        pid = renderer.pid
        assert pid is not None
        os.kill(pid, 9)
        asking.join(60)
        assert failure == [CRASHED]
        result = renderer.render(draft())
        assert result is not None and result.shown
        assert renderer.starts == 2 and renderer.pid not in (None, pid)
    finally:
        renderer.close()


def test_an_idle_child_is_stopped_and_started_again_when_needed() -> None:
    renderer = Renderer(timeout=60.0, idle_seconds=0.3)
    try:
        pid = renderer.ping()
        # Stopped (and reaped: its memory is given back), with nobody asking.
        wait_for(lambda: renderer.pid is None and not Path(f"/proc/{pid}").exists())
        assert renderer.ping() != pid
    finally:
        renderer.close()


def test_a_request_overtaken_by_a_newer_one_from_the_same_page_is_not_drawn(
        renderer: Renderer) -> None:
    answers: dict[str, RenderResult | None] = {}
    base = renderer._counter
    renderer._lock.acquire()  # a request is being drawn: both below wait
    older = threading.Thread(target=lambda: answers.update(older=renderer.render(
        draft("Старый"), key="page")))
    older.start()
    wait_for(lambda: renderer._counter == base + 1)
    newer = threading.Thread(target=lambda: answers.update(newer=renderer.render(
        draft("Новый"), key="page")))
    newer.start()
    wait_for(lambda: renderer._counter == base + 2)
    renderer._lock.release()
    older.join(60)
    newer.join(60)
    assert answers["older"] is None
    assert answers["newer"] is not None and answers["newer"].shown


def test_past_two_waiting_requests_the_next_one_is_refused_at_once(
        renderer: Renderer) -> None:
    """Previews never take all of the server's threads: two wait (two staff typing), the
    third is told the preview is busy."""
    answers: list[RenderResult | None] = []
    renderer._lock.acquire()
    try:
        waiting = [threading.Thread(target=lambda k=k: answers.append(renderer.render(
            draft(), key=k))) for k in ("first-page", "second-page")]
        for thread in waiting:
            thread.start()
        wait_for(lambda: renderer._waiting == 2)
        started = time.monotonic()
        with pytest.raises(RenderError) as raised:
            renderer.render(draft(), key="third-page")
        assert raised.value is BUSY and time.monotonic() - started < 1
    finally:
        renderer._lock.release()
    for thread in waiting:
        thread.join(60)
    assert len(answers) == 2 and all(a is not None and a.shown for a in answers)


def test_the_editors_process_never_loads_qt(tmp_path: Path) -> None:
    """The parent side imported and used (a real render through the view) in a fresh
    interpreter: no PySide6 module there."""
    script = f"""
import sys
from pathlib import Path
from kiosk.editor.app import create_app
from kiosk.editor.config import EditorConfig
from kiosk.editor.preview_views import renderer
config = EditorConfig(content=Path({str(SHARED)!r}), centre=Path({str(tmp_path / 'centre')!r}),
                      state_dir=Path({str(tmp_path / 'state')!r}), login_disabled=True, csrf=False)
app = create_app(config)
answer = app.test_client().post("/preview/story", data={{"title": "Зонтик", "text": "Текст."}})
assert answer.status_code == 200, answer.get_data(as_text=True)
assert answer.get_json()["images"], answer.get_json()
renderer(app).close()
loaded = sorted(name for name in sys.modules if name.startswith(("PySide6", "shiboken")))
assert not loaded, loaded
print("no Qt")
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert "no Qt" in done.stdout


def test_a_child_started_again_reads_head_offices_folder_from_its_index(
        tmp_path: Path) -> None:
    """The child stops after ten idle minutes; each new one read every file of head office's
    folder again (37,000 stories: half a minute before the first preview). Its index is kept
    in the editor's state folder, one file a shared folder, so the next child reads only what
    changed."""
    import sqlite3

    state = tmp_path / "state"
    renderer = Renderer(timeout=60.0, scratch_root=state / "preview")
    try:
        assert isinstance(renderer.render(draft()), RenderResult)
        renderer.close()
        [index] = (state / "index").glob("index-*.sqlite")
        with sqlite3.connect(index) as database:
            kept = {path for (path,) in database.execute("SELECT path FROM entries")}
        assert {str(path) for path in SHARED.glob("stories/*.md")} <= kept
        assert isinstance(renderer.render(draft("Очки нашлись")), RenderResult)
        assert renderer.starts == 2 and list((state / "index").glob("index-*.sqlite")) == [index]
    finally:
        renderer.close()


def publish_into(centre: Path, files: dict[str, str]) -> Path:
    """A centre's folder with these published files (path → text)."""
    for name, text in files.items():
        (centre / name).parent.mkdir(parents=True, exist_ok=True)
        (centre / name).write_text(text, encoding="utf-8")
    return centre


URGENT = "text: Сегодня центр работает до 16:00\nlevel: срочное\n"


def band_red(png: bytes) -> bool:
    """Whether the foot of a screen is the urgent notices' red band."""
    image = pixels(png)
    r, g, b = image.getpixel((20, image.height - 10))  # type: ignore[misc]
    return r > 150 and g < 60 and b < 60


def test_the_draft_is_counted_among_the_centres_stories_and_drawn_under_its_notices(
        renderer: Renderer, tmp_path: Path) -> None:
    """The story screen said «10 из 16» where the kiosk, with the centre's published story,
    says «10 из 17»; the centre's urgent notice, on every screen of the kiosk, was not on the
    preview's."""
    alone = renderer.render(draft())
    story = StoryFields(slug="a-first", title="Очки нашлись", text=TEXT)
    centre = publish_into(tmp_path / "centre", {"stories/a-first.md": story_text(story)})
    counted = renderer.render({**draft(), "centre": str(centre)})
    assert alone is not None and counted is not None
    box = (820, 930, 1100, 1060)  # the counter under a landscape story, without a band
    assert differs(_png(pixels(alone.images["landscape-ru-story"]).crop(box)),
                   _png(pixels(counted.images["landscape-ru-story"]).crop(box)))
    assert counted.problems == []  # the centre's story is not the draft's problem
    assert not band_red(counted.images["landscape-ru-story"])

    publish_into(centre, {"notices/today.yaml": URGENT})
    banded = renderer.render({**draft(), "centre": str(centre)})
    assert banded is not None
    for name in ("landscape-ru-story", "portrait-en-story", "landscape-ru-poster"):
        assert band_red(banded.images[name]), name
    # A notice due another day is not drawn.
    publish_into(centre, {"notices/today.yaml": URGENT + "show_from: 2099-01-01\n"})
    later = renderer.render({**draft(), "centre": str(centre)})
    assert later is not None and not band_red(later.images["landscape-ru-story"])


def test_a_centre_folder_that_is_a_link_is_not_drawn_as_the_kiosk_refuses_it(
        renderer: Renderer, tmp_path: Path) -> None:
    """The centre's stories/ a link to a folder elsewhere: the kiosk refuses it
    («link_outside») and counts no story of it, but the preview copied the folder's files
    (any readable folder, /etc as well) and counted its story: «10 из 17» for the kiosk's
    «10 из 16»."""
    alone = renderer.render(draft())
    story = StoryFields(slug="a-first", title="Очки нашлись", text=TEXT)
    elsewhere = publish_into(tmp_path / "elsewhere", {"a-first.md": story_text(story)})
    centre = tmp_path / "centre"
    centre.mkdir()
    (centre / "stories").symlink_to(elsewhere, target_is_directory=True)
    linked = renderer.render({**draft(), "centre": str(centre)})
    assert alone is not None and linked is not None
    box = (820, 930, 1100, 1060)  # the counter under a landscape story, without a band
    assert not differs(_png(pixels(alone.images["landscape-ru-story"]).crop(box)),
                       _png(pixels(linked.images["landscape-ru-story"]).crop(box)))


def _png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def test_the_centres_name_is_this_computers_as_on_the_kiosk(tmp_path: Path) -> None:
    """/etc/kiosk/kiosk.yaml names the centre («Мои Документы района Хамовники»): the kiosk's
    band says so, the preview's said head office's «Мои Документы»."""
    machine = tmp_path / "kiosk.yaml"
    machine.write_text("centre_name: Мои Документы района Хамовники\n", encoding="utf-8")
    plain = Renderer(timeout=60.0)
    named = Renderer(timeout=60.0, env={**os.environ, "KIOSK_MACHINE_SETTINGS": str(machine)})
    try:
        first, second = plain.render(draft()), named.render(draft())
        assert first is not None and second is not None
        band = (0, 900, 700, 1080)  # the centre's name, left on the attract band
        assert differs(_png(pixels(first.images["landscape-ru-poster"]).crop(band)),
                       _png(pixels(second.images["landscape-ru-poster"]).crop(band)))
        assert second.problems == []
    finally:
        plain.close()
        named.close()


def test_the_band_s_clock_reads_the_time_the_preview_is_drawn_at(
        qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The renderer keeps its windows between previews, their loop stopped: the band's clock
    said the time the window was built at (a preview drawn at 17:42 said 17:39)."""
    from kiosk.core.content.loader import load_content
    from kiosk.editor.render_worker import Worker

    monkeypatch.setattr("kiosk.cli._offscreen_application", lambda: None)  # qtbot's is used
    worker = Worker(tmp_path)
    content = load_content(SHARED)
    window = worker.window("landscape", content)
    qtbot.addWidget(window)
    window.attract.show_time(dt.datetime(2001, 1, 1, 9, 5))  # the window built long ago
    before = content.settings.local_time(dt.datetime.now(dt.UTC))
    window = worker.window("landscape", content)
    after = content.settings.local_time(dt.datetime.now(dt.UTC))
    assert window.attract.band.time_text in {before.strftime("%H:%M"), after.strftime("%H:%M")}


def test_a_centre_file_grown_too_large_leaves_no_older_copy_in_the_preview(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A centre's photo copied beside a draft once, then replaced by one larger than a
    preview copies: the older copy stayed and was drawn, where the kiosk refuses the file."""
    from kiosk.editor import render_worker

    monkeypatch.setattr("kiosk.cli._offscreen_application", lambda: None)
    monkeypatch.setattr(render_worker, "MAX_PHOTO_BYTES", 100)
    worker = render_worker.Worker(tmp_path / "scratch")
    photo = publish_into(tmp_path / "centre" / "images", {"street.jpg": "x" * 50})
    request = {"centre": str(tmp_path / "centre")}
    worker.sync_overlay(request, {}, "stories/draft.")
    copy = worker.overlay / "images" / "street.jpg"
    assert copy.read_text() == "x" * 50
    (photo / "street.jpg").write_text("y" * 500)
    worker.sync_overlay(request, {}, "stories/draft.")
    assert b"x" not in copy.read_bytes()  # a stand-in of its size, nothing of the older file
    assert copy.stat().st_size == 500


def test_a_centres_clip_the_kiosk_plays_gets_no_stand_in_of_zeros(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A poster clip over a picture's limit is within a clip's: a stand-in of zeros would
    be told «not a video», a clip the kiosk plays. Over a clip's limit it stands in."""
    from kiosk.core.content.video import MAX_VIDEO_BYTES
    from kiosk.editor import render_worker

    monkeypatch.setattr("kiosk.cli._offscreen_application", lambda: None)
    worker = render_worker.Worker(tmp_path / "scratch")
    posters = tmp_path / "centre" / "posters"
    posters.mkdir(parents=True)
    for name, size in {"clip.mp4": 120_000_000, "huge.mp4": MAX_VIDEO_BYTES + 1}.items():
        with open(posters / name, "wb") as clip:
            clip.write(b"\0\0\0\x18ftypmp42")
            clip.truncate(size)  # sparse: no disk
    worker.sync_overlay({"centre": str(tmp_path / "centre")}, {}, "stories/draft.")
    assert not (worker.overlay / "posters" / "clip.mp4").exists()
    assert (worker.overlay / "posters" / "huge.mp4").stat().st_size == MAX_VIDEO_BYTES + 1
