"""One SQLite file shared by threads: a connection per thread, one writer at a time.

``ConnectionPool(path, closed=..., pragmas=..., row_factory=None)`` opens each thread's connection on
first use (autocommit, ``check_same_thread=False``, WAL, foreign keys, NORMAL sync, a 30 s busy
timeout, then the caller's own pragmas), closes the connections of threads that have ended when a
new one is opened (worker threads come and go), runs ``write`` in one ``BEGIN IMMEDIATE``
transaction under a re-entrant lock, and ``close`` checkpoints the WAL and closes every connection.
The history store and the document index are its users.
"""
from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

__all__ = ["ConnectionPool"]


class ConnectionPool:
    def __init__(self, path: str | Path, *, closed: Callable[[], BaseException], pragmas: Sequence[str] = (),
                 row_factory: Any = None):
        self.path = Path(path)
        self._closed_error = closed  # what using a closed pool raises
        self._pragmas = tuple(pragmas)
        self._row_factory = row_factory
        self._local = threading.local()
        self._connections: list[tuple[threading.Thread, sqlite3.Connection]] = []
        self._conn_lock = threading.Lock()
        #: held by ``write`` and ``close``; a caller holds it for work outside one transaction (VACUUM)
        self.write_lock = threading.RLock()
        self.closed = False

    def conn(self) -> sqlite3.Connection:
        """This thread's connection."""
        if self.closed:
            raise self._closed_error()
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, timeout=30.0, isolation_level=None, check_same_thread=False)
            if self._row_factory is not None:
                conn.row_factory = self._row_factory
            for pragma in ("journal_mode = WAL", "foreign_keys = ON", "synchronous = NORMAL",
                           "busy_timeout = 30000", *self._pragmas):
                conn.execute(f"PRAGMA {pragma}")
            self._local.conn = conn
            with self._conn_lock:
                alive = []
                for thread, other in self._connections:
                    if thread.is_alive():
                        alive.append((thread, other))
                    else:
                        _close(other)
                self._connections = alive + [(threading.current_thread(), conn)]
        return conn

    def write(self, fn: Callable[[sqlite3.Connection], Any],
              then: Callable[[sqlite3.Connection], Any] | None = None) -> Any:
        """Run ``fn`` (and ``then``, in the same transaction) in one immediate transaction, committed
        before returning ``fn``'s result; anything raised rolls it back."""
        conn = self.conn()
        with self.write_lock:
            conn.execute("BEGIN IMMEDIATE")
            try:
                result = fn(conn)
                if then is not None:
                    then(conn)
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")
            return result

    def close(self) -> None:
        """Checkpoint the WAL and close every thread's connection. Safe to call twice."""
        if self.closed:
            return
        with self.write_lock:
            try:
                self.conn().execute("PRAGMA wal_checkpoint(TRUNCATE)")
            except sqlite3.Error:
                pass
            self.closed = True
            with self._conn_lock:
                for _thread, conn in self._connections:
                    _close(conn)
                self._connections.clear()
        self._local = threading.local()

    def close_unopened(self) -> None:
        """Mark the pool closed without opening a connection (the file is left untouched)."""
        self.closed = True


def _close(conn: sqlite3.Connection) -> None:
    try:
        conn.close()
    except sqlite3.Error:
        pass
