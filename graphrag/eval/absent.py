"""Questions about entities that are not in the corpus, for measuring abstention: each question of a file has the
names it asks about (its gold passage titles, where the question spells them) replaced by invented names built
from random syllables (seeded), so the question keeps its shape but nothing in the store can answer it. The right
reply is "Not found in the documents"; any other answer is a false one.
"""

from __future__ import annotations

import random
import re
from collections.abc import Sequence

from graphrag.eval.qa import QAItem

_ONSETS = ("b", "d", "f", "g", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z", "br", "gr", "kl", "tr", "st")
_VOWELS = ("a", "e", "i", "o", "u", "ai", "ou")
_CODAS = ("", "n", "r", "s", "x", "th", "m")


def invented_name(rng: random.Random, words: int = 2) -> str:
    """A pronounceable name that no real corpus is likely to hold ("Grouxa Tramesh")."""
    out = []
    for _ in range(words):
        syllables = rng.randint(2, 3)
        w = "".join(rng.choice(_ONSETS) + rng.choice(_VOWELS) for _ in range(syllables)) + rng.choice(_CODAS)
        out.append(w.capitalize())
    return " ".join(out)


def absent_entity_questions(items: Sequence[QAItem], *, seed: int = 0) -> list[QAItem]:
    """Each item whose question spells one of its gold titles, with every such title replaced by an invented
    name; the gold answer becomes the abstention."""
    rng = random.Random(seed)
    out = []
    for item in items:
        question = item.question
        replaced = False
        for title in sorted(item.gold_titles, key=len, reverse=True):
            pattern = re.compile(re.escape(title), re.IGNORECASE)
            if pattern.search(question):
                question = pattern.sub(invented_name(rng, len(title.split()) or 1), question)
                replaced = True
        if replaced:
            out.append(QAItem(f"absent-{item.id}", question, ("Not found in the documents",), item.type, ()))
    return out


__all__ = ["absent_entity_questions", "invented_name"]
