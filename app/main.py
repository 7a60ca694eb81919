"""The GraphRAG explorer: ``graphrag app [--db DIR]`` or ``streamlit run app/main.py -- --db DIR``.

Pages: Ask, Explore, Communities, Cypher, Ingest, Evaluate. The sidebar picks the database, shows its size and
who the session reads as. ``--read-only``, ``--as USER --groups G`` (a fixed identity) and ``--identity-headers``
(the identity an authenticating proxy sets) drop the Ingest and Evaluate pages and every write, pin the database
to the one the explorer was started on and the answering model's endpoint to the configured one. ``--server URL``
answers through a running ``graphrag serve`` instead of a store and models in this process: Ask, Explore and
Cypher go to the server; Ingest, Evaluate and Communities need the store itself and are left out.
"""

from __future__ import annotations

import streamlit as st
from ui_common import (
    DB_KEY,
    VIEW_AS_KEY,
    VIEW_GROUPS_KEY,
    app_settings,
    db_path,
    graph,
    guarded,
    offers_writes,
    principal,
    served,
)

st.set_page_config(page_title="GraphRAG explorer", page_icon=":material/hub:", layout="wide")


def pages(writable: bool, *, has_store: bool = True) -> list:
    """The pages this session may use: Ingest only where it may write, Communities only with a store of its own
    (a server does not serve community reports)."""
    return [
        st.Page("pages/ask.py", title="Ask", icon=":material/question_answer:", default=True),
        st.Page("pages/explore.py", title="Explore", icon=":material/travel_explore:"),
        *([st.Page("pages/communities.py", title="Communities", icon=":material/bubble_chart:")] if has_store else []),
        st.Page("pages/cypher.py", title="Cypher", icon=":material/terminal:"),
        *([st.Page("pages/ingest.py", title="Ingest", icon=":material/upload_file:")] if writable else []),
        # evaluations run as the owner (and may ingest or import): only where the session may write
        *([st.Page("pages/evaluate.py", title="Evaluate", icon=":material/analytics:")] if writable else []),
    ]


@st.cache_data(show_spinner=False, max_entries=16)
def _counts(path: str, generation: int, who: str) -> dict[str, int]:
    """Node and relationship counts (of what ``who`` may read); cached until the database changes."""
    del path, generation, who  # cache keys
    s = graph().stats(top_predicates=1)
    return {**s["nodes"], **s["relationships"]}


def identity() -> None:
    """Who this session reads as; the owner (no identity fixed) may preview a user's view."""
    settings = app_settings()
    if settings.user or settings.identity_headers:
        who = principal()
        st.caption(f"Reading as **{who}**" if who else "Reading as the owner")
    else:
        with st.expander("View as"):
            st.text_input("User", key=VIEW_AS_KEY, help="Preview what this user may read (empty: everything).")
            st.text_input("Groups", key=VIEW_GROUPS_KEY, help="The user's groups, comma-separated.")
    if settings.read_only:
        st.caption("Read-only explorer")


def served_sidebar() -> None:
    """The server this explorer answers through: its database, whether it is up, and who the session reads as."""
    client = served()
    assert client is not None
    st.caption(f"Answering through `graphrag serve` at {client.base_url}")
    identity()
    health = None
    with guarded("the server check"):
        health = client.health()
    if health is None:
        return
    up = f"up {health.uptime_s / 3600:.1f} h" if health.uptime_s >= 3600 else f"up {health.uptime_s:.0f} s"
    st.caption(f"Database `{health.db}` · {up}" + ("" if health.exists else " · no database there yet"))
    if health.identity == "fixed" and client.principal is None:
        st.caption("Reading as the server's own identity (graphrag serve --as)")
    problem = client.identity_problem(health)
    if problem is not None:
        st.error(f"{problem[:1].upper()}{problem[1:]}.", icon=":material/block:")
    st.caption("Ingest, Evaluate and Communities need the store itself: run the explorer without --server for them.")


def sidebar() -> None:
    """Database picker, who the session reads as, and a one-glance summary of what it holds."""
    with st.sidebar:
        if served() is not None:
            served_sidebar()
            return
        db_path()  # make sure the session has a database path before the widget reads it
        if offers_writes():
            st.text_input("Database", key=DB_KEY, help="A Kuzu database directory or file (graphrag --db).")
        else:  # the store the explorer was started on, and no other
            st.caption(f"Database `{db_path()}`")
        identity()
        rag = graph()
        if not rag.exists():
            st.caption("No database here yet — add documents on the Ingest page.")
            return
        with guarded("the summary"):
            counts = _counts(str(rag.db), rag.generation, rag.principal.key if rag.principal else "")
            st.caption(
                f"{counts['Document']:,} documents · {counts['Chunk']:,} passages · "
                f"{counts['Entity']:,} entities · "
                f"{counts['RELATION']:,} relations"
            )
            changed = rag.last_changed()
            if changed is not None:
                st.caption(f"last changed {changed:%Y-%m-%d %H:%M:%S}")
            hidden = rag.access_report()
            if hidden is not None and hidden.documents_hidden:
                st.caption(f"{hidden.documents_hidden:,} documents are not visible to {rag.principal.user}")


navigation = st.navigation(pages(offers_writes(), has_store=not app_settings().server))
sidebar()
navigation.run()
