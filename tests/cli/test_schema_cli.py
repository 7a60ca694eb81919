"""``graphrag schema suggest`` / ``schema check`` and ``graphrag ingest --schema``, in process on a real store."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from extract.helpers import write_corpus

import graphrag.extract.ingest as ingest_module
import graphrag.extract.pipeline as pipeline_module
from graphrag.cli import main
from graphrag.extract.analysis_worker import InlineAnalysisRunner
from graphrag.extract.schema import load_schema
from graphrag.store import KuzuGraphStore


@pytest.fixture
def inline_nlp(monkeypatch, spacy_analyzer):
    monkeypatch.setattr(ingest_module, "default_analyzer", lambda config: spacy_analyzer)
    monkeypatch.setattr(
        pipeline_module, "make_runner", lambda analyzer, separate_process: InlineAnalysisRunner(analyzer)
    )


def predicates(db: Path) -> set[str]:
    with KuzuGraphStore(db, read_only=True) as store:
        return {r[0] for r in store.run_user_query("MATCH ()-[r:RELATION]->() RETURN DISTINCT r.predicate").rows}


def test_suggest_a_schema_then_ingest_with_it_strictly(tmp_path: Path, capsys, inline_nlp) -> None:
    corpus = write_corpus(tmp_path / "in")
    db = tmp_path / "open.kuzu"
    assert main(["ingest", str(tmp_path / "in"), "--db", str(db), "--embedder", "hashing", "--json"]) == 0
    capsys.readouterr()
    open_predicates = predicates(db)
    assert main(["schema", "suggest", "--db", str(db), "--min-count", "1", "--out", str(tmp_path / "s.toml")]) == 0
    text = (tmp_path / "s.toml").read_text()
    assert "# Proposed by `graphrag schema suggest`" in text and "edges, e.g." in text
    schema = load_schema(tmp_path / "s.toml")
    assert {r.aliases[0] if r.aliases else r.name for r in schema.relations} <= open_predicates
    assert main(["schema", "check", str(tmp_path / "s.toml")]) == 0
    assert f"{len(schema.relations)} relations" in capsys.readouterr().out

    # keep two relations and ingest again in strict mode: only they remain, under their schema names
    kept = schema.relations[:2]
    lines = []
    for r in kept:
        lines += ["[[relations]]", f'name = "{r.name}"', f"aliases = {json.dumps(list(r.aliases))}", ""]
    (tmp_path / "two.toml").write_text("\n".join(lines))
    strict_db = tmp_path / "strict.kuzu"
    args = ["ingest", str(corpus["holmes"].parent), "--db", str(strict_db), "--embedder", "hashing", "--json"]
    assert main([*args, "--schema", str(tmp_path / "two.toml"), "--schema-mode", "strict"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["extraction"]["schema"]["mode"] == "strict" and report["extraction"]["schema"]["mapped"] > 0
    assert predicates(strict_db) == {r.name for r in kept}


def test_schema_errors_name_the_file(tmp_path: Path, capsys) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("[[relations]]\nname = 'x'\nsubject_types = ['Film']\n")
    assert main(["schema", "check", str(bad)]) == 3
    assert "bad.toml" in capsys.readouterr().err
    corpus = tmp_path / "a.txt"
    corpus.write_text("Ada Lovelace lived in London.")
    assert main(["ingest", str(corpus), "--db", str(tmp_path / "g.kuzu"), "--schema", str(bad)]) == 3
    assert main(["ingest", str(corpus), "--db", str(tmp_path / "g.kuzu"), "--schema-mode", "loose"]) == 2
    assert "unknown schema mode" in capsys.readouterr().err
    assert main(["ingest", str(corpus), "--db", str(tmp_path / "g.kuzu"), "--extractor", "llm", "--llm", "none"]) == 2
    assert "needs an LLM" in capsys.readouterr().err


def test_suggest_on_a_missing_or_empty_store_says_so(tmp_path: Path, capsys) -> None:
    assert main(["schema", "suggest", "--db", str(tmp_path / "missing.kuzu")]) == 5
    assert "no database at" in capsys.readouterr().err
    KuzuGraphStore(tmp_path / "empty.kuzu", embedding_dim=8).close()
    assert main(["schema", "suggest", "--db", str(tmp_path / "empty.kuzu")]) == 1
    assert "no relations" in capsys.readouterr().err
