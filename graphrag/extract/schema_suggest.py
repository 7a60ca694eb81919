"""A schema proposed from an ingested store (``graphrag schema suggest``): its most frequent predicates, each a
relation with the entity types it mostly joins and a few example edges as comments, for a person to edit and
pass back to ``graphrag ingest --schema``."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any

from graphrag.extract.schema import EntityType, RelationType, Schema
from graphrag.store import queries as Q

#: A relation is limited to a type when at least this share of its edges have that type at that end.
TYPE_SHARE = 0.8

#: Plain words for spaCy's English NER labels (the types a suggested schema starts from).
LABEL_DESCRIPTIONS = {
    "PERSON": "people, including fictional",
    "NORP": "nationalities or religious or political groups",
    "FAC": "buildings, airports, highways, bridges",
    "ORG": "companies, agencies, institutions",
    "GPE": "countries, cities, states",
    "LOC": "non-GPE locations, mountain ranges, bodies of water",
    "PRODUCT": "objects, vehicles, foods (not services)",
    "EVENT": "named hurricanes, battles, wars, sports events",
    "WORK_OF_ART": "titles of books, songs, films",
    "LAW": "named documents made into laws",
    "LANGUAGE": "any named language",
    "DATE": "absolute or relative dates or periods",
    "TIME": "times smaller than a day",
    "PERCENT": "percentages",
    "MONEY": "monetary values",
    "QUANTITY": "measurements, as of weight or distance",
    "ORDINAL": "first, second, ...",
    "CARDINAL": "numerals that do not fall under another type",
}

_NAME = re.compile(r"[^0-9a-z]+")


@dataclass(frozen=True)
class Suggestion:
    """The proposed schema and, per relation, comment lines (edge count, examples)."""

    schema: Schema
    comments: dict[str, list[str]]


def relation_name(predicate: str) -> str:
    """A relation name for an open predicate: lowercase words joined by underscores ("directed by" ->
    ``directed_by``)."""
    return _NAME.sub("_", predicate.casefold()).strip("_") or "related_to"


def suggest_schema(store: Any, *, top: int = 30, min_count: int = 2, examples: int = 3) -> Suggestion:
    """The ``top`` most frequent predicates of ``store`` (each on at least ``min_count`` edges) as relations."""
    counts: Counter[str] = Counter()
    ends: dict[str, tuple[Counter[str], Counter[str]]] = defaultdict(lambda: (Counter(), Counter()))
    for row in store.execute(Q.PREDICATE_PROFILE).to_pylist():
        p, n = str(row["predicate"]), int(row["n"])
        counts[p] += n
        ends[p][0][row["s_type"] or ""] += n
        ends[p][1][row["o_type"] or ""] += n
    chosen = [(p, n) for p, n in counts.most_common() if n >= min_count][:top]
    relations: list[RelationType] = []
    comments: dict[str, list[str]] = {}
    used_types: set[str] = set()
    taken: set[str] = set()
    for predicate, n in chosen:
        name = relation_name(predicate)
        if name in taken:  # two predicates with one name ("born in" and "born_in"): the first keeps it
            continue
        taken.add(name)
        s_type, o_type = (_main_type(c, n) for c in ends[predicate])
        used_types.update(t for t in (s_type, o_type) if t)
        relations.append(
            RelationType(
                name=name,
                aliases=(predicate,) if predicate != name else (),
                subject_types=(s_type,) if s_type else (),
                object_types=(o_type,) if o_type else (),
            )
        )
        rows = store.execute(Q.PREDICATE_EXAMPLES, {"predicate": predicate, "k": examples}).to_pylist()
        comments[name] = [f"{n:,} edges, e.g. " + "; ".join(f"{r['s']} -> {r['o']}" for r in rows)]
    types = tuple(
        EntityType(name=t, description=LABEL_DESCRIPTIONS.get(t, ""), labels=(t,)) for t in sorted(used_types)
    )
    return Suggestion(Schema(types, tuple(relations), "suggested"), comments)


def _main_type(types: Counter[str], total: int) -> str:
    """The type at least :data:`TYPE_SHARE` of the edges have at one end, or ``""``."""
    if not types:
        return ""
    name, n = types.most_common(1)[0]
    return name if name and n / total >= TYPE_SHARE else ""


__all__ = ["LABEL_DESCRIPTIONS", "Suggestion", "relation_name", "suggest_schema"]
