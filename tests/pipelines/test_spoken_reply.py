"""A spoken reply: the language model, the speech segmenter and the voice run at once (real SmolLM2
and the real Piper voice through the engine), and what is said maps back to the reply's text."""
from __future__ import annotations

import contextlib
import re
import threading

import pytest

from pipelines.cancel import Cancelled as CancelledError
from pipelines.cancel import CancelToken
from pipelines.engine import Engine
from pipelines.errors import BadInput, ModelUnavailable
from pipelines.events import Cancelled, Done, SpeechChunk, Token, Turn
from pipelines.history import HistoryStore
from pipelines.settings import Settings
from pipelines.speech_stream import ReplyAudio, ReplyEnd, ReplyPiece, speak_while_thinking
from pipelines.speech_text import CODE_POINTER, TABLE_POINTER, SpeechSegmenter
from pipelines.tts import Synthesizer

GATE_TIMEOUT_S = 60.0  # a deadlock guard, not a speed figure: the old engine waited here for good


def reply_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name.startswith("sensorium-reply")]


@pytest.fixture
def engine(warm_profile):
    s = Settings()
    s.chat.temperature = 0.0
    s.chat.max_new_tokens = 24
    e = Engine(s, warm_profile, store=HistoryStore(warm_profile.history_db, warm_profile.attachments_dir))
    yield e
    e.store.close()


def spoken(text: str, **kw) -> Turn:
    return Turn(text=text, intent="chat", speak=True, **kw)


@pytest.mark.weights
def test_code_is_not_read_aloud_and_the_chunks_map_to_the_reply(engine):
    engine.settings.chat.max_new_tokens = 100
    events = list(engine.respond(spoken("Write a Python code block that imports os and removes a file called x.")))
    done = events[-1]
    assert isinstance(done, Done) and "```" in done.text and "import os" in done.text, done.text
    chunks = [e for e in events if isinstance(e, SpeechChunk)]
    said = [c.text for c in chunks]
    assert CODE_POINTER in said and not any("import" in s.lower() for s in said), said
    assert [c.index for c in chunks] == list(range(len(chunks)))
    # the spans follow each other through the reply, and each covers what its chunk says
    assert chunks[0].start == 0 and chunks[-1].end <= len(done.text)
    for a, b in zip(chunks, chunks[1:]):
        assert a.start < a.end == b.start < b.end
    code = next(c for c in chunks if c.text == CODE_POINTER)
    assert "import os" in done.text[code.start:code.end]
    for c in chunks:
        first = re.findall(r"[A-Za-z]+", c.text)[0]
        if c.text != CODE_POINTER and not re.search(r"\d", done.text[c.start:c.end]):
            assert first in done.text[c.start:c.end], (c.text, done.text[c.start:c.end])
    assert done.timings["tts_first_ms"] > 0 and done.timings["first_audio_ms"] > done.timings["first_token_ms"]
    assert not reply_threads()


class GatedScript:
    """A scripted token source (this test is about the threads, not the model's words): it streams
    one sentence, then goes on only once respond() has handed out that sentence's speech. The old
    engine synthesized a sentence only after pulling the next token, so it waited here for good."""

    name = "scripted"
    context_window = 2048

    def __init__(self):
        self.heard = threading.Event()
        self.opened_by_speech: bool | None = None

    def count_tokens(self, messages):
        return sum(len(m.content.split()) for m in messages)

    def stream(self, messages, params, cancel=None):
        yield from ["The first", " sentence", " is here.", " "]
        self.opened_by_speech = self.heard.wait(GATE_TIMEOUT_S)
        yield from ["And", " this", " is", " the second", "."]

    def close(self):
        pass


class ScriptedEngine(Engine):
    def __init__(self, *args, script, **kw):
        super().__init__(*args, **kw)
        self.script = script

    @contextlib.contextmanager
    def chat_lease(self, cancel=None):
        yield self.script


@pytest.mark.weights
def test_speech_is_made_while_the_model_is_still_writing(warm_profile):
    script = GatedScript()
    e = ScriptedEngine(Settings(), warm_profile, script=script)
    events = []
    for ev in e.respond(spoken("Say two sentences.")):
        events.append(ev)
        if isinstance(ev, SpeechChunk) and ev.text == "The first sentence is here.":
            script.heard.set()
    assert script.opened_by_speech is True
    done = events[-1]
    assert isinstance(done, Done) and done.text == "The first sentence is here. And this is the second."
    chunks = [ev for ev in events if isinstance(ev, SpeechChunk)]
    assert [c.text for c in chunks] == ["The first sentence is here.", "And this is the second."]
    first_chunk = events.index(chunks[0])
    later_token = next(i for i, ev in enumerate(events) if isinstance(ev, Token) and ev.text == "And")
    assert first_chunk < later_token  # the voice spoke before the model wrote on
    assert [done.text[c.start:c.end].strip() for c in chunks] == [c.text for c in chunks]
    assert not reply_threads()


@pytest.mark.weights
def test_cancel_stops_the_model_and_the_voice(engine):
    engine.settings.chat.max_new_tokens = 200
    cancel = CancelToken()
    seen, after_cancel = [], []
    for ev in engine.respond(spoken("Tell me a long story about a dragon and a knight."), cancel):
        (after_cancel if cancel.cancelled else seen).append(ev)
        if isinstance(ev, SpeechChunk):
            cancel.cancel()
    assert [type(ev) for ev in after_cancel] == [Cancelled]  # nothing more once cancelled
    assert not reply_threads()
    msg = engine.store.get_message(seen[0].assistant_message_id)
    assert msg.status == "cancelled" and msg.text == after_cancel[0].partial_text and msg.text


@pytest.mark.weights
def test_a_turn_left_early_leaves_no_thread(engine):
    engine.settings.chat.max_new_tokens = 200
    turn = engine.respond(spoken("Tell me a long story about a dragon and a knight."))
    for ev in turn:
        if isinstance(ev, SpeechChunk):
            break
    assert reply_threads()  # still speaking, still writing
    turn.close()
    assert not reply_threads()


@pytest.mark.weights
def test_a_text_reply_starts_no_thread(engine):
    kinds = set()
    for ev in engine.respond(Turn(text="What is the capital of France?", intent="chat")):
        kinds.add(type(ev))
        assert not reply_threads()
    assert Token in kinds and SpeechChunk not in kinds


# ---- the pipeline on its own -------------------------------------------------------------------

class BrokenVoice(Synthesizer):
    """Fault injection: the real voice, which then fails on its second sentence (a real voice does
    not fail on demand)."""

    def __init__(self, engine):
        super().__init__(engine, normalize=False)
        self.spoken = 0

    def synthesize_sentence(self, sentence):
        self.spoken += 1
        if self.spoken == 2:
            raise ModelUnavailable("the voice stopped", role="tts")
        return super().synthesize_sentence(sentence)


def endless_text():
    yield "One sentence here. "
    yield "Another one here. "
    n = 0
    while True:  # the model would go on: the failure must stop it
        n += 1
        yield f"word{n} "


@pytest.mark.weights
def test_a_voice_failure_reaches_the_caller_and_stops_the_model(piper_engine):
    got = []
    with pytest.raises(ModelUnavailable, match="the voice stopped"):
        for item in speak_while_thinking(endless_text, BrokenVoice(piper_engine), SpeechSegmenter(), CancelToken()):
            got.append(item)
    assert [i.chunk.text for i in got if isinstance(i, ReplyAudio)] == ["One sentence here."]
    assert not reply_threads()


@pytest.mark.weights
def test_a_model_failure_reaches_the_caller(piper_engine):
    def failing():
        yield "Some words. "
        raise BadInput("the model gave up")

    with pytest.raises(BadInput, match="gave up"):
        list(speak_while_thinking(failing, Synthesizer(piper_engine, normalize=False), SpeechSegmenter(), CancelToken()))
    assert not reply_threads()


@pytest.mark.weights
def test_a_long_segment_shares_its_span_between_its_chunks(piper_engine):
    long = ", ".join(["the river runs past the old mill and the bridge"] * 8) + "."  # > 300 characters
    text = "| a |\n|---|\n\n" + long
    items = list(speak_while_thinking(lambda: iter([text]), Synthesizer(piper_engine, normalize=False),
                                      SpeechSegmenter(first_clause=False), CancelToken()))
    assert isinstance(items[0], ReplyPiece) and any(isinstance(i, ReplyEnd) for i in items)
    chunks = [i.chunk for i in items if isinstance(i, ReplyAudio)]
    assert chunks[0].text == TABLE_POINTER and len(chunks) >= 3
    assert chunks[-1].end == len(text) and all(a.end == b.start for a, b in zip(chunks, chunks[1:]))
    for c in chunks[1:]:
        assert c.start < c.end and abs((c.end - c.start) - len(c.text)) <= 0.05 * len(c.text) + 3


@pytest.mark.weights
def test_cancel_before_the_voice_starts(piper_engine):
    cancel = CancelToken()
    cancel.cancel()
    with pytest.raises(CancelledError):
        list(speak_while_thinking(lambda: iter(["Hello there. ", "Bye."]), Synthesizer(piper_engine, normalize=False),
                                  SpeechSegmenter(), cancel))
    assert not reply_threads()
