"""Per-role model state in the status bar: not loaded, downloading or loading (with progress), ready on
GPU/CPU, failed. The detail (a download's "412 / 1,480 MB", a failure's reason) is in the tooltip."""
from __future__ import annotations

import re
from urllib.parse import urlsplit

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QLabel, QStatusBar

from .theme import COLORS, current_theme

__all__ = ["ModelStatusBar", "ROLE_LABELS", "describe_state"]

ROLE_LABELS = {"asr": "Speech", "vision": "Vision", "vlm": "Image Q&A", "chat": "Chat", "imagegen": "Drawing",
               "tts": "Voice", "embed": "Search"}
SHOWN = ("chat", "vision", "vlm", "imagegen", "asr", "tts")


def describe_state(state: str, device: str = "", progress: float | None = None, detail: str = "") -> str:
    if state == "ready" and device == "server":  # "on gpu-box:8000", from the manager's "... at URL"
        m = re.search(r"\bat (https?://\S+)", detail)
        host = urlsplit(m.group(1)).netloc.rpartition("@")[2] if m else ""
        return f"ready (on {host})" if host else "ready (on a server)"
    if state == "ready":
        return f"ready ({device.upper()})" if device else "ready"
    if state == "loading":
        return f"loading {progress:.0%}" if progress is not None else "loading…"
    if state == "downloading":
        return f"downloading {progress:.0%}" if progress is not None else "downloading…"
    if state == "failed":
        return "failed"
    return "not loaded"


class ModelStatusBar(QStatusBar):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setSizeGripEnabled(True)
        self.labels: dict[str, QLabel] = {}
        self.states: dict[str, tuple[str, str, str]] = {}
        self.progress: dict[str, float | None] = {}  # of a download or load under way
        for role in SHOWN:
            lab = QLabel()
            lab.setAccessibleName(f"{ROLE_LABELS[role]} model status")
            lab.setTextFormat(Qt.TextFormat.RichText)
            self.labels[role] = lab
            self.addPermanentWidget(lab)
            self.set_state(role, "not-loaded")

    def set_state(self, role: str, state: str, detail: str = "", device: str = "",
                  progress: float | None = None) -> None:
        lab = self.labels.get(role)
        self.states[role] = (state, detail, device)
        self.progress[role] = progress
        if lab is None:
            return
        c = COLORS[current_theme()]
        dot = {"ready": c["positive"], "loading": c["accent"], "downloading": c["accent"],
               "failed": c["negative"]}.get(state, c["neutral"])
        text = describe_state(state, device, progress, detail)
        lab.setText(f"<span style='color:{QColor(dot).name()}'>●</span> {ROLE_LABELS[role]}: {text}")
        tip = f"{ROLE_LABELS[role]} model: {text}"
        if detail:
            tip += f"\n{detail}"
        if state == "failed":
            tip += "\nOpen Models… to choose, download or fix it."
        lab.setToolTip(tip)

    def text_of(self, role: str) -> str:
        return self.labels[role].text()

    def restyle(self) -> None:
        for role, (state, detail, device) in list(self.states.items()):
            self.set_state(role, state, detail, device, self.progress.get(role))
