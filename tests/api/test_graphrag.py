"""graphrag.GraphRAG: every job as one method call, on real Kuzu stores in tmp_path; read-only unless a write
method is called; models loaded once; the process settings applied before questions."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from engine_code import ENGINE_IMPORT

from graphrag import GraphRAG
from graphrag.config import GraphRAGConfig
from graphrag.errors import ConfigError, InputError, ReadOnlyViolation, UnknownBackendError
from graphrag.generate.llm import FakeLLM
from graphrag.runtime import Runtime


def _copy(db: Path, dest: Path) -> Path:
    if db.is_dir():
        shutil.copytree(db, dest)
    else:
        shutil.copy2(db, dest)
    return dest


def _writer_can_open(path: Path) -> bool:
    code = "import sys; " + ENGINE_IMPORT + "; kuzu.Database(sys.argv[1]); print('ok')"
    out = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, timeout=60)
    return out.stdout.strip() == "ok"


@pytest.fixture
def tiny(tiny_graph_db: Path, tmp_path: Path) -> Path:
    """A private copy of the tiny text graph (hashing embedder)."""
    return _copy(tiny_graph_db, tmp_path / "tiny.kuzu")


def test_the_top_level_import_is_lazy() -> None:
    code = "import sys, graphrag; assert 'graphrag.api' not in sys.modules; graphrag.GraphRAG; print('ok')"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.stdout.strip() == "ok", out.stderr


def test_ask_without_a_model_cites_the_passages_and_keeps_the_retriever(tiny: Path) -> None:
    with GraphRAG(tiny) as rag:
        first = rag.ask("Where was the director of film Our Emden born?", llm="none", k=2)
        assert [c.title for c in first.sources] == ["Our Emden", "Louis Ralph"]
        assert first.llm == "none" and first.text.startswith("No language model was used.")
        with rag.reading():
            retriever = rag._models.retriever()
        again = rag.ask("Who was the mother of Lothair II?", llm=None)
        with rag.reading():
            assert rag._models.retriever() is retriever  # built once, reused while the store is unchanged
        assert "Ermengarde of Tours" in {c.title for c in again.sources}
        assert again.load_s < first.load_s


def test_a_warm_question_opens_the_database_only_after_a_write(tiny: Path) -> None:
    """The retriever's indexes are in memory: once loaded, a question without a model reads nothing from the
    database (opening it cost more than the rest of the question), until the database changes."""
    from graphrag.store import KuzuGraphStore

    opened: list[bool] = []

    def opener(path: Path, **options: object) -> KuzuGraphStore:
        opened.append(bool(options.get("read_only")))
        return KuzuGraphStore(path, **options)  # type: ignore[arg-type]

    question = "Where was the director of film Our Emden born?"
    rag = GraphRAG(tiny, opener=opener)
    first = rag.ask(question, llm="none", k=2)
    assert opened and all(opened)  # the first question loads the indexes, read-only
    opened.clear()
    again = rag.ask(question, llm="none", k=2)
    hits = rag.retrieve(question, k=2).hits
    assert opened == [] and again.text == first.text
    assert [h.chunk_id for h in hits] == [h.chunk_id for h in first.retrieval.hits]
    code = "import sys; from graphrag.store import KuzuGraphStore as S; S(sys.argv[1]).set_meta('note', 'x')"
    subprocess.run([sys.executable, "-c", code, str(tiny)], check=True, timeout=60)
    assert rag.ask(question, llm="none", k=2).text == first.text
    assert opened and all(opened)  # another process wrote: the indexes were read again


def test_ask_with_a_model_object_and_by_name(tiny: Path) -> None:
    llm = FakeLLM(lambda msgs: "Louis Ralph was born in Graz [2].")
    rag = GraphRAG(tiny, llm=llm)
    result = rag.ask("Where was the director of film Our Emden born?", k=2)
    assert result.text == "Louis Ralph was born in Graz [2]." and [c.title for c in result.answer.citations] == [
        "Louis Ralph"
    ]
    with pytest.raises(ConfigError, match="unknown llm 'gpt'"):
        rag.ask("Where was Louis Ralph born?", llm="gpt")


def test_retrieve_returns_hits_and_graph_evidence(tiny: Path) -> None:
    result = GraphRAG(tiny).retrieve("Who was the mother of Lothair II?", k=3)
    assert len(result.hits) == 3 and result.hits[0].title in {"Lothair II", "Ermengarde of Tours"}
    assert any("Lothair II" in str(getattr(link, "surface", "")) for link in result.links)


def test_reads_leave_the_database_free_for_another_writer(tiny: Path) -> None:
    rag = GraphRAG(tiny)
    rag.ask("Where was Louis Ralph born?", llm="none")
    assert rag.stats()["nodes"]["Document"] == 8 and len(rag.documents()) == 8
    assert rag.cypher("MATCH (d:Document) RETURN count(*) AS n").rows == ((8,),)
    assert _writer_can_open(tiny)


def test_cypher_is_read_only_and_write_cypher_writes(tiny: Path) -> None:
    rag = GraphRAG(tiny)
    assert rag.cypher("MATCH (e:Entity {name: $name}) RETURN e.name", name="Graz").rows == (("Graz",),)
    with pytest.raises(ReadOnlyViolation):
        rag.cypher("MATCH (e:Entity) DELETE e")
    with rag.reading():
        before = rag._models.retriever()
    rag.write_cypher("MATCH (e:Entity {name: $name}) SET e.type = $t", name="Graz", t="GPE")
    assert rag.cypher("MATCH (e:Entity {name: 'Graz'}) RETURN e.type").rows == (("GPE",),)
    with rag.reading():
        assert rag._models.retriever() is not before  # a write invalidates what was built from the old database


def test_explore_methods(tiny: Path) -> None:
    rag = GraphRAG(tiny)
    with rag.reading():
        (match, *_) = rag.search_entities("Luis Ralph")  # a typo
        page = rag.entity(match.id)
        view = rag.neighbourhood(match.id)
    assert match.name == "Louis Ralph" and page is not None and page.entity.name == "Louis Ralph"
    assert {n.label for n in view.nodes} >= {"Louis Ralph", "Our Emden"}


def test_delete_by_id_and_unknown_target(tiny: Path) -> None:
    rag = GraphRAG(tiny)
    doc = next(d for d in rag.documents() if d["title"] == "Apple pie")
    removed = rag.delete(doc["id"])
    assert removed["Document"] == 1 and len(rag.documents()) == 7
    with pytest.raises(InputError, match="no document with id or source"):
        rag.delete("no-such-document")


def test_import_triples_is_incremental_and_checks_the_format(tmp_path: Path) -> None:
    kb = tmp_path / "kb.txt"
    kb.write_text("Heat|directed_by|Michael Mann\nHeat|starred_actors|Al Pacino\n")
    rag = GraphRAG(tmp_path / "kg.kuzu")
    report = rag.import_triples(kb, format="metaqa")
    assert report.status == "imported" and report.triples == 2
    assert rag.import_triples(kb, format="metaqa").status == "unchanged"
    with pytest.raises(UnknownBackendError, match="metaqa"):
        rag.import_triples(kb, format="turtle")
    assert rag.stats()["relationships"]["RELATION"] == 2


def test_ingest_text_files_with_the_hashing_embedder(tmp_path: Path) -> None:
    pytest.importorskip("spacy")
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "emden.txt").write_text("Our Emden is a 1926 German film directed by Louis Ralph. Ralph was born in Graz.")
    rag = GraphRAG(tmp_path / "new.kuzu")
    report = rag.ingest([docs], embedder="hashing", separate_process=False)
    assert report.documents_new == 1 and report.chunks >= 1
    again = rag.ingest([docs], separate_process=False)  # the store's own embedder (hashing) is picked up
    assert again.documents_unchanged == 1 and again.documents_new == 0
    assert rag.ask("Who directed Our Emden?", llm="none").sources[0].title == "emden"


def test_evaluate_names_the_kinds(tiny: Path) -> None:
    with pytest.raises(UnknownBackendError, match="retrieval"):
        GraphRAG(tiny).evaluate("bleu")
    with pytest.raises(ConfigError, match="needs `corpus`"):
        GraphRAG(tiny).evaluate("retrieval", questions="q.json", gold="g.json", out="r.json")


def test_config_from_toml_and_its_errors(tmp_path: Path) -> None:
    good = tmp_path / "good.toml"
    good.write_text('[retrieve]\ngnn = "off"\n[answer]\nllm = "none"\ntop_k = 3\n')
    cfg = GraphRAGConfig.from_toml(good)
    assert cfg.retrieve.gnn == "off" and cfg.answer.top_k == 3 and cfg.store.db == GraphRAGConfig().store.db
    bad = tmp_path / "bad.toml"
    bad.write_text("[retreive]\n")
    with pytest.raises(ConfigError, match="unknown sections"):
        GraphRAGConfig.from_toml(bad)
    bad.write_text("[answer]\nllm_name = 'x'\n")
    with pytest.raises(ConfigError, match=r"\[answer\] has unknown keys"):
        GraphRAGConfig.from_toml(bad)


def test_questions_apply_the_runtime_settings(tiny: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[str] = []
    monkeypatch.setattr(Runtime, "before_questions", lambda self: seen.append("applied") or True)
    rag = GraphRAG(tiny)
    rag.retrieve("Where was Louis Ralph born?")
    rag.ask("Where was Louis Ralph born?", llm="none")
    assert seen == ["applied", "applied"]


def test_a_local_model_gets_one_thread_when_openmp_already_spins(tiny: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    made = []

    def fake_make_llm(config):  # noqa: ANN001, ANN202 - stands in for make_llm
        made.append(config)
        return FakeLLM(lambda msgs: "Graz [1].")

    monkeypatch.setattr("graphrag.generate.llm.make_llm", fake_make_llm)
    monkeypatch.setattr(Runtime, "before_questions", lambda self: False)  # OpenMP started without PASSIVE
    rag = GraphRAG(tiny)
    rag.ask("Where was Louis Ralph born?", llm="local")
    rag.ask("Where was Louis Ralph born?", llm="local", k=2)
    assert len(made) == 1  # loaded once, whatever k
    assert (made[0].threads, made[0].batch_tokens) == (1, 1)


def test_sources_are_grouped_by_document_in_the_answer_the_json_and_the_cli(tmp_path: Path, capsys) -> None:
    pytest.importorskip("spacy")
    import dataclasses
    import json

    from graphrag.cli import main
    from graphrag.config import ChunkConfig

    long = " ".join(
        f"Vuk Kosača was a nobleman of Bosnia. In year {1400 + i} Vuk Kosača held the town of Zvečaj."
        for i in range(12)
    )
    (tmp_path / "vuk.txt").write_text(long)
    (tmp_path / "other.txt").write_text("Zvečaj is a medieval fortress town in Bosnia.")
    config = GraphRAGConfig()
    config = dataclasses.replace(
        config, ingest=dataclasses.replace(config.ingest, chunk=ChunkConfig(chunk_tokens=48, overlap_tokens=0))
    )
    rag = GraphRAG(tmp_path / "g.kuzu", config=config)
    rag.ingest([tmp_path / "vuk.txt", tmp_path / "other.txt"], embedder="hashing", separate_process=False)
    result = rag.ask("Which town did Vuk Kosača hold?", llm="none", k=5)
    titles = [c.title for c in result.sources]
    assert len(titles) == len(set(titles)), titles  # one number per document
    vuk = next(c for c in result.sources if c.title == "vuk")
    assert len(vuk.passages) >= 2 and len(set(vuk.chunk_ids)) == len(vuk.passages)
    assert sum(len(c.passages) for c in result.sources) == 5  # k passages, grouped
    assert main(["ask", "Which town did Vuk Kosača hold?", "--db", str(tmp_path / "g.kuzu"), "--llm", "none",
                 "--json"]) == 0  # fmt: skip
    data = json.loads(capsys.readouterr().out)
    assert len({s["title"] for s in data["sources"]}) == len(data["sources"])
    assert any(len(s["passages"]) >= 2 for s in data["sources"])
    assert main(["ask", "Which town did Vuk Kosača hold?", "--db", str(tmp_path / "g.kuzu"), "--llm", "none"]) == 0
    printed = capsys.readouterr().out
    listed = [line for line in printed.splitlines() if line.startswith("  [") and "vuk" in line]
    assert len(listed) == 1 and "passages)" in listed[0], printed
