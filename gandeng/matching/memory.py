"""Keeping the resident memory of a run close to what it really holds (glibc's allocator).

A run makes many large temporary numpy arrays (sparse products, per-chunk scores) between
millions of small Python objects (texts, reasons). glibc raises its mmap threshold each time a
large block is freed, so later large arrays come from the heap, where small objects allocated
meanwhile pin the freed space: at 50k x 25k a third of the peak RSS was memory already freed.
A fixed threshold keeps large arrays in their own mappings, returned to the system when freed,
and `give_back` returns free heap pages between stages. Elsewhere (musl, macOS) both do nothing.
"""

from __future__ import annotations

import ctypes
from functools import lru_cache

M_MMAP_THRESHOLD = -3            # mallopt parameter (malloc.h)
MMAP_THRESHOLD = 256 * 1024      # blocks from here on get their own mapping


@lru_cache(maxsize=1)
def _libc():
    try:
        libc = ctypes.CDLL("libc.so.6")
        return libc if hasattr(libc, "mallopt") and hasattr(libc, "malloc_trim") else None
    except OSError:
        return None


def large_blocks_in_own_mappings() -> None:
    """Fix glibc's mmap threshold (process-wide; it stops the threshold from creeping up)."""
    libc = _libc()
    if libc is not None:
        libc.mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD)


def give_back() -> None:
    """Return the heap's free pages to the system (a few milliseconds)."""
    libc = _libc()
    if libc is not None:
        libc.malloc_trim(0)
