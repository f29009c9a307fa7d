"""Speaker playback without Qt or a sound library: a queue of chunks played in blocks on one thread.

``QueuedSink`` is the speaker the voice loop talks to. ``play`` returns at once; chunks play in
order; ``stop`` cuts the current chunk within a block and drops the queue. It reports what actually
left the speaker, which the voice loop needs three times over:

* ``monitor(block, rate)`` gets every block as it goes to the device: the echo canceller's far end;
* ``play(..., on_played=f)`` calls ``f(samples, at)`` after each block of that chunk: how many of the
  chunk's samples have gone out, and the clock time by which they are heard (the device's output
  latency included), so the reply can be cut to what was heard and the first audio dated at the
  speaker;
* ``playing`` turns False when the queue has drained (the listening state goes back to idle).

Subclasses provide the device: ``desktop.audio.SoundDeviceSink`` writes to PortAudio;
``RecordingSink`` (the fake speaker of tests and benchmarks) records and keeps real-time pace.
"""
from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable

import numpy as np

from .cancel import CancelToken

__all__ = ["QueuedSink", "RecordingSink", "OnPlayed", "Monitor"]

log = logging.getLogger(__name__)

#: ``on_played(samples, at)``: the first ``samples`` samples of a chunk are heard by clock time ``at``.
OnPlayed = Callable[[int, float], None]
#: ``monitor(block, rate)``: a block is going out to the speaker now.
Monitor = Callable[[np.ndarray, int], None]


class QueuedSink:
    """A speaker with a queue (see the module docstring). Every queued chunk carries the sink's own
    CancelToken, which ``stop`` cancels, and the caller's ``cancel`` (its turn's token): a chunk stops
    as soon as either is cancelled. ``stopped`` counts the stops that cut off audio."""

    BLOCK_S = 0.05

    def __init__(self, *, clock: Callable[[], float] = time.perf_counter):
        self.clock = clock
        self.monitor: Monitor | None = None
        self.stopped = 0
        self._q: queue.Queue = queue.Queue()
        self._token = CancelToken()  # cancelled by stop(); then replaced
        self._lock = threading.Lock()
        self._active = False
        self._thread: threading.Thread | None = None

    # ---- what subclasses provide --------------------------------------------------------------
    def _open(self, sample_rate: int) -> None:
        """Get the device ready for ``sample_rate`` (called when the rate changes); may raise."""

    def _write(self, block: np.ndarray, sample_rate: int) -> None:
        """Hand one block to the device; returns when the device has taken it (this paces playback)."""
        raise NotImplementedError

    def _latency(self) -> float:
        """Seconds between ``_write`` returning and the end of the block being heard."""
        return 0.0

    def _abort(self) -> None:
        """Drop what the device still holds (a chunk was stopped)."""

    def _close(self) -> None:
        """Release the device (the queue drained)."""

    def _failed(self, error: BaseException, opening: bool) -> None:
        """The device failed: the queue has been dropped. Subclasses report it."""
        log.warning("playback failed: %s", error)

    # ---- the speaker ---------------------------------------------------------------------------
    def play(self, audio: np.ndarray, sample_rate: int, cancel: CancelToken | None = None,
             on_played: OnPlayed | None = None) -> None:
        audio = np.asarray(audio, dtype=np.float32).reshape(-1)
        with self._lock:
            self._q.put(((self._token, cancel), audio, int(sample_rate), on_played))
            self._active = True
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="sensorium-speaker", daemon=True)
                self._thread.start()

    def stop(self) -> None:
        """Stop now (within a block) and drop what is queued."""
        with self._lock:
            if self._active:
                self.stopped += 1
            self._token.cancel()
            self._token = CancelToken()
            while True:
                try:
                    self._q.get_nowait()
                except queue.Empty:
                    break
            self._active = False

    @property
    def playing(self) -> bool:
        return self._active

    def wait_drained(self, timeout: float = 30.0) -> bool:
        """For scripts and tests: wait until nothing is queued or playing. True if drained."""
        deadline = time.monotonic() + timeout
        while self._active and time.monotonic() < deadline:
            time.sleep(0.01)
        return not self._active

    def _run(self) -> None:
        rate = 0
        try:
            while True:
                try:
                    tokens, audio, sr, on_played = self._q.get(timeout=1.0)
                except queue.Empty:
                    with self._lock:
                        if self._q.empty():
                            self._active = False
                            self._thread = None
                            return
                    continue
                if not _stopped(tokens):
                    rate = self._play(tokens, audio, sr, on_played, rate)
                with self._lock:
                    if self._q.empty():  # drained (a chunk queued meanwhile keeps it active)
                        self._active = False
        finally:
            try:
                self._close()
            except Exception:
                log.debug("closing the speaker failed", exc_info=True)

    def _play(self, tokens: tuple[CancelToken, CancelToken | None], audio: np.ndarray, sr: int,
              on_played: OnPlayed | None, rate: int) -> int:
        """Play one chunk; returns the rate the device is open at (0: reopen for the next chunk)."""
        if sr != rate:
            try:
                self._open(sr)
            except Exception as e:
                self.stop()
                self._failed(e, opening=True)
                return 0
        # aborted or failed: the device is reopened for the next chunk
        return sr if self._play_chunk(tokens, audio, sr, on_played) else 0

    def _play_chunk(self, tokens: tuple[CancelToken, CancelToken | None], audio: np.ndarray, sr: int,
                    on_played: OnPlayed | None) -> bool:
        block = max(1, int(sr * self.BLOCK_S))
        for i in range(0, len(audio), block):
            if _stopped(tokens):
                self._abort()
                return False
            piece = audio[i:i + block]
            monitor = self.monitor
            if monitor is not None:
                try:
                    monitor(piece, sr)
                except Exception:
                    log.exception("the speaker monitor failed")
            try:
                self._write(piece, sr)
            except Exception as e:
                self.stop()
                self._failed(e, opening=False)
                return False
            if on_played is not None:
                try:
                    on_played(i + len(piece), self.clock() + self._latency())
                except Exception:
                    log.exception("the playback callback failed")
        return True


def _stopped(tokens: tuple[CancelToken, CancelToken | None]) -> bool:
    return any(t is not None and t.cancelled for t in tokens)


class RecordingSink(QueuedSink):
    """The fake speaker of tests and benchmarks: records every chunk given to it and 'plays' it in
    blocks at ``pace`` x real time (1.0 = real time, 0 = as fast as it can)."""

    BLOCK_S = 0.02

    def __init__(self, pace: float = 1.0, device: str = "", *, clock: Callable[[], float] = time.perf_counter):
        super().__init__(clock=clock)
        self.device = device  # the output device it stands for (Settings > Voice > output device)
        self.chunks: list[tuple[np.ndarray, int]] = []
        self.played_samples = 0  # samples given to play()
        self.pace = pace
        self.first_play_at: float | None = None

    def play(self, audio: np.ndarray, sample_rate: int, cancel: CancelToken | None = None,
             on_played: OnPlayed | None = None) -> None:
        audio = np.asarray(audio, dtype=np.float32).reshape(-1)
        with self._lock:
            if self.first_play_at is None:
                self.first_play_at = self.clock()
            self.chunks.append((audio, sample_rate))
            self.played_samples += len(audio)
        super().play(audio, sample_rate, cancel, on_played)

    def _write(self, block: np.ndarray, sample_rate: int) -> None:
        if self.pace > 0:
            time.sleep(len(block) / sample_rate * self.pace)

    def set_device(self, name: str) -> None:
        """Like a real speaker switched to another output: what plays stops, the next chunk goes there."""
        self.stop()
        self.device = name
