"""HistoryService: the history store's calls on one worker thread, results on the GUI thread (a real
HistoryStore in tmp_path)."""
from __future__ import annotations

import sqlite3
import threading

import pytest
from PySide6.QtCore import QThread

from desktop.history_service import HistoryService
from pipelines.history import HistoryStore


@pytest.fixture
def store(tmp_path):
    s = HistoryStore(tmp_path / "history.sqlite3", tmp_path / "attachments")
    yield s
    s.close()


@pytest.fixture
def service(qapp, store):
    svc = HistoryService(store)
    yield svc
    svc.shutdown(5.0)


def _gate(svc: HistoryService) -> threading.Event:
    """Block the worker until the returned event is set (the calls made after it queue up)."""
    gate, running = threading.Event(), threading.Event()
    svc.call(lambda _s: (running.set(), gate.wait(10)))
    assert running.wait(5)
    return gate


def test_calls_run_off_the_gui_thread_in_order_and_results_come_back_on_it(qtbot, qapp, service, store):
    gui = qapp.thread()
    workers, results = [], []

    def create(i):
        def run(s):
            workers.append((QThread.currentThread(), threading.get_ident()))
            return i, s.create_conversation(f"chat {i}")
        return run

    for i in range(6):
        service.call(create(i), lambda r: results.append((r, QThread.currentThread() is gui)))
    qtbot.waitUntil(lambda: len(results) == 6, timeout=5000)
    assert [r[0][0] for r in results] == list(range(6))  # in the order they were made
    assert all(on_gui for _r, on_gui in results)
    assert all(t is not gui for t, _ident in workers)
    assert len({ident for _t, ident in workers}) == 1  # one worker thread (one SQLite connection)
    assert threading.get_ident() not in {ident for _t, ident in workers}
    assert [c.title for c in store.list_conversations()] == [f"chat {i}" for i in reversed(range(6))]
    assert not service.busy


def test_refreshes_coalesce_and_the_latest_list_wins(qtbot, service, store):
    store.create_conversation("before")
    lists = []
    service.conversationsChanged.connect(lambda convs: lists.append([c.title for c in convs]))
    gate = _gate(service)
    service.refresh()  # queued behind the blocked call
    service.call(lambda s: s.create_conversation("written meanwhile"))
    for _ in range(9):
        service.refresh()
    gate.set()
    qtbot.waitUntil(lambda: not service.busy, timeout=5000)
    assert service.list_runs == 2  # ten requests, one run queued and at most one more
    assert lists == [["written meanwhile", "before"]]  # the stale first list was not shown


def test_a_failed_call_reports_one_line_and_the_service_keeps_working(qtbot, service, store):
    cid = store.create_conversation("kept")
    problems, errors, opened = [], [], []
    service.problem.connect(problems.append)
    service.call(lambda s: s.rename_conversation(999_999, "nobody"), what="the conversation could not be renamed")
    service.call(lambda s: s.rate(123_456, 1), on_error=errors.append)
    service.call(lambda s: s.messages(cid), opened.append)
    qtbot.waitUntil(lambda: bool(opened) and not service.busy, timeout=5000)
    assert problems == ["the conversation could not be renamed (Conversation 999999 does not exist; refresh the "
                        "conversation list.)"]  # no on_error: the problem signal says what failed
    assert errors == ["Message 123456 does not exist; it may have been deleted."]  # on_error: the reason
    assert opened == [[]]


def _rename_table(db, old: str, new: str) -> None:
    """What another program damaging the file does (its own connection)."""
    other = sqlite3.connect(db)
    try:
        other.execute(f"ALTER TABLE {old} RENAME TO {new}")
        other.commit()
    finally:
        other.close()


def test_a_failed_refresh_is_one_line_and_the_next_one_works(qtbot, service, store):
    store.create_conversation("kept")
    problems, lists = [], []
    service.problem.connect(problems.append)
    service.conversationsChanged.connect(lambda convs: lists.append([c.title for c in convs]))
    _rename_table(store.db_path, "conversations", "elsewhere")
    service.refresh()
    qtbot.waitUntil(lambda: not service.busy, timeout=5000)
    assert problems == ["the history could not be read (no such table: conversations)"] and lists == []
    _rename_table(store.db_path, "elsewhere", "conversations")
    service.refresh()
    qtbot.waitUntil(lambda: not service.busy, timeout=5000)
    assert lists == [["kept"]] and len(problems) == 1


def test_a_refresh_asked_for_while_one_fails_still_runs(qtbot, service, store):
    store.create_conversation("kept")
    problems, lists = [], []
    service.problem.connect(problems.append)
    service.conversationsChanged.connect(lambda convs: lists.append([c.title for c in convs]))
    gate = _gate(service)
    service.call(lambda s: _rename_table(s.db_path, "conversations", "elsewhere"))
    service.refresh()  # fails: the table is gone when it runs
    service.call(lambda s: _rename_table(s.db_path, "elsewhere", "conversations"))
    service.refresh()  # asked for meanwhile: runs after the failed one, on the repaired file
    gate.set()
    qtbot.waitUntil(lambda: not service.busy, timeout=5000)
    assert service.list_runs == 2 and lists == [["kept"]]
    assert problems == []  # the failure was superseded by the list that followed it


def test_a_call_that_reaches_a_closed_store_is_skipped(qtbot, service, store):
    done = []
    gate = _gate(service)
    service.call(lambda s: s.create_conversation("never"), done.append)
    store.close()  # the app closed the store while the call waited
    gate.set()
    qtbot.waitUntil(lambda: not service.busy, timeout=5000)
    assert done == []


def test_shutdown_drains_the_queue_then_refuses_calls(qtbot, store, qapp):
    svc = HistoryService(store)
    gate = _gate(svc)
    for i in range(20):
        svc.call(lambda s, i=i: s.create_conversation(f"queued {i}"))
    threading.Timer(0.2, gate.set).start()
    assert svc.shutdown(10.0) and not svc._thread.is_alive()
    assert len(store.list_conversations()) == 20  # every queued write ran before shutdown returned
    errors = []
    svc.call(lambda s: s.create_conversation("too late"), on_error=errors.append)
    assert errors == ["the history is closed; start Sensorium again"]
    assert len(store.list_conversations()) == 20
