"""``graphrag schema suggest`` (a schema from an ingested store) and ``graphrag schema check FILE``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from graphrag.api import GraphRAG
from graphrag.cli._apps import schema_app
from graphrag.cli._common import DEFAULT_DB_PATH, DbOption, console, err_console


@schema_app.command("suggest")
def suggest_command(
    db: DbOption = DEFAULT_DB_PATH,
    out: Annotated[Path | None, typer.Option("--out", help="Write the TOML here (default: print it).")] = None,
    top: Annotated[int, typer.Option("--top", min=1, help="How many of the most frequent predicates.")] = 30,
    min_count: Annotated[int, typer.Option("--min-count", min=1, help="Least edges a predicate needs.")] = 2,
) -> None:
    """Propose a schema from the store's most frequent predicates (with example edges) to edit and pass to
    `graphrag ingest --schema`."""
    from graphrag.extract.schema import schema_toml

    suggestion = GraphRAG(db).suggest_schema(top=top, min_count=min_count)
    if not suggestion.schema.relations:
        message = f"the store at {db} has no relations with {min_count} or more edges to suggest from"
        err_console().print(message, soft_wrap=True, markup=False)
        raise typer.Exit(1)
    text = (
        "# Proposed by `graphrag schema suggest`: edit names, add aliases and descriptions, delete what you do not\n"
        "# want, then run `graphrag ingest --schema THIS_FILE`.\n\n"
        + schema_toml(suggestion.schema, suggestion.comments)
    )
    if out is None:
        console().print(text, markup=False)
    else:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")
        err_console().print(f"wrote {len(suggestion.schema.relations)} relations to {out}")


@schema_app.command("check")
def check_command(path: Annotated[Path, typer.Argument(help="A schema TOML file.")]) -> None:
    """Parse a schema file and list its types and relations (a bad file fails naming the entry at fault)."""
    from graphrag.extract.schema import load_schema

    schema = load_schema(path)
    out = console()
    out.print(f"{path}: {len(schema.entity_types)} entity types, {len(schema.relations)} relations", markup=False)
    for r in schema.relations:
        ends = f" ({', '.join(r.subject_types) or 'any'} -> {', '.join(r.object_types) or 'any'})"
        out.print(f"  {r.name}{ends}: {', '.join(r.aliases + r.inverse_aliases)}", markup=False)
