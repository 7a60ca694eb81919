"""``graphrag eval retrieval``: Recall@2/@5 and latency of BM25, dense, fused, graph and hybrid retrieval."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from graphrag.cli._apps import eval_app
from graphrag.cli._common import console, err_console
from graphrag.config import RetrieveConfig, from_dict, load_toml

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
    from graphrag.generate.llm import prefer_passive_openmp

    prefer_passive_openmp()  # before torch loads: spinning OpenMP waiters distort latency on a busy machine
    cfg = from_dict(RetrieveConfig, (load_toml(config) if config else {}).get("retrieve"), section="retrieve")
    run_benchmark(corpus, questions, gold, out, db=db, limit=limit, config=cfg, ingest_corpus=ingest_corpus)


def run_benchmark(
    corpus: Path,
    questions: Path,
    gold: Path,
    out: Path,
    *,
    db: Path,
    limit: int = 0,
    config: RetrieveConfig | None = None,
    ingest_corpus: bool = True,
) -> dict:
    """Load the questions, ingest the corpus if asked, run the benchmark, write and print the report.

    Shared by this command and the ``eval-retrieval`` pipeline step; returns the report's summary.
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from graphrag.eval.retrieval import run_retrieval_benchmark
    from graphrag.eval.twowiki import load_gold, load_questions
    from graphrag.retrieve.base import limit_blas_threads

    err = err_console()
    qs = load_questions(questions, load_gold(gold))
    if limit > 0:
        qs = qs[:limit]
    if ingest_corpus:
        from graphrag.extract.ingest import ingest
        from graphrag.extract.progress import make_progress

        err.print(f"ingesting {corpus} into {db} (documents already stored are skipped)")
        report = ingest([corpus], db=db, progress=make_progress(err))
        err.print(
            f"ingest: {report.documents_loaded} document(s) loaded, {report.documents_unchanged} unchanged"
        )
    limit_blas_threads(
        1
    )  # after ingest (which may use every core): latency is measured one question at a time
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
    ) as bar:

        def factory(name: str, total: int):  # noqa: ANN202 - a progress callback
            task = bar.add_task(name, total=total)
            return lambda done: bar.update(task, completed=done)

        bench = run_retrieval_benchmark(
            questions=qs, db=db, config=config, log=err.print, progress_factory=factory
        )
    json_path, md_path = bench.write(out)
    t = Table("retriever", "R@2", "R@5", "p50 ms", "p95 ms", title=f"Retrieval on {len(qs)} questions")
    for s in bench.systems:
        t.add_row(
            s.name,
            f"{s.recall['R@2']:.1f}",
            f"{s.recall['R@5']:.1f}",
            f"{s.latency_ms['p50']:.1f}",
            f"{s.latency_ms['p95']:.1f}",
        )
    console().print(t)
    err.print(f"report: {json_path} and {md_path}")
    return {
        "report": str(json_path),
        "table": str(md_path),
        "systems": {
            s.name: {**s.recall, **{f"{k}_ms": v for k, v in s.latency_ms.items()}} for s in bench.systems
        },
    }
