"""Lines that pipelines/ makes, said in the interface's language: the router's reason (the bubble's
header tooltip, the details' Why row) and a model's status detail (the status bar's tooltip). Each
comes as a Text (code + English template + params); with Chinese translations installed the window
says it in Chinese, again after a switch, and without them the English line is as it always was.

The translations are a tiny .ts written here (contexts "errors" and "params", as packaging/i18n.py
makes them), compiled with pyside6-lrelease; without it the tests are skipped."""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtCore import QTranslator

from desktop.conversation import ConversationView, MessageItem
from desktop.details import DetailsPanel
from desktop.i18n import render
from desktop.statusbar import ModelStatusBar

ZH = {
    "errors": {
        "Read as {reading} ({confidence}): {evidence} weighed most (no sentence embeddings: judged on words and "
        "patterns only).": "判断为{reading}（{confidence}）：主要依据是{evidence}（没有句向量：仅根据词语和规则判断）。",
        "{first} and {second}": "{first}和{second}",
        "{first}, {second} and {third}": "{first}、{second}和{third}",
        "{first}, {second}, {third} and {fourth}": "{first}、{second}、{third}和{fourth}",
        "its likeness to {example}": "与{example}的相似度",
        "{name} on {device} ({seconds} s)": "{name}，运行在 {device} 上（{seconds} 秒）",
    },
    "params": {"a request for a new picture": "生成新图片的请求", "a drawing request": "绘图请求"},
}


@pytest.fixture
def zh_translator(tmp_path) -> QTranslator:
    """A translator of the tiny Chinese .ts (not installed yet)."""
    from pipelines.router import reason_words

    here = Path(sys.executable).with_name("pyside6-lrelease")
    lrelease = str(here) if here.exists() else shutil.which("pyside6-lrelease")
    if lrelease is None:
        pytest.skip("pyside6-lrelease is not installed: the translations cannot be compiled")
    # every word a reason may carry (the patterns' names, the readings) has a Chinese stand-in
    params = {w: "某个迹象" for w in reason_words()} | ZH["params"]
    root = ET.Element("TS", version="2.1", language="zh_CN", sourcelanguage="en")
    for name, table in (("errors", ZH["errors"]), ("params", params)):
        ctx = ET.SubElement(root, "context")
        ET.SubElement(ctx, "name").text = name
        for source, zh in table.items():
            m = ET.SubElement(ctx, "message")
            ET.SubElement(m, "source").text = source
            ET.SubElement(m, "translation").text = zh
    ts, qm = tmp_path / "tiny_zh_CN.ts", tmp_path / "tiny_zh_CN.qm"
    ET.ElementTree(root).write(ts, encoding="utf-8", xml_declaration=True)
    subprocess.run([lrelease, "-silent", str(ts), "-qm", str(qm)], check=True, capture_output=True, timeout=120)
    tr = QTranslator()
    assert tr.load(str(qm))
    return tr


@pytest.fixture
def switch(qapp, zh_translator):
    """``switch(True)`` installs the Chinese translator (Qt then sends every widget a LanguageChange:
    each says its texts again), ``switch(False)`` takes it away."""
    def to(chinese: bool) -> None:
        (qapp.installTranslator if chinese else qapp.removeTranslator)(zh_translator)
        qapp.processEvents()

    yield to
    qapp.removeTranslator(zh_translator)


def test_the_router_reason_is_said_in_chinese_in_the_tooltip_and_the_details(qtbot, switch, intent_router_no_embedder):
    got = intent_router_no_embedder.route("draw a cat on a skateboard")
    english = got.reason
    assert got.intent == "generate_image" and got.reason_text is not None and str(got.reason_text) == english
    assert english.startswith("Read as a request for a new picture (") and english.endswith(
        "weighed most (no sentence embeddings: judged on words and patterns only).")
    assert render(got.reason_text, english) == english  # no translator: the English line, unchanged
    view, details = ConversationView(), DetailsPanel()
    qtbot.addWidget(view)
    qtbot.addWidget(details)
    item = MessageItem(role="assistant", text="Here it is.", id=2, intent="generate_image", intent_reason=english,
                       intent_reason_text=got.reason_text, intent_confidence=got.confidence)
    view.set_messages([MessageItem(role="user", text="draw a cat on a skateboard", id=1), item])
    details.show_item(item)
    bubble = view.bubble_for(item)
    assert english in bubble.header.toolTip() and details.values["Why"] == english

    switch(True)  # the reason, what weighed most and the words it names are said in Chinese
    zh = render(got.reason_text, english)
    assert zh.startswith("判断为生成新图片的请求（") and zh.endswith("（没有句向量：仅根据词语和规则判断）。"), zh
    assert not re.search(r"[A-Za-z]", re.sub(r"'[^']*'", "", zh)), zh  # only the user's quoted words stay
    assert zh in bubble.header.toolTip() and details.values["Why"] == zh
    # render() alone translates the template and the words, and leaves a part (the evidence) in English
    assert render(got.reason_text, english).startswith("判断为生成新图片的请求（")

    switch(False)  # back to English: the English line again, byte for byte
    assert english in bubble.header.toolTip() and details.values["Why"] == english


def test_a_model_status_detail_is_said_in_chinese_in_the_status_bar(qtbot, switch, profile, tmp_path):
    from pipelines.catalog import Catalog
    from pipelines.devices import DeviceChoice
    from pipelines.manager import ModelManager
    from pipelines.settings import Settings

    s = Settings()
    (tmp_path / "clip").mkdir()
    (tmp_path / "clip" / "open_clip_config.json").write_text("{}")
    s.models.vision = str(tmp_path / "clip")
    events = []
    m = ModelManager(Catalog.load(s, profile, gpu=False), s, profile, device=DeviceChoice("cpu", "float32", "int8"),
                     loaders={"vision": lambda *a: object()})
    m.add_listener(events.append)
    m.preload("vision")
    ready = events[-1]
    assert ready.state == "ready" and re.fullmatch(r"clip on CPU \(\d+\.\d s\)", ready.detail), ready.detail
    assert str(ready.detail_text) == ready.detail
    bar = ModelStatusBar()
    qtbot.addWidget(bar)
    bar.set_state(ready.role, ready.state, ready.detail, ready.device, ready.progress, ready.detail_text)
    tip = bar.labels["vision"].toolTip
    assert tip().endswith("\n" + ready.detail)

    switch(True)  # re-rendered from the stored state
    seconds = ready.detail_text.params["seconds"]
    assert tip().endswith(f"\nclip，运行在 CPU 上（{seconds} 秒）"), tip()
    switch(False)
    assert tip().endswith("\n" + ready.detail)
    # a detail without a Text (an older sender) is shown as it came
    bar.set_state("vision", "ready", "clip on CPU (0.1 s)", "cpu")
    switch(True)
    assert tip().endswith("\nclip on CPU (0.1 s)")
