"""One message of the conversation: header, pictures, Markdown body, evidence, image card, actions.

A finished reply says in its header how its request was understood ("understood as “Draw it”", the
reason as the tooltip) and offers "Not what I meant" (desktop/intentcard.py) among its actions: the
view's ``intentCorrected(item, intent)``. A reply item that is a question ("Did you mean…") shows
the question card instead of a body and actions: the view's ``intentChosen(item, intent)``.

A user message can be edited in place: Edit turns its text into an editor with "Save and send"
(Ctrl+Enter) and "Cancel" (Esc). Saving emits the view's ``messageEdited(item, text)``; the bubble
itself keeps the text it had (the window branches the conversation and sends the new text there).
"""
from __future__ import annotations

import time
from typing import TYPE_CHECKING

from PySide6.QtCore import QT_TRANSLATE_NOOP, QEvent, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from .gencard import GenCard
from .i18n import on_language, render, translate
from .intent_service import choice_label
from .intentcard import CorrectionButton, QuestionCard
from .markdown import SafeTextBrowser
from .messages import MessageItem
from .theme import COLORS, SYNTAX, current_theme, icon
from .widgets import EvidenceBars, Thumbnail, action_button, set_tip

if TYPE_CHECKING:
    from .conversation import ConversationView

__all__ = ["Bubble", "MessageEditor", "ROLE_NAMES", "INTENT_NAMES"]

ROLE_NAMES = {"user": QT_TRANSLATE_NOOP("Bubble", "You"), "assistant": "Sensorium"}
INTENT_NAMES = {"chat": QT_TRANSLATE_NOOP("Bubble", "chat"),
                "describe_image": QT_TRANSLATE_NOOP("Bubble", "looked at the picture"),
                "generate_image": QT_TRANSLATE_NOOP("Bubble", "drew a picture"),
                "edit_image": QT_TRANSLATE_NOOP("Bubble", "edited the picture"),
                "search_images": QT_TRANSLATE_NOOP("Bubble", "searched pictures"),
                "transcribe_audio": QT_TRANSLATE_NOOP("Bubble", "transcribed"),
                "ask_documents": QT_TRANSLATE_NOOP("Bubble", "answered from your documents")}


NARROW = 380  # px: a reply narrower than this shows "Not what I meant" under its other actions


def _is_send(e: QKeyEvent) -> bool:
    return (e.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and bool(e.modifiers() & Qt.KeyboardModifier.ControlModifier))


class _EditBox(QPlainTextEdit):
    """The editor's text: Ctrl+Enter saves, Esc cancels (before the window's own Esc shortcut)."""

    send = Signal()
    cancel = Signal()

    def event(self, e):
        if e.type() == QEvent.Type.ShortcutOverride and (e.key() == Qt.Key.Key_Escape or _is_send(e)):
            e.accept()  # the key comes here as a key press instead of firing the window's shortcut
            return True
        return super().event(e)

    def keyPressEvent(self, e: QKeyEvent):
        if _is_send(e):
            self.send.emit()
        elif e.key() == Qt.Key.Key_Escape:
            self.cancel.emit()
        else:
            super().keyPressEvent(e)


class MessageEditor(QWidget):
    """The text of a sent message, editable, with Save and send / Cancel."""

    saved = Signal(str)
    cancelled = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(6)
        self.edit = _EditBox()
        self.edit.setTabChangesFocus(True)
        self.edit.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.edit.document().documentLayout().documentSizeChanged.connect(self._grow)
        lay.addWidget(self.edit)
        row = QHBoxLayout()
        row.addStretch(1)
        self.cancel_button = QPushButton()
        self.save_button = QPushButton()
        self.save_button.setIcon(icon("send"))
        self.save_button.setDefault(True)
        row.addWidget(self.cancel_button)
        row.addWidget(self.save_button)
        lay.addLayout(row)
        self.edit.send.connect(self._save)
        self.edit.cancel.connect(self.cancelled)
        self.save_button.clicked.connect(self._save)
        self.cancel_button.clicked.connect(self.cancelled)
        self.edit.textChanged.connect(lambda: self.save_button.setEnabled(bool(self.text().strip())))
        on_language(self, self._retranslate)

    def _retranslate(self) -> None:
        self.edit.setAccessibleName(translate("MessageEditor", "Edited message"))
        self.cancel_button.setText(translate("MessageEditor", "Cancel"))
        self.cancel_button.setToolTip(translate("MessageEditor", "Keep the message as it was (Esc)"))
        self.cancel_button.setAccessibleName(translate("MessageEditor", "Cancel editing"))
        self.save_button.setText(translate("MessageEditor", "Save and send"))
        self.save_button.setToolTip(translate("MessageEditor", "Send the edited message in a copy of this "
                                              "conversation (Ctrl+Enter)"))
        self.save_button.setAccessibleName(translate("MessageEditor", "Save and send"))

    def text(self) -> str:
        return self.edit.toPlainText()

    def start(self, text: str) -> None:
        self.edit.setPlainText(text)
        self.edit.moveCursor(self.edit.textCursor().MoveOperation.End)
        self.show()
        self.edit.setFocus()

    def _save(self) -> None:
        if self.text().strip():
            self.saved.emit(self.text().strip())

    def _grow(self, *_):
        lines = max(2, min(12, int(self.edit.document().size().height())))
        self.edit.setFixedHeight(self.edit.fontMetrics().lineSpacing() * lines + 14)


class Bubble(QFrame):
    """One message: header, pictures, Markdown body, evidence, image card, actions (see the module doc).

    Its words (the header's "You", "Stopped.", the timing line, the buttons' tips) are rendered from
    its MessageItem in the interface's language, again on every language switch."""

    def __init__(self, item: MessageItem, view: ConversationView):
        super().__init__()
        self.item = item
        self.view = view
        self.setObjectName("Bubble")
        self.setProperty("role", item.role)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(12, 8, 12, 8)
        lay.setSpacing(6)
        self.header = QLabel()
        self.header.setObjectName("BubbleHeader")
        self.header.setWordWrap(True)  # "understood as …" wraps in a narrow window instead of being cut
        lay.addWidget(self.header)
        self.pictures = QHBoxLayout()
        self.pictures.setSpacing(6)
        lay.addLayout(self.pictures)
        self.body = SafeTextBrowser(self)
        self.body.setObjectName("BubbleBody")
        self.body.setFrameShape(QFrame.Shape.NoFrame)
        self.body.setContextMenuPolicy(Qt.ContextMenuPolicy.DefaultContextMenu)
        lay.addWidget(self.body)
        self.evidence: EvidenceBars | None = None
        self.evidence_title: QLabel | None = None
        self.card: GenCard | None = None
        self.question: QuestionCard | None = None
        self.note = QLabel()
        self.note.setObjectName("BubbleNote")
        self.note.setWordWrap(True)
        self.note.hide()
        lay.addWidget(self.note)
        self.actions = None
        self.comment: QLineEdit | None = None
        self.edit_button = None
        self.editor: MessageEditor | None = None
        if item.role == "assistant":
            self._build_actions(lay)
        elif item.role == "user":
            self._build_edit_action(lay)
        self._rendered = None
        on_language(self, self._retranslate)  # and refresh(), now and on every language switch

    def _retranslate(self) -> None:
        self.setAccessibleName(translate("Bubble", "Your message") if self.item.role == "user"
                               else translate("Bubble", "Reply"))
        self.body.setAccessibleName(translate("Bubble", "Message text"))
        if self.actions is not None:
            set_tip(self.copy_button, translate("Bubble", "Copy the reply"))
            set_tip(self.play_button, translate("Bubble", "Play the spoken reply"))
            set_tip(self.regen_button, translate("Bubble", "Regenerate (Ctrl+R)"))
            set_tip(self.up_button, translate("Bubble", "Good reply"))
            set_tip(self.down_button, translate("Bubble", "Bad reply"))
            self.comment.setPlaceholderText(translate("Bubble", "Add a comment about this reply (optional), then "
                                                      "press Enter"))
            self.comment.setAccessibleName(translate("Bubble", "Rating comment"))
        if self.edit_button is not None:
            set_tip(self.edit_button, translate("Bubble", "Edit message (send it again, changed, in a copy of this "
                                                "conversation)"))
        if self.card is not None and self.card.state == "stopped":
            self.card.set_stopped(self._stopped_text())
        self._rendered = None  # a reply's "Copy code" links are words of the window too
        self.refresh()

    def _stopped_text(self) -> str:
        return (translate("Bubble", "Stopped.") if self.item.status == "cancelled"
                else translate("Bubble", "Could not draw the picture."))

    # ---- building ---------------------------------------------------------------------------
    def _build_actions(self, lay: QVBoxLayout) -> None:
        row = QHBoxLayout()
        row.setSpacing(2)
        v = self.view
        self.copy_button = action_button("copy", "", lambda: v.copy_text(self.item))
        self.play_button = action_button("play", "", lambda: v.playRequested.emit(self.item))
        self.regen_button = action_button("refresh", "", lambda: v.regenerateRequested.emit(self.item))
        self.up_button = action_button("thumb-up", "", lambda: self._rate(1), checkable=True)
        self.down_button = action_button("thumb-down", "", lambda: self._rate(-1), checkable=True)
        for b in (self.copy_button, self.play_button, self.regen_button, self.up_button, self.down_button):
            row.addWidget(b)
        self.timing = QLabel()
        self.timing.setObjectName("Muted")
        row.addSpacing(6)
        row.addWidget(self.timing)
        row.addStretch(1)
        self.correct_button = CorrectionButton(lambda: v.intent_choices(self.item))
        self.correct_button.picked.connect(lambda intent: v.intentCorrected.emit(self.item, intent))
        row.addWidget(self.correct_button)
        self.actions = QWidget()
        rows = QVBoxLayout(self.actions)
        rows.setContentsMargins(0, 0, 0, 0)
        rows.setSpacing(2)
        row.setContentsMargins(0, 0, 0, 0)
        rows.addLayout(row)
        self._action_row = row
        self._narrow_row = QHBoxLayout()  # "Not what I meant" moves here when the bubble is narrow
        self._narrow_row.setContentsMargins(0, 0, 0, 0)
        self._narrow_row.addStretch(1)
        rows.addLayout(self._narrow_row)
        lay.addWidget(self.actions)
        self.comment = QLineEdit()
        self.comment.returnPressed.connect(self._save_comment)
        self.comment.hide()
        lay.addWidget(self.comment)

    def _build_edit_action(self, lay: QVBoxLayout) -> None:
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addStretch(1)
        self.edit_button = action_button("edit", "", self.start_edit)
        row.addWidget(self.edit_button)
        lay.addLayout(row)

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
        who = translate("Bubble", ROLE_NAMES[it.role]) if it.role in ROLE_NAMES else it.role
        when = time.strftime("%H:%M", time.localtime(it.created))
        extra: list[str] = []  # the header's parts after the time, each after a " · "
        why = ""
        question = it.meta.get("question") if it.role == "assistant" else None
        if question:
            extra = [translate("Bubble", "asks what you meant")]
        elif it.role == "assistant" and it.intent and it.status not in ("streaming", "pending"):
            extra = [translate("Bubble", "understood as “{reading}”").format(reading=choice_label(it.intent))]
            reason = render(it.intent_reason_text, it.intent_reason or "")
            if reason and (it.intent_confidence or 1.0) < 0.995:
                why = translate("Bubble", "{reason} ({percent} sure)").format(
                    reason=reason, percent=f"{it.intent_confidence:.0%}")
            else:
                why = reason
        elif it.role == "assistant" and it.intent and it.intent != "chat" and not it.is_image_turn:
            extra = [translate("Bubble", INTENT_NAMES[it.intent]) if it.intent in INTENT_NAMES else it.intent]
        if it.meta.get("corrected"):
            extra.append(translate("Bubble", "you meant “{reading}”").format(reading=choice_label(it.meta["corrected"])))
        if it.meta.get("queued"):
            extra = [translate("Bubble", "waiting for the current reply (Esc stops both)")]
        elif it.status == "streaming":
            extra.append(translate("Bubble", "drawing…") if it.is_image_turn else
                         (translate("Bubble", "writing…") if it.text else translate("Bubble", "thinking…")))
        self.header.setText(" · ".join([who, when, *extra]))
        self.header.setToolTip(why)
        # pictures the user sent
        if it.role == "user" and self.pictures.count() == 0 and it.attachments:
            for p in it.attachments:
                t = Thumbnail(str(p), 160, loader=self.view.thumbnails)
                t.clicked.connect(self.view.imageClicked)
                self.pictures.addWidget(t)
            self.pictures.addStretch(1)
        self.render_text()
        if it.evidence and self.evidence is None:
            self.evidence_title = QLabel()
            self.evidence_title.setObjectName("Muted")
            self.evidence = EvidenceBars(it.evidence)
            i = self.layout().indexOf(self.body)
            self.layout().insertWidget(i, self.evidence_title)
            self.layout().insertWidget(i + 1, self.evidence)
        if self.evidence_title is not None:
            verdict = it.meta.get("evidence_verdict")  # a yes/no question: CLIP's own answer
            self.evidence_title.setText(translate("Bubble", "What the image model saw: {verdict}").format(verdict=verdict)
                                        if verdict else translate("Bubble", "What the image model saw"))
        if it.is_image_turn and it.role == "assistant":
            card = self.ensure_card()
            if it.image:
                if card.state != "done":
                    card.set_result(it.image)
            elif it.status in ("cancelled", "failed"):
                if card.state == "running":
                    card.set_stopped(self._stopped_text())
            elif it.progress is not None:
                card.set_progress(it.progress)
        if question and self.question is None:
            self.question = QuestionCard(question["choices"])
            self.question.chosen.connect(lambda intent: self.view.intentChosen.emit(self.item, intent))
            self.layout().insertWidget(self.layout().indexOf(self.note), self.question)
            self.update_width()
        if self.question is not None:
            self.question.set_active(self.view.is_last(it) and it.status == "complete")
        note = ""
        error = render(it.meta.get("error_text"), it.error)  # a live turn's error, in the current language
        if it.status == "cancelled":
            note = translate("Bubble", "Stopped.")
        elif it.status == "interrupted" and error:  # the model or its server stopped part-way
            note = translate("Bubble", "The reply stopped here: {error}").format(error=error)
        elif it.status == "interrupted":
            note = translate("Bubble", "You cut in here: the rest was not said, and is not remembered.")
        elif it.status == "failed":
            note = error or translate("Bubble", "This reply failed.")
        self.note.setText(note)
        self.note.setVisible(bool(note))
        self.setProperty("status", it.status)
        if self.edit_button is not None:  # a stored message can be edited (the branch starts before it)
            self.edit_button.setVisible(self.editor is None or self.editor.isHidden())
            self.edit_button.setEnabled(it.id is not None and it.status not in ("streaming", "pending"))
        if self.actions is not None:
            done = it.status not in ("streaming", "pending")
            self.actions.setVisible(done and not question)
            self.correct_button.setEnabled(it.id is not None)
            self.play_button.setVisible(bool(it.audio))
            self.regen_button.setVisible(self.view.is_last(it))
            self.up_button.setChecked(it.rating == 1)
            self.down_button.setChecked(it.rating == -1)
            self.up_button.setEnabled(it.id is not None)
            self.down_button.setEnabled(it.id is not None)
            total = it.timings.get("total_ms")
            self.timing.setText(translate("Bubble", "{seconds} s").format(seconds=f"{total / 1000:.1f}") if total
                                else "")
            if total:
                ms = translate("Bubble", "{name}: {ms} ms")
                # a timing's name as the side panel says it ("total_ms" -> "total", in the interface's language)
                self.timing.setToolTip("\n".join(
                    ms.format(name=translate("DetailsPanel", k.removesuffix("_ms").replace("_", " ")), ms=f"{v:.0f}")
                    for k, v in it.timings.items()))
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
        self.body.setVisible(not self.editing and (
            bool(text) or (self.item.status == "streaming" and not self.item.is_image_turn)))
        self.update_width()

    def update_width(self) -> None:
        avail = self.view.bubble_max_width()
        if self.editing:
            self.setFixedWidth(avail)
        elif self.item.role == "user":
            doc = self.body.document().clone()
            doc.setTextWidth(-1)
            ideal = int(doc.idealWidth()) + 30
            pics = 170 * len(self.item.attachments) + 30 if self.item.attachments else 0
            w = max(160, min(avail, max(ideal, pics, 120)))
            self.setFixedWidth(w)
        else:
            self.setMaximumWidth(avail)
            self.setMinimumWidth(min(avail, 420))
            if self.question is not None:  # the width a reply always has, less the bubble's and card's margins
                self.question.fit(min(avail, 420) - 48)
            if self.actions is not None:  # one row of actions where it fits, else the correction below
                here, there = ((self._action_row, self._narrow_row) if avail < NARROW
                               else (self._narrow_row, self._action_row))
                if there.indexOf(self.correct_button) < 0:
                    here.removeWidget(self.correct_button)
                    there.addWidget(self.correct_button)

    # ---- editing a sent message -------------------------------------------------------------
    @property
    def editing(self) -> bool:
        return self.editor is not None and not self.editor.isHidden()

    def start_edit(self) -> None:
        """Show the message's text in an editor in place of the body."""
        if self.editor is None:
            self.editor = MessageEditor(self)
            self.editor.saved.connect(self._save_edit)
            self.editor.cancelled.connect(self.cancel_edit)
            self.layout().insertWidget(self.layout().indexOf(self.body) + 1, self.editor)
        self.body.hide()
        self.edit_button.hide()
        self.editor.start(self.item.text)
        self.update_width()

    def cancel_edit(self) -> None:
        """Close the editor; the message shows its text as it was."""
        if self.editor is None:
            return
        self.editor.hide()
        self.edit_button.show()
        self._rendered = None
        self.render_text()

    def _save_edit(self, text: str) -> None:
        self.cancel_edit()  # the view shows the conversation as stored; the window acts on the signal
        self.view.messageEdited.emit(self.item, text)

    def set_selected(self, on: bool) -> None:
        self.setProperty("selected", "true" if on else "false")
        self.style().unpolish(self)
        self.style().polish(self)

    def mousePressEvent(self, e):
        self.view.select(self.item)
        super().mousePressEvent(e)
