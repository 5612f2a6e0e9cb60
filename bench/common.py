"""What every benchmark prints: one line per figure, `NAME VALUE UNIT budget BUDGET ok|OVER`."""

from __future__ import annotations

import json
import statistics
import tempfile
from dataclasses import dataclass
from pathlib import Path

from kiosk.core.memory import ProcessMemory, process_memory

REPO = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Figure:
    name: str
    value: float
    unit: str
    budget: float

    @property
    def ok(self) -> bool:
        return self.value <= self.budget

    def line(self) -> str:
        verdict = "ok" if self.ok else "OVER"
        # Counts and figures from 1000 up whole (100000, 2490 s: not 1e+05, 2.49e+03); the
        # rest to three significant digits.
        whole = self.unit == "count" or abs(self.value) >= 1000
        value = f"{self.value:.0f}" if whole else f"{self.value:.3g}"
        return f"{self.name} {value} {self.unit} budget {self.budget:g} {verdict}"


def report(figures: list[Figure]) -> int:
    for figure in figures:
        print(figure.line(), flush=True)
    return 0 if all(f.ok for f in figures) else 1


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def median(values: list[float]) -> float:
    return statistics.median(values)


def offscreen_platform(width: int, height: int) -> str:
    """QT_QPA_PLATFORM value for an offscreen screen of this size."""
    config = Path(tempfile.gettempdir()) / f"kiosk-bench-screen-{width}x{height}.json"
    config.write_text(json.dumps({"windowFrameMargins": False, "screens": [
        {"name": "bench", "x": 0, "y": 0, "width": width, "height": height,
         "logicalDpi": 96, "dpr": 1}]}))
    return f"offscreen:configfile={config}"


def _memory(pid: int) -> ProcessMemory:
    memory = process_memory(Path(f"/proc/{pid}"))
    if memory is None:
        raise RuntimeError(f"no memory figures for process {pid}")
    return memory


def pss_kib(pid: int) -> int:
    """The process's whole PSS, shared libraries counted as its share."""
    return _memory(pid).total_kib


def own_kib(pid: int) -> int:
    """What the process allocated itself (PSS less libraries and fonts: see ProcessMemory),
    which a leak raises. Whole PSS moves when another program mapping the same Qt libraries
    starts or ends: ±10 MB beside a test run, ~25 MB beside a second Qt program."""
    memory = _memory(pid)
    return memory.total_kib if memory.own_kib is None else memory.own_kib


def cpu_seconds(pid: int) -> float:
    import os

    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = int(fields[11]) + int(fields[12])  # utime + stime
    return ticks / os.sysconf("SC_CLK_TCK")
