"""The first-run screen, driven through its buttons with the real engine, catalog, model manager and
controller: the host check on a worker ("Checking this computer…"), the roles that are ready (as the
manager's catalog says), the recommended set with sizes and licences, the disk-space check, and
downloads from a real HTTP server on 127.0.0.1 (``models.hub_endpoint``) with per-model and overall
progress, Cancel mid-file (the part is kept, no model folder is marked complete), a failed model's
own line, resume, Done, and the marker that keeps the screen from showing again.

Nothing here loads a model: the screen only looks at disk (and the one download is a toy one).
"""
from __future__ import annotations

import json
import os
import threading

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QComboBox, QProgressBar, QPushButton, QWidget

from desktop.controller import Controller
from desktop.firstrun import MARKER_NAME, FirstRunDialog, mark_first_run_done, should_show_first_run
from desktop.statusbar import ModelStatusBar
from pipelines.catalog import COMPLETE_MARKER, Catalog
from pipelines.doctor import HostCheck, check_host
from pipelines.engine import Engine
from pipelines.firstrun import LICENCES, recommend_models
from pipelines.settings import Settings
from tests.helpers.httpserver import FileServer
from tests.pipelines.test_manager_download import FILES, TOY_CLIP, WEIGHTS, toy_entry

from .conftest import Heartbeat

MB = 2**20
LEFT = Qt.MouseButton.LeftButton


@pytest.fixture
def screens(qtbot):
    """Open first-run screens; their controllers are shut down and joined at the end."""
    made = []

    def open_screen(engine, profile, **kw):
        controller = Controller(engine)
        dlg = FirstRunDialog(engine, controller, engine.settings, profile, **kw)
        qtbot.addWidget(dlg)
        dlg.show()
        made.append(controller)
        return dlg, controller

    yield open_screen
    for controller in made:
        controller.shutdown()
        controller.wait_idle(10000)


def offline_settings(tmp_path) -> Settings:
    s = Settings()
    s.device.device = "cpu"
    s.models.hf_cache_dir = str(tmp_path / "no-hf-cache")  # never the machine's own Hugging Face cache
    return s


def checked(qtbot, dlg) -> None:
    qtbot.waitUntil(lambda: dlg.pages.currentIndex() == 1, timeout=30000)


def test_the_marker_file_keeps_the_screen_from_showing_again(profile):
    assert should_show_first_run(profile)
    path = mark_first_run_done(profile, "skipped")
    assert path == profile.config_dir / MARKER_NAME and json.loads(path.read_text())["closed"] == "skipped"
    assert not should_show_first_run(profile)
    assert not [p for p in profile.config_dir.iterdir() if p.name.startswith(".")]  # no temp file left behind


@pytest.mark.weights
def test_the_check_runs_on_a_worker_and_lists_the_roles_ready_now(qtbot, screens, warm_profile, tmp_path):
    s = offline_settings(tmp_path)
    engine = Engine(s, warm_profile)
    with Heartbeat() as beat:
        dlg, _ = screens(engine, warm_profile)
        assert dlg.pages.currentIndex() == 0 and "Checking this computer" in dlg.checking.text()
        checked(qtbot, dlg)
    assert beat.max_gap_ms < 1000, f"the GUI thread was blocked for {beat.max_gap_ms:.0f} ms"
    assert dlg.host_line.text() == check_host(s).line()  # sensorium doctor's host report
    truth = {st.role: st for st in engine.manager.catalog.statuses()}
    words = {"ready": "Ready now", "needs-download": "Needs a download", "missing": "Not installed"}
    assert set(dlg.rows) == set(truth)
    for role, st in truth.items():
        assert f"{words[st.status]}: {st.model}" in dlg.rows[role].state.text(), role
    assert {r for r, st in truth.items() if st.status == "ready"} == {"asr", "chat", "tts", "embed"}  # the packs
    # the CPU set, with sizes and licences from the catalog; sd-turbo's licence is hard to miss
    assert {r: row.chosen for r, row in dlg.rows.items()} == recommend_models(engine.catalog, check_host(s)).models
    draw, vision = dlg.rows["imagegen"], dlg.rows["vision"]
    assert draw.chosen == "sd-turbo" and "Non-commercial" in draw.licence.text()
    assert dlg.warning.isVisible() and "sd-turbo" in dlg.warning.text() and "non-commercial" in dlg.warning.text()
    assert (vision.size.text(), vision.licence.text()) == ("605 MB", "MIT")
    assert dlg.download_button.isEnabled() and dlg.download_button.text() == "Download 3 models (3.6 GB)"
    assert dlg.rows["vlm"].chosen == "smolvlm-256m-instruct" and dlg.rows["vlm"].size.text() == "513 MB"
    # every control has an accessible name; Tab goes row by row (the model, then its Download box), then the buttons
    controls = [w for w in dlg.findChildren(QWidget) if isinstance(w, (QComboBox, QCheckBox, QPushButton, QProgressBar))]
    assert all(w.accessibleName() for w in controls), [w for w in controls if not w.accessibleName()]
    dlg.activateWindow()
    qtbot.waitUntil(lambda: dlg.isActiveWindow() and dlg.focusWidget() is dlg.rows["chat"].combo, timeout=5000)
    visited = [dlg.focusWidget()]
    for _ in range(12):
        qtbot.keyClick(dlg.focusWidget(), Qt.Key.Key_Tab)
        visited.append(dlg.focusWidget())
    rows = dlg.rows
    assert visited == [rows["chat"].combo, rows["asr"].combo, rows["tts"].combo, rows["vision"].combo,
                       rows["vision"].check, rows["vlm"].combo, rows["vlm"].check, rows["imagegen"].combo,
                       rows["imagegen"].check, rows["embed"].combo, dlg.download_button, dlg.close_button,
                       rows["chat"].combo], [w.accessibleName() for w in visited]
    qtbot.keyClick(dlg, Qt.Key.Key_Escape)  # Escape is Skip
    assert not dlg.isVisible() and json.loads((warm_profile.config_dir / MARKER_NAME).read_text())["closed"] == "skipped"


def test_the_disk_check_refuses_a_set_larger_than_the_free_space(qtbot, screens, warm_profile, tmp_path):
    asked = []

    def free_space(path):
        asked.append(path)
        return 1024 * MB

    with FileServer({}) as srv:  # it has none of the files: a download that starts fails with 404
        s = offline_settings(tmp_path)
        s.models.hub_endpoint = srv.url
        dlg, _ = screens(Engine(s, warm_profile), warm_profile, free_space=free_space)
        checked(qtbot, dlg)
        qtbot.mouseClick(dlg.download_button, LEFT)
        qtbot.waitUntil(lambda: "disk space" in dlg.message.text(), timeout=10000)
        assert srv.requests == []  # nothing started
        line = dlg.message.text()
        assert "needs 3.6 GB" in line and "1.0 GB free" in line and str(warm_profile.models_dir) in line
        assert asked[-1] == warm_profile.models_dir
        assert not warm_profile.models_dir.exists() or not list(warm_profile.models_dir.iterdir())
        # usable: untick the drawing model, and the rest fits and starts (and fails: the server has nothing)
        dlg.rows["imagegen"].check.click()
        assert dlg.download_button.text() == "Download 2 models (1.1 GB)"  # still more than the 1.0 GB free
        dlg.rows["vlm"].check.click()
        assert dlg.download_button.text() == "Download 1 model (605 MB)"
        qtbot.mouseClick(dlg.download_button, LEFT)
        qtbot.waitUntil(lambda: "1 failed" in dlg.message.text(), timeout=20000)
        assert srv.requests
    vision = dlg.rows["vision"]
    assert vision.note.isVisible() and vision.note.text().startswith("Download of clip-vit-b-32/")
    assert "not found" in vision.note.text() and not dlg.rows["imagegen"].note.text()
    assert dlg.download_button.isEnabled() and vision.check.isEnabled()


TOML = ('[profiles.cpu-offline]\nvision = "toy-clip"\nimagegen = "toy-sd"\n' + TOY_CLIP
        + toy_entry("imagegen", "toy-sd", ["model_index.json"], "diffusers", size_mb=1, license="sai-nc-community"))
FILES = {k: v for k, v in FILES.items() if "clip" in k}  # toy-clip's files; toy-sd's are not on the server


class _Held:
    """A response's writer that stops after ``after`` bytes until ``go`` is set: a download caught mid-file."""

    def __init__(self, wfile, after: int, go: threading.Event):
        self.wfile, self.after, self.go, self.sent = wfile, after, go, 0

    def write(self, data: bytes) -> int:
        if self.sent < self.after <= self.sent + len(data):
            cut = self.after - self.sent
            self.wfile.write(data[:cut])
            self.wfile.flush()
            self.go.wait(30)
            self.sent, data = self.after, data[cut:]
        self.sent += len(data)
        return self.wfile.write(data)

    def __getattr__(self, name):
        return getattr(self.wfile, name)


def hold_mid_file(srv: FileServer, name: str, after: int, go: threading.Event) -> None:
    base = srv.httpd.RequestHandlerClass

    class Held(base):  # type: ignore[misc, valid-type]
        def do_GET(self):
            if self.path.endswith("/" + name) and not go.is_set():
                self.wfile = _Held(self.wfile, after, go)
            super().do_GET()

    srv.httpd.RequestHandlerClass = Held


def test_download_progress_cancel_resume_and_a_failed_model(qtbot, screens, profile, tmp_path):
    go = threading.Event()
    path = tmp_path / "catalog.toml"
    path.write_text(TOML)
    with FileServer(FILES) as srv:
        hold_mid_file(srv, "open_clip_model.safetensors", 300_000, go)
        s = offline_settings(tmp_path)
        s.models.hub_endpoint = srv.url
        engine = Engine(s, profile, catalog=Catalog.load(s, profile, path, gpu=False))
        dlg, controller = screens(engine, profile)
        bar = ModelStatusBar()  # the window's status bar, fed as the window feeds it
        qtbot.addWidget(bar)
        shown = []

        def on_status(ev):
            bar.set_state(ev.role, ev.state, ev.detail, ev.device, ev.progress)
            if ev.role == "vision":
                shown.append((bar.text_of("vision"), bar.labels["vision"].toolTip()))

        controller.modelStatus.connect(on_status)
        checked(qtbot, dlg)
        vision, draw = dlg.rows["vision"], dlg.rows["imagegen"]
        assert vision.showing is vision.check and draw.showing is draw.check
        qtbot.mouseClick(dlg.download_button, LEFT)
        qtbot.waitUntil(lambda: vision.bar.value() > 0, timeout=20000)
        assert vision.bar.value() < 1000 and " MB" in vision.bar.text() and 0 < dlg.overall.value() < 1000
        qtbot.waitUntil(lambda: any("downloading" in text for text, _tip in shown), timeout=10000)
        assert any("%" in text and " MB" in tip for text, tip in shown if "downloading" in text)
        assert dlg.cancel_button.isEnabled() and not dlg.download_button.isEnabled()
        qtbot.mouseClick(dlg.cancel_button, LEFT)
        go.set()  # data flows again: the next block meets the cancelled token
        qtbot.waitUntil(lambda: "cancelled" in dlg.message.text(), timeout=20000)
        folder = profile.models_dir / "toy-clip"
        part = folder / "weights" / "open_clip_model.safetensors.part"
        assert not (folder / COMPLETE_MARKER).exists() and not part.with_suffix("").exists()
        assert 0 < part.stat().st_size < len(WEIGHTS)
        assert engine.catalog.status("vision").status == "needs-download"
        assert vision.note.text().startswith("Cancelled") and draw.note.text().startswith("Not started")
        kept = part.stat().st_size
        # again: the part resumes, the drawing model (not on the server) fails on its own line
        qtbot.mouseClick(dlg.download_button, LEFT)
        qtbot.waitUntil(lambda: "1 downloaded" in dlg.message.text(), timeout=20000)
        ranges = [rng for p, rng in srv.requests if p.endswith("open_clip_model.safetensors")]
    assert ranges[-1] == f"bytes={kept}-"
    assert (folder / "weights" / "open_clip_model.safetensors").read_bytes() == WEIGHTS
    assert engine.catalog.status("vision").status == "ready" and "1 failed" in dlg.message.text()
    assert vision.showing is vision.here and "On this computer" in vision.here.text()
    assert "Ready now: toy-clip" in vision.state.text()
    assert draw.note.isVisible() and "not found" in draw.note.text() and "\n" not in draw.note.text()
    assert draw.check.isEnabled() and dlg.download_button.isEnabled()  # still usable
    assert dlg.close_button.text() == "Done"
    qtbot.mouseClick(dlg.close_button, LEFT)
    assert not dlg.isVisible() and not should_show_first_run(profile)


@pytest.mark.tiny
def test_done_switches_a_role_to_a_chosen_model_that_is_on_disk(qtbot, screens, warm_profile, hub_cache):
    s = Settings()
    s.device.device = "cpu"
    s.models.hf_cache_dir = str(hub_cache.root)  # every hub model of the catalog, tiny, in an HF cache
    dlg, _ = screens(Engine(s, warm_profile), warm_profile)
    checked(qtbot, dlg)
    chat = dlg.rows["chat"]
    chat.combo.setCurrentIndex(chat.combo.findData("qwen2.5-3b-instruct"))
    assert "Non-commercial" in chat.licence.text() and "Qwen Research License" in dlg.warning.text()
    chat.combo.setCurrentIndex(chat.combo.findData("qwen2.5-1.5b-instruct"))
    assert chat.licence.text() == "Apache-2.0" and "Qwen" not in dlg.warning.text()
    assert chat.showing is chat.here  # in the Hugging Face cache: nothing to download
    assert dlg.totals.text().startswith("Nothing to download") and dlg.close_button.text() == "Done"
    with qtbot.waitSignal(dlg.settingsChanged, timeout=5000) as sig:
        qtbot.mouseClick(dlg.close_button, LEFT)
    new = sig.args[0]
    assert new.models.chat == "qwen2.5-1.5b-instruct" and new.models.asr == ""  # the others stay as they were
    assert json.loads((warm_profile.config_dir / MARKER_NAME).read_text())["closed"] == "done"


def test_the_host_check_reads_each_gpus_memory_and_a_big_gpu_gets_the_big_set(profile, tmp_path, monkeypatch):
    proc = tmp_path / "nvidia"  # an NVIDIA driver and GPU as /proc shows them (no GPU exists here)
    (proc / "gpus" / "0000:01:00.0").mkdir(parents=True)
    (proc / "version").write_text("NVRM version: NVIDIA UNIX Open Kernel Module for x86_64  570.86.15  Release Build\n")
    (proc / "gpus" / "0000:01:00.0" / "information").write_text("Model: \t\t NVIDIA H200\n")
    smi = tmp_path / "bin" / "nvidia-smi"  # and its nvidia-smi, answering the memory query as the real one does
    smi.parent.mkdir()
    smi.write_text('#!/bin/sh\ncase "$*" in *memory.total*noheader,nounits*) echo 143771;; *) exit 9;; esac\n')
    smi.chmod(0o755)
    monkeypatch.setenv("PATH", f"{smi.parent}{os.pathsep}{os.environ['PATH']}")
    host = check_host(Settings(), proc=proc)
    assert host.gpu_memory_mb == (143771,) and "NVIDIA driver 570.86.15, NVIDIA H200 (140 GB)" in host.line()
    picks = recommend_models(Catalog.load(Settings(), profile, gpu=True), host)
    assert picks.models["chat"] == "qwen2.5-3b-instruct" and "140 GB" in picks.reason


def test_the_recommended_set_follows_the_gpu_and_keeps_the_users_own_choice(profile):
    s = Settings()
    catalog = Catalog.load(s, profile, gpu=False)
    host = HostCheck("0", "Linux x86_64", "3.11", 16, "auto")
    cpu = recommend_models(catalog, host).models
    assert cpu == catalog.profiles["cpu-offline"]
    gpu = dict(nvidia_driver="570.86.15", gpus=("NVIDIA H200",))
    unknown = recommend_models(catalog, HostCheck("0", "Linux", "3.11", 16, "auto", **gpu))
    assert unknown.models == catalog.profiles["gpu"] and "could not be read" in unknown.reason
    small = recommend_models(catalog, HostCheck("0", "Linux", "3.11", 16, "auto", gpu_memory_mb=(8192,), **gpu))
    assert small.models == catalog.profiles["gpu"]  # 8 GB: the standard GPU set
    big = recommend_models(catalog, HostCheck("0", "Linux", "3.11", 16, "auto", gpu_memory_mb=(143771,), **gpu))
    assert (big.models["chat"], big.models["asr"], big.models["vision"]) == (
        "qwen2.5-3b-instruct", "whisper-large-v3-turbo", "clip-vit-l-14")
    assert sum(catalog.entry(n).size_mb for n in big.models.values()) <= 143771 * 0.75
    on_cpu = recommend_models(catalog, HostCheck("0", "Linux", "3.11", 16, "cpu", gpu_memory_mb=(143771,), **gpu))
    assert on_cpu.models == cpu and "set to the CPU" in on_cpu.reason
    s.models.chat = "qwen2.5-1.5b-instruct"
    assert recommend_models(catalog, host).models["chat"] == "qwen2.5-1.5b-instruct"
    # every licence in the shipped catalog is explained (the one voice without a stated licence says so)
    assert {e.license for e in catalog.entries()} - set(LICENCES) == {"see model card"}
