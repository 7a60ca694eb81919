"""Existing knowledge graphs into the same store as extracted text: triple files (MetaQA ``head|relation|tail``,
TSV, CSV; plain or gzip) parsed with ``file:line`` errors (:mod:`~graphrag.importers.triple_files`) and loaded
with ``file:line`` provenance, idempotently (:mod:`~graphrag.importers.kg_import`). A new format is one more
entry of :data:`FORMATS`."""

from graphrag.importers.kg_import import KG_KIND, ImportReport, TripleImporter
from graphrag.importers.triple_files import FORMATS, BadLine, TripleFile, parse_triples, read_triples

__all__ = [
    "FORMATS",
    "KG_KIND",
    "BadLine",
    "ImportReport",
    "TripleFile",
    "TripleImporter",
    "parse_triples",
    "read_triples",
]
