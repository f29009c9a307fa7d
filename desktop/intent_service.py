"""What the user said their requests meant, off the GUI thread: the window's "Not what I meant" on an
older reply (``learn``), and the Settings row that counts the learned corrections and resets them.

Every call runs the engine's method on one of the Controller's workers (the store and the router
are no work for the GUI thread: the first ``learn`` may even build the router) and hands the result
to ``on_done`` on the GUI thread, or the reason in one line to ``on_error``.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .controller import Controller
from .i18n import translate

__all__ = ["IntentLearning", "choice_label", "choices_for"]

def choice_label(intent: str) -> str:
    """The button text of a reading ("Draw it", "Talk about it"), as the engine offers it, in the
    interface's language."""
    from pipelines.router import INTENT_CHOICE_LABELS

    return translate("intents", INTENT_CHOICE_LABELS.get(intent, intent))


def choices_for(current: str | None, *, has_image: bool, audio_file: bool) -> list[tuple[str, str]]:
    """The readings "Not what I meant" offers for a reply understood as ``current``: every other one
    the request could have had (a picture question or edit only with a picture, a transcript only of
    an attached recording), as (intent, label)."""
    from pipelines.intent_data import allowed_intents
    from pipelines.router import INTENT_CHOICE_LABELS

    possible = allowed_intents(has_image)
    return [(intent, translate("intents", label)) for intent, label in INTENT_CHOICE_LABELS.items()
            if intent != current and intent in possible and (intent != "transcribe_audio" or audio_file)]


class IntentLearning:
    """``learn(message_id, intent)``, ``count()`` and ``reset()`` of the engine, on a worker."""

    def __init__(self, engine: Any, controller: Controller):
        self.engine, self.controller = engine, controller

    def learn(self, message_id: int, intent: str, on_done: Callable[[Any], None] | None = None,
              on_error: Callable[[str], None] | None = None) -> None:
        """Store and learn that the request of ``message_id`` (or of the reply ``message_id``) meant
        ``intent``; ``on_done`` gets the stored Correction."""
        self.controller.call(lambda: self.engine.learn_intent(message_id, intent), on_done, on_error)

    def count(self, on_done: Callable[[int], None], on_error: Callable[[str], None] | None = None) -> None:
        self.controller.call(lambda: self.engine.intent_corrections_count(), on_done, on_error)

    def reset(self, on_done: Callable[[int], None], on_error: Callable[[str], None] | None = None) -> None:
        """Forget every learned correction; ``on_done`` gets how many there were."""
        self.controller.call(lambda: self.engine.reset_intent_corrections(), on_done, on_error)
