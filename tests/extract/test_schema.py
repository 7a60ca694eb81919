"""Schema files: parsing with errors that name the file and entry, type labels, and TOML round trips."""

from __future__ import annotations

from pathlib import Path

import pytest

from graphrag.errors import InputError
from graphrag.extract.schema import load_schema, parse_schema, schema_toml

FILMS = """
[[entity_types]]
name = "Person"

[[entity_types]]
name = "Work"
labels = ["WORK_OF_ART", "PRODUCT"]

[[entity_types]]
name = "Date"

[[relations]]
name = "director"
description = "the person who directed the film"
aliases = ["directed by"]
inverse_aliases = ["directed"]
subject_types = ["Work"]
object_types = ["Person"]

[[relations]]
name = "date of birth"
aliases = ["born on"]
subject_types = ["Person"]
object_types = ["Date"]
"""


def write(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "schema.toml"
    p.write_text(text, encoding="utf-8")
    return p


def test_a_schema_file_loads_with_types_and_relations(tmp_path: Path) -> None:
    schema = load_schema(write(tmp_path, FILMS))
    assert [r.name for r in schema.relations] == ["director", "date of birth"]
    director = schema.relation("director")
    assert director is not None and director.inverse_aliases == ("directed",)
    assert director.subject_types == ("Work",) and director.object_types == ("Person",)
    # common type names know their NER labels; listed labels win
    assert schema.types_of_label("PERSON") == {"Person"}
    assert schema.types_of_label("product") == {"Work"}
    assert schema.types_of_label("DATE") == {"Date"}
    assert schema.types_of_label("GPE") == frozenset() and schema.types_of_label("") == frozenset()
    assert schema.source.endswith("schema.toml")


def test_the_version_changes_with_the_content_only(tmp_path: Path) -> None:
    a = load_schema(write(tmp_path, FILMS))
    b = parse_schema(__import__("tomllib").loads(FILMS), source="elsewhere")
    c = parse_schema(__import__("tomllib").loads(FILMS.replace("born on", "born")))
    assert a.version == b.version != c.version


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[[relations]]\ndescription = 'x'\n", "relations entry 1 needs a non-empty `name`"),
        ("[[relations]]\nname = 'a'\ncolour = 'red'\n", "unknown key(s) ['colour']"),
        ("[[relations]]\nname = 'a'\nsubject_types = ['Film']\n", "names the type 'Film'"),
        ("[[relations]]\nname = 'a'\n[[relations]]\nname = 'a'\n", "the relation 'a' is listed twice"),
        ("[[relations]]\nname = 'a'\naliases = 'b'\n", "`aliases` must be a list of non-empty strings"),
        ("[[entity_types]]\nname = 'Person'\n", "no [[relations]]"),
        ("relations = 3\n", "must be an array of tables"),
        ("[other]\nx = 1\n[[relations]]\nname = 'a'\n", "unknown section(s) ['other']"),
        ("[[relations]\nname = 'a'\n", "not valid TOML"),
    ],
)
def test_a_bad_schema_is_refused_naming_the_file_and_entry(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(InputError) as err:
        load_schema(path)
    assert message in str(err.value) and str(path) in str(err.value)


def test_a_missing_or_binary_schema_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such schema file"):
        load_schema(tmp_path / "nope.toml")
    binary = tmp_path / "b.toml"
    binary.write_bytes(b"\xff\xfe\x00\x01")
    with pytest.raises(InputError, match="cannot read the schema"):
        load_schema(binary)


def test_schema_toml_reads_back_to_the_same_schema(tmp_path: Path) -> None:
    schema = load_schema(write(tmp_path, FILMS))
    text = schema_toml(schema, {"director": ["12 edges, e.g. A -> B"]})
    assert '# 12 edges, e.g. A -> B\n[[relations]]\nname = "director"' in text
    again = load_schema(write(tmp_path, text))
    assert again.relations == schema.relations and again.entity_types == schema.entity_types
