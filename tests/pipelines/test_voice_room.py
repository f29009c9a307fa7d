"""The voice loop in a simulated room (tests/fakes/room.py): the assistant's real Piper reply plays
on the room's speaker and leaks into its microphone through an impulse response with a delayed
direct path, reflections and noise; the user's words are real speech from tests/data. Fed faster
than real time: barge-in is measured by the microphone's sample position, never by a wall clock.

(a) the echo alone never barges in (through the whole loop: echo canceller, VAD, barge-in rule);
(b) the user talking over the reply barges in, soon after their onset by sample position;
(d) an interrupted reply of the real engine is stored cut where playback stopped."""
from __future__ import annotations

import dataclasses
import threading
import time
from collections.abc import Iterator

import numpy as np
import pytest

from pipelines.audio import resample
from pipelines.cancel import CancelToken
from pipelines.events import Done, Event, SpeechChunk, Started, Token, Transcript, Turn
from pipelines.voice import BargeIn, ReplyHeard, VoiceLoop, VoiceTurnStarted
from tests.fakes.audio import speech
from tests.fakes.room import SimulatedRoom, speech_onset

RATE = 16000
REPLY = ["Paris is the capital of France.", "It lies on the river Seine.",
         "About two million people live there.", "It is known for its museums and its food."]


@pytest.fixture(scope="module")
def reply_chunks(piper_engine) -> list[tuple[str, np.ndarray]]:
    """The assistant's reply as the engine speaks it, one real Piper chunk per sentence (noise off,
    so it is the same on every run)."""
    config = dataclasses.replace(piper_engine._syn_config, noise_scale=0.0, noise_w_scale=0.0)
    out = []
    for sentence in REPLY:
        audio = np.concatenate([c.audio_float_array for c in piper_engine._voice.synthesize(sentence, syn_config=config)])
        out.append((sentence, audio.astype(np.float32)))
    return out


class PiperReplyEngine:
    """Engine stand-in for room tests of the loop (the real engine is test (d)): each utterance is
    answered with the same spoken reply, real Piper audio with the spans of its text; ``cut_reply``
    records what the loop stores as heard."""

    manager = None  # no partial transcripts

    class settings:  # noqa: N801 - mirrors Settings
        class voice:  # noqa: N801
            language = ""

    def __init__(self, chunks: list[tuple[str, np.ndarray]], rate: int):
        self.chunks, self.rate = chunks, rate
        self.turns: list[Turn] = []
        self.cuts: list[tuple[int, str]] = []
        self.lock = threading.Lock()

    def respond(self, turn: Turn, cancel: CancelToken | None = None) -> Iterator[Event]:
        with self.lock:
            self.turns.append(turn)
            n = len(self.turns)
        yield Transcript(f"utterance {n}")
        yield Started(1, 2 * n - 1, 2 * n)
        text = ""
        for i, (sentence, audio) in enumerate(self.chunks):
            if cancel is not None and cancel.cancelled:
                break
            start = len(text) + (1 if text else 0)
            text += (" " if text else "") + sentence
            yield Token((" " if i else "") + sentence)
            yield SpeechChunk(audio, self.rate, sentence, i, start, len(text))
        yield Done(text, message_id=2 * n, conversation_id=1)

    def cut_reply(self, message_id: int, heard: str) -> None:
        self.cuts.append((message_id, heard))


class Events:
    def __init__(self):
        self.items: list[Event] = []
        self.lock = threading.Lock()

    def __call__(self, ev: Event) -> None:
        with self.lock:
            self.items.append(ev)

    def of(self, kind):
        with self.lock:
            return [e for e in self.items if isinstance(e, kind)]


def wait(pred, timeout: float = 60.0, events: Events | None = None, room: SimulatedRoom | None = None) -> None:
    deadline = time.monotonic() + timeout
    while not pred():
        if time.monotonic() > deadline:
            seen = [type(e).__name__ for e in events.items if type(e).__name__ != "Token"] if events else []
            played = [(r.index, r.samples, r.played, r.stopped) for r in room.played] if room else []
            raise AssertionError(f"timed out; events {seen}; played {played}")
        time.sleep(0.01)


def room_loop(engine, *, pace: float, end_silence_ms: int = 400):
    room = SimulatedRoom(pace=pace)
    events = Events()
    loop = VoiceLoop(engine, room.source, room.sink, on_event=events, mode="hands-free", barge_in=True,
                     echo_cancellation=True, partial_every_s=0, end_silence_ms=end_silence_ms)
    return room, loop, events


@pytest.mark.weights
def test_the_assistants_own_voice_on_the_speakers_never_interrupts_it(reply_chunks, piper_engine, speech_dir):
    """(a) through the whole loop: a question, then the reply playing into the microphone, three times."""
    engine = PiperReplyEngine(reply_chunks, piper_engine.sample_rate)
    room, loop, events = room_loop(engine, pace=0.1)
    question = speech(speech_dir / "cards-001.wav")
    loop.start()
    try:
        for n in range(1, 4):
            room.say(question)
            wait(lambda n=n: len(events.of(Done)) == n)
            wait(lambda: not room.sink.playing)  # the whole reply has played into the room
            room.wait_position(room.position + RATE)  # and a second of its echo tail and silence
        wait(lambda: loop._frames.empty())
    finally:
        loop.stop(timeout=5)
    assert not events.of(BargeIn) and not engine.cuts
    assert len(engine.turns) == 3 and len(events.of(VoiceTurnStarted)) == 3  # no utterance made of echo
    assert all(not r.stopped and r.played == r.samples for r in room.played)  # every reply played to the end


@pytest.mark.weights
def test_the_user_talking_over_the_reply_barges_in_and_the_reply_is_cut_where_it_stopped(
        reply_chunks, piper_engine, speech_dir):
    """(b): barge-in soon after the user's onset, by sample position; the heard text ends in the
    sentence that was playing when the speaker stopped."""
    engine = PiperReplyEngine(reply_chunks, piper_engine.sample_rate)
    room, loop, events = room_loop(engine, pace=0.25)
    loop.start()
    try:
        room.say(speech(speech_dir / "cards-001.wav"))
        wait(lambda: len(room.played) >= 2 and room.played[1].played > 0)  # the second sentence plays
        user = speech(speech_dir / "librivox-0870.wav")
        onset = room.say(user) + speech_onset(user)  # where the words begin in the recording
        wait(lambda: events.of(BargeIn) and engine.cuts)
    finally:
        loop.stop(timeout=5)
    barge = events.of(BargeIn)[0]
    assert onset < barge.sample < onset + RATE, (onset, barge.sample)
    cut = [r for r in room.played if r.stopped or 0 < r.played < r.samples]
    assert cut, room.played
    playing = cut[0]
    full = " ".join(REPLY)
    mid, heard = engine.cuts[0]
    assert mid == 2 and full.startswith(heard)
    start = len(" ".join(REPLY[:playing.index]))
    assert start <= len(heard) <= start + len(REPLY[playing.index]) + 1, (heard, playing)
    assert events.of(ReplyHeard)[0].text == heard


@pytest.mark.weights
def test_an_interrupted_reply_of_the_real_engine_is_stored_as_far_as_it_was_heard(warm_profile, speech_dir,
                                                                                 piper_engine):
    """(d) with the real engine: Whisper tiny.en, SmolLM2, Piper and the store."""
    from pipelines.engine import Engine
    from pipelines.history import HistoryStore
    from pipelines.settings import Settings
    from pipelines.tts import Synthesizer

    settings = Settings()
    settings.chat.temperature = 0.0
    settings.chat.max_new_tokens = 80
    store = HistoryStore(warm_profile.history_db, warm_profile.attachments_dir)
    engine = Engine(settings, warm_profile, store=store)
    question = resample(Synthesizer(piper_engine).synthesize("Tell me about the city of Paris."),
                        piper_engine.sample_rate, RATE)
    room, loop, events = room_loop(engine, pace=0.5, end_silence_ms=500)
    loop.start()
    try:
        room.say(question)
        wait(lambda: len(room.played) >= 2 and room.played[1].played > 0, timeout=120)
        # (a quiet, short utterance under a loud reply can be silenced whole by WebRTC's suppressor:
        # see the echo bench; this one is the longer recording)
        room.say(speech(speech_dir / "librivox-0870.wav"))
        wait(lambda: events.of(ReplyHeard), timeout=60, events=events, room=room)
        loop.runner.cancel()
    finally:
        loop.stop(timeout=10)
    heard = events.of(ReplyHeard)[0]
    cid = store.list_conversations()[0].id
    msgs = [m for m in store.messages(cid) if m.role == "assistant"]
    stored = next(m for m in msgs if m.id == heard.message_id)
    assert stored.status == "interrupted" and stored.text == heard.text
    assert heard.generated.startswith(stored.text) and len(stored.text) < len(heard.generated.rstrip())
    assert stored.meta["interrupted"]["generated"] == heard.generated
    # cut inside the chunk that was playing: whole chunks before it were heard, nothing after it
    chunks = [e for e in events.of(SpeechChunk)]
    playing = next(r for r in room.played if r.stopped or 0 < r.played < r.samples)
    assert chunks[playing.index].start <= len(stored.text) <= chunks[playing.index].end, (stored.text, playing)
    # and that is what the model sees next turn
    history = engine._history(type("S", (), {"conversation_id": cid, "assistant_id": None})())
    assert any(m.role == "assistant" and m.content == stored.text + " \u2026" for m in history)
    store.close()
