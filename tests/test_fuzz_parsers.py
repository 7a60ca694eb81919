"""Property-based fuzzing of every parser and guard a user's bytes reach (issue 17): whatever comes in, each one
either returns or raises one of the project's own errors (:class:`~graphrag.errors.GraphRAGError`); anything else
is a crash.

The default run tries a modest number of examples per parser; ``-m slow`` runs ``GRAPHRAG_FUZZ_EXAMPLES``
(default 10,000) per parser:

    GRAPHRAG_FUZZ_EXAMPLES=10000 .venv/bin/python -m pytest -m slow tests/test_fuzz_parsers.py -q
"""

from __future__ import annotations

import contextlib
import gzip
import json
import os
from pathlib import Path
from tempfile import TemporaryDirectory

import pytest

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from graphrag.api.cypher_params import parse_param  # noqa: E402
from graphrag.config import GraphRAGConfig  # noqa: E402
from graphrag.errors import GraphRAGError, ReadOnlyViolation  # noqa: E402
from graphrag.extract.llm_output import parse_reply  # noqa: E402
from graphrag.extract.readers import read_file  # noqa: E402
from graphrag.extract.schema import parse_schema  # noqa: E402
from graphrag.generate.answer_text import parse_answer  # noqa: E402
from graphrag.generate.structured_answer import parse_structured_answer  # noqa: E402
from graphrag.importers.triple_files import parse_triples  # noqa: E402
from graphrag.store.readonly import ensure_read_only  # noqa: E402

QUICK = 150
SLOW = int(os.environ.get("GRAPHRAG_FUZZ_EXAMPLES", "10000"))
_SETTINGS = {"deadline": None, "suppress_health_check": [HealthCheck.too_slow, HealthCheck.filter_too_much]}

# text that looks like the inputs: JSON punctuation, quotes, separators, newlines, odd Unicode, NUL and invalid bytes
_ALPHABET = st.sampled_from(list('{}[]",:|\t\n\r \\/#=;\'`()<>-_.0123456789abcXYZ') + ["é", "\u2028", "\ufeff", "🙂"])
_TEXTISH = st.text(alphabet=_ALPHABET, max_size=200) | st.text(max_size=120)
_BYTES = st.binary(max_size=300) | _TEXTISH.map(lambda t: t.encode("utf-8"))


def _records() -> st.SearchStrategy[bytes]:
    """Corpus-like bytes: lines of (mostly) JSON records, some broken."""
    value = st.none() | st.booleans() | st.integers() | st.text(max_size=20) | st.lists(st.integers(), max_size=3)
    record = st.dictionaries(st.sampled_from(["title", "text", "x"]), value, max_size=3)
    line = record.map(json.dumps) | _TEXTISH
    return st.lists(line, max_size=8).map(lambda lines: "\n".join(lines).encode("utf-8", "surrogatepass"))


def _each(examples: int):
    return settings(max_examples=examples, **_SETTINGS)


def _survives(fn, *args, **kwargs) -> None:
    with contextlib.suppress(GraphRAGError):  # the project's own errors are answers; anything else fails the test
        fn(*args, **kwargs)


def _read_corpus(data: bytes, suffix: str, strict: bool) -> None:
    with TemporaryDirectory() as d:
        p = Path(d) / f"corpus{suffix}"
        p.write_bytes(gzip.compress(data) if suffix.endswith(".gz") else data)
        try:
            source = read_file(p, strict=strict)
        except GraphRAGError:
            return
        assert source.documents, "a file read without error holds documents"
        for doc in source.documents:
            assert isinstance(doc.title, str) and doc.text.strip()


_SUFFIXES = st.sampled_from([".txt", ".md", ".json", ".jsonl", ".jsonl.gz", ".json.gz"])

# -- the parsers, each at two sizes ----------------------------------------------------------------------------


def _corpus_property(examples: int):
    @_each(examples)
    @given(data=_records() | _BYTES, suffix=_SUFFIXES, strict=st.booleans())
    def check(data: bytes, suffix: str, strict: bool) -> None:
        _read_corpus(data, suffix, strict)

    return check


def _triples_property(examples: int):
    lines = st.lists(st.text(alphabet=_ALPHABET, max_size=40), max_size=8).map(lambda ls: "\n".join(ls).encode())

    @_each(examples)
    @given(data=lines | _BYTES, fmt=st.sampled_from(["metaqa", "tsv", "csv"]), skip_bad=st.booleans())
    def check(data: bytes, fmt: str, skip_bad: bool) -> None:
        _survives(parse_triples, data, path="fuzz.txt", fmt=fmt, skip_bad=skip_bad)

    return check


_READ_WORDS = ["MATCH", "(n)", "RETURN", "n", "WHERE", "n.name", "=", "$x", "LIMIT", "5", "ORDER BY", "WITH", ",",
               "OPTIONAL MATCH", "-[r]->", "(m)", "count(*) AS c", "c", "UNWIND", "[1,2]", "'CREATE'", "/* DELETE */",
               "/* SET */", "`MERGE`", "CALL show_tables() RETURN *"]  # fmt: skip
_WRITE_WORDS = ["CREATE", "MERGE", "SET", "DELETE", "DETACH DELETE", "DROP", "ALTER", "COPY", "REMOVE"]


def _cypher_property(examples: int):
    reads = st.lists(st.sampled_from(_READ_WORDS), min_size=1, max_size=10).map(" ".join)
    writes = st.tuples(reads, st.sampled_from(_WRITE_WORDS), reads).map(lambda t: f"{t[0]} {t[1]} {t[2]}")

    @_each(examples)
    @given(query=reads, write=writes, junk=_TEXTISH)
    def check(query: str, write: str, junk: str) -> None:
        # generated reads pass (they may be nonsense, but they never write); a write keyword outside strings and
        # comments is refused; arbitrary text is either allowed or refused with the project's error
        ensure_read_only(query)
        with pytest.raises(ReadOnlyViolation):
            ensure_read_only(write)
        _survives(ensure_read_only, junk)

    return check


def _config_property(examples: int):
    scalar = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=10)
    toml_value = scalar.filter(lambda v: v is not None).map(json.dumps)
    keys = st.sampled_from(["llm", "top_k", "min_support", "timeout_s", "db", "fast", "strict", "rrf_k", "zzz"])
    sections = st.sampled_from(["answer", "ingest", "retrieve", "store", "nope"])
    body = st.lists(st.tuples(sections, keys, toml_value), max_size=5).map(
        lambda rows: "".join(f"[{s}]\n{k} = {v}\n" for s, k, v in rows)
    )

    @_each(examples)
    @given(text=body | _TEXTISH)
    def check(text: str) -> None:
        with TemporaryDirectory() as d:
            p = Path(d) / "c.toml"
            p.write_text(text, encoding="utf-8", errors="surrogatepass")
            _survives(GraphRAGConfig.from_toml, p)

    return check


def _small_parsers_property(examples: int):
    @_each(examples)
    @given(text=_TEXTISH, n=st.integers(min_value=0, max_value=9))
    def check(text: str, n: int) -> None:
        _survives(parse_param, text)
        parse_answer(text, n)  # pure text functions: they never raise
        parse_structured_answer(text, n)
        _survives(parse_reply, text)  # no triples list in the reply: LLMOutputError, the project's own

    return check


def _schema_property(examples: int):
    leaf = st.none() | st.booleans() | st.integers() | st.text(max_size=8) | st.lists(st.text(max_size=6), max_size=3)
    tree = st.recursive(leaf, lambda kids: st.dictionaries(st.text(max_size=8), kids, max_size=3), max_leaves=10)
    names = st.sampled_from(["entity_types", "relations", "version", "name", "labels", "aliases", "subject"])
    schema = st.dictionaries(names, tree, max_size=3)

    @_each(examples)
    @given(data=schema)
    def check(data: dict) -> None:
        _survives(parse_schema, data, source="fuzz.toml")

    return check


PROPERTIES = {
    "corpus readers": _corpus_property,
    "triple files": _triples_property,
    "cypher guard": _cypher_property,
    "config toml": _config_property,
    "params, answer and extraction replies": _small_parsers_property,
    "schema": _schema_property,
}


@pytest.mark.parametrize("name", list(PROPERTIES))
def test_parsers_survive_generated_input(name: str) -> None:
    PROPERTIES[name](QUICK)()


@pytest.mark.slow
@pytest.mark.parametrize("name", list(PROPERTIES))
def test_parsers_survive_many_generated_inputs(name: str) -> None:
    PROPERTIES[name](SLOW)()
