"""Building content folders for tests: the bundled one, copies of it, and small broken ones."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
BUNDLED = REPO / "content"

SVG = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100" width="100" height="100">'
       '<rect x="10" y="10" width="80" height="80" fill="none" stroke="#000" stroke-width="6"/>'
       "</svg>")


# Words a line must not end with: Russian one-letter prepositions and conjunctions, and the
# English article and pronoun.
ONE_LETTER_WORDS = set("авикосуяАВИКОСУЯ") | {"a", "A", "I"}


def copy_bundled(tmp_path: Path) -> Path:
    target = tmp_path / "content"
    shutil.copytree(BUNDLED, target)
    return target


def story(title: str = "Тёплый приём", body: str = "Текст истории.", **fields: str) -> str:
    lines = ["---", f"title: {title}"]
    lines += [f"{key}: {value}" for key, value in fields.items()]
    lines += ["---", body, ""]
    return "\n".join(lines)


def make_folder(root: Path, stories: dict[str, str] | None = None,
                pages: dict[str, str] | None = None, settings: str | None = None,
                images: dict[str, str | bytes] | None = None) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    if settings is not None:
        (root / "kiosk.yaml").write_text(settings, encoding="utf-8")
    for folder, files in (("stories", stories), ("anniversary", pages)):
        if files:
            (root / folder).mkdir(exist_ok=True)
            for name, text in files.items():
                (root / folder / name).write_text(text, encoding="utf-8")
    for name, data in (images or {}).items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(data, encoding="utf-8")
    return root


def fastest_of_three(work: Callable[[Any], object], argument: Any) -> float:
    """CPU seconds `work(argument)` takes at best of three runs (scaling checks: the ratio of
    two sizes). The thread's CPU time, not the wall clock's: other work on a busy machine
    (a CI run beside a benchmark) stretched the wall clock of one size and not the other."""
    best = float("inf")
    for _ in range(3):
        started = time.thread_time()
        work(argument)
        best = min(best, time.thread_time() - started)
    return best


def wait_for(what: Callable[[], bool], seconds: float = 30) -> bool:
    """Whether `what()` comes true within `seconds` (asked every 0.2 s): for tests that watch
    another process (a real kiosk on a real screen), where there is no Qt signal to wait on."""
    deadline = time.monotonic() + seconds
    while not what():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.2)
    return True


def kiosk_env(tmp_path: Path, state: Path | None = None) -> dict[str, str]:
    """The environment of a `kiosk run` a test starts: offscreen, with state, cache and config
    folders of the test's own (`state` for another state folder), and no settings file of this
    computer or its user, nor a centre's folder (one that is there would be read)."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen",
           "KIOSK_STATE_DIR": str(state or tmp_path / "state"),
           "KIOSK_CACHE_DIR": str(tmp_path / "cache"),
           "XDG_CONFIG_HOME": str(tmp_path / "config"),
           "KIOSK_MACHINE_SETTINGS": str(tmp_path / "none.yaml")}
    for name in ("KIOSK_CENTRE_CONTENT", "KIOSK_USER_SETTINGS"):
        env.pop(name, None)
    return env


def run_python(code: str, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """`code` run by this Python in a process of its own, its output captured (2 minutes at
    most)."""
    return subprocess.run([sys.executable, "-c", code, *args], env=env, capture_output=True,
                          text=True, timeout=120, check=False)


def start_kiosk(content: Path, env: dict[str, str], folder: Path,
                log: Path) -> subprocess.Popen[bytes]:
    """The real `kiosk run` on `content` in a process of its own, working in `folder`, its
    stderr (the log) in `log`."""
    with log.open("w") as output:
        return subprocess.Popen([sys.executable, "-m", "kiosk", "run", "--content",
                                 str(content)], env=env, cwd=folder,
                                stdout=subprocess.DEVNULL, stderr=output)


# A story with a ninth tag, a capitalised «Забота» and a misspelt «заботта»: it once made the
# tag row wrap and cut two colleagues' stories (issue 17), and `check` blamed those.
CULPRIT = """---
title: Много меток
centre: Центр госуслуг района Арбат
tags: [забота, Забота, дети, старшее поколение, погода, находки, доступность, праздник, язык,
       заботта, вежливость]
---
Короткий текст.
"""


# For the child scripts of kiosk runs (tests/ui/test_prepare_apart.py, test_colouring_ahead.py):
# the kiosk's children that prepare colouring pictures, by their command lines.
PREPARING_CHILDREN = '''
def preparing():
    # The kiosk's children that prepare pictures (the content reader's may be there too).
    found = set()
    for task in os.listdir("/proc/self/task"):
        with open(f"/proc/self/task/{task}/children") as listed:
            found.update(listed.read().split())
    commands = []
    for pid in found:
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as command:
                commands.append(command.read())
        except OSError:  # gone meanwhile
            pass
    return [c for c in commands if b"kiosk.core.colouring.prepare_apart" in c]
'''


def cmyk_jpeg(rgb: tuple[int, int, int], adobe: bool, size: tuple[int, int] = (640, 480)
              ) -> bytes:
    """A print shop's CMYK JPEG of one colour: as Adobe's programs write it (inverted, with
    their APP14 segment), or as the standard stores CMYK (not inverted, no APP14)."""
    import io

    from PIL import Image

    cmyk = Image.new("RGB", size, rgb).convert("CMYK")
    if not adobe:  # Pillow writes inverted: invert first, so the file holds the plain ink
        cmyk = Image.eval(cmyk, lambda value: 255 - value)
    out = io.BytesIO()
    cmyk.save(out, "JPEG", quality=95)
    data = out.getvalue()
    if adobe:
        return data
    kept, position = bytearray(data[:2]), 2
    while data[position + 1] != 0xDA:  # every segment before the scan but Adobe's
        length = int.from_bytes(data[position + 2:position + 4], "big")
        if data[position + 1] != 0xEE:
            kept += data[position:position + 2 + length]
        position += 2 + length
    return bytes(kept + data[position:])
