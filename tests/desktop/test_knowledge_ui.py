"""Documents, citations, memory, the temporary chat and the learning dialog in the real window over the
real Engine (MiniLM embeddings, SmolLM2 replies, a real history): a dropped Markdown file is indexed
with progress and listed; an ask_documents reply shows its passages in the side panel and one opens in
the viewer at the passage; a proposed memory is remembered, edited and deleted; a temporary chat stores
nothing; the learning dialog renders a Learned event's before/after table."""
from __future__ import annotations

import pytest
from PySide6.QtCore import QObject, Qt, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QApplication

from pipelines.errors import Text
from pipelines.events import (
    Citations,
    Done,
    EvalRow,
    Indexed,
    IndexProgress,
    Learned,
    LearnProgress,
    MemoryProposed,
    Turn,
)

from .conftest import make_window, wait_turn
from .test_real_engine import drop_files

pytestmark = pytest.mark.tiny

NOTES = """# Garden notes

The quince tree by the north wall was planted in 2019 and gives fruit in October.

## Watering

Water the tomatoes at dawn, twice a week, with about five litres per plant; never wet the leaves.
"""


def _index(qtbot, w, paths):
    seen = []
    w.knowledge.indexStarted.connect(lambda job: job.progress.connect(seen.append))
    drop_files(w, paths)
    job = w.knowledge.indexing
    assert job is not None and w.index_bar.isVisible()
    with qtbot.waitSignal(job.ended, timeout=60000):
        pass
    return job, seen


def test_a_dropped_markdown_file_is_indexed_listed_and_cited(qtbot, real_engine, warm_profile, tmp_path):
    notes = tmp_path / "garden.md"
    notes.write_text(NOTES, encoding="utf-8")
    w = make_window(qtbot, real_engine, warm_profile)
    job, seen = _index(qtbot, w, [notes])
    assert isinstance(job.last, Indexed) and job.last.added == 1 and not job.last.failed
    assert any(isinstance(ev, IndexProgress) and ev.file.endswith("garden.md") for ev in seen) or job.last.added
    assert not w.index_bar.isVisible()
    assert any("Indexed 1 documents" in line for line in w.message_bar.history)
    assert w.input.images == []  # a document is not a picture of the message

    dlg = w.open_documents()
    qtbot.waitUntil(lambda: dlg.tree.topLevelItemCount() == 1, timeout=10000)
    assert dlg.tree.topLevelItem(0).text(0) == "garden.md"
    assert "1 documents" in dlg.status.text()

    # an ask_documents turn: the passages come before the reply and show in the side panel
    got = []
    w.turnEvent.connect(lambda _rid, ev: got.append(ev))
    question = "When does the quince tree give fruit?"
    w.turns._submit(Turn(text=question, intent="ask_documents"), *_items(question))
    assert isinstance(wait_turn(qtbot, w), Done)
    cites = next(ev for ev in got if isinstance(ev, Citations))
    reply = w.view.items[-1]
    assert reply.meta["citations"] and reply.meta["citations"][0]["file"] == str(notes.resolve())
    assert w.view.selected is reply and w.details.sources.isVisible()
    card = w.details.sources.cards[0]
    assert card.citation["number"] == cites.passages[0].number
    assert "garden.md" in card.head.text() and "<b>" in card.body.text()

    # clicking the passage opens the viewer at it, highlighted
    qtbot.mouseClick(card, Qt.MouseButton.LeftButton)
    viewer = next(v for v in QApplication.topLevelWidgets() if v.objectName() == "CitationViewer" and v.isVisible())
    qtbot.waitUntil(lambda: viewer.loaded, timeout=10000)
    passage = " ".join(cites.passages[0].text.split())
    assert viewer.span[0] >= 0 and " ".join(viewer.highlighted().split())[:40] == passage[:40]
    viewer.close()

    # a stored reply shows its citations again when the conversation is reopened
    cid = w.cid
    w.new_chat()
    w.open_conversation(cid)
    qtbot.waitUntil(lambda: bool(w.view.items and w.view.items[-1].meta.get("citations")), timeout=10000)
    w.view.select(w.view.items[-1])
    assert len(w.details.sources.cards) == len(cites.passages)

    # Remove takes it out of the index (the file stays)
    dlg.tree.topLevelItem(0).setSelected(True)
    dlg.remove_selected()
    qtbot.waitUntil(lambda: dlg.tree.topLevelItemCount() == 0, timeout=10000)
    assert notes.exists()
    dlg.close()


def _items(text):
    from desktop.messages import MessageItem

    return (MessageItem(role="user", text=text, status="pending"),
            MessageItem(role="assistant", status="streaming", meta={"prompt": text}))


class _Opened(QObject):
    def __init__(self):
        super().__init__()
        self.urls = []

    @Slot("QUrl")
    def open(self, url):
        self.urls.append(url)


def test_a_pdf_citation_opens_the_file_at_its_page(qtbot, fake_engine, warm_profile, tmp_path):
    """Through Qt's own URL handler for file: addresses (what the desktop would be asked to open)."""
    w = make_window(qtbot, fake_engine, warm_profile)
    opened = _Opened()
    QDesktopServices.setUrlHandler("file", opened, "open")
    try:
        pdf = tmp_path / "fish.pdf"
        pdf.write_bytes(b"%PDF-1.4\n")
        assert w.open_citation({"file": str(pdf), "page": 3, "text": "x", "number": 1}) is None
    finally:
        QDesktopServices.unsetUrlHandler("file")
    assert opened.urls and opened.urls[0].toLocalFile() == str(pdf) and opened.urls[0].fragment() == "page=3"


def test_remember_edit_and_delete_a_memory(qtbot, real_engine, warm_profile):
    w = make_window(qtbot, real_engine, warm_profile)
    got = []
    w.turnEvent.connect(lambda _rid, ev: got.append(ev))
    w.send_text("Please call me Lin.")
    wait_turn(qtbot, w)
    assert any(isinstance(ev, MemoryProposed) for ev in got)
    reply = w.view.items[-1]
    bubble = w.view.bubble_for(reply)
    card = bubble.memory_cards[0]
    assert card.isVisible() and card.title.text() == "Remember this?"
    qtbot.mouseClick(card.edit_button, Qt.MouseButton.LeftButton)
    card.edit.setText("Call me Lin, please")
    qtbot.mouseClick(card.remember_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: card.state == "remembered", timeout=10000)

    dlg = w.open_memory()
    qtbot.waitUntil(lambda: dlg.list.count() == 1, timeout=10000)
    assert dlg.list.item(0).text() == "Call me Lin, please"
    item = dlg.list.item(0)
    item.setText("Call me Lin")  # what editing it in place does
    qtbot.waitUntil(lambda: [m.text for m in real_engine.memories()] == ["Call me Lin"], timeout=10000)
    dlg.pause.setChecked(True)
    assert w.settings.memory.enabled is False and w.act_pause_memory.isChecked()
    dlg.pause.setChecked(False)
    dlg.list.item(0).setSelected(True)
    dlg.delete_selected()
    qtbot.waitUntil(lambda: dlg.list.count() == 0, timeout=10000)
    assert real_engine.memories() == []
    dlg.close()


def test_a_temporary_chat_stores_nothing(qtbot, real_engine, warm_profile):
    w = make_window(qtbot, real_engine, warm_profile)
    assert w.act_temporary.shortcut().toString() == "Ctrl+Shift+N"
    w.act_temporary.trigger()
    assert w.temporary and w.temporary_banner.isVisible() and "nothing is saved" in w.temporary_banner.text()
    got = []
    w.turnEvent.connect(lambda _rid, ev: got.append(ev))
    w.send_text("Hello there, I'm vegetarian.")
    assert isinstance(wait_turn(qtbot, w), Done)
    assert not any(isinstance(ev, MemoryProposed) for ev in got)
    assert real_engine.store.list_conversations() == []
    qtbot.waitUntil(lambda: not w.history.busy, timeout=5000)
    assert w.sidebar.model.rowCount() == 0 if hasattr(w.sidebar, "model") else True
    w.new_chat()
    assert not w.temporary and not w.temporary_banner.isVisible()


def test_the_learning_dialog_renders_progress_the_table_and_the_verdict(qtbot, fake_engine, warm_profile):
    from desktop.learning_ui import LearnDialog

    w = make_window(qtbot, fake_engine, warm_profile)
    dlg = LearnDialog(w.knowledge, w)
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitUntil(lambda: dlg.counts is not None or bool(dlg._problem), timeout=10000)
    from desktop.jobs import Job

    dlg.job = Job(dlg)  # a job on screen (its events are what the dialog renders)
    dlg._on_progress(LearnProgress("training", 3, 12, 0.4321))
    assert dlg.stage.text() == "Training: step 3 of 12 · loss 0.4321"
    reason = Text.of("learning.accepted", "the adapter beat the base model on {n} held-out pairs", n=6)
    table = (EvalRow("held-out pairs: chosen reply preferred", 0.5, 0.875, True, True, count=8, unit="share"),
             EvalRow("sanity questions answered", 7.0, 8.0, True, True, count=8, unit="count"),
             EvalRow("sanity: the base model's answers, loss per token", 2.1, 2.15, False, True))
    ev = Learned("a1", "dpo", True, reason, table, pairs=30, examples=60, seconds=95.0)
    dlg.show_result(ev)
    t = dlg.table
    assert t.isVisible() and t.rowCount() == 3
    assert [t.item(0, c).text() for c in range(4)] == ["held-out pairs: chosen reply preferred (8)", "50.0%", "87.5%",
                                                       "✓"]
    assert [t.item(1, c).text() for c in range(3)] == ["sanity questions answered (8)", "7", "8"]
    assert [t.item(2, c).text() for c in range(3)] == ["sanity: the base model's answers, loss per token", "2.100",
                                                       "2.150"]
    # the verdict: a sentence a line
    assert dlg.verdict.text().split("\n") == ["Switched on: replies now use the adapter.",
                                              "The adapter beat the base model on 6 held-out pairs.",
                                              "DPO on 30 pairs and 60 examples in 95 s."]
    # the same table and verdict in Chinese, measures and all
    assert w.set_language("zh_CN")
    qtbot.waitUntil(lambda: t.item(0, 0).text() != "held-out pairs: chosen reply preferred (8)", timeout=5000)
    assert [t.item(r, 0).text() for r in range(3)] == ["留出的成对评分：选中回复占优 (8)", "基本问题答对 (8)",
                                                       "基本问题：基础模型自己的回答，每词元损失"]
    assert dlg.verdict.text().split("\n")[0] == "已启用：回复现在会使用这个适配器。"
    w.set_language("en")
    dlg.close()
