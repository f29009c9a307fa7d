"""The one turn runner: turns never overlap, wait in order or interrupt explicitly, share a chat's
conversation, and are all cancelled and joined at shutdown (before the history store closes)."""
from __future__ import annotations

import threading
import time

from pipelines.events import Cancelled, Done, Started, Token, Turn
from pipelines.history import HistoryStore
from pipelines.settings import Settings
from pipelines.turns import ChatRef, TurnQueued, TurnRunner
from tests.fakes.engine import FakeEngine


class Seen:
    def __init__(self):
        self.events: list[tuple[int, object]] = []
        self.lock = threading.Lock()
        self.finished: list[int] = []

    def __call__(self, rid, ev):
        with self.lock:
            self.events.append((rid, ev))

    def of(self, rid, kind=object):
        with self.lock:
            return [e for r, e in self.events if r == rid and isinstance(e, kind)]

    def wait_for(self, rid, kind, timeout=10.0):
        deadline = time.monotonic() + timeout
        while not self.of(rid, kind):
            assert time.monotonic() < deadline, f"no {kind.__name__} for turn {rid}"
            time.sleep(0.01)


def _engine(tmp_path, token_delay=0.01):
    store = HistoryStore(tmp_path / "h.sqlite3", tmp_path / "att")
    return FakeEngine(Settings(), None, store, token_delay=token_delay), store


def test_turns_run_one_at_a_time_in_order_and_share_the_chat(tmp_path):
    engine, store = _engine(tmp_path)
    seen = Seen()
    runner = TurnRunner(engine, on_event=seen, on_finished=seen.finished.append)
    chat = ChatRef()
    ids = [runner.submit(Turn(text=f"message {i}"), chat=chat) for i in range(3)]
    # all three were accepted before the first one created the conversation
    assert [seen.of(r, TurnQueued)[0].position for r in ids] == [0, 1, 2]
    assert runner.wait_idle(20)
    assert seen.finished == ids
    order = [r for r, e in seen.events if isinstance(e, (Started, Done))]
    assert order == [ids[0], ids[0], ids[1], ids[1], ids[2], ids[2]]  # never interleaved
    convs = store.list_conversations()
    assert len(convs) == 1 and chat.id == convs[0].id
    assert [m.text for m in store.messages(chat.id) if m.role == "user"] == ["message 0", "message 1", "message 2"]
    runner.shutdown()
    store.close()


def test_interrupt_cancels_the_running_turn_and_runs_next(tmp_path):
    engine, store = _engine(tmp_path, token_delay=0.05)
    seen = Seen()
    runner = TurnRunner(engine, on_event=seen)
    first = runner.submit(Turn(text="a long story"))
    waiting = runner.submit(Turn(text="queued behind"))
    seen.wait_for(first, Token)
    urgent = runner.submit(Turn(text="stop, this instead"), interrupt=True)
    assert seen.of(urgent, TurnQueued)[0].position == 0
    assert runner.wait_idle(20)
    assert seen.of(first, Cancelled) and seen.of(urgent, Done) and seen.of(waiting, Done)
    done_order = [r for r, e in seen.events if isinstance(e, (Done, Cancelled))]
    assert done_order == [first, urgent, waiting]
    runner.shutdown()
    store.close()


def test_cancel_one_waiting_turn_and_shutdown_joins(tmp_path):
    engine, store = _engine(tmp_path, token_delay=0.05)
    seen = Seen()
    runner = TurnRunner(engine, on_event=seen)
    running = runner.submit(Turn(text="one"))
    dropped = runner.submit(Turn(text="two"))
    assert runner.cancel(dropped) and dropped in runner.waiting  # it still waits, cancelled
    seen.wait_for(running, Token)
    assert runner.shutdown(timeout=20)  # cancels the running turn and joins the worker
    assert seen.of(running, Cancelled) and seen.of(dropped, Cancelled) == [Cancelled("")]
    assert [c.text for c in engine.calls] == ["one"]  # the cancelled waiting turn never reached the engine
    late = runner.submit(Turn(text="after shutdown"))  # accepted, and cancelled at once
    assert runner.wait_idle(10) and seen.of(late, Cancelled) and len(engine.calls) == 1
    store.close()  # nothing is still writing


def test_a_gated_turn_starts_when_its_gate_opens(tmp_path):
    engine, store = _engine(tmp_path)
    seen = Seen()
    runner = TurnRunner(engine, on_event=seen)
    gate = threading.Event()
    rid = runner.submit(Turn(text="after the window drew it"), gate=gate)
    time.sleep(0.2)
    assert engine.calls == [] and runner.running == rid  # taken, waiting for the go-ahead
    gate.set()
    seen.wait_for(rid, Done)
    never = runner.submit(Turn(text="a gate nobody opens"), gate=threading.Event())
    seen.wait_for(never, Done)  # starts anyway after GATE_S
    runner.shutdown()
    store.close()
