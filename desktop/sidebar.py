"""The conversation list: new, rename (inline), delete, and search across all messages."""
from __future__ import annotations

import time

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from .theme import icon
from .widgets import action_button

__all__ = ["Sidebar"]

ID_ROLE = Qt.ItemDataRole.UserRole
MID_ROLE = Qt.ItemDataRole.UserRole + 1


def _when(ts: float) -> str:
    now = time.time()
    if now - ts < 86400 and time.localtime(ts).tm_mday == time.localtime(now).tm_mday:
        return time.strftime("%H:%M", time.localtime(ts))
    return time.strftime("%d %b", time.localtime(ts))


class Sidebar(QWidget):
    conversationActivated = Signal(int)
    newRequested = Signal()
    renameRequested = Signal(int, str)
    deleteRequested = Signal(int)
    exportRequested = Signal(int, str)
    searchRequested = Signal(str)
    hitActivated = Signal(int, int)  # conversation id, message id

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("Sidebar")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setMinimumWidth(200)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(10, 12, 10, 10)
        lay.setSpacing(8)
        head = QHBoxLayout()
        title = QLabel("Conversations")
        title.setObjectName("SidebarTitle")
        head.addWidget(title, 1)
        self.new_button = action_button("plus", "New chat (Ctrl+N)", self.newRequested.emit, size=18)
        self.rename_button = action_button("edit", "Rename the conversation", self._rename_current, size=18)
        self.delete_button = action_button("trash", "Delete the conversation (you can undo)", self._delete_current,
                                           size=18)
        for b in (self.new_button, self.rename_button, self.delete_button):
            head.addWidget(b)
        lay.addLayout(head)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search all messages (Ctrl+F)")
        self.search.setAccessibleName("Search messages")
        self.search.setClearButtonEnabled(True)
        self.search.addAction(icon("search"), QLineEdit.ActionPosition.LeadingPosition)
        self._debounce = QTimer(self, singleShot=True, interval=200,
                                timeout=lambda: self.searchRequested.emit(self.search.text().strip()))
        self.search.textChanged.connect(lambda _t: self._debounce.start())
        self.search.returnPressed.connect(lambda: (self._debounce.stop(),
                                                   self.searchRequested.emit(self.search.text().strip())))
        lay.addWidget(self.search)
        self.stack = QStackedWidget()
        self.list = QListWidget()
        self.list.setAccessibleName("Conversations")
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.EditKeyPressed)
        self.list.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.list.customContextMenuRequested.connect(self._menu)
        self.list.currentItemChanged.connect(self._on_current)
        self.list.itemChanged.connect(self._on_item_changed)
        self.list.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.list.setUniformItemSizes(True)
        self.hits = QListWidget()
        self.hits.setAccessibleName("Search results")
        self.hits.setWordWrap(True)
        self.hits.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.hits.itemActivated.connect(self._on_hit)
        self.hits.itemClicked.connect(self._on_hit)
        self.stack.addWidget(self.list)
        self.stack.addWidget(self.hits)
        lay.addWidget(self.stack, 1)
        self.hits_label = QLabel()
        self.hits_label.setObjectName("Muted")
        self.hits_label.hide()
        lay.insertWidget(2, self.hits_label)
        self._filling = False

    # ---- conversations ------------------------------------------------------------------------
    def set_conversations(self, convs, current: int | None) -> None:
        self._filling = True
        try:
            self.list.clear()
            for c in convs:
                it = QListWidgetItem(c.title or "Untitled")
                it.setData(ID_ROLE, c.id)
                it.setFlags(it.flags() | Qt.ItemFlag.ItemIsEditable)
                it.setToolTip(f"{c.title or 'Untitled'}\n{c.message_count} messages · {_when(c.updated)}")
                self.list.addItem(it)
                if c.id == current:
                    self.list.setCurrentItem(it)
        finally:
            self._filling = False
        has = self.list.currentItem() is not None
        self.rename_button.setEnabled(has)
        self.delete_button.setEnabled(has)

    def select(self, cid: int | None) -> None:
        self._filling = True
        try:
            for i in range(self.list.count()):
                if self.list.item(i).data(ID_ROLE) == cid:
                    self.list.setCurrentRow(i)
                    break
            else:
                self.list.clearSelection()
                self.list.setCurrentItem(None)
        finally:
            self._filling = False
        has = self.list.currentItem() is not None
        self.rename_button.setEnabled(has)
        self.delete_button.setEnabled(has)

    def current_id(self) -> int | None:
        it = self.list.currentItem()
        return it.data(ID_ROLE) if it else None

    def _on_current(self, cur, _prev) -> None:
        has = cur is not None
        self.rename_button.setEnabled(has)
        self.delete_button.setEnabled(has)
        if cur is not None and not self._filling:
            self.conversationActivated.emit(cur.data(ID_ROLE))

    def _on_item_changed(self, it: QListWidgetItem) -> None:
        if not self._filling:
            self.renameRequested.emit(it.data(ID_ROLE), it.text().strip())

    def _rename_current(self) -> None:
        it = self.list.currentItem()
        if it is not None:
            self.list.editItem(it)

    def _delete_current(self) -> None:
        cid = self.current_id()
        if cid is not None:
            self.deleteRequested.emit(cid)

    def _menu(self, pos) -> None:
        it = self.list.itemAt(pos)
        if it is None:
            return
        cid = it.data(ID_ROLE)
        m = QMenu(self)
        m.addAction(icon("edit"), "Rename", lambda: self.list.editItem(it))
        m.addAction(icon("save"), "Export as Markdown…", lambda: self.exportRequested.emit(cid, "md"))
        m.addAction(icon("save"), "Export as JSON…", lambda: self.exportRequested.emit(cid, "json"))
        m.addSeparator()
        m.addAction(icon("trash"), "Delete", lambda: self.deleteRequested.emit(cid))
        m.popup(self.list.viewport().mapToGlobal(pos))

    # ---- search -----------------------------------------------------------------------------------
    def show_hits(self, query: str, hits) -> None:
        if not query:
            self.stack.setCurrentWidget(self.list)
            self.hits_label.hide()
            return
        self.hits.clear()
        for h in hits:
            who = "You" if h.role == "user" else "Sensorium"
            it = QListWidgetItem(f"{h.conversation_title or 'Untitled'}\n{who}: {' '.join(h.snippet.split())}")
            it.setData(ID_ROLE, h.conversation_id)
            it.setData(MID_ROLE, h.message_id)
            it.setToolTip(h.text[:500])
            self.hits.addItem(it)
        self.hits_label.setText(f"{len(hits)} message{'s' if len(hits) != 1 else ''} found" if hits
                                else f"Nothing found for \u201c{query}\u201d")
        self.hits_label.show()
        self.stack.setCurrentWidget(self.hits)

    def _on_hit(self, it: QListWidgetItem) -> None:
        self.hitActivated.emit(it.data(ID_ROLE), it.data(MID_ROLE))

    def restyle(self) -> None:
        for b in (self.new_button, self.rename_button, self.delete_button):
            b.setIcon(icon(b.property("icon_name")))
