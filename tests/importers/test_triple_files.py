"""Triple-file parsing (metaqa, tsv, csv) and loading into a real Kuzu store on tmp_path."""

from __future__ import annotations

import gzip
import time

import numpy as np
import pyarrow as pa
import pytest

from graphrag.embed import HashingEmbedder
from graphrag.errors import ConfigError, InputError, StoreError, UnknownBackendError
from graphrag.ids import document_id, entity_id
from graphrag.importers import TripleImporter, parse_triples, read_triples
from graphrag.store import KuzuGraphStore

KB = "Kismet|directed_by|William Dieterle\nMean Girls|written_by|Tina Fey\nMean Girls|has_tags|tina fey\n"


def rows(tf):
    return [(r["subject"], r["predicate"], r["object"], r["line"]) for r in tf.table.to_pylist()]


def parse(text: str | bytes, fmt: str = "metaqa", **kw):
    data = text.encode() if isinstance(text, str) else text
    return parse_triples(data, path="kb.txt", fmt=fmt, **kw)


@pytest.fixture
def store(tmp_path):
    with KuzuGraphStore(tmp_path / "g.kuzu", embedding_dim=16) as s:
        yield s


def counts(store) -> tuple[int, int, int]:
    s = store.stats()
    return s["nodes"]["Document"], s["nodes"]["Entity"], s["relationships"]["RELATION"]


# -- parsing --------------------------------------------------------------------------------------------
def test_metaqa_lines_keep_case_and_line_numbers():
    tf = parse(KB)
    assert rows(tf) == [
        ("Kismet", "directed_by", "William Dieterle", 1),
        ("Mean Girls", "written_by", "Tina Fey", 2),
        ("Mean Girls", "has_tags", "tina fey", 3),
    ]
    assert tf.skipped == () and tf.duplicates == 0


def test_whitespace_is_normalised_like_entity_ids_and_blank_and_crlf_lines_are_fine():
    tf = parse("  Mean   Girls |written_by|\tTina  Fey \r\n\r\n   \nA|r|B")
    assert rows(tf) == [("Mean Girls", "written_by", "Tina Fey", 1), ("A", "r", "B", 4)]


def test_wrong_column_count_refuses_the_file_naming_file_and_line():
    with pytest.raises(InputError) as exc:
        parse("A|r|B\nA|r\nA|r|B|C\n")
    msg = str(exc.value)
    assert msg.startswith("kb.txt:2: 2 malformed line(s), nothing was imported")
    assert "line 2: expected 3 fields separated by '|', got 2: 'A|r'" in msg
    assert "line 3: expected 3 fields separated by '|', got 4" in msg
    assert "--skip-bad" in msg
    assert exc.value.path == "kb.txt" and exc.value.line == 2


def test_empty_field_is_malformed():
    with pytest.raises(
        InputError, match=r"kb.txt:2: .*line 2: empty predicate; line 3: empty subject and object"
    ):
        parse("A|r|B\nA| |B\n|r|\n")


def test_skip_bad_keeps_good_lines_and_reports_each_bad_one():
    tf = parse("A|r|B\nbroken\nC|r|\nD|r|E\n", skip_bad=True)
    assert [r[3] for r in rows(tf)] == [1, 4]
    assert [(b.line, b.reason.split(":")[0]) for b in tf.skipped] == [
        (2, "expected 3 fields separated by '|', got 1"),
        (3, "empty object"),
    ]


def test_many_bad_lines_are_summarised():
    with pytest.raises(InputError, match=r"9 malformed line\(s\).*line 5: .*; and 4 more"):
        parse("x\n" * 9)


def test_invalid_utf8_names_the_line_and_can_be_skipped():
    data = b"A|r|B\nCaf\xe9|r|B\nC|r|D\n"
    with pytest.raises(InputError, match=r"kb.txt:2: .*invalid UTF-8 \(byte 0xe9 at column 4\)"):
        parse(data)
    tf = parse(data, skip_bad=True)
    assert [r[0] for r in rows(tf)] == ["A", "C"] and tf.skipped[0].line == 2


def test_binary_and_empty_files_are_refused_even_with_skip_bad():
    with pytest.raises(InputError, match=r"kb.txt:2: binary file"):
        parse(b"A|r|B\n\x00\x01\x02|r|x\n", skip_bad=True)
    for empty in (b"", b"  \n\n \t\n"):
        with pytest.raises(InputError, match="kb.txt: empty file"):
            parse(empty, skip_bad=True)
    with pytest.raises(InputError, match=r"no triples found \(every line was malformed\)"):
        parse("x\ny\n", skip_bad=True)


def test_utf8_bom_and_non_ascii_names():
    tf = parse("\ufeffAmélie|directed_by|Jean-Pierre Jeunet\n".encode())
    assert rows(tf) == [("Amélie", "directed_by", "Jean-Pierre Jeunet", 1)]


def test_duplicates_are_dropped_keeping_the_first_line():
    tf = parse("A|r|B\nC|r|D\nA|r|B\nA| r |B\n")
    assert rows(tf) == [("A", "r", "B", 1), ("C", "r", "D", 2)] and tf.duplicates == 2


def test_tsv_and_custom_delimiters():
    assert rows(parse("A\tr\tB\n", "tsv")) == [("A", "r", "B", 1)]
    assert rows(parse("A;;r;;B\n", "metaqa", delimiter=";;")) == [("A", "r", "B", 1)]
    assert rows(parse("A\tr\tB\n", "metaqa", delimiter="\\t")) == [("A", "r", "B", 1)]
    with pytest.raises(InputError, match="expected 3 fields separated by '\\\\t', got 1"):
        parse("A|r|B\n", "tsv")
    with pytest.raises(ConfigError, match="single character"):
        parse("A;r;B\n", "csv", delimiter=";;")
    with pytest.raises(ConfigError, match="non-empty"):
        parse("A|r|B\n", delimiter="")


def test_csv_header_quoting_and_multiline_records():
    text = (
        'subject,predicate,object\n"Smith, John",born in,London\n'
        '"A ""quoted"" name",says,"two\nlines"\nX,r,Y\n'
    )
    assert rows(parse(text, "csv")) == [
        ("Smith, John", "born in", "London", 2),
        ('A "quoted" name', "says", "two lines", 3),
        ("X", "r", "Y", 5),
    ]
    # no header: the first row is data
    assert rows(parse("a,b,c\n", "csv")) == [("a", "b", "c", 1)]
    with pytest.raises(InputError, match=r"kb.txt:2: .*expected 3 fields separated by ',', got 2"):
        parse("a,b,c\nd,e\n", "csv")


def test_unknown_format_lists_the_choices():
    with pytest.raises(UnknownBackendError, match="choose one of: csv, metaqa, tsv"):
        parse(KB, "xml")


def test_gzip_is_detected_by_content_and_corrupt_gzip_is_an_input_error(tmp_path):
    plain, gz, bad = tmp_path / "kb.txt", tmp_path / "kb.txt.gz", tmp_path / "bad.gz"
    plain.write_text(KB)
    gz.write_bytes(gzip.compress(KB.encode()))
    bad.write_bytes(gzip.compress(KB.encode())[:20])
    assert rows(read_triples(gz)) == rows(read_triples(plain))
    assert read_triples(gz).fingerprint == read_triples(plain).fingerprint  # same content, same hash
    with pytest.raises(InputError, match="bad.gz: corrupt gzip"):
        read_triples(bad)
    with pytest.raises(InputError, match="no such file"):
        read_triples(tmp_path / "missing.txt")
    with pytest.raises(InputError, match="is a directory"):
        read_triples(tmp_path)


def test_fingerprint_depends_on_content_and_parse_settings():
    a, b = parse(KB), parse(KB + "X|r|Y\n")
    assert a.fingerprint != b.fingerprint
    assert parse("A|r|B\n").fingerprint != parse("A|r|B\n", "csv", delimiter="|").fingerprint


# -- loading --------------------------------------------------------------------------------------------
def test_import_stores_entities_triples_and_provenance(store, tmp_path):
    kb = tmp_path / "kb.txt"
    kb.write_text(KB)
    report = TripleImporter(store).import_file(kb)
    assert (report.status, report.triples, report.entities_new, report.entities_reused) == (
        "imported",
        3,
        5,
        0,
    )
    assert counts(store) == (1, 5, 3)
    doc = store.execute("MATCH (d:Document) RETURN d.*").to_pylist()[0]
    assert doc["d.id"] == document_id(str(kb.resolve())) == report.doc_id
    assert (doc["d.kind"], doc["d.title"], doc["d.source"]) == ("kg", "kb.txt", str(kb.resolve()))
    rels = store.execute(
        "MATCH (a:Entity)-[r:RELATION]->(b:Entity) RETURN a.id, a.name, r.predicate, b.name, r.doc_id, "
        "r.source, r.chunk_id, r.confidence ORDER BY r.source"
    ).to_pylist()
    assert [(r["a.name"], r["r.predicate"], r["b.name"]) for r in rels] == [
        ("Kismet", "directed_by", "William Dieterle"),
        ("Mean Girls", "written_by", "Tina Fey"),
        ("Mean Girls", "has_tags", "tina fey"),
    ]
    assert {r["r.doc_id"] for r in rels} == {report.doc_id}
    assert [r["r.source"] for r in rels] == [f"{kb.resolve()}:{i}" for i in (1, 2, 3)]
    assert {r["r.chunk_id"] for r in rels} == {""} and {r["r.confidence"] for r in rels} == {1.0}
    assert rels[0]["a.id"] == entity_id("Kismet")
    ents = store.execute("MATCH (e:Entity) RETURN e.name, e.type, e.aliases, e.embedding").to_pylist()
    assert sorted(e["e.name"] for e in ents) == [
        "Kismet",
        "Mean Girls",
        "Tina Fey",
        "William Dieterle",
        "tina fey",
    ]
    assert all(e["e.type"] == "" and e["e.aliases"] == [] and e["e.embedding"] is None for e in ents)


def test_reimporting_an_unchanged_file_adds_nothing(store, tmp_path):
    kb = tmp_path / "kb.txt.gz"
    kb.write_bytes(gzip.compress(KB.encode()))
    TripleImporter(store).import_file(kb)
    again = TripleImporter(store).import_file(kb)
    assert again.status == "unchanged" and again.triples == 0
    assert counts(store) == (1, 5, 3)


def test_a_changed_file_replaces_its_triples_and_unsupported_entities(store, tmp_path, text_doc):
    text_doc(
        store, "Kismet", "Kismet is a film by William Dieterle.", entities=[("William Dieterle", "PERSON")]
    )
    kb = tmp_path / "kb.txt"
    kb.write_text(KB)
    TripleImporter(store).import_file(kb)
    kb.write_text("Kismet|release_year|1944\nMean Girls|written_by|Tina Fey\n")
    report = TripleImporter(store).import_file(kb)
    assert report.status == "replaced" and report.triples == 2
    assert report.removed == {"RELATION": 3, "Chunk": 0, "Document": 1, "Entity": 1}  # only "tina fey" went
    names = set(store.execute("MATCH (e:Entity) RETURN e.name AS n").column("n").to_pylist())
    # William Dieterle lost its triple but a text chunk still mentions it
    assert names == {"Kismet", "Mean Girls", "Tina Fey", "William Dieterle", "1944"}
    assert counts(store) == (2, 5, 2)
    assert store.remove_orphans() == {"Chunk": 0, "RELATION": 0, "Entity": 0}


def test_entities_from_text_are_reused_not_duplicated(store, tmp_path, text_doc):
    text_doc(
        store,
        "Mean Girls",
        "Mean Girls was written by Tina Fey.",
        entities=[("Tina Fey", "PERSON"), ("Mean Girls", "WORK_OF_ART")],
        triples=[("Mean Girls", "written by", "Tina Fey")],
        embedding=[1.0] + [0.0] * 15,
    )
    kb = tmp_path / "kb.txt"
    kb.write_text(KB)
    report = TripleImporter(store).import_file(kb)
    assert (report.entities_new, report.entities_reused) == (3, 2)
    tina = store.execute(
        "MATCH (e:Entity) WHERE e.name = 'Tina Fey' RETURN e.id, e.type, e.embedding"
    ).to_pylist()
    assert len(tina) == 1 and tina[0]["e.type"] == "PERSON" and tina[0]["e.embedding"][0] == 1.0
    # 'tina fey' (a MetaQA tag) is a different entity from 'Tina Fey'
    assert store.scalar("MATCH (e:Entity) WHERE lower(e.name) = 'tina fey' RETURN count(*)") == 2
    assert counts(store) == (2, 5, 4)


def test_delete_removes_the_kg_and_only_entities_it_alone_supported(store, tmp_path, text_doc):
    text_doc(store, "Mean Girls", "Mean Girls was written by Tina Fey.", entities=[("Tina Fey", "PERSON")])
    kb = tmp_path / "kb.txt"
    kb.write_text(KB)
    report = TripleImporter(store).import_file(kb)
    with store.transaction():
        removed = store.delete_documents([report.doc_id])
    assert removed == {"RELATION": 3, "Chunk": 0, "Document": 1, "Entity": 4}
    names = store.execute("MATCH (e:Entity) RETURN e.name AS n").column("n").to_pylist()
    assert names == ["Tina Fey"]
    assert counts(store) == (1, 1, 0)


def test_a_malformed_file_stores_nothing(store, tmp_path):
    kb = tmp_path / "kb.txt"
    kb.write_text(KB + "oops\n")
    with pytest.raises(InputError, match="kb.txt:4"):
        TripleImporter(store).import_file(kb)
    assert counts(store) == (0, 0, 0)


def test_skip_bad_loads_the_good_lines(store, tmp_path):
    kb = tmp_path / "kb.txt"
    kb.write_text("oops\n" + KB)
    report = TripleImporter(store).import_file(kb, skip_bad=True)
    assert report.triples == 3 and [b.line for b in report.skipped] == [1]
    sources = (
        store.execute("MATCH ()-[r:RELATION]->() RETURN r.source AS s ORDER BY s").column("s").to_pylist()
    )
    assert [s.rsplit(":", 1)[1] for s in sources] == ["2", "3", "4"]


def test_a_crash_during_the_load_rolls_everything_back(store, tmp_path, monkeypatch):
    kb = tmp_path / "kb.txt"
    kb.write_text(KB)
    real = store.bulk_load

    def failing(table, data):
        if table == "RELATION":
            raise StoreError("disk full (simulated)")
        return real(table, data)

    monkeypatch.setattr(store, "bulk_load", failing)
    with pytest.raises(StoreError, match="simulated"):
        TripleImporter(store).import_file(kb)
    assert counts(store) == (0, 0, 0)
    monkeypatch.setattr(store, "bulk_load", real)
    assert TripleImporter(store).import_file(kb).status == "imported"  # not mistaken for "unchanged"


def test_embed_computes_name_embeddings_with_the_embedder(store, tmp_path):
    kb = tmp_path / "kb.txt"
    kb.write_text(KB)
    emb = HashingEmbedder(dim=16)
    seen: list[tuple[int, int]] = []
    report = TripleImporter(
        store, embedder=emb, embed_batch=2, progress=lambda d, t: seen.append((d, t))
    ).import_file(kb)
    assert report.embedded == 5 and seen[-1] == (5, 5) and len(seen) == 3
    t = store.execute("MATCH (e:Entity) RETURN e.name AS name, e.embedding AS v ORDER BY name")
    vecs = np.array(t.column("v").to_pylist(), dtype=np.float32)
    np.testing.assert_allclose(vecs, emb.embed(t.column("name").to_pylist()), atol=1e-6)


def test_replacing_keeps_embeddings_of_entities_both_versions_use(store, tmp_path):
    kb = tmp_path / "kb.txt"
    kb.write_text(KB)
    TripleImporter(store, embedder=HashingEmbedder(dim=16)).import_file(kb)
    kb.write_text(KB + "Kismet|release_year|1944\n")
    TripleImporter(store).import_file(kb)  # no embedder this time
    t = store.execute(
        "MATCH (e:Entity) RETURN e.name AS n, e.embedding IS NULL AS missing ORDER BY n"
    ).to_pylist()
    assert [(r["n"], r["missing"]) for r in t] == [
        ("1944", True),
        ("Kismet", False),
        ("Mean Girls", False),
        ("Tina Fey", False),
        ("William Dieterle", False),
        ("tina fey", False),
    ]


def test_embedder_dimension_must_match_the_store(store):
    with pytest.raises(ConfigError, match="makes 8-d vectors but the store holds 16-d"):
        TripleImporter(store, embedder=HashingEmbedder(dim=8))


@pytest.mark.slow
def test_a_metaqa_sized_file_imports_in_seconds(tmp_path):
    """133,582 synthetic triples over ~43k entities, like MetaQA's kb.txt.gz."""
    rng = np.random.default_rng(0)
    n = 133_582
    heads = rng.integers(0, 17_000, n)
    tails = rng.integers(17_000, 43_234, n)
    rels = rng.integers(0, 9, n)
    lines = np.char.add(
        np.char.add(np.char.add(np.char.add("movie ", heads.astype(str)), "|rel_"), rels.astype(str)),
        np.char.add("|thing ", tails.astype(str)),
    )
    kb = tmp_path / "kb.txt.gz"
    kb.write_bytes(gzip.compress(("\n".join(lines.tolist()) + "\n").encode()))
    with KuzuGraphStore(tmp_path / "g.kuzu") as s:
        start = time.perf_counter()
        report = TripleImporter(s).import_file(kb)
        elapsed = time.perf_counter() - start
        assert report.triples + report.duplicates == n
        assert s.stats()["relationships"]["RELATION"] == report.triples
        assert elapsed < 60, f"import took {elapsed:.1f} s"
        start = time.perf_counter()
        assert TripleImporter(s).import_file(kb).status == "unchanged"
        assert time.perf_counter() - start < 5


def test_table_columns_are_arrow_strings():
    tf = parse(KB)
    assert tf.table.schema.types[:3] == [pa.string()] * 3 and tf.table.schema.types[3] == pa.int64()
