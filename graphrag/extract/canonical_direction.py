"""Which way round a fact is stored, so that one fact read from different sentences gives one edge.

* **Making verbs read from the work.** "Y was directed by X" gives ``(Y, directed by, X)``; "X directed Y" gives
  the same triple, not ``(X, direct, Y)``. The verbs are those whose object is a thing the subject made, wrote,
  founded, found or runs (authorship, creation, publication, ownership), where a knowledge graph's edge belongs to
  the work ("a film's director", "a company's founder", "an asteroid's discoverer"). Verbs whose object merely
  takes part ("attended", "visited", "married", "won", "played") keep the sentence's order.
* **Relational nouns read from their holder.** "X is the architect of Y" says that Y's architect is X, as "Y's
  architect is X" does, so both give ``(Y, architect, X)``. Only a noun with the definite article names Y's own
  role in that way; "X is a member of Y" and "X is part of Y" say that X belongs to Y and keep their order, and
  so do kinship nouns ("X is the son of Y": the family relations are read from the person named first).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from graphrag.extract.kind_nouns import listed

if TYPE_CHECKING:
    from spacy.tokens import Token

#: Lemma -> past participle of the verbs whose triples are stored from the object's side.
MAKING_VERBS: dict[str, str] = {
    "write": "written",
    "co-write": "co-written",
    "direct": "directed",
    "co-direct": "co-directed",
    "produce": "produced",
    "co-produce": "co-produced",
    "compose": "composed",
    "edit": "edited",
    "design": "designed",
    "build": "built",
    "construct": "constructed",
    "create": "created",
    "co-create": "co-created",
    "found": "founded",
    "co-found": "co-founded",
    "develop": "developed",
    "invent": "invented",
    "discover": "discovered",
    "publish": "published",
    "release": "released",
    "broadcast": "broadcast",
    "distribute": "distributed",
    "manufacture": "manufactured",
    "paint": "painted",
    "illustrate": "illustrated",
    "sculpt": "sculpted",
    "photograph": "photographed",
    "narrate": "narrated",
    "translate": "translated",
    "operate": "operated",
    "own": "owned",
    "sponsor": "sponsored",
    "commission": "commissioned",
}

#: Relational nouns that keep the sentence's order even with "the": family relations, read from the person named
#: first, and nouns of belonging ("the home of", "the birthplace of" are roles and invert).
KEEP_ORDER_NOUNS = frozenset(
    {
        "son", "daughter", "child", "children", "father", "mother", "parent", "parents", "brother", "sister",
        "sibling", "wife", "husband", "spouse", "widow", "widower", "grandson", "granddaughter", "grandfather",
        "grandmother", "grandchild", "uncle", "aunt", "nephew", "niece", "cousin", "heir", "stepson",
        "stepdaughter", "stepfather", "stepmother", "partner", "fiancé", "fiancée",
        "part", "member", "citizen", "native", "resident", "one", "kind", "type", "sort", "form", "example",
        "variety", "version", "edition", "subset", "portion", "rest", "majority", "most", "all", "some",
    }
)  # fmt: skip


def passive_of(lemma: str) -> str | None:
    """The participle a making verb's triple is stored with ("direct" -> "directed"); ``None`` for other verbs."""
    return MAKING_VERBS.get(lemma)


def reads_from_holder(noun: Token) -> bool:
    """Whether "X is the ``noun`` of Y" is stored as ``(Y, noun, X)``: a relational noun with the definite
    article ("the architect of", "the current tenants of"), not a family or belonging noun."""
    if listed(noun.lower_, KEEP_ORDER_NOUNS):
        return False
    return any(c.dep_ == "det" and c.lower_ == "the" for c in noun.children)


__all__ = ["KEEP_ORDER_NOUNS", "MAKING_VERBS", "passive_of", "reads_from_holder"]
