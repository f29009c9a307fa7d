"""Acoustic echo cancellation: WebRTC's audio processing module (through ``livekit``'s wheel).

On laptop speakers the reply leaks back into the microphone. ``EchoCanceller`` takes what the
speaker plays (the far end, ``far``) and the microphone (the near end, ``near``) and returns the
microphone with the echo removed, 10 ms at a time, so the VAD hears the user and not the reply.

The native module accepts exactly 10 ms frames (160 samples at 16 kHz) of int16; any other size
crashes the process inside native code, so every call is guarded here and the caller may pass
blocks of any length. ``livekit`` is imported only when a canceller is made.
"""
from __future__ import annotations

import threading
import time
from collections import deque
from dataclasses import dataclass
from typing import Any

import numpy as np

from .errors import ModelUnavailable, Text

__all__ = ["EchoCanceller", "EchoStats", "EchoUnavailable"]


class EchoUnavailable(ModelUnavailable):
    """WebRTC's echo canceller (the ``livekit`` package) cannot be imported or started. The message
    says why and how to install it, or that echo cancellation can be switched off in Settings > Voice."""

    def __init__(self, message: str | Text, /, *, code: str = "", **params: Any):
        super().__init__(message, role="echo", model="livekit", code=code, **params)


@dataclass(frozen=True)
class EchoStats:
    near_frames: int  # 10 ms microphone frames processed
    far_frames: int  # 10 ms far-end frames received (at 16 kHz)
    far_dropped: int  # far-end frames dropped because more than 1 s was pending
    cpu_s: float  # CPU seconds spent in the native module (on the calling threads)


class _Resampler:
    """Streaming resampler to 16 kHz for one source rate: blocks of any length, no clicks at their
    edges. soxr's 'quick' (cubic) stream holds back at most a sample (its better qualities hold back
    12-40 ms, which would make the reference late for the echo it should cancel); without soxr,
    linear interpolation that carries its position and last sample from block to block."""

    def __init__(self, rate: int, to_rate: int):
        self.rate = rate
        self._step = rate / to_rate  # input samples per output sample
        self._t = 1.0  # the next output's position, counted from the previous block's last sample
        self._last = 0.0
        self._stream: Any = None
        if rate != to_rate:
            try:
                import soxr

                self._stream = soxr.ResampleStream(rate, to_rate, 1, dtype="float32", quality="QQ")
            except ImportError:  # pragma: no cover - soxr comes with librosa (coqui-tts)
                pass

    def __call__(self, audio: np.ndarray) -> np.ndarray:
        if self._stream is not None:
            return np.asarray(self._stream.resample_chunk(audio), dtype=np.float32)
        if self._step == 1.0 or not len(audio):
            return audio
        times = np.arange(self._t, len(audio) + 1e-9, self._step)  # positions 0..len: [last, *audio]
        out = np.interp(times, np.arange(len(audio) + 1), np.concatenate([[self._last], audio]))
        self._t = (times[-1] + self._step if len(times) else self._t) - len(audio)
        self._last = float(audio[-1])
        return out.astype(np.float32)


class EchoCanceller:
    """WebRTC's echo canceller on 16 kHz mono, fed in blocks of any size from two threads.

    ``far(audio, rate)`` is what the speaker plays now (the speaker's thread): resampled to 16 kHz
    and queued in 10 ms frames. ``near(audio)`` is the microphone (16 kHz): it returns the cleaned
    samples of every complete 10 ms frame so far and keeps the rest for the next call. Output sample
    ``i`` is returned once microphone sample ``i`` has come in; its content is the microphone's
    sample ``i - LATENCY`` (the module's own fixed delay, 8 ms), whatever the block sizes.

    Pairing: for each 10 ms near frame, exactly one far frame goes first through
    ``process_reverse_stream`` (the oldest pending one, or silence when none is pending: a partial
    frame left at the end of a reply goes out padded with silence), then the near frame through
    ``process_stream``. When the far end has run dry (the speaker was silent), the next far audio
    starts ``LEAD`` samples after the microphone sample the canceller has reached, to the sample,
    so every reply reaches the module with the same alignment and the echo path it learnt on the
    last reply still holds (the one frame of lead absorbs the jitter between the two threads).
    The module's own delay estimator finds how far the echo lags the reference; ``delay_ms``, when
    given, is passed to it as a hint (``set_stream_delay_ms``). Far audio pending is capped at 1 s:
    the oldest is dropped and counted in ``stats.far_dropped``. Frames are int16 (clipped).
    ``stats`` keeps counting across ``reset``.

    Settings: echo cancellation on; noise suppression and automatic gain control off (the VAD and
    Whisper want the voice as it is); the high-pass filter off, because with echo cancellation on
    the module high-pass filters the capture itself (measured: the output is bit-identical with the
    filter on or off, ERLE and double talk alike), so asking for it again buys nothing.
    """

    RATE = 16000
    FRAME = 160  # 10 ms: the only frame size the native module accepts
    LATENCY = 128  # the module delays the microphone by 8 ms (two of its 64-sample blocks): measured
    LEAD = FRAME  # far audio after a silence starts this many samples after the near end's clock
    MAX_PENDING_S = 1.0

    def __init__(self, *, delay_ms: int | None = None) -> None:
        try:
            from livekit import rtc
        except ImportError as e:
            raise EchoUnavailable("echo cancellation is unavailable: the livekit package cannot be imported ({error}); "
                                  "install it with pip install 'livekit>=1.2,<1.3', or switch echo cancellation off "
                                  "in Settings > Voice (with a headset it is not needed)",
                                  code="echo.not_installed", error=e) from e
        self._rtc = rtc
        self.delay_ms = delay_ms
        self._lock = threading.Lock()  # the far-end queue and the clocks (far() runs on the speaker's thread)
        self._apm_lock = threading.Lock()  # the native module and the near end (near() and reset())
        self._far_frames: deque[np.ndarray] = deque()
        self._max_pending = int(self.MAX_PENDING_S * self.RATE / self.FRAME)
        self._n_near = self._n_far = self._n_dropped = 0
        self._cpu = 0.0
        # one 10 ms frame each way, reused: the module reads the far frame and cleans the near one in place
        self._frames = [rtc.AudioFrame(bytearray(2 * self.FRAME), self.RATE, 1, self.FRAME) for _ in range(2)]
        self._views = [np.frombuffer(f._data, dtype=np.int16) for f in self._frames]
        self._apm = self._new_apm()
        self._clear()

    def _new_apm(self) -> Any:
        try:
            apm = self._rtc.AudioProcessingModule(echo_cancellation=True, noise_suppression=False,
                                                  high_pass_filter=False, auto_gain_control=False)
        except Exception as e:  # the native library failed to load or start
            raise EchoUnavailable("echo cancellation is unavailable: WebRTC's audio processing module did not start "
                                  "({kind}: {error}); install it with pip install 'livekit>=1.2,<1.3', or switch "
                                  "echo cancellation off in Settings > Voice (with a headset it is not needed)",
                                  code="echo.did_not_start", kind=type(e).__name__, error=e) from e
        return apm

    def _clear(self) -> None:
        with self._lock:
            self._far_frames.clear()
            self._far_rest = np.zeros(0, dtype=np.float32)
            self._resampler: _Resampler | None = None
            self._near_seen = 0  # near samples received (the near end's clock)
            self._far_end = 0  # where the far audio queued so far ends, on the near end's clock
            self._dry = True  # the far end ran out: the next far audio is placed on the clock afresh
        self._near_rest = np.zeros(0, dtype=np.float32)
        self._near_done = 0  # near frames processed since the reset

    def reset(self) -> None:
        """Forget the echo path, the pending far end and the partial frames (a fresh module)."""
        with self._apm_lock:
            self._apm = self._new_apm()
            self._clear()

    @property
    def stats(self) -> EchoStats:
        with self._lock:
            return EchoStats(self._n_near, self._n_far, self._n_dropped, self._cpu)

    # ---- the far end (the speaker's thread) ---------------------------------------------------
    def far(self, audio: np.ndarray, sample_rate: int) -> None:
        """What the speaker is playing now: float32 mono of any length at any rate."""
        a = np.asarray(audio, dtype=np.float32).reshape(-1)
        rate = int(sample_rate)
        with self._lock:
            if self._resampler is None or self._resampler.rate != rate:
                self._resampler = _Resampler(rate, self.RATE)
            new = self._resampler(a)
            if not len(new):
                return
            gap = 0
            if self._dry:  # after a silence: start LEAD samples after the near end's clock
                gap = max(0, self._near_seen + self.LEAD - self._far_end)
                self._dry = False
            a = np.concatenate([self._far_rest, np.zeros(gap, dtype=np.float32), new])
            self._far_end += gap + len(new)
            n = len(a) // self.FRAME
            for i in range(n):
                self._far_frames.append(_to_int16(a[i * self.FRAME:(i + 1) * self.FRAME]))
            self._n_far += n
            over = max(0, len(self._far_frames) - self._max_pending)
            for _ in range(over):
                self._far_frames.popleft()
            self._n_dropped += over
            self._far_end -= over * self.FRAME
            self._far_rest = a[n * self.FRAME:].copy()

    def _next_far(self) -> np.ndarray:
        """The far frame to pair with the next near frame (under ``_lock``)."""
        self._near_done += 1
        if self._far_frames:
            return self._far_frames.popleft()
        self._dry = True
        self._far_end = max(self._far_end, self._near_done * self.FRAME)
        if len(self._far_rest):  # the end of the far audio: the rest of the frame is silence
            rest, self._far_rest = self._far_rest, np.zeros(0, dtype=np.float32)
            return _to_int16(np.pad(rest, (0, self.FRAME - len(rest))))
        return _SILENCE

    # ---- the near end (the microphone's worker) -----------------------------------------------
    def near(self, audio: np.ndarray) -> np.ndarray:
        """Microphone samples (16 kHz float32, any length) -> the cleaned samples of every complete
        10 ms frame so far (the remainder waits for the next call)."""
        a = np.asarray(audio, dtype=np.float32).reshape(-1)
        with self._apm_lock:
            with self._lock:
                self._near_seen += len(a)
            a = np.concatenate([self._near_rest, a])
            n = len(a) // self.FRAME
            self._near_rest = a[n * self.FRAME:].copy()
            out = np.empty(n * self.FRAME, dtype=np.float32)
            cpu = 0.0
            for i in range(n):
                with self._lock:
                    far = self._next_far()
                frame = a[i * self.FRAME:(i + 1) * self.FRAME]
                c0 = time.thread_time()
                cleaned = self._process(far, _to_int16(frame))
                cpu += time.thread_time() - c0
                out[i * self.FRAME:(i + 1) * self.FRAME] = cleaned.astype(np.float32) / 32768.0
            with self._lock:
                self._n_near += n
                self._cpu += cpu
        return out

    def _process(self, far: np.ndarray, near: np.ndarray) -> np.ndarray:
        """One 10 ms pair through the native module (under ``_apm_lock``); the sizes are checked
        first (a wrong size crashes the process in native code)."""
        far_frame, near_frame = self._frames
        if far.shape != (self.FRAME,) or near.shape != (self.FRAME,) or any(
                f.samples_per_channel != self.FRAME or len(f._data) != 2 * self.FRAME for f in self._frames):
            raise ValueError(f"echo canceller frames must be {self.FRAME} samples, got {far.shape} and {near.shape}")
        far_view, near_view = self._views
        far_view[:] = far
        near_view[:] = near
        self._apm.process_reverse_stream(far_frame)
        if self.delay_ms is not None:
            self._apm.set_stream_delay_ms(int(self.delay_ms))
        self._apm.process_stream(near_frame)  # in place
        return near_view.copy()


_SILENCE = np.zeros(EchoCanceller.FRAME, dtype=np.int16)


def _to_int16(x: np.ndarray) -> np.ndarray:
    return np.clip(np.round(x * 32768.0), -32768, 32767).astype(np.int16)
