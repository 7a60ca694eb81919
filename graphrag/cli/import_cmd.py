"""``graphrag import-triples``: bulk-load knowledge-graph triple files into the store."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.text import Text

from graphrag.api import GraphRAG
from graphrag.cli._apps import app
from graphrag.cli._common import (
    DEFAULT_DB_PATH,
    EXIT_SKIPPED,
    DbOption,
    EngineOption,
    console,
    err_console,
    with_engine,
)
from graphrag.importers import FORMATS, ImportReport
from graphrag.importers.kg_import import ProgressFn
from graphrag.importers.triple_files import get_format

_FORMAT_HELP = "; ".join(f"{f.name}: {f.description}" for f in FORMATS.values())


def report_skipped(report: ImportReport, err: Console) -> None:
    """Print every skipped line as ``path:line: reason``."""
    for bad in report.skipped:
        line = Text.assemble(("skipped", "yellow"), f" {report.path}:{bad.line}: {bad.reason}")
        err.print(line, highlight=False)  # literal: the reason quotes the line, which may look like markup


_HELP = (
    "Import knowledge-graph triples (e.g. MetaQA's kb.txt.gz) into the Entity/RELATION tables.\n\n"
    'Each file becomes a document (kind "kg") and every triple keeps its file and line as provenance. '
    "Entities already in the store are reused. Re-importing an unchanged file does nothing; a changed file "
    "replaces its old triples; `graphrag delete FILE` removes them.\n\n"
    "By default a file with any malformed line (wrong number of fields, an empty field, invalid UTF-8) is "
    "refused as a whole: nothing is stored and the first bad lines are listed (exit code 3). "
    "--skip-bad loads the good lines instead. Binary and empty files are always refused."
)


@app.command("import-triples", help=_HELP)
def import_triples(
    files: Annotated[list[Path], typer.Argument(help="Triple files, plain text or gzip.")],
    fmt: Annotated[str, typer.Option("--format", "-f", help=f"File layout. {_FORMAT_HELP}.")],
    db: DbOption = DEFAULT_DB_PATH,
    delimiter: Annotated[str | None, typer.Option("--delimiter", "-d", help="Field separator (\\t ok).")] = None,
    skip_bad: Annotated[
        bool,
        typer.Option(
            "--skip-bad",
            help="Load the good lines of a file with malformed ones, report each skipped line, exit code 3.",
        ),
    ] = False,
    embed: Annotated[
        bool, typer.Option("--embed", help="Embed new entities' names (slow: minutes for 43k names).")
    ] = False,
    embedder: Annotated[str, typer.Option("--embedder", help="Embedder for --embed: minilm or hashing.")] = "minilm",
    acl: Annotated[
        str | None,
        typer.Option(
            "--acl",
            help="Who may read these triples: groups, comma-separated (user:NAME for one person); default public.",
        ),
    ] = None,
    engine: EngineOption = None,
) -> None:
    """Import knowledge-graph triple files (e.g. MetaQA's kb.txt.gz) into the Entity/RELATION tables."""
    get_format(fmt)  # an unknown format fails before anything is opened
    emb = None
    if embed:
        from graphrag.embed import make_embedder

        emb = make_embedder(embedder)  # once for all files
    err = err_console()
    out = console()
    rag = GraphRAG(db, config=with_engine(None, engine))
    any_skipped = False
    for path in files:
        with _live(err, f"importing {path}", embedding=emb is not None) as progress:
            report = rag.import_triples(
                path,
                format=fmt,
                delimiter=delimiter,
                skip_bad=skip_bad,
                embed=embed,
                embedder=emb or embedder,
                progress=progress,
                acl=acl,
            )
        report_skipped(report, err)
        any_skipped = any_skipped or bool(report.skipped)
        out.print(report.describe(), markup=False)
        if report.skipped:
            out.print(f"{len(report.skipped):,} malformed line(s) of {path} were skipped", markup=False)
    if any_skipped:
        raise typer.Exit(EXIT_SKIPPED)


@contextlib.contextmanager
def _live(err: Console, label: str, *, embedding: bool) -> Iterator[ProgressFn | None]:
    """A spinner while a file imports, or a bar while entity names are embedded (rich shows one at a time)."""
    if not embedding:
        with err.status(Text(label)):
            yield None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    columns = (TextColumn(label, markup=False), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=err) as bar:
        task = bar.add_task(label, total=None)
        yield lambda done, total: bar.update(task, completed=done, total=total)
