"""The voice loop, without Qt: microphone frames in, endpointed utterances to the engine, the
spoken reply out to a speaker, barge-in, partial transcripts and latency.

Hardware is injected: an ``AudioSource`` calls back with float32 frames (a real microphone
through sounddevice, or a file played at real-time pace in tests) and an ``AudioSink`` plays
chunks (a real speaker, or a recorder in tests).
"""
from __future__ import annotations

import functools
import logging
import queue
import re
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from .cancel import Cancelled as CancelledError
from .cancel import CancelToken
from .errors import Text
from .events import Cancelled, Done, Event, Failed, Notice, SpeechChunk, Started, Transcript, Turn
from .playback import RecordingSink
from .turns import ChatRef, TurnRunner
from .vad import FRAME_MS

__all__ = ["AudioSource", "AudioSink", "VoiceLoop", "BargeIn", "ListeningState", "UtteranceStarted",
           "VoiceTurnStarted", "ReplyHeard", "SpokenLatency", "BargeInGate", "utterance_end_hint",
           "latency_breakdown", "vad_threshold", "voice_turn", "FileSource", "RecordingSink", "LANGUAGE_NAMES",
           "language_name",
           "reply_language_instruction", "voice_for_language", "entry_language", "text_language",
           "chosen_voice_language", "missing_voice_text", "device_notice"]

log = logging.getLogger(__name__)
RATE = 16000
MIN_PTT_S = 0.2


class AudioSource(Protocol):
    """A microphone: calls ``on_frames`` with float32 mono 16 kHz arrays as they are captured, from any
    thread. ``start`` raises (OSError, RuntimeError...) when the device cannot be opened."""

    sample_rate: int

    def start(self, on_frames: Callable[[np.ndarray], None]) -> None: ...

    def stop(self) -> None: ...


class AudioSink(Protocol):
    """A speaker with a queue (``pipelines.playback.QueuedSink``): ``play`` returns at once and plays
    after what is queued; a chunk played with ``cancel`` (its turn's CancelToken) stops when that is
    cancelled; ``on_played(samples, at)`` says how much of the chunk has gone out and when it is
    heard; ``monitor(block, rate)``, when set, gets every block as it goes out (the echo reference)."""

    monitor: Callable[[np.ndarray, int], None] | None

    def play(self, audio: np.ndarray, sample_rate: int, cancel: CancelToken | None = None,
             on_played: Callable[[int, float], None] | None = None) -> None: ...

    def stop(self) -> None: ...  # stop now and drop what is queued

    @property
    def playing(self) -> bool: ...


@dataclass(frozen=True)
class BargeIn(Event):
    """The user spoke (or pressed the mic) during a reply: playback stopped, generation cancelled.
    ``sample`` is the microphone sample position (samples since the loop started) of the frame that
    confirmed the speech (-1 when it was the mic button)."""

    at: float
    sample: int = -1


@dataclass(frozen=True)
class ListeningState(Event):
    state: str  # idle | listening | speech | thinking | speaking | muted
    level: float = 0.0


@dataclass(frozen=True)
class UtteranceStarted(Event):
    """The person started speaking (VAD) or pressed the mic; partial transcripts of it may follow."""

    utterance: int
    at: float


@dataclass(frozen=True)
class VoiceTurnStarted(Event):
    """An utterance ended and goes to the engine: the engine events of this turn follow, up to its
    Done, Cancelled or Failed. Turns never interleave: a turn's events all come before the next one's."""

    turn: int
    speech_end: float  # clock time of the end of speech
    duration_s: float  # length of the utterance audio


@dataclass(frozen=True)
class ReplyHeard(Event):
    """A spoken reply was interrupted: ``text`` is what was played before it stopped (the stored reply
    now), ``generated`` what the model had written."""

    message_id: int | None
    text: str
    generated: str


@dataclass(frozen=True)
class SpokenLatency(Event):
    """The first sample of a spoken reply reached the speaker: ``speech_to_speaker_ms`` from the end
    of the user's speech, with the turn's breakdown (endpointing, transcript, routing, first token,
    first audio synthesized, queue to speaker) in ``breakdown``."""

    turn: int
    message_id: int | None
    speech_to_speaker_ms: float
    breakdown: dict[str, float]
    heard_at: float = 0.0  # clock time of the first sample at the speaker


_RELEASE = object()

#: Endpointing: silence after words that end like a finished sentence, and extra silence after words
#: that trail off ("and", "um", a comma); otherwise ``end_silence_ms``.
SHORT_END_MS = 200
TRAILING_EXTRA_MS = 400
#: The VAD's threshold on the echo canceller's output while a reply plays (0.5 otherwise): during
#: double talk the canceller's suppressor takes about 5 dB off the user's voice, and at 0.5 barge-in
#: came 480 ms after their onset (median, the echo bench's 12 takes); at 0.3 it comes after 361 ms
#: and the echo alone still never barges in (20 replies).
PLAYBACK_VAD_THRESHOLD = 0.3
VAD_THRESHOLD = 0.5
#: Far-end audio (10 ms frames) the canceller must have heard before the lower threshold applies: in
#: the first second of its first reply it is still learning the room, and residual echo reached 0.3.
CONVERGED_FAR_FRAMES = 200


def device_notice(line: Text | str) -> Notice:
    """The Notice of a device's line (a microphone's or a speaker's ``on_error``): a Text is carried as
    ``localizable``, so the window says it in its language; a plain str stays as it is."""
    return Notice.from_text(line) if isinstance(line, Text) else Notice(str(line))


def vad_threshold(echo: Any, playing: bool) -> float:
    """The VAD threshold for the next frames: lower while a reply plays through a canceller that
    has converged (see PLAYBACK_VAD_THRESHOLD), the normal one otherwise."""
    if echo is not None and playing and echo.stats.far_frames >= CONVERGED_FAR_FRAMES:
        return PLAYBACK_VAD_THRESHOLD
    return VAD_THRESHOLD


_TRAILING_WORDS = frozenset(
    "and or but so because um uh er erm hmm like the a an to of with for in on at my your if then that which "
    "when while is are was were i".split())
_SENTENCE_END = ("." , "?", "!", "。", "？", "！")


def utterance_end_hint(partial: str) -> str:
    """How an utterance's words so far end: 'final' (a finished sentence), 'trailing' (a filler, a
    conjunction, a comma or an ellipsis: more is coming) or '' (no telling)."""
    text = partial.strip()
    if not text:
        return ""
    if text.endswith(("...", "\u2026", ",", "，", "、", "-", "\u2014")):
        return "trailing"
    words = re.findall(r"[\w']+", text.lower())
    if words and words[-1] in _TRAILING_WORDS:
        return "trailing"
    return "final" if text.endswith(_SENTENCE_END) else ""


class BargeInGate:
    """Barge-in from the VAD's frames while a reply plays: it fires once ``frames`` of the last
    ``window`` 32 ms frames were voiced (8 of 32: a quarter second of voice within a second). During
    double talk the echo canceller's suppressor chops the user's words into pieces the endpointer
    may each discard as too short, so the voiced frames are counted across them; a cough or a click
    never reaches 8, and the echo alone, after cancellation, is not voiced."""

    def __init__(self, frames: int = 8, window: int = 32):
        self.frames = frames
        self._recent: deque[bool] = deque(maxlen=window)

    def feed(self, voiced: list[bool]) -> bool:
        self._recent.extend(voiced)
        return sum(self._recent) >= self.frames

    def reset(self) -> None:
        self._recent.clear()


class VoiceLoop:
    """Microphone frames in; endpointed utterances to ``engine.respond``; the spoken reply to the sink.

    Threads: the source's callback thread only queues frames (and the speaker's thread queues what it
    plays, the echo canceller's far end); one worker runs echo cancellation, the VAD and the
    push-to-talk capture; replies are turns of a ``TurnRunner`` (the window's, shared with typed
    turns, or the loop's own): an utterance is submitted with ``interrupt=True`` when barge-in is on
    (the running turn is cancelled and the reply runs next) and waits in the queue otherwise; partial
    transcripts run on their own worker with the cheapest decoding, latest request wins, so the final
    transcript never waits behind one. The conversation is the ``ChatRef`` that ``chat()`` returns at
    the moment the utterance ends (the window's current chat). ``on_event`` is called from these
    threads with the engine's events and the loop's own (ListeningState, UtteranceStarted,
    VoiceTurnStarted, BargeIn, ReplyHeard, SpokenLatency, partial ``Transcript(final=False)``, Notice).
    No method waits for model work, so the GUI thread may call any of them.

    Modes: ``hands-free`` keeps the microphone open and lets the VAD decide where utterances start and
    end; ``push-to-talk`` opens it on ``press()`` and sends what was said on ``release()``. In both,
    ``press()`` interrupts a reply (barge-in).

    Speakers without a headset: with ``echo_cancellation`` (on whenever barge-in is on) the microphone
    goes through WebRTC's echo canceller, whose far end is exactly what the speaker plays, fed as it
    plays (``sink.monitor``). Barge-in fires only on the user's words: once an utterance has
    ``min_speech_ms`` of voiced audio after echo cancellation (or a partial transcript has a word), so
    a cough, a click or the assistant's own echo never interrupts. An interrupted reply is stored cut
    to what was played (``Engine.cut_reply``). With ``barge_in`` off, speech during a reply is ignored.

    Endpointing adapts: when silence starts, a partial transcript of the utterance is made at once; if
    it ends like a finished sentence the utterance ends after ``SHORT_END_MS`` of silence, if it trails
    off after ``end_silence_ms + TRAILING_EXTRA_MS``, otherwise after ``end_silence_ms``.
    """

    def __init__(self, engine: Any, source: AudioSource, sink: AudioSink, *, on_event: Callable[[Event], None],
                 mode: str = "hands-free", end_silence_ms: int = 500, barge_in: bool = True,
                 partial_every_s: float = 1.0, conversation_id: int | None = None, pre_roll_ms: int = 300,
                 clock: Callable[[], float] = time.perf_counter, endpointer: Any = None,
                 runner: TurnRunner | None = None, chat: Callable[[], ChatRef] | None = None,
                 echo_cancellation: bool = True, adaptive_end: bool = True, min_speech_ms: int = 250):
        if mode not in ("hands-free", "push-to-talk"):
            raise ValueError(f"unknown voice mode {mode!r}: use hands-free or push-to-talk")
        self.engine, self.source, self.sink = engine, source, sink
        self.on_event = on_event
        self.mode = mode
        self.barge_in = barge_in
        self.echo_cancellation = echo_cancellation
        self.adaptive_end = adaptive_end
        self.end_silence_ms = end_silence_ms
        self.min_speech_ms = min_speech_ms
        self.pre_roll_ms = pre_roll_ms
        self.partial_every_s = partial_every_s
        own_chat = ChatRef(conversation_id)
        self.chat: Callable[[], ChatRef] = chat or (lambda: own_chat)
        self._own_runner = runner is None
        self.runner = runner if runner is not None else TurnRunner(engine, name="sensorium-reply")
        self.clock = clock
        self.endpointer = endpointer  # made on the worker thread on first need (loads the VAD model)
        self.echo: Any = None  # the EchoCanceller, made on the worker thread on first need
        self._echo_failed = False
        self.muted = False
        self.turns = 0  # finished turns
        self.mic_samples = 0  # microphone samples the worker has processed (the sample clock of BargeIn)
        self._frames: queue.Queue = queue.Queue()
        self._worker: threading.Thread | None = None
        self._reply_rid: int | None = None  # the latest spoken turn of the runner
        self._speaking: _SpokenReply | None = None  # the spoken reply whose audio was queued last
        self._running_reply: _SpokenReply | None = None  # the spoken turn the runner is running
        self._partials = _PartialWorker(self)
        self._gate = BargeInGate(max(1, round(min_speech_ms / FRAME_MS)))
        self._barged: int | None = None  # the reply a barge-in last interrupted
        self._lock = threading.RLock()
        self._ptt: list[np.ndarray] | None = None
        self._ptt_end = 0.0
        self._source_on = False
        self._reset_vad = False
        self._deaf = False
        self._last_partial = 0.0
        self._end_hint = ""  # utterance_end_hint of the current utterance's words (from a partial)
        self._end_transcript: Transcript | None = None  # the current utterance decoded at its silence
        self._hint_asked = -1  # voiced frames of the utterance when its end hint was asked for
        self._utterance = 0
        self._turn = 0
        self._level = 0.0
        self._running = False

    @classmethod
    def from_settings(cls, engine: Any, source: AudioSource, sink: AudioSink, settings: Any, *,
                      on_event: Callable[[Event], None], **kw: Any) -> VoiceLoop:
        v = settings.voice
        return cls(engine, source, sink, on_event=on_event, mode=v.mode, end_silence_ms=v.end_silence_ms,
                   barge_in=v.barge_in, echo_cancellation=v.echo_cancellation, **kw)

    # ---- control -----------------------------------------------------------------------
    @property
    def conversation_id(self) -> int | None:
        """The conversation the next utterance goes to."""
        return self.chat().id

    @property
    def running(self) -> bool:
        return self._running

    @property
    def listening(self) -> bool:
        """The microphone is open."""
        return self._source_on

    @property
    def cancelling_echo(self) -> bool:
        """The microphone goes through the echo canceller (hands-free with barge-in and the setting on)."""
        return self.echo_cancellation and self.barge_in and not self._echo_failed

    def start(self) -> None:
        """Start the worker; in hands-free mode open the microphone (raises if it cannot be opened)."""
        if not self._running:
            self._running = True
            self._worker = threading.Thread(target=self._run, name="sensorium-voice", daemon=True)
            self._worker.start()
            if hasattr(self.sink, "monitor"):
                self.sink.monitor = self._far
        if self.mode == "hands-free":
            self._open_source()
            self._state(self._idle_state())
        else:
            self._state("idle")

    def stop(self, timeout: float = 0.0) -> None:
        """Close the microphone, cancel the reply and any partial transcript, stop playback; join the
        worker, the partial transcripts and (when the loop owns it) the turn runner up to ``timeout`` s."""
        self._close_source()
        self._ptt = None
        self.cancel_reply()
        self._partials.stop()
        if getattr(self.sink, "monitor", None) == self._far:
            self.sink.monitor = None
        if self._running:
            self._running = False
            self._frames.put(None)
            if self._worker is not None and timeout > 0:
                self._worker.join(timeout)
        if timeout > 0:
            self._partials.join(timeout)
            if self._own_runner:
                self.runner.shutdown(timeout)
        self._state("idle")

    def wait_idle(self, timeout: float = 30.0) -> bool:
        """For scripts and exit: wait until no reply is being generated. True if idle."""
        deadline = time.monotonic() + timeout
        while self.busy and time.monotonic() < deadline:
            time.sleep(0.02)
        return not self.busy

    def set_mode(self, mode: str) -> None:
        if mode not in ("hands-free", "push-to-talk"):
            raise ValueError(f"unknown voice mode {mode!r}: use hands-free or push-to-talk")
        self.mode = mode
        self._reset_vad = True
        if mode == "hands-free" and self._running:
            self._open_source()
            self._state(self._idle_state())
        elif mode == "push-to-talk":
            if self._ptt is None:
                self._close_source()
            self._state("idle")

    def set_muted(self, muted: bool) -> None:
        """Muted: frames are dropped (nothing is heard); a reply in progress keeps playing."""
        self.muted = muted
        self._reset_vad = True
        self._state(self._idle_state())

    def press(self) -> None:
        """Push-to-talk pressed (or the mic button): interrupt any reply and record until ``release``.
        Raises when the microphone cannot be opened."""
        self.interrupt()
        if not self._running:
            self.start()
        with self._lock:
            self._utterance += 1
            n = self._utterance
        self._ptt = []
        self._reset_vad = True
        try:
            self._open_source()
        except Exception:
            self._ptt = None
            raise
        self.on_event(UtteranceStarted(n, self.clock()))
        self._state("speech")

    def release(self) -> None:
        """Push-to-talk released: what was recorded goes to the engine (the end of speech is now)."""
        if self._ptt is None:
            return
        self._ptt_end = self.clock()
        if self.mode == "push-to-talk":
            self._close_source()  # a source may deliver its last frames while it stops: they come first
        self._frames.put(_RELEASE)

    def interrupt(self, sample: int = -1) -> bool:
        """Stop playback and cancel the reply being generated; the reply is stored as far as it was
        heard. True if there was something to stop. ``sample``: the microphone position that caused it."""
        rid = self._reply_rid
        self._barged = rid
        generating = rid is not None and self.runner.cancel(rid)
        hit = generating or bool(self.sink.playing)
        self.sink.stop()
        stopped_at = self.clock()
        if hit:
            for reply in {self._speaking, self._running_reply}:
                if reply is not None:
                    reply.interrupted(stopped_at)
            self.on_event(BargeIn(stopped_at, sample))
        return hit

    def cancel_reply(self) -> None:
        rid = self._reply_rid
        if rid is not None:
            self.runner.cancel(rid)
        self.sink.stop()

    @property
    def busy(self) -> bool:
        """A spoken reply is being generated (or waits for its turn)."""
        rid = self._reply_rid
        return rid is not None and self.runner.has(rid)

    @property
    def level(self) -> float:
        """The microphone level, 0..1, for a meter."""
        src = getattr(self.source, "level", None)
        if callable(src):
            try:
                return float(src())
            except Exception:
                return 0.0
        return self._level if self._source_on and not self.muted else 0.0

    # ---- internals ---------------------------------------------------------------------
    def _state(self, state: str, level: float = 0.0) -> None:
        self.on_event(ListeningState(state, level))

    def _put(self, frames: np.ndarray) -> None:  # the source's thread
        self._frames.put((self.clock(), frames))

    def _far(self, block: np.ndarray, rate: int) -> None:  # the speaker's thread: what it plays now
        if self.cancelling_echo and self._source_on and self.mode == "hands-free":
            self._frames.put(("far", np.array(block, dtype=np.float32), rate))

    def _open_source(self) -> None:
        if not self._source_on:
            if hasattr(self.source, "on_error"):  # a device's line: a Text (the window's language) or a str
                self.source.on_error = lambda msg: self.on_event(device_notice(msg))
            self.source.start(self._put)
            self._source_on = True

    def _close_source(self) -> None:
        if self._source_on:
            self._source_on = False
            self._level = 0.0
            try:
                self.source.stop()
            except Exception as e:
                log.warning("microphone stop failed: %s", e)

    def _replying(self) -> bool:
        return self.busy or bool(self.sink.playing)

    def _run(self) -> None:
        while True:
            item = self._frames.get()
            if item is None:
                if not self._running:
                    break
                continue
            try:
                self._handle(item)
            except Exception as e:  # the worker must outlive one bad frame, or hands-free goes deaf
                log.exception("the voice loop failed on a frame")
                self.on_event(Notice.from_text(Text.of("voice.frame_failed", "listening hit a problem ({kind}: "
                                                       "{error}); it goes on", kind=type(e).__name__, error=e)))
                self._reset_vad = True

    def _handle(self, item: Any) -> None:
        if item is _RELEASE:
            self._finish_ptt()
            return
        if item[0] == "far":
            if self.echo is not None:
                self.echo.far(item[1], item[2])
            return
        t_arrived, frames = item
        frames = np.asarray(frames, dtype=np.float32).reshape(-1)
        self.mic_samples += frames.size
        if frames.size:
            self._level = float(min(1.0, np.sqrt(np.mean(frames * frames)) * 6))
        if self._ptt is not None:  # holding the mic button is explicit: it records even when muted
            self._ptt.append(frames)
            return
        if self.muted:
            return
        if self.mode != "hands-free" or not self._source_on:
            return
        if not self.barge_in and self._replying():
            self._deaf = True  # our own voice from the speakers is not a new utterance
            return
        self._listen(frames, t_arrived)

    def _setup(self) -> bool:
        """The VAD (and the echo canceller) on first need, on this thread. False when listening cannot start."""
        from .vad import Endpointer

        if self.endpointer is None:
            try:
                self.endpointer = Endpointer(end_silence_ms=self.end_silence_ms, pre_roll_ms=self.pre_roll_ms,
                                             min_speech_ms=self.min_speech_ms)
            except Exception as e:
                log.exception("voice activity detection could not start")
                self.on_event(Failed.from_text(Text.of("voice.vad_failed", "hands-free listening could not start "
                                                       "({error}); use push-to-talk", error=e)))
                self._close_source()
                return False
        if self.cancelling_echo and self.echo is None:
            from .errors import SensoriumError

            try:
                from .echo import EchoCanceller

                self.echo = EchoCanceller()
            except SensoriumError as e:
                self._echo_failed = True
                self.on_event(Notice.from_text(Text.of("voice.no_echo_cancel", "{problem}; until then a reply on "
                                                       "speakers may interrupt itself: use a headset or turn "
                                                       "barge-in off", problem=e)))
        elif not self.cancelling_echo and self.echo is not None:
            self.echo = None
        return True

    def _listen(self, frames: np.ndarray, t_arrived: float) -> None:
        """Hands-free: echo cancellation, the VAD, barge-in and endpointing for one block of frames."""
        from .vad import SpeechConfirmed, SpeechDiscarded, SpeechEnded, SpeechStarted

        if not self._setup():
            return
        ep = self.endpointer
        if self.echo is not None:
            frames = self.echo.near(frames)
        if self._reset_vad or self._deaf:
            self._reset_vad = self._deaf = False
            ep.reset()
        ep.end_frames = max(1, round(self._end_ms() / FRAME_MS))
        threshold = vad_threshold(self.echo, bool(self.sink.playing))
        if ep.threshold != threshold:
            ep.set_threshold(threshold)
        for ev in ep.feed(frames):
            if isinstance(ev, SpeechStarted):
                with self._lock:
                    self._utterance += 1
                    n = self._utterance
                    self._end_hint, self._hint_asked, self._end_transcript = "", -1, None
                self._last_partial = self.clock()
                self.on_event(UtteranceStarted(n, t_arrived))
                self._state("speech")
            elif isinstance(ev, SpeechConfirmed):
                self._barge_in()
            elif isinstance(ev, SpeechDiscarded):
                self._state(self._reply_state())
            elif isinstance(ev, SpeechEnded):
                # the last sample of these frames arrived at t_arrived; speech ended that much earlier
                speech_end = t_arrived - max(0.0, ep.stream_time - ev.end_s)
                self._answer(ev.audio, speech_end, self._end_transcript)
        if self.barge_in and self._replying():
            if self._gate.feed(ep.last_voiced):
                self._gate.reset()
                self._barge_in()
        else:
            self._gate.reset()
        if not ep.in_speech or not ep.voiced_frames:
            return
        if ep.silent_frames == 0:
            if self._end_hint or self._end_transcript is not None:
                # the person goes on: what the last decode said about the end is stale
                self._end_hint, self._end_transcript = "", None
            if self.partial_every_s > 0 and self.clock() - self._last_partial >= self.partial_every_s:
                self._last_partial = self.clock()
                self._partials.ask(ep.current_audio(), self._utterance, ep.voiced_frames, for_end=False)
        elif self.adaptive_end and self._hint_asked != ep.voiced_frames:
            # silence started: how the words end decides how long to wait for more
            self._hint_asked = ep.voiced_frames
            self._partials.ask(ep.current_audio(), self._utterance, ep.voiced_frames, for_end=True)

    def _barge_in(self) -> None:
        """The user's words during a reply (confirmed speech, voiced frames, a word of a partial):
        interrupt it, once per reply."""
        if self.barge_in and self._replying() and self._barged != self._reply_rid:
            self.interrupt(self.mic_samples)

    def _end_ms(self) -> int:
        hint = self._end_hint if self.adaptive_end else ""
        if hint == "final":
            return min(SHORT_END_MS, self.end_silence_ms)
        if hint == "trailing":
            return self.end_silence_ms + TRAILING_EXTRA_MS
        return self.end_silence_ms

    def _partial_done(self, text: str, language: str, utterance: int, voiced: int, for_end: bool,
                      segments: tuple = ()) -> None:
        """A partial transcript arrived (the partial worker's thread). One asked for at the silence
        (``for_end``, decoded as the final would be) is the utterance's transcript if no words follow."""
        ep = self.endpointer
        with self._lock:
            current = utterance == self._utterance and ep is not None and ep.in_speech
            if not current:
                return
            if for_end and voiced == ep.voiced_frames:  # no new words since it was asked for
                self._end_hint = utterance_end_hint(text)
                if not self.engine.settings.voice.word_timestamps:  # else the final would have words
                    self._end_transcript = Transcript(text, language, tuple(segments), final=True)
            if text:  # told under the lock: the utterance cannot become a turn (``_answer``) between the
                # check and the event, so a partial is never shown after its turn began (a second bubble)
                self.on_event(Transcript(text, language, (), final=False))
        if text and re.search(r"\w", text):
            self._barge_in()  # the first word of the user's reply

    def _finish_ptt(self) -> None:
        frames, self._ptt = self._ptt, None
        audio = np.concatenate(frames) if frames else np.zeros(0, dtype=np.float32)
        if audio.size < MIN_PTT_S * RATE:
            self.on_event(Notice.from_text(Text.of("voice.too_short", "the recording was too short: hold the mic "
                                                   "button (or Ctrl+Space) while you speak")))
            self._state(self._idle_state())
            return
        self._answer(audio, self._ptt_end)

    def _answer(self, audio: np.ndarray, speech_end: float, transcript: Transcript | None = None) -> None:
        self._partials.cancel()
        with self._lock:
            self._utterance += 1  # partials of the utterance that just ended are stale now
            self._turn += 1
            n = self._turn
            self._end_hint, self._end_transcript = "", None
        if self.barge_in and self._replying():
            self.interrupt(self.mic_samples)  # the old reply stops talking now; the runner cancels its generation
        turn = Turn(audio=audio, audio_sample_rate=RATE, speak=True, spoken=True, speech_end=speech_end,
                    transcript=transcript)
        reply = _SpokenReply(self, n, len(audio) / RATE, speech_end)
        # with barge-in the spoken turn interrupts whatever runs; without, it waits its turn
        self._reply_rid = self.runner.submit(turn, chat=self.chat(), interrupt=self.barge_in, listener=reply.on_event,
                                             on_start=reply.on_start, source="voice")

    def _idle_state(self) -> str:
        return "muted" if self.muted else ("listening" if self.mode == "hands-free" else "idle")

    def _settle(self) -> None:
        """A reply has ended and been heard: back to listening (unless the person is speaking already)."""
        ep = self.endpointer
        if ep is None or not ep.in_speech or self.mode != "hands-free":
            self._state(self._idle_state())

    def _reply_state(self) -> str:
        if self.sink.playing:
            return "speaking"
        return "thinking" if self.busy else self._idle_state()


def latency_breakdown(timings: dict[str, float], total_ms: float) -> dict[str, float]:
    """Where the time from the end of speech to the first sample at the speaker went, from a spoken
    turn's engine timings (``Done.timings``) and the total measured at the speaker."""
    t = timings
    parts = {
        "endpointing": t.get("speech_to_transcript_ms", 0.0) - t.get("transcript_ms", 0.0),
        "transcript": t.get("transcript_ms", 0.0),
        "routing": t.get("route_ms", 0.0),
        "first_token": t.get("llm_first_token_ms", 0.0),
        "first_audio": t.get("first_audio_ms", 0.0) - t.get("first_token_ms", 0.0),
        "to_speaker": total_ms - t.get("speech_to_first_audio_ms", total_ms),
    }
    return {k: round(max(0.0, v), 1) for k, v in parts.items() if t or k == "to_speaker"}


class _PartialWorker:
    """Partial transcripts on their own thread with the cheapest decoding: one request waits at most
    (a newer one replaces it), so the final transcript, which runs on the turn runner, never waits
    behind a queue of partials."""

    def __init__(self, loop: VoiceLoop):
        self.loop = loop
        self._cond = threading.Condition()
        self._pending: tuple[np.ndarray, int, int, bool] | None = None
        self._token = CancelToken()
        self._thread: threading.Thread | None = None
        self._stopped = False

    def ask(self, audio: np.ndarray, utterance: int, voiced: int, *, for_end: bool) -> None:
        if getattr(self.loop.engine, "manager", None) is None:
            return  # an engine without models (tests' scripted engine) has no partials
        with self._cond:
            self._stopped = False
            self._pending = (audio, utterance, voiced, for_end)
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="sensorium-partial", daemon=True)
                self._thread.start()
            self._cond.notify()

    def cancel(self) -> None:
        """The utterance ended: drop the waiting request and stop the running one."""
        with self._cond:
            self._pending = None
            self._token.cancel()
            self._token = CancelToken()

    def stop(self) -> None:
        with self._cond:
            self._stopped = True
        self.cancel()
        with self._cond:
            self._cond.notify()

    def join(self, timeout: float) -> None:
        thread = self._thread
        if thread is not None:
            thread.join(timeout)

    def _run(self) -> None:
        while True:
            with self._cond:
                while self._pending is None and not self._stopped:
                    if not self._cond.wait(timeout=5.0):
                        self._thread = None
                        return  # idle: the thread ends, the next request starts another
                if self._stopped:
                    self._thread = None
                    return
                assert self._pending is not None
                (audio, utterance, voiced, for_end), self._pending = self._pending, None
                token = self._token
            self._decode(audio, utterance, voiced, for_end, token)

    def _decode(self, audio: np.ndarray, utterance: int, voiced: int, for_end: bool, token: CancelToken) -> None:
        from .asr import Decoding

        loop = self.loop
        try:
            settings = loop.engine.settings
            language = settings.voice.language or None
            # at the silence, the utterance is decoded as its final transcript would be (it is that
            # transcript if no more words come); while the person speaks, the cheapest decode
            decoding = Decoding.for_turns(settings) if for_end else Decoding.for_partials()
            with loop.engine.manager.lease("asr", cancel=token) as asr:
                result = asr.transcribe(audio, language=language, vad=settings.voice.vad if for_end else False,
                                        cancel=token, decoding=decoding)
                segments = tuple(result.segments)
                text = " ".join(s.text.strip() for s in segments).strip()
            if not token.cancelled:
                loop._partial_done(text, result.language, utterance, voiced, for_end, segments)
        except CancelledError:
            pass
        except Exception:
            log.exception("partial transcript failed")


class _Chunk:
    """One chunk of a spoken reply as the speaker plays it: its span of the reply text and how much
    of it has gone out, and when."""

    __slots__ = ("start", "end", "samples", "rate", "played", "heard_at")

    def __init__(self, start: int, end: int, samples: int, rate: int):
        self.start, self.end, self.samples, self.rate = start, end, samples, rate
        self.played, self.heard_at = 0, 0.0

    def heard_by(self, t: float) -> int:
        """Samples of this chunk heard by clock time ``t`` (what was still in the device then was not)."""
        if not self.played:
            return 0
        late = max(0.0, self.heard_at - t) * self.rate
        return int(min(self.samples, max(0.0, self.played - late)))


class _SpokenReply:
    """One spoken turn as the runner runs it (on the runner's thread): announces it, plays its speech
    while its turn is not cancelled, passes its events on, dates its first audio at the speaker, sets
    the listening state when playback drains, and cuts the stored reply to what was heard when it is
    interrupted."""

    def __init__(self, loop: VoiceLoop, n: int, duration_s: float, speech_end: float):
        self.loop, self.n, self.duration_s, self.speech_end = loop, n, duration_s, speech_end
        self.speaking = False
        self.token: CancelToken | None = None
        self.chunks: list[_Chunk] = []
        self.message_id: int | None = None
        self.text: str | None = None  # the reply as the engine stored it, once the turn has ended
        self.timings: dict[str, float] = {}
        self.cut_at: float | None = None
        self.first_heard: float | None = None
        self._reported = False
        self._lock = threading.Lock()

    def on_start(self, _rid: int, token: CancelToken) -> None:
        self.token = token
        self.loop._running_reply = self
        self.loop.on_event(VoiceTurnStarted(self.n, self.speech_end, self.duration_s))
        self.loop._state("thinking")

    def on_event(self, ev: Event) -> None:
        loop = self.loop
        if isinstance(ev, Started):
            self.message_id = ev.assistant_message_id
        elif isinstance(ev, SpeechChunk):
            if self.token is not None and not self.token.cancelled and self.cut_at is None:
                audio = np.asarray(ev.audio, dtype=np.float32).reshape(-1)
                chunk = _Chunk(ev.start, ev.end, len(audio), ev.sample_rate)
                with self._lock:
                    self.chunks.append(chunk)
                loop._speaking = self
                loop.sink.play(audio, ev.sample_rate, cancel=self.token, on_played=functools.partial(self._played, chunk))
                if not self.speaking:
                    self.speaking = True
                    loop._state("speaking")
        loop.on_event(ev)
        if isinstance(ev, (Done, Cancelled, Failed)):
            loop.turns += 1
            if loop._running_reply is self:
                loop._running_reply = None
            with self._lock:
                self.text = ev.text if isinstance(ev, Done) else (ev.partial_text if isinstance(ev, Cancelled) else "")
                if isinstance(ev, (Done, Cancelled)) and ev.message_id is not None:
                    self.message_id = ev.message_id
                if isinstance(ev, Done):
                    self.timings = dict(ev.timings)
                cut = self.cut_at is not None
            if cut:
                self._cut()
            if self.first_heard is not None:
                self._latency()
            if loop._turn == self.n and (not self.speaking or self._drained()):
                loop._settle()

    def interrupted(self, at: float) -> None:
        """Playback stopped at clock time ``at`` (barge-in): cut the stored reply to what was heard,
        now if the turn has ended, else when it ends (the engine stores its own text first)."""
        with self._lock:
            if self.cut_at is not None:
                return
            self.cut_at = at
            ended = self.text is not None
        if ended:
            self._cut()

    def _played(self, chunk: _Chunk, samples: int, at: float) -> None:  # the speaker's thread
        chunk.played, chunk.heard_at = samples, at
        loop = self.loop
        if self.first_heard is None:
            self.first_heard = at - samples / chunk.rate  # the chunk's first sample
            if self.text is not None:
                self._latency()
        if samples >= chunk.samples and self.text is not None and self._drained() and loop._turn == self.n \
                and self.cut_at is None:
            loop._settle()  # the reply has been heard to the end

    def _drained(self) -> bool:
        with self._lock:
            return all(c.played >= c.samples for c in self.chunks)

    def _latency(self) -> None:
        """Once the first sample was heard and the turn has ended (its timings are known): report the
        latency at the speaker with its breakdown, and store it with the reply."""
        with self._lock:
            if self.first_heard is None or self.text is None or self._reported:
                return
            self._reported = True
        total = (self.first_heard - self.speech_end) * 1000
        breakdown = latency_breakdown(self.timings, total)
        self.loop.on_event(SpokenLatency(self.n, self.message_id, round(total, 1), breakdown, self.first_heard))
        add = getattr(self.loop.engine, "add_timings", None)
        if add is not None and self.message_id is not None:
            add(self.message_id, {"speech_to_speaker_ms": round(total, 1)})

    def heard_chars(self, text: str) -> int:
        """How much of ``text`` was played before ``cut_at``: whole chunks by their spans, the chunk
        that was playing by its share of samples, back to the last word boundary."""
        assert self.cut_at is not None
        heard = 0
        with self._lock:
            chunks = list(self.chunks)
        for c in chunks:
            got = c.heard_by(self.cut_at)
            if got >= c.samples:
                heard = max(heard, c.end)
                continue
            if got > 0 and c.end > c.start:
                cut = c.start + int((c.end - c.start) * got / c.samples)
                space = text.rfind(" ", c.start, cut + 1)
                heard = max(heard, space if space > c.start else c.start)
            break
        return min(heard, len(text))

    def _cut(self) -> None:
        text = self.text or ""
        if self.message_id is None or not text:
            return
        heard = self.heard_chars(text)
        if heard >= len(text.rstrip()):
            return  # everything was heard: nothing to cut
        said = text[:heard].rstrip()
        cut = getattr(self.loop.engine, "cut_reply", None)
        if cut is not None:
            cut(self.message_id, said)
        self.loop.on_event(ReplyHeard(self.message_id, said, text))


class FileSource:
    """An AudioSource that plays a file (or array) at real-time pace: the fake microphone of tests
    and benchmarks. Like a real microphone it keeps delivering (silence) after the audio until
    stopped; ``feed_more`` appends audio (the person speaks again); ``finished`` is set whenever all
    audio fed so far has been delivered. ``pace`` < 1 plays faster than real time."""

    def __init__(self, audio: np.ndarray | None = None, *, frame_ms: int = 32, pace: float = 1.0,
                 tail_silence_s: float = 1.5, keep_running: bool = True):
        self.sample_rate = RATE
        audio = np.zeros(0, dtype=np.float32) if audio is None else np.asarray(audio, dtype=np.float32).reshape(-1)
        self.audio = np.concatenate([audio, np.zeros(int(tail_silence_s * RATE), dtype=np.float32)])
        self.frame = int(RATE * frame_ms / 1000)
        self.pace = pace
        self.keep_running = keep_running
        self.delivered = 0  # samples of ``audio`` delivered
        self.position = 0  # samples delivered in all, the silence while it had nothing to play included
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self.finished = threading.Event()

    @classmethod
    def from_file(cls, path: str | Path, **kw: Any) -> FileSource:
        from .audio import load_audio

        return cls(load_audio(str(path)), **kw)

    def start(self, on_frames: Callable[[np.ndarray], None]) -> None:
        self._stop.clear()
        silence = np.zeros(self.frame, dtype=np.float32)

        def run() -> None:
            t0 = time.perf_counter()
            n = 0
            while not self._stop.is_set():
                with self._lock:
                    i = self.delivered
                    chunk = self.audio[i:i + self.frame]
                    self.delivered += len(chunk)
                    if self.delivered >= len(self.audio):
                        self.finished.set()
                    if len(chunk) == 0:
                        if not self.keep_running:
                            break
                        chunk = silence
                    self.position += len(chunk)
                on_frames(chunk)
                n += 1
                delay = t0 + n * self.frame / RATE * self.pace - time.perf_counter()
                if delay > 0:
                    time.sleep(delay)

        self._thread = threading.Thread(target=run, name="file-mic", daemon=True)
        self._thread.start()

    def feed_more(self, audio: np.ndarray, tail_silence_s: float = 0.0) -> int:
        """Append ``audio``; returns the ``position`` at which its first sample will be delivered."""
        audio = np.asarray(audio, dtype=np.float32).reshape(-1)
        with self._lock:
            onset = self.position + (len(self.audio) - self.delivered)
            self.audio = np.concatenate([self.audio, audio, np.zeros(int(tail_silence_s * RATE), dtype=np.float32)])
            self.finished.clear()
        return onset

    def stop(self) -> None:
        self._stop.set()


# ---- languages ------------------------------------------------------------------------------
LANGUAGE_NAMES = {
    "en": "English", "de": "German", "fr": "French", "es": "Spanish", "it": "Italian", "pt": "Portuguese",
    "nl": "Dutch", "pl": "Polish", "ru": "Russian", "uk": "Ukrainian", "zh": "Chinese", "ja": "Japanese",
    "ko": "Korean", "ar": "Arabic", "tr": "Turkish", "sv": "Swedish", "da": "Danish", "no": "Norwegian",
    "fi": "Finnish", "cs": "Czech", "el": "Greek", "hi": "Hindi", "hu": "Hungarian", "ro": "Romanian",
    "vi": "Vietnamese", "id": "Indonesian", "he": "Hebrew", "ca": "Catalan", "fa": "Persian",
}


def language_name(code: str) -> str:
    code = (code or "").split("-")[0].split("_")[0].lower()
    return LANGUAGE_NAMES.get(code, code)


_KANA = re.compile(r"[\u3040-\u30ff\u31f0-\u31ff\uff66-\uff9f]")
_HANGUL = re.compile(r"[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff]")
#: The share of a message's letters in a script that makes the script its language: the router's
#: rule for Chinese (``intent_data.language_of``), so "what does 你好 mean?" stays English.
SCRIPT_SHARE = 0.2


def text_language(text: str) -> str:
    """The language a typed message's script shows: "ja" when it has kana (with or without Chinese
    characters), "ko" for Hangul, "zh" for Chinese characters, each when at least ``SCRIPT_SHARE`` of
    its letters are in that script; "" otherwise (Latin and other scripts: no language is assumed,
    the turn is handled as before). Spoken turns take Whisper's language instead."""
    letters = [c for c in text or "" if c.isalpha()]
    if not letters:
        return ""
    kana = sum(1 for c in letters if _KANA.match(c))
    hangul = sum(1 for c in letters if _HANGUL.match(c))
    han = sum(1 for c in letters if _HAN.match(c))
    least = SCRIPT_SHARE * len(letters)
    if kana and kana + han >= least:
        return "ja"
    if hangul >= least:
        return "ko"
    return "zh" if han >= least else ""


def reply_language_instruction(language: str) -> str:
    """The system prompt addition that asks for a reply in the detected language ('' for English)."""
    code = (language or "").split("-")[0].split("_")[0].lower()
    if not code or code == "en":
        return ""
    name = language_name(code)
    return f" The user is speaking {name}: always reply in {name}."


def entry_language(entry: Any) -> str:
    """The language of a catalog voice: its ``language``, else from its name or file
    (piper-de-de-thorsten, en_US-joe-medium); a bare string is read as a name or path."""
    if isinstance(entry, str):
        return _named_language(Path(entry).name)
    lang = getattr(entry, "language", "")
    if lang:
        return str(lang).split("-")[0].split("_")[0].lower()
    return _named_language(Path(getattr(entry, "subpath", "") or "").name, getattr(entry, "name", ""))


def _named_language(*texts: str) -> str:
    for text in texts:
        m = re.match(r"([a-z]{2,3})_[A-Z]{2}\b", text)
        if m:
            return m.group(1)
        for token in re.split(r"[-_.]", text.lower()):
            if token in LANGUAGE_NAMES:
                return token
    return ""


def voice_for_language(catalog: Any, language: str) -> str | None:
    """The catalog name of an installed voice for ``language`` when the chosen voice speaks another
    language; None means keep the chosen (default) voice."""
    code = (language or "").split("-")[0].split("_")[0].lower()
    if not code or catalog is None:
        return None
    try:
        chosen = catalog.chosen("tts")
        entries = catalog.entries("tts")
    except Exception:
        return None
    current = next((e for e in entries if e.name == chosen), None)
    if current is not None and entry_language(current) == code:
        return None
    for e in entries:
        if e.name != chosen and entry_language(e) == code:
            try:
                if catalog.status("tts", e.name).status == "ready":
                    return e.name
            except Exception:
                continue
    return None


def chosen_voice_language(catalog: Any) -> str:
    """The language of the voice the settings choose: from its catalog entry, or from the file name
    of a voice file the user picked; "" when it cannot be told."""
    try:
        chosen = catalog.chosen("tts")
        entries = catalog.entries("tts")
    except Exception:
        return ""
    current = next((e for e in entries if e.name == chosen), None)
    return entry_language(current if current is not None else chosen or "")


def missing_voice_text(catalog: Any, language: str) -> Text:
    """What to say when no installed voice speaks ``language``: the default voice reads the reply,
    and which voice to get (the catalog's voice for the language, when it lists one)."""
    code = (language or "").split("-")[0].split("_")[0].lower()
    try:
        offer = next((e.name for e in catalog.entries("tts") if entry_language(e) == code), "")
    except Exception:
        offer = ""
    if offer:
        return Text.of("voice.missing_language", "no {language} voice is installed, so the default voice reads the "
                       "reply; download {voice} in the Models window or run `sensorium models fetch tts {voice}`",
                       language=language_name(code), voice=offer)
    return Text.of("voice.missing_language_none_listed", "no {language} voice is installed, so the default voice reads the "
                   "reply; add one in the Models window", language=language_name(code))


#: What a spoken turn needs: recognition, the router's embeddings, the language model and the voice.
VOICE_TURN_ROLES = ("asr", "embed", "chat", "tts")


def voice_turn(ctx: Any, input_path: Path, output_path: Path) -> dict[str, Any]:
    """One spoken turn from a file: the CLI's `voice-turn`. Latency is measured from the moment the
    recording is handed over, which stands for the end of the input speech."""
    from .audio import load_audio, write_wav
    from .errors import BadInput, SensoriumError

    if not input_path.exists():
        raise BadInput("audio file {path} does not exist: check the path", code="cli.audio_missing", path=input_path)
    audio = load_audio(str(input_path))
    engine = ctx.engine(history=True)
    # the models a spoken turn uses are loaded first and timed apart, so that the latency below is
    # the turn's own (as in the window, where they are resident after the first turn)
    load_ms: dict[str, float] = {}
    for role in VOICE_TURN_ROLES:
        t0 = time.perf_counter()
        try:
            ctx.manager.preload(role)
        except SensoriumError as e:
            if role != "embed":  # without embeddings the router still routes, by its patterns
                raise
            log.warning("voice turn without the embedding model: %s", e)
            continue
        load_ms[role] = round((time.perf_counter() - t0) * 1000, 1)
    chunks: list[np.ndarray] = []
    rate = 0
    transcript, reply = "", ""
    done: Done | None = None
    first_out: float | None = None
    t_end = time.perf_counter()
    for ev in engine.respond(Turn(audio=audio, audio_sample_rate=RATE, speak=True, spoken=True, speech_end=t_end),
                             CancelToken()):
        if isinstance(ev, Transcript):
            transcript = ev.text
        elif isinstance(ev, SpeechChunk):
            if first_out is None:
                first_out = time.perf_counter()  # handed to the output (here the file) at once
            chunks.append(np.asarray(ev.audio, dtype=np.float32))
            rate = ev.sample_rate
        elif isinstance(ev, Done):
            done = ev
            reply = ev.text
        elif isinstance(ev, Failed):
            raise SensoriumError.from_text(ev.as_text())
    if not transcript:
        raise BadInput("no speech was heard in {name}: record again closer to the microphone",
                       code="voice.no_speech_in_file", name=input_path.name)
    if chunks:
        write_wav(output_path, np.concatenate(chunks), rate)
    t = done.timings if done else {}
    out_ms = round((first_out - t_end) * 1000, 1) if first_out is not None else 0.0
    return {"transcript": transcript, "reply": reply, "audio": str(output_path) if chunks else None,
            "latency_ms": {"transcript": round(t.get("speech_to_transcript_ms", 0.0), 1),
                           "first_token": round(t.get("speech_to_first_token_ms", 0.0), 1),
                           "first_audio": round(t.get("speech_to_first_audio_ms", 0.0), 1),
                           "to_output": out_ms},
            # where the time to the first audio went (no endpointing: the file ends where speech ends)
            "breakdown_ms": latency_breakdown(t, out_ms) if first_out is not None else {},
            "model_load_ms": load_ms}
