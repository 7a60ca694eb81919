"""Entity linking: find the knowledge-graph entities and passage titles a question names.

Three ways to link, tried in order:

1. **names and aliases** -- every word n-gram of the question is looked up, accent- and case-folded, in a
   dictionary of entity names and aliases (also without a trailing ``(qualifier)``); the longest
   non-overlapping matches win;
2. **passage titles** -- the same dictionary holds document titles, so "the director of film Gaby: A True
   Story" links straight to the passage titled *Gaby: A True Story* even if no entity of that name was
   extracted;
3. **embeddings** -- capitalised spans that matched nothing are embedded and linked to the most similar entity
   name when the cosine similarity reaches ``min_similarity`` (catches spelling and casing variants).

A span is only linked when it holds a capitalised or numeric word that is not a stop word, so "the film" does
not link to an entity called *Film*.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from graphrag.retrieve.corpus import ChunkCorpus, fixed_list_to_matrix
from graphrag.retrieve.person_names import name_variants
from graphrag.retrieve.text import STOPWORDS, WORD, fold, name_keys, surface_key

if TYPE_CHECKING:
    from graphrag.retrieve.questions import QueryEncoder
    from graphrag.store import KuzuGraphStore

#: Questions whose dictionary links an :class:`EntityLinker` remembers.
RECENT_QUESTIONS = 16


@dataclass(frozen=True, eq=False)
class EntityIndex:
    """The graph's entities, row-aligned: ``ids[i]``, ``names[i]``, ``types[i]``, ``aliases[i]``,
    ``embeddings[i]``."""

    ids: tuple[str, ...]
    names: tuple[str, ...]
    types: tuple[str, ...]
    aliases: tuple[tuple[str, ...], ...]
    embeddings: np.ndarray
    row_of: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        n = len(self.ids)
        if (
            not (len(self.names) == len(self.types) == len(self.aliases) == n)
            or self.embeddings.shape[0] != n
        ):
            raise ValueError("EntityIndex columns must all have one entry per entity")
        if not self.row_of:
            object.__setattr__(self, "row_of", {eid: i for i, eid in enumerate(self.ids)})

    def __len__(self) -> int:
        return len(self.ids)

    def all_names(self, row: int) -> tuple[str, ...]:
        """An entity's name and aliases."""
        return (self.names[row], *self.aliases[row])

    @classmethod
    def from_records(
        cls,
        ids: Sequence[str],
        names: Sequence[str],
        types: Sequence[str] | None = None,
        aliases: Sequence[Sequence[str] | None] | None = None,
        embeddings: np.ndarray | None = None,
        *,
        dim: int = 384,
    ) -> EntityIndex:
        """Build from parallel sequences; missing types, aliases or embeddings default to empty."""
        n = len(ids)
        emb = (
            np.zeros((n, dim), dtype=np.float32) if embeddings is None else np.asarray(embeddings, np.float32)
        )
        return cls(
            ids=tuple(ids),
            names=tuple(x or "" for x in names),
            types=tuple(x or "" for x in (types or [""] * n)),
            aliases=tuple(tuple(a or ()) for a in (aliases or [()] * n)),
            embeddings=np.ascontiguousarray(emb),
        )

    @classmethod
    def from_store(cls, store: KuzuGraphStore) -> EntityIndex:
        """Load every entity (one query)."""
        t = store.retrieval_entities()
        return cls.from_records(
            t.column("id").to_pylist(),
            t.column("name").to_pylist(),
            t.column("type").to_pylist(),
            t.column("aliases").to_pylist(),
            fixed_list_to_matrix(t.column("embedding"), store.embedding_dim),
            dim=store.embedding_dim,
        )


def _unmatched_runs(words: list[str], salient: list[bool], taken: list[bool]) -> list[str]:
    """Maximal runs of untaken salient words (joined by "of", "the", "de"), as text."""
    runs: list[str] = []
    i = 0
    while i < len(words):
        if salient[i] and not taken[i]:
            j = i
            while j < len(words) and not taken[j] and (salient[j] or fold(words[j]) in ("of", "the", "de")):
                j += 1
            while j > i and not salient[j - 1]:
                j -= 1
            runs.append(" ".join(words[i:j]))
            i = j
        else:
            i += 1
    return runs


class TitleMatcher:
    """Finds the passage titles that a text names (``... directed by Charlie Day.`` -> the passage *Charlie
    Day*).

    A match is a run of words that starts with a capitalised or numeric word, ends with one that is not a stop
    word, and equals a title's key
    (also without its ``(qualifier)`` when that leaves two words or more, so the common word "Princess" does
    not match *Princess (2010 film)*). The longest match at each position wins. A prefix set stops the scan as
    soon as no title can continue, so a text costs a few lookups per capitalised word.

    Passages are also named by what they are *about* (the store's ``ABOUT`` edges: a topic found from the title
    or the first sentence, with its other names), so a corpus whose titles are file names or ids still links.

    Args:
        titles: the passage titles, row-aligned with the corpus.
        topics: more names per row (the names and aliases of the entities a passage is about).
        max_words: the longest title looked for.
    """

    def __init__(
        self, titles: Sequence[str], *, topics: Mapping[int, Sequence[str]] | None = None, max_words: int = 16
    ) -> None:
        self.max_words = max_words
        self._keys: dict[str, set[int]] = {}
        named = [(row, title) for row, title in enumerate(titles)]
        named += [(row, name) for row, names in (topics or {}).items() for name in names]
        for row, title in named:
            full = surface_key(title)
            for key in name_keys(title):
                if key == full or len(key.split()) >= 2:
                    self._keys.setdefault(key, set()).add(row)
        self._folded: dict[str, str] = {}  # word -> fold(word), memoised: texts repeat words
        self._prefixes: set[str] = set()
        for key in self._keys:
            words = key.split()
            for j in range(1, min(len(words), max_words) + 1):
                self._prefixes.add(" ".join(words[:j]))

    def find(self, text: str) -> set[int]:
        """Rows of the titles named in ``text``."""
        found: set[int] = set()
        for _, _, rows in self.find_spans(WORD.findall(text)):
            found |= rows
        return found

    def find_spans(self, words: Sequence[str]) -> list[tuple[int, int, set[int]]]:
        """``(start, end, title rows)`` for each title named in ``words`` (a text's ``\\w+`` words)."""
        cache = self._folded
        folded = []
        for w in words:
            f = cache.get(w)
            if f is None:
                f = cache[w] = fold(w)
            folded.append(f)
        spans: list[tuple[int, int, set[int]]] = []
        for i in range(len(words)):
            if not _capitalised(words[i]):  # a title may start with a capitalised stop word ("The ...")
                continue
            best: tuple[int, int, set[int]] | None = None
            key = ""
            for j in range(i, min(len(words), i + self.max_words)):
                key = folded[j] if j == i else f"{key} {folded[j]}"
                if key not in self._prefixes:
                    break
                if key in self._keys and _salient(words[j], folded[j]):
                    best = (i, j + 1, self._keys[key])
            if best:
                spans.append(best)
        return spans


def _capitalised(word: str) -> bool:
    if word[:1].isupper():
        return True
    return not word.isalpha() and any(ch.isdigit() for ch in word)


def _salient(word: str, folded: str) -> bool:
    """A word that can anchor a name: capitalised or numeric, and not a stop word."""
    return _capitalised(word) and folded not in STOPWORDS


@dataclass(frozen=True, slots=True)
class Link:
    """A question span linked to entities and/or passages.

    ``entity_rows`` index the :class:`EntityIndex`; ``chunk_rows`` index the :class:`ChunkCorpus` (passages
    whose document title the span names); ``method`` is ``name``, ``title`` or ``embedding``.
    """

    surface: str
    method: str
    score: float
    entity_rows: tuple[int, ...] = ()
    chunk_rows: tuple[int, ...] = ()


class EntityLinker:
    """Links questions to entities and passage titles (see the module docstring).

    Args:
        entities: the graph's entities.
        corpus: the chunks, whose document titles are linkable too.
        encoder: embeds unmatched spans for similarity linking; ``None`` turns that step off.
        max_ngram: longest span, in words, looked up in the dictionary.
        min_similarity: cosine similarity an embedding link needs.
    """

    def __init__(
        self,
        entities: EntityIndex,
        corpus: ChunkCorpus,
        *,
        encoder: QueryEncoder | None = None,
        max_ngram: int = 12,
        min_similarity: float = 0.85,
    ) -> None:
        self.entities = entities
        self.corpus = corpus
        self.encoder = encoder
        self.max_ngram = max_ngram
        self.min_similarity = min_similarity
        self._entity_keys: dict[str, set[int]] = {}
        for row, (name, aliases) in enumerate(zip(entities.names, entities.aliases, strict=True)):
            for text in (name, *aliases):
                for key in name_keys(text):
                    self._entity_keys.setdefault(key, set()).add(row)
        for row, key in self._person_variant_keys():
            self._entity_keys.setdefault(key, set()).add(row)
        self._title_keys: dict[str, set[int]] = {}
        for row, title in enumerate(corpus.titles):
            for key in name_keys(title):
                self._title_keys.setdefault(key, set()).add(row)
        # the last few questions' dictionary links: a retriever asks for them more than once per question, and a
        # server prepares one question while its worker answers another
        self._recent: OrderedDict[str, tuple[tuple[Link, ...], tuple[str, ...]]] = OrderedDict()
        present = np.linalg.norm(entities.embeddings, axis=1) > 0 if len(entities) else np.zeros(0, bool)
        self._embedded_rows = np.flatnonzero(present)
        self._embedded = entities.embeddings[self._embedded_rows] if len(self._embedded_rows) else None

    def _person_variant_keys(self) -> list[tuple[int, str]]:
        """Keys for the shorter forms of people's full names ("Frank Tuttle" for *Frank Wright Tuttle*) that
        name no entity exactly: an exact name always wins over a shortened one."""
        out = []
        for row, (name, aliases, kind) in enumerate(
            zip(self.entities.names, self.entities.aliases, self.entities.types, strict=True)
        ):
            if kind == "PERSON":
                for variant in (v for text in (name, *aliases) for v in name_variants(text)):
                    out += [(row, key) for key in name_keys(variant) if key not in self._entity_keys]
        return out

    # -- dictionary lookups shared with the graph builder
    # -----------------------------------------------------------
    def entity_rows_for(self, name: str) -> set[int]:
        """Entities whose name or alias has the same key as ``name``."""
        out: set[int] = set()
        for key in name_keys(name):
            out |= self._entity_keys.get(key, set())
        return out

    def title_rows_for(self, name: str) -> set[int]:
        """Chunks of documents whose title has the same key as ``name``."""
        out: set[int] = set()
        for key in name_keys(name):
            out |= self._title_keys.get(key, set())
        return out

    # -- linking
    # -----------------------------------------------------------------------------------------------
    def link(self, question: str) -> list[Link]:
        """The entities and titles ``question`` names: dictionary matches (longest spans first, in question
        order within a length), then embedding matches for the capitalised spans left over."""
        links, runs = self.exact_links(question)
        return links + self._embedding_links(runs)

    def pending_texts(self, question: str) -> list[str]:
        """The spans :meth:`link` will embed, so a caller can embed them with the question in one batch."""
        if self.encoder is None or self._embedded is None:
            return []
        return self.exact_links(question)[1]

    def exact_links(self, question: str) -> tuple[list[Link], list[str]]:
        """Dictionary links, and the runs of capitalised words that matched nothing (the last
        :data:`RECENT_QUESTIONS` questions' answers are remembered: a retriever asks for them more than once per
        question)."""
        known = self._recent.get(question)
        if known is not None:
            self._recent.move_to_end(question)
            return list(known[0]), list(known[1])
        links, runs = self._exact_links(question)
        self._recent[question] = (tuple(links), tuple(runs))
        if len(self._recent) > RECENT_QUESTIONS:
            self._recent.popitem(last=False)
        return links, runs

    def _exact_links(self, question: str) -> tuple[list[Link], list[str]]:
        matches = list(WORD.finditer(question))
        words = [m.group() for m in matches]
        folded = [fold(w) for w in words]
        salient = [_salient(w, f) for w, f in zip(words, folded, strict=True)]
        spans: list[tuple[int, int]] = []
        for i in range(len(words)):
            for j in range(min(len(words), i + self.max_ngram), i, -1):
                if any(salient[i:j]):
                    key = " ".join(folded[i:j])
                    if key in self._entity_keys or key in self._title_keys:
                        spans.append((i, j))
        taken = [False] * len(words)
        links: list[Link] = []
        for i, j in sorted(spans, key=lambda s: (-(s[1] - s[0]), s[0])):
            if any(taken[i:j]):
                continue
            taken[i:j] = [True] * (j - i)
            key = " ".join(folded[i:j])
            ents = tuple(sorted(self._entity_keys.get(key, ())))
            chunks = tuple(sorted(self._title_keys.get(key, ())))
            surface = question[matches[i].start() : matches[j - 1].end()]  # as written, punctuation included
            links.append(Link(surface, "title" if chunks else "name", 1.0, ents, chunks))
        return links, _unmatched_runs(words, salient, taken)

    def _embedding_links(self, runs: list[str]) -> list[Link]:
        """Link unmatched runs by embedding similarity to entity names."""
        if self.encoder is None or self._embedded is None or not runs:
            return []
        links = []
        for run, vec in zip(runs, self.encoder.encode_many(runs), strict=True):
            if not np.any(vec):
                continue
            sims = self._embedded @ vec
            best = int(np.argmax(sims))
            if sims[best] >= self.min_similarity:
                row = int(self._embedded_rows[best])
                chunks = tuple(sorted(self.title_rows_for(self.entities.names[row])))
                links.append(Link(run, "embedding", float(sims[best]), (row,), chunks))
        return links
