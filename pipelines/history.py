"""The conversation history: SQLite (WAL), full-text search, exports, ratings.

One file, ``history.sqlite3`` (``Profile.history_db``), and a folder of copied attachments
(``Profile.attachments_dir``/<conversation id>/). Every write is committed at once, so a crash
loses nothing that was shown: a reply being streamed is saved as ``status='streaming'`` and its
partial text is updated as it grows; on the next open such messages become ``'interrupted'``.

Threads: each thread gets its own connection (WAL lets the GUI read while a worker writes);
writes are serialised by a lock. ``close()`` closes every connection.

Search: an FTS5 table with the ``unicode61`` tokenizer for words, and a ``trigram`` FTS5 table
for Chinese (no spaces between words): CJK terms of three or more characters use the trigram
index, shorter ones a ``LIKE`` scan. Both are external-content tables kept in sync by triggers;
messages still streaming are indexed when they finish. User text is never FTS syntax: every
term is quoted.

Preference export (``export_preferences_jsonl``), one JSON object per line, for preference
tuning with e.g. TRL:

* ``{"prompt": str, "chosen": str, "rejected": str}`` when one user message has both a reply
  rated +1 and a reply rated -1 (a pair, for DPO-style training), else
* ``{"prompt": str, "completion": str, "label": true|false}`` for each rated reply (unpaired,
  KTO-style; ``label`` is true for +1).

``prompt`` is the text of the user message the reply answers. Only finished (``complete``)
assistant replies in conversations that are not deleted are exported.

Schema versions: ``PRAGMA user_version`` is the schema version of the file and ``MIGRATIONS``
the ordered steps, the one with ``version=N`` taking a file from N-1 to N (version 1 is the
first schema; a new file runs every step from 0). Opening a store applies the steps the file
lacks, each in one ``BEGIN IMMEDIATE`` transaction that also sets ``user_version``, so a step
happens completely or not at all; a step that fails is rolled back and the file stays usable at
the version before it. To change the schema, append one entry and touch nothing else::

    _V3 = "ALTER TABLE messages ADD COLUMN heard_text TEXT; CREATE INDEX ...;"
    MIGRATIONS = (..., Migration(3, "what it adds, in a few words", _V3))

A step is a SQL script (statements separated by ``;``) or a function ``f(conn)`` that runs
statements with ``conn.execute`` (no ``executescript``, no ``COMMIT``: the store owns the
transaction). Foreign keys are off while steps run, so a table can be rebuilt the way
https://www.sqlite.org/lang_altertable.html#otheralter describes; ``PRAGMA foreign_key_check``
must pass before the step commits. Never edit a step that has shipped, and extend the upgrade
test that opens ``tests/data/history-v1.sqlite3`` (written by the schema-1 code, see
``tests/data/make_history_v1.py``).

Backups: before upgrading a file that holds data, the store copies it with SQLite's online
backup API (the WAL's content included) to ``history.sqlite3.v<old version>-<YYYYmmdd-HHMMSS>.bak``
beside it (``HistoryStore.backup_path``). To go back to it: quit Sensorium, delete (or move
away) ``history.sqlite3`` and any ``history.sqlite3-wal``/``-shm`` beside it, rename the
``.bak`` file to ``history.sqlite3`` and start the older Sensorium. A file written by a newer
Sensorium (``user_version`` above ``SCHEMA_VERSION``) is refused with ``NewerFileFormat`` and
not touched.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import BadInput, NewerFileFormat, SensoriumError
from .events import MemoryItem, Sentiment
from .sqlite_pool import ConnectionPool

if TYPE_CHECKING:  # pragma: no cover
    from .router import Correction

__all__ = [
    "HistoryStore",
    "ConversationInfo",
    "Message",
    "RatedReply",
    "SearchHit",
    "Migration",
    "MIGRATIONS",
    "ROLES",
    "STATUSES",
    "SCHEMA_VERSION",
]

ROLES = ("user", "assistant", "system")
STATUSES = ("complete", "streaming", "cancelled", "interrupted", "failed")


@dataclass(frozen=True)
class Migration:
    """One schema step: takes a file from ``version - 1`` to ``version`` (see the module docstring)."""

    version: int
    summary: str
    apply: str | Callable[[sqlite3.Connection], None]  # a SQL script, or a function of the connection


# Schema 1, exactly as the first release created it (files written then are version 1).
_V1 = """
CREATE TABLE IF NOT EXISTS conversations (
    id          INTEGER PRIMARY KEY,
    title       TEXT NOT NULL DEFAULT '',
    created     REAL NOT NULL,
    updated     REAL NOT NULL,
    deleted_at  REAL
);
CREATE TABLE IF NOT EXISTS messages (
    id                INTEGER PRIMARY KEY,
    conversation_id   INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    role              TEXT NOT NULL CHECK (role IN ('user', 'assistant', 'system')),
    text              TEXT NOT NULL DEFAULT '',
    created           REAL NOT NULL,
    updated           REAL NOT NULL,
    status            TEXT NOT NULL DEFAULT 'complete'
                      CHECK (status IN ('complete', 'streaming', 'cancelled', 'interrupted', 'failed')),
    intent            TEXT,
    intent_reason     TEXT NOT NULL DEFAULT '',
    intent_confidence REAL,
    sentiment_score   REAL,
    sentiment_label   TEXT,
    sentiment_method  TEXT,
    timings           TEXT,
    models            TEXT,
    meta              TEXT,
    rating            INTEGER NOT NULL DEFAULT 0 CHECK (rating IN (-1, 0, 1)),
    rating_comment    TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS messages_by_conversation ON messages(conversation_id, id);
CREATE TABLE IF NOT EXISTS attachments (
    id          INTEGER PRIMARY KEY,
    message_id  INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    path        TEXT NOT NULL,
    original    TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS attachments_by_message ON attachments(message_id, position);

CREATE VIRTUAL TABLE IF NOT EXISTS messages_fts USING fts5(
    text, content='messages', content_rowid='id', tokenize='unicode61 remove_diacritics 2');
CREATE VIRTUAL TABLE IF NOT EXISTS messages_tri USING fts5(
    text, content='messages', content_rowid='id', tokenize='trigram');

CREATE TRIGGER IF NOT EXISTS messages_ai AFTER INSERT ON messages WHEN new.status != 'streaming' BEGIN
    INSERT INTO messages_fts(rowid, text) VALUES (new.id, new.text);
    INSERT INTO messages_tri(rowid, text) VALUES (new.id, new.text);
END;
CREATE TRIGGER IF NOT EXISTS messages_ad AFTER DELETE ON messages WHEN old.status != 'streaming' BEGIN
    INSERT INTO messages_fts(messages_fts, rowid, text) VALUES ('delete', old.id, old.text);
    INSERT INTO messages_tri(messages_tri, rowid, text) VALUES ('delete', old.id, old.text);
END;
CREATE TRIGGER IF NOT EXISTS messages_au AFTER UPDATE OF text, status ON messages BEGIN
    INSERT INTO messages_fts(messages_fts, rowid, text) SELECT 'delete', old.id, old.text WHERE old.status != 'streaming';
    INSERT INTO messages_tri(messages_tri, rowid, text) SELECT 'delete', old.id, old.text WHERE old.status != 'streaming';
    INSERT INTO messages_fts(rowid, text) SELECT new.id, new.text WHERE new.status != 'streaming';
    INSERT INTO messages_tri(rowid, text) SELECT new.id, new.text WHERE new.status != 'streaming';
END;
"""

# Schema 2: the message a message follows, for branches (an edited question, a regenerated reply
# kept beside the old one). NULL, as in every message written before, means the message before
# it in the conversation. Deleting a message deletes the branch that grows from it.
_V2 = """
ALTER TABLE messages ADD COLUMN parent_id INTEGER REFERENCES messages(id) ON DELETE CASCADE;
CREATE INDEX messages_by_parent ON messages(parent_id);
"""

# Schema 3: the user's corrections of how a request was understood ("not what I meant", or the
# reading picked when the router asked), which the intent classifier learns from. They outlive the
# conversation they came from (message_id becomes NULL), and "delete all data" removes them.
_V3 = """
CREATE TABLE intent_corrections (
    id          INTEGER PRIMARY KEY,
    text        TEXT NOT NULL,
    intent      TEXT NOT NULL,
    has_image   INTEGER NOT NULL DEFAULT 0,
    has_audio   INTEGER NOT NULL DEFAULT 0,
    message_id  INTEGER REFERENCES messages(id) ON DELETE SET NULL,
    created     REAL NOT NULL
);
"""

# Schema 4: what the user asked Sensorium to remember about them (pipelines.knowledge.memory). A
# memory outlives the message it was stated in (source_message_id becomes NULL); "delete all
# data" removes them.
_V4 = """
CREATE TABLE memories (
    id                INTEGER PRIMARY KEY,
    text              TEXT NOT NULL,
    kind              TEXT NOT NULL DEFAULT 'fact',
    value             TEXT NOT NULL DEFAULT '',
    created           REAL NOT NULL,
    updated           REAL NOT NULL,
    source_message_id INTEGER REFERENCES messages(id) ON DELETE SET NULL
);
"""

MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "conversations, messages, attachments and their full-text indexes", _V1),
    Migration(2, "messages.parent_id, the message a branch grows from", _V2),
    Migration(3, "intent_corrections, what the user said a request meant", _V3),
    Migration(4, "memories, what the user asked Sensorium to remember", _V4),
)
SCHEMA_VERSION = MIGRATIONS[-1].version


@dataclass(frozen=True)
class ConversationInfo:
    id: int
    title: str
    created: float  # unix time, seconds
    updated: float
    message_count: int
    deleted_at: float | None = None


@dataclass(frozen=True)
class Message:
    id: int
    conversation_id: int
    role: str
    text: str
    created: float
    status: str = "complete"
    intent: str | None = None
    intent_reason: str = ""
    intent_confidence: float | None = None
    sentiment: Sentiment | None = None
    timings: dict[str, float] = field(default_factory=dict)
    models: dict[str, str] = field(default_factory=dict)
    attachments: list[str] = field(default_factory=list)  # stored copies, absolute paths
    meta: dict[str, Any] = field(default_factory=dict)
    rating: int = 0  # 1, -1 or 0
    rating_comment: str = ""
    parent_id: int | None = None  # the message this one follows; None: the one before it


@dataclass(frozen=True)
class RatedReply:
    """A rated reply and the user message it answers (``rating`` is 1 or -1)."""

    id: int
    prompt_id: int
    prompt: str
    text: str
    rating: int


@dataclass(frozen=True)
class SearchHit:
    conversation_id: int
    conversation_title: str
    message_id: int
    role: str
    text: str
    snippet: str


_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]")
_FIELDS = ("intent", "intent_reason", "intent_confidence", "sentiment", "timings", "models", "meta")


def _json(value: Any) -> str | None:
    if value is None:
        return None
    try:
        return json.dumps(value, ensure_ascii=False, default=str)
    except (TypeError, ValueError) as e:
        raise BadInput("Cannot store message details as JSON ({error}); pass plain numbers, strings, lists and dicts.",
                       code="history.details_not_json", error=e) from e


def _unjson(text: str | None) -> dict:
    if not text:
        return {}
    try:
        value = json.loads(text)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {"value": value}


def _like_escape(term: str) -> str:
    return term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _statements(script: str) -> list[str]:
    """The statements of a SQL script, each complete (a trigger body keeps its inner ``;``)."""
    out: list[str] = []
    buf = ""
    for piece in script.split(";"):
        buf += piece + ";"
        if sqlite3.complete_statement(buf):
            if buf.strip(" \t\r\n;"):
                out.append(buf.strip())
            buf = ""
    if buf[:-1].strip():
        raise ValueError(f"incomplete SQL statement in a migration: {buf[:-1].strip()[:80]!r}")
    return out


def _user_version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def _holds_data(conn: sqlite3.Connection) -> bool:
    """Whether any ordinary table has a row (full-text shadow tables do not count)."""
    tables = [r[1] for r in conn.execute("PRAGMA main.table_list")
              if r[2] == "table" and not r[1].startswith("sqlite_")]
    return any(conn.execute(f'SELECT EXISTS (SELECT 1 FROM "{t}")').fetchone()[0] for t in tables)


def _link_or_copy(src: Path, folder: Path) -> str:
    """A copy of an attachment in ``folder`` (a hard link where the file system allows); a file that
    is gone stays referenced as it was."""
    if not src.is_file():
        return str(src)
    folder.mkdir(parents=True, exist_ok=True)
    dest = folder / f"{uuid.uuid4().hex[:12]}-{src.name.split('-', 1)[-1]}"
    try:
        os.link(src, dest)
    except OSError:
        try:
            shutil.copy2(src, dest)
        except OSError as e:
            raise BadInput("Cannot copy the attachment {name} into the new conversation: {reason}; "
                           "check free disk space.", code="history.attachment_fork_failed", name=src.name,
                           reason=e.strerror) from e
    return str(dest.resolve())


def _fts_phrase(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def _snippet(text: str, terms: list[str], width: int = 80) -> str:
    flat = " ".join(text.split())
    low = flat.lower()
    pos = min((p for p in (low.find(t.lower()) for t in terms) if p >= 0), default=0)
    start = max(0, pos - width // 3)
    end = min(len(flat), start + width)
    start = max(0, min(start, end - width))
    piece = flat[start:end]
    return ("\u2026" if start > 0 else "") + piece + ("\u2026" if end < len(flat) else "")


class HistoryStore:
    """Conversations and messages in SQLite. Safe to use from several threads at once.

    ``clock`` (seconds since the epoch) is injectable for tests, and so is ``migrations``.
    Opening upgrades the file to the newest schema (see the module docstring); ``backup_path``
    is the copy made before that upgrade, or None when none was needed.
    """

    def __init__(self, db_path: str | Path, attachments_dir: str | Path, *, clock: Callable[[], float] = time.time,
                 migrations: tuple[Migration, ...] = MIGRATIONS):
        if [m.version for m in migrations] != list(range(1, len(migrations) + 1)):
            raise ValueError("migrations must be numbered 1, 2, 3, ... in order")
        self.db_path = Path(db_path)
        self.attachments_dir = Path(attachments_dir)
        self.backup_path: Path | None = None
        self._clock = clock
        self._migrations = migrations
        self._pool = ConnectionPool(
            self.db_path, row_factory=sqlite3.Row,
            pragmas=("secure_delete = ON",),  # deleted conversations do not linger in the file
            closed=lambda: SensoriumError("The history store is closed; reopen it to read or write conversations.",
                                          code="history.closed"))
        self._write_lock = self._pool.write_lock
        try:
            self.db_path.parent.mkdir(parents=True, exist_ok=True)
            self.attachments_dir.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise SensoriumError(
                "Cannot create the history folder {folder}: {reason}; "
                "check the permissions or turn history off in Settings.", code="history.folder_not_created",
                folder=self.db_path.parent, reason=e.strerror) from e
        with self._write_lock:
            try:
                version = self._stored_version()
                if version > len(self._migrations):
                    self._pool.close_unopened()  # no connection was opened: the file is not touched
                    raise self._too_new(version)
                conn = self._conn()
                self._migrate(conn)
                # a message left 'streaming' means the app stopped while writing it
                conn.execute("UPDATE messages SET status = 'interrupted' WHERE status = 'streaming'")
            except sqlite3.DatabaseError as e:
                self.close()
                raise SensoriumError(
                    "Cannot open the history database {path}: {error}; move the file away to start "
                    "a new history (the old one can then be inspected or deleted).",
                    code="history.unreadable", path=self.db_path, error=e) from e
            except BaseException:
                self.close()
                raise

    # ------------------------------------------------------------------ schema upgrades
    def _stored_version(self) -> int:
        """The file's schema version, read without writing anything (0 for a new file)."""
        if not self.db_path.exists() or self.db_path.stat().st_size == 0:
            return 0
        conn = sqlite3.connect(self.db_path.resolve().as_uri() + "?immutable=1", uri=True)
        try:
            return _user_version(conn)
        finally:
            conn.close()

    def _too_new(self, version: int) -> NewerFileFormat:
        return NewerFileFormat(
            "{path} was written by a newer Sensorium (schema {version}, this version knows "
            "{known}): update Sensorium, or move the file away to start a new history.",
            code="history.newer_schema", path=self.db_path, version=version, known=len(self._migrations))

    def _migrate(self, conn: sqlite3.Connection) -> None:
        version = _user_version(conn)
        if version > len(self._migrations):
            raise self._too_new(version)
        if version == len(self._migrations):
            return
        if version > 0 and _holds_data(conn):
            self.backup_path = self._backup(conn, version)
        conn.execute("PRAGMA foreign_keys = OFF")  # a step may rebuild a table; checked before each commit
        try:
            for step in self._migrations[version:]:
                self._apply(conn, step)
        finally:
            conn.execute("PRAGMA foreign_keys = ON")

    def _apply(self, conn: sqlite3.Connection, step: Migration) -> None:
        """Run one step and set ``user_version`` in one transaction; on any error, roll it all back."""
        conn.execute("BEGIN IMMEDIATE")
        try:
            current = _user_version(conn)  # another process may have upgraded the file meanwhile
            if current > len(self._migrations):
                raise self._too_new(current)
            if current >= step.version:
                conn.execute("ROLLBACK")
                return
            if isinstance(step.apply, str):
                for statement in _statements(step.apply):
                    conn.execute(statement)
            else:
                step.apply(conn)
            broken = conn.execute("PRAGMA foreign_key_check").fetchall()
            if broken:
                raise sqlite3.IntegrityError(f"{len(broken)} rows point at rows that do not exist, "
                                             f"first in table {broken[0][0]}")
            conn.execute(f"PRAGMA user_version = {int(step.version)}")
        except BaseException as e:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            if isinstance(e, SensoriumError) or not isinstance(e, Exception):
                raise
            if self.backup_path:
                raise SensoriumError(
                    "Cannot upgrade the history database {path} to schema {version} ({summary}): {kind}: {error}; "
                    "it was left unchanged at schema {previous}; a copy from before the upgrade is {backup}. "
                    "Report this problem, or move the file away to start a new history.",
                    code="history.upgrade_failed_backed_up", path=self.db_path, version=step.version,
                    summary=step.summary, kind=type(e).__name__, error=e, previous=step.version - 1,
                    backup=self.backup_path) from e
            raise SensoriumError(
                "Cannot upgrade the history database {path} to schema {version} ({summary}): {kind}: {error}; "
                "it was left unchanged at schema {previous}. Report this problem, or move the file away to start "
                "a new history.", code="history.upgrade_failed", path=self.db_path, version=step.version,
                summary=step.summary, kind=type(e).__name__, error=e, previous=step.version - 1) from e
        conn.execute("COMMIT")

    def _backup(self, conn: sqlite3.Connection, version: int) -> Path:
        """Copy the whole database (WAL included) beside it, as one self-contained file."""
        stamp = time.strftime("%Y%m%d-%H%M%S", time.localtime(self._clock()))
        name = f"{self.db_path.name}.v{version}-{stamp}"
        dest = self.db_path.with_name(f"{name}.bak")
        n = 2
        while dest.exists():
            dest = self.db_path.with_name(f"{name}-{n}.bak")
            n += 1
        part = dest.with_name(dest.name + ".part")
        try:
            part.unlink(missing_ok=True)
            target = sqlite3.connect(part)
            try:
                conn.backup(target)
                target.execute("PRAGMA journal_mode = DELETE")
            finally:
                target.close()
            part.replace(dest)
        except (sqlite3.Error, OSError) as e:
            part.unlink(missing_ok=True)
            raise SensoriumError(
                "Cannot back up the history database to {dest} before upgrading it: {error}; free some disk "
                "space or check the folder's permissions, then start Sensorium again.",
                code="history.backup_failed", dest=dest, error=e) from e
        return dest

    # ------------------------------------------------------------------ connections
    def _conn(self) -> sqlite3.Connection:
        """This thread's connection (one per thread; those of ended threads are closed)."""
        return self._pool.conn()

    def _write(self, fn: Callable[[sqlite3.Connection], Any]) -> Any:
        """Run ``fn`` in one immediate transaction, committed before returning."""
        return self._pool.write(fn)

    def close(self) -> None:
        """Close every thread's connection (checkpointing the WAL). Safe to call twice."""
        self._pool.close()

    @property
    def closed(self) -> bool:
        return self._pool.closed

    def __enter__(self) -> HistoryStore:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # ------------------------------------------------------------------ conversations
    def create_conversation(self, title: str = "") -> int:
        now = self._clock()
        return self._write(lambda c: c.execute(
            "INSERT INTO conversations(title, created, updated) VALUES (?, ?, ?)", (title, now, now)).lastrowid)

    def list_conversations(self, include_deleted: bool = False) -> list[ConversationInfo]:
        """Newest (most recently updated) first."""
        where = "" if include_deleted else "WHERE c.deleted_at IS NULL"
        rows = self._conn().execute(
            f"""SELECT c.id, c.title, c.created, c.updated, c.deleted_at,
                       (SELECT COUNT(*) FROM messages m WHERE m.conversation_id = c.id) AS n
                FROM conversations c {where} ORDER BY c.updated DESC, c.id DESC""").fetchall()
        return [ConversationInfo(r["id"], r["title"], r["created"], r["updated"], r["n"], r["deleted_at"]) for r in rows]

    def get_conversation(self, cid: int) -> ConversationInfo | None:
        r = self._conn().execute(
            """SELECT c.id, c.title, c.created, c.updated, c.deleted_at,
                      (SELECT COUNT(*) FROM messages m WHERE m.conversation_id = c.id) AS n
               FROM conversations c WHERE c.id = ?""", (cid,)).fetchone()
        return ConversationInfo(r["id"], r["title"], r["created"], r["updated"], r["n"], r["deleted_at"]) if r else None

    def _require_conversation(self, c: sqlite3.Connection, cid: int, *, live: bool = True) -> None:
        row = c.execute("SELECT deleted_at FROM conversations WHERE id = ?", (cid,)).fetchone()
        if row is None:
            raise BadInput("Conversation {cid} does not exist; refresh the conversation list.",
                           code="history.no_such_conversation", cid=cid)
        if live and row["deleted_at"] is not None:
            raise BadInput("Conversation {cid} was deleted; restore it (Undo) before adding to it.",
                           code="history.conversation_deleted", cid=cid)

    def rename_conversation(self, cid: int, title: str) -> None:
        def run(c):
            self._require_conversation(c, cid, live=False)
            c.execute("UPDATE conversations SET title = ?, updated = ? WHERE id = ?", (title, self._clock(), cid))
        self._write(run)

    def delete_conversation(self, cid: int) -> None:
        """Soft delete: hidden from lists and search until ``restore_conversation`` or ``purge_deleted``."""
        def run(c):
            self._require_conversation(c, cid, live=False)
            c.execute("UPDATE conversations SET deleted_at = ? WHERE id = ? AND deleted_at IS NULL", (self._clock(), cid))
        self._write(run)

    def restore_conversation(self, cid: int) -> None:
        def run(c):
            self._require_conversation(c, cid, live=False)
            c.execute("UPDATE conversations SET deleted_at = NULL WHERE id = ?", (cid,))
        self._write(run)

    def purge_deleted(self) -> int:
        """Remove soft-deleted conversations for good, attachments included; returns how many."""
        def run(c):
            ids = [r[0] for r in c.execute("SELECT id FROM conversations WHERE deleted_at IS NOT NULL")]
            c.executemany("DELETE FROM conversations WHERE id = ?", [(i,) for i in ids])
            return ids
        ids = self._write(run)
        for cid in ids:
            shutil.rmtree(self.attachments_dir / str(cid), ignore_errors=True)
        return len(ids)

    def delete_all(self) -> None:
        """Delete every conversation, message, attachment, learned correction and memory, and shrink the file."""
        def run(c):
            c.execute("DELETE FROM memories")
            c.execute("DELETE FROM intent_corrections")
            c.execute("DELETE FROM attachments")
            c.execute("DELETE FROM messages")
            c.execute("DELETE FROM conversations")
            c.execute("INSERT INTO messages_fts(messages_fts) VALUES ('rebuild')")
            c.execute("INSERT INTO messages_tri(messages_tri) VALUES ('rebuild')")
        self._write(run)
        with self._write_lock:
            conn = self._conn()
            conn.execute("VACUUM")
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        if self.attachments_dir.exists():
            for child in self.attachments_dir.iterdir():
                if child.is_dir() and not child.is_symlink():
                    shutil.rmtree(child, ignore_errors=True)
                else:
                    child.unlink(missing_ok=True)

    # ------------------------------------------------------------------ messages
    def _copy_attachments(self, cid: int, attachments: Iterable[str | Path]) -> list[tuple[str, str]]:
        sources = [Path(a) for a in attachments]
        for src in sources:
            if not src.is_file():
                raise BadInput("Cannot attach {src}: the file does not exist or is not a file; attach it again.",
                               code="history.attachment_missing", src=src)
        folder = self.attachments_dir / str(cid)
        copied: list[tuple[str, str]] = []
        try:
            if sources:
                folder.mkdir(parents=True, exist_ok=True)
            for src in sources:
                safe = re.sub(r"[^\w.\-]+", "_", src.name)[-80:] or "file"
                dest = folder / f"{uuid.uuid4().hex[:12]}-{safe}"
                shutil.copy2(src, dest)
                copied.append((str(dest.resolve()), src.name))
        except OSError as e:
            for path, _ in copied:
                Path(path).unlink(missing_ok=True)
            raise BadInput("Cannot copy the attachment into the history folder: {reason}; check free disk space.",
                           code="history.attachment_copy_failed", reason=e.strerror) from e
        return copied

    @staticmethod
    def _field_values(fields: dict[str, Any]) -> dict[str, Any]:
        unknown = set(fields) - set(_FIELDS) - {"attachments"}
        if unknown:
            raise TypeError(f"unknown message field(s): {', '.join(sorted(unknown))}")
        out: dict[str, Any] = {}
        for key in ("intent", "intent_reason", "intent_confidence"):
            if key in fields:
                out[key] = fields[key] if key != "intent_reason" else (fields[key] or "")
        if "sentiment" in fields:
            s: Sentiment | None = fields["sentiment"]
            out["sentiment_score"] = None if s is None else float(s.score)
            out["sentiment_label"] = None if s is None else s.label
            out["sentiment_method"] = None if s is None else s.method
        for key in ("timings", "models", "meta"):
            if key in fields:
                out[key] = _json(fields[key])
        return out

    def _insert_message(self, cid: int, role: str, text: str, status: str, fields: dict[str, Any]) -> int:
        if role not in ROLES:
            raise BadInput("Unknown message role {role}; use one of {choices}.", code="history.unknown_role",
                           role=repr(role), choices=', '.join(ROLES))
        if status not in STATUSES:
            raise BadInput("Unknown message status {status}; use one of {choices}.",
                           code="history.unknown_status", status=repr(status), choices=', '.join(STATUSES))
        values = self._field_values(fields)
        attachments = list(fields.get("attachments") or ())

        self._require_conversation(self._conn(), cid)  # fail before copying files
        copied = self._copy_attachments(cid, attachments)

        def run(c):
            self._require_conversation(c, cid)
            now = self._clock()
            cols = ["conversation_id", "role", "text", "created", "updated", "status", *values]
            params = [cid, role, text or "", now, now, status, *values.values()]
            mid = c.execute(f"INSERT INTO messages({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})", params).lastrowid
            c.executemany("INSERT INTO attachments(message_id, position, path, original) VALUES (?, ?, ?, ?)",
                          [(mid, i, p, o) for i, (p, o) in enumerate(copied)])
            c.execute("UPDATE conversations SET updated = ? WHERE id = ?", (now, cid))
            if role == "user" and text.strip():
                title = " ".join(text.split())
                title = title if len(title) <= 60 else title[:59].rstrip() + "\u2026"
                c.execute("UPDATE conversations SET title = ? WHERE id = ? AND title = ''", (title, cid))
            return mid
        try:
            return self._write(run)
        except BaseException:
            for path, _ in copied:
                Path(path).unlink(missing_ok=True)
            raise

    def add_message(self, cid: int, role: str, text: str, *, status: str = "complete",
                    intent: str | None = None, intent_reason: str = "", intent_confidence: float | None = None,
                    sentiment: Sentiment | None = None, timings: dict | None = None, models: dict | None = None,
                    attachments: Iterable[str | Path] = (), meta: dict | None = None) -> int:
        """Store a finished message (attachments are copied). An empty conversation title becomes
        the first user message."""
        return self._insert_message(cid, role, text, status, dict(
            intent=intent, intent_reason=intent_reason, intent_confidence=intent_confidence, sentiment=sentiment,
            timings=timings, models=models, attachments=attachments, meta=meta))

    def begin_message(self, cid: int, role: str = "assistant", **fields: Any) -> int:
        """Start a streamed message (status 'streaming', empty text); grow it with ``update_message``."""
        return self._insert_message(cid, role, fields.pop("text", ""), "streaming", fields)

    def update_message(self, mid: int, text: str) -> None:
        """Replace the partial text of a streaming message (one small committed UPDATE)."""
        def run(c):
            c.execute("UPDATE messages SET text = ?, updated = ? WHERE id = ? AND status = 'streaming'",
                      (text, self._clock(), mid))
        self._write(run)

    def finish_message(self, mid: int, text: str, status: str = "complete", **fields: Any) -> None:
        """Final text and outcome: complete, cancelled, interrupted or failed (plus any fields)."""
        if status not in STATUSES or status == "streaming":
            raise BadInput("Cannot finish a message as {status}; use complete, cancelled, interrupted or failed.",
                           code="history.bad_finish_status", status=repr(status))
        values = self._field_values(fields)
        attachments = list(fields.get("attachments") or ())
        msg = self.get_message(mid)
        if msg is None:
            raise BadInput("Message {message} does not exist; it may have been deleted.",
                           code="history.no_such_message", message=mid)
        copied = self._copy_attachments(msg.conversation_id, attachments)

        def run(c):
            now = self._clock()
            sets = ["text = ?", "status = ?", "updated = ?", *(f"{k} = ?" for k in values)]
            c.execute(f"UPDATE messages SET {', '.join(sets)} WHERE id = ?", [text or "", status, now, *values.values(), mid])
            start = c.execute("SELECT COUNT(*) FROM attachments WHERE message_id = ?", (mid,)).fetchone()[0]
            c.executemany("INSERT INTO attachments(message_id, position, path, original) VALUES (?, ?, ?, ?)",
                          [(mid, start + i, p, o) for i, (p, o) in enumerate(copied)])
            c.execute("UPDATE conversations SET updated = ? WHERE id = ?", (now, msg.conversation_id))
        self._write(run)

    def _message_from_row(self, r: sqlite3.Row, attachments: list[str]) -> Message:
        sentiment = None
        if r["sentiment_label"] is not None:
            sentiment = Sentiment(r["sentiment_score"] or 0.0, r["sentiment_label"], r["sentiment_method"] or "")
        return Message(
            id=r["id"], conversation_id=r["conversation_id"], role=r["role"], text=r["text"], created=r["created"],
            status=r["status"], intent=r["intent"], intent_reason=r["intent_reason"],
            intent_confidence=r["intent_confidence"], sentiment=sentiment, timings=_unjson(r["timings"]),
            models=_unjson(r["models"]), attachments=attachments, meta=_unjson(r["meta"]),
            rating=r["rating"], rating_comment=r["rating_comment"], parent_id=r["parent_id"])

    def messages(self, cid: int) -> list[Message]:
        """Messages of a conversation in order (also for a soft-deleted one)."""
        conn = self._conn()
        rows = conn.execute("SELECT * FROM messages WHERE conversation_id = ? ORDER BY id", (cid,)).fetchall()
        files: dict[int, list[str]] = {}
        for a in conn.execute(
                """SELECT a.message_id, a.path FROM attachments a JOIN messages m ON m.id = a.message_id
                   WHERE m.conversation_id = ? ORDER BY a.message_id, a.position""", (cid,)):
            files.setdefault(a[0], []).append(a[1])
        return [self._message_from_row(r, files.get(r["id"], [])) for r in rows]

    def get_message(self, mid: int) -> Message | None:
        conn = self._conn()
        r = conn.execute("SELECT * FROM messages WHERE id = ?", (mid,)).fetchone()
        if r is None:
            return None
        files = [a[0] for a in conn.execute("SELECT path FROM attachments WHERE message_id = ? ORDER BY position", (mid,))]
        return self._message_from_row(r, files)

    def delete_message(self, mid: int) -> None:
        """Remove one message, any branch that grows from it (``parent_id``) and their attachment
        copies (used to regenerate a reply)."""
        def run(c):
            paths = [a[0] for a in c.execute(
                """WITH RECURSIVE branch(id) AS (
                       SELECT ? UNION SELECT m.id FROM messages m JOIN branch b ON m.parent_id = b.id)
                   SELECT path FROM attachments WHERE message_id IN branch""", (mid,))]
            c.execute("DELETE FROM messages WHERE id = ?", (mid,))
            return paths
        for p in self._write(run):
            path = Path(p)
            if path.is_relative_to(self.attachments_dir.resolve()):
                path.unlink(missing_ok=True)

    def branch_conversation(self, cid: int, before_message_id: int, title: str | None = None) -> int:
        """A new conversation holding copies of every message of ``cid`` before ``before_message_id``
        (to send an edited message there, with nothing earlier lost); returns its id.

        Each copy keeps every column of the original (role, text, times, status, intent, sentiment,
        timings, models, meta, rating) in the same order; ``parent_id`` points at the copies, and a
        message still streaming is copied as ``interrupted``. Attachments are linked (or copied)
        into the new conversation's folder, so deleting either conversation leaves the other whole.
        The title is "<old title> (edited)" unless ``title`` is given; ``cid`` is not changed.
        """
        made: list[int] = []  # the new id, known inside the transaction (its folder goes if it fails)

        def run(c):
            self._require_conversation(c, cid)
            row = c.execute("SELECT conversation_id FROM messages WHERE id = ?", (before_message_id,)).fetchone()
            if row is None or row[0] != cid:
                raise BadInput("Message {message} is not in conversation {cid}; "
                               "reopen the conversation and edit the message again.",
                               code="history.message_not_in_conversation", message=before_message_id,
                               cid=cid)
            old_title = c.execute("SELECT title FROM conversations WHERE id = ?", (cid,)).fetchone()[0]
            now = self._clock()
            new = c.execute("INSERT INTO conversations(title, created, updated) VALUES (?, ?, ?)",
                            (f"{old_title or 'Untitled conversation'} (edited)" if title is None else title,
                             now, now)).lastrowid
            made.append(new)
            cols = ", ".join(r[1] for r in c.execute("PRAGMA table_info(messages)")
                             if r[1] not in ("id", "conversation_id", "parent_id", "status"))
            copies: dict[int, int] = {}
            for old, parent in c.execute("SELECT id, parent_id FROM messages WHERE conversation_id = ? AND id < ? "
                                         "ORDER BY id", (cid, before_message_id)).fetchall():
                copies[old] = c.execute(
                    f"""INSERT INTO messages(conversation_id, parent_id, status, {cols})
                        SELECT ?, ?, CASE status WHEN 'streaming' THEN 'interrupted' ELSE status END, {cols}
                        FROM messages WHERE id = ?""", (new, copies.get(parent), old)).lastrowid
            folder = self.attachments_dir / str(new)
            for mid, position, path, original in c.execute(
                    """SELECT a.message_id, a.position, a.path, a.original FROM attachments a
                       JOIN messages m ON m.id = a.message_id WHERE m.conversation_id = ? AND m.id < ?
                       ORDER BY a.message_id, a.position""", (cid, before_message_id)).fetchall():
                c.execute("INSERT INTO attachments(message_id, position, path, original) VALUES (?, ?, ?, ?)",
                          (copies[mid], position, _link_or_copy(Path(path), folder), original))
            return new
        try:
            return self._write(run)
        except BaseException:
            if made:
                shutil.rmtree(self.attachments_dir / str(made[0]), ignore_errors=True)
            raise

    def rate(self, mid: int, rating: int, comment: str = "") -> None:
        """Thumbs up (1), down (-1) or cleared (0), with an optional comment."""
        if rating not in (-1, 0, 1) or isinstance(rating, bool):
            raise BadInput("A rating is 1 (good), -1 (bad) or 0 (none), not {rating}.",
                           code="history.bad_rating", rating=repr(rating))

        def run(c):
            if c.execute("UPDATE messages SET rating = ?, rating_comment = ? WHERE id = ?",
                         (rating, comment or "", mid)).rowcount == 0:
                raise BadInput("Message {message} does not exist; it may have been deleted.",
                               code="history.no_such_message", message=mid)
        self._write(run)

    # ------------------------------------------------------------------ intent corrections
    def add_intent_correction(self, correction: Correction, message_id: int | None = None) -> int:
        """Store what the user said a request meant; returns its id."""
        def run(c):
            return c.execute(
                "INSERT INTO intent_corrections(text, intent, has_image, has_audio, message_id, created) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (correction.text, correction.intent, int(correction.has_image), int(correction.has_audio),
                 message_id, self._clock())).lastrowid
        return self._write(run)

    def intent_corrections(self) -> list[Correction]:
        """Every stored correction, oldest first."""
        from .router import Correction

        rows = self._conn().execute(
            "SELECT text, intent, has_image, has_audio FROM intent_corrections ORDER BY id").fetchall()
        return [Correction(r[0], r[1], bool(r[2]), bool(r[3])) for r in rows]

    def clear_intent_corrections(self) -> int:
        """Forget every correction; returns how many there were."""
        return self._write(lambda c: c.execute("DELETE FROM intent_corrections").rowcount)

    # ------------------------------------------------------------------ memories
    @staticmethod
    def _memory(r: sqlite3.Row) -> MemoryItem:
        return MemoryItem(r["text"], r["kind"], int(r["id"]), r["value"])

    def add_memory(self, text: str, kind: str = "fact", value: str = "",
                   source_message_id: int | None = None) -> MemoryItem:
        """Store something the user asked Sensorium to remember; returns it with its id."""
        text = " ".join((text or "").split())
        if not text:
            raise BadInput("the memory is empty: write what Sensorium should remember", code="history.memory_empty")
        now = self._clock()

        def run(c):
            source = source_message_id
            if source is not None and c.execute("SELECT 1 FROM messages WHERE id = ?", (source,)).fetchone() is None:
                source = None  # the message went away meanwhile: the memory stands on its own
            return c.execute("INSERT INTO memories(text, kind, value, created, updated, source_message_id) "
                             "VALUES (?, ?, ?, ?, ?, ?)", (text, kind or "fact", value or "", now, now, source)).lastrowid
        return MemoryItem(text, kind or "fact", int(self._write(run)), value or "")

    def memories(self) -> list[MemoryItem]:
        """Every memory, oldest first."""
        rows = self._conn().execute("SELECT id, text, kind, value FROM memories ORDER BY id").fetchall()
        return [self._memory(r) for r in rows]

    def update_memory(self, mid: int, text: str) -> MemoryItem:
        """Change a memory's text (its kind stays; a language or name memory keeps its value)."""
        text = " ".join((text or "").split())
        if not text:
            raise BadInput("the memory is empty: write what Sensorium should remember, or delete it",
                           code="history.memory_edit_empty")

        def run(c):
            if not c.execute("UPDATE memories SET text = ?, updated = ? WHERE id = ?",
                             (text, self._clock(), mid)).rowcount:
                raise BadInput("memory {memory} does not exist; it may have been deleted",
                               code="history.no_such_memory", memory=mid)
            return self._memory(c.execute("SELECT id, text, kind, value FROM memories WHERE id = ?", (mid,)).fetchone())
        return self._write(run)

    def delete_memory(self, mid: int) -> bool:
        """Forget one memory; False when there was no such memory."""
        return bool(self._write(lambda c: c.execute("DELETE FROM memories WHERE id = ?", (mid,)).rowcount))

    def clear_memories(self) -> int:
        """Forget every memory; returns how many there were."""
        return self._write(lambda c: c.execute("DELETE FROM memories").rowcount)

    # ------------------------------------------------------------------ search
    def search(self, query: str, limit: int = 50) -> list[SearchHit]:
        """Messages of live conversations matching every term of ``query`` (any text is safe)."""
        terms = [t for t in (query or "").split() if any(ch.isalnum() for ch in t)]
        if not terms or limit <= 0:
            return []
        word_terms: list[str] = []
        cjk_long: list[str] = []
        cjk_short: list[str] = []
        for term in terms:
            # Within a term, runs of CJK and of other characters are searched separately.
            for piece in re.findall(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]+|[^\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]+", term):
                if _CJK.match(piece):
                    (cjk_long if len(piece) >= 3 else cjk_short).append(piece)
                elif any(ch.isalnum() for ch in piece):
                    word_terms.append(piece)
        where, params = ["c.deleted_at IS NULL", "m.status != 'streaming'"], []
        order = "m.id DESC"
        join = ""
        if word_terms:
            # each term a quoted phrase, prefix-matched: no user text is ever FTS syntax
            join = "JOIN messages_fts f ON f.rowid = m.id"
            where.append("messages_fts MATCH ?")
            params.append(" ".join(_fts_phrase(t) + "*" for t in word_terms))
            order = "bm25(messages_fts), m.id DESC"
        if cjk_long:
            where.append("m.id IN (SELECT rowid FROM messages_tri WHERE messages_tri MATCH ?)")
            params.append(" ".join(_fts_phrase(t) for t in cjk_long))
        for t in cjk_short:
            where.append("m.text LIKE ? ESCAPE '\\'")
            params.append(f"%{_like_escape(t)}%")
        sql = (f"SELECT m.id, m.conversation_id, m.role, m.text, c.title FROM messages m "
               f"JOIN conversations c ON c.id = m.conversation_id {join} "
               f"WHERE {' AND '.join(where)} ORDER BY {order} LIMIT ?")
        try:
            rows = self._conn().execute(sql, [*params, int(limit)]).fetchall()
        except sqlite3.OperationalError:  # a tokenizer corner case: never an error for the user
            return []
        needles = word_terms + cjk_long + cjk_short
        return [SearchHit(r["conversation_id"], r["title"], r["id"], r["role"], r["text"], _snippet(r["text"], needles))
                for r in rows]

    # ------------------------------------------------------------------ exports
    def export_json(self, cid: int) -> dict:
        """The conversation and its messages as plain JSON-ready data."""
        info = self.get_conversation(cid)
        if info is None:
            raise BadInput("Conversation {cid} does not exist; refresh the conversation list.",
                           code="history.no_such_conversation", cid=cid)
        messages = []
        for m in self.messages(cid):
            d = asdict(m)
            d["sentiment"] = asdict(m.sentiment) if m.sentiment else None
            messages.append(d)
        return {"format": "sensorium-conversation", "version": 1, "conversation": asdict(info), "messages": messages}

    def export_markdown(self, cid: int) -> str:
        info = self.get_conversation(cid)
        if info is None:
            raise BadInput("Conversation {cid} does not exist; refresh the conversation list.",
                           code="history.no_such_conversation", cid=cid)
        stamp = lambda t: time.strftime("%Y-%m-%d %H:%M", time.localtime(t))  # noqa: E731
        out = [f"# {info.title or 'Untitled conversation'}", "", f"_Started {stamp(info.created)}_", ""]
        names = {"user": "You", "assistant": "Sensorium", "system": "System"}
        sep = " \u00b7 "
        for m in self.messages(cid):
            notes = [stamp(m.created)]
            if m.role == "assistant" and m.intent and m.intent != "chat":
                notes.append(m.intent.replace("_", " "))
            if m.status != "complete":
                notes.append(m.status)
            if m.rating:
                notes.append("\U0001F44D" if m.rating > 0 else "\U0001F44E")
            out += [f"## {names.get(m.role, m.role)}{sep}{sep.join(notes)}", ""]
            if m.text:
                out += [m.text, ""]
            for path in m.attachments:
                name = Path(path).name
                image = Path(path).suffix.lower() in (".png", ".jpg", ".jpeg", ".webp", ".gif", ".bmp")
                out += [f"{'!' if image else ''}[{name}]({Path(path).as_uri()})", ""]
            if m.rating_comment:
                out += [f"> Rating comment: {m.rating_comment}", ""]
        return "\n".join(out).rstrip() + "\n"

    def rated_replies(self) -> list[RatedReply]:
        """Every rated, finished reply of a conversation that is not deleted, with the user message it
        answers, oldest first: what the preference export and learning from ratings read."""
        conn = self._conn()
        rows = conn.execute(
            """SELECT m.id, m.text, m.rating, u.id AS prompt_id, u.text AS prompt
               FROM messages m JOIN conversations c ON c.id = m.conversation_id
               JOIN messages u ON u.id = (SELECT p.id FROM messages p WHERE p.conversation_id = m.conversation_id
                                          AND p.role = 'user' AND p.id < m.id ORDER BY p.id DESC LIMIT 1)
               WHERE m.role = 'assistant' AND m.rating != 0 AND m.status = 'complete' AND c.deleted_at IS NULL
               ORDER BY m.id""").fetchall()
        return [RatedReply(r["id"], r["prompt_id"], r["prompt"], r["text"], r["rating"]) for r in rows]

    def export_preferences_jsonl(self, path: str | Path) -> int:
        """Write rated replies as JSONL (format in the module docstring); returns the number of lines."""
        from .learning.ratings import from_records

        rated = from_records(self.rated_replies())
        lines: list[dict] = [{"prompt": p.prompt, "chosen": p.chosen, "rejected": p.rejected} for p in rated.pairs]
        lines += [{"prompt": g.prompt, "completion": g.reply, "label": True} for g in rated.good]
        lines += [{"prompt": b.prompt, "completion": b.reply, "label": False} for b in rated.bad]
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".tmp")
        with open(tmp, "w", encoding="utf-8") as f:
            for line in lines:
                f.write(json.dumps(line, ensure_ascii=False) + "\n")
        tmp.replace(path)
        return len(lines)

    # ------------------------------------------------------------------ health
    def integrity_ok(self) -> bool:
        try:
            row = self._conn().execute("PRAGMA integrity_check").fetchone()
        except sqlite3.DatabaseError:
            return False
        return bool(row) and row[0] == "ok"
