"""The perfect-relation ceiling of a KGQA file, on a hand-made KB where two films share a title."""

from __future__ import annotations

import json

import pytest

from graphrag.cli import main
from graphrag.errors import InputError
from graphrag.eval.kgqa_ceiling import Adjacency, ceiling, read_qtypes, relation_chain, repeated_questions
from graphrag.gnnrag.kgqa_files import parse_lines

# "King Kong" is two films merged into one entity: its cast is both casts.
KB = """King Kong|starred_actors|Fay Wray
King Kong|starred_actors|Naomi Watts
King Kong|directed_by|Peter Jackson
Heavenly Creatures|directed_by|Peter Jackson
Heavenly Creatures|starred_actors|Kate Winslet
Mulholland Drive|starred_actors|Naomi Watts
"""
TRIPLES = [tuple(line.split("|")) for line in KB.splitlines()]

QUESTIONS = """who acted in [King Kong]\tNaomi Watts
who acted in [King Kong]\tFay Wray
who directed [Heavenly Creatures]\tPeter Jackson
who directed [Mulholland Drive]\tDavid Lynch
the films directed by the director of [King Kong] starred who\tKate Winslet
"""
QTYPES = ["movie_to_actor", "movie_to_actor", "movie_to_director", "movie_to_director",
          "movie_to_director_to_movie_to_actor"]


def test_relation_chains_follow_the_entity_types():
    assert relation_chain("movie_to_actor") == (("starred_actors", True),)
    assert relation_chain("actor_to_movie_to_director") == (("starred_actors", False), ("directed_by", True))
    assert relation_chain("tag_to_movie") == (("has_tags", False),)
    for bad in ("movie", "actor_to_director", "movie_to_budget"):
        with pytest.raises(ValueError):
            relation_chain(bad)


def test_following_never_passes_back_through_the_topic():
    adj = Adjacency(TRIPLES)
    # King Kong -> Peter Jackson -> (King Kong excluded) Heavenly Creatures -> Kate Winslet
    assert adj.follow("King Kong", relation_chain("movie_to_director_to_movie_to_actor")) == {"Kate Winslet"}
    assert adj.follow("Nobody", relation_chain("movie_to_actor")) == set()


def test_the_ceiling_counts_ties_unreachable_answers_and_repeats():
    examples = parse_lines(QUESTIONS.splitlines(), source="q.txt")
    report = ceiling(Adjacency(TRIPLES), examples, QTYPES, source="q.txt")
    # two King Kong questions: 1/2 each; Heavenly Creatures: 1; Mulholland Drive: 0 (no director); 3-hop: 1
    assert report.expected_hits1 == pytest.approx(100 * 3 / 5)
    assert (report.questions, report.ambiguous, report.unreachable) == (5, 2, 1)
    assert report.by_qtype["movie_to_actor"] == {"questions": 2, "expected_hits1": 50.0, "ambiguous": 2}
    repeats = repeated_questions(Adjacency(TRIPLES), [(examples, QTYPES)])
    assert repeats == {"repeated": 1, "same_gold": 0, "different_gold": 1}


def test_question_type_files_must_pair_with_the_questions(tmp_path):
    p = tmp_path / "qtype.txt"
    p.write_text("movie_to_actor\nmovie_to_budget\n")
    with pytest.raises(InputError, match=r"qtype.txt:2.*movie_to_budget|movie_to_budget.*qtype.txt"):
        read_qtypes(p, 2)
    with pytest.raises(InputError, match="3 questions"):
        read_qtypes(p, 3)


def test_cli_prints_and_writes_the_ceiling(tmp_path, capsys):
    kb, q, t, out = (tmp_path / n for n in ("kb.txt", "qa_test.txt", "qtype.txt", "ceiling.json"))
    kb.write_text(KB)
    q.write_text(QUESTIONS)
    t.write_text("\n".join(QTYPES) + "\n")
    code = main(["eval", "kgqa-ceiling", "--kb", str(kb), "--questions", str(q), "--qtypes", str(t),
                 "--out", str(out)])
    assert code == 0
    assert "60.00" in capsys.readouterr().out
    data = json.loads(out.read_text())
    assert data["files"][0]["ambiguous"] == 2 and data["repeated"]["different_gold"] == 1
    assert main(["eval", "kgqa-ceiling", "--kb", str(kb), "--questions", str(q)]) == 2  # --qtypes missing
