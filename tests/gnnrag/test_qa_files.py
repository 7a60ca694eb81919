"""Question-answer files for any store (JSON list or JSONL) and gold answers matched to graph nodes."""

from __future__ import annotations

import json

import pytest

from graphrag.errors import InputError
from graphrag.gnnrag.answer_match import AnswerMatcher, answer_key
from graphrag.gnnrag.kgqa_files import load_many, load_questions
from graphrag.gnnrag.qa_files import load_qa


def test_json_list_as_2wiki_writes_it(tmp_path) -> None:
    path = tmp_path / "questions.json"
    path.write_text(
        json.dumps(
            [
                {"id": "a", "question": "Who directed  Up?", "answer": "Pete Docter", "question_type": "inference"},
                {"question": "When was Up released?", "answers": [2009, "May 2009"], "hops": 1},
            ]
        ),
        encoding="utf-8",
    )
    first, second = load_qa(path)
    assert (first.question, first.topics, first.answers, first.kind) == (
        "Who directed Up?",
        (),
        ("Pete Docter",),
        "inference",
    )
    assert (second.answers, second.hops) == (("2009", "May 2009"), 1)
    assert [e.question for e in load_questions(path, skip=1)] == ["When was Up released?"]
    assert len(load_many([path, path], limit=1)) == 2


def test_jsonl_bad_records_name_the_line(tmp_path) -> None:
    path = tmp_path / "q.jsonl"
    good = json.dumps({"question": "Who?", "answer": "X"})
    for bad, why in [
        ("{not json", "invalid JSON"),
        (json.dumps({"question": "", "answer": "X"}), "`question`"),
        (json.dumps({"question": "Who?"}), "no answer"),
        (json.dumps({"question": "Who?", "answers": [{"a": 1}]}), "strings or numbers"),
        (json.dumps({"question": "Who?", "answer": "X", "hops": 0}), "`hops`"),
        (json.dumps(["a list"]), "JSON object"),
    ]:
        path.write_text(f"{good}\n\n{bad}\n", encoding="utf-8")
        with pytest.raises(InputError, match=why) as err:
            load_qa(path)
        assert f"{path}:3:" in str(err.value)
    path.write_text("", encoding="utf-8")
    with pytest.raises(InputError, match="no questions"):
        load_qa(path)
    listed = tmp_path / "q.json"
    listed.write_text(json.dumps([{"question": "Who?", "answer": "X"}, {"question": "Who?"}]), encoding="utf-8")
    with pytest.raises(InputError, match="record 2: no answer"):
        load_qa(listed)
    listed.write_bytes(b"[\xff]")
    with pytest.raises(InputError, match="UTF-8"):
        load_qa(listed)


def test_metaqa_lines_still_load_through_load_questions(tmp_path) -> None:
    path = tmp_path / "qa.txt"
    path.write_text("who directed [Up]\tPete Docter\n", encoding="utf-8")
    (ex,) = load_questions(path)
    assert ex.topics == ("Up",) and ex.kind == ""


def test_answers_match_by_name_alias_and_literal_value() -> None:
    names = ["The Beatles", "Paul McCartney", "1920", "1920-03-05", "March 1921", "42", "Film"]
    aliases = [(), ("Macca",), (), (), (), (), ()]
    m = AnswerMatcher(names, aliases)
    assert m.match("The Beatles") == [0]
    assert m.match("beatles") == [0]  # case, punctuation and a leading article do not matter
    assert m.match("macca") == [1]  # an alias
    assert m.match("5 March 1920") == [3]  # the same date written another way
    assert m.match("March 5, 1920") == [3]
    assert m.match("12 March 1921") == [4]  # the graph gives only the month ...
    assert m.match("1 January 1920") == [2]  # ... or only the year
    assert m.match("42.0") == [5]
    assert m.match("1999") == [] and m.match("Nobody") == []
    assert m.match_all(["Nobody", "Film", "macca"]) == [1, 6]
    assert answer_key("  The  Rolling-Stones!") == "rolling stones"
