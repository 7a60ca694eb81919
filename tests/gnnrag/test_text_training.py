"""Training GNN-RAG on question-answer pairs over a store built from text: questions without brackets (topics
from the store's entity linker), answers as strings and numbers matched to graph nodes, co-mention edges, and
`eval kgqa` on the same files."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pyarrow as pa
import pytest
import torch

from graphrag.embed import HashingEmbedder
from graphrag.gnnrag.checkpoint import RetrieverSettings, load_checkpoint
from graphrag.gnnrag.data import relation_embeddings
from graphrag.gnnrag.jobs import store_linker, train_job
from graphrag.gnnrag.model import GNNReasoner
from graphrag.gnnrag.retriever import GNNRAGRetriever
from graphrag.gnnrag.scorers import GNNScorer
from graphrag.gnnrag.subgraph import CO_MENTION, KGIndex, SubgraphExtractor
from graphrag.gnnrag.train import TrainConfig
from graphrag.ids import entity_id
from graphrag.store import KuzuGraphStore


@pytest.fixture
def text_db(toy_gnn_stores, tmp_path):
    dest = tmp_path / "text.kuzu"
    src = toy_gnn_stores["text"]
    (shutil.copytree if src.is_dir() else shutil.copy2)(src, dest)
    return dest


def write_questions(toy, path, hops=(1, 2)) -> list[tuple[str, tuple[str, ...]]]:
    """The toy questions as a user would write them: no brackets; years as JSON numbers."""
    rows = []
    for h in hops:
        for ex in toy.questions[h]:
            answers = [int(a) if a.isdigit() else a for a in ex.answers]
            rows.append({"question": ex.plain_question, "answers": answers, "question_type": f"{h}-hop"})
    rows.append({"question": "who directed Film 0", "answer": "Nobody"})
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return [(r["question"], tuple(str(a) for a in r.get("answers", [r.get("answer")]))) for r in rows]


def hits(retriever: GNNRAGRetriever, questions) -> float:
    got = [retriever.retrieve(q).candidates for q, _ in questions]
    return float(np.mean([bool(c) and c[0].name in gold for c, (_, gold) in zip(got, questions, strict=True)]))


def test_trains_on_plain_questions_over_a_text_store_and_learns(toy_gnn_stores, text_db, tmp_path) -> None:
    toy, emb = toy_gnn_stores["toy"], HashingEmbedder(384)
    questions = write_questions(toy, tmp_path / "qa.jsonl")
    summary = train_job(
        db=text_db, questions=[tmp_path / "qa.jsonl"], out=tmp_path / "m.pt", hops=2, hidden_channels=32,
        embedder=emb, train=TrainConfig(epochs=6, batch_size=8, lr=1e-2, patience=6, seed=0),
        settings=RetrieverSettings(embedder="hashing"), progress=False,
    )  # fmt: skip
    data = summary["data"]
    assert data["questions"] == len(questions)
    assert data["no_answer_in_kg"] == 1 and data["used"] == len(questions) - 1  # "Nobody" is not in the graph
    assert set(data["by_kind"]) == {"1-hop", "2-hop"}
    assert summary["predicates"] == 4
    with KuzuGraphStore(text_db, read_only=True) as store:
        index = KGIndex.from_store(store)
        assert store.meta()["gnn_checkpoint"] == str((tmp_path / "m.pt").resolve())
    linker = store_linker(text_db, index, emb)
    trained = load_checkpoint(tmp_path / "m.pt")
    torch.manual_seed(0)
    untrained = GNNScorer(GNNReasoner(trained.model), relation_embeddings(index.predicates, emb))
    asked = questions[:-1][::3]
    after = hits(GNNRAGRetriever.from_checkpoint(index, trained, embedder=emb, linker=linker), asked)
    extractor = SubgraphExtractor(index, trained.subgraph)
    before = hits(GNNRAGRetriever(index, extractor, emb, untrained, trained.retriever, linker=linker), asked)
    assert after >= 0.6 and after >= before + 0.3, (before, after)


def test_co_mention_edges_come_from_passage_topics(text_db) -> None:
    film = "Film 0"
    with KuzuGraphStore(text_db) as store:
        chunk = (
            store.execute("MATCH (c:Chunk)-[:MENTIONS]->(e:Entity {name: $n}) RETURN c.id AS id LIMIT 1", {"n": film})
            .column("id")[0]
            .as_py()
        )
        store.bulk_load(
            "ABOUT", pa.table({"from": [chunk], "to": [entity_id(film)], "doc_id": [""], "source": ["title"]})
        )
        plain, with_co = KGIndex.from_store(store), KGIndex.from_store(store, co_mentions=True)
        mentioned = (
            store.execute(
                "MATCH (c:Chunk {id: $c})-[:MENTIONS]->(e:Entity) WHERE e.name <> $n RETURN count(e) AS n",
                {"c": chunk, "n": film},
            )
            .column("n")[0]
            .as_py()
        )
    assert CO_MENTION not in plain.predicates and CO_MENTION in with_co.predicates
    p = with_co.predicates.index(CO_MENTION)
    assert int((with_co.out_pred == p).sum()) == mentioned > 0
    f = with_co.id_to_index[entity_id(film)]
    assert set(with_co.out_pred[with_co.out_ptr[f] : with_co.out_ptr[f + 1]].tolist()) >= {p}


def test_eval_kgqa_on_plain_questions_reports_answers_in_the_graph(toy_gnn_stores, text_db, tmp_path) -> None:
    from graphrag.eval.kgqa_job import run_kgqa_eval

    write_questions(toy_gnn_stores["toy"], tmp_path / "qa.jsonl", hops=(1,))
    out = run_kgqa_eval(
        db=text_db, questions=[tmp_path / "qa.jsonl"], out=tmp_path / "r.json", zero_shot=True,
        embedder=HashingEmbedder(384), latency_sample=5, plots=False, progress=False,
    )  # fmt: skip
    report = json.loads((tmp_path / "r.json").read_text())
    assert report["overall"]["answer_in_graph"] < 100 and report["answer_in_graph"]["answer_in_graph"] == 100
    assert set(out["by_kind"]) == {"1-hop"}
    assert report["answer_in_graph"]["hits1"] > 50


def test_cli_trains_on_jsonl_and_ask_shows_the_text_trained_gnn(capsys, toy_gnn_stores, text_db, tmp_path) -> None:
    from graphrag.cli import main

    toy = toy_gnn_stores["toy"]
    write_questions(toy, tmp_path / "qa.jsonl")
    code = main([
        "train-gnn", "--db", str(text_db), "--questions", str(tmp_path / "qa.jsonl"), "--out", str(tmp_path / "m.pt"),
        "--hops", "2", "--hidden", "32", "--epochs", "6", "--batch-size", "8", "--lr", "0.01", "--patience", "6",
        "--embedder", "hashing", "--no-progress",
    ])  # fmt: skip
    assert code == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["data"]["no_answer_in_kg"] == 1 and summary["predicates"] == 4
    who = next(t for h, r, t in toy.triples if h == "Film 3" and r == "directed_by")
    code = main(["ask", "who directed Film 3", "--db", str(text_db), "--llm", "none", "--json"])
    assert code == 0
    data = json.loads(capsys.readouterr().out)
    assert data["candidates"][0]["name"] == who  # no brackets: the store's entity linker found "Film 3"
    assert f"Film 3 -> directed_by -> {who}" in data["reasoning_paths"]
    assert any("Film 3 is a" in s.get("text", "") for s in data["sources"])  # the passage that states it
