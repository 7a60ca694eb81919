"""The ``eval-triples`` step (text-to-triples precision / recall / F1 on WebNLG) and the ``eval-kg`` step (how
many gold evidence triples a store's graph holds).

Options (a spec's ``[[steps]]`` table)::

    kind = "eval-triples"
    gold = "/path/to/webnlg2020_text2rdf/test_en.jsonl"   # or the original .xml
    out = "data/work/reports/webnlg_triples.json"         # a Markdown summary is written next to it
    limit = 200                                          # optional: only the first N texts
    embedder = "minilm"                                  # entity resolution embedder: minilm, hashing or none
    batch_size = 64                                      # optional: spaCy nlp.pipe batch size

    kind = "eval-kg"
    questions = "../shared/data/2wikimultihopqa/questions.json"  # a file with `evidence` triples
    out = "data/work/reports/kg_2wiki.json"
    db = "data/work/2wiki.kuzu"                          # optional: another store than the spec's
    title_map = "..."                                    # optional: titles.json of an untitled corpus copy

    kind = "eval-qa"                                     # answer EM / F1, citations, abstention, latency
    questions = "../shared/data/2wikimultihopqa/questions.json"  # 2Wiki-style JSON or MetaQA lines
    out = "data/work/reports/qa_2wiki.json"
    gold = "../shared/data/2wikimultihopqa/gold_titles.json"     # optional: gold passage titles
    answerers = ["extractive", "local"]                  # optional (default: extractive)
    limit = 100                                          # optional: the first N questions
    absent = true                                        # optional: also ask about invented entities
    workers = 4                                          # optional: questions at a time (remote models)
    model = "..."; base_url = "http://127.0.0.1:8000/v1" # optional: the endpoint of openai / ollama
    db = "data/work/2wiki.kuzu"                          # optional: another store than the spec's
"""

from __future__ import annotations

from typing import Any

from graphrag.api.steps.context import RunContext, check_options
from graphrag.config import NLPConfig
from graphrag.errors import ConfigError

_OPTIONS = ("gold", "out", "limit", "embedder", "batch_size")


def eval_triples_step(params: dict[str, Any], ctx: RunContext) -> dict[str, Any]:
    """Score the extractor on a WebNLG gold file; returns the overall precision / recall / F1."""
    from graphrag.eval.triple_eval import report_tables

    check_options("eval-triples", params, _OPTIONS)
    for key in ("gold", "out"):
        if not isinstance(params.get(key), str):
            raise ConfigError(f"eval-triples step needs `{key}`, a path")
    limit = params.get("limit")
    if limit is not None and (not isinstance(limit, int) or limit < 1):
        raise ConfigError(f"eval-triples step: `limit` must be a positive integer, got {limit!r}")
    report = ctx.rag.evaluate(
        "triples",
        gold=ctx.path(params["gold"]),
        out=ctx.path(params["out"]),
        limit=limit,
        embedder=str(params.get("embedder", "minilm")),
        batch_size=int(params.get("batch_size", NLPConfig().batch_size)),
    )
    for table in report_tables(report):
        ctx.out.print(table)
    files = report["files"]
    ctx.out.print(f"wrote {files['json']} and {files['markdown']}", markup=False)
    return {"micro": report["micro"], "n_samples": report["n_samples"], "report": files["json"]}


def eval_kg_step(params: dict[str, Any], ctx: RunContext) -> dict[str, Any]:
    """Score a store's graph against gold evidence triples; writes the report and the sample to judge."""
    check_options("eval-kg", params, ("questions", "out", "db", "title_map"), required=("questions", "out"))
    title_map = ctx.path(params["title_map"]) if params.get("title_map") else None
    data = ctx.graph(params.get("db")).evaluate(
        "kg", questions=ctx.path(params["questions"]), out=ctx.path(params["out"]), title_map=title_map
    )
    ctx.out.print(
        f"{data['facts']:,} gold triples: entity-pair recall {data['entity_pair_recall']:.1f} % "
        f"(edge anywhere {data['edge_anywhere']:.1f} %, co-mentioned {data['co_mentioned']:.1f} %)",
        markup=False,
    )
    return {k: data[k] for k in ("facts", "entity_pair_recall", "edge_anywhere", "co_mentioned", "report")}


_QA_OPTIONS = ("questions", "out", "gold", "answerers", "limit", "absent", "workers", "model", "base_url", "db")


def eval_qa_step(params: dict[str, Any], ctx: RunContext) -> dict[str, Any]:
    """Answer quality of one or more answerers through ``ask``; writes the report, its table and plot."""
    check_options("eval-qa", params, _QA_OPTIONS, required=("questions", "out"))
    answerers = params.get("answerers", ["extractive"])
    if not isinstance(answerers, list) or not answerers or not all(isinstance(a, str) for a in answerers):
        raise ConfigError(f"eval-qa step: `answerers` must be a list of names, got {answerers!r}")
    for key in ("limit", "workers"):
        value = params.get(key, 0 if key == "limit" else 1)
        if not isinstance(value, int) or value < (0 if key == "limit" else 1):
            raise ConfigError(f"eval-qa step: `{key}` must be a whole number, got {value!r}")
    data = ctx.graph(params.get("db")).evaluate(
        "qa",
        questions=ctx.path(params["questions"]),
        out=ctx.path(params["out"]),
        answerers=answerers,
        gold=ctx.path(params["gold"]) if params.get("gold") else None,
        limit=int(params.get("limit", 0)),
        absent=bool(params.get("absent", False)),
        workers=int(params.get("workers", 1)),
        model=params.get("model"),
        base_url=params.get("base_url"),
    )
    for a in data["answerers"]:
        ctx.out.print(
            f"{a['answerer']}: EM {a['exact_match']:.1f}  F1 {a['f1']:.1f}  abstained {a['abstention_rate']:.1f} %  "
            f"p95 {a['latency_ms']['p95']:.0f} ms",
            markup=False,
        )
    ctx.out.print(f"wrote {data['report']} and {data['table']}", markup=False)
    return {"answerers": {a["answerer"]: {"f1": a["f1"], "exact_match": a["exact_match"]} for a in data["answerers"]},
            "report": data["report"]}  # fmt: skip


__all__ = ["eval_kg_step", "eval_qa_step", "eval_triples_step"]
