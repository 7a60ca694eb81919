"""Build, or bring up to date, a store's community tree and its reports.

A full build runs hierarchical Leiden on the whole entity graph. An incremental build (the default when the store
has communities) fingerprints every stored top-level community against the current graph -- its members and every
edge touching them -- and keeps the unchanged ones with their whole subtree and reports; only the entities of the
changed communities, and entities in none, are clustered again. A new community whose id and fingerprint match a
stored one keeps its stored report: a report is never written twice for the same content.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
import pyarrow as pa

from graphrag.communities.entity_graph import Fingerprinter, load_entity_graph
from graphrag.communities.incremental import StickyUpdate
from graphrag.communities.leiden import LeidenSettings, hierarchical_leiden, modularity
from graphrag.communities.summary import CommunityReport, ExtractiveSummarizer
from graphrag.store import queries as Q
from graphrag.store.community_tables import (
    all_community_ids,
    read_communities,
    write_communities,
)
from graphrag.store.graph_store import GraphStore

Embed = Callable[[Sequence[str]], np.ndarray]
ReportWriter = Callable[[Sequence[CommunityReport]], list[CommunityReport]]


@dataclass(frozen=True)
class CommunityBuildReport:
    """What a build did."""

    mode: str  # full or incremental
    entities: int
    edges: int
    clustered: int  # entities clustered again (all of the graph's in a full build)
    by_level: dict[int, int]
    kept: int  # stored communities kept as they were
    added: int
    removed: int
    reports_written: int
    modularity: float
    timings_s: dict[str, float] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready dictionary."""
        return asdict(self)


def _chunk_texts(store: GraphStore) -> Callable[[Sequence[str]], dict[str, tuple[str, str]]]:
    def fetch(ids: Sequence[str]) -> dict[str, tuple[str, str]]:
        t = store.execute(Q.COMMUNITY_CHUNK_TEXTS, {"ids": list(ids)})
        return {
            c: (x or "", d or "")
            for c, x, d in zip(
                t.column("id").to_pylist(), t.column("text").to_pylist(), t.column("title").to_pylist(), strict=True
            )
        }

    return fetch


def build_communities(
    store: GraphStore,
    *,
    settings: LeidenSettings | None = None,
    embed: Embed | None = None,
    full: bool = False,
    writer: ReportWriter | None = None,
    writer_levels: int = 1,
) -> CommunityBuildReport:
    """Compute the community tree of ``store`` and write it with extractive reports (embedded with ``embed`` when
    given); incremental unless ``full`` or the store has no finished build. ``writer`` rewrites the new reports of
    levels below ``writer_levels`` (an LLM: :func:`graphrag.generate.community_report.llm_report_writer`); reports
    of unchanged communities are kept, so it never sees the same community twice."""
    settings = settings or LeidenSettings()
    t: dict[str, float] = {}
    t_start = t0 = time.perf_counter()
    graph = load_entity_graph(store)
    t["load_graph"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    stored, stored_members = ([], {}) if full else read_communities(store, reports=False)
    t["read_stored"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    fp = Fingerprinter(graph)
    fps: dict[str, str] = {}
    if stored:
        update = StickyUpdate(graph, stored, stored_members, fp, settings)
        tree = update.run()
        clustered, fps = update.touched, update.fingerprints
    else:
        tree, clustered = hierarchical_leiden(graph, settings), int((graph.degree() > 0).sum())
    fps = {c.id: fps[c.id] if c.id in fps else fp(c.members) for c in tree}
    t["leiden"] = time.perf_counter() - t0
    before = {c.id: c for c in stored}
    kept = [c for c in tree if c.id in before and before[c.id].fingerprint == fps[c.id]]
    kept_ids = {c.id for c in kept}
    to_add = [c for c in tree if c.id not in kept_ids]
    # a full build (or one after a write that never finished) replaces whatever rows there are
    remove = [c.id for c in stored if c.id not in kept_ids] if stored else all_community_ids(store)
    reparent = [(c.id, c.parent) for c in kept if before[c.id].parent != c.parent]
    t0 = time.perf_counter()
    reports = ExtractiveSummarizer(graph, _chunk_texts(store)).summarize(to_add)
    t["summaries"] = time.perf_counter() - t0
    if writer is not None:
        t0 = time.perf_counter()
        chosen = [i for i, c in enumerate(to_add) if c.level < writer_levels]
        for i, r in zip(chosen, writer([reports[i] for i in chosen]), strict=True):
            reports[i] = r
        t["llm_reports"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    texts = [r.text() for r in reports]
    vectors: list[list[float] | None] = [None] * len(texts)
    if embed is not None and texts:
        vectors = [[float(x) for x in v] for v in embed(texts)]
    t["embed"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    rows = {
        "id": [c.id for c in to_add],
        "level": [c.level for c in to_add],
        "parent": [c.parent for c in to_add],
        "size": [len(c.members) for c in to_add],
        "fingerprint": [fps[c.id] for c in to_add],
        "title": [r.title for r in reports],
        "summary": texts,
        "report": [r.to_json() for r in reports],
    }
    dim = store.embedding_dim
    nodes = pa.table(
        {
            **{k: pa.array(v, pa.int64() if k in ("level", "size") else pa.string()) for k, v in rows.items()},
            "embedding": pa.array(vectors, pa.list_(pa.float32(), dim)),
        }  # fmt: skip
    )
    members = pa.table(
        {"from": [e for c in to_add for e in c.members], "to": [c.id for c in to_add for _ in c.members]},
        schema=pa.schema([("from", pa.string()), ("to", pa.string())]),
    )
    children = pa.table(
        {"from": [c.parent for c in to_add if c.parent], "to": [c.id for c in to_add if c.parent]},
        schema=pa.schema([("from", pa.string()), ("to", pa.string())]),
    )
    write_communities(store, remove=remove, nodes=nodes, members=members, children=children, reparent=reparent)
    t["write"] = time.perf_counter() - t0
    t["total"] = time.perf_counter() - t_start
    by_level: dict[int, int] = {}
    for c in tree:
        by_level[c.level] = by_level.get(c.level, 0) + 1
    return CommunityBuildReport(
        mode="incremental" if stored else "full",
        entities=graph.n,
        edges=len(graph.src),
        clustered=clustered,
        by_level=dict(sorted(by_level.items())),
        kept=len(kept),
        added=len(to_add),
        removed=len(remove),
        reports_written=len(reports),
        modularity=round(modularity(graph, tree, 0), 4),
        timings_s={k: round(v, 3) for k, v in t.items()},
    )


__all__ = ["CommunityBuildReport", "build_communities"]
