"""Extractive community reports: no LLM, every statement traceable to the graph or a passage.

A report names a community by its most central entities (weighted degree inside the community), lists its
strongest relations, and groups what it holds into *facets* a global question can aggregate over: for every
predicate, the objects its members point to (``directed_by`` -> the directors, with counts), or, for a
"<noun> of" predicate, the members it describes (``director of`` -> the directors); for every entity type, the
members of that type (by passage mentions). Representative sentences come from the passages that
mention the most central members, picked greedily with maximal marginal relevance over the members they mention
(a passage adding no new member is passed over), each cited by passage and document.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from graphrag.communities.entity_graph import EntityGraph
from graphrag.communities.leiden import Community

_NOUN_OF = re.compile(r"^[a-z]+(?: [a-z]+)? of$", re.I)  # "director of", "member of", "capital of"
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(])")


@dataclass(frozen=True)
class Facet:
    """Entities of one kind a community holds: ``kind`` is ``predicate`` (the objects of predicate ``label``),
    ``subject`` (the subjects of a "<noun> of" predicate such as ``director of``: the noun names them) or ``type``
    (members of entity type ``label``)."""

    kind: str
    label: str
    entities: tuple[tuple[str, int], ...]  # (name, count), most first


@dataclass(frozen=True)
class CommunityReport:
    """A community's extractive report (stored as JSON in ``Community.report``)."""

    title: str
    size: int
    central: tuple[str, ...]
    relations: tuple[str, ...]
    facets: tuple[Facet, ...]
    sentences: tuple[dict[str, str], ...] = field(default=())  # {text, chunk_id, doc}
    summary: str = ""  # written by an LLM (``written_by``), with its findings; empty for an extractive report
    findings: tuple[dict[str, Any], ...] = field(default=())  # {text, sources: [document titles]}
    written_by: str = "extractive"

    def text(self) -> str:
        """The report as a paragraph (what is embedded, shown and handed to an LLM)."""
        parts = [f"{self.title}. {self.size} entities; central: {', '.join(self.central)}."]
        if self.summary:
            parts.append(self.summary)
            for f in self.findings:
                parts.append(f["text"] + "".join(f" [{d}]" for d in f.get("sources", ())))
        if self.relations:
            parts.append("Relations: " + "; ".join(self.relations) + ".")
        for f in self.facets[:4]:
            what = {"predicate": _verbal(f.label), "subject": f"{_verbal(f.label)} (subjects)"}.get(
                f.kind, f"{f.label} entities"
            )
            parts.append(f"{what}: " + ", ".join(f"{n} ({k})" for n, k in f.entities[:5]) + ".")
        for s in self.sentences:
            parts.append(f"\u201c{s['text']}\u201d [{s['doc']}]")
        return " ".join(parts)

    def to_json(self) -> str:
        """JSON for the store."""
        return json.dumps(
            {
                "title": self.title,
                "size": self.size,
                "central": list(self.central),
                "relations": list(self.relations),
                "facets": [
                    {"kind": f.kind, "label": f.label, "entities": [list(e) for e in f.entities]} for f in self.facets
                ],  # fmt: skip
                "sentences": list(self.sentences),
                "summary": self.summary,
                "findings": list(self.findings),
                "written_by": self.written_by,
            },
            ensure_ascii=False,
        )

    @staticmethod
    def from_json(text: str) -> CommunityReport:
        """The report stored by :meth:`to_json`."""
        d: dict[str, Any] = json.loads(text)
        return CommunityReport(
            title=d["title"],
            size=int(d["size"]),
            central=tuple(d["central"]),
            relations=tuple(d["relations"]),
            facets=tuple(
                Facet(f["kind"], f["label"], tuple((str(n), int(k)) for n, k in f["entities"])) for f in d["facets"]
            ),
            sentences=tuple(d.get("sentences", ())),
            summary=d.get("summary", ""),
            findings=tuple(d.get("findings", ())),
            written_by=d.get("written_by", "extractive"),
        )


def _verbal(predicate: str) -> str:
    return re.sub(r"[_\s]+", " ", predicate).strip()


ChunkTexts = Callable[[Sequence[str]], Mapping[str, tuple[str, str]]]  # chunk ids -> {id: (text, doc title)}


class ExtractiveSummarizer:
    """Writes :class:`CommunityReport` s for communities of one graph.

    Args:
        graph: the entity graph the communities were found in.
        chunk_texts: fetches passage texts and document titles by chunk id (one call per batch of reports).
        sentences: representative sentences per report.
        facet_size: entities kept per facet.
    """

    def __init__(self, graph: EntityGraph, chunk_texts: ChunkTexts, *, sentences: int = 2, facet_size: int = 25):
        self.graph = graph
        self.chunk_texts = chunk_texts
        self.n_sentences = sentences
        self.facet_size = facet_size
        self._index = graph.index()
        # out-relations and passages per entity, as sorted arrays (CSR): built once, read for members only
        src = np.array([r[0] for r in graph.relations], np.int64)
        self._rel_order = np.argsort(src, kind="stable")
        self._rel_start = np.searchsorted(src[self._rel_order], np.arange(graph.n + 1))
        chunk_ids = list(graph.chunks)
        ents = np.concatenate(list(graph.chunks.values())) if chunk_ids else np.zeros(0, np.int64)
        owner = np.repeat(np.arange(len(chunk_ids)), [len(m) for m in graph.chunks.values()])
        order = np.argsort(ents, kind="stable")
        self._chunk_ids = chunk_ids
        self._chunk_owner = owner[order]
        self._chunk_start = np.searchsorted(ents[order], np.arange(graph.n + 1))

    def _out(self, i: int) -> list[tuple[int, str, int]]:
        rel = self.graph.relations
        return [rel[k][1:] for k in self._rel_order[self._rel_start[i] : self._rel_start[i + 1]].tolist()]

    def _chunks_of(self, i: int) -> list[str]:
        lo, hi = self._chunk_start[i], self._chunk_start[i + 1]
        return [self._chunk_ids[k] for k in self._chunk_owner[lo:hi].tolist()]

    def summarize(self, communities: Sequence[Community]) -> list[CommunityReport]:
        """Reports for ``communities``, in order."""
        drafts = [self._draft(c) for c in communities]
        wanted = sorted({cid for _, picks in drafts for cid in picks})
        texts = self.chunk_texts(wanted) if wanted else {}
        return [self._finish(d, picks, texts) for d, picks in drafts]

    def _draft(self, c: Community) -> tuple[dict[str, Any], list[str]]:
        g = self.graph
        idx = np.array([self._index[e] for e in c.members if e in self._index], np.int64)
        inside = np.zeros(g.n, bool)
        inside[idx] = True
        keep = inside[g.src] & inside[g.dst]
        deg = np.zeros(g.n)
        np.add.at(deg, g.src[keep], g.weight[keep])
        np.add.at(deg, g.dst[keep], g.weight[keep])
        order = sorted(idx.tolist(), key=lambda i: (-deg[i], -int(g.mentions[i]), g.names[i]))
        central = [g.names[i] for i in order[:6]]
        # relations among members, strongest (most repeated, most central) first
        rels: list[tuple[float, str]] = []
        by_pred: dict[tuple[str, str], Counter[str]] = {}
        for i in idx.tolist():
            for j, p, k in self._out(i):
                # "X director of Y": the noun before "of" names the subject, so the facet holds subjects
                if _NOUN_OF.search(p):
                    by_pred.setdefault(("subject", p), Counter())[g.names[i]] += k
                else:
                    by_pred.setdefault(("predicate", p), Counter())[g.names[j]] += k
                if inside[j]:
                    rels.append((k + deg[i] + deg[j], f"{g.names[i]} \u2014{_verbal(p)}\u2192 {g.names[j]}"))
        rels.sort(key=lambda r: (-r[0], r[1]))
        facets = [
            Facet(kind, p, tuple(cnt.most_common(self.facet_size)))
            for (kind, p), cnt in sorted(by_pred.items(), key=lambda kv: (-sum(kv[1].values()), kv[0]))
        ][:12]
        by_type: dict[str, Counter[str]] = {}
        for i in idx.tolist():
            if g.types[i]:
                by_type.setdefault(g.types[i], Counter())[g.names[i]] += max(1, int(g.mentions[i]))
        facets += [
            Facet("type", t, tuple(cnt.most_common(self.facet_size)))
            for t, cnt in sorted(by_type.items(), key=lambda kv: (-sum(kv[1].values()), kv[0]))
        ][:8]
        title = ", ".join(central[:3]) if len(central) <= 3 else f"{', '.join(central[:3])} and others"
        draft = {
            "title": title,
            "size": len(c.members),
            "central": tuple(central),
            "relations": tuple(dict.fromkeys(r for _, r in rels))[:5],
            "facets": tuple(facets),
            "weight": {i: deg[i] + 1.0 for i in order[:20]},
        }
        return draft, self._pick_chunks(draft["weight"])

    def _pick_chunks(self, weight: dict[int, float]) -> list[str]:
        """Passages covering the most (weighted) central members, each adding members the others lack."""
        cand: dict[str, set[int]] = {}
        for i in weight:
            for cid in self._chunks_of(i):
                cand.setdefault(cid, set()).add(i)
        picks: list[str] = []
        covered: set[int] = set()
        while cand and len(picks) < self.n_sentences:
            best = max(cand, key=lambda c: (sum(weight[i] for i in cand[c] - covered), -len(c), c))
            if not cand[best] - covered:
                break
            picks.append(best)
            covered |= cand.pop(best)
        return picks

    def _finish(self, draft: dict[str, Any], picks: list[str], texts: Mapping[str, tuple[str, str]]) -> CommunityReport:
        names = [self.graph.names[i] for i in draft["weight"]]
        sentences = []
        for cid in picks:
            if cid not in texts:
                continue
            text, doc = texts[cid]
            best = max(_SENTENCE.split(text), key=lambda s: (sum(n in s for n in names), -len(s)))
            sentences.append({"text": best.strip()[:400], "chunk_id": cid, "doc": doc})
        return CommunityReport(
            title=draft["title"],
            size=draft["size"],
            central=draft["central"],
            relations=draft["relations"],
            facets=draft["facets"],
            sentences=tuple(sentences),
        )


__all__ = ["CommunityReport", "ExtractiveSummarizer", "Facet"]
