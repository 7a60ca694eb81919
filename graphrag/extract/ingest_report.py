"""What an ingest run reports (:class:`IngestReport`) and the stage clock it is timed with (:class:`StageTimer`)."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class IngestReport:
    """What an ingest run did: counts of documents by outcome, rows loaded, problems, time per stage."""

    files: int
    files_skipped: int
    documents_new: int
    documents_changed: int
    documents_unchanged: int
    documents_removed: int
    chunks: int
    entities: int
    mentions: int
    triples: int
    batches: int
    errors: tuple[str, ...]
    records_skipped: int = 0  # unreadable records of corpora whose other records were read (their errors follow)
    about: int = 0  # ABOUT edges: chunk -> the entity it is about
    documents_acl_changed: int = 0  # unchanged documents whose ACL was updated (no re-extraction)
    pii_masked: dict[str, int] = field(default_factory=dict)  # PII strings masked, by kind (--mask-pii)
    extraction: dict[str, Any] = field(default_factory=dict)  # what each refiner did (LLM, schema), by name
    timings_s: dict[str, float] = field(default_factory=dict)
    wall_s: float = 0.0

    @property
    def documents_loaded(self) -> int:
        """New plus changed documents."""
        return self.documents_new + self.documents_changed

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready dictionary."""
        d = asdict(self)
        d["errors"] = list(self.errors)
        return d


class StageTimer:
    """Seconds spent per named stage, summed over the times it is entered."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    @contextlib.contextmanager
    def __call__(self, stage: str) -> Iterator[None]:
        t0 = time.perf_counter()
        try:
            yield
        finally:
            self.add(stage, time.perf_counter() - t0)

    def add(self, stage: str, seconds: float) -> None:
        self.seconds[stage] = self.seconds.get(stage, 0.0) + seconds


__all__ = ["IngestReport", "StageTimer"]
