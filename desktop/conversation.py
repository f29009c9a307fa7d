"""The conversation: message bubbles in a scroll area, created lazily (newest first).

Only the last ``WINDOW`` messages get widgets when a conversation opens; older ones are created
in batches when the user scrolls to the top, so a conversation of thousands of messages opens as
fast as a short one. Streaming tokens are appended to a buffer and rendered as Markdown at most
every ``RENDER_MS`` milliseconds, re-rendering only the reply's last block (desktop/streaming.py).
Pictures are decoded off the GUI thread by one shared ``ThumbnailLoader`` (desktop/thumbnails.py).
The bubbles are in desktop/bubble.py, the image-generation card in desktop/gencard.py.
"""
from __future__ import annotations

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAccessible, QAccessibleAnnouncementEvent, QGuiApplication, QIcon
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QScrollArea, QVBoxLayout, QWidget

from pipelines.assets import asset

from .bubble import Bubble
from .gencard import GenCard
from .i18n import on_language, render, translate
from .intentcard import choice_text
from .messages import MessageItem
from .thumbnails import ThumbnailLoader

__all__ = ["MessageItem", "Bubble", "GenCard", "ConversationView", "WINDOW", "RENDER_MS"]

WINDOW = 40
BATCH = 30
RENDER_MS = 50
ANNOUNCE_CHARS = 400  # a finished reply is announced up to here; the rest is read in the bubble


class ConversationView(QScrollArea):
    """The messages of one conversation; see the module doc for laziness and throttling.

    ``messageEdited(item, text)``: the user edited a sent message and chose Save and send; the view
    leaves the conversation as it is (the window branches it before ``item`` and sends ``text``).
    ``announce(text)`` / ``announce_reply(item)`` have screen readers say something without moving
    the focus; ``announcements`` records what was said.
    ``intentChosen(item, intent)``: a reading was picked on the question ``item`` ("Did you mean…");
    ``intentCorrected(item, intent)``: "Not what I meant" on the reply ``item``, with what was meant.
    ``memoryAccepted(item, n, text)``: Remember on the reply's n-th proposal (with the text as the user
    left it); ``memoryDismissed(item, n)``: Not now on it.
    """

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
    messageEdited = Signal(object, str)
    intentChosen = Signal(object, str)
    intentCorrected = Signal(object, str)
    memoryAccepted = Signal(object, int, str)
    memoryDismissed = Signal(object, int)
    copied = Signal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("Conversation")
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
        self.thumbnails = ThumbnailLoader(self)  # one decode pool and cache for every picture shown
        self.items: list[MessageItem] = []
        self.bubbles: dict[int, Bubble] = {}  # id(item) -> bubble
        self.rows: dict[int, QWidget] = {}
        self.first_created = 0
        self.selected: MessageItem | None = None
        self._dirty: set[int] = set()
        self._render_timer = QTimer(self, interval=RENDER_MS, timeout=self._render_dirty)
        self._follow = True
        self.render_count = 0  # Markdown renders while streaming (tests check the throttle)
        self.announcements: list[str] = []
        self.verticalScrollBar().valueChanged.connect(self._on_scroll)
        self.verticalScrollBar().rangeChanged.connect(self._on_range)
        on_language(self, self._retranslate)  # each bubble relabels itself (desktop/bubble.py)

    def _retranslate(self) -> None:
        self.setAccessibleName(translate("ConversationView", "Conversation"))
        self.empty_title.setText(translate("ConversationView", "What can I help with?"))
        self.empty_hint.setText(translate("ConversationView", "Type a message, hold Ctrl+Space to talk, drop a picture "
                                          "to ask about it,\nor switch on the brush to draw something new. Everything "
                                          "stays on this computer."))

    def _empty_state(self) -> QWidget:
        w = QWidget()
        lay = QVBoxLayout(w)
        lay.setContentsMargins(0, 80, 0, 0)
        lay.setSpacing(10)
        logo = QLabel()
        logo.setPixmap(QIcon(str(asset("icons", "sensorium.svg"))).pixmap(QSize(64, 64)))
        logo.setAlignment(Qt.AlignmentFlag.AlignCenter)
        title = self.empty_title = QLabel()
        title.setObjectName("EmptyTitle")
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        hint = self.empty_hint = QLabel()
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

    def request_of(self, item: MessageItem) -> MessageItem | None:
        """The user message a reply answers (the nearest one before it)."""
        if item not in self.items:
            return None
        idx = self.items.index(item)
        return next((it for it in reversed(self.items[:idx]) if it.role == "user"), None)

    def intent_choices(self, item: MessageItem) -> list[tuple[str, str]]:
        """What "Not what I meant" offers for a reply: the other readings its request could have."""
        from .intent_service import choices_for

        request = self.request_of(item)
        return choices_for(item.intent, has_image=bool(request is not None and request.attachments),
                           audio_file=bool(request is not None and request.meta.get("audio_file")))

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

    # ---- screen readers ------------------------------------------------------------------------
    def announce(self, text: str, *, assertive: bool = False) -> None:
        """Have screen readers say ``text`` now (an accessibility announcement; the focus stays)."""
        text = " ".join(str(text).split())
        if not text:
            return
        self.announcements.append(text)
        event = QAccessibleAnnouncementEvent(self, text)
        event.setPoliteness(QAccessible.AnnouncementPoliteness.Assertive if assertive
                            else QAccessible.AnnouncementPoliteness.Polite)
        QAccessible.updateAccessibility(event)

    def announce_reply(self, item: MessageItem) -> None:
        """Announce a reply that has ended: its outcome and the start of its text as shown."""
        b = self.bubbles.get(id(item))
        if item.status == "failed":
            error = render(item.meta.get("error_text"), item.error) or translate("ConversationView",
                                                                                "no reason was given")
            self.announce(translate("ConversationView", "The reply failed: {error}").format(error=error), assertive=True)
            return
        if item.status == "cancelled":
            self.announce(translate("ConversationView", "The reply was stopped."))
            return
        question = item.meta.get("question")
        if question:
            either = translate("ConversationView", " or ")
            keys = either.join(translate("ConversationView", "{label} (Alt+{n})").format(label=choice_text(label),
                                                                                          n=n)
                               for n, (_i, label, _p) in enumerate(question["choices"], 1))
            self.announce(translate("ConversationView", "Did you mean: {choices}?").format(choices=keys))
            return
        if item.is_image_turn and item.image:
            prompt = item.image.get("prompt", "")
            self.announce(translate("ConversationView", "Picture ready: {prompt}.").format(prompt=prompt) if prompt
                          else translate("ConversationView", "Picture ready."))
            return
        text = " ".join((b.body.toPlainText() if b is not None else item.text).split())
        if len(text) > ANNOUNCE_CHARS:
            text = text[:ANNOUNCE_CHARS].rsplit(" ", 1)[0] + "…"
        self.announce(translate("ConversationView", "Reply: {text}").format(text=text) if text
                      else translate("ConversationView", "The reply is ready."))

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
