"""Prompts for answer generation, as plain templates with one builder function.

The prompt is short on purpose: the default local model has 135M parameters, and long instructions crowd out
the sources in its 2k-token window. Of four variants tried on six hand-made two-hop and comparison questions
(D-results.md), this one -- sources first, then the question, no "Answer:" cue and no worked example -- gave
the most correct answers (4 of 6); a worked example was copied into unrelated answers.
"""

from __future__ import annotations

from collections.abc import Sequence

from graphrag.types import Message

ANSWER_SYSTEM = (
    "Answer the question in a few words using only the numbered sources. Cite the sources you used like [1]. "
    "If the sources do not contain the answer, reply: I don't know."
)

ANSWER_USER = """{context}

{evidence}Question: {question}"""

# GNN-RAG + RA: the GNN's verbalised reasoning paths and the retrieved passages in one prompt, worded after the
# GNN-RAG prompt ("Based on the reasoning paths, please answer the given question.").
ANSWER_SYSTEM_PATHS = (
    "Based on the reasoning paths and the numbered sources, answer the question in a few words. Cite the "
    "sources you used like [1]. If neither contains the answer, reply: I don't know."
)
REASONING_PATHS_HEADER = "Reasoning paths:"


def answer_messages(
    question: str, context: str, evidence: Sequence[str] = (), *, reasoning_paths: Sequence[str] = ()
) -> list[Message]:
    """The chat messages asking for a short, cited answer to ``question`` from the numbered ``context``.

    ``evidence`` lines (graph paths such as ``passage 'Gaby: A True Story' -> names -> passage 'Luis
    Mandoki'``) are shown after the sources when given. ``reasoning_paths`` (GNN-RAG's verbalised KG paths,
    ``Heat -> directed_by -> Michael Mann``) are shown under "Reasoning paths:" after the sources, and the
    instruction then asks for an answer from both.
    """
    ev = ""
    if reasoning_paths:
        ev += REASONING_PATHS_HEADER + "\n" + "\n".join(reasoning_paths) + "\n\n"
    if evidence:
        ev += "Graph evidence:\n" + "\n".join(f"- {line}" for line in evidence) + "\n\n"
    return [
        Message("system", ANSWER_SYSTEM_PATHS if reasoning_paths else ANSWER_SYSTEM),
        Message("user", ANSWER_USER.format(context=context, evidence=ev, question=question)),
    ]
