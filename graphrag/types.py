"""Frozen records that cross module boundaries."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Message:
    """One chat message for an LLM (``role`` is ``system``, ``user`` or ``assistant``)."""

    role: str
    content: str


@dataclass(frozen=True, slots=True)
class Document:
    """One source document (a file, or one record of a JSON/JSONL corpus)."""

    id: str
    source: str  # file path, plus "#<record>" for records of a corpus file
    title: str
    text: str
    hash: str  # content hash of title + text
    acl: str = ""  # who may read it: sorted group names joined by commas ("" = public; see graphrag.acl)


@dataclass(frozen=True, slots=True)
class Chunk:
    """A token-bounded window of a document's text."""

    id: str
    doc_id: str
    text: str
    position: int  # index of the chunk inside its document
    start_char: int
    end_char: int
    n_tokens: int


@dataclass(frozen=True, slots=True)
class Mention:
    """An entity mention found in a chunk (character offsets are chunk-relative)."""

    chunk_id: str
    text: str
    label: str  # NER label, or "" for noun-chunk mentions
    start_char: int
    end_char: int


@dataclass(frozen=True, slots=True)
class Entity:
    """A resolved entity: one node of the knowledge graph."""

    id: str
    name: str
    type: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Triple:
    """A subject-predicate-object fact with its provenance.

    ``chunk_id`` and ``doc_id`` point at the text it came from; imported triples use ``source`` ("file:line")
    and an empty ``chunk_id``. ``rule`` names what extracted it from text (a rule of
    :mod:`graphrag.extract.dependency_triples`, ``path`` for the path fallback, ``llm``); empty for imports.
    """

    subject: str
    predicate: str
    object: str
    chunk_id: str = ""
    doc_id: str = ""
    source: str = ""
    confidence: float = 1.0
    rule: str = ""


@dataclass(frozen=True, slots=True)
class Hit:
    """One ranked retrieval result with provenance."""

    chunk_id: str
    doc_id: str
    score: float
    retriever: str
    title: str = ""
    text: str = ""
    entities: tuple[str, ...] = ()
    relations: tuple[tuple[str, str, str], ...] = ()


#: The predicate of a class triple read from text ("X is a film" -> ``(X, is a, film)``); graph retrieval leaves
#: these edges out of its walk, since every film would share one neighbour.
CLASS_PREDICATE = "is a"

#: How a reasoning path names an edge walked against its stored direction (``"directed_by (inverse)"``).
INVERSE_SUFFIX = " (inverse)"


@dataclass(frozen=True, slots=True)
class ReasoningPath:
    """A KG path from a question entity to a candidate: ``(entity, relation, entity, ...)``.

    A relation walked against its stored direction is named with :data:`INVERSE_SUFFIX` after the predicate.
    """

    nodes: tuple[str, ...]
    relations: tuple[str, ...]

    def verbalise(self) -> str:
        """``a -> rel -> b -> rel2 -> c``."""
        parts = [self.nodes[0]]
        for rel, node in zip(self.relations, self.nodes[1:], strict=True):
            parts += [rel, node]
        return " -> ".join(parts)


@dataclass(frozen=True, slots=True)
class Candidate:
    """An answer candidate scored by a graph reasoner."""

    entity_id: str
    name: str
    score: float
    paths: tuple[ReasoningPath, ...] = ()


@dataclass(frozen=True, slots=True)
class Citation:
    """A numbered source that an answer may cite as ``[n]``: one document, with the passages (chunks) of it that
    were given to the model, best-ranked first. ``chunk_id`` is the first of them; ``text`` is all of them as the
    model read them."""

    number: int
    chunk_id: str
    doc_id: str
    title: str
    text: str
    chunk_ids: tuple[str, ...] = ()
    passages: tuple[str, ...] = ()

    @property
    def all_chunk_ids(self) -> tuple[str, ...]:
        """Every chunk behind this source (``chunk_id`` alone when none are listed)."""
        return self.chunk_ids or (self.chunk_id,)

    @property
    def all_passages(self) -> tuple[str, ...]:
        """The text of each chunk behind this source (``text`` alone when none are listed)."""
        return self.passages or (self.text,)


@dataclass(frozen=True, slots=True)
class Answer:
    """The final answer: text, the citations it used, and the evidence behind it."""

    question: str
    text: str
    citations: tuple[Citation, ...] = ()
    paths: tuple[ReasoningPath, ...] = ()
    candidates: tuple[Candidate, ...] = ()
    timings_s: dict[str, float] = field(default_factory=dict)
