"""``graphrag eval triples`` end to end on a tiny gold file, in-process."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from graphrag.cli import main

GOLD = [
    {
        "eid": "Id1",
        "category": "Film",
        "texts": ["Jaws was directed by Steven Spielberg."],
        "triples": [["Jaws_(film)", "director", "Steven_Spielberg"]],
    },
    {
        "eid": "Id2",
        "category": "Company",
        "texts": ["IBM was founded by Charles Ranlett Flint in New York."],
        "triples": [["IBM", "foundedBy", "Charles_Ranlett_Flint"], ["IBM", "foundationPlace", "New_York"]],
    },
    {
        "eid": "Id3",
        "category": "Company",
        "texts": ["Apple and Microsoft compete in Europe."],
        "triples": [["Apple_Inc.", "competeIn", "Europe"]],
    },
]


@pytest.fixture
def gold(tmp_path: Path) -> Path:
    p = tmp_path / "gold.jsonl"
    p.write_text("\n".join(json.dumps(r) for r in GOLD) + "\n", encoding="utf-8")
    return p


def test_eval_triples_writes_json_and_markdown(
    gold: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "reports" / "webnlg.json"
    rc = main(["eval", "triples", "--gold", str(gold), "--out", str(out), "--embedder", "hashing"])
    assert rc == 0
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["n_samples"] == 3 and report["n_gold"] == 4
    strict, pair = report["micro"]["strict"], report["micro"]["entity_pair"]
    # "founded by" / "foundedBy" and "compete in" / "competeIn" match strictly; "Apple_Inc." is not "Apple"
    assert strict["tp"] == 1
    assert pair["tp"] == 2  # Jaws -> Spielberg and IBM -> Flint
    assert pair["n_pred"] == strict["n_pred"] >= 4
    assert pair["recall"] == pytest.approx(0.5)
    assert set(report["per_category"]) == {"Company", "Film"}
    assert report["per_category"]["Film"]["entity_pair"]["tp"] == 1
    assert report["examples_of_misses"] and report["examples_of_misses"][0]["eid"] == "Id2"
    md = out.with_suffix(".md").read_text(encoding="utf-8")
    assert "| entity_pair |" in md and "Per category" in md
    printed = capsys.readouterr().out
    assert "entity_pair" in printed and "strict" in printed


def test_limit_and_input_errors(gold: Path, tmp_path: Path) -> None:
    out = tmp_path / "r.json"
    assert (
        main(
            ["eval", "triples", "--gold", str(gold), "--out", str(out), "--limit", "1", "--embedder", "none"]
        )
        == 0
    )
    assert json.loads(out.read_text(encoding="utf-8"))["n_gold"] == 1
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"texts": ["x"], "triples": [["a", "b", "c"]]}\nnot json\n', encoding="utf-8")
    assert main(["eval", "triples", "--gold", str(bad), "--out", str(tmp_path / "x.json")]) == 3
    assert not (tmp_path / "x.json").exists()
    assert main(["eval", "triples", "--gold", str(gold), "--out", str(tmp_path / "x.txt")]) == 2
    assert main(["eval", "triples", "--gold", str(gold), "--out", str(out), "--embedder", "nope"]) == 2


def test_eval_triples_pipeline_step(gold: Path, tmp_path: Path) -> None:
    spec = tmp_path / "spec.toml"
    spec.write_text(
        f'[store]\ndb = "{tmp_path / "g.kuzu"}"\n\n[[steps]]\nkind = "eval-triples"\ngold = "{gold}"\n'
        f'out = "{tmp_path / "step.json"}"\nembedder = "none"\nlimit = 2\n',
        encoding="utf-8",
    )
    assert main(["run", str(spec)]) == 0
    report = json.loads((tmp_path / "step.json").read_text(encoding="utf-8"))
    assert report["n_samples"] == 2 and report["settings"]["resolver"]["embedder"] is None
    spec.write_text(spec.read_text(encoding="utf-8").replace("limit = 2", "limit = 0"), encoding="utf-8")
    assert main(["run", str(spec)]) == 2


def test_a_property_schema_turns_entity_pair_hits_into_strict_ones(gold: Path, tmp_path: Path) -> None:
    from graphrag.eval.webnlg_schema import main as write_schema

    schema = tmp_path / "props.toml"
    assert write_schema([str(gold), str(schema)]) == 0
    text = schema.read_text(encoding="utf-8")
    assert 'name = "foundedBy"' in text and 'description = "founded by"' in text
    # the user's edit: an alias for the director property
    schema.write_text(text.replace('name = "director"', 'name = "director"\naliases = ["directed by"]'))
    plain, mapped = tmp_path / "plain.json", tmp_path / "mapped.json"
    assert main(["eval", "triples", "--gold", str(gold), "--out", str(plain), "--embedder", "hashing"]) == 0
    rc = main(["eval", "triples", "--gold", str(gold), "--out", str(mapped), "--embedder", "hashing",
               "--schema", str(schema)])  # fmt: skip
    assert rc == 0
    before, after = (json.loads(p.read_text(encoding="utf-8"))["micro"]["strict"] for p in (plain, mapped))
    assert (before["tp"], before["n_pred"]) == (1, 4)  # only "founded by" = foundedBy matched as written
    assert (after["tp"], after["n_pred"]) == (2, 4)  # "directed by" is now the director property
    settings = json.loads(mapped.read_text(encoding="utf-8"))["settings"]["schema"]
    assert settings["mode"] == "strict" and settings["mapped"] == 4 and settings["unmapped"] == 0
