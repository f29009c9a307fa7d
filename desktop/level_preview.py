"""A live level of one microphone on a LevelMeter: the Settings screen's preview of the chosen input."""
from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import numpy as np
from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QLabel

from pipelines.errors import Text

from .i18n import render, translate
from .widgets import LevelMeter

__all__ = ["LevelPreview", "frame_level"]


def frame_level(frames: np.ndarray) -> float:
    """0..1 for a meter: the RMS of the frames, scaled as the voice loop scales its level."""
    x = np.asarray(frames, dtype=np.float32).reshape(-1)
    return float(min(1.0, np.sqrt(np.mean(x * x)) * 6)) if x.size else 0.0


class LevelPreview(QObject):
    """Opens a microphone (``opener(name)`` gives a pipelines.voice.AudioSource) and shows its level.
    Frames arrive on the source's thread: the loudest level since the last paint is kept under a
    lock, and a ~30 Hz timer on the GUI thread paints it. A device that fails to open, or reports a
    problem through ``on_error``, puts its one line in ``note`` (worded again by ``retranslate``
    when the interface's language changes)."""

    def __init__(self, meter: LevelMeter, note: QLabel, opener: Callable[[str], Any], parent: QObject | None = None):
        super().__init__(parent)
        self.meter, self.note, self.opener = meter, note, opener
        self.source: Any = None
        self.device: str | None = None  # the device open now (None: closed)
        self._lock = threading.Lock()
        self._peak = 0.0
        self._message: Text | str = ""  # the source's last line (a Text: said in the current language)
        self._generation = 0  # frames of a source closed since are dropped
        self._shown = 0.0
        self._note_text: Callable[[], str] = lambda: ""  # the note, in the current language
        self.timer = QTimer(self, interval=33, timeout=self._poll)

    @property
    def running(self) -> bool:
        return self.device is not None

    def open(self, name: str) -> None:
        self.close()
        self.device = name
        generation = self._generation

        def on_frames(frames: np.ndarray) -> None:  # the source's thread
            level = frame_level(frames)
            with self._lock:
                if generation == self._generation:
                    self._peak = max(self._peak, level)

        def on_error(message: Text | str) -> None:  # the source's thread: a fallback or a lost device
            with self._lock:
                if generation == self._generation:
                    self._message = message

        self._note(lambda: "")
        try:
            self.source = self.opener(name)
            if hasattr(self.source, "on_error"):
                self.source.on_error = on_error
            self.source.start(on_frames)
        except Exception as e:
            self.source = None
            self._note(lambda err=e: _opening_failed(err))
            return
        self.timer.start()

    def close(self) -> None:
        self.timer.stop()
        with self._lock:
            self._generation += 1
            self._peak, self._message = 0.0, ""
        source, self.source, self.device = self.source, None, None
        if source is not None:
            try:
                source.stop()
            except Exception as e:
                reason = " ".join(str(e).split())
                self._note(lambda: translate("LevelPreview", "the microphone could not be closed ({reason})").format(
                    reason=reason))
        self._shown = 0.0
        self.meter.set_level(0.0)

    def _note(self, text: Callable[[], str]) -> None:
        self._note_text = text
        self.retranslate()

    def retranslate(self) -> None:
        text = self._note_text()
        self.note.setText(text)
        self.note.setToolTip(text)

    def _poll(self) -> None:
        with self._lock:
            peak, self._peak = self._peak, 0.0
            message, self._message = self._message, ""
        self._shown = max(peak, self._shown * 0.75)  # rises at once, falls over a few frames
        self.meter.set_level(self._shown)
        if message:  # the source's own line (a fallback or a lost device), in the current language
            self._note(lambda: " ".join(render(message if isinstance(message, Text) else None, str(message)).split()))


def _opening_failed(e: BaseException) -> str:
    text = " ".join(render(getattr(e, "text", None), str(e)).split())[:300] or type(e).__name__
    if type(e).__name__ == "AudioDeviceError":  # those already say what to do
        return text
    return translate("LevelPreview", "the microphone could not be opened ({reason}): connect it, or choose "
                                     "another").format(reason=text)
