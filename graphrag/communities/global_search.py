"""Global search: questions about the whole corpus, answered by map-reduce over community reports.

**Map**: every community report at the chosen level offers its facets (the objects of each predicate its members
use, its members of each entity type, with counts). The question is matched to the facet labels by embedding
similarity ("which directors ..." -> ``directed by``; "what nationalities ..." -> the type of nationalities), and
each community contributes its counts for the best-matching facet. **Reduce**: counts are summed over communities,
the leading entities answer the question, and the communities that contributed most are cited. A question that
matches no facet well ("what are the main themes?") is answered with the largest communities' titles and
representative sentences. :func:`graphrag.generate.global_answer.llm_global_answer` does the same map-reduce with
an LLM writing each step.

:func:`is_global_question` routes ``--mode auto``: a question that names no entity of the store and asks about the
collection as a whole.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from graphrag.communities.summary import CommunityReport

Embed = Callable[[Sequence[str]], np.ndarray]

#: What each spaCy entity type holds, in words a question uses.
TYPE_WORDS = {
    "PERSON": "people, persons",
    "NORP": "nationalities, religious or political groups",
    "FAC": "buildings, airports, bridges",
    "ORG": "organisations, companies, agencies, institutions",
    "GPE": "countries, cities, states",
    "LOC": "locations, mountains, rivers, regions",
    "PRODUCT": "products, objects, vehicles",
    "EVENT": "events, battles, wars, sports events",
    "WORK_OF_ART": "titles of works: books, songs, films, paintings",
    "LAW": "laws and documents",
    "LANGUAGE": "languages",
    "DATE": "dates, years, periods",
    "TIME": "times of day",
    "MONEY": "amounts of money",
    "QUANTITY": "measurements",
}

_CORPUS_WORDS = re.compile(
    r"\b(collection|corpus|documents?|passages?|dataset|data set|texts?|here|these|overall|across|whole|all the)\b",
    re.I,
)
_AGGREGATE_WORDS = re.compile(
    r"\b(main|most|common|frequent|themes?|topics?|kinds?|types?|groups?|trends?|summar\w*|overview|"
    r"(?:which|what) \w+(?:s|ies))\b",
    re.I,
)


def is_global_question(question: str, *, linked_entities: int) -> bool:
    """Whether ``question`` asks about the corpus as a whole: it links no entity of the store and uses both
    a word for the collection ("in these documents", "here") or an aggregate ("main", "most", "themes")."""
    if linked_entities:
        return False
    return bool(_AGGREGATE_WORDS.search(question)) and bool(
        _CORPUS_WORDS.search(question) or re.search(r"\b(main|themes?|topics?)\b", question, re.I)
    )


@dataclass(frozen=True)
class RankedReport:
    """A community report and where it sits."""

    id: str
    level: int
    report: CommunityReport


@dataclass(frozen=True)
class GlobalAnswer:
    """A global search's answer: ``text`` with ``[c...]`` citations, the ``communities`` cited (id, title), the
    facet the question was matched to (empty for a themes answer) and the ranked ``entities``."""

    text: str
    communities: tuple[tuple[str, str], ...]
    facet: str = ""
    similarity: float = 0.0
    entities: tuple[tuple[str, int], ...] = ()
    passages: tuple[dict[str, str], ...] = field(default=())


NO_COMMUNITIES = "No communities have been built for this store: run `graphrag communities build`."


def reports_at(reports: Sequence[RankedReport], level: int) -> list[RankedReport]:
    """The reports at ``level`` (all of them when that level is empty)."""
    return [r for r in reports if r.level == level] or list(reports)


def _label(kind: str, label: str) -> str:
    if kind == "type":
        return TYPE_WORDS.get(label, label.lower())
    words = re.sub(r"[_\s]+", " ", label).strip()
    return words.removesuffix(" of") if kind == "subject" else words


_FUNCTION = frozenset({"is", "was", "has", "does", "this", "these", "those", "its", "his", "hers", "theirs", "as"})
_CLASS_NOUNS = frozenset({"kinds", "types", "sorts", "categories", "groups", "classes", "lots"})
_THEME_NOUNS = frozenset({"themes", "topics", "subjects", "ideas", "things", "issues", "trends"})


def _shares_stem(target: str, label: str, n: int = 5) -> bool:
    """Whether a word of ``label`` starts with the first ``n`` letters of ``target`` (both at least ``n`` long)."""
    t = target.lower()
    return len(t) >= n and any(len(w) >= n and w[:n] == t[:n] for w in re.findall(r"[a-z]+", label.lower()))


def question_target(question: str) -> str:
    """The plural noun a wh-question asks for ("which directors ..." -> ``directors``, "what kinds of
    organisations" -> ``organisations``); the whole question when there is none."""
    words = re.findall(r"[A-Za-z]+", question)
    for i, w in enumerate(words):
        if w.lower() not in ("which", "what"):
            continue
        after = words[i + 1 : i + 7]
        for j, x in enumerate(after):
            lx = x.lower()
            if len(lx) > 3 and lx.endswith("s") and lx not in _FUNCTION:
                if lx in _CLASS_NOUNS and j + 2 < len(after) and after[j + 1].lower() == "of":
                    return after[j + 2]
                return x
    return question


def _norm(v: np.ndarray) -> np.ndarray:
    return v / np.maximum(np.linalg.norm(v, axis=-1, keepdims=True), 1e-9)


def global_search(
    question: str,
    reports: Sequence[RankedReport],
    embed: Embed,
    *,
    level: int = 0,
    top: int = 6,
    min_similarity: float = 0.5,
    margin: float = 0.3,
    max_cited: int = 6,
) -> GlobalAnswer:
    """Answer ``question`` from the community ``reports`` at ``level`` (see the module docstring)."""
    at = reports_at(reports, level)
    if not at:
        return GlobalAnswer(NO_COMMUNITIES, ())
    target = question_target(question)
    totals: dict[tuple[str, str], int] = {}
    for r in at:
        for f in r.report.facets:
            totals[(f.kind, f.label)] = totals.get((f.kind, f.label), 0) + sum(k for _, k in f.entities)
    facets = sorted(totals)
    if facets and target.lower() not in _THEME_NOUNS:
        vecs = _norm(np.asarray(embed([question, target] + [_label(k, lab) for k, lab in facets]), np.float32))
        # the noun asked for weighs most ("genres" in "the main film genres"); a mild prior favours facets that
        # hold many facts (a question about the whole corpus asks about what is common in it)
        prior = np.array([0.04 * np.log10(1 + totals[f]) for f in facets])
        # and a label word sharing the noun's stem ("directors" ~ "directed by") tells roles apart that the
        # embedding alone confuses ("directed by" and "starred actors" are equally near "directors")
        stem = np.array([0.15 * _shares_stem(target, _label(k, lab)) for k, lab in facets])
        sims = 0.3 * (vecs[2:] @ vecs[0]) + 0.7 * (vecs[2:] @ vecs[1]) + prior + stem
        best = int(np.argmax(sims))
        if float(sims[best]) >= min_similarity:
            # facets close to the best answer the same noun from other sources ("director of" in text,
            # "directed_by" in an imported KG; the LANGUAGE type and "in_language"): their counts add up
            near = [facets[i] for i in np.argsort(-sims) if sims[i] >= max(min_similarity, sims[best] - margin)]
            return _facet_answer(at, near, float(sims[best]), top=top, max_cited=max_cited)
    return _themes_answer(at, top=top)


def _facet_answer(
    at: Sequence[RankedReport], facets: list[tuple[str, str]], sim: float, *, top: int, max_cited: int
) -> GlobalAnswer:
    chosen = set(facets)
    totals: Counter[str] = Counter()
    by_entity: dict[str, Counter[str]] = {}
    for r in at:
        for f in r.report.facets:
            if (f.kind, f.label) not in chosen:
                continue
            for name, k in f.entities:
                totals[name] += k
                by_entity.setdefault(name, Counter())[r.id] += k
    ranked = totals.most_common(top)
    title = {r.id: r.report.title for r in at}
    share: Counter[str] = Counter()
    for name, _ in ranked:
        share.update(by_entity[name])
    cited = [cid for cid, _ in share.most_common(max_cited)]
    what = "; ".join(_label(k, lab) for k, lab in facets)
    lines = [f"Across the {len(at)} communities of the graph, the leading entities for: {what}"]
    for name, k in ranked:
        refs = "".join(f"[{c}]" for c, _ in by_entity[name].most_common(2))
        lines.append(f"- {name} ({k}) {refs}")
    by_id = {r.id: r for r in at}
    passages = tuple(by_id[c].report.sentences[0] for c in cited if by_id[c].report.sentences)
    return GlobalAnswer(
        "\n".join(lines),
        tuple((c, title[c]) for c in cited),
        passages=passages,
        facet="; ".join(f"{k}:{lab}" for k, lab in facets),
        similarity=round(sim, 3),
        entities=tuple(ranked),
    )


def _themes_answer(at: Sequence[RankedReport], *, top: int) -> GlobalAnswer:
    biggest = sorted(at, key=lambda r: (-r.report.size, r.id))[:top]
    lines = [f"The largest of the {len(at)} communities of the graph, by the entities they hold:"]
    passages: list[dict[str, str]] = []
    for r in biggest:
        line = f"- {r.report.title} ({r.report.size} entities) [{r.id}]"
        if r.report.sentences:
            s = r.report.sentences[0]
            line += f": \u201c{s['text']}\u201d"
            passages.append(s)
        lines.append(line)
    return GlobalAnswer("\n".join(lines), tuple((r.id, r.report.title) for r in biggest), passages=tuple(passages))


__all__ = [
    "NO_COMMUNITIES",
    "GlobalAnswer",
    "RankedReport",
    "reports_at",
    "TYPE_WORDS",
    "global_search",
    "is_global_question",
    "question_target",
]
