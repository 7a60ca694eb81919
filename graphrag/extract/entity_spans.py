"""Named-entity spans of a parsed spaCy ``Doc``, repaired where the small English model is reliably wrong."""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from graphrag.extract.demonyms import country_names
from graphrag.extract.kind_nouns import is_class_word

if TYPE_CHECKING:
    from spacy.tokens import Doc

_YEAR_PREPS = frozenset({"in", "since", "until", "till", "from", "to", "before", "after", "by", "during", "circa"})


class Ent(NamedTuple):
    """A (repaired) named-entity span: tokens ``[start, end)`` and its NER label."""

    start: int
    end: int
    label: str


def _named_agent(doc: Doc, start: int, end: int) -> bool:
    """A DATE span that is a name doing something: proper nouns only, no number, and the agent of a passive
    ("by Charlie Day"); a date never is."""
    toks = doc[start:end]
    if any(t.like_num or t.pos_ != "PROPN" for t in toks):
        return False
    root = toks.root
    return root.dep_ == "pobj" and root.head.dep_ == "agent"


def entity_spans(doc: Doc) -> list[Ent]:
    """NER spans, repaired where the small model is reliably wrong.

    Leading proper-noun compounds join a name ("Sherlock" + "Holmes"); a day and a year join a month ("11" +
    "November" + "875"); a bare three- or four-digit number after a temporal preposition ("died in 928") is a
    DATE rather than a CARDINAL; a "date" of proper nouns without a number that is the agent of a passive
    ("directed by Charlie Day") is a person; a nationality word before a person's name is not part of it
    ("American Alan Shepard"), nor is a common noun that opens the sentence and classes the name ("Botanist Lady
    Anne Monson").
    """
    spans = [[e.start, e.end, e.label_] for e in doc.ents]
    owner = {i: k for k, sp in enumerate(spans) for i in range(sp[0], sp[1])}

    def free(i: int, k: int) -> bool:
        j = owner.get(i)
        return j is None or j == k or spans[j][2] == "CARDINAL"

    for k, sp in enumerate(spans):
        start, end, label = sp
        if label == "DATE" and _named_agent(doc, start, end):
            label = "PERSON"
        elif label == "DATE":
            if start > 0 and doc[start - 1].is_digit and len(doc[start - 1]) <= 2 and free(start - 1, k):
                start -= 1
            if end < len(doc) and doc[end].is_digit and 3 <= len(doc[end]) <= 4 and free(end, k):
                end += 1
        elif label == "CARDINAL":
            t = doc[start]
            if end - start == 1 and t.is_digit and 3 <= len(t) <= 4 and t.head.lower_ in _YEAR_PREPS:
                label = "DATE"
        else:
            if label == "PERSON" and end - start >= 3 and country_names(doc[start].text):
                start += 1
            while (
                start > 0
                and doc[start - 1].pos_ == "PROPN"
                and doc[start - 1].dep_ == "compound"
                and sp[0] <= doc[start - 1].head.i < sp[1]
                and start - 1 not in owner
                and not is_class_word(doc[start - 1])  # "Botanist Lady Anne Monson was born ..."
            ):
                start -= 1
            if end - start >= 2 and is_class_word(doc[start]):
                start += 1
        sp[:] = [start, end, label]
    out: list[Ent] = []
    last_end = -1
    for start, end, label in sorted(spans, key=lambda sp: (sp[0], -sp[1])):
        if start >= last_end:  # drop spans swallowed by a repaired neighbour
            out.append(Ent(start, end, label))
            last_end = end
    return out


__all__ = ["Ent", "entity_spans"]
