"""How many gold facts the extracted graph holds: recall of a question file's evidence triples.

2WikiMultiHopQA questions carry their evidence as ``(subject, relation, object)`` triples (2,507 over the 1,000
questions). A triple counts as **recovered** when the store has a RELATION edge, in either direction, between an
entity naming the subject and one naming the object, extracted from the subject's own passage (the passage
titled with the subject, or the one titled "subject (...)", as the gold passages are found). Names match by
:func:`~graphrag.extract.entity_names.entity_key` (or an alias), dates and numbers by value
(:mod:`graphrag.extract.literals`: "June 8, 1969" is "8 June 1969"), and a place given as "Burbank, California"
also by its first part. Two looser counts show where the rest is lost: the pair linked by an edge from any
passage, and both names merely mentioned in the subject's passage. With an untitled corpus, ``title_map``
(original title -> stored title, written by :mod:`graphrag.eval.untitled`) finds the subject's passage.

**Strict recall** (with a schema mapper: :mod:`graphrag.extract.schema_mapping`) also asks the edge's predicate
to map onto the gold relation, in the gold direction: "Alien -directed by-> Ridley Scott" recovers
``(Alien, director, Ridley Scott)`` when the schema's ``director`` relation takes "directed by". A store
ingested with ``--schema`` already holds relation names, which map onto themselves.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graphrag.errors import InputError
from graphrag.extract.entity_names import entity_key
from graphrag.extract.literals import literal_key
from graphrag.extract.schema_mapping import SchemaMapper, normalise_predicate

#: Store queries (read-only, no parameters from outside): documents, entities, mentions and relations.
_DOCUMENTS = "MATCH (d:Document) RETURN d.id AS id, d.title AS title"
_ENTITIES = "MATCH (e:Entity) RETURN e.id AS id, e.name AS name, e.aliases AS aliases"
_MENTIONS = "MATCH (c:Chunk)-[m:MENTIONS]->(e:Entity) RETURN c.doc_id AS doc, e.id AS entity"
_RELATIONS = (
    "MATCH (a:Entity)-[r:RELATION]->(b:Entity) "
    "RETURN a.id AS a, b.id AS b, r.doc_id AS doc, r.predicate AS p, a.type AS ta, b.type AS tb"
)


@dataclass(frozen=True)
class EvidenceFact:
    """One gold triple of one question."""

    question_id: str
    question_type: str
    subject: str
    relation: str
    object: str


def load_evidence(path: str | Path) -> list[EvidenceFact]:
    """The evidence triples of a 2WikiMultiHopQA question file (a JSON list with ``id``, ``question_type`` and
    ``evidence``)."""
    p = Path(path)
    try:
        items = json.loads(p.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"cannot read the questions: {exc}", path=str(p)) from None
    if not isinstance(items, list):
        raise InputError("expected a JSON list of questions", path=str(p))
    facts = []
    for no, q in enumerate(items, 1):
        evidence = q.get("evidence") if isinstance(q, dict) else None
        if not isinstance(evidence, list):
            raise InputError(f"question {no} has no `evidence` list of [subject, relation, object]", path=str(p))
        for triple in evidence:
            if not (isinstance(triple, list) and len(triple) == 3 and all(isinstance(t, str) for t in triple)):
                raise InputError(f"question {no}: evidence {triple!r} is not [subject, relation, object]", path=str(p))
            facts.append(EvidenceFact(str(q.get("id", no)), str(q.get("question_type", "")), *triple))
    return facts


def name_keys(text: str) -> set[str]:
    """The keys a gold name may match: its literal value or its name key, and for "Place, Region" the place."""
    keys = {literal_key(text) or entity_key(text)}
    if "," in text and literal_key(text) is None:
        keys.add(entity_key(text.split(",", 1)[0]))
    return {k for k in keys if k}


def stored_keys(name: str, aliases: Iterable[str] = ()) -> set[str]:
    """The keys a stored entity answers to."""
    return {k for t in (name, *aliases) for k in (literal_key(t) or entity_key(t),) if k}


@dataclass
class KGRecallReport:
    """Counts per fact: ``recovered`` (an edge from the subject's passage), ``edge_anywhere``, ``co_mentioned``
    (both named in the subject's passage), ``no_passage`` (the subject has no passage in the store)."""

    facts: int = 0
    recovered: int = 0
    strict: int | None = None  # with a schema: recovered with the predicate mapped onto the gold relation
    edge_anywhere: int = 0
    co_mentioned: int = 0
    no_passage: int = 0
    by_relation: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    by_type: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    predicates: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    examples: list[dict[str, Any]] = field(default_factory=list)
    #: per question, in file order: [facts, recovered, strict] (for reports split into tuned and held-out parts)
    per_question: dict[str, list[int]] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready, with percentages."""

        def pct(n: int, d: int) -> float:
            return round(100 * n / d, 2) if d else 0.0

        def rows(groups: Mapping[str, Counter[str]]) -> dict[str, dict[str, float]]:
            return {
                k: {"facts": c["facts"], "recall": pct(c["recovered"], c["facts"]),
                    "strict": pct(c["strict"], c["facts"]),
                    "edge_anywhere": pct(c["edge_anywhere"], c["facts"]),
                    "co_mentioned": pct(c["co_mentioned"], c["facts"])}
                for k, c in sorted(groups.items(), key=lambda kv: -kv[1]["facts"])
            }  # fmt: skip

        return {
            "facts": self.facts,
            "entity_pair_recall": pct(self.recovered, self.facts),
            "strict_recall": None if self.strict is None else pct(self.strict, self.facts),
            "edge_anywhere": pct(self.edge_anywhere, self.facts),
            "co_mentioned": pct(self.co_mentioned, self.facts),
            "no_passage": self.no_passage,
            "by_relation": rows(self.by_relation),
            "by_question_type": rows(self.by_type),
            "predicates_by_relation": {r: dict(c.most_common(8)) for r, c in sorted(self.predicates.items())},
            "missed_examples": self.examples,
            "per_question": [
                {"question": q, "facts": n, "recovered": r, "strict": st} for q, (n, r, st) in self.per_question.items()
            ],
        }


def subject_passages(
    titles: Mapping[str, str], subject: str, *, by_base: Mapping[str, list[str]] | None = None
) -> list[str]:
    """Document ids of the subject's passage: titled ``subject``, else the one titled ``subject (...)``
    (``by_base``: :func:`titles_by_base` of ``titles``, to look that up fast)."""
    if subject in titles:
        return [titles[subject]]
    found = (by_base or titles_by_base(titles)).get(subject, [])
    return found if len(found) == 1 else []


def titles_by_base(titles: Mapping[str, str]) -> dict[str, list[str]]:
    """``"X" -> [document ids of passages titled "X (...)"]``."""
    out: dict[str, list[str]] = defaultdict(list)
    for t, d in titles.items():
        cut = t.rfind(" (")
        if cut > 0 and t.endswith(")"):
            out[t[:cut]].append(d)
    return out


def kg_recall(
    store: Any,
    facts: Sequence[EvidenceFact],
    *,
    title_map: Mapping[str, str] | None = None,
    max_examples: int = 40,
    mapper: SchemaMapper | None = None,
) -> KGRecallReport:
    """Score ``facts`` against the graph in ``store`` (see the module docstring); with ``mapper``, strict
    recall as well."""
    docs = store.execute(_DOCUMENTS).to_pylist()
    by_title = {str(d["title"]): str(d["id"]) for d in docs}
    if title_map is not None:
        by_title = {orig: by_title[stored] for orig, stored in title_map.items() if stored in by_title}
    by_base = titles_by_base(by_title)
    keys_of: dict[str, set[str]] = {}
    entities_by_key: dict[str, set[str]] = defaultdict(set)
    for e in store.execute(_ENTITIES).to_pylist():
        ks = stored_keys(e["name"], e["aliases"] or ())
        keys_of[e["id"]] = ks
        for k in ks:
            entities_by_key[k].add(e["id"])
    mentioned: dict[str, set[str]] = defaultdict(set)
    for m in store.execute(_MENTIONS).to_pylist():
        mentioned[m["doc"]].add(m["entity"])
    edges_in_doc: dict[str, set[tuple[str, str]]] = defaultdict(set)
    predicate_of: dict[tuple[str, str, str], str] = {}
    relations_of: dict[tuple[str, str, str], set[str]] = defaultdict(set)  # (doc, from, to) -> mapped relations
    anywhere: set[tuple[str, str]] = set()
    rows = store.execute(_RELATIONS).to_pylist()
    if mapper is not None:
        mapper.prefetch(sorted({str(r["p"]) for r in rows}))
    for r in rows:
        pair = (r["a"], r["b"]) if r["a"] <= r["b"] else (r["b"], r["a"])
        edges_in_doc[r["doc"]].add(pair)
        predicate_of.setdefault((r["doc"], *pair), r["p"])
        anywhere.add(pair)
        if mapper is not None:
            m = mapper.map(str(r["p"]), r["ta"] or "", r["tb"] or "")
            if m is not None:
                a, b = (r["b"], r["a"]) if m.inverted else (r["a"], r["b"])
                relations_of[(r["doc"], a, b)].add(normalise_predicate(m.relation))
    report = KGRecallReport(strict=0 if mapper is not None else None)
    for fact in facts:
        report.facts += 1
        tallies = [report.by_relation[fact.relation], report.by_type[fact.question_type]]
        for t in tallies:
            t["facts"] += 1
        subjects = set().union(*(entities_by_key.get(k, set()) for k in name_keys(fact.subject)))
        objects = set().union(*(entities_by_key.get(k, set()) for k in name_keys(fact.object)))
        pairs = {(a, b) if a <= b else (b, a) for a in subjects for b in objects if a != b}
        passages = subject_passages(by_title, fact.subject, by_base=by_base)
        if not passages:
            report.no_passage += 1
        hit = next(((d, p) for d in passages for p in pairs if p in edges_in_doc.get(d, ())), None)
        gold = normalise_predicate(fact.relation)
        results = {
            "recovered": hit is not None,
            "strict": mapper is not None
            and any(
                gold in relations_of.get((d, a, b), ()) for d in passages for a in subjects for b in objects if a != b
            ),
            "edge_anywhere": bool(pairs & anywhere),
            "co_mentioned": any(subjects & mentioned[d] and objects & mentioned[d] for d in passages),
        }
        row = report.per_question.setdefault(fact.question_id, [0, 0, 0])
        row[0] += 1
        row[1] += bool(results["recovered"])
        row[2] += bool(results["strict"])
        for name, ok in results.items():
            if ok:
                setattr(report, name, (getattr(report, name) or 0) + 1)
                for t in tallies:
                    t[name] += 1
        if hit is not None:
            report.predicates[fact.relation][predicate_of[(hit[0], *hit[1])]] += 1
        elif len(report.examples) < max_examples:
            report.examples.append(
                {"question": fact.question_id, "triple": [fact.subject, fact.relation, fact.object],
                 "subject_entities": len(subjects), "object_entities": len(objects), "passage": bool(passages),
                 **{k: v for k, v in results.items() if k not in ("recovered", "strict")}}
            )  # fmt: skip
    return report


_SAMPLE = """
MATCH (a:Entity)-[r:RELATION]->(b:Entity), (c:Chunk {id: r.chunk_id})
RETURN a.name AS subject, r.predicate AS predicate, b.name AS object, c.text AS text,
       r.start_char AS s, r.end_char AS e, r.confidence AS confidence
"""


def triple_sample(store: Any, n: int = 100, *, seed: int = 0) -> list[dict[str, Any]]:
    """``n`` random triples extracted from text (seeded), each with the sentence it was read from, for a person
    to judge (precision)."""
    import random

    rows = store.execute(_SAMPLE).to_pylist()
    picked = random.Random(seed).sample(rows, min(n, len(rows)))
    return [
        {
            "subject": r["subject"],
            "predicate": r["predicate"],
            "object": r["object"],
            "confidence": round(float(r["confidence"] or 0.0), 3),
            "sentence": r["text"][r["s"] : r["e"]] if r["s"] is not None and r["s"] >= 0 else r["text"][:300],
        }
        for r in picked
    ]


def sample_markdown(sample: Sequence[Mapping[str, Any]]) -> str:
    """The sample as a Markdown table with an empty column for a person's verdict."""
    lines = [
        "# Extracted triples to judge",
        "",
        "Mark each row correct (the sentence states the triple), partly (right entities, wrong relation) or wrong.",
        "",
        "| # | subject | predicate | object | sentence | verdict |",
        "|---:|---|---|---|---|---|",
    ]
    for i, t in enumerate(sample, 1):
        cells = [t["subject"], t["predicate"], t["object"], " ".join(str(t["sentence"]).split())]
        cells = [c.replace("|", "\\|") for c in cells]
        lines.append(f"| {i} | " + " | ".join(cells) + " |  |")
    return "\n".join(lines) + "\n"


def markdown(data: Mapping[str, Any], *, title: str = "Knowledge-graph recall of the gold evidence") -> str:
    """The report as a Markdown summary and a per-relation table (with strict recall when it was measured)."""
    strict = data.get("strict_recall") is not None
    lines = [
        f"# {title}",
        "",
        f"{data['facts']:,} gold triples; entity-pair recall **{data['entity_pair_recall']:.1f} %** (an edge between "
        f"the two entities from the subject's passage); an edge from any passage {data['edge_anywhere']:.1f} %; "
        f"both mentioned in the subject's passage {data['co_mentioned']:.1f} %; {data['no_passage']:,} subjects "
        "without a passage in the store." + _strict_sentence(data.get("strict_recall")),
        "",
        "| relation | facts | recall % | strict % | edge anywhere % | co-mentioned % | top predicates |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    for rel, row in data["by_relation"].items():
        preds = ", ".join(f"{p} ({n})" for p, n in list(data["predicates_by_relation"].get(rel, {}).items())[:3])
        cell = f"{row['strict']:.1f}" if strict else "-"
        lines.append(
            f"| {rel} | {row['facts']} | {row['recall']:.1f} | {cell} | {row['edge_anywhere']:.1f} | "
            f"{row['co_mentioned']:.1f} | {preds} |"
        )
    lines += ["", "| question type | facts | recall % |", "|---|---:|---:|"]
    lines += [f"| {t} | {r['facts']} | {r['recall']:.1f} |" for t, r in data["by_question_type"].items()]
    return "\n".join(lines) + "\n"


def _strict_sentence(strict: float | None) -> str:
    return "" if strict is None else f" Strict recall (predicate mapped onto the gold relation) **{strict:.1f} %**."


def write_report(
    data: Mapping[str, Any], out: str | Path, *, sample: Sequence[Mapping[str, Any]] = ()
) -> tuple[Path, Path]:
    """``out`` (JSON) and its Markdown summary beside it; with a ``sample``, also ``<out>.sample.md`` to judge."""
    p = Path(out)
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(json.dumps({**data, "sample": list(sample)}, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    md = p.with_suffix(".md")
    md.write_text(markdown(data), encoding="utf-8")
    if sample:
        p.with_suffix(".sample.md").write_text(sample_markdown(sample), encoding="utf-8")
    return p, md


__all__ = [
    "EvidenceFact",
    "KGRecallReport",
    "kg_recall",
    "load_evidence",
    "markdown",
    "name_keys",
    "stored_keys",
    "sample_markdown",
    "subject_passages",
    "titles_by_base",
    "triple_sample",
    "write_report",
]
