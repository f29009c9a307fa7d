"""The one place where model work leaves the GUI thread.

``Controller.submit(turn)`` runs ``engine.respond`` on a worker (a QRunnable on a one-thread
QThreadPool, so turns run one at a time in order) and re-emits every engine event on the GUI
thread through queued signals. ``cancel()`` flips the turn's CancelToken; the engine stops at its
next step and yields ``Cancelled``. The GUI thread never waits on a worker.

Image previews are "latest wins": when the GUI has not yet taken the last ImageProgress of a
turn, a newer one replaces it instead of queueing behind it.

Idle models unload on a timer: every ``idle_check_ms`` the controller asks the model manager's
``unload_idle`` on a worker thread (closing a model can take a moment; the GUI never waits on it).
The manager decides what is idle (``device.idle_unload_minutes``, never a model in use).
"""
from __future__ import annotations

import itertools
import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal, Slot

from pipelines.cancel import CancelToken
from pipelines.events import Cancelled, Done, Event, Failed, ImageProgress, ModelStatus, Turn

__all__ = ["Controller"]

log = logging.getLogger(__name__)


class _Bridge(QObject):
    """Lives on the GUI thread; signals emitted from workers arrive queued."""

    event = Signal(int, object)
    progressPending = Signal()
    finished = Signal(int)
    modelStatus = Signal(object)
    taskDone = Signal(int, object)
    taskFailed = Signal(int, str)
    taskProgress = Signal(int, object)


class _TurnJob(QRunnable):
    def __init__(self, controller: Controller, rid: int, turn: Turn, token: CancelToken):
        super().__init__()
        self.setAutoDelete(True)
        self.c, self.rid, self.turn, self.token = controller, rid, turn, token

    def run(self) -> None:
        c, rid = self.c, self.rid
        try:
            if self.token.cancelled:  # cancelled while queued
                c._bridge.event.emit(rid, Cancelled(""))
                return
            for ev in c.engine.respond(self.turn, self.token):
                if isinstance(ev, ImageProgress):
                    c._post_progress(rid, ev)
                else:
                    c._bridge.event.emit(rid, ev)
        except Exception as e:  # the engine turns errors into events; this is the last guard
            log.exception("turn worker failed")
            c._bridge.event.emit(rid, Failed(f"the turn failed ({type(e).__name__}: {e})"))
        finally:
            c._bridge.finished.emit(rid)


class _Task(QRunnable):
    def __init__(self, bridge: _Bridge, tid: int, fn: Callable[..., Any], args: tuple, kwargs: dict):
        super().__init__()
        self.setAutoDelete(True)
        self.bridge, self.tid, self.fn, self.args, self.kwargs = bridge, tid, fn, args, kwargs

    def run(self) -> None:
        try:
            result = self.fn(*self.args, **self.kwargs)
        except Exception as e:
            log.warning("background task failed: %s", e, exc_info=True)
            self.bridge.taskFailed.emit(self.tid, " ".join(str(e).split()) or type(e).__name__)
        else:
            self.bridge.taskDone.emit(self.tid, result)


class Controller(QObject):
    """Runs engine turns and background tasks; every result arrives on the GUI thread.

    Signals:
      event(request_id, Event)    every engine event of a turn, in order (previews coalesced)
      turnFinished(request_id)    after the last event of a turn
      busyChanged(bool)           a turn is running (or queued)
      modelStatus(ModelStatus)    model manager state changes (loading, ready, failed)
      taskDone(task_id, result) / taskFailed(task_id, message) / taskProgress(task_id, value)
    """

    event = Signal(int, object)
    turnFinished = Signal(int)
    busyChanged = Signal(bool)
    modelStatus = Signal(object)
    taskDone = Signal(int, object)
    taskFailed = Signal(int, str)
    taskProgress = Signal(int, object)

    def __init__(self, engine: Any, parent: QObject | None = None, *, idle_check_ms: int = 30_000):
        super().__init__(parent)
        self.engine = engine
        self._ids = itertools.count(1)
        self._turn_pool = QThreadPool(self)
        self._turn_pool.setMaxThreadCount(1)
        self._task_pool = QThreadPool(self)
        self._task_pool.setMaxThreadCount(2)
        self._bridge = _Bridge(self)
        self._bridge.event.connect(self._on_event)
        self._bridge.progressPending.connect(self._on_progress)
        self._bridge.finished.connect(self._on_finished)
        self._bridge.modelStatus.connect(self.modelStatus)
        self._bridge.taskDone.connect(self.taskDone)
        self._bridge.taskFailed.connect(self.taskFailed)
        self._bridge.taskProgress.connect(self.taskProgress)
        self._lock = threading.Lock()
        self._pending: tuple[int, ImageProgress] | None = None
        self._tokens: dict[int, CancelToken] = {}
        self._task_tokens: dict[int, CancelToken] = {}
        self._closed = False
        manager = getattr(engine, "manager", None)
        if manager is not None and hasattr(manager, "add_listener"):
            manager.add_listener(self._on_model_status)
        self._idle_checking = False
        self._idle_timer = QTimer(self, interval=idle_check_ms, timeout=self._check_idle)
        if manager is not None and hasattr(manager, "unload_idle"):
            self._idle_timer.start()

    # ---- turns -----------------------------------------------------------------------------
    @property
    def busy(self) -> bool:
        return bool(self._tokens)

    @property
    def running_ids(self) -> list[int]:
        return list(self._tokens)

    def submit(self, turn: Turn) -> int:
        """Queue a turn; returns its request id. Events arrive through ``event``."""
        rid = next(self._ids)
        token = CancelToken()
        was_busy = self.busy
        self._tokens[rid] = token
        if self._closed:
            token.cancel()
        self._turn_pool.start(_TurnJob(self, rid, turn, token))
        if not was_busy:
            self.busyChanged.emit(True)
        return rid

    def cancel(self, rid: int | None = None) -> bool:
        """Cancel one turn, or every running and queued turn. True if something was cancelled."""
        targets = [rid] if rid is not None else list(self._tokens)
        hit = False
        for r in targets:
            token = self._tokens.get(r)
            if token is not None and not token.cancelled:
                token.cancel()
                hit = True
        return hit

    def _post_progress(self, rid: int, ev: ImageProgress) -> None:  # worker thread
        with self._lock:
            had = self._pending is not None
            if had and self._pending[1].preview_png is not None and ev.preview_png is None:
                # keep the last preview picture: carry it over into the newer progress
                from dataclasses import replace

                ev = replace(ev, preview_png=self._pending[1].preview_png)
            self._pending = (rid, ev)
        if not had:
            self._bridge.progressPending.emit()

    @Slot()
    def _on_progress(self) -> None:
        with self._lock:
            item, self._pending = self._pending, None
        if item is not None:
            self.event.emit(item[0], item[1])

    @Slot(int, object)
    def _on_event(self, rid: int, ev: Event) -> None:
        if isinstance(ev, (Done, Cancelled, Failed)):
            self._on_progress()  # a pending preview of this turn comes first
        self.event.emit(rid, ev)

    @Slot(int)
    def _on_finished(self, rid: int) -> None:
        self._tokens.pop(rid, None)
        self.turnFinished.emit(rid)
        if not self._tokens:
            self.busyChanged.emit(False)

    # ---- background tasks ------------------------------------------------------------------
    def run_task(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> int:
        """Run ``fn`` on a worker; the result arrives as ``taskDone(task_id, result)``."""
        tid = next(self._ids)
        self._task_pool.start(_Task(self._bridge, tid, fn, args, kwargs))
        return tid

    def run_cancellable(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> tuple[int, CancelToken]:
        """Like run_task; ``fn`` gets ``cancel=`` and ``progress=`` (reported as taskProgress)."""
        tid = next(self._ids)
        token = CancelToken()
        self._task_tokens[tid] = token
        bridge = self._bridge

        def call():
            try:
                return fn(*args, cancel=token, progress=lambda value: bridge.taskProgress.emit(tid, value),
                          **kwargs)
            finally:
                self._task_tokens.pop(tid, None)

        self._task_pool.start(_Task(self._bridge, tid, call, (), {}))
        return tid, token

    def preload(self, roles: list[str]) -> int:
        """Load models ahead of time (Models > Load all now); statuses arrive through modelStatus."""
        manager = self.engine.manager

        def load_all():
            failed = []
            for role in roles:
                try:
                    manager.preload(role)
                except Exception as e:
                    failed.append(f"{role}: {' '.join(str(e).split())}")
            return failed

        return self.run_task(load_all)

    @Slot()
    def _check_idle(self) -> None:
        """The idle timer: unload idle models on a worker, one check at a time."""
        if self._idle_checking or self._closed:
            return
        self._idle_checking = True
        manager = self.engine.manager

        def check() -> None:
            try:
                dropped = manager.unload_idle()
                if dropped:
                    log.info("unloaded idle models: %s", ", ".join(dropped))
            except Exception:
                log.exception("idle unload failed")
            finally:
                self._idle_checking = False

        self._task_pool.start(check)

    def _on_model_status(self, ev: ModelStatus) -> None:  # any thread
        try:
            self._bridge.modelStatus.emit(ev)
        except RuntimeError:  # the bridge is gone (window closed)
            pass

    # ---- shutdown --------------------------------------------------------------------------
    def shutdown(self) -> None:
        """Cancel everything; workers finish on their own (the engine keeps what finished)."""
        self._closed = True
        self._idle_timer.stop()
        self.cancel()
        for token in list(self._task_tokens.values()):
            token.cancel()
        manager = getattr(self.engine, "manager", None)
        if manager is not None and hasattr(manager, "remove_listener"):
            manager.remove_listener(self._on_model_status)

    def wait_idle(self, msecs: int = 10000) -> bool:
        """For application exit only (after the event loop): wait for workers to end."""
        return self._turn_pool.waitForDone(msecs) and self._task_pool.waitForDone(msecs)
