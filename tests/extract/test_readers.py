"""Readers: text, Markdown, JSON and JSONL corpora (plain or gzipped), document identity, every bad input."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from graphrag.errors import InputError
from graphrag.extract.readers import base_suffix, discover, read_file
from graphrag.ids import content_hash, document_id


def write(path: Path, data: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)
    return path


def test_text_file_is_one_document_with_path_identity(tmp_path: Path) -> None:
    p = write(tmp_path / "notes.txt", "Ada Lovelace wrote the first program.\n")
    f = read_file(p)
    (doc,) = f.documents
    assert not f.is_corpus and f.path == str(p.resolve())
    assert doc.source == str(p.resolve()) and doc.id == document_id(str(p.resolve()))
    assert doc.title == "notes" and doc.text.startswith("Ada")
    assert doc.hash == content_hash("notes", doc.text)


def test_markdown_title_comes_from_its_first_heading(tmp_path: Path) -> None:
    doc = read_file(write(tmp_path / "a.md", "\n# Analytical Engine\n\nA mechanical computer.\n")).documents[0]
    assert doc.title == "Analytical Engine"
    doc = read_file(write(tmp_path / "b.md", "No heading here.\n# Late heading\n")).documents[0]
    assert doc.title == "b"


def test_utf8_bom_is_dropped(tmp_path: Path) -> None:
    doc = read_file(write(tmp_path / "bom.txt", b"\xef\xbb\xbfHello")).documents[0]
    assert doc.text == "Hello"


def test_jsonl_corpus_records_have_path_title_sources(tmp_path: Path) -> None:
    lines = [
        {"title": "Teutberga", "text": "Teutberga was a queen."},
        {"title": "Lothair II", "text": "A king.", "extra": 1},
    ]
    p = write(tmp_path / "c.jsonl", "\n".join(json.dumps(r) for r in lines) + "\n\n")
    f = read_file(p)
    assert f.is_corpus
    assert [d.source for d in f.documents] == [f"{p.resolve()}#Teutberga", f"{p.resolve()}#Lothair II"]
    assert [d.title for d in f.documents] == ["Teutberga", "Lothair II"]
    assert f.documents[0].id == document_id(f"{p.resolve()}#Teutberga")


def test_json_list_and_gzip_give_the_same_documents(tmp_path: Path) -> None:
    records = [{"title": "A", "text": "alpha"}, {"title": "B", "text": "beta"}]
    plain = read_file(write(tmp_path / "c.json", json.dumps(records, indent=1)))
    gz = read_file(write(tmp_path / "d.json.gz", gzip.compress(json.dumps(records).encode())))
    assert [(d.title, d.text, d.hash) for d in plain.documents] == [(d.title, d.text, d.hash) for d in gz.documents]
    single = read_file(write(tmp_path / "one.json", json.dumps({"title": "Solo", "text": "only one"})))
    assert [d.title for d in single.documents] == ["Solo"]
    assert base_suffix(Path("x.jsonl.gz")) == ".jsonl" and base_suffix(Path("x.TXT")) == ".txt"


def test_duplicate_titles_get_stable_suffixes(tmp_path: Path) -> None:
    rows = [
        {"title": "Paris", "text": "city"},
        {"title": "Paris", "text": "myth"},
        {"title": "Paris", "text": "x"},
    ]
    p = write(tmp_path / "dup.jsonl", "\n".join(json.dumps(r) for r in rows))
    sources = [d.source for d in read_file(p).documents]
    base = f"{p.resolve()}#Paris"
    assert sources == [base, base + "~2", base + "~3"]
    assert len({document_id(s) for s in sources}) == 3


@pytest.mark.parametrize(
    ("name", "data", "line", "needle"),
    [
        ("empty.txt", b"", None, "empty"),
        ("blank.md", b"  \n\n \t\n", None, "empty"),
        ("bin.txt", b"first line\nsecond\x00\x01\x02", 2, "binary"),
        ("latin1.txt", b"ok line\nok\ncaf\xe9 au lait\n", 3, "invalid UTF-8"),
        ("bad.json", b'[\n {"title": "A", "text": "a"},\n {"title": "B", "text": \n]', 4, "malformed JSON"),
        ("trail.json", b'[{"title": "A", "text": "a"},\n]', 2, "malformed JSON"),
        ("tail.json", b'[{"title": "A", "text": "a"}]\n[]', 2, "extra data"),
        ("bad.jsonl", b'{"title": "A", "text": "a"}\n{"title": "B", "text": "b"\n', 2, "malformed JSON line"),
        ("notrec.jsonl", b'{"title": "A", "text": "a"}\n\n["B", "b"]\n', 3, "expected a"),
        ("missing.jsonl", b'{"title": "A", "text": "a"}\n{"title": "B"}\n', 2, "lacks 'text'"),
        ("types.jsonl", b'{"title": 7, "text": "a"}\n', 1, "'title' must be a string"),
        ("emptytext.jsonl", b'{"title": "A", "text": "  "}\n', 1, "empty 'text'"),
        (
            "listrec.json",
            b'[\n {"title": "A", "text": "a"},\n {"name": "B"}\n]',
            3,
            "lacks 'title' and 'text'",
        ),
        ("norecords.json", b"[]", None, "no records"),
    ],
)
def test_bad_input_names_file_and_line(tmp_path: Path, name: str, data: bytes, line: int | None, needle: str) -> None:
    p = write(tmp_path / name, data)
    with pytest.raises(InputError) as info:
        read_file(p, strict=True)
    err = info.value
    assert err.path == str(p.resolve()) and err.line == line
    assert needle in str(err)
    assert str(err).startswith(f"{p.resolve()}:{line}: " if line else f"{p.resolve()}: ")
    # by default a bad record of a corpus with good ones is skipped alone, with the same file:line and reason
    try:
        read = read_file(p)
    except InputError as whole:  # nothing readable in the file, or a JSON list broken mid-way: refused whole
        assert whole.line == line and needle in str(whole)
    else:
        assert read.partial and [d.title for d in read.documents] == ["A"]
        [skipped] = read.skipped
        assert skipped.line == line and needle in str(skipped) and skipped.path == str(p.resolve())


def test_all_bad_lines_of_a_corpus_are_listed(tmp_path: Path) -> None:
    rows = ['{"title": "ok", "text": "fine"}'] + ['{"x": 1}'] * 8
    p = write(tmp_path / "many.jsonl", "\n".join(rows))
    with pytest.raises(InputError, match=r"many.jsonl:2: .*also bad: line 3, 4, 5, 6, 7 and 2 more"):
        read_file(p, strict=True)
    read = read_file(p)
    assert [d.title for d in read.documents] == ["ok"] and [e.line for e in read.skipped] == list(range(2, 10))


def test_a_jsonl_line_that_is_not_utf8_is_skipped_alone(tmp_path: Path) -> None:
    p = write(tmp_path / "mixed.jsonl", b'{"title": "A", "text": "a"}\n{"title": "B", "text": "caf\xe9"}\n')
    read = read_file(p)
    assert [d.title for d in read.documents] == ["A"]
    assert "invalid UTF-8 (byte 0xe9" in str(read.skipped[0]) and read.skipped[0].line == 2
    with pytest.raises(InputError, match=r"mixed.jsonl:1: no readable record; invalid UTF-8"):
        read_file(write(tmp_path / "mixed.jsonl", b'{"title": "B", "text": "caf\xe9"}\n'))


def test_corrupt_gzip_is_an_input_error(tmp_path: Path) -> None:
    p = write(tmp_path / "x.jsonl.gz", b"not gzip at all")
    with pytest.raises(InputError, match="cannot read file"):
        read_file(p)


def test_discover_walks_directories_and_reports_bad_paths(tmp_path: Path) -> None:
    write(tmp_path / "d" / "a.txt", "a")
    write(tmp_path / "d" / "sub" / "b.jsonl.gz", gzip.compress(b'{"title": "b", "text": "b"}'))
    write(tmp_path / "d" / "skip.csv", "x")
    write(tmp_path / "d" / ".hidden" / "c.txt", "c")
    write(tmp_path / "e.md", "e")
    write(tmp_path / "f.pdf", "f")
    errors: list[InputError] = []
    found = discover(
        [tmp_path / "d", tmp_path / "e.md", tmp_path / "d" / "a.txt", tmp_path / "nope", tmp_path / "f.pdf"],
        errors,
    )
    assert [p.name for p in found] == ["a.txt", "b.jsonl.gz", "e.md"]
    assert all(p.is_absolute() for p in found)
    assert len(errors) == 2
    assert "no such file" in str(errors[0]) and "unsupported file type" in str(errors[1])
    with pytest.raises(InputError, match="no such file"):
        discover([tmp_path / "nope"])


def test_files_over_the_size_limit_are_refused_before_they_are_read(tmp_path: Path) -> None:
    import gzip

    rows = b'{"title": "a", "text": "b"}\n' * 50_000  # 1.4 MB
    plain = write(tmp_path / "big.jsonl", rows)
    with pytest.raises(InputError, match=r"big.jsonl: file is 1.3 MB, over the 1 MB limit \(\[ingest\] max_file_mb\)"):
        read_file(plain, max_bytes=1024 * 1024)
    packed = write(tmp_path / "big.jsonl.gz", gzip.compress(rows))  # small on disk, large unpacked
    with pytest.raises(InputError, match=r"unpacks to more than the 1 MB limit"):
        read_file(packed, max_bytes=1024 * 1024)
    assert len(read_file(packed, max_bytes=4 * 1024 * 1024).documents) == 50_000


def test_a_title_repeated_many_times_is_numbered_in_linear_time(tmp_path: Path) -> None:
    import time

    p = write(tmp_path / "same.jsonl", b'{"title": "untitled", "text": "t"}\n' * 20_000)
    t0 = time.perf_counter()
    sources = [d.source for d in read_file(p).documents]
    assert time.perf_counter() - t0 < 10  # was quadratic: minutes
    assert sources[0].endswith("#untitled") and sources[-1].endswith("#untitled~20000")
    assert len(set(sources)) == 20_000


def test_jsonl_is_read_line_by_line_with_the_same_guards(tmp_path: Path) -> None:
    """A JSONL corpus is streamed, not read whole: CRLF lines parse, a NUL byte refuses the file at its line,
    a blank file is empty, and a gzip that unpacks past the limit is refused while it is read."""
    from graphrag.extract.readers import _stream_lines

    crlf = write(tmp_path / "crlf.jsonl", b'{"title": "A", "text": "a"}\r\n{"title": "B", "text": "b"}\r\n')
    assert [d.title for d in read_file(crlf).documents] == ["A", "B"]
    nul = write(tmp_path / "nul.jsonl", b'{"title": "A", "text": "a"}\n{"title": "B", "text": "b"}\n\x00\x01\n')
    with pytest.raises(InputError, match=r"nul.jsonl:3: binary content"):
        read_file(nul)
    with pytest.raises(InputError, match="file is empty"):
        read_file(write(tmp_path / "blank.jsonl", b"\n  \n"))
    big = write(tmp_path / "big.jsonl.gz", gzip.compress(b'{"title": "A", "text": "aaaa"}\n' * 1000))
    with pytest.raises(InputError, match="unpacks to more than"):
        read_file(big, max_bytes=5000)
    lines = _stream_lines(crlf, None)
    assert next(lines) == (1, b'{"title": "A", "text": "a"}\r')  # a generator: one line at a time


def test_a_document_over_the_size_limit_is_refused_by_itself(tmp_path: Path) -> None:
    big = "word " * 300_000  # 1.4 MB of text
    rows = [{"title": "small", "text": "fine"}, {"title": "huge", "text": big}, {"title": "also", "text": "ok"}]
    corpus = write(tmp_path / "c.jsonl", "\n".join(json.dumps(r) for r in rows))
    read = read_file(corpus, max_doc_bytes=1024 * 1024)
    assert [d.title for d in read.documents] == ["small", "also"]  # the other records of the file are read
    assert len(read.skipped) == 1 and read.skipped[0].line == 2
    assert "document text is 1.4 MB, over the 1 MB limit ([ingest] max_doc_mb)" in str(read.skipped[0])
    # multi-byte text is measured in UTF-8 bytes: 300,000 characters of "é " are 0.9 MB
    assert read_file(write(tmp_path / "e.txt", "é " * 300_000), max_doc_bytes=1024 * 1024).documents
    with pytest.raises(InputError, match=r"e2.txt: document text is 1.1 MB, over the 1 MB limit"):
        read_file(write(tmp_path / "e2.txt", "é " * 400_000), max_doc_bytes=1024 * 1024)
    assert len(read_file(corpus).documents) == 3  # no limit given
