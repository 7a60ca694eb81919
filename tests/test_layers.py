"""The layers run one way: the import-linter contract in pyproject.toml holds for the package (lazy imports
count), the contract catches a violation when there is one, and the explorer app (outside the package) leans on
the public API, never on another front end (a served explorer uses the HTTP client of ``graphrag serve``, not the
server)."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
pytest.importorskip("importlinter")


def _lint(cwd: Path, config: Path, pythonpath: Path) -> subprocess.CompletedProcess[str]:
    code = "import sys; from importlinter.cli import lint_imports; sys.exit(lint_imports(config_filename=sys.argv[1]))"
    env = {**os.environ, "PYTHONPATH": str(pythonpath)}
    return subprocess.run(
        [sys.executable, "-c", code, str(config)], cwd=cwd, env=env, capture_output=True, text=True, timeout=300
    )


def test_the_package_keeps_its_layer_contract() -> None:
    out = _lint(ROOT, ROOT / "pyproject.toml", ROOT)
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-2000:]
    assert "1 kept, 0 broken" in out.stdout


def test_the_contract_catches_a_lower_layer_importing_a_higher_one(tmp_path: Path) -> None:
    pkg = tmp_path / "layered"
    for sub in ("store", "api"):
        (pkg / sub).mkdir(parents=True)
        (pkg / sub / "__init__.py").write_text("")
    (pkg / "__init__.py").write_text("")
    (pkg / "api" / "facade.py").write_text("from layered.store import schema\n")
    (pkg / "store" / "schema.py").write_text(
        "def lazy():\n    from layered.api import facade  # a lazy import still counts\n    return facade\n"
    )
    config = tmp_path / "contracts.toml"
    config.write_text(
        textwrap.dedent(
            """
            [tool.importlinter]
            root_package = "layered"

            [[tool.importlinter.contracts]]
            name = "layers"
            type = "layers"
            layers = ["layered.api", "layered.store"]
            """
        )
    )
    out = _lint(tmp_path, config, tmp_path)
    assert out.returncode != 0
    assert "layered.store.schema -> layered.api.facade" in out.stdout


def _imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
    return found


def test_the_app_uses_the_api_and_no_other_front_end() -> None:
    pages = sorted((ROOT / "app").rglob("*.py"))
    assert pages, "the explorer app is missing"
    used = {m for p in pages for m in _imports(p) if m.startswith("graphrag")}
    assert "graphrag.api" in used
    leaning = sorted(m for m in used if m.startswith(("graphrag.cli", "graphrag.api.steps", "graphrag.api.pipeline")))
    assert not leaning, f"the app imports another front end: {leaning}"
    # a served explorer (--server) talks to graphrag serve through its client half, never through the server
    serving = sorted(m for m in used if m.startswith("graphrag.serve"))
    assert serving == ["graphrag.serve.client"], f"the app uses more of graphrag.serve than its client: {serving}"
