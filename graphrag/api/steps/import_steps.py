"""The ``import`` step: load knowledge-graph triple files into the pipeline's store.

Options (a spec's ``[[steps]]`` table)::

    kind = "import"
    paths = ["data/demo/metaqa_kb_slice.txt"]   # or path = "..."
    format = "metaqa"                            # metaqa, tsv or csv
    delimiter = "|"                              # optional, overrides the format's
    skip_bad = false                             # load the good lines of a file with malformed ones
    embed = false                                # embed new entities' names
    embedder = "minilm"                          # the embedder for embed = true
"""

from __future__ import annotations

from typing import Any

from graphrag.api.steps.context import RunContext, check_options
from graphrag.errors import ConfigError
from graphrag.importers.triple_files import get_format

_OPTIONS = ("paths", "path", "format", "delimiter", "skip_bad", "embed", "embedder")


def import_step(params: dict[str, Any], ctx: RunContext) -> dict[str, Any]:
    """Import triple files; returns per-file counts and timings."""
    check_options("import", params, _OPTIONS)
    paths = params.get("paths", [params["path"]] if "path" in params else None)
    if not paths or not isinstance(paths, list) or not all(isinstance(p, str) for p in paths):
        raise ConfigError("import step needs `paths`, a list of triple files (or `path`, one file)")
    if "format" not in params:
        raise ConfigError("import step needs `format`: metaqa, tsv or csv")
    fmt = str(params["format"])
    get_format(fmt)
    for flag in ("skip_bad", "embed"):
        if not isinstance(params.get(flag, False), bool):
            raise ConfigError(f"import step option `{flag}` must be true or false, got {params[flag]!r}")
    delimiter = params.get("delimiter")
    if delimiter is not None and not isinstance(delimiter, str):
        raise ConfigError(f"import step option `delimiter` must be a string, got {delimiter!r}")
    reports = []
    for p in paths:
        report = ctx.rag.import_triples(
            ctx.path(p),
            format=fmt,
            delimiter=delimiter,
            skip_bad=params.get("skip_bad", False),
            embed=params.get("embed", False),
            embedder=str(params.get("embedder", "minilm")),
        )
        for bad in report.skipped:
            ctx.err.print(f"skipped {report.path}:{bad}", markup=False, highlight=False)
        ctx.out.print(report.describe(), markup=False)
        reports.append(report)
    return {
        "files": [
            {
                "path": r.path,
                "status": r.status,
                "triples": r.triples,
                "entities_new": r.entities_new,
                "entities_reused": r.entities_reused,
                "skipped_lines": len(r.skipped),
                "seconds": round(r.seconds, 3),
            }
            for r in reports
        ],
        "triples": sum(r.triples for r in reports),
        "skipped_lines": sum(len(r.skipped) for r in reports),
    }


__all__ = ["import_step"]
