import pytest
from rich.console import Console

from graphrag.errors import ConfigError, UnknownBackendError
from graphrag.pipeline import run_spec


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
