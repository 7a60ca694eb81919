"""A schema listing the properties a WebNLG file uses (``python -m graphrag.eval.webnlg_schema GOLD OUT``): one
relation per DBpedia property, named as WebNLG names it (``birthPlace``), with its words as the description
("birth place"). No aliases and no types: it is the ontology a user would hand to ``--schema``, and what the
mapper makes of it is measured, not tuned (``graphrag eval triples --schema OUT``)."""

from __future__ import annotations

import argparse
import re
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from graphrag.eval.webnlg import WebNLGEntry, load_webnlg
from graphrag.extract.schema import RelationType, Schema, schema_toml

_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def property_schema(entries: Sequence[WebNLGEntry]) -> tuple[Schema, dict[str, list[str]]]:
    """Every property of ``entries`` as a relation, most frequent first, with its count as a comment."""
    counts = Counter(p for e in entries for _, p, _ in e.triples)
    relations = tuple(
        RelationType(name=p, description=" ".join(_CAMEL.sub(" ", p.replace("_", " ")).casefold().split()))
        for p, _ in counts.most_common()
    )
    return Schema((), relations, "webnlg"), {p: [f"{n} gold triples"] for p, n in counts.items()}


def main(argv: Sequence[str] | None = None) -> int:
    """Write the property schema of a WebNLG file."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("gold", type=Path, help="WebNLG .jsonl or .xml")
    parser.add_argument("out", type=Path, help="schema TOML to write")
    args = parser.parse_args(argv)
    schema, comments = property_schema(load_webnlg(args.gold))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(schema_toml(schema, comments), encoding="utf-8")
    print(f"wrote {len(schema.relations)} properties to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
