"""Steps that read the graph: ``stats`` and ``cypher`` (read-only sample queries)."""

from __future__ import annotations

from typing import Any

from rich.markup import escape
from rich.table import Table

from graphrag.api.steps.context import RunContext
from graphrag.errors import ConfigError


def stats_step(params: dict[str, Any], ctx: RunContext) -> dict[str, Any]:
    """Print node/relationship counts."""
    if params:
        raise ConfigError(f"stats step takes no options, got {sorted(params)}")
    s = ctx.rag.stats()
    t = Table("table", "count", title="Graph")
    for name, n in {**s["nodes"], **s["relationships"]}.items():
        t.add_row(escape(name), f"{n:,}")
    ctx.out.print(t)
    return s


def cypher_step(params: dict[str, Any], ctx: RunContext) -> dict[str, Any]:
    """Run read-only queries: ``queries = [{title = "...", query = "...", params = {...}}, ...]``."""
    queries = params.pop("queries", None)
    if params or not isinstance(queries, list):
        raise ConfigError("cypher step needs only `queries`, a list of {title, query, params}")
    n_rows = []
    for q in queries:
        result = ctx.rag.cypher(q["query"], **(q.get("params") or {}))
        t = Table(*[escape(c) for c in result.columns], title=escape(q.get("title", q["query"])))
        for row in result.rows:
            t.add_row(*[escape(str(v)) for v in row])
        ctx.out.print(t)
        n_rows.append(len(result.rows))
    return {"rows": n_rows}


__all__ = ["cypher_step", "stats_step"]
