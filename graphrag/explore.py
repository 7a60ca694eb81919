"""Browsing the graph: fuzzy entity search, entity pages, neighbourhoods, and graphs to draw.

The explorer app and any other front end use these instead of writing Cypher of their own. Everything returns
frozen records; :class:`GraphView` is a drawable node/edge list built from a neighbourhood, from reasoning
paths, or from the nodes, relationships and paths inside a user's Cypher result.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from graphrag.store import queries as Q
from graphrag.store.base import GraphStore, QueryResult
from graphrag.types import Candidate, Entity, ReasoningPath

# Properties never shown in a tooltip (vectors are long and say nothing to a reader).
_HIDDEN_PROPS = frozenset({"embedding"})
_TOOLTIP_CHARS = 300
# How a reasoning path names an edge walked against its stored direction: graphrag.gnn.data.INVERSE_SUFFIX,
# not imported because that module loads torch (tests/test_explore.py checks that the two agree).
INVERSE_SUFFIX = " (inverse)"


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


@dataclass(frozen=True, slots=True)
class GraphNode:
    """A node to draw: ``role`` marks special nodes (``"focus"``, ``"seed"``, ``"candidate"``) for
    colouring."""

    id: str
    label: str
    group: str = ""
    title: str = ""
    role: str = ""


@dataclass(frozen=True, slots=True)
class GraphEdge:
    """A directed, labelled edge between two :class:`GraphNode` ids."""

    source: str
    target: str
    label: str = ""


@dataclass(frozen=True, slots=True)
class GraphView:
    """A drawable graph; ``truncated`` says a node or edge cap left something out."""

    nodes: tuple[GraphNode, ...]
    edges: tuple[GraphEdge, ...]
    truncated: bool = False

    @property
    def empty(self) -> bool:
        """True when there is nothing to draw."""
        return not self.nodes


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
            n_passages=int(deg["n_passages"]),
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


def paths_graph(
    paths: Iterable[ReasoningPath], *, candidates: Sequence[Candidate] = (), max_nodes: int = 150
) -> GraphView:
    """Reasoning paths as one graph: path starts are question entities (``seed``), ends and candidates are
    ``candidate`` nodes, relations label the edges. Nodes are keyed by entity name, as paths carry names."""
    cand_names = {c.name for c in candidates}
    nodes: dict[str, GraphNode] = {}
    edges: dict[tuple[str, str, str], GraphEdge] = {}
    truncated = False
    seeds: set[str] = set()
    ends: set[str] = set()
    for p in paths:
        if not p.nodes:
            continue
        if len(nodes) + len(set(p.nodes) - set(nodes)) > max_nodes:
            truncated = True
            continue
        seeds.add(p.nodes[0])
        ends.add(p.nodes[-1])
        for name in p.nodes:
            nodes.setdefault(name, GraphNode(id=name, label=name))
        for rel, a, b in zip(p.relations, p.nodes, p.nodes[1:], strict=False):
            # A relation walked against its direction ("pred (inverse)") is drawn as stored: b -pred-> a.
            if rel.endswith(INVERSE_SUFFIX):
                pred = rel.removesuffix(INVERSE_SUFFIX)
                edges.setdefault((b, pred, a), GraphEdge(b, a, pred))
            else:
                edges.setdefault((a, rel, b), GraphEdge(a, b, rel))
    for c in candidates:
        if c.name not in nodes and len(nodes) < max_nodes:
            nodes[c.name] = GraphNode(id=c.name, label=c.name)
    out = []
    for key, n in nodes.items():
        role = "seed" if key in seeds else "candidate" if key in cand_names or key in ends else ""
        title = key + (f"\nscore: {_cand_score(candidates, key):.3f}" if key in cand_names else "")
        out.append(GraphNode(id=n.id, label=n.label, group=role or "entity", title=title, role=role))
    return GraphView(nodes=tuple(out), edges=tuple(edges.values()), truncated=truncated)


def _cand_score(candidates: Sequence[Candidate], name: str) -> float:
    return max((c.score for c in candidates if c.name == name), default=0.0)


def result_graph(result: QueryResult, *, max_nodes: int = 300) -> GraphView:
    """The nodes, relationships and paths found anywhere in a Cypher result, as a graph.

    Kuzu returns a node as a dict with ``_id`` and ``_label``, a relationship with ``_src``, ``_dst`` and
    ``_label``, and a path or variable-length relationship with ``_nodes`` and ``_rels``; values of other
    kinds are ignored. An edge whose end node is not in the result gets a placeholder node so the edge can
    still be drawn.
    """
    nodes: dict[str, GraphNode] = {}
    edges: dict[str, GraphEdge] = {}
    truncated = False

    def add_node(v: Mapping[str, Any]) -> None:
        nonlocal truncated
        key = _internal_id(v["_id"])
        if key in nodes:
            return
        if len(nodes) >= max_nodes:
            truncated = True
            return
        props = {k: x for k, x in v.items() if not k.startswith("_") and k not in _HIDDEN_PROPS}
        label = next((str(props[k]) for k in ("name", "title", "key", "id") if props.get(k)), key)
        nodes[key] = GraphNode(
            id=key, label=_short(label, 40), group=str(v.get("_label", "")), title=_tooltip(props)
        )

    def add_rel(v: Mapping[str, Any]) -> None:
        key = _internal_id(v["_id"]) if "_id" in v else f"{_internal_id(v['_src'])}>{_internal_id(v['_dst'])}"
        if key in edges:
            return
        label = str(v.get("predicate") or v.get("_label") or "")
        edges[key] = GraphEdge(source=_internal_id(v["_src"]), target=_internal_id(v["_dst"]), label=label)

    def visit(value: Any) -> None:
        if isinstance(value, Mapping):
            if "_nodes" in value and "_rels" in value:
                for n in value["_nodes"] or ():
                    visit(n)
                for r in value["_rels"] or ():
                    visit(r)
            elif "_src" in value and "_dst" in value:
                add_rel(value)
            elif "_id" in value and "_label" in value:
                add_node(value)
        elif isinstance(value, list | tuple):
            for v in value:
                visit(v)

    for row in result.rows:
        for value in row:
            visit(value)
    kept = {}
    for key, e in edges.items():
        for end in (e.source, e.target):
            if end not in nodes:
                if len(nodes) >= max_nodes:
                    truncated = True
                    break
                nodes[end] = GraphNode(id=end, label=f"#{end}", group="(not returned)")
        else:
            kept[key] = e
    return GraphView(nodes=tuple(nodes.values()), edges=tuple(kept.values()), truncated=truncated)


def _internal_id(v: Any) -> str:
    if isinstance(v, Mapping):
        return f"{v.get('table')}:{v.get('offset')}"
    return str(v)


def _short(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def _tooltip(props: Mapping[str, Any]) -> str:
    lines = []
    for k, v in props.items():
        shown = v if isinstance(v, str) else json.dumps(v, ensure_ascii=False, default=str)
        lines.append(f"{k}: {_short(shown, _TOOLTIP_CHARS)}")
    return "\n".join(lines)


def display_value(value: Any) -> Any:
    """A cell of a Cypher result made readable in a table: nodes, relationships and paths become short text,
    embeddings are elided, and lists and maps become JSON."""
    if isinstance(value, Mapping):
        if "_nodes" in value and "_rels" in value:
            names = [display_value(n) for n in value["_nodes"] or ()]
            return f"path({len(value['_rels'] or ())} rels: {' / '.join(map(str, names))})"
        if "_src" in value and "_dst" in value:
            return f"[{value.get('predicate') or value.get('_label', '')}]"
        if "_id" in value and "_label" in value:
            props = {k: v for k, v in value.items() if not k.startswith("_") and k not in _HIDDEN_PROPS}
            label = next((str(props[k]) for k in ("name", "title", "key", "id") if props.get(k)), "")
            return f"({value['_label']} {label})".strip()
        return json.dumps({k: display_value(v) for k, v in value.items()}, ensure_ascii=False, default=str)
    if isinstance(value, list | tuple):
        if len(value) > 16 and all(isinstance(x, float) for x in value):
            return f"[{len(value)} floats]"
        return json.dumps([display_value(v) for v in value], ensure_ascii=False, default=str)
    return value


__all__ = [
    "EntityMatch",
    "EntityPage",
    "EntityRelation",
    "GraphEdge",
    "GraphExplorer",
    "GraphNode",
    "GraphView",
    "INVERSE_SUFFIX",
    "Passage",
    "display_value",
    "paths_graph",
    "result_graph",
]
