"""The conversation: message bubbles in a scroll area, created lazily (newest first).

Only the last ``WINDOW`` messages get widgets when a conversation opens; older ones are created
in batches when the user scrolls to the top, so a conversation of thousands of messages opens as
fast as a short one. Streaming tokens are appended to a buffer and rendered as Markdown at most
every ``RENDER_MS`` milliseconds, re-rendering only the reply's last block (desktop/streaming.py).
"""
from __future__ import annotations

import time
from typing import Any

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QIcon, QPixmap
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from pipelines.assets import asset

from .markdown import SafeTextBrowser
from .messages import MessageItem
from .theme import COLORS, SYNTAX, current_theme, icon
from .widgets import EvidenceBars, Thumbnail, action_button

__all__ = ["MessageItem", "Bubble", "GenCard", "ConversationView", "WINDOW", "RENDER_MS"]

WINDOW = 40
BATCH = 30
RENDER_MS = 50
ROLE_NAMES = {"user": "You", "assistant": "Sensorium"}
INTENT_NAMES = {"chat": "chat", "describe_image": "looked at the picture", "generate_image": "drew a picture",
                "edit_image": "edited the picture", "search_images": "searched pictures",
                "transcribe_audio": "transcribed"}


class GenCard(QFrame):
    """Image generation in the conversation: live preview, progress and cancel; then the result."""

    cancelRequested = Signal()
    variationsRequested = Signal()
    editRequested = Signal(str)
    imageClicked = Signal(str)
    saveRequested = Signal(str)
    copyRequested = Signal(str)

    PREVIEW = 256

    def __init__(self, prompt: str = "", parent=None):
        super().__init__(parent)
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
        for b in (self.variations_button, self.edit_button, self.save_button, self.copy_button):
            b.setAccessibleName(b.text().rstrip("…"))
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
        total = max(1, int(ev.total))
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
            t = Thumbnail(p, box)
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


class Bubble(QFrame):
    """One message: header, pictures, Markdown body, evidence, image card, actions."""

    def __init__(self, item: MessageItem, view: ConversationView):
        super().__init__()
        self.item = item
        self.view = view
        self.setObjectName("Bubble")
        self.setProperty("role", item.role)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setAccessibleName("Your message" if item.role == "user" else "Reply")
        lay = QVBoxLayout(self)
        lay.setContentsMargins(12, 8, 12, 8)
        lay.setSpacing(6)
        self.header = QLabel()
        self.header.setObjectName("BubbleHeader")
        lay.addWidget(self.header)
        self.pictures = QHBoxLayout()
        self.pictures.setSpacing(6)
        lay.addLayout(self.pictures)
        self.body = SafeTextBrowser(self)
        self.body.setObjectName("BubbleBody")
        self.body.setAccessibleName("Message text")
        self.body.setFrameShape(QFrame.Shape.NoFrame)
        self.body.setContextMenuPolicy(Qt.ContextMenuPolicy.DefaultContextMenu)
        lay.addWidget(self.body)
        self.evidence: EvidenceBars | None = None
        self.evidence_title: QLabel | None = None
        self.card: GenCard | None = None
        self.note = QLabel()
        self.note.setObjectName("BubbleNote")
        self.note.setWordWrap(True)
        self.note.hide()
        lay.addWidget(self.note)
        self.actions = None
        self.comment: QLineEdit | None = None
        if item.role == "assistant":
            self._build_actions(lay)
        self._rendered = None
        self.refresh()

    # ---- building ---------------------------------------------------------------------------
    def _build_actions(self, lay: QVBoxLayout) -> None:
        row = QHBoxLayout()
        row.setSpacing(2)
        v = self.view
        self.copy_button = action_button("copy", "Copy the reply", lambda: v.copy_text(self.item))
        self.play_button = action_button("play", "Play the spoken reply", lambda: v.playRequested.emit(self.item))
        self.regen_button = action_button("refresh", "Regenerate (Ctrl+R)", lambda: v.regenerateRequested.emit(self.item))
        self.up_button = action_button("thumb-up", "Good reply", lambda: self._rate(1), checkable=True)
        self.down_button = action_button("thumb-down", "Bad reply", lambda: self._rate(-1), checkable=True)
        for b in (self.copy_button, self.play_button, self.regen_button, self.up_button, self.down_button):
            row.addWidget(b)
        self.timing = QLabel()
        self.timing.setObjectName("Muted")
        row.addSpacing(6)
        row.addWidget(self.timing)
        row.addStretch(1)
        self.actions = QWidget()
        self.actions.setLayout(row)
        row.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.actions)
        self.comment = QLineEdit()
        self.comment.setPlaceholderText("Add a comment about this reply (optional), then press Enter")
        self.comment.setAccessibleName("Rating comment")
        self.comment.returnPressed.connect(self._save_comment)
        self.comment.hide()
        lay.addWidget(self.comment)

    def _rate(self, value: int) -> None:
        if self.item.rating == value:
            value = 0
        self.view.rateRequested.emit(self.item, value, self.item.rating_comment)
        self.comment.setVisible(value != 0)
        if value != 0:
            self.comment.setText(self.item.rating_comment)
            self.comment.setFocus()

    def _save_comment(self) -> None:
        self.view.rateRequested.emit(self.item, self.item.rating, self.comment.text().strip())
        self.comment.hide()

    def ensure_card(self) -> GenCard:
        if self.card is None:
            self.card = GenCard(self.item.meta.get("prompt", ""))
            v = self.view
            self.card.cancelRequested.connect(v.cancelRequested)
            self.card.variationsRequested.connect(lambda: v.variationsRequested.emit(self.item))
            self.card.editRequested.connect(v.editRequested)
            self.card.imageClicked.connect(v.imageClicked)
            self.card.saveRequested.connect(v.saveRequested)
            self.card.copyRequested.connect(v.copyImageRequested)
            self.layout().insertWidget(self.layout().indexOf(self.note), self.card)
        return self.card

    # ---- state ------------------------------------------------------------------------------
    def refresh(self) -> None:
        """Bring every part up to date with the item (cheap parts only; text is throttled)."""
        it = self.item
        who = ROLE_NAMES.get(it.role, it.role)
        when = time.strftime("%H:%M", time.localtime(it.created))
        extra = ""
        if it.role == "assistant" and it.intent and it.intent != "chat":
            extra = f" · {INTENT_NAMES.get(it.intent, it.intent)}"
            if it.status == "streaming" and it.is_image_turn:
                extra = ""
        if it.status == "streaming":
            extra += " · drawing…" if it.is_image_turn else (" · writing…" if it.text else " · thinking…")
        self.header.setText(f"{who} · {when}{extra}")
        # pictures the user sent
        if it.role == "user" and self.pictures.count() == 0 and it.attachments:
            for p in it.attachments:
                t = Thumbnail(str(p), 160)
                t.clicked.connect(self.view.imageClicked)
                self.pictures.addWidget(t)
            self.pictures.addStretch(1)
        self.render_text()
        if it.evidence and self.evidence is None:
            self.evidence_title = QLabel("What the image model saw")
            self.evidence_title.setObjectName("Muted")
            self.evidence = EvidenceBars(it.evidence)
            i = self.layout().indexOf(self.body)
            self.layout().insertWidget(i, self.evidence_title)
            self.layout().insertWidget(i + 1, self.evidence)
        if it.is_image_turn and it.role == "assistant":
            card = self.ensure_card()
            if it.image:
                if card.state != "done":
                    card.set_result(it.image)
            elif it.status in ("cancelled", "failed"):
                if card.state == "running":
                    card.set_stopped("Stopped." if it.status == "cancelled" else "Could not draw the picture.")
            elif it.progress is not None:
                card.set_progress(it.progress)
        note = ""
        if it.status == "cancelled":
            note = "Stopped."
        elif it.status == "failed":
            note = it.error or "This reply failed."
        self.note.setText(note)
        self.note.setVisible(bool(note))
        self.setProperty("status", it.status)
        if self.actions is not None:
            done = it.status not in ("streaming", "pending")
            self.actions.setVisible(done)
            self.play_button.setVisible(bool(it.audio))
            self.regen_button.setVisible(self.view.is_last(it))
            self.up_button.setChecked(it.rating == 1)
            self.down_button.setChecked(it.rating == -1)
            self.up_button.setEnabled(it.id is not None)
            self.down_button.setEnabled(it.id is not None)
            total = it.timings.get("total_ms")
            self.timing.setText(f"{total / 1000:.1f} s" if total else "")
            if total:
                self.timing.setToolTip("\n".join(f"{k}: {v:.0f} ms" for k, v in it.timings.items()))
        self.style().unpolish(self)
        self.style().polish(self)

    def render_text(self) -> None:
        key = (self.item.text, current_theme(), self.item.status == "streaming")
        if key == self._rendered:
            return
        self._rendered = key
        c = COLORS[current_theme()]
        text = self.item.text
        if self.item.role == "user":
            self.body.setPlainText(text)
        else:  # a streaming reply re-renders only its tail (desktop/streaming.py); a selection survives
            self.body.setMarkdownText(text, code_bg=c["alt"], line=c["line"], syntax=SYNTAX[current_theme()],
                                      final=self.item.status != "streaming")
        self.body.setVisible(bool(text) or (self.item.status == "streaming" and not self.item.is_image_turn))
        self.update_width()

    def update_width(self) -> None:
        avail = self.view.bubble_max_width()
        if self.item.role == "user":
            doc = self.body.document().clone()
            doc.setTextWidth(-1)
            ideal = int(doc.idealWidth()) + 30
            pics = 170 * len(self.item.attachments) + 30 if self.item.attachments else 0
            w = max(160, min(avail, max(ideal, pics, 120)))
            self.setFixedWidth(w)
        else:
            self.setMaximumWidth(avail)
            self.setMinimumWidth(min(avail, 420))

    def set_selected(self, on: bool) -> None:
        self.setProperty("selected", "true" if on else "false")
        self.style().unpolish(self)
        self.style().polish(self)

    def mousePressEvent(self, e):
        self.view.select(self.item)
        super().mousePressEvent(e)


class ConversationView(QScrollArea):
    """The messages of one conversation; see the module doc for laziness and throttling."""

    regenerateRequested = Signal(object)
    rateRequested = Signal(object, int, str)
    playRequested = Signal(object)
    variationsRequested = Signal(object)
    editRequested = Signal(str)
    imageClicked = Signal(str)
    saveRequested = Signal(str)
    copyImageRequested = Signal(str)
    cancelRequested = Signal()
    messageSelected = Signal(object)
    copied = Signal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("Conversation")
        self.setAccessibleName("Conversation")
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFrameShape(QFrame.Shape.NoFrame)
        inner = QWidget()
        inner.setObjectName("ConversationInner")
        self.column = QVBoxLayout(inner)
        self.column.setContentsMargins(24, 16, 24, 16)
        self.column.setSpacing(12)
        self.empty = self._empty_state()
        self.column.addWidget(self.empty)
        self.column.addStretch(1)
        self.setWidget(inner)
        self.items: list[MessageItem] = []
        self.bubbles: dict[int, Bubble] = {}  # id(item) -> bubble
        self.rows: dict[int, QWidget] = {}
        self.first_created = 0
        self.selected: MessageItem | None = None
        self._dirty: set[int] = set()
        self._render_timer = QTimer(self, interval=RENDER_MS, timeout=self._render_dirty)
        self._follow = True
        self.render_count = 0  # Markdown renders while streaming (tests check the throttle)
        self.verticalScrollBar().valueChanged.connect(self._on_scroll)
        self.verticalScrollBar().rangeChanged.connect(self._on_range)

    def _empty_state(self) -> QWidget:
        w = QWidget()
        lay = QVBoxLayout(w)
        lay.setContentsMargins(0, 80, 0, 0)
        lay.setSpacing(10)
        logo = QLabel()
        logo.setPixmap(QIcon(str(asset("icons", "sensorium.svg"))).pixmap(QSize(64, 64)))
        logo.setAlignment(Qt.AlignmentFlag.AlignCenter)
        title = QLabel("What can I help with?")
        title.setObjectName("EmptyTitle")
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        hint = QLabel("Type a message, hold Ctrl+Space to talk, drop a picture to ask about it,\n"
                      "or switch on the brush to draw something new. Everything stays on this computer.")
        hint.setObjectName("EmptyState")
        hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        hint.setWordWrap(True)
        for x in (logo, title, hint):
            lay.addWidget(x)
        return w

    # ---- content ---------------------------------------------------------------------------
    def clear(self) -> None:
        for row in self.rows.values():
            row.setParent(None)
            row.deleteLater()
        self.rows.clear()
        self.bubbles.clear()
        self.items = []
        self.first_created = 0
        self.selected = None
        self._dirty.clear()
        self.empty.show()

    def set_messages(self, items: list[MessageItem]) -> None:
        self.setUpdatesEnabled(False)
        try:
            self.clear()
            self.items = list(items)
            self.first_created = max(0, len(self.items) - WINDOW)
            for it in self.items[self.first_created:]:
                self._insert_row(it, self.column.count() - 1)
            self.empty.setVisible(not self.items)
        finally:
            self.setUpdatesEnabled(True)
        self._follow = True
        QTimer.singleShot(0, self, self.scroll_to_bottom)

    def append(self, item: MessageItem) -> Bubble:
        prev_last = self.items[-1] if self.items else None
        self.items.append(item)
        self.empty.hide()
        b = self._insert_row(item, self.column.count() - 1)
        if prev_last is not None and id(prev_last) in self.bubbles:
            self.bubbles[id(prev_last)].refresh()
        self._follow = True
        QTimer.singleShot(0, self, self.scroll_to_bottom)
        return b

    def remove(self, item: MessageItem) -> None:
        if item in self.items:
            idx = self.items.index(item)
            self.items.pop(idx)
            if idx < self.first_created:
                self.first_created -= 1
        row = self.rows.pop(id(item), None)
        self.bubbles.pop(id(item), None)
        if row is not None:
            row.setParent(None)
            row.deleteLater()
        if self.items and id(self.items[-1]) in self.bubbles:
            self.bubbles[id(self.items[-1])].refresh()
        self.empty.setVisible(not self.items)

    def _insert_row(self, item: MessageItem, index: int) -> Bubble:
        row = QWidget()
        h = QHBoxLayout(row)
        h.setContentsMargins(0, 0, 0, 0)
        b = Bubble(item, self)
        if item.role == "user":
            h.addStretch(1)
            h.addWidget(b)
        else:
            h.addWidget(b)
            h.addStretch(1)
        self.column.insertWidget(index, row)
        self.rows[id(item)] = row
        self.bubbles[id(item)] = b
        return b

    def _create_older(self, count: int = BATCH) -> int:
        if self.first_created <= 0:
            return 0
        start = max(0, self.first_created - count)
        insert_at = self.column.indexOf(self.empty) + 1
        for k, it in enumerate(self.items[start:self.first_created]):
            self._insert_row(it, insert_at + k)
        made = self.first_created - start
        self.first_created = start
        return made

    def ensure_created(self, item: MessageItem) -> Bubble | None:
        if item not in self.items:
            return None
        idx = self.items.index(item)
        if idx < self.first_created:
            self._create_older(self.first_created - idx)
        return self.bubbles.get(id(item))

    def bubble_for(self, item: MessageItem) -> Bubble | None:
        return self.bubbles.get(id(item))

    def find(self, message_id: int) -> MessageItem | None:
        return next((it for it in self.items if it.id == message_id), None)

    def is_last(self, item: MessageItem) -> bool:
        return bool(self.items) and self.items[-1] is item

    def created_count(self) -> int:
        return len(self.bubbles)

    # ---- updates ---------------------------------------------------------------------------
    def update_item(self, item: MessageItem, *, text_only: bool = False) -> None:
        """Mark an item changed. Text changes are rendered by the throttle timer."""
        b = self.bubbles.get(id(item))
        if b is None:
            return
        if text_only:
            self._dirty.add(id(item))
            if not self._render_timer.isActive():
                self._render_timer.start()
        else:
            self._dirty.discard(id(item))
            b.refresh()
            self.render_count += 1
        if self._follow:
            QTimer.singleShot(0, self, self.scroll_to_bottom)

    def _render_dirty(self) -> None:
        if not self._dirty:
            self._render_timer.stop()
            return
        for key in list(self._dirty):
            b = self.bubbles.get(key)
            if b is not None:
                b.refresh()
                self.render_count += 1
        self._dirty.clear()

    def restyle(self) -> None:
        for b in self.bubbles.values():
            b._rendered = None
            b.refresh()

    # ---- selection and clipboard -------------------------------------------------------------
    def select(self, item: MessageItem | None) -> None:
        if self.selected is not None and id(self.selected) in self.bubbles:
            self.bubbles[id(self.selected)].set_selected(False)
        self.selected = item
        if item is not None:
            b = self.ensure_created(item)
            if b is not None:
                b.set_selected(True)
        self.messageSelected.emit(item)

    def reveal(self, item: MessageItem) -> None:
        b = self.ensure_created(item)
        if b is not None:
            self._follow = False
            self.select(item)
            QTimer.singleShot(0, self, lambda: self.ensureWidgetVisible(b, 0, 80))

    def copy_text(self, item: MessageItem) -> None:
        QGuiApplication.clipboard().setText(item.text)
        self.copied.emit(item.text)

    # ---- geometry and scrolling ------------------------------------------------------------
    def bubble_max_width(self) -> int:
        return max(240, min(860, int(self.viewport().width() * 0.82) - 48))

    def resizeEvent(self, e):
        super().resizeEvent(e)
        for b in self.bubbles.values():
            b.update_width()

    def scroll_to_bottom(self) -> None:
        bar = self.verticalScrollBar()
        bar.setValue(bar.maximum())

    def _on_range(self, _lo, hi):
        if self._follow:
            self.verticalScrollBar().setValue(hi)

    def _on_scroll(self, value: int) -> None:
        bar = self.verticalScrollBar()
        self._follow = value >= bar.maximum() - 40
        if value <= 40 and self.first_created > 0:
            before = bar.maximum()
            self._create_older()
            QTimer.singleShot(0, self, lambda: bar.setValue(value + bar.maximum() - before))
