"""Cypher: a read-only console with the CLI's refusal rules, results as a table and as a graph."""

from __future__ import annotations

import time
from typing import Any

import streamlit as st
from ui_common import guarded, reader, require_database
from ui_graph import show_graph

from graphrag.api import parse_param
from graphrag.errors import GraphRAGError
from graphrag.explore import display_value, result_graph
from graphrag.store import QueryResult

MAX_ROWS_SHOWN = 2000
HISTORY_KEY = "cypher_history"
QUERY_KEY = "cypher_query"
PARAMS_KEY = "cypher_params"

EXAMPLES: dict[str, tuple[str, str]] = {
    "Most connected entities": (
        "MATCH (e:Entity)-[r:RELATION]-(:Entity)\n"
        "RETURN e.name AS entity, e.type AS type, count(r) AS relations\nORDER BY relations DESC LIMIT 10",
        "",
    ),
    "Relations as a graph": ("MATCH (a:Entity)-[r:RELATION]->(b:Entity)\nRETURN a, r, b LIMIT 25", ""),
    "Top predicates": (
        "MATCH ()-[r:RELATION]->()\nRETURN r.predicate AS predicate, count(*) AS n\nORDER BY n DESC LIMIT 15",
        "",
    ),
    "Documents": (
        "MATCH (d:Document)\nRETURN d.title AS title, d.source AS source, d.n_chunks AS chunks\n"
        "ORDER BY title LIMIT 20",
        "",
    ),
    "Passages mentioning an entity ($name)": (
        "MATCH (d:Document)-[:HAS_CHUNK]->(c:Chunk)-[:MENTIONS]->(e:Entity)\n"
        "WHERE lower(e.name) CONTAINS lower($name)\n"
        "RETURN e.name AS entity, d.title AS title, c.text AS passage LIMIT 10",
        "name=film",
    ),
    "Two-hop paths": ("MATCH p = (a:Entity)-[:RELATION*2..2]->(b:Entity)\nRETURN p LIMIT 10", ""),
}


def _use_example() -> None:
    name = st.session_state.get("cypher_example")
    if name in EXAMPLES:
        st.session_state[QUERY_KEY], st.session_state[PARAMS_KEY] = EXAMPLES[name]


def _use_history(i: int) -> None:
    item = st.session_state[HISTORY_KEY][i]
    st.session_state[QUERY_KEY], st.session_state[PARAMS_KEY] = item["query"], item["params"]


def _params(text: str) -> dict[str, Any]:
    return dict(parse_param(line.strip()) for line in text.splitlines() if line.strip())


def _table(result: QueryResult) -> dict[str, list[Any]]:
    """Columns of displayable values; a column mixing kinds of values is shown as text."""
    rows = result.rows[:MAX_ROWS_SHOWN]
    cols: dict[str, list[Any]] = {}
    for j, name in enumerate(result.columns):
        values = [display_value(r[j]) for r in rows]
        kinds = {type(v) for v in values if v is not None}
        if len(kinds) > 1 and not kinds <= {int, float}:
            values = [None if v is None else str(v) for v in values]
        cols[name if name not in cols else f"{name} ({j})"] = values
    return cols


def show_result(result: QueryResult, elapsed_s: float) -> None:
    """The rows as a table, and as a graph when they hold nodes, relationships or paths."""
    shown = min(len(result.rows), MAX_ROWS_SHOWN)
    st.caption(
        f"{len(result.rows):,} row(s) in {elapsed_s * 1000:.0f} ms"
        + (f" — showing the first {shown:,}" if shown < len(result.rows) else "")
    )
    view = result_graph(result)
    if view.empty:
        st.dataframe(_table(result), hide_index=True)
        return
    table_tab, graph_tab = st.tabs(["Table", "Graph"])
    with table_tab:
        st.dataframe(_table(result), hide_index=True)
    with graph_tab:
        show_graph(view, height=520)


st.title("Cypher")
st.caption(
    "Read-only: any query that would change data or schema is refused before it runs, "
    "as in `graphrag cypher`. "
    "Pass values as `$parameters`, one `name=value` per line."
)
if require_database():
    st.session_state.setdefault(HISTORY_KEY, [])
    st.session_state.setdefault(QUERY_KEY, EXAMPLES["Most connected entities"][0])
    st.session_state.setdefault(PARAMS_KEY, "")
    st.selectbox(
        "Example queries",
        list(EXAMPLES),
        index=None,
        key="cypher_example",
        on_change=_use_example,
        placeholder="Pick an example…",
    )
    with st.form("cypher_form"):
        query = st.text_area("Query", key=QUERY_KEY, height=140)
        params_text = st.text_area("Parameters", key=PARAMS_KEY, height=68, placeholder="name=Tom Hanks")
        submitted = st.form_submit_button("Run", type="primary")
    if submitted:
        entry: dict[str, Any] = {"query": query, "params": params_text, "rows": None, "error": None}
        st.session_state[HISTORY_KEY].insert(0, entry)
        try:
            params = _params(params_text)
            with guarded("the query"):
                t0 = time.perf_counter()
                result = reader().cypher(query, **params)
                elapsed = time.perf_counter() - t0
                entry["rows"] = len(result.rows)
                show_result(result, elapsed)
        except GraphRAGError as exc:  # bad parameters
            st.error(str(exc))
        if entry["rows"] is None:
            entry["error"] = True
    history = st.session_state[HISTORY_KEY]
    if history:
        with st.expander(f"History ({len(history)})", expanded=False):
            for i, item in enumerate(history[:50]):
                c1, c2 = st.columns([6, 1])
                status = "error" if item["error"] else f"{item['rows']} row(s)"
                c1.code(
                    item["query"] + (f"\n// {item['params']}" if item["params"] else ""), language="cypher"
                )
                c2.caption(status)
                c2.button("Load", key=f"cypher_hist_{i}_{len(history)}", on_click=_use_history, args=(i,))
