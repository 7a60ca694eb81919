"""Answer candidates from node probabilities, and the shortest KG paths that lead to them (GNN-RAG).

Candidates are the nodes taken in order of probability until their cumulative probability reaches a threshold
(GNN-RAG uses 0.95). For each candidate, the shortest paths from the topic entities inside the question
subgraph are found by breadth-first search over edges in both directions, then verbalised as ``entity ->
relation -> entity -> ...``; an edge walked against its KG direction is named ``relation (inverse)``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from graphrag.gnnrag.subgraph import Subgraph
from graphrag.types import INVERSE_SUFFIX, ReasoningPath


def select_candidates(
    probs: np.ndarray,
    *,
    threshold: float = 0.95,
    max_candidates: int | None = None,
    exclude: Sequence[int] | np.ndarray = (),
) -> np.ndarray:
    """Indices of the most probable nodes until their cumulative probability reaches ``threshold``.

    Args:
        probs: ``(N,)`` node probabilities (need not sum to 1; nodes in ``exclude`` are dropped first).
        threshold: cumulative probability to reach, in ``(0, 1]``.
        max_candidates: keep at most this many.
        exclude: node indices that can never be candidates (e.g. the topic entities, for a scorer with no
            learned way to step away from them).

    Returns:
        Node indices, most probable first; ties keep index order. Nodes of zero probability are never taken.
    """
    if not 0.0 < threshold <= 1.0:
        raise ValueError(f"threshold must be in (0, 1], got {threshold}")
    p = np.asarray(probs, dtype=np.float64).copy()
    if len(exclude):
        p[np.asarray(exclude, dtype=np.int64)] = 0.0
    order = np.argsort(-p, kind="stable")
    order = order[p[order] > 0]
    if len(order) == 0:
        return order
    total = p.sum()
    cum = np.cumsum(p[order]) / total
    n = int(np.searchsorted(cum, threshold - 1e-12)) + 1
    if max_candidates is not None:
        n = min(n, max_candidates)
    return order[: min(n, len(order))]


class PathFinder:
    """Shortest paths from a subgraph's topic entities to chosen nodes, over edges in either direction.

    Args:
        sub: the question subgraph.
        max_paths: most paths returned per candidate (the first found, in a deterministic order).
    """

    def __init__(self, sub: Subgraph, *, max_paths: int = 3) -> None:
        self.sub = sub
        self.max_paths = max_paths
        n = sub.num_nodes
        # Undirected adjacency sorted by (a, b, predicate): entry k runs a -> b; ``inv`` marks entries running
        # against the KG edge's direction.
        a = np.concatenate([sub.src, sub.dst]).astype(np.int64)
        b = np.concatenate([sub.dst, sub.src]).astype(np.int64)
        inv = np.concatenate([np.zeros(len(sub.src), bool), np.ones(len(sub.src), bool)])
        pred = np.concatenate([sub.pred, sub.pred]).astype(np.int64)
        n_pred = int(pred.max()) + 1 if len(pred) else 1
        order = np.argsort((a * max(n, 1) + b) * n_pred + pred, kind="stable")
        a, b, inv, pred = a[order], b[order], inv[order], pred[order]
        ptr = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(np.bincount(a, minlength=n), out=ptr[1:])
        self.dist = self._bfs(ptr, b, n)
        # Parent entries: a's neighbour b is one hop closer to a topic entity. The step b -> a walks the same
        # KG edge in the opposite direction of entry k.
        keep = (self.dist[a] > 0) & (self.dist[b] == self.dist[a] - 1)
        self._pptr = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(np.bincount(a[keep], minlength=n), out=self._pptr[1:])
        self._pptr_list = self._pptr.tolist()
        self._parent = b[keep].tolist()
        self._step = list(zip(pred[keep].tolist(), (~inv[keep]).tolist(), strict=True))

    def _bfs(self, ptr: np.ndarray, b: np.ndarray, n: int) -> np.ndarray:
        """Hop distance of every node from the nearest topic entity (-1: unreachable)."""
        dist = np.full(n, -1, dtype=np.int64)
        if n == 0 or len(self.sub.seeds) == 0:
            return dist
        frontier = np.unique(self.sub.seeds)
        dist[frontier] = 0
        d = 0
        while len(frontier):
            starts = ptr[frontier]
            counts = ptr[frontier + 1] - starts
            total = int(counts.sum())
            if total == 0:
                break
            k = np.repeat(starts, counts) + (np.arange(total) - np.repeat(np.cumsum(counts) - counts, counts))
            to = b[k]
            frontier = np.unique(to[dist[to] == -1])
            d += 1
            dist[frontier] = d
        return dist

    def paths_to(self, node: int) -> list[tuple[list[int], list[tuple[int, bool]]]]:
        """Up to ``max_paths`` shortest paths to local ``node``: ``(nodes, [(predicate, inverse), ...])``."""
        if self.dist[node] < 0:
            return []
        out: list[tuple[list[int], list[tuple[int, bool]]]] = []
        ptr, parent, step = self._pptr_list, self._parent, self._step

        def walk(v: int, nodes: list[int], rels: list[tuple[int, bool]]) -> None:
            if ptr[v] == ptr[v + 1]:  # a topic entity (or unreachable, excluded above)
                out.append(([v, *nodes], rels))
                return
            for k in range(ptr[v], ptr[v + 1]):
                if len(out) >= self.max_paths:
                    return
                walk(parent[k], [v, *nodes], [step[k], *rels])

        walk(int(node), [], [])
        return out


def verbalise_paths(
    finder: PathFinder,
    nodes: Sequence[int],
    name_of: Callable[[int], str],
    predicates: Sequence[str],
) -> dict[int, tuple[ReasoningPath, ...]]:
    """``local node -> its reasoning paths`` with entity and relation names filled in.

    ``name_of`` gives a subgraph node's entity name (called only for nodes on paths); ``predicates`` are the
    KG's predicate texts. A candidate that is itself a topic entity gets a one-node path.
    """
    labels: dict[tuple[int, bool], str] = {}  # only the relations on paths (a text KG has 13,000 predicates)
    names: dict[int, str] = {}
    result: dict[int, tuple[ReasoningPath, ...]] = {}
    for v in nodes:
        found = []
        for path_nodes, rels in finder.paths_to(int(v)):
            for u in path_nodes:
                if u not in names:
                    names[u] = name_of(u)
            for p, inv in rels:
                if (p, inv) not in labels:
                    labels[p, inv] = predicates[p] + (INVERSE_SUFFIX if inv else "")
            found.append(
                ReasoningPath(nodes=tuple(names[u] for u in path_nodes), relations=tuple(labels[r] for r in rels))
            )
        result[int(v)] = tuple(dict.fromkeys(found))
    return result


def unique_paths(per_candidate: dict[int, tuple[ReasoningPath, ...]]) -> tuple[ReasoningPath, ...]:
    """All paths, deduplicated by their verbalisation, in candidate order."""
    seen: dict[str, ReasoningPath] = {}
    for paths in per_candidate.values():
        for p in paths:
            seen.setdefault(p.verbalise(), p)
    return tuple(seen.values())


__all__ = ["PathFinder", "select_candidates", "unique_paths", "verbalise_paths"]
