"""The real microphone and speaker (sounddevice, imported on first use, never at start-up).

Both follow the Protocols of ``pipelines.voice`` so the voice loop and the tests can swap them for
fakes (``pipelines.voice.FileSource`` / ``RecordingSink``). A device that cannot be opened, or that
disappears while in use, gives one clear line through ``on_error`` and falls back to the system
default; only when the default fails too does ``start`` raise ``AudioDeviceError``. The lines are
``pipelines.errors.Text`` (English, the log's; code + template + params): they are made on the audio
threads and said in the interface's language where the window shows them (``render``), so a line
shown before a language switch is not stuck in the old one. Their templates are marked for the
translations under the context "errors", where ``render`` looks them up.
"""
from __future__ import annotations

import inspect
import logging
from collections.abc import Callable
from typing import Any

import numpy as np
from PySide6.QtCore import QT_TRANSLATE_NOOP

from pipelines.errors import Text
from pipelines.playback import QueuedSink

__all__ = ["AudioDeviceError", "SoundDeviceSource", "SoundDeviceSink", "RecorderAdapter", "as_frame_source",
           "device_names"]

log = logging.getLogger(__name__)


class AudioDeviceError(RuntimeError):
    """No usable audio device: the message says which and what to do (``text``: the same line as
    a Text, for the window's language)."""

    def __init__(self, text: Text):
        super().__init__(str(text))
        self.text = text


def _abort_stream(stream: Any, what: str) -> None:
    """Stop a PortAudio stream at once and close it; a failure is only logged."""
    if stream is not None:
        try:
            stream.abort()
            stream.close()
        except Exception as e:
            log.warning("%s failed: %s", what, e)


def _short(e: BaseException) -> str:
    return " ".join(str(e).split())[:120] or type(e).__name__


def device_names(kind: str = "input") -> list[str]:
    """Names of the input (or output) devices, for the settings dialog; [] when there are none."""
    try:
        import sounddevice as sd

        key = "max_input_channels" if kind == "input" else "max_output_channels"
        return [d["name"] for d in sd.query_devices() if d.get(key, 0) > 0]
    except Exception:
        return []


class _Reports:
    """A device problem goes to the log and, as one line (a Text), to ``on_error`` (the window's
    message bar)."""

    on_error: Callable[[Text], None] | None = None

    def _report(self, message: Text) -> None:
        log.warning("%s", message)
        if self.on_error is not None:
            try:
                self.on_error(message)
            except Exception:
                log.exception("audio error callback failed")


class SoundDeviceSource(_Reports):
    """A microphone through sounddevice: float32 mono 16 kHz frames to ``on_frames``."""

    def __init__(self, device: str = "", sample_rate: int = 16000, *, on_error: Callable[[Text], None] | None = None,
                 blocksize: int = 512):
        self.device = device or None
        self.sample_rate = sample_rate
        self.blocksize = blocksize
        self.on_error = on_error
        self._stream = None
        self._stopping = False
        self._opened = 0  # streams opened so far: only the current one's end is worth a report
        self._on_frames: Callable[[np.ndarray], None] | None = None

    def _open(self, device: Any):
        import sounddevice as sd  # raises OSError when PortAudio is missing

        def callback(indata, frames, t, status):
            if self._on_frames is not None:
                self._on_frames(indata[:, 0].copy())

        self._opened += 1
        number = self._opened
        stream = sd.InputStream(samplerate=self.sample_rate, channels=1, dtype="float32", device=device,
                                blocksize=self.blocksize, callback=callback,
                                finished_callback=lambda: self._finished(number))
        stream.start()
        return stream

    def _finished(self, number: int) -> None:  # PortAudio's thread: the stream ended
        if not self._stopping and number == self._opened:
            self._report(Text.of("audio.microphone_stopped", QT_TRANSLATE_NOOP(
                "errors", "the microphone stopped delivering sound (was it unplugged?): connect it again or "
                "choose another in Settings > Voice")))

    def start(self, on_frames: Callable[[np.ndarray], None]) -> None:
        self._on_frames = on_frames
        self._stopping = False
        try:
            self._stream = self._open(self.device)
            return
        except Exception as e:
            if self.device is None:
                raise AudioDeviceError(Text.of("audio.no_microphone", QT_TRANSLATE_NOOP(
                    "errors", "no microphone could be opened ({problem}): connect one, or check that no other "
                    "program holds it"), problem=_short(e))) from e
            first = e
        try:
            self._stream = self._open(None)
        except Exception as e:
            raise AudioDeviceError(Text.of("audio.microphone_and_default_failed", QT_TRANSLATE_NOOP(
                "errors", "the microphone {device} is not available ({problem}) and the default one failed too "
                "({problem2}): connect a microphone"), device=repr(self.device), problem=_short(first),
                problem2=_short(e))) from e
        self._report(Text.of("audio.microphone_fallback", QT_TRANSLATE_NOOP(
            "errors", "the microphone {device} is not available ({problem}); using the default microphone instead"),
            device=repr(self.device), problem=_short(first)))

    def stop(self) -> None:
        self._stopping = True
        stream, self._stream = self._stream, None
        _abort_stream(stream, "closing the microphone")

    def set_device(self, name: str) -> None:
        """Use another microphone ('' = the system default). A started source reopens on it at once
        (with the same fallback and errors as ``start``); a stopped one opens it on the next start."""
        device = name or None
        if device == self.device:
            return
        self.device = device
        if self._stream is not None and self._on_frames is not None:
            on_frames = self._on_frames
            self.stop()
            self.start(on_frames)


class SoundDeviceSink(_Reports, QueuedSink):
    """A speaker through sounddevice: ``pipelines.playback.QueuedSink`` (the queue, the blocks, stop
    within a block, what was played and when) writing to a PortAudio output stream. A speaker that
    cannot be opened falls back to the default one with one line through ``on_error``."""

    BLOCK_S = 0.05

    def __init__(self, device: str = "", *, on_error: Callable[[Text], None] | None = None):
        QueuedSink.__init__(self)
        self.device = device or None
        self.on_error = on_error
        self._stream: Any = None
        self._opened_on: Any = None

    def set_device(self, name: str) -> None:
        """Play on another speaker ('' = the system default): what is playing stops (as ``stop``) and
        the next chunk opens the new device."""
        device = name or None
        if device == self.device:
            return
        self.stop()
        with self._lock:
            self.device = device

    def _open(self, sample_rate: int) -> None:
        import sounddevice as sd

        self._close()
        try:
            stream = sd.OutputStream(samplerate=sample_rate, channels=1, dtype="float32", device=self.device)
        except Exception as e:
            if self.device is None:
                raise AudioDeviceError(Text.of("audio.no_speaker", QT_TRANSLATE_NOOP(
                    "errors", "no speaker could be opened ({problem}): connect one or choose another in Settings > "
                    "Voice"), problem=_short(e))) from e
            try:
                stream = sd.OutputStream(samplerate=sample_rate, channels=1, dtype="float32", device=None)
            except Exception as e2:
                raise AudioDeviceError(Text.of("audio.speaker_and_default_failed", QT_TRANSLATE_NOOP(
                    "errors", "the speaker {device} is not available ({problem}) and the default one failed too "
                    "({problem2})"), device=repr(self.device), problem=_short(e), problem2=_short(e2))) from e2
            self._report(Text.of("audio.speaker_fallback", QT_TRANSLATE_NOOP(
                "errors", "the speaker {device} is not available ({problem}); using the default speaker"),
                device=repr(self.device), problem=_short(e)))
            self.device = None
        stream.start()
        self._stream, self._opened_on = stream, self.device

    def _write(self, block: np.ndarray, sample_rate: int) -> None:
        if self._stream is None or self._opened_on != self.device:  # switched speakers meanwhile
            self._open(sample_rate)
        self._stream.write(block)

    def _latency(self) -> float:
        try:
            return float(self._stream.latency) if self._stream is not None else 0.0
        except Exception:
            return 0.0

    def _abort(self) -> None:
        stream, self._stream = self._stream, None
        _abort_stream(stream, "aborting the speaker")

    def _close(self) -> None:
        stream, self._stream = self._stream, None
        if stream is not None:
            stream.close()

    def _failed(self, error: BaseException, opening: bool) -> None:
        self._abort()
        if isinstance(error, AudioDeviceError):
            self._report(error.text)
        elif opening:
            self._report(Text.of("audio.reply_not_played", QT_TRANSLATE_NOOP(
                "errors", "the reply could not be played ({problem}): check the speaker"), problem=_short(error)))
        else:
            self._report(Text.of("audio.speaker_stopped", QT_TRANSLATE_NOOP(
                "errors", "the speaker stopped working ({problem}): was it unplugged?"), problem=_short(error)))


class RecorderAdapter:
    """Wraps a recorder with ``start()``, ``level()`` and ``stop() -> array`` (record then hand over)
    as a frame source: what it recorded is delivered when it stops."""

    def __init__(self, recorder: Any):
        self.recorder = recorder
        self.sample_rate = getattr(recorder, "sample_rate", 16000)
        self._on_frames: Callable[[np.ndarray], None] | None = None

    def start(self, on_frames: Callable[[np.ndarray], None]) -> None:
        self._on_frames = on_frames
        self.recorder.start()

    def level(self) -> float:
        return float(self.recorder.level())

    def stop(self) -> None:
        audio = self.recorder.stop()
        if audio is not None and self._on_frames is not None and len(audio):
            self._on_frames(np.asarray(audio, dtype=np.float32).reshape(-1))


def as_frame_source(source: Any) -> Any:
    """A frame source as is; a record-then-return recorder wrapped in ``RecorderAdapter``."""
    try:
        params = inspect.signature(source.start).parameters
    except (TypeError, ValueError):
        return source
    return source if params else RecorderAdapter(source)
