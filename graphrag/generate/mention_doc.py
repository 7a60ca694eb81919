"""Passages as the extractive reader reads them, built from what ingest already stored: the named entities it
found in each chunk (``MENTIONS`` edges carry label and character offsets) and sentence boundaries from
punctuation. Answering then needs no spaCy pass over the passages, which was most of a question's time
(about 50 ms per passage on a 2-core CPU).

A :class:`MentionDoc` has what the reader uses of a spaCy ``Doc``: ``ents`` (each with ``text``, ``label_``,
``start_char``, ``end_char``) and ``sents`` (each with ``text``, ``start_char`` and its own ``ents``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from graphrag.types import Citation

#: Labels ingest keeps for every mention it stores; numbers are mostly not stored (they rarely become entities).
STORED_LABELS = frozenset(
    {"PERSON", "NORP", "FAC", "ORG", "GPE", "LOC", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW", "LANGUAGE", "DATE"}
)

# a sentence ends at . ! or ? (and any closing quote or bracket) before a capital, digit or opening quote --
# unless the word before is an initial or a common abbreviation ("Tvrtko I.", "d. 1392", "St. Louis")
_END = re.compile(r"[.!?][\"'”’)\]]*\s+(?=[\"“‘(\[]?[A-Z0-9À-Ý])")
_ABBREVIATION = re.compile(
    r"(?:\b[A-Za-z]|\b(?:St|Dr|Mr|Mrs|Ms|Jr|Sr|Prof|Gen|Col|Capt|Lt|Sgt|Rev|Hon|Mt|Ft|ca|c|b|d|fl|r|vs|etc|No|Vol|"
    r"Jan|Feb|Mar|Apr|Aug|Sep|Sept|Oct|Nov|Dec|U\.S|U\.K|Inc|Ltd|Co|Corp))\.[\"'”’)\]]*\s*$"
)


@dataclass(frozen=True)
class Span:
    """A named-entity mention: its text, label and character offsets in the document."""

    text: str
    label_: str
    start_char: int
    end_char: int


@dataclass(frozen=True)
class Sentence:
    """A sentence: its text, where it starts, and the mentions inside it."""

    text: str
    start_char: int
    ents: tuple[Span, ...] = ()


@dataclass(frozen=True)
class MentionDoc:
    """A passage's text with its sentences and named-entity mentions."""

    text: str
    ents: tuple[Span, ...]
    sents: tuple[Sentence, ...] = field(default=())


def sentence_bounds(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each sentence of ``text``."""
    bounds, start = [], 0
    for m in _END.finditer(text):
        if _ABBREVIATION.search(text[max(start, m.start() - 12) : m.end()]):
            continue
        bounds.append((start, m.start() + 1))
        start = m.end()
    if start < len(text) and text[start:].strip():
        bounds.append((start, len(text)))
    return bounds


def mention_doc(text: str, spans: Sequence[Span]) -> MentionDoc:
    """The document of ``text`` with its mentions ``spans`` (any order; ones that do not match the text at their
    offsets are dropped)."""
    fits = [s for s in spans if 0 <= s.start_char < s.end_char <= len(text)]
    ents = tuple(
        sorted(
            (s for s in fits if text[s.start_char : s.end_char] == s.text), key=lambda s: (s.start_char, -s.end_char)
        )
    )
    sents = []
    for start, end in sentence_bounds(text):
        inside = tuple(e for e in ents if start <= e.start_char < end)
        sents.append(Sentence(text[start:end], start, inside))
    return MentionDoc(text, ents, tuple(sents))


def citation_docs(
    sources: Sequence[Citation],
    mentions: Mapping[str, Sequence[tuple[int, int, str, str]]],
    *,
    join: str,
) -> dict[str, MentionDoc]:
    """A :class:`MentionDoc` for each source's ``text`` whose every passage has stored mentions: the passages'
    offsets moved to where each passage starts in the joined text (``join`` is the separator :mod:`packing` put
    between them). A source with a passage that has none (a store made before mentions were kept) is left out,
    for the reader to parse itself."""
    docs: dict[str, MentionDoc] = {}
    for source in sources:
        spans: list[Span] = []
        offset = 0
        complete = True
        for chunk_id, passage in zip(source.all_chunk_ids, source.all_passages, strict=False):
            found = mentions.get(chunk_id)
            if not found:
                complete = False
                break
            spans += [
                Span(text, label, offset + start, offset + end)
                for start, end, label, text in found
                if label in STORED_LABELS and end <= len(passage)
            ]
            offset += len(passage) + len(join)
        if complete:
            docs[source.text] = mention_doc(source.text, spans)
    return docs


__all__ = ["STORED_LABELS", "MentionDoc", "Sentence", "Span", "citation_docs", "mention_doc", "sentence_bounds"]
