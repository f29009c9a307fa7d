"""The model manager: loads roles lazily, keeps them resident while memory allows, unloads the
least recently used under a GPU memory budget or after an idle timeout. Thread-safe.

Loaders are a registry (role -> function) so the catalog, not if/elif chains, decides what
loads; tests and benchmarks may pass their own registry.
"""
from __future__ import annotations

import gc
import importlib
import logging
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .catalog import ROLE_TITLES, ROLES, Catalog, HashCache, ResolvedModel
from .devices import DeviceChoice, select_device
from .errors import OutOfMemory, SensoriumError
from .events import ModelStatus
from .paths import Profile
from .settings import Settings

__all__ = ["ModelManager", "RoleState", "Loader", "DEFAULT_LOADERS", "FORMAT_BACKENDS", "FORMAT_LIBRARIES",
           "is_out_of_memory"]

log = logging.getLogger(__name__)

Loader = Callable[[ResolvedModel, DeviceChoice, Settings, Profile], Any]


def is_out_of_memory(e: BaseException) -> bool:
    """torch's OutOfMemoryError, or a RuntimeError/MemoryError that says so (CPU allocators, MPS)."""
    if isinstance(e, MemoryError):
        return True
    oom = None
    try:
        import sys

        torch = sys.modules.get("torch")  # never import torch just to ask
        oom = getattr(torch, "OutOfMemoryError", None) if torch is not None else None
    except Exception:
        pass
    if oom is not None and isinstance(e, oom):
        return True
    text = str(e).lower()
    return isinstance(e, RuntimeError) and ("out of memory" in text or "can't allocate memory" in text)


#: The model libraries each format loads with: imported right before the role loads (it needs them
#: anyway) so that their progress bars and warnings can be turned off first. Nothing else is imported.
FORMAT_LIBRARIES: dict[str, tuple[str, ...]] = {
    "transformers": ("transformers",),
    "gguf": ("transformers",),
    "diffusers": ("transformers", "diffusers"),
    "sentence-transformers": ("transformers",),
    "coqui": ("transformers",),
}
#: The runtime that executes each format, for device selection (devices.BACKENDS).
FORMAT_BACKENDS = {"ctranslate2": "ctranslate2", "piper": "onnxruntime"}


def _quiet_libraries() -> None:
    """Model libraries print progress bars and warnings to the terminal; ours go to the window,
    stderr progress and the log instead. Only libraries already imported are touched: quieting
    a library never imports it."""
    for name in ("transformers", "diffusers"):
        if name not in sys.modules:
            continue
        try:
            logging_mod = importlib.import_module(f"{name}.utils.logging")
        except ImportError:
            continue
        logging_mod.disable_progress_bar()
        logging_mod.set_verbosity_error()


def _cached_sha256(profile: Profile) -> Callable[[Path], str]:
    """sha256 of a weight file through the shared checksum cache (a stat when it was hashed before)."""
    hashes = HashCache(profile.hash_cache_file)

    def sha256(path: Path) -> str:
        try:
            return hashes.sha256(path)
        finally:
            hashes.save()

    return sha256


def _lazy(module: str, attr: str = "load") -> Loader:
    def load(resolved: ResolvedModel, device: DeviceChoice, settings: Settings, profile: Profile) -> Any:
        fn = getattr(importlib.import_module(module), attr)
        for library in FORMAT_LIBRARIES.get(resolved.format, ()):
            try:
                importlib.import_module(library)
            except ImportError:  # the role's own loader says what to install
                pass
        _quiet_libraries()
        if module == "pipelines.llm":
            return fn(resolved, device, settings, profile.converted_dir, _cached_sha256(profile))
        if module == "pipelines.vision":
            return fn(resolved, device, settings, cache_dir=profile.cache_dir)
        if module == "pipelines.imagegen":
            return fn(resolved, device, settings, output_dir=profile.images_dir)
        return fn(resolved, device, settings)

    load.__qualname__ = f"{module}.{attr}"
    return load


DEFAULT_LOADERS: dict[str, Loader] = {
    "asr": _lazy("pipelines.asr"),
    "vision": _lazy("pipelines.vision"),
    "chat": _lazy("pipelines.llm"),
    "imagegen": _lazy("pipelines.imagegen"),
    "tts": _lazy("pipelines.tts"),
    "embed": _lazy("pipelines.embed"),
}


@dataclass(frozen=True)
class RoleState:
    role: str
    state: str  # not-loaded | loading | ready | failed
    model: str = ""
    device: str = ""
    detail: str = ""
    gpu_bytes: int = 0
    last_used: float = 0.0


class _Slot:
    __slots__ = ("lock", "model", "resolved", "key", "state", "detail", "gpu_bytes", "last_used", "device")

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.model: Any = None
        self.resolved: ResolvedModel | None = None
        self.key: str = ""
        self.state = "not-loaded"
        self.detail = ""
        self.gpu_bytes = 0
        self.last_used = 0.0
        self.device = ""


class ModelManager:
    def __init__(self, catalog: Catalog, settings: Settings, profile: Profile, *,
                 loaders: dict[str, Loader] | None = None, device: DeviceChoice | None = None,
                 clock: Callable[[], float] = time.monotonic):
        self.catalog = catalog
        self.settings = settings
        self.profile = profile
        self._loaders = dict(DEFAULT_LOADERS if loaders is None else loaders)
        self._device = device
        self._devices: dict[str, DeviceChoice] = {}  # per backend (devices.BACKENDS), chosen on first use
        self._clock = clock
        self._slots = {role: _Slot() for role in ROLES}
        self._listeners: list[Callable[[ModelStatus], None]] = []
        self._lock = threading.Lock()

    # ---- device ------------------------------------------------------------------------
    @property
    def device(self) -> DeviceChoice:
        """The device of the torch roles (importing torch to ask, on first use)."""
        if self._device is None:
            self._device = select_device(self.settings.device.device, self.settings.device.dtype)
        return self._device

    def device_for(self, resolved: ResolvedModel) -> DeviceChoice:
        """The device for a resolved model, asked of the runtime that will run it: a CTranslate2
        or ONNX role never imports torch. An injected device (tests, benchmarks) serves every role."""
        backend = FORMAT_BACKENDS.get(resolved.format, "torch")
        if backend == "torch" or self._device is not None:
            return self.device
        choice = self._devices.get(backend)
        if choice is None:
            choice = self._devices[backend] = select_device(
                self.settings.device.device, self.settings.device.dtype, backend=backend)
        return choice

    # ---- listeners ---------------------------------------------------------------------
    def add_listener(self, callback: Callable[[ModelStatus], None]) -> None:
        with self._lock:
            self._listeners.append(callback)

    def remove_listener(self, callback: Callable[[ModelStatus], None]) -> None:
        with self._lock:
            if callback in self._listeners:
                self._listeners.remove(callback)

    def _emit(self, role: str, slot: _Slot, progress: float | None = None) -> None:
        event = ModelStatus(role, slot.state, slot.detail, slot.device, progress)
        for cb in list(self._listeners):
            try:
                cb(event)
            except Exception:  # a listener must never break model loading
                log.exception("model status listener failed")

    # ---- state -------------------------------------------------------------------------
    def statuses(self) -> list[RoleState]:
        out = []
        for role, s in self._slots.items():
            model = s.resolved.name if s.resolved else ""
            out.append(RoleState(role, s.state, model, s.device, s.detail, s.gpu_bytes, s.last_used))
        return out

    def loaded_roles(self) -> list[str]:
        return [r for r, s in self._slots.items() if s.model is not None]

    def is_loaded(self, role: str) -> bool:
        return self._slots[role].model is not None

    # ---- loading -----------------------------------------------------------------------
    def get(self, role: str, override: str | None = None) -> Any:
        """The loaded model for a role (loading it on first use). Raises SensoriumError subclasses."""
        self.unload_idle()
        slot = self._slots[role]
        with slot.lock:
            resolved = self.catalog.resolve(role, override)
            key = f"{resolved.path}|{resolved.format}"
            if slot.model is not None and slot.key == key:
                slot.last_used = self._clock()
                return slot.model
            if slot.model is not None:
                self._release(role, slot, "switching model")
            device = self.device_for(resolved)
            self._make_room(role, resolved, device)
            slot.state, slot.detail, slot.resolved = "loading", f"loading {resolved.name}", resolved
            self._emit(role, slot)
            before = self._gpu_allocated()
            t0 = time.perf_counter()
            fallback = ""
            try:
                model, fallback = self._load_with_oom_retry(role, resolved, device)
            except SensoriumError as e:
                slot.state, slot.detail = "failed", str(e)
                self._emit(role, slot)
                raise
            except Exception as e:
                log.exception("loading %s failed", role)
                slot.state = "failed"
                slot.detail = f"{resolved.name} failed to load ({type(e).__name__}: {' '.join(str(e).split())[:160]})"
                self._emit(role, slot)
                raise SensoriumError(f"{ROLE_TITLES[role]} model {slot.detail}; see the log for details") from e
            slot.model, slot.key = model, key
            measured = max(0, self._gpu_allocated() - before)
            estimate = int(self._entry_mb(role, resolved) * 2**20) if device.is_gpu else 0
            slot.gpu_bytes = measured or estimate
            slot.last_used = self._clock()
            slot.device = getattr(model, "device_name", None) or device.device
            slot.state = "ready"
            slot.detail = f"{resolved.name} on {slot.device.upper()} ({time.perf_counter() - t0:.1f} s)" + fallback
            self._emit(role, slot)
            return model

    def _load_with_oom_retry(self, role: str, resolved: ResolvedModel, device: DeviceChoice) -> tuple[Any, str]:
        """Load; out of memory: unload the other roles and retry once, then fall back to the CPU
        (from a GPU). Returns (model, a note for the status line). Raises OutOfMemory at the end."""
        loader = self._loaders[role]
        try:
            return loader(resolved, device, self.settings, self.profile), ""
        except Exception as e:
            if not is_out_of_memory(e):
                raise
        freed = self.free_others(role)
        gc.collect()
        self._empty_gpu_cache()
        log.warning("out of memory loading %s; unloaded %s and retrying", role, freed or "nothing")
        try:
            return loader(resolved, device, self.settings, self.profile), \
                f"; other models were unloaded to make room ({', '.join(freed)})" if freed else ""
        except Exception as e:
            if not is_out_of_memory(e):
                raise
        gc.collect()
        self._empty_gpu_cache()
        if device.is_gpu:
            cpu = DeviceChoice("cpu", "float32", "int8", "fallback after GPU out of memory")
            try:
                model = loader(resolved, cpu, self.settings, self.profile)
            except Exception as e:
                if not is_out_of_memory(e):
                    raise
            else:
                return model, "; on the CPU because the GPU ran out of memory (slower)"
        where = "GPU memory" if device.is_gpu else "memory"
        raise OutOfMemory(f"not enough {where} to load {resolved.name}, even after unloading the other models; "
                          f"choose a smaller model in Settings > Models or close other programs")

    def preload(self, role: str) -> None:
        self.get(role)

    def peek(self, role: str) -> Any:
        """The loaded model or None, without loading."""
        return self._slots[role].model

    def unload(self, role: str) -> bool:
        slot = self._slots[role]
        with slot.lock:
            if slot.model is None:
                return False
            self._release(role, slot, "unloaded")
            return True

    def unload_all(self) -> None:
        for role in ROLES:
            self.unload(role)

    def unload_idle(self, now: float | None = None) -> list[str]:
        minutes = self.settings.device.idle_unload_minutes
        if minutes <= 0:
            return []
        now = self._clock() if now is None else now
        dropped = []
        for role, slot in self._slots.items():
            if slot.model is not None and now - slot.last_used > minutes * 60 and slot.lock.acquire(blocking=False):
                try:
                    if slot.model is not None:
                        self._release(role, slot, f"unloaded after {minutes:g} idle minutes")
                        dropped.append(role)
                finally:
                    slot.lock.release()
        return dropped

    def free_others(self, role: str) -> list[str]:
        """Unload every other role (used once on out-of-memory before a retry)."""
        freed = []
        for other, slot in self._slots.items():
            if other != role and slot.model is not None and slot.lock.acquire(blocking=False):
                try:
                    self._release(other, slot, "unloaded to free memory")
                    freed.append(other)
                finally:
                    slot.lock.release()
        return freed

    # ---- internals ---------------------------------------------------------------------
    def _release(self, role: str, slot: _Slot, why: str) -> None:
        model, slot.model = slot.model, None
        close = getattr(model, "close", None)
        if callable(close):
            try:
                close()
            except Exception:
                log.exception("closing %s failed", role)
        del model
        slot.key, slot.gpu_bytes = "", 0
        slot.state, slot.detail = "not-loaded", why
        gc.collect()
        self._empty_gpu_cache()
        self._emit(role, slot)

    def _make_room(self, role: str, resolved: ResolvedModel, device: DeviceChoice) -> None:
        budget_gb = self.settings.device.gpu_memory_budget_gb
        if budget_gb <= 0 or not device.is_gpu:
            return
        need = int(self._entry_mb(role, resolved) * 2**20)
        budget = int(budget_gb * 2**30)
        while True:
            used = sum(s.gpu_bytes for s in self._slots.values() if s.model is not None)
            if used + need <= budget:
                return
            victims = sorted(((s.last_used, r) for r, s in self._slots.items()
                              if s.model is not None and r != role))
            if not victims:
                return
            _, victim = victims[0]
            vslot = self._slots[victim]
            with vslot.lock:
                if vslot.model is not None:
                    self._release(victim, vslot, "unloaded to stay within the GPU memory budget")

    def _entry_mb(self, role: str, resolved: ResolvedModel) -> float:
        return next((e.size_mb for e in self.catalog.entries(role) if e.name == resolved.name), 0.0)

    def _gpu_allocated(self) -> int:
        if self._device is None or self._device.device != "cuda":
            return 0
        try:
            import torch

            return int(torch.cuda.memory_allocated()) if torch.cuda.is_available() else 0
        except Exception:
            return 0

    def _empty_gpu_cache(self) -> None:
        if self._device is not None and self._device.device == "cuda":
            try:
                import torch

                if torch.cuda.is_available():
                    torch.cuda.empty_cache()
            except Exception:
                pass
