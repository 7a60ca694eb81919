"""The package as users install it: pyproject lists every package, and a wheel built from the checkout carries the
explorer, so ``graphrag app`` works from a fresh virtualenv outside the repository (no pyvis, no ipython)."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import sysconfig
import time
import tomllib
import urllib.request
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_pyproject_names_every_package() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    listed = set(config["packages"])
    found = {
        ".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "graphrag").rglob("__init__.py")
    } | {"graphrag.app" + "".join(f".{q}" for q in p.parent.relative_to(ROOT / "app").parts)
         for p in (ROOT / "app").rglob("__init__.py")}  # fmt: skip
    assert listed == found
    assert config["package-dir"] == {"graphrag.app": "app"}
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["optional-dependencies"]
    assert not any(dep.startswith(("pyvis", "ipython")) for deps in extras.values() for dep in deps)


def test_ray_is_an_optional_extra_outside_the_default_install() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    extras = project["optional-dependencies"]
    assert extras["ray"] == ["ray[data]>=2.40"]
    assert not any(dep.startswith("ray") for dep in project["dependencies"] + extras["all"])
    assert ".[all,dev,ray]" in (ROOT / "Makefile").read_text()  # make test installs it


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(out), str(ROOT)],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert built.returncode == 0, built.stderr[-3000:]
    (found,) = out.glob("graphrag-*.whl")
    return found


def test_the_wheel_carries_the_explorer(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {"graphrag/app/main.py", "graphrag/app/ui_common.py", "graphrag/app/pages/ask.py"} <= names
    assert "graphrag/app/static/vis-network.min.js" in names
    meta = next(n for n in names if n.endswith("METADATA"))
    requires = [ln for ln in zipfile.ZipFile(wheel).read(meta).decode().splitlines() if ln.startswith("Requires-Dist")]
    assert not any("pyvis" in r or "ipython" in r for r in requires)


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX paths of a virtualenv")
def test_graphrag_app_runs_from_a_fresh_virtualenv(wheel: Path, tmp_path: Path, tiny_db: Path) -> None:
    pytest.importorskip("streamlit")
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    py = venv / "bin" / "python"
    installed = subprocess.run(
        [str(py), "-m", "pip", "install", "-q", "--no-deps", "--no-index", str(wheel)],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert installed.returncode == 0, installed.stderr[-3000:]
    # The dependencies come from the test's own environment (installing torch and friends again would take
    # minutes); the package itself comes only from the wheel: a path line in a .pth file adds that
    # environment's site-packages without running its .pth files, so the checkout's editable install is not seen.
    site = subprocess.run(
        [str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], capture_output=True, text=True
    ).stdout.strip()
    Path(site, "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    where = subprocess.run(
        [str(py), "-c", "import graphrag.app, graphrag.api; print(graphrag.app.__file__)"],
        cwd=outside, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert where.returncode == 0, where.stderr
    assert where.stdout.strip().startswith(site), where.stdout  # the wheel's copy, not the checkout
    # The installed explorer's pages run (Streamlit's testing API, from the installed script).
    check = (
        "import pathlib, graphrag.app\n"
        "from streamlit.testing.v1 import AppTest\n"
        "at = AppTest.from_file(str(pathlib.Path(graphrag.app.__file__).parent / 'main.py'), default_timeout=120)\n"
        "at.run()\n"
        "assert not at.exception, at.exception\n"
        "print('|'.join(c.value for c in at.sidebar.caption))\n"
    )
    ran = subprocess.run(
        [str(py), "-c", check], cwd=outside, capture_output=True, text=True, timeout=300,
        env={**os.environ, "GRAPHRAG_DB": str(tiny_db)},
    )  # fmt: skip
    assert ran.returncode == 0, ran.stderr[-3000:]
    assert "3 documents" in ran.stdout
    # And the command a user types starts the server from the installed package.
    port = _free_port()
    server = subprocess.Popen(
        [str(venv / "bin" / "graphrag"), "app", "--db", str(tiny_db), "--port", str(port)],
        cwd=outside, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, start_new_session=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 120
        health = ""
        while time.monotonic() < deadline and server.poll() is None:
            with contextlib.suppress(OSError), urllib.request.urlopen(
                f"http://127.0.0.1:{port}/_stcore/health", timeout=2
            ) as r:
                health = r.read().decode()
                break
            time.sleep(0.5)
        assert health == "ok", server.stderr.read() if server.poll() is not None else "no answer from the server"
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, 15)
        server.wait(timeout=60)
