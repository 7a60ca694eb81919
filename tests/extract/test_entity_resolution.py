"""Entity resolution: normalisation, aliases, acronyms, embedding similarity, determinism."""

from __future__ import annotations

import random
from collections.abc import Sequence

import numpy as np
import pytest

from graphrag.config import ResolveConfig
from graphrag.embed import HashingEmbedder
from graphrag.extract.entity_names import display_name, entity_key, initials, looks_like_acronym
from graphrag.extract.entity_resolution import EntityResolver
from graphrag.extract.records import ExtractedMention
from graphrag.ids import entity_id


def m(text: str, label: str = "") -> ExtractedMention:
    return ExtractedMention(text, label, 0, len(text))


class TableEmbedder:
    """Vectors looked up by name: unit vectors at chosen angles, so cosine similarities are known exactly."""

    name = "table"
    dim = 2

    def __init__(self, angles_deg: dict[str, float]) -> None:
        self.angles = angles_deg
        self.calls: list[list[str]] = []

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        self.calls.append(list(texts))
        rad = np.radians([self.angles[t] for t in texts])
        return np.stack([np.cos(rad), np.sin(rad)], axis=1).astype(np.float32)


def test_normalise_helpers() -> None:
    assert entity_key("The Beatles'") == entity_key("the  beatles") == entity_key("Beatles") == "beatles"
    assert entity_key("Holmes's") == "holmes"
    assert entity_key("1,777,539") == "1777539"
    assert display_name("the Mason School of Business,") == "Mason School of Business"
    assert display_name("The Beatles") == "The Beatles"
    assert display_name("Guy's") == "Guy"
    assert initials("International Business Machines") == "ibm"
    assert initials("United States of America") == "usa"
    assert looks_like_acronym("IBM") and looks_like_acronym("U.S.") and not looks_like_acronym("Ibm")


def test_surface_forms_with_one_key_are_one_entity() -> None:
    out = EntityResolver(None).resolve([m("the Beatles", "ORG"), m("The Beatles", "ORG"), m("Beatles'", "ORG")])
    assert {e.id for e in out.values()} == {entity_id("The Beatles")}
    assert out["the Beatles"].name == "The Beatles"
    assert out["Beatles'"].type == "ORG"


def test_short_person_name_is_an_alias_of_the_full_name() -> None:
    out = EntityResolver(None).resolve(
        [m("Holmes", "PERSON"), m("Sherlock Holmes", "PERSON"), m("Holmes's", "PERSON"), m("London", "GPE")]
    )
    holmes = out["Holmes"]
    assert holmes == out["Sherlock Holmes"] == out["Holmes's"]
    assert holmes.name == "Sherlock Holmes"
    assert holmes.id == entity_id("Sherlock Holmes")
    assert holmes.aliases == ("Holmes",)
    assert out["London"].name == "London" and out["London"].aliases == ()


def test_a_word_the_document_writes_in_lower_case_is_no_ones_short_name() -> None:
    from graphrag.extract.batch_linking import lowercase_words

    text = "3096 Days is a drama film. Martin Moskowicz, head of TV and Film at Constantin Film, took over."
    common = lowercase_words([text])
    assert "film" in common and "days" not in common and "constantin" not in common
    mentions = [m("Film"), m("Constantin Film"), m("Martin Moskowicz", "PERSON")]
    out = EntityResolver(None).resolve(mentions, common)
    assert out["Film"] != out["Constantin Film"] and out["Constantin Film"].aliases == ()
    # without the document's words (or when it never writes "film" in lower case) the short form is an alias
    assert EntityResolver(None).resolve(mentions)["Film"] == EntityResolver(None).resolve(mentions)["Constantin Film"]
    # a person's surname that is also a word stays their short name ("Neil Young ... young musicians")
    people = EntityResolver(None).resolve([m("Young", "PERSON"), m("Neil Young", "PERSON")], frozenset({"young"}))
    assert people["Young"] == people["Neil Young"]


def test_ambiguous_alias_stays_separate() -> None:
    out = EntityResolver(None).resolve([m("Guy", "PERSON"), m("Guy of Spoleto", "PERSON"), m("Guy Fawkes", "PERSON")])
    assert len({e.id for e in out.values()}) == 3
    assert out["Guy"].name == "Guy"


def test_places_and_numbered_names_are_not_aliases() -> None:
    out = EntityResolver(None).resolve(
        [
            m("York", "GPE"),
            m("New York", "GPE"),
            m("Lothair", "PERSON"),
            m("Lothair II", "PERSON"),
            m("Lothair I", "PERSON"),
        ]
    )
    assert out["York"].id != out["New York"].id
    assert out["Lothair I"].id != out["Lothair II"].id
    assert out["Lothair"].name == "Lothair"  # two candidates: ambiguous


def test_a_phrase_about_a_name_is_not_its_long_form() -> None:
    out = EntityResolver(HashingEmbedder(64)).resolve(
        [
            m("BBC", "ORG"),
            m("BBC headquarters"),
            m("Ciudad Ayala", "GPE"),
            m("Ciudad Ayala city"),
            m("Leonardo da Vinci", "PERSON"),
            m("Leonardo", "PERSON"),
        ]
    )
    assert out["BBC"].name == "BBC" and out["BBC headquarters"].name == "BBC headquarters"
    assert out["Ciudad Ayala"].id != out["Ciudad Ayala city"].id
    assert out["Leonardo"].name == "Leonardo da Vinci"  # lowercase name particles still make a name


def test_acronym_joins_its_expansion_and_alias_merge_can_be_switched_off() -> None:
    mentions = [m("IBM", "ORG"), m("International Business Machines", "ORG"), m("NASA", "ORG")]
    out = EntityResolver(None).resolve(mentions)
    assert out["IBM"].name == "International Business Machines"
    assert out["IBM"].aliases == ("IBM",)
    assert out["NASA"].name == "NASA"
    plain = EntityResolver(None, ResolveConfig(alias_merge=False)).resolve(mentions)
    assert plain["IBM"].name == "IBM"


def test_similar_names_merge_above_the_threshold_only() -> None:
    # cos(10 deg) = 0.985 > 0.95; cos(30 deg) = 0.866 < 0.95
    emb = TableEmbedder({"St. Maurice Abbey": 0, "Saint Maurice Abbey": 10, "Maurice Hall": 40})
    out = EntityResolver(emb, ResolveConfig(similarity_threshold=0.95)).resolve(
        [m("St. Maurice Abbey", "FAC"), m("Saint Maurice Abbey", "FAC"), m("Maurice Hall", "FAC")]
    )
    assert out["St. Maurice Abbey"].id == out["Saint Maurice Abbey"].id
    assert out["Maurice Hall"].id != out["St. Maurice Abbey"].id
    assert out["Saint Maurice Abbey"].name == "Saint Maurice Abbey"  # the longer form
    assert out["Saint Maurice Abbey"].aliases == ("St. Maurice Abbey",)


def test_similarity_respects_types_numbers_and_dates() -> None:
    # identical vectors everywhere: only the guards keep these apart
    names = ["Paris", "Paris Hilton", "Louis XIV", "Louis XV", "1950", "1951"]
    emb = TableEmbedder(dict.fromkeys(names, 0.0))
    out = EntityResolver(emb, ResolveConfig(similarity_threshold=0.9, alias_merge=False)).resolve(
        [
            m("Paris", "GPE"),
            m("Paris Hilton", "PERSON"),
            m("Louis XIV", "PERSON"),
            m("Louis XV", "PERSON"),
            m("1950", "DATE"),
            m("1951", "DATE"),
        ]
    )
    assert len({e.id for e in out.values()}) == 6


def test_unrelated_names_are_not_embedded() -> None:
    emb = TableEmbedder({"Tuscany": 0, "Marozia": 0})
    EntityResolver(emb).resolve([m("Tuscany", "GPE"), m("Marozia", "GPE")])
    assert emb.calls == []  # no shared word and dissimilar spelling: not a candidate pair


def test_output_is_deterministic_and_order_free() -> None:
    mentions = [
        m("Holmes", "PERSON"),
        m("Sherlock Holmes", "PERSON"),
        m("Dr. Watson", "PERSON"),
        m("Watson", ""),
        m("the Baker Street", "FAC"),
        m("Baker Street", "FAC"),
        m("London", "GPE"),
        m("IBM", "ORG"),
        m("International Business Machines", "ORG"),
    ]
    resolver = EntityResolver(HashingEmbedder(64))
    first = resolver.resolve(mentions)
    for seed in range(5):
        shuffled = list(mentions)
        random.Random(seed).shuffle(shuffled)
        assert EntityResolver(HashingEmbedder(64)).resolve(shuffled) == first


def test_type_is_the_majority_label() -> None:
    out = EntityResolver(None).resolve([m("Hugh", "GPE"), m("Hugh", "PERSON"), m("Hugh", "PERSON"), m("Hugh", "")])
    assert out["Hugh"].type == "PERSON"


def test_punctuation_only_forms_are_left_out_and_empty_input_is_fine() -> None:
    out = EntityResolver(None).resolve([m("--"), m("..."), m("Lucca", "GPE")])
    assert set(out) == {"Lucca"}
    assert EntityResolver(None).resolve([]) == {}


def test_threshold_must_be_a_similarity() -> None:
    with pytest.raises(ValueError, match="similarity_threshold"):
        EntityResolver(None, ResolveConfig(similarity_threshold=1.5))


def test_a_nationality_answers_to_its_countrys_names() -> None:
    from graphrag.extract.demonyms import country_names

    assert country_names("Polish") == ("Poland",) and country_names("South-African") == ("South Africa",)
    assert country_names("Arab") == () and country_names("Hollywood") == ()
    out = EntityResolver(None).resolve([m("American", "NORP"), m("Polish", "NORP"), m("American", "PERSON")])
    by_name = {e.name: e for e in out.values()}
    assert {"United States", "United States of America"} <= set(by_name["American"].aliases)
    assert by_name["Polish"].aliases == ("Poland",)
    # only a nationality: a person or place called "Georgian" or "Jordan" keeps its own names
    out = EntityResolver(None).resolve([m("Georgian", "PERSON")])
    assert next(iter(out.values())).aliases == ()
