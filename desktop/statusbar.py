"""Per-role model state in the status bar: not loaded, downloading or loading (with progress), ready on
GPU/CPU, failed. The detail (a download's "412 / 1,480 MB", a failure's reason) is in the tooltip, in
the interface's language when the manager gave it as a Text (``detail_text``)."""
from __future__ import annotations

import re
from urllib.parse import urlsplit

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QLabel, QStatusBar

from pipelines.errors import Text

from .i18n import on_language, render, translate
from .theme import COLORS, current_theme

__all__ = ["ModelStatusBar", "ROLE_LABELS", "describe_state"]

#: The roles' short names (English source texts: show them with translate("ModelStatusBar", ...)).
ROLE_LABELS = {"asr": QT_TRANSLATE_NOOP("ModelStatusBar", "Speech"),
               "vision": QT_TRANSLATE_NOOP("ModelStatusBar", "Vision"),
               "vlm": QT_TRANSLATE_NOOP("ModelStatusBar", "Image Q&A"),
               "chat": QT_TRANSLATE_NOOP("ModelStatusBar", "Chat"),
               "imagegen": QT_TRANSLATE_NOOP("ModelStatusBar", "Drawing"),
               "tts": QT_TRANSLATE_NOOP("ModelStatusBar", "Voice"),
               "embed": QT_TRANSLATE_NOOP("ModelStatusBar", "Search")}
SHOWN = ("chat", "vision", "vlm", "imagegen", "asr", "tts")


def describe_state(state: str, device: str = "", progress: float | None = None, detail: str = "") -> str:
    """The state in words, in the interface's language."""
    if state == "ready" and device == "server":  # "on gpu-box:8000", from the manager's "... at URL"
        m = re.search(r"\bat (https?://\S+)", detail)
        host = urlsplit(m.group(1)).netloc.rpartition("@")[2] if m else ""
        return (translate("ModelStatusBar", "ready (on {host})").format(host=host) if host
                else translate("ModelStatusBar", "ready (on a server)"))
    if state == "ready":
        return (translate("ModelStatusBar", "ready ({device})").format(device=device.upper()) if device
                else translate("ModelStatusBar", "ready"))
    if state == "loading":
        return (translate("ModelStatusBar", "loading {percent}").format(percent=f"{progress:.0%}")
                if progress is not None else translate("ModelStatusBar", "loading…"))
    if state == "downloading":
        return (translate("ModelStatusBar", "downloading {percent}").format(percent=f"{progress:.0%}")
                if progress is not None else translate("ModelStatusBar", "downloading…"))
    if state == "failed":
        return translate("ModelStatusBar", "failed")
    return translate("ModelStatusBar", "not loaded")


class ModelStatusBar(QStatusBar):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setSizeGripEnabled(True)
        self.labels: dict[str, QLabel] = {}
        self.states: dict[str, tuple[str, str, str]] = {}
        self.progress: dict[str, float | None] = {}  # of a download or load under way
        self.detail_texts: dict[str, Text | None] = {}  # each detail as a Text, when it came as one
        for role in SHOWN:
            lab = QLabel()
            lab.setTextFormat(Qt.TextFormat.RichText)
            self.labels[role] = lab
            self.addPermanentWidget(lab)
            self.states[role] = ("not-loaded", "", "")
            self.progress[role] = None
        on_language(self, self._retranslate)

    def _retranslate(self) -> None:
        for role, lab in self.labels.items():
            lab.setAccessibleName(translate("ModelStatusBar", "{role} model status").format(role=self._role(role)))
        self.restyle()  # each role's state again, from the stored state

    @staticmethod
    def _role(role: str) -> str:
        return translate("ModelStatusBar", ROLE_LABELS[role]) if role in ROLE_LABELS else role

    def set_state(self, role: str, state: str, detail: str = "", device: str = "",
                  progress: float | None = None, detail_text: Text | None = None) -> None:
        """Show a role's state; ``detail`` is the English line, ``detail_text`` the same as a Text
        (the tooltip says it in the interface's language, again after a switch)."""
        lab = self.labels.get(role)
        self.states[role] = (state, detail, device)
        self.progress[role] = progress
        self.detail_texts[role] = detail_text
        if lab is None:
            return
        c = COLORS[current_theme()]
        dot = {"ready": c["positive"], "loading": c["accent"], "downloading": c["accent"],
               "failed": c["negative"]}.get(state, c["neutral"])
        text = describe_state(state, device, progress, detail)
        name = self._role(role)
        lab.setText(f"<span style='color:{QColor(dot).name()}'>●</span> "
                    + translate("ModelStatusBar", "{role}: {state}").format(role=name, state=text))
        tip = translate("ModelStatusBar", "{role} model: {state}").format(role=name, state=text)
        if detail:
            tip += "\n" + render(detail_text, detail)
        if state == "failed":
            tip += "\n" + translate("ModelStatusBar", "Open Models… to choose, download or fix it.")
        lab.setToolTip(tip)

    def text_of(self, role: str) -> str:
        return self.labels[role].text()

    def restyle(self) -> None:
        for role, (state, detail, device) in list(self.states.items()):
            self.set_state(role, state, detail, device, self.progress.get(role), self.detail_texts.get(role))
