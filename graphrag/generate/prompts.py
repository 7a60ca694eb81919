"""Prompts for answer generation, as plain templates with one builder function.

The prompt is short on purpose: the default local model has 135M parameters, and long instructions crowd out
the sources in its 2k-token window. One worked example (a two-hop question answered from the second source,
with its citation) shows the model the expected form better than instructions do: on a handful of checks it
turned "The answer is: [2]." style replies into "Graz [2]" style ones.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

ANSWER_SYSTEM = (
    "Answer the question in a few words using only the numbered sources, and cite the sources you used "
    "like [1]. If the sources do not contain the answer, reply: I don't know."
)

ANSWER_USER = """Sources:
{context}
{evidence}Question: {question}"""

EXAMPLE_CONTEXT = (
    "[1] Night Train: Night Train is a 1959 Polish film directed by Jerzy Kawalerowicz.\n"
    "[2] Jerzy Kawalerowicz: Jerzy Kawalerowicz was a Polish film director, born in Gwoździec."
)
EXAMPLE_QUESTION = "Where was the director of film Night Train born?"
EXAMPLE_ANSWER = "Gwoździec [1][2]"


@dataclass(frozen=True, slots=True)
class Message:
    """One chat message (``role`` is ``system``, ``user`` or ``assistant``)."""

    role: str
    content: str


def answer_messages(question: str, context: str, evidence: Sequence[str] = ()) -> list[Message]:
    """The chat messages asking for a short, cited answer to ``question`` from the numbered ``context``.

    ``evidence`` lines (graph paths such as ``passage 'Gaby: A True Story' -> names -> passage 'Luis
    Mandoki'``) are shown after the sources when given.
    """
    ev = ""
    if evidence:
        ev = "Graph evidence:\n" + "\n".join(f"- {line}" for line in evidence) + "\n"
    return [
        Message("system", ANSWER_SYSTEM),
        Message("user", ANSWER_USER.format(context=EXAMPLE_CONTEXT, evidence="", question=EXAMPLE_QUESTION)),
        Message("assistant", EXAMPLE_ANSWER),
        Message("user", ANSWER_USER.format(context=context, evidence=ev, question=question)),
    ]
