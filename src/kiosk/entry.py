"""The `kiosk` command's first line: the console script (pyproject.toml, and so the Debian
package's /usr/bin/kiosk) and `python -m kiosk` start here, before anything of the kiosk is
imported.

Python's cycle collector is paused from here on: importing what `kiosk run` needs makes
~30,000 objects that live as long as the process (modules, classes, functions) and next to no
garbage, and the collector looked through them ~22 times while kiosk.cli alone was imported
(~3 ms of the start). kiosk.cli.main resumes it at once for every other command, and
`kiosk run` at its first frame (kiosk.core.service.heap). Code that imports kiosk.cli (tests, the
editor, benchmarks) is not affected: only this function pauses.
"""

from __future__ import annotations

TYPE_CHECKING = False  # as typing's, without importing typing (6 ms) before the pause
if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from kiosk.ui.main_window import KioskWindow


def main(argv: Sequence[str] | None = None,
         on_window: Callable[[KioskWindow], None] | None = None) -> int:
    """kiosk.cli.main, with no cycle collection while it is imported (see above)."""
    import gc

    was_enabled = gc.isenabled()
    gc.disable()
    from kiosk.core.service import heap

    heap.pause_collections(was_enabled)
    from kiosk.cli import main as command

    return command(argv, on_window)
