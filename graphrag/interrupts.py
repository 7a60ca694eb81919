"""Holding Ctrl+C (SIGINT) over a block that must not be cut in half.

A ``KeyboardInterrupt`` can surface between any two bytecodes of the main thread. Some blocks must run to
their end once started: a staged store write (half a write is what the compensation step exists for, but a
write cut between its steps costs a re-run), and the process pool's bookkeeping when a batch is queued for the
NLP worker (an interrupt there can leave the pool's manager thread blocked, and the interpreter then hangs at
exit joining it). :func:`interrupts_deferred` records a Ctrl+C that arrives inside the block and raises it as
soon as the block is over.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator


@contextlib.contextmanager
def interrupts_deferred() -> Iterator[None]:
    """Hold Ctrl+C (SIGINT) until the block is over; only the main thread can, elsewhere this does nothing
    (signals are delivered to the main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda signum, frame: caught.append(signum))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
    if caught:
        raise KeyboardInterrupt


__all__ = ["interrupts_deferred"]
