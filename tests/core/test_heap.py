"""The freed heap handed back to the system, as the loop does at every transition's end."""

from __future__ import annotations

import gc
import platform

from kiosk.core.service import heap


def test_handing_memory_back_leaves_nothing_for_the_cycle_collector() -> None:
    heap.release_freed_memory()
    gc.collect()
    for _ in range(24):  # four minutes of the loop's transitions
        heap.release_freed_memory()
    assert gc.collect() == 0  # each ctypes.CDLL left a class and its dicts behind
    if platform.libc_ver()[0] == "glibc":
        assert heap._malloc_trim() is not None  # and it does hand memory back
