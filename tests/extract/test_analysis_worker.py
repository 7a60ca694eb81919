"""The NLP worker process: it analyses in order, and it never outlives a run that stopped early."""

from __future__ import annotations

import os
import time

from extract.helpers import SlowAnalyzer
from graphrag.extract.analysis_worker import ProcessAnalysisRunner


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie (exited, not yet reaped) counts as gone
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().split(") ")[-1][:1] != "Z"
    except FileNotFoundError:
        return False


def test_results_come_back_in_order() -> None:
    runner = ProcessAnalysisRunner(SlowAnalyzer(0.0))
    try:
        futures = [runner.submit(["a"] * n) for n in (1, 2, 3)]
        assert [len(f.result(timeout=60)[0]) for f in futures] == [1, 2, 3]
    finally:
        runner.close()


def test_closing_with_a_batch_in_flight_kills_the_worker_at_once() -> None:
    """An interrupted run must not wait for (or leave behind) a worker busy with a batch nobody will read."""
    runner = ProcessAnalysisRunner(SlowAnalyzer(30.0))
    worker = runner._worker
    runner.submit(["text"])
    time.sleep(0.3)  # the worker has started the batch
    t0 = time.monotonic()
    runner.close()
    while _alive(worker) and time.monotonic() - t0 < 10:
        time.sleep(0.1)
    assert not _alive(worker) and time.monotonic() - t0 < 10
