"""One turn runner for typed and spoken turns, through real interactions: the real window and engine
(Whisper, SmolLM2, Piper), a fake microphone playing real recordings and a fake speaker."""
from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt

from pipelines.events import Done, Transcript
from pipelines.voice import FileSource, RecordingSink
from tests.fakes.audio import silence, speech

from .conftest import make_window, wait_turn

pytestmark = pytest.mark.slow  # scheduled first: see tests/conftest.py


def _mic(speech_dir, name="cards-002.wav"):
    # delivered faster than real time (the push-to-talk recording is what matters, not its pace)
    return FileSource(speech(speech_dir / name), tail_silence_s=0.0, keep_running=False, pace=0.5)


def _voice_window(qtbot, engine, profile, speech_dir):
    mic = _mic(speech_dir)
    return make_window(qtbot, engine, profile, audio_source=mic, audio_sink=RecordingSink(pace=0.05)), mic


def _talk(qtbot, w, mic):
    """Hold the mic button while the recording plays, then let go: a spoken turn."""
    qtbot.mouseClick(w.input.mic_button, Qt.MouseButton.LeftButton)
    assert w.voice.listening
    assert mic.finished.wait(15)
    qtbot.mouseClick(w.input.mic_button, Qt.MouseButton.LeftButton)


def _user_texts(store, cid):
    return [m.text for m in store.messages(cid) if m.role == "user"]


@pytest.mark.tiny
def test_a_typed_then_a_spoken_turn_in_a_new_chat_make_one_conversation(qtbot, voice_engine, warm_profile,
                                                                         speech_dir):
    w, mic = _voice_window(qtbot, voice_engine, warm_profile, speech_dir)
    w.send_text("Hello there")
    assert isinstance(wait_turn(qtbot, w), Done)
    cid = w.cid
    _talk(qtbot, w, mic)
    assert isinstance(wait_turn(qtbot, w, timeout=90000), Done)
    store = voice_engine.store
    assert [c.id for c in store.list_conversations()] == [cid] and w.cid == cid
    msgs = store.messages(cid)
    assert [m.role for m in msgs] == ["user", "assistant", "user", "assistant"]
    assert msgs[2].meta.get("spoken") is True and "queen" in msgs[2].text.lower()
    assert [it.text for it in w.view.items if it.role == "user"] == [m.text for m in msgs if m.role == "user"]
    w.close()


@pytest.mark.tiny
def test_enter_during_a_spoken_reply_keeps_the_text(qtbot, voice_engine, warm_profile, speech_dir):
    w, mic = _voice_window(qtbot, voice_engine, warm_profile, speech_dir)
    _talk(qtbot, w, mic)
    qtbot.waitUntil(lambda: w.voice.busy or w.controller.busy, timeout=10000)
    w.input.edit.setPlainText("and what about diamonds?")
    qtbot.keyClick(w.input.edit, Qt.Key.Key_Return)  # while Sensorium answers the spoken turn
    assert w.input.edit.toPlainText() == ""  # accepted (it waits for the reply), not refused
    store = voice_engine.store
    qtbot.waitUntil(lambda: w.cid is not None and len(_user_texts(store, w.cid)) == 2 and not w.controller.busy,
                    timeout=90000)
    spoken, typed = store.messages(w.cid)[0], store.messages(w.cid)[2]
    assert spoken.meta.get("spoken") and typed.text == "and what about diamonds?"
    assert len(store.list_conversations()) == 1
    w.close()


@pytest.mark.tiny
def test_switching_chats_mid_reply_sends_the_next_utterance_to_the_new_chat(qtbot, voice_engine, warm_profile,
                                                                            speech_dir):
    w, mic = _voice_window(qtbot, voice_engine, warm_profile, speech_dir)
    w.send_text("Tell me a short story about the sea")
    qtbot.waitUntil(lambda: w.cid is not None, timeout=30000)
    first = w.cid
    qtbot.mouseClick(w.sidebar.new_button, Qt.MouseButton.LeftButton)  # mid-reply
    assert w.cid is None and w.view.items == []
    _talk(qtbot, w, mic)  # speaking stops the typed reply (barge-in) and starts a turn in the new chat
    qtbot.waitUntil(lambda: w.cid not in (None, first) and not w.controller.busy, timeout=90000)
    store = voice_engine.store
    assert {c.id for c in store.list_conversations()} == {first, w.cid}
    assert _user_texts(store, first) == ["Tell me a short story about the sea"]
    assert len(store.messages(first)) == 2  # the interrupted reply stayed where it was asked
    new = store.messages(w.cid)
    assert [m.role for m in new] == ["user", "assistant"] and new[0].meta.get("spoken")
    assert [it.role for it in w.view.items] == ["user", "assistant"]  # nothing of the old chat leaked in
    w.close()


@pytest.mark.tiny
def test_mute_then_leaving_hands_free_then_push_to_talk_works(qtbot, voice_engine, warm_profile, speech_dir):
    mic = FileSource(silence(0.3), tail_silence_s=0.0)
    w = make_window(qtbot, voice_engine, warm_profile, audio_source=mic, audio_sink=RecordingSink(pace=0.05))
    seen = []
    w.turnEvent.connect(lambda _rid, ev: seen.append(ev))
    qtbot.mouseClick(w.input.handsfree_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(w.input.mute_button, Qt.MouseButton.LeftButton)
    assert w.voice.muted
    qtbot.mouseClick(w.input.handsfree_button, Qt.MouseButton.LeftButton)  # back to push-to-talk
    assert not w.input.mute_button.isVisible() and not w.input.mute_button.isChecked() and not w.voice.muted
    mic.feed_more(np.concatenate([speech(speech_dir / "cards-002.wav"), silence(0.2)]))
    mic.pace = 0.5
    _talk(qtbot, w, mic)
    assert isinstance(wait_turn(qtbot, w, timeout=90000), Done)
    heard = [e.text for e in seen if isinstance(e, Transcript) and e.final]
    assert heard and "queen" in heard[-1].lower()
    assert "too short" not in w.message_bar.text
    w.close()


def test_a_change_in_the_settings_dialog_reaches_the_speaker_and_the_voice_loop(qtbot, fake_engine, warm_profile):
    settings = fake_engine.settings.replace("voice", output_device="Desk speakers")
    fake_engine.settings = settings
    sink = RecordingSink(device="Desk speakers")
    w = make_window(qtbot, fake_engine, warm_profile, audio_source=FileSource(silence(0.2)), audio_sink=sink)
    loop = w.voice_loop()
    dlg = w.open_settings()  # deletes itself on close
    dlg.page_list.setCurrentRow(list(dlg.pages).index("Voice"))
    speaker = dlg.editors[("voice", "output_device")]
    assert speaker.currentText() == "Desk speakers (not connected)"
    speaker.setCurrentIndex(speaker.findData(""))  # "System default"
    assert sink.device == ""  # at once, no restart, no OK button
    barge = dlg.editors[("voice", "barge_in")]
    qtbot.mouseClick(barge, Qt.MouseButton.LeftButton, pos=barge.rect().center())
    assert loop.barge_in is False and w.settings.voice.barge_in is False
    dlg.close()
    w.close()


def test_at_exit_every_runner_is_cancelled_and_joined_before_the_store_closes(qtbot, fake_engine, warm_profile):
    fake_engine.token_delay = 0.05
    mic = FileSource(silence(0.2))
    w = make_window(qtbot, fake_engine, warm_profile, audio_source=mic, audio_sink=RecordingSink())
    w.set_hands_free(True)  # the voice loop's threads run too
    w.send_text("tell me everything")
    w.send_text("and then this")  # waits in the queue
    qtbot.waitUntil(lambda: bool(w.view.items[1].text), timeout=10000)  # the first reply streams
    w.close()
    assert w.shutdown(15.0)  # what the app does after its event loop, before closing the store
    assert not w.controller.runner.busy and not w.voice.running
    assert not w.controller.runner._thread.is_alive() and not w.history._thread.is_alive()
    fake_engine.store.close()
    from pipelines.history import HistoryStore

    store = HistoryStore(warm_profile.history_db, warm_profile.attachments_dir)
    try:
        msgs = store.messages(store.list_conversations()[0].id)
        # the running reply was stopped and kept what it had said; the waiting turn never ran
        assert [(m.role, m.status) for m in msgs] == [("user", "complete"), ("assistant", "cancelled")]
        assert msgs[1].text and [c.text for c in fake_engine.calls] == ["tell me everything"]
    finally:
        store.close()


def test_editing_a_sent_message_branches_the_conversation(qtbot, fake_engine, warm_profile):
    w = make_window(qtbot, fake_engine, warm_profile)
    for text in ("What is the capital of France?", "And its population?"):
        w.send_text(text)
        assert isinstance(wait_turn(qtbot, w), Done)
    original = w.cid
    second = w.view.bubble_for(w.view.items[2])
    qtbot.mouseClick(second.edit_button, Qt.MouseButton.LeftButton)
    second.editor.edit.selectAll()
    qtbot.keyClicks(second.editor.edit, "And its area?")
    qtbot.keyClick(second.editor.edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    store = fake_engine.store
    qtbot.waitUntil(lambda: w.cid not in (None, original) and not w.controller.busy
                    and len(store.messages(w.cid)) == 4, timeout=10000)
    assert _user_texts(store, w.cid) == ["What is the capital of France?", "And its area?"]
    assert _user_texts(store, original) == ["What is the capital of France?", "And its population?"]  # kept
    assert next(c.title for c in store.list_conversations() if c.id == w.cid).endswith("(edited)")
    assert [it.text for it in w.view.items if it.role == "user"] == _user_texts(store, w.cid)
    w.close()
