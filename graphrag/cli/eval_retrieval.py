"""``graphrag eval retrieval`` (Recall@2/@5 and latency of BM25, dense, fused, graph and hybrid retrieval) and
``graphrag eval kg`` (how many gold evidence triples the extracted graph holds)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from graphrag.api import GraphRAG
from graphrag.cli._apps import eval_app
from graphrag.cli._common import console, err_console
from graphrag.config import GraphRAGConfig

DEFAULT_BENCH_DB = Path("data/work/2wiki.kuzu")


@eval_app.command("retrieval")
def retrieval(
    corpus: Annotated[
        Path, typer.Option("--corpus", help="Passages: JSON/JSONL of {title, text}, maybe .gz.")
    ],
    questions: Annotated[
        Path, typer.Option("--questions", help="questions.json (id, question, question_type).")
    ],
    gold: Annotated[Path, typer.Option("--gold", help="gold_titles.json: question id -> [passage titles].")],
    out: Annotated[Path, typer.Option("--out", help="Report JSON (a .md table is written beside it).")],
    db: Annotated[
        Path, typer.Option("--db", help="Database holding (or to hold) the corpus.")
    ] = DEFAULT_BENCH_DB,
    limit: Annotated[int, typer.Option("--limit", help="Score only the first N questions (0: all).")] = 0,
    config: Annotated[Path | None, typer.Option("--config", help="TOML with a [retrieve] section.")] = None,
    ingest_corpus: Annotated[
        bool,
        typer.Option("--ingest/--no-ingest", help="Ingest the corpus first (skips what is already stored)."),
    ] = True,
    hide_titles: Annotated[
        bool,
        typer.Option(
            "--hide-titles",
            help="Replace every passage title by an opaque id (doc-00001 ...) first, to measure retrieval from "
            "the text alone; give it a --db of its own.",
        ),
    ] = False,
) -> None:
    """Benchmark the retrievers in one run on one index (ingesting the corpus if needed)."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from graphrag.eval.retrieval import summary_table
    from graphrag.extract.progress import make_progress

    cfg = GraphRAGConfig.from_toml(config) if config else GraphRAGConfig()
    rag = GraphRAG(db, config=cfg)
    err = err_console()
    ingest_progress = make_progress(err) if ingest_corpus else None
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    bar = Progress(*columns, console=err, transient=True)

    def factory(name: str, total: int):  # noqa: ANN202 - a progress callback
        if ingest_progress is not None:
            ingest_progress.close()  # rich shows one live display at a time; ingest is over by now
        bar.start()
        task = bar.add_task(name, total=total)
        return lambda done: bar.update(task, completed=done)

    try:
        summary = rag.evaluate(
            "retrieval",
            corpus=corpus,
            questions=questions,
            gold=gold,
            out=out,
            limit=limit,
            ingest=ingest_corpus,
            hide_titles=hide_titles,
            ingest_progress=ingest_progress,
            progress_factory=factory,
            log=err.print,
        )
    finally:
        bar.stop()
        if ingest_progress is not None:
            ingest_progress.close()
    console().print(summary_table(summary["systems"], n_questions=summary["questions"]))
    err.print(f"report: {summary['report']} and {summary['table']}")


@eval_app.command("kg")
def kg(
    questions: Annotated[
        Path, typer.Option("--questions", help="2WikiMultiHopQA questions.json (with `evidence` triples).")
    ],
    out: Annotated[Path, typer.Option("--out", help="Report JSON (a .md table is written beside it).")],
    db: Annotated[Path, typer.Option("--db", help="The store built from the questions' corpus.")] = DEFAULT_BENCH_DB,
    title_map: Annotated[
        Path | None,
        typer.Option("--title-map", help="titles.json of an untitled corpus copy (original title -> stored id)."),
    ] = None,
    schema: Annotated[
        Path | None,
        typer.Option("--schema", help="A schema whose relations are named like the gold ones: adds strict recall."),
    ] = None,
) -> None:
    """How many gold evidence triples the extracted graph holds (entity-pair recall, and where the rest is lost)."""
    data = GraphRAG(db).evaluate("kg", questions=questions, out=out, title_map=title_map, schema=schema)
    strict = f", strict recall {data['strict_recall']:.1f} %" if data.get("strict_recall") is not None else ""
    console().print(
        f"{data['facts']:,} gold triples: entity-pair recall {data['entity_pair_recall']:.1f} %{strict} "
        f"(edge anywhere {data['edge_anywhere']:.1f} %, co-mentioned {data['co_mentioned']:.1f} %)"
    )
    err_console().print(f"report: {data['report']} and {data['table']}")
