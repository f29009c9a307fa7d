"""Switching the interface language while the window is open: Settings > Appearance > Language goes
through the SettingsService, the window installs the translators, and everything on screen relabels
itself (menus, sidebar, input bar, the bubbles' own words, the message bar) while the conversation,
the draft and the bubbles stay as they were. Back to English, the English words return.

The Chinese translations are compiled for the test into a temporary folder: from
assets/translations/sensorium_zh_CN.ts when the repository has it, else from the window's sources
(pyside6-lupdate) with a few translations filled in here. Without pyside6-lupdate / pyside6-lrelease
the test is skipped."""
from __future__ import annotations

import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication

from pipelines.assets import asset
from pipelines.events import Done

from .conftest import make_window, wait_turn

ROOT = Path(__file__).resolve().parents[2]

#: used when the repository has no sensorium_zh_CN.ts yet: the words this test looks at
FALLBACK = {
    "Menus": {"&File": "文件(&F)", "&Edit": "编辑(&E)", "&View": "视图(&V)", "&Models": "模型(&M)",
              "&Help": "帮助(&H)", "New chat": "新建对话", "Keyboard shortcuts": "键盘快捷键",
              "Ctrl+N new chat · Ctrl+F search · Ctrl+L message box · Enter send (after the reply) · Ctrl+Enter "
              "send now · Shift+Enter new line · Esc stop · Ctrl+R regenerate · Ctrl+B side panel · Ctrl+, settings "
              "· F6 next area · hold Ctrl+Space to talk · Alt+1 / Alt+2 answer “Did you mean…”":
              "Ctrl+N 新建对话 · Ctrl+F 搜索 · Ctrl+L 消息框 · Enter 发送（在回复之后） · Ctrl+Enter 立即发送 · "
              "Shift+Enter 换行 · Esc 停止 · Ctrl+R 重新生成 · Ctrl+B 侧边栏 · Ctrl+, 设置 · F6 下一区域 · "
              "按住 Ctrl+Space 说话 · Alt+1 / Alt+2 回答“你的意思是…”"},
    "Sidebar": {"Conversations": "对话", "Search all messages (Ctrl+F)": "搜索所有消息 (Ctrl+F)"},
    "Bubble": {"You": "你", "{seconds} s": "{seconds} 秒"},
    "MarkdownRenderer": {"Copy code": "复制代码"},
    "InputBar": {"Attach pictures": "附加图片"},
}
SOURCES = ["desktop/menus.py", "desktop/sidebar.py", "desktop/bubble.py", "desktop/streaming.py",
           "desktop/inputbar.py"]


def _tool(name: str) -> str | None:
    here = Path(sys.executable).with_name(name)
    return str(here) if here.exists() else shutil.which(name)


def _fill(ts: Path, table: dict[str, dict[str, str]]) -> None:
    tree = ET.parse(ts)
    for ctx in tree.getroot().iter("context"):
        words = table.get(ctx.findtext("name"), {})
        for msg in ctx.iter("message"):
            zh = words.get(msg.findtext("source"))
            if zh:
                tr = msg.find("translation")
                tr.text = zh
                tr.attrib.pop("type", None)
    tree.write(ts, encoding="utf-8", xml_declaration=True)


@pytest.fixture(scope="module")
def zh_translations(tmp_path_factory) -> Path:
    """A folder holding sensorium_zh_CN.qm."""
    lupdate, lrelease = _tool("pyside6-lupdate"), _tool("pyside6-lrelease")
    if lupdate is None or lrelease is None:
        pytest.skip("pyside6-lupdate / pyside6-lrelease are not installed: the translations cannot be compiled")
    out = tmp_path_factory.mktemp("translations")
    ts = out / "sensorium_zh_CN.ts"
    shipped = asset("translations", "sensorium_zh_CN.ts")
    if shipped.is_file():
        shutil.copy(shipped, ts)
    else:
        subprocess.run([lupdate, *SOURCES, "-ts", str(ts)], cwd=ROOT, check=True, capture_output=True, timeout=120)
        _fill(ts, FALLBACK)
    subprocess.run([lrelease, str(ts), "-qm", str(out / "sensorium_zh_CN.qm")], check=True, capture_output=True,
                   timeout=120)
    return out


def _titles(w) -> list[str]:
    return [a.text() for a in w.menuBar().actions()]


def test_switching_to_chinese_and_back_relabels_the_open_window_and_keeps_the_conversation(
        qtbot, qapp, fake_engine, warm_profile, zh_translations):
    from desktop.i18n import Translations

    english = ["&File", "&Edit", "&View", "&Models", "&Tools", "&Help"]
    translations = Translations(qapp, directory=zh_translations)
    try:
        fake_engine.replies = ["Here it is:\n\n```python\nprint('hi')\n```\n"]
        w = make_window(qtbot, fake_engine, warm_profile, translations=translations)
        assert w.translations is translations and _titles(w) == english
        w.send_text("show me some code")
        assert isinstance(wait_turn(qtbot, w), Done)
        qtbot.keyClicks(w.input.edit, "a draft, half typed")
        w.act_shortcuts.trigger()  # a line in the message bar, shown while the language changes
        items = list(w.view.items)
        texts = [(it.role, it.text) for it in items]
        bubbles = dict(w.view.bubbles)
        user, reply = (bubbles[id(it)] for it in items)
        assert len(items) == 2 and user.header.text().startswith("You · ")
        assert "Copy code" in reply.body.toPlainText()
        shortcuts = w.message_bar.text

        # as the Settings dialog does: the SettingsService gets the new settings
        w.settings_service.replace("general", language="zh_CN")
        assert translations.language == "zh_CN"
        assert QCoreApplication.translate("Menus", "&File") != "&File"  # the translator is installed
        qtbot.waitUntil(lambda: _titles(w)[0] != "&File", timeout=5000)
        titles = _titles(w)
        assert all(a != b for a, b in zip(titles, english)), titles
        assert titles[0] == QCoreApplication.translate("Menus", "&File")
        assert w.sidebar.title.text() == QCoreApplication.translate("Sidebar", "Conversations") != "Conversations"
        assert w.message_bar.text not in ("", shortcuts)  # the line shown is said again, in Chinese
        assert user.header.text().startswith(QCoreApplication.translate("Bubble", "You") + " · ")
        assert "Copy code" not in reply.body.toPlainText()
        assert QCoreApplication.translate("MarkdownRenderer", "Copy code") in reply.body.toPlainText()
        # nothing was rebuilt or lost: the draft, the items, the very same bubbles and their texts
        assert w.input.edit.toPlainText() == "a draft, half typed"
        assert w.view.items == items and [(it.role, it.text) for it in w.view.items] == texts
        assert w.view.bubbles == bubbles
        assert user.body.toPlainText() == "show me some code" and "print('hi')" in reply.body.toPlainText()
        assert w.windowTitle() == "Sensorium"

        w.settings_service.replace("general", language="en")
        assert translations.language == "en"
        qtbot.waitUntil(lambda: _titles(w) == english, timeout=5000)
        assert w.sidebar.title.text() == "Conversations"
        assert user.header.text().startswith("You · ") and "Copy code" in reply.body.toPlainText()
        assert w.message_bar.text == shortcuts
        assert w.input.edit.toPlainText() == "a draft, half typed" and len(w.view.bubbles) == 2
    finally:
        translations.apply("en")
        translations.setParent(None)  # the next windows make the app's own
