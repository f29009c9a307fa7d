"""The real serving engines (tests/fixtures/servers.py) answer as OpenAI-compatible servers, spoken to
with plain httpx, not with Sensorium's clients: what these tests pin down is each engine's dialect
(the field names, the formats, the error bodies) that the clients in pipelines/remote must handle,
and that an engine can be killed in the middle of a reply and brought back on the same port."""
from __future__ import annotations

import io
import json
import math
import wave

import httpx
import numpy as np
import pytest

from tests.fixtures.servers import start_llama
from tests.helpers.text import normalize_words

pytestmark = pytest.mark.weights

CLIP = "librivox-0880"  # "he was not an ill disposed young man", 3 s
CHAT = {"messages": [{"role": "system", "content": "You are a helpful assistant."},
                     {"role": "user", "content": "What is the capital of France?"}],
        "temperature": 0, "max_tokens": 30}


def sse_events(response: httpx.Response):
    """The JSON payloads of an SSE stream, and "[DONE]" as itself."""
    for line in response.iter_lines():
        if line.startswith("data: "):
            data = line[len("data: "):]
            yield data if data == "[DONE]" else json.loads(data)


def read_wav(data: bytes) -> tuple[int, int, int, np.ndarray]:
    with wave.open(io.BytesIO(data), "rb") as w:
        frames = w.readframes(w.getnframes())
        return w.getframerate(), w.getnchannels(), w.getsampwidth(), np.frombuffer(frames, "<i2")


# ---- llama.cpp ----------------------------------------------------------------------------------
def test_llama_lists_its_alias(llama_engine):
    with llama_engine.client() as c:
        body = c.get("/v1/models").json()
    assert body["object"] == "list"
    assert [m["id"] for m in body["data"]] == ["smollm2"]
    assert body["data"][0]["owned_by"] == "llamacpp"
    assert body["data"][0]["meta"]["n_ctx"] == 2048  # the context the server was started with
    assert [m["name"] for m in body["models"]] == ["smollm2"]  # and an Ollama-style list beside it


def test_llama_streams_the_answer_over_sse(llama_engine):
    with llama_engine.client() as c, c.stream("POST", "/v1/chat/completions",
                                              json={**CHAT, "model": llama_engine.model, "stream": True}) as r:
        assert r.status_code == 200
        assert r.headers["content-type"].startswith("text/event-stream")
        events = list(sse_events(r))
    assert events[-1] == "[DONE]"
    chunks = events[:-1]
    assert all(e["object"] == "chat.completion.chunk" for e in chunks)
    assert chunks[0]["choices"][0]["delta"].get("role") == "assistant"
    text = "".join(e["choices"][0]["delta"].get("content") or "" for e in chunks)
    assert len([e for e in chunks if e["choices"][0]["delta"].get("content")]) > 2  # token by token
    assert "Paris" in text, text
    assert chunks[-1]["choices"][0]["finish_reason"] == "stop"


def test_llama_answers_any_model_name(llama_engine):
    with llama_engine.client() as c:
        r = c.post("/v1/chat/completions", json={**CHAT, "model": "no-such-model"})
    assert r.status_code == 200  # llama.cpp serves its one model whatever the name
    assert r.json()["model"] == "smollm2"
    assert "Paris" in r.json()["choices"][0]["message"]["content"]


def test_llama_embeddings_from_the_chat_server(llama_engine):
    with llama_engine.client() as c:
        dims = c.get("/v1/models").json()["data"][0]["meta"]["n_embd"]
        r = c.post("/v1/embeddings", json={"model": llama_engine.model,
                                           "input": ["a cat sat on the mat", "a kitten on a rug", "a cat sat on the mat"]})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["object"] == "list" and body["usage"]["prompt_tokens"] > 0
    assert [d["index"] for d in body["data"]] == [0, 1, 2]
    vectors = np.array([d["embedding"] for d in body["data"]])
    assert vectors.shape == (3, dims) == (3, 576)  # SmolLM2's hidden size, not MiniLM's 384
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)  # unit length (embd_normalize 2)
    assert np.allclose(vectors[0], vectors[2], atol=1e-5) and not np.allclose(vectors[0], vectors[1], atol=1e-3)


def test_llama_errors(llama_engine):
    with llama_engine.client() as c:
        missing = c.post("/v1/chat/completions", json={"model": llama_engine.model})
        too_long = c.post("/v1/chat/completions", json={"model": llama_engine.model, "max_tokens": 2,
                                                        "messages": [{"role": "user", "content": "hello " * 3000}]})
        nowhere = c.get("/v1/no-such-route")
    assert missing.status_code == 400
    assert missing.json() == {"error": {"code": 400, "message": "'messages' is required",
                                        "type": "invalid_request_error"}}
    assert too_long.status_code == 400
    assert too_long.json()["error"]["type"] == "exceed_context_size_error"
    assert too_long.json()["error"]["n_ctx"] == 2048
    assert nowhere.status_code == 404
    assert nowhere.json() == {"error": {"message": "File Not Found", "type": "not_found_error", "code": 404}}


@pytest.mark.slow
def test_llama_key_then_kill_mid_stream_and_restart_on_the_same_port(engine_logs):
    engine = start_llama(api_key="right-key", log_dir=engine_logs)
    try:
        url = engine.base_url
        for headers in ({}, {"Authorization": "Bearer wrong-key"}):
            r = httpx.get(url + "/models", headers=headers, trust_env=False)
            assert r.status_code == 401
            assert r.json() == {"error": {"message": "Invalid API Key", "type": "authentication_error", "code": 401}}
        assert httpx.get(engine.root_url + "/health", trust_env=False).status_code == 200  # never behind the key

        port, pid = engine.port, engine.pid
        long_reply = {"model": engine.model, "stream": True, "max_tokens": 400, "ignore_eos": True, "temperature": 0,
                      "messages": [{"role": "user", "content": "Count from 1 to 500, separated by commas."}]}
        seen, done = 0, False
        with engine.client(timeout=httpx.Timeout(20.0, connect=5.0)) as c, \
                c.stream("POST", "/v1/chat/completions", json=long_reply) as r:
            assert r.status_code == 200
            events = sse_events(r)
            with pytest.raises(httpx.TransportError):  # RemoteProtocolError: the chunked body is cut short
                for event in events:
                    done = done or event == "[DONE]"
                    seen += 1
                    if seen == 5:
                        engine.kill()
        assert seen >= 5 and not done
        assert not engine.alive
        with pytest.raises(httpx.ConnectError):
            httpx.get(url + "/models", headers=engine.headers, trust_env=False)

        engine.restart()
        assert (engine.port, engine.base_url) == (port, url) and engine.pid != pid and engine.alive
        print(f"\nllama restarted on port {port} in {engine.startup_seconds:.2f} s")
        with engine.client() as c:
            r = c.post("/v1/chat/completions", json={**CHAT, "model": engine.model})
        assert r.status_code == 200 and "Paris" in r.json()["choices"][0]["message"]["content"]
    finally:
        engine.stop()
    assert not engine.alive


# ---- faster-whisper-server -------------------------------------------------------------------------
def _transcribe(engine, data: bytes, name: str = "clip.wav", **form) -> httpx.Response:
    # a fresh connection per request: after a 500 the server resets the kept-alive connection
    return httpx.post(engine.base_url + "/audio/transcriptions", files={"file": (name, data, "audio/wav")},
                      data={"model_name": engine.model, **form}, timeout=60.0, trust_env=False)


@pytest.mark.slow
def test_whisper_transcribes_as_faster_whisper_does(whisper_engine, whisper_model_path, speech_dir):
    from faster_whisper import WhisperModel

    wav = speech_dir / f"{CLIP}.wav"
    r = _transcribe(whisper_engine, wav.read_bytes(), response_format="verbose_json")
    assert r.status_code == 200, r.text
    body = r.json()
    assert (body["task"], body["language"]) == ("transcribe", "en")
    assert math.isclose(body["duration"], 2.99, abs_tol=0.01)
    assert body["text"] == "".join(s["text"] for s in body["segments"])
    # the server's own call: WhisperModel(path) with its defaults (float32 from the float16 pack on
    # the CPU, not the app's int8), transcribe(file, task="transcribe") with beam 5 and the
    # temperature fallbacks; one thread, as the engine runs with OMP_NUM_THREADS=1
    model = WhisperModel(str(whisper_model_path), cpu_threads=1)
    segments, _ = model.transcribe(str(wav), task="transcribe")
    reference = "".join(s.text for s in segments)
    assert normalize_words(body["text"]) == normalize_words(reference), (body["text"], reference)
    plain = _transcribe(whisper_engine, wav.read_bytes())  # json: the text alone
    assert plain.json() == {"text": body["text"]}


def test_whisper_errors(whisper_engine, speech_dir):
    clip = (speech_dir / f"{CLIP}.wav").read_bytes()
    unknown = _transcribe(whisper_engine, clip, model_name="whisper-1")
    assert unknown.status_code == 400
    assert unknown.json() == {"detail": {"error": {"message": "unknown model: whisper-1",
                                                   "type": "invalid_request_error"}}}
    text_format = _transcribe(whisper_engine, clip, response_format="text")
    assert text_format.status_code == 400
    assert text_format.json()["detail"]["error"]["message"] == "Unsupported response_format: text"
    no_file = httpx.post(whisper_engine.base_url + "/audio/transcriptions", data={"model_name": whisper_engine.model},
                         trust_env=False)
    assert no_file.status_code == 422
    assert no_file.json() == {"detail": [{"type": "missing", "loc": ["body", "file"], "msg": "Field required",
                                          "input": None}]}
    assert httpx.get(whisper_engine.base_url + "/models", trust_env=False).status_code == 404  # no /v1/models

    with whisper_engine.client() as c:  # one kept-alive connection
        bad = c.post("/v1/audio/transcriptions", files={"file": ("clip.wav", b"not audio" * 100, "audio/wav")},
                     data={"model_name": whisper_engine.model})
        assert bad.status_code == 500
        assert (bad.headers["content-type"], bad.text) == ("text/plain; charset=utf-8", "Internal Server Error")
        try:  # uvicorn may drop the kept-alive connection after its 500, depending on timing (on a fresh
            # machine it did not): Sensorium's client never sends undecodable audio, and retries a refused
            # connection on a fresh one
            after = c.post("/v1/audio/transcriptions", files={"file": ("clip.wav", clip, "audio/wav")},
                           data={"model_name": whisper_engine.model})
        except (httpx.ReadError, httpx.RemoteProtocolError):
            after = None
        assert after is None or after.status_code == 200
    assert whisper_engine.alive and _transcribe(whisper_engine, clip).status_code == 200


# ---- local-tts-studio (Piper) ----------------------------------------------------------------------
SENTENCE = "The capital of France is Paris."


def test_tts_speaks_a_wav(tts_engine):
    with tts_engine.client() as c:
        models = c.get("/v1/models").json()
        r = c.post("/v1/audio/speech", json={"model": tts_engine.model, "voice": "alloy", "input": SENTENCE})
    assert [m["id"] for m in models["data"]] == ["tts-1", "tts-1-hd"]
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "audio/wav"
    rate, channels, width, samples = read_wav(r.content)
    assert (rate, channels, width) == (22050, 1, 2)
    assert int(r.headers["x-sample-rate"]) == rate
    seconds = len(samples) / rate
    assert 0.8 < seconds < 6.0, seconds
    assert np.sqrt(np.mean(samples.astype(np.float64) ** 2)) > 300  # not silence (int16 RMS)
    assert abs(int(r.headers["x-duration-ms"]) - seconds * 1000) < 2


def test_tts_pcm_and_errors(tts_engine):
    with tts_engine.client() as c:
        pcm = c.post("/v1/audio/speech", json={"input": SENTENCE, "response_format": "pcm"})
        mp3 = c.post("/v1/audio/speech", json={"input": SENTENCE, "response_format": "mp3"})
        ogg = c.post("/v1/audio/speech", json={"input": SENTENCE, "response_format": "ogg"})
        no_input = c.post("/v1/audio/speech", json={"model": "tts-1"})
    assert pcm.status_code == 200 and pcm.headers["content-type"] == "audio/pcm_s16le"
    assert pcm.headers["x-sample-rate"] == "22050" and len(pcm.content) % 2 == 0
    assert len(pcm.content) / 2 / 22050 > 0.8  # raw 16-bit mono samples, no header
    if mp3.status_code != 200:  # compressed formats only with an ffmpeg binary on the host
        assert mp3.status_code == 400 and mp3.json()["error"]["code"] == "unsupported_response_format"
    assert ogg.status_code == 400
    assert ogg.json() == {"error": {
        "message": "invalid request field 'response_format': Value error, response_format must be one of: "
                   "wav, pcm, mp3, flac, aac, opus",
        "type": "invalid_request_error", "param": "response_format", "code": "invalid_request"}}
    assert no_input.status_code == 400
    assert no_input.json() == {"error": {"message": "invalid request field 'input': Field required",
                                         "type": "invalid_request_error", "param": "input", "code": "invalid_request"}}


@pytest.mark.slow
def test_tts_speech_is_heard_by_whisper(tts_engine, whisper_engine):
    with tts_engine.client() as c:
        wav = c.post("/v1/audio/speech", json={"input": SENTENCE}).content
    r = _transcribe(whisper_engine, wav, name="speech.wav")  # 22050 Hz: the server resamples
    assert r.status_code == 200, r.text
    # tiny.en hears "France is" as "Francis" on this voice: the words it does not merge must be there
    assert {"capital", "paris"} <= set(normalize_words(r.json()["text"])), r.json()["text"]


def test_startup_times(llama_engine, whisper_engine, tts_engine, capsys):
    times = {e.name: e.startup_seconds for e in (llama_engine, whisper_engine, tts_engine)}
    with capsys.disabled():
        print("\nengine start-up (s, until it answers, model loaded): "
              + ", ".join(f"{k} {v:.2f}" for k, v in times.items()))
    assert all(t > 0 for t in times.values())
    assert all(e.alive for e in (llama_engine, whisper_engine, tts_engine))
