"""Turning an evaluation report (any of the toolkit's JSON reports) into tables and charts.

Reports differ by kind (KGQA, retrieval, triples), so the layout is read from the JSON's shape rather than
from a fixed schema: top-level numbers become headline metrics, a mapping of names to mappings of numbers
becomes a table (and a bar chart), a list of records becomes a table, and images written beside the JSON are
shown as plots.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graphrag.errors import InputError

IMAGE_SUFFIXES = (".png", ".svg", ".jpg", ".jpeg")


@dataclass
class ReportLayout:
    """What to draw for one report."""

    title: str
    headline: dict[str, Any] = field(default_factory=dict)  # dotted key -> scalar
    tables: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # name -> rows
    charts: dict[str, dict[str, dict[str, float]]] = field(
        default_factory=dict
    )  # name -> row -> column -> number
    notes: dict[str, str] = field(default_factory=dict)  # long text values


def load_report(path: str | Path) -> dict[str, Any]:
    """Read a report JSON file; an :class:`InputError` naming the file if it is not a JSON object."""
    p = Path(path)
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError("no such report file", path=str(p)) from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        line = getattr(exc, "lineno", None)
        raise InputError(f"not a JSON report: {exc}", path=str(p), line=line) from None
    return parse_report(data, source=str(p))


def parse_report(data: Any, *, source: str = "report") -> dict[str, Any]:
    """Check that ``data`` (already parsed JSON) is a report object."""
    if not isinstance(data, dict):
        raise InputError(f"a report is a JSON object, got {type(data).__name__}", path=source)
    return data


def _is_scalar(v: Any) -> bool:
    return v is None or isinstance(v, str | int | float | bool)


def _is_number(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


def _numeric_table(value: Mapping[str, Any]) -> dict[str, dict[str, float]] | None:
    """``{row: {col: number}}`` if every value of ``value`` is a mapping holding numbers (others dropped)."""
    if not value or not all(isinstance(v, Mapping) for v in value.values()):
        return None
    table = {str(r): {str(c): float(x) for c, x in row.items() if _is_number(x)} for r, row in value.items()}
    return table if any(table.values()) else None


def layout(report: Mapping[str, Any], *, name: str = "report") -> ReportLayout:
    """Decide the headline metrics, tables and charts of ``report``."""
    title = str(report.get("title") or report.get("kind") or report.get("name") or name)
    out = ReportLayout(title=title)

    def walk(prefix: str, value: Any) -> None:
        if isinstance(value, Mapping):
            table = _numeric_table(value)
            if table is not None:
                out.charts[prefix] = table
                out.tables[prefix] = [
                    {"": r, **{c: x for c, x in row.items() if _is_scalar(x)}}
                    for r, row in ((r, _flat(v)) for r, v in value.items())
                ]
                return
            if value and all(_is_number(v) for v in value.values()) and len(value) > 1 and prefix:
                out.charts[prefix] = {prefix.rsplit(".", 1)[-1]: {str(k): float(v) for k, v in value.items()}}
            for k, v in value.items():
                walk(f"{prefix}.{k}" if prefix else str(k), v)
        elif isinstance(value, list):
            if value and all(isinstance(v, Mapping) for v in value):
                out.tables[prefix] = [{k: _cell(x) for k, x in _flat(v).items()} for v in value]
            elif value and all(_is_scalar(v) for v in value) and len(value) <= 20:
                out.headline[prefix] = ", ".join(str(v) for v in value)
        elif isinstance(value, str) and len(value) > 120:
            out.notes[prefix] = value
        elif _is_scalar(value):
            out.headline[prefix] = value

    walk("", report)
    return out


def _flat(value: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """Nested mappings flattened to dotted keys."""
    out: dict[str, Any] = {}
    for k, v in value.items():
        key = f"{prefix}.{k}" if prefix else str(k)
        if isinstance(v, Mapping):
            out.update(_flat(v, key))
        else:
            out[key] = v
    return out


def _cell(v: Any) -> Any:
    return v if _is_scalar(v) else json.dumps(v, ensure_ascii=False, default=str)


def images_beside(path: str | Path, *, limit: int = 12) -> list[Path]:
    """Plots written next to a report: images in its folder named after it, else every image there."""
    p = Path(path)
    if not p.parent.is_dir():
        return []
    images = sorted(q for q in p.parent.iterdir() if q.is_file() and q.suffix.lower() in IMAGE_SUFFIXES)
    named = [q for q in images if q.name.startswith(p.stem)]
    return (named or images)[:limit]


def find_reports(root: str | Path, *, limit: int = 200) -> list[Path]:
    """JSON files under ``root`` that look like reports (newest first)."""
    r = Path(root)
    if not r.is_dir():
        return []
    found = [
        p
        for p in r.rglob("*.json")
        if p.is_file() and ("report" in p.name.lower() or p.parent.name == "reports")
    ]
    return sorted(found, key=lambda p: p.stat().st_mtime, reverse=True)[:limit]
