"""Where an ingest's writing time goes, batch by batch: ``python -m graphrag.cli.ingest_profile FILE... --db NEW
[-- INGEST OPTIONS]``.

Runs ``graphrag ingest`` in this process with the store's ``execute`` and ``bulk_load`` timed per statement, and
after each committed batch prints one line to stderr: the batch's write time, the store's size on disk, the
process's peak RSS so far and the slowest statements (``copy:TABLE`` for a bulk load, ``exec:`` and the start of
the query otherwise). For diagnosing ingests that slow down as the store grows (BENCHMARKS.md, issue 17).
Example: ``python -m graphrag.cli.ingest_profile m1.jsonl --db /tmp/p.kuzu -- --embedder hashing --fast``.
"""

from __future__ import annotations

import collections
import resource
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TextIO


def store_bytes(db: Path) -> int:
    """The size on disk of a store and the files beside it (``.wal``, ``.shadow``)."""
    return sum(p.stat().st_size for p in db.parent.glob(db.name + "*") if p.is_file())


def peak_rss_mb() -> float:
    """This process's peak resident set so far, in MB (Linux reports KB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class StatementTimes:
    """Seconds per statement kind since the last :meth:`line`."""

    def __init__(self) -> None:
        self.seconds: collections.Counter[str] = collections.Counter()
        self.batches = 0

    def timed(self, key: Callable[..., str], fn: Callable[..., Any]) -> Callable[..., Any]:
        """``fn`` with its time added under ``key(*args)``."""

        def wrapper(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                self.seconds[key(*args)] += time.perf_counter() - start

        return wrapper

    def line(self, write_s: float, db: Path, top: int = 6) -> str:
        """One batch's summary; starts the next batch's count."""
        self.batches += 1
        slow = " | ".join(f"{k} {v:.2f}" for k, v in self.seconds.most_common(top))
        self.seconds.clear()
        return (
            f"batch {self.batches}: write {write_s:.2f} s, store {store_bytes(db) / 1e6:.0f} MB, "
            f"peak RSS {peak_rss_mb():.0f} MB | {slow}"
        )


@contextmanager
def profiled(db: Path, out: TextIO) -> Iterator[StatementTimes]:
    """Time the store's statements and print a line per committed batch while inside."""
    from graphrag.store import kuzu_store

    cls = kuzu_store.KuzuGraphStore
    saved = (cls.execute, cls.bulk_load, kuzu_store.write_documents)
    times = StatementTimes()
    cls.execute = times.timed(lambda _s, q, *_a, **_k: "exec:" + " ".join(str(q).split())[:48], cls.execute)
    cls.bulk_load = times.timed(lambda _s, table, *_a, **_k: "copy:" + table, cls.bulk_load)

    def write_documents(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        result = saved[2](*args, **kwargs)
        print(times.line(time.perf_counter() - start, db), file=out, flush=True)
        return result

    kuzu_store.write_documents = write_documents
    try:
        yield times
    finally:
        cls.execute, cls.bulk_load, kuzu_store.write_documents = saved


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if "--db" not in args or args.index("--db") + 1 >= len(args):
        print(__doc__, file=sys.stderr)
        return 2
    db = Path(args[args.index("--db") + 1])
    from graphrag.cli import main as cli  # noqa: PLC0415 - the whole CLI, only when run

    with profiled(db, sys.stderr):
        return cli(["ingest", *(a for a in args if a != "--")])


if __name__ == "__main__":
    raise SystemExit(main())
