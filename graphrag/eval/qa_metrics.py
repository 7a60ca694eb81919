"""Answer metrics: SQuAD-normalised exact match and token F1, whether cited text holds the answer, citation
precision / recall against gold passages, abstention, and latency percentiles. Pure functions.

SQuAD normalisation: lowercase, punctuation removed, the articles a/an/the removed, whitespace collapsed; "yes" and
"no" answers are scored like any other. With several gold answers (MetaQA's "a|b"), a prediction scores its best
match.
"""

from __future__ import annotations

import re
import string
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence

_ARTICLES = re.compile(r"\b(a|an|the)\b")
_PUNCT = frozenset(string.punctuation) | {"\u2013", "\u2014", "\u2018", "\u2019", "\u201c", "\u201d"}

#: Phrases an answer abstains with ("Not found in the documents", the local model's "I don't know").
ABSTAIN_PHRASES = ("not found in the documents", "i don't know", "i do not know", "the model cited no source")


def normalize_answer(text: str) -> str:
    """SQuAD's answer normalisation (plus Unicode NFKC)."""
    s = unicodedata.normalize("NFKC", text).lower()
    s = "".join(ch for ch in s if ch not in _PUNCT)
    s = _ARTICLES.sub(" ", s)
    return " ".join(s.split())


def exact_match(prediction: str, golds: Sequence[str]) -> float:
    """1.0 when the normalised prediction equals a normalised gold answer."""
    p = normalize_answer(prediction)
    return float(any(p == normalize_answer(g) for g in golds))


def token_f1(prediction: str, golds: Sequence[str]) -> float:
    """The best token-overlap F1 of the prediction against the gold answers."""
    p = normalize_answer(prediction).split()
    best = 0.0
    for g in golds:
        gt = normalize_answer(g).split()
        common = Counter(p) & Counter(gt)
        same = sum(common.values())
        if not p or not gt:
            best = max(best, float(p == gt))
            continue
        if same:
            precision, recall = same / len(p), same / len(gt)
            best = max(best, 2 * precision * recall / (precision + recall))
    return best


def contains_answer(texts: Iterable[str], golds: Sequence[str]) -> bool:
    """Whether any text holds a gold answer (normalised, as whole words)."""
    normed = [f" {normalize_answer(t)} " for t in texts]
    wanted = [f" {normalize_answer(g)} " for g in golds if normalize_answer(g)]
    return any(w in t for t in normed for w in wanted)


def is_abstention(prediction: str) -> bool:
    """Whether an answer declines to answer (an empty one does too)."""
    p = prediction.strip().lower()
    return not p or any(phrase in p for phrase in ABSTAIN_PHRASES)


def citation_scores(cited: Sequence[str], gold: Sequence[str]) -> tuple[float, float]:
    """Precision and recall of the cited passage titles against the gold ones (0/0 when nothing is cited)."""
    c, g = set(cited), set(gold)
    hit = len(c & g)
    return (hit / len(c) if c else 0.0, hit / len(g) if g else 0.0)


def percentile(values: Sequence[float], q: float) -> float:
    """The ``q``-th percentile (0-100) by linear interpolation; 0.0 for no values."""
    if not values:
        return 0.0
    xs = sorted(values)
    pos = (len(xs) - 1) * q / 100
    lo = int(pos)
    hi = min(lo + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (pos - lo)


__all__ = [
    "ABSTAIN_PHRASES",
    "citation_scores",
    "contains_answer",
    "exact_match",
    "is_abstention",
    "normalize_answer",
    "percentile",
    "token_f1",
]
