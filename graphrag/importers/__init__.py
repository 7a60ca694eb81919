"""Importers of existing knowledge graphs (triple files) into the graph store."""

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
