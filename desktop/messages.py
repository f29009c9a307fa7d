"""The window's message model, without Qt: one message as the window shows it (from the store, or
live while a turn streams). The presenter (desktop/presenter.py) updates these from engine events;
the conversation view renders them."""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from pipelines.errors import Text

__all__ = ["MessageItem"]


@dataclass
class MessageItem:
    """One message as the window shows it: from the store, or live while a turn streams."""

    role: str
    text: str = ""
    id: int | None = None
    status: str = "complete"  # complete | streaming | cancelled | interrupted | failed | pending
    created: float = field(default_factory=time.time)
    intent: str | None = None
    intent_reason: str = ""
    intent_reason_text: Text | None = None  # the reason as a Text, said in the interface's language
    intent_confidence: float | None = None
    sentiment: Any = None
    timings: dict = field(default_factory=dict)
    models: dict = field(default_factory=dict)
    attachments: list = field(default_factory=list)
    meta: dict = field(default_factory=dict)
    rating: int = 0
    rating_comment: str = ""
    # live state
    evidence: list = field(default_factory=list)  # [(label, score)]
    image: dict | None = None  # {"prompt", "seed", "paths", "params", ...} once generated
    progress: Any = None  # the latest ImageProgress
    audio: list = field(default_factory=list)  # SpeechChunk events
    error: str = ""

    @classmethod
    def from_message(cls, m: Any) -> MessageItem:
        meta = dict(m.meta or {})
        item = cls(role=m.role, text=m.text, id=m.id, status=m.status, created=m.created, intent=m.intent,
                   intent_reason=m.intent_reason or "", intent_confidence=m.intent_confidence,
                   intent_reason_text=Text.from_record(meta.get("intent_reason_text")),
                   sentiment=m.sentiment, timings=dict(m.timings or {}), models=dict(m.models or {}),
                   attachments=list(m.attachments or []), meta=meta, rating=m.rating or 0,
                   rating_comment=m.rating_comment or "")
        item.evidence = [(e.get("label", ""), float(e.get("score", 0.0))) for e in meta.get("evidence", [])]
        if m.role == "assistant" and "image" in meta:
            img = dict(meta["image"])
            img["paths"] = list(m.attachments or [])
            item.image = img
        item.error = str(meta.get("error", ""))
        if "error_text" in meta:  # stored as a record: the Text again, or dropped when it is damaged
            text = Text.from_record(meta["error_text"])
            if text is None:
                meta.pop("error_text")
            else:
                meta["error_text"] = text
        return item

    @property
    def is_image_turn(self) -> bool:
        return self.intent in ("generate_image", "edit_image")
