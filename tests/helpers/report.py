"""Figures a test records for pytest's terminal summary. They travel as the test's user properties,
which pytest-xdist sends from its workers with each report, so the summary is whole in a parallel run."""
from __future__ import annotations

from typing import Any

__all__ = ["record", "recorded"]


def record(node: Any, name: str, value: Any) -> None:
    """Attach ``value`` under ``name`` to the running test (a JSON-able value)."""
    node.user_properties.append((name, value))


def recorded(terminalreporter: Any, name: str) -> list[Any]:
    """Every value recorded under ``name`` in this run, in report order."""
    out = []
    for reports in terminalreporter.stats.values():
        for rep in reports:
            if getattr(rep, "when", None) == "call":
                out += [v for k, v in getattr(rep, "user_properties", ()) if k == name]
    return out
