"""`kiosk run` with a content index and nothing changed since the last start reads its
content without the sandbox's child (kiosk.core.content.kept): none is started before the first
frame. The first start of a folder (no index yet) starts it early, as its read parses."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.helpers import BUNDLED, kiosk_env, run_python

CHILD = """
import os, sys
from kiosk.cli import main
from kiosk.core.content import sandbox

def watch(window):
    stage = window.attract.stage

    def painted():
        if window.content.is_empty or stage.current.isNull():
            return  # the neutral screen shown while content loads
        shared = sandbox._shared
        print("FIRST", len(window.content.stories), shared.started if shared else 0,
              flush=True)
        os._exit(0)

    stage.painted.connect(painted)

main(["run", "--content", sys.argv[1], "--size", "1920x1080"], on_window=watch)
"""


def _start(root: Path, tmp_path: Path) -> list[str]:
    shutil.rmtree(tmp_path / "state", ignore_errors=True)  # each a first start of the day
    done = run_python(CHILD, str(root), env=kiosk_env(tmp_path))
    first = [line.split()[1:] for line in done.stdout.splitlines() if line.startswith("FIRST")]
    assert first, done.stderr[-2000:]
    return first[0]


def test_a_start_with_nothing_changed_starts_no_parsing_child(tmp_path: Path) -> None:
    root = tmp_path / "content"
    shutil.copytree(BUNDLED, root)
    stories, started = _start(root, tmp_path)
    assert started == "1"  # no index yet: every file is parsed, the child started early
    stories_again, started = _start(root, tmp_path)
    assert (stories_again, started) == (stories, "0")
    # A notice changed while the kiosk was off: that file alone is parsed.
    notice = next((root / "notices").glob("*.yaml"))
    notice.write_text(notice.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert _start(root, tmp_path) == [stories, "1"]
    assert _start(root, tmp_path) == [stories, "0"]
