"""Location of the files in assets/ (catalog, vocabularies, styles, icons)."""
from __future__ import annotations

from pathlib import Path

__all__ = ["ASSETS", "asset"]

ASSETS = Path(__file__).resolve().parent.parent / "assets"


def asset(*parts: str) -> Path:
    return ASSETS.joinpath(*parts)
