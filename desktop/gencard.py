"""The image-generation card of a reply: live preview, progress and cancel while drawing; then the
pictures (decoded off the GUI thread, desktop/thumbnails.py), their settings and the actions."""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QProgressBar, QPushButton, QVBoxLayout, QWidget

from .i18n import on_language, translate
from .theme import COLORS, current_theme, icon
from .thumbnails import ThumbnailLoader
from .widgets import Thumbnail

__all__ = ["GenCard"]

#: The lines a stopped card shows (the bubble passes one of them, in English; the card translates it).
STOPPED = (QT_TRANSLATE_NOOP("GenCard", "Stopped."), QT_TRANSLATE_NOOP("GenCard", "Could not draw the picture."))


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
        self.prompt = prompt
        lay = QVBoxLayout(self)
        lay.setContentsMargins(12, 10, 12, 12)
        lay.setSpacing(8)
        top = QHBoxLayout()
        self.title = QLabel()
        self.title.setObjectName("CardTitle")
        self.title.setWordWrap(True)
        self.cancel_button = QPushButton()
        self.cancel_button.setIcon(icon("stop"))
        self.cancel_button.clicked.connect(self.cancelRequested)
        top.addWidget(self.title, 1)
        top.addWidget(self.cancel_button, 0, Qt.AlignmentFlag.AlignTop)
        lay.addLayout(top)
        self.preview = QLabel()
        self.preview.setFixedSize(self.PREVIEW, self.PREVIEW)
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview.setObjectName("Muted")
        self.preview.setStyleSheet(f"background: {COLORS[current_theme()]['bar_bg']}; border-radius: 8px;")
        lay.addWidget(self.preview)
        self.bar = QProgressBar()
        self.bar.setRange(0, 0)
        self.eta = QLabel()
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
        self.variations_button = QPushButton()
        self.variations_button.setIcon(icon("sparkle"))
        self.edit_button = QPushButton()
        self.edit_button.setIcon(icon("brush"))
        self.save_button = QPushButton()
        self.save_button.setIcon(icon("save"))
        self.copy_button = QPushButton()
        self.copy_button.setIcon(icon("copy"))
        for b in (self.variations_button, self.edit_button, self.save_button, self.copy_button):
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
        self._progress: Any = None  # the last progress event (its line is rendered again on a language switch)
        self._stopped = ""
        self._image: dict | None = None
        self.set_prompt(prompt)
        on_language(self, self._retranslate)

    def _retranslate(self) -> None:
        self.setAccessibleName(translate("GenCard", "Image generation"))
        self.cancel_button.setText(translate("GenCard", "Cancel"))
        self.cancel_button.setToolTip(translate("GenCard", "Stop drawing (Esc)"))
        self.cancel_button.setAccessibleName(translate("GenCard", "Cancel image generation"))
        if self.preview.pixmap() is None or self.preview.pixmap().isNull():
            self.preview.setText(translate("GenCard", "Starting…"))
        self.preview.setAccessibleName(translate("GenCard", "Live preview"))
        self.bar.setFormat(translate("GenCard", "Step %v of %m"))
        self.bar.setAccessibleName(translate("GenCard", "Generation progress"))
        self.variations_button.setText(translate("GenCard", "Variations"))
        self.variations_button.setToolTip(translate("GenCard", "Same prompt and settings, a new seed"))
        self.edit_button.setText(translate("GenCard", "Edit this"))
        self.edit_button.setToolTip(translate("GenCard", "Change this picture: it becomes the input of your next "
                                              "message"))
        self.save_button.setText(translate("GenCard", "Save as…"))
        self.copy_button.setText(translate("GenCard", "Copy"))
        for b, name in ((self.variations_button, translate("GenCard", "Variations of this picture")),
                        (self.edit_button, translate("GenCard", "Edit this picture")),
                        (self.save_button, translate("GenCard", "Save the picture as")),
                        (self.copy_button, translate("GenCard", "Copy the picture"))):
            b.setAccessibleName(name)
        # the texts of the state it is in, from that state
        self._show_title()
        if self.state == "stopped":
            self.eta.setText(translate("GenCard", self._stopped))
        elif self._progress is not None:
            self._show_eta(self._progress)
        else:
            self.eta.setText(translate("GenCard", "Loading the image model…"))
        if self._image is not None:
            self._show_info(self._image)

    def set_prompt(self, prompt: str) -> None:
        self.prompt = prompt
        self._show_title()

    def _show_title(self) -> None:
        if self.state == "done":
            self.title.setText(f"\u201c{self.prompt}\u201d")
        elif self.prompt:
            self.title.setText(translate("GenCard", "Drawing \u201c{prompt}\u201d").format(prompt=self.prompt))
        else:
            self.title.setText(translate("GenCard", "Drawing…"))

    def set_progress(self, ev: Any) -> None:
        self._progress = ev
        if int(ev.total) <= 0:  # a server that reports no steps: busy, with the time it has taken
            self.bar.setRange(0, 0)
            self._show_eta(ev)
            return
        total = int(ev.total)
        self.bar.setRange(0, total)
        self.bar.setValue(min(int(ev.step), total))
        self._show_eta(ev)
        if ev.preview_png:
            pm = QPixmap()
            if pm.loadFromData(ev.preview_png):
                self.preview.setPixmap(pm.scaled(self.PREVIEW, self.PREVIEW, Qt.AspectRatioMode.KeepAspectRatio,
                                                 Qt.TransformationMode.SmoothTransformation))

    def _show_eta(self, ev: Any) -> None:
        """The line under the progress bar: time left (or waited), which image of how many."""
        count = getattr(ev, "count", 1)
        if int(ev.total) <= 0:
            waited = (translate("GenCard", "{seconds} s so far").format(seconds=f"{ev.elapsed_s:.0f}")
                      if ev.elapsed_s >= 1 else translate("GenCard", "starting"))
            parts = [translate("GenCard", "drawing on the server, {waited}").format(waited=waited)]
            if count > 1:
                parts.append(translate("GenCard", "{count} images").format(count=count))
            self.eta.setText(" · ".join(parts))
            return
        total = int(ev.total)
        parts = []
        if ev.step > 0 and ev.elapsed_s > 0:
            left = ev.elapsed_s / ev.step * (total - ev.step)
            parts.append(translate("GenCard", "about {seconds} s left").format(seconds=f"{left:.0f}") if left >= 1
                         else translate("GenCard", "almost done"))
        else:
            parts.append(translate("GenCard", "starting"))
        if count > 1:
            parts.append(translate("GenCard", "image {number} of {count}").format(number=ev.index + 1, count=count))
        self.eta.setText(" · ".join(parts))

    def set_result(self, image: dict) -> None:
        self.state = "done"
        self._image = image
        self.paths = [str(p) for p in image.get("paths", [])]
        self.set_prompt(image.get("prompt", self.prompt))
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
        self._show_info(image)
        self.info.show()
        self.actions.setVisible(bool(self.paths))

    def _show_info(self, image: dict) -> None:
        """The result's settings in one line: seed, size, steps, guidance, sampler, model."""
        params = image.get("params") or {}
        bits = [translate("GenCard", "Seed {seed}").format(seed=image.get("seed", "?"))]
        if params.get("width") and params.get("height"):
            bits.append(f"{params['width']}×{params['height']}")
        if params.get("steps"):
            bits.append(translate("GenCard", "{steps} steps").format(steps=params["steps"]))
        if params.get("guidance") is not None:
            bits.append(translate("GenCard", "guidance {guidance}").format(guidance=f"{float(params['guidance']):g}"))
        for key in ("sampler", "model"):  # the values in use, the model's defaults included
            if params.get(key):
                bits.append(str(params[key]))
        if image.get("flagged") and any(image.get("flagged")):
            bits.append(translate("GenCard", "flagged by the safety checker"))
        self.info.setText(" · ".join(bits))

    def set_stopped(self, text: str) -> None:
        """Stopped or failed: ``text`` is the line to show, in English when it is one of ``STOPPED``
        (it is translated here, and again on a language switch)."""
        self.state = "stopped"
        self._stopped = text
        self.cancel_button.hide()
        self.bar.hide()
        self.eta.setText(translate("GenCard", text))
        if self.preview.pixmap() is None or self.preview.pixmap().isNull():
            self.preview.hide()
