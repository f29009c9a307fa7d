"""The input bar: multi-line prompt, attachments, drawing parameters, mic and send/stop."""
from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, QTimer, Signal
from PySide6.QtGui import QImage
from PySide6.QtWidgets import (
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from .i18n import on_language, translate
from .prompt import IMAGE_SUFFIXES, MAX_ATTACHMENTS, AttachmentChip, ImageParams, PromptEdit, is_image_file
from .theme import icon
from .widgets import LevelMeter, action_button, set_tip

__all__ = ["InputBar", "PromptEdit", "ImageParams", "IMAGE_SUFFIXES", "is_image_file"]  # the parts re-exported

class InputBar(QWidget):
    """``send_handler(text, images, mode, ImageOptions|None, interrupt)`` decides whether a send is
    accepted (it returns None when not); the text and attachments are cleared only when it was.
    mode is '', 'draw' or 'edit'. Signals: sendRequested(text, images, mode, options) after an
    accepted send; stopRequested; micToggled(bool); problem(one-line message)."""

    sendRequested = Signal(str, list, str, object)
    stopRequested = Signal()
    micToggled = Signal(bool)
    handsFreeToggled = Signal(bool)
    muteToggled = Signal(bool)
    problem = Signal(str)

    VOICE_STATES = {"listening": QT_TRANSLATE_NOOP("InputBar", "Listening: just speak"),
                    "speech": QT_TRANSLATE_NOOP("InputBar", "Hearing you…"),
                    "thinking": QT_TRANSLATE_NOOP("InputBar", "Thinking…"),
                    "speaking": QT_TRANSLATE_NOOP("InputBar", "Speaking: talk to interrupt"),
                    "muted": QT_TRANSLATE_NOOP("InputBar", "Muted: not listening"), "idle": ""}

    def __init__(self, imagegen_defaults, attachments_dir: Path, parent=None):
        super().__init__(parent)
        self.setObjectName("InputBar")
        self.attachments_dir = Path(attachments_dir)
        self.images: list[str] = []
        self.busy = False
        self.send_handler: Callable[[str, list, str, Any, bool], Any] | None = None
        outer = QVBoxLayout(self)
        outer.setContentsMargins(24, 4, 24, 14)
        outer.setSpacing(6)
        self.chips_row = QHBoxLayout()
        self.chips_row.setSpacing(6)
        self.chips = QWidget()
        self.chips.setLayout(self.chips_row)
        self.chips_row.setContentsMargins(0, 0, 0, 0)
        self.chips.hide()
        outer.addWidget(self.chips)
        self.params = ImageParams(imagegen_defaults)
        self.params.hide()
        outer.addWidget(self.params)
        self.frame = QFrame()
        self.frame.setObjectName("InputFrame")
        row = QHBoxLayout(self.frame)
        row.setContentsMargins(6, 6, 6, 6)
        row.setSpacing(2)
        self.attach_button = action_button("attach", "", self.choose_files, object_name="RoundButton", size=20)
        self.draw_button = action_button("brush", "", checkable=True, object_name="RoundButton", size=20)
        self.draw_button.toggled.connect(self._on_draw)
        self.params_button = action_button("sliders", "", checkable=True, object_name="RoundButton", size=20)
        self.params_button.toggled.connect(self.params.setVisible)
        self.params_button.hide()
        self.edit = PromptEdit()
        self.edit.submitted.connect(self.submit)
        self.edit.filesPasted.connect(self.add_files)
        self.edit.imagePasted.connect(self.add_image_data)
        self.edit.installEventFilter(self)
        self.meter = LevelMeter()
        self.meter.hide()
        self.mic_button = action_button("mic", "", checkable=True, object_name="RoundButton", size=20)
        self.mic_button.setProperty("recording", "false")
        self.mic_button.toggled.connect(self._on_mic)
        self.handsfree_button = action_button("waves", "", checkable=True, object_name="RoundButton", size=20)
        self.handsfree_button.toggled.connect(self._on_handsfree)
        self.mute_button = action_button("mic-off", "", checkable=True, object_name="RoundButton", size=20)
        self.mute_button.toggled.connect(self.muteToggled)
        self.mute_button.hide()
        self.send_button = action_button("send", "", self._on_send_button, object_name="SendButton", size=20)
        self.send_button.setIcon(icon("send", "#ffffff"))
        for w in (self.attach_button, self.draw_button, self.params_button):
            row.addWidget(w, 0, Qt.AlignmentFlag.AlignBottom)
        row.addWidget(self.edit, 1)
        mic_box = QVBoxLayout()
        mic_box.setSpacing(1)
        mic_box.addWidget(self.mic_button)
        mic_box.addWidget(self.meter, 0, Qt.AlignmentFlag.AlignHCenter)
        row.addLayout(mic_box)
        row.addWidget(self.handsfree_button, 0, Qt.AlignmentFlag.AlignBottom)
        row.addWidget(self.mute_button, 0, Qt.AlignmentFlag.AlignBottom)
        row.addWidget(self.send_button, 0, Qt.AlignmentFlag.AlignBottom)
        outer.addWidget(self.frame)
        self.mode_label = QLabel()
        self.mode_label.setObjectName("Muted")
        self.mode_label.hide()
        outer.addWidget(self.mode_label)
        self.voice_label = QLabel()
        self.voice_label.setObjectName("Muted")
        self.voice_label.hide()
        outer.addWidget(self.voice_label)
        self.voice_state = "idle"
        self.edit_mode = False
        self._built = False
        on_language(self, self._retranslate)
        self._built = True

    def _retranslate(self) -> None:
        """The bar's texts in the interface's language, from its state (busy, recording, drawing)."""
        set_tip(self.attach_button, translate("InputBar", "Attach pictures"))
        set_tip(self.draw_button, translate("InputBar", "Draw: the message becomes a picture prompt"))
        set_tip(self.params_button, translate("InputBar", "Drawing parameters"))
        set_tip(self.handsfree_button, translate("InputBar", "Hands-free conversation: speak any time, talk to "
                                                 "interrupt"))
        set_tip(self.mute_button, translate("InputBar", "Mute: stop listening"))
        self.voice_label.setAccessibleName(translate("InputBar", "Voice state"))
        self._mic_tip()
        self._send_tip()
        self._update_mode_label()
        self.set_voice_state(self.voice_state)
        if self._built:  # after the message box's own relabelling (a child: it hears of the switch after this)
            QTimer.singleShot(0, self, self._update_placeholder)

    # ---- focus look ---------------------------------------------------------------------------
    def eventFilter(self, obj, ev):
        if obj is self.edit and ev.type() in (ev.Type.FocusIn, ev.Type.FocusOut):
            self.frame.setProperty("focus", "true" if ev.type() == ev.Type.FocusIn else "false")
            self.frame.style().unpolish(self.frame)
            self.frame.style().polish(self.frame)
        return False

    # ---- attachments --------------------------------------------------------------------------
    def choose_files(self) -> None:
        patterns = " ".join(f"*{s}" for s in sorted(IMAGE_SUFFIXES))
        files, _ = QFileDialog.getOpenFileNames(self, translate("InputBar", "Attach pictures"), str(Path.home()),
                                                translate("InputBar", "Pictures ({patterns})").format(patterns=patterns))
        if files:
            self.add_files(files)

    def add_files(self, paths: list[str]) -> list[str]:
        """Attach image files; others are refused with one line. Returns the added paths."""
        added, refused = [], []
        for p in paths:
            p = str(p)
            if not is_image_file(p):
                refused.append(Path(p).name or p)
            elif not Path(p).is_file():
                refused.append(Path(p).name or p)
            elif p not in self.images and len(self.images) < MAX_ATTACHMENTS:
                self.images.append(p)
                added.append(p)
        if refused:
            what = refused[0] if len(refused) == 1 else translate("InputBar", "{count} files ({names})").format(
                count=len(refused), names=", ".join(refused[:3]))
            self.problem.emit(translate("InputBar", "{what} not attached: only picture files (PNG, JPEG, WebP, GIF, "
                                        "BMP, TIFF, HEIC) can be attached").format(what=what))
        self._rebuild_chips()
        return added

    def add_image_data(self, image: QImage) -> str | None:
        self.attachments_dir.mkdir(parents=True, exist_ok=True)
        path = self.attachments_dir / f"pasted-{time.strftime('%Y%m%d-%H%M%S')}-{int(time.time() * 1000) % 1000}.png"
        if not image.save(str(path), "PNG"):
            self.problem.emit(translate("InputBar", "the pasted picture could not be saved: check free disk space"))
            return None
        self.add_files([str(path)])
        return str(path)

    def remove_image(self, path: str) -> None:
        if path in self.images:
            self.images.remove(path)
        self._rebuild_chips()

    def clear_images(self) -> None:
        self.images = []
        self._rebuild_chips()

    def _rebuild_chips(self) -> None:
        while self.chips_row.count():
            it = self.chips_row.takeAt(0)
            if it.widget():
                it.widget().deleteLater()
        for p in self.images:
            self.chips_row.addWidget(AttachmentChip(p, self.remove_image))
        self.chips_row.addStretch(1)
        self.chips.setVisible(bool(self.images))
        self._update_mode_label()

    # ---- modes ---------------------------------------------------------------------------------
    def _on_draw(self, on: bool) -> None:
        self.params_button.setVisible(on)
        if not on:
            self.params_button.setChecked(False)
            self.edit_mode = False
        self._update_placeholder()
        self._update_mode_label()

    def _update_placeholder(self) -> None:
        self.edit.setPlaceholderText(translate("InputBar", "Describe the picture to draw…  (Enter to start)")
                                     if self.draw_button.isChecked() else
                                     translate("InputBar", "Message Sensorium…  (Shift+Enter: new line)"))

    def set_edit_mode(self, path: str, prompt: str = "") -> None:
        """'Edit this': the picture becomes the input of an img2img turn."""
        self.clear_images()
        self.add_files([path])
        self.draw_button.setChecked(True)
        self.edit_mode = True
        if prompt:
            self.edit.setPlainText(prompt)
        self._update_mode_label()
        self.edit.setFocus()

    def _update_mode_label(self) -> None:
        text = ""
        if self.draw_button.isChecked():
            text = (translate("InputBar", "Editing the attached picture: describe the change")
                    if (self.edit_mode or self.images)
                    else translate("InputBar", "Drawing: your message is the picture prompt"))
        self.mode_label.setText(text)
        self.mode_label.setVisible(bool(text))

    # ---- sending --------------------------------------------------------------------------------
    def mode(self) -> str:
        if not self.draw_button.isChecked():
            return ""
        return "edit" if self.images else "draw"

    def submit(self, interrupt: bool = False) -> bool:
        """Send what is typed (and attached); True when the send was accepted and the box cleared."""
        text = self.edit.toPlainText().strip()
        if not text and not self.images:
            return False
        mode = self.mode()
        if mode == "edit" and not text:
            self.problem.emit(translate("InputBar", "describe how the picture should change, then press Enter"))
            return False
        opts = self.params.options() if mode else None
        if self.send_handler is not None and \
                self.send_handler(text, list(self.images), mode, opts, bool(interrupt)) is None:
            return False  # refused: what was typed stays
        self.sendRequested.emit(text, list(self.images), mode, opts)
        self.edit.clear()
        self.clear_images()
        if self.edit_mode:
            self.edit_mode = False
            self._update_mode_label()
        return True

    def _on_send_button(self) -> None:
        if self.busy and not self.edit.toPlainText().strip():
            self.stopRequested.emit()
        else:
            self.submit()

    def set_busy(self, busy: bool) -> None:
        self.busy = busy
        self.send_button.setProperty("busy", "true" if busy else "false")
        self.send_button.setIcon(icon("stop" if busy else "send", "#ffffff"))
        self._send_tip()
        self.send_button.style().unpolish(self.send_button)
        self.send_button.style().polish(self.send_button)

    def _send_tip(self) -> None:
        self.send_button.setToolTip(translate("InputBar", "Stop (Esc)") if self.busy
                                    else translate("InputBar", "Send (Enter)"))
        self.send_button.setAccessibleName(translate("InputBar", "Stop") if self.busy else translate("InputBar", "Send"))

    # ---- mic -----------------------------------------------------------------------------------
    def _on_mic(self, on: bool) -> None:
        self.mic_button.setProperty("recording", "true" if on else "false")
        self.mic_button.setIcon(icon("mic", "#d92d20") if on else icon("mic"))
        self._mic_tip()
        self.mic_button.style().unpolish(self.mic_button)
        self.mic_button.style().polish(self.mic_button)
        self.meter.setVisible(on or self.handsfree_button.isChecked())
        self.micToggled.emit(on)

    def _mic_tip(self) -> None:
        if self.mic_button.isChecked():
            self.mic_button.setToolTip(translate("InputBar", "Stop recording and send"))
        else:  # its accessible name too, as action_button gives it
            set_tip(self.mic_button, translate("InputBar", "Record a voice message (hold Ctrl+Space)"))

    def _on_handsfree(self, on: bool) -> None:
        self.mute_button.setVisible(on)
        if not on:
            self.mute_button.setChecked(False)  # unmutes the voice loop too (muteToggled)
            self.set_voice_state("idle")
        self.meter.setVisible(on or self.mic_button.isChecked())
        self.handsFreeToggled.emit(on)

    def set_voice_state(self, state: str) -> None:
        """listening | speech | thinking | speaking | muted | idle: one line under the prompt."""
        self.voice_state = state
        text = self.VOICE_STATES.get(state, "")
        text = translate("InputBar", text) if text else ""
        self.voice_label.setText(text)
        self.voice_label.setVisible(bool(text))

    def restyle(self) -> None:
        for b in (self.attach_button, self.draw_button, self.params_button, self.mic_button, self.handsfree_button,
                  self.mute_button):
            b.setIcon(icon(b.property("icon_name")))
        self.set_busy(self.busy)
