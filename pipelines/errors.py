"""Errors a person can act on, and the texts the window shows in the user's language.

Every error raised by pipelines/ for a condition the user can fix is a ``SensoriumError``:
``str(error)`` is one line that says what failed, why, and what to do. Tracebacks go to the
log, never to the chat or the terminal.

The line is a ``Text``: a ``code`` that names the condition ("image.unreadable"), an English
``template`` with ``{named}`` fields, and the ``params`` that fill them. The command line prints
the English; the window looks the template up in its translations (context "errors", built from
these templates by ``python -m packaging.i18n``) and fills the same params, so a Chinese window
says the same thing in Chinese. pipelines/ never imports Qt for it.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Self

__all__ = [
    "Text",
    "SensoriumError",
    "BadInput",
    "ModelUnavailable",
    "ChecksumMismatch",
    "UntrustedFile",
    "OutOfMemory",
    "NewerFileFormat",
]


def _one_line(s: str) -> str:
    return " ".join(str(s).split())


def fill(template: str, params: Mapping[str, Any]) -> str:
    """``template`` with its ``{named}`` fields filled; a template without params is used as is
    (its braces are literal), and one whose fields do not match its params is returned unfilled
    rather than raising (a translation that lost a field must not hide the error)."""
    if not params:
        return template
    try:
        return template.format_map({k: v for k, v in params.items()})
    except (KeyError, IndexError, ValueError):
        return template


@dataclass(frozen=True)
class Text:
    """A user-facing line: ``code`` + English ``template`` + ``params`` (strings).

    A param may be a line of its own (``Text.of("router.read_as", "... {evidence} weighed most.",
    evidence=Text.of(...))``): ``params`` holds its English, ``parts`` the Text itself, so the window
    can say the part in its language too (the part's template is looked up like any other)."""

    code: str
    template: str
    params: Mapping[str, str] = field(default_factory=dict)
    parts: Mapping[str, Text] = field(default_factory=dict)

    @classmethod
    def of(cls, code: str, template: str, **params: Any) -> Text:
        return cls(code, _one_line(template), {k: _one_line(str(v)) for k, v in params.items()},
                   {k: v for k, v in params.items() if isinstance(v, Text)})

    def __str__(self) -> str:
        # one line, as the whole message always was (an empty param must not leave a double space)
        return _one_line(fill(self.template, self.params))

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "params": dict(self.params), "message": str(self)}

    def as_record(self) -> dict[str, Any]:
        """The Text as plain JSON data (code, template, params and parts), for ``from_record``:
        a stored message keeps its line so, to be said in the window's language when reopened."""
        out: dict[str, Any] = {"code": self.code, "template": self.template, "params": dict(self.params)}
        if self.parts:
            out["parts"] = {k: t.as_record() for k, t in self.parts.items()}
        return out

    @classmethod
    def from_record(cls, data: Any) -> Text | None:
        """The Text ``as_record`` stored, or None for anything else (an older message, a damaged
        record: the window then shows the stored English line)."""
        if not isinstance(data, Mapping):
            return None
        code, template, params = data.get("code"), data.get("template"), data.get("params") or {}
        if not isinstance(code, str) or not isinstance(template, str) or not isinstance(params, Mapping):
            return None
        parts: dict[str, Text] = {}
        stored = data.get("parts")
        for k, v in (stored.items() if isinstance(stored, Mapping) else ()):
            part = cls.from_record(v)
            if part is not None:
                parts[str(k)] = part
        return cls(code, template, {str(k): str(v) for k, v in params.items()}, parts)


class SensoriumError(Exception):
    """Base class: the message is a single line meant for the user.

    ``SensoriumError("cannot read {name}: {why}", code="image.unreadable", name=n, why=w)``:
    the template and its params travel as ``.text`` (a ``Text``); ``str(error)`` is the filled
    English line. A plain sentence with no params is its own template."""

    default_code = "error"

    def __init__(self, message: str | Text, /, *, code: str = "", **params: Any):
        text = message if isinstance(message, Text) else Text.of(code or self.default_code, str(message), **params)
        self.text = text
        super().__init__(str(text))

    @classmethod
    def from_text(cls, text: Text, /, **kwargs: Any) -> Self:
        """The error for a line already made with ``Text.of`` (a failed event passed on, a client's
        helper that adds its setting to fix): the template was checked where it was written."""
        return cls(text, **kwargs)

    @property
    def message(self) -> str:
        return str(self)

    @property
    def code(self) -> str:
        return self.text.code


class BadInput(SensoriumError):
    """The input (file, text, parameter) cannot be used; the message says what to do."""

    default_code = "input.bad"


class ModelUnavailable(SensoriumError):
    """No weights for a role could be found; the message names the fix."""

    default_code = "model.unavailable"

    def __init__(self, message: str | Text, /, *, role: str = "", model: str = "", code: str = "", **params: Any):
        if role:
            params.setdefault("role", role)
        if model:
            params.setdefault("model", model)
        super().__init__(message, code=code, **params)
        self.role = role
        self.model = model


class ChecksumMismatch(ModelUnavailable):
    """A model file does not match the sha256 recorded in the catalog."""

    default_code = "model.checksum"


class UntrustedFile(SensoriumError):
    """A pickle-based weight file that the user has not marked as trusted."""

    default_code = "file.untrusted"


class OutOfMemory(SensoriumError):
    """The device ran out of memory and the fallback did not help either."""

    default_code = "device.out_of_memory"


class NewerFileFormat(SensoriumError):
    """A file (the history database) was written by a newer Sensorium; it is left untouched."""

    default_code = "history.newer_format"
