"""The JSON answer contract: schema, prompt, and a parser that repairs what servers and small models send."""

from __future__ import annotations

import pytest

from graphrag.generate.answer_text import NO_ANSWER
from graphrag.generate.structured_answer import (
    STRUCTURED_SYSTEM,
    STRUCTURED_SYSTEM_PATHS,
    answer_schema,
    parse_structured_answer,
    structured_messages,
)


def test_the_schema_only_allows_citations_of_the_sources_shown() -> None:
    schema = answer_schema(3)
    assert schema["required"] == ["answer", "cited"]
    assert schema["properties"]["cited"]["items"] == {"enum": [1, 2, 3]}
    assert schema["properties"]["cited"]["maxItems"] == 3 and schema["properties"]["answer"]["maxLength"] > 0


def test_the_prompt_shows_sources_hints_paths_and_question_in_order() -> None:
    system, user = structured_messages("Who?", "[1] A: text", hints=[("Ann", 1), ("Bo", 2)])
    assert system.content == STRUCTURED_SYSTEM and '"cited"' in system.content
    assert user.content == "[1] A: text\n\nCandidate answers: Ann [1]; Bo [2]\n\nQuestion: Who?"
    system, user = structured_messages("Who?", "[1] A: text", reasoning_paths=["a -> r -> b"])
    assert system.content == STRUCTURED_SYSTEM_PATHS
    assert user.content == "[1] A: text\n\nReasoning paths:\na -> r -> b\n\nQuestion: Who?"


@pytest.mark.parametrize(
    ("raw", "text", "cited"),
    [
        ('{"answer": "Paris", "cited": [1]}', "Paris", (1,)),
        ('```json\n{"answer": "Paris", "cited": [2, 1]}\n```', "Paris", (2, 1)),
        ('Sure! {"answer": "Paris", "cited": ["[2]", "3"]} hope that helps', "Paris", (2, 3)),
        ('{"answer": "Paris", "cited": [1, 9, 0, 1]}', "Paris", (1,)),  # out of range and repeats dropped
        ('{"answer": "Paris [2]", "cited": []}', "Paris", (2,)),  # a citation written into the answer
        ('{ "answer": "1392 [2] } The answer is: 1392. The candidate", "cited": [] }', "1392", (2,)),  # runaway
        ('{"answer": "Ann [1] and Bo [2]", "cited": []}', "Ann and Bo", (1, 2)),
        ('{"answer": "Paris", "cited": [1, 2,', "Paris", (1, 2)),  # cut off by the token limit
        ('{"answer": "Pari', "Pari", ()),
        ('{"answer": ["Ann", "Bo"], "cited": 2}', "Ann, Bo", (2,)),
        ('{"answer": "I don\'t know", "cited": [1]}', NO_ANSWER, ()),
        ('{"answer": "", "cited": []}', NO_ANSWER, ()),
        ('{"cited": [1]}', NO_ANSWER, ()),
        ("Paris is the answer [1].", "Paris is the answer [1].", (1,)),  # no JSON: read as plain text
        ("", NO_ANSWER, ()),
    ],
)
def test_replies_are_parsed_and_repaired(raw: str, text: str, cited: tuple[int, ...]) -> None:
    parsed = parse_structured_answer(raw, 3)
    assert (parsed.text, parsed.cited) == (text, cited)


def test_a_runaway_answer_is_cut() -> None:
    parsed = parse_structured_answer('{"answer": "' + "word " * 100 + '", "cited": [1]}', 1)
    assert len(parsed.text) <= 90 and parsed.text.endswith("...")
