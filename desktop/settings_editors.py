"""What the Settings screen shows where, and one editor widget per setting, made from the schema.

``LAYOUT`` puts each setting of pipelines.settings on one of five pages, in a group; a setting
the schema gains later, and LAYOUT does not name yet, lands on its section's page
(``SECTION_PAGES``), so every setting always has exactly one editor.
"""
from __future__ import annotations

import dataclasses
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QLineEdit,
    QSizePolicy,
    QSpinBox,
    QWidget,
)

from pipelines.settings import Settings, describe

__all__ = ["Key", "PAGES", "LAYOUT", "SERVER_GROUPS", "SECTION_PAGES", "SYSTEM_DEFAULT", "label_for", "placement", "schema_meta",
           "make_editor", "device_combo", "read_editor", "show_value", "one_line"]

Key = tuple[str, str]
PAGES = ("Models", "Voice", "Drawing", "Servers", "Privacy", "Appearance")
#: The roles that can run on a serving engine, in screen order, with their group titles.
SERVER_GROUPS = {"chat": "Replies (language model)", "asr": "Speech recognition", "tts": "Speech synthesis",
                 "embed": "Text embeddings", "imagegen": "Image generation", "vlm": "Image questions"}
_SERVER_KEYS = ("use_server", "base_url", "model", "timeout_s", "retries")
#: page -> [(group title, settings in that group)], in screen order.
LAYOUT: dict[str, list[tuple[str, list[Key]]]] = {
    "Models": [
        ("Models", [("models", k) for k in ("profile", "chat", "asr", "tts", "vision", "vlm", "imagegen", "embed",
                                             "hf_cache_dir")]),
        ("Replies", [("chat", k) for k in ("system_prompt", "temperature", "top_p", "max_new_tokens",
                                           "context_tokens", "adapt_tone")]),
        ("Understanding requests", [("general", "ask_when_unsure")]),
        ("Hardware", [("device", k) for k in ("device", "dtype", "gpu_memory_budget_gb", "idle_unload_minutes",
                                              "cpu_threads")]),
    ],
    "Voice": [
        ("Devices", [("voice", "input_device"), ("voice", "output_device")]),
        ("Listening", [("voice", k) for k in ("mode", "end_silence_ms", "barge_in", "echo_cancellation", "vad")]),
        ("Speech recognition", [("voice", k) for k in ("language", "turn_beam_size", "file_beam_size",
                                                      "word_timestamps")]),
        ("Speech synthesis", [("general", "speak_replies"), ("voice", "tts_engine"), ("voice", "voice")]),
    ],
    "Drawing": [
        ("Pictures", [("imagegen", k) for k in ("width", "height", "steps", "guidance", "scheduler", "strength",
                                                "negative_prompt")]),
        ("Results", [("imagegen", k) for k in ("best_of", "preview_every", "safety_checker")]),
    ],
    "Privacy": [
        ("History", [("general", "history_enabled")]),
        ("Downloads", [("models", k) for k in ("allow_downloads", "hub_endpoint", "download_timeout_s")]),
        ("Trusted files", [("models", "trusted_files")]),
    ],
    "Servers": [(title, [(f"servers.{role}", k) for k in _SERVER_KEYS]) for role, title in SERVER_GROUPS.items()],
    "Appearance": [("Theme", [("general", "theme")])],
}
SECTION_PAGES = {"general": "Appearance", "device": "Models", "models": "Models", "chat": "Models",
                 "imagegen": "Drawing", "voice": "Voice"}
_SECTION_GROUPS = {"general": "General", "device": "Hardware", "models": "Models", "chat": "Replies",
                   "imagegen": "Pictures", "voice": "Voice"}
SYSTEM_DEFAULT = "System default"
_LABELS = {("models", "asr"): "Speech recognition", ("models", "vision"): "Image understanding",
           ("models", "vlm"): "Image questions",
           ("models", "chat"): "Language model", ("models", "imagegen"): "Image generation",
           ("models", "tts"): "Speech synthesis", ("models", "embed"): "Text embeddings",
           ("models", "profile"): "Catalog profile", ("servers.chat", "use_server"): "Replies come from a server",
           **{(f"servers.{r}", "use_server"): "Run on a server" for r in SERVER_GROUPS if r != "chat"},
           **{(f"servers.{r}", "base_url"): "Server address" for r in SERVER_GROUPS},
           ("voice", "input_device"): "Microphone", ("voice", "output_device"): "Speaker",
           ("voice", "vad"): "Voice activity detection", ("voice", "tts_engine"): "Engine",
           ("device", "device"): "Run models on", ("device", "dtype"): "Precision",
           ("general", "theme"): "Theme"}
_WORDS = {"gpu": "GPU", "cpu": "CPU", "tts": "TTS", "asr": "ASR", "ms": "(ms)", "s": "(s)", "gb": "(GB)",
          "url": "URL", "hf": "HF", "vad": "VAD", "dir": "folder"}


def label_for(section: str, key: str) -> str:
    """The label a setting has on the screen."""
    if (section, key) in _LABELS:
        return _LABELS[(section, key)]
    text = " ".join(_WORDS.get(w, w) for w in key.split("_"))
    return text[:1].upper() + text[1:]


def one_line(e: BaseException | str) -> str:
    return " ".join(str(e).split())[:300]


def placement(keys: list[Key]) -> dict[str, list[tuple[str, list[Key]]]]:
    """LAYOUT for the schema's ``keys``: settings LAYOUT names but the schema lacks are left out,
    settings it does not name go to their section's page."""
    present = set(keys)
    placed = {k for groups in LAYOUT.values() for _g, ks in groups for k in ks}
    out = {page: [(g, [k for k in ks if k in present]) for g, ks in LAYOUT[page]] for page in PAGES}
    for key in keys:
        if key not in placed:
            groups = out[SECTION_PAGES.get(key[0], "Models")]
            title = _SECTION_GROUPS.get(key[0], key[0].title())
            if not groups or groups[-1][0] != title:
                groups.append((title, []))
            groups[-1][1].append(key)
    return out


def schema_meta() -> dict[Key, dict]:
    """Each setting's schema metadata (choices, min, max, kind, optional)."""
    defaults = Settings()
    return {(section, key): dict(_field(defaults.section(section), key).metadata)
            for section, key, _default, _text in describe()}


def _field(obj: Any, name: str) -> dataclasses.Field:
    return next(f for f in dataclasses.fields(obj) if f.name == name)


class _WheelWhenFocused:
    """A scrolled page must not change a value under the mouse: the wheel edits only a focused box."""

    def wheelEvent(self, e):
        if self.hasFocus():
            super().wheelEvent(e)
        else:
            e.ignore()


class _Combo(_WheelWhenFocused, QComboBox):
    pass


class _Spin(_WheelWhenFocused, QSpinBox):
    pass


class _DoubleSpin(_WheelWhenFocused, QDoubleSpinBox):
    pass


def make_editor(value: Any, meta: dict) -> QWidget:
    """A combo box (choices), check box, spin box or line edit (a list: paths separated by ;)."""
    # an optional number (None: the model's default) gets one step below its range, shown as
    # "Model default" (Qt's special value text), and None is read back from there in read_editor()
    optional = bool(meta.get("optional"))
    if optional and value is None:
        value = meta["kind"]()
        low = meta.get("min")
        value = (low - (1 if meta["kind"] is int else 0.01)) if low is not None else value
    if meta.get("choices"):
        w: QWidget = _Combo()
        for c in meta["choices"]:
            w.addItem(str(c), c)
        w.setCurrentIndex(list(meta["choices"]).index(value) if value in meta["choices"] else 0)
    elif isinstance(value, bool):
        w = QCheckBox()
        w.setChecked(value)
        w.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)  # a click beside it is not on it
    elif isinstance(value, int):
        w = _Spin()
        w.setRange(int(meta["min"]) - int(optional) if meta.get("min") is not None else -(2**31),
                   int(meta["max"]) if meta.get("max") is not None else 2**31 - 1)
        w.setValue(value)
    elif isinstance(value, float):
        w = _DoubleSpin()
        w.setDecimals(2)
        w.setRange(meta["min"] - 0.01 * optional if meta.get("min") is not None else -1e9,
                   meta["max"] if meta.get("max") is not None else 1e9)
        w.setValue(value)
    elif isinstance(value, list):
        w = QLineEdit()
        w.setPlaceholderText("paths separated by ;")
    else:
        w = QLineEdit()
    if isinstance(w, QLineEdit):
        show_value(w, value)
    if optional and isinstance(w, (QSpinBox, QDoubleSpinBox)):
        w.setSpecialValueText("Model default")
    if isinstance(w, QAbstractSpinBox):
        w.setKeyboardTracking(False)  # typing "15" is one change, not "1" then "15"
    if isinstance(w, (QComboBox, QAbstractSpinBox)):
        w.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    return w


def device_combo(names: list[str], current: str) -> QComboBox:
    """"System default" (value ''), the devices there now, and the configured one if it is not."""
    w = _Combo()
    w.addItem(SYSTEM_DEFAULT, "")
    for name in names:
        w.addItem(name, name)
    show_value(w, current)
    return w


def read_editor(w: QWidget, is_list: bool = False) -> Any:
    if isinstance(w, QComboBox):
        return w.currentData()
    if isinstance(w, QCheckBox):
        return w.isChecked()
    if isinstance(w, (QSpinBox, QDoubleSpinBox)):
        return None if w.specialValueText() and w.value() == w.minimum() else w.value()
    text = w.text()
    return [p.strip() for p in text.split(";") if p.strip()] if is_list else text


def show_value(w: QWidget, value: Any) -> None:
    """Put a value in an editor (its change signal fires as usual)."""
    if isinstance(w, QComboBox):
        i = w.findData(value)
        if i < 0:  # a device configured earlier that is not connected now stays choosable
            w.addItem(f"{value} (not connected)", value)
            i = w.count() - 1
        w.setCurrentIndex(i)
    elif isinstance(w, QCheckBox):
        w.setChecked(bool(value))
    elif isinstance(w, (QSpinBox, QDoubleSpinBox)):
        w.setValue(w.minimum() if value is None else value)
    else:
        w.setText("; ".join(value) if isinstance(value, list) else str(value))
        w.setCursorPosition(0)  # a long value shows its beginning
