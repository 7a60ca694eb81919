"""``graphrag cypher``, ``stats``, ``documents`` and ``delete``, run in-process via ``graphrag.cli.main``."""

from __future__ import annotations

import csv
import io
import json

import pytest

from graphrag.cli import main
from graphrag.importers import TripleImporter
from graphrag.store import KuzuGraphStore

KB = (
    "Mean Girls|written_by|Tina Fey\n"
    "Mean Girls|has_tags|tina fey\n"
    "Mean Girls|directed_by|Mark Waters\n"
    "Freaky Friday|directed_by|Mark Waters\n"
    'Kismet|has_tags|"quoted", with comma\n'
)


def build(root, text_doc):
    kb = root / "kb.txt"
    kb.write_text(KB)
    path = root / "g.kuzu"
    with KuzuGraphStore(path) as store:
        text_doc(
            store,
            "Tina Fey",
            "Tina Fey wrote Mean Girls.",
            entities=[("Tina Fey", "PERSON"), ("Mean Girls", "WORK_OF_ART")],
            triples=[("Tina Fey", "wrote", "Mean Girls")],
        )
        TripleImporter(store).import_file(kb)
    return path


@pytest.fixture(scope="module")
def db(tmp_path_factory, text_doc):
    """Shared by the tests that only read (and by the refused writes, which must leave it unchanged)."""
    return build(tmp_path_factory.mktemp("cli"), text_doc)


@pytest.fixture
def own_db(tmp_path, text_doc):
    """A fresh database for a test that writes."""
    return build(tmp_path, text_doc)


def run(capsys, *args):
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def entity_count(path) -> int:
    with KuzuGraphStore(path, read_only=True) as s:
        return s.scalar("MATCH (e:Entity) RETURN count(*)")


def test_cypher_json_output(db, capsys):
    code, out, _ = run(
        capsys,
        "cypher",
        "MATCH (m:Entity)-[r:RELATION]->(d:Entity) WHERE r.predicate = "
        "'directed_by' RETURN m.name AS movie, d.name AS director ORDER BY movie",
        "--db",
        db,
        "--format",
        "json",
    )
    assert code == 0
    assert json.loads(out) == [
        {"movie": "Freaky Friday", "director": "Mark Waters"},
        {"movie": "Mean Girls", "director": "Mark Waters"},
    ]


def test_cypher_csv_output_quotes_and_encodes_lists(db, capsys):
    code, out, _ = run(
        capsys,
        "cypher",
        "MATCH (e:Entity) WHERE e.name STARTS WITH '\"quoted' "
        "RETURN e.name AS name, [1, 2] AS xs, e.aliases AS aliases",
        "--db",
        db,
        "-f",
        "csv",
    )
    assert code == 0
    assert list(csv.reader(io.StringIO(out))) == [
        ["name", "xs", "aliases"],
        ['"quoted", with comma', "[1, 2]", "[]"],
    ]


def test_cypher_table_output_counts_rows(db, capsys):
    code, out, _ = run(capsys, "cypher", "MATCH (e:Entity) RETURN e.name ORDER BY e.name LIMIT 2", "--db", db)
    assert code == 0 and "2 row(s)" in out and "Freaky Friday" in out


def test_params_reach_the_query_as_parameters(db, capsys):
    code, out, _ = run(
        capsys,
        "cypher",
        "MATCH (e:Entity) WHERE e.name = $name RETURN e.name AS n, e.type AS t",
        "--db",
        db,
        "--param",
        "name=Tina Fey",
        "-f",
        "json",
    )
    assert code == 0 and json.loads(out) == [{"n": "Tina Fey", "t": "PERSON"}]
    # JSON values: numbers, lists; a value that is not JSON stays a string
    code, out, _ = run(
        capsys,
        "cypher",
        "MATCH (e:Entity) WHERE e.name IN $names RETURN e.name AS n ORDER BY n LIMIT $k",
        "--db",
        db,
        "-p",
        'names=["tina fey", "Kismet", "Tina Fey"]',
        "-p",
        "k=2",
        "-f",
        "json",
    )
    assert code == 0 and json.loads(out) == [{"n": "Kismet"}, {"n": "Tina Fey"}]
    code, out, _ = run(
        capsys, "cypher", "RETURN $x AS x, $y AS y", "--db", db, "-p", "x=007", "-p", "y=a=b", "-f", "json"
    )
    assert code == 0 and json.loads(out) == [{"x": "007", "y": "a=b"}]


def test_bad_param_and_bad_format_are_config_errors(db, capsys):
    code, _, err = run(capsys, "cypher", "RETURN 1", "--db", db, "-p", "novalue")
    assert code == 2 and "--param needs the form name=value" in err
    code, _, err = run(capsys, "cypher", "RETURN 1", "--db", db, "-f", "xml")
    assert code == 2 and "unknown format 'xml'" in err


@pytest.mark.parametrize(
    ("query", "reason"),
    [
        ("CREATE (:Entity {id: 'x', name: 'X'})", "CREATE clause"),
        ("MATCH (e:Entity) /* tidy up */ DETACH DELETE e", "DETACH clause"),
        ("MATCH (e:Entity) RETURN e.name; MATCH (e:Entity) SET e.name = 'x'", "SET clause"),
        ("CALL create_fts_index('Entity', 'f', ['name'])", "CALL create_fts_index"),
    ],
)
def test_writes_are_refused_with_exit_code_4_and_change_nothing(db, capsys, query, reason):
    before = entity_count(db)
    code, out, err = run(capsys, "cypher", query, "--db", db)
    assert code == 4 and out == ""
    assert f"refused: this query would change the database ({reason}" in " ".join(err.split())
    assert entity_count(db) == before


def test_write_flag_allows_a_write(own_db, capsys):
    before = entity_count(own_db)
    code, _, _ = run(
        capsys,
        "cypher",
        "CREATE (:Entity {id: $id, name: $name, type: 'X'})",
        "--db",
        own_db,
        "--write",
        "-p",
        "id=new1",
        "-p",
        "name=Brand New",
    )
    assert code == 0 and entity_count(own_db) == before + 1


def test_query_errors_and_missing_databases_exit_5(db, tmp_path, capsys):
    code, _, err = run(capsys, "cypher", "MATCH (e:Entity) RETURN e.nope", "--db", db)
    assert code == 5 and "Cannot find property nope" in err
    code, _, err = run(capsys, "cypher", "RETURN 1", "--db", tmp_path / "none.kuzu")
    assert code == 5 and "no database at" in err


def test_stats_counts_by_table_and_predicate(db, capsys):
    code, out, _ = run(capsys, "stats", "--db", db, "--json")
    assert code == 0
    s = json.loads(out)
    assert s["nodes"] == {"Document": 2, "Chunk": 1, "Entity": 7}
    assert s["relationships"] == {"HAS_CHUNK": 1, "MENTIONS": 2, "ABOUT": 0, "RELATION": 6}
    assert s["predicates"] == {"directed_by": 2, "has_tags": 2, "wrote": 1, "written_by": 1}
    assert s["entity_types"] == {"": 5, "PERSON": 1, "WORK_OF_ART": 1}
    code, out, _ = run(capsys, "stats", "--db", db)
    assert code == 0
    assert "Top predicates" in out and "directed_by" in out and "(none)" in out and "RELATION" in out


def test_documents_and_delete_by_file(own_db, tmp_path, capsys):
    db = own_db
    code, out, _ = run(capsys, "documents", "--db", db)
    assert code == 0 and "kb.txt" in out and "kg" in out
    code, out, _ = run(capsys, "delete", tmp_path / "kb.txt", "--db", db)
    assert code == 0
    assert "removed 1 document(s), 0 chunk(s), 5 triple(s), 5 entity(ies) no longer supported" in out
    with KuzuGraphStore(db, read_only=True) as s:
        left = s.execute("MATCH (e:Entity) RETURN e.name AS n ORDER BY n").column("n").to_pylist()
    assert left == ["Mean Girls", "Tina Fey"]  # the text document still mentions them
    code, _, err = run(capsys, "delete", tmp_path / "kb.txt", "--db", db)
    assert code == 3 and "no document with id or source" in err


def test_an_incompletely_written_document_is_flagged_and_deletable(own_db, tmp_path, capsys):
    db = own_db
    with KuzuGraphStore(db) as s:  # what a process killed between the staged steps leaves behind
        s.execute("MATCH (d:Document) WHERE d.title = 'kb.txt' SET d.hash = 'pending:' + d.hash")
    code, out, _ = run(capsys, "stats", "--db", db)
    assert code == 0 and "1 document(s) were not fully written" in out
    code, out, _ = run(capsys, "documents", "--db", db)
    assert code == 0 and "kg (incomplete)" in out
    assert run(capsys, "delete", tmp_path / "kb.txt", "--db", db)[0] == 0
    code, out, _ = run(capsys, "stats", "--db", db, "--json")
    assert json.loads(out)["pending_documents"] == 0
