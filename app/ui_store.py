"""The app's handle on the Kuzu database: opened on demand, released after every page run.

Kuzu lets one process write, and a process that holds a database open (even read-only) keeps others from
writing. So the app never keeps the database open between page runs: ``graphrag ingest`` in another terminal
can write while the app is idle, and while it writes the app shows a clear "locked" message with a retry
button instead of crashing. Objects built from the database (a retriever's in-memory indexes) are cached under
:attr:`SharedStore.generation`, which changes whenever the database file changes, whether the app or another
process wrote it.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from graphrag.errors import StoreError
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


class SharedStore:
    """One database for every session of the app.

    Args:
        path: the Kuzu database.
        opener: builds a store (``opener(path, read_only=...)``); the default opens :class:`KuzuGraphStore`.
    """

    def __init__(self, path: str | Path, *, opener: Callable[..., Any] = KuzuGraphStore) -> None:
        self.path = Path(path)
        self._opener = opener
        self._lock = threading.RLock()
        self._store: Any = None
        self._depth = 0
        self._seen = _fingerprint(self.path)
        self.generation = 0

    def exists(self) -> bool:
        """True when there is a database at :attr:`path`."""
        return self.path.exists()

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
                self._store = self._opener(self.path, read_only=True)
            self._depth += 1
            try:
                yield self._store
            finally:
                self._depth -= 1
                if self._depth == 0:
                    self._close_reader()

    @contextlib.contextmanager
    def write(self) -> Iterator[Any]:
        """The store opened for writing (created if missing) for the duration of the block."""
        with self._lock:
            if self._depth:
                raise StoreError("cannot write while the same page is reading the database")
            self._close_reader()
            store = self._opener(self.path, read_only=False)
            try:
                yield store
            finally:
                store.close()
                self._note_changes()

    @contextlib.contextmanager
    def exclusive(self) -> Iterator[Path]:
        """The database released by the app for the duration of the block, for code that opens it itself
        (the ingest pipeline); yields the path."""
        with self._lock:
            if self._depth:
                raise StoreError("cannot hand the database over while the same page is reading it")
            self._close_reader()
            try:
                yield self.path
            finally:
                self._note_changes()

    def _close_reader(self) -> None:
        if self._store is not None:
            store, self._store = self._store, None
            store.close()


class StoreProxy:
    """A stand-in for a store that opens the database for each call, for objects cached across page runs
    (e.g. a retriever) that keep a store reference but must not keep the database open.

    Attribute reads that are not methods (``embedding_dim``, ``path``) are answered from a short opening too.
    """

    def __init__(self, shared: SharedStore) -> None:
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
        """Writes through the proxy are not possible: the app reads through it."""
        raise StoreError("the app's shared store is read-only; use SharedStore.write()")

    def close(self) -> None:
        """Nothing to close: each call opens and releases the database."""
