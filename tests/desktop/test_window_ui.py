"""Pure-UI behaviour with the scripted fake engine (fast): input, drops, undo, shortcuts, themes,
settings, geometry, laziness, push-to-talk."""
from __future__ import annotations

import json
import time

import numpy as np
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QCheckBox, QComboBox, QSpinBox

from desktop.conversation import WINDOW
from pipelines.events import Cancelled, Done

from .conftest import make_window, wait_turn


def _drop(w, paths):
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    pos = QPointF(w.rect().center())
    enter = QDragEnterEvent(pos.toPoint(), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                            Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(w, enter)
    QApplication.sendEvent(w, QDropEvent(pos, Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                                         Qt.KeyboardModifier.NoModifier))


def test_enter_sends_and_shift_enter_adds_a_line(qtbot, fake_engine, warm_profile):
    w = make_window(qtbot, fake_engine, warm_profile)
    qtbot.keyClicks(w.input.edit, "first line")
    qtbot.keyClick(w.input.edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClicks(w.input.edit, "second line")
    assert w.input.edit.toPlainText() == "first line\nsecond line"
    qtbot.keyClick(w.input.edit, Qt.Key.Key_Return)
    assert isinstance(wait_turn(qtbot, w), Done)
    assert fake_engine.calls[-1].text == "first line\nsecond line"
    assert w.view.items[-1].text.startswith("You said")
    # Ctrl+L focuses the input, Ctrl+B toggles the side panel
    w.sidebar.search.setFocus()
    qtbot.keyClick(w, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert w.input.edit.hasFocus()
    assert w.details.isVisible()
    qtbot.keyClick(w, Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier)
    assert not w.details.isVisible()
    qtbot.keyClick(w, Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier)
    assert w.details.isVisible()


def test_stream_is_throttled_and_esc_stops(qtbot, fake_engine, warm_profile):
    fake_engine.token_delay = 0.004
    fake_engine.replies = [" ".join(f"word{i}" for i in range(150)), " ".join(["slow"] * 400)]
    w = make_window(qtbot, fake_engine, warm_profile)
    w.send_text("long reply please")
    assert isinstance(wait_turn(qtbot, w), Done)
    assert w.view.render_count < 60  # 150 tokens, far fewer Markdown renders
    fake_engine.token_delay = 0.02
    w.send_text("and another")
    qtbot.waitUntil(lambda: len(w.view.items[-1].text) > 20, timeout=5000)
    qtbot.keyClick(w.input.edit, Qt.Key.Key_Escape)
    end = wait_turn(qtbot, w)
    assert isinstance(end, Cancelled)
    item = w.view.items[-1]
    assert item.status == "cancelled" and item.text  # the partial reply is kept
    stored = fake_engine.store.messages(w.cid)[-1]
    assert stored.status == "cancelled" and stored.text.strip() == item.text.strip()
    assert w.view.bubble_for(item).note.text() == "Stopped."


def test_drop_images_and_refuse_other_files(qtbot, fake_engine, warm_profile, photos, tmp_path):
    w = make_window(qtbot, fake_engine, warm_profile)
    notes = tmp_path / "notes.txt"
    notes.write_text("not a picture")
    _drop(w, [photos["astronaut"], photos["chelsea"], notes])
    assert w.input.images == [str(photos["astronaut"]), str(photos["chelsea"])]
    assert "notes.txt not attached" in w.message_bar.history[-2]
    assert w.input.chips.isVisible()
    w.input.edit.setPlainText("what are these?")
    w.input.submit()
    assert isinstance(wait_turn(qtbot, w), Done)
    assert fake_engine.calls[-1].images == (str(photos["astronaut"]), str(photos["chelsea"]))
    assert w.view.bubble_for(w.view.items[-1]).evidence is not None
    assert w.input.images == []


def test_delete_with_undo_and_rename(qtbot, fake_engine, warm_profile):
    w = make_window(qtbot, fake_engine, warm_profile)
    w.send_text("remember the milk")
    wait_turn(qtbot, w)
    cid = w.cid
    w.rename_conversation(cid, "Groceries")  # the store work runs off the GUI thread
    qtbot.waitUntil(lambda: w.sidebar.list.count() == 1 and w.sidebar.list.title(0) == "Groceries")
    qtbot.mouseClick(w.sidebar.delete_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: w.sidebar.list.count() == 0 and w.cid is None)
    assert w.message_bar.isVisible() and w.message_bar.button.text() == "Undo"
    qtbot.mouseClick(w.message_bar.button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: w.sidebar.list.count() == 1 and w.cid == cid and bool(w.view.items))
    assert w.view.items[0].text == "remember the milk"


def test_a_send_while_busy_waits_in_the_queue(qtbot, fake_engine, warm_profile):
    fake_engine.token_delay = 0.05
    w = make_window(qtbot, fake_engine, warm_profile)
    w.send_text("one")
    w.input.edit.setPlainText("two")
    qtbot.keyClick(w.input.edit, Qt.Key.Key_Return)  # accepted: it waits behind the running reply
    assert w.input.edit.toPlainText() == ""
    queued = [it for it in w.view.items if it.meta.get("queued")]
    assert [it.role for it in queued] == ["user", "assistant"] and queued[0].text == "two"
    qtbot.waitUntil(lambda: len(fake_engine.calls) == 2 and not w.controller.busy, timeout=20000)
    assert [c.text for c in fake_engine.calls] == ["one", "two"]
    assert [m.text for m in fake_engine.store.messages(w.cid) if m.role == "user"] == ["one", "two"]
    # Esc while one waits: the running reply stops, the waiting one is not sent and comes back to the box
    w.send_text("three")
    # "three" runs (the runner may still be letting "two" go: then it waits its turn for a moment)
    qtbot.waitUntil(lambda: len(fake_engine.calls) == 3, timeout=20000)
    w.input.edit.setPlainText("four")
    qtbot.keyClick(w.input.edit, Qt.Key.Key_Return)
    qtbot.keyClick(w.input.edit, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not w.controller.busy, timeout=20000)
    assert w.input.edit.toPlainText() == "four"
    assert "four" not in [it.text for it in w.view.items]


def test_generation_card_and_edit_this(qtbot, fake_engine, warm_profile):
    w = make_window(qtbot, fake_engine, warm_profile)
    w.input.draw_button.setChecked(True)
    w.input.edit.setPlainText("a lighthouse at dusk")
    w.input.submit()
    qtbot.waitUntil(lambda: w.view.items[-1].progress is not None, timeout=5000)
    card = w.view.bubble_for(w.view.items[-1]).card
    assert card.isVisible() and card.bar.maximum() > 0
    assert isinstance(wait_turn(qtbot, w), Done)
    assert card.state == "done" and card.paths
    qtbot.mouseClick(card.edit_button, Qt.MouseButton.LeftButton)
    assert w.input.images == card.paths and w.input.mode() == "edit"
    w.input.edit.setPlainText("make it night")
    w.input.submit()
    assert isinstance(wait_turn(qtbot, w), Done)
    assert fake_engine.calls[-1].intent == "edit_image" and fake_engine.calls[-1].images == tuple(card.paths)


def test_long_conversation_is_lazy(qtbot, fake_engine, warm_profile):
    store = fake_engine.store
    cid = store.create_conversation("long")
    for i in range(600):
        store.add_message(cid, "user" if i % 2 == 0 else "assistant", f"message {i} with *some* markdown")
    w = make_window(qtbot, fake_engine, warm_profile)
    t0 = time.perf_counter()
    w.open_conversation(cid)
    qtbot.waitUntil(lambda: len(w.view.items) == 600)
    opened = time.perf_counter() - t0
    assert w.view.created_count() == WINDOW
    assert opened < 2.0
    qtbot.waitUntil(lambda: w.view.verticalScrollBar().value() > 0, timeout=2000)
    w.view.verticalScrollBar().setValue(0)  # scrolling to the top creates an older batch
    qtbot.waitUntil(lambda: w.view.created_count() > WINDOW, timeout=2000)
    w.run_search("markdown")
    qtbot.waitUntil(lambda: w.sidebar.hits.count() > 0)
    early = store.messages(cid)[5]  # far above the created window
    w.open_hit(cid, early.id)
    qtbot.waitUntil(lambda: w.view.selected is not None)
    assert w.view.selected is not None and w.view.selected.id == early.id
    assert w.view.bubble_for(w.view.selected) is not None


def test_theme_switch_settings_and_geometry(qtbot, fake_engine, warm_profile):
    from desktop.settings_dialog import SettingsDialog
    from desktop.theme import current_theme
    from pipelines.settings import describe, load_settings

    w = make_window(qtbot, fake_engine, warm_profile)
    w.set_theme("dark")
    assert current_theme() == "dark" and "#1b1c1f" in QApplication.instance().styleSheet()
    assert load_settings(warm_profile.settings_file).settings.general.theme == "dark"
    w.set_theme("light")
    service = w.settings_service
    dlg = SettingsDialog(service, w, input_devices=lambda: [], output_devices=lambda: [])
    qtbot.addWidget(dlg)
    assert set(dlg.editors) == {(s, k) for s, k, _d, _t in describe()}
    assert isinstance(dlg.editors[("device", "device")], QComboBox)
    assert isinstance(dlg.editors[("general", "history_enabled")], QCheckBox)
    assert isinstance(dlg.editors[("imagegen", "steps")], QSpinBox)
    dlg.editors[("imagegen", "steps")].setValue(9)  # applies at once: no OK
    dlg.editors[("device", "device")].setCurrentText("cpu")
    assert service.settings.imagegen.steps == 9 and w.settings.imagegen.steps == 9
    assert w.input.params.steps.value() == 9
    assert load_settings(warm_profile.settings_file).settings.imagegen.steps == 9
    # geometry is remembered in the profile, not in QSettings
    w.resize(900, 640)
    w.close()
    data = json.loads((warm_profile.config_dir / "window.json").read_text())
    assert data["size"] == [900, 640] and data["geometry"]


def test_push_to_talk_with_injected_source(qtbot, fake_engine, warm_profile):
    class FakeMic:
        sample_rate = 16000

        def __init__(self):
            self.started = False

        def start(self):
            self.started = True

        def level(self):
            return 0.5

        def stop(self):
            self.started = False
            return np.zeros(16000, dtype=np.float32)

    mic = FakeMic()
    w = make_window(qtbot, fake_engine, warm_profile, audio_source=mic)
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow, timeout=2000)
    qtbot.keyPress(w.input.edit, Qt.Key.Key_Space, Qt.KeyboardModifier.ControlModifier)
    assert mic.started and w.input.mic_button.isChecked() and w.input.meter.isVisible()
    qtbot.waitUntil(lambda: w.input.meter.level > 0, timeout=2000)
    qtbot.keyRelease(w.input.edit, Qt.Key.Key_Space, Qt.KeyboardModifier.ControlModifier)
    assert not mic.started
    assert isinstance(wait_turn(qtbot, w), Done)
    assert fake_engine.calls[-1].audio is not None
    assert w.view.items[-2].text == "hello from the microphone"


def test_mood_chart_and_details(qtbot, fake_engine, warm_profile):
    w = make_window(qtbot, fake_engine, warm_profile)
    for text in ("this is great, thanks", "this is awful and wrong"):
        w.send_text(text)
        wait_turn(qtbot, w)
    chart = w.details.chart
    assert chart.points.count() == 2
    ys = [chart.points.at(i).y() for i in range(2)]
    assert ys[0] > 0 > ys[1]
    assert "awful" in chart.tooltip_for(chart.points.at(1))
    user = w.view.items[0]
    w.view.select(user)
    assert w.details.values["Mood"].startswith("positive") and w.details.values["Intent"].startswith("Chat")


def test_models_menu_load_all_updates_status(qtbot, fake_engine, warm_profile):
    w = make_window(qtbot, fake_engine, warm_profile)
    assert "not loaded" in w.status_models.text_of("chat")
    w.load_all()
    qtbot.waitUntil(lambda: "ready (CPU)" in w.status_models.text_of("imagegen"), timeout=5000)
    dlg = w.open_models()
    qtbot.waitUntil(lambda: dlg.table.rowCount() == 6, timeout=5000)
    dlg.close()
    w.close()


def test_a_loaded_model_leaves_the_garbage_collectors_generations(qtbot, fake_engine, warm_profile):
    import gc

    w = make_window(qtbot, fake_engine, warm_profile)
    gc.unfreeze()
    loaded = [object() for _ in range(1000)]  # what a model load leaves behind, long-lived
    fake_engine.manager.preload("vision")  # its 'ready' arrives through the controller, on the GUI thread
    qtbot.waitUntil(lambda: gc.get_freeze_count() >= len(loaded), timeout=5000)
    assert w.status_models.isVisible()
    gc.unfreeze()
