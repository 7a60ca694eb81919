"""Steps that use retrieval: ``ask`` (answer a list of questions) and ``eval-retrieval`` (the 2Wiki
benchmark).

::

    [[steps]]
    kind = "ask"
    questions = ["Who directed Gaby: A True Story?"]
    llm = "extractive"       # extractive (default), local, none, openai, ollama
    k = 5
    gnn = "auto"             # GNN-RAG: auto (the store's trained checkpoint, if any), off, or a .pt path
    [steps.retrieve]         # optional RetrieveConfig overrides
    components = { bm25 = 1.0, vector = 1.0, graph = 2.0 }

    [[steps]]
    kind = "eval-retrieval"
    corpus = "/path/2wikimultihopqa_corpus.json.gz"
    questions = "/path/questions.json"
    gold = "/path/gold_titles.json"
    out = "data/work/reports/retrieval_2wiki.json"
    hide_titles = false      # true: an untitled copy of the corpus (give it a db of its own)
"""

from __future__ import annotations

import dataclasses
from typing import Any

from rich.markup import escape

from graphrag.api.steps.context import RunContext, check_options
from graphrag.config import AnswerConfig, RetrieveConfig, from_dict
from graphrag.errors import ConfigError

_ASK_KEYS = {"questions", "llm", "k", "model", "gnn", "retrieve", "answer"}
_EVAL_KEYS = {"corpus", "questions", "gold", "out", "db", "limit", "ingest", "hide_titles", "retrieve"}


def ask_step(params: dict[str, Any], ctx: RunContext) -> dict[str, Any]:
    """Answer each of ``questions`` over the spec's store; prints answer, citations and timings."""
    from graphrag.api.graphrag import GraphRAG

    check_options("ask", params, _ASK_KEYS)
    questions = params.get("questions")
    if not isinstance(questions, list) or not questions or not all(isinstance(q, str) for q in questions):
        raise ConfigError("ask step needs `questions`, a non-empty list of strings")
    rcfg = from_dict(RetrieveConfig, params.get("retrieve"), section="steps.retrieve")
    if "gnn" in params:
        rcfg = dataclasses.replace(rcfg, gnn=str(params["gnn"]))
    acfg = from_dict(AnswerConfig, params.get("answer"), section="steps.answer")
    changes = {k: params[k] for k in ("llm", "model") if k in params}
    if "k" in params:
        changes["top_k"] = int(params["k"])
    acfg = dataclasses.replace(acfg, **changes)
    config = dataclasses.replace(ctx.rag.config, retrieve=rcfg, answer=acfg)
    rag = GraphRAG(ctx.rag.db, config=config, runtime=ctx.rag.runtime)
    answers = []
    for q in questions:
        res = rag.ask(q)
        a = res.answer
        ctx.out.print(f"[bold]Q:[/] {escape(a.question)}")
        backing = f" [dim](support {res.support.score:.2f})[/]" if res.support is not None else ""
        ctx.out.print(f"[bold]A[/] ({escape(res.llm)}): {escape(a.text)}{backing}")
        for note in res.notes:
            ctx.out.print(f"   note: {escape(note)}", style="yellow")
        for cand in a.candidates[:3]:
            why = f" via {cand.paths[0].verbalise()}" if cand.paths else ""
            ctx.out.print(f"   candidate {escape(cand.name)} (p={cand.score:.2f}){escape(why)}")
        shown = a.citations or res.sources
        for c in shown[: acfg.top_k]:
            ctx.out.print(f"   [{c.number}] {escape(c.title)}")
        ctx.out.print("   " + " · ".join(f"{k} {v * 1000:.0f} ms" for k, v in a.timings_s.items()), style="dim")
        answers.append(
            {
                "question": a.question,
                "answer": a.text,
                "cited": [c.title for c in a.citations],
                "support": round(res.support.score, 4) if res.support is not None else None,
                "candidates": [{"name": c.name, "probability": round(c.score, 4)} for c in a.candidates[:10]],
                "total_s": round(a.timings_s.get("total", 0.0), 3),
            }
        )
    return {"answers": answers}


def eval_retrieval_step(params: dict[str, Any], ctx: RunContext) -> dict[str, Any]:
    """Run the retrieval benchmark (see ``graphrag eval retrieval``); ``db`` defaults to the spec's store."""
    from graphrag.eval.retrieval import summary_table
    from graphrag.extract.progress import make_progress

    check_options("eval-retrieval", params, _EVAL_KEYS, required=("corpus", "questions", "gold", "out"))
    cfg = from_dict(RetrieveConfig, params.get("retrieve"), section="steps.retrieve")
    progress = make_progress(ctx.err)
    try:
        summary = ctx.graph(params.get("db")).evaluate(
            "retrieval",
            corpus=ctx.path(params["corpus"]),
            questions=ctx.path(params["questions"]),
            gold=ctx.path(params["gold"]),
            out=ctx.path(params["out"]),
            limit=int(params.get("limit", 0)),
            ingest=bool(params.get("ingest", True)),
            hide_titles=bool(params.get("hide_titles", False)),
            retrieve=cfg,
            ingest_progress=progress,
            log=ctx.log(),
        )
    finally:
        progress.close()
    ctx.out.print(summary_table(summary["systems"], n_questions=summary["questions"]))
    return summary


__all__ = ["ask_step", "eval_retrieval_step"]
