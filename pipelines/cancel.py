"""The one cancel mechanism: a flag that long operations check between steps."""
from __future__ import annotations

import threading

__all__ = ["CancelToken", "Cancelled"]


class Cancelled(Exception):
    """Raised inside a pipeline when its token was cancelled; the engine turns it into an event."""


class CancelToken:
    """Thread-safe cancel flag. ``cancel()`` from any thread; workers call ``raise_if_cancelled()``."""

    __slots__ = ("_event",)

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def raise_if_cancelled(self) -> None:
        if self._event.is_set():
            raise Cancelled()

    def wait(self, timeout: float) -> bool:
        """Sleep up to ``timeout`` seconds; return True early if cancelled."""
        return self._event.wait(timeout)
