"""Global search with an LLM: map each relevant community report to a scored partial answer, reduce the best
partial answers to one answer that cites communities, in Microsoft GraphRAG's spirit.

Communities are chosen for the map step by how many of the question's content words their report holds (then by
size), at most ``max_communities`` of them. Each map reply is ``SCORE: <0-100>`` and bullet points; a reply that
does not parse counts as score 0 and is left out. The reduce step sees the surviving points, best first, each
tagged with its community id, and must cite them as ``[c...]``; citations of ids it was not given are removed,
and an answer citing none gets the communities whose points it was given.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

from graphrag.communities.global_search import NO_COMMUNITIES, GlobalAnswer, RankedReport, reports_at
from graphrag.generate.llm import LLM
from graphrag.types import Message

MAP_SYSTEM = (
    "You read one report about a community of related entities from a document collection and note what in it "
    "helps answer a question about the whole collection. Reply exactly as:\n"
    "SCORE: <0-100, how useful the report is for the question>\n- <point>\n- <point>"
)
REDUCE_SYSTEM = (
    "You answer a question about a whole document collection from points taken from community reports. Each "
    "point is tagged with its community id in brackets; cite the ids you use, like [c1234]. Use only the points."
)

_WORD = re.compile(r"[A-Za-z][A-Za-z'-]+")
_STOP = frozenset(
    re.findall(
        r"\w+",
        "a an and are as at be by do does for from has have here how in is it its of on or the these this to was "
        "were what which who whom whose with collection corpus documents passages most main",
    )
)
_SCORE = re.compile(r"SCORE\s*:\s*(\d{1,3})", re.I)
_CITE = re.compile(r"\[(c[0-9a-f]{6,})\]")


def _words(text: str) -> set[str]:
    return {w.lower().rstrip("s") for w in _WORD.findall(text)} - _STOP


def rank_for_map(question: str, reports: Sequence[RankedReport], limit: int) -> list[RankedReport]:
    """The reports that share the most content words with ``question`` (larger first on ties)."""
    q = _words(question)
    scored = [(len(q & _words(r.report.text())), math.log1p(r.report.size), r) for r in reports]
    scored.sort(key=lambda t: (-t[0], -t[1], t[2].id))
    return [r for *_, r in scored[:limit]]


def parse_map_reply(reply: str) -> tuple[int, list[str]]:
    """``(score, points)`` of a map reply; ``(0, [])`` when it has no score."""
    m = _SCORE.search(reply)
    if not m:
        return 0, []
    points = [ln.strip(" -*\u2022\t") for ln in reply[m.end() :].splitlines()]
    return min(100, int(m.group(1))), [p for p in points if p]


def llm_global_answer(
    question: str,
    reports: Sequence[RankedReport],
    llm: LLM,
    *,
    level: int = 0,
    max_communities: int = 8,
    max_points: int = 24,
) -> GlobalAnswer:
    """Map-reduce ``question`` over the reports at ``level`` with ``llm`` (see the module docstring)."""
    at = reports_at(reports, level)
    if not at:
        return GlobalAnswer(NO_COMMUNITIES, ())
    partial: list[tuple[int, str, str]] = []  # (score, community id, point)
    for r in rank_for_map(question, at, max_communities):
        reply = llm.complete(
            [Message("system", MAP_SYSTEM),
             Message("user", f"Report [{r.id}]: {r.report.text()}\n\nQuestion: {question}")],
            max_tokens=200,
        )  # fmt: skip
        score, points = parse_map_reply(reply)
        if score > 0:
            partial += [(score, r.id, p) for p in points]
    title = {r.id: r.report.title for r in at}
    if not partial:
        return GlobalAnswer("No community report helps answer this question.", ())
    partial.sort(key=lambda t: (-t[0], t[1]))
    partial = partial[:max_points]
    given = list(dict.fromkeys(cid for _, cid, _ in partial))
    body = "\n".join(f"- [{cid}] {p}" for _, cid, p in partial)
    answer = llm.complete(
        [Message("system", REDUCE_SYSTEM), Message("user", f"Points:\n{body}\n\nQuestion: {question}")],
        max_tokens=300,
    ).strip()
    cited = [c for c in dict.fromkeys(_CITE.findall(answer)) if c in title]
    answer = _CITE.sub(lambda m: m.group(0) if m.group(1) in title else "", answer)
    if not cited:
        cited = given[:3]
        answer += " " + "".join(f"[{c}]" for c in cited)
    return GlobalAnswer(answer, tuple((c, title[c]) for c in cited))


__all__ = ["MAP_SYSTEM", "REDUCE_SYSTEM", "llm_global_answer", "parse_map_reply", "rank_for_map"]
