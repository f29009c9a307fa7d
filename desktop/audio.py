"""Microphone input through an injected source (tests use a fake; the app uses sounddevice lazily).

The voice loop itself is a later issue: the mic button records one utterance and sends it.
"""
from __future__ import annotations

import threading
from typing import Any, Protocol

__all__ = ["AudioSource", "SoundDeviceSource", "play_audio"]


class AudioSource(Protocol):
    sample_rate: int

    def start(self) -> None: ...
    def level(self) -> float: ...  # 0..1, the recent input level
    def stop(self) -> Any: ...  # float32 mono numpy array of what was recorded


class SoundDeviceSource:
    """The default microphone (sounddevice is imported on first use, never at start-up)."""

    def __init__(self, device: str = "", sample_rate: int = 16000):
        self.device = device or None
        self.sample_rate = sample_rate
        self._chunks: list = []
        self._level = 0.0
        self._stream = None
        self._lock = threading.Lock()

    def start(self) -> None:
        import numpy as np
        import sounddevice as sd  # raises OSError when PortAudio is missing

        self._chunks = []

        def callback(indata, frames, t, status):
            mono = indata[:, 0].copy()
            with self._lock:
                self._chunks.append(mono)
            self._level = float(min(1.0, np.sqrt(np.mean(mono ** 2)) * 6))

        self._stream = sd.InputStream(samplerate=self.sample_rate, channels=1, dtype="float32",
                                      device=self.device, callback=callback)
        self._stream.start()

    def level(self) -> float:
        return self._level

    def stop(self):
        import numpy as np

        if self._stream is not None:
            self._stream.stop()
            self._stream.close()
            self._stream = None
        with self._lock:
            chunks, self._chunks = self._chunks, []
        return np.concatenate(chunks).astype("float32") if chunks else np.zeros(0, dtype="float32")


def play_audio(chunks: list, device: str = "") -> None:
    """Play SpeechChunk audio on a background thread (sounddevice imported lazily)."""
    def run():
        import numpy as np
        import sounddevice as sd

        for ch in chunks:
            sd.play(np.asarray(ch.audio, dtype="float32"), ch.sample_rate, device=device or None, blocking=True)

    threading.Thread(target=run, name="sensorium-playback", daemon=True).start()
