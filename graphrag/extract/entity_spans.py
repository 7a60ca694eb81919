"""Named-entity spans of a parsed spaCy ``Doc``, repaired where the small English model is reliably wrong."""

from __future__ import annotations

from collections.abc import Callable
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


_NOT_TITLES = frozenset({"GPE", "LOC", "DATE", "TIME", "CARDINAL", "ORDINAL", "QUANTITY", "MONEY", "PERCENT", "NORP"})
_ROMAN = frozenset({"I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"})


def _subtitle_end(doc: Doc, end: int, free: Callable[[int], bool]) -> int:
    """The end of a title with a subtitle after a colon: "The Bootleg Series Volume 1: The Quine Tapes", "Star
    Wars: The Force Awakens" (a number or Roman numeral may close the first part; after the colon, "The" and
    capitalised proper nouns, at least two words). ``end`` when nothing of the kind follows."""
    j = end
    while j < len(doc) and j - end < 2 and (doc[j].like_num or doc[j].text in _ROMAN) and free(j):
        j += 1
    if j + 2 >= len(doc) or doc[j].text != ":" or doc[j].whitespace_ == "" and doc[j + 1].is_digit:
        return end  # no colon, or a time ("10:30")
    k = m = j + 1
    if doc[m].text in ("The", "A", "An"):
        m += 1
    while m < len(doc) and doc[m].pos_ == "PROPN" and doc[m].text[:1].isupper() and free(m):
        m += 1
    return m if m - k >= 2 and m > k + (doc[k].text in ("The", "A", "An")) else end


def _opening_verb(doc: Doc, start: int, end: int) -> bool:
    """The span's first word opens the sentence and is a verb whose object is the rest of the span."""
    first = doc[start]
    return (
        first.is_sent_start is True
        and first.pos_ == "VERB"
        and any(c.dep_ in ("dobj", "prep") and start < c.i < end for c in first.children)
    )


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
            elif end - start >= 2 and _opening_verb(doc, start, end):
                start += 1  # "Starring Adam West, Super Capers is ...": the verb is not part of the name
        if label not in _NOT_TITLES:
            end = _subtitle_end(doc, end, lambda i, k=k: free(i, k))
        sp[:] = [start, end, label]
    out: list[Ent] = []
    last_end = -1
    for start, end, label in sorted(spans, key=lambda sp: (sp[0], -sp[1])):
        if start >= last_end:  # drop spans swallowed by a repaired neighbour
            out.append(Ent(start, end, label))
            last_end = end
    return out


__all__ = ["Ent", "entity_spans"]
