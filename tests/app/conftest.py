"""Fixtures for the explorer app's tests: the app's folder on ``sys.path``, as Streamlit puts it there. The tiny
database (``tiny_db``) comes from the root conftest."""

from __future__ import annotations

from pathlib import Path

import pytest

APP_DIR = Path(__file__).resolve().parents[2] / "app"


@pytest.fixture
def app_path() -> Path:
    """The explorer's entry script."""
    return APP_DIR / "main.py"


@pytest.fixture
def app_modules_on_path(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the app's helper modules (``ui_*``) importable from tests, as Streamlit does for the app."""
    monkeypatch.syspath_prepend(str(APP_DIR))
