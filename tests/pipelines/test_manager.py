"""The model manager: lazy loading, residency, LRU under a GPU budget, idle unload, threads.

The loaders here are the manager's own injection point (a registry of role -> function), fed
with small Python objects: what is tested is the manager's bookkeeping, not a model library.
"""
from __future__ import annotations

import threading
import time

import pytest

from pipelines.catalog import Catalog
from pipelines.devices import DeviceChoice
from pipelines.errors import ModelUnavailable, SensoriumError
from pipelines.manager import ModelManager
from pipelines.settings import Settings


class Loaded:
    def __init__(self, role, path):
        self.role, self.path, self.closed = role, path, False

    def close(self):
        self.closed = True


@pytest.fixture
def model_dirs(tmp_path):
    """Real folders the catalog accepts as user paths for three roles."""
    asr = tmp_path / "asr"
    asr.mkdir()
    (asr / "config.json").write_text("{}")
    (asr / "model.bin").write_bytes(b"\0")
    clip = tmp_path / "clip"
    clip.mkdir()
    (clip / "open_clip_config.json").write_text("{}")
    sd = tmp_path / "sd"
    sd.mkdir()
    (sd / "model_index.json").write_text("{}")
    return {"asr": asr, "vision": clip, "imagegen": sd}


def make(profile, model_dirs, *, loads, gpu=False, budget=0.0, idle=0.0, clock=time.monotonic, slow=0.0):
    s = Settings()
    for role, path in model_dirs.items():
        setattr(s.models, role, str(path))
    s.device.gpu_memory_budget_gb = budget
    s.device.idle_unload_minutes = idle
    cat = Catalog.load(s, profile, gpu=False)

    def loader(role):
        def load(resolved, device, settings, prof):
            time.sleep(slow)
            loads.append(role)
            return Loaded(role, resolved.path)
        return load

    device = DeviceChoice("cuda" if gpu else "cpu", "float16" if gpu else "float32", "int8")
    return ModelManager(cat, s, profile, loaders={r: loader(r) for r in ("asr", "vision", "imagegen", "chat",
                                                                          "tts", "embed")},
                        device=device, clock=clock)


def test_lazy_load_once_and_status_events(profile, model_dirs):
    loads, events = [], []
    m = make(profile, model_dirs, loads=loads)
    m.add_listener(events.append)
    assert [s.state for s in m.statuses()] == ["not-loaded"] * 6
    a = m.get("asr")
    b = m.get("asr")
    assert a is b and loads == ["asr"]
    assert [(e.role, e.state) for e in events] == [("asr", "loading"), ("asr", "ready")]
    st = {s.role: s for s in m.statuses()}["asr"]
    assert st.state == "ready" and st.device == "cpu" and "CPU" in st.detail
    assert m.unload("asr") and a.closed and not m.is_loaded("asr")


def test_failed_load_is_reported_and_retried_later(profile, model_dirs, tmp_path):
    loads = []
    m = make(profile, model_dirs, loads=loads)
    m._loaders["vision"] = lambda *a: (_ for _ in ()).throw(RuntimeError("boom"))
    with pytest.raises(SensoriumError, match="failed to load"):
        m.get("vision")
    st = {s.role: s for s in m.statuses()}["vision"]
    assert st.state == "failed" and "boom" in st.detail
    m.settings.models.chat = str(tmp_path / "missing")
    with pytest.raises(ModelUnavailable, match="does not exist"):
        m.get("chat")


def test_lru_eviction_under_gpu_budget(profile, model_dirs):
    loads = []
    clock = [0.0]
    m = make(profile, model_dirs, loads=loads, gpu=True, budget=1.0, clock=lambda: clock[0])
    # user folders have no catalog size: give each role a measured footprint of 0.6 GB
    m._entry_mb = lambda role, resolved: 600.0
    m.get("asr")
    clock[0] = 1
    m.get("vision")  # 1.2 GB > 1.0: asr (least recently used) goes
    assert m.loaded_roles() == ["vision"]
    clock[0] = 2
    m.get("imagegen")
    assert m.loaded_roles() == ["imagegen"]
    assert {s.role: s.detail for s in m.statuses()}["vision"].startswith("unloaded to stay within")


def test_idle_unload(profile, model_dirs):
    loads = []
    clock = [0.0]
    m = make(profile, model_dirs, loads=loads, idle=1.0, clock=lambda: clock[0])
    a = m.get("asr")
    clock[0] = 30
    m.get("vision")
    clock[0] = 70  # asr idle 70 s > 60 s, vision idle 40 s
    assert m.unload_idle() == ["asr"] and a.closed
    assert m.loaded_roles() == ["vision"]


def test_concurrent_gets_load_once(profile, model_dirs):
    loads = []
    m = make(profile, model_dirs, loads=loads, slow=0.2)
    got = []
    threads = [threading.Thread(target=lambda: got.append(m.get("asr"))) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert loads == ["asr"] and len({id(x) for x in got}) == 1


def test_free_others(profile, model_dirs):
    loads = []
    m = make(profile, model_dirs, loads=loads)
    m.get("asr"), m.get("vision"), m.get("imagegen")
    assert sorted(m.free_others("imagegen")) == ["asr", "vision"]
    assert m.loaded_roles() == ["imagegen"]


def test_switching_model_replaces_the_resident_one(profile, model_dirs, tmp_path):
    loads = []
    m = make(profile, model_dirs, loads=loads)
    a = m.get("asr")
    other = tmp_path / "asr2"
    other.mkdir()
    (other / "config.json").write_text("{}")
    (other / "model.bin").write_bytes(b"\0")
    b = m.get("asr", str(other))
    assert a.closed and b.path == other.resolve() and loads == ["asr", "asr"]
