"""What the unattended duties cost the UI thread, and what a statistics write costs its disk.

    python bench/operations.py [--events 500]

Figures: a counted event as the UI thread pays for it (a queue put), one event's transaction
with synchronous=FULL in the writer thread (median and 95th percentile: one fsync each),
building the status text on the UI thread, and writing it atomically (in a worker).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import Figure, median, percentile, report
from kiosk.core.service.memory import process_memory
from kiosk.core.service.stats import Event, StatsStore, StatsWriter
from kiosk.core.service.status import Status, render, short_hash, write_atomic


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=500)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=Path(__file__).resolve().parents[1]) as folder:
        state = Path(folder)  # on the project's disk, not a tmpfs: fsync must be real
        when = dt.datetime(2026, 11, 27, 10)
        store = StatsStore(state / "direct.sqlite3")
        writes = []
        for i in range(args.events):
            started = time.perf_counter()
            store.record(list(Event)[i % len(Event)], when.replace(hour=i % 24))
            writes.append(time.perf_counter() - started)
        store.close()

        writer = StatsWriter(StatsStore(state / "queued.sqlite3"))
        puts = []
        for _ in range(args.events):
            started = time.perf_counter()
            writer.record(Event.MENU_OPEN, when)
            puts.append(time.perf_counter() - started)
        writer.flush(30)
        writer.close()

        builds, atomic = [], []
        for _ in range(200):
            started = time.perf_counter()
            text = render(Status("0.1.0", 1.0, "content", short_hash(("x", ())), 0, 0,
                                 process_memory(), time.time(), 3, 1, False))
            builds.append(time.perf_counter() - started)
            started = time.perf_counter()
            write_atomic(state / "kiosk.prom", text)
            atomic.append(time.perf_counter() - started)
    return report([
        Figure("stats_event_on_ui_thread_p95", percentile(puts, 0.95) * 1e3, "ms", 1),
        Figure("stats_transaction_full_median", median(writes) * 1e3, "ms", 20),
        Figure("stats_transaction_full_p95", percentile(writes, 0.95) * 1e3, "ms", 50),
        Figure("status_build_on_ui_thread_median", median(builds) * 1e3, "ms", 2),
        Figure("status_atomic_write_median", median(atomic) * 1e3, "ms", 50),
    ])


if __name__ == "__main__":
    sys.exit(main())
