"""Long jobs of the engine off the GUI thread: one worker thread per kind of job, in order.

A ``JobWorker`` owns one thread. ``call(fn, on_done, on_error)`` runs ``fn()`` there after every
call and job queued before it; ``stream(start, ...)`` runs an engine event stream there
(``engine.index_documents``, ``engine.learn_from_ratings``): ``start(token)`` returns the
iterator, every event but the last arrives as ``progress(event)`` ("latest wins": a progress the
GUI has not taken yet is replaced by a newer one), the last one as ``finished(event)``, or
``cancelled(event)`` when it says so (``event.cancelled``) or the token was cancelled; an error
arrives as ``failed(reason in one line)`` in the interface's language. The stream's ``Job`` holds
its ``CancelToken``: ``job.cancel()`` flips it, the engine stops at its next step and says what it
kept. Nothing here waits on the GUI thread; ``shutdown()`` cancels the running stream and lets the
thread end (the app joins it with ``wait``).
"""
from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable, Iterator
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal

from pipelines.cancel import Cancelled, CancelToken

from .controller import error_text, one_line
from .i18n import render

__all__ = ["Job", "JobWorker"]

log = logging.getLogger(__name__)


class Job(QObject):
    """One event stream on a JobWorker. Signals: progress(event), finished(last event),
    cancelled(last event or None), failed(reason); ``ended`` after any of the last three."""

    progress = Signal(object)
    finished = Signal(object)
    cancelled = Signal(object)
    failed = Signal(str)
    ended = Signal()

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.token = CancelToken()
        self.running = True
        self.last: Any = None  # the last event, once it arrived
        self._lock = threading.Lock()
        self._pending: Any = None

    def cancel(self) -> None:
        self.token.cancel()

    # ---- from the worker thread ------------------------------------------------------------
    def _post(self, ev: Any, bridge: _Bridge) -> None:
        with self._lock:
            had = self._pending is not None
            self._pending = ev
        if not had:
            bridge.progress.emit(self)

    def _take(self) -> Any:
        with self._lock:
            ev, self._pending = self._pending, None
        return ev


class _Bridge(QObject):
    """Lives on the GUI thread: what the worker sends arrives queued."""

    progress = Signal(object)  # job
    ended = Signal(object, str, object)  # job, outcome (finished|cancelled|failed), event or reason
    result = Signal(object, object, bool)  # handler, value, ok


class JobWorker(QObject):
    def __init__(self, name: str, parent: QObject | None = None):
        super().__init__(parent)
        self.name = name
        self._q: queue.Queue = queue.Queue()
        self._bridge = _Bridge(self)
        self._bridge.progress.connect(self._on_progress, Qt.ConnectionType.QueuedConnection)
        self._bridge.ended.connect(self._on_ended, Qt.ConnectionType.QueuedConnection)
        self._bridge.result.connect(self._on_result, Qt.ConnectionType.QueuedConnection)
        self._closed = False
        self.current: Job | None = None  # the stream that is queued or running
        self._thread = threading.Thread(target=self._run, name=f"sensorium-{name}", daemon=True)
        self._thread.start()

    @property
    def busy(self) -> bool:
        return self.current is not None and self.current.running

    def call(self, fn: Callable[[], Any], on_done: Callable[[Any], None] | None = None,
             on_error: Callable[[str], None] | None = None) -> None:
        """Run ``fn()`` on the worker, after what was queued before; the result on the GUI thread."""
        if self._closed:
            return
        self._q.put(("call", fn, on_done, on_error))

    def stream(self, start: Callable[[CancelToken], Iterator[Any]]) -> Job:
        """Queue an event stream; connect to the returned Job's signals before control goes back
        to the event loop (its events arrive queued)."""
        job = Job(self)
        self.current = job
        if self._closed:
            job.token.cancel()
        self._q.put(("stream", start, job, None))
        return job

    def shutdown(self) -> None:
        """Cancel the running stream and end the thread once the queue is done."""
        self._closed = True
        if self.current is not None:
            self.current.cancel()
        self._q.put(None)

    def wait(self, timeout_s: float = 10.0) -> bool:
        self._thread.join(timeout_s)
        return not self._thread.is_alive()

    # ---- the worker thread -----------------------------------------------------------------
    def _run(self) -> None:
        while True:
            job = self._q.get()
            if job is None:
                return
            kind, fn, a, b = job
            try:
                if kind == "call":
                    self._do_call(fn, a, b)
                else:
                    self._do_stream(fn, a)
            except RuntimeError:  # the bridge is gone (the window closed): nothing to tell
                return

    def _do_call(self, fn, on_done, on_error) -> None:
        try:
            result = fn()
        except Exception as e:
            log.warning("%s: call failed: %s", self.name, e, exc_info=True)
            self._bridge.result.emit(on_error, (one_line(e), error_text(e)), False)
        else:
            self._bridge.result.emit(on_done, result, True)

    def _do_stream(self, start, job: Job) -> None:
        last = None
        try:
            if job.token.cancelled:
                raise Cancelled()
            for ev in start(job.token):
                if last is not None:
                    job._post(last, self._bridge)
                last = ev
        except Cancelled:
            self._bridge.ended.emit(job, "cancelled", last if getattr(last, "cancelled", False) else None)
        except Exception as e:
            log.warning("%s: job failed: %s", self.name, e, exc_info=True)
            self._bridge.ended.emit(job, "failed", (one_line(e), error_text(e)))
        else:
            outcome = "cancelled" if getattr(last, "cancelled", False) or (last is None and job.token.cancelled) \
                else "finished"
            self._bridge.ended.emit(job, outcome, last)

    # ---- back on the GUI thread ------------------------------------------------------------
    def _on_progress(self, job: Job) -> None:
        ev = job._take()
        if ev is not None:
            job.progress.emit(ev)

    def _on_ended(self, job: Job, outcome: str, value: Any) -> None:
        self._on_progress(job)  # a progress still pending comes first
        job.running = False
        if self.current is job:
            self.current = None
        try:
            if outcome == "failed":
                line, text = value
                job.failed.emit(" ".join(render(text, line).split()))
            else:
                job.last = value
                (job.cancelled if outcome == "cancelled" else job.finished).emit(value)
        finally:
            job.ended.emit()

    def _on_result(self, fn, value, ok: bool) -> None:
        if fn is None:
            if not ok:
                log.warning("%s: call failed: %s", self.name, value[0])
            return
        try:
            fn(value if ok else " ".join(render(value[1], value[0]).split()))
        except Exception:  # a handler's bug (or its widget closed meanwhile) must not stop the rest
            log.exception("%s: result handler failed", self.name)
