"""The WebNLG loader, on tiny JSONL and XML files built here."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from graphrag.errors import InputError
from graphrag.eval.webnlg import load_webnlg, samples

XML = """<?xml version='1.0' encoding='utf-8'?>
<benchmark>
  <entries>
    <entry category="Company" eid="Id2" shape="(X (X))" shape_type="NA" size="1">
      <originaltripleset><otriple>Trane | location | Swords,_Dublin</otriple></originaltripleset>
      <modifiedtripleset><mtriple>Trane | location | Swords,_Dublin</mtriple></modifiedtripleset>
      <lex lang="en" lid="1">The location of Trane is Swords, Dublin.</lex>
    </entry>
    <entry category="City" eid="Id3" size="2">
      <modifiedtripleset>
        <mtriple>Ciudad_Ayala | leaderTitle | "City Manager"</mtriple>
        <mtriple>Ciudad_Ayala | isPartOf | Morelos</mtriple>
      </modifiedtripleset>
      <lex lang="en" lid="1">Ciudad Ayala is part of Morelos.</lex>
      <lex lang="en" lid="2">Ciudad Ayala,
        in Morelos, has a City Manager.</lex>
      <lex lang="ru" lid="3">Сьюдад-Аяла.</lex>
    </entry>
  </entries>
</benchmark>
"""


def _jsonl(tmp_path: Path, records: list[object]) -> Path:
    p = tmp_path / "gold.jsonl"
    p.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    return p


def test_loads_jsonl(tmp_path: Path) -> None:
    p = _jsonl(
        tmp_path,
        [
            {
                "eid": "Id2",
                "category": "Company",
                "texts": ["The location of Trane is Swords, Dublin."],
                "triples": [["Trane", "location", "Swords,_Dublin"]],
            },
            {
                "eid": "Id3",
                "category": "City",
                "texts": ["a", "b"],
                "triples": [["Ciudad_Ayala", "isPartOf", "Morelos"], ["Ciudad_Ayala", "type", "City"]],
            },
        ],
    )
    entries = load_webnlg(p)
    assert [e.eid for e in entries] == ["Id2", "Id3"]
    assert entries[0].triples == (("Trane", "location", "Swords,_Dublin"),)
    assert entries[1].category == "City"
    flat = samples(entries)
    assert [(s.eid, s.text) for s in flat] == [
        ("Id2", "The location of Trane is Swords, Dublin."),
        ("Id3", "a"),
        ("Id3", "b"),
    ]
    assert flat[2].triples == entries[1].triples
    assert len(samples(entries, limit=2)) == 2


def test_loads_xml_modified_triples_and_english_texts(tmp_path: Path) -> None:
    p = tmp_path / "gold.xml"
    p.write_text(XML, encoding="utf-8")
    entries = load_webnlg(p)
    assert [e.eid for e in entries] == ["Id2", "Id3"]
    assert entries[1].triples == (
        ("Ciudad_Ayala", "leaderTitle", '"City Manager"'),
        ("Ciudad_Ayala", "isPartOf", "Morelos"),
    )
    assert entries[1].texts == (
        "Ciudad Ayala is part of Morelos.",
        "Ciudad Ayala, in Morelos, has a City Manager.",
    )


def test_xml_and_jsonl_agree(tmp_path: Path) -> None:
    x = tmp_path / "g.xml"
    x.write_text(XML, encoding="utf-8")
    j = _jsonl(
        tmp_path,
        [
            {
                "eid": e.eid,
                "category": e.category,
                "texts": list(e.texts),
                "triples": [list(t) for t in e.triples],
            }
            for e in load_webnlg(x)
        ],
    )
    assert load_webnlg(j) == load_webnlg(x)


def test_bad_json_line_names_file_and_line(tmp_path: Path) -> None:
    p = tmp_path / "gold.jsonl"
    p.write_text('{"texts": ["a"], "triples": [["s", "p", "o"]]}\n\n{oops\n', encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_webnlg(p)
    assert f"{p}:3:" in str(err.value)


@pytest.mark.parametrize(
    "record",
    [
        {"texts": "not a list", "triples": [["s", "p", "o"]]},
        {"texts": ["a"], "triples": []},
        {"texts": ["a"], "triples": [["s", "p"]]},
        {"texts": ["a"], "triples": [["s", "p", 3]]},
        ["not", "an", "object"],
    ],
)
def test_malformed_records_are_input_errors(tmp_path: Path, record: object) -> None:
    p = _jsonl(tmp_path, [record])
    with pytest.raises(InputError, match=":1:"):
        load_webnlg(p)


def test_bad_xml_and_missing_or_unknown_files(tmp_path: Path) -> None:
    bad = tmp_path / "bad.xml"
    bad.write_text("<benchmark><entries><entry>", encoding="utf-8")
    with pytest.raises(InputError, match="invalid XML"):
        load_webnlg(bad)
    with pytest.raises(InputError, match="no such file"):
        load_webnlg(tmp_path / "missing.jsonl")
    other = tmp_path / "gold.csv"
    other.write_text("x", encoding="utf-8")
    with pytest.raises(InputError, match="unsupported"):
        load_webnlg(other)
    broken = tmp_path / "broken.xml"
    broken.write_text(
        XML.replace("Trane | location | Swords,_Dublin</mtriple>", "Trane location</mtriple>"),
        encoding="utf-8",
    )
    with pytest.raises(InputError, match="Id2"):
        load_webnlg(broken)
