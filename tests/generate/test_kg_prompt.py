"""GNN-RAG's answer step: the prompt, its parser, the plain answer, and the answerer's KG mode."""

from __future__ import annotations

import pytest

from graphrag.config import AnswerConfig
from graphrag.errors import ConfigError
from graphrag.generate.answer import Answerer
from graphrag.generate.kg_prompt import GNNRAG_INSTRUCTION, gnnrag_messages, parse_answer_list, plain_answer_text
from graphrag.generate.llm import FakeLLM
from graphrag.types import Candidate, ReasoningPath


def test_prompt_has_gnnrag_shape():
    path = ReasoningPath(("Heat", "Michael Mann"), ("directed_by",))
    (msg,) = gnnrag_messages("who directed Heat", [path])
    assert msg.role == "user"
    assert msg.content.startswith(
        GNNRAG_INSTRUCTION + "\nReasoning Paths:\nHeat -> directed_by -> Michael Mann"
    )
    assert msg.content.endswith("Question:\nwho directed Heat")
    assert "(no reasoning paths found)" in gnnrag_messages("q", [])[0].content


@pytest.mark.parametrize(
    ("reply", "answers"),
    [
        ('["Michael Mann", "Ridley Scott"]', ["Michael Mann", "Ridley Scott"]),
        ("['Heat']", ["Heat"]),
        ("Answer: Michael Mann, Ridley Scott.", ["Michael Mann", "Ridley Scott"]),
        ("- Al Pacino\n- Robert De Niro\n- al pacino", ["Al Pacino", "Robert De Niro"]),
        ("1. Heat\n2) Collateral", ["Heat", "Collateral"]),
        ("The answers are: [Heat, Collateral", ["Heat", "Collateral"]),
        ("[Heat, 'Collateral']", ["Heat", "Collateral"]),
        ("", []),
        ("   \n ", []),
    ],
)
def test_parse_answer_list(reply, answers):
    assert parse_answer_list(reply) == answers


def test_plain_answer_text_lists_candidates_with_their_first_path() -> None:
    path = ReasoningPath(("Heat", "Michael Mann"), ("directed_by",))
    text = plain_answer_text([Candidate("e1", "Michael Mann", 0.9, (path,)), Candidate("e2", "Ridley Scott", 0.1)])
    assert text.startswith("Candidates from the knowledge graph (best first), 2 in all:")
    assert "- Michael Mann (p=0.90)  via Heat -> directed_by -> Michael Mann" in text
    assert plain_answer_text([]).startswith("No answer candidates")


def test_kg_answers_reads_the_paths_and_parses_the_list() -> None:
    paths = [ReasoningPath(("Heat", f"Person {i}"), ("directed_by",)) for i in range(40)]
    llm = FakeLLM(lambda msgs: '["Person 0", "person 0", "Person 1"]')
    answerer = Answerer(None, llm, AnswerConfig(max_reasoning_paths=30, max_answer_tokens=96))
    assert answerer.kg_answers("who directed Heat", paths) == ["Person 0", "Person 1"]
    prompt = llm.prompts[0][0].content
    assert "Reasoning Paths:" in prompt and "Heat -> directed_by -> Person 29" in prompt
    assert "Person 30" not in prompt  # at most max_reasoning_paths paths


def test_kg_answers_needs_a_model_and_answer_needs_a_retriever() -> None:
    with pytest.raises(ConfigError, match="needs a language model"):
        Answerer(None, None).kg_answers("q", [])
    with pytest.raises(ConfigError, match="no retriever"):
        Answerer(None, FakeLLM(lambda msgs: "x")).answer("q")
