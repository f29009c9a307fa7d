"""The one turn runner: every turn (typed, spoken, regenerate, describe, draw) runs here, one at a
time, on one worker thread, in the order it was accepted.

A turn either waits in the queue (``submit``) or explicitly interrupts the running one
(``submit(..., interrupt=True)``: the running turn is cancelled through its CancelToken and the new
one goes to the front of the queue). Two turns never overlap, so the events of one turn all come
before the next one's.

The conversation a turn goes to is a ``ChatRef`` shared by every turn sent in one chat: the window
owns it and passes it with each turn. A new chat's ref has no id until its first turn creates the
conversation; the runner writes the id back, so the next turn of that chat (typed or spoken, even
one queued before the first had started) lands in the same conversation.

Without Qt: the desktop Controller wraps one runner and hands its events to the GUI thread; the
command line and the benchmarks' voice loop use one directly.
"""
from __future__ import annotations

import itertools
import logging
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from .cancel import CancelToken
from .errors import Text
from .events import Cancelled, Done, Event, Failed, Started, Turn

__all__ = ["ChatRef", "TurnRunner", "TurnQueued", "TurnListener"]

log = logging.getLogger(__name__)

#: The longest a turn waits for its ``gate`` (the window's go-ahead) before it starts anyway.
GATE_S = 0.5

#: Called with each event of one turn, on the runner's thread, before the runner-wide ``on_event``.
TurnListener = Callable[[Event], None]


class ChatRef:
    """The conversation that turns sent in one chat go to (``id`` None until the first one creates it)."""

    __slots__ = ("id",)

    def __init__(self, cid: int | None = None):
        self.id = cid

    def __repr__(self) -> str:
        return f"ChatRef({self.id!r})"


@dataclass(frozen=True)
class TurnQueued(Event):
    """A turn was accepted (emitted by ``submit``, before any of its own events). ``source`` says who
    sent it (typed, voice, regenerate...); ``position`` is its place in the queue, 0 = runs next."""

    request_id: int
    turn: Turn
    source: str
    position: int
    chat: ChatRef | None = None


class _Job:
    __slots__ = ("rid", "turn", "chat", "token", "listener", "on_start", "source", "gate")

    def __init__(self, rid: int, turn: Turn, chat: ChatRef | None, listener: TurnListener | None,
                 on_start: Callable[[int, CancelToken], None] | None, source: str, gate: threading.Event | None):
        self.rid, self.turn, self.chat, self.listener = rid, turn, chat, listener
        self.on_start, self.source, self.gate = on_start, source, gate
        self.token = CancelToken()


class TurnRunner:
    """Runs ``engine.respond`` for each accepted turn, one at a time.

    ``on_event(request_id, event)`` sees every event of every turn (TurnQueued first, then the
    engine's events up to Done/Cancelled/Failed) on the thread that produced it; ``on_finished(rid)``
    follows a turn's last event; ``on_queue(ids)`` reports the waiting turns whenever they change.
    ``TurnQueued`` and ``on_queue`` are called with the runner's lock held (so that they keep their
    order): those callbacks must only hand the event on, never wait or call back into the runner.
    """

    def __init__(self, engine: Any, *, on_event: Callable[[int, Event], None] | None = None,
                 on_finished: Callable[[int], None] | None = None,
                 on_queue: Callable[[list[int]], None] | None = None, name: str = "sensorium-turns"):
        self.engine = engine
        self.on_event, self.on_finished, self.on_queue = on_event, on_finished, on_queue
        self.name = name
        self._ids = itertools.count(1)
        self._cond = threading.Condition()
        self._queue: deque[_Job] = deque()
        self._running: _Job | None = None
        self._thread: threading.Thread | None = None
        self._closed = False

    # ---- accepting turns -----------------------------------------------------------------
    def submit(self, turn: Turn, *, chat: ChatRef | None = None, interrupt: bool = False,
               listener: TurnListener | None = None, on_start: Callable[[int, CancelToken], None] | None = None,
               source: str = "typed", gate: threading.Event | None = None) -> int:
        """Accept a turn; returns its request id. With ``interrupt`` the running turn is cancelled and
        this one runs next; otherwise it waits behind the queue. ``on_start(request_id, token)`` is
        called on the runner's thread just before the engine starts on it. With ``gate`` the turn
        starts only once it is set (at most ``GATE_S`` later): the window lets its own work for the
        new turn (its bubbles, their layout) finish before the worker competes for the interpreter.
        A turn accepted after ``shutdown`` is cancelled at once (its Cancelled event still arrives)."""
        with self._cond:
            rid = next(self._ids)
            job = _Job(rid, turn, chat, listener, on_start, source, gate)
            if self._closed:
                job.token.cancel()
            position = 0 if interrupt else len(self._queue) + (self._running is not None)
            # emitted before the job is visible to the worker: it comes before the turn's own events
            self._emit(job, TurnQueued(rid, turn, source, position, chat), to_listener=False)
            if interrupt:
                if self._running is not None:
                    self._running.token.cancel()
                self._queue.appendleft(job)
            else:
                self._queue.append(job)
            self._ensure_thread()
            self._cond.notify_all()
            self._report_queue()
        return rid

    def _jobs(self) -> list[_Job]:  # holding the lock
        """The running turn (if any), then the waiting ones."""
        return ([self._running] if self._running is not None else []) + list(self._queue)

    def cancel(self, rid: int | None = None) -> bool:
        """Cancel one turn (running or waiting), or all of them. True if something was cancelled."""
        with self._cond:
            hit = False
            for job in self._jobs():
                if (rid is None or job.rid == rid) and not job.token.cancelled:
                    job.token.cancel()
                    hit = True
            return hit

    def token(self, rid: int) -> CancelToken | None:
        """The CancelToken of a running or waiting turn (None once it finished)."""
        with self._cond:
            for job in self._jobs():
                if job.rid == rid:
                    return job.token
        return None

    # ---- state -----------------------------------------------------------------------------
    @property
    def running(self) -> int | None:
        job = self._running
        return job.rid if job is not None else None

    @property
    def waiting(self) -> list[int]:
        with self._cond:
            return [j.rid for j in self._queue]

    @property
    def busy(self) -> bool:
        with self._cond:
            return self._running is not None or bool(self._queue)

    def has(self, rid: int) -> bool:
        """The turn is running or waiting."""
        return self.token(rid) is not None

    def wait_idle(self, timeout: float = 30.0) -> bool:
        """Wait until no turn runs or waits (scripts and exit). True if idle."""
        with self._cond:
            return self._cond.wait_for(lambda: self._running is None and not self._queue, timeout)

    def shutdown(self, timeout: float = 15.0) -> bool:
        """Cancel every turn and join the worker (up to ``timeout`` s): cancelled turns still store
        what they finished before this returns. True if the worker ended."""
        with self._cond:
            self._closed = True
            for job in self._jobs():
                job.token.cancel()
            self._cond.notify_all()
            thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout)
            return not thread.is_alive()
        return True

    # ---- the worker ------------------------------------------------------------------------
    def _ensure_thread(self) -> None:  # holding the lock
        if self._thread is None or not self._thread.is_alive():
            self._thread = threading.Thread(target=self._run, name=self.name, daemon=True)
            self._thread.start()

    def _run(self) -> None:
        while True:
            with self._cond:
                while not self._queue and not self._closed:
                    self._cond.wait()
                if not self._queue:  # closed and drained
                    return
                job = self._queue.popleft()
                self._running = job
                self._report_queue()
            try:
                self._run_job(job)
            finally:
                with self._cond:
                    self._running = None
                    self._cond.notify_all()
                if self.on_finished is not None:
                    try:
                        self.on_finished(job.rid)
                    except Exception:
                        log.exception("turn finished callback failed")

    def _run_job(self, job: _Job) -> None:
        if job.token.cancelled:  # cancelled while it waited
            self._emit(job, Cancelled(""))
            return
        if job.gate is not None:
            job.gate.wait(GATE_S)
        turn = job.turn
        if job.chat is not None and turn.conversation_id is None and job.chat.id is not None:
            turn = replace(turn, conversation_id=job.chat.id)
        if job.on_start is not None:
            try:
                job.on_start(job.rid, job.token)
            except Exception:
                log.exception("turn start callback failed")
        ended = False
        try:
            for ev in self.engine.respond(turn, job.token):
                if isinstance(ev, (Started, Done)) and job.chat is not None and job.chat.id is None \
                        and ev.conversation_id is not None:
                    job.chat.id = ev.conversation_id
                ended = ended or isinstance(ev, (Done, Cancelled, Failed))
                self._emit(job, ev)
        except Exception as e:  # the engine turns errors into events; this is the last guard
            log.exception("turn failed")
            if not ended:
                self._emit(job, Failed.from_text(Text.of("turn.runner_failed", "the turn failed ({kind}: {error})",
                                                         kind=type(e).__name__, error=e)))

    def _emit(self, job: _Job, ev: Event, *, to_listener: bool = True) -> None:
        if to_listener and job.listener is not None:
            try:
                job.listener(ev)
            except Exception:
                log.exception("turn listener failed on %s", type(ev).__name__)
        if self.on_event is not None:
            try:
                self.on_event(job.rid, ev)
            except Exception:
                log.exception("turn event callback failed on %s", type(ev).__name__)

    def _report_queue(self) -> None:  # holding the lock: reports keep their order
        if self.on_queue is not None:
            try:
                self.on_queue([j.rid for j in self._queue])
            except Exception:
                log.exception("queue callback failed")
