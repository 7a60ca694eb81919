"""Graph retrieval: personalised PageRank over the entity-chunk graph, on tiny graphs."""

from __future__ import annotations

import numpy as np
import pytest

from graphrag.retrieve.corpus import ChunkCorpus
from graphrag.retrieve.graph import EntityChunkGraph, GraphRetriever, passage_links
from graphrag.retrieve.question_linking import EntityIndex, EntityLinker
from graphrag.retrieve.registry import make_retriever

QUESTION = "Where was the director of film Our Emden born?"


def small_graph(**kw) -> EntityChunkGraph:
    titles = ["A", "B", "C", "D"]
    corpus = ChunkCorpus.from_records(
        ["c0", "c1", "c2", "c3"],
        ["d0", "d1", "d2", "d3"],
        titles,
        ["A names B.", "B is here.", "C text.", "nothing"],
        np.zeros((4, 8), np.float32),
    )
    ents = EntityIndex.from_records(["e0", "e1", "e2"], ["Xa", "B", "Zed"], dim=8)
    mentions = [(0, 0), (1, 0), (2, 2)]
    return EntityChunkGraph.build(corpus, ents, mentions, [(0, "knows", 2, 2)], passage_links(corpus), **kw)


def test_graph_structure_and_transition_is_stochastic() -> None:
    g = small_graph()
    assert g.n_chunks == 4 and g.n_nodes == 7
    assert g.title_of == {1: (1,)}  # entity "B" is the subject of passage B
    col_sums = np.asarray(g.transition.sum(axis=0)).ravel()
    has_edges = np.asarray(g.adjacency.sum(axis=0)).ravel() > 0
    assert np.allclose(col_sums[has_edges], 1.0)
    assert not has_edges[3]  # passage D is isolated
    assert g.specificity[0] == pytest.approx(0.5)  # entity Xa touches two chunks
    assert g.triples[2] == (("Xa", "knows", "Zed"),)


def test_ppr_is_a_distribution_peaked_at_the_seed() -> None:
    g = small_graph()
    seeds = np.zeros(g.n_nodes)
    seeds[0] = 1.0
    p = g.personalised_pagerank(seeds)
    assert p.sum() == pytest.approx(1.0)
    assert p.argmax() == 0
    assert p[3] == 0.0  # unreachable
    assert np.all(g.personalised_pagerank(np.zeros(g.n_nodes)) == 0)
    w = np.ones(g.n_nodes)
    w[2] = 50.0  # steer the walk towards passage C
    assert g.personalised_pagerank(seeds, node_weights=w)[2] > p[2]


def test_graph_retriever_finds_the_passage_two_hops_away(tiny_resources) -> None:
    r = make_retriever("graph", tiny_resources)
    titles = [h.title for h in r.retrieve(QUESTION, 5)]
    assert titles[:2] == ["Our Emden", "Louis Ralph"]
    assert "Graz" in titles  # question -> Our Emden -> Louis Ralph -> Graz
    assert "Apple pie" not in titles


def test_graph_hits_carry_entities_relations_and_paths(tiny_resources) -> None:
    r = make_retriever("graph", tiny_resources)
    ev = r.evidence(QUESTION, 4)
    assert [lk.surface for lk in ev.links] == ["Our Emden"]
    top = ev.hits[0]
    assert top.retriever == "graph" and "Louis Ralph" in top.entities
    assert ("Our Emden", "directed by", "Louis Ralph") in top.relations
    ralph = next(h for h in ev.hits if h.title == "Louis Ralph")
    path = ev.paths[ralph.chunk_id]
    assert path.nodes[0] in ("passage 'Our Emden'", "Our Emden")
    assert path.nodes[-1] == "passage 'Louis Ralph'"
    assert len(path.relations) == len(path.nodes) - 1


def test_no_link_means_no_graph_hits(tiny_resources) -> None:
    r = make_retriever("graph", tiny_resources)
    assert r.retrieve("Who is Zorblax Quux?", 5) == []


def test_bad_damping_is_rejected(tiny_resources) -> None:
    with pytest.raises(ValueError, match="damping"):
        GraphRetriever(
            tiny_resources.graph(),
            EntityLinker(tiny_resources.entities(), tiny_resources.corpus()),
            damping=1.0,
        )


def test_context_weigher_steers_towards_the_sentence_that_matches(tiny_resources) -> None:
    from graphrag.retrieve.link_context import LinkContextWeigher, split_sentences

    assert split_sentences("One. Two is here! (Three)") == ["One.", "Two is here!", "(Three)"]
    corpus = tiny_resources.corpus()
    weigher = LinkContextWeigher(corpus, tiny_resources.encoder(), beta=5.0)
    emden = corpus.titles.index("Our Emden")
    pairs = weigher.linking_sentences([emden])
    assert pairs == [
        (
            "It was directed by Louis Ralph and stars Werner Fuetterer.",
            {corpus.titles.index("Louis Ralph"), corpus.titles.index("Werner Fuetterer")},
        )
    ]
    w = weigher.weights("It was directed by Louis Ralph", [emden])
    assert w[corpus.titles.index("Louis Ralph")] > 1.0
    assert LinkContextWeigher(corpus, tiny_resources.encoder(), beta=0.0).weights("q", [emden]) == {}
    ctx = make_retriever("graph-context", tiny_resources)
    assert ctx.name == "graph-context"
    assert [h.title for h in ctx.retrieve(QUESTION, 2)] == ["Our Emden", "Louis Ralph"]


def test_context_windows_and_texts_to_embed(tiny_resources) -> None:
    from graphrag.retrieve.graph import GraphRetriever
    from graphrag.retrieve.link_context import LinkContextWeigher

    corpus = tiny_resources.corpus()
    emden = corpus.titles.index("Our Emden")
    weigher = LinkContextWeigher(corpus, tiny_resources.encoder(), beta=5.0, window_words=2)
    assert weigher.linking_sentences([emden]) == [
        ("directed by Louis Ralph", {corpus.titles.index("Louis Ralph")}),
        ("and stars Werner Fuetterer", {corpus.titles.index("Werner Fuetterer")}),
    ]
    r = GraphRetriever(tiny_resources.graph(), tiny_resources.linker(), context=weigher)
    assert r.texts_to_embed(QUESTION) == ["directed by Louis Ralph", "and stars Werner Fuetterer"]
    assert [h.title for h in r.retrieve(QUESTION, 2)] == ["Our Emden", "Louis Ralph"]
    plain = GraphRetriever(tiny_resources.graph(), tiny_resources.linker())
    assert plain.texts_to_embed(QUESTION) == []


def test_about_edges_join_the_title_edges_and_class_triples_stay_out_of_the_walk() -> None:
    corpus = ChunkCorpus.from_records(
        ["c0", "c1", "c2"], ["d0", "d1", "d2"], ["doc-1", "doc-2", "doc-3"],
        ["Kestrel Lane is a film.", "Mira Okafor directs.", "Peru."], np.zeros((3, 8), np.float32),
    )  # fmt: skip
    ents = EntityIndex.from_records(["e0", "e1", "e2"], ["Kestrel Lane", "Mira Okafor", "film"], dim=8)
    g = EntityChunkGraph.build(corpus, ents, [(0, 0)], [(0, "is a", 2, 0), (0, "directed by", 1, 0)],
                               about=[(0, 0), (1, 1)])  # fmt: skip
    assert g.title_of == {0: (0,), 1: (1,)}  # no title names them; the ABOUT edges do
    class_node, kestrel = g.n_chunks + 2, g.n_chunks + 0
    assert g.adjacency[kestrel, class_node] == 0  # "X is a film" would make every film a neighbour
    assert g.adjacency[kestrel, g.n_chunks + 1] > 0


def test_linking_sentences_found_once_per_passage_are_those_found_afresh(tiny_resources) -> None:
    """The weigher remembers each passage's linking sentences: asked again, in other orders, overlapping, with
    the ``max_sentences`` cut falling inside a passage, it gives what a new weigher gives (and fresh sets)."""
    from graphrag.retrieve.link_context import LinkContextWeigher

    corpus = tiny_resources.corpus()
    rows = list(range(len(corpus.ids)))
    for window in (0, 2):
        for cut in (1, 2, 3, 6):
            kept = LinkContextWeigher(corpus, tiny_resources.encoder(), max_sentences=cut, window_words=window)
            for ask in (rows, rows[::-1], rows[1:3], rows, [rows[0], rows[0]]):
                fresh = LinkContextWeigher(corpus, tiny_resources.encoder(), max_sentences=cut, window_words=window)
                got = kept.linking_sentences(ask)
                assert got == fresh.linking_sentences(ask)
                assert len(got) <= cut
                for _, named in got:
                    named.add(-1)  # a caller's changes stay its own
    assert any(LinkContextWeigher(corpus, tiny_resources.encoder()).linking_sentences(rows))


def test_the_linker_remembers_recent_questions_and_answers_as_afresh(tiny_resources) -> None:
    from graphrag.retrieve.question_linking import RECENT_QUESTIONS, EntityLinker

    linker = tiny_resources.linker()
    questions = [QUESTION, "Who is Louis Ralph?", "Where is Werner Fuetterer from?"] * 2 + [
        f"Question {i} about Our Emden" for i in range(RECENT_QUESTIONS + 2)
    ]
    for q in questions:
        fresh = EntityLinker(tiny_resources.entities(), tiny_resources.corpus(), encoder=tiny_resources.encoder())
        links, runs = linker.exact_links(q)
        assert (links, runs) == fresh.exact_links(q)
        links.clear()  # the remembered answer is not the caller's list
        assert linker.exact_links(q) == fresh.exact_links(q)
    assert len(linker._recent) == RECENT_QUESTIONS
