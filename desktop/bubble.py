"""One message of the conversation: header, pictures, Markdown body, evidence, image card, actions."""
from __future__ import annotations

import time
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from .gencard import GenCard
from .markdown import SafeTextBrowser
from .messages import MessageItem
from .theme import COLORS, SYNTAX, current_theme
from .widgets import EvidenceBars, Thumbnail, action_button

if TYPE_CHECKING:
    from .conversation import ConversationView

__all__ = ["Bubble", "ROLE_NAMES", "INTENT_NAMES"]

ROLE_NAMES = {"user": "You", "assistant": "Sensorium"}
INTENT_NAMES = {"chat": "chat", "describe_image": "looked at the picture", "generate_image": "drew a picture",
                "edit_image": "edited the picture", "search_images": "searched pictures",
                "transcribe_audio": "transcribed"}


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
            self.card = GenCard(self.item.meta.get("prompt", ""), loader=self.view.thumbnails)
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
                t = Thumbnail(str(p), 160, loader=self.view.thumbnails)
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
