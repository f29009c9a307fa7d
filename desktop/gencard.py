"""The image-generation card of a reply: live preview, progress and cancel while drawing; then the
pictures (decoded off the GUI thread, desktop/thumbnails.py), their settings and the actions."""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QProgressBar, QPushButton, QVBoxLayout, QWidget

from .theme import COLORS, current_theme, icon
from .thumbnails import ThumbnailLoader
from .widgets import Thumbnail

__all__ = ["GenCard"]


class GenCard(QFrame):
    """Image generation in the conversation: live preview, progress and cancel; then the result.

    ``loader`` decodes the result's thumbnails (the conversation view passes its shared one).
    """

    cancelRequested = Signal()
    variationsRequested = Signal()
    editRequested = Signal(str)
    imageClicked = Signal(str)
    saveRequested = Signal(str)
    copyRequested = Signal(str)

    PREVIEW = 256

    def __init__(self, prompt: str = "", parent=None, *, loader: ThumbnailLoader | None = None):
        super().__init__(parent)
        self.loader = loader
        self.setObjectName("Card")
        self.setAccessibleName("Image generation")
        self.prompt = prompt
        lay = QVBoxLayout(self)
        lay.setContentsMargins(12, 10, 12, 12)
        lay.setSpacing(8)
        top = QHBoxLayout()
        self.title = QLabel()
        self.title.setObjectName("CardTitle")
        self.title.setWordWrap(True)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setIcon(icon("stop"))
        self.cancel_button.setToolTip("Stop drawing (Esc)")
        self.cancel_button.setAccessibleName("Cancel image generation")
        self.cancel_button.clicked.connect(self.cancelRequested)
        top.addWidget(self.title, 1)
        top.addWidget(self.cancel_button, 0, Qt.AlignmentFlag.AlignTop)
        lay.addLayout(top)
        self.preview = QLabel()
        self.preview.setFixedSize(self.PREVIEW, self.PREVIEW)
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview.setObjectName("Muted")
        self.preview.setText("Starting…")
        self.preview.setStyleSheet(f"background: {COLORS[current_theme()]['bar_bg']}; border-radius: 8px;")
        self.preview.setAccessibleName("Live preview")
        lay.addWidget(self.preview)
        self.bar = QProgressBar()
        self.bar.setRange(0, 0)
        self.bar.setFormat("Step %v of %m")
        self.bar.setAccessibleName("Generation progress")
        self.eta = QLabel("Loading the image model…")
        self.eta.setObjectName("Muted")
        lay.addWidget(self.bar)
        lay.addWidget(self.eta)
        self.results = QHBoxLayout()
        self.results.setSpacing(8)
        lay.addLayout(self.results)
        self.info = QLabel()
        self.info.setObjectName("Muted")
        self.info.setWordWrap(True)
        self.info.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.info.hide()
        lay.addWidget(self.info)
        row = QHBoxLayout()
        self.variations_button = QPushButton("Variations")
        self.variations_button.setIcon(icon("sparkle"))
        self.variations_button.setToolTip("Same prompt and settings, a new seed")
        self.edit_button = QPushButton("Edit this")
        self.edit_button.setIcon(icon("brush"))
        self.edit_button.setToolTip("Change this picture: it becomes the input of your next message")
        self.save_button = QPushButton("Save as…")
        self.save_button.setIcon(icon("save"))
        self.copy_button = QPushButton("Copy")
        self.copy_button.setIcon(icon("copy"))
        for b, name in ((self.variations_button, "Variations of this picture"),
                        (self.edit_button, "Edit this picture"), (self.save_button, "Save the picture as"),
                        (self.copy_button, "Copy the picture")):
            b.setAccessibleName(name)
            row.addWidget(b)
        row.addStretch(1)
        self.variations_button.clicked.connect(self.variationsRequested)
        self.edit_button.clicked.connect(lambda: self.editRequested.emit(self.paths[0] if self.paths else ""))
        self.save_button.clicked.connect(lambda: self.saveRequested.emit(self.paths[0] if self.paths else ""))
        self.copy_button.clicked.connect(lambda: self.copyRequested.emit(self.paths[0] if self.paths else ""))
        self.actions = QWidget()
        self.actions.setLayout(row)
        row.setContentsMargins(0, 0, 0, 0)
        self.actions.hide()
        lay.addWidget(self.actions)
        self.paths: list[str] = []
        self.state = "running"
        self.set_prompt(prompt)

    def set_prompt(self, prompt: str) -> None:
        self.prompt = prompt
        self.title.setText(f"Drawing \u201c{prompt}\u201d" if prompt else "Drawing…")

    def set_progress(self, ev: Any) -> None:
        if int(ev.total) <= 0:  # a server that reports no steps: busy, with the time it has taken
            self.bar.setRange(0, 0)
            waited = f"{ev.elapsed_s:.0f} s so far" if ev.elapsed_s >= 1 else "starting"
            self.eta.setText(" · ".join([f"drawing on the server, {waited}",
                                         *([f"{ev.count} images"] if getattr(ev, "count", 1) > 1 else [])]))
            return
        total = int(ev.total)
        self.bar.setRange(0, total)
        self.bar.setValue(min(int(ev.step), total))
        parts = []
        if ev.step > 0 and ev.elapsed_s > 0:
            left = ev.elapsed_s / ev.step * (total - ev.step)
            parts.append(f"about {left:.0f} s left" if left >= 1 else "almost done")
        else:
            parts.append("starting")
        if getattr(ev, "count", 1) > 1:
            parts.append(f"image {ev.index + 1} of {ev.count}")
        self.eta.setText(" · ".join(parts))
        if ev.preview_png:
            pm = QPixmap()
            if pm.loadFromData(ev.preview_png):
                self.preview.setPixmap(pm.scaled(self.PREVIEW, self.PREVIEW, Qt.AspectRatioMode.KeepAspectRatio,
                                                 Qt.TransformationMode.SmoothTransformation))

    def set_result(self, image: dict) -> None:
        self.state = "done"
        self.paths = [str(p) for p in image.get("paths", [])]
        self.set_prompt(image.get("prompt", self.prompt))
        self.title.setText(f"\u201c{self.prompt}\u201d")
        for w in (self.preview, self.bar, self.eta, self.cancel_button):
            w.hide()
        while self.results.count():
            it = self.results.takeAt(0)
            if it.widget():
                it.widget().deleteLater()
        box = 256 if len(self.paths) == 1 else 160
        for p in self.paths:
            t = Thumbnail(p, box, loader=self.loader)
            t.clicked.connect(self.imageClicked)
            self.results.addWidget(t)
        self.results.addStretch(1)
        params = image.get("params") or {}
        bits = [f"Seed {image.get('seed', '?')}"]
        if params.get("width") and params.get("height"):
            bits.append(f"{params['width']}×{params['height']}")
        if params.get("steps"):
            bits.append(f"{params['steps']} steps")
        if params.get("guidance") is not None:
            bits.append(f"guidance {float(params['guidance']):g}")
        for key in ("sampler", "model"):  # the values in use, the model's defaults included
            if params.get(key):
                bits.append(str(params[key]))
        if image.get("flagged") and any(image.get("flagged")):
            bits.append("flagged by the safety checker")
        self.info.setText(" · ".join(bits))
        self.info.show()
        self.actions.setVisible(bool(self.paths))

    def set_stopped(self, text: str) -> None:
        self.state = "stopped"
        self.cancel_button.hide()
        self.bar.hide()
        self.eta.setText(text)
        if self.preview.pixmap() is None or self.preview.pixmap().isNull():
            self.preview.hide()
