"""Accessibility through the real window: every control has a name a screen reader can say, the
window works from the keyboard alone (areas with F6, shortcuts, Tab order), a new reply is
announced, and the text follows the system font size."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSlider,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

from pipelines.events import Done

from .conftest import make_window, wait_turn

CONTROLS = (QAbstractButton, QLineEdit, QPlainTextEdit, QTextEdit, QComboBox, QAbstractSpinBox, QAbstractItemView,
            QAbstractSlider)


def unnamed(root: QWidget) -> list[str]:
    """Focusable controls whose accessible name (what a screen reader says) is empty."""
    out = []
    for c in root.findChildren(QWidget):
        if not isinstance(c, CONTROLS) or not c.isVisibleTo(root) or c.focusPolicy() == Qt.FocusPolicy.NoFocus:
            continue
        if c.objectName() == "qt_spinbox_lineedit":  # a spin box's own editor: the spin box is named
            continue
        iface = QAccessible.queryAccessibleInterface(c)
        if iface is None or not iface.text(QAccessible.Text.Name).strip():
            out.append(f"{type(c).__name__} {c.objectName()!r} in {type(c.parent()).__name__}")
    return out


def test_every_control_has_an_accessible_name(qtbot, fake_engine, warm_profile):
    w = make_window(qtbot, fake_engine, warm_profile)
    w.send_text("hello there, with **markdown**")
    assert isinstance(wait_turn(qtbot, w), Done)
    w.view.select(w.view.items[-1])  # the side panel shows the reply's details
    assert unnamed(w) == []
    settings = w.open_settings()
    for row in range(settings.page_list.count()):
        settings.page_list.setCurrentRow(row)
        assert unnamed(settings) == [], settings.page_list.item(row).text()
    settings.close()
    models = w.open_models()
    assert unnamed(models) == []
    models.close()
    w.close()


def test_the_window_works_from_the_keyboard_alone(qtbot, fake_engine, warm_profile):
    w = make_window(qtbot, fake_engine, warm_profile)
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow)
    qtbot.keyClick(w, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert w.input.edit.hasFocus()
    qtbot.keyClicks(w.input.edit, "hello from the keyboard")
    qtbot.keyClick(w.input.edit, Qt.Key.Key_Return)
    assert isinstance(wait_turn(qtbot, w), Done)
    # F6 walks the areas: message box -> side panel -> conversations -> conversation -> message box
    seen = []
    for _ in range(4):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_F6)
        f = QApplication.focusWidget()
        seen.append(next(name for name, area in (("sidebar", w.sidebar), ("view", w.view), ("input", w.input),
                                                 ("details", w.details))
                         if f is area or area.isAncestorOf(f)))
    assert seen == ["details", "sidebar", "view", "input"]
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_F6, Qt.KeyboardModifier.ShiftModifier)
    assert w.view.isAncestorOf(QApplication.focusWidget()) or QApplication.focusWidget() is w.view
    # search with Ctrl+F, a new chat with Ctrl+N, back to the conversation from the list with Enter
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert w.sidebar.search.hasFocus()
    qtbot.keyClick(w.sidebar.search, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert w.cid is None and w.view.items == [] and w.input.edit.hasFocus()
    w.close()


def test_a_finished_reply_is_announced(qtbot, fake_engine, warm_profile):
    w = make_window(qtbot, fake_engine, warm_profile)
    w.send_text("say something")
    done = wait_turn(qtbot, w)
    assert isinstance(done, Done)
    assert w.view.announcements and done.text.split()[0] in w.view.announcements[-1]
    w.close()


@pytest.mark.parametrize("base", [10.0, 14.0])
def test_text_follows_the_system_font_size(base):
    from desktop.theme import scaled_qss
    from pipelines.assets import asset

    for name in ("light", "dark"):
        qss = asset("styles", f"{name}.qss").read_text(encoding="utf-8")
        assert "QWidget { font-size" not in qss  # no fixed size for all text
        out = scaled_qss(qss, base)
        assert "em;" not in out and "#BubbleHeader { color: " in out
        header = next(line for line in out.splitlines() if line.startswith("#BubbleHeader"))
        assert f"font-size: {0.85 * base:.1f}pt" in header
