"""Long-lived objects kept out of the garbage collector's way.

The bot holds a few hundred thousand objects for its whole life (libraries, the FAQ index, the
thesaurus); CPython's full collections walk all of them, again and again, while the garbage an
update leaves is short-lived. Measured on the free-text path (bench/telegram_throughput.py): the
full collections took about 7 % of the CPU, less than 0.5 % once the objects alive after start
were frozen (`gc.freeze`, as the Python documentation suggests for long-running servers).
Frozen objects are still freed by reference counting when they are dropped (an old FAQ index).
The young generation is collected after 7,000 net allocations instead of 700: an update's
objects are freed by reference counting long before, and the ~200 young collections per 1,000
questions (about 3 % of the CPU) become a handful.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache

YOUNG_THRESHOLD = 7_000


@cache
def _libc() -> ctypes.CDLL | None:
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name) if name else None
    except OSError:
        return None
    return libc if libc is not None and hasattr(libc, "malloc_trim") else None


def release_free_memory() -> None:
    """Hand the heap's free pages back to the system (glibc's `malloc_trim`; elsewhere
    nothing). Building or reading an index leaves megabytes of freed buffers that the
    allocator would otherwise keep: 10,000 FAQ entries read from the index cache, 9.6 MB."""
    libc = _libc()
    if libc is not None:
        libc.malloc_trim(0)


def settle() -> None:
    """Collect what is garbage now, then freeze everything still alive."""
    gc.collect()
    gc.freeze()
    _, middle, old = gc.get_threshold()
    gc.set_threshold(YOUNG_THRESHOLD, middle, old)
    release_free_memory()


def keep_built() -> None:
    """Freeze an index built after start (the FAQ engine, the partner ranking) as start's
    objects are, so that full collections stop walking it while pages and answers run.
    Only the young generations are collected first: a full collection here would stop the
    bot for as long as one walk of the new index. Safe because the indexes hold no reference
    cycles: a replaced one is freed by reference counting although frozen
    (tests/test_memory.py)."""
    gc.collect(1)
    gc.freeze()
    release_free_memory()


@contextmanager
def collections_paused() -> Iterator[None]:
    """No cyclic garbage collection inside (reading a stored index): unpickling makes a
    million containers, and the collections they set off walked the whole growing heap
    again and again (10,000 FAQ entries read in about half the time without them). What
    becomes garbage meanwhile is collected after, as usual."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
