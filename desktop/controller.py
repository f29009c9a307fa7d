"""The one place where model work leaves the GUI thread.

Every turn of the window (typed, spoken, regenerate, describe, draw) goes through the Controller's
one ``pipelines.turns.TurnRunner``: ``submit(turn, chat=...)`` queues it (or, with
``interrupt=True``, cancels the running turn and runs next) and every event of every turn is
re-emitted on the GUI thread through queued signals, spoken turns included (the voice loop submits
to ``controller.runner``). ``cancel()`` flips a turn's CancelToken; the engine stops at its next
step and yields ``Cancelled``. The GUI thread never waits on a worker.

Image previews are "latest wins": when the GUI has not yet taken the last ImageProgress of a
turn, a newer one replaces it instead of queueing behind it.

Idle models unload on a timer: every ``idle_check_ms`` the controller asks the model manager's
``unload_idle`` on a worker thread (closing a model can take a moment; the GUI never waits on it).
The manager decides what is idle (``device.idle_unload_minutes``, never a model in use).

After start-up and after each model load the heap is frozen (``gc.freeze``): a full garbage
collection over a loaded model's objects stalls the thread that triggers it for up to ~0.9 s here.

A task that fails keeps its error's ``Text`` (a SensoriumError's code, template and params): the
GUI side renders it in the interface's language for ``taskFailed`` and the ``call`` error handlers;
``taskError`` carries the English line and the Text, for a widget that says it again after a
language switch.
"""
from __future__ import annotations

import gc
import itertools
import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThread, QThreadPool, QTimer, Signal, Slot

from pipelines.cancel import CancelToken
from pipelines.errors import Text
from pipelines.events import Cancelled, Done, Event, Failed, ImageProgress, ModelStatus, Turn
from pipelines.turns import ChatRef, TurnListener, TurnQueued, TurnRunner

from .i18n import render

__all__ = ["Controller", "freeze_heap", "error_text", "one_line"]

log = logging.getLogger(__name__)


def error_text(e: BaseException) -> Text | None:
    """The ``Text`` of an error (a SensoriumError's ``.text``), or None."""
    text = getattr(e, "text", None)
    return text if isinstance(text, Text) else None


def one_line(e: BaseException) -> str:
    """The error in one line (English), its type's name when it has no message."""
    return " ".join(str(e).split()) or type(e).__name__


def freeze_heap() -> None:
    """Move every object alive now to the collector's permanent generation (``gc.freeze``): a full
    collection with the models' objects in it takes hundreds of milliseconds; without, a few."""
    gc.freeze()


class _Bridge(QObject):
    """Lives on the GUI thread; signals emitted from workers arrive queued."""

    event = Signal(int, object)
    progressPending = Signal()
    finished = Signal(int)
    queue = Signal(object)
    modelStatus = Signal(object)
    taskDone = Signal(int, object)
    taskFailed = Signal(int, str, object)  # task id, the English line, its Text (or None)
    taskProgress = Signal(int, object)


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
            self.bridge.taskFailed.emit(self.tid, one_line(e), error_text(e))
        else:
            self.bridge.taskDone.emit(self.tid, result)


class Controller(QObject):
    """Runs engine turns and background tasks; every result arrives on the GUI thread.

    Signals:
      event(request_id, Event)    every engine event of a turn, in order (previews coalesced)
      turnFinished(request_id)    after the last event of a turn
      busyChanged(bool)           a turn is running (or queued)
      queueChanged(list)          the request ids of the turns waiting behind the running one
      modelStatus(ModelStatus)    model manager state changes (loading, ready, failed)
      taskDone(task_id, result) / taskFailed(task_id, message) / taskProgress(task_id, value)
      taskError(task_id, english line, Text | None)   a failure as the error said it (before taskFailed)
    ``call(fn, on_done, on_error)`` runs ``fn()`` on a worker with its result handed to a callback.
    A failure's message (taskFailed, on_error) is in the interface's language when the error has a Text.
    """

    event = Signal(int, object)
    turnFinished = Signal(int)
    busyChanged = Signal(bool)
    queueChanged = Signal(object)
    modelStatus = Signal(object)
    taskDone = Signal(int, object)
    taskFailed = Signal(int, str)
    taskError = Signal(int, str, object)
    taskProgress = Signal(int, object)

    def __init__(self, engine: Any, parent: QObject | None = None, *, idle_check_ms: int = 30_000):
        super().__init__(parent)
        self.engine = engine
        self._ids = itertools.count(1)
        self._task_pool = QThreadPool(self)
        self._task_pool.setMaxThreadCount(2)
        self._bridge = _Bridge(self)
        # queued even from the GUI thread: a turn's TurnQueued (sent by submit) arrives after submit returned
        self._bridge.event.connect(self._on_event, Qt.ConnectionType.QueuedConnection)
        self._bridge.progressPending.connect(self._on_progress)
        self._bridge.finished.connect(self._on_finished)
        self._bridge.queue.connect(self.queueChanged, Qt.ConnectionType.QueuedConnection)
        self._bridge.modelStatus.connect(self.modelStatus)
        self._bridge.modelStatus.connect(self._after_load)
        self._bridge.taskDone.connect(self.taskDone)
        self._bridge.taskFailed.connect(self._on_task_failed)
        self._bridge.taskDone.connect(self._call_done)
        self._calls: dict[int, tuple[Callable[[Any], None] | None, Callable[[str], None] | None]] = {}
        self._bridge.taskProgress.connect(self.taskProgress)
        self._lock = threading.Lock()
        self._pending: tuple[int, ImageProgress] | None = None
        self._active: set[int] = set()  # accepted and not finished (as the GUI thread has seen it)
        self.runner = TurnRunner(engine, on_event=self._from_runner, on_finished=self._bridge.finished.emit,
                                 on_queue=self._bridge.queue.emit)
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
        """A turn runs or waits (as the GUI thread has seen it: its last event may still be queued)."""
        return bool(self._active) or self.runner.busy

    @property
    def running_ids(self) -> list[int]:
        return sorted(self._active)

    def submit(self, turn: Turn, *, chat: ChatRef | None = None, interrupt: bool = False,
               listener: TurnListener | None = None, source: str = "typed") -> int:
        """Accept a turn (any thread); returns its request id. It waits behind the running turn, or
        with ``interrupt`` cancels it and runs next. Events arrive through ``event``."""
        gate = None
        on_gui = QThread.currentThread() is self.thread()
        if on_gui:  # the turn starts once the GUI has shown it (its bubbles laid out and painted)
            gate = threading.Event()
            QTimer.singleShot(0, gate.set)
        rid = self.runner.submit(turn, chat=chat, interrupt=interrupt, listener=listener, source=source, gate=gate)
        if on_gui:  # busy at once
            self._mark_active(rid)
        return rid

    def _mark_active(self, rid: int) -> None:
        if rid not in self._active:
            was_busy = bool(self._active)
            self._active.add(rid)
            if not was_busy:
                self.busyChanged.emit(True)

    def cancel(self, rid: int | None = None) -> bool:
        """Cancel one turn, or every running and waiting turn. True if something was cancelled."""
        return self.runner.cancel(rid)

    def _from_runner(self, rid: int, ev: Event) -> None:  # the runner's (or a submitting) thread
        if isinstance(ev, ImageProgress):
            self._post_progress(rid, ev)
        else:
            self._bridge.event.emit(rid, ev)

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
        if isinstance(ev, TurnQueued):
            self._mark_active(rid)
        if isinstance(ev, (Done, Cancelled, Failed)):
            self._on_progress()  # a pending preview of this turn comes first
        self.event.emit(rid, ev)

    @Slot(int)
    def _on_finished(self, rid: int) -> None:
        self._active.discard(rid)
        self.turnFinished.emit(rid)
        if not self._active:
            self.busyChanged.emit(False)

    # ---- background tasks ------------------------------------------------------------------
    def run_task(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> int:
        """Run ``fn`` on a worker; the result arrives as ``taskDone(task_id, result)``."""
        tid = next(self._ids)
        self._task_pool.start(_Task(self._bridge, tid, fn, args, kwargs))
        return tid

    def call(self, fn: Callable[[], Any], on_done: Callable[[Any], None] | None = None,
             on_error: Callable[[str], None] | None = None) -> int:
        """Run ``fn()`` on a worker; ``on_done(result)`` or ``on_error(reason in one line)`` then runs
        on the GUI thread (a failure without ``on_error`` is logged)."""
        tid = next(self._ids)
        self._calls[tid] = (on_done, on_error)
        self._task_pool.start(_Task(self._bridge, tid, fn, (), {}))
        return tid

    @Slot(int, object)
    def _call_done(self, tid: int, result: Any) -> None:
        on_done, _on_error = self._calls.pop(tid, (None, None))
        if on_done is not None:
            try:
                on_done(result)
            except Exception:  # a handler's bug (or its widget closed meanwhile) must not stop the rest
                log.exception("background call result handler failed")

    @Slot(int, str, object)
    def _on_task_failed(self, tid: int, message: str, text: Text | None) -> None:
        """On the GUI thread: the failure in the interface's language, to the signals and the handler."""
        self.taskError.emit(tid, message, text)
        reason = render(text, message)
        self.taskFailed.emit(tid, reason)
        self._call_failed(tid, reason)

    def _call_failed(self, tid: int, reason: str) -> None:
        if tid not in self._calls:
            return
        _on_done, on_error = self._calls.pop(tid)
        if on_error is not None:
            try:
                on_error(reason)
            except Exception:
                log.exception("background call error handler failed")
        else:
            log.warning("background call failed: %s", reason)

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
        """Load models ahead of time (Models > Load all now); statuses arrive through modelStatus. The
        result lists what failed: (role, the English line, its Text or None)."""
        manager = self.engine.manager

        def load_all():
            failed = []
            for role in roles:
                try:
                    manager.preload(role)
                except Exception as e:
                    failed.append((role, one_line(e), error_text(e)))
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

    @Slot(object)
    def _after_load(self, ev: ModelStatus) -> None:
        """A model finished loading: its (many, long-lived) objects leave the garbage collector's
        generations, so that a full collection, which runs on whichever thread triggers it (often the
        GUI thread), scans only what was made since instead of every tensor wrapper and module."""
        if ev.state == "ready":
            freeze_heap()

    def _on_model_status(self, ev: ModelStatus) -> None:  # any thread
        try:
            self._bridge.modelStatus.emit(ev)
        except RuntimeError:  # the bridge is gone (window closed)
            pass

    # ---- shutdown --------------------------------------------------------------------------
    def shutdown(self) -> None:
        """Cancel everything; workers finish on their own (the engine keeps what finished).
        ``wait_idle`` then joins them, before the history store closes."""
        self._closed = True
        self._idle_timer.stop()
        self.runner.shutdown(timeout=0)  # cancels every turn; new ones are cancelled on arrival
        for token in list(self._task_tokens.values()):
            token.cancel()
        manager = getattr(self.engine, "manager", None)
        if manager is not None and hasattr(manager, "remove_listener"):
            manager.remove_listener(self._on_model_status)

    def wait_idle(self, msecs: int = 10000) -> bool:
        """For application exit only (after the event loop): join the turn worker and the tasks."""
        return self.runner.shutdown(timeout=msecs / 1000) and self._task_pool.waitForDone(msecs)
