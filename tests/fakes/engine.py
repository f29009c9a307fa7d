"""A scripted stand-in for pipelines.engine.Engine: real event types, realistic pacing, real store.

For pure-UI tests and for packaging/screenshots.py only; the main desktop tests drive the real
Engine. It stores messages in the real HistoryStore like the engine does.
"""
from __future__ import annotations

import io
import random
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipelines.cancel import CancelToken
from pipelines.errors import Text
from pipelines.events import (
    Cancelled,
    Done,
    Event,
    ImageEvidence,
    ImageProgress,
    ImageResult,
    Label,
    ModelStatus,
    Routed,
    Sentiment,
    Started,
    Token,
    Transcript,
    Turn,
)
from pipelines.router import _READING, Correction

__all__ = ["FakeEngine", "FakeManager", "FakeCatalog"]


@dataclass
class _RoleState:
    role: str
    state: str = "not-loaded"
    model: str = ""
    device: str = ""
    detail: str = ""
    detail_text: Text | None = None


@dataclass(frozen=True)
class _RoleStatus:
    role: str
    model: str
    status: str = "ready"
    source: str = "package"
    path: str = ""
    message: str = ""
    size_mb: float = 0.0


@dataclass(frozen=True)
class _Entry:
    role: str
    name: str


MODELS = {"chat": "smollm2-135m-instruct", "vision": "clip-vit-b-32", "imagegen": "sd-turbo",
          "asr": "whisper-tiny.en", "tts": "piper-en-us-joe", "embed": "all-minilm-l6-v2"}


class FakeManager:
    def __init__(self, load_s: float = 0.05):
        self._states = {r: _RoleState(r, model=m) for r, m in MODELS.items()}
        self._listeners: list = []
        self.load_s = load_s

    def statuses(self):
        return list(self._states.values())

    def add_listener(self, cb):
        self._listeners.append(cb)

    def remove_listener(self, cb):
        if cb in self._listeners:
            self._listeners.remove(cb)

    def _emit(self, role: str, state: str, device: str = "", detail: Text | None = None, progress=None):
        s = self._states[role]
        s.state, s.device, s.detail, s.detail_text = state, device, str(detail or ""), detail
        for cb in list(self._listeners):
            cb(ModelStatus(role, state, s.detail, device, progress, detail_text=detail))

    def preload(self, role: str):
        if self._states[role].state != "ready":  # the manager's own lines (the same templates)
            self._emit(role, "loading", detail=Text.of("manager.loading", "loading {name}", name=MODELS[role]),
                       progress=0.0)
            time.sleep(self.load_s)
            self._emit(role, "ready", "cpu", Text.of("manager.ready", "{name} on {device} ({seconds} s)",
                                                     name=MODELS[role], device="CPU", seconds=f"{self.load_s:.1f}"))


class FakeCatalog:
    def statuses(self):
        return [_RoleStatus(r, m, size_mb=100.0) for r, m in MODELS.items()]

    def entries(self, role=None):
        return [_Entry(role, MODELS[role]), _Entry(role, MODELS[role] + "-large")]

    def fetch(self, role, name=None, progress=None, cancel=None):
        for _i in range(5):
            if cancel is not None and cancel.cancelled:
                raise RuntimeError("download cancelled")
            time.sleep(0.01)
        return None

    def remove(self, name):
        return False


def _png(color=(90, 120, 200), size=(64, 64), noise: float = 0.0, seed: int = 0, source: Any = None) -> bytes:
    from PIL import Image, ImageFilter

    if source is not None:
        img = source.copy()
        if noise:
            img = img.filter(ImageFilter.GaussianBlur(radius=noise))
    else:
        img = Image.new("RGB", size, color)
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue()


class FakeEngine:
    """respond() yields what the real engine yields for chat, picture questions and drawing."""

    def __init__(self, settings, profile, store=None, *, token_delay: float = 0.02, step_delay: float = 0.03,
                 replies: list[str] | None = None, evidence: list[tuple[str, float]] | None = None,
                 picture: Any = None):
        self.settings, self.profile, self.store = settings, profile, store
        self.manager = FakeManager()
        self.catalog = FakeCatalog()
        self.token_delay, self.step_delay = token_delay, step_delay
        self.replies = list(replies or [])
        self.evidence = evidence or [("an astronaut", 0.62), ("a person in a space suit", 0.21), ("a rocket", 0.09),
                                     ("a pilot", 0.05), ("a cat", 0.03)]
        self.picture = picture  # a PIL image used as the "generated" picture
        self.calls: list[Turn] = []
        self._lock = threading.Lock()

    # ---- what requests meant, kept in the real store as the engine keeps them ---------------------
    def learn_intent(self, message_id: int, intent: str) -> Correction:
        msg = self.store.get_message(message_id)
        if msg is not None and msg.role == "assistant":  # a reply: its request is the user message before it
            before = [m for m in self.store.messages(msg.conversation_id) if m.id < msg.id and m.role == "user"]
            msg = before[-1] if before else None
        correction = Correction(msg.text if msg is not None else "", intent)
        self.store.add_intent_correction(correction, msg.id if msg is not None else None)
        return correction

    def intent_corrections_count(self) -> int:
        return len(self.store.intent_corrections()) if self.store is not None else 0

    def reset_intent_corrections(self) -> int:
        return self.store.clear_intent_corrections() if self.store is not None else 0

    def delete_all_data(self) -> None:
        """As the real engine's: the history (memories included); this fake has no documents or adapters."""
        if self.store is not None:
            self.store.delete_all()
        self.reset_intent_corrections()

    def _sentiment(self, text: str) -> Sentiment:
        t = text.lower()
        score = 0.0
        for w in ("great", "thanks", "love", "good", "nice", "wonderful"):
            score += 0.4 * (w in t)
        for w in ("bad", "awful", "hate", "annoy", "terrible", "wrong", "upset"):
            score -= 0.45 * (w in t)
        score = max(-1.0, min(1.0, score))
        return Sentiment(score, "positive" if score > 0.2 else "negative" if score < -0.2 else "neutral", "fake")

    def respond(self, turn: Turn, cancel: CancelToken | None = None) -> Iterator[Event]:
        cancel = cancel or CancelToken()
        self.calls.append(turn)
        t0 = time.perf_counter()
        text = turn.text
        if turn.audio is not None:
            text = (text + " " if text else "") + "hello from the microphone"
            yield Transcript(text)
        intent = turn.intent or ("describe_image" if turn.images else
                                 "generate_image" if text.lower().startswith(("draw", "paint")) else "chat")
        # the engine's own reasons (the same templates, so the window says them in its language)
        why = (Text.of("engine.intent_given", "chosen in the window") if turn.intent else
               Text.of("router.read_as", "Read as {reading} ({confidence}): {evidence} weighed most.",
                       reading=_READING[intent], confidence="90%",
                       evidence="the attached picture" if turn.images else "the message as a whole"))
        reason = str(why)
        sentiment = self._sentiment(text)
        cid = uid = aid = None
        if self.store is not None:
            cid = turn.conversation_id or self.store.create_conversation(" ".join(text.split())[:60] or "Pictures")
            if turn.regenerate:
                msgs = self.store.messages(cid)
                while msgs and msgs[-1].role == "assistant":
                    self.store.delete_message(msgs[-1].id)
                    msgs.pop()
                text = msgs[-1].text if msgs else text
            else:
                uid = self.store.add_message(cid, "user", text, intent=intent, intent_reason=reason,
                                             intent_confidence=0.9, sentiment=sentiment,
                                             attachments=list(turn.images))
            aid = self.store.begin_message(cid, "assistant", intent=intent, intent_reason=reason,
                                           intent_confidence=0.9)
        yield Started(cid, uid, aid)
        yield Routed(intent, 0.9, reason, sentiment, reason_text=why)
        self.manager.preload("chat")
        reply, meta, attachments, timings = "", {}, [], {}
        try:
            if intent in ("generate_image", "edit_image"):
                self.manager.preload("imagegen")
                opts = turn.image_options
                steps = (opts.steps if opts and opts.steps else None) or min(self.settings.imagegen.steps or 12, 12)  # None: the model default
                seed = opts.seed if opts and opts.seed is not None else random.randint(0, 2**31 - 1)
                start = time.perf_counter()
                for step in range(1, steps + 1):
                    if cancel.wait(self.step_delay):
                        raise _Cancel()
                    preview = _png(source=self.picture, noise=max(0.0, 8.0 * (1 - step / steps))) \
                        if self.picture is not None else _png((40 + 10 * step % 200, 90, 160))
                    yield ImageProgress(step, steps, elapsed_s=time.perf_counter() - start, preview_png=preview)
                out = Path(self.profile.images_dir)
                out.mkdir(parents=True, exist_ok=True)
                path = out / f"fake-{seed}.png"
                path.write_bytes(_png(source=self.picture) if self.picture is not None else _png((200, 120, 60), (128, 128)))
                params = {"width": 512, "height": 512, "steps": steps, "guidance": 7.0, "negative_prompt": "blurry"}
                yield ImageResult((str(path),), seed, text, params=params)
                attachments = [str(path)]
                meta["image"] = {"prompt": text, "seed": seed, "params": params}
                reply = f"Here is the picture of \u201c{text}\u201d (seed {seed})."
                yield Token(reply)
            else:
                if intent == "describe_image":
                    labels = tuple(Label(a, b) for a, b in self.evidence)
                    meta["evidence"] = [{"label": lb.label, "score": lb.score} for lb in labels]
                    yield ImageEvidence(labels, turn.images[0] if turn.images else "", text)
                with self._lock:
                    answer = self.replies.pop(0) if self.replies else f"You said: {text}. This is a **scripted** reply."
                for word in answer.split(" "):
                    if cancel.wait(self.token_delay):
                        raise _Cancel()
                    piece = word + " "
                    reply += piece
                    yield Token(piece)
                reply = reply.rstrip()
        except _Cancel:
            if self.store is not None and aid is not None:
                self.store.finish_message(aid, reply, status="cancelled", meta=meta)
            yield Cancelled(reply, aid)
            return
        timings["total_ms"] = (time.perf_counter() - t0) * 1000
        models = {"chat": MODELS["chat"]}
        if self.store is not None and aid is not None:
            self.store.finish_message(aid, reply, status="complete", timings=timings, models=models, meta=meta,
                                      attachments=attachments)
        yield Done(reply, intent=intent, message_id=aid, conversation_id=cid, timings=timings, models=models)


class _Cancel(Exception):
    pass
