"""What a request meant, in the real window over the real Engine (SmolLM2 offline pack, tiny Stable
Diffusion): an unsure request asks "Did you mean…" with a button per reading, the reading picked
answers it and is learned; "Not what I meant" makes the last reply again as what was meant and, on
an older reply, stores the correction only; Settings count the learned corrections and reset them.

The router is the real one, made unsure about a few requests (tests/helpers/routers.py): today's
router never is, and its calibration has tests of its own."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from pipelines.events import Done, IntentQuestion
from pipelines.router import Correction
from tests.helpers.routers import use_router

from .conftest import make_window, wait_turn

pytestmark = pytest.mark.tiny

CABIN = "a cozy cabin in the woods, snow falling"
CONTRACT = "draw up a contract template"
SITUATION = "paint a picture of the situation"
UNSURE = {CABIN: (("generate_image", 0.51), ("chat", 0.43), ("search_images", 0.06)),
          CONTRACT: (("generate_image", 0.49), ("chat", 0.47), ("search_images", 0.04)),
          SITUATION: (("chat", 0.50), ("generate_image", 0.46), ("search_images", 0.04))}


def send(qtbot, w, text: str) -> None:
    w.input.edit.setFocus()
    qtbot.keyClicks(w.input.edit, text)
    qtbot.keyClick(w.input.edit, Qt.Key.Key_Return)


def asked(qtbot, w, text: str):
    """Send ``text`` and wait for the question; returns the question item and its card."""
    send(qtbot, w, text)
    done = wait_turn(qtbot, w)
    assert isinstance(done, Done) and done.intent == "ask", done
    item = w.view.items[-1]
    card = w.view.bubble_for(item).question
    assert card is not None
    qtbot.waitUntil(card.isVisible, timeout=2000)  # a widget added to a shown bubble appears on the next loop
    return item, card


def pick(qtbot, button, label: str) -> None:
    """Click a "Not what I meant" button and, in the menu it opens, the reading ``label``."""
    def choose():
        menu = QApplication.activePopupWidget()
        if menu is None:
            QTimer.singleShot(50, choose)
            return
        try:
            act = next(a for a in menu.actions() if a.text() == label)
            qtbot.mouseClick(menu, Qt.MouseButton.LeftButton, pos=menu.actionGeometry(act).center())
        finally:
            if menu.isVisible():
                menu.close()

    QTimer.singleShot(100, choose)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)  # the menu runs its own loop until choose() picks


def test_an_unsure_request_asks_and_the_reading_picked_answers_it(qtbot, real_engine, warm_profile):
    use_router(real_engine, UNSURE)
    store = real_engine.store
    w = make_window(qtbot, real_engine, warm_profile)
    events = []
    w.turnEvent.connect(lambda _r, ev: events.append(ev))
    item, card = asked(qtbot, w, CABIN)
    question = next(ev for ev in events if isinstance(ev, IntentQuestion))
    assert [c.intent for c in question.choices] == ["generate_image", "chat"]
    assert card.active
    assert [b.text() for b in card.buttons] == ["Draw it", "Talk about it"]
    assert [b.accessibleName() for b in card.buttons] == ["Draw it", "Talk about it"]
    assert "51%" in card.buttons[0].toolTip() and "43%" in card.buttons[1].toolTip()
    assert all(b.isEnabled() and b.focusPolicy() & Qt.FocusPolicy.TabFocus for b in card.buttons)
    assert not w.view.bubble_for(item).actions.isVisible()  # no reply yet: nothing to copy, rate or correct
    assert w.view.announcements[-1] == "Did you mean: Draw it (Alt+1) or Talk about it (Alt+2)?"
    cid = w.cid
    assert [(m.role, m.text) for m in store.messages(cid)] == [("user", CABIN)]  # the question is stored
    # a click on "Draw it": the picture takes the card's place, and the reading is learned
    qtbot.mouseClick(card.buttons[0], Qt.MouseButton.LeftButton)
    done = wait_turn(qtbot, w, timeout=120000)
    assert isinstance(done, Done) and done.intent == "generate_image", done
    reply = w.view.items[-1]
    assert item not in w.view.items and reply.intent == "generate_image" and reply.image["paths"]
    assert "understood as “Draw it”" in w.view.bubble_for(reply).header.text()
    assert [(m.role, m.intent) for m in store.messages(cid)][1:] == [("assistant", "generate_image")]
    assert store.intent_corrections() == [Correction(CABIN, "generate_image")]
    assert real_engine.router.route(CABIN).intent == "generate_image"  # next time: no question
    # another, answered from the keyboard (Alt+2: "Talk about it") while the focus is in the message box
    item, card = asked(qtbot, w, CONTRACT)
    assert w.input.edit.hasFocus()
    qtbot.keyClick(w.input.edit, Qt.Key.Key_2, Qt.KeyboardModifier.AltModifier)
    done = wait_turn(qtbot, w, timeout=120000)
    assert isinstance(done, Done) and done.intent == "chat" and done.text.strip(), done
    assert item not in w.view.items and w.view.items[-1].text == done.text
    assert store.intent_corrections()[-1] == Correction(CONTRACT, "chat")
    assert real_engine.intent_corrections_count() == 2
    # typing something else instead: the question stays stored, and its card no longer answers
    item, card = asked(qtbot, w, SITUATION)
    send(qtbot, w, "Thanks, that is all.")
    done = wait_turn(qtbot, w, timeout=120000)
    assert isinstance(done, Done) and done.intent != "ask"
    assert item in w.view.items and not card.active and not any(b.isEnabled() for b in card.buttons)
    assert [(m.role, m.text) for m in store.messages(cid)][-3:] == [
        ("user", SITUATION), ("user", "Thanks, that is all."), ("assistant", done.text)]
    assert real_engine.intent_corrections_count() == 2  # passing a question over teaches nothing


def test_a_question_left_open_is_asked_again_when_its_conversation_is_reopened(qtbot, real_engine, warm_profile):
    use_router(real_engine, UNSURE)
    w = make_window(qtbot, real_engine, warm_profile)
    asked(qtbot, w, SITUATION)
    cid = w.cid
    w.conversations.new_chat()
    qtbot.waitUntil(lambda: not w.view.items, timeout=5000)
    w.conversations.open(cid)
    qtbot.waitUntil(lambda: len(w.view.items) == 2, timeout=5000)
    item = w.view.items[-1]
    card = w.view.bubble_for(item).question
    assert card is not None and card.active
    assert [b.text() for b in card.buttons] == ["Talk about it", "Draw it"]
    qtbot.waitUntil(card.isVisible, timeout=2000)
    qtbot.mouseClick(card.buttons[0], Qt.MouseButton.LeftButton)
    done = wait_turn(qtbot, w, timeout=120000)
    assert isinstance(done, Done) and done.intent == "chat" and done.text.strip(), done
    assert [m.role for m in real_engine.store.messages(cid)] == ["user", "assistant"]


def test_not_what_i_meant_remakes_the_last_reply_and_learns_from_an_older_one(qtbot, real_engine, warm_profile):
    use_router(real_engine, {})
    store = real_engine.store
    w = make_window(qtbot, real_engine, warm_profile)
    for text in ("Hello there", "Tell me about bicycles"):
        send(qtbot, w, text)
        assert isinstance(wait_turn(qtbot, w, timeout=120000), Done)
    first, second = w.view.items[1], w.view.items[3]
    b1, b2 = w.view.bubble_for(first), w.view.bubble_for(second)
    for b, it in ((b1, first), (b2, second)):  # every reply says how it was understood, and can be corrected
        assert "understood as “" in b.header.text() and b.header.toolTip(), b.header.text()
        assert b.correct_button.isVisible() and b.correct_button.isEnabled()
        assert it.intent not in [i for i, _label in w.view.intent_choices(it)]
    # the last reply: made again as what was meant
    target = "generate_image" if second.intent != "generate_image" else "chat"
    label = dict(w.view.intent_choices(second))[target]
    pick(qtbot, b2.correct_button, label)
    done = wait_turn(qtbot, w, timeout=120000)
    assert isinstance(done, Done) and done.intent == target, done
    again = w.view.items[-1]
    assert second not in w.view.items and again.intent == target and len(w.view.items) == 4
    stored = store.messages(w.cid)
    assert [m.role for m in stored] == ["user", "assistant", "user", "assistant"] and stored[-1].intent == target
    assert store.intent_corrections() == [Correction("Tell me about bicycles", target)]
    w.view.select(again)
    assert w.details.values["Why"] == "you said this is what you meant"
    # an older reply: the correction is stored and learned, nothing is answered again
    older = "generate_image" if first.intent != "generate_image" else "chat"
    label = dict(w.view.intent_choices(first))[older]
    pick(qtbot, b1.correct_button, label)
    said = f"Learned: next time such a request means ‘{label}’."
    qtbot.waitUntil(lambda: said in w.message_bar.history, timeout=10000)
    assert not w.controller.busy and w.view.items[1] is first and len(w.view.items) == 4
    assert store.intent_corrections()[-1] == Correction("Hello there", older)
    assert real_engine.router.route("Hello there").intent == older
    assert f"you meant “{label}”" in b1.header.text() and said in w.view.announcements


def test_settings_count_the_learned_corrections_and_reset_them(qtbot, real_engine, warm_profile):
    use_router(real_engine, {CONTRACT: (("chat", 0.5), ("generate_image", 0.45))})
    store = real_engine.store
    cid = store.create_conversation("earlier")
    for text, intent in (("draw up a plan", "chat"), ("paint my mood", "chat")):
        real_engine.learn_intent(store.add_message(cid, "user", text), intent)
    w = make_window(qtbot, real_engine, warm_profile)
    dlg = w.open_settings()
    qtbot.waitExposed(dlg)
    models = dlg.pages["Models"]
    ask = dlg.editors[("general", "ask_when_unsure")]
    assert models.isAncestorOf(ask) and models.isAncestorOf(dlg.corrections_reset) and ask.isChecked()
    qtbot.waitUntil(lambda: dlg.corrections_count.text() == "2 corrections", timeout=10000)
    assert dlg.corrections_reset.isEnabled() and dlg.corrections_reset.accessibleName()
    # Reset asks first; Cancel keeps them
    qtbot.mouseClick(dlg.corrections_reset, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dlg.reset_confirm is not None and dlg.reset_confirm.isVisible())
    qtbot.mouseClick(dlg.reset_confirm.button(QMessageBox.StandardButton.Cancel), Qt.MouseButton.LeftButton)
    assert dlg.reset_confirm is None and len(store.intent_corrections()) == 2
    qtbot.mouseClick(dlg.corrections_reset, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dlg.reset_confirm is not None and dlg.reset_confirm.isVisible())
    qtbot.mouseClick(dlg.reset_confirm.button(QMessageBox.StandardButton.Reset), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dlg.corrections_count.text() == "none yet", timeout=10000)
    assert store.intent_corrections() == [] and real_engine.intent_corrections_count() == 0
    assert not dlg.corrections_reset.isEnabled()
    # "Ask when unsure" off: an unsure request is answered as its likeliest reading
    qtbot.mouseClick(ask, Qt.MouseButton.LeftButton)
    assert w.settings.general.ask_when_unsure is False and real_engine.settings.general.ask_when_unsure is False
    dlg.close()
    send(qtbot, w, CONTRACT)
    done = wait_turn(qtbot, w, timeout=120000)
    assert isinstance(done, Done) and done.intent == "chat"
    assert w.view.bubble_for(w.view.items[-1]).question is None
