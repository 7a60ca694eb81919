"""The strict parser of an LLM's triple-extraction reply, with the repairs small models need.

The reply should be ``{"triples": [{"subject": ..., "predicate": ..., "object": ...}, ...]}``. Accepted as
well: a bare list of such objects or of ``[s, p, o]`` lists, ``head``/``relation``/``tail`` keys, a Markdown
code fence around the JSON, text before it, trailing commas, and a reply cut off by the token limit (the
complete triples before the cut are kept). Anything else raises :class:`LLMOutputError` saying why.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from graphrag.errors import GraphRAGError

_FENCE = re.compile(r"^```[a-zA-Z]*\s*|\s*```\s*$")
_TRAILING_COMMA = re.compile(r",\s*([}\]])")
_KEYS = (("subject", "predicate", "object"), ("head", "relation", "tail"), ("s", "p", "o"))

#: The JSON schema replies are held to when the model decodes under a grammar.
#: Names and values are short: a bound keeps a small model from rambling inside a string.
TRIPLE_ITEM = {
    "type": "object",
    "properties": {
        "subject": {"type": "string", "minLength": 1, "maxLength": 80},
        "predicate": {"type": "string", "minLength": 1, "maxLength": 40},
        "object": {"type": "string", "minLength": 1, "maxLength": 80},
    },
    "required": ["subject", "predicate", "object"],
}


def reply_schema(relations: tuple[str, ...] = (), max_items: int = 8) -> dict[str, Any]:
    """The JSON schema of a reply: at most ``max_items`` triples; with ``relations``, predicates from them."""
    item: dict[str, Any] = json.loads(json.dumps(TRIPLE_ITEM))
    if relations:
        item["properties"]["predicate"] = {"type": "string", "enum": list(relations)}
    return {
        "type": "object",
        "properties": {"triples": {"type": "array", "items": item, "maxItems": max_items}},
        "required": ["triples"],
    }


class LLMOutputError(GraphRAGError):
    """An LLM reply that holds no usable triples list."""


@dataclass(frozen=True)
class ParsedReply:
    """The triples of a reply, how many items were unusable, and whether it needed repair."""

    triples: tuple[tuple[str, str, str], ...]
    invalid_items: int
    repaired: bool


def parse_reply(reply: str) -> ParsedReply:
    """The ``(subject, predicate, object)`` triples of ``reply``; raises :class:`LLMOutputError`."""
    text = _FENCE.sub("", reply.strip())
    start = min((i for i in (text.find("{"), text.find("[")) if i >= 0), default=-1)
    if start < 0:
        raise LLMOutputError(f"no JSON in the reply: {_clip(reply)!r}")
    body = text[start:]
    data, repaired = _loads(body)
    items = _items(data)
    triples: list[tuple[str, str, str]] = []
    invalid = 0
    for item in items:
        t = _triple(item)
        if t is None:
            invalid += 1
        else:
            triples.append(t)
    return ParsedReply(tuple(triples), invalid, repaired)


def _loads(body: str) -> tuple[Any, bool]:
    try:
        return json.loads(body), False
    except json.JSONDecodeError:
        pass
    fixed = _TRAILING_COMMA.sub(r"\1", body)
    try:
        return json.loads(fixed), True
    except json.JSONDecodeError:
        pass
    # Trailing text after a complete document ("{...} I hope this helps").
    try:
        return json.JSONDecoder().raw_decode(fixed)[0], True
    except json.JSONDecodeError:
        pass
    cut = _close_truncated(fixed)
    if cut is not None:
        try:
            return json.loads(cut), True
        except json.JSONDecodeError:
            pass
    raise LLMOutputError(f"the reply is not valid JSON: {_clip(body)!r}")


def json_brackets(body: str) -> Iterator[tuple[int, str]]:
    """``(index, bracket)`` for every ``{``, ``[``, ``]``, ``}`` of JSON text ``body`` outside its strings, then
    ``(len(body), '"')`` when the text ends inside a string (a reply cut off by the token limit)."""
    in_string = escaped = False
    for i, ch in enumerate(body):
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "{[]}":
            yield i, ch
    if in_string:
        yield len(body), '"'


def _close_truncated(body: str) -> str | None:
    """``body`` cut after its last complete array element and closed, when the reply stopped mid-way."""
    stack: list[str] = []
    last_ok: tuple[int, list[str]] | None = None
    for i, ch in json_brackets(body):
        if ch in "{[":
            stack.append("}" if ch == "{" else "]")
        elif ch in "}]":
            if not stack:
                return None
            stack.pop()
            if stack and stack[-1] == "]":  # an element of an array just closed
                last_ok = (i + 1, list(stack))
    if last_ok is None:
        return None
    end, open_ = last_ok
    return body[:end] + "".join(reversed(open_))


def _items(data: Any) -> list[Any]:
    if isinstance(data, dict):
        for key in ("triples", "facts", "relations"):
            if isinstance(data.get(key), list):
                return list(data[key])
        if _triple(data) is not None:
            return [data]
        raise LLMOutputError(f"the JSON has no `triples` list: {_clip(json.dumps(data))!r}")
    if isinstance(data, list):
        return data
    raise LLMOutputError(f"the JSON is a {type(data).__name__}, not an object with `triples`")


def _triple(item: Any) -> tuple[str, str, str] | None:
    values: list[Any] | None = None
    if isinstance(item, list | tuple) and len(item) == 3:
        values = list(item)
    elif isinstance(item, dict):
        for keys in _KEYS:
            if all(k in item for k in keys):
                values = [item[k] for k in keys]
                break
    if values is None or not all(isinstance(v, str | int | float) and not isinstance(v, bool) for v in values):
        return None
    s, p, o = (" ".join(str(v).split()) for v in values)
    return (s, p, o) if s and p and o else None


def _clip(text: str, n: int = 120) -> str:
    return text if len(text) <= n else text[:n] + "..."


__all__ = ["LLMOutputError", "ParsedReply", "TRIPLE_ITEM", "json_brackets", "parse_reply", "reply_schema"]
