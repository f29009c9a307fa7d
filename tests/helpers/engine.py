"""A real Engine over already loaded models, with a fresh history: for GUI and reliability fixtures."""
from __future__ import annotations

from pipelines.paths import Profile
from pipelines.settings import Settings


def engine_with_history(settings: Settings, manager, profile: Profile):
    """A real Engine over shared, already loaded models with a fresh history in ``profile``
    (a generator for fixtures: yields the engine, closes the store after the test)."""
    from pipelines.engine import Engine
    from pipelines.history import HistoryStore

    store = HistoryStore(profile.history_db, profile.attachments_dir)
    try:
        yield Engine(settings, profile, store=store, manager=manager, catalog=manager.catalog)
    finally:
        store.close()
