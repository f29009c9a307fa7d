"""What the Settings screen shows where, and one editor widget per setting, made from the schema.

``LAYOUT`` puts each setting of pipelines.settings on one of seven pages, in a group; a setting
the schema gains later, and LAYOUT does not name yet, lands on its section's page
(``SECTION_PAGES``), so every setting always has exactly one editor.
"""
from __future__ import annotations

import dataclasses
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt
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

from .i18n import LANGUAGES, translate

__all__ = ["Key", "PAGES", "LAYOUT", "SERVER_GROUPS", "SECTION_PAGES", "SYSTEM_DEFAULT", "CHOICE_WORDS", "label_for",
           "placement", "schema_meta", "make_editor", "device_combo", "read_editor", "show_value", "relabel_editor",
           "choice_text", "one_line"]

# The page and group titles, labels and choice words below are shown through translate("settings", ...);
# the settings' descriptions too (they come from pipelines.settings), under the same context.
Key = tuple[str, str]
PAGES = (QT_TRANSLATE_NOOP("settings", "Models"), QT_TRANSLATE_NOOP("settings", "Voice"),
         QT_TRANSLATE_NOOP("settings", "Drawing"), QT_TRANSLATE_NOOP("settings", "Knowledge"),
         QT_TRANSLATE_NOOP("settings", "Servers"), QT_TRANSLATE_NOOP("settings", "Privacy"),
         QT_TRANSLATE_NOOP("settings", "Appearance"))
#: The roles that can run on a serving engine, in screen order, with their group titles.
SERVER_GROUPS = {"chat": QT_TRANSLATE_NOOP("settings", "Replies (language model)"),
                 "asr": QT_TRANSLATE_NOOP("settings", "Speech recognition"),
                 "tts": QT_TRANSLATE_NOOP("settings", "Speech synthesis"),
                 "embed": QT_TRANSLATE_NOOP("settings", "Text embeddings"),
                 "imagegen": QT_TRANSLATE_NOOP("settings", "Image generation"),
                 "vlm": QT_TRANSLATE_NOOP("settings", "Image questions")}
_SERVER_KEYS = ("use_server", "base_url", "model", "timeout_s", "retries")
#: page -> [(group title, settings in that group)], in screen order.
LAYOUT: dict[str, list[tuple[str, list[Key]]]] = {
    "Models": [
        (QT_TRANSLATE_NOOP("settings", "Models"),
         [("models", k) for k in ("profile", "chat", "asr", "tts", "vision", "vlm", "imagegen", "embed",
                                  "hf_cache_dir")]),
        (QT_TRANSLATE_NOOP("settings", "Replies"),
         [("chat", k) for k in ("system_prompt", "temperature", "top_p", "max_new_tokens", "context_tokens",
                                "adapt_tone")]),
        (QT_TRANSLATE_NOOP("settings", "Understanding requests"), [("general", "ask_when_unsure")]),
        (QT_TRANSLATE_NOOP("settings", "Hardware"),
         [("device", k) for k in ("device", "dtype", "gpu_memory_budget_gb", "idle_unload_minutes", "cpu_threads")]),
    ],
    "Voice": [
        (QT_TRANSLATE_NOOP("settings", "Devices"), [("voice", "input_device"), ("voice", "output_device")]),
        (QT_TRANSLATE_NOOP("settings", "Listening"),
         [("voice", k) for k in ("mode", "end_silence_ms", "barge_in", "echo_cancellation", "vad")]),
        (QT_TRANSLATE_NOOP("settings", "Speech recognition"),
         [("voice", k) for k in ("language", "turn_beam_size", "file_beam_size", "word_timestamps")]),
        (QT_TRANSLATE_NOOP("settings", "Speech synthesis"),
         [("general", "speak_replies"), ("voice", "tts_engine"), ("voice", "voice")]),
    ],
    "Drawing": [
        (QT_TRANSLATE_NOOP("settings", "Pictures"),
         [("imagegen", k) for k in ("width", "height", "steps", "guidance", "scheduler", "strength",
                                    "negative_prompt")]),
        (QT_TRANSLATE_NOOP("settings", "Results"),
         [("imagegen", k) for k in ("best_of", "preview_every", "safety_checker")]),
    ],
    "Knowledge": [
        (QT_TRANSLATE_NOOP("settings", "Your documents"), [("documents", k) for k in ("answer", "top_k",
                                                                                       "min_score", "chunk_chars")]),
        (QT_TRANSLATE_NOOP("settings", "Memory"), [("memory", k) for k in ("enabled", "max_in_prompt")]),
        (QT_TRANSLATE_NOOP("settings", "Learning from your ratings"), [("learning", "use_adapter")]),
    ],
    "Privacy": [
        (QT_TRANSLATE_NOOP("settings", "History"), [("general", "history_enabled")]),
        (QT_TRANSLATE_NOOP("settings", "Downloads"),
         [("models", k) for k in ("allow_downloads", "hub_endpoint", "download_timeout_s")]),
        (QT_TRANSLATE_NOOP("settings", "Trusted files"), [("models", "trusted_files")]),
    ],
    "Servers": [(title, [(f"servers.{role}", k) for k in _SERVER_KEYS]) for role, title in SERVER_GROUPS.items()],
    "Appearance": [(QT_TRANSLATE_NOOP("settings", "Theme and language"),
                    [("general", "theme"), ("general", "language")])],
}
SECTION_PAGES = {"general": "Appearance", "device": "Models", "models": "Models", "chat": "Models",
                 "imagegen": "Drawing", "voice": "Voice", "documents": "Knowledge", "memory": "Knowledge",
                 "learning": "Knowledge"}
_SECTION_GROUPS = {"general": QT_TRANSLATE_NOOP("settings", "General"),
                   "device": QT_TRANSLATE_NOOP("settings", "Hardware"),
                   "models": QT_TRANSLATE_NOOP("settings", "Models"),
                   "chat": QT_TRANSLATE_NOOP("settings", "Replies"),
                   "imagegen": QT_TRANSLATE_NOOP("settings", "Pictures"),
                   "voice": QT_TRANSLATE_NOOP("settings", "Voice"),
                   "documents": QT_TRANSLATE_NOOP("settings", "Your documents"),
                   "memory": QT_TRANSLATE_NOOP("settings", "Memory"),
                   "learning": QT_TRANSLATE_NOOP("settings", "Learning from your ratings")}
SYSTEM_DEFAULT = QT_TRANSLATE_NOOP("settings", "System default")
_LABELS = {("models", "asr"): QT_TRANSLATE_NOOP("settings", "Speech recognition"),
           ("models", "vision"): QT_TRANSLATE_NOOP("settings", "Image understanding"),
           ("models", "vlm"): QT_TRANSLATE_NOOP("settings", "Image questions"),
           ("models", "chat"): QT_TRANSLATE_NOOP("settings", "Language model"),
           ("models", "imagegen"): QT_TRANSLATE_NOOP("settings", "Image generation"),
           ("models", "tts"): QT_TRANSLATE_NOOP("settings", "Speech synthesis"),
           ("models", "embed"): QT_TRANSLATE_NOOP("settings", "Text embeddings"),
           ("models", "profile"): QT_TRANSLATE_NOOP("settings", "Catalog profile"),
           ("servers.chat", "use_server"): QT_TRANSLATE_NOOP("settings", "Replies come from a server"),
           **{(f"servers.{r}", "use_server"): QT_TRANSLATE_NOOP("settings", "Run on a server")
              for r in SERVER_GROUPS if r != "chat"},
           **{(f"servers.{r}", "base_url"): QT_TRANSLATE_NOOP("settings", "Server address") for r in SERVER_GROUPS},
           ("voice", "input_device"): QT_TRANSLATE_NOOP("settings", "Microphone"),
           ("voice", "output_device"): QT_TRANSLATE_NOOP("settings", "Speaker"),
           ("voice", "vad"): QT_TRANSLATE_NOOP("settings", "Voice activity detection"),
           ("voice", "tts_engine"): QT_TRANSLATE_NOOP("settings", "Engine"),
           ("device", "device"): QT_TRANSLATE_NOOP("settings", "Run models on"),
           ("device", "dtype"): QT_TRANSLATE_NOOP("settings", "Precision"),
           ("general", "theme"): QT_TRANSLATE_NOOP("settings", "Theme"),
           ("general", "language"): QT_TRANSLATE_NOOP("settings", "Language"),
           ("documents", "answer"): QT_TRANSLATE_NOOP("settings", "Answers from documents"),
           ("documents", "top_k"): QT_TRANSLATE_NOOP("settings", "Passages per answer"),
           ("documents", "min_score"): QT_TRANSLATE_NOOP("settings", "Least similarity"),
           ("documents", "chunk_chars"): QT_TRANSLATE_NOOP("settings", "Passage length (characters)"),
           ("memory", "enabled"): QT_TRANSLATE_NOOP("settings", "Use and offer memories"),
           ("memory", "max_in_prompt"): QT_TRANSLATE_NOOP("settings", "Memories per reply"),
           ("learning", "use_adapter"): QT_TRANSLATE_NOOP("settings", "Answer with the learned adapter")}
_WORDS = {"gpu": "GPU", "cpu": "CPU", "tts": "TTS", "asr": "ASR", "ms": "(ms)", "s": "(s)", "gb": "(GB)",
          "url": "URL", "hf": "HF", "vad": "VAD", "dir": "folder"}
#: The words a choice combo shows for the stored values that are words (the others, such as
#: "cuda", "float16" or "llama.cpp", are shown as they are); the stored data stays the value.
CHOICE_WORDS = {"system": QT_TRANSLATE_NOOP("settings", "System"), "light": QT_TRANSLATE_NOOP("settings", "Light"),
                "dark": QT_TRANSLATE_NOOP("settings", "Dark"), "auto": QT_TRANSLATE_NOOP("settings", "Automatic"),
                "default": QT_TRANSLATE_NOOP("settings", "Default"),
                "push-to-talk": QT_TRANSLATE_NOOP("settings", "Push to talk"),
                "hands-free": QT_TRANSLATE_NOOP("settings", "Hands-free"),
                "write": QT_TRANSLATE_NOOP("settings", "Written by the model"),
                "quote": QT_TRANSLATE_NOOP("settings", "Quoted from the documents")}


def choice_text(value: Any) -> str:
    """What a choice combo shows for ``value``: a language in its own words (never translated),
    a word of CHOICE_WORDS in the interface's language, anything else as it is stored."""
    if value in LANGUAGES:
        return LANGUAGES[value]
    return translate("settings", CHOICE_WORDS.get(value, str(value)))


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
    """A combo whose item texts are made from the items' data (``text_of``), so that a language
    switch can relabel them (``relabel``) without touching the data or the current item.
    ``missing`` holds the values shown as not connected (a device configured earlier)."""

    def __init__(self, text_of: Any = str):
        super().__init__()
        self.text_of = text_of
        self.missing: set = set()

    def item_text(self, value: Any) -> str:
        if value in self.missing:
            return translate("SettingsEditors", "{device} (not connected)").format(device=value)
        return self.text_of(value)

    def add(self, value: Any) -> None:
        self.addItem(self.item_text(value), value)

    def relabel(self) -> None:
        for i in range(self.count()):
            self.setItemText(i, self.item_text(self.itemData(i)))


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
        w: QWidget = _Combo(choice_text)
        for c in meta["choices"]:
            w.add(c)
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
        w.setProperty("paths", True)  # its placeholder says how to type a list (relabel_editor)
    else:
        w = QLineEdit()
    if isinstance(w, QLineEdit):
        show_value(w, value)
    if optional and isinstance(w, (QSpinBox, QDoubleSpinBox)):
        w.setSpecialValueText(translate("SettingsEditors", "Model default"))
    relabel_editor(w)  # the list's hint
    if isinstance(w, QAbstractSpinBox):
        w.setKeyboardTracking(False)  # typing "15" is one change, not "1" then "15"
    if isinstance(w, (QComboBox, QAbstractSpinBox)):
        w.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    return w


def device_combo(names: list[str], current: str) -> QComboBox:
    """"System default" (value ''), the devices there now, and the configured one if it is not."""
    w = _Combo(lambda name: translate("settings", SYSTEM_DEFAULT) if name == "" else name)
    w.add("")
    for name in names:
        w.add(name)
    show_value(w, current)
    return w


def relabel_editor(w: QWidget) -> None:
    """Word an editor's own texts (choice items, "Model default", a list's hint) in the current
    language; its value, data and current item stay as they are."""
    if isinstance(w, _Combo):
        w.relabel()
    elif isinstance(w, (QSpinBox, QDoubleSpinBox)) and w.specialValueText():
        w.setSpecialValueText(translate("SettingsEditors", "Model default"))
    elif isinstance(w, QLineEdit) and w.property("paths"):
        w.setPlaceholderText(translate("SettingsEditors", "paths separated by ;"))


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
            if isinstance(w, _Combo):
                w.missing.add(value)
                w.add(value)
            else:
                w.addItem(translate("SettingsEditors", "{device} (not connected)").format(device=value), value)
            i = w.count() - 1
        w.setCurrentIndex(i)
    elif isinstance(w, QCheckBox):
        w.setChecked(bool(value))
    elif isinstance(w, (QSpinBox, QDoubleSpinBox)):
        w.setValue(w.minimum() if value is None else value)
    else:
        w.setText("; ".join(value) if isinstance(value, list) else str(value))
        w.setCursorPosition(0)  # a long value shows its beginning
