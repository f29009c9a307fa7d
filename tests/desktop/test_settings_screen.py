"""The Settings screen through real interactions: six pages, one editor per setting, changes that
apply and save at once, an invalid value refused in one line, the real device lists, a live level
meter on a microphone playing real speech (pipelines.voice.FileSource), the API key's state; the
SettingsService behind it; switching devices on the real sounddevice classes (their streams faked:
there is no audio hardware here)."""
from __future__ import annotations

import threading
import time

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from desktop.settings_dialog import SettingsDialog
from desktop.settings_editors import PAGES, SYSTEM_DEFAULT
from desktop.settings_service import SettingsService
from pipelines.settings import SERVER_ROLES, Settings, describe, load_settings
from pipelines.voice import FileSource
from tests.fakes.audio import NoDeviceSource, silence, speech

INPUTS = ["Built-in Microphone", "USB Headset"]
OUTPUTS = ["Speakers", "HDMI Audio"]


class Sources:
    """The level preview's microphones: real speech at real-time pace, one FileSource per open."""

    def __init__(self, audio: np.ndarray):
        self.audio = audio
        self.opened: list[tuple[str, FileSource]] = []

    def __call__(self, name: str) -> FileSource:
        src = FileSource(self.audio, tail_silence_s=0.0)
        self.opened.append((name, src))
        return src


def stopped(src: FileSource) -> bool:
    """A FileSource that delivers no more frames."""
    before = src.delivered
    time.sleep(0.1)  # three frames' time
    return src.delivered == before


@pytest.fixture
def service(tmp_path, qapp):
    s = Settings()
    s.voice.input_device = "Old Microphone"  # configured once, not connected now
    return SettingsService(s, tmp_path / "config" / "settings.toml")


@pytest.fixture
def sources(speech_dir):
    return Sources(np.concatenate([speech(speech_dir / "cards-001.wav")] * 10))  # 11 s: longer than any test


def make_dialog(qtbot, service, sources=None, **kw):
    kw.setdefault("input_devices", lambda: list(INPUTS))
    kw.setdefault("output_devices", lambda: list(OUTPUTS))
    kw.setdefault("open_level_source", sources if sources is not None else (lambda name: NoDeviceSource()))
    dlg = SettingsDialog(service, **kw)
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitExposed(dlg)
    return dlg


def go_to(qtbot, dlg, page: str) -> None:
    """Click the page in the list on the left."""
    item = dlg.page_list.item(PAGES.index(page))
    qtbot.mouseClick(dlg.page_list.viewport(), Qt.MouseButton.LeftButton,
                     pos=dlg.page_list.visualItemRect(item).center())
    assert dlg.stack.currentWidget() is dlg.pages[page]


def type_into(qtbot, widget, text: str) -> None:
    widget.setFocus()
    edit = widget.lineEdit() if hasattr(widget, "lineEdit") else widget
    edit.selectAll()
    qtbot.keyClicks(edit, text)
    qtbot.keyClick(edit, Qt.Key.Key_Return)


def test_six_pages_one_editor_per_setting_keyboard(qtbot, service):
    dlg = make_dialog(qtbot, service)
    assert [dlg.page_list.item(i).text() for i in range(dlg.page_list.count())] == list(PAGES)
    assert list(dlg.pages) == list(PAGES)
    assert set(dlg.editors) == {(s, k) for s, k, _d, _t in describe()}
    labels = dlg.findChildren(QLabel)
    descriptions = {(s, k): d for s, k, _v, d in describe()}
    for key, editor in dlg.editors.items():
        page = [p for p in dlg.pages.values() if p.isAncestorOf(editor)]
        assert len(page) == 1, key
        assert editor.accessibleName() and any(lb.buddy() is editor for lb in labels), key
        assert any(lb.text() == descriptions[key] and page[0].isAncestorOf(lb) for lb in labels), key
    for key, page in ((("general", "theme"), "Appearance"), (("voice", "input_device"), "Voice"),
                      (("imagegen", "steps"), "Drawing"), (("servers.chat", "base_url"), "Servers"), (("servers.asr", "retries"), "Servers"),
                      (("general", "history_enabled"), "Privacy"), (("models", "chat"), "Models")):
        assert dlg.pages[page].isAncestorOf(dlg.editors[key]), key
    assert set(dlg.api_keys) == set(SERVER_ROLES)
    assert all(dlg.pages["Servers"].isAncestorOf(row.edit) for row in dlg.api_keys.values())
    assert dlg.pages["Privacy"].isAncestorOf(dlg.delete_all)
    # the page list is driven by the keyboard, and Tab goes from it into the page shown
    dlg.page_list.setFocus()
    qtbot.keyClick(dlg.page_list, Qt.Key.Key_End)
    assert dlg.stack.currentWidget() is dlg.pages["Appearance"]
    qtbot.keyClick(dlg.page_list, Qt.Key.Key_Tab)
    assert dlg.focusWidget() is dlg.editors[("general", "theme")]
    qtbot.keyClick(dlg.focusWidget(), Qt.Key.Key_Tab)
    assert dlg.focusWidget() is dlg.editors[("general", "language")]  # the row next to Theme
    qtbot.keyClick(dlg.focusWidget(), Qt.Key.Key_Tab)
    assert dlg.focusWidget() is dlg.close_button
    qtbot.keyClick(dlg.close_button, Qt.Key.Key_Escape)  # Esc closes
    assert not dlg.isVisible()


def test_changes_apply_and_save_at_once(qtbot, service):
    dlg = make_dialog(qtbot, service)
    go_to(qtbot, dlg, "Appearance")
    theme = dlg.editors[("general", "theme")]
    theme.setFocus()
    with qtbot.waitSignal(service.settingsChanged, timeout=1000) as sig:
        qtbot.keyClick(theme, Qt.Key.Key_End)  # system, light, dark: the last one
    old, new = sig.args
    assert (old.general.theme, new.general.theme) == ("system", "dark") and theme.currentData() == "dark"
    assert load_settings(service.path).settings.general.theme == "dark"
    go_to(qtbot, dlg, "Voice")
    with qtbot.waitSignal(service.settingsChanged, timeout=1000) as sig:
        type_into(qtbot, dlg.editors[("voice", "end_silence_ms")], "800")
    assert sig.args[1].voice.end_silence_ms == 800 and service.settings.voice.end_silence_ms == 800
    with qtbot.waitSignal(service.settingsChanged, timeout=1000):
        qtbot.mouseClick(dlg.editors[("voice", "barge_in")], Qt.MouseButton.LeftButton)
    saved = load_settings(service.path).settings
    assert saved.voice.end_silence_ms == 800 and saved.voice.barge_in is False and saved.general.theme == "dark"
    # a line edit applies when editing ends (Enter or leaving it)
    go_to(qtbot, dlg, "Servers")
    with qtbot.waitSignal(service.settingsChanged, timeout=1000):
        type_into(qtbot, dlg.editors[("servers.chat", "model")], "qwen2.5-3b")
    assert load_settings(service.path).settings.servers.chat.model == "qwen2.5-3b"
    # a change made elsewhere (the theme menu) shows in the dialog without applying anything back
    service.replace("general", theme="light")
    assert theme.currentData() == "light" and load_settings(service.path).settings.general.theme == "light"


def test_invalid_value_is_refused_in_one_line(qtbot, service):
    dlg = make_dialog(qtbot, service)
    go_to(qtbot, dlg, "Voice")
    before = service.settings
    seen = []
    service.settingsChanged.connect(lambda old, new: seen.append(new))
    box = dlg.editors[("voice", "end_silence_ms")]
    type_into(qtbot, box, "50")  # below the schema's 100 ms
    assert dlg.problem.isVisible()
    text = dlg.problem.text()
    assert "\n" not in text and "voice.end_silence_ms" in text and "100" in text and "not applied" in text
    assert seen == [] and service.settings == before and not service.path.exists()
    assert box.value() == 500  # the editor shows what applies
    type_into(qtbot, box, "900")  # a valid value clears the problem
    assert not dlg.problem.isVisible() and service.settings.voice.end_silence_ms == 900


def test_device_lists_and_a_device_not_connected(qtbot, service, sources):
    dlg = make_dialog(qtbot, service, sources)
    mic, speaker = dlg.editors[("voice", "input_device")], dlg.editors[("voice", "output_device")]
    assert [mic.itemText(i) for i in range(mic.count())] == [SYSTEM_DEFAULT, *INPUTS, "Old Microphone (not connected)"]
    assert [mic.itemData(i) for i in range(mic.count())] == ["", *INPUTS, "Old Microphone"]
    assert mic.currentText() == "Old Microphone (not connected)"
    assert [speaker.itemText(i) for i in range(speaker.count())] == [SYSTEM_DEFAULT, *OUTPUTS]
    assert speaker.currentData() == ""
    go_to(qtbot, dlg, "Voice")
    assert [n for n, _s in sources.opened] == ["Old Microphone"]
    mic.setFocus()
    with qtbot.waitSignal(service.settingsChanged, timeout=1000):
        qtbot.keyClick(mic, Qt.Key.Key_Home)  # System default
    assert service.settings.voice.input_device == ""
    with qtbot.waitSignal(service.settingsChanged, timeout=1000):
        qtbot.keyClick(mic, Qt.Key.Key_Down)
    assert load_settings(service.path).settings.voice.input_device == "Built-in Microphone"
    # switching the device reopens the preview on it, and the one before is stopped
    assert [n for n, _s in sources.opened] == ["Old Microphone", "", "Built-in Microphone"]
    assert all(stopped(s) for _n, s in sources.opened[:-1]) and not stopped(sources.opened[-1][1])
    speaker.setFocus()
    with qtbot.waitSignal(service.settingsChanged, timeout=1000):
        qtbot.keyClick(speaker, Qt.Key.Key_End)
    assert load_settings(service.path).settings.voice.output_device == "HDMI Audio"


def test_level_meter_follows_real_speech_and_stops(qtbot, service, sources):
    dlg = make_dialog(qtbot, service, sources)
    assert sources.opened == []  # nothing opens before the Voice page is shown
    go_to(qtbot, dlg, "Voice")
    qtbot.waitUntil(lambda: dlg.meter.level > 0.05, timeout=3000)
    first = sources.opened[-1][1]
    go_to(qtbot, dlg, "Drawing")  # leaving the page stops the preview
    assert stopped(first) and dlg.meter.level == 0
    go_to(qtbot, dlg, "Voice")
    qtbot.waitUntil(lambda: dlg.meter.level > 0.05, timeout=3000)
    last = sources.opened[-1][1]
    assert last is not first
    qtbot.mouseClick(dlg.close_button, Qt.MouseButton.LeftButton)
    assert not dlg.isVisible() and stopped(last) and not dlg.preview.running


def test_level_meter_on_silence_stays_low(qtbot, service):
    quiet = Sources(silence(2.0))
    dlg = make_dialog(qtbot, service, quiet)
    go_to(qtbot, dlg, "Voice")
    qtbot.waitUntil(lambda: quiet.opened and quiet.opened[-1][1].delivered > 8000, timeout=3000)
    assert dlg.meter.level == 0
    dlg.close()


def test_a_microphone_that_fails_to_open_says_so(qtbot, service):
    dlg = make_dialog(qtbot, service, lambda name: NoDeviceSource())
    go_to(qtbot, dlg, "Voice")
    note = dlg.meter_note.text()
    assert "could not be opened" in note and "Error querying device -1" in note and "\n" not in note
    assert dlg.meter.level == 0 and dlg.isVisible()


def test_api_key_state_and_storing(qtbot, service):
    stored: dict[tuple[str, str], str] = {}

    def url(s, role):
        return s.section(f"servers.{role}").base_url

    dlg = make_dialog(qtbot, service, api_key_status=lambda s, role: (role, url(s, role)) in stored,
                      set_api_key=lambda s, key, role: stored.__setitem__((role, url(s, role)), key) if key
                      else stored.pop((role, url(s, role)), None))
    go_to(qtbot, dlg, "Servers")
    chat, asr = dlg.api_keys["chat"], dlg.api_keys["asr"]
    assert chat.state.text() == "No key stored" and not chat.forget.isVisible()
    with qtbot.waitSignal(service.settingsChanged, timeout=1000):
        type_into(qtbot, dlg.editors[("servers.chat", "base_url")], "http://127.0.0.1:8000/v1")
    type_into(qtbot, chat.edit, "sk-test-123")
    assert stored == {("chat", "http://127.0.0.1:8000/v1"): "sk-test-123"} and chat.edit.text() == ""
    assert chat.state.text() == "A key is stored in the system keyring" and chat.forget.isVisible()
    assert asr.state.text() == "No key stored" and not asr.forget.isVisible()  # each role its own key
    assert "sk-test" not in service.path.read_text()  # the key never goes to the settings file
    # the key belongs to a server address: another address has none
    type_into(qtbot, dlg.editors[("servers.chat", "base_url")], "http://127.0.0.1:9000/v1")
    assert chat.state.text() == "No key stored"
    type_into(qtbot, dlg.editors[("servers.chat", "base_url")], "http://127.0.0.1:8000/v1")
    qtbot.mouseClick(chat.forget, Qt.MouseButton.LeftButton)
    assert stored == {} and chat.state.text() == "No key stored"


def test_api_key_without_a_keyring_says_why(qtbot, service):
    import keyring
    from keyring.backends import fail

    from pipelines import secrets

    before = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())  # the real library with no usable backend, as on this machine
    try:
        dlg = make_dialog(qtbot, service, api_key_status=secrets.has_api_key, set_api_key=secrets.set_api_key)
        go_to(qtbot, dlg, "Servers")
        row = dlg.api_keys["chat"]
        assert row.state.text() == "No key stored"
        type_into(qtbot, row.edit, "sk-test-123")
        text = dlg.problem.text()
        assert dlg.problem.isVisible() and "\n" not in text and "could not be saved" in text and "keyring" in text
        assert row.edit.text() == "sk-test-123"  # kept, to try again once a keyring runs
    finally:
        keyring.set_keyring(before)


# ---- the service ---------------------------------------------------------------------------------
def test_service_saves_then_announces_once(qtbot, tmp_path):
    service = SettingsService(Settings(), tmp_path / "settings.toml")
    seen = []
    service.settingsChanged.connect(lambda old, new: seen.append((old, new, load_settings(service.path).settings)))
    service.replace("voice", mode="hands-free")
    new = service.settings
    assert len(seen) == 1 and seen[0][1] is new and seen[0][2].voice.mode == "hands-free"  # saved before the signal
    service.update(Settings.replace(new, "voice", mode="hands-free"))  # equal: nothing happens
    assert len(seen) == 1
    with pytest.raises(ValueError, match="voice.mode"):
        service.replace("voice", mode="shouting")
    assert service.settings.voice.mode == "hands-free" and len(seen) == 1


def test_service_applies_when_the_file_cannot_be_written(qtbot, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the settings folder should be")
    service = SettingsService(Settings(), blocker / "settings.toml")
    problems, changes = [], []
    service.problem.connect(problems.append)
    service.settingsChanged.connect(lambda old, new: changes.append(new))
    service.replace("general", theme="dark")
    assert service.settings.general.theme == "dark" and [c.general.theme for c in changes] == ["dark"]
    assert len(problems) == 1 and problems[0].startswith("settings could not be saved (")
    assert problems[0].endswith("; they apply until you quit") and "\n" not in problems[0]


# ---- device switching on the real sounddevice classes ------------------------------------------------
class FakeStreams:
    """sounddevice's InputStream/OutputStream for machines without audio hardware: they record the
    device they were opened on and what was written; aborting calls the finished callback soon
    after, from another thread (as PortAudio can)."""

    def __init__(self):
        self.opened: list = []
        self.written: dict = {}

    def input(self, *, device=None, callback=None, finished_callback=None, **_kw):
        streams = self

        class Input:
            def start(self):
                streams.opened.append(("in", device))
                callback(np.full((512, 1), 0.1, dtype=np.float32), 512, None, None)

            def abort(self):  # PortAudio may report the end from its own thread, a little later
                if finished_callback is not None:
                    threading.Timer(0.02, finished_callback).start()

            def close(self):
                pass

        return Input()

    def output(self, *, device=None, **_kw):
        streams = self

        class Output:
            latency = 0.08  # seconds of output buffer between a write and the speaker

            def start(self):
                streams.opened.append(("out", device))

            def write(self, block):
                streams.written[device] = streams.written.get(device, 0) + len(block)
                time.sleep(0.01)

            def abort(self):
                pass

            def close(self):
                pass

        return Output()


@pytest.fixture
def fake_streams(monkeypatch):
    sd = pytest.importorskip("sounddevice")
    streams = FakeStreams()
    monkeypatch.setattr(sd, "InputStream", streams.input)
    monkeypatch.setattr(sd, "OutputStream", streams.output)
    return streams


def test_microphone_set_device_reopens_a_started_source(fake_streams):
    from desktop.audio import SoundDeviceSource

    errors, frames = [], []
    src = SoundDeviceSource("", on_error=errors.append)
    src.set_device("USB Headset")  # not started: only remembered
    assert fake_streams.opened == []
    src.start(frames.append)
    src.set_device("Built-in Microphone")
    src.set_device("Built-in Microphone")  # the same one: nothing reopens
    time.sleep(0.1)  # the first stream's end has been reported by now
    assert fake_streams.opened == [("in", "USB Headset"), ("in", "Built-in Microphone")]
    assert len(frames) == 2 and errors == []  # the same consumer; no "stopped delivering" report
    src.stop()


def test_a_missing_microphone_falls_back_with_a_line_the_window_says_in_its_language(fake_streams, monkeypatch):
    # the device's lines are English Texts: the log gets the English, the window renders them when shown
    import sounddevice as sd

    from desktop.audio import AudioDeviceError, SoundDeviceSource
    from pipelines.errors import Text
    from pipelines.voice import device_notice

    opened = fake_streams.input

    def only_the_default(*, device=None, **kw):
        if device is not None:
            raise OSError("no such device")
        return opened(device=device, **kw)

    monkeypatch.setattr(sd, "InputStream", only_the_default)
    lines = []
    src = SoundDeviceSource("USB Headset", on_error=lines.append)
    src.start(lambda frames: None)
    src.stop()
    assert len(lines) == 1 and isinstance(lines[0], Text) and lines[0].code == "audio.microphone_fallback"
    assert str(lines[0]) == ("the microphone 'USB Headset' is not available (no such device); using the default "
                             "microphone instead")
    notice = device_notice(lines[0])  # what the voice loop and the speaker hand the window
    assert notice.text == str(lines[0]) and notice.localizable is lines[0]
    assert device_notice("a plain line").localizable is None
    monkeypatch.setattr(sd, "InputStream", lambda **kw: (_ for _ in ()).throw(OSError("none")))
    with pytest.raises(AudioDeviceError) as raised:
        SoundDeviceSource("").start(lambda frames: None)
    assert raised.value.text.code == "audio.no_microphone"
    assert str(raised.value) == "no microphone could be opened (none): connect one, or check that no other program holds it"


def test_speaker_set_device_stops_playback_and_plays_on_the_new_one(fake_streams):
    from desktop.audio import SoundDeviceSink

    sink = SoundDeviceSink("Speakers")
    sink.play(np.zeros(16000 * 5, dtype=np.float32), 16000)  # five seconds
    deadline = time.monotonic() + 2
    while not fake_streams.written.get("Speakers") and time.monotonic() < deadline:
        time.sleep(0.01)
    sink.set_device("HDMI Audio")
    assert not sink.playing
    cut = -1
    while cut != fake_streams.written["Speakers"] and time.monotonic() < deadline + 2:  # the block being written
        cut = fake_streams.written["Speakers"]
        time.sleep(0.05)
    assert cut < 16000 * 5
    sink.play(np.zeros(1600, dtype=np.float32), 16000)
    while sink.playing and time.monotonic() < deadline + 3:
        time.sleep(0.01)
    assert fake_streams.written.get("HDMI Audio") == 1600 and fake_streams.written["Speakers"] == cut
    # between two replies (the stream is still open, nothing plays) the next chunk goes to the new one too
    sink.set_device("Speakers")
    sink.play(np.zeros(800, dtype=np.float32), 16000)
    while sink.playing and time.monotonic() < deadline + 6:
        time.sleep(0.01)
    assert fake_streams.written["Speakers"] == cut + 800 and fake_streams.written["HDMI Audio"] == 1600
    assert fake_streams.opened == [("out", "Speakers"), ("out", "HDMI Audio"), ("out", "Speakers")]


def test_the_speaker_reports_what_went_out_and_when_it_is_heard_with_its_output_latency(fake_streams):
    from desktop.audio import SoundDeviceSink

    sink = SoundDeviceSink("Speakers")
    seen, reports = [], []
    sink.monitor = lambda block, rate: seen.append((len(block), rate))
    t0 = time.perf_counter()
    sink.play(np.zeros(4000, dtype=np.float32), 16000, on_played=lambda n, at: reports.append((n, at)))
    assert sink.wait_drained(5)
    assert sum(n for n, _ in seen) == 4000 and {r for _, r in seen} == {16000}
    assert [n for n, _ in reports] == [800, 1600, 2400, 3200, 4000]  # 50 ms blocks
    # each block is heard the device's output latency after it was written
    assert all(at - t0 >= 0.08 for _, at in reports)
    assert fake_streams.written["Speakers"] == 4000


def test_speaker_chunks_stop_with_their_turns_cancel_token(fake_streams):
    from desktop.audio import SoundDeviceSink
    from pipelines.cancel import CancelToken

    sink = SoundDeviceSink("Speakers")
    turn = CancelToken()
    sink.play(np.zeros(16000 * 5, dtype=np.float32), 16000, cancel=turn)  # a reply's five seconds
    sink.play(np.zeros(16000, dtype=np.float32), 16000, cancel=turn)  # and its next sentence, queued
    deadline = time.monotonic() + 2
    while not fake_streams.written.get("Speakers") and time.monotonic() < deadline:
        time.sleep(0.01)
    turn.cancel()  # the turn was stopped (Esc, a barge-in): its speech stops within a block
    cut = -1
    while cut != fake_streams.written["Speakers"] and time.monotonic() < deadline + 2:
        cut = fake_streams.written["Speakers"]
        time.sleep(0.05)
    assert cut < 16000 * 5
    sink.play(np.zeros(800, dtype=np.float32), 16000)  # the next reply plays (the queued sentence did not)
    while fake_streams.written["Speakers"] < cut + 800 and time.monotonic() < deadline + 4:
        time.sleep(0.01)
    time.sleep(0.1)
    assert fake_streams.written["Speakers"] == cut + 800
