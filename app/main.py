"""The GraphRAG explorer: ``graphrag app [--db DIR]`` or ``streamlit run app/main.py -- --db DIR``.

Pages: Ask, Explore, Communities, Cypher, Ingest, Evaluate. The sidebar picks the database and shows its size.
"""

from __future__ import annotations

import streamlit as st
from ui_common import DB_KEY, db_path, graph, guarded

st.set_page_config(page_title="GraphRAG explorer", page_icon=":material/hub:", layout="wide")

PAGES = [
    st.Page("pages/ask.py", title="Ask", icon=":material/question_answer:", default=True),
    st.Page("pages/explore.py", title="Explore", icon=":material/travel_explore:"),
    st.Page("pages/communities.py", title="Communities", icon=":material/bubble_chart:"),
    st.Page("pages/cypher.py", title="Cypher", icon=":material/terminal:"),
    st.Page("pages/ingest.py", title="Ingest", icon=":material/upload_file:"),
    st.Page("pages/evaluate.py", title="Evaluate", icon=":material/analytics:"),
]


@st.cache_data(show_spinner=False, max_entries=16)
def _counts(path: str, generation: int) -> dict[str, int]:
    """Node and relationship counts; cached until the database changes (``generation``)."""
    del path, generation  # cache keys
    s = graph().stats(top_predicates=1)
    return {**s["nodes"], **s["relationships"]}


def sidebar() -> None:
    """Database picker and a one-glance summary of what it holds."""
    with st.sidebar:
        db_path()  # make sure the session has a database path before the widget reads it
        st.text_input("Database", key=DB_KEY, help="A Kuzu database directory or file (graphrag --db).")
        rag = graph()
        if not rag.exists():
            st.caption("No database here yet — add documents on the Ingest page.")
            return
        with guarded("the summary"):
            counts = _counts(str(rag.db), rag.generation)
            st.caption(
                f"{counts['Document']:,} documents · {counts['Chunk']:,} passages · "
                f"{counts['Entity']:,} entities · "
                f"{counts['RELATION']:,} relations"
            )
            changed = rag.last_changed()
            if changed is not None:
                st.caption(f"last changed {changed:%Y-%m-%d %H:%M:%S}")


navigation = st.navigation(PAGES)
sidebar()
navigation.run()
