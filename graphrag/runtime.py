"""Process-wide CPU settings for answering questions on a small machine: OpenMP's wait policy, numpy's BLAS
pool and torch's intra-op threads.

These are settings of the whole process, not of one object, and each was measured on a 2-core machine shared
with other work (numbers in the docstrings). :class:`~graphrag.api.GraphRAG` applies them before it answers
questions, so Python users get the same speed as the CLI; nothing else in the library applies them on its own.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field

#: Modules whose import starts an OpenMP runtime; once one is loaded, ``OMP_WAIT_POLICY`` is read and fixed.
_OPENMP_USERS = ("torch", "llama_cpp")


def prefer_passive_openmp() -> bool:
    """Ask OpenMP threads to sleep, not spin, while they wait (unless the user set ``OMP_WAIT_POLICY``);
    returns whether waiting is passive for this process.

    llama.cpp and torch both run on OpenMP. On a 2-core machine shared with other work, spinning waiters made
    a 190-token prompt take 7 s instead of 1.5 s in llama.cpp (measured). OpenMP reads the variable once, when
    its runtime starts, so this must run before torch or llama.cpp is imported; afterwards it changes nothing
    and returns whether the policy in force is passive.
    """
    if not any(name in sys.modules for name in _OPENMP_USERS):
        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    return os.environ.get("OMP_WAIT_POLICY", "").upper() == "PASSIVE"


def limit_blas_threads(threads: int = 1) -> None:
    """Cap the BLAS (OpenBLAS/MKL) thread pool numpy uses, for the rest of the process.

    Answering one question multiplies one vector by the chunk matrix: one thread does it in about a
    millisecond. With the default pool, idle BLAS threads spin after each product and slow the question
    encoder that runs next on the same two cores (measured: hybrid p50 74 -> 34 ms). A no-op without
    ``threadpoolctl``.
    """
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        return
    threadpool_limits(limits=threads, user_api="blas")


@contextlib.contextmanager
def torch_threads(n: int | None) -> Iterator[None]:
    """Run the block with ``n`` torch CPU threads (``None``: unchanged), restoring the setting afterwards.

    Single-question work (one small subgraph, one short question through MiniLM) is fastest on one thread, and
    on a shared machine more threads mostly contend.
    """
    import torch

    saved = torch.get_num_threads()
    if n:
        torch.set_num_threads(n)
    try:
        yield
    finally:
        torch.set_num_threads(saved)


@dataclass(frozen=True)
class Runtime:
    """The process settings applied before questions are answered.

    Args:
        passive_openmp: set ``OMP_WAIT_POLICY=PASSIVE`` when OpenMP has not started yet (see
            :func:`prefer_passive_openmp`).
        blas_threads: cap numpy's BLAS pool at this many threads (``None``: leave it).

    The BLAS cap is applied again only after modules were imported since the last time: finding the loaded
    BLAS libraries reads the process's library list (about 3 ms, paid by every question of a server before),
    and a new BLAS library arrives with an import (torch, llama.cpp, on the first question).
    """

    passive_openmp: bool = True
    blas_threads: int | None = 1
    _blas_applied_at: list[int] = field(default_factory=list, init=False, repr=False, compare=False)

    def before_questions(self) -> bool:
        """Apply the settings; returns whether OpenMP waits passively in this process."""
        passive = prefer_passive_openmp() if self.passive_openmp else _passive_now()
        modules = len(sys.modules)
        if self.blas_threads and self._blas_applied_at != [modules]:
            limit_blas_threads(self.blas_threads)
            self._blas_applied_at[:] = [modules]
        return passive


def _passive_now() -> bool:
    return os.environ.get("OMP_WAIT_POLICY", "").upper() == "PASSIVE"


__all__ = ["Runtime", "limit_blas_threads", "prefer_passive_openmp", "torch_threads"]
