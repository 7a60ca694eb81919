"""``graphrag app``: start the Streamlit explorer on localhost."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from graphrag.cli._apps import app
from graphrag.cli._common import DEFAULT_DB_PATH, AsOption, DbOption, GroupsOption, err_console, principal_of
from graphrag.config import IngestConfig
from graphrag.errors import ConfigError, GraphRAGError, ModelUnavailableError

if TYPE_CHECKING:
    from graphrag.acl import Principal


def app_script() -> Path:
    """The explorer's entry script: ``main.py`` of the installed package ``graphrag.app`` (the repository's
    ``app/`` folder in a source checkout)."""
    import importlib.util

    spec = importlib.util.find_spec("graphrag.app")
    folders = list(spec.submodule_search_locations or []) if spec is not None else []
    script = next((Path(f) / "main.py" for f in folders if (Path(f) / "main.py").is_file()), None)
    if script is None:
        raise ConfigError(
            "the explorer app is not installed with this package; reinstall it: pip install 'graphrag[app]'"
        )
    return script.resolve()


def streamlit_command(
    script: Path,
    *,
    db: Path,
    port: int,
    address: str = "localhost",
    max_upload_mb: int | None = None,
    app_args: Sequence[str] = (),
) -> list[str]:
    """The ``streamlit run`` command line: local address, no browser, no usage statistics, no file watcher, and
    uploads capped where ingest would refuse them anyway (``[ingest] max_file_mb``, unless ``max_upload_mb``);
    ``app_args`` go to the app after ``--db`` (``--read-only``, ``--as``, ``--groups``, ``--identity-headers``)."""
    upload = max_upload_mb if max_upload_mb is not None else IngestConfig().max_file_mb
    return [
        sys.executable, "-m", "streamlit", "run", str(script),
        "--server.address", address,
        "--server.port", str(port),
        "--server.headless", "true",
        "--server.fileWatcherType", "none",
        "--browser.gatherUsageStats", "false",
        "--client.toolbarMode", "minimal",
        "--server.maxUploadSize", str(upload),
        "--", "--db", str(db), *app_args,
    ]  # fmt: skip


@app.command("app")
def app_command(
    db: DbOption = DEFAULT_DB_PATH,
    port: Annotated[int, typer.Option("--port", help="Port on localhost.", min=1, max=65535)] = 8501,
    max_upload_mb: Annotated[
        int | None,
        typer.Option("--max-upload-mb", min=1, help="Largest Ingest page upload (default: [ingest] max_file_mb)."),
    ] = None,
    address: Annotated[
        str,
        typer.Option(
            "--address",
            help="Where to listen: localhost (the default) keeps the explorer to this machine; anything else "
            "exposes it, so put it behind an authenticating proxy (README, Security).",
        ),
    ] = "localhost",
    read_only: Annotated[
        bool, typer.Option("--read-only", help="Hide the Ingest page and every write (community builds too).")
    ] = False,
    as_user: AsOption = None,
    groups: GroupsOption = None,
    identity_headers: Annotated[
        bool,
        typer.Option(
            "--identity-headers",
            help="Read each request's user and groups from X-Forwarded-User / X-Forwarded-Groups (set by an "
            "authenticating proxy in front of the explorer); requests without them are refused.",
        ),
    ] = False,
    server: Annotated[
        str | None,
        typer.Option(
            "--server",
            envvar="GRAPHRAG_APP_SERVER",
            help="Answer through a running `graphrag serve` at this address (e.g. http://127.0.0.1:8000) instead "
            "of loading the store and models here: Ask, Explore and Cypher only; --db is the server's.",
        ),
    ] = None,
) -> None:
    """Start the explorer (Ask, Explore, Cypher, Ingest, Evaluate) at http://localhost:PORT."""
    import importlib.util

    if importlib.util.find_spec("streamlit") is None:
        raise ModelUnavailableError("the explorer needs Streamlit: pip install -e '.[app]'")
    who = principal_of(as_user, groups)  # checked here, before the server starts
    if who is not None and identity_headers:
        raise ConfigError("--as fixes one identity and --identity-headers takes it from each request: pick one")
    script = app_script()
    db = db.expanduser().resolve()
    err = err_console()
    if server is not None:
        server = _check_server(server, who, identity_headers=identity_headers)
        err.print(f"GraphRAG explorer on http://{address}:{port} (answering through {server}); Ctrl+C stops it.")
    else:
        err.print(f"GraphRAG explorer on http://{address}:{port} (database {db}); Ctrl+C stops it.")
    if address not in ("localhost", "127.0.0.1", "::1"):
        err.print(
            f"[yellow]warning:[/] listening on {address}: anyone who can reach it can use the explorer; "
            "put it behind an authenticating proxy (see the README's Security section)."
        )
    args = ["--read-only"] if read_only else []
    args += ["--as", who.user, "--groups", ",".join(sorted(who.groups))] if who is not None else []
    args += ["--identity-headers"] if identity_headers else []
    args += ["--server", server] if server is not None else []
    env = {**os.environ, "GRAPHRAG_DB": str(db)}
    for key in ("GRAPHRAG_USER", "GRAPHRAG_GROUPS"):  # the identity travels only as the flags above
        env.pop(key, None)
    sys.stdout.flush()
    sys.stderr.flush()
    command = streamlit_command(script, db=db, port=port, address=address, max_upload_mb=max_upload_mb, app_args=args)
    run_server(command, env)


def _check_server(url: str, who: Principal | None, *, identity_headers: bool = False) -> str:
    """The server's address, checked; a warning when it does not answer yet or would not answer as the
    explorer's users (the explorer starts anyway, and its pages say the same until the server is fixed)."""
    from rich.markup import escape

    from graphrag.serve.client import ServerClient, server_url

    url = server_url(url)
    client = ServerClient(url, principal=who)
    try:
        health = client.health()
        problem = client.identity_problem(health)
        if identity_headers:  # each user comes from the proxy and is passed on: the server must read them
            problem = None if health.identity == "headers" else (
                f"the server at {url} does not read identity headers: start it with --identity-headers, or it "
                "answers every user of this explorer as someone else"
            )  # fmt: skip
    except GraphRAGError as exc:
        problem = str(exc)
    if problem is not None:
        err_console().print(f"[yellow]warning:[/] {escape(problem)}", highlight=False)
    return url


def run_server(cmd: list[str], env: dict[str, str]) -> None:
    """Become the Streamlit server (exec), so signals sent to ``graphrag app`` (Ctrl+C, SIGTERM) reach it
    directly and no orphaned server outlives the command."""
    os.execve(cmd[0], cmd, env)
