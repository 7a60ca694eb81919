"""Drawing an answer: the text with numbered citations, the cited passages, the reasoning paths as a graph,
what each retriever returned and how fusion ranked it, and where the time went."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

import streamlit as st
from ui_graph import show_graph

from graphrag.explore import paths_graph
from graphrag.types import Answer, Candidate, Hit

_CITE = re.compile(r"\[(\d+)\]")


def cited_numbers(text: str) -> list[int]:
    """The source numbers an answer cites, in first-cited order."""
    return list(dict.fromkeys(int(n) for n in _CITE.findall(text)))


def fusion_rows(fused: Sequence[Hit], per_retriever: Mapping[str, Sequence[Hit]]) -> list[dict[str, Any]]:
    """One row per fused hit: its fused rank and score, and its rank in each retriever's own list (None if
    absent)."""
    ranks = {
        name: {h.chunk_id: i for i, h in reversed(list(enumerate(hits, 1)))}
        for name, hits in per_retriever.items()
    }
    rows = []
    for i, h in enumerate(fused, 1):
        row: dict[str, Any] = {
            "fused rank": i,
            "passage": h.title or h.chunk_id,
            "fused score": round(h.score, 5),
        }
        for name in per_retriever:
            row[f"{name} rank"] = ranks[name].get(h.chunk_id)
        rows.append(row)
    return rows


def show_answer(answer: Answer, *, expand: int = 2) -> None:
    """The answer text in a box, then each source it cites (the first ``expand`` of them opened)."""
    cited = cited_numbers(answer.text)
    with st.container(border=True):
        st.markdown("**Answer**")
        # Markdown joins single newlines; the no-model answer puts each statement on its own line.
        body = answer.text.replace("\n", "  \n")
        st.markdown(f"#### {body}" if len(answer.text) < 120 and "\n" not in answer.text else body)
    if answer.citations:
        st.markdown("**Sources**")
        order = sorted(answer.citations, key=lambda c: (c.number not in cited, c.number))
        for i, c in enumerate(order):
            mark = " · cited" if c.number in cited else ""
            opened = i < expand and c.number in cited
            with st.expander(f"[{c.number}] {c.title or c.doc_id}{mark}", expanded=opened):
                for chunk_id, text in zip(c.all_chunk_ids, c.all_passages, strict=True):
                    st.write(text)
                    st.caption(f"chunk `{chunk_id}` · document `{c.doc_id}`")


def candidate_rows(candidates: Sequence[Candidate]) -> list[dict[str, Any]]:
    """One row per GNN answer candidate: its name, probability, number of paths and its first path."""
    return [
        {
            "candidate": c.name,
            "probability": round(c.score, 4),
            "paths": len(c.paths),
            "first path": c.paths[0].verbalise() if c.paths else "",
        }
        for c in candidates
    ]


def show_paths(answer: Answer, *, gnn_checkpoint: str = "") -> None:
    """Reasoning paths as an interactive graph and as text, and the GNN's answer candidates when it ran."""
    if not answer.paths and not answer.candidates:
        st.caption("No reasoning paths for this question (no question entity was found in the graph).")
        return
    show_graph(
        paths_graph(answer.paths, candidates=answer.candidates),
        height=420,
        caption="question entities (blue) → candidates (green)",
    )
    if answer.candidates:
        st.markdown(f"**GNN-RAG answer candidates** ({len(answer.candidates)}, best first)")
        if gnn_checkpoint:
            st.caption(f"GNN checkpoint: {gnn_checkpoint}")
        st.dataframe(candidate_rows(answer.candidates), hide_index=True)
    for p in answer.paths:
        st.markdown(f"- `{p.verbalise()}`")


def show_breakdown(
    fused: Sequence[Hit],
    per_retriever: Mapping[str, Sequence[Hit]],
    links: Sequence[Any] = (),
    *,
    per_list: int = 10,
) -> None:
    """How fusion ranked the passages, and each retriever's own top list."""
    if links:
        st.markdown("**Question links** (what the graph retriever started from)")
        st.dataframe(
            [
                {
                    "span": getattr(x, "surface", str(x)),
                    "method": getattr(x, "method", ""),
                    "score": round(float(getattr(x, "score", 0.0)), 3),
                }
                for x in links
            ],
            hide_index=True,
        )
    if not fused:
        st.caption("No retriever returned anything.")
        return
    st.markdown("**Fusion** — each passage's rank in every retriever's list (None: not returned)")
    st.dataframe(fusion_rows(fused, per_retriever), hide_index=True)
    tabs = st.tabs([f"{name} ({len(hits)})" for name, hits in per_retriever.items()])
    for tab, hits in zip(tabs, per_retriever.values(), strict=True):
        with tab:
            if not hits:
                st.caption("Nothing returned.")
                continue
            st.dataframe(
                [
                    {
                        "rank": i,
                        "passage": h.title or h.chunk_id,
                        "score": round(h.score, 5),
                        "entities": ", ".join(h.entities[:5]),
                    }
                    for i, h in enumerate(hits[:per_list], 1)
                ],
                hide_index=True,
            )


def show_timings(timings_s: Mapping[str, float]) -> None:
    """Seconds per step as a bar chart and a total."""
    if not timings_s:
        return
    steps = {k: v for k, v in timings_s.items() if k != "total" and "/" not in k}  # "gnn/paths": a part of "gnn"
    total = sum(steps.values())
    st.caption(f"Total {timings_s.get('total', total) * 1000:.0f} ms")
    st.bar_chart({"ms": {k: round(v * 1000, 1) for k, v in steps.items()}}, horizontal=True)
    parts: dict[str, list[str]] = {}
    for key, v in timings_s.items():
        if "/" in key:
            comp, stage = key.split("/", 1)
            parts.setdefault(comp, []).append(f"{stage} {v * 1000:.1f} ms")
    for comp, stages in parts.items():
        st.caption(f"{comp}: " + " · ".join(stages))
