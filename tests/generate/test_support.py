"""The support score: type fit, grounding and linking, and every answerer abstaining when it is too low."""

from __future__ import annotations

import pytest

from graphrag.config import AnswerConfig, RetrieveConfig
from graphrag.generate.answer import build_answerer
from graphrag.generate.answer_text import NOT_FOUND
from graphrag.generate.llm import FakeLLM
from graphrag.generate.support import grounding, linking, support, type_fit


@pytest.mark.parametrize(
    ("kind", "options", "answer", "fit"),
    [
        ("date", (), "13 March 1901", 1.0),
        ("date", (), "Vienna", 0.0),
        ("yesno", (), "no", 1.0),
        ("yesno", (), "Vienna", 0.0),
        ("choice", ("Heat", "Ronin"), "Ronin", 1.0),
        ("choice", ("Heat", "Ronin"), "Thief", 0.0),
        ("person", (), "Louis Ralph", 1.0),
        ("person", (), "1901", 0.0),
        ("number", (), "three", 1.0),
        ("number", (), "Graz", 0.0),
        ("other", (), "whatever", 0.5),
    ],
)
def test_type_fit(kind: str, options: tuple[str, ...], answer: str, fit: float) -> None:
    assert type_fit(kind, options, answer) == fit


def test_grounding_and_linking() -> None:
    passage = "Louis Ralph was an Austrian actor born in Graz."
    assert grounding("Graz", [passage]) == 1.0
    assert grounding("Graz, Styria", [passage]) == 0.5
    assert grounding("Graz", []) == 0.0
    assert grounding("yes", [passage], yes_no=True) == 1.0
    assert linking("Where was Louis Ralph born?", [passage]) == 1.0
    assert linking("Where was Zorblax Quenfeld born?", [passage]) == 0.0
    assert linking("where was he born?", [passage]) == 1.0  # no name to look for


def test_the_score_grows_with_each_signal() -> None:
    q, passage = "Where was Louis Ralph born?", "Louis Ralph was an Austrian actor born in Graz."
    grounded = support(q, "Graz", [passage], [passage])
    ungrounded = support(q, "Vienna", [passage], [passage])
    unlinked = support("Where was Zorblax Quenfeld born?", "Graz", [passage], [passage])
    mistyped = support("When was Louis Ralph born?", "Graz", [passage], [passage])
    assert grounded.score > ungrounded.score > unlinked.score
    assert grounded.score > mistyped.score
    assert grounded.as_dict()["grounding"] == 1.0 and 0.0 < grounded.score < 1.0


QUESTION = "Where was the director of film Our Emden born?"


def test_an_answer_about_something_no_passage_names_is_withheld_with_the_closest_evidence(tiny_graph_db) -> None:
    from graphrag.store import KuzuGraphStore

    absent = "Where was the director of film Zorblax Quenfeld born?"
    with KuzuGraphStore(tiny_graph_db, read_only=True) as store:
        llm = FakeLLM('{"answer": "Graz", "cited": [1]}')  # fluent, typed, even grounded: but about nothing here
        res = build_answerer(store, RetrieveConfig(), AnswerConfig(llm="fake"), llm=llm).answer(absent, k=3)
        assert res.text == NOT_FOUND and res.answer.citations == ()
        assert res.withheld == "Graz" and res.support is not None and res.support.linking == 0.0
        assert any("withheld" in n and "closest evidence: [1] " in n for n in res.notes)

        llm = FakeLLM('{"answer": "Graz", "cited": [2]}')
        res = build_answerer(store, RetrieveConfig(), AnswerConfig(llm="fake"), llm=llm).answer(QUESTION, k=3)
        assert res.text == "Graz" and res.withheld == "" and res.support.score >= AnswerConfig().min_support
        assert [c.title for c in res.answer.citations] == ["Louis Ralph"]

        # the threshold is a setting: 0 never withholds
        llm = FakeLLM('{"answer": "Graz", "cited": [1]}')
        cfg = AnswerConfig(llm="fake", min_support=0.0)
        assert build_answerer(store, RetrieveConfig(), cfg, llm=llm).answer(absent, k=3).text == "Graz"
