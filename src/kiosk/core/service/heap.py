"""The process's heap: memory freed handed back to the system (`release_freed_memory`), and
Python's cycle collector kept from stalling the screen while content is read.

Reading 37,000 stories makes about 400,000 long-lived objects. Made in one go, they trigger
full collections of everything the process holds, each of which stops every thread, the UI's
included, for up to 150 ms. Content holds no reference cycles, so it needs no cycle
collection: it is freed by reference counting when newer content replaces it.

The price: objects alive at a freeze that later become part of a reference cycle are never
collected. Loads happen at start and when staff change the folder, and each sets aside only
what a moment's work leaves in such cycles (a few asyncio futures): bytes per change, where a
full collection of 37,000 stories would stall the screen on every one.
"""

from __future__ import annotations

import functools
import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager


def release_freed_memory() -> None:
    """Hand the heap glibc keeps after frees (of pixmaps, colouring arrays, worker threads'
    arenas, a content read's temporaries) back to the system: without it PSS creeps up by ~10
    MB over a day's visitors with no leak behind it. A few milliseconds (ctypes lets go of the
    GIL meanwhile); glibc holds each arena's lock while it trims, so threads that allocate wait."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@functools.cache
def _malloc_trim() -> Callable[[int], object] | None:
    """glibc's `malloc_trim`, looked up once (None off glibc). Each `ctypes.CDLL` makes a class
    of its own for the library's functions, left to the cycle collector: once per transition
    of the loop, that was a dozen classes and their dicts every two minutes."""
    import ctypes  # here: kiosk.cli imports this module for every command

    try:
        trim: Callable[[int], object] = ctypes.CDLL("libc.so.6").malloc_trim
    except (OSError, AttributeError):  # not glibc: nothing to hand back
        return None
    return trim


_paused = False


def pause_collections(was_enabled: bool | None = None) -> None:
    """No automatic cycle collection until `resume_collections`: `kiosk run`'s start, up to its
    first frame. The start makes ~30,000 objects that live as long as the process (its
    imports: modules, classes, functions) and next to no garbage, and the collector looked
    through them ~70 times meanwhile (4–5 ms of the start). Reference counting frees as usual.
    `was_enabled`: collections were on before the caller (kiosk.entry) turned them off itself,
    before importing this module."""
    global _paused
    if gc.isenabled() or was_enabled:
        gc.disable()
        _paused = True


def resume_collections() -> None:
    """Collections as before `pause_collections` (nothing, if it did not pause them)."""
    global _paused
    if _paused:
        _paused = False
        gc.enable()


@contextmanager
def long_lived_allocations() -> Iterator[None]:
    """Around a content load, in its worker thread (loads never overlap). What exists before
    is collected, then set aside from future collections (`gc.freeze`), so each collection
    only looks at what is new; the load itself runs without automatic collections, and what
    it made is set aside in turn. Reference counting still frees all of it."""
    gc.collect()  # nothing unreachable is set aside: it would never be collected
    gc.freeze()
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()
