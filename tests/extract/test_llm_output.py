"""The strict parser of LLM extraction replies: what it repairs and what it refuses."""

from __future__ import annotations

import pytest

from graphrag.extract.llm_output import LLMOutputError, parse_reply, reply_schema

GOOD = '{"triples": [{"subject": "Alien", "predicate": "directed by", "object": "Ridley Scott"}]}'


def test_a_well_formed_reply_parses_without_repair() -> None:
    parsed = parse_reply(GOOD)
    assert parsed.triples == (("Alien", "directed by", "Ridley Scott"),)
    assert (parsed.invalid_items, parsed.repaired) == (0, False)
    assert parse_reply('{"triples": []}').triples == ()


@pytest.mark.parametrize(
    "reply",
    [
        "```json\n" + GOOD + "\n```",
        "Here are the facts:\n" + GOOD,
        GOOD + "\nI hope this helps!",
        '{"triples": [{"subject": "Alien", "predicate": "directed by", "object": "Ridley Scott"},]}',
        '[["Alien", "directed by", "Ridley Scott"]]',
        '{"triples": [{"head": "Alien", "relation": "directed by", "tail": "Ridley Scott"}]}',
        '{"subject": "Alien", "predicate": "directed by", "object": "Ridley Scott"}',
        # cut off by the token limit in the second triple: the first one is kept
        '{"triples": [{"subject": "Alien", "predicate": "directed by", "object": "Ridley Scott"}, {"subject": "Ali',
    ],
)
def test_common_small_model_slips_are_repaired(reply: str) -> None:
    assert parse_reply(reply).triples == (("Alien", "directed by", "Ridley Scott"),)


def test_unusable_items_are_counted_not_kept() -> None:
    reply = (
        '{"triples": [{"subject": "Alien", "predicate": "year", "object": 1979}, '
        '{"subject": "", "predicate": "x", "object": "y"}, {"subject": ["a"], "predicate": "p", "object": "o"}, '
        '"just a string", {"subject": "A", "predicate": true, "object": "B"}]}'
    )
    parsed = parse_reply(reply)
    assert parsed.triples == (("Alien", "year", "1979"),)
    assert parsed.invalid_items == 4


@pytest.mark.parametrize(
    ("reply", "why"),
    [
        ("The film was directed by Ridley Scott.", "no JSON"),
        ('{"triples": [{"subject": "Alien"', "not valid JSON"),  # cut before any complete triple
        ('{"answer": "Ridley Scott"}', "no `triples` list"),
        ('"triples"', "no JSON"),
        ("{not json at all}", "not valid JSON"),
        ("", "no JSON"),
    ],
)
def test_replies_without_a_triples_list_are_refused_with_the_reason(reply: str, why: str) -> None:
    with pytest.raises(LLMOutputError, match=why):
        parse_reply(reply)


def test_the_reply_schema_limits_predicates_to_the_schema_relations() -> None:
    open_schema = reply_schema()
    assert open_schema["properties"]["triples"]["items"]["properties"]["predicate"]["maxLength"] == 40
    closed = reply_schema(("director", "spouse"), max_items=4)
    item = closed["properties"]["triples"]["items"]
    assert item["properties"]["predicate"]["enum"] == ["director", "spouse"]
    assert closed["properties"]["triples"]["maxItems"] == 4 and closed["required"] == ["triples"]
    # the open schema is not changed by building a closed one
    assert "enum" not in reply_schema()["properties"]["triples"]["items"]["properties"]["predicate"]


def test_json_brackets_skip_strings_and_report_an_open_one() -> None:
    from graphrag.extract.llm_output import json_brackets

    assert list(json_brackets('{"a": "[}\\"{", "b": [1]}')) == [(0, "{"), (20, "["), (22, "]"), (23, "}")]
    assert list(json_brackets('{"a": "cut')) == [(0, "{"), (10, '"')]
