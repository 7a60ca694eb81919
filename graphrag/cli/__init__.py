"""The ``graphrag`` command line. Each command lives in its own module and registers itself on :data:`app`."""

from __future__ import annotations

import sys

import typer

from graphrag.cli._apps import app, eval_app
from graphrag.errors import GraphRAGError

# Importing a command module registers its commands.
from graphrag.cli import query as _query  # noqa: E402,F401  isort: skip
from graphrag.cli import run_cmd as _run_cmd  # noqa: E402,F401  isort: skip


def main(argv: list[str] | None = None) -> int:
    """Entry point: run the CLI, turning :class:`GraphRAGError` into a message and its exit code."""
    try:
        app(args=argv, standalone_mode=False)
    except GraphRAGError as exc:
        from graphrag.cli._common import err_console

        err_console().print(f"[bold red]error:[/] {exc}")
        return exc.exit_code
    except typer.Exit as exc:
        return int(exc.exit_code or 0)
    except typer.Abort:
        return 130
    except Exception as exc:  # click usage errors arrive as ClickException subclasses
        import click

        if isinstance(exc, click.ClickException):
            exc.show()
            return exc.exit_code
        raise
    return 0


def _entry() -> None:
    sys.exit(main())


__all__ = ["app", "eval_app", "main"]
