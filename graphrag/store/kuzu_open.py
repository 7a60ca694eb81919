"""Opening an embedded Kuzu database, with Kuzu's opening failures told as the store's errors.

Kuzu allows one read-write process or several read-only ones; another process holding the database is a
:class:`~graphrag.errors.StoreLockedError` (a caller may wait and try again), anything else a
:class:`~graphrag.errors.StoreError` naming the database.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from graphrag.errors import StoreError, StoreLockedError
from graphrag.store.engines import engine_module


def _is_lock_error(exc: Exception) -> bool:
    text = str(exc).lower()
    return "lock" in text and ("could not set" in text or "file" in text)


def _is_unfinished_checkpoint(exc: Exception) -> bool:
    """A writer's checkpoint left shadow pages that only a read-write opening can replay: Kuzu 0.11.3 releases
    the file lock a moment before it removes them, so a reader can see this while a writer closes (or after a
    writer was killed mid-checkpoint, until the next read-write opening)."""
    text = str(exc).lower()
    return "shadow pages" in text or "checkpoint recovery is pending" in text  # Kuzu's words, LadybugDB's


def take_lock(path: Path, *, shared: bool) -> Any:
    """A lock beside the database (``<path>.lock``): shared for readers, exclusive for a writer, held until the
    returned file is closed (or the process ends). LadybugDB keeps a second writer out but lets readers in beside a
    writer; with this lock it behaves as Kuzu 0.11.3 does (one writer, or several readers)."""
    import fcntl

    f = open(f"{path}.lock", "a+b")  # noqa: SIM115 - held open for the store's life
    try:
        fcntl.flock(f, (fcntl.LOCK_SH if shared else fcntl.LOCK_EX) | fcntl.LOCK_NB)
    except BlockingIOError:
        f.close()
        raise StoreLockedError(
            f"the database at {path} is locked by another process (an ingest may be running); "
            "try again when it has finished"
        ) from None
    return f


def open_database(path: Path, *, read_only: bool, buffer_pool_mb: int | None, engine: str = "kuzu") -> Any:
    """A ``Database`` of ``engine`` (``kuzu`` or ``ladybug``, see :mod:`graphrag.store.engines`) at ``path``
    (``buffer_pool_mb``: the engine's buffer pool; ``None`` lets it choose)."""
    module = engine_module(engine)
    kwargs: dict[str, Any] = {"read_only": read_only}
    if buffer_pool_mb:
        kwargs["buffer_pool_size"] = buffer_pool_mb * 1024 * 1024
    try:
        return module.Database(str(path), **kwargs)
    except RuntimeError as exc:
        if _is_lock_error(exc):
            raise StoreLockedError(
                f"the database at {path} is locked by another process (an ingest may be running); "
                "try again when it has finished"
            ) from exc
        if read_only and _is_unfinished_checkpoint(exc):
            raise StoreLockedError(
                f"the database at {path} has a write that another process is just finishing; try again "
                "in a moment (if this persists, a writer stopped mid-checkpoint: any write, such as "
                f"`graphrag cypher --write 'RETURN 1' --db {path}`, completes it)"
            ) from exc
        raise StoreError(f"cannot open the database at {path}: {exc}") from exc


__all__ = ["open_database", "take_lock"]
