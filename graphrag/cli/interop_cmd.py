"""``graphrag migrate`` (copy a store to the other engine, Kuzu 0.11.3 <-> LadybugDB, checked table by table) and
``graphrag export`` (GraphML, Neo4j admin-import CSV, JSON Lines, Parquet)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from graphrag.api import GraphRAG
from graphrag.cli._apps import app
from graphrag.cli._common import DEFAULT_DB_PATH, AsOption, DbOption, GroupsOption, console, principal_of


@app.command("migrate")
def migrate_command(
    to: Annotated[str, typer.Option("--to", help="The engine of the copy: ladybug or kuzu.")],
    out: Annotated[Path, typer.Option("--out", help="Where the new store goes (must not exist).")],
    db: DbOption = DEFAULT_DB_PATH,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Copy the store to another engine (export, import in a fresh process, then the same rows and ids checked in
    every table). The original is left as it is; open the copy with `--db OUT` (its engine is detected)."""
    from graphrag.store.table_io import migrate

    report = migrate(db.expanduser().resolve(), out.expanduser().resolve(), to)
    c = console()
    if as_json:
        c.print(json.dumps(report, indent=1), markup=False)
        return
    t = Table("table", "rows", title=f"{db} ({report['from']}) -> {out} ({report['to']}): every table checked")
    for name, v in report["tables"].items():
        t.add_row(name, f"{v['rows']:,}")
    c.print(t)
    c.print(f"export {report['export_s']} s, import and check {report['import_s']} s", markup=False)


@app.command("export")
def export_command(
    fmt: Annotated[str, typer.Option("--format", "-f", help="graphml, neo4j-csv, jsonl or parquet.")],
    out: Annotated[Path, typer.Option("--out", help="A file (graphml, jsonl) or a folder (neo4j-csv, parquet).")],
    db: DbOption = DEFAULT_DB_PATH,
    embeddings: Annotated[
        bool | None,
        typer.Option("--embeddings/--no-embeddings", help="Include embedding vectors (default: only in parquet)."),
    ] = None,
    as_user: AsOption = None,
    groups: GroupsOption = None,
) -> None:
    """Write the graph for other tools, provenance kept: GraphML (Gephi, yEd, networkx), the Neo4j admin-import
    CSV layout (with import.sh), JSON Lines (APOC's layout) or Parquet (one file per table). With --as, only what
    that user may read."""
    report = GraphRAG(db, principal=principal_of(as_user, groups)).export(fmt, out, embeddings=embeddings)
    console().print(
        f"{report['format']}: {report['nodes']:,} nodes, {report['edges']:,} edges -> {report['out']} "
        f"({report['seconds']} s)",
        markup=False,
    )
