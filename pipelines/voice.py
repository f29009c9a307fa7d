"""The voice loop, without Qt: microphone frames in, endpointed utterances to the engine, the
spoken reply out to a speaker, barge-in, partial transcripts and latency.

Hardware is injected: an ``AudioSource`` calls back with float32 frames (a real microphone
through sounddevice, or a file played at real-time pace in tests) and an ``AudioSink`` plays
chunks (a real speaker, or a recorder in tests).
"""
from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from .cancel import CancelToken
from .events import Cancelled, Done, Event, Failed, SpeechChunk, Transcript, Turn

__all__ = ["AudioSource", "AudioSink", "VoiceLoop", "BargeIn", "ListeningState", "voice_turn", "FileSource",
           "RecordingSink"]

log = logging.getLogger(__name__)
RATE = 16000


class AudioSource(Protocol):
    sample_rate: int

    def start(self, on_frames: Callable[[np.ndarray], None]) -> None: ...

    def stop(self) -> None: ...


class AudioSink(Protocol):
    def play(self, audio: np.ndarray, sample_rate: int) -> None: ...  # queue a chunk

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


class VoiceLoop:
    def __init__(self, engine: Any, source: AudioSource, sink: AudioSink, *, on_event: Callable[[Event], None],
                 mode: str = "hands-free", end_silence_ms: int = 500, barge_in: bool = True,
                 partial_every_s: float = 1.0, conversation_id: int | None = None,
                 clock: Callable[[], float] = time.perf_counter):
        from .vad import Endpointer

        self.engine, self.source, self.sink = engine, source, sink
        self.on_event = on_event
        self.mode = mode
        self.barge_in = barge_in
        self.partial_every_s = partial_every_s
        self.conversation_id = conversation_id
        self.clock = clock
        self.endpointer = Endpointer(end_silence_ms=end_silence_ms)
        self.muted = False
        self._frames: queue.Queue = queue.Queue()
        self._stop = threading.Event()
        self._worker: threading.Thread | None = None
        self._reply: threading.Thread | None = None
        self._reply_cancel: CancelToken | None = None
        self._ptt: list[np.ndarray] | None = None
        self._last_partial = 0.0
        self._partial_busy = threading.Lock()
        self._lock = threading.Lock()
        self.turns = 0

    # ---- control -----------------------------------------------------------------------
    def start(self) -> None:
        self._stop.clear()
        self._worker = threading.Thread(target=self._run, name="sensorium-voice", daemon=True)
        self._worker.start()
        self.source.start(self._frames.put)
        self._state("listening" if self.mode == "hands-free" else "idle")

    def stop(self) -> None:
        self.source.stop()
        self._stop.set()
        self._frames.put(None)
        self.cancel_reply()
        if self._worker:
            self._worker.join(timeout=5)

    def set_muted(self, muted: bool) -> None:
        self.muted = muted
        if muted:
            self.endpointer.reset()
        self._state("muted" if muted else "listening")

    def press(self) -> None:
        """Push-to-talk pressed (or the mic button clicked): interrupt any reply and record."""
        self._interrupt()
        self._ptt = []
        self._state("speech")

    def release(self) -> None:
        frames, self._ptt = self._ptt, None
        if frames:
            audio = np.concatenate(frames)
            self._answer(audio, self.clock())
        else:
            self._state("idle")

    def cancel_reply(self) -> None:
        with self._lock:
            if self._reply_cancel is not None:
                self._reply_cancel.cancel()
        self.sink.stop()

    @property
    def busy(self) -> bool:
        return self._reply is not None and self._reply.is_alive()

    # ---- internals ---------------------------------------------------------------------
    def _state(self, state: str, level: float = 0.0) -> None:
        self.on_event(ListeningState(state, level))

    def _interrupt(self) -> None:
        if self.busy or self.sink.playing:
            self.cancel_reply()
            self.on_event(BargeIn(self.clock()))

    def _run(self) -> None:
        from .vad import SpeechEnded, SpeechStarted

        while not self._stop.is_set():
            frames = self._frames.get()
            if frames is None:
                break
            if self.muted:
                continue
            if self._ptt is not None:
                self._ptt.append(np.asarray(frames, dtype=np.float32).reshape(-1))
                continue
            if self.mode != "hands-free":
                continue
            for ev in self.endpointer.feed(np.asarray(frames, dtype=np.float32).reshape(-1)):
                if isinstance(ev, SpeechStarted):
                    if self.barge_in:
                        self._interrupt()
                    self._last_partial = self.clock()
                    self._state("speech")
                elif isinstance(ev, SpeechEnded):
                    # frames arrive in real time: the end of speech was the silence we waited for ago
                    silence_s = (self.endpointer._frame_index - 1 - self.endpointer._last_voiced) * 0.032
                    self._answer(ev.audio, self.clock() - max(0.0, silence_s))
            if self.endpointer.in_speech and self.clock() - self._last_partial >= self.partial_every_s:
                self._last_partial = self.clock()
                self._partial(self.endpointer.current_audio())

    def _partial(self, audio: np.ndarray) -> None:
        if not self._partial_busy.acquire(blocking=False):
            return  # latest request wins: skip while one is running

        def work() -> None:
            try:
                asr = self.engine.manager.get("asr")
                result = asr.transcribe(audio, language=self.engine.settings.voice.language or None, vad=False)
                text = " ".join(s.text.strip() for s in result.segments).strip()
                if text and self.endpointer.in_speech:
                    self.on_event(Transcript(text, result.language, (), final=False))
            except Exception:
                log.exception("partial transcript failed")
            finally:
                self._partial_busy.release()

        threading.Thread(target=work, name="sensorium-partial", daemon=True).start()

    def _answer(self, audio: np.ndarray, speech_end: float) -> None:
        if self.busy:
            self.cancel_reply()
            self._reply.join(timeout=10)
        cancel = CancelToken()
        with self._lock:
            self._reply_cancel = cancel
        turn = Turn(audio=audio, audio_sample_rate=RATE, speak=True, conversation_id=self.conversation_id,
                    speech_end=speech_end)
        self._state("thinking")
        self._reply = threading.Thread(target=self._respond, args=(turn, cancel), name="sensorium-reply",
                                       daemon=True)
        self._reply.start()

    def _respond(self, turn: Turn, cancel: CancelToken) -> None:
        speaking = False
        for ev in self.engine.respond(turn, cancel):
            if isinstance(ev, SpeechChunk) and not cancel.cancelled:
                self.sink.play(ev.audio, ev.sample_rate)
                if not speaking:
                    speaking = True
                    self._state("speaking")
            if isinstance(ev, Done) and ev.conversation_id is not None:
                self.conversation_id = ev.conversation_id
            self.on_event(ev)
            if isinstance(ev, (Done, Cancelled, Failed)):
                self.turns += 1
        self._state("listening" if self.mode == "hands-free" else "idle")


class FileSource:
    """An AudioSource that plays a file (or array) at real-time pace: the fake microphone of tests
    and benchmarks. ``pace`` < 1 plays faster than real time."""

    def __init__(self, audio: np.ndarray, *, frame_ms: int = 32, pace: float = 1.0, tail_silence_s: float = 1.5):
        self.sample_rate = RATE
        silence = np.zeros(int(tail_silence_s * RATE), dtype=np.float32)
        self.audio = np.concatenate([np.asarray(audio, dtype=np.float32), silence])
        self.frame = int(RATE * frame_ms / 1000)
        self.pace = pace
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.finished = threading.Event()

    def start(self, on_frames: Callable[[np.ndarray], None]) -> None:
        def run() -> None:
            t0 = time.perf_counter()
            for n, i in enumerate(range(0, len(self.audio), self.frame)):
                if self._stop.is_set():
                    break
                on_frames(self.audio[i:i + self.frame])
                due = t0 + (n + 1) * self.frame / RATE * self.pace
                delay = due - time.perf_counter()
                if delay > 0:
                    time.sleep(delay)
            self.finished.set()

        self._thread = threading.Thread(target=run, name="file-mic", daemon=True)
        self._thread.start()

    def feed_more(self, audio: np.ndarray) -> None:
        self.audio = np.concatenate([self.audio, np.asarray(audio, dtype=np.float32)])

    def stop(self) -> None:
        self._stop.set()


class RecordingSink:
    """An AudioSink that 'plays' in real time into a list: the fake speaker of tests."""

    def __init__(self, pace: float = 1.0):
        self.chunks: list[tuple[np.ndarray, int]] = []
        self.played_samples = 0
        self.stopped = 0
        self.pace = pace
        self._until = 0.0
        self._lock = threading.Lock()

    def play(self, audio: np.ndarray, sample_rate: int) -> None:
        with self._lock:
            self.chunks.append((audio, sample_rate))
            start = max(time.perf_counter(), self._until)
            self._until = start + len(audio) / sample_rate * self.pace

    def stop(self) -> None:
        with self._lock:
            if time.perf_counter() < self._until:
                self.stopped += 1
            self._until = 0.0

    @property
    def playing(self) -> bool:
        return time.perf_counter() < self._until


def voice_turn(ctx: Any, input_path: Path, output_path: Path) -> dict[str, Any]:
    """One spoken turn from a file: the CLI's `voice-turn`. Latency is measured from the moment the
    recording is handed over, which stands for the end of the input speech."""
    from .audio import load_audio, write_wav
    from .errors import BadInput, SensoriumError

    if not input_path.exists():
        raise BadInput(f"audio file {input_path} does not exist: check the path")
    audio = load_audio(str(input_path))
    engine = ctx.engine(history=True)
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
                           "first_audio": round(t.get("speech_to_first_audio_ms", 0.0), 1)}}
