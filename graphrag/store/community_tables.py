"""Reading and replacing the stored community tree (``Community``, ``IN_COMMUNITY``, ``SUB_COMMUNITY``).

A rebuild removes the communities that changed and adds their replacements. Kuzu 0.11 cannot roll back a
relationship ``COPY`` safely inside a transaction, so the write is staged like document writes: the store's
``communities`` meta key says ``pending`` first; the removals and the new nodes commit in one transaction, the
member and parent edges are copied after it, and only then does the key say ``ok``. A store left ``pending`` by a
crash has its communities rebuilt in full by the next build, and readers treat it as having none.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pyarrow as pa

from graphrag.store import queries as Q
from graphrag.store.graph_store import GraphStore

META_KEY = "communities"


@dataclass(frozen=True)
class StoredCommunity:
    """One row of the ``Community`` table (``report`` is the summariser's JSON)."""

    id: str
    level: int
    parent: str
    size: int
    fingerprint: str
    title: str
    summary: str
    report: str


def communities_state(store: GraphStore) -> str:
    """``ok``, ``pending`` (a write did not finish) or ``none`` (never built)."""
    if "Community" not in _tables(store):
        return "none"
    return store.meta().get(META_KEY, "none")


def _tables(store: GraphStore) -> set[str]:
    return set(store.execute("CALL show_tables() RETURN name").column("name").to_pylist())


def read_communities(store: GraphStore, *, reports: bool = True) -> tuple[list[StoredCommunity], dict[str, list[str]]]:
    """The stored communities (coarsest level first) and each one's member entity ids; nothing unless ``ok``.
    Without ``reports`` the titles, summaries and reports are left empty (a rebuild needs only the tree)."""
    if communities_state(store) != "ok":
        return [], {}
    rows = store.execute(Q.COMMUNITIES if reports else Q.COMMUNITY_TREE).to_pylist()
    out = [
        StoredCommunity(
            r["id"],
            int(r["level"]),
            r["parent"] or "",
            int(r["size"]),
            r["fingerprint"] or "",
            r["title"] or "",
            r["summary"] or "",
            r["report"] or "",
        )  # fmt: skip
        for r in rows
    ]
    members: dict[str, list[str]] = {}
    m = store.execute(Q.COMMUNITY_MEMBERS)
    for c, e in zip(m.column("community").to_pylist(), m.column("entity").to_pylist(), strict=True):
        members.setdefault(c, []).append(e)
    return out, members


def write_communities(
    store: GraphStore,
    *,
    remove: Sequence[str],
    nodes: pa.Table,
    members: pa.Table,
    children: pa.Table,
    reparent: Sequence[tuple[str, str]] = (),
) -> None:
    """Remove the communities ``remove`` and add ``nodes`` with their ``members`` (Entity -> Community) and
    ``children`` (parent -> child) edges, staged as the module says; ``reparent`` moves kept communities under
    new parents (``(id, parent)``)."""
    store.set_meta(META_KEY, "pending")
    with store.transaction():
        if remove:
            store.execute(Q.DELETE_COMMUNITIES, {"ids": list(remove)})
        store.bulk_load("Community", nodes)
        if reparent:
            rows = [{"id": c, "parent": p} for c, p in reparent]
            store.execute(Q.SET_COMMUNITY_PARENT, {"rows": rows})
            store.execute(Q.DETACH_FROM_PARENT, {"ids": [r["id"] for r in rows]})
            store.execute(Q.ATTACH_TO_PARENT, {"rows": [r for r in rows if r["parent"]]})
    store.bulk_load("IN_COMMUNITY", members)
    store.bulk_load("SUB_COMMUNITY", children)
    store.set_meta(META_KEY, "ok")


def all_community_ids(store: GraphStore) -> list[str]:
    """Every stored community id, finished build or not (a full build removes them all)."""
    if "Community" not in _tables(store):
        return []
    return store.execute(Q.ALL_COMMUNITY_IDS).column("id").to_pylist()


__all__ = [
    "META_KEY",
    "StoredCommunity",
    "all_community_ids",
    "communities_state",
    "read_communities",
    "write_communities",
]
