"""Sensorium's pipelines: the models, the engine and the command line. Never imports Qt."""
from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version


def _version() -> str:
    from .assets import APP_ROOT, frozen

    if frozen():  # the PyInstaller bundle has no package metadata: packaging/sensorium.spec writes the version
        try:
            return (APP_ROOT / "VERSION").read_text(encoding="utf-8").strip()
        except OSError:
            pass
    try:
        return version("sensorium")
    except PackageNotFoundError:  # running from a source tree that was never installed
        return "0+unknown"


__version__ = _version()

__all__ = ["__version__"]
