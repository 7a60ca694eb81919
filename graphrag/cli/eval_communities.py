"""``graphrag eval communities``: modularity, purity, gold passages together, and global-question coverage."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from graphrag.api import GraphRAG
from graphrag.cli._apps import eval_app
from graphrag.cli._common import DEFAULT_DB_PATH, DbOption, console
from graphrag.errors import InputError


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
    from graphrag.eval.communities import gold_together, load_global_questions, purity, score_global

    rag = GraphRAG(db)
    views = rag.communities.list()
    if not views:
        raise InputError(f"no communities in {db}: run `graphrag communities build --db {db}` first")
    report: dict[str, object] = {"db": str(db), "communities": len(views)}
    with rag.reading() as store:
        from graphrag.communities import load_entity_graph, modularity
        from graphrag.communities.leiden import Community

        graph = load_entity_graph(store)
        tree = [Community(v.community.id, v.community.level, v.members, v.community.parent) for v in views]
        report["modularity"] = round(modularity(graph, tree, 0), 4)
        if label_predicate:
            report["purity"] = purity(store, label_predicate)
        if gold_titles is not None:
            try:
                titles = json.loads(gold_titles.read_text(encoding="utf-8"))
            except (OSError, json.JSONDecodeError) as exc:
                raise InputError(f"cannot read gold titles: {exc}", path=str(gold_titles)) from None
            report["gold_together"] = gold_together(store, titles)
    if questions is not None:
        qs = load_global_questions(questions)
        report["global"] = score_global(qs, lambda q: rag.communities.ask(q, level=level))
    text = json.dumps(report, indent=2, ensure_ascii=False)
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")
    console().print(text, markup=False)
