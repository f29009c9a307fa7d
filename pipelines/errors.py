"""Errors a person can act on.

Every error raised by pipelines/ for a condition the user can fix is a ``SensoriumError``:
``str(error)`` is one line that says what failed, why, and what to do. Tracebacks go to the
log, never to the chat or the terminal.
"""
from __future__ import annotations

__all__ = [
    "SensoriumError",
    "BadInput",
    "ModelUnavailable",
    "ChecksumMismatch",
    "UntrustedFile",
    "OutOfMemory",
    "NewerFileFormat",
]


class SensoriumError(Exception):
    """Base class: the message is a single line meant for the user."""

    def __init__(self, message: str):
        message = " ".join(str(message).split())  # one line, always
        super().__init__(message)

    @property
    def message(self) -> str:
        return str(self)


class BadInput(SensoriumError):
    """The input (file, text, parameter) cannot be used; the message says what to do."""


class ModelUnavailable(SensoriumError):
    """No weights for a role could be found; the message names the fix."""

    def __init__(self, message: str, *, role: str = "", model: str = ""):
        super().__init__(message)
        self.role = role
        self.model = model


class ChecksumMismatch(ModelUnavailable):
    """A model file does not match the sha256 recorded in the catalog."""


class UntrustedFile(SensoriumError):
    """A pickle-based weight file that the user has not marked as trusted."""


class OutOfMemory(SensoriumError):
    """The device ran out of memory and the fallback did not help either."""


class NewerFileFormat(SensoriumError):
    """A file (the history database) was written by a newer Sensorium; it is left untouched."""
