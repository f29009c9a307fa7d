"""The history store, off the GUI thread: every SQLite call runs on one worker, in order, and its
result comes back on the GUI thread.

``call(fn, on_done, on_error)`` runs ``fn(store)`` on the worker (one thread, so the store keeps one
SQLite connection for it) after every call made before it; ``on_done(result)`` or
``on_error(reason)`` then runs on the GUI thread, ``reason`` being the error in one line (in the
interface's language when the error has a Text). A call without ``on_error`` that fails emits
``problem("<what> (<reason>)")``; the traceback goes to the log. The worker goes on with the next
call either way.

``refresh()`` re-reads the conversation list and emits ``conversationsChanged(list)``. Refreshes
asked for while one is queued or running coalesce into at most one more run, and a list that a
newer run is already on its way to replace is dropped ("latest request wins"): a burst of turns
never queues a burst of list reads, nor shows lists that are already old.

``shutdown(timeout)`` lets the queued calls finish and ends the worker: the app calls it before the
store closes. A call made after it is refused (its ``on_error``, else the log); one that reaches a
store the app has already closed is skipped.
"""
from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QObject, Qt, Signal

from .controller import error_text, one_line
from .i18n import render, translate

__all__ = ["HistoryService", "one_line"]

log = logging.getLogger(__name__)

#: what failed, said in the ``problem`` line (``what`` of a call, translated under "HistoryService")
CALL_FAILED = QT_TRANSLATE_NOOP("HistoryService", "the history could not be read or saved")


class HistoryService(QObject):
    """Signals: ``conversationsChanged(list[ConversationInfo])`` after ``refresh()``, newest first;
    ``problem(str)`` for a failed call that has no ``on_error``."""

    conversationsChanged = Signal(list)
    problem = Signal(str)
    _result = Signal(object, object)

    def __init__(self, store: Any, parent: QObject | None = None):
        super().__init__(parent)
        self.store = store
        self._q: queue.Queue = queue.Queue()
        self._result.connect(self._deliver, Qt.ConnectionType.QueuedConnection)
        self._refreshing = False  # a list read is queued or running
        self._again = False  # refresh() was called since it was queued
        self._in_flight = 0  # calls queued or running, or whose result has not been delivered yet
        self._lock = threading.Lock()
        self._closed = False
        self.list_runs = 0  # how many times refresh() read the list (tests, the bench)
        self._thread = threading.Thread(target=self._run, name="sensorium-history", daemon=True)
        self._thread.start()

    def call(self, fn: Callable[[Any], Any], on_done: Callable[[Any], None] | None = None,
             on_error: Callable[[str], None] | None = None, *, what: str = CALL_FAILED) -> None:
        """Run ``fn(store)`` on the worker; ``what`` says what failed in the ``problem`` line."""
        if self._closed:
            log.warning("history call after shutdown refused: %s", what)
            if on_error is not None:
                on_error(translate("HistoryService", "the history is closed; start Sensorium again"))
            return
        with self._lock:
            self._in_flight += 1
        self._q.put((fn, on_done, on_error, what))

    @property
    def busy(self) -> bool:
        """Calls are queued or running, or a result is on its way to the GUI thread."""
        return self._in_flight > 0

    # ---- the conversation list ----------------------------------------------------------------
    def refresh(self) -> None:
        if self._refreshing:
            self._again = True
            return
        self._refreshing = True
        self.call(self._list, self._refreshed, self._refresh_failed)

    def _list(self, store: Any) -> list:
        self.list_runs += 1
        return store.list_conversations()

    def _refreshed(self, convs: list) -> None:
        if not self._refresh_again():  # else a newer list is on its way: this one is already old
            self.conversationsChanged.emit(convs)

    def _refresh_failed(self, message: str) -> None:
        if not self._refresh_again():
            self.problem.emit(translate("HistoryService", "the history could not be read ({problem})")
                              .format(problem=message))

    def _refresh_again(self) -> bool:
        self._refreshing = False
        if self._again and not self._closed:
            self._again = False
            self.refresh()
            return True
        return False

    def shutdown(self, timeout: float = 10.0) -> bool:
        """Finish the queued calls and end the worker; False if it did not end within ``timeout`` s."""
        self._closed = True
        self._q.put(None)
        self._thread.join(timeout)
        return not self._thread.is_alive()

    # ---- the worker, and results back on the GUI thread ------------------------------------------
    def _run(self) -> None:
        while True:
            job = self._q.get()
            if job is None:
                return
            fn, on_done, on_error, what = job
            if getattr(self.store, "closed", False):  # after the app closed the store (or with none): nothing to do
                self._done()
                continue
            try:
                result = fn(self.store)
            except Exception as e:
                if getattr(self.store, "closed", False):  # the app closed the store while this ran: nothing to say
                    self._done()
                    continue
                log.warning("history call failed (%s): %s", what, e, exc_info=True)
                reason = " ".join(render(error_text(e), one_line(e)).split())
                if on_error is not None:
                    self._emit(on_error, reason)
                else:
                    self._emit(self.problem.emit, translate("HistoryService", "{what} ({problem})").format(
                        what=translate("HistoryService", what), problem=reason))
            else:
                self._emit(on_done, result)

    def _emit(self, fn: Callable[[Any], None] | None, value: Any) -> None:
        try:
            self._result.emit(fn, value)
        except RuntimeError:  # the service is gone (window closed)
            self._done()

    def _deliver(self, fn: Callable[[Any], None] | None, value: Any) -> None:
        self._done()
        if fn is None:
            return
        try:
            fn(value)
        except Exception:  # a handler's bug must not stop the results behind it
            log.exception("history result handler failed")

    def _done(self) -> None:
        with self._lock:
            self._in_flight -= 1
