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


def test_a_setting_of_the_wrong_kind_is_a_clear_error(tmp_path) -> None:
    import pytest

    from graphrag.config import GraphRAGConfig
    from graphrag.errors import ConfigError

    p = tmp_path / "c.toml"
    for body, message in (
        ('[answer]\nmin_support = "high"\n', r"\[answer\] min_support must be a number, got 'high'"),
        ("[answer]\ntop_k = true\n", r"\[answer\] top_k must be a whole number, got True"),
        ("[ingest]\nchunk = 3\n", r"\[ingest\] chunk must be a table, got 3"),
        ("[ingest]\nstrict = 1\n", r"\[ingest\] strict must be true or false, got 1"),
    ):
        p.write_text(body)
        with pytest.raises(ConfigError, match=message):
            GraphRAGConfig.from_toml(p)
    p.write_text("[answer]\nmin_support = 1\ntimeout_s = 5\n")  # a whole number is a fine number
    assert GraphRAGConfig.from_toml(p).answer.min_support == 1.0
