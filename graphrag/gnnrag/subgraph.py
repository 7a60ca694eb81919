"""Question subgraphs: the k-hop neighbourhood of the topic entities, pruned by personalised PageRank.

The KG's adjacency is read from the store once (:meth:`KGIndex.from_store`) into compressed sparse rows held
in memory, so extracting a subgraph costs a few array operations instead of a database round trip per hop.

Pruning rule. A k-hop neighbourhood explodes through hubs (a genre, a year), so nodes are ranked by a
truncated,
*k-step personalised PageRank* from the topic entities over the undirected KG::

    r_0 = uniform over seeds,   r_t = (1 - alpha) * r_{t-1} P    (P: random-walk transition matrix, 1 /
    degree)
    ppr(v) = alpha * sum_{t=0..k} r_t(v)

Only nodes within ``k`` hops receive mass, and mass entering a hub is split over all of its neighbours, so the
neighbours of a hub rank low unless many walks reach them. As in approximate PPR by local push, a node is
expanded only while its walk mass per unit degree is at least ``push_epsilon``, which bounds the work on large
graphs. The ``max_nodes`` nodes of highest PPR (topic entities always included) are kept, with every KG edge
among them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np
import pyarrow as pa


class KGSource(Protocol):
    """What :class:`KGIndex` reads from a store (implemented by :class:`~graphrag.store.KuzuGraphStore`)."""

    def kg_edges(self) -> pa.Table:
        """Columns ``src``, ``dst`` (entity ids) and ``predicate``, one row per relation edge."""

    def kg_entity_names(self) -> pa.Table:
        """Columns ``id``, ``name`` and (optionally) ``aliases``, one row per entity."""

    def kg_passage_mentions(self) -> pa.Table:
        """Columns ``src`` (the entity a passage is about) and ``dst`` (an entity it mentions)."""


#: The predicate of co-mention edges (:meth:`KGIndex.from_store` with ``co_mentions``).
CO_MENTION = "passage mentions"


@dataclass(frozen=True)
class SubgraphConfig:
    """How to cut a question's subgraph out of the KG.

    Args:
        max_hops: radius of the neighbourhood around the topic entities.
        max_nodes: most nodes kept (topic entities always are).
        restart_prob: PPR restart probability ``alpha``; higher keeps the subgraph closer to the seeds.
        push_epsilon: a node is expanded only while its walk mass divided by its degree is at least this.
    """

    max_hops: int = 3
    max_nodes: int = 2000
    restart_prob: float = 0.2
    push_epsilon: float = 1e-7

    def __post_init__(self) -> None:
        if self.max_hops < 1:
            raise ValueError(f"max_hops must be at least 1, got {self.max_hops}")
        if self.max_nodes < 1:
            raise ValueError(f"max_nodes must be at least 1, got {self.max_nodes}")
        if not 0.0 < self.restart_prob < 1.0:
            raise ValueError(f"restart_prob must lie strictly between 0 and 1, got {self.restart_prob}")
        if self.push_epsilon < 0:
            raise ValueError(f"push_epsilon must be non-negative, got {self.push_epsilon}")


def _gather(indptr: np.ndarray, nodes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Positions of all CSR entries of ``nodes`` and, for each, which of ``nodes`` it belongs to."""
    starts = indptr[nodes]
    counts = indptr[nodes + 1] - starts
    total = int(counts.sum())
    if total == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    owner = np.repeat(np.arange(len(nodes)), counts)
    offsets = np.arange(total) - np.repeat(np.cumsum(counts) - counts, counts)
    return starts[owner] + offsets, owner


def _csr(keys: np.ndarray, n: int, *cols: np.ndarray) -> tuple[np.ndarray, ...]:
    order = np.argsort(keys, kind="stable")
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(keys, minlength=n), out=indptr[1:])
    return (indptr, *(c[order] for c in cols))


@dataclass(frozen=True)
class Subgraph:
    """A question's subgraph, in local node numbering.

    ``nodes`` are KG node indices (ascending); ``seeds`` index into ``nodes``; the edges ``src[i] -> dst[i]``
    with predicate index ``pred[i]`` (into :attr:`KGIndex.predicates`) keep the KG's direction; ``ppr`` is
    each node's personalised PageRank score, the pruning rule's ranking.
    """

    nodes: np.ndarray
    seeds: np.ndarray
    src: np.ndarray
    dst: np.ndarray
    pred: np.ndarray
    ppr: np.ndarray = field(repr=False)

    @property
    def num_nodes(self) -> int:
        """Number of nodes."""
        return len(self.nodes)

    @property
    def num_edges(self) -> int:
        """Number of (directed) KG edges."""
        return len(self.src)

    def local(self, kg_nodes: Sequence[int] | np.ndarray) -> np.ndarray:
        """Local indices of the given KG nodes; ``-1`` for those outside the subgraph."""
        q = np.asarray(kg_nodes, dtype=np.int64)
        if len(self.nodes) == 0:
            return np.full(len(q), -1, dtype=np.int64)
        pos = np.minimum(np.searchsorted(self.nodes, q), len(self.nodes) - 1)
        return np.where(self.nodes[pos] == q, pos, -1)


class KGIndex:
    """The KG's adjacency in memory: out- and in-edge CSR arrays over integer node and predicate indices.

    Args:
        ids: entity ids, position = node index.
        names: entity names, aligned with ``ids``.
        src, dst: node indices of each edge's head and tail.
        pred: predicate index of each edge into ``predicates``.
        predicates: predicate texts.
        aliases: other names of each entity, aligned with ``ids`` (for answer matching; ``None``: none).

    Duplicate ``(src, pred, dst)`` edges are merged.
    """

    def __init__(
        self,
        ids: Sequence[str],
        names: Sequence[str],
        src: np.ndarray,
        dst: np.ndarray,
        pred: np.ndarray,
        predicates: Sequence[str],
        aliases: Sequence[Sequence[str]] | None = None,
    ) -> None:
        if len(ids) != len(names):
            raise ValueError(f"ids and names differ in length ({len(ids)} vs {len(names)})")
        if not (len(src) == len(dst) == len(pred)):
            raise ValueError("src, dst and pred must have the same length")
        self.ids: list[str] = list(ids)
        self.names: list[str] = list(names)
        self.predicates: tuple[str, ...] = tuple(predicates)
        self.aliases: list[tuple[str, ...]] = (
            [tuple(a or ()) for a in aliases] if aliases is not None else [() for _ in self.ids]
        )
        if len(self.aliases) != len(self.ids):
            raise ValueError(f"ids and aliases differ in length ({len(ids)} vs {len(self.aliases)})")
        self.id_to_index: dict[str, int] = {e: i for i, e in enumerate(self.ids)}
        n = len(self.ids)
        edges = np.unique(
            np.stack([np.asarray(src, np.int64), np.asarray(pred, np.int64), np.asarray(dst, np.int64)], 1)
            if len(src)
            else np.zeros((0, 3), np.int64),
            axis=0,
        )
        s, p, d = edges[:, 0], edges[:, 1], edges[:, 2]
        self.num_edges = len(s)
        self.out_ptr, self.out_dst, self.out_pred = _csr(s, n, d, p)
        self.in_ptr, self.in_src, self.in_pred = _csr(d, n, s, p)
        self.degree = np.diff(self.out_ptr) + np.diff(self.in_ptr)
        self._by_name: dict[str, list[int]] | None = None
        self._by_lower: dict[str, list[int]] | None = None

    @property
    def num_nodes(self) -> int:
        """Number of entities."""
        return len(self.ids)

    @classmethod
    def from_triples(cls, triples: Sequence[tuple[str, str, str]]) -> KGIndex:
        """Build from ``(head, predicate, tail)`` name triples; ids are the names (for tests and demos)."""
        names: dict[str, int] = {}
        preds: dict[str, int] = {}
        rows = [
            (
                names.setdefault(h, len(names)),
                preds.setdefault(r, len(preds)),
                names.setdefault(t, len(names)),
            )
            for h, r, t in triples
        ]
        arr = np.asarray(rows, dtype=np.int64).reshape(-1, 3)
        keys = list(names)
        return cls(keys, keys, arr[:, 0], arr[:, 2], arr[:, 1], list(preds))

    @classmethod
    def from_store(cls, store: KGSource, *, co_mentions: bool = False) -> KGIndex:
        """Read every entity and relation edge from ``store`` once. With ``co_mentions``, each passage also
        links the entity it is about to every other entity it mentions, as predicate :data:`CO_MENTION`."""
        ents = store.kg_entity_names()
        ids = ents.column("id").to_pylist()
        names = [n if n is not None else i for i, n in zip(ids, ents.column("name").to_pylist(), strict=True)]
        aliases = ents.column("aliases").to_pylist() if "aliases" in ents.column_names else None
        index = {e: i for i, e in enumerate(ids)}
        edges = store.kg_edges()
        heads, tails = edges.column("src").to_pylist(), edges.column("dst").to_pylist()
        labels = edges.column("predicate").combine_chunks()
        if co_mentions:
            extra = store.kg_passage_mentions()
            heads += extra.column("src").to_pylist()
            tails += extra.column("dst").to_pylist()
            labels = pa.concat_arrays([labels.cast(pa.string()), pa.array([CO_MENTION] * extra.num_rows, pa.string())])
        enc = labels.dictionary_encode()
        predicates = [p if p is not None else "" for p in enc.dictionary.to_pylist()]
        src = np.fromiter((index[e] for e in heads), np.int64, len(heads))
        dst = np.fromiter((index[e] for e in tails), np.int64, len(tails))
        pred = enc.indices.to_numpy(zero_copy_only=False).astype(np.int64)
        return cls(ids, names, src, dst, pred, predicates, aliases)

    # -- names -----------------------------------------------------------------------------------------------
    def _name_maps(self) -> tuple[dict[str, list[int]], dict[str, list[int]]]:
        if self._by_name is None or self._by_lower is None:
            by_name: dict[str, list[int]] = {}
            by_lower: dict[str, list[int]] = {}
            for i, n in enumerate(self.names):
                by_name.setdefault(n, []).append(i)
                by_lower.setdefault(n.lower(), []).append(i)
            self._by_name, self._by_lower = by_name, by_lower
        return self._by_name, self._by_lower

    def lookup_name(self, name: str, *, case_sensitive: bool = True) -> list[int]:
        """Node indices of entities called ``name`` (exactly, or ignoring case)."""
        by_name, by_lower = self._name_maps()
        key = " ".join(name.split())
        return list(by_name.get(key, [])) if case_sensitive else list(by_lower.get(key.lower(), []))

    def names_of(self, nodes: Sequence[int] | np.ndarray) -> list[str]:
        """Entity names of node indices."""
        return [self.names[int(i)] for i in nodes]


class SubgraphExtractor:
    """Cuts PPR-pruned k-hop subgraphs out of a :class:`KGIndex`.

    Args:
        index: the in-memory KG.
        config: hops, size cap and PPR settings.
    """

    def __init__(self, index: KGIndex, config: SubgraphConfig | None = None) -> None:
        self.index = index
        self.config = config or SubgraphConfig()

    def ppr(self, seeds: Sequence[int]) -> tuple[np.ndarray, np.ndarray]:
        """``(nodes, scores)``: the truncated k-step PPR of every node within ``max_hops`` of ``seeds``."""
        ix, cfg = self.index, self.config
        alpha, n = cfg.restart_prob, ix.num_nodes
        front = np.unique(np.asarray(seeds, dtype=np.int64))
        if len(front) == 0:
            return front, np.zeros(0)
        mass = np.full(len(front), 1.0 / len(front))
        total = np.zeros(n)
        total[front] += alpha * mass
        for _ in range(cfg.max_hops):
            deg = ix.degree[front]
            push = (deg > 0) & (mass >= cfg.push_epsilon * deg)
            if push.sum() > cfg.max_nodes:  # expand only the max_nodes nodes of highest mass per unit degree
                density = np.where(push, mass / np.maximum(deg, 1), -1.0)
                push = np.zeros_like(push)
                push[np.argpartition(-density, cfg.max_nodes - 1)[: cfg.max_nodes]] = True
            nodes, share = front[push], (1.0 - alpha) * mass[push] / np.maximum(deg[push], 1)
            pos_o, own_o = _gather(ix.out_ptr, nodes)
            pos_i, own_i = _gather(ix.in_ptr, nodes)
            reached = np.concatenate([ix.out_dst[pos_o], ix.in_src[pos_i]])
            if len(reached) == 0:
                break
            # dense accumulation: O(num_nodes) per hop, cheaper than sorting for KGs up to millions of nodes
            dense = np.bincount(reached, weights=np.concatenate([share[own_o], share[own_i]]), minlength=n)
            front = np.flatnonzero(dense)
            mass = dense[front]
            total[front] += alpha * mass
        nodes = np.flatnonzero(total)
        return nodes, total[nodes]

    def extract(self, seeds: Sequence[int]) -> Subgraph:
        """The subgraph around KG nodes ``seeds``: the top ``max_nodes`` by PPR (seeds always), all edges."""
        ix, cfg = self.index, self.config
        seed_arr = np.unique(np.asarray(seeds, dtype=np.int64))
        if len(seed_arr) and (seed_arr.min() < 0 or seed_arr.max() >= ix.num_nodes):
            raise ValueError(f"seed node index out of range 0..{ix.num_nodes - 1}")
        nodes, scores = self.ppr(seed_arr)
        if len(nodes) > cfg.max_nodes:
            boosted = scores + np.isin(nodes, seed_arr) * (scores.max() + 1.0)  # seeds always survive the cut
            keep = np.argpartition(-boosted, cfg.max_nodes - 1)[: cfg.max_nodes]
            keep.sort()
            nodes, scores = nodes[keep], scores[keep]
        local = np.full(ix.num_nodes, -1, dtype=np.int64)
        local[nodes] = np.arange(len(nodes))
        pos, owner = _gather(ix.out_ptr, nodes)
        tails = local[ix.out_dst[pos]]
        inside = tails >= 0
        return Subgraph(
            nodes=nodes,
            seeds=local[seed_arr],
            src=owner[inside],
            dst=tails[inside],
            pred=ix.out_pred[pos[inside]],
            ppr=scores,
        )


__all__ = ["CO_MENTION", "KGIndex", "KGSource", "Subgraph", "SubgraphConfig", "SubgraphExtractor"]
