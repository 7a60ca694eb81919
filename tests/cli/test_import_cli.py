"""``graphrag import-triples``, the ``import`` pipeline step, and the shipped demo data and specs."""

from __future__ import annotations

import gzip
import json
import tomllib
from pathlib import Path

import pytest

from graphrag.cli import main
from graphrag.ids import entity_id
from graphrag.store import KuzuGraphStore, write_reason

REPO = Path(__file__).resolve().parents[2]
DEMO = REPO / "data" / "demo"
KB = "Kismet|directed_by|William Dieterle\nMean Girls|written_by|Tina Fey\nMean Girls|has_tags|tina fey\n"


def run(capsys, *args):
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, " ".join(err.split())  # rich wraps stderr at 80 columns


def counts(db) -> tuple[int, int, int]:
    with KuzuGraphStore(db, read_only=True) as s:
        st = s.stats()
    return st["nodes"]["Document"], st["nodes"]["Entity"], st["relationships"]["RELATION"]


@pytest.fixture
def kb(tmp_path):
    p = tmp_path / "kb.txt"
    p.write_text(KB)
    return p


def test_import_prints_counts_and_time_and_is_idempotent(kb, tmp_path, capsys):
    db = tmp_path / "g.kuzu"
    code, out, _ = run(capsys, "import-triples", kb, "--format", "metaqa", "--db", db)
    assert code == 0
    assert "kb.txt: imported 3 triples, 5 new entities, 0 already in the store, in " in out
    assert "triples/s" in out
    code, out, _ = run(capsys, "import-triples", kb, "-f", "metaqa", "--db", db)
    assert code == 0 and "kb.txt: unchanged since the last import, nothing to do" in out
    assert counts(db) == (1, 5, 3)


def test_a_changed_file_is_replaced(kb, tmp_path, capsys):
    db = tmp_path / "g.kuzu"
    run(capsys, "import-triples", kb, "-f", "metaqa", "--db", db)
    kb.write_text("Kismet|directed_by|William Dieterle\n")
    code, out, _ = run(capsys, "import-triples", kb, "-f", "metaqa", "--db", db)
    assert code == 0
    assert "replaced 1 triples" in out and "old version's 3 triples were removed, with 3 entities" in out
    assert counts(db) == (1, 2, 1)


def test_a_malformed_file_is_refused_whole_with_exit_3(tmp_path, capsys):
    bad = tmp_path / "bad.txt"
    bad.write_text(KB + "just one field\nA||B\n")
    db = tmp_path / "g.kuzu"
    code, out, err = run(capsys, "import-triples", bad, "-f", "metaqa", "--db", db)
    assert code == 3 and out == ""
    assert f"error: {bad}:4: 2 malformed line(s), nothing was imported: line 4: expected 3 fields" in err
    assert "line 5: empty predicate" in err and "--skip-bad" in err
    assert counts(db) == (0, 0, 0)


def test_skip_bad_loads_good_lines_reports_each_bad_one_and_exits_3(tmp_path, capsys):
    bad = tmp_path / "bad.txt"
    bad.write_text("just one field\n" + KB + "A||B\n")
    db = tmp_path / "g.kuzu"
    code, out, err = run(capsys, "import-triples", bad, "-f", "metaqa", "--db", db, "--skip-bad")
    assert code == 3
    assert f"skipped {bad}:1: expected 3 fields separated by '|', got 1" in err
    assert f"skipped {bad}:5: empty predicate" in err
    assert "imported 3 triples" in out and "2 malformed line(s) of" in out
    assert counts(db) == (1, 5, 3)


def test_names_that_look_like_markup_are_printed_literally(tmp_path, capsys):
    """``[REC]`` is a film; ``[/b]`` would crash rich markup rendering if it were not escaped."""
    kb = tmp_path / "kb.txt"
    kb.write_text("[REC]|directed_by|Jaume Balagueró\nX|r|[/b]\n[/b]|oops\n")
    db = tmp_path / "g.kuzu"
    code, _, err = run(capsys, "import-triples", kb, "-f", "metaqa", "--db", db)
    assert code == 3 and "got 2: '[/b]|oops'" in err
    code, out, err = run(capsys, "import-triples", kb, "-f", "metaqa", "--db", db, "--skip-bad")
    assert code == 3 and f"skipped {kb}:3: expected 3 fields separated by '|', got 2: '[/b]|oops'" in err
    code, out, _ = run(
        capsys, "cypher", "MATCH (a)-[r]->(b) RETURN a.name, b.name, [b.name] ORDER BY a.name", "--db", db
    )
    assert code == 0 and "[REC]" in out and "[/b]" in out and '["[/b]"]' in out
    code, out, _ = run(capsys, "stats", "--db", db)
    assert code == 0


def test_tsv_csv_gzip_and_delimiter(tmp_path, capsys):
    db = tmp_path / "g.kuzu"
    (tmp_path / "a.tsv").write_text("A\tr\tB\n")
    (tmp_path / "b.csv").write_text('subject,predicate,object\n"C, Jr.",r,D\n')
    (tmp_path / "c.txt.gz").write_bytes(gzip.compress(b"E;r;F\n"))
    assert run(capsys, "import-triples", tmp_path / "a.tsv", "-f", "tsv", "--db", db)[0] == 0
    assert run(capsys, "import-triples", tmp_path / "b.csv", "-f", "csv", "--db", db)[0] == 0
    assert run(capsys, "import-triples", tmp_path / "c.txt.gz", "-f", "metaqa", "-d", ";", "--db", db)[0] == 0
    with KuzuGraphStore(db, read_only=True) as s:
        got = s.execute("MATCH (a)-[r:RELATION]->(b) RETURN a.name AS s, b.name AS o ORDER BY s").to_pylist()
    assert got == [{"s": "A", "o": "B"}, {"s": "C, Jr.", "o": "D"}, {"s": "E", "o": "F"}]


def test_several_files_in_one_call_share_entities(tmp_path, capsys):
    db = tmp_path / "g.kuzu"
    (tmp_path / "one.txt").write_text("A|r|B\n")
    (tmp_path / "two.txt").write_text("B|r|C\n")
    code, out, _ = run(
        capsys, "import-triples", tmp_path / "one.txt", tmp_path / "two.txt", "-f", "metaqa", "--db", db
    )
    assert code == 0 and "1 already in the store" in out
    assert counts(db) == (2, 3, 2)


def test_embed_with_the_hashing_embedder(kb, tmp_path, capsys):
    db = tmp_path / "g.kuzu"
    code, out, _ = run(
        capsys, "import-triples", kb, "-f", "metaqa", "--db", db, "--embed", "--embedder", "hashing"
    )
    assert code == 0 and "embedded 5 entity names" in out
    with KuzuGraphStore(db, read_only=True) as s:
        assert s.scalar("MATCH (e:Entity) WHERE e.embedding IS NULL RETURN count(*)") == 0


def test_import_without_embed_fits_a_store_of_any_embedding_size(kb, tmp_path, capsys):
    db = tmp_path / "g.kuzu"
    KuzuGraphStore(db, embedding_dim=16).close()
    assert run(capsys, "import-triples", kb, "-f", "metaqa", "--db", db)[0] == 0
    code, _, err = run(
        capsys, "import-triples", kb, "-f", "metaqa", "--db", db, "--embed", "--embedder", "hashing"
    )
    assert code == 5 and "holds 16-d embeddings but the embedder makes 384-d ones" in err


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["-f", "xml"], 2, "unknown triple format 'xml'; choose one of: csv, metaqa, tsv"),
        (["-f", "metaqa", "--embed", "--embedder", "nope"], 2, "unknown embedder 'nope'"),
        (["-f", "csv", "-d", ";;"], 2, "the csv format needs a single character"),
    ],
)
def test_option_errors(kb, tmp_path, capsys, args, code, message):
    got, _, err = run(capsys, "import-triples", kb, "--db", tmp_path / "g.kuzu", *args)
    assert got == code and message in err


def test_unreadable_inputs(tmp_path, capsys):
    db = tmp_path / "g.kuzu"
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "bin.dat").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    for name, message in [
        ("missing.txt", "no such file"),
        ("empty.txt", "empty file"),
        ("bin.dat", "binary file"),
    ]:
        code, _, err = run(
            capsys, "import-triples", tmp_path / name, "-f", "metaqa", "--db", db, "--skip-bad"
        )
        assert code == 3 and message in err


def test_format_is_required_and_help_states_the_bad_line_policy(kb, capsys):
    assert main(["import-triples", str(kb)]) == 2
    assert "Missing option '--format'" in " ".join(capsys.readouterr().err.split())
    assert main(["import-triples", "--help"]) == 0
    help_text = " ".join(capsys.readouterr().out.split())
    assert "refused as a whole: nothing is stored" in help_text and "--skip-bad" in help_text


def test_delete_file_removes_its_triples_and_entities(kb, tmp_path, capsys):
    db = tmp_path / "g.kuzu"
    run(capsys, "import-triples", kb, "-f", "metaqa", "--db", db)
    code, out, _ = run(capsys, "delete", kb, "--db", db)
    assert code == 0 and "3 triple(s), 5 entity(ies)" in out
    assert counts(db) == (0, 0, 0)


# -- the ``import`` pipeline step -----------------------------------------------------------------------
def write_spec(tmp_path, body: str) -> Path:
    spec = tmp_path / "spec.toml"
    spec.write_text(f'[store]\ndb = "{tmp_path / "p.kuzu"}"\n{body}')
    return spec


def test_import_step_runs_in_a_pipeline(kb, tmp_path, capsys):
    spec = write_spec(
        tmp_path,
        f'[[steps]]\nkind = "import"\npaths = ["{kb}"]\nformat = "metaqa"\n[[steps]]\nkind = "stats"\n',
    )
    code, out, err = run(capsys, "run", spec)
    assert code == 0 and "imported 3 triples" in out and "step 2/2: stats" in err
    code, out, _ = run(capsys, "run", spec)
    assert code == 0 and "unchanged" in out
    assert counts(tmp_path / "p.kuzu") == (1, 5, 3)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('paths = ["x.txt"]\n', "import step needs `format`"),
        ('format = "metaqa"\n', "import step needs `paths`"),
        ('paths = ["x.txt"]\nformat = "metaqa"\nskipbad = true\n', "unknown options ['skipbad']"),
        ('paths = "x.txt"\nformat = "metaqa"\n', "import step needs `paths`, a list"),
        ('paths = ["x.txt"]\nformat = "metaqa"\nskip_bad = "yes"\n', "`skip_bad` must be true or false"),
    ],
)
def test_import_step_option_errors(tmp_path, capsys, body, message):
    code, _, err = run(capsys, "run", write_spec(tmp_path, f'[[steps]]\nkind = "import"\n{body}'))
    assert code == 2 and message in err


# -- the demo data and specs ----------------------------------------------------------------------------
def test_demo_metaqa_slice_imports_and_holds_its_questions(tmp_path, capsys):
    db = tmp_path / "demo.kuzu"
    code, out, _ = run(capsys, "import-triples", DEMO / "metaqa_kb_slice.txt", "-f", "metaqa", "--db", db)
    assert code == 0 and "imported 3,468 triples, 2,182 new entities" in out
    questions = (DEMO / "metaqa_questions.txt").read_text().splitlines()
    qtypes = (DEMO / "metaqa_questions_qtype.txt").read_text().splitlines()
    assert len(questions) == len(qtypes) == 30
    with KuzuGraphStore(db, read_only=True) as s:
        for line in questions:
            question, answers = line.split("\t")
            topic = question.split("[", 1)[1].split("]", 1)[0]
            names = [topic, *answers.split("|")]
            found = s.existing_ids("Entity", [entity_id(n) for n in names])
            assert len(found) == len(set(names)), line
        # a 1-hop question answered with Cypher: "who's the director of [The French Lieutenant's Woman]"
        got = s.run_user_query(
            "MATCH (m:Entity {name: $m})-[r:RELATION]->(d:Entity) WHERE r.predicate = 'directed_by' "
            "RETURN d.name",
            {"m": "The French Lieutenant's Woman"},
        )
    assert got.rows == (("Karel Reisz",),)


def test_demo_2wiki_questions_have_their_gold_passages():
    passages = [json.loads(line) for line in (DEMO / "2wiki_passages.jsonl").read_text().splitlines()]
    questions = json.loads((DEMO / "2wiki_questions.json").read_text())
    titles = {p["title"] for p in passages}
    assert 250 <= len(passages) <= 400 and len(titles) == len(passages)
    assert len(questions) == 40 and all(p["text"].strip() for p in passages)
    for q in questions:
        assert q["answer"] and set(q["gold_titles"]) <= titles, q["id"]


def test_data_folder_stays_small():
    total = sum(p.stat().st_size for p in (REPO / "data").rglob("*") if p.is_file() and "work" not in p.parts)
    assert total < 1.5e6


def test_demo_spec_steps_and_its_sample_queries_are_read_only():
    spec = tomllib.loads((REPO / "pipelines" / "demo.toml").read_text())
    assert spec["store"]["db"] == "data/work/demo.kuzu"
    kinds = [s["kind"] for s in spec["steps"]]
    assert kinds[:4] == ["ingest", "import", "stats", "cypher"]  # later steps (answering) may follow
    for step in spec["steps"]:
        for path in step.get("paths", []):
            assert (REPO / path).is_file(), path
    queries = spec["steps"][kinds.index("cypher")]["queries"]
    assert 3 <= len(queries) <= 4
    for q in queries:
        assert write_reason(q["query"]) is None, q["title"]
