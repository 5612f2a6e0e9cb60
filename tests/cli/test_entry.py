"""The `kiosk` command's first line (kiosk.entry: the console script, `python -m kiosk`): no
cycle collection while `kiosk run` imports what it needs (issue 18: ~3 ms of the start), and
every other command as before, collections on."""

from __future__ import annotations

import gc
import tomllib
from argparse import Namespace
from pathlib import Path

import pytest

import kiosk.cli
from kiosk.entry import main
from tests.helpers import BUNDLED, REPO, kiosk_env, run_python

# Counts the collections from the command's first line to its window; ends there. The
# console script imports kiosk.entry (a few lines) before it calls it: so does this.
CHILD = """
import gc, os, sys
import kiosk.entry
collections = []
gc.callbacks.append(lambda phase, info: phase == "start" and collections.append(info))

def watch(window):
    print("COLLECTIONS", len(collections), flush=True)
    os._exit(0)

from kiosk.%s import main
main(["run", "--content", sys.argv[1], "--size", "1920x1080"], on_window=watch)
"""


@pytest.mark.parametrize(("start", "collected"), [("entry", False), ("cli", True)])
def test_kiosk_run_imports_the_kiosk_with_no_cycle_collection(
        tmp_path: Path, start: str, collected: bool) -> None:
    done = run_python(CHILD % start, str(BUNDLED), env=kiosk_env(tmp_path))
    counts = [line.split()[1] for line in done.stdout.splitlines()
              if line.startswith("COLLECTIONS")]
    assert counts, done.stderr[-2000:]
    # kiosk.cli.main, called by code that imported kiosk.cli itself, pauses only from there.
    assert (int(counts[0]) > 0) is collected


@pytest.mark.parametrize(("command", "collecting"), [("run", False), ("check", True),
                                                     ("stats", True)])
def test_other_commands_run_with_collections_on(
        monkeypatch: pytest.MonkeyPatch, command: str, collecting: bool) -> None:
    seen: list[bool] = []

    def command_run(args: Namespace, level: int, on_window: object) -> int:
        seen.append(gc.isenabled())
        return 0

    monkeypatch.setattr(kiosk.cli, "_command", command_run)
    assert gc.isenabled()
    assert main([command]) == 0
    assert seen == [collecting]
    assert gc.isenabled()  # and after any of them


def test_the_console_script_and_python_m_kiosk_start_at_the_entry(tmp_path: Path) -> None:
    scripts = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["scripts"]
    assert scripts == {"kiosk": "kiosk.entry:main"}
    done = run_python("import runpy, sys; sys.argv = ['kiosk', '--version']; "
                      "runpy.run_module('kiosk', run_name='__main__')", env=kiosk_env(tmp_path))
    assert done.returncode == 0 and "0.1.0" in done.stdout
