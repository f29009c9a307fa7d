"""Desktop test fixtures: an isolated profile, the real engine on tiny/offline models (tiny CLIP, SD and
SmolVLM beside the offline packs), a fake engine, and a heartbeat that measures how long the GUI
thread was blocked."""
from __future__ import annotations

import time

import pytest

from pipelines.settings import Settings
from tests.helpers.engine import engine_with_history
from tests.helpers.profiles import warm_profile_at


@pytest.fixture(autouse=True)
def _light_theme(qapp):
    from PySide6.QtCore import QEvent

    from desktop.theme import apply_theme

    # windows of earlier tests were closed with deleteLater: delete them now so restyling stays cheap
    qapp.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    apply_theme(qapp, "light")
    yield


def desktop_settings(tiny_clip_dir=None, tiny_sd_dir=None, tiny_vlm_dir=None) -> Settings:
    s = Settings()
    s.device.device = "cpu"
    s.chat.max_new_tokens = 24
    s.chat.temperature = 0.0
    s.imagegen.width = s.imagegen.height = 64
    s.imagegen.steps = 4
    s.imagegen.preview_every = 1
    s.imagegen.safety_checker = False
    s.imagegen.best_of = 1
    if tiny_clip_dir is not None:
        s.models.vision = str(tiny_clip_dir)
    if tiny_sd_dir is not None:
        s.models.imagegen = str(tiny_sd_dir)
    if tiny_vlm_dir is not None:
        s.models.vlm = str(tiny_vlm_dir)
    return s


@pytest.fixture(scope="session")
def shared_models(tmp_path_factory, tiny_clip_dir, tiny_sd_dir, tiny_vlm_dir):
    """One model manager for the whole run (models load once), on the shared warm cache."""
    from pipelines.catalog import Catalog
    from pipelines.manager import ModelManager

    root = tmp_path_factory.mktemp("desktop-models")
    profile = warm_profile_at(root)
    settings = desktop_settings(tiny_clip_dir, tiny_sd_dir, tiny_vlm_dir)
    catalog = Catalog.load(settings, profile)
    manager = ModelManager(catalog, settings, profile)
    # Warm up once, off the heartbeat: loading models imports torch & co. (dlopen holds the GIL for
    # a few hundred ms, which no threading design avoids); the tests then measure whole turns.
    from pipelines.engine import Engine
    from pipelines.events import Turn
    from pipelines.history import HistoryStore

    store = HistoryStore(profile.history_db, profile.attachments_dir)
    engine = Engine(settings, profile, store=store, manager=manager, catalog=catalog)
    for turn in (Turn(text="Hello there"), Turn(text="a tiny square", intent="generate_image")):
        for _ev in engine.respond(turn):
            pass
    store.close()
    return settings, manager


@pytest.fixture
def real_engine(shared_models, warm_profile):
    """The real Engine with a fresh history in the test's profile and the shared models."""
    yield from engine_with_history(*shared_models, warm_profile)


@pytest.fixture
def voice_engine(real_engine):
    """The real engine with speech recognition and synthesis loaded before the clock starts (as a
    running app has them)."""
    for role in ("asr", "tts"):
        real_engine.manager.preload(role)
    real_engine.router.route("hello there", has_image=False, has_audio=True)  # embeds its examples once
    return real_engine


@pytest.fixture
def fake_engine(warm_profile):
    from pipelines.history import HistoryStore
    from tests.fakes.engine import FakeEngine

    store = HistoryStore(warm_profile.history_db, warm_profile.attachments_dir)
    engine = FakeEngine(desktop_settings(), warm_profile, store, token_delay=0.005, step_delay=0.01)
    yield engine
    store.close()


def make_window(qtbot, engine, profile, **kw):
    from desktop.window import MainWindow

    w = MainWindow(engine, engine.settings, profile, **kw)
    qtbot.addWidget(w)
    w.resize(1100, 760)
    w.show()
    qtbot.waitExposed(w)
    return w


def wait_turn(qtbot, w, timeout=60000):
    """Wait for the running turn to end; returns the final event."""
    box = {}

    def on_event(_rid, ev):
        from pipelines.events import Cancelled, Done, Failed

        if isinstance(ev, (Done, Cancelled, Failed)):
            box["ev"] = ev

    w.turnEvent.connect(on_event)
    try:
        qtbot.waitUntil(lambda: "ev" in box and not w.controller.busy, timeout=timeout)
    finally:
        w.turnEvent.disconnect(on_event)
    return box["ev"]


class Heartbeat:
    """A 10 ms QTimer on the GUI thread; ``max_gap_ms`` is the longest time between two ticks."""

    def __init__(self, interval_ms: int = 10):
        from PySide6.QtCore import QTimer

        self.timer = QTimer(interval=interval_ms)
        self.timer.timeout.connect(self._tick)
        self.last = None
        self.max_gap_ms = 0.0
        self.ticks = 0

    def _tick(self):
        now = time.perf_counter()
        if self.last is not None:
            self.max_gap_ms = max(self.max_gap_ms, (now - self.last) * 1000)
        self.last = now
        self.ticks += 1

    def __enter__(self):
        self.last = time.perf_counter()
        self.timer.start()
        return self

    def __exit__(self, *exc):
        self.timer.stop()
