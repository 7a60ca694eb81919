import pytest
from rich.console import Console

from graphrag.api.pipeline_specs import run_spec
from graphrag.errors import ConfigError, UnknownBackendError


def _consoles():
    return Console(file=open("/dev/null", "w")), Console(file=open("/dev/null", "w"))


def test_unknown_step_kind_lists_valid_ones(tmp_path):
    spec = tmp_path / "p.toml"
    spec.write_text(f'[store]\ndb = "{tmp_path / "db"}"\n[[steps]]\nkind = "frobnicate"\n')
    out, err = _consoles()
    with pytest.raises(UnknownBackendError, match="cypher"):
        run_spec(spec, out=out, err=err)


def test_unknown_top_level_key(tmp_path):
    spec = tmp_path / "p.toml"
    spec.write_text("[stor]\n")
    out, err = _consoles()
    with pytest.raises(ConfigError, match="unknown top-level keys"):
        run_spec(spec, out=out, err=err)


def test_stats_and_cypher_steps_run(tmp_path):
    from graphrag.store import KuzuGraphStore

    KuzuGraphStore(tmp_path / "db").close()
    spec = tmp_path / "p.toml"
    spec.write_text(
        f'[store]\ndb = "{tmp_path / "db"}"\n'
        '[[steps]]\nkind = "stats"\n'
        '[[steps]]\nkind = "cypher"\nqueries = [{title = "n", query = "MATCH (e:Entity) RETURN count(*) AS n"}]\n'
    )
    out, err = _consoles()
    summaries = run_spec(spec, out=out, err=err)
    assert summaries[0]["nodes"]["Entity"] == 0
    assert summaries[1]["rows"] == [1]


def test_cypher_step_prints_brackets_literally(tmp_path):
    import io

    from graphrag.store import KuzuGraphStore

    KuzuGraphStore(tmp_path / "db").close()
    spec = tmp_path / "p.toml"
    spec.write_text(
        f'[store]\ndb = "{tmp_path / "db"}"\n'
        '[[steps]]\nkind = "cypher"\nqueries = [{title = "[b]t[/b]", query = "RETURN \'[/b] x [red]\' AS v"}]\n'
    )
    buf = io.StringIO()
    run_spec(spec, out=Console(file=buf, width=120), err=Console(file=io.StringIO()))
    assert "[/b] x [red]" in buf.getvalue()


def test_run_exits_3_when_a_step_skipped_input(tmp_path):
    from graphrag.cli import main

    good = tmp_path / "kb.txt"
    good.write_text("a|r|b\nbroken line\nb|r|c\n")
    spec = tmp_path / "p.toml"
    spec.write_text(
        f'[store]\ndb = "{tmp_path / "db"}"\n'
        f'[[steps]]\nkind = "import"\npaths = ["{good}"]\nformat = "metaqa"\nskip_bad = true\n'
    )
    assert main(["run", str(spec)]) == 3


def test_eval_kg_step(tmp_path):
    from eval.test_kg_recall import build, questions

    db = build(tmp_path / "g.kuzu")
    q = questions(tmp_path / "q.json")
    spec = tmp_path / "p.toml"
    spec.write_text(
        f'[store]\ndb = "{db}"\n[[steps]]\nkind = "eval-kg"\nquestions = "{q}"\nout = "{tmp_path / "kg.json"}"\n'
    )
    out, err = _consoles()
    (summary,) = run_spec(spec, out=out, err=err)
    assert summary["entity_pair_recall"] == 50.0 and summary["facts"] == 4
    assert (tmp_path / "kg.md").exists() and (tmp_path / "kg.sample.md").exists()


def test_eval_qa_step(tmp_path, tiny_graph_db):
    import json

    q = tmp_path / "q.json"
    q.write_text(
        json.dumps([{"id": "1", "question": "Where was Louis Ralph born?", "answer": "Graz", "question_type": "x"}])
    )
    spec = tmp_path / "p.toml"
    spec.write_text(
        f'[store]\ndb = "{tiny_graph_db}"\n[[steps]]\nkind = "eval-qa"\nquestions = "{q}"\n'
        f'out = "{tmp_path / "qa.json"}"\nanswerers = ["extractive", "none"]\n'
    )
    out, err = _consoles()
    (summary,) = run_spec(spec, out=out, err=err)
    assert set(summary["answerers"]) == {"extractive", "none"} and (tmp_path / "qa.md").exists()
    assert summary["answerers"]["extractive"]["f1"] == 100.0  # "Graz", read out of Louis Ralph's own passage
    spec.write_text(spec.read_text().replace('["extractive", "none"]', '"extractive"'))
    with pytest.raises(ConfigError, match="`answerers` must be a list"):
        run_spec(spec, out=out, err=err)
