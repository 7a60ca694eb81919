"""Progress reporting for ingest runs: rich bars on a terminal, plain lines otherwise (logs, CI, pipes)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from rich.console import Console

if TYPE_CHECKING:
    from rich.table import Table

    from graphrag.extract.pipeline import IngestReport


class IngestProgress(Protocol):
    """Receives stage totals, advances and notes from the pipeline."""

    def stage(self, name: str, total: int) -> None:
        """Announce a stage and how many units (files, documents) it will process."""

    def advance(self, name: str, n: int = 1) -> None:
        """``n`` more units of stage ``name`` are done."""

    def note(self, message: str, *, detail: bool = False) -> None:
        """A message for the user; ``detail`` ones (per-batch lines) only where no live bars are drawn."""

    def close(self) -> None:
        """Stop drawing."""


class NullProgress:
    """Reports nothing."""

    def stage(self, name: str, total: int) -> None:
        """Ignore."""

    def advance(self, name: str, n: int = 1) -> None:
        """Ignore."""

    def note(self, message: str, *, detail: bool = False) -> None:
        """Ignore."""

    def close(self) -> None:
        """Nothing to stop."""


class RichProgress:
    """One live bar per stage on ``console`` (stderr)."""

    def __init__(self, console: Console) -> None:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        self._progress = Progress(
            TextColumn("{task.description:<14}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
            transient=False,
        )
        self._tasks: dict[str, int] = {}
        self._progress.start()

    def stage(self, name: str, total: int) -> None:
        """Add (or reset) the bar for ``name``."""
        if name in self._tasks:
            self._progress.update(self._tasks[name], total=total, completed=0)
        else:
            self._tasks[name] = self._progress.add_task(name, total=total)

    def advance(self, name: str, n: int = 1) -> None:
        """Move the bar for ``name``."""
        if name in self._tasks:
            self._progress.advance(self._tasks[name], n)

    def note(self, message: str, *, detail: bool = False) -> None:
        """Print above the bars (``detail`` messages are left out: the bars show them)."""
        if not detail:
            self._progress.console.print(message, markup=False, highlight=False, soft_wrap=True)

    def close(self) -> None:
        """Stop the live display."""
        self._progress.stop()


class LineProgress:
    """Plain lines: stage starts, notes and per-batch details, each flushed at once."""

    def __init__(self, console: Console) -> None:
        self._console = console

    def stage(self, name: str, total: int) -> None:
        """Print the stage and its size."""
        self._console.print(f"{name}: {total}", markup=False, highlight=False, soft_wrap=True)

    def advance(self, name: str, n: int = 1) -> None:
        """Lines are printed per batch (see :meth:`note`), not per unit."""

    def note(self, message: str, *, detail: bool = False) -> None:
        """Print the message."""
        self._console.print(message, markup=False, highlight=False, soft_wrap=True)
        if self._console.file is not None:
            self._console.file.flush()

    def close(self) -> None:
        """Nothing to stop."""


def make_progress(console: Console) -> IngestProgress:
    """Rich bars when ``console`` is a terminal, plain lines otherwise."""
    return RichProgress(console) if console.is_terminal else LineProgress(console)


def report_tables(report: IngestReport) -> list[Table]:
    """The end-of-run summary: counts, then time per stage."""
    from rich.table import Table

    counts = Table("", "count", title="Ingest summary")
    rows = [
        ("files read", report.files - report.files_skipped),
        ("files skipped (bad input)", report.files_skipped),
        ("records skipped (bad lines of corpora)", report.records_skipped),
        ("documents new", report.documents_new),
        ("documents changed (replaced)", report.documents_changed),
        ("documents unchanged (skipped)", report.documents_unchanged),
        ("documents removed (gone from their file)", report.documents_removed),
        ("chunks", report.chunks),
        ("entities (new)", report.entities),
        ("mentions", report.mentions),
        ("triples", report.triples),
    ]
    if report.documents_acl_changed:
        rows.insert(7, ("documents with a new ACL (updated only)", report.documents_acl_changed))
    rows += [(f"PII masked: {kind}", n) for kind, n in report.pii_masked.items()]
    for name, n in rows:
        counts.add_row(name, f"{n:,}")
    times = Table("stage", "seconds", title="Time per stage")
    for stage, label in _STAGE_LABELS.items():
        if stage in report.timings_s:
            times.add_row(label, f"{report.timings_s[stage]:.1f}")
    rate = f"  ({report.documents_loaded / report.wall_s:.1f} documents/s)" if report.documents_loaded else ""
    times.add_row("total (wall clock)", f"{report.wall_s:.1f}{rate}")
    tables = [counts, times]
    llm = report.extraction.get("llm")
    if llm:
        t = Table("", "value", title=f"LLM extraction ({llm['mode']}, {llm['model']})")
        for key in (
            "chunks",
            "cache_hits",
            "llm_calls",
            "parse_rate",
            "retries",
            "fallbacks",
            "triples",
            "ungrounded",
            "prompt_tokens",
            "completion_tokens",
            "llm_seconds",
        ):
            t.add_row(key.replace("_", " "), f"{llm[key]:,}" if isinstance(llm[key], int) else f"{llm[key]}")
        tables.append(t)
    schema = report.extraction.get("schema")
    if schema:
        t = Table("", "triples", title=f"Schema mapping ({schema['mode']}, {schema['schema']})")
        t.add_row("mapped onto a relation", f"{schema['mapped']:,}")
        kept = "kept with their own predicate" if schema["mode"] == "open" else "dropped"
        t.add_row(f"unmapped ({kept})", f"{schema['unmapped']:,}")
        tables.append(t)
    return tables


_STAGE_LABELS = {
    "plan": "read files, compare with store",
    "read": "read files again, slice by slice",
    "mask_pii": "  of which: mask PII",
    "load_models": "load embedding model",
    "chunk": "chunk",
    "analyse_worker": "NLP analysis (worker, overlapped)",
    "analyse_main": "NLP analysis (main process, while the worker was behind)",
    "analyse_wait": "waiting for NLP analysis",
    "embed_chunks": "embed chunks",
    "embed_entities": "embed entity names",
    "refine": "LLM extraction and schema mapping",
    "resolve": "resolve entities",
    "load": "load (transactions)",
}

__all__ = ["IngestProgress", "LineProgress", "NullProgress", "RichProgress", "make_progress", "report_tables"]
