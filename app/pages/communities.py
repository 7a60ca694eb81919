"""Communities: build them, browse the tree level by level, read a community's report, see its members drawn
(coloured by sub-community), and ask a question about the whole corpus."""

from __future__ import annotations

import streamlit as st
from ui_common import can_write, graph, guarded, has_store, require_database
from ui_graph import show_graph

st.title("Communities")
if has_store("Communities") and require_database():  # community reports are not served
    rag = graph()
    if can_write():
        with st.expander("Build or update", expanded=False):
            st.caption(
                "Hierarchical Leiden over triples and passage co-mentions, with an extractive report per community. "
                "After an ingest only the communities that changed are redone."
            )
            full = st.checkbox("Cluster everything afresh (full build)", key="communities_full")
            if st.button("Build communities", key="communities_build"):
                with guarded("the community build"), st.spinner("Finding communities…"):
                    r = rag.communities.build(full=full)
                    st.success(
                        f"{r.mode} build: {sum(r.by_level.values()):,} communities "
                        f"({', '.join(f'level {k}: {v}' for k, v in r.by_level.items())}); "
                        f"{r.reports_written:,} reports written, {r.kept:,} kept; modularity {r.modularity}"
                    )
    views = []
    with guarded("the communities"):
        views = rag.communities.list()
    if not views:
        st.info("No communities yet: build them above (or `graphrag communities build`).")
    else:
        question = st.text_input(
            "Ask about the whole corpus",
            key="communities_question",
            placeholder="e.g. What are the main themes? Which people appear most?",
        )
        if question:
            with guarded("the global answer"), st.spinner("Reading the community reports…"):
                answer = rag.communities.ask(question)
                st.markdown(answer.text)
                if answer.communities:
                    st.caption("Cited: " + "; ".join(f"[{c}] {t}" for c, t in answer.communities))
        levels = sorted({v.community.level for v in views})
        level = st.radio("Level", levels, horizontal=True, key="communities_level", format_func=lambda x: f"{x}")
        at = [v for v in views if v.community.level == level]
        st.caption(f"{len(at):,} communities at level {level}, largest first")
        labels = {v.community.id: f"{v.community.title} ({v.community.size})" for v in at}
        chosen = st.selectbox("Community", list(labels), format_func=labels.__getitem__, key="communities_pick")
        if chosen:
            view = next(v for v in at if v.community.id == chosen)
            c = view.community
            st.subheader(c.title)
            st.caption(f"{c.id} · level {c.level} · {c.size} entities" + (f" · parent {c.parent}" if c.parent else ""))
            st.write(c.summary)
            subs = [v for v in views if v.community.parent == c.id]
            if subs:
                st.caption("Sub-communities: " + "; ".join(f"{v.community.title} ({v.community.size})" for v in subs))
            facets = [
                {"facet": f"{f.kind}: {f.label}", "entities": ", ".join(f"{n} ({k})" for n, k in f.entities[:8])}
                for f in view.report.facets
            ]
            if facets:
                st.dataframe(facets, hide_index=True, width="stretch")
            with guarded("the drawing"):
                show_graph(rag.communities.subgraph(c.id), caption="members, coloured by sub-community")
