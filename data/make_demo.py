"""Build the demo files in ``data/demo/`` from the benchmark copies in ``../shared/data`` (maintainers only).

Run from the repository root::

    .venv/bin/python data/make_demo.py [--shared ../shared/data]

It writes, deterministically (fixed seeds, sorted inputs):

- ``2wiki_passages.jsonl``: about 300 ``{"title", "text"}`` passages of the 2WikiMultiHopQA corpus: the gold
  passages of 40 questions, then corpus neighbours of those passages (the corpus lists each question's context
  passages together, so neighbours are mostly that question's distractors).
- ``2wiki_questions.json``: those 40 questions with answers, types, evidence triples and gold passage titles.
- ``metaqa_kb_slice.txt``: the MetaQA KB triples (``head|relation|tail``) of a closed set of movies: 30 seed
  movies plus every movie of the people (directors, writers, actors) of the seeds who have at most
  ``--max-person-movies`` movies. All triples of the KB have a movie as head, so the slice holds each chosen
  movie's complete facts.
- ``metaqa_questions.txt`` and ``metaqa_questions_qtype.txt``: 30 MetaQA dev questions (1-hop and 2-hop,
  vanilla format ``question<TAB>answer|answer``, and the line-aligned question type) whose answer set,
  computed over the slice, equals the official answer set: they can be answered from the slice alone.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
from collections import defaultdict
from pathlib import Path

from graphrag.eval.kgqa_ceiling import Adjacency, relation_chain

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "data" / "demo"

PERSON_RELATIONS = ("directed_by", "written_by", "starred_actors")


# -- 2WikiMultiHopQA --------------------------------------------------------------------------------
def make_2wiki(src: Path, *, n_passages: int, per_type: dict[str, int], seed: int) -> tuple[list, list]:
    """The demo passages and questions."""
    corpus = json.loads(gzip.decompress((src / "2wikimultihopqa_corpus.json.gz").read_bytes()))
    questions = json.loads((src / "questions.json").read_text())
    gold = json.loads((src / "gold_titles.json").read_text())
    index = {p["title"]: i for i, p in enumerate(corpus)}

    def answerable(q: dict) -> bool:
        titles = gold.get(q["id"])
        if not titles or not all(t in index for t in titles):
            return False
        if q["answer"].lower() in ("yes", "no"):
            return True
        text = " ".join(corpus[index[t]]["text"] for t in titles).lower()
        return q["answer"].lower() in text

    rng = random.Random(seed)
    chosen = []
    for qtype, n in per_type.items():
        pool = [q for q in questions if q["question_type"] == qtype and answerable(q)]
        pool.sort(key=lambda q: q["id"])
        chosen += rng.sample(pool, n)
    chosen.sort(key=lambda q: (q["question_type"], q["id"]))
    gold_idx = sorted({index[t] for q in chosen for t in gold[q["id"]]})
    picked = list(gold_idx)
    seen = set(picked)
    for dist in range(1, 20):
        for i in gold_idx:
            for j in (i - dist, i + dist):
                if len(picked) < n_passages and 0 <= j < len(corpus) and j not in seen:
                    seen.add(j)
                    picked.append(j)
    passages = [corpus[i] for i in sorted(picked)]
    demo_questions = [
        {
            "id": q["id"],
            "question": q["question"],
            "answer": q["answer"],
            "question_type": q["question_type"],
            "evidence": q["evidence"],
            "gold_titles": gold[q["id"]],
        }
        for q in chosen
    ]
    return passages, demo_questions


# -- MetaQA -----------------------------------------------------------------------------------------
def read_kb(src: Path) -> list[tuple[str, str, str]]:
    """The KB triples."""
    text = gzip.decompress((src / "kb.txt.gz").read_bytes()).decode("utf-8")
    return [tuple(line.split("|")) for line in text.splitlines() if line]  # type: ignore[misc]


def make_metaqa(src: Path, *, n_seeds: int, max_person_movies: int, n_questions: int, seed: int):
    """The KB slice and the questions answerable inside it."""
    kb = read_kb(src)
    movies_of: dict[str, set[str]] = defaultdict(set)
    facts_of: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    for h, r, t in kb:
        facts_of[h].append((h, r, t))
        if r in PERSON_RELATIONS:
            movies_of[t].add(h)
    rng = random.Random(seed)
    # Seeds: topic movies of 1-hop dev questions with a director, a writer and at least two actors.
    topics = set()
    for line in (src / "1-hop" / "vanilla" / "qa_dev.txt").read_text().splitlines():
        topics.add(line.split("\t")[0].split("[", 1)[1].split("]", 1)[0])

    def rich(m: str) -> bool:
        rels = [r for _, r, _ in facts_of.get(m, [])]
        return "directed_by" in rels and "written_by" in rels and rels.count("starred_actors") >= 2

    seeds = rng.sample(sorted(m for m in topics if m in facts_of and rich(m)), n_seeds)
    movies = set(seeds)
    for m in seeds:
        for _, r, t in facts_of[m]:
            if r in PERSON_RELATIONS and len(movies_of[t]) <= max_person_movies:
                movies |= movies_of[t]
    triples = [f for m in sorted(movies) for f in facts_of[m]]
    entities = {x for h, _, t in triples for x in (h, t)}

    graph = Adjacency(triples)
    candidates = []
    for hop in ("1-hop", "2-hop"):
        qa = (src / hop / "vanilla" / "qa_dev.txt").read_text().splitlines()
        qtypes = (src / hop / "qa_dev_qtype.txt").read_text().splitlines()
        for line, qtype in zip(qa, qtypes, strict=True):
            question, answers = line.split("\t")
            topic = question.split("[", 1)[1].split("]", 1)[0]
            if topic not in entities:
                continue
            gold = set(answers.split("|"))
            if graph.follow(topic, relation_chain(qtype)) == gold:
                candidates.append((hop, qtype, line))
    by_type: dict[tuple[str, str], list[str]] = defaultdict(list)
    for hop, qtype, line in candidates:
        by_type[(hop, qtype)].append(line)
    # Round-robin over question types (1-hop and 2-hop alike) so the demo shows many kinds.
    chosen: list[tuple[str, str]] = []
    keys = sorted(by_type)
    for k in keys:
        rng.shuffle(by_type[k])
    while len(chosen) < n_questions and any(by_type.values()):
        for k in keys:
            if by_type[k] and len(chosen) < n_questions:
                chosen.append((by_type[k].pop(), k[1]))
    chosen.sort(key=lambda x: (x[1].count("_to_"), x[1], x[0]))
    return triples, chosen


def main() -> None:
    """Write the demo files."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shared", type=Path, default=REPO.parent / "shared" / "data")
    ap.add_argument("--passages", type=int, default=300)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--movies", type=int, default=30)
    ap.add_argument("--max-person-movies", type=int, default=10)
    ap.add_argument("--metaqa-questions", type=int, default=30)
    args = ap.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)

    per_type = {"bridge_comparison": 10, "comparison": 10, "compositional": 12, "inference": 8}
    passages, questions = make_2wiki(
        args.shared / "2wikimultihopqa", n_passages=args.passages, per_type=per_type, seed=args.seed
    )
    with (OUT / "2wiki_passages.jsonl").open("w", encoding="utf-8") as fh:
        for p in passages:
            fh.write(json.dumps({"title": p["title"], "text": p["text"]}, ensure_ascii=False) + "\n")
    (OUT / "2wiki_questions.json").write_text(json.dumps(questions, ensure_ascii=False, indent=1) + "\n")

    triples, chosen = make_metaqa(
        args.shared / "metaqa",
        n_seeds=args.movies,
        max_person_movies=args.max_person_movies,
        n_questions=args.metaqa_questions,
        seed=args.seed,
    )
    kb_text = "".join(f"{h}|{r}|{t}\n" for h, r, t in triples)
    (OUT / "metaqa_kb_slice.txt").write_text(kb_text, encoding="utf-8")
    (OUT / "metaqa_questions.txt").write_text("".join(line + "\n" for line, _ in chosen), encoding="utf-8")
    (OUT / "metaqa_questions_qtype.txt").write_text("".join(q + "\n" for _, q in chosen), encoding="utf-8")
    n_ent = len({x for h, _, t in triples for x in (h, t)})
    print(f"2wiki: {len(passages)} passages, {len(questions)} questions")
    print(f"metaqa: {len(triples)} triples, {n_ent} entities, {len(chosen)} questions")


if __name__ == "__main__":
    main()
