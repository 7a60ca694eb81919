"""``graphrag eval communities``: modularity, purity, gold passages together, and global-question coverage."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from graphrag.api import GraphRAG
from graphrag.cli._apps import eval_app
from graphrag.cli._common import DEFAULT_DB_PATH, DbOption, console


@eval_app.command("communities")
def communities(
    db: DbOption = DEFAULT_DB_PATH,
    questions: Annotated[
        Path | None, typer.Option("--questions", help="Global questions: a JSON list of {question, expected}.")
    ] = None,
    label_predicate: Annotated[
        str, typer.Option("--label-predicate", help="Purity against this predicate's objects (e.g. has_genre).")
    ] = "",
    gold_titles: Annotated[
        Path | None, typer.Option("--gold-titles", help="2Wiki gold_titles.json: are gold passages together?")
    ] = None,
    level: Annotated[int, typer.Option("--level", min=0, help="Community level global questions read.")] = 0,
    out: Annotated[Path | None, typer.Option("--out", help="Write the report JSON here.")] = None,
) -> None:
    """Measure the stored communities (build them first with `graphrag communities build`)."""
    report = GraphRAG(db).evaluate(
        "communities",
        questions=questions,
        label_predicate=label_predicate,
        gold_titles=gold_titles,
        level=level,
        out=out,
    )
    console().print(json.dumps(report, indent=2, ensure_ascii=False), markup=False)
