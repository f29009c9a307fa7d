"""A streaming reply re-renders only its last block: a selection survives, the stable blocks stay the
same QTextBlocks, and the streamed document equals a one-shot render. Code blocks are highlighted
and copied exactly. Through the real window (scripted engine) and the real SafeTextBrowser."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QApplication

from desktop.markdown import SafeTextBrowser
from desktop.theme import COLORS, SYNTAX
from pipelines.events import Done

from .conftest import make_window, wait_turn

CODE = "def greet(name):\n    # say hello\n    return f\"hi {name}\" + str(42)\n"


def _long_reply(words: int = 600) -> str:
    """Paragraphs of 40 words, a heading, a list and a Python block: ``words`` tokens in all."""
    out, n = [], 0
    while n < words:
        out.append(" ".join(f"w{n + k}" for k in range(40)))
        n += 40
        if len(out) == 3:
            out.append(f"## Part two\n\n- one\n- two\n\n```python\n{CODE}```")
    return "\n\n".join(out)


def _structure(doc):
    """Every block's text and layout-relevant format, in order."""
    rows, b = [], doc.begin()
    while b.isValid():
        f, tl = b.blockFormat(), b.textList()
        rows.append((b.text(), f.headingLevel(), f.topMargin(), f.bottomMargin(), f.leftMargin(),
                     tl.format().style() if tl else None, b.charFormat().font().family()))
        b = b.next()
    return rows


def _body(w):
    return w.view.bubble_for(w.view.items[-1]).body


def test_a_600_token_reply_keeps_the_selection_and_equals_a_one_shot_render(qtbot, fake_engine, warm_profile):
    reply = _long_reply()
    fake_engine.token_delay = 0.003
    fake_engine.replies = [reply]
    w = make_window(qtbot, fake_engine, warm_profile)
    w.send_text("write a long answer")
    body = _body(w)
    qtbot.waitUntil(lambda: body.markdown.stable_chars > 0, timeout=10000)  # the first paragraph is final
    assert w.view.items[-1].status == "streaming"
    renderer, sizes = body.markdown, []
    render = renderer.render

    def observed(*a, **k):  # records how much source each update rendered
        out = render(*a, **k)
        sizes.append(renderer.rendered_chars)
        return out

    renderer.render = observed
    first = body.document().firstBlock()
    cur = QTextCursor(body.document())
    cur.setPosition(0)
    cur.movePosition(QTextCursor.MoveOperation.NextWord, QTextCursor.MoveMode.KeepAnchor, 3)
    body.setTextCursor(cur)
    selected = body.textCursor().selectedText()
    assert selected.startswith("w0 w1 w2")
    assert isinstance(wait_turn(qtbot, w), Done)
    item = w.view.items[-1]
    assert item.status == "complete" and item.text == reply
    assert len(sizes) > 10  # the reply streamed in many renders
    # the selection survived every update, and the first paragraph is still the same block
    assert body.textCursor().selectedText() == selected
    assert body.document().firstBlock() == first and first.position() == 0
    # each update rendered the tail only: never more than the two last blocks, far less than the reply
    longest = max(len(p) for p in reply.split("\n\n")) + len(CODE) + 40
    assert max(sizes) <= 2 * longest < len(reply) / 3
    # the streamed document is what a one-shot render of the final text gives
    one = SafeTextBrowser()
    qtbot.addWidget(one)
    c = COLORS["light"]
    one.setMarkdownText(reply, code_bg=c["alt"], line=c["line"], syntax=SYNTAX["light"])
    assert body.document().toPlainText() == one.document().toPlainText()
    assert _structure(body.document()) == _structure(one.document())
    one.document().setDefaultFont(body.document().defaultFont())  # the bubble's font comes from the window
    assert body.document().toHtml() == one.document().toHtml()
    assert body.markdown.codes == [("python", CODE)]


def _format_of(doc, word: str):
    cur = doc.find(word)
    assert not cur.isNull(), word
    cur.setPosition(cur.selectionStart() + 1)  # the format of the word's first character
    return cur.charFormat()


def test_a_code_block_is_highlighted_and_its_copy_link_copies_exactly_the_code(qtbot, fake_engine, warm_profile):
    pytest.importorskip("pygments")
    fake_engine.token_delay = 0.002
    fake_engine.replies = [f"Here you go:\n\n```python\n{CODE}```\n\nThat is all."]
    w = make_window(qtbot, fake_engine, warm_profile)
    w.send_text("a python function please")
    assert isinstance(wait_turn(qtbot, w), Done)
    body = _body(w)
    doc = body.document()
    keyword, plain = _format_of(doc, "return"), _format_of(doc, "greet")
    assert keyword.foreground().color().name() == SYNTAX["light"]["keyword"]
    assert plain.foreground().color() != keyword.foreground().color()
    assert _format_of(doc, "say hello").foreground().color().name() == SYNTAX["light"]["comment"]
    assert _format_of(doc, "42").foreground().color().name() == SYNTAX["light"]["number"]
    # click the "Copy code" link above the block: the clipboard gets the code, no markup, no label
    QApplication.clipboard().setText("before")
    link = doc.find("Copy code")
    assert not link.isNull() and link.charFormat().anchorHref() == "copy-code:0"
    link.setPosition(link.selectionStart() + 2)
    with qtbot.waitSignal(body.codeCopied, timeout=2000):
        qtbot.mouseClick(body.viewport(), Qt.MouseButton.LeftButton, pos=body.cursorRect(link).center())
    assert QApplication.clipboard().text() == CODE
    assert w.view.items[-1].text.count("```") == 2  # the reply itself is unchanged
    # selecting the whole reply and copying it leaves the "Copy code" line out, the code in
    body.setFocus()
    qtbot.keyClick(body, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(body, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    copied = QApplication.clipboard().text()
    assert "Copy code" not in copied and "python ·" not in copied
    assert copied.startswith("Here you go:") and 'return f"hi {name}"' in copied and copied.endswith("That is all.")
    assert "Copy code" in body.toPlainText()  # still shown


def test_highlighting_follows_the_theme_and_stays_sanitized(qtbot):
    pytest.importorskip("pygments")
    b = SafeTextBrowser()
    qtbot.addWidget(b)
    text = f"```python\n{CODE}```"
    for theme in ("light", "dark"):
        c = COLORS[theme]
        b.setMarkdownText(text, code_bg=c["alt"], line=c["line"], syntax=SYNTAX[theme])
        assert _format_of(b.document(), "return").foreground().color().name() == SYNTAX[theme]["keyword"]
    # an unknown language or no language: the code is shown as it is, uncoloured
    b.setMarkdownText("```nosuchlang\nreturn 1\n```", syntax=SYNTAX["light"])
    assert _format_of(b.document(), "return").foreground().color().name() != SYNTAX["light"]["keyword"]
    assert b.markdown.codes == [("nosuchlang", "return 1\n")]
