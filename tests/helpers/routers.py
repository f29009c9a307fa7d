"""A real IntentRouter that is unsure about the requests it is given: for the window's "Did you mean…"
tests and screenshots (the router's own calibration has its own tests)."""
from __future__ import annotations

from pipelines.router import Correction, Intent, IntentRouter

__all__ = ["UnsureRouter", "use_router"]


class UnsureRouter(IntentRouter):
    """``unsure`` maps a request to its readings ((intent, probability), best first): such a request
    is routed as unsure until a correction for it is learned; everything else, and the learning
    itself, is the real router's."""

    def __init__(self, unsure: dict[str, tuple[tuple[str, float], ...]], **kw):
        super().__init__(**kw)
        self.unsure = dict(unsure)
        self._answered: set[str] = set()

    def learn(self, correction: Correction) -> None:
        super().learn(correction)
        self._answered.add(correction.text)

    def forget(self) -> None:
        super().forget()
        self._answered.clear()

    def route(self, text: str, *, has_image: bool = False, has_audio: bool = False) -> Intent:
        readings = self.unsure.get(text)
        if readings and text not in self._answered:
            best, p = readings[0]
            return Intent(best, p, "two readings are about as likely", "classifier", alternatives=readings,
                          unsure=True)
        return super().route(text, has_image=has_image, has_audio=has_audio)


def use_router(engine, unsure: dict[str, tuple[tuple[str, float], ...]]) -> UnsureRouter:
    """Give ``engine`` an UnsureRouter over its stored corrections (in place of the one it would build),
    with the base weights from the run's machine cache (trained once; what it learns is refitted there
    under its own name)."""
    from tests.helpers.profiles import MACHINE_CACHE

    corrections = engine.store.intent_corrections() if engine.store is not None else ()
    router = UnsureRouter(unsure, corrections=corrections, cache_dir=MACHINE_CACHE / "intent")
    engine._router = router
    return router
