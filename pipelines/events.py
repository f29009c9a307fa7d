"""Typed events streamed by ``Engine.respond`` and shared data types.

The window and the command line render these; nothing else crosses the engine boundary.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import Text

__all__ = [
    "Label",
    "Segment",
    "Word",
    "Sentiment",
    "Event",
    "Started",
    "Transcript",
    "Routed",
    "IntentChoice",
    "IntentQuestion",
    "Token",
    "ImageEvidence",
    "ImageProgress",
    "ImageResult",
    "SpeechChunk",
    "SearchHit",
    "SearchResults",
    "Passage",
    "Citations",
    "MemoryItem",
    "MemoryProposed",
    "MemoriesUsed",
    "IndexProgress",
    "Indexed",
    "LearnProgress",
    "EvalRow",
    "Learned",
    "ModelStatus",
    "Notice",
    "Done",
    "Cancelled",
    "Failed",
    "ImageOptions",
    "Turn",
]


@dataclass(frozen=True)
class Label:
    """A CLIP label with its score (a probability in [0, 1] over the candidates scored together)."""

    label: str
    score: float


@dataclass(frozen=True)
class Word:
    start: float
    end: float
    word: str
    probability: float


@dataclass(frozen=True)
class Segment:
    """One piece of recognised speech, times in seconds from the start of the audio."""

    start: float
    end: float
    text: str
    no_speech_prob: float = 0.0
    avg_logprob: float = 0.0
    words: tuple[Word, ...] = ()


@dataclass(frozen=True)
class Sentiment:
    """Score in [-1, 1] (negative .. positive) and a label: negative, neutral or positive.

    ``upset_cue``: the explicitly negative word about the writer's own state that the analyzer
    found ("furious", 崩溃), or "" (see pipelines/sentiment.py ``is_upset``); not stored in the history."""

    score: float
    label: str
    method: str = ""
    upset_cue: str = ""


class Event:
    """Base class of everything the engine yields."""

    __slots__ = ()


@dataclass(frozen=True)
class Started(Event):
    """First event of a turn: where its messages are stored (ids are None with history off)."""

    conversation_id: int | None
    user_message_id: int | None
    assistant_message_id: int | None


@dataclass(frozen=True)
class Transcript(Event):
    text: str
    language: str = ""
    segments: tuple[Segment, ...] = ()
    final: bool = True


@dataclass(frozen=True)
class Routed(Event):
    intent: str
    confidence: float
    reason: str
    sentiment: Sentiment | None = None
    tone: str = ""  # non-empty when the engine adapts its tone, e.g. "gentle: the user sounds upset"
    alternatives: tuple[tuple[str, float], ...] = ()  # (intent, probability), best first
    unsure: bool = False  # the router could not tell two readings apart: an IntentQuestion follows
    reason_text: Text | None = None  # ``reason`` as code + template + params, for the window's language


@dataclass(frozen=True)
class IntentChoice:
    """One reading of an unclear request, offered as a button ("Draw it")."""

    intent: str
    label: str
    probability: float


@dataclass(frozen=True)
class IntentQuestion(Event):
    """The request could mean two things: the turn stops here and the user picks one.

    Answer with ``Turn(regenerate=True, intent=choice.intent, intent_source="choice")`` in the same
    conversation: the stored question is answered as that intent, and the choice is learned."""

    choices: tuple[IntentChoice, ...]
    message_id: int | None = None  # the stored user message
    conversation_id: int | None = None


@dataclass(frozen=True)
class Token(Event):
    text: str


@dataclass(frozen=True)
class ImageEvidence(Event):
    labels: tuple[Label, ...]
    image: str = ""
    question: str = ""
    verdict: str = ""  # a yes/no question: CLIP's own answer in one line ("no 'dog' (97%)")


@dataclass(frozen=True)
class ImageProgress(Event):
    """A long image job's progress. ``total`` 0: a job with no count (a serving engine's picture):
    busy, ``step`` 0, only ``elapsed_s`` grows."""

    step: int
    total: int
    index: int = 0  # which image of a best-of-N run
    count: int = 1
    elapsed_s: float = 0.0
    preview_png: bytes | None = None  # a small PNG from the latent approximation


@dataclass(frozen=True)
class ImageResult(Event):
    paths: tuple[str, ...]
    seed: int
    prompt: str = ""
    safety_checked: bool = False
    flagged: tuple[bool, ...] = ()
    scores: tuple[float, ...] = ()  # CLIP prompt similarity per path when ranked
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class SpeechChunk(Event):
    audio: Any  # float32 numpy array, mono
    sample_rate: int
    text: str  # what it says
    index: int = 0
    start: int = 0  # the span [start, end) of the reply text it speaks (0, 0 when not from a reply)
    end: int = 0


@dataclass(frozen=True)
class SearchHit:
    path: str
    score: float


@dataclass(frozen=True)
class SearchResults(Event):
    folder: str
    query: str
    results: tuple[SearchHit, ...]
    indexed: int = 0
    skipped: int = 0


@dataclass(frozen=True)
class Passage:
    """A passage of one of the user's documents that a reply rests on.

    ``file`` is the document's absolute path; ``page`` the 1-based page of a paged document (PDF),
    None for one without pages (text, Markdown, HTML, Word); ``line`` the 1-based line where the
    passage starts in a text document (None for a PDF); ``start``/``end`` are character offsets into
    the page's text (a PDF) or the document's text. ``number`` is the ``[n]`` the reply cites it by."""

    file: str
    page: int | None
    text: str
    score: float
    number: int = 0
    start: int = 0
    end: int = 0
    line: int | None = None
    title: str = ""  # the document's title or nearest heading, when it has one

    def as_citation(self) -> dict[str, Any]:
        """The command line's ``citations`` entry: ``{"file", "page", "text"}`` and the rest."""
        return {"file": self.file, "page": self.page, "text": self.text, "number": self.number,
                "score": round(float(self.score), 4), "line": self.line, "title": self.title}


@dataclass(frozen=True)
class Citations(Event):
    """The passages of the user's documents a reply was given from (before its tokens)."""

    query: str
    passages: tuple[Passage, ...]


@dataclass(frozen=True)
class MemoryItem:
    """A fact or preference about the user. ``id`` is None for a proposal not accepted yet.
    ``kind``: name | language | diet | preference | fact."""

    text: str
    kind: str = "fact"
    id: int | None = None
    value: str = ""  # the part that matters: "Lin" for a name, "zh" for a language


@dataclass(frozen=True)
class MemoryProposed(Event):
    """The user stated something worth remembering: the window asks, nothing is stored yet.
    Accept with ``Engine.accept_memory(item, message_id)``."""

    proposals: tuple[MemoryItem, ...]
    message_id: int | None = None


@dataclass(frozen=True)
class MemoriesUsed(Event):
    """The stored memories put into this turn's prompt ("how it was understood" lists them)."""

    memories: tuple[MemoryItem, ...]


@dataclass(frozen=True)
class IndexProgress(Event):
    """Documents being indexed: ``done`` of ``total`` files, the current one, chunks so far."""

    done: int
    total: int
    file: str = ""
    chunks: int = 0


@dataclass(frozen=True)
class Indexed(Event):
    """Indexing finished (or was cancelled): what changed. ``failed`` is (file, one-line reason)."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    chunks_embedded: int = 0
    chunks_reused: int = 0
    pages: int = 0
    seconds: float = 0.0
    failed: tuple[tuple[str, Text], ...] = ()
    cancelled: bool = False


@dataclass(frozen=True)
class LearnProgress(Event):
    """Learning from ratings: ``stage`` is preparing | training | evaluating; ``step`` of ``total``."""

    stage: str
    step: int = 0
    total: int = 0
    loss: float | None = None


@dataclass(frozen=True)
class EvalRow:
    """One line of the before/after table: a measure on the base model and with the adapter.

    ``name`` is the measure's fixed English name (the interface translates it); ``count`` how many
    items it is measured on (0: not a count of items); ``unit`` how to read the values: "share" (0
    to 1, shown as a percentage), "count" (whole items) or "" (a number: a loss or a margin)."""

    name: str
    base: float
    adapter: float
    higher_is_better: bool = True
    passed: bool = True
    count: int = 0
    unit: str = ""

    @property
    def label(self) -> str:
        """The name, with how many items it is measured on."""
        return f"{self.name} ({self.count})" if self.count else self.name

    def value_text(self, value: float) -> str:
        """A value as the table writes it: 87.5%, 7, or 31.724."""
        if self.unit == "share":
            return f"{100 * value:.1f}%"
        if self.unit == "count":
            return f"{value:.0f}"
        return f"{value:.3f}" if abs(value) < 100 else f"{value:,.0f}"


@dataclass(frozen=True)
class Learned(Event):
    """Learning finished: the adapter, its evaluation and whether the gate switched it on.
    ``reason`` says why in one line; ``adapter_id`` is "" when nothing was trained."""

    adapter_id: str
    method: str  # dpo | sft
    accepted: bool
    reason: Text
    table: tuple[EvalRow, ...] = ()
    pairs: int = 0
    examples: int = 0
    seconds: float = 0.0
    cancelled: bool = False


@dataclass(frozen=True)
class ModelStatus(Event):
    role: str
    state: str  # not-loaded | loading | ready | failed
    detail: str = ""
    device: str = ""
    progress: float | None = None
    detail_text: Text | None = None  # ``detail`` as code + template + params, for the window's language


@dataclass(frozen=True)
class Notice(Event):
    """Something the user should know that is not an error (dropped context, a fallback).
    ``localizable`` is the same line as code + template + params, for the window's language."""

    text: str
    localizable: Text | None = None

    @classmethod
    def from_text(cls, text: Text) -> Notice:
        """``Notice(str(text), localizable=text)``: the English line and the line to translate."""
        return cls(str(text), localizable=text)


@dataclass(frozen=True)
class Done(Event):
    text: str
    intent: str = "chat"
    message_id: int | None = None
    conversation_id: int | None = None
    timings: dict[str, float] = field(default_factory=dict)
    models: dict[str, str] = field(default_factory=dict)
    # the turn's language: Whisper's (or voice.language) for speech, the script's for text ("zh" for
    # Chinese characters); "" when nothing told it (typed Latin text)
    language: str = ""


@dataclass(frozen=True)
class Cancelled(Event):
    partial_text: str = ""
    message_id: int | None = None


@dataclass(frozen=True)
class Failed(Event):
    message: str
    role: str = ""
    localizable: Text | None = None  # the error's code + template + params (SensoriumError.text)

    @classmethod
    def from_text(cls, text: Text, role: str = "") -> Failed:
        """``Failed(str(text), role, text)``: the English line and the line to translate."""
        return cls(str(text), role, text)

    def as_text(self) -> Text:
        """The line to pass on (``SensoriumError.from_text``): ``localizable``, or the English line
        alone for an event made without it."""
        return self.localizable or Text.of("turn.failed", "{message}", message=self.message)


def as_path(p: str | Path) -> Path:
    return p if isinstance(p, Path) else Path(p)


@dataclass(frozen=True)
class ImageOptions:
    """Image generation parameters chosen for one turn; None means the settings default."""

    width: int | None = None
    height: int | None = None
    steps: int | None = None
    guidance: float | None = None
    seed: int | None = None
    negative_prompt: str | None = None
    strength: float | None = None
    best_of: int | None = None
    scheduler: str | None = None


@dataclass(frozen=True)
class Turn:
    """One user turn: any of text, audio and images, in a conversation."""

    text: str = ""
    audio: Any = None  # a path, bytes, or a float32 numpy array (with audio_sample_rate)
    audio_sample_rate: int = 16000
    images: tuple[str, ...] = ()  # paths of attached pictures
    conversation_id: int | None = None
    intent: str | None = None  # force an intent (the window's "draw" button, "edit this")
    # where a forced intent came from: "" (a command or a mode button), "choice" (the answer to an
    # IntentQuestion) or "correction" ("not what I meant"); the last two are learned by the router
    intent_source: str = ""
    image_options: ImageOptions | None = None
    speak: bool = False  # synthesize the reply (SpeechChunk events)
    # the audio is the user speaking to the microphone: its words are the request (routed as text);
    # otherwise it is an attached recording, which a request can ask to transcribe
    spoken: bool = False
    regenerate: bool = False  # replace the last assistant reply instead of adding a user message
    labels: tuple[str, ...] = ()  # describe: score these labels instead of the vocabularies
    folder: str | None = None  # search: the folder to search (else taken from the text)
    top_k: int = 5
    seed: int | None = None  # sampling seed for the reply
    speech_end: float | None = None  # time.perf_counter() when the user stopped speaking (voice latency)
    # the audio's transcript when it is known already (the voice loop decoded the utterance, with the
    # spoken-turn decoding, while it waited for the silence that ends it): no second decode
    transcript: Transcript | None = None
    # a temporary chat: nothing of the turn is stored (no conversation, no memory proposals)
    temporary: bool = False
