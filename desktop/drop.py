"""Dropping files and pictures on the window: the overlay shown while they are dragged over it."""
from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QWidget

from .theme import COLORS, current_theme

__all__ = ["DropOverlay"]


class DropOverlay(QWidget):
    """Shown over the window while files are dragged over it."""

    def __init__(self, parent: QWidget):
        super().__init__(parent)
        self.setObjectName("DropOverlay")
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, True)
        self.text = "Drop pictures to ask about them"
        self.hide()

    def paintEvent(self, _e):
        c = COLORS[current_theme()]
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        bg = QColor(c["window"])
        bg.setAlphaF(0.88)
        p.fillRect(self.rect(), bg)
        pen = QPen(QColor(c["accent"]), 2.5, Qt.PenStyle.DashLine)
        p.setPen(pen)
        r = QRectF(self.rect()).adjusted(24, 24, -24, -24)
        p.drawRoundedRect(r, 16, 16)
        f = p.font()
        f.setPointSizeF(f.pointSizeF() * 1.6)
        f.setBold(True)
        p.setFont(f)
        p.setPen(QColor(c["text"]))
        p.drawText(r, Qt.AlignmentFlag.AlignCenter, self.text)
        p.end()

    def cover(self, widget: QWidget) -> None:
        self.setGeometry(widget.rect())
        self.raise_()
        self.show()
