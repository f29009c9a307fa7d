"""Speech recognition on a serving engine: ``POST /audio/transcriptions`` (speaches /
faster-whisper-server, vLLM or LocalAI serving Whisper, whisper.cpp's server, a hosted API).

The audio is decoded here and sent as 16 kHz 16-bit mono WAV, so every server gets one format
whatever the user dropped. VAD runs here first (the same Silero VAD faster-whisper uses locally):
audio without speech is never sent, and Whisper cannot invent text for it. The answer is asked
for as ``verbose_json`` (segments, with their scores when the server gives them) and read into
the local ``Transcription``, with the local guards against made-up text; a server that answers
plain ``json`` gives one segment. faster-whisper-server reads its model from a ``model_name``
field where OpenAI's API says ``model``: both are sent.
"""
from __future__ import annotations

import io
import wave
from collections.abc import Iterator
from typing import Any

import numpy as np

from ..asr import LOW_LOGPROB, NO_SPEECH_PROB, SAMPLE_RATE, Transcription, WhisperTranscriber, _check_language
from ..asr import is_stock_hallucination as _stock
from ..audio import AudioSource, load_audio
from ..cancel import CancelToken
from ..errors import Text
from ..events import Segment, Word
from ..settings import Settings
from .http import RemoteClient, ServerConfig

__all__ = ["RemoteTranscriber", "wav_bytes"]

#: what servers that follow OpenAI's hosted API put in ``language`` (the name, not the code)
_LANGUAGE_NAMES = {"english": "en", "chinese": "zh", "german": "de", "french": "fr", "spanish": "es",
                   "italian": "it", "japanese": "ja", "korean": "ko", "portuguese": "pt", "russian": "ru",
                   "dutch": "nl", "arabic": "ar", "hindi": "hi", "turkish": "tr", "polish": "pl",
                   "cantonese": "yue", "ukrainian": "uk", "swedish": "sv", "vietnamese": "vi"}


def wav_bytes(samples: np.ndarray, sample_rate: int = SAMPLE_RATE) -> bytes:
    """Float mono samples as a 16-bit PCM WAV file, in memory."""
    pcm = (np.clip(np.asarray(samples, dtype=np.float32), -1.0, 1.0) * 32767.0).round().astype("<i2")
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(int(sample_rate))
        w.writeframes(pcm.tobytes())
    return buf.getvalue()


def _number(value: Any, default: float = 0.0) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return default


class RemoteTranscriber(RemoteClient):
    """Whisper behind an OpenAI-compatible server, with ``WhisperTranscriber.transcribe``'s
    signature and result. Beam size and window are the server's own (the API has no field for
    them); ``decoding`` is accepted and not sent."""

    endpoint = "/audio/transcriptions"
    is_multilingual = True  # the server's model decides; an English-only one answers "en"

    def __init__(self, config: ServerConfig, *, settings: Settings | None = None, transport: Any = None):
        super().__init__(config, transport=transport)

    def transcribe(self, audio: AudioSource, *, language: str | None = None, vad: bool = True,
                   word_timestamps: bool = False, decoding: Any = None, cancel: CancelToken | None = None,
                   sample_rate: int | None = None) -> Transcription:
        if cancel is not None:
            cancel.raise_if_cancelled()
        samples = load_audio(audio, SAMPLE_RATE, from_rate=sample_rate)
        duration = samples.shape[0] / SAMPLE_RATE
        language = _check_language(language)
        spans: list[tuple[float, float]] | None = None
        if vad:
            from ..asr import _speech_spans

            spans = _speech_spans(samples)
            if not spans:  # nothing that sounds like speech: nothing is sent
                return Transcription(language or "", 1.0 if language else 0.0, duration, iter(()), 0.0)
        form: dict[str, Any] = {"model": self.model, "model_name": self.model, "response_format": "verbose_json",
                                "temperature": "0"}
        if language:
            form["language"] = language
        if word_timestamps:
            form["timestamp_granularities[]"] = ["segment", "word"]
        files = {"file": ("speech.wav", wav_bytes(samples), "audio/wav")}
        # idempotent: transcribing twice changes nothing on the server, so a refused try is retried
        resp = self.call("POST", "audio/transcriptions", idempotent=True, cancel=cancel, data=form, files=files)
        obj = self.json(resp)
        if not isinstance(obj, dict) or not isinstance(obj.get("text", ""), str):
            raise self.fail(Text.of("server.asr_shape", "the {title} server at {where} answered in a shape this "
                                    "version does not know (no text): check that servers.asr.base_url is an "
                                    "OpenAI-compatible address", title=self.title, where=self.where))
        detected = str(obj.get("language") or language or "").strip().lower()
        detected = _LANGUAGE_NAMES.get(detected, detected)
        segments = self._segments(obj, samples, spans)
        return Transcription(detected, 1.0 if language else _number(obj.get("language_probability"), 1.0),
                             duration, segments,
                             sum(b - a for a, b in spans) if spans is not None else duration)

    def _segments(self, obj: dict, samples: np.ndarray, spans: list[tuple[float, float]] | None) -> Iterator[Segment]:
        duration = samples.shape[0] / SAMPLE_RATE
        raw = obj.get("segments")
        if not isinstance(raw, list) or not raw:  # plain json: the whole text, one segment
            raw = [{"start": 0.0, "end": duration, "text": obj.get("text", "")}] if obj.get("text", "").strip() else []
        loose = [w for w in obj.get("words") or () if isinstance(w, dict)]  # OpenAI puts words beside segments
        for s in raw:
            if not isinstance(s, dict):
                continue
            text = str(s.get("text") or "").strip()
            if not text:
                continue
            no_speech, logprob = _number(s.get("no_speech_prob")), _number(s.get("avg_logprob"))
            if no_speech > NO_SPEECH_PROB and logprob < LOW_LOGPROB:
                continue
            start = max(0.0, _number(s.get("start")))
            end = min(duration, _number(s.get("end"), duration))
            if _stock(text) and WhisperTranscriber._not_speech(samples, start, end, spans):
                continue
            items = [w for w in s.get("words") or () if isinstance(w, dict)] or [
                w for w in loose if start <= _number(w.get("start"), -1.0) < end]
            words = tuple(Word(start=max(0.0, min(duration, _number(w.get("start")))),
                               end=max(0.0, min(duration, _number(w.get("end")))), word=str(w.get("word", "")),
                               probability=_number(w.get("probability"), 1.0)) for w in items)
            yield Segment(start=start, end=end, text=text, no_speech_prob=no_speech, avg_logprob=logprob,
                          words=words)
