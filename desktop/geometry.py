"""The window's size, splitter and side panel, kept between sessions (a small JSON file in the
profile's config directory, written atomically)."""
from __future__ import annotations

import base64
import json
import logging
import os
import tempfile
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray

__all__ = ["GEOMETRY_FILE", "restore_geometry", "save_geometry"]

log = logging.getLogger(__name__)
GEOMETRY_FILE = "window.json"


def _path(window: Any) -> Path:
    return Path(window.profile.config_dir) / GEOMETRY_FILE


def restore_geometry(window: Any) -> None:
    try:
        data = json.loads(_path(window).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        window.resize(1240, 800)
        return
    try:
        if data.get("geometry"):
            window.restoreGeometry(QByteArray(base64.b64decode(data["geometry"])))
        if data.get("splitter"):
            window.splitter.restoreState(QByteArray(base64.b64decode(data["splitter"])))
        window.details.setVisible(bool(data.get("panel", True)))
        window.act_panel.setChecked(window.details.isVisible())
    except Exception:
        window.resize(1240, 800)


def save_geometry(window: Any) -> None:
    data = {"geometry": base64.b64encode(bytes(window.saveGeometry())).decode("ascii"),
            "splitter": base64.b64encode(bytes(window.splitter.saveState())).decode("ascii"),
            "panel": not window.details.isHidden(), "size": [window.width(), window.height()]}
    path = _path(window)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".window-", dir=path.parent)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(data, f)
        os.replace(tmp, path)
    except OSError as e:
        log.warning("window geometry not saved: %s", e)
