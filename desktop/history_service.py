"""The history store, off the GUI thread: every SQLite call runs on one worker, in order, and its
result comes back on the GUI thread."""
from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal

__all__ = ["HistoryService"]

log = logging.getLogger(__name__)


class HistoryService(QObject):
    conversationsChanged = Signal(list)
    problem = Signal(str)
    _result = Signal(object, object)

    def __init__(self, store: Any, parent: QObject | None = None):
        super().__init__(parent)
        self.store = store
        self._q: queue.Queue = queue.Queue()
        self._result.connect(self._deliver, Qt.ConnectionType.QueuedConnection)
        self._refreshing = False
        self._again = False
        self._thread = threading.Thread(target=self._run, name="sensorium-history", daemon=True)
        self._thread.start()

    def call(self, fn: Callable[[Any], Any], on_done: Callable[[Any], None] | None = None,
             on_error: Callable[[str], None] | None = None) -> None:
        self._q.put((fn, on_done, on_error))

    def refresh(self) -> None:
        if self._refreshing:
            self._again = True
            return
        self._refreshing = True
        self.call(lambda s: s.list_conversations(), self._refreshed, self._refresh_failed)

    def _refreshed(self, convs: list) -> None:
        self._refreshing = False
        if self._again:
            self._again = False
            self.refresh()
        self.conversationsChanged.emit(convs)

    def _refresh_failed(self, message: str) -> None:
        self._refreshing = False
        self.problem.emit(f"the history could not be read ({message})")

    def shutdown(self, timeout: float = 10.0) -> bool:
        self._q.put(None)
        self._thread.join(timeout)
        return not self._thread.is_alive()

    def _run(self) -> None:
        while True:
            job = self._q.get()
            if job is None:
                return
            fn, on_done, on_error = job
            if getattr(self.store, "_closed", False):  # after the app closed the store: nothing to do
                continue
            try:
                result = fn(self.store)
            except Exception as e:
                log.warning("history call failed: %s", e, exc_info=True)
                message = " ".join(str(e).split()) or type(e).__name__
                self._emit(on_error or self.problem.emit, message)
            else:
                if on_done is not None:
                    self._emit(on_done, result)

    def _emit(self, fn: Callable[[Any], None], value: Any) -> None:
        try:
            self._result.emit(fn, value)
        except RuntimeError:  # the service is gone (window closed)
            pass

    def _deliver(self, fn: Callable[[Any], None], value: Any) -> None:
        try:
            fn(value)
        except Exception:
            log.exception("history result handler failed")
