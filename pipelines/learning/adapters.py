"""The adapters trained from the user's ratings: one folder per chat model under
``Profile.adapters_dir``, one sub-folder per adapter (peft's safetensors and Sensorium's manifest), and
a ``state.json`` naming the one that is on. Writes are atomic (a temporary file, then ``os.replace``).
"""
from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import BadInput
from ..events import EvalRow

__all__ = ["AdapterInfo", "AdapterRegistry", "model_folder_name"]


def model_folder_name(model: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", model).strip("-")[:80] or "model"


@dataclass(frozen=True)
class AdapterInfo:
    id: str
    model: str
    method: str
    created: float
    accepted: bool
    active: bool
    path: Path
    table: tuple[EvalRow, ...] = field(default=())
    pairs: int = 0
    examples: int = 0


class AdapterRegistry:
    def __init__(self, root: str | Path):
        self.root = Path(root)

    # ---- reading ----------------------------------------------------------------------------
    def _state(self, model: str) -> dict[str, Any]:
        try:
            return json.loads((self.root / model_folder_name(model) / "state.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}

    def _info(self, folder: Path, active_id: str | None) -> AdapterInfo | None:
        from .train import MANIFEST

        try:
            m = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None  # not an adapter (or a half-written one: they are never renamed into place)
        table = tuple(EvalRow(r["name"], float(r["base"]), float(r["adapter"]), bool(r["higher_is_better"]),
                              bool(r["passed"]), int(r.get("count", 0)), str(r.get("unit", "")))
                      for r in m.get("table", []))
        return AdapterInfo(folder.name, str(m.get("model", "")), str(m.get("method", "")),
                           float(m.get("created", 0.0)), bool(m.get("accepted")), folder.name == active_id, folder,
                           table, int(m.get("pairs", 0)), int(m.get("examples", 0)))

    def list(self, model: str | None = None) -> list[AdapterInfo]:
        """Every adapter (of ``model``), newest first."""
        if not self.root.is_dir():
            return []
        folders = [self.root / model_folder_name(model)] if model else sorted(self.root.iterdir())
        out = []
        for folder in folders:
            if not folder.is_dir():
                continue
            state = self._state(folder.name)
            for sub in folder.iterdir():
                info = self._info(sub, state.get("active")) if sub.is_dir() and not sub.name.startswith(".") else None
                if info is not None:
                    out.append(info)
        return sorted(out, key=lambda a: a.created, reverse=True)

    def get(self, adapter_id: str) -> AdapterInfo:
        for info in self.list():
            if info.id == adapter_id:
                return info
        raise BadInput("there is no adapter {id}: `sensorium learn list` shows them", code="learning.no_such_adapter",
                       id=adapter_id)

    def active(self, model: str) -> AdapterInfo | None:
        return next((a for a in self.list(model) if a.active), None)

    def folder_for(self, model: str, adapter_id: str) -> Path:
        return self.root / model_folder_name(model) / adapter_id

    # ---- changing -----------------------------------------------------------------------------
    def _write_state(self, model: str, state: dict[str, Any]) -> None:
        folder = self.root / model_folder_name(model)
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".state-", suffix=".json")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(state, f)
        os.replace(tmp, folder / "state.json")

    def activate(self, adapter_id: str) -> AdapterInfo:
        """Switch an adapter on for its model (the user's choice: also one the gate refused)."""
        info = self.get(adapter_id)
        self._write_state(info.model, {"active": info.id})
        return self.get(adapter_id)

    def deactivate(self, model: str) -> bool:
        """Switch the model's adapter off; False when none was on."""
        was = self.active(model) is not None
        if was:
            self._write_state(model, {"active": None})
        return was

    def delete(self, adapter_id: str) -> AdapterInfo:
        info = self.get(adapter_id)
        if info.active:
            self.deactivate(info.model)
        shutil.rmtree(info.path, ignore_errors=True)
        return info
