"""The weighted, undirected entity graph that communities are found in.

Two kinds of evidence join two entities: a ``RELATION`` between them (weight ``relation_weight`` per triple) and
being mentioned in the same passage (``co_mention_weight`` shared among the passage's other entities, so a long
passage naming forty entities does not outweigh a triple). Self-loops are dropped and parallel evidence summed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

from graphrag.store import queries as Q
from graphrag.store.graph_store import GraphStore


@dataclass(frozen=True)
class EntityGraph:
    """Entities (``ids``/``names``/``types``, index ``i``) and undirected weighted edges ``src[k] < dst[k]``.

    ``relations`` keeps the triples' predicates for summaries: ``(src, dst, predicate, count)`` with indices, in
    the triple's direction; ``mentions`` counts each entity's passage mentions; ``chunks`` maps a passage id to the
    indices of the entities it mentions."""

    ids: list[str]
    names: list[str]
    types: list[str]
    src: np.ndarray
    dst: np.ndarray
    weight: np.ndarray
    relations: list[tuple[int, int, str, int]] = field(default_factory=list)
    mentions: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    chunks: dict[str, np.ndarray] = field(default_factory=dict)

    @property
    def n(self) -> int:
        """Number of entities."""
        return len(self.ids)

    def index(self) -> dict[str, int]:
        """Entity id -> index."""
        return {e: i for i, e in enumerate(self.ids)}

    def degree(self) -> np.ndarray:
        """Weighted degree of every entity."""
        deg = np.zeros(self.n, np.float64)
        np.add.at(deg, self.src, self.weight)
        np.add.at(deg, self.dst, self.weight)
        return deg


def _co_mention_pairs(chunks: dict[str, np.ndarray], weight: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every pair of entities sharing a passage, weighted ``weight / (m - 1)`` for a passage naming ``m``."""
    import pandas as pd

    sizes = np.array([len(m) for m in chunks.values()], np.int64)
    if not len(sizes) or sizes.max(initial=0) < 2:
        return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.float64)
    df = pd.DataFrame({"c": np.repeat(np.arange(len(sizes)), sizes), "e": np.concatenate(list(chunks.values()))})
    pairs = df.merge(df, on="c")
    pairs = pairs[pairs["e_x"] < pairs["e_y"]]
    w = weight / (sizes[pairs["c"].to_numpy()] - 1)
    return pairs["e_x"].to_numpy(np.int64), pairs["e_y"].to_numpy(np.int64), w.astype(np.float64)


def build_graph(
    ids: list[str],
    names: list[str],
    types: list[str],
    relations: list[tuple[int, int, str, int]],
    chunks: dict[str, np.ndarray],
    *,
    relation_weight: float = 1.0,
    co_mention_weight: float = 1.0,
) -> EntityGraph:
    """The graph of entities ``ids`` from triples ``relations`` (indices) and passages ``chunks`` (entity indices)."""
    n = len(ids)
    rs = np.array([r[0] for r in relations], np.int64)
    rd = np.array([r[1] for r in relations], np.int64)
    rw = np.array([r[3] * relation_weight for r in relations], np.float64)
    cs, cd, cw = _co_mention_pairs(chunks, co_mention_weight)
    s, d, w = np.concatenate([rs, cs]), np.concatenate([rd, cd]), np.concatenate([rw, cw])
    keep = s != d
    s, d, w = s[keep], d[keep], w[keep]
    lo, hi = np.minimum(s, d), np.maximum(s, d)
    keys, inverse = np.unique(lo * max(n, 1) + hi, return_inverse=True)
    weight = np.bincount(inverse, weights=w, minlength=len(keys)) if len(keys) else np.zeros(0)
    mentions = np.zeros(n, np.int64)
    for members in chunks.values():
        np.add.at(mentions, members, 1)
    return EntityGraph(
        ids=ids,
        names=names,
        types=types,
        src=(keys // max(n, 1)).astype(np.int64),
        dst=(keys % max(n, 1)).astype(np.int64),
        weight=weight.astype(np.float64),
        relations=relations,
        mentions=mentions,
        chunks=chunks,
    )


def load_entity_graph(
    store: GraphStore, *, relation_weight: float = 1.0, co_mention_weight: float = 1.0
) -> EntityGraph:
    """The entity graph of ``store``: its entities, triples and passage co-mentions."""
    nodes = store.execute(Q.ENTITY_GRAPH_NODES)
    ids = nodes.column("id").to_pylist()
    names = nodes.column("name").to_pylist()
    types = [t or "" for t in nodes.column("type").to_pylist()]
    import pandas as pd

    index = pd.Index(ids)
    rel = store.execute(Q.ENTITY_GRAPH_RELATIONS)
    relations = list(
        zip(
            index.get_indexer(rel.column("src").to_pylist()).tolist(),
            index.get_indexer(rel.column("dst").to_pylist()).tolist(),
            [p or "" for p in rel.column("predicate").to_pylist()],
            rel.column("n").to_pylist(),
            strict=True,
        )
    )
    men = store.execute(Q.RETRIEVAL_MENTIONS)
    chunk_ids = men.column("chunk_id").to_numpy(zero_copy_only=False)
    ents = index.get_indexer(men.column("entity_id").to_pylist())
    codes, uniques = pd.factorize(chunk_ids)
    order = np.lexsort((ents, codes))
    codes, ents = codes[order], ents[order]
    keep = np.ones(len(ents), bool)
    keep[1:] = (codes[1:] != codes[:-1]) | (ents[1:] != ents[:-1])  # one mention per (passage, entity)
    codes, ents = codes[keep], ents[keep].astype(np.int64)
    cuts = np.flatnonzero(np.diff(codes)) + 1
    chunks = {str(uniques[codes[g[0]]]): g_ents for g, g_ents in zip(np.split(np.arange(len(codes)), cuts),
              np.split(ents, cuts), strict=True) if len(g)}  # fmt: skip
    return build_graph(
        ids, names, types, relations, chunks, relation_weight=relation_weight, co_mention_weight=co_mention_weight
    )


def _id_hashes(ids: Sequence[str]) -> np.ndarray:
    return np.array(
        [int.from_bytes(hashlib.blake2b(e.encode(), digest_size=8).digest(), "little") for e in ids], np.uint64
    )


class Fingerprinter:
    """Fingerprints of groups of entity ids in one graph: a fingerprint changes when a member joins or leaves, or
    when any edge touching a member appears, vanishes or changes weight. Ids not in the graph count as members
    without edges."""

    def __init__(self, graph: EntityGraph) -> None:
        self._index = graph.index()
        self._h = _id_hashes(graph.ids)
        with np.errstate(over="ignore"):
            wq = np.round(graph.weight * 1000).astype(np.uint64)
            a, b = self._h[graph.src], self._h[graph.dst]
            edge = (a + b) * np.uint64(0x9E3779B97F4A7C15) + (a * b) * np.uint64(0xC2B2AE3D27D4EB4F)
            edge = edge + wq * np.uint64(0x165667B19E3779F9)
        # per entity, its own hash and the (wrapping) sum of its edges' hashes: a group's fingerprint is a sum
        self._node = self._h * np.uint64(0x27D4EB2F165667C5)
        np.add.at(self._node, graph.src, edge)
        np.add.at(self._node, graph.dst, edge)

    def __call__(self, members: Iterable[str]) -> str:
        """The fingerprint of one group."""
        rows, missing = [], []
        for e in members:
            i = self._index.get(e)
            if i is None:
                missing.append(e)
            else:
                rows.append(i)
        with np.errstate(over="ignore"):
            total = self._node[rows].sum(dtype=np.uint64)
            if missing:
                total += _id_hashes(missing).sum(dtype=np.uint64)
        return f"{int(total):016x}"


__all__ = ["EntityGraph", "Fingerprinter", "build_graph", "load_entity_graph"]
