"""The processes bench/startup.py starts and times: the kiosk as `kiosk run` starts it, and the
same-run reference, an empty full-screen PySide6 window.

    python bench/startup_child.py kiosk SECONDS
    python bench/startup_child.py empty

Each prints FIRST at its first painted frame (the kiosk: of content with its picture, not the
neutral screen shown while the content loads nor a slide whose picture is still to come). This
module imports nothing at the top but what Python itself has loaded at start: whatever either
child pays for is its own, not the benchmark's.
"""

from __future__ import annotations

import os
import sys

TYPE_CHECKING = False  # as typing's, without importing typing into the empty window's process
if TYPE_CHECKING:
    from kiosk.ui.main_window import KioskWindow

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SIZE = "1920x1080"


def kiosk(seconds: float) -> int:
    """`kiosk run` on the bundled content, as the console script starts it (kiosk.entry.main).
    With `seconds` > 0 it goes on cycling that long after the first frame, then prints the
    transition frames' paint times."""
    from kiosk.entry import main

    windows: list[KioskWindow] = []

    def watch(window: KioskWindow) -> None:
        windows.append(window)
        stage = window.attract.stage
        stage.frame_times = []

        def painted() -> None:
            if not window.attract.pictures_shown:
                # The neutral screen shown while content loads does not count, nor a slide
                # whose picture is still awaited or fading in: the first slide whole.
                return
            stage.painted.disconnect(painted)
            print("FIRST", flush=True)
            if seconds <= 0:
                os._exit(0)
            from signal import SIGTERM

            from PySide6.QtCore import QTimer

            QTimer.singleShot(round(seconds * 1000), lambda: os.kill(os.getpid(), SIGTERM))

        stage.painted.connect(painted)

    status = main(["run", "--content", os.path.join(REPO, "content"), "--size", SIZE],
                  on_window=watch)
    times = (windows[0].attract.stage.frame_times or []) if windows else []
    print("FRAMES " + " ".join(f"{t:.6f}" for t in times), flush=True)
    return status


def empty() -> int:
    """QApplication and one full-screen widget painting a solid fill; it stays until it is
    ended (SIGTERM), so that its memory can be read after the first frame."""
    from PySide6.QtGui import QColor, QPainter, QPaintEvent
    from PySide6.QtWidgets import QApplication, QWidget

    app = QApplication([])

    class Fill(QWidget):
        painted = False

        def paintEvent(self, event: QPaintEvent) -> None:
            painter = QPainter(self)
            painter.fillRect(self.rect(), QColor(0x20, 0x20, 0x20))
            painter.end()
            if not self.painted:
                self.painted = True
                print("FIRST", flush=True)

    window = Fill()
    window.showFullScreen()
    return app.exec()


if __name__ == "__main__":
    if sys.argv[1] == "empty":
        sys.exit(empty())
    sys.exit(kiosk(float(sys.argv[2])))
