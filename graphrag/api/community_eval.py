"""The ``communities`` evaluation job (``graphrag eval communities``, ``rag.evaluate("communities", ...)``)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from graphrag.errors import InputError

if TYPE_CHECKING:
    from graphrag.api.graphrag import GraphRAG


def communities_job(
    rag: GraphRAG,
    *,
    questions: str | Path | None = None,
    label_predicate: str = "",
    gold_titles: str | Path | None = None,
    level: int = 0,
    out: str | Path | None = None,
) -> dict[str, Any]:
    """Modularity of the stored communities; purity against ``label_predicate``; how often a question's gold
    passages share a community (``gold_titles``, 2Wiki's ``gold_titles.json``); coverage of global questions
    (``questions``, a JSON list of ``{question, expected}``) answered at ``level``. Writes ``out`` when given."""
    from graphrag.communities import Community, load_entity_graph, modularity
    from graphrag.eval.communities import gold_together, load_global_questions, purity, score_global

    views = rag.communities.list()
    if not views:
        raise InputError(f"no communities in {rag.db}: run `graphrag communities build --db {rag.db}` first")
    report: dict[str, Any] = {"db": str(rag.db), "communities": len(views)}
    with rag.reading() as store:
        graph = load_entity_graph(store)
        tree = [Community(v.community.id, v.community.level, v.members, v.community.parent) for v in views]
        report["modularity"] = round(modularity(graph, tree, 0), 4)
        if label_predicate:
            report["purity"] = purity(store, label_predicate)
        if gold_titles is not None:
            try:
                titles = json.loads(Path(gold_titles).read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
                raise InputError(f"cannot read gold titles: {exc}", path=str(gold_titles)) from None
            report["gold_together"] = gold_together(store, titles)
    if questions is not None:
        qs = load_global_questions(questions)
        report["global"] = score_global(qs, lambda q: rag.communities.ask(q, level=level))
    if out is not None:
        path = Path(out)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(report, indent=2, ensure_ascii=False), encoding="utf-8")
        report["report"] = str(path)
    return report


__all__ = ["communities_job"]
