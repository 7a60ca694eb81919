"""Two engines behind the store seam: a store's file says which engine wrote it, a new store gets the configured
engine, a mismatch is a clear error, and ``graphrag migrate`` copies a store to the other engine with every table
checked. The two engines' native modules cannot share a process, so the other engine is only ever used in a child
process here (the whole suite runs once per engine: ``GRAPHRAG_ENGINE=ladybug make test``)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from graphrag.cli import main
from graphrag.errors import ConfigError, StoreError
from graphrag.store import KuzuGraphStore
from graphrag.store.engines import ENGINES, default_engine, detect_engine, resolve_engine


def other(engine: str) -> str:
    return next(e for e in ENGINES if e != engine)


def test_a_store_says_which_engine_wrote_it(tmp_path: Path) -> None:
    engine = default_engine()
    with KuzuGraphStore(tmp_path / "g.db") as store:
        assert store.engine == engine
    assert detect_engine(tmp_path / "g.db") == engine
    assert detect_engine(tmp_path / "missing.db") is None
    (tmp_path / "text.db").write_text("not a database")
    assert detect_engine(tmp_path / "text.db") is None
    assert resolve_engine(tmp_path / "g.db", "auto") == engine
    with pytest.raises(StoreError, match=f"was written by {engine}, not {other(engine)}"):
        resolve_engine(tmp_path / "g.db", other(engine))
    with pytest.raises(ConfigError, match="unknown engine 'neo4j'"):
        resolve_engine(tmp_path / "g.db", "neo4j")


def test_the_default_engine_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("GRAPHRAG_ENGINE", "ladybug")
    assert resolve_engine(tmp_path / "new.db") == "ladybug"
    monkeypatch.setenv("GRAPHRAG_ENGINE", "sqlite")
    with pytest.raises(ConfigError, match="GRAPHRAG_ENGINE='sqlite'"):
        default_engine()


def _child_stats(db: Path) -> dict:
    out = subprocess.run(
        [sys.executable, "-m", "graphrag", "stats", "--db", str(db), "--json"],
        capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    return json.loads(out.stdout)


def test_migrate_copies_every_table_to_the_other_engine(tmp_path: Path, capsys, text_doc) -> None:
    pytest.importorskip("ladybug")
    src = tmp_path / "src.db"
    with KuzuGraphStore(src) as store:
        store.set_meta("embedder", "hashing-384")
        text_doc(store, "Ada", "Ada Lovelace was born in London.", entities=[("Ada Lovelace", "PERSON"),
                 ("London", "GPE")], triples=[("Ada Lovelace", "born in", "London")])  # fmt: skip
        before = store.stats()
    out = tmp_path / "copy.db"
    code = main(["migrate", "--db", str(src), "--to", other(default_engine()), "--out", str(out), "--json"])
    report = json.loads(capsys.readouterr().out)
    assert code == 0 and report["to"] == other(default_engine())
    assert report["tables"]["RELATION"]["rows"] == 1 and report["tables"]["Entity"]["rows"] == 2
    assert detect_engine(out) == other(default_engine())
    after = _child_stats(out)  # opened by the other engine, in its own process
    assert after["nodes"] == before["nodes"] and after["relationships"] == before["relationships"]
    assert main(["migrate", "--db", str(src), "--to", other(default_engine()), "--out", str(out)]) == 5  # exists
    assert main(["migrate", "--db", str(src), "--to", default_engine(), "--out", str(tmp_path / "x.db")]) == 5
    assert main(["migrate", "--db", str(tmp_path / "none.db"), "--to", "ladybug", "--out", str(tmp_path / "y")]) == 5
