"""Rules v9: one fact, one direction (making verbs, "the N of"), names without the class words around them, genres,
and the schema mapper choosing between relations of one kind by the object's value."""

from __future__ import annotations

import tomllib

from graphrag.extract.analysis import SpacyAnalyzer
from graphrag.extract.canonical_direction import passive_of
from graphrag.extract.dependency_triples import TripleRules, extract_passage
from graphrag.extract.records import ExtractedTriple
from graphrag.extract.schema import parse_schema
from graphrag.extract.schema_mapping import SchemaMapper

NO_PATH = TripleRules(path_fallback=False)


def found(analyzer: SpacyAnalyzer, text: str) -> set[tuple[str, str, str]]:
    result = extract_passage(analyzer.nlp(text), NO_PATH, analyzer.lemma)
    return {(t.subject.text, t.predicate, t.object.text) for t in result.triples}


# -- making verbs -----------------------------------------------------------------------------------------------
def test_active_and_passive_making_verbs_give_one_triple(spacy_analyzer: SpacyAnalyzer) -> None:
    active = found(spacy_analyzer, "Ridley Scott directed Alien.")
    passive = found(spacy_analyzer, "Alien was directed by Ridley Scott.")
    assert ("Alien", "directed by", "Ridley Scott") in active & passive
    assert ("Lionsgate", "founded by", "Frank Giustra") in found(spacy_analyzer, "Frank Giustra founded Lionsgate.")
    assert passive_of("discover") == "discovered" and passive_of("attend") is None


def test_verbs_whose_object_takes_part_keep_the_sentence_order(spacy_analyzer: SpacyAnalyzer) -> None:
    assert ("Ann Lee", "attend", "Harvard University") in found(spacy_analyzer, "Ann Lee attended Harvard University.")
    assert ("Tom Brook", "marry", "Ann Lee") in found(spacy_analyzer, "Tom Brook married Ann Lee.")


def test_a_making_verb_with_a_count_or_a_common_noun_is_not_turned(spacy_analyzer: SpacyAnalyzer) -> None:
    got = found(spacy_analyzer, "Ann Lee wrote six novels.")
    assert not any(p == "written by" for _, p, _ in got)


# -- relational nouns -------------------------------------------------------------------------------------------
def test_the_n_of_y_is_stored_as_ys_n(spacy_analyzer: SpacyAnalyzer) -> None:
    of = found(spacy_analyzer, "Robert Stern is the architect of Miller Hall.")
    poss = found(spacy_analyzer, "Miller Hall's architect is Robert Stern.")
    assert ("Miller Hall", "architect", "Robert Stern") in of & poss
    assert ("Bedford Aerodrome", "operating organisation", "MotorSport Vision") in found(
        spacy_analyzer, "MotorSport Vision is the operating organisation for Bedford Aerodrome."
    )


def test_family_and_belonging_nouns_and_indefinite_ones_keep_the_sentence_order(spacy_analyzer: SpacyAnalyzer) -> None:
    assert ("Tom Brook", "son of", "Ann Lee") in found(spacy_analyzer, "Tom Brook is the son of Ann Lee.")
    assert ("Ann Lee", "citizen of", "Israel") in found(spacy_analyzer, "Ann Lee is a citizen of Israel.")
    assert ("Ann Lee", "member of", "Camera Obscura") in found(spacy_analyzer, "Ann Lee is a member of Camera Obscura.")


# -- names without their class words ----------------------------------------------------------------------------
def test_a_class_noun_opening_the_sentence_is_not_part_of_the_name(spacy_analyzer: SpacyAnalyzer) -> None:
    assert ("Lady Anne Monson", "born in", "Darlington") in found(
        spacy_analyzer, "Botanist Lady Anne Monson was born in Darlington."
    )
    # a title written as part of a name stays
    assert ("Lady Anne Monson", "born in", "Darlington") in found(
        spacy_analyzer, "Lady Anne Monson was born in Darlington."
    )


def test_the_year_n_is_n_and_classifier_plurals_and_numbered_names(spacy_analyzer: SpacyAnalyzer) -> None:
    got = found(spacy_analyzer, "The Infantry Monument was established in the year 2000.")
    assert any(p == "established" and o == "2000" for _, p, o in got), got
    got = found(
        spacy_analyzer, "Mermaid was released on the Columbia Records and Sony Music Entertainment record labels."
    )
    assert ("Mermaid", "released on", "Sony Music Entertainment") in got
    assert any(
        o == "Shenzhou 10" for _, _, o in found(spacy_analyzer, "Nie Haisheng took part in the Shenzhou 10 mission.")
    )
    # a count before a classifier is no name
    assert not any(o == "two" for _, _, o in found(spacy_analyzer, "Ann Lee played for the two clubs."))


# -- genres -----------------------------------------------------------------------------------------------------
def test_the_genre_of_a_work_or_an_act(spacy_analyzer: SpacyAnalyzer) -> None:
    assert ("Mermaid", "genre", "pop rock") in found(spacy_analyzer, "Mermaid is a pop rock song.")
    assert ("Alien", "genre", "science fiction") in found(
        spacy_analyzer, "Alien is a 1979 American science fiction film."
    )
    assert ("Nord", "genre", "post-metal") in found(spacy_analyzer, "Nord is a post-metal album.")


def test_release_kinds_nationalities_and_adjectives_are_no_genre(spacy_analyzer: SpacyAnalyzer) -> None:
    for text in ("Squeeze is a studio album.", "Ann Lee is a famous English singer.", "Alien is a long film."):
        assert not any(p == "genre" for _, p, _ in found(spacy_analyzer, text)), text


# -- schema mapping by the object's value -----------------------------------------------------------------------
PLACES = parse_schema(
    tomllib.loads(
        """
[[relations]]
name = "location"
[[relations]]
name = "country"
[[relations]]
name = "birthPlace"
[[relations]]
name = "length"
[[relations]]
name = "runtime"
[[relations]]
name = "discovered"
[[relations]]
name = "discoverer"
"""
    )
)


def triple(pred: str, obj: str, o_label: str, s_label: str = "ORG") -> ExtractedTriple:
    return ExtractedTriple("X", s_label, pred, obj, o_label, 0.9)


def test_a_country_in_a_where_relation_goes_to_country_but_not_a_birthplace() -> None:
    m = SchemaMapper(PLACES, None)
    assert m.map_triple(triple("location", "France", "GPE")).predicate == "country"
    assert m.map_triple(triple("location", "the United States", "GPE")).predicate == "country"
    assert m.map_triple(triple("location", "Dijon", "GPE")).predicate == "location"
    assert m.map_triple(triple("born in", "France", "GPE", "PERSON")).predicate == "birthPlace"


def test_a_duration_goes_to_a_runtime_relation() -> None:
    m = SchemaMapper(PLACES, None)
    assert m.map_triple(triple("length", "98 minutes", "TIME")).predicate == "runtime"
    assert m.map_triple(triple("length", "54:56", "CARDINAL")).predicate == "runtime"
    assert m.map_triple(triple("length", "17068.8 millimetres", "QUANTITY")).predicate == "length"


def test_v_ed_by_prefers_the_relation_naming_the_agent() -> None:
    m = SchemaMapper(PLACES, None)
    assert m.map("discovered by", "", "PERSON").relation == "discoverer"
    assert m.map("discovered", "", "DATE").relation == "discovered"


# -- openings that are not names, subtitles, dates as written -----------------------------------------------------
def test_a_phrase_before_the_subject_is_not_part_of_it(spacy_analyzer: SpacyAnalyzer) -> None:
    got = found(spacy_analyzer, "In 2000, The 11th Mississippi Infantry Monument was erected in Adams County.")
    assert ("11th Mississippi Infantry Monument", "erected in", "Adams County") in got
    assert not any("In 2000" in s or "In 2000" in o for s, _, o in got)
    got = found(spacy_analyzer, "Starring Adam West, Super Capers is an English language movie.")
    assert ("Super Capers", "is a", "movie") in got
    assert not any(s.startswith("Starring") or o.startswith("Starring") for s, _, o in got)
    assert not any(p == "genre" for _, p, _ in got)  # "English language" names the language, not a genre


def test_a_clause_before_a_copula_is_no_title(spacy_analyzer: SpacyAnalyzer) -> None:
    text = "Danielle Harris stars in Super Capers, which was directed by Ray Griggs. The movie is 98 minutes long."
    got = found(spacy_analyzer, text)
    assert ("Super Capers", "directed by", "Ray Griggs") in got
    assert not any("stars in" in s for s, _, _ in got)


def test_a_title_with_a_subtitle_is_one_name(spacy_analyzer: SpacyAnalyzer) -> None:
    got = found(spacy_analyzer, "Mary Hopkins produced the album The Bootleg Series Volume 1: The Quine Tapes in 1969.")
    assert any(s.endswith("Bootleg Series Volume 1: The Quine Tapes") for s, _, _ in got), got
    # a time and a sentence after a colon are not subtitles
    assert ("Ann Lee", "arrive at", "10:30") in found(spacy_analyzer, "Ann Lee arrived at 10:30 in Paris.")
    assert not any(
        ": The" in s + o for s, _, o in found(spacy_analyzer, "Ann Lee works at Google: The talks were long.")
    )


def test_a_class_noun_before_a_quoted_title_stands_for_the_title(spacy_analyzer: SpacyAnalyzer) -> None:
    got = found(spacy_analyzer, 'Film "English Without Tears" was written by Terence Rattigan.')
    assert ("English Without Tears", "written by", "Terence Rattigan") in got


WHERE = parse_schema(
    tomllib.loads(
        """
[[relations]]
name = "foundedBy"
[[relations]]
name = "recordedIn"
[[relations]]
name = "location"
[[relations]]
name = "numberOfMembers"
[[relations]]
name = "mission"
"""
    )
)


def test_a_bare_preposition_before_a_place_says_where() -> None:
    m = SchemaMapper(WHERE, None)
    assert m.map("in", "ORG", "GPE").relation == "location"
    assert m.map("be at", "ORG", "FAC").relation == "location"
    assert m.map("in", "ORG", "PERSON") is None  # not a place: nothing to say


def test_found_in_a_place_is_not_founded_and_a_count_relation_takes_a_number() -> None:
    m = SchemaMapper(WHERE, None)
    found_in = m.map("found in", "", "GPE")
    assert found_in is None or found_in.relation != "foundedBy"
    assert m.map("founded by", "ORG", "PERSON").relation == "foundedBy"
    assert (
        m.map("member of", "PERSON", "ORG") is None or m.map("member of", "PERSON", "ORG").relation != "numberOfMembers"
    )
    assert m.map("members", "ORG", "CARDINAL").relation == "numberOfMembers"
