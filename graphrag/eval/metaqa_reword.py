"""MetaQA questions re-worded beyond MetaQA's templates: does a KGQA model know the relations, or the templates?

Each MetaQA question has a type naming its relation chain (``actor_to_movie_to_director``: the directors of the
films an actor was in). This module writes a new question for the same topic and answers from phrase tables that
MetaQA's templates never use ("name the filmmakers behind the pictures [X] appeared in"), composed hop by hop:
a noun phrase for each intermediate set, then a question form for the last relation. Two tables (``a`` and
``b``) with different words let one be used to choose settings and the other to report.

Use::

    python -m graphrag.eval.metaqa_reword --questions qa_test.txt --qtypes qa_test_qtype.txt --table b \\
        --out reworded_test.txt [--limit 1000] [--seed 0]

The output is MetaQA's format (topic in ``[brackets]``, answers as given), so ``graphrag eval kgqa`` reads it.
"""

from __future__ import annotations

import argparse
import random
import re
from collections.abc import Sequence
from pathlib import Path

from graphrag.errors import InputError

# (from type, to type) of each hop a question type names, with the relation read as it goes.
_HOP = re.compile(r"(movie|actor|director|writer|tag|tags|year|genre|language|imdbrating|imdbvotes)")

#: Noun phrases for "the <to>s of {x}" where {x} is a set of <from>s, per table; several forms, picked by seed.
NOUN_PHRASES: dict[str, dict[tuple[str, str], tuple[str, ...]]] = {
    "a": {
        ("actor", "movie"): ("the pictures {x} appeared in", "the features that had {x} in the cast"),
        ("director", "movie"): ("the pictures made by {x}", "the features {x} was behind the camera for"),
        ("writer", "movie"): ("the pictures penned by {x}", "the features whose script came from {x}"),
        ("tag", "movie"): ("the pictures labelled {x}", "the features people tag as {x}"),
        ("movie", "actor"): ("the cast of {x}", "the performers seen in {x}"),
        ("movie", "director"): ("the filmmakers behind {x}", "the people who helmed {x}"),
        ("movie", "writer"): ("the scriptwriters of {x}", "the people who penned {x}"),
    },
    "b": {
        ("actor", "movie"): ("the titles featuring {x}", "the productions {x} performed in"),
        ("director", "movie"): ("the titles helmed by {x}", "the productions {x} directed"),
        ("writer", "movie"): ("the titles scripted by {x}", "the productions written up by {x}"),
        ("tag", "movie"): ("the titles described as {x}", "the productions known for {x}"),
        ("movie", "actor"): ("the performers of {x}", "everyone who played a part in {x}"),
        ("movie", "director"): ("the people who directed {x}", "whoever was in the director's chair for {x}"),
        ("movie", "writer"): ("the authors of the screenplay of {x}", "whoever scripted {x}"),
    },
}

#: Question forms for the last hop ``(from, to)`` about a set ``{x}``, per table.
QUESTIONS: dict[str, dict[tuple[str, str], tuple[str, ...]]] = {
    "a": {
        ("movie", "year"): ("in what years did {x} come out", "tell me when {x} hit the screens"),
        ("movie", "genre"): ("what categories do {x} fall into", "which kinds of cinema are {x}"),
        ("movie", "language"): ("in what languages were {x} made", "which tongues are spoken in {x}"),
        ("movie", "tags"): ("what keywords fit {x}", "give the labels attached to {x}"),
        ("movie", "imdbrating"): ("how well did {x} score with IMDb users", "what mark do viewers give {x}"),
        ("movie", "imdbvotes"): ("how popular is {x} with IMDb voters", "how many people rated {x}"),
        ("movie", "actor"): ("name the cast of {x}", "list the performers seen in {x}"),
        ("movie", "director"): ("name the filmmakers behind {x}", "list the people who helmed {x}"),
        ("movie", "writer"): ("name the scriptwriters of {x}", "list the people who penned {x}"),
        ("actor", "movie"): ("list the pictures {x} appeared in", "name the features that had {x} in the cast"),
        ("director", "movie"): ("list the pictures made by {x}", "name the features {x} was behind the camera for"),
        ("writer", "movie"): ("list the pictures penned by {x}", "name the features whose script came from {x}"),
        ("tag", "movie"): ("list the pictures labelled {x}", "name the features people tag as {x}"),
    },
    "b": {
        ("movie", "year"): ("when were {x} first shown", "what was the premiere year of {x}"),
        ("movie", "genre"): ("how would you classify {x} by type", "what sort of productions are {x}"),
        ("movie", "language"): ("what language is used in {x}", "in which languages can you watch {x}"),
        ("movie", "tags"): ("which terms describe {x}", "what topics are {x} associated with"),
        ("movie", "imdbrating"): ("what is the audience score of {x}", "how was {x} rated by viewers"),
        ("movie", "imdbvotes"): ("how widely voted on is {x}", "what is the vote count band of {x}"),
        ("movie", "actor"): ("who played a part in {x}", "give me the performers of {x}"),
        ("movie", "director"): ("who was in the director's chair for {x}", "give me the people who directed {x}"),
        ("movie", "writer"): ("who scripted {x}", "give me the authors of the screenplay of {x}"),
        ("actor", "movie"): ("which titles feature {x}", "give me the productions {x} performed in"),
        ("director", "movie"): ("which titles were helmed by {x}", "give me the productions {x} directed"),
        ("writer", "movie"): ("which titles were scripted by {x}", "give me the productions written up by {x}"),
        ("tag", "movie"): ("which titles are described as {x}", "give me the productions known for {x}"),
    },
}

TABLES = tuple(QUESTIONS)


def hops_of(qtype: str) -> list[tuple[str, str]]:
    """``movie_to_actor_to_movie`` -> ``[("movie", "actor"), ("actor", "movie")]``."""
    kinds = qtype.split("_to_")
    if len(kinds) < 2 or any(not _HOP.fullmatch(k) for k in kinds):
        raise ValueError(f"not a MetaQA question type: {qtype!r}")
    return list(zip(kinds, kinds[1:], strict=False))


def reword(qtype: str, topic: str, *, table: str, rng: random.Random) -> str:
    """A new question of type ``qtype`` about ``topic`` (kept in brackets), worded from ``table``."""
    hops = hops_of(qtype)
    x = f"[{topic}]"
    for hop in hops[:-1]:
        x = rng.choice(NOUN_PHRASES[table][hop]).format(x=x)
    return rng.choice(QUESTIONS[table][hops[-1]]).format(x=x)


def reword_file(
    questions: str | Path,
    qtypes: str | Path,
    *,
    table: str,
    seed: int = 0,
    limit: int | None = None,
) -> list[str]:
    """Re-worded lines (``question<TAB>answers``) for a MetaQA question file and its question-type file; with
    ``limit``, a seeded sample of that many questions (in file order)."""
    if table not in TABLES:
        raise InputError(f"unknown phrase table {table!r}; choose one of {', '.join(TABLES)}")
    q_lines = Path(questions).read_text(encoding="utf-8").splitlines()
    t_lines = Path(qtypes).read_text(encoding="utf-8").splitlines()
    if len(q_lines) != len(t_lines):
        raise InputError(
            f"{len(q_lines)} questions but {len(t_lines)} question types; the files must align line by line",
            path=str(qtypes),
        )
    rng = random.Random(seed)
    rows = list(range(len(q_lines)))
    if limit is not None and limit < len(rows):
        rows = sorted(rng.sample(rows, limit))
    out = []
    for i in rows:
        question, _, answers = q_lines[i].partition("\t")
        topic = re.search(r"\[([^\[\]]+)\]", question)
        if topic is None or not answers:
            raise InputError("expected `question with [topic]<TAB>answers`", path=str(questions), line=i + 1)
        try:
            text = reword(t_lines[i].strip(), topic.group(1), table=table, rng=rng)
        except (ValueError, KeyError) as exc:
            raise InputError(f"cannot re-word question type {t_lines[i].strip()!r}: {exc}", path=str(qtypes),
                             line=i + 1) from None  # fmt: skip
        out.append(f"{text}\t{answers}")
    return out


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: write a re-worded copy of a MetaQA question file."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--questions", required=True)
    ap.add_argument("--qtypes", required=True)
    ap.add_argument("--table", choices=TABLES, required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--limit", type=int)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    lines = reword_file(args.questions, args.qtypes, table=args.table, seed=args.seed, limit=args.limit)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")
    print(f"wrote {len(lines)} questions to {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())


__all__ = ["NOUN_PHRASES", "QUESTIONS", "TABLES", "hops_of", "main", "reword", "reword_file"]
