"""Browsing the graph: fuzzy entity search, entity pages and neighbourhoods.

The explorer app and any other front end use these instead of writing Cypher of their own. Everything returns
frozen records; a neighbourhood comes back as a drawable :class:`~graphrag.explore.graph_view.GraphView`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from graphrag.explore.graph_view import GraphEdge, GraphNode, GraphView
from graphrag.store import queries as Q
from graphrag.store.graph_store import GraphStore
from graphrag.types import Entity


@dataclass(frozen=True, slots=True)
class EntityMatch:
    """One entity found by :meth:`GraphExplorer.search`; ``score`` in (0, 1], higher is closer."""

    id: str
    name: str
    type: str
    aliases: tuple[str, ...]
    score: float
    matched: str  # "exact", "prefix", "name", "alias" or "fuzzy"


@dataclass(frozen=True, slots=True)
class EntityRelation:
    """A relation of an entity, seen from that entity (``direction`` is ``"out"`` or ``"in"``)."""

    direction: str
    predicate: str
    other_id: str
    other_name: str
    other_type: str
    chunk_id: str
    doc_id: str
    source: str
    confidence: float


@dataclass(frozen=True, slots=True)
class Passage:
    """A chunk that mentions an entity, with the surface forms used."""

    chunk_id: str
    doc_id: str
    title: str
    text: str
    position: int
    mentions: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class EntityPage:
    """Everything the explorer shows about one entity; ``n_*`` are totals, the tuples may be capped."""

    entity: Entity
    relations_out: tuple[EntityRelation, ...]
    relations_in: tuple[EntityRelation, ...]
    passages: tuple[Passage, ...]
    n_out: int
    n_in: int
    n_passages: int


class GraphExplorer:
    """Read-only browsing of a graph store.

    Args:
        store: the graph store to read (only its ``execute`` method is used).
    """

    def __init__(self, store: GraphStore) -> None:
        self.store = store

    def search(self, text: str, *, limit: int = 20) -> list[EntityMatch]:
        """Entities whose name or alias contains ``text``, or whose name is a few edits away
        (case-insensitive).

        Exact matches come first, then prefix, substring and alias matches, then names a few edits away; when
        none of these match, names with one word a few edits away (so "Babage" finds "Charles Babbage").
        """
        q = " ".join(text.split()).lower()
        if not q:
            return []
        if limit <= 0:
            raise ValueError(f"limit must be positive, got {limit}")
        max_dist = max(1, len(q) // 4)
        params = {"q": q, "max_dist": max_dist, "limit": limit}
        rows = self.store.execute(Q.ENTITY_SEARCH, params).to_pylist()
        if not rows:
            rows = self.store.execute(Q.ENTITY_SEARCH_WORDS, params).to_pylist()
        kinds = ("exact", "prefix", "name", "alias", "fuzzy", "fuzzy word")
        out = []
        for r in rows:
            tier, dist = int(r["tier"]), int(r["dist"])
            score = 1.0 - 0.1 * tier if tier < 4 else max(0.05, 0.55 - 0.1 * (tier - 4) - 0.5 * dist / len(q))
            out.append(
                EntityMatch(
                    id=r["id"],
                    name=r["name"] or "",
                    type=r["type"] or "",
                    aliases=tuple(r["aliases"] or ()),
                    score=round(score, 3),
                    matched=kinds[tier],
                )
            )
        return out

    def entity(
        self, entity_id: str, *, max_relations: int = 200, max_passages: int = 50
    ) -> EntityPage | None:
        """The page of entity ``entity_id`` (``None`` if there is no such entity)."""
        rows = self.store.execute(Q.ENTITY_BY_ID, {"id": entity_id}).to_pylist()
        if not rows:
            return None
        r = rows[0]
        entity = Entity(
            id=r["id"], name=r["name"] or "", type=r["type"] or "", aliases=tuple(r["aliases"] or ())
        )
        deg = self.store.execute(Q.ENTITY_DEGREES, {"id": entity_id}).to_pylist()[0]
        n_passages = self.store.execute(Q.ENTITY_MENTION_COUNT, {"id": entity_id}).column("n")[0].as_py()
        params = {"id": entity_id, "limit": max_relations}
        rel_out = tuple(
            _relation("out", x) for x in self.store.execute(Q.ENTITY_RELATIONS_OUT, params).to_pylist()
        )
        rel_in = tuple(
            _relation("in", x) for x in self.store.execute(Q.ENTITY_RELATIONS_IN, params).to_pylist()
        )
        passages = tuple(
            Passage(
                chunk_id=p["chunk_id"],
                doc_id=p["doc_id"] or "",
                title=p["title"] or "",
                text=p["text"] or "",
                position=int(p["position"] or 0),
                mentions=tuple(sorted(m for m in (p["mentions"] or ()) if m)),
            )
            for p in self.store.execute(
                Q.ENTITY_PASSAGES, {"id": entity_id, "limit": max_passages}
            ).to_pylist()
        )
        return EntityPage(
            entity=entity,
            relations_out=rel_out,
            relations_in=rel_in,
            passages=passages,
            n_out=int(deg["n_out"]),
            n_in=int(deg["n_in"]),
            n_passages=int(n_passages or 0),
        )

    def neighbourhood(self, entity_id: str, *, depth: int = 1, max_nodes: int = 60) -> GraphView:
        """Entities within ``depth`` relation hops of ``entity_id`` (either direction), at most ``max_nodes``
        of them.

        Hops are expanded breadth first, so when the cap bites the nearer entities are the ones kept; every
        relation among the kept entities is drawn.
        """
        if depth < 1:
            raise ValueError(f"depth must be at least 1, got {depth}")
        if max_nodes < 1:
            raise ValueError(f"max_nodes must be at least 1, got {max_nodes}")
        start = self.store.execute(Q.ENTITY_BY_ID, {"id": entity_id}).to_pylist()
        if not start:
            return GraphView(nodes=(), edges=())
        s = start[0]
        nodes: dict[str, GraphNode] = {
            entity_id: GraphNode(
                entity_id, s["name"] or entity_id, s["type"] or "", _entity_title(s), "focus"
            )
        }
        frontier = [entity_id]
        truncated = False
        # Fetch more edges than nodes so a hub does not fill the cap with one relation type's first rows.
        edge_limit = max_nodes * 10
        for _ in range(depth):
            if not frontier:
                break
            rows = self.store.execute(
                Q.ENTITY_NEIGHBOUR_EDGES, {"ids": frontier, "limit": edge_limit}
            ).to_pylist()
            truncated = truncated or len(rows) >= edge_limit
            nxt: list[str] = []
            for r in rows:
                for key, name, typ in (
                    (r["src"], r["src_name"], r["src_type"]),
                    (r["dst"], r["dst_name"], r["dst_type"]),
                ):
                    if key in nodes:
                        continue
                    if len(nodes) >= max_nodes:
                        truncated = True
                        continue
                    nodes[key] = GraphNode(
                        key, name or key, typ or "", _entity_title({"name": name, "type": typ})
                    )
                    nxt.append(key)
            frontier = nxt
        # Every relation among the kept entities, also those between two neighbours.
        edge_cap = max_nodes * 20
        rows = self.store.execute(Q.ENTITY_EDGES_AMONG, {"ids": list(nodes), "limit": edge_cap}).to_pylist()
        truncated = truncated or len(rows) >= edge_cap
        edges = [GraphEdge(r["src"], r["dst"], r["predicate"] or "") for r in rows]
        return GraphView(nodes=tuple(nodes.values()), edges=tuple(edges), truncated=truncated)


def _relation(direction: str, r: Mapping[str, Any]) -> EntityRelation:
    return EntityRelation(
        direction=direction,
        predicate=r["predicate"] or "",
        other_id=r["other_id"],
        other_name=r["other_name"] or "",
        other_type=r["other_type"] or "",
        chunk_id=r["chunk_id"] or "",
        doc_id=r["doc_id"] or "",
        source=r["source"] or "",
        confidence=float(r["confidence"]) if r["confidence"] is not None else 1.0,
    )


def _entity_title(r: Mapping[str, Any]) -> str:
    parts = [str(r.get("name") or "")]
    if r.get("type"):
        parts.append(f"type: {r['type']}")
    if r.get("aliases"):
        parts.append("aliases: " + ", ".join(r["aliases"]))
    return "\n".join(parts)


__all__ = ["EntityMatch", "EntityPage", "EntityRelation", "GraphExplorer", "Passage"]
