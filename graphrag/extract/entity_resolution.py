"""Entity resolution within one document: which surface forms name the same entity.

Three passes over the document's mentions, each merging groups of surface forms (union-find, so merges chain):

1. **Normalisation** -- forms with equal :func:`~graphrag.extract.entity_names.entity_key` (case, whitespace,
   punctuation, possessive ``'s``, leading article) are one group.
2. **Aliases** (``ResolveConfig.alias_merge``) -- a shorter person/organisation/work name whose content words
   are a subset of exactly one longer name ("Holmes" -> "Sherlock Holmes"), and an acronym matching the
   initials of exactly one name ("IBM" -> "International Business Machines"). Ambiguous aliases stay separate;
   both forms must be names (content words capitalised), so "BBC" does not become "BBC headquarters"; and a
   one-word form (other than a person's) the document also writes in lower case is a common word, not a short
   name ("Film" in "head of TV and Film at Constantin Film", in a text about a film, is not Constantin Film).
3. **Embedding similarity** -- remaining names of compatible types (equal labels, or one unlabelled) that look
   alike (a shared content word or similar character trigrams), are both names or both lowercase phrases, and
   whose embeddings have cosine similarity of at least ``ResolveConfig.similarity_threshold`` are merged, most
   similar pairs first. Names differing only in a number ("Lothair I" / "Lothair II") never merge. Dates and
   numbers are never merged by similarity.

The canonical name of an entity is its longest full form; the other forms become aliases; the id is
:func:`graphrag.ids.entity_id` of the canonical name. Output is deterministic: it depends only on the
mentions.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from graphrag.config import ResolveConfig
from graphrag.embed.embedder import Embedder
from graphrag.extract.demonyms import country_names
from graphrag.extract.entity_names import (
    NAME_STOPWORDS,
    display_name,
    entity_key,
    initials,
    looks_like_acronym,
    name_tokens,
)
from graphrag.extract.records import ExtractedMention
from graphrag.ids import entity_id

# Labels whose short forms may be aliases of longer names ("Holmes" of "Sherlock Holmes"); "" is an
# unlabelled name.
ALIAS_LABELS = frozenset({"PERSON", "ORG", "FAC", "WORK_OF_ART", "EVENT", "PRODUCT", "LAW", ""})
# Labels never merged with a different form: two different dates or numbers are different values.
LITERAL_LABELS = frozenset({"DATE", "TIME", "CARDINAL", "ORDINAL", "QUANTITY", "MONEY", "PERCENT"})
_NUMBERISH = re.compile(r"^(?:\d+(?:\.\d+)?|[ivxlcdm]+)$")
_EMBED_CACHE_SIZE = 50_000


@dataclass(frozen=True)
class ResolvedEntity:
    """An entity of the graph: stable id, canonical name, type (NER label or ""), other names it goes by."""

    id: str
    name: str
    type: str
    aliases: tuple[str, ...]


@dataclass
class _Group:
    key: str
    forms: Counter[str] = field(default_factory=Counter)  # display form -> count
    labels: Counter[str] = field(default_factory=Counter)  # NER label -> count
    surfaces: set[str] = field(default_factory=set)

    @property
    def label(self) -> str:
        """Most frequent non-empty label (alphabetical on ties), else ""."""
        named = [(-n, lab) for lab, n in self.labels.items() if lab]
        return min(named)[1] if named else ""

    @property
    def display(self) -> str:
        """The most frequent display form; ties go to more capitals, then alphabetical order."""
        return min(self.forms, key=lambda f: (-self.forms[f], -sum(c.isupper() for c in f), f))


class _UnionFind:
    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)  # the smaller index is the root: deterministic


def _compatible(a: str, b: str) -> bool:
    return a == b or not a or not b


def _trigrams(key: str) -> set[str]:
    s = f"  {key} "
    return {s[i : i + 3] for i in range(len(s) - 2)}


def _is_name(display: str) -> bool:
    """Every content word capitalised (or a number): "Ciudad Ayala", "College of William and Mary" -- but not
    "Ciudad Ayala city" or "BBC headquarters", which are phrases about a name, not longer forms of it."""
    words = [w for w in display.split() if w.lower() not in NAME_STOPWORDS]
    return bool(words) and all(w[0].isupper() or w[0].isdigit() for w in words)


def _differ_by_number(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    diff = set(a) ^ set(b)
    return bool(diff) and all(_NUMBERISH.match(t) for t in diff)


class EntityResolver:
    """Resolves the mentions of one document to entities.

    Args:
        embedder: embeds names for the similarity pass; ``None`` skips that pass.
        config: alias merging on/off and the cosine threshold of the similarity pass.
    """

    def __init__(self, embedder: Embedder | None, config: ResolveConfig | None = None) -> None:
        self.embedder = embedder
        self.config = config or ResolveConfig()
        if not 0.0 < self.config.similarity_threshold <= 1.0:
            raise ValueError(f"similarity_threshold must be in (0, 1], got {self.config.similarity_threshold}")
        self._vectors: dict[str, np.ndarray] = {}

    def resolve(
        self, mentions: Sequence[ExtractedMention], common_words: frozenset[str] = frozenset()
    ) -> dict[str, ResolvedEntity]:
        """All surface forms of ONE document -> their entity (id: ``graphrag.ids.entity_id(canonical name)``).

        ``common_words`` are the words the document writes in lower case: a one-word form among them is never
        taken for a short name of a longer one. Surface forms that normalise to nothing (pure punctuation) are
        left out of the result.
        """
        groups = self._group(mentions)
        uf = _UnionFind(len(groups))
        if self.config.alias_merge:
            self._merge_aliases(groups, uf, common_words)
        if self.embedder is not None:
            self._merge_similar(groups, uf)
        clusters: dict[int, list[int]] = {}
        for i in range(len(groups)):
            clusters.setdefault(uf.find(i), []).append(i)
        out: dict[str, ResolvedEntity] = {}
        for members in clusters.values():
            entity = self._entity([groups[i] for i in members])
            for i in members:
                for surface in groups[i].surfaces:
                    out[surface] = entity
        return out

    # ---- passes
    # ------------------------------------------------------------------------------------------------
    @staticmethod
    def _group(mentions: Sequence[ExtractedMention]) -> list[_Group]:
        by_key: dict[str, _Group] = {}
        for m in mentions:
            key = entity_key(m.text)
            form = display_name(m.text)
            if not key or not form:
                continue
            g = by_key.setdefault(key, _Group(key))
            g.forms[form] += 1
            g.labels[m.label] += 1
            g.surfaces.add(m.text)
        return [by_key[k] for k in sorted(by_key)]

    @staticmethod
    def _merge_aliases(groups: list[_Group], uf: _UnionFind, common_words: frozenset[str] = frozenset()) -> None:
        toks = [name_tokens(g.display) for g in groups]
        names = [_is_name(g.display) for g in groups]
        # longest names first, so a short alias sees the clusters its candidates already formed
        order = sorted(range(len(groups)), key=lambda i: (-len(toks[i]), groups[i].key))
        for i in order:
            gi, ti = groups[i], set(toks[i])
            if gi.label in LITERAL_LABELS or not ti:
                continue
            candidates: list[int] = []
            # a person's surname may be a word too ("Neil Young" ... "young musicians"): only other names are checked
            common = gi.label != "PERSON" and len(toks[i]) == 1 and gi.display.casefold() in common_words
            if gi.label in ALIAS_LABELS and names[i] and not common:
                candidates = [
                    j
                    for j in range(len(groups))
                    if names[j]
                    and len(toks[j]) > len(toks[i])
                    and ti <= set(toks[j])
                    and groups[j].label in ALIAS_LABELS
                    and _compatible(gi.label, groups[j].label)
                    and not _differ_by_number(toks[i], toks[j])
                ]
            if not candidates and looks_like_acronym(gi.display):
                acronym = gi.display.replace(".", "").casefold()
                candidates = [
                    j
                    for j in range(len(groups))
                    if j != i
                    and names[j]
                    and len(toks[j]) >= 2
                    and groups[j].label not in LITERAL_LABELS
                    and initials(groups[j].display) == acronym
                ]
            roots = {uf.find(j) for j in candidates}
            if len(roots) == 1:
                uf.union(i, candidates[0])

    def _merge_similar(self, groups: list[_Group], uf: _UnionFind) -> None:
        roots = sorted({uf.find(i) for i in range(len(groups))})
        names = {r: groups[r].display for r in roots}
        labels = {r: self._cluster_label(groups, uf, r) for r in roots}
        tokens = {r: name_tokens(names[r]) for r in roots}
        is_name = {r: _is_name(names[r]) for r in roots}
        grams = {r: _trigrams(groups[r].key) for r in roots}
        pairs = []
        for a_pos, a in enumerate(roots):
            if labels[a] in LITERAL_LABELS:
                continue
            for b in roots[a_pos + 1 :]:
                if labels[b] in LITERAL_LABELS or not _compatible(labels[a], labels[b]):
                    continue
                if is_name[a] != is_name[b]:  # a name and a phrase about it are different nodes
                    continue
                if _differ_by_number(tokens[a], tokens[b]):
                    continue
                jaccard = len(grams[a] & grams[b]) / len(grams[a] | grams[b])
                if jaccard >= 0.4 or set(tokens[a]) & set(tokens[b]):
                    pairs.append((a, b))
        if not pairs:
            return
        vecs = self._embed(sorted({names[r] for p in pairs for r in p}))
        scored = sorted(
            ((float(vecs[names[a]] @ vecs[names[b]]), a, b) for a, b in pairs),
            key=lambda t: (-t[0], t[1], t[2]),
        )
        for sim, a, b in scored:
            if sim >= self.config.similarity_threshold:
                uf.union(a, b)

    def _embed(self, names: list[str]) -> dict[str, np.ndarray]:
        assert self.embedder is not None
        todo = [n for n in names if n not in self._vectors]
        if todo:
            if len(self._vectors) + len(todo) > _EMBED_CACHE_SIZE:
                self._vectors.clear()
            for name, vec in zip(todo, self.embedder.embed(todo), strict=True):
                self._vectors[name] = np.asarray(vec, dtype=np.float32)
        return {n: self._vectors[n] for n in names}

    # ---- output
    # ------------------------------------------------------------------------------------------------
    @staticmethod
    def _cluster_label(groups: list[_Group], uf: _UnionFind, root: int) -> str:
        counts: Counter[str] = Counter()
        for i, g in enumerate(groups):
            if uf.find(i) == root:
                counts.update(g.labels)
        named = [(-n, lab) for lab, n in counts.items() if lab]
        return min(named)[1] if named else ""

    @staticmethod
    def _entity(members: list[_Group]) -> ResolvedEntity:
        forms: Counter[str] = Counter()
        labels: Counter[str] = Counter()
        for g in members:
            forms.update(g.forms)
            labels.update(g.labels)
        # the longest full form (most words, then most characters), then the most frequent, then alphabetical
        name = min(forms, key=lambda f: (-len(f.split()), -len(f), -forms[f], -sum(c.isupper() for c in f), f))
        named = [(-n, lab) for lab, n in labels.items() if lab]
        label = min(named)[1] if named else ""
        canon_key = entity_key(name)
        other = set(forms) | (set(country_names(name)) if label == "NORP" else set())  # "Polish": Poland
        aliases = tuple(sorted({f for f in other if f != name and entity_key(f) != canon_key}))
        return ResolvedEntity(id=entity_id(name), name=name, type=label, aliases=aliases)


__all__ = ["ALIAS_LABELS", "LITERAL_LABELS", "EntityResolver", "ResolvedEntity"]
