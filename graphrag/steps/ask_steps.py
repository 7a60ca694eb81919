"""Steps that use retrieval: ``ask`` (answer a list of questions) and ``eval-retrieval`` (the 2Wiki
benchmark).

::

    [[steps]]
    kind = "ask"
    questions = ["Who directed Gaby: A True Story?"]
    llm = "local"            # local, none, openai, ollama
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
"""

from __future__ import annotations

import dataclasses
import os
from typing import Any

from rich.markup import escape

from graphrag.config import AnswerConfig, RetrieveConfig, from_dict
from graphrag.errors import ConfigError
from graphrag.pipeline import RunContext, check_options, register_step

_ASK_KEYS = {"questions", "llm", "k", "model", "gnn", "retrieve", "answer"}
_EVAL_KEYS = {"corpus", "questions", "gold", "out", "db", "limit", "ingest", "retrieve"}


@register_step("ask")
def ask_step(params: dict[str, Any], ctx: RunContext) -> dict[str, Any]:
    """Answer each of ``questions`` over the spec's store; prints answer, citations and timings."""
    from graphrag.generate.answer import build_answerer
    from graphrag.store import KuzuGraphStore

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
    answer_keys = set((params.get("answer") or {}).keys())
    passive = os.environ.get("OMP_WAIT_POLICY", "").upper() == "PASSIVE"
    if not passive and not answer_keys & {"threads", "batch_tokens"}:
        # Earlier steps started OpenMP with spinning waiters (see prefer_passive_openmp); llama.cpp's batched
        # kernels then crawl on 2 busy cores (55 s for one answer, measured); one thread, one token: 6 s.
        changes.update(threads=1, batch_tokens=1)
    acfg = AnswerConfig(**{**acfg.__dict__, **changes})
    from graphrag.retrieve.base import limit_blas_threads

    limit_blas_threads(1)
    answers = []
    with KuzuGraphStore(ctx.store.db, read_only=True) as store:
        answerer = build_answerer(store, rcfg, acfg)
        for q in questions:
            res = answerer.answer(q)
            a = res.answer
            ctx.out.print(f"[bold]Q:[/] {escape(a.question)}")
            ctx.out.print(f"[bold]A[/] ({escape(res.llm)}): {escape(a.text)}")
            for note in res.notes:
                ctx.out.print(f"   note: {escape(note)}", style="yellow")
            for cand in a.candidates[:3]:
                why = f" via {cand.paths[0].verbalise()}" if cand.paths else ""
                ctx.out.print(f"   candidate {escape(cand.name)} (p={cand.score:.2f}){escape(why)}")
            shown = a.citations or res.sources
            for c in shown[: acfg.top_k]:
                ctx.out.print(f"   [{c.number}] {escape(c.title)}")
            ctx.out.print(
                "   " + " · ".join(f"{k} {v * 1000:.0f} ms" for k, v in a.timings_s.items()), style="dim"
            )
            answers.append(
                {
                    "question": a.question,
                    "answer": a.text,
                    "cited": [c.title for c in a.citations],
                    "candidates": [{"name": c.name, "probability": round(c.score, 4)} for c in a.candidates[:10]],
                    "total_s": round(a.timings_s.get("total", 0.0), 3),
                }
            )
    return {"answers": answers}


@register_step("eval-retrieval")
def eval_retrieval_step(params: dict[str, Any], ctx: RunContext) -> dict[str, Any]:
    """Run the retrieval benchmark (see ``graphrag eval retrieval``); ``db`` defaults to the spec's store."""
    from graphrag.cli.eval_retrieval import run_benchmark

    check_options("eval-retrieval", params, _EVAL_KEYS, required=("corpus", "questions", "gold", "out"))
    cfg = from_dict(RetrieveConfig, params.get("retrieve"), section="steps.retrieve")
    return run_benchmark(
        ctx.path(params["corpus"]),
        ctx.path(params["questions"]),
        ctx.path(params["gold"]),
        ctx.path(params["out"]),
        db=ctx.path(params["db"]) if "db" in params else ctx.path(ctx.store.db),
        limit=int(params.get("limit", 0)),
        config=cfg,
        ingest_corpus=bool(params.get("ingest", True)),
    )
