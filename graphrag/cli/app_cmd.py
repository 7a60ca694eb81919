"""``graphrag app``: start the Streamlit explorer on localhost."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from graphrag.cli._apps import app
from graphrag.cli._common import DEFAULT_DB_PATH, DbOption, err_console
from graphrag.config import IngestConfig
from graphrag.errors import ConfigError, ModelUnavailableError


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
    script: Path, *, db: Path, port: int, address: str = "localhost", max_upload_mb: int | None = None
) -> list[str]:
    """The ``streamlit run`` command line: local address, no browser, no usage statistics, no file watcher, and
    uploads capped where ingest would refuse them anyway (``[ingest] max_file_mb``, unless ``max_upload_mb``)."""
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
        "--", "--db", str(db),
    ]  # fmt: skip


@app.command("app")
def app_command(
    db: DbOption = DEFAULT_DB_PATH,
    port: Annotated[int, typer.Option("--port", help="Port on localhost.", min=1, max=65535)] = 8501,
    max_upload_mb: Annotated[
        int | None,
        typer.Option("--max-upload-mb", min=1, help="Largest Ingest page upload (default: [ingest] max_file_mb)."),
    ] = None,
) -> None:
    """Start the explorer (Ask, Explore, Cypher, Ingest, Evaluate) at http://localhost:PORT."""
    import importlib.util

    if importlib.util.find_spec("streamlit") is None:
        raise ModelUnavailableError("the explorer needs Streamlit: pip install -e '.[app]'")
    script = app_script()
    db = db.expanduser().resolve()
    err_console().print(f"GraphRAG explorer on http://localhost:{port} (database {db}); Ctrl+C stops it.")
    env = {**os.environ, "GRAPHRAG_DB": str(db)}
    sys.stdout.flush()
    sys.stderr.flush()
    run_server(streamlit_command(script, db=db, port=port, max_upload_mb=max_upload_mb), env)


def run_server(cmd: list[str], env: dict[str, str]) -> None:
    """Become the Streamlit server (exec), so signals sent to ``graphrag app`` (Ctrl+C, SIGTERM) reach it
    directly and no orphaned server outlives the command."""
    os.execve(cmd[0], cmd, env)
