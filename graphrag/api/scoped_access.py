"""A principal's access to a store: every read sees the principal's view, every write is refused.

:class:`ScopedAccess` stands in for :class:`~graphrag.api.store_access.StoreAccess` in a
:class:`~graphrag.api.GraphRAG` object made with a principal, so everything built over it -- the retriever and
its in-memory indexes, the GNN, the answerer, Explore, stats, communities, user Cypher -- reads the view that
:func:`graphrag.access.principal_view` builds: an in-memory copy of what the principal's documents support,
built once per database generation (a write anywhere, an ACL change included, makes a new one). A principal
who may read every document reads the store itself: the view would be the same graph.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from graphrag.access import ViewReport, principal_view
from graphrag.access.view import Embed
from graphrag.acl import Principal
from graphrag.api.store_access import StoreAccess, StoreProxy
from graphrag.errors import AccessDenied


def _store_embedder(store: Any) -> Embed:
    """Embeds names the way the store's entity names were embedded (loaded on first use)."""
    loaded: list[Any] = []

    def embed(names: Any) -> Any:
        if not loaded:
            from graphrag.retrieve.resources import embedder_for_store

            loaded.append(embedder_for_store(store))
        return loaded[0].embed(list(names))

    return embed


class ScopedAccess:
    """Read-only access to a store as ``principal`` sees it.

    Args:
        inner: the store's own access.
        principal: who is reading; ``None`` reads the whole store (a read-only object, e.g. a read-only
            explorer).
        embed: how to embed the names of partly visible entities that lose theirs (default: the store's own
            embedder, loaded only when some entity needs it).
    """

    def __init__(
        self, inner: StoreAccess, principal: Principal | None, *, embed: Callable[[Any], Embed] | None = None
    ) -> None:
        self.inner = inner
        self.principal = principal
        self._embed_for = embed or _store_embedder
        self._lock = threading.RLock()
        self._view: tuple[int, Any, ViewReport | None] | None = None  # (generation, view or None = whole, report)

    # -- what StoreAccess offers ------------------------------------------------------------------------------
    @property
    def path(self) -> Path:
        """The database (the view is built from it)."""
        return self.inner.path

    @property
    def generation(self) -> int:
        """Changes whenever the database changes."""
        return self.inner.generation

    @property
    def lock_wait_s(self) -> float:
        return self.inner.lock_wait_s

    def exists(self) -> bool:
        return self.inner.exists()

    def refresh(self) -> int:
        return self.inner.refresh()

    def last_changed(self) -> float | None:
        return self.inner.last_changed()

    def embedding_dim(self, default: int) -> int:
        return self.inner.embedding_dim(default)

    @contextlib.contextmanager
    def read(self) -> Iterator[Any]:
        """The principal's view for the duration of the block (nested blocks share it)."""
        with self._lock:
            view = self._current_view()
            if view is None:  # every document is readable: the store itself
                with self.inner.read() as store:
                    yield store
            else:
                yield view

    @contextlib.contextmanager
    def read_on_demand(self) -> Iterator[None]:
        """Like :meth:`StoreAccess.read_on_demand`: the view is current for the block, and the store itself
        (for a principal who reads every document) is opened only if something inside the block reads it."""
        with self._lock:
            if self._current_view() is None:
                with self.inner.read_on_demand():
                    yield
            else:
                yield

    def _current_view(self) -> Any:
        """The view for the database as it is now, rebuilt after any write (``None``: the store itself)."""
        generation = self.inner.refresh()
        if self._view is None or self._view[0] != generation:
            old, self._view = self._view, self._build()
            if old is not None and old[1] is not None:
                old[1].close()
        return self._view[1]

    def report(self) -> ViewReport | None:
        """What the current view holds and hides (``None`` when the principal reads every document)."""
        with self.read():
            assert self._view is not None
            return self._view[2]

    @contextlib.contextmanager
    def write(self, **options: Any) -> Iterator[Any]:
        """Refused: a principal reads; writes go through an object made without one."""
        raise AccessDenied(self._refusal("write to the store"))
        yield  # pragma: no cover

    @contextlib.contextmanager
    def exclusive(self) -> Iterator[Path]:
        """Refused, like :meth:`write` (ingest and training write)."""
        raise AccessDenied(self._refusal("ingest, import, delete or train"))
        yield  # pragma: no cover

    # -- building ---------------------------------------------------------------------------------------------
    def _refusal(self, what: str) -> str:
        if self.principal is None:
            return f"this store is open read-only here and cannot {what}"
        return (
            f"{self.principal} reads this store through an access-controlled view and cannot {what}; "
            "open it without a principal (no --as) to write"
        )

    def _build(self) -> tuple[int, Any, ViewReport | None]:
        with self.inner.read() as store:
            generation = self.inner.generation
            principal = self.principal
            if principal is None or all(principal.can_read(acl) for acl in store.document_acls().values()):
                return generation, None, None
            view, report = principal_view(store, principal, embed=self._embed_for(StoreProxy(self.inner)))
        return generation, view, report


__all__ = ["ScopedAccess"]
