"""Run chunk analysis (spaCy) beside the main process, so parsing one batch overlaps embedding another.

:class:`ProcessAnalysisRunner` keeps one worker process (``spawn`` start method: torch's thread pools do not
survive a ``fork``) that loads the analyzer once and analyses batch after batch; results come back as plain
frozen dataclasses, never spaCy ``Doc`` objects. :class:`InlineAnalysisRunner` does the same work in the
calling thread (tests, fakes that cannot be pickled, or ``workers=0``).

The worker dies with its parent: a watchdog thread in it checks every half second whether the process that
started it is still its parent, and exits when it is not (the parent was killed: ``kill -9``, the OOM killer, a
closed terminal), so an interrupted ingest never leaves a worker holding its memory. The worker ignores Ctrl+C:
the parent handles it and stops the worker.
"""

from __future__ import annotations

import contextlib
import inspect
import multiprocessing
import os
import signal
import sys
import threading
import time
import types
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, Protocol

from graphrag.errors import GraphRAGError
from graphrag.interrupts import interrupts_deferred


class ChunkAnalyzer(Protocol):
    """What the pipeline needs from the NLP stage (``graphrag.extract.analysis.SpacyAnalyzer`` honours it).

    ``titles`` are the texts' documents' titles (``None`` where there is none), for finding what each passage
    is about; an analyzer may ignore them. An analyzer may also have a ``version`` string: when it changes,
    stored documents are extracted again on the next ingest.
    """

    def analyse(self, texts: Sequence[str], titles: Sequence[str | None] | None = None) -> list[Any]:
        """One analysis (mentions and triples) per text."""


class AnalysisRunner(Protocol):
    """Schedules analysis batches; ``result`` returns ``(analyses, seconds of analysis work)``."""

    def submit(self, texts: Sequence[str], titles: Sequence[str | None] | None = None) -> Future:
        """Start analysing ``texts``; the future's result is ``(analyses, busy_s)``."""

    def close(self) -> None:
        """Stop the runner (cancelling pending work)."""


def _timed_analyse(
    analyzer: ChunkAnalyzer, texts: Sequence[str], titles: Sequence[str | None] | None = None
) -> tuple[list[Any], float]:
    t0 = time.perf_counter()
    out = analyzer.analyse(texts, titles) if titles is not None and _takes_titles(analyzer) else analyzer.analyse(texts)
    if len(out) != len(texts):
        raise GraphRAGError(f"the analyzer returned {len(out)} analyses for {len(texts)} texts")
    return out, time.perf_counter() - t0


def _takes_titles(analyzer: ChunkAnalyzer) -> bool:
    """Whether an analyzer's ``analyse`` accepts titles (one written before they existed may not)."""
    try:
        return "titles" in inspect.signature(analyzer.analyse).parameters
    except (TypeError, ValueError):
        return False


class InlineAnalysisRunner:
    """Analyses each batch right away in the calling thread."""

    def __init__(self, analyzer: ChunkAnalyzer) -> None:
        self.analyzer = analyzer

    def submit(self, texts: Sequence[str], titles: Sequence[str | None] | None = None) -> Future:
        """Analyse now; returns a completed future."""
        fut: Future = Future()
        try:
            fut.set_result(_timed_analyse(self.analyzer, texts, titles))
        except BaseException as exc:  # handed to the caller through the future, as a process pool would
            fut.set_exception(exc)
        return fut

    def close(self) -> None:
        """Nothing to release."""


# The analyzer lives here inside the worker process only (set once by the pool's initializer), so a heavy
# model is loaded once per worker instead of once per batch. The parent process never touches it.
_WORKER_STATE: dict[str, ChunkAnalyzer] = {}


#: How often the worker checks that its parent is alive.
PARENT_CHECK_S = 0.5


def _exit_with_parent(parent_pid: int) -> None:
    """Exit the worker as soon as ``parent_pid`` is no longer its parent (it died and the worker was
    re-parented)."""
    while os.getppid() == parent_pid:
        time.sleep(PARENT_CHECK_S)
    os._exit(0)  # nothing to flush: results go to a parent that is gone


def _init_worker(analyzer: ChunkAnalyzer, threads: int, parent_pid: int) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C reaches the whole group; the parent decides
    threading.Thread(target=_exit_with_parent, args=(parent_pid,), name="parent-watchdog", daemon=True).start()
    try:
        import torch

        torch.set_num_threads(threads)
    except ImportError:
        pass
    _WORKER_STATE["analyzer"] = analyzer


def _worker_pid() -> int:
    return os.getpid()


@contextlib.contextmanager
def _neutral_main() -> Iterator[None]:
    """Hide the caller's ``__main__`` script from ``spawn`` while the worker starts.

    A spawned child re-runs the parent's main script (as ``__mp_main__``) unless that module was started with
    ``-m``. The worker needs only this package, and a host script (a Streamlit page, a notebook kernel, a test
    runner's app harness) may not be importable in a fresh process, so the child gets an empty main module
    instead.
    """
    main = sys.modules.get("__main__")
    if main is None or getattr(main, "__spec__", None) is not None:
        yield
        return
    sys.modules["__main__"] = types.ModuleType("__main__")
    try:
        yield
    finally:
        sys.modules["__main__"] = main


def _worker_analyse(texts: Sequence[str], titles: Sequence[str | None] | None) -> tuple[list[Any], float]:
    return _timed_analyse(_WORKER_STATE["analyzer"], texts, titles)


class ProcessAnalysisRunner:
    """One worker process that analyses batches in the order they are submitted.

    Args:
        analyzer: a picklable analyzer that loads its model lazily (on first ``analyse``).
        threads: torch threads inside the worker (spaCy's small model uses numpy, one core).
    """

    def __init__(self, analyzer: ChunkAnalyzer, *, threads: int = 1) -> None:
        self._pool = ProcessPoolExecutor(
            max_workers=1,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_init_worker,
            initargs=(analyzer, threads, os.getpid()),
        )
        self._futures: list[Future] = []
        with _neutral_main():  # the one worker process starts here, on the first task
            try:
                self._worker = int(self._pool.submit(_worker_pid).result())
            except BrokenProcessPool as exc:
                raise GraphRAGError(f"the NLP worker process could not start: {exc}") from exc

    def submit(self, texts: Sequence[str], titles: Sequence[str | None] | None = None) -> Future:
        """Queue ``texts`` for the worker."""
        # Ctrl+C waits until the pool's bookkeeping is done: an interrupt inside it can leave the pool's
        # manager thread blocked, and the interpreter then hangs at exit joining it.
        with interrupts_deferred():
            try:
                fut = self._pool.submit(_worker_analyse, list(texts), list(titles) if titles is not None else None)
            except BrokenProcessPool as exc:
                raise GraphRAGError(f"the NLP worker process died: {exc}") from exc
            self._futures = [f for f in self._futures if not f.done()] + [fut]
            return fut

    def close(self) -> None:
        """Stop the worker, dropping queued batches.

        A worker still busy (the run was interrupted or failed) is killed rather than left to finish: its
        result has no reader, and an exiting interpreter would otherwise wait for it.
        """
        busy = any(not f.done() for f in self._futures)
        with interrupts_deferred():
            self._pool.shutdown(wait=False, cancel_futures=True)
            if busy:
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.kill(self._worker, signal.SIGKILL)


def make_runner(analyzer: ChunkAnalyzer, *, separate_process: bool) -> AnalysisRunner:
    """A one-worker process runner, or inline analysis when ``separate_process`` is false."""
    if separate_process:
        return ProcessAnalysisRunner(analyzer)
    return InlineAnalysisRunner(analyzer)


__all__ = ["AnalysisRunner", "ChunkAnalyzer", "InlineAnalysisRunner", "ProcessAnalysisRunner", "make_runner"]
