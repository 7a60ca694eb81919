"""``graphrag acl`` (who may read a document) and ``graphrag unmask`` (put masked PII back, with the vault key)."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from graphrag.api import GraphRAG
from graphrag.cli._apps import app
from graphrag.cli._common import DEFAULT_DB_PATH, DbOption, console


@app.command("acl")
def set_acl(
    target: Annotated[str, typer.Argument(help="A document id, or a file path that was ingested or imported.")],
    acl: Annotated[
        str, typer.Argument(help='Who may read it: groups, comma-separated (user:NAME for one person); "" = public.')
    ],
    db: DbOption = DEFAULT_DB_PATH,
) -> None:
    """Set who may read a document (or every document of a file): an update, nothing is re-extracted."""
    n = GraphRAG(db).set_acl(target, acl)
    console().print(f"{n} document(s) now readable by {acl or 'everyone (public)'}", markup=False)


@app.command("unmask")
def unmask(
    text: Annotated[str | None, typer.Argument(help="Text with PII placeholders (default: read stdin).")] = None,
    db: DbOption = DEFAULT_DB_PATH,
    new_key: Annotated[
        bool, typer.Option("--new-key", help="Print a new vault key for GRAPHRAG_PII_KEY and exit.")
    ] = False,
) -> None:
    """Put back the originals of the placeholders ``ingest --mask-pii`` wrote, from the store's vault; needs the
    key the store was ingested with in GRAPHRAG_PII_KEY."""
    if new_key:
        from graphrag.privacy import PiiVault

        console().print(PiiVault.generate_key(), markup=False)
        return
    source = text if text is not None else sys.stdin.read()
    console().print(GraphRAG(db).unmask(source), markup=False, end="" if text is None else "\n")
