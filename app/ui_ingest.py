"""Running the extraction pipeline from the app, with the database's own embedder and a cached NLP
analyzer."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import streamlit as st
from ui_ask import cached_embedder
from ui_store import SharedStore

from graphrag.config import IngestConfig
from graphrag.store import KuzuGraphStore


@st.cache_resource(show_spinner="Loading the NLP pipeline…", max_entries=1)
def cached_analyzer() -> Any:
    """The spaCy analyzer, kept loaded in the app's process between ingests."""
    from graphrag.extract.ingest import default_analyzer

    return default_analyzer(IngestConfig())


def run_ingest(shared: SharedStore, paths: Sequence[Path], *, progress: Any) -> Any:
    """Ingest ``paths`` into the shared database (created if missing); returns the pipeline's
    ``IngestReport``.

    The database's recorded embedder is used so new chunks are comparable with the stored ones; a new database
    gets the default embedder. Analysis runs inline: for the few files of an upload, starting a worker process
    would cost more than it saves.
    """
    from graphrag.extract.ingest import ingest

    with shared.exclusive() as path:
        if path.exists():
            with KuzuGraphStore(path, read_only=True) as store:
                recorded = store.meta().get("embedder", "")
                embedder = cached_embedder(recorded, store)
        else:
            embedder = cached_embedder("", None)
        return ingest(
            list(paths),
            db=path,
            embedder=embedder,
            analyzer=cached_analyzer(),
            progress=progress,
            separate_process=False,
        )
