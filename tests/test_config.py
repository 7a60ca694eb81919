import pytest

from graphrag.config import IngestConfig, from_dict, load_toml
from graphrag.errors import ConfigError


def test_from_dict_nested_and_tuples():
    cfg = from_dict(IngestConfig, {"chunk": {"chunk_tokens": 128}, "nlp": {"disable": ["ner"]}}, section="ingest")
    assert cfg.chunk.chunk_tokens == 128
    assert cfg.chunk.overlap_tokens == 32
    assert cfg.nlp.disable == ("ner",)


def test_unknown_keys_name_the_section():
    with pytest.raises(ConfigError, match=r"\[ingest.chunk\].*chunk_tokns"):
        from_dict(IngestConfig, {"chunk": {"chunk_tokns": 1}}, section="ingest")


def test_load_toml_errors(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("[store\n")
    with pytest.raises(ConfigError, match="bad.toml: invalid TOML"):
        load_toml(bad)
    with pytest.raises(ConfigError, match="no such file"):
        load_toml(tmp_path / "missing.toml")
