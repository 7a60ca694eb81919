"""Access control from the CLI, in-process: ``ingest --acl`` and per-record ``acl`` fields, ``import-triples
--acl``, ``graphrag acl`` as an update (nothing re-extracted), and ``--as/--groups`` on every read command."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from graphrag.cli import main

RECORDS = [
    {"title": "Open memo", "text": "Ada Lovelace wrote the first program for the Analytical Engine."},
    {"title": "Payroll", "text": "Charles Babbage earned a secret salary from Lady Byron.", "acl": "hr"},
    {"title": "Board minutes", "text": "The board of Difference Ltd approved the merger.", "acl": ["board", "hr"]},
]


def run(capsys: pytest.CaptureFixture[str], *args: object) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The corpus, a note, and a store ingested from them once (tests copy it)."""
    root = tmp_path_factory.mktemp("access_cli")
    (root / "corpus.jsonl").write_text("".join(json.dumps(r) + "\n" for r in RECORDS))
    (root / "notes.txt").write_text("Grace Hopper found a moth in the Harvard Mark II.")
    db = root / "template.kuzu"
    assert main(["ingest", str(root / "corpus.jsonl"), "--db", str(db), "--embedder", "hashing"]) == 0
    assert main(["ingest", str(root / "notes.txt"), "--db", str(db), "--acl", "navy, user:grace"]) == 0
    return root


@pytest.fixture
def store(inputs: Path, tmp_path: Path) -> Path:
    db = tmp_path / "g.kuzu"
    shutil.copy2(inputs / "template.kuzu", db)
    return db


def test_acls_from_records_and_the_flag_are_stored_and_listed(store: Path, capsys) -> None:
    code, out, _ = run(capsys, "cypher", "MATCH (d:Document) RETURN d.title, d.acl ORDER BY d.title", "--db", store,
                       "--format", "json")  # fmt: skip
    assert code == 0
    acls = {r["d.title"]: r["d.acl"] for r in json.loads(out)}
    assert acls == {"Board minutes": "board,hr", "Open memo": "", "Payroll": "hr", "notes": "navy,user:grace"}
    code, out, _ = run(capsys, "documents", "--db", store)
    assert code == 0 and "board,hr" in out and "public" in out


def test_read_commands_as_a_principal_see_only_their_documents(store: Path, capsys) -> None:
    query = "MATCH (c:Chunk) RETURN c.text"
    _, out, _ = run(capsys, "cypher", query, "--db", store, "--as", "bob", "--format", "json")
    assert "Ada Lovelace" in out and "salary" not in out and "merger" not in out and "moth" not in out
    _, out, _ = run(capsys, "cypher", query, "--db", store, "--as", "hank", "--groups", "hr", "--format", "json")
    assert "salary" in out and "merger" in out and "moth" not in out
    _, out, _ = run(capsys, "cypher", query, "--db", store, "--as", "grace", "--format", "json")  # user:grace
    assert "moth" in out and "salary" not in out
    code, out, _ = run(capsys, "stats", "--db", store, "--as", "bob", "--json")
    assert code == 0 and json.loads(out)["nodes"]["Document"] == 1
    _, out, _ = run(capsys, "documents", "--db", store, "--as", "bob")
    assert "Open memo" in out and "Payroll" not in out
    code, out, _ = run(capsys, "ask", "Who earned a secret salary?", "--db", store, "--as", "bob", "--llm", "none")
    assert code == 0 and "salary" not in out.replace("Who earned a secret salary?", "")


def test_principals_cannot_write_and_groups_need_a_user(store: Path, capsys) -> None:
    code, _, err = run(capsys, "cypher", "MATCH (d:Document) SET d.acl = ''", "--db", store, "--write", "--as", "bob")
    assert code == 4 and "cannot write" in err
    code, _, err = run(capsys, "stats", "--db", store, "--groups", "hr")
    assert code == 2 and "--groups needs --as" in err
    code, _, err = run(capsys, "stats", "--db", store, "--as", "bob;drop")
    assert code == 3 and "invalid user name" in err


def test_acl_command_is_an_update_and_takes_effect(store: Path, inputs: Path, capsys) -> None:
    code, out, _ = run(capsys, "acl", inputs / "corpus.jsonl", "", "--db", store)
    assert code == 0 and "3 document(s) now readable by everyone" in out
    _, out, _ = run(capsys, "cypher", "MATCH (c:Chunk) RETURN c.text", "--db", store, "--as", "bob", "--format", "json")
    assert "salary" in out
    code, _, err = run(capsys, "acl", "no-such-doc", "hr", "--db", store)
    assert code == 3 and "no document with id or source" in err
    code, _, err = run(capsys, "acl", inputs / "notes.txt", "bad group!", "--db", store)
    assert code == 3 and "invalid group name" in err


def test_reingesting_with_another_acl_updates_it_without_extracting(store: Path, inputs: Path, capsys) -> None:
    code, out, _ = run(capsys, "ingest", inputs / "notes.txt", "--db", store, "--acl", "public-relations", "--json")
    report = json.loads(out)
    assert code == 0 and report["documents_acl_changed"] == 1 and report["documents_unchanged"] == 1
    assert report["chunks"] == 0  # nothing re-extracted
    _, out, _ = run(capsys, "cypher", "MATCH (d:Document {title: 'notes'}) RETURN d.acl", "--db", store, "--format",
                    "json")  # fmt: skip
    assert json.loads(out) == [{"d.acl": "public-relations"}]


def test_a_record_with_a_bad_acl_is_skipped_alone(tmp_path: Path, capsys) -> None:
    corpus = tmp_path / "c.jsonl"
    corpus.write_text(
        json.dumps({"title": "A", "text": "Alpha text.", "acl": 5}) + "\n"
        + json.dumps({"title": "B", "text": "Beta text.", "acl": "ok"}) + "\n"
    )  # fmt: skip
    code, _, err = run(capsys, "ingest", corpus, "--db", tmp_path / "g.kuzu", "--embedder", "hashing")
    assert code == 3 and "c.jsonl:1" in err and "acl" in err


def test_import_triples_with_an_acl(tmp_path: Path, capsys) -> None:
    kb = tmp_path / "kb.txt"
    kb.write_text("Mean Girls|directed_by|Mark Waters\n")
    db = tmp_path / "kg.kuzu"
    assert run(capsys, "import-triples", kb, "--format", "metaqa", "--db", db, "--acl", "film")[0] == 0
    _, out, _ = run(capsys, "cypher", "MATCH ()-[r:RELATION]->(b) RETURN b.name", "--db", db, "--as", "bob",
                    "--format", "json")  # fmt: skip
    assert json.loads(out) == []
    _, out, _ = run(capsys, "cypher", "MATCH ()-[r:RELATION]->(b) RETURN b.name", "--db", db, "--as", "fan",
                    "--groups", "film", "--format", "json")  # fmt: skip
    assert "Mark Waters" in out
    code, out, _ = run(capsys, "import-triples", kb, "--format", "metaqa", "--db", db)  # no --acl: unchanged
    assert code == 0 and "unchanged" in out
    code, out, _ = run(capsys, "import-triples", kb, "--format", "metaqa", "--db", db, "--acl", "")
    assert code == 0 and "ACL was updated" in out
