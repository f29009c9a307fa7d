"""The Qt binding itself must be safe to run a long session on.

PySide6 6.12.0 on CPython 3.11 drops one reference to None on every call of a method that returns
nothing (QLabel.setText, QTextCursor.insertText, QWidget.setVisible, ...). None's count falls by one
per call until the interpreter aborts with "Fatal Python error: none_dealloc": after about 5,000
such calls in a bare process, after some long replies in the window. (CPython 3.12 made None
immortal, which hides it there.) constraints.txt pins a binding without the bug; these tests fail on
one that has it."""
from __future__ import annotations

import sys

from PySide6.QtGui import QTextCursor, QTextDocument
from PySide6.QtWidgets import QLabel

from pipelines.events import Done

from .conftest import make_window, wait_turn


def test_methods_that_return_nothing_keep_nones_reference_count(qtbot):
    label, doc = QLabel(), QTextDocument()
    qtbot.addWidget(label)
    cursor = QTextCursor(doc)
    calls = {"QLabel.setText": lambda: label.setText("x"), "QWidget.setVisible": lambda: label.setVisible(False),
             "QTextCursor.insertText": lambda: cursor.insertText("x"),
             "QTextCursor.setPosition": lambda: cursor.setPosition(0)}
    for name, call in calls.items():
        before = sys.getrefcount(None)
        for _ in range(2000):
            call()
        assert sys.getrefcount(None) - before > -100, f"{name} drops a reference to None per call"


def test_a_long_streamed_reply_does_not_drain_none(qtbot, fake_engine, warm_profile):
    fake_engine.token_delay = 0.001
    fake_engine.replies = [" ".join(f"word{i}" for i in range(600))]
    w = make_window(qtbot, fake_engine, warm_profile)
    before = sys.getrefcount(None)
    w.send_text("a long reply, please")
    assert isinstance(wait_turn(qtbot, w), Done)
    lost = before - sys.getrefcount(None)
    assert lost < 300, f"a 600-word reply took {lost} references to None away (the interpreter aborts at 0)"
