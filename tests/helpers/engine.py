"""A real Engine over already loaded models, with a fresh history: for GUI and reliability fixtures."""
from __future__ import annotations

import contextlib

from pipelines.engine import Engine
from pipelines.paths import Profile
from pipelines.settings import Settings

__all__ = ["engine_with_history", "Heard", "ListeningEngine"]


class Heard:
    """The real chat backend, keeping the messages each reply was asked with."""

    def __init__(self, backend, seen: list):
        self.backend, self.seen = backend, seen

    def stream(self, messages, params, cancel=None):
        self.seen.append(list(messages))
        return self.backend.stream(messages, params, cancel=cancel)

    def __getattr__(self, name):
        return getattr(self.backend, name)


class ListeningEngine(Engine):
    """The real engine; the chat model it leases is the real one, watched (``seen``)."""

    seen: list

    @contextlib.contextmanager
    def chat_lease(self, cancel=None):
        with super().chat_lease(cancel) as backend:
            yield Heard(backend, self.seen)


def engine_with_history(settings: Settings, manager, profile: Profile):
    """A real Engine over shared, already loaded models with a fresh history in ``profile``
    (a generator for fixtures: yields the engine, closes the store after the test)."""
    from pipelines.history import HistoryStore

    store = HistoryStore(profile.history_db, profile.attachments_dir)
    try:
        yield Engine(settings, profile, store=store, manager=manager, catalog=manager.catalog)
    finally:
        store.close()
