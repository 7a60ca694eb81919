"""``graphrag eval qa``: how good the answers are, not just the passages: several answerers side by side on one
question file, each question through the whole ``ask`` path (retrieval, context, the answerer).

Per answerer: exact match and token F1 (:mod:`graphrag.eval.qa_metrics`), overall and per question type; the
share of answers whose cited passages contain the gold answer; citation precision / recall of the cited passage
titles against the gold ones (where the file has them); the abstention rate; latency p50 / p95 per question after
the first (which loads the models). The report is JSON, with a Markdown table and a bar chart of F1 by type beside
it. Question files: 2WikiMultiHopQA-style JSON lists (``id``, ``question``, ``answer``, ``question_type``; gold
passage titles from a ``gold_titles.json``), or MetaQA lines (``question [entity]\\tanswer|answer``).
"""

from __future__ import annotations

import json
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graphrag.errors import InputError
from graphrag.eval.qa_metrics import (
    citation_scores,
    contains_answer,
    exact_match,
    is_abstention,
    percentile,
    token_f1,
)


@dataclass(frozen=True)
class QAItem:
    """One question with its gold answers (several for MetaQA) and, where known, its gold passage titles."""

    id: str
    question: str
    answers: tuple[str, ...]
    type: str = ""
    gold_titles: tuple[str, ...] = ()


@dataclass(frozen=True)
class Reply:
    """What an answerer returned for one question: the text, the titles and texts of the passages it cited, the
    support score and its signals, and the answer withheld for lack of support (``""``: none was)."""

    text: str
    cited_titles: tuple[str, ...] = ()
    cited_texts: tuple[str, ...] = ()
    support: dict[str, float] | None = None
    withheld: str = ""


def load_qa_items(path: str | Path, gold_titles: dict[str, tuple[str, ...]] | None = None) -> list[QAItem]:
    """Questions with answers: a JSON list (2Wiki style) or MetaQA's ``question\\tanswers`` lines."""
    p = Path(path)
    if not p.is_file():
        raise InputError("no such question file", path=str(p))
    try:
        text = p.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text: {exc.reason}", path=str(p)) from None
    first = text.lstrip().split("\n", 1)[0]
    if p.suffix.lower() == ".json" or (first.startswith("[") and "\t" not in first):  # MetaQA lines may open with "["
        return _json_items(text, p, gold_titles or {})
    return _metaqa_items(text, p)


def _json_items(text: str, p: Path, gold: dict[str, tuple[str, ...]]) -> list[QAItem]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"invalid JSON: {exc.msg}", path=str(p), line=exc.lineno) from None
    out = []
    for i, item in enumerate(data, 1):
        if not isinstance(item, dict) or not isinstance(item.get("question"), str) or "answer" not in item:
            raise InputError(f'question {i} needs "question" and "answer"', path=str(p))
        answers = item["answer"] if isinstance(item["answer"], list) else [item["answer"]]
        qid = str(item.get("id", i))
        out.append(
            QAItem(
                id=qid,
                question=item["question"],
                answers=tuple(str(a) for a in answers),
                type=str(item.get("question_type", item.get("type", ""))),
                gold_titles=gold.get(qid, ()),
            )
        )
    if not out:
        raise InputError("the question file is empty", path=str(p))
    return out


def _metaqa_items(text: str, p: Path) -> list[QAItem]:
    out = []
    for no, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        question, sep, answers = line.partition("\t")
        if not sep or not answers.strip():
            raise InputError("expected `question<TAB>answer|answer`", path=str(p), line=no)
        # MetaQA marks the topic entity with brackets; a user's question has none
        out.append(QAItem(str(no), question.replace("[", "").replace("]", "").strip(), tuple(answers.split("|"))))
    if not out:
        raise InputError("the question file is empty", path=str(p))
    return out


@dataclass
class _Tally:
    n: int = 0
    em: float = 0.0
    f1: float = 0.0
    abstained: int = 0
    answer_cited: int = 0
    cited_any: int = 0
    with_gold: int = 0
    cite_p: float = 0.0
    cite_r: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        def pct(x: float, n: int) -> float:
            return round(100 * x / n, 2) if n else 0.0

        return {
            "questions": self.n,
            "exact_match": pct(self.em, self.n),
            "f1": pct(self.f1, self.n),
            "abstention_rate": pct(self.abstained, self.n),
            "cites_a_source": pct(self.cited_any, self.n),
            "cited_text_has_answer": pct(self.answer_cited, self.n),
            "citation_precision": pct(self.cite_p, self.with_gold),
            "citation_recall": pct(self.cite_r, self.with_gold),
        }


@dataclass
class AnswererReport:
    """One answerer's scores over the file, overall and per question type, and its latencies."""

    name: str
    overall: _Tally = field(default_factory=_Tally)
    by_type: dict[str, _Tally] = field(default_factory=lambda: defaultdict(_Tally))
    latencies_s: list[float] = field(default_factory=list)
    rows: list[dict[str, Any]] = field(default_factory=list)

    def add(self, item: QAItem, reply: Reply, seconds: float) -> None:
        """Score one reply."""
        em, f1 = exact_match(reply.text, item.answers), token_f1(reply.text, item.answers)
        abstained = is_abstention(reply.text)
        in_cited = contains_answer(reply.cited_texts, item.answers)
        p, r = citation_scores(reply.cited_titles, item.gold_titles) if item.gold_titles else (0.0, 0.0)
        for t in (self.overall, self.by_type[item.type or "all"]):
            t.n += 1
            t.em += em
            t.f1 += f1
            t.abstained += abstained
            t.answer_cited += in_cited
            t.cited_any += bool(reply.cited_titles)
            if item.gold_titles:
                t.with_gold += 1
                t.cite_p += p
                t.cite_r += r
        self.latencies_s.append(seconds)
        row = {"id": item.id, "type": item.type, "question": item.question, "gold": list(item.answers),
               "answer": reply.text, "em": em, "f1": round(f1, 4), "abstained": abstained,
               "cited": list(reply.cited_titles), "cited_text_has_answer": in_cited,
               "seconds": round(seconds, 3)}  # fmt: skip
        if reply.support is not None:
            row["support"] = reply.support
        if reply.withheld:  # what the answer would have scored, for fitting the support score
            row["withheld"] = reply.withheld
            row["withheld_f1"] = round(token_f1(reply.withheld, item.answers), 4)
        self.rows.append(row)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready: scores, per type, latency p50/p95 (the first question, which loads models, left out)."""
        timed = self.latencies_s[1:] or self.latencies_s
        return {
            "answerer": self.name,
            **self.overall.as_dict(),
            "latency_ms": {
                "p50": round(1000 * percentile(timed, 50), 1),
                "p95": round(1000 * percentile(timed, 95), 1),
                "first": round(1000 * self.latencies_s[0], 1) if self.latencies_s else 0.0,
            },
            "by_type": {k: v.as_dict() for k, v in sorted(self.by_type.items())},
            "per_question": self.rows,
        }


AskFn = Callable[[str, str], Reply]


def evaluate_qa(
    items: Sequence[QAItem],
    answerers: Sequence[str],
    ask: AskFn,
    *,
    workers: int = 1,
    on_progress: Callable[[str, int, int], None] | None = None,
) -> list[AnswererReport]:
    """Every item through ``ask(question, answerer)`` for each answerer, scored; ``workers`` questions at a time
    (for remote models; latencies are then per question as the caller saw them, waits included). Rows keep
    the file's order whatever the order of completion."""
    reports = []
    for name in answerers:
        rep = AnswererReport(name)

        def timed(item: QAItem, answerer: str = name) -> tuple[Reply, float]:
            t0 = time.perf_counter()
            reply = ask(item.question, answerer)
            return reply, time.perf_counter() - t0

        if workers <= 1:
            results = map(timed, items)
        else:
            pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="eval-qa")
            results = pool.map(timed, items)
        try:
            for k, (item, (reply, seconds)) in enumerate(zip(items, results, strict=True), 1):
                rep.add(item, reply, seconds)
                if on_progress is not None:
                    on_progress(name, k, len(items))
        finally:
            if workers > 1:
                pool.shutdown(wait=True, cancel_futures=True)
        reports.append(rep)
    return reports


def markdown(data: dict[str, Any]) -> str:
    """The report as Markdown: one row per answerer, then F1 per question type."""
    lines = [
        "# Answer quality (`graphrag eval qa`)",
        "",
        f"{data['questions']} questions from `{data['question_file']}`; store `{data['db']}`.",
        "",
        "| answerer | EM | F1 | cited text has answer % | citation P | citation R | abstained % | p50 ms | p95 ms |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for a in data["answerers"]:
        lines.append(
            f"| {a['answerer']} | {a['exact_match']:.1f} | {a['f1']:.1f} | {a['cited_text_has_answer']:.1f} | "
            f"{a['citation_precision']:.1f} | {a['citation_recall']:.1f} | {a['abstention_rate']:.1f} | "
            f"{a['latency_ms']['p50']:.0f} | {a['latency_ms']['p95']:.0f} |"
        )
    for a in data["answerers"]:
        if "absent_entities" in a:
            ab = a["absent_entities"]
            lines.append(
                f"\n{a['answerer']}: on {ab['questions']} questions about entities not in the corpus (names replaced "
                f"by invented ones) it abstained {ab['abstention_rate']:.1f} %; on the answerable ones above "
                f"{a['abstention_rate']:.1f} %."
            )
    types = sorted({t for a in data["answerers"] for t in a["by_type"]})
    if types:
        lines += ["", "F1 by question type:", "", "| answerer | " + " | ".join(types) + " |"]
        lines.append("|---|" + "---:|" * len(types))
        for a in data["answerers"]:
            cells = [f"{a['by_type'][t]['f1']:.1f}" if t in a["by_type"] else "-" for t in types]
            lines.append(f"| {a['answerer']} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def _plot(data: dict[str, Any], path: Path) -> Path:
    """F1 by question type, one bar group per type, one bar per answerer (PNG)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    types = sorted({t for a in data["answerers"] for t in a["by_type"]})
    fig = Figure(figsize=(7, 4))
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    width = 0.8 / max(1, len(data["answerers"]))
    for k, a in enumerate(data["answerers"]):
        xs = [i + k * width for i in range(len(types))]
        ax.bar(xs, [a["by_type"].get(t, {}).get("f1", 0.0) for t in types], width, label=a["answerer"])
    ax.set_xticks([i + 0.4 - width / 2 for i in range(len(types))], types, fontsize=8)
    ax.set_ylabel("answer F1")
    ax.set_ylim(0, 100)
    ax.set_title("Answer F1 by question type")
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    return path


def write_report(
    reports: Sequence[AnswererReport],
    out: str | Path,
    *,
    question_file: str,
    db: str,
    settings: dict[str, Any],
    absent: Sequence[AnswererReport] = (),
) -> dict[str, Any]:
    """``out`` (JSON), the Markdown table beside it and ``*_f1_by_type.png``; returns what was written.
    ``absent``: the same answerers on questions about entities not in the corpus (their abstention rate is
    reported beside each answerer's)."""
    p = Path(out)
    p.parent.mkdir(parents=True, exist_ok=True)
    answerers = [r.as_dict() for r in reports]
    for a, r in zip(answerers, absent, strict=False):
        a["absent_entities"] = {
            "questions": r.overall.n,
            "abstention_rate": r.overall.as_dict()["abstention_rate"],
            "per_question": r.rows,
        }
    data = {
        "question_file": question_file,
        "db": db,
        "questions": len(reports[0].rows) if reports else 0,
        "settings": settings,
        "answerers": answerers,
    }
    try:
        data["plots"] = [str(_plot(data, p.with_name(p.stem + "_f1_by_type.png")))]
    except ImportError:
        data["plots_skipped"] = "matplotlib is not installed (pip install matplotlib)"
    p.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    p.with_suffix(".md").write_text(markdown(data), encoding="utf-8")
    return data


__all__ = ["AnswererReport", "QAItem", "Reply", "evaluate_qa", "load_qa_items", "markdown", "write_report"]
