"""The model manager: loads roles lazily, keeps them resident while memory allows, and unloads
them under a GPU memory budget, after an idle timeout, on out-of-memory or on request, but never
while they are in use. Thread-safe.

Using a model: ``with manager.lease("chat") as backend: ...``. The lease pins the model for as
long as the block runs (a turn holds it across a generator's yields; closing the generator ends
it) and counts per role; when the last lease of a role ends, its ``last_used`` is set. A leased
model is never evicted or closed: the budget (least recently used first), ``free_others`` (out
of memory), ``unload_idle`` and ``unload`` all leave it alone:

- ``unload`` (the Models dialog, shutdown) of a model in use is deferred: it unloads when its
  last lease ends, and its status says so meanwhile. Someone who unloads a model during a reply
  expects the reply to finish, not to break (Stop stops it), and the call returns at once, so a
  caller never waits on a turn.
- switching a role to another model waits for the old model's leases to end: the running turn
  finishes on the old model, the next one gets the new one. A thread that holds the old model
  itself gets an error instead of waiting for itself.
- under the budget, a newcomer evicts the least recently used models that are not leased. If
  the leased ones alone exceed the budget, it loads anyway and the budget is exceeded until those
  leases end, when the manager trims back to it (waiting instead could deadlock: a turn holds the
  image generator while it asks for CLIP to rank the pictures). The budget is a plan; the real
  limit is the device: loading out of memory frees every model that is not leased, retries once,
  then falls back to the CPU.

``preload`` loads a model without holding it. Nothing hands out a model without a lease.

Locking: one lock (a Condition) guards the budget: which models are resident, what they occupy,
who holds them and which ones go are decided under it. Loading and closing a model run outside
it, so a big model that loads for a minute never blocks a lease of another role: before the load
the slot is marked ``loading`` and the catalog's size estimate reserved (other loads budget around
it; leases of the same role wait for it); after the load the model is stored, measured and leased
in one step, so nothing can evict it in between. Victims are detached under the lock and closed
right after it by the thread that chose them (a loader closes its victims before it loads). Status
events are queued under the lock and delivered after it, in order.

Memory is what each model is: ``footprint()`` of the role object (parameter and buffer bytes of
its torch modules, weight-file sizes for CTranslate2 and ONNX; pipelines.footprint), split into
device and host bytes, not a delta of a process-wide allocator that concurrent work pollutes.
Only device bytes count against the GPU budget.

Idle unload runs on the caller's clock: ``unload_idle()`` is cheap and meant for a timer (the
desktop controller calls it periodically on a worker thread); there is no thread in here.

Loaders are a registry (role -> function) so the catalog, not if/elif chains, decides what
loads; tests and benchmarks may pass their own registry.

Downloads: a lease of a hub model that is not on disk (with ``models.allow_downloads``) downloads
it first, and ``download`` fetches one on request (the first-run screen, the Models dialog).
Either way the listeners see ``downloading`` status events with ``progress`` 0..1 and a detail
like "412 / 1,480 MB" (about every megabyte, not every network block), the caller's
``progress`` gets a ``DownloadState``, and the caller's CancelToken stops it between blocks
(``Cancelled``; the part already downloaded is kept and the next try resumes from it). One
download per model runs at a time: a second caller waits for it, then finds the model on disk.
"""
from __future__ import annotations

import contextlib
import gc
import importlib
import logging
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .cancel import Cancelled, CancelToken
from .catalog import ROLE_TITLES, ROLES, Catalog, DownloadProgress, HashCache, ModelEntry, ResolvedModel
from .devices import DeviceChoice, select_device
from .errors import OutOfMemory, SensoriumError, Text
from .events import ModelStatus
from .footprint import Footprint
from .paths import Profile
from .settings import Settings

__all__ = ["ModelManager", "RoleState", "DownloadState", "Loader", "DEFAULT_LOADERS", "FORMAT_BACKENDS",
           "FORMAT_LIBRARIES", "is_out_of_memory"]

log = logging.getLogger(__name__)

Loader = Callable[[ResolvedModel, DeviceChoice, Settings, Profile], Any]
#: Where a role on a serving engine runs, as far as this computer is concerned.
SERVER_DEVICE = DeviceChoice("server", "", "", "a serving engine")


def is_out_of_memory(e: BaseException) -> bool:
    """torch's OutOfMemoryError, or a RuntimeError/MemoryError that says so (CPU allocators, MPS)."""
    if isinstance(e, MemoryError):
        return True
    oom = None
    try:
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
            return fn(resolved, device, settings, profile.converted_dir, _cached_sha256(profile),
                      adapters_dir=profile.adapters_dir)
        if module == "pipelines.vision":
            return fn(resolved, device, settings, cache_dir=profile.cache_dir)
        if module == "pipelines.embed":
            return fn(resolved, device, settings, converted_dir=profile.converted_dir)
        if module == "pipelines.imagegen":
            return fn(resolved, device, settings, output_dir=profile.images_dir)
        return fn(resolved, device, settings)

    load.__qualname__ = f"{module}.{attr}"
    return load


DEFAULT_LOADERS: dict[str, Loader] = {
    "asr": _lazy("pipelines.asr"),
    "vision": _lazy("pipelines.vision"),
    "vlm": _lazy("pipelines.vlm"),
    "chat": _lazy("pipelines.llm"),
    "imagegen": _lazy("pipelines.imagegen"),
    "tts": _lazy("pipelines.tts"),
    "embed": _lazy("pipelines.embed"),
}


MB = 2**20


@dataclass(frozen=True)
class DownloadState:
    """One model's download as it goes: bytes so far and the bytes expected (the catalog's size,
    raised when the files turn out bigger)."""

    role: str
    model: str
    done: int
    total: int

    @property
    def fraction(self) -> float:
        return min(1.0, self.done / self.total) if self.total > 0 else 0.0

    @property
    def detail(self) -> str:
        return f"{self.done / MB:,.0f} / {self.total / MB:,.0f} MB"


class _DownloadMeter:
    """Turns the catalog's per-file progress into one model's DownloadState, reported when about a
    megabyte (at most 0.5%) more has arrived and when a file completes: not for every network block."""

    def __init__(self, role: str, entry: ModelEntry, dest: Path, report: Callable[[DownloadState], None]):
        self.role, self.model, self.report = role, entry.name, report
        self.estimate = int(entry.size_mb * MB)
        # files finished by an earlier, interrupted try are not downloaded again: count them as done
        self.finished = sum((dest / rel).stat().st_size for rel in entry.files if (dest / rel).is_file())
        self.file, self.file_done, self.last = "", 0, -1

    def state(self, file_done: int = 0, file_total: int = 0) -> DownloadState:
        done = self.finished + file_done
        return DownloadState(self.role, self.model, done, max(self.estimate, self.finished + file_total, done))

    def __call__(self, p: DownloadProgress) -> None:
        if p.file != self.file:
            self.finished += self.file_done
            self.file, self.file_done = p.file, 0
        self.file_done = p.done
        state = self.state(p.done, p.total)
        step = max(64 * 1024, min(MB, state.total // 200))
        if state.done - self.last >= step or (p.total and p.done >= p.total):
            self.last = state.done
            self.report(state)

    def complete(self) -> DownloadState:
        self.finished += self.file_done
        self.file_done = 0
        return DownloadState(self.role, self.model, self.finished, self.finished)


@dataclass(frozen=True)
class RoleState:
    role: str
    state: str  # not-loaded | loading | ready | failed
    model: str = ""
    device: str = ""
    detail: str = ""
    device_bytes: int = 0  # the model's weights in GPU memory
    host_bytes: int = 0  # the model's weights in RAM
    in_use: int = 0  # leases held now
    last_used: float = 0.0  # manager clock: when the last lease ended (or the model loaded)
    detail_text: Text | None = None  # ``detail`` as a Text, for the window's language


class _Slot:
    __slots__ = ("model", "resolved", "key", "state", "detail", "detail_text", "footprint", "reserved", "last_used",
                 "device", "holders", "loading", "unload_when_free")

    def __init__(self) -> None:
        self.model: Any = None
        self.resolved: ResolvedModel | None = None
        self.key: str = ""
        self.state = "not-loaded"
        self.detail = ""
        self.detail_text: Text | None = None  # the detail as a Text (``detail`` is its English line)
        self.footprint = Footprint()
        self.reserved = 0  # device bytes set aside while loading (the catalog's estimate)
        self.last_used = 0.0
        self.device = ""
        self.holders: dict[int, int] = {}  # thread id -> leases it holds
        self.loading = False
        self.unload_when_free = False

    @property
    def leases(self) -> int:
        return sum(self.holders.values())

    def say(self, state: str, detail: Text) -> None:
        """The slot's state, and its detail (the English line and the Text)."""
        self.state, self.detail, self.detail_text = state, str(detail), detail


_Detached = tuple[str, Any]  # (role, model) taken out of a slot under the lock, to close after it
_UNLOADED = Text.of("manager.unloaded", "unloaded")


def _ready(name: str, device: str, runtime: str, seconds: str, note: tuple[str, str]) -> Text:
    """A loaded model's detail: "smollm2-135m-instruct on CPU (0.1 s)", what runs it when the model
    says (" via llama.cpp"), and what an out-of-memory retry did (``note``, as the loader gave it)."""
    kind, freed = note
    if runtime and kind == "freed":
        return Text.of("manager.ready_via_after_freeing", "{name} on {device} via {runtime} ({seconds} s); other "
                       "models were unloaded to make room ({freed})", name=name, device=device, runtime=runtime,
                       seconds=seconds, freed=freed)
    if runtime and kind == "cpu":
        return Text.of("manager.ready_via_on_cpu_fallback", "{name} on {device} via {runtime} ({seconds} s); on the "
                       "CPU because the GPU ran out of memory (slower)", name=name, device=device, runtime=runtime,
                       seconds=seconds)
    if runtime:
        return Text.of("manager.ready_via", "{name} on {device} via {runtime} ({seconds} s)", name=name,
                       device=device, runtime=runtime, seconds=seconds)
    if kind == "freed":
        return Text.of("manager.ready_after_freeing", "{name} on {device} ({seconds} s); other models were unloaded "
                       "to make room ({freed})", name=name, device=device, seconds=seconds, freed=freed)
    if kind == "cpu":
        return Text.of("manager.ready_on_cpu_fallback", "{name} on {device} ({seconds} s); on the CPU because the "
                       "GPU ran out of memory (slower)", name=name, device=device, seconds=seconds)
    return Text.of("manager.ready", "{name} on {device} ({seconds} s)", name=name, device=device, seconds=seconds)


class ModelManager:
    def __init__(self, catalog: Catalog, settings: Settings, profile: Profile, *,
                 loaders: dict[str, Loader] | None = None, device: DeviceChoice | None = None,
                 clock: Callable[[], float] = time.monotonic,
                 api_key: Callable[[Settings, str], str | None] | None = None):
        self.catalog = catalog
        self.settings = settings
        self.profile = profile
        self._loaders = dict(DEFAULT_LOADERS if loaders is None else loaders)
        self._device = device
        self._devices: dict[str, DeviceChoice] = {}  # per backend (devices.BACKENDS), chosen on first use
        self._clock = clock
        self._slots = {role: _Slot() for role in ROLES}
        self._listeners: list[Callable[[ModelStatus], None]] = []
        self._cond = threading.Condition(threading.Lock())  # the budget lock (see the module docstring)
        self._events: deque[ModelStatus] = deque()
        self._emitting = threading.RLock()  # one deliverer at a time keeps events in order
        self._downloads: dict[str, threading.Lock] = {}  # model name -> held while it downloads
        self._api_key = api_key  # (settings, role) -> the key for its server; None: the OS keyring

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
        with self._cond:
            self._listeners.append(callback)

    def remove_listener(self, callback: Callable[[ModelStatus], None]) -> None:
        with self._cond:
            if callback in self._listeners:
                self._listeners.remove(callback)

    def _queue(self, role: str, slot: _Slot) -> None:
        """Under the lock: a status event for the slot as it is now, delivered by _flush."""
        self._events.append(ModelStatus(role, slot.state, slot.detail, slot.device, None, slot.detail_text))

    def _announce(self, event: ModelStatus) -> None:
        """Deliver one event that is not a slot's state (a download's progress), in order with the rest."""
        with self._cond:
            self._events.append(event)
        self._flush()

    def _flush(self) -> None:
        """Deliver queued status events, in order, with the lock released."""
        with self._emitting:
            while True:
                with self._cond:
                    if not self._events:
                        return
                    event = self._events.popleft()
                    listeners = list(self._listeners)
                for cb in listeners:
                    try:
                        cb(event)
                    except Exception:  # a listener must never break model loading
                        log.exception("model status listener failed")

    # ---- state -------------------------------------------------------------------------
    def statuses(self) -> list[RoleState]:
        with self._cond:
            return [RoleState(role, s.state, s.resolved.name if s.resolved else "", s.device, s.detail,
                              s.footprint.device_bytes, s.footprint.host_bytes, s.leases, s.last_used, s.detail_text)
                    for role, s in self._slots.items()]

    def loaded_roles(self) -> list[str]:
        with self._cond:
            return [r for r, s in self._slots.items() if s.model is not None]

    def is_loaded(self, role: str) -> bool:
        with self._cond:
            return self._slots[role].model is not None

    # ---- using a model -----------------------------------------------------------------
    @contextlib.contextmanager
    def lease(self, role: str, override: str | None = None, *, cancel: CancelToken | None = None) -> Iterator[Any]:
        """``with manager.lease(role) as model:`` the role's model (loading it on first use), which
        stays loaded and open until the block ends. ``override`` names another model for the role
        than the settings' choice. A hub model not on disk is downloaded first when downloads are
        allowed (status events show its progress; ``cancel`` stops it with ``Cancelled``). Raises
        SensoriumError subclasses, in one line."""
        owner = threading.get_ident()
        model = self._acquire(role, override, owner, cancel)
        try:
            yield model
        finally:
            self._end_lease(role, owner)

    def preload(self, role: str, override: str | None = None, *, cancel: CancelToken | None = None) -> None:
        """Load a role's model ahead of use (holding nothing). Raises like ``lease``."""
        with self.lease(role, override, cancel=cancel):
            pass

    # ---- downloading -------------------------------------------------------------------
    def download(self, role: str, name: str | None = None, *, cancel: CancelToken | None = None,
                 progress: Callable[[DownloadState], None] | None = None) -> ResolvedModel:
        """Get a catalog model for ``role`` (``name``, or the role's chosen model) onto this computer
        without loading it: a hub model not on disk is downloaded into the profile (resumable and
        checksummed, Catalog.fetch) with ``downloading`` status events to the listeners and
        DownloadState to ``progress``; one already here (or an offline pack) is only checked.
        ``cancel`` stops it between blocks with ``Cancelled``, keeping the part downloaded so far.
        Raises ModelUnavailable (or ChecksumMismatch) in one line."""
        entry = self.catalog.entry(name or self.catalog.chosen(role))
        with self._download_slot(entry.name, cancel):
            path, _ = self.catalog.locate(entry)
            if path is not None or entry.source != "hub":  # here already (or it never downloads): check it
                return self.catalog.fetch(role, entry.name) if entry.source != "hub" else \
                    self.catalog.resolve(role, entry.name, allow_download=False)
            dest = self.catalog.profile.models_dir / entry.name  # where Catalog.fetch puts it
            title = f"{entry.name} ({entry.size_mb:,.0f} MB)" if entry.size_mb else entry.name

            def report(state: DownloadState) -> None:
                line = Text.of("manager.downloading", "downloading {name}: {done} / {total} MB", name=entry.name,
                               done=f"{state.done / MB:,.0f}", total=f"{state.total / MB:,.0f}")
                self._announce(ModelStatus(role, "downloading", str(line), "", state.fraction, line))
                if progress is not None:
                    progress(state)

            meter = _DownloadMeter(role, entry, dest, report)
            report(meter.state())
            try:
                resolved = self.catalog.fetch(role, entry.name, progress=meter, cancel=cancel)
            except Cancelled:
                self._announce(self._after_download(role, Text.of(
                    "manager.download_cancelled", "the download of {title} was cancelled; it resumes where it "
                    "stopped next time", title=title), failed=False))
                raise
            except BaseException as e:
                detail = e.text if isinstance(e, SensoriumError) else Text.of(
                    "manager.download_failed", "the download of {title} failed ({kind}: {error})", title=title,
                    kind=type(e).__name__, error=' '.join(str(e).split())[:160])
                self._announce(self._after_download(role, detail, failed=True))
                raise
            done = meter.complete()
            if progress is not None:
                progress(done)
            self._announce(self._after_download(role, Text.of(
                "manager.downloaded", "{name} downloaded ({size} MB); it loads when first used", name=entry.name,
                size=f"{done.total / MB:,.0f}"), failed=False))
            return resolved

    @contextlib.contextmanager
    def _download_slot(self, name: str, cancel: CancelToken | None) -> Iterator[None]:
        """One download of a model at a time (two would write the same files); a waiter can cancel."""
        with self._cond:
            lock = self._downloads.setdefault(name, threading.Lock())
        while not lock.acquire(timeout=0.2):
            if cancel is not None:
                cancel.raise_if_cancelled()
        try:
            yield
        finally:
            lock.release()

    def _after_download(self, role: str, detail: Text, *, failed: bool) -> ModelStatus:
        """The role's status once a download ended: the model it has loaded stays as it was; without
        one, a failed download marks the role failed (the detail says why)."""
        with self._cond:
            slot = self._slots[role]
            if slot.model is not None or slot.loading:
                return ModelStatus(role, slot.state, str(detail), slot.device, None, detail)
        return ModelStatus(role, "failed" if failed else "not-loaded", str(detail), "", None, detail)

    def _pending_download(self, role: str, override: str | None) -> ModelEntry | None:
        """The hub model a lease of ``role`` must download first (allowed, chosen, not on disk), or None."""
        if not self.catalog.settings.models.allow_downloads:
            return None
        name = self.catalog.chosen(role, override)
        entry = next((e for e in self.catalog.entries(role) if e.name == name), None)
        if entry is None or entry.source != "hub" or self.catalog.locate(entry)[0] is not None:
            return None
        return entry

    def server_config(self, role: str) -> Any:
        """The serving engine the settings name for ``role`` (a remote.ServerConfig), or None when
        it runs here. The API key is read from the OS keyring (or the injected lookup) each time."""
        if self.settings.server(role) is None:
            return None
        from .remote import config_for

        if self._api_key is not None:
            key = self._api_key(self.settings, role)
        else:
            from .secrets import get_api_key

            key = get_api_key(self.settings, role)
        return config_for(self.settings, role, key)

    def _acquire(self, role: str, override: str | None, owner: int, cancel: CancelToken | None = None) -> Any:
        # Downloading, resolving (which may verify checksums) and the first device choice (which
        # imports torch) all happen before the lock is taken.
        server = self.server_config(role) if override is None else None
        if server is not None:  # a serving engine: its client is the role's model; no weights here
            resolved = ResolvedModel(role, f"{server.model} @ {server.where}", Path(), "server", "server",
                                     extra={"server": server})
            key = f"server|{server.base_url}|{server.model}|{server.timeout_s}|{server.retries}|{hash(server.api_key)}"
            device = SERVER_DEVICE
        else:
            pending = self._pending_download(role, override)
            if pending is not None:
                self.download(role, pending.name, cancel=cancel)
            resolved = self.catalog.resolve(role, override, cancel=cancel)
            key = f"{resolved.path}|{resolved.format}"
            device = self.device_for(resolved)
        slot = self._slots[role]
        closing: list[_Detached] = []
        with self._cond:
            while True:
                if slot.loading:  # another thread loads this role: wait for its outcome
                    self._cond.wait()
                elif slot.model is not None and slot.key == key:
                    slot.holders[owner] = slot.holders.get(owner, 0) + 1
                    return slot.model
                elif slot.model is not None and slot.holders:  # switching: the old model is in use
                    if owner in slot.holders:
                        old = slot.resolved.name if slot.resolved else "the current model"
                        raise SensoriumError(
                            "the {title} model {current} is still in use by this turn, so it cannot "
                            "switch to {name} yet; try again when the turn has finished",
                            code="manager.model_in_use", title=ROLE_TITLES[role], current=old,
                            name=resolved.name)
                    self._cond.wait()
                else:
                    break
            if slot.model is not None:
                closing.append(self._detach(role, slot, Text.of("manager.switching", "switching to {name}",
                                                                name=resolved.name)))
            slot.loading, slot.resolved = True, resolved
            slot.reserved = int(self._entry_mb(role, resolved) * 2**20) if device.is_gpu else 0
            slot.say("loading", Text.of("manager.loading", "loading {name}", name=resolved.name))
            self._queue(role, slot)
            closing += self._over_budget(keep=role)
        self._close(closing)
        t0 = time.perf_counter()
        try:
            model, note, used = self._load_with_oom_retry(role, resolved, device)
            footprint = self._measure(model, role, resolved, used)
        except BaseException as e:
            self._load_failed(role, slot, resolved, e)
            if isinstance(e, SensoriumError) or not isinstance(e, Exception):
                raise
            raise SensoriumError("{title} model {name} failed to load ({kind}: {error}); see the log for details",
                                 code="manager.load_failed", title=ROLE_TITLES[role], name=resolved.name,
                                 kind=type(e).__name__, error=" ".join(str(e).split())[:160]) from e
        with self._cond:
            slot.model, slot.key, slot.footprint = model, key, footprint
            slot.loading, slot.reserved = False, 0
            slot.last_used = self._clock()
            slot.device = getattr(model, "device_name", None) or used.device
            runtime = getattr(model, "runtime", "")  # what runs it, when the model says (llama.cpp)
            if resolved.format == "server":
                server = resolved.extra["server"]
                slot.say("ready", Text.of("manager.ready_on_server", "{model} on the server at {where}",
                                          model=server.model, where=server.where))
            else:
                slot.say("ready", _ready(resolved.name, slot.device.upper(), runtime,
                                         f"{time.perf_counter() - t0:.1f}", note))
            slot.holders[owner] = slot.holders.get(owner, 0) + 1  # leased before anyone can evict it
            self._queue(role, slot)
            closing = self._over_budget(keep=role)  # with the measured size, not the estimate
            self._cond.notify_all()
        self._close(closing)
        return model

    def _load_failed(self, role: str, slot: _Slot, resolved: ResolvedModel, e: BaseException) -> str:
        """Mark the role failed and wake the leases waiting for it (each then tries itself); the detail."""
        if isinstance(e, Exception) and not isinstance(e, SensoriumError):
            log.exception("loading %s failed", role)
        if isinstance(e, SensoriumError):
            detail = e.text
        else:
            detail = Text.of("manager.failed_to_load", "{name} failed to load ({kind}: {error})", name=resolved.name,
                             kind=type(e).__name__, error=' '.join(str(e).split())[:160])
        with self._cond:
            slot.loading, slot.reserved, slot.unload_when_free = False, 0, False
            slot.say("failed", detail)
            self._queue(role, slot)
            self._cond.notify_all()
        self._flush()
        return str(detail)

    def _end_lease(self, role: str, owner: int) -> None:
        slot = self._slots[role]
        closing: list[_Detached] = []
        with self._cond:
            left = slot.holders.get(owner, 0) - 1
            if left > 0:
                slot.holders[owner] = left
            else:
                slot.holders.pop(owner, None)
            slot.last_used = self._clock()
            if not slot.holders:
                if slot.unload_when_free and slot.model is not None:
                    closing.append(self._detach(role, slot, _UNLOADED))
                closing += self._over_budget(keep=role)  # leased models may have held it over
                self._cond.notify_all()  # a switch of this role may go ahead now
        self._close(closing)

    def _load_with_oom_retry(self, role: str, resolved: ResolvedModel,
                             device: DeviceChoice) -> tuple[Any, tuple[str, str], DeviceChoice]:
        """Load; out of memory: unload the other roles that are not in use and retry once, then fall
        back to the CPU (from a GPU). Returns (model, a note for the status line, the device it
        loaded on); the note is ("", ""), ("freed", the roles unloaded) or ("cpu", ""). Raises
        OutOfMemory at the end."""
        if resolved.format == "server":
            from .remote import open_role

            return open_role(resolved.extra["server"], settings=self.settings), ("", ""), device
        loader = self._loaders[role]
        try:
            return loader(resolved, device, self.settings, self.profile), ("", ""), device
        except Exception as e:
            if not is_out_of_memory(e):
                raise
        freed = self.free_others(role)
        gc.collect()  # what the failed attempt allocated
        self._empty_gpu_cache()
        log.warning("out of memory loading %s; unloaded %s and retrying", role, freed or "nothing")
        try:
            return loader(resolved, device, self.settings, self.profile), \
                ("freed", ", ".join(freed)) if freed else ("", ""), device
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
                return model, ("cpu", ""), cpu
        if device.is_gpu:
            raise OutOfMemory("not enough GPU memory to load {name}, even after unloading the other models; "
                              "choose a smaller model in Settings > Models or close other programs",
                              code="manager.out_of_gpu_memory", name=resolved.name)
        raise OutOfMemory("not enough memory to load {name}, even after unloading the other models; "
                          "choose a smaller model in Settings > Models or close other programs",
                          code="manager.out_of_memory", name=resolved.name)

    # ---- unloading ---------------------------------------------------------------------
    def unload(self, role: str) -> bool:
        """Unload a role's model. A model in use (or loading) unloads when its last lease ends (its
        status says so meanwhile); this never waits. False when nothing was loaded."""
        slot = self._slots[role]
        with self._cond:
            if slot.loading:
                slot.unload_when_free = True  # the load finishes, its turn runs, then it goes
                return True
            if slot.model is None:
                return False
            if slot.holders:
                slot.unload_when_free = True
                name = slot.resolved.name if slot.resolved else role
                slot.say(slot.state, Text.of("manager.unloads_when_free", "{name} is in use; it unloads when the "
                                             "running turn ends", name=name))
                self._queue(role, slot)
                closing = []
            else:
                closing = [self._detach(role, slot, _UNLOADED)]
        self._close(closing)
        return True

    def unload_all(self) -> None:
        for role in ROLES:
            self.unload(role)

    def unload_idle(self, now: float | None = None) -> list[str]:
        """Unload the models not in use whose last lease ended more than
        ``device.idle_unload_minutes`` ago; the roles unloaded. Cheap when there is nothing to do."""
        minutes = self.settings.device.idle_unload_minutes
        if minutes <= 0:
            return []
        now = self._clock() if now is None else now
        with self._cond:
            closing = [self._detach(role, s, Text.of("manager.unloaded_idle", "unloaded after {minutes} idle minutes",
                                                     minutes=f"{minutes:g}"))
                       for role, s in self._slots.items()
                       if self._evictable(s) and now - s.last_used > minutes * 60]
        dropped = [role for role, _ in closing]
        self._close(closing)
        return dropped

    def free_others(self, role: str) -> list[str]:
        """Unload every other role's model that is not in use (on out of memory, before a retry);
        the roles unloaded."""
        with self._cond:
            closing = [self._detach(other, s, Text.of("manager.unloaded_to_free_memory", "unloaded to free memory"))
                       for other, s in self._slots.items() if other != role and self._evictable(s)]
        freed = [other for other, _ in closing]
        self._close(closing)
        return freed

    # ---- internals (the _evictable, _detach and _over_budget callers hold the lock) ---------
    @staticmethod
    def _evictable(slot: _Slot) -> bool:
        return slot.model is not None and not slot.holders and not slot.loading

    def _detach(self, role: str, slot: _Slot, why: Text) -> _Detached:
        model, slot.model = slot.model, None
        slot.key, slot.footprint, slot.unload_when_free = "", Footprint(), False
        slot.say("not-loaded", why)
        self._queue(role, slot)
        return role, model

    def _over_budget(self, keep: str) -> list[_Detached]:
        """Detach the least recently used models on the GPU that are not in use (never ``keep``, the
        role just loaded or used) until the device bytes fit the budget again."""
        budget_gb = self.settings.device.gpu_memory_budget_gb
        if budget_gb <= 0:
            return []
        budget = int(budget_gb * 2**30)
        used = sum(s.footprint.device_bytes + s.reserved for s in self._slots.values())
        victims: list[_Detached] = []
        for _, role in sorted((s.last_used, r) for r, s in self._slots.items()
                              if r != keep and self._evictable(s) and s.footprint.device_bytes > 0):
            if used <= budget:
                break
            slot = self._slots[role]
            used -= slot.footprint.device_bytes
            victims.append(self._detach(role, slot, Text.of("manager.unloaded_over_budget",
                                                            "unloaded to stay within the GPU memory budget")))
        return victims

    def _close(self, detached: list[_Detached]) -> None:
        """Close detached models (with the lock released), free their memory, deliver the events."""
        if detached:
            while detached:
                role, model = detached.pop()
                close = getattr(model, "close", None)
                if callable(close):
                    try:
                        close()
                    except Exception:
                        log.exception("closing %s failed", role)
                del model
            gc.collect()
            self._empty_gpu_cache()
        self._flush()

    def _measure(self, model: Any, role: str, resolved: ResolvedModel, device: DeviceChoice) -> Footprint:
        """What the loaded model occupies, from the model itself; a model that cannot say counts
        the catalog's size on the device it loaded on."""
        fn = getattr(model, "footprint", None)
        if callable(fn):
            try:
                footprint = fn()
            except Exception:
                log.warning("could not measure the %s model", role, exc_info=True)
            else:
                if isinstance(footprint, Footprint):
                    return footprint
        estimate = int(self._entry_mb(role, resolved) * 2**20)
        return Footprint(estimate, 0) if device.is_gpu else Footprint(0, estimate)

    def _entry_mb(self, role: str, resolved: ResolvedModel) -> float:
        return next((e.size_mb for e in self.catalog.entries(role) if e.name == resolved.name), 0.0)

    @staticmethod
    def _empty_gpu_cache() -> None:
        torch = sys.modules.get("torch")  # no torch loaded: no torch memory to give back
        if torch is None:
            return
        try:
            if torch.cuda.is_initialized():
                torch.cuda.empty_cache()
        except Exception:
            pass
