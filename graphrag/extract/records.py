"""The records that pass between the extraction stages: what analysis finds in a chunk's text, and what a batch
carries to the store once its mentions and triples are tied to entity ids. Frozen, with no behaviour."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from graphrag.types import Chunk, Document, Entity, Mention, Triple


@dataclass(frozen=True)
class ExtractedMention:
    """An entity mention; ``start_char``/``end_char`` are offsets into the analysed text (chunk-relative)."""

    text: str
    label: str  # NER label, or "" for a proper-noun or noun phrase
    start_char: int
    end_char: int


@dataclass(frozen=True)
class ExtractedTriple:
    """A subject-predicate-object triple; subject and object are texts of mentions of the same chunk (or of the
    chunk's topic); ``start_char``/``end_char`` span the sentence it was read from (-1 when unknown); ``rule``
    says what found it (a rule's name, ``llm``; empty when unknown)."""

    subject: str
    subject_label: str
    predicate: str
    object: str
    object_label: str
    confidence: float
    start_char: int = -1
    end_char: int = -1
    rule: str = ""


@dataclass(frozen=True)
class ChunkAnalysis:
    """What one text yields: its mentions (sorted by position) and triples, what it is about (``about``: the
    topic's surface form and label, see :mod:`graphrag.extract.passage_topic`; ``about_source``: ``title``,
    ``title-hint`` or ``subject``), and other names it gives the topic (``aliases``: surface forms that name
    the same entity as ``about``)."""

    mentions: tuple[ExtractedMention, ...]
    triples: tuple[ExtractedTriple, ...]
    about: tuple[str, str] | None = None
    about_source: str = ""
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class LinkedMention:
    """A mention with the entity it was resolved to."""

    mention: Mention
    entity_id: str
    doc_id: str


@dataclass(frozen=True, slots=True)
class LinkedTriple:
    """A triple whose subject and object are resolved entity ids (provenance in ``triple``, the span of its
    sentence in the chunk in ``start_char``/``end_char``)."""

    subject_id: str
    object_id: str
    triple: Triple
    start_char: int = -1
    end_char: int = -1


@dataclass(frozen=True, slots=True)
class LinkedAbout:
    """A chunk and the entity it is about (``source``: how the topic was found)."""

    chunk_id: str
    entity_id: str
    doc_id: str
    source: str


@dataclass(frozen=True)
class ExtractedBatch:
    """Everything extracted from a batch of documents, ready to load.

    ``chunk_vectors`` rows follow ``chunks``; ``entities`` are unique by id within the batch.
    """

    documents: tuple[Document, ...]
    chunks: tuple[Chunk, ...]
    chunk_vectors: np.ndarray
    entities: tuple[Entity, ...]
    mentions: tuple[LinkedMention, ...]
    triples: tuple[LinkedTriple, ...]
    about: tuple[LinkedAbout, ...] = ()


@dataclass(frozen=True)
class AnalysedBatch:
    """One batch after the compute stages, before linking: its chunks, the analysis of each unique chunk text
    (``texts`` order), the chunk embeddings (``chunks`` order, flattened) and any entity-name vectors already
    computed beside them (``name_vectors``: display form -> vector)."""

    docs: tuple[Document, ...]
    chunks: list[list[Chunk]]
    texts: list[str]
    analyses: list[Any]
    vectors: np.ndarray
    name_vectors: dict[str, np.ndarray] = field(default_factory=dict)


@dataclass(frozen=True)
class LoadCounts:
    """Rows written (and removed) by one committed batch."""

    documents: int
    chunks: int
    entities: int
    mentions: int
    triples: int
    removed: dict[str, int]
    about: int = 0


__all__ = [
    "AnalysedBatch",
    "ChunkAnalysis",
    "ExtractedBatch",
    "ExtractedMention",
    "ExtractedTriple",
    "LinkedAbout",
    "LinkedMention",
    "LinkedTriple",
    "LoadCounts",
]
