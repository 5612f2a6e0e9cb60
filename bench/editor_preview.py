"""The staff editor's live preview: how long a draft takes to be drawn by the kiosk's own
renderer (a child process), what the renderer and the editor hold in memory, and that hostile
drafts are answered within the timeout while other pages are served.

    python bench/editor_preview.py [--rounds 10]

Drives the editor's Flask app in this process (the parent: no Qt), with head office's bundled
content and an empty centre folder. Figures:

- `preview.first_s`: the first preview, the child started (Python, Qt, fonts, two windows);
  `preview.first_after_warm_up_s`: the same once the form's page has warmed the child up;
- `preview.warm_ms_per_screen`: the median round trip of a warm preview (eight screens:
  landscape and portrait × RU and EN × the story's screen and its attract poster), divided
  by eight; `preview.warm_p90_s` the 90th percentile of the whole round trip;
- `preview.child_growth_mb`: what the child allocated over the warm previews after the
  third (its own memory, libraries left out): a leak would raise it;
- `preview.child_pss_mb` (the renderer and its parsing sandbox) and `preview.parent_pss_mb`
  (this process: Flask, the editor, the last previews' PNGs), PSS from smaps_rollup;
- `preview.hostile_max_s`: the slowest answer to a hostile draft (an endless word, 40,000
  lines, the deepest nesting, a photo whose header claims 65000×65000);
- `preview.other_page_during_render_s`: a page of the editor asked while a preview is drawn.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import Figure, own_kib, pss_kib, report
from kiosk.core.paths import package_folder
from kiosk.editor.app import create_app
from kiosk.editor.config import EditorConfig
from kiosk.editor.preview_views import RENDERER_KEY, renderer
from kiosk.editor.render import DEFAULT_TIMEOUT, Renderer

TEXT = ("Бабушка пришла в центр под проливным дождём, без зонта и совсем промокшая. "
        "Специалист усадил её у батареи, принёс горячий чай и помог со всеми документами, "
        "а потом проводил до такси под своим зонтом.")
SCREENS = 8


def form(**fields: object) -> dict[str, object]:
    base: dict[str, object] = {"title": "Зонтик для бабушки", "text": TEXT, "period": "always",
                               "days": "all", "hours": "", "tags": ["забота"],
                               "photo": "images/photo.jpg"}
    base.update(fields)
    return base


def jpeg(width: int, height: int, claim: tuple[int, int] | None = None) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (width, height), (40, 120, 200)).save(out, "JPEG", quality=85)
    data = bytearray(out.getvalue())
    if claim is not None:
        sof = data.index(b"\xff\xc0")
        data[sof + 5:sof + 9] = claim[1].to_bytes(2, "big") + claim[0].to_bytes(2, "big")
    return bytes(data)


def children(pid: int) -> list[int]:
    found: list[int] = []
    try:
        for task in Path(f"/proc/{pid}/task").iterdir():
            for child in (task / "children").read_text().split():
                found += [int(child), *children(int(child))]
    except OSError:
        pass
    return found


def child_own_kib(drawing: Renderer) -> int:
    """What the renderer (and its parsing sandbox) allocated, libraries left out."""
    pid = drawing.pid
    assert pid is not None
    return sum(own_kib(p) for p in [pid, *children(pid)])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="kiosk-bench-preview-"))
    centre = folder / "centre"
    (centre / "images").mkdir(parents=True)
    (centre / "images" / "photo.jpg").write_bytes(jpeg(2048, 1536))
    (centre / "images" / "bomb.jpg").write_bytes(jpeg(16, 16, claim=(65000, 65000)))
    config = EditorConfig(package_folder("content"), centre, folder / "state",
                          login_disabled=True, csrf=False)
    app = create_app(config)
    client = app.test_client()
    figures: list[Figure] = []

    started = time.perf_counter()
    answer = client.post("/preview/story", data=form())
    first = time.perf_counter() - started
    assert answer.status_code == 200 and len(answer.get_json()["images"]) == SCREENS, \
        answer.get_data(as_text=True)
    figures.append(Figure("preview.first_s", first, "s", 5.0))

    rounds: list[float] = []
    inside: list[float] = []
    settled = 0
    for n in range(args.rounds):
        if n == 3:  # warmed up: what the child holds from here on should stay flat
            settled = child_own_kib(renderer(app))
        started = time.perf_counter()
        answer = client.post("/preview/story", data=form(title=f"Зонтик для бабушки {n}"))
        rounds.append(time.perf_counter() - started)
        body = answer.get_json()
        assert answer.status_code == 200 and len(body["images"]) == SCREENS
        inside.append(body["timings"]["render_ms"] + body["timings"]["load_ms"])
        for image in body["images"][:2]:  # the page fetches them too
            assert client.get(image["url"]).status_code == 200
    per_screen = statistics.median(rounds) / SCREENS * 1000
    figures.append(Figure("preview.warm_ms_per_screen", per_screen, "ms", 300))
    figures.append(Figure("preview.warm_p90_s", sorted(rounds)[int(0.9 * (len(rounds) - 1))],
                          "s", 2.4))
    figures.append(Figure("preview.child_work_ms_per_screen",
                          statistics.median(inside) / SCREENS, "ms", 300))

    drawing = renderer(app)
    figures.append(Figure("preview.child_growth_mb",
                          (child_own_kib(drawing) - settled) / 1024, "MB", 20))
    pid = drawing.pid
    assert pid is not None
    child = sum(pss_kib(p) for p in [pid, *children(pid)]) / 1024
    figures.append(Figure("preview.child_pss_mb", child, "MB", 300))
    figures.append(Figure("preview.parent_pss_mb", pss_kib(os.getpid()) / 1024, "MB", 120))

    hostile = [{"text": "а" * 100_000}, {"text": "строка\n" * 40_000}, {"text": ">" * 30_000},
               {"text": "слово " * 1300}, {"photo": "images/bomb.jpg"},
               {"title": "Ж" * 5000, "text_en": "w " * 20_000}]
    slowest = 0.0
    for fields in hostile:
        started = time.perf_counter()
        answer = client.post("/preview/story", data=form(**fields))
        slowest = max(slowest, time.perf_counter() - started)
        assert answer.status_code in (200, 503), answer.status_code
    figures.append(Figure("preview.hostile_max_s", slowest, "s", DEFAULT_TIMEOUT))

    # Another page while a preview is drawn: the renderer is a child, the server has threads.
    other: list[float] = []
    drawing_thread = threading.Thread(target=lambda: app.test_client().post(
        "/preview/story", data=form(title="Очень длинный заголовок " * 3)))
    drawing_thread.start()
    while not drawing._lock.locked() and drawing_thread.is_alive():
        time.sleep(0.001)
    started = time.perf_counter()
    assert app.test_client().get("/").status_code == 200
    other.append(time.perf_counter() - started)
    drawing_thread.join()
    figures.append(Figure("preview.other_page_during_render_s", max(other), "s", 1.0))

    # A page with the story form opened (the renderer warms up), then the first draft.
    found = app.extensions[RENDERER_KEY]
    assert isinstance(found, Renderer)
    found.close()
    client.post("/preview/warm")
    while found.pid is None or found._lock.locked():
        time.sleep(0.01)
    started = time.perf_counter()
    answer = client.post("/preview/story", data=form(title="Очки нашлись"))
    figures.append(Figure("preview.first_after_warm_up_s", time.perf_counter() - started, "s",
                          2.4))
    assert answer.status_code == 200

    found = app.extensions[RENDERER_KEY]
    assert isinstance(found, Renderer)
    found.close()
    return report(figures)


if __name__ == "__main__":
    sys.exit(main())
