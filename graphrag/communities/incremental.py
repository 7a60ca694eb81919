"""Bringing a stored community tree up to date after the graph changed, touching only what changed.

Entities keep the communities they are stored in, at every level. An entity new to the graph joins, at each level,
the community its edges weigh most into (new entities linked only to each other are clustered afresh with Leiden);
an entity gone from the graph leaves. A community whose members and edges are all as stored (same id, same
:class:`~graphrag.communities.entity_graph.Fingerprinter` fingerprint) keeps its whole stored subtree and report;
only the communities on the way from a changed entity to the top get new reports. A community grown past
``max_size`` without children is split; one shrunk under ``min_size`` is dropped. Assignments drift from what a
fresh Leiden run would find as a store grows: ``modularity`` in the build report shows it, and a full build
(``graphrag communities build --full``) starts over.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from graphrag.communities.entity_graph import EntityGraph, Fingerprinter
from graphrag.communities.leiden import Community, LeidenSettings, community_id, hierarchical_leiden, split_nodes
from graphrag.store.community_tables import StoredCommunity


def _attach(graph: EntityGraph, label: np.ndarray, todo: np.ndarray, allowed: set[int] | None = None) -> None:
    """Give each entity of ``todo`` (label -1) the label its edges weigh most into, in place; repeated while new
    entities gain labels through each other. Entities with no labelled neighbour keep -1."""
    pending = set(todo.tolist())
    in_todo = np.zeros(graph.n, bool)
    in_todo[todo] = True
    touching = np.flatnonzero(in_todo[graph.src] | in_todo[graph.dst])
    while pending:
        votes: dict[int, dict[int, float]] = {}
        for k in touching.tolist():
            a, b, w = int(graph.src[k]), int(graph.dst[k]), float(graph.weight[k])
            for x, y in ((a, b), (b, a)):
                if x in pending and label[y] >= 0 and (allowed is None or int(label[y]) in allowed):
                    v = votes.setdefault(x, {})
                    v[int(label[y])] = v.get(int(label[y]), 0.0) + w
        if not votes:
            return
        for x, v in votes.items():
            label[x] = max(v, key=lambda lab: (v[lab], -lab))
            pending.discard(x)


class StickyUpdate:
    """One update of a stored tree (see the module docstring); :meth:`run` returns the new tree."""

    def __init__(
        self,
        graph: EntityGraph,
        stored: Sequence[StoredCommunity],
        members: dict[str, list[str]],
        fingerprint: Fingerprinter,
        settings: LeidenSettings,
    ) -> None:
        self.graph = graph
        self.fp = fingerprint
        self.settings = settings
        self.members = members
        self.index = graph.index()
        self.by_id = {c.id: c for c in stored}
        self.children: dict[str, list[StoredCommunity]] = {}
        for c in stored:
            if c.parent:
                self.children.setdefault(c.parent, []).append(c)
        self.top = [c for c in stored if c.level == 0]
        self.touched = 0  # entities clustered again
        self.fingerprints: dict[str, str] = {}  # of the communities in the updated tree that were compared

    def run(self) -> list[Community]:
        """The updated tree, coarsest level first."""
        live = self.graph.degree() > 0
        label = np.full(self.graph.n, -1, np.int64)
        for k, c in enumerate(self.top):
            rows = [self.index[e] for e in self.members.get(c.id, ()) if e in self.index]
            label[rows] = k
        label[~live] = -1
        new = np.flatnonzero(live & (label < 0))
        self.touched += len(new)
        _attach(self.graph, label, new)
        out: list[Community] = []
        for k, c in enumerate(self.top):
            out += self._update(c, np.flatnonzero(label == k), parent="")
        alone = np.flatnonzero(live & (label < 0))  # new entities linked only to each other
        if len(alone):
            out += hierarchical_leiden(self.graph, self.settings, nodes=alone)
        return sorted(out, key=lambda c: c.level)

    def _update(self, stored: StoredCommunity, rows: np.ndarray, parent: str) -> list[Community]:
        if len(rows) < self.settings.min_size:
            return []
        members = tuple(sorted(self.graph.ids[i] for i in rows))
        c = Community(community_id(stored.level, members), stored.level, members, parent)
        self.fingerprints[c.id] = self.fp(members)
        if c.id == stored.id and self.fingerprints[c.id] == stored.fingerprint:
            return self._subtree(stored, parent)
        out = [c]
        kids = self.children.get(stored.id, [])
        if kids:
            label = np.full(self.graph.n, -1, np.int64)
            for k, ch in enumerate(kids):
                own = [self.index[e] for e in self.members.get(ch.id, ()) if e in self.index]
                label[own] = k
            inside = np.zeros(self.graph.n, bool)
            inside[rows] = True
            label[~inside] = -1
            _attach(self.graph, label, np.flatnonzero(inside & (label < 0)), allowed=set(range(len(kids))))
            for k, ch in enumerate(kids):
                out += self._update(ch, np.flatnonzero(label == k), parent=c.id)
        elif stored.level + 1 < self.settings.max_levels and len(rows) > self.settings.max_size:
            parts = split_nodes(self.graph, rows, self.settings)
            if len(parts) > 1:
                self.touched += len(rows)
                out += hierarchical_leiden(self.graph, self.settings, parts=parts, start_level=stored.level + 1,
                                           parent=c.id)  # fmt: skip
        return out

    def _subtree(self, root: StoredCommunity, parent: str) -> list[Community]:
        out: list[Community] = []
        todo = [(root, parent)]
        while todo:
            c, p = todo.pop()
            self.fingerprints[c.id] = c.fingerprint
            out.append(Community(c.id, c.level, tuple(sorted(self.members.get(c.id, ()))), p))
            todo += [(ch, c.id) for ch in self.children.get(c.id, [])]
        return out


__all__ = ["StickyUpdate"]
