"""Community reports written by an LLM, in Microsoft GraphRAG's spirit: a title, a summary and findings, each
finding citing the documents of the report's sentences it rests on.

The model reads the extractive report (central entities, relations, facets, numbered sentences with their
documents) and replies in JSON, held to a schema where the backend allows. A reply that does not parse leaves the
extractive report in place. The facets stay as they were, so global search counts the same with either writer.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Sequence
from typing import Any

from graphrag.communities.summary import CommunityReport
from graphrag.generate.llm import LLM, StructuredLLM
from graphrag.types import Message

REPORT_SYSTEM = (
    "You write a short report on a community of related entities found in a document collection, using only the "
    'facts given. Reply with JSON: {"title": "...", "summary": "two sentences", "findings": [{"text": "one '
    'finding", "sources": [numbers of the sentences it rests on]}]}'
)

REPORT_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "title": {"type": "string"},
        "summary": {"type": "string"},
        "findings": {
            "type": "array",
            "maxItems": 5,
            "items": {
                "type": "object",
                "properties": {"text": {"type": "string"}, "sources": {"type": "array", "items": {"type": "integer"}}},
                "required": ["text", "sources"],
            },
        },
    },
    "required": ["title", "summary", "findings"],
}


def report_prompt(report: CommunityReport) -> list[Message]:
    """The messages asking for one report."""
    lines = [f"Entities ({report.size}), most central first: {', '.join(report.central)}."]
    if report.relations:
        lines.append("Relations: " + "; ".join(report.relations) + ".")
    for f in report.facets[:6]:
        lines.append(f"{f.label} ({f.kind}): " + ", ".join(f"{n} ({k})" for n, k in f.entities[:6]))
    for i, s in enumerate(report.sentences, 1):
        lines.append(f"[{i}] {s['text']} (document: {s['doc']})")
    return [Message("system", REPORT_SYSTEM), Message("user", "\n".join(lines))]


def parse_report_reply(reply: str, report: CommunityReport, writer: str) -> CommunityReport | None:
    """The report ``reply`` describes, or ``None`` when it is not a JSON report."""
    start = reply.find("{")
    if start < 0:
        return None
    try:
        data, _ = json.JSONDecoder().raw_decode(reply[start:])
    except json.JSONDecodeError:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("summary"), str) or not data["summary"].strip():
        return None
    findings = []
    for f in data.get("findings") or []:
        if isinstance(f, dict) and isinstance(f.get("text"), str) and f["text"].strip():
            nums = [n for n in f.get("sources") or [] if isinstance(n, int) and 1 <= n <= len(report.sentences)]
            findings.append({"text": f["text"].strip(), "sources": [report.sentences[n - 1]["doc"] for n in nums]})
    title = data.get("title") if isinstance(data.get("title"), str) and data["title"].strip() else report.title
    return dataclasses.replace(
        report, title=title.strip(), summary=data["summary"].strip(), findings=tuple(findings), written_by=writer
    )


def llm_report_writer(
    llm: LLM, *, max_tokens: int = 400
) -> Callable[[Sequence[CommunityReport]], list[CommunityReport]]:
    """A report writer for :func:`graphrag.communities.build_communities`; ``writer.failed`` counts the replies
    that did not parse (their extractive reports were kept)."""

    def write(reports: Sequence[CommunityReport]) -> list[CommunityReport]:
        out = []
        for r in reports:
            messages = report_prompt(r)
            if isinstance(llm, StructuredLLM):
                reply = llm.complete_json(messages, schema=REPORT_SCHEMA, max_tokens=max_tokens)
            else:
                reply = llm.complete(messages, max_tokens=max_tokens)
            written = parse_report_reply(reply, r, llm.name)
            if written is None:
                write.failed += 1  # type: ignore[attr-defined]
            out.append(written or r)
        return out

    write.failed = 0  # type: ignore[attr-defined]
    return write


__all__ = ["REPORT_SCHEMA", "llm_report_writer", "parse_report_reply", "report_prompt"]
