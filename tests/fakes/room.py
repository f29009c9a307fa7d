"""A simulated room: a speaker and a microphone on one sample clock (fake hardware).

What the speaker plays goes through the room's impulse response (a delayed direct path, early
reflections and a decaying tail) into the microphone, with the user's speech (``say``) and a little
Gaussian noise added. Each room step plays ``frame`` samples' worth of the speaker queue (silence
when it is empty), tells the speaker's listeners what went out (``sink.monitor``, ``on_played``) and
delivers one microphone frame. ``step()`` is that step, for tests that drive the room without
threads; ``source.start`` runs it on the microphone's own thread, ``pace`` x real time (0: as fast
as it can). The content of every frame depends only on the seed and on what was queued when:
thread timing decides when frames are delivered, never what is in them.
"""
from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy.fft import irfft, next_fast_len, rfft

from pipelines.audio import resample
from pipelines.cancel import CancelToken

__all__ = ["room_impulse", "SimulatedRoom", "PlayRecord", "RoomSource", "RoomSink", "BargeInRule", "speech_onset"]

RATE = 16000


def room_impulse(rate: int = RATE, *, direct_ms: int = 60, seed: int = 0) -> np.ndarray:
    """A room's impulse response: the direct path after ``direct_ms`` (gain 0.5), four early
    reflections 15-80 ms after it, and a noise tail decaying with a 40 ms time constant."""
    rng = np.random.default_rng(seed)
    d = int(direct_ms * rate / 1000)
    ir = np.zeros(d + int(0.25 * rate))
    ir[d] = 0.5
    for ms, gain in ((15, 0.2), (30, -0.15), (50, 0.1), (80, -0.07)):
        ir[d + int(ms * rate / 1000)] += gain
    t = np.arange(len(ir)) / rate - direct_ms / 1000
    ir += rng.normal(0, 0.02, len(ir)) * np.exp(-np.maximum(t, 0) / 0.04) * (t > 0.01)
    return ir.astype(np.float32)


@dataclass
class PlayRecord:
    """One chunk given to ``sink.play``: ``played`` of its ``samples`` (at its own rate) went out,
    the first at microphone sample ``start`` (-1: never started); ``stopped`` if it was cut."""

    index: int
    sample_rate: int
    samples: int
    played: int = 0
    start: int = -1
    stopped: bool = False


@dataclass
class _Chunk:
    record: PlayRecord
    audio: np.ndarray  # at its own rate
    audio16: np.ndarray  # the same at 16 kHz (what the room hears)
    cancel: CancelToken | None
    on_played: Callable[[int, float], None] | None
    done16: int = 0  # 16 kHz samples played


class RoomSource:
    """The room's microphone (an AudioSource): ``frame``-sample float32 frames from its own thread."""

    sample_rate = RATE

    def __init__(self, room: SimulatedRoom):
        self._room = room
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self, on_frames: Callable[[np.ndarray], None]) -> None:
        self.stop()
        self._stop = stop = threading.Event()

        def run() -> None:
            room = self._room
            while not stop.is_set():
                frame = room.step()
                on_frames(frame)
                time.sleep(len(frame) / RATE * room.pace if room.pace > 0 else 0)

        self._thread = threading.Thread(target=run, name="room-mic", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        t = self._thread
        if t is not None and t is not threading.current_thread():
            t.join(5)
        self._thread = None


class RoomSink:
    """The room's speaker (an AudioSink): ``play`` queues a chunk and returns at once; the room plays
    it step by step. ``monitor(block, rate)`` gets every block as it goes out (the echo reference)."""

    def __init__(self, room: SimulatedRoom):
        self._room = room
        self.monitor: Callable[[np.ndarray, int], None] | None = None

    def play(self, audio: np.ndarray, sample_rate: int, cancel: CancelToken | None = None,
             on_played: Callable[[int, float], None] | None = None) -> None:
        self._room._queue_chunk(audio, sample_rate, cancel, on_played)

    def stop(self) -> None:
        """Stop now and drop what is queued (the cut chunks are marked stopped)."""
        self._room._drop_queue()

    @property
    def playing(self) -> bool:
        return self._room._playing()

    def wait_drained(self, timeout: float = 30.0) -> bool:
        """Wait until nothing is queued or playing (the room's source must be stepping). True if drained."""
        with self._room._cond:
            return self._room._cond.wait_for(lambda: not self._room._playing(), timeout)


class SimulatedRoom:
    """See the module docstring. ``position`` counts the microphone samples delivered so far;
    ``played`` has a ``PlayRecord`` per chunk given to ``sink.play``."""

    def __init__(self, ir: np.ndarray | None = None, *, noise: float = 1e-3, seed: int = 0, frame: int = 512,
                 pace: float = 0.0):
        self.ir = np.asarray(room_impulse(seed=seed) if ir is None else ir, dtype=np.float32)
        self.noise, self.frame, self.pace = float(noise), int(frame), float(pace)
        self.position = 0
        self.played: list[PlayRecord] = []
        self.source = RoomSource(self)
        self.sink = RoomSink(self)
        self._rng = np.random.default_rng(seed)
        self._tail = np.zeros(len(self.ir) - 1, dtype=np.float64)  # overlap-add carry of the echo
        self._nfft = next_fast_len(self.frame + len(self.ir) - 1)
        self._ir_fft = rfft(self.ir.astype(np.float64), self._nfft)
        self._queue: list[_Chunk] = []
        self._speech: list[tuple[int, np.ndarray]] = []  # (onset, samples) of the near end
        self._cond = threading.Condition(threading.RLock())

    # ---- the user ----------------------------------------------------------------------------
    def say(self, audio16k: np.ndarray, at: int | None = None) -> int:
        """Near-end speech heard by the mic from sample ``at`` (default: the next frame); its onset."""
        with self._cond:
            onset = self.position if at is None else int(at)
            self._speech.append((onset, np.asarray(audio16k, dtype=np.float32).reshape(-1)))
            return onset

    def wait_position(self, n: int, timeout: float = 30) -> None:
        """Wait until ``n`` microphone samples have been delivered (the source's thread steps)."""
        with self._cond:
            if not self._cond.wait_for(lambda: self.position >= n, timeout):
                raise TimeoutError(f"the room reached sample {self.position}, not {n}, in {timeout} s")

    def run(self, samples: int, process: Callable[[np.ndarray], np.ndarray] | None = None
            ) -> tuple[np.ndarray, np.ndarray]:
        """Step until ``samples`` more microphone samples (whole frames): the microphone signal, and
        what ``process`` returned for each frame, concatenated (e.g. an echo canceller's ``near``)."""
        mic, out = [], []
        end = self.position + samples
        while self.position < end:
            mic.append(self.step())
            if process is not None:
                out.append(process(mic[-1]))
        cat = lambda parts: np.concatenate(parts) if parts else np.zeros(0, dtype=np.float32)  # noqa: E731
        return cat(mic), cat(out)

    # ---- one step ------------------------------------------------------------------------------
    def step(self) -> np.ndarray:
        """Play one frame's worth of the speaker queue and return the microphone frame it makes."""
        calls: list[Callable[[], None]] = []
        with self._cond:
            n, pos = self.frame, self.position
            speaker = self._speaker_block(n, pos, calls)
            # overlap-add: this block's echo, plus what earlier blocks still ring into it
            m = n + len(self._tail)
            wet = irfft(rfft(speaker, self._nfft) * self._ir_fft, self._nfft)[:m] if speaker.any() else np.zeros(m)
            wet[:len(self._tail)] += self._tail
            mic, self._tail = wet[:n], wet[n:]
            for onset, audio in self._speech:
                lo, hi = max(onset, pos), min(onset + len(audio), pos + n)
                if lo < hi:
                    mic[lo - pos:hi - pos] += audio[lo - onset:hi - onset]
            self._speech = [(o, a) for o, a in self._speech if o + len(a) > pos + n]
            mic = (mic + self._rng.normal(0, self.noise, n)).astype(np.float32)
        for call in calls:  # outside the lock: a listener may queue or stop audio
            call()
        with self._cond:
            self.position = pos + n
            self._cond.notify_all()
        return mic

    def _speaker_block(self, n: int, pos: int, calls: list[Callable[[], None]]) -> np.ndarray:
        """The next ``n`` speaker samples at 16 kHz, taken from the queue; the monitor and on_played
        calls for them are appended to ``calls``."""
        out = np.zeros(n, dtype=np.float64)
        filled = 0
        while filled < n and self._queue:
            c = self._queue[0]
            if c.cancel is not None and c.cancel.cancelled:
                c.record.stopped = True
                self._queue.pop(0)
                continue
            take = min(n - filled, len(c.audio16) - c.done16)
            if c.record.start < 0:
                c.record.start = pos + filled
            out[filled:filled + take] = c.audio16[c.done16:c.done16 + take]
            before = c.record.played
            c.done16 += take
            c.record.played = len(c.audio) if c.done16 >= len(c.audio16) else \
                min(len(c.audio), round(c.done16 * len(c.audio) / len(c.audio16)))
            filled += take
            block, rate, played, on_played = c.audio[before:c.record.played], c.record.sample_rate, \
                c.record.played, c.on_played
            monitor = self.sink.monitor
            if monitor is not None and len(block):
                calls.append(lambda m=monitor, b=block, r=rate: m(b, r))
            if on_played is not None:
                calls.append(lambda f=on_played, p=played: f(p, time.perf_counter()))
            if c.done16 >= len(c.audio16):
                self._queue.pop(0)
        return out

    # ---- the speaker's side ----------------------------------------------------------------------
    def _queue_chunk(self, audio: np.ndarray, sample_rate: int, cancel: CancelToken | None,
                     on_played: Callable[[int, float], None] | None) -> None:
        a = np.asarray(audio, dtype=np.float32).reshape(-1)
        a16 = resample(a, int(sample_rate), RATE) if len(a) else a
        with self._cond:
            rec = PlayRecord(len(self.played), int(sample_rate), len(a))
            self.played.append(rec)
            if len(a16):
                self._queue.append(_Chunk(rec, a, a16, cancel, on_played))

    def _drop_queue(self) -> None:
        with self._cond:
            for c in self._queue:
                c.record.stopped = True
            self._queue.clear()
            self._cond.notify_all()

    def _playing(self) -> bool:
        with self._cond:
            return any(not (c.cancel is not None and c.cancel.cancelled) for c in self._queue)


class BargeInRule:
    """The voice loop's barge-in rule on the echo canceller's output, for tests and the bench: the
    Silero endpointer hears the cleaned microphone, and barge-in fires when it confirms an utterance,
    once ``voiced_frames`` of its 32 ms frames are voiced (8: 256 ms of the user's voice, so a cough
    or a click never interrupts; ``SpeechConfirmed`` with ``min_speech_ms``, as the loop uses it).
    Positions are microphone samples counted from the first sample fed: ``fired`` where it fired (the
    end of the frame that confirmed), ``started`` where utterances began; ``feed`` returns the first
    firing (``fired_at``), None before."""

    def __init__(self, voiced_frames: int = 8, threshold: float | None = None, echo=None):
        from pipelines.vad import FRAME_MS, Endpointer
        from pipelines.voice import BargeInGate

        # ``echo``: the canceller whose output is fed; the VAD's threshold then follows the loop's
        # (pipelines.voice.vad_threshold, as while a reply plays); else ``threshold`` (default 0.5)
        self.echo, self.threshold = echo, threshold
        self.endpointer = Endpointer(min_speech_ms=voiced_frames * FRAME_MS, threshold=threshold or 0.5)
        self.gate = BargeInGate(voiced_frames)
        self.fired: list[int] = []
        self.started: list[int] = []

    @property
    def fired_at(self) -> int | None:
        return self.fired[0] if self.fired else None

    def feed(self, cleaned: np.ndarray) -> int | None:
        from pipelines.vad import SpeechConfirmed, SpeechStarted
        from pipelines.voice import vad_threshold

        if self.echo is not None:
            t = vad_threshold(self.echo, True)
            if t != self.endpointer.threshold:
                self.endpointer.set_threshold(t)
        confirmed = False
        for ev in self.endpointer.feed(cleaned):
            if isinstance(ev, SpeechStarted):
                self.started.append(round(ev.at_s * RATE))
            elif isinstance(ev, SpeechConfirmed):
                self.fired.append(round(ev.at_s * RATE))
                confirmed = True
        if self.gate.feed(self.endpointer.last_voiced):  # voiced frames across discarded pieces
            self.gate.reset()
            if not confirmed:
                self.fired.append(round(self.endpointer.stream_time * RATE))
        return self.fired_at


def speech_onset(audio: np.ndarray, rate: int = RATE) -> int:
    """The sample where a recording's speech begins: its first 10 ms 20 dB above its quietest tenth."""
    n = rate // 100
    frames = np.asarray(audio[:len(audio) // n * n], dtype=np.float64).reshape(-1, n)
    level = 10 * np.log10(np.mean(frames * frames, axis=1) + 1e-12)
    return int(np.argmax(level > np.percentile(level, 10) + 20)) * n
