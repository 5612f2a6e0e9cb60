"""The staff editor as the centre runs it: time from Publish to the kiosk's screen, and what the
editor holds in memory.

    python bench/editor.py [--publishes 5] [--photos 5] [--pages 20] [--previews 10]
                           [--idle-seconds 15]

Everything runs as on the kiosk's PC, as separate processes: `kiosk editor` (waitress, on a
free port of 127.0.0.1, a staff account made with `kiosk editor-user add`, signed in over
HTTP with its CSRF token like a browser) and `kiosk run` (offscreen, 1920×1080), both on a
temporary copy of the bundled content (`--content`) and an empty centre folder (`--centre`).
The editor's render child stops after `--idle-seconds` without a preview here (10 minutes in
service: the bench sets kiosk.editor.render's constant in the editor's process, nothing else).

Memory, PSS from /proc/PID/smaps_rollup (shared pages divided among their users), before the
kiosk is started (its Qt libraries would otherwise halve the render child's share of them):

- `editor.idle_pss_mb`: the server (and its content-parsing child) once it answers;
- `editor.after_pages_pss_mb`: after `--pages` page loads (the listing and the story form in
  turn, each a full read of both folders); `editor.pages_growth_mb` what the server allocated
  over the second half of them (flat, or it leaks);
- `editor.server_with_previews_pss_mb` and `editor.render_child_pss_mb`: after `--previews`
  previews (the form's fields as the page posts them, then the eight PNGs it shows), the server
  and the kiosk's renderer in its child (with its own parsing child) apart, and their sum,
  `editor.total_with_previews_pss_mb`;
- `editor.after_idle_stop_pss_mb`: the same server once the render child stopped itself;
  `editor.render_processes_after_idle` must be 0;
- `photo.ready_median_s`: a 24 MP phone photo (6.2 MB, on its side with EXIF) dropped on the
  form (POST /photo: turned, downscaled, saved into the centre folder), `--photos` times;
  `editor.after_photos_pss_mb` the editor after them.

Publish to screen, with the kiosk running: each round opens the story form, then times from
the click on Publish (POST /stories/save, a new story each time) to the kiosk's first frame
painted with that story in its content (its reloader's `changed`, then the attract stage's next
paint), read in the kiosk process with the system's monotonic clock: `--publishes` stories of
text, then one story with each uploaded photo (`publish.with_photo_to_screen_median_s`).
`publish.file_to_screen_median_s` is the kiosk's part (from the story's file written),
`publish.answer_median_s` the editor's (the POST, and the listing it redirects to).
"""

from __future__ import annotations

import argparse
import http.cookiejar
import io
import json
import os
import queue
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import REPO, Figure, offscreen_platform, own_kib, pss_kib, report

SIZE = (1920, 1080)
USER = "bench"
PASSWORD = "Bench-password-2026"  # a throw-away account in a temporary state folder
TEXT = ("Бабушка пришла в центр под проливным дождём, без зонта и совсем промокшая. "
        "Специалист усадил её у батареи, принёс горячий чай и помог со всеми документами, "
        "а потом проводил до такси под своим зонтом.")
RENDER_WORKER = "kiosk.editor.render_worker"
START_TIMEOUT = 60.0  # a cold start of Python, Qt and fonts on a busy 2-core PC
SHOWN_TIMEOUT = 30.0


# -- the kiosk (a child: `kiosk run` with a watch on its window) ---------------------------------

def kiosk_child(argv: Sequence[str]) -> int:
    """`kiosk run ARGV`, as the CLI runs it, with benchmark lines on stdout (times from
    time.monotonic(), the same clock in every process): READY once the first content frame
    is painted and the reloader has looked at the folders; LOADED <t> <centre stories> at
    each new content; SHOWN <t> at the next frame painted after it."""
    from PySide6.QtCore import QTimer

    import kiosk.ui.app as ui_app
    from kiosk.cli import main as cli_main
    from kiosk.core.content.model import Content
    from kiosk.ui.main_window import KioskWindow
    from kiosk.ui.service.reloader import ContentReloader

    def watch(window: KioskWindow) -> None:
        stage = window.attract.stage
        state = {"painted": False, "settled": False, "ready": False, "showing": False}

        def say(line: str) -> None:
            print(line, flush=True)

        def maybe_ready() -> None:
            if state["painted"] and state["settled"] and not state["ready"]:
                state["ready"] = True
                say(f"READY {time.monotonic():.6f}")

        def painted() -> None:
            if window.content.is_empty or stage.current.isNull():
                return  # the neutral screen shown while content loads does not count
            if state["showing"]:
                state["showing"] = False
                say(f"SHOWN {time.monotonic():.6f}")
            if not state["painted"]:
                state["painted"] = True
                maybe_ready()

        def settled(_seen: object) -> None:
            state["settled"] = True
            maybe_ready()

        def changed(_new: Content) -> None:
            # Connected after the window's own slot: the window has taken it in by now.
            stories = [s.source.stem for s in window.content.stories if s.origin == "centre"]
            state["showing"] = True
            say(f"LOADED {time.monotonic():.6f} {' '.join(stories)}")

        def find_reloader() -> None:  # made once the first content is on screen
            reloaders = window.findChildren(ContentReloader)
            if reloaders:
                finder.stop()
                reloaders[0].settled.connect(settled)
                reloaders[0].changed.connect(changed)

        stage.painted.connect(painted)
        finder = QTimer(window)
        finder.timeout.connect(find_reloader)
        finder.start(50)

    real_run = ui_app.run

    def run_watched(*args: Any, **kwargs: Any) -> int:
        kwargs["on_window"] = watch
        return real_run(*args, **kwargs)

    ui_app.run = run_watched  # what `kiosk run` calls
    return cli_main(["run", *argv])


def editor_child(idle_seconds: float, argv: Sequence[str]) -> int:
    """`kiosk editor ARGV`, its render child stopped after `idle_seconds` without a preview."""
    import kiosk.editor.preview_views as preview_views
    import kiosk.editor.render as render
    from kiosk.cli import main as cli_main

    render.DEFAULT_IDLE_SECONDS = idle_seconds
    preview_views.DEFAULT_IDLE_SECONDS = idle_seconds  # type: ignore[attr-defined]
    return cli_main(["editor", *argv])


class Lines:
    """A child's stdout lines, read in a thread: waited for with a timeout."""

    def __init__(self, process: subprocess.Popen[str]) -> None:
        self.queue: queue.Queue[str | None] = queue.Queue()
        assert process.stdout is not None
        stream = process.stdout

        def pump() -> None:
            for line in stream:
                self.queue.put(line.rstrip("\n"))
            self.queue.put(None)

        threading.Thread(target=pump, daemon=True).start()

    def wait_for(self, accept: Callable[[str], bool], timeout: float) -> str:
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"no such line in {timeout:.0f} s")
            try:
                line = self.queue.get(timeout=left)
            except queue.Empty:
                continue
            if line is None:
                raise RuntimeError("the process ended")
            if accept(line):
                return line


# -- the editor over HTTP --------------------------------------------------------------------

class Browser:
    """A signed-in browser without JavaScript: cookies, the CSRF token of the last form."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        self.token = ""

    def get(self, path: str) -> bytes:
        with self.opener.open(self.base + path, timeout=60) as answer:
            body: bytes = answer.read()
        found = re.search(rb'name="csrf_token" value="([^"]+)"', body)
        if found:
            self.token = found.group(1).decode()
        return body

    def post(self, path: str, fields: dict[str, str | list[str]],
             headers: dict[str, str] | None = None) -> tuple[int, str, bytes]:
        data = urllib.parse.urlencode({**fields, "csrf_token": self.token}, doseq=True)
        request = urllib.request.Request(self.base + path, data=data.encode(),
                                         headers=headers or {}, method="POST")
        try:
            with self.opener.open(request, timeout=120) as answer:
                return answer.status, answer.url, answer.read()
        except urllib.error.HTTPError as error:
            return error.code, error.url or "", error.read()

    def upload(self, path: str, fields: dict[str, str], name: str, filename: str,
               data: bytes) -> tuple[int, str, bytes]:
        """A multipart POST with one file, as the page's script sends a dropped photo."""
        boundary = f"----bench{secrets.token_hex(12)}"
        parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n'
                 f"{value}\r\n".encode() for key, value in
                 {**fields, "csrf_token": self.token}.items()]
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                     f'filename="{filename}"\r\nContent-Type: image/jpeg\r\n\r\n'.encode()
                     + data + b"\r\n")
        body = b"".join(parts) + f"--{boundary}--\r\n".encode()
        request = urllib.request.Request(
            self.base + path, data=body, method="POST",
            headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})
        try:
            with self.opener.open(request, timeout=120) as answer:
                return answer.status, answer.url, answer.read()
        except urllib.error.HTTPError as error:
            return error.code, error.url or "", error.read()

    def sign_in(self) -> None:
        self.get("/signin")
        status, url, body = self.post("/signin", {"method": "account", "name": USER,
                                                  "password": PASSWORD, "next": "/"})
        if status != 200 or urllib.parse.urlsplit(url).path != "/":
            raise RuntimeError(f"sign-in failed: {status} {url} {body[:300]!r}")


def story(title: str) -> dict[str, str | list[str]]:
    return {"title": title, "text": TEXT, "period": "always", "days": "all", "hours": "",
            "tags": ["забота"], "slug": "", "base": ""}


def wait_until_serving(base: str, process: subprocess.Popen[str], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"kiosk editor ended with status {process.returncode}")
        try:
            with urllib.request.urlopen(base + "/signin", timeout=5) as answer:
                if answer.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.2)
    raise TimeoutError(f"kiosk editor did not answer in {timeout:.0f} s")


# -- processes and memory --------------------------------------------------------------------

def descendants(pid: int) -> list[int]:
    found: list[int] = []
    try:
        for task in Path(f"/proc/{pid}/task").iterdir():
            for child in (task / "children").read_text().split():
                found += [int(child), *descendants(int(child))]
    except OSError:
        pass
    return found


def is_renderer(pid: int) -> bool:
    try:
        return RENDER_WORKER.encode() in Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False


def describe(pid: int) -> str:
    """Each process of the editor: its PSS, its own allocations (less libraries and fonts)
    and what it runs."""
    parts = []
    for p in [pid, *descendants(pid)]:
        try:
            words = Path(f"/proc/{p}/cmdline").read_bytes().split(b"\0")
            what = next((w.decode() for w in words if w.startswith(b"kiosk")),
                        "server" if p == pid else "ended (not yet reaped)")
            parts.append(f"{p} {what} {safe_pss(p) / 1024:.1f}/{own_kib(p) / 1024:.1f} MB")
        except (OSError, RuntimeError):
            continue
    return "; ".join(parts)


def editor_memory(pid: int) -> tuple[float, float, int]:
    """PSS in MB of the server (with its parsing child) and of the render child (with its
    own), and how many render processes there are."""
    renderers = [p for p in descendants(pid) if is_renderer(p)]
    in_renderer = set(renderers) | {c for r in renderers for c in descendants(r)}
    server = [pid, *(p for p in descendants(pid) if p not in in_renderer)]
    return (sum(safe_pss(p) for p in server) / 1024,
            sum(safe_pss(p) for p in in_renderer) / 1024, len(renderers))


def safe_pss(pid: int) -> int:
    try:
        return pss_kib(pid)
    except (RuntimeError, OSError):
        return 0  # ended meanwhile


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def spawn(args: list[str], env: dict[str, str], log: Path,
          stdin: str | None = None) -> subprocess.Popen[str]:
    """A child in its own process group (ended with all it started), stderr to `log`."""
    with log.open("ab") as errors:
        return subprocess.Popen([sys.executable, *args], cwd=REPO, env=env, text=True,
                                stdin=subprocess.PIPE if stdin is not None else
                                subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=errors,
                                start_new_session=True)


def end(process: subprocess.Popen[str] | None) -> None:
    """SIGTERM to its group, then SIGKILL after 10 s: nothing it started outlives it."""
    if process is None:
        return
    for sig, wait in ((signal.SIGTERM, 10.0), (signal.SIGKILL, 5.0)):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        try:
            process.wait(timeout=wait)
            # The group may outlive its leader for a moment (the render child).
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            return
        except subprocess.TimeoutExpired:
            continue
        return


def tail(log: Path, lines: int = 15) -> str:
    try:
        return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


# -- the runs ---------------------------------------------------------------------------------

def memory_figures(browser: Browser, pid: int, args: argparse.Namespace) -> list[Figure]:
    figures: list[Figure] = []
    time.sleep(2.0)  # idle: what it settles at once serving
    server, _, _ = editor_memory(pid)
    print(f"# idle after start (PSS/own): {describe(pid)}")
    figures.append(Figure("editor.idle_pss_mb", server, "MB", 60))

    browser.sign_in()
    halfway = 0
    for n in range(args.pages):
        if n == args.pages // 2:
            halfway = own_kib(pid)
        browser.get("/" if n % 2 == 0 else "/stories/new")
    server, child, _ = editor_memory(pid)
    print(f"# after {args.pages} pages: {describe(pid)}")
    # The first pages read both folders and compile the templates (~20 MB, once); the content
    # parsing child (~10 MB) ends by itself after a few idle seconds.
    figures.append(Figure("editor.after_pages_pss_mb", server + child, "MB", 100))
    # What the server allocated over the second half of the pages: a leak would raise it.
    figures.append(Figure("editor.pages_growth_mb", (own_kib(pid) - halfway) / 1024, "MB", 5))

    browser.get("/stories/new")
    for n in range(args.previews):
        status, _, body = browser.post("/preview/story", story(f"Зонтик для бабушки {n}"),
                                       {"X-Preview-Key": "bench"})
        if status != 200:
            raise RuntimeError(f"preview {n}: {status} {body[:300]!r}")
        for image in json.loads(body)["images"]:  # the page shows them
            browser.get(urllib.parse.urlsplit(image["url"]).path)
    server, child, renderers = editor_memory(pid)
    print(f"# after {args.previews} previews: {describe(pid)}")
    if renderers != 1:
        raise RuntimeError(f"{renderers} render processes after the previews, not 1")
    # The server keeps the last 8 previews' PNGs (~1 MB a preview) for the page to fetch.
    figures.append(Figure("editor.server_with_previews_pss_mb", server, "MB", 100))
    # Python, Qt, fonts and the kiosk's screens, with its own parsing child; beside a
    # running kiosk its share of the Qt libraries is smaller (they are counted once here).
    figures.append(Figure("editor.render_child_pss_mb", child, "MB", 200))
    # The editor at its busiest, against its unit's MemoryHigh=1G (deploy/kiosk-editor.service).
    figures.append(Figure("editor.total_with_previews_pss_mb", server + child, "MB", 300))

    deadline = time.monotonic() + args.idle_seconds + 30
    while editor_memory(pid)[2] and time.monotonic() < deadline:
        time.sleep(0.5)
    time.sleep(1.0)
    server, child, renderers = editor_memory(pid)
    print(f"# after the render child's idle stop: {describe(pid)}")
    figures.append(Figure("editor.after_idle_stop_pss_mb", server + child, "MB", 100))
    figures.append(Figure("editor.render_processes_after_idle", renderers, "count", 0))
    return figures


def holding(slug: str) -> Callable[[str], bool]:
    """A LOADED line whose content has this centre story."""
    return lambda line: line.startswith("LOADED ") and slug in line.split()[2:]


def publish_round(browser: Browser, kiosk: Lines, centre: Path, title: str,
                  photo: str) -> tuple[float, float, float, float]:
    """One story published (with `photo`, already uploaded, or none): seconds from the click
    to the kiosk's frame, to its content, to the editor's answer, and from the file in place
    to the frame."""
    browser.get("/stories/new")  # she opens the form and writes
    folder = centre / "stories"
    before = set(os.listdir(folder)) if folder.is_dir() else set()
    clicked, clicked_wall = time.monotonic(), time.time()
    status, url, body = browser.post("/stories/save", {**story(title), "photo": photo})
    answered = time.monotonic()
    if status != 200 or urllib.parse.urlsplit(url).path != "/":
        raise RuntimeError(f"publish {title!r}: {status} {url} {body[:300]!r}")
    made = sorted(set(os.listdir(folder)) - before)
    if len(made) != 1:
        raise RuntimeError(f"publish {title!r} wrote {made}")
    if photo and f"photo: {photo}" not in (folder / made[0]).read_text():
        raise RuntimeError(f"publish {title!r}: no photo in {made[0]}")
    slug = made[0].removesuffix(".md")
    # When its bytes were written (mtime, the wall clock's; the rename comes just after).
    written = (folder / made[0]).stat().st_mtime - clicked_wall
    loaded = kiosk.wait_for(holding(slug), SHOWN_TIMEOUT)
    shown = float(kiosk.wait_for(lambda line: line.startswith("SHOWN "),
                                 SHOWN_TIMEOUT).split()[1])
    time.sleep(2.0)  # the transition ends; she reads the listing
    return (shown - clicked, float(loaded.split()[1]) - clicked, answered - clicked,
            shown - clicked - written)


def publish_figures(browser: Browser, kiosk: Lines, centre: Path, photos: list[str],
                    args: argparse.Namespace) -> list[Figure]:
    rounds = [publish_round(browser, kiosk, centre, f"Новая история номер {n + 1}", "")
              for n in range(args.publishes)]
    with_photo = [publish_round(browser, kiosk, centre, f"История с фотографией {n + 1}",
                                photo) for n, photo in enumerate(photos)]
    to_screen, to_loaded, answers, kiosk_part = ([r[i] for r in rounds] for i in range(4))
    print("# publish to screen, each (s): " + " ".join(f"{t:.2f}" for t in to_screen))
    figures = [
        # The kiosk reads a changed folder once it has stayed the same for 1 s (its reloader:
        # inotify, then kiosk.core.content.reload's settle), so ~1.2 s after the file is the floor;
        # 3 s is well inside the «within seconds» the editor promises after Publish.
        Figure("publish.to_screen_median_s", statistics.median(to_screen), "s", 3.0),
        Figure("publish.to_screen_max_s", max(to_screen), "s", 5.0),
        Figure("publish.to_kiosk_content_median_s", statistics.median(to_loaded), "s", 3.0),
        # The kiosk's part: from the file written to the frame (settle 1 s, a look, a read).
        Figure("publish.file_to_screen_median_s", statistics.median(kiosk_part), "s", 2.0),
        # The editor's part: its checks (both folders read, the story checked), the write,
        # and the listing it answers with.
        Figure("publish.answer_median_s", statistics.median(answers), "s", 2.0),
    ]
    if with_photo:
        times = [r[0] for r in with_photo]
        print("# publish with a photo to screen, each (s): " + " ".join(f"{t:.2f}" for t in times))
        figures.append(Figure("publish.with_photo_to_screen_median_s", statistics.median(times),
                              "s", 3.0))
    return figures


def phone_photo() -> bytes:
    """A 24 MP JPEG as a phone takes it (6000×4000, stored on its side with EXIF to turn it),
    with texture, so it is as large as one (a flat colour would be a few hundred KB)."""
    from PIL import Image

    small = Image.merge("RGB", [Image.effect_noise((600, 400), 40 + 20 * band)
                                for band in range(3)])
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: turn 90° clockwise to show
    out = io.BytesIO()
    small.resize((6000, 4000), Image.Resampling.BICUBIC).save(out, "JPEG", quality=92,
                                                               exif=exif)
    return out.getvalue()


def photo_figures(browser: Browser, pid: int, count: int) -> tuple[list[Figure], list[str]]:
    """`count` phone photos dropped on the story form (POST /photo, as its script does):
    seconds each takes to be ready, and the server's memory after them."""
    if count <= 0:
        return [], []
    data = phone_photo()
    browser.get("/stories/new")
    names: list[str] = []
    times: list[float] = []
    for n in range(count):
        started = time.monotonic()
        status, _, body = browser.upload("/photo", {"title": f"История с фотографией {n + 1}"},
                                         "photo", f"IMG_{2040 + n}.jpg", data)
        times.append(time.monotonic() - started)
        if status != 200:
            raise RuntimeError(f"photo {n}: {status} {body[:300]!r}")
        names.append(json.loads(body)["photo"])
    server, child, _ = editor_memory(pid)
    print(f"# after {count} phone photos of {len(data) / 1e6:.1f} MB: {describe(pid)}")
    return [
        # Turned, downscaled to 2048 px and saved; decoded at a quarter of its pixels.
        Figure("photo.ready_median_s", statistics.median(times), "s", 3.0),
        Figure("editor.after_photos_pss_mb", server + child, "MB", 120),
    ], names


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], allow_abbrev=False)
    parser.add_argument("--publishes", type=int, default=5)
    parser.add_argument("--pages", type=int, default=20)
    parser.add_argument("--previews", type=int, default=10)
    parser.add_argument("--idle-seconds", type=float, default=15.0)
    parser.add_argument("--photos", type=int, default=5,
                        help="phone photos uploaded, then published with as many stories")
    parser.add_argument("--kiosk-child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--editor-child", type=float, default=None, help=argparse.SUPPRESS)
    args, rest = parser.parse_known_args()
    if args.kiosk_child:
        return kiosk_child(rest)
    if args.editor_child is not None:
        return editor_child(args.editor_child, rest)

    folder = Path(tempfile.mkdtemp(prefix="kiosk-bench-editor-"))
    content, centre = folder / "content", folder / "centre"
    shutil.copytree(REPO / "content", content)
    centre.mkdir()
    # This computer's settings files (/etc/kiosk, ~/.config) are not read: empty variables.
    env = {**os.environ, "XDG_CACHE_HOME": str(folder / "cache"), "PYTHONUNBUFFERED": "1",
           "KIOSK_MACHINE_SETTINGS": "", "KIOSK_USER_SETTINGS": ""}
    for name in ("KIOSK_CONTENT", "KIOSK_CENTRE_CONTENT", "KIOSK_STATE_DIR"):
        env.pop(name, None)
    editor_state = folder / "editor-state"
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    editor_log, kiosk_log = folder / "editor.log", folder / "kiosk.log"
    editor: subprocess.Popen[str] | None = None
    kiosk: subprocess.Popen[str] | None = None
    try:
        account = spawn(["-m", "kiosk", "editor-user", "add", USER, "--state-dir",
                         str(editor_state)], env, editor_log, stdin="")
        try:
            account.communicate(f"{PASSWORD}\n{PASSWORD}\n", timeout=60)
        finally:
            end(account)
        if account.returncode != 0:
            raise RuntimeError(f"kiosk editor-user add: {tail(editor_log)}")
        editor = spawn([__file__, "--editor-child", str(args.idle_seconds), "--content",
                        str(content), "--centre", str(centre), "--state-dir", str(editor_state),
                        "--listen", f"127.0.0.1:{port}"], env, editor_log)
        wait_until_serving(base, editor, START_TIMEOUT)
        browser = Browser(base)
        figures = memory_figures(browser, editor.pid, args)
        photo_lines, photos = photo_figures(browser, editor.pid, args.photos)
        figures += photo_lines

        kiosk_env = {**env, "QT_QPA_PLATFORM": offscreen_platform(*SIZE),
                     "KIOSK_STATE_DIR": str(folder / "kiosk-state")}
        kiosk = spawn([__file__, "--kiosk-child", "--content", str(content), "--centre",
                       str(centre), "--size", f"{SIZE[0]}x{SIZE[1]}", "--status-file",
                       str(folder / "status.json")], kiosk_env, kiosk_log)
        lines = Lines(kiosk)
        lines.wait_for(lambda line: line.startswith("READY "), START_TIMEOUT)
        figures += publish_figures(browser, lines, centre, photos, args)
    except Exception:
        for name, log in (("kiosk editor", editor_log), ("kiosk run", kiosk_log)):
            print(f"# {name}, last lines of its log:\n{tail(log)}", file=sys.stderr)
        raise
    finally:
        end(kiosk)
        end(editor)
        shutil.rmtree(folder, ignore_errors=True)
    return report(figures)


if __name__ == "__main__":
    sys.exit(main())
