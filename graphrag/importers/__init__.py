"""Importers of existing knowledge graphs (triple files) into the graph store."""

from graphrag.importers.loader import KG_KIND, ImportReport, TripleImporter
from graphrag.importers.triples import FORMATS, BadLine, TripleFile, parse_triples, read_triples

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
