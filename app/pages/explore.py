"""Explore: fuzzy entity search, an entity's page, and its neighbourhood as an interactive graph (from the store,
or from the server a served explorer asks)."""

from __future__ import annotations

import contextlib

import streamlit as st
from ui_common import guarded, reader, require_database
from ui_graph import by_community, show_graph

from graphrag.api import GraphRAG
from graphrag.explore import EntityPage, EntityRelation
from graphrag.serve.client import ServerClient

ENTITY_KEY = "explore_entity"


def _open(entity_id: str) -> None:
    st.session_state[ENTITY_KEY] = entity_id


def _open_selected(key: str) -> None:
    choice = st.session_state.get(key)
    if choice:
        _open(choice)


def _open_picked(key: str) -> None:
    if st.session_state.get(key):
        _open(st.session_state[key])


def _relations_table(rels: tuple[EntityRelation, ...]) -> list[dict[str, object]]:
    return [
        {
            "predicate": r.predicate,
            "entity": r.other_name,
            "type": r.other_type,
            "source": r.source or (f"chunk {r.chunk_id}" if r.chunk_id else ""),
            "confidence": round(r.confidence, 3),
        }
        for r in rels
    ]


def _related_picker(page: EntityPage) -> None:
    """A select box of the entities this one is related to, to move through the graph."""
    seen: dict[str, str] = {}
    for r in page.relations_out + page.relations_in:
        arrow = "→" if r.direction == "out" else "←"
        seen.setdefault(r.other_id, f"{arrow} {r.predicate}: {r.other_name}")
    if not seen:
        return
    key = f"explore_related_{page.entity.id}"
    st.selectbox(
        "Go to a related entity",
        list(seen),
        index=None,
        format_func=seen.__getitem__,
        key=key,
        on_change=_open_selected,
        args=(key,),
        placeholder="Pick one…",
    )


def show_entity(rag: GraphRAG | ServerClient, entity_id: str) -> None:
    """The entity's page: facts, relations both ways, passages, neighbourhood graph."""
    page = rag.entity(entity_id)
    if page is None:
        st.warning(f"No entity with id `{entity_id}` (the database may have changed).")
        return
    e = page.entity
    st.header(e.name)
    c1, c2, c3, c4 = st.columns(4)
    c1.metric("Type", e.type or "—")
    c2.metric("Relations out", page.n_out)
    c3.metric("Relations in", page.n_in)
    c4.metric("Passages", page.n_passages)
    st.markdown("**Aliases:** " + (", ".join(e.aliases) if e.aliases else "none") + f"  \n**Id:** `{e.id}`")
    _related_picker(page)
    t_graph, t_out, t_in, t_pass = st.tabs(["Neighbourhood", "Relations out", "Relations in", "Passages"])
    with t_graph:
        c1, c2 = st.columns(2)
        depth = c1.slider("Depth (hops)", 1, 3, 1, key="explore_depth")
        cap = c2.slider("Node cap", 10, 300, 60, step=10, key="explore_cap")
        view = rag.neighbourhood(e.id, depth=depth, max_nodes=cap)
        # community membership is not served: a served explorer colours by entity type only
        if isinstance(rag, GraphRAG) and st.toggle(
            "Colour by community", key="explore_by_community", help="Top-level communities (build them on the "
            "Communities page); otherwise nodes are coloured by entity type."
        ):  # fmt: skip
            view = by_community(view, rag.communities.membership(level=0))
        show_graph(view, caption=f"{depth}-hop neighbourhood of {e.name}")
    with t_out:
        if page.relations_out:
            if len(page.relations_out) < page.n_out:
                st.caption(f"First {len(page.relations_out)} of {page.n_out}.")
            st.dataframe(_relations_table(page.relations_out), hide_index=True)
        else:
            st.caption("No outgoing relations.")
    with t_in:
        if page.relations_in:
            if len(page.relations_in) < page.n_in:
                st.caption(f"First {len(page.relations_in)} of {page.n_in}.")
            st.dataframe(_relations_table(page.relations_in), hide_index=True)
        else:
            st.caption("No incoming relations.")
    with t_pass:
        if not page.passages:
            st.caption("No passage mentions this entity (it may come from an imported knowledge graph).")
        if len(page.passages) < page.n_passages:
            st.caption(f"First {len(page.passages)} of {page.n_passages}.")
        for p in page.passages:
            with st.expander(f"{p.title or p.doc_id} · passage {p.position}", expanded=len(page.passages) <= 3):
                st.write(p.text)
                st.caption(f"mentioned as: {', '.join(p.mentions) or e.name} · chunk `{p.chunk_id}`")


st.title("Explore")
if require_database():
    query = st.text_input("Search entities", key="explore_search", placeholder="a name or alias; typos are fine")
    rag = reader()
    # one opening of the database for the whole page (a server opens its own)
    opened = rag.reading() if isinstance(rag, GraphRAG) else contextlib.nullcontext()
    with guarded("the search"), opened:
        if query.strip():
            matches = rag.search_entities(query, limit=25)
            if not matches:
                st.info(f"No entity matches “{query}”.")
            else:
                options = {m.id: m for m in matches}
                pick_key = f"explore_pick_{query.strip().lower()}"
                st.radio(
                    f"{len(matches)} match(es)",
                    list(options),
                    index=None,
                    key=pick_key,
                    format_func=lambda i: (
                        f"{options[i].name}"
                        + (f" · {options[i].type}" if options[i].type else "")
                        + f" · {options[i].matched}"
                    ),
                    on_change=_open_picked,
                    args=(pick_key,),
                )
        current = st.session_state.get(ENTITY_KEY)
        if current:
            st.divider()
            show_entity(rag, current)
        elif not query.strip():
            st.caption("Type a name above to find an entity, then open it to see its relations and neighbourhood.")
