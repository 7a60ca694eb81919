"""Entity linking: names, aliases, titles, embeddings; and title matching in passage text."""

from __future__ import annotations

import numpy as np

from graphrag.embed import HashingEmbedder
from graphrag.retrieve.corpus import ChunkCorpus
from graphrag.retrieve.question_linking import EntityIndex, EntityLinker, TitleMatcher
from graphrag.retrieve.questions import QueryEncoder


def corpus(*titles: str) -> ChunkCorpus:
    n = len(titles)
    return ChunkCorpus.from_records(
        [f"c{i}" for i in range(n)],
        [f"d{i}" for i in range(n)],
        titles,
        [""] * n,
        np.zeros((n, 384), np.float32),
    )


def test_links_names_case_insensitively_longest_first() -> None:
    ents = EntityIndex.from_records(["e1", "e2", "e3"], ["Lothair II", "Lothair", "Film"])
    linker = EntityLinker(ents, corpus("Lothair II", "Teutberga"))
    links = linker.link("When did Lothair Ii's mother die, and what about the film?")
    assert [(lk.surface, lk.method) for lk in links] == [("Lothair Ii", "title")]
    assert links[0].entity_rows == (0,) and links[0].chunk_rows == (0,)


def test_aliases_qualifiers_and_accents() -> None:
    ents = EntityIndex.from_records(["e1"], ["Mark Twain"], aliases=[["Samuel Clemens"]])
    linker = EntityLinker(ents, corpus("Dark River (2017 film)", "Aldri annet enn bråk"))
    links = {
        lk.surface: lk for lk in linker.link("Did Samuel Clemens see Dark River or Aldri Annet Enn Brak?")
    }
    assert links["Samuel Clemens"].entity_rows == (0,)
    assert links["Dark River"].chunk_rows == (0,)  # the title without its "(2017 film)"
    assert links["Aldri Annet Enn Brak"].chunk_rows == (1,)


def test_nothing_links_for_unknown_names_or_lowercase_words() -> None:
    linker = EntityLinker(EntityIndex.from_records(["e1"], ["Film"]), corpus("Teutberga"))
    assert linker.link("Who is Zorblax Quux?") == []
    assert linker.link("which film is older") == []
    assert linker.link("") == []


def test_embedding_links_catch_spelling_variants() -> None:
    emb = HashingEmbedder(384)
    names = ["Ermengarde of Tours", "Graz"]
    ents = EntityIndex.from_records(["e1", "e2"], names, embeddings=emb.embed(names))
    linker = EntityLinker(ents, corpus("Ermengarde of Tours"), encoder=QueryEncoder(emb), min_similarity=0.6)
    (link,) = linker.link("When did Ermengarde de Tours die?")
    assert link.method == "embedding" and link.entity_rows == (0,) and link.chunk_rows == (0,)
    assert 0.6 <= link.score < 1.0
    strict = EntityLinker(ents, corpus("x"), encoder=QueryEncoder(emb), min_similarity=0.99)
    assert strict.link("When did Ermengarde de Tours die?") == []


def test_title_matcher_finds_names_in_text() -> None:
    m = TitleMatcher(["Louis Ralph", "Princess (2010 film)", "Graz", "The Heart of Doreon"])
    text = "Directed by Louis Ralph, born in Graz. The princess and Princess Anne saw The Heart Of Doreon."
    assert m.find(text) == {0, 2, 3}  # "Princess" alone does not name "Princess (2010 film)"
    assert m.find("graz in lower case") == set()


def test_exact_links_and_pending_texts() -> None:
    emb = HashingEmbedder(384)
    ents = EntityIndex.from_records(["e1"], ["Graz"], embeddings=emb.embed(["Graz"]))
    linker = EntityLinker(ents, corpus("Graz"), encoder=QueryEncoder(emb))
    links, runs = linker.exact_links("Is Graz older than Zorblax Quux?")
    assert [lk.surface for lk in links] == ["Graz"] and runs == ["Zorblax Quux"]
    assert linker.exact_links("Is Graz older than Zorblax Quux?") == (links, runs)  # remembered, same answer
    assert linker.pending_texts("Is Graz older than Zorblax Quux?") == ["Zorblax Quux"]
    assert EntityLinker(ents, corpus("Graz")).pending_texts("Is Graz older than Zorblax Quux?") == []


def test_a_passage_is_named_by_what_it_is_about() -> None:
    matcher = TitleMatcher(["doc-1", "doc-2"], topics={1: ["Mira Okafor", "Mira A. Okafor"]})
    assert matcher.find("The film was directed by Mira Okafor in Lima.") == {1}
    assert matcher.find("doc-1 is an id, not a name") == set()  # ids are not capitalised names
