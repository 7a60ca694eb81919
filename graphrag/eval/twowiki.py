"""The 2WikiMultiHopQA retrieval benchmark data: questions, gold passage titles, and Recall@k.

Files (see ``SOURCE.md`` of the data folder): ``questions.json`` is a JSON list of
``{"id", "question", "answer", "question_type", ...}``; ``gold_titles.json`` maps a question id to the titles
of its gold supporting passages. Only questions with gold titles are scored.

Recall@k (as in HippoRAG) = |gold titles among the top-k retrieved passages| / |gold titles|, averaged over
questions; passages are counted by title, so two chunks of one passage count once.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graphrag.errors import InputError


@dataclass(frozen=True, slots=True)
class TwoWikiQuestion:
    """One question with its gold passage titles."""

    id: str
    question: str
    answer: str
    type: str
    gold_titles: tuple[str, ...]


def _read_json(path: Path) -> Any:
    try:
        with path.open(encoding="utf-8") as fh:
            return json.load(fh)
    except FileNotFoundError:
        raise InputError("no such file", path=str(path)) from None
    except json.JSONDecodeError as exc:
        raise InputError(f"invalid JSON: {exc.msg}", path=str(path), line=exc.lineno) from None
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text: {exc.reason}", path=str(path)) from None


def load_gold(path: str | Path) -> dict[str, tuple[str, ...]]:
    """``question id -> gold titles`` from a ``gold_titles.json`` file."""
    p = Path(path)
    data = _read_json(p)
    if not isinstance(data, dict):
        raise InputError(
            f"expected a JSON object of question id -> [titles], got {type(data).__name__}", path=str(p)
        )
    out: dict[str, tuple[str, ...]] = {}
    for qid, titles in data.items():
        if not isinstance(titles, list) or not titles or not all(isinstance(t, str) for t in titles):
            raise InputError(
                f"question {qid!r}: gold titles must be a non-empty list of strings", path=str(p)
            )
        out[str(qid)] = tuple(dict.fromkeys(titles))
    return out


def load_questions(path: str | Path, gold: dict[str, tuple[str, ...]]) -> list[TwoWikiQuestion]:
    """The questions of ``path`` that have gold titles in ``gold``, in file order."""
    p = Path(path)
    data = _read_json(p)
    if not isinstance(data, list):
        raise InputError(f"expected a JSON list of questions, got {type(data).__name__}", path=str(p))
    out = []
    for i, item in enumerate(data):
        if (
            not isinstance(item, dict)
            or not isinstance(item.get("id"), str)
            or not isinstance(item.get("question"), str)
        ):
            raise InputError(f'item {i} needs string fields "id" and "question"', path=str(p))
        if item["id"] in gold:
            out.append(
                TwoWikiQuestion(
                    id=item["id"],
                    question=item["question"],
                    answer=str(item.get("answer", "")),
                    type=str(item.get("question_type", item.get("type", ""))),
                    gold_titles=gold[item["id"]],
                )
            )
    if not out:
        raise InputError("no question here has gold titles (is it the right gold file?)", path=str(p))
    return out


def ranked_titles(titles: Iterable[str]) -> list[str]:
    """Titles in rank order with repeats removed (several chunks of one passage count once)."""
    return list(dict.fromkeys(titles))


def recall_at_k(retrieved_titles: Sequence[str], gold_titles: Sequence[str], k: int) -> float:
    """|gold among the first ``k`` distinct retrieved titles| / |gold|."""
    gold = set(gold_titles)
    if not gold:
        raise ValueError("recall needs at least one gold title")
    top = set(ranked_titles(retrieved_titles)[:k])
    return len(top & gold) / len(gold)
