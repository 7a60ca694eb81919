"""Request counts and latencies of ``graphrag serve``, in Prometheus' text format (``GET /metrics``), with the
process's resident memory (so a load test can show it stays flat)."""

from __future__ import annotations

import os
import threading
from collections import defaultdict


def resident_mb() -> float:
    """The process's resident memory now, in MB (0 where ``/proc`` is missing)."""
    try:
        with open("/proc/self/statm") as f:
            pages = int(f.read().split()[1])
    except (OSError, ValueError, IndexError):
        return 0.0
    return pages * os.sysconf("SC_PAGE_SIZE") / 1e6


class Metrics:
    """Thread-safe counters: requests by endpoint and status, and summed seconds by endpoint."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._count: dict[tuple[str, int], int] = defaultdict(int)
        self._seconds: dict[str, float] = defaultdict(float)

    def observe(self, endpoint: str, status: int, seconds: float) -> None:
        with self._lock:
            self._count[(endpoint, status)] += 1
            self._seconds[endpoint] += seconds

    def prometheus(self) -> str:
        with self._lock:
            lines = [
                "# HELP graphrag_requests_total Requests by endpoint and status.",
                "# TYPE graphrag_requests_total counter",
                *(
                    f'graphrag_requests_total{{endpoint="{e}",status="{s}"}} {n}'
                    for (e, s), n in sorted(self._count.items())
                ),
                "# HELP graphrag_request_seconds_total Seconds spent answering, by endpoint.",
                "# TYPE graphrag_request_seconds_total counter",
                *(
                    f'graphrag_request_seconds_total{{endpoint="{e}"}} {v:.6f}'
                    for e, v in sorted(self._seconds.items())
                ),
                "# HELP graphrag_resident_memory_mb Resident memory of the server process.",
                "# TYPE graphrag_resident_memory_mb gauge",
                f"graphrag_resident_memory_mb {resident_mb():.1f}",
            ]
        return "\n".join(lines) + "\n"


__all__ = ["Metrics", "resident_mb"]
