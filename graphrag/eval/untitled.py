"""An untitled copy of a retrieval corpus: every passage title replaced by an opaque id (``doc-00001``, ...), the
gold map rewritten to those ids.

2WikiMultiHopQA questions name their passages' titles word for word, so a retriever that links question spans to
titles looks better there than on most real corpora, whose files are not named after the entities they are about.
The untitled copy measures retrieval from the text alone; ``graphrag eval retrieval --hide-titles`` runs it beside
the titled corpus. Ids follow corpus order, so the copy is the same on every run. Run by hand::

    python -m graphrag.eval.untitled --corpus CORPUS.json.gz --gold gold_titles.json --out data/work/untitled
"""

from __future__ import annotations

import argparse
import gzip
import json
from dataclasses import dataclass
from pathlib import Path

from graphrag.errors import InputError

ID_PREFIX = "doc-"


@dataclass(frozen=True)
class UntitledCopy:
    """Where the copy was written: the corpus (``{title, text}`` records, titles replaced), the rewritten gold
    map (question id -> passage ids) and the title map (original title -> id)."""

    corpus: Path
    gold: Path
    titles: Path


def _read_json(path: Path) -> object:
    try:
        raw = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
        return json.loads(raw.decode("utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, gzip.BadGzipFile) as exc:
        raise InputError(f"cannot read it as JSON: {exc}", path=str(path)) from None


def untitled_copy(corpus: str | Path, gold: str | Path, out_dir: str | Path) -> UntitledCopy:
    """Write the untitled copy of ``corpus`` (a JSON list of ``{title, text}``, maybe gzipped) and of ``gold``
    (question id -> titles) into ``out_dir``; files already there with the same content are left alone."""
    corpus, gold, out = Path(corpus), Path(gold), Path(out_dir)
    records = _read_json(corpus)
    if not isinstance(records, list) or not all(isinstance(r, dict) and "title" in r for r in records):
        raise InputError("expected a JSON list of {title, text} records", path=str(corpus))
    width = max(5, len(str(len(records))))
    ids = {str(r["title"]): f"{ID_PREFIX}{i:0{width}d}" for i, r in enumerate(records, 1)}
    if len(ids) != len(records):
        raise InputError("titles must be unique to hide them (two records share one)", path=str(corpus))
    gold_map = _read_json(gold)
    if not isinstance(gold_map, dict):
        raise InputError("expected a JSON object: question id -> [titles]", path=str(gold))
    missing = sorted({t for titles in gold_map.values() for t in titles if t not in ids})
    if missing:
        raise InputError(f"{len(missing)} gold titles are not in the corpus, e.g. {missing[0]!r}", path=str(gold))
    out.mkdir(parents=True, exist_ok=True)
    copy = UntitledCopy(out / "corpus_untitled.json.gz", out / "gold_untitled.json", out / "titles.json")
    untitled = [{**r, "title": ids[str(r["title"])]} for r in records]
    _write_if_changed(copy.corpus, gzip.compress(json.dumps(untitled, ensure_ascii=False).encode(), mtime=0))
    _write_if_changed(copy.gold, json.dumps({q: [ids[t] for t in ts] for q, ts in gold_map.items()}).encode())
    _write_if_changed(copy.titles, json.dumps(ids, ensure_ascii=False).encode())
    return copy


def _write_if_changed(path: Path, data: bytes) -> None:
    if not path.exists() or path.read_bytes() != data:  # an unchanged file keeps its hash: re-ingest skips it
        path.write_bytes(data)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", required=True, type=Path)
    ap.add_argument("--gold", required=True, type=Path)
    ap.add_argument("--out", required=True, type=Path)
    args = ap.parse_args(argv)
    copy = untitled_copy(args.corpus, args.gold, args.out)
    print(f"wrote {copy.corpus}, {copy.gold} and {copy.titles}")


if __name__ == "__main__":
    main()


__all__ = ["ID_PREFIX", "UntitledCopy", "untitled_copy"]
