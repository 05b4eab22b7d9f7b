"""Opt-in speed. Everything in regrad that buys speed by changing an interpreter setting lives here.

Nothing in regrad calls these for you: no import and no library call changes a
global setting behind your back. You opt in, around the code you choose.

``gc_paused()``: a block in which Python's cyclic garbage collector does not run.

Why it helps: every Var, and the tuple of its inputs, is an object the cyclic
collector keeps track of. regrad's graphs contain no reference cycles (a node
points to its inputs, never back), so reference counting frees each graph as
soon as it is no longer used, and the collector never finds anything to free in
them; but while a training loop builds thousands of nodes per step, it keeps
scanning them, and the full scans also walk every other object of the program.
In the moons training loop that is a third of the time (see the benchmarks).

What it costs: the setting is the whole process's, so while any thread is
inside the block no reference cycles are freed anywhere; they are collected
once the last block ends. Do not wrap code that makes many cycles.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_inside = 0  # how many gc_paused() blocks are running, in any thread
_was_enabled = False  # the collector's state when the first of them started


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector inside the ``with`` block (opt-in; see the module docstring).

    The collector's previous state returns when the last such block ends, in
    whatever thread, also when the block raises. Blocks may nest.

    >>> import gc, regrad.fast
    >>> with regrad.fast.gc_paused():
    ...     gc.isenabled()
    False
    >>> gc.isenabled()
    True
    """
    global _inside, _was_enabled
    with _lock:
        if _inside == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _inside += 1
    try:
        yield
    finally:
        with _lock:
            _inside -= 1
            if _inside == 0 and _was_enabled:
                gc.enable()
