"""What an ingest needs beyond the rules: the checked extractor and schema options, and the LLM extraction stage
with its model (loaded once per :class:`~graphrag.api.GraphRAG` object) and its cache file."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from graphrag.api.loaded_models import CONFIGURED, LoadedModels
from graphrag.errors import ConfigError

if TYPE_CHECKING:
    from graphrag.extract.llm_extractor import LLMTripleExtractor
    from graphrag.extract.progress import IngestProgress
    from graphrag.extract.schema import Schema
    from graphrag.generate.llm import LLM


@dataclass(frozen=True)
class ExtractionOptions:
    """How an ingest reads triples beyond the spaCy rules.

    ``extractor`` is ``rules`` (spaCy only), ``llm`` (an LLM's triples instead of the rules') or ``hybrid``
    (both); the LLM is ``llm`` (a name, an object, or the configured one) at ``endpoint`` (``model``,
    ``base_url``), called ``llm_concurrency`` chunks at a time, its results cached in ``extraction_cache``
    (:data:`CONFIGURED`: ``<db>.extract-cache.sqlite``; ``None``: no cache). ``schema`` (a
    :class:`~graphrag.extract.schema.Schema` or a TOML path) maps predicates onto its relations; ``schema_mode``
    ``strict`` drops the rest.
    """

    extractor: str = "rules"
    llm: Any = CONFIGURED
    endpoint: dict[str, str] = field(default_factory=dict)
    llm_concurrency: int = 1
    extraction_cache: str | Path | None = CONFIGURED
    schema: Any = None
    schema_mode: str = "open"


def checked_schema(extractor: str, schema: Schema | str | Path | None, schema_mode: str) -> Schema | None:
    """Refuse an unknown extractor or schema mode; the schema loaded from its TOML file when given as a path."""
    from graphrag.extract.llm_extractor import EXTRACTORS
    from graphrag.extract.schema import Schema, load_schema
    from graphrag.extract.schema_mapping import SCHEMA_MODES

    if extractor not in EXTRACTORS:
        raise ConfigError(f"unknown extractor {extractor!r}; choose one of: {', '.join(EXTRACTORS)}")
    if schema_mode not in SCHEMA_MODES:
        raise ConfigError(f"unknown schema mode {schema_mode!r}; choose one of: {', '.join(SCHEMA_MODES)}")
    return schema if isinstance(schema, Schema) or schema is None else load_schema(schema)


@contextlib.contextmanager
def extraction_stage(
    models: LoadedModels,
    choice: LLM | str | None,
    options: ExtractionOptions,
    schema: Schema | None,
    progress: IngestProgress | None,
    db: Path,
) -> Iterator[LLMTripleExtractor | None]:
    """The LLM stage of an ingest with ``options`` (``None`` for ``rules``) for the duration of the block; its
    extraction cache is closed afterwards."""
    stage = None
    if options.extractor != "rules":
        stage = llm_extraction_stage(models, choice, options, schema, progress, db)
    try:
        yield stage
    finally:
        if stage is not None and stage.cache is not None:
            stage.cache.close()


def llm_extraction_stage(
    models: LoadedModels,
    choice: LLM | str | None,
    options: ExtractionOptions,
    schema: Schema | None,
    progress: IngestProgress | None,
    db: Path,
) -> LLMTripleExtractor:
    """The LLM stage of an ``llm`` or ``hybrid`` ingest with ``options``; ``choice`` is its LLM (a name, an object,
    or :data:`CONFIGURED`)."""
    from graphrag.extract.extraction_cache import ExtractionCache
    from graphrag.extract.llm_extractor import LLMTripleExtractor

    if choice == CONFIGURED and models.config.answer.llm in ("extractive", "none"):
        choice = "local"  # the configured answerer is no model: extraction uses the packaged one
    # Extraction is one long run of generations, not a question: OpenMP keeps its default (spinning) wait policy,
    # under which llama.cpp decodes this small model about twice as fast as with passive waits (2.0 against 4.9 s
    # per chunk on five demo passages, measured), and the model keeps all its threads.
    chosen, _ = models.llm(choice, True, **options.endpoint)
    if chosen is None:
        raise ConfigError(f"--extractor {options.extractor} needs an LLM (--llm local, openai or ollama), not none")
    cache = options.extraction_cache
    store = None
    if cache is not None:
        store = ExtractionCache(Path(f"{db}.extract-cache.sqlite") if cache == CONFIGURED else Path(cache))
    return LLMTripleExtractor(
        chosen,
        mode=options.extractor,
        schema=schema,
        cache=store,
        concurrency=options.llm_concurrency,
        progress=progress,
    )


__all__ = ["ExtractionOptions", "checked_schema", "extraction_stage", "llm_extraction_stage"]
