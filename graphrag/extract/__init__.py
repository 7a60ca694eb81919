"""The extraction pipeline: documents in, a knowledge graph in the store out, with provenance from every triple
back to its chunk and document.

One module per stage, in the order a document meets them: :mod:`~graphrag.extract.readers` (files to
documents) -> :mod:`~graphrag.extract.incremental` (what changed since the last run) ->
:mod:`~graphrag.extract.chunking` (token-aware chunks) -> :mod:`~graphrag.extract.analysis` (spaCy NER and
parse, in :mod:`~graphrag.extract.analysis_worker`'s process) with :mod:`~graphrag.extract.dependency_triples`
and :mod:`~graphrag.extract.triple_arguments` (subject-predicate-object triples) ->
:mod:`~graphrag.extract.entity_resolution` with :mod:`~graphrag.extract.entity_names` (which names are one
entity) -> :mod:`~graphrag.extract.batch_linking` (mentions and triples tied to entity ids) ->
:mod:`~graphrag.extract.embedding` with :mod:`~graphrag.extract.name_embedding_cache` (chunk and name vectors)
-> :mod:`~graphrag.extract.write_batch` (one crash-safe write per batch). :mod:`~graphrag.extract.pipeline`
runs the stages, :mod:`~graphrag.extract.ingest` wires the default components, the record types that pass
between stages are in :mod:`~graphrag.extract.records`. A new extractor is a
:class:`~graphrag.extract.analysis_worker.ChunkAnalyzer`.
"""

from graphrag.extract.pipeline import IngestPipeline, IngestReport

# ``graphrag.extract.ingest`` is the module (its function ingest() runs the pipeline on a store); it is not
# re-exported here, so the name keeps meaning the module.
__all__ = ["IngestPipeline", "IngestReport"]
