"""Keeping the resident memory of a run close to what it really holds (glibc's allocator).

A run makes many large temporary numpy arrays (sparse products, per-chunk scores) between
millions of small Python objects (texts, reasons). Freed temporaries that came from the heap
stay resident when small objects allocated meanwhile sit above them; `give_back` returns the
heap's free pages to the system between stages. (Fixing glibc's mmap threshold freed more, but
the page faults of fresh mappings made the candidate stage 2.5 times slower at 100k x 50k.)
Elsewhere (musl, macOS) it does nothing.
"""

from __future__ import annotations

import ctypes
from functools import lru_cache


@lru_cache(maxsize=1)
def _libc():
    try:
        libc = ctypes.CDLL("libc.so.6")
        return libc if hasattr(libc, "malloc_trim") else None
    except OSError:
        return None


def give_back() -> None:
    """Return the heap's free pages to the system (a few milliseconds)."""
    libc = _libc()
    if libc is not None:
        libc.malloc_trim(0)
