"""How a :class:`~graphrag.api.GraphRAG` object reaches its Kuzu database: opened on demand, released after
every call.

Kuzu lets one process write, and a process that holds a database open (even read-only) keeps others from
writing. So a long-lived GraphRAG object (the explorer app, a notebook) never keeps the database open between
calls: ``graphrag ingest`` in another terminal can write while it is idle, and while that writes a read here
waits up to ``[store] lock_wait_s`` seconds, then fails with a clear :class:`~graphrag.errors.StoreLockedError`
instead of hanging or crashing. Objects built
from the database (a retriever's in-memory indexes) are cached under :attr:`StoreAccess.generation`, which
changes whenever the database files change, whether this process or another one wrote them. Reads open the
database read-only; only :meth:`StoreAccess.write` and :meth:`StoreAccess.exclusive` let a writer in.

A question answered from those in-memory indexes reads nothing from the database, yet opening and closing it
cost more than the rest of the question (about 40 ms of ~115 on the 2Wiki store, 2 busy cores; BENCHMARKS.md,
"`graphrag serve` under load"). :meth:`StoreAccess.read_on_demand` checks for changes like a read but opens the
database only when something inside the block reads from it.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from graphrag.errors import StoreError, StoreLockedError
from graphrag.store import KuzuGraphStore


def _fingerprint(path: Path) -> tuple[tuple[int, int], ...]:
    """(mtime, size) of the database file and its write-ahead log; changes whenever anything is written."""
    out = []
    for p in (path, Path(f"{path}.wal")):
        try:
            s = os.stat(p)
        except FileNotFoundError:
            out.append((0, 0))
            continue
        if p.is_dir():  # older Kuzu layouts keep a directory of files
            files = [q.stat() for q in p.rglob("*") if q.is_file()]
            out.append((max((f.st_mtime_ns for f in files), default=0), sum(f.st_size for f in files)))
        else:
            out.append((s.st_mtime_ns, s.st_size))
    return tuple(out)


class StoreAccess:
    """One database, opened for the duration of each block and shared by nested blocks and threads.

    Args:
        path: the Kuzu database.
        opener: builds a store (``opener(path, read_only=..., **options)``); the default opens
            :class:`KuzuGraphStore`.
        lock_wait_s: while another process holds the database, try again for up to this many seconds before
            the :class:`~graphrag.errors.StoreLockedError` (0: fail at once).
    """

    def __init__(
        self,
        path: str | Path,
        *,
        opener: Callable[..., Any] = KuzuGraphStore,
        lock_wait_s: float = 0.0,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.path = Path(path)
        self._opener = opener
        self.lock_wait_s = lock_wait_s
        self._sleep = sleep
        self._lock = threading.RLock()
        self._store: Any = None
        self._depth = 0
        self._seen = _fingerprint(self.path)
        self.generation = 0

    def exists(self) -> bool:
        """True when there is a database at :attr:`path`."""
        return self.path.exists()

    def embedding_dim(self, default: int) -> int:
        """The embedding size of the existing database (imports without embeddings fit any), else ``default``."""
        if not self.exists():
            return default
        with self.read() as store:
            return int(store.embedding_dim)

    def last_changed(self) -> float | None:
        """The latest modification time (seconds since the epoch) of the database and its write-ahead log."""
        stamps = [mtime for mtime, _ in _fingerprint(self.path) if mtime]
        return max(stamps) / 1e9 if stamps else None

    def _note_changes(self) -> None:
        now = _fingerprint(self.path)
        if now != self._seen:
            self._seen = now
            self.generation += 1

    def refresh(self) -> int:
        """Notice writes by other processes; returns the current :attr:`generation`."""
        with self._lock:
            if self._store is None:
                self._note_changes()
            return self.generation

    @contextlib.contextmanager
    def read(self) -> Iterator[Any]:
        """The store, opened read-only for the duration of the block (nested blocks share one opening).

        Raises :class:`~graphrag.errors.StoreLockedError` while another process writes, and
        :class:`~graphrag.errors.StoreError` when there is no database yet.
        """
        with self._lock:
            if self._store is None:
                self._note_changes()
                self._store = self._open(read_only=True)
            self._depth += 1
            try:
                yield self._store
            finally:
                self._depth -= 1
                if self._depth == 0:
                    self._close_reader()

    @contextlib.contextmanager
    def read_on_demand(self) -> Iterator[None]:
        """A read block that opens the database only if something inside it reads (a nested :meth:`read`, a
        :class:`StoreProxy` call); that opening is then shared until the block ends.

        Like :meth:`read` it first notices writes by other processes (so :attr:`generation` is current for
        the block), and it keeps writers of this object out until the block ends; unlike :meth:`read` it never
        waits for, nor fails on, a database that nothing in the block reads.
        """
        with self._lock:
            if self._store is None:
                self._note_changes()
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
                if self._depth == 0:
                    self._close_reader()

    @contextlib.contextmanager
    def write(self, **options: Any) -> Iterator[Any]:
        """The store opened for writing (created if missing) for the duration of the block; ``options`` go to
        the opener (``embedding_dim``, ``buffer_pool_mb``)."""
        with self._lock:
            if self._depth:
                raise StoreError("cannot write while the same caller is reading the database")
            self._close_reader()
            store = self._open(read_only=False, **options)
            try:
                yield store
            finally:
                store.close()
                self._note_changes()

    @contextlib.contextmanager
    def exclusive(self) -> Iterator[Path]:
        """The database released by this object for the duration of the block, for code that opens it itself
        (the ingest pipeline, GNN training); yields the path."""
        with self._lock:
            if self._depth:
                raise StoreError("cannot hand the database over while the same caller is reading it")
            self._close_reader()
            try:
                yield self.path
            finally:
                self._note_changes()

    def _open(self, **options: Any) -> Any:
        """Open the store, trying again every 0.25 s for up to :attr:`lock_wait_s` while another process holds it."""
        deadline = time.monotonic() + self.lock_wait_s
        while True:
            try:
                return self._opener(self.path, **options)
            except StoreLockedError:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise
                self._sleep(min(0.25, left))

    def _close_reader(self) -> None:
        if self._store is not None:
            store, self._store = self._store, None
            store.close()


class StoreProxy:
    """A stand-in for a store that opens the database for each call, for objects cached across calls
    (e.g. a retriever) that keep a store reference but must not keep the database open.

    Attribute reads that are not methods (``embedding_dim``, ``path``) are answered from a short opening too.
    """

    def __init__(self, shared: StoreAccess) -> None:
        self._shared = shared

    def __getattr__(self, name: str) -> Any:
        with self._shared.read() as store:
            value = getattr(store, name)
        if not callable(value):
            return value

        def call(*args: Any, **kwargs: Any) -> Any:
            with self._shared.read() as store:
                return getattr(store, name)(*args, **kwargs)

        return call

    def transaction(self) -> contextlib.AbstractContextManager[None]:
        """Writes through the proxy are not possible: cached readers read through it."""
        raise StoreError("this store handle is read-only; use StoreAccess.write()")

    def close(self) -> None:
        """Nothing to close: each call opens and releases the database."""


__all__ = ["StoreAccess", "StoreProxy"]
