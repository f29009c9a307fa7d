"""Speech recognition with faster-whisper (CTranslate2 Whisper models).

``WhisperTranscriber.transcribe`` returns a ``Transcription`` at once; its ``segments`` is a
generator that decodes lazily, so a caller can show words as they come and cancel between
segments. Whisper invents text for silence and noise ("Thank you.", "you"); three guards keep
that out: Silero VAD (inside faster-whisper), dropping segments that the model itself thinks are
not speech (high no-speech probability and low log-probability), and dropping stock phrases
when the audio under them was not speech (VAD) or was near-silent.

Two ways to decode (``Decoding.window``):

* ``"library"``: ``WhisperModel.transcribe``, which pads every window to Whisper's 30 s. On a
  2-core CPU the tiny.en encoder spends ~530 ms of a 2.5 s question's ~600 ms on that window.
* ``"short"`` (spoken turns, partial transcripts): one window of the utterance's length plus a
  margin, never shorter than ``min_window_s``, then one ``generate`` with the prompt, suppressed
  tokens and scores faster-whisper uses (no timestamps). Measured on real and synthetic speech:
  on a window shorter than about 10 s Whisper tiny.en often repeats a short utterance until the
  token limit ("Paris. Paris. ..."); the margin after the speech hardly matters, the window's
  length does. So the decode is judged by faster-whisper's own rules (no-speech; average
  log-probability and compression ratio) and two more for that failure (the token limit reached,
  a repeated phrase); an unsure decode is decoded again by the library (``fallback``). Utterances
  over ``SHORT_WINDOW_MAX_S``, and word timestamps, always take the library path.
"""
from __future__ import annotations

import functools
import math
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from .audio import AudioSource, load_audio, rms_dbfs
from .cancel import Cancelled, CancelToken
from .errors import BadInput, ModelUnavailable
from .events import Segment, Word
from .footprint import Footprint, file_footprint

if TYPE_CHECKING:
    from .catalog import ResolvedModel
    from .devices import DeviceChoice
    from .settings import Settings

__all__ = [
    "SAMPLE_RATE",
    "SHORT_WINDOW_MAX_S",
    "DecodeCounts",
    "Decoding",
    "Transcription",
    "WhisperTranscriber",
    "STOCK_HALLUCINATIONS",
    "is_stock_hallucination",
    "load",
]

SAMPLE_RATE = 16000

# Segments Whisper is known to produce from silence, music and noise (YouTube subtitle residue).
STOCK_HALLUCINATIONS = frozenset({
    "you", "thank you", "thank you very much", "thanks", "thanks for watching",
    "thank you for watching", "thank you so much for watching", "thanks for watching and see you next time",
    "please subscribe", "subscribe", "like and subscribe", "please like and subscribe",
    "bye", "bye bye", "goodbye", "okay", "oh", "so", "hmm", "um", "uh", "the end",
    "subtitles by the amara org community", "transcribed by", "music", "applause", "silence",
    "i'm sorry", "see you next time", "see you in the next video",
})

# The model's own verdict: both must hold for a segment to be dropped (Whisper's rule).
NO_SPEECH_PROB = 0.6
LOW_LOGPROB = -1.0
# faster-whisper's own compression_ratio_threshold (a decode above it is repetitive).
COMPRESSION_RATIO = 2.4
# Below this level a segment is taken as silence for the stock-phrase check.
QUIET_DBFS = -50.0

# The short window (see the module docstring): utterances up to this long, a window of the
# speech plus a margin, rounded up to a step, at least the decoding's ``min_window_s``.
SHORT_WINDOW_MAX_S = 20.0
WINDOW_MARGIN_S = 1.0
WINDOW_STEP_S = 1.0
TURN_WINDOW_S = 10.0  # below this Whisper tiny.en starts repeating short utterances (measured)
PARTIAL_WINDOW_S = 8.0  # partials: cheaper, and a repeated partial is dropped, not decoded again
PARTIAL_MAX_TOKENS = 64
# No speech needs more tokens than this: a decode that reaches the bound is looping.
TOKENS_PER_S, TOKENS_BASE = 8.0, 12


@dataclass(frozen=True)
class Decoding:
    """How Whisper decodes, chosen per use on purpose (``voice.file_beam_size`` and
    ``voice.turn_beam_size`` in the settings):

    * ``for_files``: a recording the user hands over (``sensorium transcribe``, an attached audio
      file) is decoded for accuracy, with faster-whisper's own default beam of 5;
    * ``for_turns``: a spoken turn is decoded greedily (beam 1) for latency, which counts against
      the voice-to-voice target;
    * ``for_partials``: the words shown while the user is still speaking: the short window at its
      smallest, greedy, few tokens and no second decode (a partial that fails the checks shows
      nothing; the final transcript follows).

    Files take faster-whisper's own path (``window="library"``); turns and partials the short
    window (see the module docstring), turns with the library as ``fallback`` when the short
    decode is unsure. All keep faster-whisper's no-speech rule (the thresholds below) and do not
    condition on the previous text, so that one hallucinated segment cannot feed the next; the
    library path keeps its temperature fallback. ``library_kwargs`` is exactly what
    ``WhisperModel.transcribe`` receives, so a comparison with the plain library call uses the
    same options on both sides.
    """

    beam_size: int = 5
    condition_on_previous_text: bool = False
    no_speech_threshold: float = NO_SPEECH_PROB
    log_prob_threshold: float = LOW_LOGPROB
    window: str = "library"  # "library" (faster-whisper's 30 s window) or "short"
    fallback: bool = True  # short window: decode again with the library when unsure
    min_window_s: float = TURN_WINDOW_S  # short window: never shorter than this
    max_new_tokens: int | None = None  # short window: a cap besides the speech-rate bound

    @classmethod
    def for_files(cls, settings: Settings | None = None) -> Decoding:
        return cls(beam_size=settings.voice.file_beam_size if settings is not None else 5)

    @classmethod
    def for_turns(cls, settings: Settings | None = None) -> Decoding:
        return cls(beam_size=settings.voice.turn_beam_size if settings is not None else 1, window="short")

    @classmethod
    def for_partials(cls) -> Decoding:
        return cls(beam_size=1, window="short", fallback=False, min_window_s=PARTIAL_WINDOW_S,
                   max_new_tokens=PARTIAL_MAX_TOKENS)

    def library_kwargs(self) -> dict[str, Any]:
        return {"beam_size": max(1, int(self.beam_size)),
                "condition_on_previous_text": self.condition_on_previous_text,
                "no_speech_threshold": self.no_speech_threshold, "log_prob_threshold": self.log_prob_threshold}


def _normalize_phrase(text: str) -> str:
    t = re.sub(r"[\[\]\(\)♪*.,!?¡¿\"“”…:;~-]+", " ", text.lower())
    return " ".join(t.split())


def is_stock_hallucination(text: str) -> bool:
    """True when ``text`` is (only) one of the phrases Whisper makes up from non-speech."""
    t = _normalize_phrase(text)
    return t == "" or t in STOCK_HALLUCINATIONS


def _repeats(text: str) -> bool:
    """True when back-to-back copies of one phrase make up over half of ``text``'s words
    ("Paris. Paris.", "What is it? What is it? What"): how Whisper fails on a short window."""
    words = _normalize_phrase(text).split()
    n = len(words)
    for period in range(1, n // 2 + 1):
        run = 0  # words so far that equal the word one period earlier, back to back
        for i in range(period, n):
            run = run + 1 if words[i] == words[i - period] else 0
            copies = run // period + 1
            if copies >= 2 and 2 * copies * period > n:
                return True
    return False


@dataclass
class DecodeCounts:
    """What a transcriber has run: the work, counted, for tests and benchmarks (not a clock)."""

    short_decodes: int = 0  # short-window decodes (each one encode and one generate)
    library_decodes: int = 0  # calls of faster-whisper's WhisperModel.transcribe
    fallbacks: int = 0  # short decodes judged unsure and decoded again by the library
    frames_encoded: int = 0  # mel frames the encoder ran on, both paths (100 a second of window)


@dataclass
class Transcription:
    """Result of ``WhisperTranscriber.transcribe``. ``segments`` is a one-shot iterator."""

    language: str
    language_probability: float
    duration: float
    segments: Iterator[Segment]
    speech_duration: float = 0.0  # seconds VAD kept (the whole duration without VAD)
    _consumed: list[Segment] = field(default_factory=list, repr=False)

    def __iter__(self) -> Iterator[Segment]:
        for seg in self.segments:
            self._consumed.append(seg)
            yield seg

    def all_segments(self) -> tuple[Segment, ...]:
        """Consume the rest of the iterator; every segment, including those already iterated."""
        for _ in self:
            pass
        return tuple(self._consumed)

    def text(self) -> str:
        """The whole text (consumes the iterator)."""
        return " ".join(s.text for s in self.all_segments() if s.text).strip()


def _speech_chunks(audio: np.ndarray) -> list[dict]:
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    return get_speech_timestamps(audio, VadOptions(), sampling_rate=SAMPLE_RATE)


def _spans(chunks: list[dict]) -> list[tuple[float, float]]:
    return [(c["start"] / SAMPLE_RATE, c["end"] / SAMPLE_RATE) for c in chunks]


def _speech_spans(audio: np.ndarray) -> list[tuple[float, float]]:
    return _spans(_speech_chunks(audio))


def _overlap(a0: float, a1: float, spans: list[tuple[float, float]]) -> float:
    return sum(max(0.0, min(a1, b1) - max(a0, b0)) for b0, b1 in spans)


@dataclass(frozen=True)
class _ShortDecode:
    language: str
    language_probability: float
    segments: tuple[Any, ...]  # faster-whisper Segments: the utterance, or none (silence)


@functools.cache
def _counting_model(model_cls: type) -> type:
    """faster-whisper's WhisperModel, counting the mel frames of every window its encoder runs
    on (the library's own windows and the short ones alike) into ``counts``."""

    class CountingWhisperModel(model_cls):
        counts: DecodeCounts
        counts_lock: threading.Lock

        def encode(self, features: np.ndarray) -> Any:
            with self.counts_lock:
                self.counts.frames_encoded += int(features.shape[-1])
            return super().encode(features)

    return CountingWhisperModel


class WhisperTranscriber:
    """A loaded faster-whisper model. Thread-safe: with ``num_workers`` 2 (the default) two
    transcriptions run at once (CTranslate2's inter_threads, the weights shared), so a partial
    transcript on its own thread never queues the final one behind it. ``counts`` tallies the
    decodes and the encoder's frames."""

    def __init__(self, model_path: str | Path, device: str = "cpu", compute_type: str = "int8",
                 cpu_threads: int = 0, *, name: str = "", num_workers: int = 2):
        path = Path(model_path).expanduser()
        if not (path / "model.bin").is_file():
            raise ModelUnavailable(
                "no Whisper model in {path}: expected a CTranslate2 folder with model.bin; "
                "pick another speech model in settings or convert one with ct2-transformers-converter",
                code="asr.no_model_in_folder", path=path,
                role="asr", model=name or str(path))
        if device == "cuda":  # before CTranslate2 needs them: the CUDA 12 cuBLAS of the gpu extra
            from .cuda_libs import preload_cuda_libs

            libs = preload_cuda_libs()
            if libs.missing or libs.errors:  # else CTranslate2 would fail at the first transcription
                raise ModelUnavailable("cannot run Whisper model {name} on the GPU: {libraries}",
                                       code="asr.gpu_unusable", name=name or path.name,
                                       libraries=libs.summary(),
                                       role="asr", model=name or str(path))
        try:
            from faster_whisper import WhisperModel
        except ImportError as e:  # pragma: no cover
            raise ModelUnavailable("speech recognition needs faster-whisper; install it with "
                                   "pip install faster-whisper", code="asr.not_installed", role="asr") from e
        self.path = path
        self.name = name or path.name
        self.device = device
        self.counts = DecodeCounts()
        self._counts_lock = threading.Lock()
        try:
            self._model = _counting_model(WhisperModel)(
                str(path), device=device, compute_type=compute_type, cpu_threads=max(0, int(cpu_threads)),
                num_workers=max(1, int(num_workers)))
        except (RuntimeError, ValueError, OSError) as e:
            first = str(e).splitlines()[0] if str(e) else type(e).__name__
            raise ModelUnavailable(
                "cannot load Whisper model {name} on {device} ({compute_type}): {error}; "
                "try device cpu with compute type int8, or another model", code="asr.load_failed",
                name=self.name, device=device, compute_type=compute_type, error=first,
                role="asr", model=self.name) from e
        self._model.counts, self._model.counts_lock = self.counts, self._counts_lock

    def _count(self, **added: int) -> None:
        with self._counts_lock:
            for key, n in added.items():
                setattr(self.counts, key, getattr(self.counts, key) + n)

    def footprint(self) -> Footprint:
        """The CTranslate2 weights (model.bin): in GPU memory on CUDA, else in RAM."""
        return file_footprint([self.path / "model.bin"], on_device=self.device == "cuda")

    @property
    def is_multilingual(self) -> bool:
        return bool(self._model.model.is_multilingual)

    def transcribe(self, audio: AudioSource, *, language: str | None = None, vad: bool = True,
                   word_timestamps: bool = False, decoding: Decoding | None = None,
                   cancel: CancelToken | None = None, sample_rate: int | None = None) -> Transcription:
        """Start transcribing ``audio`` (path, bytes, or float array at ``sample_rate``, default 16 kHz).

        ``language`` None or "" detects it (English-only models always use "en"). ``decoding``
        defaults to ``Decoding.for_turns()`` (greedy, short window); pass
        ``Decoding.for_files(settings)`` for a recording, ``Decoding.for_partials()`` while the user
        speaks. On the library path decoding runs as the returned ``segments`` iterator is
        consumed, ``cancel`` checked before each segment; a short window is decoded before this
        returns (one encode, one generate).
        """
        decoding = decoding or Decoding.for_turns()
        if cancel is not None:
            cancel.raise_if_cancelled()
        samples = load_audio(audio, SAMPLE_RATE, from_rate=sample_rate)
        duration = samples.shape[0] / SAMPLE_RATE
        language = _check_language(language) if self.is_multilingual else "en"

        chunks = _speech_chunks(samples) if vad else []
        spans = _spans(chunks) if vad else [(0.0, duration)]
        if vad and not spans:  # nothing that sounds like speech: do not let Whisper invent any
            lang = language or ""
            return Transcription(lang, 1.0 if language else 0.0, duration, iter(()), 0.0)
        if cancel is not None:
            cancel.raise_if_cancelled()

        # VAD runs once: the speech is cut out here exactly as faster-whisper's vad_filter does
        # (same functions), decoded, and its timestamps mapped back to the original audio
        speech = samples
        if vad:
            from faster_whisper.vad import collect_chunks

            speech = np.concatenate(collect_chunks(samples, chunks, sampling_rate=SAMPLE_RATE)[0])
        short = None
        try:
            if (decoding.window == "short" and not word_timestamps
                    and speech.shape[0] <= SHORT_WINDOW_MAX_S * SAMPLE_RATE):
                short = self._decode_short(speech, language, decoding)
            if short is None:
                raw, info = self._model.transcribe(
                    speech, language=language, vad_filter=False, word_timestamps=word_timestamps,
                    **decoding.library_kwargs())
                self._count(library_decodes=1)
                detected, probability = info.language, float(info.language_probability)
            else:
                raw, detected, probability = short.segments, short.language, short.language_probability
            if vad:
                from faster_whisper.transcribe import restore_speech_timestamps

                raw = restore_speech_timestamps(raw, chunks, SAMPLE_RATE)
        except ValueError as e:
            if language and "language" in str(e).lower():
                raise BadInput("{name} does not know the language {language}; choose another "
                               "language in settings or leave it empty to detect it",
                               code="asr.language_not_known", name=self.name, language=repr(language)) from e
            raise
        return Transcription(
            language=detected,
            language_probability=probability,
            duration=duration,
            segments=self._segments(raw, samples, spans if vad else None, cancel),
            speech_duration=sum(b - a for a, b in spans),
        )

    def _decode_short(self, speech: np.ndarray, language: str | None, decoding: Decoding) -> _ShortDecode | None:
        """Decode ``speech`` on one short window (see the module docstring). None: the decode was
        unsure and ``decoding.fallback`` asks for the library's own."""
        from faster_whisper.audio import pad_or_trim
        from faster_whisper.tokenizer import Tokenizer
        from faster_whisper.transcribe import Segment as RawSegment
        from faster_whisper.transcribe import get_compression_ratio, get_suppressed_tokens

        model = self._model
        features = model.feature_extractor(speech)
        content = features.shape[-1] - 1  # as in faster-whisper: the last frame is the padding's
        probability = 1.0
        if language is None:  # a multilingual model, language unknown: the library's detection
            language, probability, _ = model.detect_language(features=features)
        tokenizer = Tokenizer(model.hf_tokenizer, model.model.is_multilingual, task="transcribe",
                              language=language or "en")

        fps, step = model.frames_per_second, round(WINDOW_STEP_S * model.frames_per_second)
        wanted = max(content + WINDOW_MARGIN_S * fps, decoding.min_window_s * fps)
        frames = min(model.feature_extractor.nb_max_frames, math.ceil(wanted / step) * step)
        encoded = model.encode(pad_or_trim(features[:, :content], frames))

        seconds = speech.shape[0] / SAMPLE_RATE
        prompt = model.get_prompt(tokenizer, [], without_timestamps=True)
        rate_bound = math.ceil(TOKENS_PER_S * seconds) + TOKENS_BASE
        limit = min(rate_bound, decoding.max_new_tokens or rate_bound, model.max_length - len(prompt))
        result = model.model.generate(
            encoded, [prompt], beam_size=max(1, int(decoding.beam_size)), max_length=len(prompt) + limit,
            return_scores=True, return_no_speech_prob=True, suppress_blank=True,
            suppress_tokens=get_suppressed_tokens(tokenizer, [-1]))[0]
        self._count(short_decodes=1)
        tokens = result.sequences_ids[0]
        avg_logprob = result.scores[0] * len(tokens) / (len(tokens) + 1)  # faster-whisper's, length penalty 1
        text = tokenizer.decode(tokens)
        ratio = get_compression_ratio(text.strip())
        segment = RawSegment(id=1, seek=0, start=0.0, end=seconds, text=text, tokens=list(tokens),
                             avg_logprob=avg_logprob, compression_ratio=ratio,
                             no_speech_prob=result.no_speech_prob, words=None, temperature=0.0)
        found = _ShortDecode(language or "en", probability, (segment,))
        if result.no_speech_prob > decoding.no_speech_threshold and avg_logprob <= decoding.log_prob_threshold:
            return replace(found, segments=())  # faster-whisper's no-speech rule: silence
        looping = ratio > COMPRESSION_RATIO or _repeats(text) or len(tokens) >= rate_bound
        if not looping and avg_logprob >= decoding.log_prob_threshold:
            return found
        if decoding.fallback:
            self._count(fallbacks=1)
            return None
        return replace(found, segments=()) if looping else found  # a partial: a loop shows nothing

    def _segments(self, raw: Any, samples: np.ndarray, spans: list[tuple[float, float]] | None,
                  cancel: CancelToken | None) -> Iterator[Segment]:
        duration = samples.shape[0] / SAMPLE_RATE
        it = iter(raw)
        while True:
            if cancel is not None and cancel.cancelled:
                close = getattr(raw, "close", None)
                if close is not None:
                    close()
                raise Cancelled()
            try:
                s = next(it)
            except StopIteration:
                return
            text = s.text.strip()
            if not text:
                continue
            if s.no_speech_prob > NO_SPEECH_PROB and s.avg_logprob < LOW_LOGPROB:
                continue
            start, end = max(0.0, float(s.start)), min(duration, float(s.end))
            if is_stock_hallucination(text) and self._not_speech(samples, start, end, spans):
                continue
            words: tuple[Word, ...] = ()
            if s.words:
                words = tuple(
                    Word(start=max(0.0, min(duration, float(w.start))),
                         end=max(0.0, min(duration, float(w.end))),
                         word=w.word, probability=float(w.probability))
                    for w in s.words)
            yield Segment(start=start, end=end, text=text, no_speech_prob=float(s.no_speech_prob),
                          avg_logprob=float(s.avg_logprob), words=words)

    @staticmethod
    def _not_speech(samples: np.ndarray, start: float, end: float,
                    spans: list[tuple[float, float]] | None) -> bool:
        if spans is None:  # VAD off: compute it now, only for this suspicious segment
            spans = _speech_spans(samples)
        if end <= start:
            return True
        if _overlap(start, end, spans) < 0.2 * (end - start):
            return True
        piece = samples[int(start * SAMPLE_RATE):int(end * SAMPLE_RATE)]
        return rms_dbfs(piece) < QUIET_DBFS


def load(resolved: ResolvedModel, device: DeviceChoice, settings: Settings) -> WhisperTranscriber:
    """Build the transcriber for a catalog entry (format 'ctranslate2')."""
    if resolved.format != "ctranslate2":
        raise ModelUnavailable(
            "speech model {name} is in {format} format; faster-whisper needs a "
            "CTranslate2 folder (convert it with ct2-transformers-converter)", code="asr.wrong_format",
            name=resolved.name, format=repr(resolved.format), role="asr", model=resolved.name)
    from .devices import cpu_threads

    dev = "cuda" if device.device == "cuda" else "cpu"  # CTranslate2 has no mps backend
    compute = device.ctranslate2_compute if dev == "cuda" else "int8"
    return WhisperTranscriber(resolved.path, device=dev, compute_type=compute,
                              cpu_threads=cpu_threads(settings.device.cpu_threads), name=resolved.name)


def _check_language(language: str | None) -> str | None:
    language = (language or "").strip().lower() or None
    if language and not re.fullmatch(r"[a-z]{2,3}", language):
        raise BadInput("unknown language code {language}; use a code such as en, de or zh, or leave it empty",
                       code="asr.unknown_language_code", language=repr(language))
    return language
