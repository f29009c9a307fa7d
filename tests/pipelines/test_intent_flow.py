"""Asking when unsure and learning from corrections, through the real Engine and history store
(the classifier's own accuracy is tested in test_router.py)."""
from __future__ import annotations

import io

import pytest

from pipelines import cli
from pipelines.cancel import CancelToken
from pipelines.engine import Engine
from pipelines.errors import BadInput
from pipelines.events import Done, IntentChoice, IntentQuestion, Routed, Started, Token, Turn
from pipelines.history import HistoryStore
from pipelines.router import INTENTS, Intent, IntentRouter
from pipelines.settings import Settings

AMBIGUOUS = "a lighthouse in a storm"


class _UnsureAbout(IntentRouter):
    """The real router, except that one request reads as two things (the window's and the
    command line's side of asking is under test here, not the classifier)."""

    def route(self, text, *, has_image=False, has_audio=False):
        if text == AMBIGUOUS and not self.corrections_count:
            return Intent("generate_image", 0.48, "it could be a picture or a topic", "test",
                          alternatives=(("generate_image", 0.48), ("chat", 0.41), ("search_images", 0.11)), unsure=True)
        return super().route(text, has_image=has_image, has_audio=has_audio)


@pytest.fixture
def engine(warm_profile, intent_cache):
    s = Settings()
    s.chat.temperature = 0.0
    s.chat.max_new_tokens = 8
    store = HistoryStore(warm_profile.history_db, warm_profile.attachments_dir)
    yield Engine(s, warm_profile, store=store, router=_UnsureAbout(cache_dir=intent_cache))
    store.close()


def _run(engine, turn):
    return list(engine.respond(turn, CancelToken()))


@pytest.mark.weights
def test_unsure_asks_then_the_choice_answers_and_is_learned(engine):
    events = _run(engine, Turn(text=AMBIGUOUS))
    assert [type(e) for e in events] == [Started, Routed, IntentQuestion, Done]
    routed, question, done = events[1], events[2], events[3]
    assert routed.unsure and routed.alternatives[0] == ("generate_image", 0.48)
    assert [c.intent for c in question.choices] == ["generate_image", "chat"]
    assert [c.label for c in question.choices] == ["Draw it", "Talk about it"]
    assert done.intent == "ask" and done.text == ""
    stored = engine.store.messages(question.conversation_id)
    assert [(m.role, m.text) for m in stored] == [("user", AMBIGUOUS)]  # the question is kept, no reply yet

    answer = _run(engine, Turn(regenerate=True, intent="chat", intent_source="choice",
                               conversation_id=question.conversation_id))
    routed = next(e for e in answer if isinstance(e, Routed))
    assert routed.intent == "chat" and not routed.unsure and "chose" in routed.reason
    assert any(isinstance(e, Token) for e in answer)
    stored = engine.store.messages(question.conversation_id)
    assert [m.role for m in stored] == ["user", "assistant"] and stored[1].intent == "chat"
    assert [(c.text, c.intent) for c in engine.store.intent_corrections()] == [(AMBIGUOUS, "chat")]
    assert engine.intent_corrections_count() == 1
    # learned: the same request is not asked about again
    again = _run(engine, Turn(text=AMBIGUOUS))
    assert not any(isinstance(e, IntentQuestion) for e in again)
    assert next(e for e in again if isinstance(e, Routed)).intent == "chat"


@pytest.mark.weights
def test_the_reason_comes_and_is_stored_as_a_text(engine):
    # the window says why a request was read as it was in its language, live (Routed.reason_text) and
    # when the conversation is reopened (the message's meta); the English line is as it was
    from desktop.messages import MessageItem

    events = _run(engine, Turn(text="draw a lighthouse on a cliff"))
    routed = next(e for e in events if isinstance(e, Routed))
    assert routed.reason.startswith("Read as a request for a new picture (") and "weighed most" in routed.reason
    assert routed.reason_text.code.startswith("router.read_as") and str(routed.reason_text) == routed.reason
    started = next(e for e in events if isinstance(e, Started))  # (no drawing model here: the reply fails)
    stored = engine.store.messages(started.conversation_id)
    assert [m.role for m in stored] == ["user", "assistant"]
    for m in stored:
        item = MessageItem.from_message(m)
        assert m.intent_reason == routed.reason and item.intent_reason_text == routed.reason_text
    answer = _run(engine, Turn(regenerate=True, intent="chat", intent_source="correction",
                               conversation_id=started.conversation_id))
    routed = next(e for e in answer if isinstance(e, Routed))
    assert routed.reason == "you said this is what you meant" and routed.reason_text.code == "engine.intent_corrected"
    reply = MessageItem.from_message(engine.store.messages(started.conversation_id)[-1])
    assert reply.intent_reason == routed.reason and reply.intent_reason_text == routed.reason_text


@pytest.mark.weights
def test_a_spoken_turn_hears_the_question(engine):
    from pipelines.events import SpeechChunk

    events = _run(engine, Turn(text=AMBIGUOUS, speak=True))
    kinds = [type(e).__name__ for e in events]
    assert kinds[:3] == ["Started", "Routed", "IntentQuestion"] and kinds[-1] == "Done"
    chunks = [e for e in events if isinstance(e, SpeechChunk)]
    assert chunks and sum(len(c.audio) for c in chunks) > 8000  # "Did you mean: draw it, or talk about it?"
    assert events[-1].message_id is None  # no reply was stored: nothing for a barge-in to cut
    assert [m.role for m in engine.store.messages(events[2].conversation_id)] == ["user"]


@pytest.mark.weights
def test_asking_can_be_switched_off(engine):
    engine.settings.general.ask_when_unsure = False
    events = _run(engine, Turn(text=AMBIGUOUS, intent=None))
    assert not any(isinstance(e, IntentQuestion) for e in events)
    assert next(e for e in events if isinstance(e, Routed)).intent == "generate_image"


def test_a_correction_of_a_reply_is_stored_learned_and_reset(engine):
    store = engine.store
    cid = store.create_conversation("t")
    uid = store.add_message(cid, "user", "sketch out a plan for my week", intent="generate_image")
    aid = store.add_message(cid, "assistant", "(a picture)", intent="generate_image")
    learned = engine.learn_intent(aid, "chat")  # the reply's id: the request before it is corrected
    assert (learned.text, learned.intent, learned.has_image) == ("sketch out a plan for my week", "chat", False)
    assert engine.router.route("sketch out a plan for my week").intent == "chat"
    assert engine.intent_corrections_count() == 1
    with pytest.raises(BadInput, match="unknown intent"):
        engine.learn_intent(uid, "dance")
    assert engine.reset_intent_corrections() == 1
    assert engine.intent_corrections_count() == 0 and store.intent_corrections() == []
    # "delete all data" removes corrections too
    engine.learn_intent(uid, "chat")
    store.delete_all()
    assert store.intent_corrections() == []


def test_the_command_line_asks_on_a_terminal_or_names_the_flag(warm_profile):
    question = IntentQuestion((IntentChoice("generate_image", "Draw it", 0.5), IntentChoice("chat", "Talk about it", 0.4)))

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    err = io.StringIO()
    ctx = cli.Context(warm_profile, out=io.StringIO(), err=err, inp=Terminal("x\n2\n"))
    assert cli._choose(question, AMBIGUOUS, ctx) == "chat"  # a bad answer is asked again
    assert "1) Draw it (50%)" in err.getvalue() and "2) Talk about it (40%)" in err.getvalue()
    ctx = cli.Context(warm_profile, out=io.StringIO(), err=io.StringIO(), inp=io.StringIO(""))
    with pytest.raises(BadInput, match=r"--intent generate_image\).*--intent chat\).*run it again with --intent"):
        cli._choose(question, AMBIGUOUS, ctx)
    assert cli.INTENT_NAMES == INTENTS


@pytest.mark.weights
def test_ask_command_with_intent_answers_and_reports_the_routing(warm_profile):
    import json

    out, err = io.StringIO(), io.StringIO()
    args = cli.build_parser().parse_args(["ask", "What is the capital of France?", "--intent", "chat", "--json"])
    assert cli.run(args, warm_profile, out=out, err=err) == cli.EXIT_OK, err.getvalue()
    got = json.loads(out.getvalue())
    assert got["intent"] == "chat" and got["asked"] is False and got["reply"].strip()
    assert isinstance(got["conversation"], int)
    args = cli.build_parser().parse_args(["ask", "", "--json"])
    assert cli.run(args, warm_profile, out=io.StringIO(), err=(err := io.StringIO())) == cli.EXIT_ERROR
    assert err.getvalue().startswith("error: there is nothing to ask")


def test_a_given_intent_still_gets_its_slots():
    # a correction to "Search my pictures" must find the folder the text names, as routing would
    from pipelines.engine import given_intent

    search = given_intent("search_images", "you said so", "the beach pictures in ~/Pictures please")
    assert (search.intent, search.folder, search.query) == ("search_images", "~/Pictures", "beach")
    assert given_intent("generate_image", "", "draw me a lighthouse in a storm").prompt == "a lighthouse in a storm"
    assert given_intent("chat", "", "hello").prompt is None
