"""The ``graphrag`` command line. Each command lives in its own module and registers itself on :data:`app`."""

from __future__ import annotations

import sys

import typer

from graphrag.cli._apps import app, eval_app
from graphrag.errors import GraphRAGError

# Importing a command module registers its commands.
from graphrag.cli import query as _query  # noqa: E402,F401  isort: skip
from graphrag.cli import run_cmd as _run_cmd  # noqa: E402,F401  isort: skip
from graphrag.cli import ingest_cmd as _ingest_cmd  # noqa: E402,F401  isort: skip
from graphrag.cli import ask_cmd as _ask_cmd  # noqa: E402,F401  isort: skip
from graphrag.cli import eval_retrieval as _eval_retrieval  # noqa: E402,F401  isort: skip
from graphrag.cli import eval_triples as _eval_triples  # noqa: E402,F401  isort: skip
from graphrag.cli import app_cmd as _app_cmd  # noqa: E402,F401  isort: skip
from graphrag.cli import import_cmd as _import_cmd  # noqa: E402,F401  isort: skip
from graphrag.cli import gnn_cmd as _gnn_cmd  # noqa: E402,F401  isort: skip
from graphrag.cli import ceiling_cmd as _ceiling_cmd  # noqa: E402,F401  isort: skip
from graphrag.cli import schema_cmd as _schema_cmd  # noqa: E402,F401  isort: skip
from graphrag.cli import eval_qa as _eval_qa  # noqa: E402,F401  isort: skip
from graphrag.cli import communities_cmd as _communities_cmd  # noqa: E402,F401  isort: skip
from graphrag.cli import eval_communities as _eval_communities  # noqa: E402,F401  isort: skip
from graphrag.cli import access_cmd as _access_cmd  # noqa: E402,F401  isort: skip
from graphrag.cli import interop_cmd as _interop_cmd  # noqa: E402,F401  isort: skip
from graphrag.cli import serve_cmd as _serve_cmd  # noqa: E402,F401  isort: skip


def main(argv: list[str] | None = None) -> int:
    """Entry point: run the CLI, turning :class:`GraphRAGError` into a message and its exit code."""
    try:
        # Without standalone mode click returns a typer.Exit's code instead of raising it.
        result = app(args=argv, standalone_mode=False)
    except GraphRAGError as exc:
        from rich.text import Text

        from graphrag.cli._common import err_console

        # The message may quote user data (a bad line such as "[/b]|x|y"): print it literally, not as markup.
        err_console().print(Text.assemble(("error:", "bold red"), f" {exc}"))
        return exc.exit_code
    except typer.Exit as exc:
        return int(exc.exit_code or 0)
    except (typer.Abort, KeyboardInterrupt):
        return 130  # Ctrl+C: what was committed stays; an interrupted batch is redone by the next run
    except Exception as exc:  # usage errors are click ClickExceptions (typer >= 0.2x vendors its own click)
        show, code = getattr(exc, "show", None), getattr(exc, "exit_code", None)
        if callable(show) and isinstance(code, int):
            show()
            return code
        raise
    return result if isinstance(result, int) else 0


def _entry() -> None:
    sys.exit(main())


__all__ = ["app", "eval_app", "main"]
