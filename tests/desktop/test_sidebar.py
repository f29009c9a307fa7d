"""The conversation list with 500 conversations from a real HistoryStore: refreshes update it in
place (selection and scroll kept), the keyboard drives it, the context menu renames and deletes."""
from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QAbstractItemView, QApplication, QLineEdit

from desktop.sidebar import Sidebar
from pipelines.history import HistoryStore

N = 500


@pytest.fixture
def store(tmp_path):
    s = HistoryStore(tmp_path / "history.sqlite3", tmp_path / "attachments", clock=iter(range(1, 10**6)).__next__)
    for i in range(N):
        s.create_conversation(f"chat {i}")
    yield s
    s.close()


@pytest.fixture
def sidebar(qtbot, store):
    sb = Sidebar()
    qtbot.addWidget(sb)
    sb.resize(280, 600)
    sb.show()
    qtbot.waitExposed(sb)
    sb.set_conversations(store.list_conversations(), None)
    sb.conversationActivated.connect(sb.select)  # as the window does once it has opened it
    return sb


def _row_center(sb: Sidebar, row: int) -> QPoint:
    index = sb.list.model().index(row, 0)
    sb.list.scrollTo(index)
    return sb.list.visualRect(index).center()


def test_a_refresh_keeps_the_selection_and_the_scroll_position(qtbot, sidebar, store):
    sb = sidebar
    assert sb.list.count() == N and sb.list.title(0) == f"chat {N - 1}"
    assert not sb.delete_button.isEnabled()
    with qtbot.waitSignal(sb.conversationActivated) as opened:
        qtbot.mouseClick(sb.list.viewport(), Qt.MouseButton.LeftButton, pos=_row_center(sb, 250))
    cid = opened.args[0]
    assert cid == store.list_conversations()[250].id and sb.current_id() == cid and sb.delete_button.isEnabled()
    scroll = sb.list.verticalScrollBar().value()
    assert scroll > 0
    # what a turn elsewhere does: a message moves another conversation to the top, a new one
    # appears, one is deleted
    moved = store.list_conversations()[400].id
    store.add_message(moved, "user", "hello again")
    store.create_conversation("brand new")
    store.delete_conversation(store.list_conversations()[10].id)
    convs = store.list_conversations()
    sb.set_conversations(convs, cid)
    assert [sb.list.model().id_at(r) for r in range(sb.list.count())] == [c.id for c in convs]
    assert sb.list.title(0) == "brand new" and sb.list.title(1) == "chat 99"
    assert sb.current_id() == cid
    assert [i.row() for i in sb.list.selectionModel().selectedIndexes()] == [sb.list.model().row_of(cid)]
    assert sb.list.verticalScrollBar().value() == scroll
    # the open conversation goes away (deleted elsewhere): nothing is selected, nothing opens
    store.delete_conversation(cid)
    sb.set_conversations(store.list_conversations(), None)
    assert sb.current_id() is None and not sb.list.selectionModel().selectedIndexes()


def test_keyboard_arrows_move_enter_opens_f2_renames_delete_deletes(qtbot, sidebar, store):
    sb = sidebar
    convs = store.list_conversations()
    sb.select(convs[3].id)
    sb.list.setFocus()
    activated, renamed, deleted = [], [], []
    sb.conversationActivated.connect(activated.append)
    sb.renameRequested.connect(lambda cid, title: renamed.append((cid, title)))
    sb.deleteRequested.connect(deleted.append)
    qtbot.keyClick(sb.list, Qt.Key.Key_Down)
    qtbot.keyClick(sb.list, Qt.Key.Key_Down)
    assert sb.current_id() == convs[5].id and activated == []  # moving opens nothing
    # a refresh while the keyboard is elsewhere than the open conversation leaves it there
    sb.set_conversations(store.list_conversations(), convs[3].id)
    assert sb.current_id() == convs[5].id
    qtbot.keyClick(sb.list, Qt.Key.Key_Return)
    assert activated == [convs[5].id]
    qtbot.keyClick(sb.list, Qt.Key.Key_F2)
    assert sb.list.state() == QAbstractItemView.State.EditingState
    editor = _open_editor(qtbot, sb)
    editor.selectAll()
    qtbot.keyClicks(editor, "Holiday plans")
    qtbot.keyClick(editor, Qt.Key.Key_Return)  # the delegate commits on the next turn of the event loop
    qtbot.waitUntil(lambda: sb.list.state() != QAbstractItemView.State.EditingState, timeout=5000)
    assert renamed == [(convs[5].id, "Holiday plans")] and sb.list.title(5) == "Holiday plans"
    qtbot.keyClick(sb.list, Qt.Key.Key_F2)  # an emptied title renames nothing
    editor = _open_editor(qtbot, sb)
    editor.clear()
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: sb.list.state() != QAbstractItemView.State.EditingState, timeout=5000)
    assert len(renamed) == 1 and sb.list.title(5) == "Holiday plans"
    qtbot.keyClick(sb.list, Qt.Key.Key_Delete)
    assert deleted == [convs[5].id]


def test_context_menu_renames_and_deletes_the_row_under_the_pointer(qtbot, sidebar, store):
    sb = sidebar
    convs = store.list_conversations()
    deleted = []
    sb.deleteRequested.connect(deleted.append)

    def choose(row: int, text: str) -> None:
        sb._menu(_row_center(sb, row))
        menu = QApplication.activePopupWidget()
        next(a for a in menu.actions() if a.text() == text).trigger()
        menu.close()

    choose(7, "Delete")
    assert deleted == [convs[7].id]
    choose(2, "Rename")
    assert sb.list.state() == QAbstractItemView.State.EditingState
    assert sb.list.findChild(QLineEdit).text() == convs[2].title


def test_accessible_names(sidebar):
    sb = sidebar
    assert sb.list.accessibleName() == "Conversations" and "Enter opens" in sb.list.accessibleDescription()
    assert sb.search.accessibleName() == "Search messages" and sb.hits.accessibleName() == "Search results"
    assert [b.accessibleName() for b in (sb.new_button, sb.rename_button, sb.delete_button)] == [
        "New chat", "Rename the conversation", "Delete the conversation"]
    index = sb.list.model().index(0, 0)
    assert index.data(Qt.ItemDataRole.AccessibleTextRole).startswith(f"chat {N - 1}, 0 messages")


def _open_editor(qtbot, sb) -> QLineEdit:
    """The rename editor F2 opened: the visible one (an earlier editor may still await deleteLater)."""
    qtbot.waitUntil(lambda: any(e.isVisible() for e in sb.list.findChildren(QLineEdit)), timeout=5000)
    return next(e for e in sb.list.findChildren(QLineEdit) if e.isVisible())
