"""Audio fakes: generated silence and noise, a microphone that cannot be opened, and a scripted
engine for fast voice-loop tests. (The file-playing microphone and the recording speaker are
``pipelines.voice.FileSource`` and ``RecordingSink``: benchmarks use them too.)"""
from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from pipelines.cancel import CancelToken
from pipelines.events import Cancelled, Done, Event, Notice, SpeechChunk, Started, Token, Transcript, Turn

__all__ = ["speech", "silence", "noise", "NoDeviceSource", "ScriptedVoiceEngine"]

RATE = 16000


def speech(path: str | Path) -> np.ndarray:
    from pipelines.audio import load_audio

    return load_audio(str(path))


def silence(seconds: float) -> np.ndarray:
    return np.zeros(int(seconds * RATE), dtype=np.float32)


def noise(seconds: float, level: float = 0.05, seed: int = 0, kind: str = "white") -> np.ndarray:
    """White noise, or a steady hum (50 Hz and harmonics) with a little hiss."""
    rng = np.random.default_rng(seed)
    n = int(seconds * RATE)
    if kind == "hum":
        t = np.arange(n) / RATE
        x = sum(np.sin(2 * np.pi * 50 * k * t) / k for k in (1, 2, 3)) * level + rng.normal(0, level / 10, n)
    else:
        x = rng.normal(0, level, n)
    return x.astype(np.float32)


class NoDeviceSource:
    """A microphone that is not there: opening it fails like PortAudio does."""

    sample_rate = RATE

    def __init__(self, message: str = "Error querying device -1"):
        self.message = message
        self.attempts = 0

    def start(self, on_frames) -> None:
        self.attempts += 1
        raise OSError(self.message)

    def stop(self) -> None:
        pass


class _Settings:
    class voice:  # noqa: N801 - mirrors Settings.voice
        language = ""


class ScriptedVoiceEngine:
    """Engine stand-in for loop tests: 'hears' each utterance by its length, replies with
    ``sentences`` (one token and one 0.8 s SpeechChunk each, ``delay`` s apart) and honours cancel."""

    settings = _Settings()
    manager = None  # no partial transcripts

    def __init__(self, sentences: int = 3, delay: float = 0.15, chunk_s: float = 0.8):
        self.sentences, self.delay, self.chunk_s = sentences, delay, chunk_s
        self.turns: list[Turn] = []
        self.lock = threading.Lock()

    def respond(self, turn: Turn, cancel: CancelToken | None = None) -> Iterator[Event]:
        cancel = cancel or CancelToken()
        with self.lock:
            self.turns.append(turn)
            n = len(self.turns)
        seconds = len(turn.audio) / RATE
        if seconds < 0.3:
            yield Notice("no speech was heard, so nothing was sent")
            yield Done("", intent="none")
            return
        yield Transcript(f"utterance {n} of {seconds:.1f} seconds")
        yield Started(1, 2 * n - 1, 2 * n)
        said = ""
        t0 = time.perf_counter()
        timings = {}
        for i in range(self.sentences):
            if cancel.wait(self.delay):
                yield Cancelled(said)
                return
            piece = f"Sentence {i + 1}. "
            said += piece
            yield Token(piece)
            timings.setdefault("first_token_ms", (time.perf_counter() - t0) * 1000)
            yield SpeechChunk(np.full(int(self.chunk_s * 22050), 0.1, dtype=np.float32), 22050, piece.strip(), i)
        yield Done(said.strip(), message_id=2 * n, conversation_id=1, timings=timings)
