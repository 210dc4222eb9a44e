"""The garbage collector held off while a large structure is built.

Loading or importing a ladder, building its index or explaining readiness for every role
allocates hundreds of thousands of objects that all stay alive. CPython's collector counts
allocations, not garbage: building them sets off full collections that walk every object alive
and free nothing, about 40 % of loading a 19,000-node ladder. Planning on a deep ladder is the other
case: tens of thousands of short-lived objects, which collections during the plan would move to
the oldest generation, whose growth then sets off a full pass (a third of a second) in a later
call. :func:`gc_paused` turns automatic
collection off for the duration of a ``with`` block (or a decorated function) and back on after
the outermost one ends.

Collection is a process-wide switch and the app runs sessions in threads: pauses nest and
overlap through a count under a lock, so the collector is turned on again exactly when the last
pause ends, and only if it was on when the first one began. Nothing is lost by a pause: garbage
made meanwhile is collected by the first collection after it.

Examples
--------
>>> import gc
>>> with gc_paused():
...     with gc_paused():
...         gc.isenabled()
...     gc.isenabled()
False
False
>>> gc.isenabled()
True
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["gc_paused"]

_lock = threading.Lock()
_depth = 0
_was_enabled = False


@contextmanager
def gc_paused() -> Iterator[None]:
    """Automatic garbage collection off inside the block; nests, and is safe across threads."""
    global _depth, _was_enabled
    with _lock:
        if _depth == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _was_enabled:
                gc.enable()
