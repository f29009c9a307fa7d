"""Engine events -> message models, without Qt (testable without a QApplication).

The window hands every event of every turn to ``TurnPresenter.event(rid, ev)``; the presenter
updates the turn's ``MessageItem`` objects and returns a ``Change`` that says what the window must
show: which items to re-render, a line for the message bar, whether the conversation list changed,
the conversation a new chat became, a turn that ended (announced to screen readers). Typed turns bring their
items with them (``typed``); a spoken turn gets its bubbles when the runner accepts it (``spoken``),
taking over the bubble that showed the partial transcript.

A request the router could read two ways ends with an ``IntentQuestion``: the turn's reply item
becomes the question (``meta["question"]``: the choices and the stored user message), shown as
"Did you mean…" with a button per reading; it has no stored message of its own (``id`` None).

The presenter's lines are English; a notice or an error of the engine also comes as its
``localizable`` Text (``Change.notice_text`` / ``problem_text``, a failed reply's
``meta["error_text"]``), and the router's reason as ``MessageItem.intent_reason_text``, which the
window renders in the interface's language (desktop/i18n.py).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pipelines.events import (
    Cancelled,
    Citations,
    Done,
    Failed,
    ImageEvidence,
    ImageProgress,
    ImageResult,
    IntentQuestion,
    MemoriesUsed,
    MemoryProposed,
    Notice,
    Routed,
    SearchResults,
    SpeechChunk,
    Started,
    Token,
    Transcript,
    Turn,
)

from .messages import MessageItem

__all__ = ["TurnPresenter", "Change", "LiveTurn", "MEMORY_INTENTS"]

#: The replies the engine writes with the user's memories in the prompt.
MEMORY_INTENTS = ("chat", "ask_documents")


@dataclass
class LiveTurn:
    """A turn accepted by the runner: its items, and who sent it."""

    rid: int
    user: MessageItem | None
    assistant: MessageItem
    turn: Turn
    source: str = "typed"  # typed | voice | regenerate | ...
    chat: Any = None  # the ChatRef the turn was sent in


@dataclass
class Change:
    """What the window must show after one event."""

    updated: list[MessageItem] = field(default_factory=list)
    text_only: bool = False  # only the streaming text of ``updated`` changed
    added: list[MessageItem] = field(default_factory=list)
    removed: list[MessageItem] = field(default_factory=list)
    notice: str = ""  # a short line (tone, a notice of the engine), in English
    notice_text: Any = None  # the engine's notice as a pipelines.errors.Text, when it has one
    tone: str = ""  # the tone the reply takes (the notice "Tone: …")
    problem: str = ""  # a one-line problem, in English
    problem_text: Any = None  # the problem as a pipelines.errors.Text, when it has one
    problem_role: str = ""  # the role whose model is missing, when the problem is one (the window offers it)
    history_changed: bool = False  # the conversation list must be refreshed
    opened: int | None = None  # the turn's new chat became this conversation
    live: LiveTurn | None = None  # the turn the event belongs to
    mood_changed: bool = False
    reload: MessageItem | None = None  # take what the store recorded for this finished item
    finished: LiveTurn | None = None  # the turn ended (Done / Cancelled / Failed): announced to screen readers
    citations: MessageItem | None = None  # this reply's sources arrived: the side panel shows them

    def update(self, *items: MessageItem | None) -> None:
        for it in items:
            if it is not None and it not in self.updated:
                self.updated.append(it)


class TurnPresenter:
    """Keeps the live turns; ``event`` applies an engine event to its items."""

    def __init__(self) -> None:
        self.live: dict[int, LiveTurn] = {}
        self.partial_user: MessageItem | None = None  # a spoken utterance's bubble, before its turn

    # ---- turns beginning -----------------------------------------------------------------
    def typed(self, rid: int, turn: Turn, user: MessageItem | None, assistant: MessageItem, *,
              source: str = "typed", chat: Any = None) -> LiveTurn:
        lv = self.live[rid] = LiveTurn(rid, user, assistant, turn, source, chat)
        return lv

    def spoken(self, rid: int, turn: Turn, chat: Any) -> tuple[LiveTurn, Change]:
        """A spoken turn was accepted: its bubbles (the partial transcript's bubble is reused)."""
        ch = Change()
        user = self.partial_user
        self.partial_user = None
        if user is None:
            user = MessageItem(role="user", text="🎤 …", status="pending", meta={"spoken": True})
            ch.added.append(user)
        assistant = MessageItem(role="assistant", status="streaming")
        ch.added.append(assistant)
        lv = self.live[rid] = LiveTurn(rid, user, assistant, turn, "voice", chat)
        ch.live = lv
        return lv, ch

    def partial(self, text: str) -> Change:
        """A partial transcript of what the person is saying, shown in their bubble as it grows."""
        ch = Change()
        u = self.partial_user
        if u is None:
            u = self.partial_user = MessageItem(role="user", text="", status="pending", meta={"spoken": True})
            ch.added.append(u)
        u.text = text + " …"
        ch.update(u)
        return ch

    def drop_partial(self) -> Change:
        ch = Change()
        if self.partial_user is not None:
            ch.removed.append(self.partial_user)
            self.partial_user = None
        return ch

    def items_by_id(self) -> dict[int, MessageItem]:
        """The stored ids of live items (a conversation reopened mid-turn shows the live ones)."""
        out: dict[int, MessageItem] = {}
        for lv in self.live.values():
            for it in (lv.user, lv.assistant):
                if it is not None and it.id is not None:
                    out[it.id] = it
        return out

    def turn_of(self, item: MessageItem) -> LiveTurn | None:
        return next((lv for lv in self.live.values() if item in (lv.user, lv.assistant)), None)

    # ---- events ----------------------------------------------------------------------------
    def event(self, rid: int, ev: Any) -> Change:
        lv = self.live.get(rid)
        ch = Change(live=lv)
        if lv is None:
            return ch
        a, u = lv.assistant, lv.user
        if isinstance(ev, Started):
            a.id = ev.assistant_message_id
            if u is not None:
                u.id = ev.user_message_id
                u.status = "complete"
                ch.update(u)
            if ev.conversation_id is not None:
                ch.opened = ev.conversation_id
            ch.history_changed = True
        elif isinstance(ev, Routed) and ev.unsure:  # a question follows: nothing is drawn or said yet
            a.intent, a.intent_reason, a.intent_confidence = None, ev.reason, ev.confidence
            a.intent_reason_text = ev.reason_text
            if u is not None:
                u.sentiment = ev.sentiment
                ch.update(u)
                ch.mood_changed = True
            ch.update(a)
        elif isinstance(ev, Routed):
            a.intent, a.intent_reason, a.intent_confidence = ev.intent, ev.reason, ev.confidence
            if ev.intent in MEMORY_INTENTS:  # "how it was understood" says which memories it used, or none
                a.meta.setdefault("memories_used", [])
            a.intent_reason_text = ev.reason_text
            if u is not None:
                u.intent, u.intent_reason, u.intent_confidence, u.sentiment = (ev.intent, ev.reason, ev.confidence,
                                                                               ev.sentiment)
                u.intent_reason_text = ev.reason_text
                ch.update(u)
                ch.mood_changed = True
            if ev.tone:
                ch.notice, ch.tone = f"Tone: {ev.tone}", ev.tone
            ch.update(a)
        elif isinstance(ev, Transcript):
            if u is not None:
                u.text = ev.text or u.text
                ch.update(u)
        elif isinstance(ev, Token):
            a.text += ev.text
            ch.update(a)
            ch.text_only = True
        elif isinstance(ev, ImageEvidence):
            a.evidence = [(lb.label, float(lb.score)) for lb in ev.labels]
            if ev.verdict:
                a.meta["evidence_verdict"] = ev.verdict
            ch.update(a)
        elif isinstance(ev, ImageProgress):
            a.progress = ev
            if not a.is_image_turn and a.intent not in ("search_images",):
                a.intent = "generate_image"
            if a.is_image_turn:
                ch.update(a)
        elif isinstance(ev, ImageResult):
            a.image = {"prompt": ev.prompt, "seed": ev.seed, "paths": list(ev.paths), "params": dict(ev.params),
                       "flagged": list(ev.flagged), "scores": list(ev.scores)}
            a.attachments = list(ev.paths)
            ch.update(a)
        elif isinstance(ev, SearchResults):
            a.meta["search"] = {"folder": ev.folder, "results": [(h.path, h.score) for h in ev.results]}
        elif isinstance(ev, SpeechChunk):
            a.audio.append(ev)
        elif isinstance(ev, Citations):  # the passages the reply rests on, as the store keeps them
            a.meta["citations"] = [p.as_citation() for p in ev.passages]
            ch.update(a)
            ch.citations = a
        elif isinstance(ev, MemoriesUsed):
            a.meta["memories_used"] = [m.id for m in ev.memories]  # as the store keeps them
            a.meta["memories_used_texts"] = [m.text for m in ev.memories]
            ch.update(a)
        elif isinstance(ev, MemoryProposed) and ev.proposals:
            a.meta["memory"] = {"proposals": list(ev.proposals), "message_id": ev.message_id,
                                "states": ["asking"] * len(ev.proposals), "texts": [m.text for m in ev.proposals]}
            ch.update(a)
        elif isinstance(ev, IntentQuestion):
            a.meta["question"] = {"choices": [(c.intent, c.label, float(c.probability)) for c in ev.choices],
                                  "message_id": ev.message_id}
            ch.update(a)
        elif isinstance(ev, Notice):
            ch.notice, ch.notice_text = ev.text, ev.localizable
        elif isinstance(ev, Done) and ev.intent == "ask":  # the question is the turn's end: no reply stored
            a.status = "complete"
            a.timings = dict(ev.timings)
            if ev.conversation_id is not None:
                ch.opened = ev.conversation_id
            self._finish_user(u, ch)
            ch.update(a)
            ch.history_changed = True
        elif isinstance(ev, Done):
            self._done(lv, ev, ch)
        elif isinstance(ev, Cancelled):
            if a.status != "interrupted":  # a spoken reply cut to what was heard stays so (ReplyHeard)
                if ev.partial_text:
                    a.text = ev.partial_text
                a.status = "cancelled"
            a.id = ev.message_id if ev.message_id is not None else a.id
            self._finish_user(u, ch)
            ch.update(a)
            ch.history_changed = True
        elif isinstance(ev, Failed):
            a.status = "interrupted" if a.text.strip() else "failed"  # the part that came is kept (as stored)
            a.error = ev.message
            if ev.localizable is not None:
                a.meta["error_text"] = ev.localizable  # the bubble says it in the interface's language
            self._finish_user(u, ch)
            ch.update(a)
            ch.problem, ch.problem_role, ch.problem_text = ev.message, ev.role, ev.localizable
            ch.history_changed = True
        if isinstance(ev, (Done, Cancelled, Failed)):
            ch.finished = self.live.pop(rid, None)
        return ch

    def _done(self, lv: LiveTurn, ev: Done, ch: Change) -> None:
        a, u = lv.assistant, lv.user
        if lv.source == "voice" and ev.intent == "none" and a.id is None:
            ch.removed.extend(it for it in (u, a) if it is not None)  # nothing was heard: no message
            return
        if a.status != "interrupted":  # a spoken reply cut to what was heard stays so (ReplyHeard)
            if ev.text:
                a.text = ev.text
            a.status = "complete"
        a.timings, a.models = dict(ev.timings), dict(ev.models)
        a.id = ev.message_id if ev.message_id is not None else a.id
        if ev.conversation_id is not None:
            ch.opened = ev.conversation_id
        self._finish_user(u, ch)
        ch.reload = a
        ch.update(a)
        ch.history_changed = True

    @staticmethod
    def heard(item: MessageItem, text: str, generated: str) -> Change:
        """A spoken reply was interrupted: it shows (and is stored as) what was heard."""
        ch = Change()
        item.text, item.status = text, "interrupted"
        item.meta["interrupted"] = {"heard_chars": len(text), "generated_chars": len(generated),
                                    "generated": generated}
        ch.update(item)
        return ch

    @staticmethod
    def spoken_latency(item: MessageItem, total_ms: float, breakdown: dict[str, float]) -> Change:
        """The first sample of a spoken reply reached the speaker: the figure and its breakdown."""
        ch = Change()
        item.timings["speech_to_speaker_ms"] = total_ms
        item.meta["latency_breakdown"] = dict(breakdown)
        ch.update(item)
        return ch

    @staticmethod
    def _finish_user(u: MessageItem | None, ch: Change) -> None:
        if u is not None and u.status == "pending":
            u.status = "complete"
            ch.update(u)

