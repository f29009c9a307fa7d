"""How a request was understood, in the conversation: the "Did you mean…" card that asks when the
router could read a request two ways, and the "Not what I meant" menu of a reply.

The card shows one button per reading ("Draw it", "Talk about it"), the likelihood as the tooltip,
Alt+1 / Alt+2 on the buttons while it is the conversation's last message. After the user went on
without choosing, its buttons are disabled (the question stays stored; the reply that follows answers
something else). The menu lists the other readings of a reply's request.
"""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QBoxLayout, QFrame, QLabel, QMenu, QPushButton, QToolButton, QVBoxLayout

from .i18n import on_language, translate

__all__ = ["QuestionCard", "CorrectionButton", "choice_text"]

def choice_text(label: str) -> str:
    """A reading's label (English, from the router's INTENT_CHOICE_LABELS, which packaging/i18n.py puts
    in the translations under "intents") in the interface's language."""
    return translate("intents", label)


class QuestionCard(QFrame):
    """"Did you mean…" with a button per reading; ``chosen(intent)`` when one is picked."""

    chosen = Signal(str)

    def __init__(self, choices: list[tuple[str, str, float]], parent=None):
        super().__init__(parent)
        self.setObjectName("QuestionCard")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.choices = [(intent, label, p) for intent, label, p in choices]
        lay = QVBoxLayout(self)
        lay.setContentsMargins(12, 10, 12, 10)
        lay.setSpacing(6)
        self.title = QLabel()
        self.title.setObjectName("CardTitle")
        lay.addWidget(self.title)
        self.hint = QLabel()
        self.hint.setObjectName("Muted")
        self.hint.setWordWrap(True)
        lay.addWidget(self.hint)
        lay.addSpacing(2)
        row = self._row = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        row.setSpacing(8)
        self.buttons: list[QPushButton] = []
        for n, (intent, _label, _p) in enumerate(self.choices, 1):
            b = QPushButton()
            b.setObjectName("ChoiceButton")
            b.setProperty("intent", intent)
            b.setProperty("key", f"Alt+{n}")
            b.setAutoDefault(False)
            b.setCursor(Qt.CursorShape.PointingHandCursor)
            b.clicked.connect(lambda _c=False, i=intent: self.chosen.emit(i))
            row.addWidget(b)
            self.buttons.append(b)
        row.addStretch(1)
        lay.addLayout(row)
        self.active = False
        self.set_active(True)
        on_language(self, self._retranslate)

    def _retranslate(self) -> None:
        labels = [choice_text(label) for _i, label, _p in self.choices]
        self.setAccessibleName(translate("QuestionCard", "Sensorium asks: did you mean {choices}?").format(
            choices=translate("QuestionCard", " or ").join(labels)))
        self.title.setText(translate("QuestionCard", "Did you mean…"))
        for b, label, (_i, _l, p) in zip(self.buttons, labels, self.choices, strict=True):
            key, percent = b.property("key"), f"{p:.0%}"
            b.setText(label)
            b.setToolTip(translate("QuestionCard", "About {percent} likely ({key})").format(percent=percent, key=key))
            b.setAccessibleName(label)
            b.setAccessibleDescription(translate("QuestionCard", "about {percent} likely; {key}").format(
                percent=percent, key=key))
        self._set_keys()  # setText drops a button's shortcut
        self._show_hint()

    def fit(self, width: int) -> None:
        """Side by side where ``width`` px hold the buttons, one under the other where not."""
        for b in self.buttons:
            b.ensurePolished()  # the stylesheet's padding and bold text count
        need = sum(b.sizeHint().width() for b in self.buttons) + self._row.spacing() * (len(self.buttons) - 1)
        self._row.setDirection(QBoxLayout.Direction.TopToBottom if need > width
                               else QBoxLayout.Direction.LeftToRight)

    def set_active(self, on: bool) -> None:
        """The last message of the conversation answers with a choice; an older question cannot."""
        if on == self.active:
            return
        self.active = on
        for b in self.buttons:
            b.setEnabled(on)
        self._set_keys()
        self._show_hint()

    def _set_keys(self) -> None:
        for b in self.buttons:  # one live set of keys: the active card's
            b.setShortcut(QKeySequence(b.property("key")) if self.active else QKeySequence())

    def _show_hint(self) -> None:
        keys = "\u00a0/\u00a0".join(b.property("key") for b in self.buttons)  # kept on one line
        self.hint.setText(translate("QuestionCard", "Your request could be read either way. Pick one ({keys}): "
                                    "Sensorium remembers it for requests like this one.").format(keys=keys)
                          if self.active else
                          translate("QuestionCard", "You went on without choosing; the question stays in the "
                                    "conversation."))


class CorrectionButton(QToolButton):
    """"Not what I meant": a menu of the other readings; ``picked(intent)`` when one is chosen.
    ``fill`` gives the menu's readings as (intent, label) when it opens."""

    picked = Signal(str)

    def __init__(self, fill, parent=None):
        super().__init__(parent)
        self.setObjectName("CorrectionButton")
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self._fill = fill
        menu = QMenu(self)
        menu.setObjectName("CorrectionMenu")
        menu.setToolTipsVisible(True)
        menu.aboutToShow.connect(self.fill_menu)
        self.setMenu(menu)
        on_language(self, self._retranslate)

    def _retranslate(self) -> None:
        self.setText(translate("CorrectionButton", "Not what I meant ▾"))
        self.setAccessibleName(translate("CorrectionButton", "Not what I meant"))
        self.setToolTip(translate("CorrectionButton", "Pick what you meant: the last reply is made again that way, "
                                  "and Sensorium learns it"))
        self.menu().setAccessibleName(translate("CorrectionButton", "What you meant"))

    def fill_menu(self) -> None:
        menu = self.menu()
        menu.clear()
        head = menu.addAction(translate("CorrectionButton", "I meant:"))
        head.setEnabled(False)
        for intent, label in self._fill():
            act = menu.addAction(choice_text(label))
            act.setData(intent)
            act.triggered.connect(lambda _c=False, i=intent: self.picked.emit(i))
