"""Small reusable widgets: the one-line message bar, evidence bars, clickable thumbnails."""
from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPixmap
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QWidget,
)

from .i18n import on_language, translate
from .theme import COLORS, current_theme, icon
from .thumbnails import ThumbnailLoader

__all__ = ["MessageBar", "EvidenceBars", "Thumbnail", "action_button", "set_tip", "LevelMeter"]

#: a message bar line or action: the text, or a function that gives it in the current language
Line = str | Callable[[], str]


def set_tip(b: QWidget, tip: str) -> None:
    """A button's tooltip, and its accessible name: the tip without its "(Ctrl+N)" part."""
    b.setToolTip(tip)
    b.setAccessibleName(tip.split(" (")[0].split("（")[0])


def action_button(name: str, tip: str, slot: Callable | None = None, *, checkable: bool = False,
                  object_name: str = "ActionButton", size: int = 16) -> QToolButton:
    b = QToolButton()
    b.setObjectName(object_name)
    b.setIcon(icon(name))
    b.setIconSize(QSize(size, size))
    set_tip(b, tip)
    b.setCheckable(checkable)
    b.setCursor(Qt.CursorShape.PointingHandCursor)
    b.setProperty("icon_name", name)
    if slot is not None:
        b.clicked.connect(slot)
    return b


class MessageBar(QWidget):
    """One line at the bottom of the conversation: errors, notices, and Undo after a delete.

    ``show_message`` takes the line (and the action's text) as a string, or as a function that
    gives it in the current language: such a line is said again in the new language when the
    language changes while it is shown."""

    actionTriggered = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("MessageBar")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(12, 6, 6, 6)
        self.label = QLabel()
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.label.setWordWrap(True)  # a long notice wraps onto a second line instead of being cut
        self.label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.button = QPushButton()
        self.button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.button.clicked.connect(self._on_action)
        self.close_button = action_button("close", "", self.hide, object_name="MessageBarClose", size=14)
        lay.addWidget(self.label, 1)
        lay.addWidget(self.button)
        lay.addWidget(self.close_button)
        self._action: Callable[[], None] | None = None
        self._lines: tuple[Line, Line] = ("", "")  # the line and the action shown, as given
        self._timer = QTimer(self, singleShot=True, timeout=self.hide)
        self.history: list[str] = []  # every message shown (tests, and the log)
        self.hide()
        on_language(self, self._retranslate)

    def _retranslate(self) -> None:
        self.setAccessibleName(translate("MessageBar", "Message bar"))
        set_tip(self.close_button, translate("MessageBar", "Dismiss"))
        if any(callable(x) for x in self._lines):
            self._show_lines()

    @staticmethod
    def _said(line: Line) -> str:
        return " ".join(str(line() if callable(line) else line).split())

    def _show_lines(self) -> str:
        text, action = self._said(self._lines[0]), self._said(self._lines[1])
        self.label.setText(text)
        self.label.setToolTip(text)
        self.button.setText(action)
        self.button.setVisible(bool(action))
        return text

    def show_message(self, text: Line, *, action: Line = "", callback: Callable[[], None] | None = None,
                     timeout_ms: int = 6000) -> None:
        self._lines = (text, action)
        self.history.append(self._show_lines())
        self._action = callback
        self.close_button.setIcon(icon("close", "#f9fafb" if current_theme() == "light" else "#1b1c1f"))
        self.show()
        self.raise_()
        if timeout_ms:
            self._timer.start(timeout_ms)
        else:
            self._timer.stop()

    @property
    def text(self) -> str:
        return self.label.text() if self.isVisible() else ""

    def _on_action(self) -> None:
        cb, self._action = self._action, None
        self.hide()
        if cb:
            cb()
        self.actionTriggered.emit()


class EvidenceBars(QWidget):
    """Horizontal bars of CLIP labels and scores: the explanation of an image answer."""

    def __init__(self, labels: Sequence[tuple[str, float]] = (), parent=None, *, limit: int = 6):
        super().__init__(parent)
        self.setObjectName("Evidence")
        self.limit = limit
        self.labels: list[tuple[str, float]] = []
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.set_labels(labels)
        on_language(self, lambda: self.setAccessibleName(translate("EvidenceBars", "Image evidence")))

    def set_labels(self, labels: Sequence[tuple[str, float]]) -> None:
        self.labels = [(str(a), float(b)) for a, b in labels][: self.limit]
        self.setToolTip("\n".join(f"{a}: {b:.1%}" for a, b in self.labels))
        self.setAccessibleDescription("; ".join(f"{a} {b:.0%}" for a, b in self.labels))
        self.setFixedHeight(self._row() * len(self.labels) + 4 if self.labels else 0)
        self.update()

    def _row(self) -> int:
        return QFontMetrics(self.font()).height() + 10

    def sizeHint(self) -> QSize:
        return QSize(320, self.height())

    def paintEvent(self, _e):
        if not self.labels:
            return
        c = COLORS[current_theme()]
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        fm = QFontMetrics(self.font())
        row = self._row()
        label_w = min(max(fm.horizontalAdvance(a) for a, _ in self.labels) + 12, int(self.width() * 0.45))
        pct_w = fm.horizontalAdvance("100%") + 10
        bar_w = max(20, self.width() - label_w - pct_w)
        top_score = max(s for _, s in self.labels) or 1.0
        for i, (label, score) in enumerate(self.labels):
            y = 2 + i * row
            p.setPen(QColor(c["text"]))
            text = fm.elidedText(label, Qt.TextElideMode.ElideRight, label_w - 10)
            p.drawText(QRectF(0, y, label_w - 8, row), Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight, text)
            rect = QRectF(label_w, y + 4, bar_w, row - 8)
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(QColor(c["bar_bg"]))
            p.drawRoundedRect(rect, 4, 4)
            fill = QRectF(rect.x(), rect.y(), max(4.0, rect.width() * max(0.0, min(1.0, score))), rect.height())
            color = QColor(c["bar"])
            if score < top_score:
                color.setAlphaF(0.55)
            p.setBrush(color)
            p.drawRoundedRect(fill, 4, 4)
            p.setPen(QColor(c["muted"]))
            p.drawText(QRectF(label_w + bar_w + 6, y, pct_w, row), Qt.AlignmentFlag.AlignVCenter, f"{score:.0%}")
        p.end()


class Thumbnail(QLabel):
    """A picture scaled to fit a box; clicking emits ``clicked(path)``.

    The picture is decoded off the GUI thread by ``loader`` (desktop/thumbnails.py; pass a shared one
    so its cache serves every thumbnail, else the thumbnail makes its own): until it arrives the
    label is a box-sized placeholder. ``pixmap`` shows a picture already in memory instead.
    """

    clicked = Signal(str)

    def __init__(self, path: str, box: int = 220, parent=None, *, pixmap: QPixmap | None = None,
                 loader: ThumbnailLoader | None = None):
        super().__init__(parent)
        self.path = path
        self.box = box
        self.loaded = False  # the picture (or "not found") is shown
        self.missing = False
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        on_language(self, self._retranslate)
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        if pixmap is not None:
            self._show(pixmap.scaled(box, box, Qt.AspectRatioMode.KeepAspectRatio,
                                     Qt.TransformationMode.SmoothTransformation))
            return
        self.loader = loader if loader is not None else ThumbnailLoader(self)
        pm = self.loader.request(path, box, self, self._show)
        if pm is not None:
            self._show(pm)
        else:
            self.setFixedSize(box, box)
            self.setStyleSheet(f"background: {COLORS[current_theme()]['bar_bg']}; border-radius: 6px;")

    def _retranslate(self) -> None:
        self.setToolTip(translate("Thumbnail", "{path}\nClick to open full size").format(path=self.path))
        self.setAccessibleName(translate("Thumbnail", "Picture"))
        self.setAccessibleDescription(translate("Thumbnail", "{name}; press Enter to open it full size")
                                      .format(name=Path(self.path).name))
        if self.missing:
            self.setText(translate("Thumbnail", "(picture not found)"))

    def _show(self, pm: QPixmap) -> None:
        self.loaded = True
        self.setStyleSheet("")
        if pm.isNull():
            self.setMinimumSize(0, 0)
            self.setMaximumSize(16777215, 16777215)
            self.missing = True
            self.setText(translate("Thumbnail", "(picture not found)"))
        else:
            self.setFixedSize(pm.size())
            self.setPixmap(pm)

    def mouseReleaseEvent(self, e):
        if e.button() == Qt.MouseButton.LeftButton:
            self.clicked.emit(self.path)
        super().mouseReleaseEvent(e)

    def keyPressEvent(self, e):  # reached with Tab: Enter or Space opens the picture
        if e.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self.clicked.emit(self.path)
        else:
            super().keyPressEvent(e)

    def paintEvent(self, e):
        super().paintEvent(e)
        if self.hasFocus():
            p = QPainter(self)
            p.setPen(QColor(COLORS[current_theme()]["accent"]))
            p.drawRect(self.rect().adjusted(0, 0, -1, -1))
            p.end()


class LevelMeter(QWidget):
    """A thin microphone level meter (0..1)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.level = 0.0
        self.setFixedSize(40, 6)
        on_language(self, lambda: self.setAccessibleName(translate("LevelMeter", "Microphone level")))

    def set_level(self, value: float) -> None:
        self.level = max(0.0, min(1.0, float(value)))
        self.update()

    def paintEvent(self, _e):
        c = COLORS[current_theme()]
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(QColor(c["bar_bg"]))
        p.drawRoundedRect(QRectF(self.rect()), 3, 3)
        p.setBrush(QColor(c["positive"] if self.level < 0.8 else c["negative"]))
        p.drawRoundedRect(QRectF(0, 0, self.width() * self.level, self.height()), 3, 3)
        p.end()
