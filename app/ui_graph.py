"""Interactive graph drawing: a :class:`~graphrag.explore.GraphView` as a vis-network canvas in an iframe.

The vis-network script ships with the app (``static/vis-network.min.js``, see ``static/README.md``) and is
inlined, so the page needs no network. Nodes can be dragged, the canvas zoomed and panned, and hovering shows a
node's properties.
"""

from __future__ import annotations

import json
from pathlib import Path

import streamlit as st
import streamlit.components.v1 as components

from graphrag.explore import GraphView

# Colours by node role, then by group (entity type or node label) from a fixed palette.
ROLE_COLOURS = {"focus": "#d62728", "seed": "#1f77b4", "candidate": "#2ca02c"}
PALETTE = ("#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf", "#bcbd22", "#7f7f7f", "#aec7e8", "#ffbb78")

_TEMPLATE = """<!doctype html>
<html><head><meta charset="utf-8">
<style>html,body{margin:0;height:100%;font-family:sans-serif}#g{width:100%;height:__HEIGHT__px;
border:1px solid #ddd;border-radius:6px}#legend{font-size:12px;padding:2px 4px;color:#333}</style>
<script>__VIS__</script></head>
<body><div id="legend">__LEGEND__</div><div id="g" data-nodes="__N__" data-edges="__E__"></div>
<script>
const data = __DATA__;
const nodes = new vis.DataSet(data.nodes);
const edges = new vis.DataSet(data.edges);
const options = {
  nodes: {shape: "dot", size: 14, font: {size: 13}},
  edges: {arrows: {to: {enabled: true, scaleFactor: 0.6}}, font: {size: 11, align: "middle"},
          color: {color: "#999", highlight: "#333"}, smooth: {type: "dynamic"}},
  physics: {stabilization: {iterations: 200}, barnesHut: {gravitationalConstant: -6000, springLength: 140}},
  interaction: {hover: true, tooltipDelay: 120, navigationButtons: false, keyboard: true}
};
const network = new vis.Network(document.getElementById("g"), {nodes, edges}, options);
network.once("stabilizationIterationsDone", () => network.setOptions({physics: false}));
</script></body></html>
"""


VIS_NETWORK_JS = Path(__file__).resolve().parent / "static" / "vis-network.min.js"


@st.cache_resource(show_spinner=False)
def vis_network_js() -> str | None:
    """The vis-network script shipped with the app, or ``None`` if the file is missing."""
    try:
        return VIS_NETWORK_JS.read_text(encoding="utf-8")
    except OSError:
        return None


def _colour(group: str, role: str, groups: list[str]) -> str:
    if role in ROLE_COLOURS:
        return ROLE_COLOURS[role]
    return PALETTE[groups.index(group) % len(PALETTE)] if group in groups else PALETTE[0]


def graph_html(view: GraphView, *, height: int, script: str) -> str:
    """A self-contained HTML page drawing ``view`` with the vis-network ``script``."""
    groups = sorted({n.group for n in view.nodes if n.role not in ROLE_COLOURS})
    nodes = [
        {
            "id": n.id,
            "label": n.label,
            "title": n.title or n.label,
            "color": _colour(n.group, n.role, groups),
            "size": 20 if n.role in ROLE_COLOURS else 13,
        }
        for n in view.nodes
    ]
    edges = [{"from": e.source, "to": e.target, "label": e.label, "title": e.label} for e in view.edges]
    legend = [
        f'<span style="color:{c}">●</span> {r}' for r, c in ROLE_COLOURS.items() if any(n.role == r for n in view.nodes)
    ]
    legend += [f'<span style="color:{_colour(g, "", groups)}">●</span> {_esc(g or "(no type)")}' for g in groups[:12]]
    # No "<" may appear inside the inline script ("</script>", "<!--" would change how HTML parses it);
    # "<" only occurs inside JSON strings, where the escape means the same character.
    data = json.dumps({"nodes": nodes, "edges": edges}, ensure_ascii=False).replace("<", "\\u003c")
    return (
        _TEMPLATE.replace("__VIS__", script)
        .replace("__HEIGHT__", str(height - 30))
        .replace("__LEGEND__", " &nbsp; ".join(legend))
        .replace("__N__", str(len(nodes)))
        .replace("__E__", str(len(edges)))
        .replace("__DATA__", data)
    )


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def by_community(view: GraphView, membership: dict[str, tuple[str, str]]) -> GraphView:
    """``view`` with each node grouped (coloured) by its community's title; nodes in none say so."""
    import dataclasses

    nodes = tuple(
        dataclasses.replace(n, group=membership[n.id][1] if n.id in membership else "(no community)")
        for n in view.nodes
    )
    return dataclasses.replace(view, nodes=nodes)


def show_graph(view: GraphView, *, height: int = 460, caption: str = "") -> None:
    """Draw ``view`` interactively, with a caption giving its size; falls back to an edge table without
    pyvis."""
    if view.empty:
        st.caption("Nothing to draw.")
        return
    note = f"{len(view.nodes)} nodes, {len(view.edges)} edges" + (" (capped)" if view.truncated else "")
    st.caption(f"{caption} — {note}" if caption else note)
    script = vis_network_js()
    if script is None:
        st.warning("Install the app extra (`pip install 'graphrag[app]'`) for interactive graphs; edges below.")
        labels = {n.id: n.label for n in view.nodes}
        st.dataframe(
            [
                {
                    "from": labels.get(e.source, e.source),
                    "relation": e.label,
                    "to": labels.get(e.target, e.target),
                }
                for e in view.edges
            ],
            hide_index=True,
        )
        return
    html = graph_html(view, height=height, script=script)
    if hasattr(st, "iframe"):  # Streamlit >= 1.50 replaces components.html with st.iframe
        st.iframe(html, height=height)
    else:
        components.html(html, height=height, scrolling=False)
