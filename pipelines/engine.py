"""The conversation engine: one user turn in, a stream of typed events out.

``Engine.respond(turn, cancel)`` transcribes audio, routes the turn to an intent, calls the
roles through the model manager and yields events. It never raises for bad input: that is a
``Failed`` event with a one-line message. Cancellation is a ``Cancelled`` event. Every finished
message is stored at once; a reply cut off by cancel is kept and marked as such, and the partial
text of a streaming reply is saved as it grows so that a crash loses at most a moment of it.
"""
from __future__ import annotations

import contextlib
import dataclasses
import logging
import queue
import re
import threading
import time
import unicodedata
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .cancel import Cancelled as CancelledError
from .cancel import CancelToken
from .catalog import Catalog
from .errors import BadInput, ModelUnavailable, SensoriumError, Text
from .events import (
    Cancelled,
    Done,
    Event,
    Failed,
    ImageEvidence,
    ImageProgress,
    ImageResult,
    IntentChoice,
    IntentQuestion,
    Label,
    MemoriesUsed,
    MemoryItem,
    MemoryProposed,
    Notice,
    Routed,
    SearchHit,
    SearchResults,
    Sentiment,
    Started,
    Token,
    Transcript,
    Turn,
)
from .manager import ModelManager
from .paths import Profile
from .settings import Settings

if TYPE_CHECKING:  # pragma: no cover
    from .router import Correction, Intent
    from .vlm import QA

__all__ = ["Engine", "clean_text", "given_intent", "disagreement", "MAX_TEXT_CHARS", "CLIP_CONFIDENT",
           "CLIP_SURE_YES_NO"]

log = logging.getLogger(__name__)

MAX_TEXT_CHARS = 200_000  # a 1 MB paste is cut here (the context manager trims further)
SAVE_PARTIAL_EVERY_S = 0.5
_CONTROL = {c for c in map(chr, range(32)) if c not in "\n\t"} | {"\x7f"}

_IMAGE_PREFIX = re.compile(
    r"^\s*(please\s+)?(can you\s+|could you\s+)?(draw|paint|sketch|imagine|render|illustrate|generate|create|make)"
    r"(\s+me)?(\s+(an?\s+|the\s+|some\s+)?(image|picture|photo|illustration|painting|drawing)s?(\s+(of|showing|with))?)?"
    r"\s*[:,]?\s*", re.I)
_IMAGE_PREFIX_ZH = re.compile(r"^\s*(请|帮我|给我)?(画|生成|绘制|创作)(一|几)?(张|幅|个)?(图片|图像|画|照片)?(，|,|:|：)?")


def clean_text(text: str) -> str:
    """Make user text safe to store and process: no lone surrogates or control characters."""
    if not text:
        return ""
    text = text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    text = "".join(ch for ch in text if ch not in _CONTROL)
    return unicodedata.normalize("NFC", text)


def image_prompt(text: str) -> str:
    """The picture description from a request like 'draw me a cat on a sofa'."""
    stripped = _IMAGE_PREFIX_ZH.sub("", _IMAGE_PREFIX.sub("", text, count=1), count=1).strip()
    return stripped or text.strip()


@dataclass
class _TurnState:
    conversation_id: int | None = None
    user_id: int | None = None
    assistant_id: int | None = None
    reply: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    models: dict[str, str] = field(default_factory=dict)
    meta: dict[str, Any] = field(default_factory=dict)
    attachments: list[str] = field(default_factory=list)
    intent: str = "chat"
    last_save: float = 0.0
    speech_end: float | None = None
    language: str = ""  # the turn's language: Whisper's (or the forced one) for speech, the script's for text
    language_note: Text | None = None  # said once: the speech model could not listen for the forced language

    def add_piece(self, piece: str, now: float, t0: float, t_start: float) -> None:
        """A piece of the reply, generated at ``now`` (the model was asked at ``t_start``)."""
        if "first_token_ms" not in self.timings:
            self.mark("first_token_ms", now, t0)
            self.timings["llm_first_token_ms"] = (now - t_start) * 1000
        self.reply.append(piece)

    def mark(self, key: str, now: float, t0: float) -> None:
        """Record a milestone once: from the turn's start, and from the end of speech for voice turns."""
        if key in self.timings:
            return
        self.timings[key] = (now - t0) * 1000
        if self.speech_end is not None:
            self.timings["speech_to_" + key.removesuffix("_ms") + "_ms"] = (now - self.speech_end) * 1000

    @property
    def text(self) -> str:
        return "".join(self.reply)


class Engine:
    def __init__(self, settings: Settings, profile: Profile, *, store: Any = None,
                 manager: ModelManager | None = None, catalog: Catalog | None = None,
                 router: Any = None, clock: Callable[[], float] = time.perf_counter):
        from .devices import tune_cpu_runtimes

        tune_cpu_runtimes()  # a script's engine too (numpy's BLAS threads, CTranslate2's kernels)
        self.settings = settings
        self.profile = profile
        self.store = store
        self.catalog = catalog or (manager.catalog if manager else Catalog.load(settings, profile))
        self.manager = manager or ModelManager(self.catalog, settings, profile)
        self._clock = clock
        self._router = router  # made on first use (with the embed role and the stored corrections) when None
        self._sentiment = None
        self._lock = threading.Lock()
        self._revise = threading.Lock()  # stored replies revised after their turn (cut_reply, add_timings)
        self._told = set[tuple[Any, ...]]()  # notices said once per conversation (see _once)
        self._documents: Any = None  # the document index, opened on first use (document_index)
        from .tempfiles import profile_temp_dirs, remove_stale

        for p in remove_stale(profile_temp_dirs(profile)):  # left by a process that was killed
            log.info("removed the stale temporary file %s", p)

    # ---- the user's documents (pipelines/knowledge) ---------------------------------------
    def document_index(self):
        """The index of the user's documents (profile.documents_db), embedded with the embed role."""
        from .knowledge.index import DocumentIndex

        with self._lock:
            if self._documents is None:
                self._documents = DocumentIndex(
                    self.profile.documents_db, _LeasedEmbedder(self.manager, passages=True),
                    chunk_chars=self.settings.documents.chunk_chars, model_key=self.catalog.chosen("embed"))
            return self._documents

    def index_documents(self, paths, cancel: CancelToken | None = None) -> Iterator[Event]:
        """Index files and folders: ``IndexProgress`` per file, then ``Indexed``."""
        index = self.document_index()
        yield (yield from _pump(lambda progress: index.add(paths, progress=progress, cancel=cancel)))

    def documents(self):
        return self.document_index().documents()

    def close_documents(self) -> None:
        """Close the document index (before its file is deleted); the next use opens it again."""
        with self._lock:
            index, self._documents = self._documents, None
        if index is not None:
            index.close()

    def remove_documents(self, path) -> int:
        return self.document_index().remove(path)

    def _ask_documents(self, turn: Turn, text: str, images, intent, tone, cancel, st: _TurnState, t0, transcript):
        from .knowledge.answer import answer

        yield from answer(self, turn, text, cancel, st, t0,
                          lambda: self._chat(turn, text, images, intent, tone, cancel, st, t0, transcript))

    # ---- helpers made on first use ------------------------------------------------------
    @property
    def router(self):
        with self._lock:
            if self._router is None:
                from .router import IntentRouter

                embedder: _LeasedEmbedder | None = _LeasedEmbedder(self.manager)
                try:
                    self.manager.preload("embed")
                except SensoriumError as e:
                    log.warning("intent router without embeddings: %s", e)
                    embedder = None
                corrections = self.store.intent_corrections() if self.store is not None else ()
                # the weights of the shipped labelled set are the machine's; those refitted with
                # the user's corrections stay in the profile (and go with reset and delete-all)
                self._router = IntentRouter(embedder=embedder, corrections=corrections,
                                            cache_dir=self.profile.machine_cache / "intent",
                                            learned_dir=self.profile.cache_dir / "intent")
            return self._router

    def prepare_router(self) -> None:
        """Load the intent classifier (on the first run: train it, seconds) ahead of the first turn."""
        router = self.router
        if hasattr(router, "prepare"):
            router.prepare()

    # ---- what the user said a request meant -----------------------------------------------
    def learn_intent(self, message_id: int, intent: str) -> Correction:
        """Store that the request of ``message_id`` (a user message, or the reply to one) meant
        ``intent``, and let the router learn it now: a similar request is routed that way next."""
        from .router import INTENTS, Correction

        if intent not in INTENTS:
            raise BadInput("unknown intent {intent}: choose one of {choices}", code="engine.unknown_intent",
                           intent=repr(intent), choices=', '.join(INTENTS))
        if self.store is None:
            raise BadInput("corrections need the conversation history: switch history on in Settings",
                           code="engine.corrections_need_history")
        msg = self.store.get_message(message_id)
        if msg is not None and msg.role == "assistant":
            before = [m for m in self.store.messages(msg.conversation_id) if m.id < msg.id and m.role == "user"]
            msg = before[-1] if before else None
        if msg is None:
            raise BadInput("message {message_id} does not exist any more, so there is nothing to correct",
                           code="engine.correction_message_gone", message_id=message_id)
        correction = Correction(msg.text, intent, has_image=bool(msg.attachments),
                                has_audio=bool(msg.meta.get("audio_file")))
        self.store.add_intent_correction(correction, msg.id)
        self.router.learn(correction)
        log.info("learned: %r means %s", msg.text[:80], intent)
        return correction

    def intent_corrections_count(self) -> int:
        """How many corrections the router has learned (Settings shows it)."""
        with self._lock:
            if self._router is not None:
                return int(self._router.corrections_count)
        return len(self.store.intent_corrections()) if self.store is not None else 0

    def reset_intent_corrections(self) -> int:
        """Forget every learned correction; returns how many there were."""
        n = self.store.clear_intent_corrections() if self.store is not None else 0
        with self._lock:
            if self._router is not None:
                n = max(n, int(self._router.corrections_count))
                self._router.forget()
        return n

    @property
    def sentiment(self):
        with self._lock:
            if self._sentiment is None:
                from .sentiment import SentimentAnalyzer

                # jieba's dictionary is kept in the user's own cache, not the shared temp folder
                self._sentiment = SentimentAnalyzer(cache_dir=self.profile.machine_cache / "jieba")
            return self._sentiment

    @contextlib.contextmanager
    def chat_lease(self, cancel: CancelToken | None = None) -> Iterator[Any]:
        """``with engine.chat_lease() as backend:`` the chat backend for the block, leased from the
        manager: a local model, or the client of the serving engine ``[servers.chat]`` names
        (``cancel`` stops a first-use download)."""
        with self.manager.lease("chat", cancel=cancel) as backend:
            yield backend

    def cut_reply(self, message_id: int, heard: str) -> None:
        """A spoken reply the user interrupted: store what was heard (cut at the point playback
        stopped) as the reply, marked interrupted, so that the next turn's model sees only that. The
        text that was generated is kept in the message's meta."""
        def change(msg: Any) -> tuple[str, str, dict[str, Any]]:
            meta = {**msg.meta, "interrupted": {"heard_chars": len(heard), "generated_chars": len(msg.text),
                                                "generated": msg.text}}
            return heard, "interrupted", {"meta": meta}

        self._revise_stored(message_id, "the interrupted reply", change)

    def add_timings(self, message_id: int, timings: dict[str, float]) -> None:
        """Figures measured after a reply was stored (the latency at the speaker) join its timings."""
        self._revise_stored(message_id, "the reply's timings",
                            lambda msg: (msg.text, msg.status, {"timings": {**msg.timings, **timings}}))

    def _revise_stored(self, message_id: int, what: str,
                       change: Callable[[Any], tuple[str, str, dict[str, Any]]]) -> None:
        """Rewrite a stored message after its turn: ``change(msg)`` gives its text, status and fields.
        One at a time (the speaker's and the runner's threads both revise); a failure is only logged."""
        if self.store is None:
            return
        try:
            with self._revise:
                msg = self.store.get_message(message_id)
                if msg is not None:
                    text, status, fields = change(msg)
                    self.store.finish_message(message_id, text, status=status, **fields)
        except Exception:
            log.exception("could not store %s", what)

    # ---- personal memory (pipelines.knowledge.memory; stored in the history) ------------------
    def _memory_store(self):
        if self.store is None:
            raise BadInput("memories are kept with the history, which is off: turn history on in Settings to "
                           "remember things", code="engine.memory_needs_history")
        return self.store

    def memories(self) -> list[MemoryItem]:
        """Every stored memory, oldest first ([] without a history)."""
        return self.store.memories() if self.store is not None else []

    def accept_memory(self, item: MemoryItem, message_id: int | None = None) -> MemoryItem:
        """Store a proposed (or typed) memory; returns it with its id."""
        return self._memory_store().add_memory(item.text, item.kind, item.value, source_message_id=message_id)

    def update_memory(self, memory_id: int, text: str) -> MemoryItem:
        return self._memory_store().update_memory(memory_id, text)

    def delete_memory(self, memory_id: int) -> bool:
        return self._memory_store().delete_memory(memory_id)

    def _memory_on(self, turn: Turn) -> bool:
        return self.store is not None and self.settings.memory.enabled and not turn.temporary

    def _preferred_language(self, turn: Turn) -> str:
        """The reply language an explicit "answer in ..." memory asks for ('' for none). It wins over the
        script of typed text and over the language Whisper heard (or ``voice.language`` forced) for the
        reply, its instruction and its voice; ``voice.language`` still decides what speech recognition
        listens for, since that is about how the user speaks, not how they want to be answered."""
        if not self._memory_on(turn):
            return ""
        from .knowledge.memory import preferred_language

        return preferred_language(self.store.memories())

    def _propose_memories(self, turn: Turn, text: str, st: _TurnState) -> Iterator[MemoryProposed]:
        """What the message states about the user and is not remembered yet (nothing is stored)."""
        if not self._memory_on(turn) or not text:
            return
        from .knowledge.memory import propose

        known = {(m.kind, m.text.casefold()) for m in self.store.memories()}
        new = tuple(p for p in propose(text) if (p.kind, p.text.casefold()) not in known)
        if new:
            yield MemoryProposed(new, st.user_id)

    def _memories_for(self, turn: Turn, text: str) -> tuple[MemoryItem, ...]:
        """The memories for this chat turn's prompt: name and language always, others by similarity."""
        if not self._memory_on(turn):
            return ()
        stored = self.store.memories()
        if not stored:
            return ()
        from .knowledge.memory import ALWAYS, relevant

        embedder = _LeasedEmbedder(self.manager) if any(m.kind not in ALWAYS for m in stored) else None
        return relevant(stored, text, embedder, self.settings.memory.max_in_prompt)

    # ---- learning from ratings (pipelines.learning) ------------------------------------------
    def adapters(self):
        """The adapters trained from the ratings (``pipelines.learning.adapters.AdapterRegistry``)."""
        from .learning.adapters import AdapterRegistry

        return AdapterRegistry(self.profile.adapters_dir)

    def learn_from_ratings(self, cancel: CancelToken | None = None) -> Iterator[Event]:
        """Train an adapter from the history's ratings: LearnProgress events, then Learned (an accepted
        adapter is on from the next reply). Cancel stops it between steps: Learned(cancelled=True)."""
        from .learning.session import cancelled_event, run

        try:
            learned = yield from _pump(lambda progress: run(self, progress, cancel))
        except CancelledError:
            yield cancelled_event()
            return
        if learned.accepted:
            self.manager.unload("chat")  # the next lease loads the model with its adapter
        yield learned

    def set_adapter(self, adapter_id: str | None, model: str | None = None) -> None:
        """Switch an adapter on (``adapter_id``), or the chat model's adapter off (None); the next reply
        uses the choice."""
        registry = self.adapters()
        if adapter_id:
            registry.activate(adapter_id)
        else:
            registry.deactivate(model or self.catalog.chosen("chat"))
        self.manager.unload("chat")

    def delete_adapter(self, adapter_id: str) -> None:
        if self.adapters().delete(adapter_id).active:
            self.manager.unload("chat")

    def delete_all_data(self) -> None:
        """"Delete all data": the history (conversations, pictures, learned corrections, memories), the
        document index and the trained adapters."""
        import shutil

        if self.store is not None:
            self.store.delete_all()
        self.reset_intent_corrections()
        self.close_documents()  # its connections would go on writing to the deleted file
        db = self.profile.documents_db
        for path in (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")):
            path.unlink(missing_ok=True)
        shutil.rmtree(self.profile.adapters_dir, ignore_errors=True)
        self.manager.unload("chat")  # it may carry one of those adapters

    # ---- the turn ------------------------------------------------------------------------
    def respond(self, turn: Turn, cancel: CancelToken | None = None) -> Iterator[Event]:
        cancel = cancel or CancelToken()
        st = _TurnState()
        t0 = self._clock()
        st.speech_end = turn.speech_end
        try:
            yield from self._respond(turn, cancel, st, t0)
        except CancelledError:
            self._finish(st, "cancelled")
            yield Cancelled(st.text, st.assistant_id)
        except SensoriumError as e:
            self._finish(st, self._broken(st), error=str(e), error_text=e.text)
            yield Failed(str(e), getattr(e, "role", ""), e.text)
        except Exception as e:
            log.exception("turn failed")
            text = Text.of("turn.crashed", "something went wrong ({kind}: {what}); your conversation is safe, "
                           "details are in {log}", kind=type(e).__name__, what=" ".join(str(e).split())[:160],
                           log=self.profile.log_file)
            self._finish(st, self._broken(st), error=str(text), error_text=text)
            yield Failed(str(text), localizable=text)

    @staticmethod
    def _broken(st: _TurnState) -> str:
        """How a reply that failed is stored: ``interrupted`` when part of it had come (a server that
        went away mid-reply: the part is kept, and the next turn's model sees it ending in "…"),
        else ``failed``."""
        return "interrupted" if st.text.strip() else "failed"

    def _respond(self, turn: Turn, cancel: CancelToken, st: _TurnState, t0: float) -> Iterator[Event]:
        text = clean_text(turn.text)
        if len(text) > MAX_TEXT_CHARS:
            text = text[:MAX_TEXT_CHARS]
            yield Notice.from_text(Text.of("engine.message_too_long", "your message was {count} characters; only "
                                           "the first {limit} are used", count=f"{len(turn.text):,}",
                                           limit=f"{MAX_TEXT_CHARS:,}"))
        images = tuple(self._check_image(p) for p in turn.images)
        transcript = None
        if turn.audio is not None:
            transcript = yield from self._transcribe(turn, cancel, st, t0)
            if not transcript.text.strip() and not text:
                yield Notice.from_text(Text.of("engine.no_speech", "no speech was heard, so nothing was sent"))
                yield Done("", intent="none", timings=dict(st.timings))
                return
            text = (text + " " + transcript.text).strip() if text else transcript.text.strip()
        if not text and not images and not turn.regenerate:
            raise BadInput("the message is empty: type something, speak, or attach a picture",
                           code="engine.empty_message")
        # routing and sentiment
        t_route = self._clock()
        asked = None
        if turn.regenerate:
            text, images, asked = self._last_user_turn(turn, images)
        if not st.language and text:  # typed: the script tells (a spoken turn has Whisper's language)
            from .voice import text_language

            st.language = text_language(text)
        st.language = self._preferred_language(turn) or st.language  # "answer in Chinese" wins (see there)
        if st.language:
            st.meta["language"] = st.language
        sentiment = self.sentiment.analyze(text) if text else Sentiment(0.0, "neutral", "empty")
        if turn.intent:
            if turn.intent_source in ("choice", "correction") and asked is not None:
                self.learn_intent(asked.id, turn.intent)
            if turn.intent_source == "choice":
                why = Text.of("engine.intent_chosen", "you chose this reading")
            elif turn.intent_source == "correction":
                why = Text.of("engine.intent_corrected", "you said this is what you meant")
            elif not turn.folder:
                why = Text.of("engine.intent_given", "chosen in the window")
            else:
                why = Text.of("engine.search_command", "search command")
            intent = given_intent(turn.intent, why, text)
        else:
            intent = self._route(turn, text, images)
        st.timings["route_ms"] = (self._clock() - t_route) * 1000
        st.intent = intent.intent
        if intent.unsure and len(intent.alternatives) >= 2 and self.settings.general.ask_when_unsure:
            yield from self._ask(turn, text, images, intent, sentiment, st, t0, cancel)
            return
        tone = ""
        if self.settings.chat.adapt_tone and intent.intent == "chat":
            from .sentiment import is_upset

            if is_upset(sentiment):
                tone = "gentle: you sound upset, so the reply is calm and supportive"
        # storage
        self._store_user(turn, text, images, intent, sentiment, st)
        yield Started(st.conversation_id, st.user_id, st.assistant_id)
        yield Routed(intent.intent, float(intent.confidence), intent.reason, sentiment, tone,
                     alternatives=tuple(intent.alternatives), reason_text=intent.reason_text)
        yield from self._once(st, st.language_note)
        yield from self._propose_memories(turn, text, st)
        handler = {
            "chat": self._chat, "describe_image": self._describe, "generate_image": self._imagine,
            "edit_image": self._imagine, "search_images": self._search, "transcribe_audio": self._transcribe_reply,
            "ask_documents": self._ask_documents,
        }.get(intent.intent, self._chat)
        yield from handler(turn, text, images, intent, tone, cancel, st, t0, transcript)
        st.timings["total_ms"] = (self._clock() - t0) * 1000
        self._finish(st, "complete")
        yield Done(st.text, intent=st.intent, message_id=st.assistant_id, conversation_id=st.conversation_id,
                   timings=dict(st.timings), models=dict(st.models), language=st.language)

    def _once(self, st: _TurnState, text: Text | None) -> Iterator[Notice]:
        """``text`` as a Notice the first time this conversation hits it (with history off: the first
        time this session does), nothing after: a missing voice is worth one line, not one a turn."""
        if text is None:
            return
        key = (st.conversation_id, text.code, tuple(sorted(text.params.items())))
        with self._lock:
            if key in self._told:
                return
            self._told.add(key)
        yield Notice(str(text), localizable=text)

    def _ask(self, turn: Turn, text: str, images: tuple[Path, ...], intent, sentiment: Sentiment,
             st: _TurnState, t0: float, cancel: CancelToken) -> Iterator[Event]:
        """Two readings are about as likely: store the question, offer both, answer nothing yet."""
        from .router import INTENT_CHOICE_LABELS

        choices = tuple(IntentChoice(name, INTENT_CHOICE_LABELS.get(name, name), float(p))
                        for name, p in intent.alternatives[:2])
        # the question is kept with the request, so a conversation reopened later can still ask it
        asked = {"question": {"choices": [[c.intent, c.label, c.probability] for c in choices]}}
        self._store_user(turn, text, images, intent, sentiment, st, reply=False, meta=asked)
        yield Started(st.conversation_id, st.user_id, None)
        yield Routed(intent.intent, float(intent.confidence), intent.reason, sentiment,
                     alternatives=tuple(intent.alternatives), unsure=True, reason_text=intent.reason_text)
        yield IntentQuestion(choices, st.user_id, st.conversation_id)
        if turn.speak:  # a spoken turn hears the question too (the window shows its buttons)
            with contextlib.ExitStack() as held:
                speaker = _Speaker(self, cancel, st, held)
                asked_aloud = "Did you mean: " + ", or ".join(c.label.lower() for c in choices) + "?"
                for chunk in speaker.synth.stream(asked_aloud, cancel):
                    st.mark("first_audio_ms", self._clock(), t0)
                    yield chunk
        st.timings["total_ms"] = (self._clock() - t0) * 1000
        # no reply was stored: the Done carries no message id (the question's is in IntentQuestion)
        yield Done("", intent="ask", conversation_id=st.conversation_id, timings=dict(st.timings))

    def _route(self, turn: Turn, text: str, images: tuple[Path, ...]):
        """The router's decision. A follow-up about a picture: a turn without one, right after a reply
        about a picture in the same conversation, is routed as if that picture were attached; when the
        router then reads it as a question about the picture (not merely by default), it is one, and
        ``_describe`` takes the conversation's picture. Otherwise it is routed as it stands."""
        has_audio = turn.audio is not None and not turn.spoken  # speech from the microphone is routed by its words
        if not images and text and self._last_reply_was_about_a_picture(turn.conversation_id):
            guess = self.router.route(text, has_image=True, has_audio=has_audio)
            if guess.intent == "describe_image" and guess.method not in ("default", "keywords"):
                why = Text.of("engine.picture_follow_up", "a follow-up about the picture earlier in this "
                              "conversation: {reason}", reason=guess.reason_text or guess.reason)
                return dataclasses.replace(guess, reason=str(why), reason_text=why)
        return self.router.route(text, has_image=bool(images), has_audio=has_audio)

    def _last_reply_was_about_a_picture(self, cid: int | None) -> bool:
        replies = [m for m in self._stored(cid) if m.role == "assistant"]
        return bool(replies) and replies[-1].intent == "describe_image" and replies[-1].status == "complete"

    def _stored(self, cid: int | None) -> list[Any]:
        """The stored messages of a conversation ([] without history or a conversation)."""
        return self.store.messages(cid) if self.store is not None and cid is not None else []

    @staticmethod
    def _conversation_picture(stored: list[Any]) -> Path | None:
        """The last picture of a conversation (attached by the user, drawn, or asked about), or None."""
        for m in reversed(stored):
            asked = (m.meta or {}).get("image_answer", {}).get("image") if m.role == "assistant" else None
            found = [asked] if asked else list(m.attachments) if m.role == "user" or m.intent in (
                "generate_image", "edit_image") else []
            for path in found:
                if path and Path(path).is_file():
                    return Path(path)
        return None

    @staticmethod
    def _earlier_answers(stored: list[Any], st: _TurnState, picture: Path) -> list[QA]:
        """Earlier questions and answers about ``picture`` in this conversation, oldest first."""
        from .vlm import QA

        out = []
        for m in stored:
            ia = (m.meta or {}).get("image_answer") if m.role == "assistant" and m.status == "complete" else None
            if ia and ia.get("image") == str(picture) and m.id != st.assistant_id:
                out.append(QA(str(ia.get("question", "")), str(ia.get("description") or m.text)))
        return out

    # ---- storage --------------------------------------------------------------------------
    def _store_user(self, turn: Turn, text: str, images: tuple[Path, ...], intent, sentiment: Sentiment,
                    st: _TurnState, *, reply: bool = True, meta: dict[str, Any] | None = None) -> None:
        if self.store is None or turn.temporary:  # a temporary chat stores nothing
            return
        cid = turn.conversation_id
        if cid is None:
            title = " ".join(text.split())[:60] or "Pictures"
            cid = self.store.create_conversation(title)
        st.conversation_id = cid
        # the reason as a Text too: a conversation reopened later says it in the window's language
        why = {"intent_reason_text": intent.reason_text.as_record()} if intent.reason_text is not None else {}
        if not turn.regenerate:
            st.user_id = self.store.add_message(
                cid, "user", text, intent=intent.intent, intent_reason=intent.reason,
                intent_confidence=float(intent.confidence), sentiment=sentiment,
                attachments=[str(p) for p in images],
                meta={"spoken": turn.spoken, "audio_file": turn.audio is not None and not turn.spoken, **why,
                      **(meta or {})})
        if not reply:
            return
        st.meta.update(why)  # kept when the reply is finished (finish_message writes st.meta)
        st.assistant_id = self.store.begin_message(cid, "assistant", intent=intent.intent,
                                                   intent_reason=intent.reason,
                                                   intent_confidence=float(intent.confidence), meta=dict(why))

    def _last_user_turn(self, turn: Turn, images: tuple[Path, ...]) -> tuple[str, tuple[Path, ...], Any]:
        if self.store is None or turn.conversation_id is None or turn.temporary:
            raise BadInput("there is nothing to regenerate yet: send a message first",
                           code="engine.nothing_to_regenerate")
        msgs = self.store.messages(turn.conversation_id)
        while msgs and msgs[-1].role == "assistant":
            self.store.delete_message(msgs[-1].id)
            msgs.pop()
        if not msgs:
            raise BadInput("there is nothing to regenerate yet: send a message first",
                           code="engine.nothing_to_regenerate")
        last = msgs[-1]
        return last.text, images or tuple(Path(a) for a in last.attachments), last

    def _save_partial(self, st: _TurnState) -> None:
        if self.store is None or st.assistant_id is None:
            return
        now = self._clock()
        if now - st.last_save >= SAVE_PARTIAL_EVERY_S:
            st.last_save = now
            self.store.update_message(st.assistant_id, st.text)

    def _finish(self, st: _TurnState, status: str, error: str = "", error_text: Text | None = None) -> None:
        if self.store is None or st.assistant_id is None:
            return
        if error:
            st.meta["error"] = error
        if error_text is not None:  # reopened later, the window says it in its language
            st.meta["error_text"] = error_text.as_record()
        try:
            self.store.finish_message(st.assistant_id, st.text, status=status, timings=st.timings,
                                      models=st.models, meta=st.meta, attachments=st.attachments)
        except Exception:
            log.exception("could not store the reply")

    # ---- inputs ---------------------------------------------------------------------------
    def _check_image(self, path: str) -> Path:
        from .images import open_image

        p = Path(path).expanduser()
        open_image(p)  # raises BadInput with the fix for anything unreadable
        return p

    def _transcribe(self, turn: Turn, cancel: CancelToken, st: _TurnState, t0: float):
        from .asr import Decoding
        from .audio import load_audio

        if turn.transcript is not None:  # decoded while the loop waited for the end of speech
            st.models["asr"] = self._model_name("asr")
            st.mark("transcript_ms", self._clock(), t0)
            st.meta["transcript_reused"] = True
            if turn.transcript.text:
                st.language = self._spoken_language(turn.transcript.language, st)
            ev = Transcript(turn.transcript.text, st.language or turn.transcript.language, turn.transcript.segments,
                            final=True)
            yield ev
            return ev

        # a recording handed over as a file is decoded for accuracy, speech from the microphone for latency
        is_file = isinstance(turn.audio, (str, Path))
        audio = load_audio(str(turn.audio)) if is_file else load_audio(turn.audio, from_rate=turn.audio_sample_rate)
        decoding = Decoding.for_files(self.settings) if is_file else Decoding.for_turns(self.settings)
        with self.manager.lease("asr", cancel=cancel) as asr:  # decoding runs as the segments are read
            st.models["asr"] = self._model_name("asr")
            result = asr.transcribe(audio, language=self.settings.voice.language or None,
                                    vad=self.settings.voice.vad, word_timestamps=self.settings.voice.word_timestamps,
                                    decoding=decoding, cancel=cancel)
            segments = tuple(result.segments)
        text = " ".join(s.text.strip() for s in segments).strip()
        st.mark("transcript_ms", self._clock(), t0)
        if text:
            st.language = self._spoken_language(result.language, st)
        ev = Transcript(text, st.language or result.language, segments, final=True)
        yield ev
        return ev

    def _spoken_language(self, heard: str, st: _TurnState) -> str:
        """The language of a spoken turn: the one the settings force (``voice.language``), else the one
        Whisper heard. An English-only model decodes any speech as English (faster-whisper ignores the
        forced language for it): the turn keeps the forced language, so the reply and its voice follow
        what the user said they speak, and the user is told once that the words may be wrong."""
        forced = (self.settings.voice.language or "").strip().lower()
        if forced and heard and heard != forced:
            from .voice import language_name

            st.language_note = Text.of(
                "asr.language_unsupported", "the speech model {model} knows English only, so it cannot transcribe "
                "{language} and the words may be wrong; choose a multilingual speech model such as whisper-small "
                "in the Models window", model=self._model_name("asr"), language=language_name(forced))
        return forced or heard or ""

    def _model_name(self, role: str) -> str:
        state = next((s for s in self.manager.statuses() if s.role == role), None)
        return state.model if state and state.model else role

    # ---- handlers -------------------------------------------------------------------------
    def _history(self, st: _TurnState):
        from .llm import ChatMessage

        if self.store is None or st.conversation_id is None:
            return []
        out = []
        for m in self.store.messages(st.conversation_id):
            if m.id in (st.assistant_id,) or m.status not in ("complete", "cancelled", "interrupted"):
                continue
            if m.role in ("user", "assistant") and m.text.strip():
                # an interrupted spoken reply is what the user heard, ending where they cut in
                text = m.text + (" \u2026" if m.status == "interrupted" else "")
                notes = _picture_notes((m.meta or {}).get("image_answer"), m.text) if m.role == "assistant" else ""
                out.append(ChatMessage(m.role, text + notes))
        return out

    def _params(self, turn: Turn):
        from .llm import GenerationParams

        c = self.settings.chat
        return GenerationParams(temperature=c.temperature, top_p=c.top_p, max_new_tokens=c.max_new_tokens,
                                seed=turn.seed)

    def _stream_reply(self, messages, turn: Turn, cancel: CancelToken, st: _TurnState, t0: float,
                      backend, role: str = "chat") -> Iterator[Event]:
        st.models[role] = getattr(backend, "name", role)
        params = self._params(turn)
        with contextlib.ExitStack() as held:  # holds the voice's lease while a spoken reply streams
            speaker = _Speaker(self, cancel, st, held) if turn.speak else None
            if speaker is not None:
                yield from self._once(st, speaker.missing)
            t_start = self._clock()
            if speaker is None:  # text only: the tokens as they come, on this thread
                for piece in backend.stream(messages, params, cancel=cancel):
                    st.add_piece(piece, self._clock(), t0, t_start)
                    yield Token(piece)
                    self._save_partial(st)
                st.timings["generate_ms"] = (self._clock() - t_start) * 1000
                return
            # spoken: the model and the voice each on a thread of their own, every event as it is ready
            from .speech_stream import ReplyEnd, ReplyPiece, speak_while_thinking
            from .speech_text import SpeechSegmenter

            for item in speak_while_thinking(lambda: backend.stream(messages, params, cancel=cancel), speaker.synth,
                                             SpeechSegmenter(speaker.language), cancel, clock=self._clock):
                if isinstance(item, ReplyPiece):
                    st.add_piece(item.text, item.at, t0, t_start)
                    yield Token(item.text)
                    self._save_partial(st)
                elif isinstance(item, ReplyEnd):
                    st.timings["generate_ms"] = (item.at - t_start) * 1000
                else:
                    if "first_audio_ms" not in st.timings:
                        st.timings["tts_first_ms"] = item.synthesis_s * 1000
                    st.mark("first_audio_ms", item.at, t0)
                    yield item.chunk

    def _chat(self, turn: Turn, text: str, images, intent, tone: str, cancel, st: _TurnState, t0, transcript):
        from .llm import ChatMessage, fit_context

        system = self.settings.chat.system_prompt
        if st.language:
            from .voice import reply_language_instruction

            system += reply_language_instruction(st.language)
        if tone:
            system += " The user seems upset: be calm, kind and supportive, and keep it short."
        used = self._memories_for(turn, text)
        if used:
            from .knowledge.memory import as_prompt

            system += " " + as_prompt(used)
            st.meta["memories_used"] = [m.id for m in used]
            yield MemoriesUsed(used)
        history = self._history(st)
        if not history or history[-1].role != "user" or history[-1].content != text:
            history.append(ChatMessage("user", text))
        with self.chat_lease(cancel) as backend:
            fit = fit_context(system, history, backend, self.settings.chat.max_new_tokens)
            if fit.dropped_count:
                yield Notice.from_text(Text.of("engine.context_dropped", "the conversation is longer than the "
                                               "model's memory: the oldest {count} message(s) were left out of this "
                                               "reply", count=fit.dropped_count))
                st.meta["context_dropped"] = fit.dropped_count
            yield from self._stream_reply(fit.messages, turn, cancel, st, t0, backend)

    def _describe(self, turn: Turn, text: str, images, intent, tone, cancel, st: _TurnState, t0, transcript):
        """A question about a picture: CLIP scores the evidence (the bars), the vision-language model
        writes the answer; when they disagree a last line says so (``disagreement``). Either answers alone
        (with a notice) when the other is not available; with neither, one line says what to fetch. A turn
        without a picture asks about the conversation's last one, with the earlier questions and answers
        about it."""
        from .images import open_image

        stored = self._stored(st.conversation_id)  # read once: the picture and what was asked about it
        picture = self._attached_copy(stored, st, images[0]) if images else self._conversation_picture(stored)
        if picture is None:
            raise BadInput("there is no picture to look at: drop or attach an image, then ask your question",
                           code="engine.no_picture_to_look_at")
        question = text or "What is in this picture?"
        image = open_image(picture)
        earlier = self._earlier_answers(stored, st, picture)
        labels: tuple[Label, ...] = ()
        evidence: Any = None
        evidence_text, kind, clip_problem, verdict = "", "", "", ""
        try:
            with self.manager.lease("vision", cancel=cancel) as vision:
                st.models["vision"] = self._model_name("vision")
                t_v = self._clock()
                if turn.labels:
                    labels = tuple(vision.labels_for(image, list(turn.labels)))
                    evidence_text = "Scores for the labels: " + ", ".join(f"{lb.label} {lb.score:.2f}" for lb in labels)
                    kind = "labels"
                else:
                    evidence = vision.evidence(image, question)
                    labels = tuple(evidence.labels)
                    evidence_text = evidence.as_prompt()
                    kind = getattr(evidence, "kind", "")
                    if kind == "yes_no" and getattr(evidence, "answer", ""):
                        verdict = f"{evidence.answer} '{evidence.target}' ({evidence.answer_score:.0%})"
                st.timings["vision_ms"] = (self._clock() - t_v) * 1000
        except SensoriumError as e:
            clip_problem = str(e)
        answer: dict[str, Any] = {"image": str(picture), "question": question, "follow_up": not images,
                                  "evidence": [{"label": lb.label, "score": float(lb.score)} for lb in labels],
                                  "evidence_kind": kind, "verdict": verdict, "description": "", "disagreement": ""}
        st.meta["image_answer"] = answer
        if not clip_problem:
            st.meta["evidence"], st.meta["evidence_kind"] = answer["evidence"], kind
            if verdict:
                st.meta["evidence_verdict"] = verdict
            yield ImageEvidence(labels, str(picture), question, verdict)
        with contextlib.ExitStack() as held:
            vlm, vlm_problem = None, ""
            try:
                vlm = held.enter_context(self.manager.lease("vlm", cancel=cancel))
            except SensoriumError as e:
                vlm_problem = str(e)
            if vlm is None and clip_problem:
                raise ModelUnavailable.from_text(self._no_picture_model_message(), role="vlm",
                                                 model=self.catalog.chosen("vlm"))
            if vlm is None:
                answer["answered_by"] = "clip"
                yield Notice.from_text(Text.of("engine.answered_by_clip", "answered from CLIP's labels alone, "
                                               "without a vision-language model: {problem}", problem=vlm_problem))
                yield from self._clip_answer(turn, question, labels, evidence_text, earlier, cancel, st, t0)
                return
            answer["answered_by"] = "vlm" if clip_problem else "vlm+clip"
            if clip_problem:
                yield Notice.from_text(Text.of("engine.answered_by_vlm", "answered by the vision-language model "
                                               "alone, without CLIP's evidence bars: {problem}", problem=clip_problem))
            t_a = self._clock()
            reply = _VlmReply(vlm, image, question, earlier)
            yield from self._stream_reply([], turn, cancel, st, t0, reply, role="vlm")
            st.timings["vlm_ms"] = (self._clock() - t_a) * 1000
        answer["description"] = st.text.strip()
        note = disagreement(question, answer["description"], labels, evidence)
        if note:
            answer["disagreement"] = note
            piece = ("\n\n" if st.text.strip() else "") + note
            st.reply.append(piece)
            yield Token(piece)

    @staticmethod
    def _attached_copy(stored: list[Any], st: _TurnState, path: Path) -> Path:
        """The stored copy of an attached picture (what later turns find in the conversation), or the
        picture itself when history is off."""
        msg = next((m for m in stored if m.id == st.user_id), None) if st.user_id is not None else None
        if msg is not None and msg.attachments and Path(msg.attachments[0]).is_file():
            return Path(msg.attachments[0])
        return Path(path)

    def _no_picture_model_message(self) -> Text:
        name = self.catalog.chosen("vlm")
        entry = next((e for e in self.catalog.entries("vlm") if e.name == name), None)
        if entry is not None and entry.size_mb:
            return Text.of("engine.no_picture_model_sized",
                           "no model here can look at pictures yet: run `sensorium models fetch vlm` ({name}, "
                           "{size_mb} MB) to have questions about pictures answered, and `sensorium models fetch "
                           "vision` for CLIP's evidence bars, or choose models in Settings > Models",
                           name=name, size_mb=f"{entry.size_mb:,.0f}")
        if name:
            return Text.of("engine.no_picture_model_named",
                           "no model here can look at pictures yet: run `sensorium models fetch vlm` ({name}) to "
                           "have questions about pictures answered, and `sensorium models fetch vision` for CLIP's "
                           "evidence bars, or choose models in Settings > Models", name=name)
        return Text.of("engine.no_picture_model",
                       "no model here can look at pictures yet: run `sensorium models fetch vlm` to have questions "
                       "about pictures answered, and `sensorium models fetch vision` for CLIP's evidence bars, or "
                       "choose models in Settings > Models")

    def _clip_answer(self, turn: Turn, question: str, labels: tuple[Label, ...], evidence_text: str,
                     earlier: list[QA], cancel, st: _TurnState, t0) -> Iterator[Event]:
        """CLIP alone: the language model phrases its findings (or, without one, they are listed)."""
        from .llm import ChatMessage

        system = (self.settings.chat.system_prompt + " You cannot see images directly. An image classifier looked "
                  "at the user's picture; answer the question from its findings, say how sure it is, and do not "
                  "invent details it did not report.")
        messages = [ChatMessage("system", system)]
        for qa in earlier:
            messages += [ChatMessage("user", qa.question), ChatMessage("assistant", qa.answer)]
        messages.append(ChatMessage("user", f"Image classifier findings: {evidence_text}\n\nQuestion: {question}"))
        with contextlib.ExitStack() as held:
            try:
                backend = held.enter_context(self.chat_lease(cancel))
            except ModelUnavailable as e:
                yield Notice.from_text(Text.of("engine.evidence_only", "answering from the image evidence alone "
                                               "({problem})", problem=e))
                answer = _evidence_answer(labels)
                st.reply.append(answer)
                yield Token(answer)
                return
            yield from self._stream_reply(messages, turn, cancel, st, t0, backend)

    def _imagine(self, turn: Turn, text: str, images, intent, tone, cancel, st: _TurnState, t0, transcript):
        from .imagegen import ImageRequest, validate_request

        init = images[0] if intent.intent == "edit_image" and images else None
        if intent.intent == "edit_image" and init is None:
            raise BadInput("there is no picture to change: drop or attach the image you want edited",
                           code="engine.no_picture_to_change")
        prompt = getattr(intent, "prompt", None) or image_prompt(text)
        request = ImageRequest.from_settings(prompt, self.settings, turn.image_options,
                                             init_image=str(init) if init else None)
        validate_request(request)  # bad parameters fail before a model loads
        with contextlib.ExitStack() as held:  # out of memory frees every model but these two
            gen = held.enter_context(self.manager.lease("imagegen", cancel=cancel))
            st.models["imagegen"] = self._model_name("imagegen")
            clip = None
            if request.best_of > 1:
                try:
                    clip = held.enter_context(self.manager.lease("vision", cancel=cancel))
                except SensoriumError as e:
                    yield Notice.from_text(Text.of("engine.images_not_ranked", "the {count} images are not ranked "
                                                   "({problem})", count=request.best_of, problem=e))
            t_g = self._clock()
            result = yield from _pump(lambda progress: gen.generate(
                request, cancel=cancel, on_progress=progress, clip=clip, output_dir=self.profile.images_dir,
                on_oom=lambda: self.manager.free_others("imagegen")))
        notes = getattr(result, "texts", None) or [Text.of("imagegen.note", "{note}", note=note)
                                                   for note in getattr(result, "notes", ())]
        for note in notes:
            yield Notice.from_text(note)
        st.timings["imagegen_ms"] = (self._clock() - t_g) * 1000
        paths = tuple(str(p) for p in result.paths)
        st.attachments.extend(paths)
        st.meta["image"] = {"prompt": prompt, "seed": result.seed, "params": _jsonable(result.params),
                            "safety_checked": result.safety_checked, "flagged": list(result.flagged),
                            "scores": [float(s) for s in result.scores]}
        res = ImageResult(paths, int(result.seed), prompt, bool(result.safety_checked),
                          tuple(bool(f) for f in result.flagged), tuple(float(s) for s in result.scores),
                          _jsonable(result.params))
        yield res
        n = len(paths)
        what = "Here is the picture" if n == 1 else f"Here are {n} pictures, best match first"
        note = ""
        if any(result.flagged):
            note = " The safety checker flagged some of them, so they were blacked out (you can turn it off in Settings)."
        shown = prompt if len(prompt) <= 200 else prompt[:199].rstrip() + "\u2026"
        reply = f"{what} of \u201c{shown}\u201d (seed {result.seed}).{note}"
        st.reply.append(reply)
        yield Token(reply)

    def _search(self, turn: Turn, text: str, images, intent, tone, cancel, st: _TurnState, t0, transcript):
        from .vision import FolderIndex

        folder = turn.folder or getattr(intent, "folder", None)
        query = (turn.text if turn.folder else getattr(intent, "query", None)) or text
        if not folder:
            raise BadInput("say which folder to search, e.g. \u201cfind photos of the sea in ~/Pictures\u201d",
                           code="engine.search_needs_folder")
        root = Path(folder).expanduser()
        if not root.is_dir():
            raise BadInput("{folder} is not a folder on this computer: check the path",
                           code="engine.search_not_a_folder", folder=folder)
        example = Path(query).expanduser()
        with self.manager.lease("vision", cancel=cancel) as clip:
            st.models["vision"] = self._model_name("vision")
            index = FolderIndex(root, clip, self.profile.index_dir)
            stats = yield from _pump(lambda progress: index.update(
                progress=lambda p: progress(ImageProgress(p.done, max(p.total, 1))), cancel=cancel))
            if images:
                hits = index.search_image(images[0], top_k=turn.top_k)
            elif example.suffix.lower() in (".png", ".jpg", ".jpeg", ".webp", ".gif", ".bmp") and example.is_file():
                hits = index.search_image(example, top_k=turn.top_k)
            else:
                hits = index.search_text(query, top_k=turn.top_k)
        results = tuple(SearchHit(str(h.path), float(h.score)) for h in hits)
        indexed, skipped = int(stats.total), int(stats.skipped)
        yield SearchResults(str(root), query, results, indexed, skipped)
        st.attachments.extend(r.path for r in results)
        st.meta["search"] = {"folder": str(root), "query": query,
                             "results": [{"path": r.path, "score": r.score} for r in results]}
        reply = (f"The {len(results)} best matches for \u201c{query}\u201d in {root}:" if results
                 else f"No pictures found in {root}.")
        st.reply.append(reply)
        yield Token(reply)

    def _transcribe_reply(self, turn: Turn, text: str, images, intent, tone, cancel, st: _TurnState, t0,
                          transcript):
        if transcript is None:
            raise BadInput("there is no recording to transcribe: hold the mic button or attach an audio file",
                           code="engine.no_recording")
        st.reply.append(transcript.text)
        yield Token(transcript.text)


class _Speaker:
    """The voice of a spoken reply: the installed voice that matches the turn's language (or the
    default one, with a notice), leased in ``held`` until the caller's block ends, behind a
    ``Synthesizer`` that speaks segments as the ``SpeechSegmenter`` wrote them."""

    def __init__(self, engine: Engine, cancel: CancelToken, st: _TurnState, held: contextlib.ExitStack):
        from .tts import Synthesizer
        from .voice import chosen_voice_language, missing_voice_text, voice_for_language

        # the turn's language picks a matching installed voice; otherwise the default voice speaks
        self.language = st.language or "en"
        override = voice_for_language(engine.catalog, self.language) if st.language else None
        # when no voice speaks it (a chosen voice of no telling language is taken at its word)
        self.missing: Text | None = None
        if st.language and override is None and chosen_voice_language(engine.catalog) not in ("", st.language):
            self.missing = missing_voice_text(engine.catalog, st.language)
        self.synth = Synthesizer(held.enter_context(engine.manager.lease("tts", override, cancel=cancel)),
                                 language=self.language, normalize=False)
        st.models["tts"] = override or engine._model_name("tts")
        if st.language:
            st.meta["language"] = st.language


class _VlmReply:
    """The vision-language model behind the chat backends' ``stream(messages, params, cancel)``, so that
    its answer streams (and is spoken) the way a chat reply does."""

    def __init__(self, vlm: Any, image: Any, question: str, history: list[QA]):
        self.vlm, self.image, self.question, self.history = vlm, image, question, history
        self.name = getattr(vlm, "name", "vlm")

    def stream(self, messages, params, cancel: CancelToken | None = None) -> Iterator[str]:
        return self.vlm.stream(self.image, self.question, history=self.history,
                               max_new_tokens=params.max_new_tokens, cancel=cancel)


class _LeasedEmbedder:
    """The router's embedder: leases the embedding model for each call, so that it can unload
    between turns like any other model. Always the local model the settings choose, even when
    [servers.embed] names a server: the router's weights were fitted on that model's vectors, and
    another model's would mean nothing to them. With ``passages``, the document index's: the model's
    passage encoder (``TextEmbedder.passages``: int8 on the CPU)."""

    def __init__(self, manager: ModelManager, *, passages: bool = False):
        self.manager = manager
        self.passages = passages

    def embed(self, texts):
        with self.manager.lease("embed", self.manager.catalog.chosen("embed")) as embedder:
            if self.passages and hasattr(embedder, "passages"):
                embedder = embedder.passages()
            return embedder.embed(texts)


def _pump(run: Callable[[Callable[[Event], None]], Any]) -> Generator[Event, None, Any]:
    """Run a blocking call on a helper thread; yield the progress events it reports; return its result."""
    q: queue.Queue = queue.Queue()
    box: dict[str, Any] = {}

    def target() -> None:
        try:
            box["result"] = run(q.put)
        except BaseException as e:  # re-raised on the engine's thread
            box["error"] = e
        finally:
            q.put(_END)

    th = threading.Thread(target=target, name="sensorium-job", daemon=True)
    th.start()
    while True:
        item = q.get()
        if item is _END:
            break
        # latest request wins for previews: skip stale progress if newer is already waiting
        if not q.empty() and isinstance(item, ImageProgress) and item.preview_png is None:
            continue
        yield item
    th.join()
    if "error" in box:
        raise box["error"]
    return box.get("result")


_END = object()


def given_intent(intent: str, why: str | Text, text: str) -> Intent:
    """An intent that was given (a choice, a correction, a command) rather than routed, with the
    slots routing would have found: the folder and query of a search, the prompt of a drawing.
    ``why`` is the reason (a Text, or an English line)."""
    from .router import Intent, extract_folder, extract_search_query

    reason, reason_text = str(why), why if isinstance(why, Text) else None
    if intent == "search_images":
        folder, span = extract_folder(text)
        return Intent(intent, 1.0, reason, "user", folder=folder, query=extract_search_query(text, span),
                      reason_text=reason_text)
    if intent in ("generate_image", "edit_image"):
        return Intent(intent, 1.0, reason, "user", prompt=image_prompt(text), reason_text=reason_text)
    return Intent(intent, 1.0, reason, "user", reason_text=reason_text)


#: When CLIP counts as sure: its top label's probability (over every candidate it scored), or the
#: probability behind its yes/no answer.
CLIP_CONFIDENT = 0.5
CLIP_SURE_YES_NO = 0.7
_ANSWER_NO = re.compile(r"^\W*(no\b|nope\b|not\b|there (is|are) no\b|there (isn't|aren't)\b|不|没|否|无)", re.I)
_ANSWER_YES = re.compile(r"^\W*(yes\b|yeah\b|yep\b|sure\b|correct\b|indeed\b|是|对|有)", re.I)
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")


def _yes_or_no(answer: str) -> str:
    """How an answer begins: "yes", "no" (English or Chinese), or "" when it commits to neither."""
    return "no" if _ANSWER_NO.match(answer) else "yes" if _ANSWER_YES.match(answer) else ""


def _names(text: str, *names: str) -> bool:
    """Whether ``text`` names any of ``names``: an English name by any of its words of 3+ letters, as a
    whole word (plurals too); a Chinese name as it is written."""
    low = text.lower()
    for name in filter(None, names):
        if _CJK.search(name):
            if name in text:
                return True
            continue
        words = [w for w in re.findall(r"[a-z]+", name.lower()) if len(w) >= 3]
        if any(re.search(rf"\b{re.escape(w)}(s|es)?\b", low) for w in words):
            return True
    return False


def disagreement(question: str, answer: str, labels: tuple[Label, ...], evidence: Any = None) -> str:
    """One line when CLIP's evidence and the vision-language model's answer disagree, else "":

    * a yes/no question (CLIP's evidence says ``kind == "yes_no"``: "is there a dog?", "is the car
      red?", "有猫吗？"): the answer begins with yes or no (是/有, 不/没), CLIP answered the other way,
      and the probability behind CLIP's answer is at least ``CLIP_SURE_YES_NO``;
    * any other question: CLIP's top label has at least ``CLIP_CONFIDENT``, and the answer names neither
      the label nor its English term (whole words), unless the answer is Chinese or Japanese and the
      label English (it could not name it).
    """
    answer = answer.strip()
    if not labels or not answer:
        return ""
    if getattr(evidence, "kind", "") == "yes_no":
        said, clip = _yes_or_no(answer), getattr(evidence, "answer", "")
        sure = float(getattr(evidence, "answer_score", 0.0) or 0.0)
        if said and clip in ("yes", "no") and clip != said and sure >= CLIP_SURE_YES_NO:
            what = getattr(evidence, "target", "") or getattr(evidence, "subject", "") or labels[0].label
            return (f"The two image models disagree: the answer says {said}, but CLIP says {clip} to "
                    f"\u201c{what}\u201d ({sure:.0%}).")
        return ""
    top = labels[0]
    terms = tuple(getattr(evidence, "terms", ()) or ())
    term = terms[0] if terms else ""
    if top.score < CLIP_CONFIDENT or _names(answer, top.label, term):
        return ""
    if _CJK.search(answer) and not _CJK.search(top.label):
        return ""
    return (f"The two image models disagree: CLIP's top label is \u201c{top.label}\u201d ({top.score:.0%}), "
            f"which the answer does not mention.")


def _picture_notes(image_answer: Any, text: str) -> str:
    """What a reply about a picture rested on, for the language model's history: the vision-language
    model's description (when the reply is not it) and CLIP's best labels."""
    if not isinstance(image_answer, dict):
        return ""
    parts = []
    description = str(image_answer.get("description") or "").strip()
    if description and description not in text:
        parts.append(f"the picture shows: {description}")
    labels = [e for e in image_answer.get("evidence", []) if isinstance(e, dict)][:3]
    if labels:
        parts.append("CLIP saw " + ", ".join(f"{e.get('label')} {float(e.get('score', 0)):.2f}" for e in labels))
    return f"\n[About the picture: {'; '.join(parts)}]" if parts else ""


def _evidence_answer(labels: tuple[Label, ...]) -> str:
    if not labels:
        return "I could not find anything recognisable in this picture."
    top = labels[0]
    rest = ", ".join(f"{lb.label} ({lb.score:.0%})" for lb in labels[1:4])
    return f"It looks most like {top.label} ({top.score:.0%})" + (f"; other candidates: {rest}." if rest else ".")


def _jsonable(obj: Any) -> Any:
    if isinstance(obj, dict):
        return {str(k): _jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_jsonable(v) for v in obj]
    if isinstance(obj, (str, int, float, bool)) or obj is None:
        return obj
    return str(obj)
