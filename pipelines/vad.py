"""Streaming voice activity detection and end-of-utterance detection.

Uses the Silero VAD ONNX model that ships inside faster-whisper, run frame by frame with its
recurrent state carried over, so a live microphone can be endpointed as it speaks.
"""
from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

__all__ = ["StreamingVAD", "Endpointer", "SpeechStarted", "SpeechConfirmed", "SpeechEnded", "SpeechDiscarded",
           "VadEvent", "FRAME_MS"]

SAMPLE_RATE = 16000
FRAME = 512  # 32 ms at 16 kHz: the frame size the model expects
FRAME_MS = FRAME * 1000 // SAMPLE_RATE
CONTEXT = 64


class StreamingVAD:
    """Speech probability per 32 ms frame, with the model's state carried between calls."""

    def __init__(self) -> None:
        import os

        import onnxruntime
        from faster_whisper.utils import get_assets_path

        opts = onnxruntime.SessionOptions()
        opts.inter_op_num_threads = 1
        opts.intra_op_num_threads = 1
        opts.log_severity_level = 4
        self.session = onnxruntime.InferenceSession(os.path.join(get_assets_path(), "silero_vad_v6.onnx"),
                                                    providers=["CPUExecutionProvider"], sess_options=opts)
        self.reset()

    def reset(self) -> None:
        self._h = np.zeros((1, 1, 128), dtype=np.float32)
        self._c = np.zeros((1, 1, 128), dtype=np.float32)
        self._context = np.zeros(CONTEXT, dtype=np.float32)

    def __call__(self, frame: np.ndarray) -> float:
        x = np.concatenate([self._context, frame.astype(np.float32, copy=False)])[None, :]
        out, self._h, self._c = self.session.run(None, {"input": x, "h": self._h, "c": self._c})
        self._context = frame[-CONTEXT:].astype(np.float32, copy=True)
        return float(np.asarray(out).reshape(-1)[0])


@dataclass(frozen=True)
class SpeechStarted:
    at_s: float  # stream time of the first voiced frame


@dataclass(frozen=True)
class SpeechConfirmed:
    """The utterance has ``min_speech_ms`` of voiced audio: it is the user's words, not a cough or a
    click (the point where barge-in may interrupt a reply)."""

    at_s: float  # stream time of the frame that confirmed it


@dataclass(frozen=True)
class SpeechEnded:
    audio: np.ndarray  # the utterance, pre-roll included
    start_s: float
    end_s: float  # stream time of the last voiced frame (the end of speech)


@dataclass(frozen=True)
class SpeechDiscarded:
    """What started as speech ended before ``min_speech_ms`` of it was voiced (a cough, a click)."""

    start_s: float
    end_s: float


VadEvent = SpeechStarted | SpeechConfirmed | SpeechEnded | SpeechDiscarded


class Endpointer:
    """Turns a stream of 16 kHz samples into utterances.

    Speech starts after ``start_frames`` voiced frames in a row (``SpeechStarted``), is confirmed
    once ``min_speech_ms`` of it is voiced (``SpeechConfirmed``), and ends after ``end_silence_ms``
    of silence (``SpeechEnded``). ``pre_roll_ms`` of audio before the start is kept so the first
    syllable is not cut. Utterances never confirmed (a cough, a click) end as ``SpeechDiscarded``.
    ``end_frames`` (the silence that ends an utterance, in 32 ms frames) may be changed between
    calls of ``feed``: the voice loop shortens it when the words so far end like a finished sentence.
    """

    def __init__(self, vad: StreamingVAD | None = None, *, end_silence_ms: int = 500, pre_roll_ms: int = 300,
                 threshold: float = 0.5, start_frames: int = 2, min_speech_ms: int = 250,
                 max_utterance_s: float = 30.0):
        self.vad = vad or StreamingVAD()
        self.set_threshold(threshold)
        self.start_frames = start_frames
        self.end_frames = max(1, round(end_silence_ms / 32))
        self.min_frames = max(1, round(min_speech_ms / 32))
        self.max_frames = int(max_utterance_s * SAMPLE_RATE / FRAME)
        # the frames that confirm the start are in the buffer too: keep pre_roll_ms before them
        self._pre: deque[np.ndarray] = deque(maxlen=max(1, round(pre_roll_ms / 32)) + start_frames)
        self.reset()

    def set_threshold(self, threshold: float) -> None:
        """The speech probability a frame needs to count as voiced (silence is below it minus 0.15)."""
        self.threshold = threshold
        self.neg_threshold = max(0.05, threshold - 0.15)

    def reset(self) -> None:
        self.vad.reset()
        self._pre.clear()
        self._pending = np.zeros(0, dtype=np.float32)
        self._frames: list[np.ndarray] = []
        self._in_speech = False
        self._voiced_run = 0
        self._silent_run = 0
        self._voiced_total = 0
        self._confirmed = False
        self._frame_index = 0
        self._start_frame = 0
        self._last_voiced = 0
        self.level = 0.0
        self.probability = 0.0
        self.last_voiced: list[bool] = []  # whether each frame of the last ``feed`` was voiced, in order

    @property
    def in_speech(self) -> bool:
        return self._in_speech

    @property
    def stream_time(self) -> float:
        """Seconds of audio fed since the last reset (``SpeechEnded.end_s`` is on this clock)."""
        return (self._frame_index * FRAME + len(self._pending)) / SAMPLE_RATE

    @property
    def silent_frames(self) -> int:
        """Frames of silence in a row at the end of the current utterance (0 while the user speaks)."""
        return self._silent_run if self._in_speech else 0

    @property
    def voiced_frames(self) -> int:
        """Voiced frames in the current utterance so far."""
        return self._voiced_total if self._in_speech else 0

    @property
    def voiced(self) -> bool:
        """Whether the last frame sounded like speech."""
        return self.probability >= self.threshold

    def current_audio(self) -> np.ndarray:
        """The utterance so far (for partial transcripts)."""
        return np.concatenate(self._frames) if self._frames else np.zeros(0, dtype=np.float32)

    def feed(self, samples: np.ndarray) -> Iterator[VadEvent]:
        self.last_voiced = []
        self._pending = np.concatenate([self._pending, samples.astype(np.float32, copy=False)])
        while len(self._pending) >= FRAME:
            frame, self._pending = self._pending[:FRAME], self._pending[FRAME:]
            yield from self._frame(frame)

    def _frame(self, frame: np.ndarray) -> Iterator[VadEvent]:
        p = self.vad(frame)
        self.probability = p
        self.last_voiced.append(p >= self.threshold)
        self.level = float(np.sqrt(np.mean(frame * frame)))
        i = self._frame_index
        self._frame_index += 1
        t = lambda n: n * FRAME / SAMPLE_RATE  # noqa: E731
        if not self._in_speech:
            self._pre.append(frame)
            self._voiced_run = self._voiced_run + 1 if p >= self.threshold else 0
            if self._voiced_run >= self.start_frames:
                self._in_speech = True
                self._frames = list(self._pre)
                self._start_frame = i - self._voiced_run + 1
                self._silent_run, self._voiced_total, self._last_voiced = 0, self._voiced_run, i
                self._confirmed = False
                yield SpeechStarted(t(self._start_frame))
                yield from self._confirm(i)
            return
        self._frames.append(frame)
        if p >= self.neg_threshold:
            self._silent_run = 0
            if p >= self.threshold:
                self._voiced_total += 1
                self._last_voiced = i
                yield from self._confirm(i)
        else:
            self._silent_run += 1
        if self._silent_run >= self.end_frames or len(self._frames) >= self.max_frames:
            audio = np.concatenate(self._frames)
            start, end = t(self._start_frame), t(self._last_voiced + 1)
            self._in_speech, self._frames, self._voiced_run = False, [], 0
            self._pre.clear()
            yield SpeechEnded(audio, start, end) if self._confirmed else SpeechDiscarded(start, end)

    def _confirm(self, i: int) -> Iterator[VadEvent]:
        if not self._confirmed and self._voiced_total >= self.min_frames:
            self._confirmed = True
            yield SpeechConfirmed((i + 1) * FRAME / SAMPLE_RATE)
