"""GPU tier: the same pipelines on CUDA in half precision. Skipped without a CUDA device."""
from __future__ import annotations

import pytest

from pipelines.cancel import CancelToken
from pipelines.engine import Engine
from pipelines.events import Done, ImageOptions, ImageResult, Turn
from pipelines.settings import Settings
from tests.helpers.text import word_errors

pytestmark = pytest.mark.gpu


@pytest.fixture
def gpu_engine(warm_profile, tiny_sd_dir, tiny_clip_dir):
    s = Settings()
    s.device.device = "cuda"
    s.chat.temperature = 0.0
    s.chat.max_new_tokens = 24
    s.models.imagegen = str(tiny_sd_dir)
    s.models.vision = str(tiny_clip_dir)
    return Engine(s, warm_profile)


def test_whisper_on_cuda_no_worse_than_faster_whisper(gpu_engine, speech_samples, whisper_model_path):
    from faster_whisper import WhisperModel

    from pipelines.asr import Decoding

    plain = WhisperModel(str(whisper_model_path), device="cuda", compute_type="float16")
    decoding = Decoding.for_turns()
    with gpu_engine.manager.lease("asr") as asr:
        assert asr.device == "cuda"
        for sample in speech_samples:
            ours = asr.transcribe(sample.wav, decoding=decoding).text()
            segments, _ = plain.transcribe(str(sample.wav), language="en", vad_filter=True,
                                           **decoding.library_kwargs())
            lib = " ".join(s.text.strip() for s in segments)
            assert word_errors(sample.text, ours)[0] <= word_errors(sample.text, lib)[0], (ours, lib)


def test_chat_on_cuda(gpu_engine):
    events = list(gpu_engine.respond(Turn(text="What is the capital of France?"), CancelToken()))
    assert isinstance(events[-1], Done) and "Paris" in events[-1].text
    assert gpu_engine.manager.device.dtype in ("float16", "bfloat16")


def test_imagegen_on_cuda_half_precision(gpu_engine):
    events = list(gpu_engine.respond(Turn(text="draw a red apple", image_options=ImageOptions(
        width=64, height=64, steps=4, seed=1, best_of=2)), CancelToken()))
    res = next(e for e in events if isinstance(e, ImageResult))
    assert len(res.paths) == 2 and len(res.scores) == 2
