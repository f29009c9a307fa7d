"""The index of the user's documents: passages and their embeddings in one SQLite file.

``DocumentIndex(db_path, embedder, chunk_chars=900, model_key="")`` keeps each document's passages
and a float32 vector per distinct passage text and embedding model (the Python here cannot load a
SQLite vector extension); ``search`` scores a query against an in-memory matrix of the current
model's vectors with one numpy product, loaded on first use and again after any change (a counter in
the file tells, so another thread's or process's change is seen too).

Adding is incremental: a file whose size and modification time (or, when those moved, its sha256)
are unchanged is skipped; a changed file is chunked again and only passages whose text is new are
embedded (identical texts reuse their stored vector, in any file); the files of an indexed folder
that are gone are removed when the folder is added again. Vectors belong to the embedder's
``model_key``: a different model re-embeds, and the vectors of two models are never mixed. The
precision it runs at (float16 on a GPU, int8 or bfloat16 on a CPU) is not part of the key: one
model's vectors agree within a cosine of 0.98 at any of them, and a question finds the same passages.
The next file is parsed on a helper thread while the current one is embedded. One connection per thread, WAL, one write transaction per file: a cancelled run keeps every file
it finished and nothing of the one it was in.
"""
from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..cancel import CancelToken
from ..errors import BadInput, SensoriumError, Text
from ..events import Indexed, IndexProgress, Passage
from ..sqlite_pool import ConnectionPool
from .documents import SUPPORTED_SUFFIXES, Chunk, ParsedDocument, chunk, parse

__all__ = ["DocumentIndex", "DocumentInfo", "EMBED_BATCH", "walk"]

EMBED_BATCH = 32
_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS documents (
    id INTEGER PRIMARY KEY, path TEXT NOT NULL UNIQUE, root TEXT NOT NULL, kind TEXT NOT NULL,
    title TEXT NOT NULL DEFAULT '', pages INTEGER NOT NULL DEFAULT 0, size INTEGER NOT NULL DEFAULT 0,
    mtime_ns INTEGER NOT NULL DEFAULT 0, sha256 TEXT NOT NULL DEFAULT '', chunk_chars INTEGER NOT NULL DEFAULT 0,
    indexed_at REAL NOT NULL, error TEXT);
CREATE TABLE IF NOT EXISTS chunks (
    id INTEGER PRIMARY KEY, doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL, page INTEGER, start INTEGER NOT NULL, end INTEGER NOT NULL, line INTEGER,
    title TEXT NOT NULL DEFAULT '', text TEXT NOT NULL, text_hash TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS chunks_doc ON chunks(doc_id);
CREATE INDEX IF NOT EXISTS chunks_hash ON chunks(text_hash);
CREATE TABLE IF NOT EXISTS vectors (
    text_hash TEXT NOT NULL, model_key TEXT NOT NULL, dim INTEGER NOT NULL, vector BLOB NOT NULL,
    PRIMARY KEY (text_hash, model_key));
"""


@dataclass(frozen=True)
class DocumentInfo:
    """An indexed document (or one that failed: ``error`` says why, and it has no passages)."""

    path: str
    kind: str
    pages: int
    chunks: int
    size: int
    indexed_at: float
    error: Text | None = None
    title: str = ""


def _hash_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _hidden(rel: Path) -> bool:
    return any(part.startswith(".") for part in rel.parts)


def walk(folder: Path) -> list[Path]:
    """The documents under ``folder``, recursively, in order; hidden files and folders are skipped."""
    out = []
    for p in folder.rglob("*"):
        if p.suffix.lower() in SUPPORTED_SUFFIXES and not _hidden(p.relative_to(folder)) and p.is_file():
            out.append(p)
    return sorted(out)


class DocumentIndex:
    def __init__(self, db_path: str | Path, embedder: Any, *, chunk_chars: int = 900, model_key: str = ""):
        self.db_path = Path(db_path)
        self.embedder = embedder
        self.chunk_chars = int(chunk_chars)
        self.model_key = model_key or str(getattr(embedder, "model_dir", "") or type(embedder).__name__)
        self._pool = ConnectionPool(self.db_path, closed=lambda: SensoriumError(
            "the document index is closed; open it again to use it", code="documents.closed"))
        self._matrix_lock = threading.Lock()
        self._matrix: Any = None  # (n, dim) float32, rows in the order of self._ids
        self._ids: Any = None
        self._generation = -1
        try:
            self.db_path.parent.mkdir(parents=True, exist_ok=True)
            self._conn().executescript(_SCHEMA)
        except sqlite3.DatabaseError as e:
            raise SensoriumError("the document index {path} cannot be opened ({why}): delete the file and add your "
                                 "documents again", code="documents.index_unreadable", path=self.db_path, why=e) from e

    # ---- connections ------------------------------------------------------------------------
    def _conn(self) -> sqlite3.Connection:
        return self._pool.conn()

    def _write(self, fn: Callable[[sqlite3.Connection], Any]) -> Any:
        """``fn`` in one transaction that also counts a generation (see ``_generation_now``)."""
        return self._pool.write(fn, then=_next_generation)

    def close(self) -> None:
        self._pool.close()
        self._matrix = self._ids = None

    @property
    def closed(self) -> bool:
        return self._pool.closed

    def __enter__(self) -> DocumentIndex:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __len__(self) -> int:
        return int(self._conn().execute("SELECT COUNT(*) FROM chunks").fetchone()[0])

    # ---- reading ------------------------------------------------------------------------------
    def documents(self) -> list[DocumentInfo]:
        rows = self._conn().execute(
            "SELECT d.path, d.kind, d.pages, (SELECT COUNT(*) FROM chunks c WHERE c.doc_id = d.id), d.size, "
            "d.indexed_at, d.error, d.title FROM documents d ORDER BY d.path").fetchall()
        out = []
        for path, kind, pages, chunks, size, at, error, title in rows:
            text = Text.from_record(json.loads(error)) if error else None
            out.append(DocumentInfo(path, kind, int(pages), int(chunks), int(size), float(at), text, title))
        return out

    def _generation_now(self) -> int:
        row = self._conn().execute("SELECT value FROM meta WHERE key = 'generation'").fetchone()
        return int(row[0]) if row else 0

    def _load_matrix(self):
        import numpy as np

        gen = self._generation_now()
        with self._matrix_lock:
            if self._matrix is not None and gen == self._generation:
                return self._matrix, self._ids
            rows = self._conn().execute(
                "SELECT c.id, v.dim, v.vector FROM chunks c JOIN vectors v ON v.text_hash = c.text_hash "
                "AND v.model_key = ? ORDER BY c.id", (self.model_key,)).fetchall()
            if rows:
                dim = int(rows[0][1])
                matrix = np.frombuffer(b"".join(r[2] for r in rows if r[1] == dim), dtype=np.float32)
                matrix = matrix.reshape(-1, dim)
                ids = np.fromiter((r[0] for r in rows if r[1] == dim), dtype=np.int64)
            else:
                matrix, ids = np.zeros((0, 0), dtype=np.float32), np.zeros(0, dtype=np.int64)
            self._matrix, self._ids, self._generation = matrix, ids, gen
            return matrix, ids

    def search(self, query: str, top_k: int = 5, min_score: float = 0.0) -> list[Passage]:
        """The ``top_k`` passages most similar to ``query`` (cosine), best first and numbered 1..k;
        none below ``min_score``."""
        matrix, _ = self._load_matrix()
        if not len(matrix) or top_k <= 0 or not query.strip():
            return []
        return self.search_vector(self.embedder.embed([query])[0], top_k, min_score)

    def search_vector(self, vector: Any, top_k: int = 5, min_score: float = 0.0) -> list[Passage]:
        """``search`` for a query already embedded with this index's model."""
        import numpy as np

        matrix, ids = self._load_matrix()
        if not len(matrix) or top_k <= 0:
            return []
        q = np.asarray(vector, dtype=np.float32).reshape(-1)
        if q.shape[0] != matrix.shape[1]:
            raise BadInput("the question was embedded with another model ({got} numbers, the index has {want}): "
                           "add your documents again", code="documents.dimension_mismatch", got=q.shape[0],
                           want=matrix.shape[1])
        scores = matrix @ q
        k = min(int(top_k), len(scores))
        best = np.argpartition(-scores, k - 1)[:k] if k < len(scores) else np.arange(len(scores))
        best = best[np.argsort(-scores[best], kind="stable")]
        best = [int(i) for i in best if scores[i] >= min_score]
        if not best:
            return []
        chosen = [int(ids[i]) for i in best]
        marks = ",".join("?" * len(chosen))
        rows = {r[0]: r for r in self._conn().execute(
            f"SELECT c.id, d.path, c.page, c.text, c.start, c.end, c.line, c.title FROM chunks c "
            f"JOIN documents d ON d.id = c.doc_id WHERE c.id IN ({marks})", chosen)}
        out = []
        for i, cid in zip(best, chosen, strict=True):
            r = rows.get(cid)
            if r is None:  # removed since the matrix was read
                continue
            out.append(Passage(r[1], r[2], r[3], float(scores[i]), len(out) + 1, int(r[4]), int(r[5]), r[6], r[7]))
        return out

    # ---- writing ------------------------------------------------------------------------------
    def clear(self) -> None:
        """Forget every document, passage and vector."""
        def go(conn):
            conn.execute("DELETE FROM chunks")
            conn.execute("DELETE FROM documents")
            conn.execute("DELETE FROM vectors")
        self._write(go)

    def remove(self, path: str | Path) -> int:
        """Remove a document, or every document under a folder; the number removed."""
        p = str(Path(path).expanduser().resolve())
        under = p.rstrip("/") + "/"

        def go(conn):
            n = conn.execute("DELETE FROM documents WHERE path = ? OR substr(path, 1, ?) = ?",
                             (p, len(under), under)).rowcount
            if n:
                _prune(conn)
            return n
        return int(self._write(go))

    def add(self, paths: Iterable[str | Path], *, progress: Callable[[IndexProgress], None] | None = None,
            cancel: CancelToken | None = None) -> Indexed:
        """Index files and folders (folders recursively); see the module's docstring."""
        t0 = time.perf_counter()
        stats = {"added": 0, "updated": 0, "unchanged": 0, "removed": 0, "embedded": 0, "reused": 0, "pages": 0}
        failed: list[tuple[str, Text]] = []
        todo: list[tuple[Path, Path]] = []  # (file, the root it was found under)
        for raw in paths:
            p = Path(raw).expanduser()
            try:
                p = p.resolve()
            except OSError:
                pass
            if p.is_dir():
                files = walk(p)
                stats["removed"] += self._remove_vanished(p, files)
                todo.extend((f, p) for f in files)
            elif p.exists() or not self._known(p):
                todo.append((p, p.parent))
            else:  # an indexed file that is gone: forget it
                stats["removed"] += self.remove(p)
        seen: set[Path] = set()
        todo = [t for t in todo if not (t[0] in seen or seen.add(t[0]))]  # a file given twice is indexed once
        total = len(todo)
        if progress:
            progress(IndexProgress(0, total))
        cancelled = False
        # the next file is parsed on a helper thread while this one embeds (the embedder releases the
        # GIL): parsing is ~15% of the time on the CPU, and on a GPU it is the bound
        pool = ThreadPoolExecutor(1, thread_name_prefix="sensorium-parse")
        ahead: dict[int, tuple[Any, Future | None]] = {}

        def prepare(i: int) -> None:
            if i < total and i not in ahead:
                plan = self._plan(*todo[i])
                ahead[i] = (plan, pool.submit(parse, todo[i][0]) if isinstance(plan, _Plan) else None)

        try:
            for i, (f, root) in enumerate(todo):
                if cancel is not None and cancel.cancelled:
                    cancelled = True
                    break
                prepare(i)
                plan, parsing = ahead.pop(i)
                prepare(i + 1)
                try:
                    if isinstance(plan, BadInput):
                        raise plan
                    if plan == "unchanged":
                        outcome, chunks = "unchanged", 0
                    else:
                        assert parsing is not None
                        outcome, chunks = self._index_file(plan, parsing.result(), stats, cancel)
                except _Stopped:
                    cancelled = True
                    break
                except BadInput as e:
                    failed.append((str(f), e.text))
                    self._record_failure(f, root, e.text)
                    outcome, chunks = "failed", 0
                if outcome != "failed":
                    stats[outcome] += 1
                if progress:
                    progress(IndexProgress(i + 1, total, str(f), chunks))
        finally:
            pool.shutdown(wait=False, cancel_futures=True)  # a parse under way ends on its own
        return Indexed(added=stats["added"], updated=stats["updated"], unchanged=stats["unchanged"],
                       removed=stats["removed"], chunks_embedded=stats["embedded"], chunks_reused=stats["reused"],
                       pages=stats["pages"], seconds=time.perf_counter() - t0, failed=tuple(failed),
                       cancelled=cancelled)

    def _known(self, p: Path) -> bool:
        return self._conn().execute("SELECT 1 FROM documents WHERE path = ?", (str(p),)).fetchone() is not None

    def _remove_vanished(self, root: Path, files: Sequence[Path]) -> int:
        present = {str(f) for f in files}
        under = str(root).rstrip("/") + "/"
        stored = [r[0] for r in self._conn().execute(
            "SELECT path FROM documents WHERE substr(path, 1, ?) = ?", (len(under), under))]
        gone = [s for s in stored if s not in present]
        if not gone:
            return 0

        def go(conn):
            for s in gone:
                conn.execute("DELETE FROM documents WHERE path = ?", (s,))
            _prune(conn)
        self._write(go)
        return len(gone)

    def _record_failure(self, f: Path, root: Path, text: Text) -> None:
        try:
            size = f.stat().st_size
        except OSError:
            size = 0
        if not f.exists() and not self._known(f):
            return  # a path that never was: nothing to list

        def go(conn):
            conn.execute("DELETE FROM documents WHERE path = ?", (str(f),))
            conn.execute("INSERT INTO documents(path, root, kind, size, indexed_at, error) VALUES (?, ?, ?, ?, ?, ?)",
                         (str(f), str(root), f.suffix.lower().lstrip(".") or "unknown", size, time.time(),
                          json.dumps(text.as_record(), ensure_ascii=False)))
            _prune(conn)
        self._write(go)

    def _plan(self, f: Path, root: Path) -> _Plan | str | BadInput:
        """What ``f`` needs: "unchanged" (its size and time, or its content, are those indexed), a
        ``_Plan`` to parse and index it, or the ``BadInput`` that says why it cannot be read."""
        conn = self._conn()
        try:
            st = f.stat()
        except FileNotFoundError:
            return BadInput("{path} does not exist: check the path", code="documents.missing", path=f)
        row = conn.execute("SELECT id, size, mtime_ns, sha256, chunk_chars, error FROM documents WHERE path = ?",
                           (str(f),)).fetchone()
        complete = row is not None and row[5] is None and row[4] == self.chunk_chars and self._embedded(row[0])
        if complete and row[1] == st.st_size and row[2] == st.st_mtime_ns:
            return "unchanged"
        try:
            digest = _sha256(f) if st.st_size else ""
        except OSError as e:
            return BadInput("cannot read {name} ({why}): check that you may read the file",
                            code="documents.unreadable", name=f.name, why=e.strerror or e)
        if complete and row[3] == digest:
            self._write(lambda c: c.execute("UPDATE documents SET size = ?, mtime_ns = ? WHERE id = ?",
                                            (st.st_size, st.st_mtime_ns, row[0])))
            return "unchanged"
        return _Plan(f, root, st, digest, row is not None and row[5] is None)

    def _index_file(self, plan: _Plan, doc: ParsedDocument, stats: dict[str, int],
                    cancel: CancelToken | None) -> tuple[str, int]:
        import numpy as np

        conn = self._conn()
        f, root, st, digest = plan.path, plan.root, plan.stat, plan.digest
        chunks: list[Chunk] = chunk(doc, self.chunk_chars)
        hashes = [_hash_text(c.text) for c in chunks]
        have = self._have_vectors(set(hashes))
        new = {h: c.text for h, c in zip(hashes, chunks, strict=True) if h not in have}
        vectors: dict[str, bytes] = {}
        items = list(new.items())
        for i in range(0, len(items), EMBED_BATCH):
            if cancel is not None and cancel.cancelled:
                raise _Stopped()
            batch = items[i:i + EMBED_BATCH]
            emb = np.asarray(self.embedder.embed([t for _, t in batch]), dtype=np.float32)
            for (h, _), v in zip(batch, emb, strict=True):
                vectors[h] = np.ascontiguousarray(v).tobytes()
        dim = int(emb.shape[1]) if vectors else 0
        if dim:
            old = conn.execute("SELECT dim FROM vectors WHERE model_key = ? LIMIT 1", (self.model_key,)).fetchone()
            if old is not None and int(old[0]) != dim:
                raise BadInput("the embedding model gives {got} numbers a passage but the index holds {want} for "
                               "the same model name: clear the document index and add your documents again",
                               code="documents.dimension_changed", got=dim, want=int(old[0]))

        def go(conn):
            conn.execute("DELETE FROM documents WHERE path = ?", (str(f),))
            cur = conn.execute(
                "INSERT INTO documents(path, root, kind, title, pages, size, mtime_ns, sha256, chunk_chars, "
                "indexed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (str(f), str(root), doc.kind, doc.title, len(doc.pages), st.st_size, st.st_mtime_ns, digest,
                 self.chunk_chars, time.time()))
            doc_id = cur.lastrowid
            conn.executemany("INSERT OR REPLACE INTO vectors(text_hash, model_key, dim, vector) VALUES (?, ?, ?, ?)",
                             [(h, self.model_key, dim, v) for h, v in vectors.items()])
            conn.executemany(
                "INSERT INTO chunks(doc_id, seq, page, start, end, line, title, text, text_hash) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [(doc_id, i, c.page, c.start, c.end, c.line, c.title, c.text, h)
                 for i, (c, h) in enumerate(zip(chunks, hashes, strict=True))])
            _prune(conn)
        self._write(go)
        stats["embedded"] += len(vectors)
        stats["reused"] += len(chunks) - sum(1 for h in hashes if h in vectors)
        stats["pages"] += len(doc.pages)
        return ("updated" if plan.indexed_before else "added"), len(chunks)

    def _embedded(self, doc_id: int) -> bool:
        """Whether every passage of the document has a vector of this index's model."""
        row = self._conn().execute(
            "SELECT COUNT(*) FROM chunks c LEFT JOIN vectors v ON v.text_hash = c.text_hash AND v.model_key = ? "
            "WHERE c.doc_id = ? AND v.text_hash IS NULL", (self.model_key, doc_id)).fetchone()
        return int(row[0]) == 0

    def _have_vectors(self, hashes: set[str]) -> set[str]:
        have: set[str] = set()
        items = sorted(hashes)
        for i in range(0, len(items), 500):
            part = items[i:i + 500]
            have.update(r[0] for r in self._conn().execute(
                f"SELECT text_hash FROM vectors WHERE model_key = ? AND text_hash IN ({','.join('?' * len(part))})",
                (self.model_key, *part)))
        return have


@dataclass(frozen=True)
class _Plan:
    """A file to parse and index: where it is, what ``stat`` said, its sha256, whether it was indexed."""
    path: Path
    root: Path
    stat: os.stat_result
    digest: str
    indexed_before: bool


def _next_generation(conn: sqlite3.Connection) -> None:
    conn.execute("INSERT INTO meta(key, value) VALUES ('generation', '1') ON CONFLICT(key) "
                 "DO UPDATE SET value = CAST(value AS INTEGER) + 1")


class _Stopped(Exception):
    """Cancelled between two batches of one file: that file is left as it was."""


def _prune(conn: sqlite3.Connection) -> None:
    """Drop the vectors no passage uses any more."""
    conn.execute("DELETE FROM vectors WHERE text_hash NOT IN (SELECT text_hash FROM chunks)")
