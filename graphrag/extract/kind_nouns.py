"""Nouns that say what kind of thing a name is: classifiers after a name ("the FC Terek Grozny club", "the reggae
genre", "the Sony Music record label") and kinds of works between a maker and a title ("the Train song Mermaid")."""

from __future__ import annotations

from typing import TYPE_CHECKING

from graphrag.extract.person_nouns import is_person_noun

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

#: Kinds of works whose maker can be named before them ("the Train song Mermaid"; :mod:`.work_rules`).
WORK_KINDS = frozenset({"album", "song", "single", "film", "movie", "novel", "book", "play", "opera", "series", "ep"})
CLASSIFIERS = frozenset(
    {
        "genre", "style", "league", "club", "team", "band", "crew", "mission", "label", "theory", "language",
        "city", "town", "village", "river", "company",
        "corporation", "airline", "magazine", "newspaper", "programme", "program", "series", "dish", "cuisine",
        "industry", "sector",
    }
)  # fmt: skip
#: Person nouns that are also titles written as part of a name ("Lady Anne Monson", "King Henry", "Saint Paul").
_TITLE_WORDS = frozenset(
    {
        "lady", "lord", "king", "queen", "prince", "princess", "duke", "duchess", "count", "countess", "earl",
        "baron", "baroness", "emperor", "empress", "saint", "pope", "bishop", "archbishop", "cardinal", "general",
        "admiral", "captain", "colonel", "major", "lieutenant", "sergeant", "marshal", "president", "governor",
        "mayor", "senator", "chancellor", "chief", "sultan", "shah", "khan", "tsar", "czar", "caliph", "pharaoh",
        "doctor", "professor", "judge", "father", "brother", "sister", "mother", "prophet", "imam", "rabbi",
        "pastor", "deacon", "abbot", "abbess", "friar", "knight", "viscount", "marquess", "marquis", "margrave",
        "landgrave", "elector", "regent", "minister", "commander", "prelate", "master", "dame", "sir",
    }
)  # fmt: skip


def listed(word: str, nouns: frozenset[str]) -> bool:
    """Whether the lowercase noun ``word`` or its singular is in ``nouns`` ("labels", "industries", "tenants"):
    the pipeline may run without a lemmatizer, so a regular plural is undone here."""
    if word in nouns:
        return True
    if word.endswith("ies"):
        return word[:-3] + "y" in nouns
    return word.endswith("s") and word[:-1] in nouns


def is_class_word(tok: Token) -> bool:
    """A capitalised common noun that opens a sentence before a name and says what the name is ("Botanist Lady
    Anne Monson was born ...", "Film 'English Without Tears' was ..."): not part of the name. Titles written as
    part of names ("Lady", "King", "Saint") are not class words."""
    word = tok.lower_
    return (
        tok.is_sent_start is True
        and tok.text[:1].isupper()
        and tok.i + 1 < len(tok.doc)
        and (tok.doc[tok.i + 1].text[:1].isupper() or tok.doc[tok.i + 1].is_quote or tok.doc[tok.i + 1].like_num)
        and word not in _TITLE_WORDS
        and (is_person_noun(word) or word in WORK_KINDS or word in CLASSIFIERS)
    )


def classified_span(tok: Token) -> tuple[int, int] | None:
    """The token range of the name a classifier noun ``tok`` follows ("the FC Terek Grozny club" -> FC Terek
    Grozny; "the pop rock genre" -> pop rock), or ``None`` (not a classifier, nothing before it, or a description:
    "the largest city")."""
    if tok.pos_ != "NOUN" or not listed(tok.lower_, CLASSIFIERS):
        return None
    doc = tok.doc
    end = tok.i
    while end > 0 and doc[end - 1].dep_ == "compound" and doc[end - 1].pos_ == "NOUN":
        end -= 1  # "record" in "the Sony Music record label"
    start = end
    while (
        start > 0
        and doc[start - 1].dep_ in ("compound", "amod", "nmod", "nummod")
        and start <= doc[start - 1].head.i <= tok.i
    ):
        start -= 1
    words = doc[start:end]
    lowercase_name = not any(w.pos_ == "PROPN" for w in words)
    if lowercase_name:
        if len(words) and words[-1].dep_ == "nummod":
            return None  # "the two clubs": a count ("the Shenzhou 10 mission" is a name with a number)
        # "the reggae genre", "the pop rock genre": the lowercase words before the classifier are the name
        end = tok.i
        words = doc[start:end]
        if not any(w.pos_ == "NOUN" for w in words):
            return None  # "the largest city", "the national team": a description, not a name
    if start == end or any(w.tag_ in ("JJS", "JJR") for w in words):
        return None
    if not lowercase_name and any(w.pos_ == "ADJ" and w.dep_ == "amod" and not w.text[0].isupper() for w in words):
        return None  # "the famous FC Terek Grozny club": a description before the name
    return start, end


def without_classifier(doc: Doc, start: int, end: int) -> int:
    """The end of a name span without a lowercase classifier noun closing it: "the Campeonato Brasileiro Serie C
    league" is the league's name before its noun."""
    last = doc[end - 1]
    if end - start >= 2 and last.pos_ == "NOUN" and listed(last.lower_, CLASSIFIERS) and last.text.islower():
        return end - 1
    return end


__all__ = ["CLASSIFIERS", "WORK_KINDS", "classified_span", "is_class_word", "listed", "without_classifier"]
