"""Nouns that say what kind of thing a name is: classifiers after a name ("the FC Terek Grozny club", "the reggae
genre", "the Sony Music record label") and kinds of works between a maker and a title ("the Train song Mermaid")."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

#: Kinds of works whose maker can be named before them ("the Train song Mermaid"; :mod:`.work_rules`).
WORK_KINDS = frozenset({"album", "song", "single", "film", "movie", "novel", "book", "play", "opera", "series", "ep"})
CLASSIFIERS = frozenset(
    {
        "genre", "style", "league", "club", "team", "band", "crew", "mission", "label", "theory", "language",
        "city", "town", "village", "river", "company",
        "corporation", "airline", "magazine", "newspaper", "programme", "program", "series", "dish", "cuisine",
    }
)  # fmt: skip


def classified_span(tok: Token) -> tuple[int, int] | None:
    """The token range of the name a classifier noun ``tok`` follows ("the FC Terek Grozny club" -> FC Terek
    Grozny; "the pop rock genre" -> pop rock), or ``None`` (not a classifier, nothing before it, or a description:
    "the largest city")."""
    if tok.pos_ != "NOUN" or tok.lower_ not in CLASSIFIERS:
        return None
    doc = tok.doc
    end = tok.i
    while end > 0 and doc[end - 1].dep_ == "compound" and doc[end - 1].pos_ == "NOUN":
        end -= 1  # "record" in "the Sony Music record label"
    start = end
    while start > 0 and doc[start - 1].dep_ in ("compound", "amod", "nmod") and start <= doc[start - 1].head.i <= tok.i:
        start -= 1
    if start == end:
        if end == tok.i:
            return None
        start, end = end, tok.i  # "the pop rock genre": the lowercase compounds are the name
    if any(w.pos_ == "ADJ" and w.dep_ == "amod" and not w.text[0].isupper() for w in doc[start:end]):
        return None  # "the largest city": a description, not a name
    return start, end


def without_classifier(doc: Doc, start: int, end: int) -> int:
    """The end of a name span without a lowercase classifier noun closing it: "the Campeonato Brasileiro Serie C
    league" is the league's name before its noun."""
    last = doc[end - 1]
    if end - start >= 2 and last.pos_ == "NOUN" and last.lower_ in CLASSIFIERS and last.text.islower():
        return end - 1
    return end


__all__ = ["CLASSIFIERS", "WORK_KINDS", "classified_span", "without_classifier"]
