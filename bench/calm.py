"""The calm minute's animation, offscreen at 1920×1080: how long a frame of the breathing
circle takes to paint, and how often the screen paints when nothing moves.

    python bench/calm.py [--seconds 5]

Figures: 95th percentile paint time of a breathing frame (real 16 ms timer, real clock);
paints per second of the circle during a hold and after the exercise ended (both must be 0).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import REPO, Figure, offscreen_platform, percentile, report


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=5.0)
    args = parser.parse_args()
    os.environ["QT_QPA_PLATFORM"] = offscreen_platform(1920, 1080)
    from PySide6.QtWidgets import QApplication

    app = QApplication([])
    from kiosk.core.breathing import BOX, BreathingExercise
    from kiosk.core.content.loader import load_content
    from kiosk.ui.main_window import KioskWindow
    from kiosk.ui.resources import load_fonts, probe_image
    from kiosk.ui.theme import Theme

    load_fonts()
    window = KioskWindow(Theme(1920, 1080), load_content(REPO / "content", probe_image))
    window.show()
    window.show_screen(window.calm)
    calm, view = window.calm, window.calm.breath

    def run(seconds: float) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            app.processEvents()
            time.sleep(0.001)

    view.frame_times = []
    calm.start(BOX)  # breathing in for the first 4 s: the circle grows every frame
    run(min(args.seconds, 3.9))
    frames = view.frame_times
    moving_fps = len(frames) / min(args.seconds, 3.9)
    # A hold: the exercise moved to 5 s in (held full), the timer still running.
    calm.exercise = BreathingExercise(BOX, time.monotonic() - 5.0)
    run(0.2)
    before = view.paints
    run(2.0)
    hold_paints = (view.paints - before) / 2.0
    calm.finish()
    run(0.2)
    before = view.paints
    run(2.0)
    idle_paints = (view.paints - before) / 2.0
    window.session_timer.stop()
    window.attract.stop()
    print(f"# {len(frames)} frames while breathing in ({moving_fps:.0f} a second)")
    return report([
        Figure("calm_frame_paint_p95", percentile(frames, 0.95) * 1000, "ms", 8.0),
        Figure("calm_paints_per_s_holding", hold_paints, "1/s", 0.0),
        Figure("calm_paints_per_s_finished", idle_paints, "1/s", 0.0),
    ])


if __name__ == "__main__":
    sys.exit(main())
