"""The kiosk's health as a Prometheus text file, for node_exporter's textfile collector.

The head office already runs Prometheus over the centres' PCs; node_exporter with
`--collector.textfile.directory=DIR` publishes every `DIR/*.prom` file. The kiosk rewrites its
file every 30 s, atomically (a temporary name in the same folder, fsync, rename), so the
collector never reads half a file. The temporary name does not end in `.prom`, so the
collector never picks it up either.

Format: https://prometheus.io/docs/instrumenting/exposition_formats/ (HELP and TYPE before
each family, label values escaped, no timestamps: the collector adds its own).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from kiosk.core import hashes
from kiosk.core.files import write_atomic
from kiosk.core.service.memory import ProcessMemory

if TYPE_CHECKING:
    from kiosk.core.pin import PinCounts
    from kiosk.core.service.screen_report import ScreenReport

__all__ = ["Status", "render", "short_hash", "write_atomic"]


@dataclass(frozen=True)
class Status:
    version: str
    uptime_seconds: float
    content_release: str  # the content folder's real name (a release folder after a flip)
    content_fingerprint: str  # short hash of the files' names, sizes and times
    content_errors: int
    content_warnings: int
    memory: ProcessMemory | None
    last_touch_timestamp: float | None  # Unix time of the last touch since start
    restarts_total: int
    crashes_total: int
    safe_mode: bool
    log_write_errors_total: int = 0
    stats_write_errors_total: int = 0
    pin: PinCounts | None = None  # the staff PIN pad's tries and lock (None: no PIN store)
    screen: ScreenReport | None = None  # on or off, why, until when (None: not known yet)
    up: bool = True  # False in the last file a clean exit writes


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')


def _number(value: float) -> str:
    return repr(float(value)) if isinstance(value, float) and not value.is_integer() \
        else str(int(value))


def render(status: Status) -> str:
    lines: list[str] = []

    def family(name: str, kind: str, help_text: str,
               samples: list[tuple[dict[str, str], float]]) -> None:
        lines.append(f"# HELP {name} {help_text}")
        lines.append(f"# TYPE {name} {kind}")
        for labels, value in samples:
            text = ",".join(f'{key}="{_escape(val)}"' for key, val in labels.items())
            lines.append(f"{name}{{{text}}} {_number(value)}" if text
                         else f"{name} {_number(value)}")

    family("kiosk_up", "gauge", "1 while the kiosk runs, 0 after a clean exit. The file is "
           "rewritten every 30 s: an old node_textfile_mtime_seconds means a hung or killed "
           "kiosk.", [({}, int(status.up))])
    family("kiosk_uptime_seconds", "gauge", "Seconds since this kiosk process started.",
           [({}, round(status.uptime_seconds, 1))])
    family("kiosk_build_info", "gauge", "The kiosk program's version.",
           [({"version": status.version}, 1)])
    family("kiosk_content_info", "gauge",
           "The content on screen: its release folder and a fingerprint of its files.",
           [({"release": status.content_release,
              "fingerprint": status.content_fingerprint}, 1)])
    family("kiosk_content_problems", "gauge", "Problems `kiosk check` would report in the "
           "content on screen, by severity.",
           [({"severity": "error"}, status.content_errors),
            ({"severity": "warning"}, status.content_warnings)])
    memory = status.memory
    if memory is not None:
        family("kiosk_memory_bytes", "gauge", "Memory used by the kiosk process: PSS (shared "
               "libraries counted as its share), or RSS where the kernel gives no PSS.",
               [({}, memory.total_kib * 1024)])
    if memory is not None and memory.own_kib is not None:
        family("kiosk_memory_own_bytes", "gauge", "Memory the kiosk allocated itself: PSS less "
               "libraries and fonts, which move as other programs sharing them start or end. "
               "A leak raises this one.", [({}, memory.own_kib * 1024)])
    family("kiosk_last_touch_timestamp_seconds", "gauge",
           "Unix time of the last touch on the screen; 0 if none since start.",
           [({}, round(status.last_touch_timestamp or 0))])
    family("kiosk_restarts_total", "counter", "Times the kiosk has started again on this "
           "machine since its state folder was made.", [({}, status.restarts_total)])
    family("kiosk_crashes_total", "counter", "Starts that ended without a clean exit within "
           "the first minute (crash, kill, power cut).", [({}, status.crashes_total)])
    family("kiosk_safe_mode", "gauge", "1 if the kiosk started in safe mode after repeated "
           "crashes, showing the last content that worked.", [({}, int(status.safe_mode))])
    family("kiosk_log_write_errors_total", "counter",
           "Log records that could not be written to the log file (disk full?).",
           [({}, status.log_write_errors_total)])
    family("kiosk_stats_write_errors_total", "counter",
           "Usage events that could not be counted.", [({}, status.stats_write_errors_total)])
    pin = status.pin
    if pin is not None:
        family("kiosk_pin_tries_total", "counter", "Tries at the staff PIN pad since the kiosk "
               "started, by result. Many wrong ones: someone is guessing.",
               [({"result": "right"}, pin.successes), ({"result": "wrong"}, pin.failures)])
        family("kiosk_pin_locks_total", "counter", "Times the staff PIN pad locked after five "
               "wrong tries, since the kiosk started.", [({}, pin.locks)])
        family("kiosk_pin_locked_seconds", "gauge", "Seconds the staff PIN pad stays locked; "
               "0 when it is open.", [({}, round(pin.locked_seconds))])
        family("kiosk_pin_locks_in_a_row", "gauge", "Locks since the right PIN was last "
               "entered: each one is longer (5 min, 15 min, 1 h, 4 h, then 24 h).",
               [({}, pin.locks_in_a_row)])
    screen = status.screen
    if screen is not None:
        family("kiosk_screen_on", "gauge", "1 while the screen is on, 0 while the kiosk has "
               "turned it off outside opening hours.", [({}, int(screen.on))])
        family("kiosk_screen_info", "gauge", "Why the screen is on or off (reason: always_open, "
               "open, before_opening, touched, closed_day, after_hours, visitor) and how the "
               "kiosk turns it off (method: dpms, wayland, black).",
               [({"reason": screen.reason, "method": screen.method}, 1)])
        family("kiosk_screen_next_change_timestamp_seconds", "gauge", "Unix time at which the "
               "screen next turns on or off by the opening hours; 0 if never.",
               [({}, round(screen.until_timestamp()))])
    return "\n".join(lines) + "\n"


def short_hash(value: object) -> str:
    return hashes.sha256(repr(value).encode()).hexdigest()[:12]

