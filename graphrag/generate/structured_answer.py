"""A model's answer as JSON, ``{"answer": "...", "cited": [n, ...]}``: the schema it is held to while it decodes,
the prompt that asks for it, and the parser that reads it back.

Constrained decoding (a llama.cpp grammar built from :func:`answer_schema`, or a server's ``response_format``)
makes the local model always return this shape: the answer is a short string, and the citations can only be
numbers of sources it was shown. A server that ignores the request may still reply with anything, so
:func:`parse_structured_answer` repairs what it can (code fences, text around the object, a reply cut off by
the token limit, citations as strings or ``"[2]"``) and falls back to the plain-text parser
(:func:`~graphrag.generate.answer_text.parse_answer`) for the rest.

``hints`` are the extractive reader's candidate answers with their sources: a 135M model picks among good
candidates far more reliably than it finds a span in 1,000 tokens of passages.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any

from graphrag.extract.llm_output import json_brackets
from graphrag.generate.answer_text import NO_ANSWER, ParsedAnswer, parse_answer
from graphrag.types import Message

MAX_ANSWER_CHARS = 80
MAX_CITED = 3

STRUCTURED_SYSTEM = (
    "Answer the question in a few words using only the numbered sources. Reply with JSON: "
    '{"answer": "<short answer>", "cited": [<numbers of the sources that say it>]}. '
    'If the sources do not contain the answer, reply {"answer": "I don\'t know", "cited": []}.'
)

#: With GNN-RAG's reasoning paths in the prompt (GNN-RAG + RA), worded after GNN-RAG's own prompt.
STRUCTURED_SYSTEM_PATHS = (
    "Based on the reasoning paths and the numbered sources, answer the question in a few words. Reply with JSON: "
    '{"answer": "<short answer>", "cited": [<numbers of the sources that say it>]}. '
    'If neither contains the answer, reply {"answer": "I don\'t know", "cited": []}.'
)

_USER = """{context}

{evidence}{hints}Question: {question}"""


def answer_schema(n_sources: int) -> dict[str, Any]:
    """The JSON schema of a reply citing among ``n_sources`` numbered sources (at most :data:`MAX_CITED`)."""
    return {
        "type": "object",
        "properties": {
            "answer": {"type": "string", "maxLength": MAX_ANSWER_CHARS},
            "cited": {"type": "array", "items": {"enum": list(range(1, max(1, n_sources) + 1))}, "maxItems": MAX_CITED},
        },
        "required": ["answer", "cited"],
    }


def structured_messages(
    question: str,
    context: str,
    *,
    reasoning_paths: Sequence[str] = (),
    hints: Sequence[tuple[str, int]] = (),
) -> list[Message]:
    """The messages asking for a JSON answer to ``question`` from the numbered ``context``; ``hints`` are
    (candidate answer, source number) pairs, best first, shown as "Candidate answers"."""
    evidence = ""
    if reasoning_paths:
        evidence = "Reasoning paths:\n" + "\n".join(reasoning_paths) + "\n\n"
    shown = ""
    if hints:
        shown = "Candidate answers: " + "; ".join(f"{text} [{n}]" for text, n in hints) + "\n\n"
    return [
        Message("system", STRUCTURED_SYSTEM_PATHS if reasoning_paths else STRUCTURED_SYSTEM),
        Message("user", _USER.format(context=context, evidence=evidence, hints=shown, question=question)),
    ]


_FENCE = re.compile(r"^```(?:json)?\s*|\s*```$", re.IGNORECASE)
_NUMBER = re.compile(r"\d+")


def parse_structured_answer(raw: str, n_sources: int) -> ParsedAnswer:
    """The answer and valid citation numbers from a JSON reply (see the module notes for the repairs); a reply
    with no JSON object is read as plain text. Citations outside ``1..n_sources`` are dropped; an empty or
    "don't know" answer becomes :data:`~graphrag.generate.answer_text.NO_ANSWER` citing nothing."""
    text = _FENCE.sub("", (raw or "").strip())
    data = _json_object(text)
    if data is None:
        return parse_answer(text, n_sources)
    answer = data.get("answer", "")
    if isinstance(answer, list):
        answer = ", ".join(str(a) for a in answer)
    answer = _runaway_cut(" ".join(str(answer if answer is not None else "").split()))
    if len(answer) > MAX_ANSWER_CHARS:
        answer = answer[:MAX_ANSWER_CHARS].rsplit(" ", 1)[0] + " ..."
    cited: list[int] = []
    raw_cited = data.get("cited", [])
    for item in raw_cited if isinstance(raw_cited, list) else [raw_cited]:
        for number in _NUMBER.findall(str(item)):
            n = int(number)
            if 1 <= n <= n_sources and n not in cited:
                cited.append(n)
    # citations written into the answer text ("Paris [1]") count too, and leave the text
    inline = parse_answer(answer, n_sources)
    answer = re.sub(r"\s*\[\d+\]", "", inline.text).strip()
    cited += [n for n in inline.cited if n not in cited]
    if not answer.strip(" .,;:") or _dont_know(answer):
        return ParsedAnswer(NO_ANSWER, ())
    return ParsedAnswer(answer, tuple(cited))


_AFTER_CITATION = re.compile(r"(\[\d+\])\s*[}\]\"]*\s*\S+(?:\s+\S+){3,}.*$")


def _runaway_cut(answer: str) -> str:
    """A small model held to a string keeps writing inside it ("1392 [2] } The answer is: 1392. The ..."): cut
    at a closing brace, and after a citation that a sentence follows."""
    answer = answer.split("}", 1)[0].strip()
    return _AFTER_CITATION.sub(r"\1", answer).strip()


def _dont_know(answer: str) -> bool:
    a = answer.casefold().strip(" .!")
    return a in ("i don't know", "i do not know", "unknown", "not found", "none", "n/a", "no answer") or a.startswith(
        ("the sources do not", "not found in the")
    )


def _json_object(text: str) -> dict[str, Any] | None:
    """The first JSON object in ``text``; a reply cut off inside it (the token limit) is closed first."""
    start = text.find("{")
    if start < 0:
        return None
    body = text[start:]
    for candidate in (body, body[: body.rfind("}") + 1] if "}" in body else "", _closed(body)):
        if not candidate:
            continue
        try:
            value = json.loads(candidate)
        except json.JSONDecodeError:
            continue
        if isinstance(value, dict):
            return value
    return None


def _closed(body: str) -> str:
    """``body`` with an open string, array and object closed (a reply cut off by the token limit): ``{"answer":
    "Paris", "cited": [1, 2,`` becomes ``{"answer": "Paris", "cited": [1, 2]}``."""
    stack: list[str] = []
    in_string = False
    for _, ch in json_brackets(body):
        if ch == '"':
            in_string = True
        elif ch in "{[":
            stack.append("}" if ch == "{" else "]")
        elif stack:
            stack.pop()
    text = body + '"' if in_string else body
    text = re.sub(r"[,:\s]+$", "", text)
    return text + "".join(reversed(stack))


__all__ = [
    "STRUCTURED_SYSTEM",
    "STRUCTURED_SYSTEM_PATHS",
    "answer_schema",
    "parse_structured_answer",
    "structured_messages",
]
