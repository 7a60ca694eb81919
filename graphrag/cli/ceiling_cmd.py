"""``graphrag eval kgqa-ceiling``: the best Hits@1 any model can expect on a MetaQA question file."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from graphrag.api import GraphRAG
from graphrag.cli._apps import eval_app
from graphrag.cli._common import console


@eval_app.command("kgqa-ceiling")
def kgqa_ceiling_cmd(
    kb: Annotated[Path, typer.Option(help="The KB's triple file (plain or .gz).")],
    questions: Annotated[list[Path], typer.Option(help="A MetaQA question file; repeat for several.")],
    qtypes: Annotated[
        list[Path], typer.Option(help="Its question-type file (qa_*_qtype.txt), once per --questions, in order.")
    ],
    fmt: Annotated[str, typer.Option("--format", help="Triple file format: metaqa, tsv or csv.")] = "metaqa",
    out: Annotated[Path | None, typer.Option(help="Also write the numbers as JSON here.")] = None,
) -> None:
    """Hits@1 of a model that follows exactly the right relations and picks at random among what they reach.

    Where a KB merged several real-world things into one entity (MetaQA's movies with the same title), this is
    the ceiling for any model trained without the test answers; the Evaluate numbers should be read against it.
    """
    result = GraphRAG().evaluate("kgqa-ceiling", kb=kb, questions=questions, qtypes=qtypes, format=fmt, out=out)
    t = Table("questions file", "questions", "ambiguous", "unreachable", "ceiling Hits@1", title="KGQA ceiling")
    for r in result["files"]:
        name = "/".join(Path(r["source"]).parts[-3:])
        t.add_row(
            name, f"{r['questions']:,}", f"{r['ambiguous']:,}", f"{r['unreachable']:,}", f"{r['expected_hits1']:.2f}"
        )
    con = console()
    con.print(t)
    repeats = result["repeated"]
    con.print(
        f"ambiguous questions asked more than once: {repeats['repeated']:,}, "
        f"with the same gold list each time: {repeats['same_gold']:,}"
    )
