"""Editing a sent message in the conversation view: Edit opens an inline editor, Ctrl+Enter (or Save
and send) emits messageEdited(item, text), Esc (even under a window-wide Esc shortcut) and Cancel
restore the message as it was. The view itself never changes the conversation."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QVBoxLayout, QWidget

from desktop.conversation import ConversationView, MessageItem

QUESTION = "What is the capital of France?"


def _window(qtbot):
    """A conversation view in a window that, like the main window, stops a reply on Esc."""
    win = QWidget()
    qtbot.addWidget(win)
    stops: list[int] = []
    QShortcut(QKeySequence(Qt.Key.Key_Escape), win, lambda: stops.append(1),
              context=Qt.ShortcutContext.WindowShortcut)
    view = ConversationView()
    QVBoxLayout(win).addWidget(view)
    items = [MessageItem(role="user", text=QUESTION, id=1),
             MessageItem(role="assistant", text="Paris.", id=2, intent="chat"),
             MessageItem(role="user", text="And of Spain?", id=3),
             MessageItem(role="assistant", text="Madrid.", id=4, intent="chat")]
    view.set_messages(items)
    win.resize(900, 700)
    win.show()
    qtbot.waitExposed(win)
    win.activateWindow()
    qtbot.waitUntil(win.isActiveWindow, timeout=2000)
    return win, view, items, stops


def test_ctrl_enter_sends_the_edited_text_and_esc_restores_the_message(qtbot):
    win, view, items, stops = _window(qtbot)
    first = view.bubble_for(items[0])
    assert first.edit_button.isVisible() and first.edit_button.isEnabled()
    assert first.edit_button.accessibleName() == "Edit message"
    assert view.bubble_for(items[1]).edit_button is None  # replies are regenerated, not edited
    qtbot.mouseClick(first.edit_button, Qt.MouseButton.LeftButton)
    editor = first.editor
    assert editor.isVisible() and not first.body.isVisible() and not first.edit_button.isVisible()
    assert editor.text() == QUESTION and editor.edit.hasFocus()
    editor.edit.selectAll()
    qtbot.keyClicks(editor.edit, "What is the capital of Italy?")
    with qtbot.waitSignal(view.messageEdited, timeout=2000) as sig:
        qtbot.keyClick(editor.edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert sig.args[0] is items[0] and sig.args[1] == "What is the capital of Italy?"
    # the view shows the conversation as it is: the window branches it and sends the new text there
    assert items[0].text == QUESTION and view.items == items
    assert not editor.isVisible() and first.body.isVisible() and first.body.toPlainText() == QUESTION
    assert first.edit_button.isVisible()

    # Esc closes the editor without sending, and does not reach the window's Esc (stop) shortcut
    second = view.bubble_for(items[2])
    qtbot.mouseClick(second.edit_button, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(second.editor.edit, " And of Portugal?")
    assert second.editor.text() == "And of Spain? And of Portugal?"
    with qtbot.assertNotEmitted(view.messageEdited):
        qtbot.keyClick(second.editor.edit, Qt.Key.Key_Escape)
    assert stops == [] and not second.editor.isVisible()
    assert second.body.isVisible() and second.body.toPlainText() == "And of Spain?" and items[2].text == "And of Spain?"
    # with no editor open, Esc is the window's again
    qtbot.keyClick(view, Qt.Key.Key_Escape)
    assert stops == [1]


def test_save_and_cancel_buttons_and_what_cannot_be_edited(qtbot):
    win, view, items, _stops = _window(qtbot)
    bubble = view.bubble_for(items[2])
    qtbot.mouseClick(bubble.edit_button, Qt.MouseButton.LeftButton)
    editor = bubble.editor
    editor.edit.selectAll()
    qtbot.keyClick(editor.edit, Qt.Key.Key_Delete)
    assert editor.text() == "" and not editor.save_button.isEnabled()  # nothing to send
    qtbot.keyClicks(editor.edit, "  And of Portugal?")
    qtbot.keyClick(editor.edit, Qt.Key.Key_Return)  # a plain Enter is a new line in the editor
    assert editor.text() == "  And of Portugal?\n" and editor.save_button.isEnabled()
    with qtbot.waitSignal(view.messageEdited, timeout=2000) as sig:
        qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert sig.args == [items[2], "And of Portugal?"]  # surrounding blank space is trimmed
    # the editor opens with the stored text again, and Cancel closes it
    qtbot.mouseClick(bubble.edit_button, Qt.MouseButton.LeftButton)
    assert editor.text() == "And of Spain?"
    with qtbot.assertNotEmitted(view.messageEdited):
        qtbot.mouseClick(editor.cancel_button, Qt.MouseButton.LeftButton)
    assert not editor.isVisible() and bubble.body.toPlainText() == "And of Spain?"
    # a message not stored yet (no id), or still being transcribed, has nothing to branch from
    live = MessageItem(role="user", text="hello from the micro", status="streaming")
    b = view.append(live)
    assert not b.edit_button.isEnabled()
    live.id, live.status = 5, "complete"
    view.update_item(live)
    assert b.edit_button.isEnabled()
