"""The input bar's parts: the message box (Enter sends, pasted pictures attach), the drawing
parameters and the chips of attached pictures."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QImage, QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSizePolicy,
    QSpinBox,
)

from pipelines.events import ImageOptions

from .i18n import on_language, translate
from .widgets import Thumbnail, action_button

__all__ = ["PromptEdit", "ImageParams", "AttachmentChip", "IMAGE_SUFFIXES", "MAX_ATTACHMENTS", "is_image_file"]

IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".webp", ".gif", ".bmp", ".tif", ".tiff", ".heic", ".heif", ".avif"}
MAX_ATTACHMENTS = 8


def is_image_file(path: str) -> bool:
    return Path(path).suffix.lower() in IMAGE_SUFFIXES


class PromptEdit(QPlainTextEdit):
    """Enter sends, Shift+Enter adds a line; pasted pictures and image files become attachments."""

    submitted = Signal(bool)  # True: send now, interrupting the running reply (Ctrl+Enter)
    filesPasted = Signal(list)
    imagePasted = Signal(QImage)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("PromptEdit")
        self.setTabChangesFocus(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.document().documentLayout().documentSizeChanged.connect(self._grow)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self._grow()
        on_language(self, self._retranslate)

    def _retranslate(self) -> None:
        self.setAccessibleName(translate("PromptEdit", "Message"))
        self.setPlaceholderText(translate("PromptEdit", "Message Sensorium…  (Shift+Enter: new line)"))
        self.setAccessibleDescription(translate("PromptEdit", "Enter sends (after the current reply), Ctrl+Enter "
                                                "sends now and stops the current reply, Shift+Enter adds a line"))

    def _grow(self, *_):
        full = int(self.document().size().height())
        lines = max(1, min(8, full))
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded if full > 8
                                        else Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        h = self.fontMetrics().lineSpacing() * lines + 14
        self.setFixedHeight(h)

    def keyPressEvent(self, e: QKeyEvent):
        if e.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if e.modifiers() & Qt.KeyboardModifier.ShiftModifier:
                self.insertPlainText("\n")
            else:
                self.submitted.emit(bool(e.modifiers() & Qt.KeyboardModifier.ControlModifier))
            return
        super().keyPressEvent(e)

    def canInsertFromMimeData(self, source):
        return source.hasImage() or source.hasUrls() or super().canInsertFromMimeData(source)

    def insertFromMimeData(self, source):
        if source.hasUrls() and any(u.isLocalFile() for u in source.urls()):
            self.filesPasted.emit([u.toLocalFile() for u in source.urls() if u.isLocalFile()])
            return
        if source.hasImage():
            img = source.imageData()
            if isinstance(img, QImage) and not img.isNull():
                self.imagePasted.emit(img)
                return
        super().insertFromMimeData(source)

    # drops on the prompt go to the window (attachments), not into the text
    def dragEnterEvent(self, e):
        if e.mimeData().hasUrls():
            e.ignore()
            return
        super().dragEnterEvent(e)

    def dragMoveEvent(self, e):
        if e.mimeData().hasUrls():
            e.ignore()
            return
        super().dragMoveEvent(e)

    def dropEvent(self, e):
        if e.mimeData().hasUrls():
            e.ignore()
            return
        super().dropEvent(e)


class ImageParams(QFrame):
    """Drawing parameters with the defaults from settings.imagegen. "Model default" (a value the
    settings leave unset) sends None: the image model's own default (SD-Turbo: 2 steps, guidance 0)."""

    SIZES = ((512, 512), (768, 768), (1024, 1024), (512, 768), (768, 512), (256, 256))

    def __init__(self, defaults, parent=None):
        super().__init__(parent)
        self.setObjectName("ParamsPanel")
        g = QGridLayout(self)
        g.setContentsMargins(12, 10, 12, 10)
        g.setHorizontalSpacing(10)
        g.setVerticalSpacing(6)
        self.size = QComboBox()
        self.steps = QSpinBox()
        self.steps.setRange(0, 150)
        self.seed = QSpinBox()
        self.seed.setRange(-1, 2**31 - 1)
        self.guidance = QDoubleSpinBox()
        self.guidance.setRange(-0.5, 30.0)
        self.guidance.setSingleStep(0.5)
        self.best_of = QSpinBox()
        self.best_of.setRange(1, 8)
        self.negative = QLineEdit()
        self.labels: list[QLabel] = []  # Size, Steps, Seed, Guidance, Best of, Negative prompt
        for i, w in enumerate((self.size, self.steps, self.seed, self.guidance, self.best_of)):
            lab = QLabel()
            lab.setObjectName("Muted")
            lab.setBuddy(w)
            g.addWidget(lab, 0, i)
            g.addWidget(w, 1, i)
            self.labels.append(lab)
        lab = QLabel()
        lab.setObjectName("Muted")
        g.addWidget(lab, 2, 0, 1, 5)
        g.addWidget(self.negative, 3, 0, 1, 5)
        self.labels.append(lab)
        self.reset(defaults)
        on_language(self, self._retranslate)

    def _retranslate(self) -> None:
        self.setAccessibleName(translate("ImageParams", "Drawing parameters"))
        self.size.setAccessibleName(translate("ImageParams", "Image size"))
        default = translate("ImageParams", "Model default")
        self.steps.setSpecialValueText(default)
        self.steps.setAccessibleName(translate("ImageParams", "Steps"))
        self.steps.setToolTip(translate("ImageParams", "Denoising steps: more is slower and usually cleaner"))
        self.seed.setSpecialValueText(translate("ImageParams", "Random"))
        self.seed.setAccessibleName(translate("ImageParams", "Seed"))
        self.seed.setToolTip(translate("ImageParams", "The same seed and settings give the same picture"))
        self.guidance.setSpecialValueText(default)
        self.guidance.setAccessibleName(translate("ImageParams", "Guidance"))
        self.guidance.setToolTip(translate("ImageParams", "How closely the picture follows the prompt"))
        self.best_of.setAccessibleName(translate("ImageParams", "Best of"))
        self.best_of.setToolTip(translate("ImageParams", "Draw several and rank them by how well they match the "
                                          "prompt"))
        self.negative.setAccessibleName(translate("ImageParams", "Negative prompt"))
        self.negative.setPlaceholderText(translate("ImageParams", "What the picture should not show"))
        names = (translate("ImageParams", "Size"), translate("ImageParams", "Steps"), translate("ImageParams", "Seed"),
                 translate("ImageParams", "Guidance"), translate("ImageParams", "Best of"),
                 translate("ImageParams", "Negative prompt"))
        for lab, name in zip(self.labels, names, strict=True):
            lab.setText(name)
        for i in range(self.size.count()):  # the size list keeps its entries and the one chosen
            if self.size.itemData(i) == (None, None):
                self.size.setItemText(i, default)

    def reset(self, d) -> None:
        self.size.clear()
        sizes: list = [(None, None)] + list(self.SIZES)
        if (d.width, d.height) not in sizes and None not in (d.width, d.height):
            sizes.insert(1, (d.width, d.height))
        for w, h in sizes:
            self.size.addItem(translate("ImageParams", "Model default") if w is None else f"{w} × {h}", (w, h))
        current = (d.width, d.height) if None not in (d.width, d.height) else (None, None)
        self.size.setCurrentIndex(sizes.index(current))
        self.steps.setValue(self.steps.minimum() if d.steps is None else d.steps)
        self.seed.setValue(-1)
        self.guidance.setValue(self.guidance.minimum() if d.guidance is None else d.guidance)
        self.best_of.setValue(d.best_of)
        self.negative.setText(d.negative_prompt)

    def options(self) -> ImageOptions:
        w, h = self.size.currentData()
        seed = self.seed.value()
        steps = self.steps.value() if self.steps.value() > self.steps.minimum() else None
        guidance = self.guidance.value() if self.guidance.value() > self.guidance.minimum() else None
        return ImageOptions(width=w, height=h, steps=steps, guidance=guidance,
                            seed=None if seed < 0 else seed, negative_prompt=self.negative.text(),
                            best_of=self.best_of.value())


class AttachmentChip(QFrame):
    def __init__(self, path: str, on_remove, parent=None):
        super().__init__(parent)
        self.setObjectName("Chip")
        self.path = path
        h = QHBoxLayout(self)
        h.setContentsMargins(4, 4, 4, 4)
        h.setSpacing(4)
        h.addWidget(Thumbnail(path, 40))
        name = QLabel(Path(path).name)
        name.setMaximumWidth(140)
        name.setToolTip(path)
        h.addWidget(name)
        self.remove_button = action_button("close", "", lambda: on_remove(path), size=12)
        h.addWidget(self.remove_button)
        on_language(self, self._retranslate)

    def _retranslate(self) -> None:
        tip = translate("AttachmentChip", "Remove {name}").format(name=Path(self.path).name)
        self.remove_button.setToolTip(tip)
        self.remove_button.setAccessibleName(tip.split(" (")[0])
