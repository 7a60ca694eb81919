"""Person names from a loaded spaCy pipeline, for :class:`~graphrag.privacy.pii.PiiMasker`.

:func:`spacy_person_finder` wraps a pipeline that the caller has loaded (this module never loads one) into the
masker's ``text -> [(start, end), ...]`` person finder. It takes the pipeline's ``PERSON`` entities with a few
generic repairs for what a small model gets wrong (none depends on lists of names):

- capitalised words after an honorific ("Dr. Anna Kowalski", "Mrs Okafor") are a name;
- a ``PERSON`` span grows over a directly adjacent capitalised word that the tagger calls a proper noun and
  that is in no entity or in a one-word entity ("Natalia" tagged GPE + "Ivanov" tagged PERSON), and loses a
  trailing possessive "'s";
- a ``PERSON`` entity with a digit or an "@" in it is dropped (the small model sometimes tags
  "Order 5833-0036" as a person);
- a one-word name at the start of a sentence must stay a proper noun when lowercased (see
  :func:`person_spans`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Token

    from graphrag.privacy.pii import PersonFinder

#: Titles that are followed by a person's name (compared without a trailing dot, case-sensitively).
HONORIFICS = frozenset(
    ("Mr", "Mrs", "Ms", "Miss", "Mx", "Dr", "Prof", "Professor", "Sir", "Dame", "Lady", "Lord", "Rev", "Fr", "Sr",
     "Herr", "Frau", "Mme", "Mlle", "Monsieur", "Madame", "Señor", "Señora", "Sra", "Sig", "Dott")
)  # fmt: skip


def spacy_person_finder(nlp: Language) -> PersonFinder:
    """A person finder over the loaded spaCy pipeline ``nlp`` (it needs an ``ner`` pipe; a tagger helps)."""

    def find(text: str) -> list[tuple[int, int]]:
        return person_spans(nlp(text), retag=nlp)

    return find


def _is_name_word(tok: Token) -> bool:
    word = tok.text
    return word[:1].isupper() and any(ch.islower() for ch in word) and all(ch.isalpha() or ch in "'-." for ch in word)


def person_spans(doc: Doc, *, retag: Callable[[str], Doc] | None = None) -> list[tuple[int, int]]:
    """The character spans of the person names in a processed spaCy ``doc``.

    ``retag`` (the pipeline) checks one-word names at the start of a sentence, where a capital letter says
    nothing: the word stays a name only if the tagger still calls it a proper noun once it is lowercased
    ("Salary is paid ..." is not a person). Without it such words are kept.
    """
    size = [0] * len(doc)  # the length of the entity each token belongs to (0: none)
    for ent in doc.ents:
        for i in range(ent.start, ent.end):
            size[i] = len(ent) if ent.label_ != "PERSON" else -1
    spans: list[tuple[int, int]] = []
    for ent in doc.ents:
        if ent.label_ == "PERSON" and not any(ch.isdigit() or ch == "@" for ch in ent.text):
            start, end = _grow(doc, ent.start, ent.end, size)
            if end - start > 1 or retag is None or not doc[start].is_sent_start or _still_proper(doc[start], retag):
                spans.append((start, end))
    for i, tok in enumerate(doc):
        if tok.text.rstrip(".") not in HONORIFICS or not tok.text[:1].isupper():
            continue
        j = i + 1
        if j < len(doc) and doc[j].text == ".":
            j += 1
        k = j
        # After a title the next name words are the name, whatever label the model gave them.
        while k < len(doc) and _is_name_word(doc[k]) and k - j < 4:
            k += 1
        if k > j:
            spans.append((j, k))
    return [(doc[s].idx, doc[e - 1].idx + len(doc[e - 1].text)) for s, e in spans if e > s]


def _still_proper(tok: Token, retag: Callable[[str], Doc]) -> bool:
    sent = tok.sent if tok.doc.has_annotation("SENT_START") else tok.doc[tok.i :]
    text = sent.text
    offset = tok.idx - sent.start_char
    lowered = retag(text[:offset] + text[offset].lower() + text[offset + 1 :])
    word = lowered.char_span(offset, offset + len(tok.text), alignment_mode="expand")
    return word is None or word[0].pos_ in ("PROPN", "")  # "": no tagger to ask


def _grow(doc: Doc, start: int, end: int, size: list[int]) -> tuple[int, int]:
    """A ``PERSON`` entity's tokens grown over adjacent capitalised proper nouns, without a trailing "'s"."""
    # never across a sentence boundary
    while end < len(doc) and doc[end - 1].whitespace_ and not doc[end].is_sent_start and _joins(doc[end], size[end]):
        end += 1
    while (
        start > 0
        and doc[start - 1].whitespace_
        and not doc[start].is_sent_start
        and _joins(doc[start - 1], size[start - 1])
    ):
        start -= 1
    while end > start and doc[end - 1].text in ("'s", "’s", "'", "’"):
        end -= 1
    return start, end


def _joins(tok: Token, entity_size: int) -> bool:
    # A neighbour joins when it is a name word outside any entity, or a one-word entity of another label
    # (the small model often tags a first name as GPE or ORG and the surname as PERSON).
    # A title stays outside the name: it says nothing about who it is.
    return (
        entity_size in (0, 1) and tok.pos_ == "PROPN" and _is_name_word(tok) and tok.text.rstrip(".") not in HONORIFICS
    )
