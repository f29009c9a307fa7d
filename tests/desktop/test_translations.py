"""The Chinese interface is complete: every string of desktop/ and of the data it shows (errors,
settings, the catalog) has a translation in assets/translations, and the real window in Chinese,
its menus, Settings (every page), the Models dialog and the first-run screen show no English word
that is not a name. Each test fails with the list of what is missing."""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QMenu,
    QPlainTextEdit,
    QTabBar,
    QTableWidget,
    QTextEdit,
    QTreeWidget,
    QWidget,
)

from pipelines.catalog import Catalog
from pipelines.settings import Settings

from .conftest import make_window, wait_turn

ROOT = Path(__file__).resolve().parents[2]
I18N = ROOT / "packaging" / "i18n.py"

#: Names that stay as they are in any language: the product, models, libraries, formats, units.
NAMES = {
    "sensorium", "whisper", "clip", "piper", "coqui", "vits", "xtts", "gguf", "onnx", "safetensors", "ctranslate",
    "smollm", "minilm", "smolvlm", "qwen", "stable", "diffusion", "turbo", "instruct", "llama", "cpp", "vllm",
    "sglang", "ollama", "lm", "studio", "openai", "hugging", "face", "hub", "cuda", "cpu", "gpu", "mps", "api",
    "url", "http", "https", "localhost", "json", "markdown", "png", "jpeg", "wav", "mp3", "vad", "tts", "asr", "fp",
    "bf", "int", "float", "bfloat", "english", "joe", "ryan", "lessac", "huayan", "sd", "vit", "tiny", "en", "zh",
    "ctrl", "shift", "alt", "esc", "enter", "space", "tab", "del", "backspace", "f", "hz", "khz", "ms", "mb", "gb",
    "kb", "db", "dbfs", "dpm", "euler", "ddim", "lms", "pndm", "unipc", "heun", "karras", "base", "small", "large",
    "medium", "webrtc", "livekit", "pcm", "sha", "dpo", "sft", "lora", "mpnet", "all", "paraphrase", "multilingual",
    "keyring", "speaches", "faster", "server", "whisperx", "espeak", "ng", "torch", "transformers", "diffusers",
    "open_clip", "sentence", "qt", "pyside", "kokoro", "sdxl", "flux", "xl", "rocm", "nvidia", "mac", "windows",
    "linux", "lt", "gt", "pt", "b", "m", "k", "s", "x", "v", "openclip", "laion", "siglip", "idefics", "mit",
    "apache", "stability", "ai", "python", "hf", "top", "p", "token", "tokens", "pickle", "auto", "delete", "pypi",
    "creativeml", "openrail", "cc", "research", "license", "gpt", "home", "end", "pgup", "pgdn",
}
#: Widgets that quote a library's or the system's own words (the sound system's error), which no
#: translation can change; everything around the quote is still checked in the widgets that frame it.
QUOTES_THE_SYSTEM = {"SettingsMeterNote"}
_SKIP = re.compile(r"(https?://\S+|`[^`]*`|\b\w+(?:\.\w+)+\b|(?<![\w.])\.\w+|\b\w+(?:[-_]\w+)+\b|\S*[/\\]\S*|\S+\.(?:gguf|onnx|json|png|txt|md|toml|sqlite3)\b|\b[\w.-]*\d[\w.-]*\b"
                   r"|<[^>]+>|&\w+;)")


def english_words(text: str, names: set[str]) -> list[str]:
    """The words of ``text`` that are English and not names (paths, links, model ids, tags dropped)."""
    text = _SKIP.sub(" ", text.replace("&&", "&"))
    words = re.findall(r"[A-Za-z][A-Za-z']*", text.replace("&", ""))
    return [w for w in words if w.lower().strip("'") not in names and len(w) > 1]


def visible_texts(root: QWidget) -> list[tuple[str, str]]:
    """(where, text) of everything a person can read in ``root``: labels, buttons, titles, menus,
    items, placeholders and tooltips of the widgets shown."""
    out: list[tuple[str, str]] = []

    def add(w: QWidget, what: str, text: str) -> None:
        if text and text.strip():
            out.append((f"{type(w).__name__} {w.objectName() or ''} {what}".strip(), text))

    for w in [root, *root.findChildren(QWidget)]:
        if not (w is root or w.isVisibleTo(root)) and not isinstance(w, QMenu):
            continue
        if w.objectName() in QUOTES_THE_SYSTEM:
            continue
        add(w, "tooltip", w.toolTip())
        add(w, "accessible name", w.accessibleName())
        if w.isWindow():
            add(w, "title", w.windowTitle())
        if isinstance(w, QLabel):
            add(w, "text", w.text())
        elif isinstance(w, QAbstractButton):
            add(w, "text", w.text())
        elif isinstance(w, QGroupBox):
            add(w, "title", w.title())
        elif isinstance(w, (QLineEdit, QPlainTextEdit, QTextEdit)):
            add(w, "placeholder", w.placeholderText())
        elif isinstance(w, QComboBox):
            for i in range(w.count()):
                add(w, f"item {i}", w.itemText(i))
        elif isinstance(w, QListWidget):
            for i in range(w.count()):
                add(w, f"item {i}", w.item(i).text())
        elif isinstance(w, QTabBar):
            for i in range(w.count()):
                add(w, f"tab {i}", w.tabText(i))
        elif isinstance(w, QTreeWidget):
            h = w.headerItem()
            for i in range(h.columnCount()):
                add(w, f"header {i}", h.text(i))
        elif isinstance(w, QTableWidget):
            for i in range(w.columnCount()):
                item = w.horizontalHeaderItem(i)
                add(w, f"header {i}", item.text() if item else "")
        if isinstance(w, QMenu):
            add(w, "title", w.title())
            for a in w.actions():
                add(w, f"action {a.objectName()}", a.text())
                add(w, f"action {a.objectName()} tooltip", a.toolTip() if a.toolTip() != a.text().replace("&", "")
                    else "")
    return out


def untranslated(root: QWidget, names: set[str]) -> list[str]:
    return sorted({f"{where}: {text!r}" for where, text in visible_texts(root) if english_words(text, names)})


def _catalog_names(profile) -> set[str]:
    names = set(NAMES)
    for m in Catalog.load(Settings(), profile).entries():
        names.update(w.lower() for w in re.findall(r"[A-Za-z]+", m.name))
    return names


@pytest.fixture(scope="module")
def translations_dir(tmp_path_factory) -> Path:
    """The committed .ts files, refreshed from today's sources (lupdate) and compiled, in a temp
    folder: the repository is not written."""
    out = tmp_path_factory.mktemp("translations")
    for ts in (ROOT / "assets" / "translations").glob("*.ts"):
        shutil.copy(ts, out / ts.name)
    code = (f"import sys; sys.path.insert(0, {str(I18N.parent)!r}); import i18n; from pathlib import Path; "
            f"i18n.build([], Path({str(out)!r}))")
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)
    return out


def test_every_string_has_a_chinese_translation(translations_dir):
    sys.path.insert(0, str(I18N.parent))
    try:
        import i18n
    finally:
        sys.path.remove(str(I18N.parent))
    missing = i18n.unfinished(translations_dir)
    assert not missing, f"{len(missing)} strings have no Chinese translation:\n" + "\n".join(missing)


def test_every_translation_keeps_its_fields(translations_dir):
    """A translation must fill the same {named} fields (and %n) as its English source, or the window
    would show a raw template."""
    sys.path.insert(0, str(I18N.parent))
    try:
        import i18n
    finally:
        sys.path.remove(str(I18N.parent))
    bad = []
    for ts in translations_dir.glob("*.ts"):
        for (ctx, source), text in i18n.read_ts(ts).items():
            fields = sorted(re.findall(r"\{\w*\}|%n", source))
            if text and sorted(re.findall(r"\{\w*\}|%n", text)) != fields:
                bad.append(f"{ctx}: {source!r} -> {text!r}")
    assert not bad, "translations that lost or added a field:\n" + "\n".join(bad)


def _first_run_texts(qtbot, profile, tmp_path, names) -> list[str]:
    """The first-run screen over the real catalog, after its check of this computer."""
    from desktop.controller import Controller
    from desktop.firstrun import FirstRunDialog
    from pipelines.engine import Engine

    s = Settings()
    s.device.device = "cpu"
    s.models.hf_cache_dir = str(tmp_path / "no-hf-cache")
    engine = Engine(s, profile)
    controller = Controller(engine)
    dlg = FirstRunDialog(engine, controller, s, profile)
    qtbot.addWidget(dlg)
    dlg.show()
    try:
        qtbot.waitUntil(lambda: dlg.pages.currentIndex() == 1, timeout=30000)
        return untranslated(dlg, names)
    finally:
        dlg.close()
        controller.shutdown()
        controller.wait_idle(10000)


@pytest.mark.weights
def test_chinese_window_has_no_untranslated_string(qtbot, qapp, fake_engine, warm_profile, translations_dir,
                                                    tmp_path):
    from desktop.i18n import Translations

    translations = Translations(qapp, directory=translations_dir)
    assert translations.apply("zh_CN")
    try:
        names = _catalog_names(warm_profile)
        w = make_window(qtbot, fake_engine, warm_profile, translations=translations)
        w.send_text("hello there, with **markdown**")
        wait_turn(qtbot, w)
        w.view.select(w.view.items[-1])  # the side panel shows the reply's details
        problems = untranslated(w, names)
        for menu in w.menuBar().findChildren(QMenu):
            problems += untranslated(menu, names)
        settings = w.open_settings()
        for row in range(settings.page_list.count()):
            settings.page_list.setCurrentRow(row)
            problems += [f"Settings page {row}: {p}" for p in untranslated(settings, names)]
        settings.close()
        models = w.open_models()
        problems += [f"Models: {p}" for p in untranslated(models, names)]
        models.close()
        problems += [f"First run: {p}" for p in _first_run_texts(qtbot, warm_profile, tmp_path, names)]
        problems = sorted(set(problems))
        assert not problems, f"{len(problems)} untranslated strings in the Chinese window:\n" + "\n".join(problems)
        w.close()
    finally:
        translations.apply("en")


def test_the_check_finds_an_english_string(qtbot):
    """The detector itself: an English label is reported, a Chinese one with names and paths is not."""
    box = QWidget()
    qtbot.addWidget(box)
    QLabel("Speech recognition", box).setObjectName("english")
    QLabel("语音识别：whisper-tiny.en，Ctrl+N，/home/lin/a.png，CUDA 12", box).setObjectName("chinese")
    box.show()
    found = untranslated(box, NAMES)
    assert found == ["QLabel english text: 'Speech recognition'"], found


def test_the_language_follows_the_locale_unless_settings_name_one():
    from PySide6.QtCore import QLocale

    from desktop.i18n import resolve_language

    assert resolve_language("system", QLocale("zh_CN")) == "zh_CN"
    assert resolve_language("system", QLocale("zh_TW")) == "zh_CN"  # the Chinese we have
    assert resolve_language("system", QLocale("en_US")) == "en"
    assert resolve_language("system", QLocale("de_DE")) == "en"
    assert resolve_language("en", QLocale("zh_CN")) == "en"
    assert resolve_language("zh_CN", QLocale("en_US")) == "zh_CN"


def test_a_missing_translation_file_keeps_english(qapp, tmp_path):
    from desktop.i18n import Translations, translate

    t = Translations(qapp, directory=tmp_path)
    assert not t.apply("zh_CN") and t.language == "en"
    assert translate("Menus", "New chat") == "New chat"
