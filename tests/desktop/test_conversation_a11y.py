"""Screen readers and the keyboard in the conversation: every button of a bubble or card has an
accessible name, pictures open from the keyboard, and a finished reply is announced."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QAbstractButton, QLineEdit, QPlainTextEdit

from desktop.conversation import ANNOUNCE_CHARS, ConversationView, MessageItem
from desktop.widgets import Thumbnail


def _view(qtbot, photos):
    view = ConversationView()
    qtbot.addWidget(view)
    view.resize(900, 700)
    items = [
        MessageItem(role="user", text="what is this?", id=1, attachments=[str(photos["astronaut"])]),
        MessageItem(role="assistant", text="An **astronaut** in a white suit.", id=2, intent="describe_image",
                    evidence=[("an astronaut", 0.8), ("a cat", 0.1)], audio=[object()]),
        MessageItem(role="user", text="draw a rocket", id=3),
        MessageItem(role="assistant", text="", id=4, intent="generate_image",
                    image={"prompt": "a rocket", "seed": 7, "paths": [str(photos["rocket"])]}),
    ]
    view.set_messages(items)
    view.show()
    qtbot.waitExposed(view)
    return view, items


def test_every_control_in_the_bubbles_has_an_accessible_name(qtbot, photos):
    view, items = _view(qtbot, photos)
    view.bubble_for(items[0]).start_edit()
    controls = [w for w in view.widget().findChildren(QAbstractButton) + view.widget().findChildren(QLineEdit)
                + view.widget().findChildren(QPlainTextEdit) + view.widget().findChildren(Thumbnail)]
    names = {w.accessibleName() for w in controls}
    assert controls and all(w.accessibleName().strip() for w in controls), \
        [w.objectName() or type(w).__name__ for w in controls if not w.accessibleName().strip()]
    assert {"Edit message", "Save and send", "Cancel editing", "Copy the reply", "Play the spoken reply",
            "Regenerate", "Good reply", "Bad reply", "Rating comment", "Variations of this picture",
            "Edit this picture", "Save the picture as", "Copy the picture", "Picture"} <= names


def test_a_picture_opens_from_the_keyboard(qtbot, photos):
    view, items = _view(qtbot, photos)
    view.window().activateWindow()
    qtbot.waitUntil(view.window().isActiveWindow, timeout=2000)
    thumb = view.bubble_for(items[0]).pictures.itemAt(0).widget()
    assert thumb.focusPolicy() & Qt.FocusPolicy.TabFocus
    thumb.setFocus(Qt.FocusReason.TabFocusReason)
    with qtbot.waitSignal(view.imageClicked, timeout=2000) as sig:
        qtbot.keyClick(thumb, Qt.Key.Key_Return)
    assert sig.args == [str(photos["astronaut"])]


def test_a_finished_reply_is_announced(qtbot, photos):
    view, items = _view(qtbot, photos)
    was = QAccessible.isActive()
    QAccessible.setActive(True)  # as with a screen reader running: the events reach Qt's accessibility
    try:
        view.announce_reply(items[1])
        view.announce_reply(items[3])
        stopped = MessageItem(role="assistant", text="half an ans", status="cancelled", id=5)
        failed = MessageItem(role="assistant", status="failed", id=6, error="the chat model is not installed")
        long = MessageItem(role="assistant", text=" ".join(f"word{i}" for i in range(400)), id=7)
        for it in (stopped, failed, long):
            view.append(it)
            view.announce_reply(it)
        view.announce("   ")
    finally:
        QAccessible.setActive(was)
    said = view.announcements
    assert said[:4] == ["Reply: An astronaut in a white suit.", "Picture ready: a rocket.",
                        "The reply was stopped.", "The reply failed: the chat model is not installed"]
    assert len(said) == 5 and said[4].startswith("Reply: word0 word1") and said[4].endswith("\u2026")
    assert len(said[4]) <= len("Reply: ") + ANNOUNCE_CHARS + 1
