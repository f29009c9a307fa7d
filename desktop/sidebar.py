"""The conversation list: new, rename (inline), delete, and search across all messages.

The list is a QListView over ``ConversationModel``, a QAbstractListModel that ``set_conversations``
updates in place: rows that went away are removed, new ones inserted, a changed order is one
layout change, changed titles and counts are a ``dataChanged``. The view keeps its selection and
scroll position through a refresh, and nothing is built per row: with 500 conversations
``set_conversations`` takes about 1 ms and the view's relayout and repaint 3-7 ms (the QListWidget
it replaces took 10-19 ms to rebuild its items); benchmarks/stage_gui.py measures the whole refresh.

Keyboard: the arrows move in the list, Enter opens the conversation, F2 renames it and Delete
deletes it (the window offers Undo). A click opens it too.
"""
from __future__ import annotations

import dataclasses
import time

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from .i18n import on_language, translate
from .theme import icon
from .widgets import action_button, set_tip

__all__ = ["Sidebar", "ConversationModel", "ConversationList"]

ID_ROLE = Qt.ItemDataRole.UserRole
MID_ROLE = Qt.ItemDataRole.UserRole + 1


def _when(ts: float) -> str:
    now = time.time()
    if now - ts < 86400 and time.localtime(ts).tm_mday == time.localtime(now).tm_mday:
        return time.strftime("%H:%M", time.localtime(ts))
    return time.strftime(translate("Sidebar", "%d %b"), time.localtime(ts))  # a strftime format: "12 Mar"


def _untitled() -> str:
    return translate("Sidebar", "Untitled")


def _title(c) -> str:
    return c.title or _untitled()


class ConversationModel(QAbstractListModel):
    """The conversations (``ConversationInfo`` rows, newest first); ``ID_ROLE`` is a row's id.

    Editing a title (the view's inline editor) emits ``renamed(id, title)`` and shows the new title
    at once; the store's answer comes with the next ``set_rows``.
    """

    renamed = Signal(int, str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self._rows: list = []
        self._row_of: dict[int, int] = {}

    # ---- reading ------------------------------------------------------------------------------
    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        c = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return _title(c)
        if role == ID_ROLE:
            return c.id
        if role == Qt.ItemDataRole.ToolTipRole:
            return translate("Sidebar", "{title}\n{count} messages · {when}").format(
                title=_title(c), count=c.message_count, when=_when(c.updated))
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return translate("Sidebar", "{title}, {count} messages, {when}").format(
                title=_title(c), count=c.message_count, when=_when(c.updated))
        return None

    def retranslate(self) -> None:
        """The texts made here (an untitled row's title, the tooltips) in the new language."""
        if self._rows:
            self.dataChanged.emit(self.index(0), self.index(len(self._rows) - 1))

    def flags(self, index):
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEditable

    def setData(self, index, value, role=Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        c = self._rows[index.row()]
        title = str(value or "").strip()
        if not title or title == _title(c):  # an empty or unchanged title renames nothing
            return False
        self._rows[index.row()] = dataclasses.replace(c, title=title)
        self.dataChanged.emit(index, index)
        self.renamed.emit(c.id, title)
        return True

    def row_of(self, cid: int | None) -> int:
        return self._row_of.get(cid, -1) if cid is not None else -1

    def id_at(self, row: int) -> int | None:
        return self._rows[row].id if 0 <= row < len(self._rows) else None

    # ---- updating in place ----------------------------------------------------------------------
    def set_rows(self, convs) -> None:
        new = list(convs)
        new_ids = [c.id for c in new]
        if new_ids != [c.id for c in self._rows]:
            self._remove_missing(set(new_ids))
            self._insert_added(new)
            if [c.id for c in self._rows] != new_ids:
                self._reorder(new)
        changed = [i for i, (a, b) in enumerate(zip(self._rows, new)) if a != b]
        self._rows = new
        self._row_of = {cid: i for i, cid in enumerate(new_ids)}
        if changed:
            self.dataChanged.emit(self.index(changed[0]), self.index(changed[-1]))

    def _remove_missing(self, keep: set[int]) -> None:
        gone = [i for i, c in enumerate(self._rows) if c.id not in keep]
        while gone:  # contiguous blocks, the last one first, so earlier row numbers stay valid
            last = first = gone.pop()
            while gone and gone[-1] == first - 1:
                first = gone.pop()
            self.beginRemoveRows(QModelIndex(), first, last)
            del self._rows[first:last + 1]
            self.endRemoveRows()

    def _insert_added(self, new: list) -> None:
        have = {c.id for c in self._rows}
        added = [c for c in new if c.id not in have]
        if added:  # new conversations are the newest: at the top (a reorder follows if not)
            self.beginInsertRows(QModelIndex(), 0, len(added) - 1)
            self._rows[0:0] = added
            self.endInsertRows()

    def _reorder(self, new: list) -> None:
        """Same rows, another order: one layout change; selection and current row follow their ids."""
        self.layoutAboutToBeChanged.emit()
        target = {c.id: i for i, c in enumerate(new)}
        before = self.persistentIndexList()
        after = [self.index(target[self._rows[p.row()].id]) if p.isValid() else QModelIndex() for p in before]
        self._rows = list(new)
        self.changePersistentIndexList(before, after)
        self.layoutChanged.emit()


class ConversationList(QListView):
    """The list's view: Enter (or a click) opens the current conversation, Delete deletes it, F2
    renames it (Qt's edit key)."""

    openRequested = Signal(int)
    deleteRequested = Signal(int)

    def __init__(self, model: ConversationModel, parent=None):
        super().__init__(parent)
        self.setModel(model)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.EditKeyPressed)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setUniformItemSizes(True)
        self.clicked.connect(self._open)

    def count(self) -> int:
        return self.model().rowCount()

    def title(self, row: int) -> str:
        return self.model().index(row, 0).data()

    def current_id(self) -> int | None:
        cur = self.currentIndex()
        return cur.data(ID_ROLE) if cur.isValid() else None

    def keyPressEvent(self, e) -> None:
        editing = self.state() == QAbstractItemView.State.EditingState
        if not editing and self.currentIndex().isValid():
            if e.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self._open(self.currentIndex())
                return
            if e.key() == Qt.Key.Key_Delete and not e.modifiers():
                self.deleteRequested.emit(self.current_id())
                return
        super().keyPressEvent(e)

    def _open(self, index) -> None:
        if index.isValid():
            self.openRequested.emit(index.data(ID_ROLE))


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
        self.title = QLabel()
        self.title.setObjectName("SidebarTitle")
        head.addWidget(self.title, 1)
        self.new_button = action_button("plus", "", self.newRequested.emit, size=18)
        self.rename_button = action_button("edit", "", self._rename_current, size=18)
        self.delete_button = action_button("trash", "", self._delete_current, size=18)
        for b in (self.new_button, self.rename_button, self.delete_button):
            head.addWidget(b)
        lay.addLayout(head)
        self.search = QLineEdit()
        self.search.setClearButtonEnabled(True)
        self.search.addAction(icon("search"), QLineEdit.ActionPosition.LeadingPosition)
        self._debounce = QTimer(self, singleShot=True, interval=200,
                                timeout=lambda: self.searchRequested.emit(self.search.text().strip()))
        self.search.textChanged.connect(lambda _t: self._debounce.start())
        self.search.returnPressed.connect(lambda: (self._debounce.stop(),
                                                   self.searchRequested.emit(self.search.text().strip())))
        lay.addWidget(self.search)
        self.stack = QStackedWidget()
        self.model = ConversationModel(self)
        self.model.renamed.connect(self.renameRequested)
        self.list = ConversationList(self.model)
        self.list.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.list.customContextMenuRequested.connect(self._menu)
        self.list.openRequested.connect(self.conversationActivated)
        self.list.deleteRequested.connect(self.deleteRequested)
        self.list.selectionModel().currentChanged.connect(lambda *_: self._update_buttons())
        self.hits = QListWidget()
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
        self._open: int | None = None  # the conversation the window shows
        self._hits: tuple[str, list] = ("", [])  # the search shown: its query and hits
        self._update_buttons()
        on_language(self, self._retranslate)

    def _retranslate(self) -> None:
        self.title.setText(translate("Sidebar", "Conversations"))
        set_tip(self.new_button, translate("Sidebar", "New chat (Ctrl+N)"))
        set_tip(self.rename_button, translate("Sidebar", "Rename the conversation (F2)"))
        set_tip(self.delete_button, translate("Sidebar", "Delete the conversation (Delete; you can undo)"))
        self.search.setPlaceholderText(translate("Sidebar", "Search all messages (Ctrl+F)"))
        self.search.setAccessibleName(translate("Sidebar", "Search messages"))
        self.list.setAccessibleName(translate("Sidebar", "Conversations"))
        self.list.setAccessibleDescription(translate("Sidebar", "Enter opens the conversation, F2 renames it, "
                                                     "Delete deletes it"))
        self.hits.setAccessibleName(translate("Sidebar", "Search results"))
        self.model.retranslate()
        query, hits = self._hits
        if query:  # the search shown, in the new words (the rows stay)
            for i, h in enumerate(hits[:self.hits.count()]):
                self.hits.item(i).setText(self._hit_text(h))
            self.hits_label.setText(self._hits_line(query, hits))

    # ---- conversations ------------------------------------------------------------------------
    def set_conversations(self, convs, current: int | None) -> None:
        """Show ``convs`` (newest first), updating the rows in place. ``current`` is the open
        conversation: it becomes the current row when it changed; otherwise the row the keyboard
        is on stays where it is."""
        self.model.set_rows(convs)
        if current != self._open or not self.list.currentIndex().isValid():
            self.select(current)
        else:
            self._update_buttons()

    def select(self, cid: int | None) -> None:
        """Make ``cid`` the current (selected) row, or select nothing; opens nothing."""
        self._open = cid
        row = self.model.row_of(cid)
        sm = self.list.selectionModel()
        if row >= 0:
            sm.setCurrentIndex(self.model.index(row), sm.SelectionFlag.ClearAndSelect)
        else:
            sm.clear()
        self._update_buttons()

    def current_id(self) -> int | None:
        return self.list.current_id()

    def _update_buttons(self) -> None:
        has = self.list.currentIndex().isValid()
        self.rename_button.setEnabled(has)
        self.delete_button.setEnabled(has)

    def _rename_current(self) -> None:
        cur = self.list.currentIndex()
        if cur.isValid():
            self.list.edit(cur)

    def _delete_current(self) -> None:
        cid = self.current_id()
        if cid is not None:
            self.deleteRequested.emit(cid)

    def _menu(self, pos) -> None:
        index = self.list.indexAt(pos)
        if not index.isValid():
            return
        cid, row = index.data(ID_ROLE), QPersistentModelIndex(index)
        m = QMenu(self)
        m.addAction(icon("edit"), translate("Sidebar", "Rename"),
                    lambda: self.list.edit(QModelIndex(row)) if row.isValid() else None)
        m.addAction(icon("save"), translate("Sidebar", "Export as Markdown…"), lambda: self.exportRequested.emit(cid, "md"))
        m.addAction(icon("save"), translate("Sidebar", "Export as JSON…"), lambda: self.exportRequested.emit(cid, "json"))
        m.addSeparator()
        m.addAction(icon("trash"), translate("Sidebar", "Delete"), lambda: self.deleteRequested.emit(cid))
        m.popup(self.list.viewport().mapToGlobal(pos))

    # ---- search -----------------------------------------------------------------------------------
    def show_hits(self, query: str, hits) -> None:
        self._hits = (query, list(hits) if query else [])
        if not query:
            self.stack.setCurrentWidget(self.list)
            self.hits_label.hide()
            return
        self.hits.clear()
        for h in hits:
            it = QListWidgetItem(self._hit_text(h))
            it.setData(ID_ROLE, h.conversation_id)
            it.setData(MID_ROLE, h.message_id)
            it.setToolTip(h.text[:500])
            self.hits.addItem(it)
        self.hits_label.setText(self._hits_line(query, hits))
        self.hits_label.show()
        self.stack.setCurrentWidget(self.hits)

    @staticmethod
    def _hit_text(h) -> str:
        who = translate("Sidebar", "You") if h.role == "user" else "Sensorium"
        return f"{h.conversation_title or _untitled()}\n{who}: {' '.join(h.snippet.split())}"

    @staticmethod
    def _hits_line(query: str, hits) -> str:
        if not hits:
            return translate("Sidebar", "Nothing found for “{query}”").format(query=query)
        if len(hits) == 1:
            return translate("Sidebar", "1 message found")
        return translate("Sidebar", "{count} messages found").format(count=len(hits))

    def _on_hit(self, it: QListWidgetItem) -> None:
        self.hitActivated.emit(it.data(ID_ROLE), it.data(MID_ROLE))

    def restyle(self) -> None:
        for b in (self.new_button, self.rename_button, self.delete_button):
            b.setIcon(icon(b.property("icon_name")))
