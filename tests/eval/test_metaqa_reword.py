"""Re-worded MetaQA questions: composed hop by hop from phrase tables MetaQA never uses, same topic and answers."""

from __future__ import annotations

import random

import pytest

from graphrag.errors import InputError
from graphrag.eval.metaqa_reword import TABLES, hops_of, main, reword, reword_file
from graphrag.gnnrag.kgqa_files import load_metaqa


def test_hops_and_composition() -> None:
    assert hops_of("actor_to_movie_to_director") == [("actor", "movie"), ("movie", "director")]
    with pytest.raises(ValueError):
        hops_of("movie_to_budget")
    rng = random.Random(0)
    q = reword("actor_to_movie_to_director", "Tom Hanks", table="a", rng=rng)
    assert "[Tom Hanks]" in q and q.count("[") == 1
    assert any(w in q for w in ("pictures", "features")) and any(w in q for w in ("filmmakers", "helmed"))
    every = {reword("movie_to_actor_to_movie_to_year", "Up", table=t, rng=rng) for t in TABLES for _ in range(20)}
    assert len(every) > 4  # several forms per hop and table


def test_reword_file_keeps_topics_and_answers(tmp_path) -> None:
    qs = tmp_path / "2-hop" / "qa.txt"
    qs.parent.mkdir()
    qs.write_text("who directed films starring [Ann]\tBob|Cy\nwhat genre are films by [Dee]\tDrama\n", encoding="utf-8")
    types = tmp_path / "types.txt"
    types.write_text("actor_to_movie_to_director\ndirector_to_movie_to_genre\n", encoding="utf-8")
    out = tmp_path / "out" / "2-hop" / "qa.txt"
    assert main(["--questions", str(qs), "--qtypes", str(types), "--table", "b", "--out", str(out)]) == 0
    loaded = load_metaqa(out)
    assert [e.topics for e in loaded] == [("Ann",), ("Dee",)] and [e.answers for e in loaded] == [
        ("Bob", "Cy"),
        ("Drama",),
    ]
    assert loaded[0].hops == 2 and "who directed films starring" not in loaded[0].question
    assert len(reword_file(qs, types, table="a", limit=1)) == 1
    types.write_text("actor_to_movie_to_director\n", encoding="utf-8")
    with pytest.raises(InputError, match="align"):
        reword_file(qs, types, table="a")
    with pytest.raises(InputError, match="phrase table"):
        reword_file(qs, types, table="z")
