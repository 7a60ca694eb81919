"""GNN-RAG as the hybrid retriever's graph component: set-up from the store's meta, candidates and paths, the
passages behind them for a KG from text, none for an imported KG, and the clear errors and warnings."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest

from graphrag.config import RetrieveConfig
from graphrag.embed import HashingEmbedder
from graphrag.errors import ConfigError, InputError
from graphrag.gnnrag.checkpoint import load_checkpoint
from graphrag.gnnrag.component import (
    META_CHECKPOINT,
    ChunkProvenance,
    GNNComponent,
    checkpoint_embedder,
    hybrid_retriever,
    load_gnn_component,
    resolve_checkpoint,
)
from graphrag.gnnrag.retriever import GraphRetrieval, GraphTrace
from graphrag.retrieve.corpus import ChunkCorpus
from graphrag.retrieve.hybrid import HybridRetriever
from graphrag.retrieve.resources import RetrievalResources, embedder_for_store
from graphrag.store import KuzuGraphStore
from graphrag.types import Candidate, ReasoningPath


def facts(toy, head: str, predicate: str) -> list[str]:
    return sorted(t for h, r, t in toy.triples if h == head and r == predicate)


class MetaOverride:
    """A store whose meta says something else (e.g. names a checkpoint that is not there)."""

    def __init__(self, store: KuzuGraphStore, **meta: str) -> None:
        self._store, self._meta = store, meta

    def meta(self) -> dict[str, str]:
        return {**self._store.meta(), **self._meta}

    def __getattr__(self, name: str):  # noqa: ANN204 - delegation
        return getattr(self._store, name)


@pytest.fixture(scope="module")
def text_store(toy_gnn_stores):
    store = KuzuGraphStore(toy_gnn_stores["text"], read_only=True)
    yield store
    store.close()


@pytest.fixture(scope="module")
def text_hybrid(text_store) -> HybridRetriever:
    return hybrid_retriever(RetrievalResources(text_store, embedder_for_store(text_store)))


def test_a_store_with_a_trained_checkpoint_gets_the_gnn_component(text_hybrid, toy_gnn_stores) -> None:
    names = [c.name for c in text_hybrid.components]
    assert names == [*RetrieveConfig().components, "gnn"]
    gnn = text_hybrid.component("gnn")
    assert isinstance(gnn, GNNComponent) and text_hybrid.notes == ()
    assert gnn.checkpoint == str(toy_gnn_stores["checkpoint"].resolve())
    assert text_hybrid.components[-1].weight == RetrieveConfig().gnn_weight


def test_candidates_paths_and_the_passages_that_state_them(text_hybrid, toy_gnn_stores) -> None:
    toy = toy_gnn_stores["toy"]
    [director] = facts(toy, "Film 3", "directed_by")
    res = text_hybrid.run("who directed [Film 3]", 3, explain=True)
    assert res.candidates[0].name == director and res.candidates[0].score > 0.5
    assert f"Film 3 -> directed_by -> {director}" in [p.verbalise() for p in res.kg_paths]
    top = res.per_retriever["gnn"][0]  # the passage the fact was extracted from
    assert top.title == "Film 3" and ("Film 3", "directed_by", director) in top.relations
    assert res.hits[0].title == "Film 3" and "gnn" in res.hits[0].retriever
    ev = text_hybrid.component("gnn").evidence("who directed [Film 3]", 3)
    assert ev.paths[top.chunk_id].verbalise() == f"Film 3 -> directed_by -> {director}"
    assert {"gnn", "gnn/subgraph", "gnn/gnn", "gnn/paths", "gnn/passages"} <= set(res.timings_s)
    assert [link.surface for link in res.links].count("Film 3") == 1  # linked by two components, shown once


def test_the_masked_question_is_embedded_in_the_hybrids_one_batch(text_store) -> None:
    calls: list[list[str]] = []

    class Counting(HashingEmbedder):
        def embed(self, texts):  # noqa: ANN001, ANN202
            calls.append(list(texts))
            return super().embed(texts)

    hybrid = hybrid_retriever(RetrievalResources(text_store, Counting(384)))
    calls.clear()
    hybrid.run("who directed [Film 4]", 3, explain=True)
    assert len(calls) == 1 and "who directed it" in calls[0]  # the question and the GNN's masked question


def test_two_hop_question_without_brackets_links_through_the_hybrid_linker(text_hybrid, toy_gnn_stores) -> None:
    toy = toy_gnn_stores["toy"]
    actor = "Person 5"
    films = sorted(h for h, r, t in toy.triples if r == "starred_actors" and t == actor)
    directors = {d for f in films for d in facts(toy, f, "directed_by")}
    res = text_hybrid.run(f"who directed the films starring {actor}", 5, explain=True)
    assert {c.name for c in res.candidates} >= directors
    path = res.kg_paths[0]
    assert path.nodes[0] == actor and path.relations[0] == "starred_actors (inverse)"
    assert {h.title for h in res.per_retriever["gnn"][:3]} & set(films)


def test_trace_gives_path_edges_in_kg_direction(text_hybrid, toy_gnn_stores) -> None:
    toy = toy_gnn_stores["toy"]
    trace = text_hybrid.component("gnn").gnn.trace("who directed the films starring [Person 5]")
    index = text_hybrid.component("gnn").gnn.index
    name = {eid: index.names[i] for eid, i in index.id_to_index.items()}
    assert [name[t] for t in trace.topic_ids] == ["Person 5"]
    triples = set(toy.triples)
    for cand in trace.retrieval.candidates:
        edges = trace.path_edges[cand.entity_id]
        assert edges and all((name[h], p, name[t]) in triples for h, p, t in edges)
        assert cand.entity_id in trace.path_entities[cand.entity_id]


def test_an_imported_kg_gives_candidates_and_paths_but_no_passages(toy_gnn_stores) -> None:
    toy = toy_gnn_stores["toy"]
    with KuzuGraphStore(toy_gnn_stores["imported"], read_only=True) as store:
        hybrid = hybrid_retriever(RetrievalResources(store, embedder_for_store(store)))
        res = hybrid.run("which actors starred in [Film 12]", 5, explain=True)
    assert hybrid.component("gnn") is not None
    assert res.per_retriever["gnn"] == () and res.hits == ()
    assert {c.name for c in res.candidates} >= set(facts(toy, "Film 12", "starred_actors"))
    assert all(p.nodes[0] == "Film 12" for p in res.kg_paths)


def test_off_and_stores_without_a_checkpoint_keep_the_hybrid_as_it_was(text_store, tiny_graph_db) -> None:
    res = RetrievalResources(text_store, embedder_for_store(text_store), RetrieveConfig(gnn="off"))
    off = hybrid_retriever(res)
    assert [c.name for c in off.components] == list(RetrieveConfig().components)
    assert off.run("who directed [Film 3]", 3, explain=True).candidates == ()
    with KuzuGraphStore(tiny_graph_db, read_only=True) as store:
        plain = hybrid_retriever(RetrievalResources(store, embedder_for_store(store)))
        assert [c.name for c in plain.components] == list(RetrieveConfig().components) and plain.notes == ()
        with pytest.raises(ConfigError, match="needs a trained GNN"):
            cfg = RetrieveConfig(components={"bm25": 1.0, "gnn": 1.0})
            hybrid_retriever(RetrievalResources(store, embedder_for_store(store), cfg))
    with pytest.raises(ConfigError, match="gnn = 'off'"):
        hybrid_retriever(res, RetrieveConfig(components={"gnn": 1.0}, gnn="off"))


def test_missing_and_corrupt_checkpoints(text_store, tmp_path) -> None:
    emb = embedder_for_store(text_store)
    missing = tmp_path / "gone.pt"
    broken = MetaOverride(text_store, **{META_CHECKPOINT: str(missing)})
    hybrid = hybrid_retriever(RetrievalResources(broken, emb))  # auto: a warning, no GNN
    assert "gnn" not in [c.name for c in hybrid.components]
    [note] = hybrid.notes
    assert str(missing) in note and "no such checkpoint" in note and "answering without GNN-RAG" in note
    with pytest.raises(InputError, match="no such checkpoint"):  # a path the user named must work
        load_gnn_component(RetrievalResources(text_store, emb), str(missing))
    corrupt = tmp_path / "corrupt.pt"
    corrupt.write_bytes(b"not a checkpoint")
    with pytest.raises(InputError, match="not a GNN checkpoint"):
        load_gnn_component(RetrievalResources(text_store, emb), str(corrupt))


def test_checkpoint_must_match_the_stores_embedder(toy_gnn_stores) -> None:
    ckpt = load_checkpoint(toy_gnn_stores["checkpoint"])  # trained with hashing, 384-d
    assert checkpoint_embedder(ckpt, HashingEmbedder(384), store_records_embedder=True) is None  # shared
    with pytest.raises(ConfigError, match="trained with the 'hashing' embedder"):
        checkpoint_embedder(ckpt, HashingEmbedder(64), store_records_embedder=True)
    own = checkpoint_embedder(ckpt, HashingEmbedder(64), store_records_embedder=False)  # an imported KG
    assert own is not None and own.name == "hashing-384"
    minilm = dataclasses.replace(ckpt, retriever=dataclasses.replace(ckpt.retriever, embedder="minilm"))
    with pytest.raises(ConfigError, match="--gnn off"):
        checkpoint_embedder(minilm, HashingEmbedder(384), store_records_embedder=True)


def test_resolve_checkpoint_setting(tmp_path) -> None:
    meta = {META_CHECKPOINT: "/models/kg.pt"}
    assert resolve_checkpoint("auto", meta) == (Path("/models/kg.pt"), False)
    assert resolve_checkpoint("AUTO", {}) == (None, False)
    assert resolve_checkpoint("off", meta) == (None, False)
    path, explicit = resolve_checkpoint(str(tmp_path / "m.pt"), meta)
    assert path == tmp_path / "m.pt" and explicit


def test_passage_scores_by_hand() -> None:
    """Edges a passage states count 1, the candidate's title passage 1 and a mention 0.25, a path entity half of
    that; everything times the candidate's probability; the question's entities count nothing."""
    corpus = ChunkCorpus.from_records(["c0", "c1", "c2"], ["d0", "d1", "d2"], ["Heat", "Mann", "Pacino"],
                                      ["Heat ...", "Mann ...", "Pacino ..."], np.zeros((3, 4)))  # fmt: skip
    passages = {"heat": {0: 1.0}, "mann": {1: 1.0, 0: 0.25}, "pacino": {2: 1.0}}

    def named(entity: str) -> tuple[np.ndarray, np.ndarray]:
        found = passages.get(entity, {})
        return np.asarray(list(found), dtype=np.int64), np.asarray(list(found.values()), dtype=float)

    prov = ChunkProvenance(corpus, {("heat", "directed_by", "mann"): [0]}, named)
    path = ReasoningPath(("Heat", "Mann"), ("directed_by",))
    cands = (Candidate("mann", "Mann", 0.8, (path,)), Candidate("pacino", "Pacino", 0.2, ()))
    trace = GraphTrace(
        GraphRetrieval(cands, (path,), {}),
        ("heat",),
        {"mann": (("heat", "directed_by", "mann"),), "pacino": ()},
        {"mann": ("heat", "mann"), "pacino": ("pacino",)},
    )
    scores, by, stated = prov.score(trace)
    assert scores == pytest.approx({0: 0.8 * (1.0 + 0.25), 1: 0.8 * 1.0, 2: 0.2 * 1.0})
    assert [c.name for c in by[0]] == ["Mann"] and stated == {0: (("heat", "directed_by", "mann"),)}
    hits, paths = prov.hits(trace, 2, "gnn", lambda e: e.title())
    assert [h.title for h in hits] == ["Heat", "Mann"]
    assert hits[0].relations == (("Heat", "directed_by", "Mann"),) and hits[1].relations == ()
    assert paths == {"c0": path, "c1": path}


def test_a_full_encoder_cache_never_drops_a_text_it_is_asked_for() -> None:
    """The GNN's masked question repeats across questions (one per template), so it is often the oldest entry
    of a full cache when a new question arrives with it."""
    from graphrag.retrieve.questions import QueryEncoder

    enc = QueryEncoder(HashingEmbedder(16), cache_size=3)
    enc.encode_many(["old template", "a", "b"])
    out = enc.encode_many(["new question", "old template"])
    assert out.shape == (2, 16) and np.allclose(out[1], HashingEmbedder(16).embed(["old template"])[0])


def test_a_span_naming_a_passage_title_stands_for_the_entity_that_passage_is_about() -> None:
    from types import SimpleNamespace

    from graphrag.gnnrag.component import _EntityTopics
    from graphrag.retrieve.question_linking import Link

    class TitleOnly:
        entities = SimpleNamespace(ids=["e-aylwin", "e-other"])

        def link(self, question: str) -> list[Link]:
            return [Link("Aylwin (Film)", "title", 1.0, (), (7,)), Link("Other", "name", 1.0, (1,), ())]

    topics = _EntityTopics(TitleOnly(), about={7: (0,)})  # type: ignore[arg-type]
    assert topics("Where was the director of film Aylwin (Film) born?") == [
        ("Aylwin (Film)", "e-aylwin"),
        ("Other", "e-other"),
    ]
    assert _EntityTopics(TitleOnly())("q") == [("Other", "e-other")]  # type: ignore[arg-type]
