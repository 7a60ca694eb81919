"""Prompts for answer generation, as plain templates with one builder function.

The prompt is short on purpose: the default local model has 135M parameters, and long instructions crowd out the
sources in its 2k-token window.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

ANSWER_SYSTEM = (
    "You answer questions using only the numbered sources. Reply with a short answer (a few words), "
    "then the numbers of the sources you used in square brackets, like [1] or [1][2]. "
    "If the sources do not contain the answer, reply: I don't know."
)

ANSWER_USER = """Sources:
{context}
{evidence}
Question: {question}
Answer:"""


@dataclass(frozen=True, slots=True)
class Message:
    """One chat message (``role`` is ``system``, ``user`` or ``assistant``)."""

    role: str
    content: str


def answer_messages(question: str, context: str, evidence: Sequence[str] = ()) -> list[Message]:
    """The chat messages asking for a short, cited answer to ``question`` from the numbered ``context``.

    ``evidence`` lines (graph paths such as ``Gaby: A True Story -> mentions -> Luis Mandoki``) are shown after the
    sources when given.
    """
    ev = ""
    if evidence:
        ev = "Graph evidence:\n" + "\n".join(f"- {line}" for line in evidence) + "\n"
    return [
        Message("system", ANSWER_SYSTEM),
        Message("user", ANSWER_USER.format(context=context, evidence=ev, question=question)),
    ]
