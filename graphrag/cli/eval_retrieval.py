"""``graphrag eval retrieval``: Recall@2/@5 and latency of BM25, dense, fused, graph and hybrid retrieval."""

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
