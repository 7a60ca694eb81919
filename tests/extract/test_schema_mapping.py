"""Mapping open predicates onto a schema: aliases, inverse phrasings, type constraints, embedding similarity,
and the strict and open modes of the ingest stage."""

from __future__ import annotations

import tomllib
from collections.abc import Sequence

import numpy as np
import pytest

from graphrag.errors import ConfigError
from graphrag.extract.records import ChunkAnalysis, ExtractedTriple
from graphrag.extract.schema import parse_schema
from graphrag.extract.schema_mapping import SchemaMapper, SchemaRefiner, normalise_predicate

SCHEMA = parse_schema(
    tomllib.loads(
        """
[[entity_types]]
name = "Person"
[[entity_types]]
name = "Place"
[[entity_types]]
name = "Date"
[[entity_types]]
name = "Work"

[[relations]]
name = "director"
aliases = ["directed by"]
inverse_aliases = ["directed"]
subject_types = ["Work"]
object_types = ["Person"]

[[relations]]
name = "place of birth"
aliases = ["born in"]
subject_types = ["Person"]
object_types = ["Place"]

[[relations]]
name = "date of birth"
aliases = ["born in", "born on"]
subject_types = ["Person"]
object_types = ["Date"]

[[relations]]
name = "spouse"
subject_types = ["Person"]
object_types = ["Person"]
"""
    )
)


class TableEmbedder:
    """Unit vectors from a table of texts (axis per concept); unknown texts get an axis of their own."""

    name = "table"
    dim = 8

    def __init__(self, axes: dict[str, int]) -> None:
        self.axes = axes
        self.calls: list[list[str]] = []

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        self.calls.append(list(texts))
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, t in enumerate(texts):
            out[i, self.axes.get(t, 7)] = 1.0
        return out


def test_predicates_are_normalised_before_matching() -> None:
    assert normalise_predicate("was born in") == "born in"
    assert normalise_predicate("birthPlace") == "birth place"
    assert normalise_predicate("is") == "is"  # nothing left after the auxiliary: kept
    assert normalise_predicate("  Directed_By ") == "directed by"


def test_aliases_map_with_their_direction_and_inverse_phrasings_swap_the_ends() -> None:
    m = SchemaMapper(SCHEMA, None)
    hit = m.map("was directed by", "WORK_OF_ART", "PERSON")
    assert hit is not None and (hit.relation, hit.inverted, hit.how) == ("director", False, "alias")
    t = ExtractedTriple("Ridley Scott", "PERSON", "directed", "Alien", "WORK_OF_ART", 0.9)
    mapped = m.map_triple(t)
    assert mapped is not None
    assert (mapped.subject, mapped.predicate, mapped.object) == ("Alien", "director", "Ridley Scott")
    assert (mapped.subject_label, mapped.object_label) == ("WORK_OF_ART", "PERSON")


def test_type_constraints_choose_between_relations_sharing_a_phrase() -> None:
    m = SchemaMapper(SCHEMA, None)
    assert m.map("born in", "PERSON", "GPE").relation == "place of birth"
    assert m.map("born in", "PERSON", "DATE").relation == "date of birth"
    # a value never fills a name's slot (nor a name a value's): a date is not born anywhere
    assert m.map("born in", "DATE", "GPE") is None
    assert m.map("directed by", "WORK_OF_ART", "DATE") is None
    # name labels are often wrong (a film title tagged ORG): a name in another name's slot is a weak fit,
    # taken when nothing fits better
    assert m.map("directed by", "ORG", "PERSON").relation == "director"
    # a mention without a known label may fill any slot
    assert m.map("born in", "", "").relation in {"place of birth", "date of birth"}


def test_unlisted_predicates_map_by_embedding_similarity_above_the_threshold() -> None:
    emb = TableEmbedder({"spouse": 0, "married to": 0, "director": 1, "directed by": 1, "friend of": 2})
    m = SchemaMapper(SCHEMA, emb, threshold=0.6)
    hit = m.map("married to", "PERSON", "PERSON")
    assert hit is not None and (hit.relation, hit.how, hit.score) == ("spouse", "embedding", 1.0)
    assert m.map("married to", "PERSON", "DATE") is None  # similar, but the types do not fit
    assert m.map("friend of", "PERSON", "PERSON") is None  # nothing similar enough
    calls = len(emb.calls)
    m.map("married to", "PERSON", "PERSON")
    assert len(emb.calls) == calls  # answers are cached


def test_a_threshold_outside_zero_to_one_is_refused() -> None:
    with pytest.raises(ConfigError):
        SchemaMapper(SCHEMA, None, threshold=0.0)


def _analysis(*triples: ExtractedTriple) -> ChunkAnalysis:
    return ChunkAnalysis(mentions=(), triples=triples)


def test_strict_mode_drops_unmapped_triples_and_open_mode_keeps_them() -> None:
    triples = (
        ExtractedTriple("Alien", "WORK_OF_ART", "directed by", "Ridley Scott", "PERSON", 0.9),
        ExtractedTriple("Alien", "WORK_OF_ART", "filmed in", "London", "GPE", 0.9),
    )
    strict = SchemaRefiner(SchemaMapper(SCHEMA, None), mode="strict")
    [a] = strict.refine(["text"], [_analysis(*triples)])
    assert [t.predicate for t in a.triples] == ["director"]
    assert strict.report() == {"mode": "strict", "mapped": 1, "unmapped": 1, "schema": "<schema>"}
    open_ = SchemaRefiner(SchemaMapper(SCHEMA, None), mode="open")
    [b] = open_.refine(["text"], [_analysis(*triples)])
    assert [t.predicate for t in b.triples] == ["director", "filmed in"]
    assert strict.version != open_.version
    with pytest.raises(ConfigError, match="unknown schema mode"):
        SchemaRefiner(SchemaMapper(SCHEMA, None), mode="loose")


# -- schemas without aliases: relational nouns and word stems -------------------------------------------------
BARE = parse_schema(
    tomllib.loads(
        """
[[relations]]
name = "doctoralAdvisor"
[[relations]]
name = "director"
[[relations]]
name = "birthPlace"
[[relations]]
name = "birthDate"
[[relations]]
name = "runwayLength"
[[relations]]
name = "areaTotal"
[[relations]]
name = "populationTotal"
[[relations]]
name = "runtime"
[[relations]]
name = "timeZone"
[[relations]]
name = "child"
"""
    )
)


def test_a_relational_noun_maps_with_the_ends_swapped() -> None:
    m = SchemaMapper(BARE, None)
    # "Y is the doctoral advisor of X": X's doctoral advisor is Y
    hit = m.map("doctoral advisor of", "PERSON", "PERSON")
    assert hit is not None and (hit.relation, hit.inverted, hit.how) == ("doctoralAdvisor", True, "relational noun")
    assert m.map("children of", "PERSON", "PERSON").relation == "child"
    # a verb's path is no relational noun: "X has a runway length of N" keeps its direction
    hit = m.map("have runway length of", "FAC", "QUANTITY")
    assert hit is not None and (hit.relation, hit.inverted) == ("runwayLength", False)


def test_predicates_map_by_shared_word_stems() -> None:
    m = SchemaMapper(BARE, None)
    assert (m.map("directed by", "WORK_OF_ART", "PERSON").relation, m.map("directed by").how) == ("director", "stem")
    # the kind of value decides between relations with the same stem
    assert m.map("born", "PERSON", "DATE").relation == "birthDate"
    assert m.map("born in", "PERSON", "GPE").relation == "birthPlace"
    assert m.map("born in", "PERSON", "PERSON") is None  # neither a date nor a place
    # more of the relation's words matched wins; joined words read as one ("run time" = runtime)
    assert m.map("total area", "GPE", "QUANTITY").relation == "areaTotal"
    assert m.map("run time", "WORK_OF_ART", "TIME").relation == "runtime"
    # nothing shared, nothing mapped
    assert m.map("is a", "PERSON", "") is None
    assert m.map("married to", "PERSON", "PERSON") is None


def test_word_stems() -> None:
    from graphrag.extract.predicate_stems import content_words, shared_stem, value_fit

    assert shared_stem("directed", "director") == 6
    assert shared_stem("starring", "star") == 4
    assert shared_stem("born", "birth") > 0 and shared_stem("die", "death") > 0
    assert shared_stem("direct", "dinner") == 0
    assert shared_stem("country", "counterpart") == 0  # more than four letters left over
    assert content_words("was born in") == ["born"]
    assert value_fit(["birth", "date"], "DATE") == 1
    assert value_fit(["birth", "date"], "GPE") == -1
    assert value_fit(["director"], "PERSON") == 0
