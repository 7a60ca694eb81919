"""``graphrag cypher``, ``graphrag stats``, ``graphrag documents`` and ``graphrag delete``."""

from __future__ import annotations

import csv
import io
import json
from typing import Annotated, Any

import typer
from rich.table import Table
from rich.text import Text

from graphrag.api import GraphRAG, parse_param
from graphrag.cli._apps import app
from graphrag.cli._common import DEFAULT_DB_PATH, AsOption, DbOption, GroupsOption, console, principal_of
from graphrag.errors import ConfigError
from graphrag.store import QueryResult


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return str(value)


def _cell(value: Any) -> Text:
    """A table cell shown literally: data such as ``[REC]`` (a MetaQA film) is not rich markup."""
    if isinstance(value, dict | list):
        return Text(json.dumps(_jsonable(value), ensure_ascii=False))
    return Text(str(value))


def format_result(result: QueryResult, fmt: str) -> str:
    """Render rows as ``json`` (a list of objects) or ``csv``; ``table`` is drawn by rich instead."""
    if fmt == "json":
        return json.dumps([_jsonable(r) for r in result.records()], ensure_ascii=False, indent=2)
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf)
        w.writerow(result.columns)
        for row in result.rows:
            w.writerow([json.dumps(_jsonable(v), ensure_ascii=False) if isinstance(v, dict | list) else v for v in row])
        return buf.getvalue()
    raise ConfigError(f"unknown format {fmt!r}; choose one of: csv, json, table")


@app.command()
def cypher(
    query: Annotated[str, typer.Argument(help="The Cypher query. Values go in as $parameters (see --param).")],
    db: DbOption = DEFAULT_DB_PATH,
    param: Annotated[list[str] | None, typer.Option("--param", "-p", help="name=value, repeatable.")] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table, json or csv.")] = "table",
    write: Annotated[bool, typer.Option("--write", help="Allow queries that change data or schema.")] = False,
    as_user: AsOption = None,
    groups: GroupsOption = None,
) -> None:
    """Run a Cypher query. Read-only unless --write is given; with --as, over what that user may read."""
    params = dict(parse_param(p) for p in (param or []))
    if fmt not in ("table", "json", "csv"):
        raise ConfigError(f"unknown format {fmt!r}; choose one of: csv, json, table")
    rag = GraphRAG(db, principal=principal_of(as_user, groups))
    result = rag.write_cypher(query, **params) if write else rag.cypher(query, **params)
    out = console()
    if fmt != "table":
        out.print(format_result(result, fmt), markup=False, end="")
        return
    table = Table(show_lines=False)
    for column in result.columns:
        table.add_column(Text(column))
    for row in result.rows:
        table.add_row(*[_cell(v) for v in row])
    out.print(table)
    out.print(f"{len(result.rows)} row(s)")


@app.command()
def stats(
    db: DbOption = DEFAULT_DB_PATH,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    as_user: AsOption = None,
    groups: GroupsOption = None,
) -> None:
    """Print node and relationship counts by table, predicate and entity type."""
    s = GraphRAG(db, principal=principal_of(as_user, groups)).stats()
    out = console()
    if as_json:
        out.print(json.dumps(s, indent=2), markup=False)
        return
    t = Table("table", "count", title="Graph")
    for name, n in {**s["nodes"], **s["relationships"]}.items():
        t.add_row(name, f"{n:,}")
    out.print(t)
    if s["pending_documents"]:
        out.print(
            f"{s['pending_documents']:,} document(s) were not fully written (the writing process stopped); "
            "ingest or import them again, or `graphrag delete` them"
        )
    if s["predicates"]:
        p = Table("predicate", "triples", title="Top predicates")
        for name, n in s["predicates"].items():
            p.add_row(Text(name), f"{n:,}")
        out.print(p)
    if s["entity_types"]:
        e = Table("entity type", "entities", title="Entity types")
        for name, n in s["entity_types"].items():
            e.add_row(Text(name or "(none)"), f"{n:,}")
        out.print(e)


@app.command()
def documents(db: DbOption = DEFAULT_DB_PATH, as_user: AsOption = None, groups: GroupsOption = None) -> None:
    """List the documents in the store (with --as, those the user may read) and who may read each."""
    docs = GraphRAG(db, principal=principal_of(as_user, groups)).documents()
    t = Table("id", "source", "title")
    t.add_column("kind", no_wrap=True)
    t.add_column("chunks")
    t.add_column("acl", overflow="fold")
    for d in docs:
        kind = (d["kind"] or "") + (" (incomplete)" if d["pending"] else "")
        t.add_row(
            *[_cell(d[k] or "") for k in ("id", "source", "title")],
            _cell(kind),
            str(d["n_chunks"] or 0),
            _cell(d.get("acl") or "public"),
        )
    console().print(t)


@app.command()
def delete(
    target: Annotated[str, typer.Argument(help="A document id, or a file path that was ingested or imported.")],
    db: DbOption = DEFAULT_DB_PATH,
) -> None:
    """Remove a document (or every document of a file) and whatever only it supported."""
    removed = GraphRAG(db).delete(target)
    console().print(
        f"removed {removed['Document']} document(s), {removed['Chunk']} chunk(s), "
        f"{removed['RELATION']} triple(s), {removed['Entity']} entity(ies) no longer supported"
    )
