"""The voice loop without Qt: VAD endpointing on real speech, hands-free turns, barge-in (on and off),
mute, push-to-talk, silence and noise, languages and voices, and `sensorium voice-turn`."""
from __future__ import annotations

import contextlib
import json
import threading
import time
from dataclasses import dataclass

import numpy as np
import pytest

from pipelines.events import Cancelled, Done, Notice, SpeechChunk, Transcript
from pipelines.vad import Endpointer, SpeechEnded, SpeechStarted
from pipelines.voice import (
    BargeIn,
    FileSource,
    RecordingSink,
    UtteranceStarted,
    VoiceLoop,
    VoiceTurnStarted,
    entry_language,
    reply_language_instruction,
    voice_for_language,
)
from tests.fakes.audio import NoDeviceSource, ScriptedVoiceEngine, noise, silence, speech
from tests.helpers.run import sensorium


def vad_events(audio: np.ndarray, **kw) -> list:
    ep = Endpointer(**kw)
    out = []
    for i in range(0, len(audio), 480):  # 30 ms blocks: not the VAD's frame size, as from a real device
        out.extend(ep.feed(audio[i:i + 480]))
    return out


def test_endpointer_cuts_one_utterance_with_pre_roll(speech_dir):
    voice = speech(speech_dir / "librivox-0870.wav")
    audio = np.concatenate([silence(1.0), voice, silence(1.0)])
    events = vad_events(audio, end_silence_ms=500, pre_roll_ms=300)
    starts = [e for e in events if isinstance(e, SpeechStarted)]
    ends = [e for e in events if isinstance(e, SpeechEnded)]
    assert len(ends) == len(starts) >= 1
    assert 0.9 <= starts[0].at_s <= 1.6, starts[0]
    assert ends[-1].end_s <= 1.0 + len(voice) / 16000 + 0.1
    # pre-roll: the utterance audio begins about 300 ms before the detected start
    first = ends[0]
    assert len(first.audio) / 16000 >= (first.end_s - first.start_s) + 0.25
    lead = first.audio[: int(0.2 * 16000)]
    assert np.abs(lead).max() < 0.05  # the pre-roll is the quiet lead-in, so nothing was cut


@pytest.mark.parametrize("audio", [silence(3.0), noise(3.0, 0.05), noise(3.0, 0.2, seed=3), noise(3.0, 0.1, kind="hum")],
                         ids=["silence", "noise", "loud-noise", "hum"])
def test_silence_and_noise_are_not_speech(audio):
    assert vad_events(audio) == []


def test_end_silence_is_configurable(speech_dir):
    two = np.concatenate([speech(speech_dir / "cards-001.wav"), silence(0.7), speech(speech_dir / "cards-002.wav"),
                          silence(1.5)])
    short = [e for e in vad_events(two, end_silence_ms=300) if isinstance(e, SpeechEnded)]
    long = [e for e in vad_events(two, end_silence_ms=1200) if isinstance(e, SpeechEnded)]
    assert len(short) == 2 and len(long) == 1


class Recorder:
    def __init__(self):
        self.events = []
        self.lock = threading.Lock()

    def __call__(self, ev):
        with self.lock:
            self.events.append((time.perf_counter(), ev))

    def of(self, kind):
        with self.lock:
            return [e for _, e in self.events if isinstance(e, kind)]

    def wait(self, pred, timeout=20.0):
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            if pred():
                return True
            time.sleep(0.02)
        raise AssertionError(f"timed out; events: {[type(e).__name__ for _, e in self.events]}")


def make_loop(source, *, barge_in=True, mode="hands-free", engine=None):
    rec = Recorder()
    sink = RecordingSink()
    engine = engine or ScriptedVoiceEngine()
    loop = VoiceLoop(engine, source, sink, on_event=rec, mode=mode, barge_in=barge_in, partial_every_s=0,
                     end_silence_ms=400)
    return loop, sink, rec, engine


def test_hands_free_barge_in_cancels_the_reply_and_answers_the_new_utterance(speech_dir):
    source = FileSource(np.concatenate([silence(0.3), speech(speech_dir / "cards-002.wav")]), tail_silence_s=0.5)
    loop, sink, rec, engine = make_loop(source, engine=ScriptedVoiceEngine(delay=0.6))
    loop.start()
    try:
        rec.wait(lambda: sink.playing)
        assert len(engine.turns) == 1 and loop.busy
        source.feed_more(speech(speech_dir / "librivox-0880.wav"), tail_silence_s=0.5)  # the person talks over it
        rec.wait(lambda: len(rec.of(VoiceTurnStarted)) == 2 and rec.of(Done), timeout=30)
    finally:
        loop.stop(timeout=2)
    assert rec.of(BargeIn) and sink.stopped >= 1
    kinds = [type(e).__name__ for _, e in rec.events if not type(e).__name__ == "ListeningState"]
    first_cancel = kinds.index("Cancelled")
    second_turn = [i for i, k in enumerate(kinds) if k == "VoiceTurnStarted"][1]
    assert first_cancel < second_turn, kinds  # the old turn's events all come first
    turns = rec.of(VoiceTurnStarted)
    assert [t.turn for t in turns] == [1, 2]
    assert 2.5 < turns[1].duration_s < 4.5  # the whole second utterance, pre-roll included
    assert rec.of(Done)[-1].text == "Sentence 1. Sentence 2. Sentence 3."
    # end of speech is dated from the audio, not from when the silence timer ran out
    assert all(t.speech_end <= t_seen for t_seen, t in [(ts, e) for ts, e in rec.events
                                                         if isinstance(e, VoiceTurnStarted)])


def test_barge_in_off_ignores_speech_during_the_reply(speech_dir):
    source = FileSource(np.concatenate([silence(0.3), speech(speech_dir / "cards-001.wav")]), tail_silence_s=0.5)
    loop, sink, rec, engine = make_loop(source, barge_in=False)
    loop.start()
    try:
        rec.wait(lambda: sink.playing)
        source.feed_more(speech(speech_dir / "cards-002.wav"))  # the assistant's own voice, say
        rec.wait(lambda: rec.of(Done), timeout=20)
        time.sleep(0.6)
        assert not rec.of(BargeIn) and not rec.of(Cancelled) and sink.stopped == 0
        assert len(engine.turns) == 1 and len(sink.chunks) == 3
    finally:
        loop.stop(timeout=2)


def test_mute_stops_listening(speech_dir):
    source = FileSource(silence(0.1), tail_silence_s=0.0, pace=0.5)
    loop, sink, rec, engine = make_loop(source)
    loop.start()
    loop.set_muted(True)
    source.feed_more(speech(speech_dir / "cards-002.wav"), tail_silence_s=0.8)
    source.finished.wait(6)
    time.sleep(0.3)
    assert not rec.of(UtteranceStarted) and loop.level == 0.0
    loop.set_muted(False)
    source.feed_more(speech(speech_dir / "cards-002.wav"), tail_silence_s=0.8)
    rec.wait(lambda: rec.of(Done))
    loop.stop(timeout=2)
    assert len(engine.turns) == 1


def test_push_to_talk_press_interrupts_and_release_sends(speech_dir):
    voice = speech(speech_dir / "cards-002.wav")
    source = FileSource(voice, tail_silence_s=0.0, keep_running=False)
    loop, sink, rec, engine = make_loop(source, mode="push-to-talk")
    loop.start()
    loop.press()
    assert loop.listening
    source.finished.wait(5)
    loop.release()
    assert not loop.listening  # push-to-talk closes the microphone at once
    rec.wait(lambda: sink.playing)
    t_end = rec.of(VoiceTurnStarted)[0].speech_end
    assert abs(rec.of(VoiceTurnStarted)[0].duration_s - len(voice) / 16000) < 0.1
    loop.press()  # pressing the mic during the reply: barge-in
    assert rec.of(BargeIn) and not sink.playing
    loop.release()  # nothing recorded: too short
    rec.wait(lambda: rec.of(Cancelled) and any("too short" in n.text for n in rec.of(Notice)))
    loop.stop(timeout=2)
    assert t_end > 0 and len(engine.turns) == 1


def test_silence_and_noise_through_the_loop_start_no_turn():
    source = FileSource(np.concatenate([silence(1.0), noise(1.5, 0.05), noise(1.0, 0.1, kind="hum")]),
                        tail_silence_s=0.5, pace=0.5)
    loop, sink, rec, engine = make_loop(source)
    loop.start()
    source.finished.wait(10)
    time.sleep(0.5)
    loop.stop(timeout=2)
    assert engine.turns == [] and not rec.of(UtteranceStarted) and not sink.chunks


def test_a_microphone_that_cannot_open_raises_and_the_loop_keeps_working():
    src = NoDeviceSource()
    loop, sink, rec, engine = make_loop(src)
    with pytest.raises(OSError):
        loop.start()
    with pytest.raises(OSError):
        loop.press()
    assert not loop.listening and src.attempts == 2
    loop.stop(timeout=2)


# ---- languages --------------------------------------------------------------------------------
@dataclass(frozen=True)
class _E:
    name: str
    subpath: str = ""


class _Status:
    def __init__(self, status):
        self.status = status


class FakeCatalog:
    def __init__(self, entries, ready):
        self._entries, self.ready = entries, ready

    def chosen(self, role):
        return "piper-en-us-joe"

    def entries(self, role):
        return self._entries

    def status(self, role, name):
        return _Status("ready" if name in self.ready else "missing")


def test_language_picks_an_installed_voice_or_the_default():
    assert entry_language(_E("piper-en-us-joe", "data/en_US-joe-medium.onnx")) == "en"
    assert entry_language(_E("piper-de-thorsten")) == "de"
    assert entry_language(_E("my-voice", "voices/fr_FR-siwis-low.onnx")) == "fr"
    entries = [_E("piper-en-us-joe", "data/en_US-joe-medium.onnx"), _E("piper-de-thorsten"), _E("piper-fr-siwis")]
    cat = FakeCatalog(entries, ready={"piper-en-us-joe", "piper-de-thorsten"})
    assert voice_for_language(cat, "de") == "piper-de-thorsten"
    assert voice_for_language(cat, "fr") is None  # listed but not installed: the default voice
    assert voice_for_language(cat, "en") is None and voice_for_language(cat, "") is None
    assert reply_language_instruction("en") == "" and reply_language_instruction("") == ""
    assert "reply in German" in reply_language_instruction("de")


def test_a_german_turn_asks_for_german_and_falls_back_to_the_default_voice(warm_profile, piper_engine):
    """Whisper tiny.en only hears English, so the detection is faked; the rest is the real engine."""
    from pipelines.asr import Transcription
    from pipelines.catalog import Catalog
    from pipelines.engine import Engine
    from pipelines.errors import ModelUnavailable
    from pipelines.events import Segment, Turn
    from pipelines.settings import Settings

    class GermanEars:
        def transcribe(self, audio, **kw):
            return Transcription("de", 0.98, 1.0, iter([Segment(0, 1, "Wie spät ist es?")]), 1.0)

    class Mouth:
        name = "fake-llm"
        context_window = 2048
        seen = []

        def count_tokens(self, messages):
            return sum(len(m.content.split()) for m in messages)

        def stream(self, messages, params, cancel=None):
            self.seen.append(messages)
            yield "Es ist drei Uhr. "
            yield "Gute Nacht."

    class Manager:
        def __init__(self, catalog):
            self.catalog = catalog
            self.mouth = Mouth()

        @contextlib.contextmanager
        def lease(self, role, override=None, cancel=None):
            model = {"asr": GermanEars(), "chat": self.mouth, "tts": piper_engine}.get(role)
            if model is None:
                raise ModelUnavailable("not here", role=role)
            yield model

        def statuses(self):
            return []

    s = Settings()
    manager = Manager(Catalog.load(s, warm_profile))
    engine = Engine(s, warm_profile, manager=manager, catalog=manager.catalog)
    events = list(engine.respond(Turn(audio=silence(1.0), speak=True, intent="chat", speech_end=time.perf_counter())))
    system = manager.mouth.seen[0][0]
    assert system.role == "system" and "reply in German" in system.content
    assert any(isinstance(e, Notice) and "no German voice" in e.text for e in events)
    chunks = [e for e in events if isinstance(e, SpeechChunk)]
    assert len(chunks) == 2 and all(c.audio.size > 1000 for c in chunks)
    done = events[-1]
    assert isinstance(done, Done)
    assert {"speech_to_transcript_ms", "speech_to_first_token_ms", "speech_to_first_audio_ms"} <= set(done.timings)
    assert [e.language for e in events if isinstance(e, Transcript)] == ["de"]


# ---- the command line ---------------------------------------------------------------------------
@pytest.mark.weights
def test_voice_turn_cli_json(tmp_path, speech_dir):
    p = tmp_path / "profile"
    p.mkdir()
    # tiny.en hears "an old-sposed young man", which the router reads as chat below its unsure threshold:
    # the subject here is the JSON of a turn with a reply, not the question
    (p / "settings.toml").write_text("[general]\nask_when_unsure = false\n[chat]\nmax_new_tokens = 24\n"
                                     "temperature = 0.0\n", encoding="utf-8")
    out_wav = tmp_path / "reply.wav"
    r = sensorium("voice-turn", str(speech_dir / "librivox-0880.wav"), "-o", str(out_wav), "--json", profile=p)
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert set(out) == {"transcript", "reply", "audio", "latency_ms", "breakdown_ms", "model_load_ms"}
    # loading is reported apart from the turn's own latency
    assert {"asr", "chat", "tts"} <= set(out["model_load_ms"]) and all(v > 0 for v in out["model_load_ms"].values())
    assert "young man" in out["transcript"].lower() and out["reply"].strip()
    assert out["audio"] == str(out_wav) and out_wav.stat().st_size > 10_000
    lat = out["latency_ms"]
    assert 0 < lat["transcript"] <= lat["first_token"] <= lat["first_audio"] <= lat["to_output"]
    parts = out["breakdown_ms"]
    assert set(parts) == {"endpointing", "transcript", "routing", "first_token", "first_audio", "to_speaker"}
    # the parts add up to the whole (the routing and storage between them are small)
    assert abs(sum(parts.values()) - lat["to_output"]) <= 0.25 * lat["to_output"]


# ---- the user's words, not a cough: confirmation, discarding, barge-in ---------------------------
def test_a_short_sound_starts_but_never_confirms_speech_and_words_confirm_after_min_speech(speech_dir):
    from pipelines.vad import SpeechConfirmed, SpeechDiscarded

    voice = speech(speech_dir / "cards-002.wav")
    events = vad_events(np.concatenate([silence(0.5), voice, silence(1.0)]), min_speech_ms=250)
    starts = [e for e in events if isinstance(e, SpeechStarted)]
    confirms = [e for e in events if isinstance(e, SpeechConfirmed)]
    assert confirms and starts
    # confirmed once min_speech_ms of it was voiced: at least 250 ms after it started
    assert confirms[0].at_s - starts[0].at_s >= 0.25 - 0.064
    burst = _short_burst(speech(speech_dir / "librivox-0870.wav"))
    events = vad_events(np.concatenate([silence(0.5), burst, silence(1.0)]), min_speech_ms=250)
    assert [type(e) for e in events] == [SpeechStarted, SpeechDiscarded]  # it sounded like speech, briefly


def _short_burst(voice: np.ndarray) -> np.ndarray:
    """About 150 ms of the loudest part of real speech: a click, a cough, a 'hm' of the VAD's liking."""
    frame = 2400
    energy = [float(np.mean(voice[i:i + frame] ** 2)) for i in range(0, len(voice) - frame, 800)]
    start = int(np.argmax(energy)) * 800
    burst = voice[start:start + frame].copy()
    burst[:160] *= np.linspace(0, 1, 160, dtype=np.float32)
    burst[-160:] *= np.linspace(1, 0, 160, dtype=np.float32)
    return burst


def test_a_short_sound_during_a_reply_does_not_barge_in_and_words_do(speech_dir):
    voice = speech(speech_dir / "cards-002.wav")
    source = FileSource(np.concatenate([silence(0.3), voice]), tail_silence_s=0.5)
    loop, sink, rec, engine = make_loop(source, engine=ScriptedVoiceEngine(sentences=6, delay=0.3))
    loop.echo_cancellation = False  # a headset: nothing of the reply reaches the microphone
    loop.start()
    try:
        rec.wait(lambda: sink.playing)
        source.feed_more(_short_burst(speech(speech_dir / "librivox-0870.wav")), tail_silence_s=1.0)  # a cough
        rec.wait(lambda: len(rec.of(UtteranceStarted)) == 2, timeout=10)  # it sounded like speech to the VAD
        rec.wait(lambda: source.finished.is_set(), timeout=10)
        assert not rec.of(BargeIn) and sink.playing and len(engine.turns) == 1
        onset = source.feed_more(speech(speech_dir / "cards-001.wav"), tail_silence_s=0.6)  # the user's words
        rec.wait(lambda: rec.of(BargeIn), timeout=10)
        assert onset < rec.of(BargeIn)[0].sample < onset + 16000  # soon after the words began
        rec.wait(lambda: len(engine.turns) == 2, timeout=20)
    finally:
        loop.stop(timeout=2)


def test_how_an_utterance_ends_sets_the_silence_that_ends_it():
    from pipelines.voice import utterance_end_hint

    assert utterance_end_hint("What is the capital of France?") == "final"
    assert utterance_end_hint("Turn off the lights.") == "final"
    assert utterance_end_hint("我想知道明天的天气。") == "final"
    for trailing in ("I need eggs, milk,", "I was thinking and", "Tell me about um", "So the thing is...",
                     "Book a table for…", "I'd like the"):
        assert utterance_end_hint(trailing) == "trailing", trailing
    assert utterance_end_hint("") == "" and utterance_end_hint("hello there") == ""
    loop = VoiceLoop(ScriptedVoiceEngine(), FileSource(), RecordingSink(), on_event=lambda e: None,
                     end_silence_ms=500)
    ms = {}
    for hint in ("final", "trailing", ""):
        loop._end_hint = hint
        ms[hint] = loop._end_ms()
    assert ms == {"final": 200, "trailing": 900, "": 500}
    loop.adaptive_end = False
    loop._end_hint = "final"
    assert loop._end_ms() == 500
