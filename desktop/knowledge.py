"""The user's documents, memories and learned adapters, as the window reaches them: every engine
and store call off the GUI thread, wired in this one place.

- Documents: ``index(paths)`` runs ``engine.index_documents`` on the documents worker (one thread,
  so listing, removing and indexing never overlap on the index): an ``IndexProgress`` per file as
  the Job's ``progress``, then ``Indexed`` (``finished``, or ``cancelled``: what was indexed before
  the cancel stays, consistent). ``refresh_documents()`` lists them (``documentsChanged(list)``).
- Memories: on the history worker (the store's own thread, where the engine's memory calls run):
  list, accept a proposal (``engine.accept_memory``), add, edit, delete, forget all;
  ``memoriesChanged(list)`` after each.
- Learning: ``learn()`` runs ``engine.learn_from_ratings`` on the learning worker (LearnProgress...,
  Learned); the adapters (``engine.adapters()``) are listed, switched and deleted there too.

``indexStarted(job)`` and ``learnStarted(job)`` tell the window and the dialogs that a job began, so
that each shows it; ``problem(text)`` is a one-line failure of a call that has no handler of its own.
"""
from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal

from pipelines.events import MemoryItem

from .i18n import translate
from .jobs import Job, JobWorker

__all__ = ["Knowledge", "is_document", "rating_counts"]


def is_document(path: str | Path) -> bool:
    """A file the documents index takes (PDF, Markdown, text, HTML, Word)."""
    from pipelines.knowledge.documents import is_document as check

    return check(path)


def _count(x: Any) -> int:
    return x if isinstance(x, int) else len(x or ())


def rating_counts(rating_set: Any) -> tuple[int, int, int]:
    """(pairs, good, bad) of a ``ratings.RatingSet`` (its fields may be counts or lists)."""
    return (_count(getattr(rating_set, "pairs", 0)), _count(getattr(rating_set, "good", 0)),
            _count(getattr(rating_set, "bad", 0)))


class Knowledge(QObject):
    documentsChanged = Signal(list)
    memoriesChanged = Signal(list)
    indexStarted = Signal(object)
    learnStarted = Signal(object)
    problem = Signal(object)  # a str, or a function that says it in the current language

    def __init__(self, engine: Any, history: Any, parent: QObject | None = None):
        super().__init__(parent)
        self.engine, self.history = engine, history
        self.docs = JobWorker("documents", self)
        self.learning = JobWorker("learning", self)
        self.documents: list = []
        self.memories: list[MemoryItem] = []

    def has(self, feature: str) -> bool:
        """Whether the engine offers ``documents``, ``memory`` or ``learning``."""
        need = {"documents": "index_documents", "memory": "accept_memory", "learning": "learn_from_ratings"}[feature]
        return callable(getattr(self.engine, need, None))

    # ---- documents -------------------------------------------------------------------------
    @property
    def indexing(self) -> Job | None:
        return self.docs.current if self.docs.busy else None

    def index(self, paths: list[str]) -> Job | None:
        """Index files or folders (a job already running: these go after it, in the same queue)."""
        paths = [str(p) for p in paths if p]
        if not paths:
            return None
        engine = self.engine
        job = self.docs.stream(lambda token: engine.index_documents(paths, cancel=token))
        job.ended.connect(self.refresh_documents)
        self.indexStarted.emit(job)
        return job

    def refresh_documents(self) -> None:
        def listed(docs: list) -> None:
            self.documents = list(docs)
            self.documentsChanged.emit(self.documents)

        self.docs.call(lambda: list(self.engine.documents()), listed, lambda e: self.problem.emit(
            lambda: translate("Knowledge", "your documents could not be listed ({problem})").format(problem=e)))

    def remove_document(self, path: str, on_done: Callable[[int], None] | None = None) -> None:
        def removed(n: int) -> None:
            self.refresh_documents()
            if on_done is not None:
                on_done(n)

        self.docs.call(lambda: self.engine.remove_documents(path), removed, lambda e: self.problem.emit(
            lambda: translate("Knowledge", "the document could not be removed ({problem})").format(problem=e)))

    # ---- memories (on the history worker: the store's thread) -------------------------------
    def refresh_memories(self) -> None:
        def listed(items: list) -> None:
            self.memories = list(items)
            self.memoriesChanged.emit(self.memories)

        engine = self.engine
        self.history.call(lambda _s: list(engine.memories()), listed, lambda e: self.problem.emit(
            lambda: translate("Knowledge", "your memories could not be read ({problem})").format(problem=e)))

    def _memory_call(self, fn: Callable[[Any], Any], on_done: Callable[[Any], None] | None,
                     failed: Callable[[str], str], on_error: Callable[[str], None] | None = None) -> None:
        def done(result: Any) -> None:
            self.refresh_memories()
            if on_done is not None:
                on_done(result)

        def error(e: str) -> None:
            self.problem.emit(lambda: failed(e))
            if on_error is not None:
                on_error(e)

        self.history.call(fn, done, error)

    def accept_memory(self, item: MemoryItem, message_id: int | None = None, text: str | None = None,
                      on_done: Callable[[MemoryItem], None] | None = None,
                      on_error: Callable[[str], None] | None = None) -> None:
        """Store a proposal (with the text the user gave it, when they edited it)."""
        if text is not None and text.strip() and text.strip() != item.text:
            item = dataclasses.replace(item, text=text.strip())
        engine = self.engine
        self._memory_call(lambda _s: engine.accept_memory(item, message_id=message_id), on_done,
                          lambda e: translate("Knowledge", "the memory could not be stored ({problem})")
                          .format(problem=e), on_error)

    def add_memory(self, text: str, on_done: Callable[[MemoryItem], None] | None = None) -> None:
        """A memory the user typed: the kind the library reads in it (a name, a language...), their words."""
        text = " ".join(text.split())
        if not text:
            return

        def proposal() -> MemoryItem:
            from pipelines.knowledge import memory

            found = memory.propose(text)
            return dataclasses.replace(found[0], text=text) if found else MemoryItem(text)

        engine = self.engine
        self._memory_call(lambda _s: engine.accept_memory(proposal()), on_done,
                          lambda e: translate("Knowledge", "the memory could not be stored ({problem})")
                          .format(problem=e))

    def update_memory(self, mid: int, text: str) -> None:
        self._memory_call(lambda _s: self.engine.update_memory(mid, text), None,
                          lambda e: translate("Knowledge", "the memory could not be changed ({problem})")
                          .format(problem=e))

    def delete_memory(self, mid: int) -> None:
        self._memory_call(lambda _s: self.engine.delete_memory(mid), None,
                          lambda e: translate("Knowledge", "the memory could not be deleted ({problem})")
                          .format(problem=e))

    def forget_all(self, on_done: Callable[[int], None] | None = None) -> None:
        self._memory_call(lambda s: s.clear_memories(), on_done,
                          lambda e: translate("Knowledge", "the memories could not be deleted ({problem})")
                          .format(problem=e))

    # ---- learning from ratings -----------------------------------------------------------------
    @property
    def training(self) -> Job | None:
        return self.learning.current if self.learning.busy else None

    def rating_counts(self, on_done: Callable[[tuple[int, int, int]], None],
                      on_error: Callable[[str], None]) -> None:
        def count(s: Any) -> tuple[int, int, int]:
            from pipelines.learning import ratings

            return rating_counts(ratings.collect(s))

        self.history.call(count, on_done, on_error)

    def learn(self) -> Job:
        engine = self.engine
        job = self.learning.stream(lambda token: engine.learn_from_ratings(cancel=token))
        self.learnStarted.emit(job)
        return job

    def adapters(self, on_done: Callable[[list], None], on_error: Callable[[str], None]) -> None:
        self.learning.call(lambda: list(self.engine.adapters().list()), on_done, on_error)

    def switch_adapter(self, info: Any, on: bool, on_done: Callable[[Any], None],
                       on_error: Callable[[str], None]) -> None:
        # through the engine: the chat model reloads with (or without) it for the next reply
        self.learning.call(lambda: self.engine.set_adapter(info.id if on else None, info.model), on_done, on_error)

    def delete_adapter(self, info: Any, on_done: Callable[[Any], None], on_error: Callable[[str], None]) -> None:
        self.learning.call(lambda: self.engine.delete_adapter(info.id), on_done, on_error)

    # ---- closing ---------------------------------------------------------------------------------
    def cancel_jobs(self, then: Callable[[], None] | None = None) -> None:
        """Stop indexing and learning; ``then()`` (on the GUI thread) once both workers have ended
        what they were doing (Delete all data: nothing they would still write may stay)."""
        for worker in (self.docs, self.learning):
            if worker.current is not None:
                worker.current.cancel()
        if then is not None:
            self.docs.call(lambda: None, lambda _r: self.learning.call(lambda: None, lambda _r: then()))

    def shutdown(self) -> None:
        """Cancel indexing and learning (each keeps what it finished); the threads then end."""
        self.docs.shutdown()
        self.learning.shutdown()

    def wait(self, timeout_s: float = 15.0) -> bool:
        return self.docs.wait(timeout_s) & self.learning.wait(timeout_s)
