"""Voice in the window: the microphone button, push-to-talk, hands-free and mute, the level meter,
the speaker, and the voice loop, whose spoken turns run on the Controller's one turn runner.

The voice loop calls back from its threads; ``VoiceController`` hands those events to the GUI
thread (a queued signal) and keeps only what belongs to the microphone: listening states, the
partial transcript, a recording that was too short, a device that failed. The spoken turn's own
events reach the window through the Controller, like every other turn.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication

from pipelines.events import Cancelled, Done, Failed, Notice, Transcript
from pipelines.settings import Settings
from pipelines.turns import ChatRef
from pipelines.voice import (
    ListeningState,
    ReplyHeard,
    SpokenLatency,
    VoiceLoop,
    VoiceTurnStarted,
    device_notice,
)

from .controller import error_text
from .i18n import render, translate

__all__ = ["VoiceController"]

log = logging.getLogger(__name__)


class _PushToTalk(QObject):
    """Ctrl+Space held records; releasing Space sends. The press is a window shortcut; only while it
    is held does an application event filter watch for the release (a filter on every event of
    the app all the time would cost the GUI thread on each one)."""

    def __init__(self, voice: VoiceController, window: Any):
        super().__init__(voice)
        self.voice = voice
        self.active = False
        self.shortcut = QShortcut(QKeySequence("Ctrl+Space"), window, self._pressed,
                                  context=Qt.ShortcutContext.WindowShortcut)
        self.shortcut.setAutoRepeat(False)

    def _pressed(self) -> None:
        if not self.active:
            self.active = True
            QApplication.instance().installEventFilter(self)
            self.voice.input.mic_button.setChecked(True)

    def release(self) -> None:
        if self.active:
            self.active = False
            QApplication.instance().removeEventFilter(self)
            self.voice.input.mic_button.setChecked(False)

    def eventFilter(self, obj, ev):
        t = ev.type()
        if t in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease) and ev.key() == Qt.Key.Key_Space:
            if t == QEvent.Type.KeyRelease and not ev.isAutoRepeat():
                self.release()
            return True  # held: the space does not type into the message box
        return False


class VoiceController(QObject):
    """Signals: event(ev) every event of the voice loop, on the GUI thread, after it was handled;
    partial(text) what the person is saying; problem(one line, in the interface's language)."""

    event = Signal(object)
    partial = Signal(str)
    problem = Signal(str)
    _arrived = Signal(object)  # from the voice loop's threads, queued to the GUI thread
    revised = Signal(object)  # ReplyHeard / SpokenLatency: a spoken reply changed after its turn

    def __init__(self, window: Any, engine: Any, controller: Any, input_bar: Any, *,
                 chat: Callable[[], ChatRef], audio_source: Any = None, audio_sink: Any = None):
        super().__init__(window)
        self.window, self.engine, self.controller, self.input = window, engine, controller, input_bar
        self.chat = chat
        self.audio_source = audio_source  # a microphone (pipelines.voice.AudioSource); None = sounddevice
        self.audio_sink = audio_sink  # a speaker (pipelines.voice.AudioSink); None = sounddevice
        self.loop: VoiceLoop | None = None  # made on first use of the mic
        self.recording = False
        self._in_turn = False  # between a spoken turn's start and its end (its events come via the Controller)
        self._arrived.connect(self._on_event, Qt.ConnectionType.QueuedConnection)
        self._level_timer = QTimer(self, interval=40, timeout=self._poll_level)
        i = input_bar
        i.micToggled.connect(self.on_mic)
        i.handsFreeToggled.connect(self.set_hands_free)
        i.muteToggled.connect(self.set_muted)
        self._ptt = _PushToTalk(self, window)

    @property
    def settings(self) -> Settings:
        return self.window.settings

    # ---- devices ---------------------------------------------------------------------------
    def speaker(self) -> Any:
        """The speaker: the injected sink, or the default sounddevice output (opened when it plays)."""
        if self.audio_sink is None:
            from .audio import SoundDeviceSink

            self.audio_sink = SoundDeviceSink(self.settings.voice.output_device,
                                              on_error=lambda msg: self._arrived.emit(device_notice(msg)))
        return self.audio_sink

    def voice_loop(self) -> VoiceLoop:
        """The voice loop (made on first use; no device is opened here)."""
        if self.loop is None:
            from .audio import SoundDeviceSource, as_frame_source

            source = as_frame_source(self.audio_source) if self.audio_source is not None else \
                SoundDeviceSource(self.settings.voice.input_device)
            self.loop = VoiceLoop.from_settings(self.engine, source, self.speaker(), self.settings,
                                                on_event=self._arrived.emit,
                                                runner=_ChatTurns(self.controller.runner, self.window),
                                                chat=self.chat)
        return self.loop

    @property
    def busy(self) -> bool:
        return self.loop is not None and self.loop.busy

    @property
    def hands_free(self) -> bool:
        return self.input.handsfree_button.isChecked()

    # ---- the buttons -----------------------------------------------------------------------
    def on_mic(self, on: bool) -> None:
        """The mic button (or Ctrl+Space) held: interrupt any reply and record; released: send."""
        if on:
            try:
                loop = self.voice_loop()
                running = self.controller.runner.running
                if running is not None:  # speaking over a typed reply interrupts it; turns waiting stay
                    self.controller.cancel(running)
                loop.press()
            except Exception as e:
                self._failed(e)
                return
            self.recording = True
            self._level_timer.start()
        elif self.recording:
            self.recording = False
            if not self.hands_free:
                self._meter_off()
            try:
                self.loop.release()
            except Exception as e:
                self._failed(e)

    def set_hands_free(self, on: bool) -> None:
        """Hands-free: the microphone stays open and the VAD decides where each utterance ends."""
        if self.hands_free != on:
            self.input.handsfree_button.setChecked(on)  # shows the mute toggle, then comes back here
            return
        try:
            loop = self.voice_loop()
            loop.set_mode("hands-free" if on else "push-to-talk")
            if on:
                loop.start()
        except Exception as e:
            if self.loop is not None:
                self.loop.set_mode("push-to-talk")
            self._failed(e)
            return
        if on:
            self._level_timer.start()
        elif not self.recording:
            self._meter_off()
        mode = "hands-free" if on else "push-to-talk"
        if self.settings.voice.mode != mode:
            self.window.settings_service.replace("voice", mode=mode)

    def set_muted(self, muted: bool) -> None:
        if self.loop is not None:
            self.loop.set_muted(muted)

    def interrupt(self) -> bool:
        """Esc: stop the spoken reply and its playback. True if there was something to stop."""
        if self.loop is not None:
            return self.loop.interrupt()
        if self.audio_sink is not None and self.audio_sink.playing:
            self.audio_sink.stop()
            return True
        return False

    def stop_recording(self) -> bool:
        if self.recording:
            self.input.mic_button.setChecked(False)
            return True
        return False

    def apply_settings(self, old: Settings, new: Settings) -> None:
        """Settings > Voice applies at once: barge-in, end of speech, devices, mode."""
        v, o = new.voice, old.voice
        sink = self.audio_sink
        if sink is not None and v.output_device != o.output_device and hasattr(sink, "set_device"):
            sink.set_device(v.output_device)
        loop = self.loop
        if loop is None:
            return
        loop.barge_in = v.barge_in
        loop.echo_cancellation = v.echo_cancellation
        if v.end_silence_ms != o.end_silence_ms:
            loop.end_silence_ms = v.end_silence_ms
            loop.endpointer = None  # remade with the new silence on the voice thread's next frame
        if v.input_device != o.input_device and hasattr(loop.source, "set_device"):
            try:
                loop.source.set_device(v.input_device)
            except Exception as e:
                self._failed(e)
        if v.mode != o.mode and (v.mode == "hands-free") != self.hands_free:
            self.set_hands_free(v.mode == "hands-free")

    def shutdown(self, timeout: float = 0.0) -> None:
        """Close the microphone, stop playback, cancel the spoken reply and partial transcripts."""
        self._level_timer.stop()
        if self.loop is not None:
            self.loop.stop(timeout)
        elif self.audio_sink is not None:
            self.audio_sink.stop()
        self._ptt.release()

    # ---- internals -------------------------------------------------------------------------
    def _meter_off(self) -> None:
        self._level_timer.stop()
        self.input.meter.set_level(0)

    def _failed(self, e: Exception) -> None:
        self.recording = False
        self._level_timer.stop()
        self.input.mic_button.setChecked(False)  # restyles the button; ignored here (not recording)
        hf = self.input.handsfree_button
        hf.blockSignals(True)
        hf.setChecked(False)
        hf.blockSignals(False)
        self.input.mute_button.hide()
        self.input.meter.hide()
        self.input.set_voice_state("idle")
        msg = " ".join(render(error_text(e), str(e)).split())[:200]
        if type(e).__name__ == "AudioDeviceError":  # its line says what to do (desktop/audio.py)
            self.problem.emit(msg)
        else:
            self.problem.emit(translate("VoiceController", "the microphone could not be used ({problem}): check "
                                        "that one is connected, or choose another in Settings > Voice")
                              .format(problem=msg))

    def _poll_level(self) -> None:
        if self.loop is not None:
            try:
                self.input.meter.set_level(self.loop.level)
            except Exception:
                pass

    def _on_event(self, ev: Any) -> None:
        try:
            self._handle(ev)
        except Exception:
            log.exception("could not show voice event %s", type(ev).__name__)
        self.event.emit(ev)

    def _handle(self, ev: Any) -> None:
        if isinstance(ev, ListeningState):
            self.input.set_voice_state(ev.state if (self.hands_free or self.recording
                                                    or ev.state in ("thinking", "speaking")) else "idle")
        elif isinstance(ev, (ReplyHeard, SpokenLatency)):
            self.revised.emit(ev)
        elif isinstance(ev, VoiceTurnStarted):
            self._in_turn = True
        elif self._in_turn:  # the spoken turn's engine events: the window has them through the Controller
            if isinstance(ev, (Done, Cancelled, Failed)):
                self._in_turn = False
        elif isinstance(ev, Transcript) and not ev.final:
            self.partial.emit(ev.text)
        elif isinstance(ev, Notice):  # a device problem, a recording too short
            self.problem.emit(render(ev.localizable, ev.text))
        elif isinstance(ev, Failed):
            self.problem.emit(render(ev.localizable, ev.message))


class _ChatTurns:
    """The controller's one runner as the voice loop sees it: a spoken turn in a temporary chat
    (``window.temporary``) goes as ``Turn(temporary=True)``, like a typed one; all else is the runner's."""

    def __init__(self, runner: Any, window: Any):
        self._runner, self._window = runner, window

    def submit(self, turn: Any, **kw: Any) -> int:
        if getattr(self._window, "temporary", False) and not turn.temporary:
            from dataclasses import replace

            turn = replace(turn, temporary=True)
        return self._runner.submit(turn, **kw)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._runner, name)
