"""Drawable graphs: nodes and edges built from reasoning paths or from the nodes, relationships and paths inside a
user's Cypher result, and readable table cells for such results. Front ends draw a :class:`GraphView`; the explorer
(:mod:`graphrag.explore.entities`) builds them from neighbourhoods.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from graphrag.store.graph_store import QueryResult
from graphrag.types import INVERSE_SUFFIX, Candidate, ReasoningPath

# Properties never shown in a tooltip (vectors are long and say nothing to a reader).
_HIDDEN_PROPS = frozenset({"embedding"})
_TOOLTIP_CHARS = 300


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
    "GraphEdge",
    "GraphNode",
    "GraphView",
    "display_value",
    "paths_graph",
    "result_graph",
]
