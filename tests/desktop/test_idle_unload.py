"""Idle models unload in the running app: the controller's timer asks the real model manager, on a
worker thread, so no model is ever closed on the GUI thread, and a model a turn holds stays.

The manager's clock is injected (idle time is moved forward by the test, not waited for); its
loaders are the manager's own injection point, returning small objects that record their close."""
from __future__ import annotations

import threading

import pytest

from pipelines.catalog import Catalog
from pipelines.devices import DeviceChoice
from pipelines.manager import ModelManager
from pipelines.settings import Settings

pytestmark = pytest.mark.gui


class Model:
    def __init__(self):
        self.closed_on = None

    def close(self):
        self.closed_on = threading.current_thread()


def test_idle_timer_unloads_idle_models_on_a_worker_and_never_one_in_use(qtbot, profile, tmp_path):
    from desktop.controller import Controller
    from pipelines.engine import Engine

    asr, clip = tmp_path / "asr", tmp_path / "clip"
    asr.mkdir(), clip.mkdir()
    (asr / "config.json").write_text("{}")
    (asr / "model.bin").write_bytes(b"\0")
    (clip / "open_clip_config.json").write_text("{}")
    s = Settings()
    s.models.asr, s.models.vision = str(asr), str(clip)
    s.device.idle_unload_minutes = 1.0
    clock = [0.0]
    models = {}

    def load(resolved, device, settings, prof):
        return models.setdefault(resolved.role, Model())

    manager = ModelManager(Catalog.load(s, profile), s, profile, loaders={"asr": load, "vision": load},
                           device=DeviceChoice("cpu", "float32", "int8"), clock=lambda: clock[0])
    controller = Controller(Engine(s, profile, manager=manager), idle_check_ms=10)
    try:
        manager.preload("asr")
        held, release = threading.Event(), threading.Event()

        def turn():
            with manager.lease("vision"):
                held.set()
                release.wait(30)

        worker = threading.Thread(target=turn, name="turn")
        worker.start()
        assert held.wait(30)
        clock[0] = 120  # both loaded two idle minutes ago; vision is in use
        qtbot.waitUntil(lambda: not manager.is_loaded("asr"), timeout=10000)
        assert manager.is_loaded("vision") and models["vision"].closed_on is None
        closer = models["asr"].closed_on
        assert closer is not None and closer is not threading.main_thread()
        release.set()  # the turn ends at 120: vision is idle from then on
        worker.join(30)
        qtbot.wait(50)  # a few more checks: still within the idle time
        assert manager.is_loaded("vision")
        clock[0] = 200
        qtbot.waitUntil(lambda: not manager.is_loaded("vision"), timeout=10000)
        assert models["vision"].closed_on is not threading.main_thread()
    finally:
        release.set()
        controller.shutdown()
        assert controller.wait_idle()
