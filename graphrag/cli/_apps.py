"""The Typer applications that command modules register on."""

from __future__ import annotations

import typer

app = typer.Typer(
    name="graphrag",
    help="Offline GraphRAG: text to a Kuzu knowledge graph, GNN-RAG and hybrid retrieval, cited answers.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # help texts show [brackets] literally (MetaQA marks topic entities with them)
)
eval_app = typer.Typer(
    help="Measure extraction, retrieval and KGQA quality.", no_args_is_help=True, rich_markup_mode=None
)
app.add_typer(eval_app, name="eval")
schema_app = typer.Typer(
    help="Extraction schemas: propose one from an ingested store, check one.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(schema_app, name="schema")
communities_app = typer.Typer(
    help="Communities of the entity graph: build them (incrementally), list them with their reports.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(communities_app, name="communities")
