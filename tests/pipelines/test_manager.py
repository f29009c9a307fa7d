"""The model manager: lazy loading, leases, residency, LRU under a GPU budget, idle unload, threads,
and each model's memory taken from the model itself.

Most loaders here are the manager's own injection point (a registry of role -> function), fed
with small Python objects: what is tested is the manager's bookkeeping, not a model library.
Concurrency is made deterministic with threading.Event handshakes, never with sleeps. The memory
figures at the end load real models (the tiny CLIP, the Whisper tiny.en pack) through the
default loaders.
"""
from __future__ import annotations

import threading
import time

import pytest

from pipelines.catalog import ROLES, Catalog
from pipelines.devices import DeviceChoice
from pipelines.errors import ModelUnavailable, SensoriumError
from pipelines.footprint import Footprint
from pipelines.manager import ModelManager
from pipelines.settings import Settings

MB = 2**20
WAIT = 30  # seconds a handshake may take before the test fails instead of hanging


class Loaded:
    """A loaded 'model': knows its footprint, records when and where it is closed."""

    def __init__(self, role, path, device, mb):
        self.role, self.path, self.closed, self.closed_on = role, path, False, None
        size = int(mb * MB)
        self._footprint = Footprint(size, 0) if device.is_gpu else Footprint(0, size)

    def footprint(self):
        return self._footprint

    def close(self):
        self.closed = True
        self.closed_on = threading.current_thread()


def write_asr_folder(path):
    path.mkdir()
    (path / "config.json").write_text("{}")
    (path / "model.bin").write_bytes(b"\0")
    return path


@pytest.fixture
def model_dirs(tmp_path):
    """Real folders the catalog accepts as user paths for three roles."""
    asr = write_asr_folder(tmp_path / "asr")
    clip = tmp_path / "clip"
    clip.mkdir()
    (clip / "open_clip_config.json").write_text("{}")
    sd = tmp_path / "sd"
    sd.mkdir()
    (sd / "model_index.json").write_text("{}")
    vlm = tmp_path / "vlm"
    vlm.mkdir()
    (vlm / "config.json").write_text("{}")
    return {"asr": asr, "vision": clip, "imagegen": sd, "vlm": vlm}


def make(profile, model_dirs, *, loads, gpu=False, budget=0.0, idle=0.0, clock=time.monotonic, mb=0.0,
         before_load=None):
    """A manager over ``model_dirs`` whose loaders append the role to ``loads`` and return a Loaded
    of ``mb`` megabytes; ``before_load[role](manager)`` runs inside the load (to block it or look)."""
    s = Settings()
    for role, path in model_dirs.items():
        setattr(s.models, role, str(path))
    s.device.gpu_memory_budget_gb = budget
    s.device.idle_unload_minutes = idle
    cat = Catalog.load(s, profile, gpu=False)
    hooks = before_load or {}
    box = {}

    def loader(role):
        def load(resolved, device, settings, prof):
            if role in hooks:
                hooks[role](box["m"])
            loads.append(role)
            return Loaded(role, resolved.path, device, mb)
        return load

    device = DeviceChoice("cuda" if gpu else "cpu", "float16" if gpu else "float32", "int8")
    box["m"] = ModelManager(cat, s, profile, device=device, clock=clock,
                            loaders={r: loader(r) for r in ("asr", "vision", "vlm", "imagegen", "chat", "tts", "embed")})
    return box["m"]


def state(m, role):
    return {s.role: s for s in m.statuses()}[role]


def holder(m, role, **kw):
    """A thread that leases ``role`` and holds it until ``release`` is set; ``model`` is what it got,
    ``closed_while_held`` whether that model was closed before the lease ended."""
    held, release, box = threading.Event(), threading.Event(), {}

    def run():
        with m.lease(role, **kw) as model:
            box["model"] = model
            held.set()
            assert release.wait(WAIT)
            box["closed_while_held"] = model.closed

    t = threading.Thread(target=run, name=f"turn-{role}")
    t.start()
    assert held.wait(WAIT)
    return t, release, box


def gate():
    """A loader hook that blocks the load until ``finish`` is set; ``loading`` is set when it starts."""
    loading, finish = threading.Event(), threading.Event()

    def block(m):
        loading.set()
        assert finish.wait(WAIT)

    return loading, finish, block


def test_lazy_load_once_leases_and_status_events(profile, model_dirs):
    loads, events = [], []
    m = make(profile, model_dirs, loads=loads)
    m.add_listener(events.append)
    assert [s.state for s in m.statuses()] == ["not-loaded"] * len(ROLES)  # one slot per role, vlm too
    with m.lease("asr") as a:
        with m.lease("asr") as b:
            assert a is b and state(m, "asr").in_use == 2
        assert state(m, "asr").in_use == 1
    assert loads == ["asr"]
    assert [(e.role, e.state) for e in events] == [("asr", "loading"), ("asr", "ready")]
    st = state(m, "asr")
    assert st.state == "ready" and st.device == "cpu" and "CPU" in st.detail and st.in_use == 0
    assert m.unload("asr") and a.closed and not m.is_loaded("asr")
    assert not m.unload("asr")  # nothing loaded


def test_preload_returns_nothing_and_holds_nothing(profile, model_dirs):
    loads = []
    m = make(profile, model_dirs, loads=loads)
    assert m.preload("vision") is None
    assert m.is_loaded("vision") and state(m, "vision").in_use == 0
    assert not hasattr(m, "get") and not hasattr(m, "peek")  # no way to hold a model without a lease


def test_failed_load_is_reported_and_retried_later(profile, model_dirs, tmp_path):
    loads = []
    m = make(profile, model_dirs, loads=loads)
    real = m._loaders["vision"]
    m._loaders["vision"] = lambda *a: (_ for _ in ()).throw(RuntimeError("boom"))
    with pytest.raises(SensoriumError, match="failed to load"):
        m.preload("vision")
    st = state(m, "vision")
    assert st.state == "failed" and "boom" in st.detail and st.in_use == 0
    m._loaders["vision"] = real
    with m.lease("vision") as v:
        assert not v.closed and state(m, "vision").state == "ready"
    m.settings.models.chat = str(tmp_path / "missing")
    with pytest.raises(ModelUnavailable, match="does not exist"):
        m.preload("chat")


def test_every_status_detail_comes_as_a_text_whose_english_is_the_detail(profile, model_dirs):
    # the window says a detail in its language (ModelStatus.detail_text); the English stays as it was
    import re

    loads, events = [], []
    m = make(profile, model_dirs, loads=loads, gpu=True, budget=1.0, mb=600)
    m.add_listener(events.append)
    m.preload("asr")
    m.preload("vision")  # asr is unloaded to stay within the budget
    m._loaders["imagegen"] = lambda *a: (_ for _ in ()).throw(RuntimeError("boom"))
    with pytest.raises(SensoriumError):
        m.preload("imagegen")
    m.unload("vision")
    assert events and all(e.detail_text is not None and str(e.detail_text) == e.detail for e in events)
    codes = [(e.role, e.state, e.detail_text.code) for e in events]
    assert codes == [("asr", "loading", "manager.loading"), ("asr", "ready", "manager.ready"),
                     ("vision", "loading", "manager.loading"), ("vision", "ready", "manager.ready"),
                     ("asr", "not-loaded", "manager.unloaded_over_budget"),
                     ("imagegen", "loading", "manager.loading"), ("imagegen", "failed", "manager.failed_to_load"),
                     ("vision", "not-loaded", "manager.unloaded")]
    ready = next(e for e in events if e.state == "ready")
    assert re.fullmatch(r"asr on CUDA \(\d+\.\d s\)", ready.detail), ready.detail
    assert ready.detail_text.params == {"name": "asr", "device": "CUDA", "seconds": ready.detail.split("(")[1][:-3]}
    assert events[-2].detail == "sd failed to load (RuntimeError: boom)"  # the folder names the model
    assert all(s.detail_text is not None and str(s.detail_text) == s.detail for s in m.statuses() if s.detail)


def test_a_ready_detail_reads_as_it_always_did():
    from pipelines.manager import _ready

    def before(name, device, runtime, seconds, note):  # how the detail was written before it was a Text
        return f"{name} on {device}" + (f" via {runtime}" if runtime else "") + f" ({seconds} s)" + note

    notes = {("", ""): "", ("freed", "vision, tts"): "; other models were unloaded to make room (vision, tts)",
             ("cpu", ""): "; on the CPU because the GPU ran out of memory (slower)"}
    for runtime in ("", "llama.cpp"):
        for note, said in notes.items():
            text = _ready("smollm2-135m-instruct", "CPU", runtime, "0.1", note)
            assert str(text) == before("smollm2-135m-instruct", "CPU", runtime, "0.1", said)
    assert str(_ready("smollm2-135m-instruct", "CPU", "", "0.1", ("", ""))) == "smollm2-135m-instruct on CPU (0.1 s)"


def test_lru_eviction_under_gpu_budget_uses_the_measured_size(profile, model_dirs):
    loads = []
    clock = [0.0]
    # user folders have no catalog size: only the loaded models' own footprints (0.6 GB) say it
    m = make(profile, model_dirs, loads=loads, gpu=True, budget=1.0, clock=lambda: clock[0], mb=600)
    m.preload("asr")
    assert state(m, "asr").device_bytes == 600 * MB and state(m, "asr").host_bytes == 0
    clock[0] = 1
    m.preload("vision")  # 1.2 GB > 1.0: asr (least recently used) goes
    assert m.loaded_roles() == ["vision"]
    clock[0] = 2
    m.preload("imagegen")
    assert m.loaded_roles() == ["imagegen"]
    assert state(m, "vision").detail.startswith("unloaded to stay within")
    clock[0] = 3
    m.preload("vlm")  # the vision-language model has a slot of its own, budgeted like the rest
    assert m.loaded_roles() == ["vlm"] and state(m, "vlm").device_bytes == 600 * MB
    assert state(m, "imagegen").detail.startswith("unloaded to stay within")


def test_the_catalog_estimate_makes_room_before_the_load(profile, model_dirs):
    loads, resident_during_load = [], []
    clock = [0.0]
    m = make(profile, model_dirs, loads=loads, gpu=True, budget=1.0, clock=lambda: clock[0], mb=600,
             before_load={"vision": lambda m: resident_during_load.extend(m.loaded_roles())})
    m._entry_mb = lambda role, resolved: 600.0  # as the catalog's size_mb of a known model
    m.preload("asr")
    clock[0] = 1
    m.preload("vision")
    assert resident_during_load == []  # asr was unloaded (and closed) before vision started loading
    assert m.loaded_roles() == ["vision"]


def test_a_leased_model_is_not_evicted_by_a_load_under_a_small_budget(profile, model_dirs):
    """Designed: the newcomer loads at once (the budget is exceeded while the lease lasts), and
    the manager trims back to the budget when the lease ends, least recently used first."""
    loads = []
    clock = [0.0]
    m = make(profile, model_dirs, loads=loads, gpu=True, budget=1.0, clock=lambda: clock[0], mb=600)
    turn, release, box = holder(m, "asr")
    clock[0] = 1
    m.preload("vision")  # 1.2 GB: the only other model is in use
    assert set(m.loaded_roles()) == {"asr", "vision"} and not box["model"].closed
    assert state(m, "asr").in_use == 1
    assert sum(s.device_bytes for s in m.statuses()) == 1200 * MB
    clock[0] = 2
    release.set()
    turn.join(WAIT)
    assert box["closed_while_held"] is False
    # the turn's model was used last: the budget is restored by unloading vision
    assert m.loaded_roles() == ["asr"] and not box["model"].closed
    assert sum(s.device_bytes for s in m.statuses()) <= 1024 * MB


def test_a_slow_load_does_not_block_leases_of_other_roles(profile, model_dirs):
    loads = []
    loading, finish, block = gate()
    m = make(profile, model_dirs, loads=loads, before_load={"imagegen": block})
    m.preload("asr")
    loader = threading.Thread(target=lambda: m.preload("imagegen"), name="big-load")
    loader.start()
    assert loading.wait(WAIT)
    try:
        # imagegen is loading on another thread: a resident role leases, another role loads
        with m.lease("asr") as asr:
            assert not asr.closed
        m.preload("vision")
        assert state(m, "imagegen").state == "loading" and not m.is_loaded("imagegen")
        assert m.free_others("chat") == ["asr", "vision"]  # a loading model is never a victim
    finally:
        finish.set()
        loader.join(WAIT)
    assert m.loaded_roles() == ["imagegen"] and loads == ["asr", "vision", "imagegen"]


def test_concurrent_leases_of_one_role_wait_for_one_load(profile, model_dirs):
    loads = []
    loading, finish, block = gate()
    m = make(profile, model_dirs, loads=loads, before_load={"asr": block})
    got = []

    def use():
        with m.lease("asr") as a:
            got.append(a)

    threads = [threading.Thread(target=use) for _ in range(6)]
    threads[0].start()
    assert loading.wait(WAIT)
    for t in threads[1:]:
        t.start()
    assert got == []  # nobody has a model before the load has finished
    finish.set()
    for t in threads:
        t.join(WAIT)
    assert loads == ["asr"] and len(got) == 6 and len({id(x) for x in got}) == 1
    assert state(m, "asr").in_use == 0


def test_free_others_frees_every_model_not_in_use(profile, model_dirs):
    loads = []
    m = make(profile, model_dirs, loads=loads)
    m.preload("asr"), m.preload("imagegen")
    turn, release, box = holder(m, "vision")  # e.g. CLIP ranking the pictures being drawn
    freed = []
    oom = threading.Thread(target=lambda: freed.extend(m.free_others("imagegen")), name="sensorium-job")
    oom.start()
    oom.join(WAIT)
    assert freed == ["asr"] and not box["model"].closed
    assert set(m.loaded_roles()) == {"vision", "imagegen"}
    release.set()
    turn.join(WAIT)
    assert box["closed_while_held"] is False
    assert m.free_others("imagegen") == ["vision"] and box["model"].closed


def test_idle_unload_skips_a_leased_model_and_unloads_it_after_release(profile, model_dirs):
    loads = []
    clock = [0.0]
    m = make(profile, model_dirs, loads=loads, idle=1.0, clock=lambda: clock[0])
    m.preload("asr")
    turn, release, box = holder(m, "vision")
    clock[0] = 100  # both idle for 100 s by their load time; vision is in use
    assert m.unload_idle() == ["asr"]
    assert m.is_loaded("vision") and not box["model"].closed
    release.set()  # the lease ends at 100
    turn.join(WAIT)
    assert box["closed_while_held"] is False and state(m, "vision").last_used == 100
    clock[0] = 130
    assert m.unload_idle() == []  # 30 s since the lease ended
    clock[0] = 161
    assert m.unload_idle() == ["vision"] and box["model"].closed


def test_idle_unload_off_and_nothing_to_do_are_cheap(profile, model_dirs):
    loads = []
    clock = [0.0]
    m = make(profile, model_dirs, loads=loads, idle=0.0, clock=lambda: clock[0])
    m.preload("asr")
    clock[0] = 10**6
    assert m.unload_idle() == [] and m.is_loaded("asr")  # 0 minutes: never


def test_unload_of_a_model_in_use_happens_when_the_lease_ends(profile, model_dirs):
    loads = []
    m = make(profile, model_dirs, loads=loads)
    turn, release, box = holder(m, "imagegen")
    assert m.unload("imagegen")  # returns at once
    st = state(m, "imagegen")
    assert m.is_loaded("imagegen") and not box["model"].closed and "in use" in st.detail
    release.set()
    turn.join(WAIT)
    assert box["closed_while_held"] is False
    assert not m.is_loaded("imagegen") and box["model"].closed
    assert box["model"].closed_on is turn  # closed by the thread whose lease ended, not the caller


def test_switching_model_replaces_the_resident_one(profile, model_dirs, tmp_path):
    loads = []
    m = make(profile, model_dirs, loads=loads)
    with m.lease("asr") as a:
        pass
    other = write_asr_folder(tmp_path / "asr2")
    with m.lease("asr", str(other)) as b:
        assert a.closed and b.path == other.resolve() and loads == ["asr", "asr"]


def test_switching_waits_for_the_running_turn_on_the_old_model(profile, model_dirs, tmp_path):
    loads, seen_at_load = [], []
    m = make(profile, model_dirs, loads=loads)
    turn, release, box = holder(m, "asr")
    old = box["model"]
    m._loaders["asr"] = lambda resolved, device, s, p: seen_at_load.append(old.closed) or \
        Loaded("asr", resolved.path, device, 0)
    other = write_asr_folder(tmp_path / "asr2")
    got = []

    def switch():
        with m.lease("asr", str(other)) as new:
            got.append(new.path)

    switch = threading.Thread(target=switch, name="next-turn")
    switch.start()
    release.set()
    turn.join(WAIT)
    switch.join(WAIT)
    assert box["closed_while_held"] is False  # the turn finished on the old model
    assert seen_at_load == [True] and got == [other.resolve()]  # the new one loaded after it was closed


def test_switching_from_the_thread_that_holds_the_old_model_is_an_error(profile, model_dirs, tmp_path):
    loads = []
    m = make(profile, model_dirs, loads=loads)
    other = write_asr_folder(tmp_path / "asr2")
    with m.lease("asr") as a:
        with pytest.raises(SensoriumError, match="still in use by this turn"):
            with m.lease("asr", str(other)):
                pass
        assert not a.closed
    assert loads == ["asr"]


# ---- memory taken from the models themselves ------------------------------------------------
def real_manager(profile, **models):
    s = Settings()
    for role, path in models.items():
        setattr(s.models, role, str(path))
    return ModelManager(Catalog.load(s, profile), s, profile, device=DeviceChoice("cpu", "float32", "int8"))


@pytest.mark.tiny
def test_memory_of_a_torch_model_is_its_parameter_and_buffer_bytes(profile, tiny_clip_dir):
    import open_clip

    reference, _, _ = open_clip.create_model_and_transforms(f"local-dir:{tiny_clip_dir}", weights_only=True)
    tensors = [*reference.parameters(), *reference.buffers()]
    expected = sum(t.numel() * t.element_size() for t in tensors)
    m = real_manager(profile, vision=tiny_clip_dir)
    with m.lease("vision"):
        st = state(m, "vision")
    assert expected > 0 and st.host_bytes == expected and st.device_bytes == 0


@pytest.mark.weights
def test_memory_of_a_ctranslate2_model_is_its_weight_file(profile, whisper_model_path):
    m = real_manager(profile, asr=whisper_model_path)
    m.preload("asr")
    st = state(m, "asr")
    assert st.host_bytes == (whisper_model_path / "model.bin").stat().st_size > 10 * MB
    assert st.device_bytes == 0
