"""Measures said as modifiers of a noun: "X is a 35.1 minute long album", "Y, a 98 minute long movie", "Z is a
94 minute movie", "W has a 3,800 metre long runway".

The number and its unit modify the class noun, so no verb or preposition relates them to the thing measured:
the thing is the copula's subject, the name the noun is in apposition to, or the subject of "have" (whose
object names the measured part: "runway length"). The predicate is the dimension: a time unit gives
``duration``; otherwise the adjective says it (``long`` -> ``length``, ``high``/``tall`` -> ``height`` ...).
Without either ("a 500 page book") nothing is added.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from graphrag.extract.triple_arguments import BE, LITERAL_LABELS, Node

if TYPE_CHECKING:
    from spacy.tokens import Token

    from graphrag.extract.triple_collector import Collector, Ends

_DIMENSIONS = {"long": "length", "high": "height", "tall": "height", "wide": "width", "deep": "depth"}
_TIME_UNITS = frozenset({"second", "minute", "hour", "day", "week", "month", "year"})
_UNIT_DEPS = frozenset({"nmod", "compound", "npadvmod"})


def measure_rules(x: Collector, noun: Token) -> None:
    """Add ``(thing, dimension, measure)`` for a class noun ``noun`` modified by a number with a unit."""
    found = _measure(x, noun)
    if found is None:
        return
    dimension, value = found
    owners: Ends = []
    head = noun.head
    if noun.dep_ == "attr" and (head.lower_ in BE or x.lemma(head) == "be"):
        owners = x.f.subjects(head)
        opener = x.f.opener
        if not owners and head.dep_ == "ROOT" and opener is not None and opener.end <= head.i < opener.end + 3:
            owners = [(opener, 0.9)]  # "Turn Me On is a 35.1 minute long album": a title the parser split
    elif noun.dep_ == "appos":
        n = x.f.node(head)
        owners = [(n, 0.9)] if n is not None else []
    elif noun.dep_ == "dobj" and x.lemma(head) == "have":
        owners = x.f.subjects(head)
        dimension = f"{noun.lower_} {dimension}"
    owners = [(o, f) for o, f in owners if o.kind in ("entity", "name")]
    x.add_all(owners, dimension, [(value, 1.0)], "measure")


def _measure(x: Collector, noun: Token) -> tuple[str, Node] | None:
    """The dimension and the value node of the measure modifying ``noun``, if any."""
    adjectives = [c for c in noun.children if c.dep_ == "amod" and c.lower_ in _DIMENSIONS]
    units = [c for c in noun.children if c.dep_ in _UNIT_DEPS and c.pos_ == "NOUN"]
    units += [u for a in adjectives for u in a.children if u.dep_ == "npadvmod" and u.pos_ == "NOUN"]
    for unit in units:
        number = next((c for c in unit.children if c.dep_ == "nummod" and c.like_num), None)
        if number is None:
            continue
        lemma = x.lemma(unit)
        if lemma in _TIME_UNITS:
            dimension = "duration"
        elif adjectives:
            dimension = _DIMENSIONS[adjectives[0].lower_]
        else:
            continue
        value = x.f.node(number)
        if value is not None and (value.kind == "number" or value.label in LITERAL_LABELS):
            return dimension, value
    return None


__all__ = ["measure_rules"]
