"""Running the extraction pipeline from the app, into the page's database."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from graphrag.api import GraphRAG
from graphrag.extract.pipeline import IngestReport


def run_ingest(
    rag: GraphRAG, paths: Sequence[Path], *, progress: Any, acl: str = "", mask_pii: bool = False
) -> IngestReport:
    """Ingest ``paths`` into the page's database (created if missing) readable by ``acl`` (groups, comma-separated;
    empty: public), with PII masked when ``mask_pii``; returns the pipeline's report.

    The database's own embedder is used, so new chunks are comparable with the stored ones, and the models stay
    loaded in the app between ingests. Analysis runs inline: for the few files of an upload, starting a worker
    process would cost more than it saves.
    """
    return rag.ingest(list(paths), progress=progress, separate_process=False, acl=acl, mask_pii=mask_pii)
