"""A tiny synthetic movie KG with templated 1- and 2-hop questions, for tests and demos of KGQA code.

Everything is derived from a seed, so a test that trains on it is reproducible. The KG has the shape of MetaQA
(films with directors, actors, genres and years); the questions use MetaQA's format, topic entity in brackets.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass

from graphrag.gnnrag.kgqa_files import KGQAExample

# (template, path): a path is a list of (predicate, forward?) steps from the topic entity to the answers.
_DIR, _ACT, _GEN, _YEAR = "directed_by", "starred_actors", "has_genre", "release_year"
TEMPLATES: dict[int, list[tuple[str, str, list[tuple[str, bool]]]]] = {
    1: [
        ("movie", "who directed [{}]", [(_DIR, True)]),
        ("movie", "which actors starred in [{}]", [(_ACT, True)]),
        ("movie", "what genre is [{}]", [(_GEN, True)]),
        ("person", "what films did [{}] direct", [(_DIR, False)]),
    ],
    2: [
        ("person", "who directed the films starring [{}]", [(_ACT, False), (_DIR, True)]),
        ("person", "which actors starred in the films directed by [{}]", [(_DIR, False), (_ACT, True)]),
        ("person", "what genres are the films directed by [{}]", [(_DIR, False), (_GEN, True)]),
        ("person", "when were the films starring [{}] released", [(_ACT, False), (_YEAR, True)]),
    ],
}


@dataclass(frozen=True)
class ToyKGQA:
    """The toy KG's triples ``(head, predicate, tail)`` and its questions per hop count."""

    triples: tuple[tuple[str, str, str], ...]
    questions: dict[int, tuple[KGQAExample, ...]]

    def kb_text(self) -> str:
        """The triples in MetaQA's ``head|relation|tail`` format."""
        return "".join(f"{h}|{r}|{t}\n" for h, r, t in self.triples)

    def questions_text(self, hops: int) -> str:
        """The ``hops``-hop questions in MetaQA's ``question<TAB>answer|answer`` format."""
        return "".join(f"{q.question}\t{'|'.join(q.answers)}\n" for q in self.questions[hops])


def make_toy_kgqa(*, n_movies: int = 60, n_people: int = 40, seed: int = 0) -> ToyKGQA:
    """Build the toy KG and every answerable question of each template about each fitting entity."""
    rng = random.Random(seed)
    movies = [f"Film {i}" for i in range(n_movies)]
    people = [f"Person {i}" for i in range(n_people)]
    genres = ["Drama", "Comedy", "Horror", "Western", "Musical"]
    years = [str(y) for y in range(1990, 1996)]
    triples: list[tuple[str, str, str]] = []
    for m in movies:
        director = rng.choice(people)
        actors = rng.sample([p for p in people if p != director], rng.randint(2, 3))
        triples.append((m, _DIR, director))
        triples += [(m, _ACT, a) for a in actors]
        triples.append((m, _GEN, rng.choice(genres)))
        triples.append((m, _YEAR, rng.choice(years)))
    fwd: dict[tuple[str, str], set[str]] = defaultdict(set)
    rev: dict[tuple[str, str], set[str]] = defaultdict(set)
    for h, r, t in triples:
        fwd[(h, r)].add(t)
        rev[(t, r)].add(h)
    questions: dict[int, tuple[KGQAExample, ...]] = {}
    for hops, templates in TEMPLATES.items():
        found: list[KGQAExample] = []
        for kind, template, path in templates:
            for topic in movies if kind == "movie" else people:
                current = {topic}
                for pred, forward in path:
                    current = set().union(*[(fwd if forward else rev)[(e, pred)] for e in current])
                    current.discard(topic)  # like MetaQA, answers never include the topic entity
                if current:
                    found.append(KGQAExample(template.format(topic), (topic,), tuple(sorted(current)), hops))
        rng.shuffle(found)
        questions[hops] = tuple(found)
    return ToyKGQA(tuple(triples), questions)


__all__ = ["TEMPLATES", "ToyKGQA", "make_toy_kgqa"]
