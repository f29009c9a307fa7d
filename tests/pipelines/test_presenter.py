"""The window's presenter turns engine events into message models without Qt: this file never makes
a QApplication (and checks that importing the presenter loads no Qt module beyond what is loaded)."""
from __future__ import annotations

import subprocess
import sys

from pipelines.events import Cancelled, Done, Failed, Notice, Routed, Started, Token, Transcript, Turn
from pipelines.sentiment import Sentiment


def test_importing_the_presenter_needs_no_qt():
    code = ("import sys, desktop.presenter; "
            "print(sorted(m for m in sys.modules if m.startswith('PySide6')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_a_typed_turn_from_start_to_done():
    from desktop.messages import MessageItem
    from desktop.presenter import TurnPresenter

    p = TurnPresenter()
    user = MessageItem(role="user", text="hello", status="pending")
    reply = MessageItem(role="assistant", status="streaming")
    p.typed(7, Turn(text="hello"), user, reply, chat=None)
    ch = p.event(7, Started(3, 11, 12))
    assert (user.id, reply.id, user.status) == (11, 12, "complete") and ch.opened == 3 and ch.history_changed
    ch = p.event(7, Routed("chat", 0.9, "no picture", Sentiment(0.5, "positive", "lexicon"), tone="warm"))
    assert user.intent == "chat" and ch.mood_changed and ch.notice == "Tone: warm"
    for piece in ("Hi ", "there."):
        ch = p.event(7, Token(piece))
        assert ch.text_only and ch.updated == [reply]
    ch = p.event(7, Done("Hi there.", message_id=12, conversation_id=3, timings={"total_ms": 5.0}))
    assert reply.text == "Hi there." and reply.status == "complete" and reply.timings == {"total_ms": 5.0}
    assert ch.finished is not None and ch.reload is reply and 7 not in p.live


def test_the_router_reason_reaches_both_items_as_a_text():
    from desktop.messages import MessageItem
    from desktop.presenter import TurnPresenter
    from pipelines.errors import Text

    why = Text.of("engine.intent_given", "chosen in the window")
    p = TurnPresenter()
    user, reply = MessageItem(role="user", text="a cat", status="pending"), MessageItem(role="assistant")
    p.typed(1, Turn(text="a cat"), user, reply)
    p.event(1, Routed("generate_image", 1.0, str(why), reason_text=why))
    assert (user.intent_reason, user.intent_reason_text) == (reply.intent_reason, reply.intent_reason_text) == \
        ("chosen in the window", why)
    reply2 = MessageItem(role="assistant")
    p.typed(2, Turn(text="a cat"), None, reply2)
    p.event(2, Routed("generate_image", 0.5, "unsure", unsure=True))  # a router's line without a Text
    assert reply2.intent_reason == "unsure" and reply2.intent_reason_text is None


def test_a_stored_reason_is_rebuilt_from_the_meta_and_a_bad_one_is_ignored():
    from types import SimpleNamespace

    from desktop.messages import MessageItem
    from pipelines.errors import Text

    likeness = Text.of("router.likeness", "its likeness to {example}", example="'draw a cat'")
    evidence = Text.of("router.evidence_two", "{first} and {second}", first="'cat'", second=likeness)
    why = Text.of("router.read_as", "Read as {reading} ({confidence}): {evidence} weighed most.",
                  reading="a request for a new picture", confidence="92%", evidence=evidence)
    assert str(why) == "Read as a request for a new picture (92%): 'cat' and its likeness to 'draw a cat' weighed most."

    def stored(meta):
        return SimpleNamespace(role="assistant", text="", id=1, status="complete", created=0.0,
                               intent="generate_image", intent_reason=str(why), intent_confidence=0.92,
                               sentiment=None, timings={}, models={}, attachments=[], meta=meta, rating=0,
                               rating_comment="")

    item = MessageItem.from_message(stored({"intent_reason_text": why.as_record()}))
    assert item.intent_reason_text == why and item.intent_reason_text.parts["evidence"].parts["second"] == likeness
    for bad in ({}, {"intent_reason_text": "Read as"}, {"intent_reason_text": {"code": 1}}):
        item = MessageItem.from_message(stored(bad))
        assert item.intent_reason_text is None and item.intent_reason == str(why)


def test_a_spoken_turn_takes_over_the_partial_bubble_and_nothing_heard_leaves_no_message():
    from desktop.presenter import TurnPresenter

    p = TurnPresenter()
    ch = p.partial("what is the")
    bubble = ch.added[0]
    assert bubble.text == "what is the …" and bubble.meta["spoken"]
    lv, ch = p.spoken(1, Turn(audio=b"x"), chat=None)
    assert lv.user is bubble and [it.role for it in ch.added] == ["assistant"]
    p.event(1, Transcript("what is the time"))
    assert bubble.text == "what is the time"
    _lv, _ch = p.spoken(2, Turn(audio=b"y"), chat=None)
    ch = p.event(2, Done("", intent="none"))
    assert [it.role for it in ch.removed] == ["user", "assistant"]  # nothing was heard


def test_cancelled_and_failed_turns():
    from desktop.messages import MessageItem
    from desktop.presenter import TurnPresenter

    p = TurnPresenter()
    a = MessageItem(role="assistant", status="streaming")
    p.typed(1, Turn(text="x"), None, a)
    p.event(1, Notice("loading"))
    ch = p.event(1, Cancelled("half a", message_id=4))
    assert (a.status, a.text, a.id) == ("cancelled", "half a", 4) and ch.finished is not None
    b = MessageItem(role="assistant", status="streaming")
    p.typed(2, Turn(text="y"), None, b)
    ch = p.event(2, Failed("the model could not load: free some memory"))
    assert b.status == "failed" and ch.problem == b.error == "the model could not load: free some memory"


def test_an_interrupted_spoken_reply_shows_what_was_heard_even_when_its_cancel_comes_after():
    from desktop.messages import MessageItem
    from desktop.presenter import TurnPresenter

    p = TurnPresenter()
    lv, _ = p.spoken(4, Turn(audio=None, speak=True), chat=None)
    p.event(4, Started(1, 21, 22))
    full = "Paris is the capital. It has the Louvre. And the Eiffel Tower."
    p.event(4, Token(full))
    # the voice loop's cut reaches the window before the runner's Cancelled (its listener runs first)
    ch = TurnPresenter.heard(lv.assistant, "Paris is the capital.", full)
    assert ch.updated == [lv.assistant] and lv.assistant.status == "interrupted"
    p.event(4, Cancelled(full, 22))
    assert lv.assistant.text == "Paris is the capital." and lv.assistant.status == "interrupted"
    assert lv.assistant.meta["interrupted"]["generated"] == full
    item = MessageItem(role="assistant", text="Hi.", id=9)
    TurnPresenter.spoken_latency(item, 812.5, {"endpointing": 260.0, "transcript": 140.0})
    assert item.timings["speech_to_speaker_ms"] == 812.5 and item.meta["latency_breakdown"]["transcript"] == 140.0

