"""Personal memory in the window: the "Remember this?" card under a reply that stated something
(Remember / Edit / Not now; nothing is stored until Remember), and the Memory dialog (every memory,
edited in place, deleted, added; Forget all; Pause memory). Stores go through desktop.knowledge,
on the history worker, never on the GUI thread.

A reply's proposals live in its ``meta["memory"]``: ``{"proposals": [MemoryItem], "message_id",
"states": ["asking" | "saving" | "remembered" | "dismissed"], "texts": [the text as stored]}``, so
that a bubble made again (scrolling, a language switch) shows each card as it was left."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
)

from pipelines.events import MemoryItem

from .i18n import on_language, translate

__all__ = ["MemoryCard", "MemoryDialog", "KINDS", "kind_text"]

#: MemoryItem.kind as the Memory dialog says it
KINDS = {"name": QT_TRANSLATE_NOOP("Memory", "name"), "language": QT_TRANSLATE_NOOP("Memory", "language"),
         "diet": QT_TRANSLATE_NOOP("Memory", "diet"), "preference": QT_TRANSLATE_NOOP("Memory", "preference"),
         "fact": QT_TRANSLATE_NOOP("Memory", "fact")}


def kind_text(kind: str) -> str:
    return translate("Memory", KINDS.get(kind, KINDS["fact"]))


class MemoryCard(QFrame):
    """One proposal under a reply. ``accepted(text)`` on Remember (the text as the user left it),
    ``dismissed()`` on Not now. ``set_state("saving" | "remembered" | "asking")`` follows the store."""

    accepted = Signal(str)
    dismissed = Signal()

    def __init__(self, proposal: MemoryItem, state: str = "asking", text: str | None = None, parent=None):
        super().__init__(parent)
        self.setObjectName("MemoryCard")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.proposal = proposal
        self.memory_text = text or proposal.text
        self.state = state
        lay = QVBoxLayout(self)
        lay.setContentsMargins(12, 8, 12, 8)
        lay.setSpacing(6)
        self.title = QLabel()
        self.title.setObjectName("CardTitle")
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.edit = QLineEdit()
        self.edit.setObjectName("MemoryEdit")
        self.edit.returnPressed.connect(self._remember)
        self.edit.hide()
        lay.addWidget(self.title)
        lay.addWidget(self.text)
        lay.addWidget(self.edit)
        row = QHBoxLayout()
        row.setSpacing(8)
        self.remember_button, self.edit_button, self.later_button = QPushButton(), QPushButton(), QPushButton()
        for b in (self.remember_button, self.edit_button, self.later_button):
            b.setAutoDefault(False)
            b.setCursor(Qt.CursorShape.PointingHandCursor)
            row.addWidget(b)
        self.remember_button.setObjectName("ChoiceButton")
        row.addStretch(1)
        lay.addLayout(row)
        self.remember_button.clicked.connect(self._remember)
        self.edit_button.clicked.connect(self.start_edit)
        self.later_button.clicked.connect(self._later)
        on_language(self, self._retranslate)

    def _retranslate(self) -> None:
        self.remember_button.setText(translate("MemoryCard", "Remember"))
        self.edit_button.setText(translate("MemoryCard", "Edit"))
        self.later_button.setText(translate("MemoryCard", "Not now"))
        self.edit.setAccessibleName(translate("MemoryCard", "What to remember"))
        self._show()

    def _show(self) -> None:
        s = self.state
        editing = self.edit.isVisibleTo(self)
        if s == "remembered":
            self.title.setText(translate("MemoryCard", "Remembered"))
            self.text.setText(translate("MemoryCard", "“{text}” — change or delete it in Memory (Ctrl+Shift+M).")
                              .format(text=self.memory_text))
        elif s == "saving":
            self.title.setText(translate("MemoryCard", "Remembering…"))
            self.text.setText(self.memory_text)
        else:
            self.title.setText(translate("MemoryCard", "Remember this?"))
            self.text.setText(self.memory_text)
        self.text.setVisible(not editing)
        asking = s == "asking"
        for b in (self.remember_button, self.edit_button, self.later_button):
            b.setVisible(asking)
        self.edit_button.setVisible(asking and not editing)
        self.setAccessibleName(f"{self.title.text()} {self.memory_text}")

    def start_edit(self) -> None:
        self.edit.setText(self.memory_text)
        self.edit.show()
        self.edit.setFocus()
        self.edit.selectAll()
        self._show()

    def _remember(self) -> None:
        if self.state != "asking":
            return
        if self.edit.isVisibleTo(self):
            text = " ".join(self.edit.text().split())
            if text:
                self.memory_text = text
            self.edit.hide()
        self.accepted.emit(self.memory_text)

    def _later(self) -> None:
        self.dismissed.emit()

    def set_state(self, state: str, text: str | None = None) -> None:
        self.state = state
        if text:
            self.memory_text = text
        self._show()


class MemoryDialog(QDialog):
    """Every memory: double-click (or F2) edits one in place, Delete removes it; Add; Forget all;
    Pause memory (``memory.enabled``). ``knowledge`` is the window's Knowledge, ``settings`` its
    SettingsService."""

    def __init__(self, knowledge: Any, settings: Any, parent=None, *,
                 confirm: Callable[[QDialog], bool] | None = None):
        super().__init__(parent)
        self.setObjectName("MemoryDialog")
        self.knowledge, self.settings = knowledge, settings
        self._confirm = confirm or self._ask_forget_all
        self.resize(600, 460)
        lay = QVBoxLayout(self)
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.intro.setObjectName("Muted")
        lay.addWidget(self.intro)
        self.pause = QCheckBox()
        self.pause.setObjectName("PauseMemory")
        self.pause.setChecked(not settings.settings.memory.enabled)
        self.pause.toggled.connect(lambda on: settings.replace("memory", enabled=not on))
        lay.addWidget(self.pause)
        self.list = QListWidget()
        self.list.setObjectName("MemoryList")
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                  | QAbstractItemView.EditTrigger.EditKeyPressed)
        self.list.itemChanged.connect(self._edited)
        self.list.itemSelectionChanged.connect(self._selection)
        lay.addWidget(self.list, 1)
        add_row = QHBoxLayout()
        self.new_text = QLineEdit()
        self.new_text.setObjectName("NewMemory")
        self.new_text.returnPressed.connect(self.add)
        self.add_button = QPushButton()
        self.add_button.setAutoDefault(False)
        self.add_button.clicked.connect(self.add)
        add_row.addWidget(self.new_text, 1)
        add_row.addWidget(self.add_button)
        lay.addLayout(add_row)
        self.status = QLabel()
        self.status.setObjectName("MemoryStatus")
        self.status.setWordWrap(True)
        lay.addWidget(self.status)
        row = QHBoxLayout()
        self.delete_button, self.forget_button, self.close_button = QPushButton(), QPushButton(), QPushButton()
        for b in (self.delete_button, self.forget_button, self.close_button):
            b.setAutoDefault(False)
        self.delete_button.clicked.connect(self.delete_selected)
        self.delete_button.setEnabled(False)
        self.forget_button.clicked.connect(self.forget_all)
        self.close_button.clicked.connect(self.accept)
        row.addWidget(self.delete_button)
        row.addWidget(self.forget_button)
        row.addStretch(1)
        row.addWidget(self.close_button)
        lay.addLayout(row)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.list, self.delete_selected,
                  context=Qt.ShortcutContext.WidgetShortcut)
        self.memories: list[MemoryItem] = []
        self._filling = False
        knowledge.memoriesChanged.connect(self.set_memories)
        settings.settingsChanged.connect(self._settings_changed)
        on_language(self, self._retranslate)
        self.set_memories(knowledge.memories)
        knowledge.refresh_memories()

    def _retranslate(self) -> None:
        self.setWindowTitle(translate("MemoryDialog", "Memory"))
        self.intro.setText(translate("MemoryDialog", "What Sensorium remembers about you, across conversations. It "
                                     "is kept on this computer only; a reply's details say which memories it used. "
                                     "Double-click one to change it."))
        self.pause.setText(translate("MemoryDialog", "Pause memory (nothing is used in replies or offered)"))
        self.list.setAccessibleName(translate("MemoryDialog", "Memories"))
        self.new_text.setPlaceholderText(translate("MemoryDialog", "Something to remember, e.g. “I'm vegetarian”"))
        self.new_text.setAccessibleName(translate("MemoryDialog", "New memory"))
        self.add_button.setText(translate("MemoryDialog", "Add"))
        self.delete_button.setText(translate("MemoryDialog", "Delete"))
        self.forget_button.setText(translate("MemoryDialog", "Forget all…"))
        self.close_button.setText(translate("MemoryDialog", "Close"))
        self.set_memories(self.memories)

    def _settings_changed(self, _old: Any, new: Any) -> None:
        if self.pause.isChecked() == new.memory.enabled:
            self.pause.blockSignals(True)
            self.pause.setChecked(not new.memory.enabled)
            self.pause.blockSignals(False)
        self._show_status()

    def set_memories(self, memories: list) -> None:
        self.memories = list(memories)
        self._filling = True
        try:
            self.list.clear()
            for m in self.memories:
                it = QListWidgetItem(m.text)
                it.setData(Qt.ItemDataRole.UserRole, m.id)
                it.setFlags(it.flags() | Qt.ItemFlag.ItemIsEditable)
                it.setToolTip(kind_text(m.kind))
                self.list.addItem(it)
        finally:
            self._filling = False
        self.forget_button.setEnabled(bool(self.memories))
        self._show_status()

    def _show_status(self) -> None:
        if not self.settings.settings.memory.enabled:
            self.status.setText(translate("MemoryDialog", "Memory is paused: nothing is used or offered until you "
                                          "switch it on again."))
        elif len(self.memories) == 1:
            self.status.setText(translate("MemoryDialog", "1 memory."))
        elif self.memories:
            self.status.setText(translate("MemoryDialog", "{count} memories.").format(count=len(self.memories)))
        else:
            self.status.setText(translate("MemoryDialog", "Nothing remembered yet: tell Sensorium something about "
                                          "you (“call me Lin”), or add it here."))

    def _edited(self, it: QListWidgetItem) -> None:
        if self._filling:
            return
        mid = it.data(Qt.ItemDataRole.UserRole)
        text = " ".join(it.text().split())
        old = next((m for m in self.memories if m.id == mid), None)
        if mid is None or old is None or text == old.text:
            return
        if not text:  # an emptied memory is not a memory: put it back
            self.set_memories(self.memories)
            return
        self.knowledge.update_memory(mid, text)

    def _selection(self) -> None:
        self.delete_button.setEnabled(bool(self.list.selectedItems()))

    def add(self) -> None:
        text = self.new_text.text().strip()
        if text:
            self.new_text.clear()
            self.knowledge.add_memory(text)

    def delete_selected(self) -> None:
        for it in self.list.selectedItems():
            mid = it.data(Qt.ItemDataRole.UserRole)
            if mid is not None:
                self.knowledge.delete_memory(mid)

    def _ask_forget_all(self, _dlg: QDialog) -> bool:
        answer = QMessageBox.warning(
            self, translate("MemoryDialog", "Forget all"),
            translate("MemoryDialog", "Forget everything Sensorium remembers about you? This cannot be undone."),
            QMessageBox.StandardButton.Cancel | QMessageBox.StandardButton.Yes, QMessageBox.StandardButton.Cancel)
        return answer == QMessageBox.StandardButton.Yes

    def forget_all(self) -> None:
        if self.memories and self._confirm(self):
            self.knowledge.forget_all()
