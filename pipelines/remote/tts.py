"""Speech synthesis on a serving engine: ``POST /audio/speech`` (speaches with Kokoro or Piper,
LocalAI, openedai-speech, local-tts-studio, a hosted API).

Raw PCM is asked for first (16-bit little-endian mono; OpenAI's is 24 kHz, a server may say
another rate in ``X-Sample-Rate``) and read as it streams, so a cancel closes the connection in
the middle of a sentence; a server that refuses ``pcm`` is asked for WAV from then on. The audio
is returned at ``sample_rate`` whatever rate the server used, as the ``SpeechEngine`` Protocol
says. The sentence streaming itself is ``tts.Synthesizer``'s, as for a local voice.
"""
from __future__ import annotations

import io
from typing import Any

import numpy as np

from ..audio import resample
from ..cancel import CancelToken
from ..errors import BadInput, ModelUnavailable, Text
from ..settings import Settings
from .http import RemoteClient, ServerConfig

__all__ = ["RemoteSpeech", "OPENAI_PCM_RATE"]

OPENAI_PCM_RATE = 24000  # what OpenAI's API documents for response_format "pcm"
DEFAULT_VOICE = "alloy"  # OpenAI's first voice; servers with their own voices map or ignore it


class RemoteSpeech(RemoteClient):
    """A voice behind an OpenAI-compatible server (a ``SpeechEngine``). ``voice`` is
    ``voice.voice`` from the settings (empty: ``alloy``); ``formats`` the response formats to
    ask for, in order (``pcm`` or ``wav``, or another one soundfile reads); ``format_used`` is
    what the server answered last."""

    endpoint = "/audio/speech"

    def __init__(self, config: ServerConfig, *, settings: Settings | None = None, voice: str = "",
                 sample_rate: int = OPENAI_PCM_RATE, formats: tuple[str, ...] = ("pcm", "wav"),
                 transport: Any = None):
        super().__init__(config, transport=transport)
        self.voice = voice or (settings.voice.voice if settings is not None else "") or DEFAULT_VOICE
        self.sample_rate = int(sample_rate)
        self.format_used = ""
        self._formats = list(formats)  # tried in order; one the server refuses is dropped

    def voices(self) -> tuple[str, ...]:
        return (self.voice,)

    def synthesize(self, text: str, cancel: CancelToken | None = None) -> np.ndarray:
        if not isinstance(text, str):
            raise BadInput("speech synthesis needs text", code="tts.no_text")
        if not text.strip():
            return np.zeros(0, dtype=np.float32)
        while True:
            fmt = self._formats[0]
            try:
                audio, rate = self._request(text, fmt, cancel)
            except ModelUnavailable as e:
                # a server without raw PCM refuses the request (400/415/422): ask for WAV from now on
                if len(self._formats) > 1 and getattr(e, "status", 0) in (400, 415, 422):
                    self._formats.pop(0)
                    continue
                raise
            self.format_used = fmt
            if rate != self.sample_rate:  # resampling can overshoot a full-scale peak a little
                audio = np.clip(resample(audio, rate, self.sample_rate), -1.0, 1.0)
            return audio

    def _request(self, text: str, fmt: str, cancel: CancelToken | None) -> tuple[np.ndarray, int]:
        body = {"model": self.model, "input": text, "voice": self.voice, "response_format": fmt}
        # idempotent: saying a sentence twice changes nothing on the server
        with self.open_stream("POST", "audio/speech", idempotent=True, cancel=cancel, json=body) as resp:
            rate_header = resp.headers.get("x-sample-rate") or resp.headers.get("sample-rate")
            kind = resp.headers.get("content-type", "")
            chunks = []
            for chunk in resp.iter_bytes():
                if cancel is not None:
                    cancel.raise_if_cancelled()  # leaving the block closes the connection
                chunks.append(chunk)
        data = b"".join(chunks)
        if data[:4] == b"RIFF" or "wav" in kind:
            return self._read_wav(data)
        if "json" in kind or data[:1] == b"{":
            raise self.fail(Text.of("server.tts_json", "the {title} server at {where} answered with JSON, not audio "
                                    "({start}): check servers.tts.base_url and model", title=self.title,
                                    where=self.where, start=repr(data[:80].decode("utf-8", "replace"))))
        if fmt != "pcm" and kind:
            raise self.fail(Text.of("server.tts_not_wav", "the {title} server at {where} answered {kind} that is not "
                                    "WAV audio: check servers.tts.base_url and model", title=self.title,
                                    where=self.where, kind=kind))
        if fmt != "pcm":
            raise self.fail(Text.of("server.tts_not_wav_unknown", "the {title} server at {where} answered something "
                                    "that is not WAV audio: check servers.tts.base_url and model", title=self.title,
                                    where=self.where))
        try:
            rate = int(rate_header) if rate_header else OPENAI_PCM_RATE
        except ValueError:
            rate = OPENAI_PCM_RATE
        usable = len(data) - len(data) % 2
        return np.frombuffer(data[:usable], dtype="<i2").astype(np.float32) / 32768.0, rate

    def _read_wav(self, data: bytes) -> tuple[np.ndarray, int]:
        import soundfile as sf

        try:
            audio, rate = sf.read(io.BytesIO(data), dtype="float32", always_2d=True)
        except Exception as e:
            raise self.fail(Text.of("server.tts_unreadable", "the {title} server at {where} sent audio that cannot be "
                                    "read ({kind}): check the server's log", title=self.title, where=self.where,
                                    kind=type(e).__name__)) from None
        return audio.mean(axis=1).astype(np.float32), int(rate)
