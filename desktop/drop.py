"""Dropping files and pictures on the window: the overlay shown while they are dragged over it, and
the event filter that takes the drop (local files go to ``window.attach``: pictures are attached,
documents indexed; web addresses are not fetched)."""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QWidget

from .i18n import on_language, translate
from .theme import COLORS, current_theme

__all__ = ["DropOverlay", "DropTarget"]


class DropOverlay(QWidget):
    """Shown over the window while files are dragged over it."""

    def __init__(self, parent: QWidget):
        super().__init__(parent)
        self.setObjectName("DropOverlay")
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, True)
        self.text = ""
        self.hide()
        on_language(self, self._retranslate)

    def _retranslate(self) -> None:
        self.text = translate("DropOverlay", "Drop pictures to ask about them,\nor documents to add them to your "
                              "documents")
        self.update()

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


class DropTarget(QObject):
    """An event filter on the window: shows the overlay over ``area`` while something droppable is
    dragged over it; a drop attaches local files (``window.attach``) or a dropped picture."""

    def __init__(self, window: Any, overlay: DropOverlay, area: QWidget):
        super().__init__(window)
        self.window, self.overlay, self.area = window, overlay, area

    def eventFilter(self, obj, e):
        t = e.type()
        if t in (QEvent.Type.DragEnter, QEvent.Type.DragMove):
            md = e.mimeData()
            if md.hasUrls() or md.hasImage():
                e.acceptProposedAction()
                if t == QEvent.Type.DragEnter:
                    self.overlay.cover(self.area)
            else:
                e.ignore()
            return True
        if t == QEvent.Type.DragLeave:
            self.overlay.hide()
            return True
        if t == QEvent.Type.Drop:
            self.overlay.hide()
            self._drop(e)
            return True
        if t == QEvent.Type.Resize and self.overlay.isVisible():
            self.overlay.setGeometry(self.area.rect())
        return False

    def _drop(self, e) -> None:
        md = e.mimeData()
        if md.hasUrls():
            paths = [u.toLocalFile() for u in md.urls() if u.isLocalFile()]
            if len(md.urls()) > len(paths) and not paths:
                self.window.show_problem(lambda: translate("DropTarget", "only files on this computer can be dropped "
                                                           "(web addresses are not fetched)"))
            else:
                self.window.attach(paths)
            e.acceptProposedAction()
        elif md.hasImage():
            self.window.input.add_image_data(md.imageData())
            e.acceptProposedAction()
