"""Python's cyclic garbage collector during an import: at each batch's end rather than every 700 allocations.

An import allocates several container objects per field of every row (values,
model rows, log entries, index entries), nearly all freed by reference
counting; at the default threshold the collector still walks the young
objects every 700 allocations, about a sixth of an import's Python time.
While an import runs the young generation's threshold is raised to
`YOUNG_THRESHOLD`, and the import collects the young generations itself after
each batch (`collect_batch`), when the batch's objects are garbage: what a
batch leaves in cycles is freed before the next one, so memory still follows
the batch, not the file (the raised threshold alone would let it grow).
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

YOUNG_THRESHOLD = 20_000

_lock = threading.Lock()
_holders = 0
_saved: tuple[int, ...] = ()


@contextmanager
def collecting_less() -> Iterator[None]:
    """Raise the young generation's threshold for the block; the last block to leave restores it."""
    global _holders, _saved
    with _lock:
        if _holders == 0:
            _saved = gc.get_threshold()
            gc.set_threshold(max(YOUNG_THRESHOLD, _saved[0]), *_saved[1:])
        _holders += 1
    try:
        yield
    finally:
        with _lock:
            _holders -= 1
            if _holders == 0:
                gc.set_threshold(*_saved)


def collect_batch() -> None:
    """Free the cycles a finished batch left: the two young generations only (a full
    collection walks every object of the process, a hundred times the cost)."""
    gc.collect(1)
