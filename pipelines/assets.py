"""Location of the files in assets/ (catalog, vocabularies, styles, icons, translations).

From a source tree or an installed package they sit beside pipelines/; in the PyInstaller bundle
(packaging/sensorium.spec) they are collected into the bundle's data folder, ``sys._MEIPASS`` (the
``_internal`` folder next to the one-folder app's executable).
"""
from __future__ import annotations

import sys
from pathlib import Path

__all__ = ["ASSETS", "APP_ROOT", "asset", "frozen"]


def frozen() -> bool:
    """True inside the PyInstaller bundle."""
    return bool(getattr(sys, "frozen", False) and getattr(sys, "_MEIPASS", None))


#: The folder that holds assets/ (and, in the bundle, the VERSION file the spec writes).
APP_ROOT = Path(sys._MEIPASS) if frozen() else Path(__file__).resolve().parent.parent  # type: ignore[attr-defined]
ASSETS = APP_ROOT / "assets"


def asset(*parts: str) -> Path:
    return ASSETS.joinpath(*parts)
