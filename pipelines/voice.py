"""The voice loop, without Qt: microphone frames in, endpointed utterances to the engine, the
spoken reply out to a speaker, barge-in, partial transcripts and latency.

Hardware is injected: an ``AudioSource`` calls back with float32 frames (a real microphone
through sounddevice, or a file played at real-time pace in tests) and an ``AudioSink`` plays
chunks (a real speaker, or a recorder in tests).
"""
from __future__ import annotations

import logging
import queue
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from .cancel import Cancelled as CancelledError
from .cancel import CancelToken
from .events import Cancelled, Done, Event, Failed, Notice, SpeechChunk, Transcript, Turn
from .turns import ChatRef, TurnRunner

__all__ = ["AudioSource", "AudioSink", "VoiceLoop", "BargeIn", "ListeningState", "UtteranceStarted",
           "VoiceTurnStarted", "voice_turn", "FileSource", "RecordingSink", "LANGUAGE_NAMES", "language_name",
           "reply_language_instruction", "voice_for_language", "entry_language"]

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
    """A speaker with a queue: ``play`` returns at once and plays after what is queued; a chunk played
    with ``cancel`` (its turn's CancelToken) stops when that is cancelled."""

    def play(self, audio: np.ndarray, sample_rate: int, cancel: CancelToken | None = None) -> None: ...

    def stop(self) -> None: ...  # stop now and drop what is queued

    @property
    def playing(self) -> bool: ...


@dataclass(frozen=True)
class BargeIn(Event):
    """The user spoke (or pressed the mic) during a reply: playback stopped, generation cancelled."""

    at: float


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


_RELEASE = object()


class VoiceLoop:
    """Microphone frames in; endpointed utterances to ``engine.respond``; the spoken reply to the sink.

    Threads: the source's callback thread only queues frames; one worker runs the VAD and the
    push-to-talk capture; replies are turns of a ``TurnRunner`` (the window's, shared with typed
    turns, or the loop's own): an utterance is submitted with ``interrupt=True`` when barge-in is on
    (the running turn is cancelled and the reply runs next) and waits in the queue otherwise; partial
    transcripts run on a helper thread, latest wins. The conversation is the ``ChatRef`` that
    ``chat()`` returns at the moment the utterance ends (the window's current chat).
    ``on_event`` is called from these threads with the engine's events and the loop's own
    (ListeningState, UtteranceStarted, VoiceTurnStarted, BargeIn, partial ``Transcript(final=False)``,
    Notice). No method waits for model work, so the GUI thread may call any of them.

    Modes: ``hands-free`` keeps the microphone open and lets the VAD decide where utterances start and
    end; ``push-to-talk`` opens it on ``press()`` and sends what was said on ``release()``. In both,
    ``press()`` interrupts a reply (barge-in). With ``barge_in`` off, speech during a reply is ignored
    (the assistant's own voice from the speakers must not interrupt it).
    """

    def __init__(self, engine: Any, source: AudioSource, sink: AudioSink, *, on_event: Callable[[Event], None],
                 mode: str = "hands-free", end_silence_ms: int = 500, barge_in: bool = True,
                 partial_every_s: float = 1.0, conversation_id: int | None = None, pre_roll_ms: int = 300,
                 clock: Callable[[], float] = time.perf_counter, endpointer: Any = None,
                 runner: TurnRunner | None = None, chat: Callable[[], ChatRef] | None = None):
        if mode not in ("hands-free", "push-to-talk"):
            raise ValueError(f"unknown voice mode {mode!r}: use hands-free or push-to-talk")
        self.engine, self.source, self.sink = engine, source, sink
        self.on_event = on_event
        self.mode = mode
        self.barge_in = barge_in
        self.end_silence_ms = end_silence_ms
        self.pre_roll_ms = pre_roll_ms
        self.partial_every_s = partial_every_s
        own_chat = ChatRef(conversation_id)
        self.chat: Callable[[], ChatRef] = chat or (lambda: own_chat)
        self._own_runner = runner is None
        self.runner = runner if runner is not None else TurnRunner(engine, name="sensorium-reply")
        self.clock = clock
        self.endpointer = endpointer  # made on the worker thread on first need (loads the VAD model)
        self.muted = False
        self.turns = 0  # finished turns
        self._frames: queue.Queue = queue.Queue()
        self._worker: threading.Thread | None = None
        self._reply_rid: int | None = None  # the latest spoken turn of the runner
        self._partial_cancel: CancelToken | None = None
        self._partial_thread: threading.Thread | None = None
        self._partial_busy = threading.Lock()
        self._lock = threading.RLock()
        self._ptt: list[np.ndarray] | None = None
        self._ptt_end = 0.0
        self._source_on = False
        self._reset_vad = False
        self._deaf = False
        self._last_partial = 0.0
        self._utterance = 0
        self._turn = 0
        self._level = 0.0
        self._running = False

    @classmethod
    def from_settings(cls, engine: Any, source: AudioSource, sink: AudioSink, settings: Any, *,
                      on_event: Callable[[Event], None], **kw: Any) -> VoiceLoop:
        v = settings.voice
        return cls(engine, source, sink, on_event=on_event, mode=v.mode, end_silence_ms=v.end_silence_ms,
                   barge_in=v.barge_in, **kw)

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

    def start(self) -> None:
        """Start the worker; in hands-free mode open the microphone (raises if it cannot be opened)."""
        if not self._running:
            self._running = True
            self._worker = threading.Thread(target=self._run, name="sensorium-voice", daemon=True)
            self._worker.start()
        if self.mode == "hands-free":
            self._open_source()
            self._state(self._idle_state())
        else:
            self._state("idle")

    def stop(self, timeout: float = 0.0) -> None:
        """Close the microphone, cancel the reply and any partial transcript, stop playback; join the
        worker, the partial transcript and (when the loop owns it) the turn runner up to ``timeout`` s."""
        self._close_source()
        self._ptt = None
        self.cancel_reply()
        if self._partial_cancel is not None:
            self._partial_cancel.cancel()
        if self._running:
            self._running = False
            self._frames.put(None)
            if self._worker is not None and timeout > 0:
                self._worker.join(timeout)
        if timeout > 0:
            partial = self._partial_thread
            if partial is not None:
                partial.join(timeout)
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

    def interrupt(self) -> bool:
        """Stop playback and cancel the reply being generated. True if there was something to stop."""
        rid = self._reply_rid
        generating = rid is not None and self.runner.cancel(rid)
        hit = generating or bool(self.sink.playing)
        self.sink.stop()
        if hit:
            self.on_event(BargeIn(self.clock()))
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

    def _open_source(self) -> None:
        if not self._source_on:
            if hasattr(self.source, "on_error"):
                self.source.on_error = lambda msg: self.on_event(Notice(msg))
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
        from .vad import Endpointer, SpeechEnded, SpeechStarted

        while True:
            item = self._frames.get()
            if item is None:
                if not self._running:
                    break
                continue
            if item is _RELEASE:
                self._finish_ptt()
                continue
            t_arrived, frames = item
            frames = np.asarray(frames, dtype=np.float32).reshape(-1)
            if frames.size:
                self._level = float(min(1.0, np.sqrt(np.mean(frames * frames)) * 6))
            if self._ptt is not None:  # holding the mic button is explicit: it records even when muted
                self._ptt.append(frames)
                continue
            if self.muted:
                continue
            if self.mode != "hands-free" or not self._source_on:
                continue
            if not self.barge_in and self._replying():
                self._deaf = True  # our own voice from the speakers is not a new utterance
                continue
            if self.endpointer is None:
                try:
                    self.endpointer = Endpointer(end_silence_ms=self.end_silence_ms, pre_roll_ms=self.pre_roll_ms)
                except Exception as e:
                    log.exception("voice activity detection could not start")
                    self.on_event(Failed(f"hands-free listening could not start ({e}); use push-to-talk"))
                    self._close_source()
                    continue
            ep = self.endpointer
            if self._reset_vad or self._deaf:
                self._reset_vad = self._deaf = False
                ep.reset()
            for ev in ep.feed(frames):
                if isinstance(ev, SpeechStarted):
                    if self.barge_in:
                        self.interrupt()
                    with self._lock:
                        self._utterance += 1
                        n = self._utterance
                    self._last_partial = self.clock()
                    self.on_event(UtteranceStarted(n, t_arrived))
                    self._state("speech")
                elif isinstance(ev, SpeechEnded):
                    # the last sample of these frames arrived at t_arrived; speech ended that much earlier
                    speech_end = t_arrived - max(0.0, ep.stream_time - ev.end_s)
                    self._answer(ev.audio, speech_end)
            if ep.in_speech and ep.voiced and self.partial_every_s > 0 and \
                    self.clock() - self._last_partial >= self.partial_every_s:
                self._last_partial = self.clock()
                self._partial(ep.current_audio(), self._utterance)

    def _finish_ptt(self) -> None:
        frames, self._ptt = self._ptt, None
        audio = np.concatenate(frames) if frames else np.zeros(0, dtype=np.float32)
        if audio.size < MIN_PTT_S * RATE:
            self.on_event(Notice("the recording was too short: hold the mic button (or Ctrl+Space) while you speak"))
            self._state(self._idle_state())
            return
        self._answer(audio, self._ptt_end)

    def _partial(self, audio: np.ndarray, utterance: int) -> None:
        if not self._partial_busy.acquire(blocking=False):
            return  # latest request wins: skip while one is running
        token = CancelToken()
        self._partial_cancel = token

        def work() -> None:
            from .asr import Decoding

            try:
                language = self.engine.settings.voice.language or None
                with self.engine.manager.lease("asr") as asr:
                    result = asr.transcribe(audio, language=language, vad=False, cancel=token,
                                            decoding=Decoding.for_turns(self.engine.settings))
                    text = " ".join(s.text.strip() for s in result.segments).strip()
                with self._lock:
                    if text and not token.cancelled and utterance == self._utterance and \
                            self.endpointer is not None and self.endpointer.in_speech:
                        self.on_event(Transcript(text, result.language, (), final=False))
            except CancelledError:
                pass
            except Exception:
                log.exception("partial transcript failed")
            finally:
                self._partial_busy.release()

        thread = threading.Thread(target=work, name="sensorium-partial", daemon=True)
        self._partial_thread = thread
        thread.start()

    def _answer(self, audio: np.ndarray, speech_end: float) -> None:
        if self._partial_cancel is not None:
            self._partial_cancel.cancel()
        with self._lock:
            self._utterance += 1  # partials of the utterance that just ended are stale now
            self._turn += 1
            n = self._turn
        if self.barge_in and self.busy:
            self.sink.stop()  # the old reply stops talking now; the runner cancels its generation
        turn = Turn(audio=audio, audio_sample_rate=RATE, speak=True, speech_end=speech_end)
        reply = _SpokenReply(self, n, len(audio) / RATE, speech_end)
        # with barge-in the spoken turn interrupts whatever runs; without, it waits its turn
        self._reply_rid = self.runner.submit(turn, chat=self.chat(), interrupt=self.barge_in, listener=reply.on_event,
                                             on_start=reply.on_start, source="voice")

    def _idle_state(self) -> str:
        return "muted" if self.muted else ("listening" if self.mode == "hands-free" else "idle")


class _SpokenReply:
    """One spoken turn as the runner runs it (on the runner's thread): announces it, plays its speech
    while its turn is not cancelled, passes its events on, and sets the listening state after it."""

    def __init__(self, loop: VoiceLoop, n: int, duration_s: float, speech_end: float):
        self.loop, self.n, self.duration_s, self.speech_end = loop, n, duration_s, speech_end
        self.speaking = False
        self.token: CancelToken | None = None

    def on_start(self, _rid: int, token: CancelToken) -> None:
        self.token = token
        self.loop.on_event(VoiceTurnStarted(self.n, self.speech_end, self.duration_s))
        self.loop._state("thinking")

    def on_event(self, ev: Event) -> None:
        loop = self.loop
        if isinstance(ev, SpeechChunk):
            if self.token is not None and not self.token.cancelled:
                loop.sink.play(ev.audio, ev.sample_rate, cancel=self.token)
                if not self.speaking:
                    self.speaking = True
                    loop._state("speaking")
        loop.on_event(ev)
        if isinstance(ev, (Done, Cancelled, Failed)):
            loop.turns += 1
            if not self.speaking and loop._turn == self.n:
                loop._state(loop._idle_state())


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
        self.delivered = 0  # samples
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
                on_frames(chunk)
                n += 1
                delay = t0 + n * self.frame / RATE * self.pace - time.perf_counter()
                if delay > 0:
                    time.sleep(delay)

        self._thread = threading.Thread(target=run, name="file-mic", daemon=True)
        self._thread.start()

    def feed_more(self, audio: np.ndarray, tail_silence_s: float = 0.0) -> None:
        audio = np.asarray(audio, dtype=np.float32).reshape(-1)
        with self._lock:
            self.audio = np.concatenate([self.audio, audio, np.zeros(int(tail_silence_s * RATE), dtype=np.float32)])
            self.finished.clear()

    def stop(self) -> None:
        self._stop.set()


class RecordingSink:
    """An AudioSink that 'plays' in real time into a list: the fake speaker of tests.
    ``stopped`` counts the times ``stop`` cut off audio still playing."""

    def __init__(self, pace: float = 1.0, device: str = ""):
        self.device = device  # the output device it stands for (Settings > Voice > output device)
        self.chunks: list[tuple[np.ndarray, int]] = []
        self.played_samples = 0
        self.stopped = 0
        self.pace = pace
        self.first_play_at: float | None = None
        self._until = 0.0
        self._cancel: CancelToken | None = None  # the token of the last chunk queued
        self._lock = threading.Lock()

    def play(self, audio: np.ndarray, sample_rate: int, cancel: CancelToken | None = None) -> None:
        with self._lock:
            self._cancel = cancel
            now = time.perf_counter()
            if self.first_play_at is None:
                self.first_play_at = now
            self.chunks.append((audio, sample_rate))
            self.played_samples += len(audio)
            start = max(now, self._until)
            self._until = start + len(audio) / sample_rate * self.pace

    def stop(self) -> None:
        with self._lock:
            if time.perf_counter() < self._until:
                self.stopped += 1
            self._until = 0.0

    @property
    def playing(self) -> bool:
        if self._cancel is not None and self._cancel.cancelled:  # its turn was cancelled: it stopped
            return False
        return time.perf_counter() < self._until

    def set_device(self, name: str) -> None:
        """Like a real speaker switched to another output: what plays stops, the next chunk goes there."""
        self.stop()
        self.device = name


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


def reply_language_instruction(language: str) -> str:
    """The system prompt addition that asks for a reply in the detected language ('' for English)."""
    code = (language or "").split("-")[0].split("_")[0].lower()
    if not code or code == "en":
        return ""
    name = language_name(code)
    return f" The user is speaking {name}: always reply in {name}."


def entry_language(entry: Any) -> str:
    """The language of a catalog voice, from its name or file (piper-de-de-thorsten, en_US-joe-medium)."""
    lang = getattr(entry, "language", "")
    if lang:
        return str(lang).lower()
    for text in (Path(getattr(entry, "subpath", "") or "").name, getattr(entry, "name", "")):
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


#: What a spoken turn needs: recognition, the router's embeddings, the language model and the voice.
VOICE_TURN_ROLES = ("asr", "embed", "chat", "tts")


def voice_turn(ctx: Any, input_path: Path, output_path: Path) -> dict[str, Any]:
    """One spoken turn from a file: the CLI's `voice-turn`. Latency is measured from the moment the
    recording is handed over, which stands for the end of the input speech."""
    from .audio import load_audio, write_wav
    from .errors import BadInput, SensoriumError

    if not input_path.exists():
        raise BadInput(f"audio file {input_path} does not exist: check the path")
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
    t_end = time.perf_counter()
    for ev in engine.respond(Turn(audio=audio, audio_sample_rate=RATE, speak=True, speech_end=t_end),
                             CancelToken()):
        if isinstance(ev, Transcript):
            transcript = ev.text
        elif isinstance(ev, SpeechChunk):
            chunks.append(np.asarray(ev.audio, dtype=np.float32))
            rate = ev.sample_rate
        elif isinstance(ev, Done):
            done = ev
            reply = ev.text
        elif isinstance(ev, Failed):
            raise SensoriumError(ev.message)
    if not transcript:
        raise BadInput(f"no speech was heard in {input_path.name}: record again closer to the microphone")
    if chunks:
        write_wav(output_path, np.concatenate(chunks), rate)
    t = done.timings if done else {}
    return {"transcript": transcript, "reply": reply, "audio": str(output_path) if chunks else None,
            "latency_ms": {"transcript": round(t.get("speech_to_transcript_ms", 0.0), 1),
                           "first_token": round(t.get("speech_to_first_token_ms", 0.0), 1),
                           "first_audio": round(t.get("speech_to_first_audio_ms", 0.0), 1)},
            "model_load_ms": load_ms}
