"""GPU tier: the same pipelines on CUDA in half precision. Skipped without a CUDA device."""
from __future__ import annotations

import pytest

from pipelines.cancel import CancelToken
from pipelines.engine import Engine
from pipelines.events import Done, ImageOptions, ImageResult, Turn
from pipelines.settings import Settings
from tests.helpers.text import wer

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


def test_whisper_on_cuda(gpu_engine, speech_samples):
    asr = gpu_engine.manager.get("asr")
    for sample in speech_samples:
        assert wer(sample.text, asr.transcribe(sample.wav).text()) <= 0.25


def test_chat_on_cuda(gpu_engine):
    events = list(gpu_engine.respond(Turn(text="What is the capital of France?"), CancelToken()))
    assert isinstance(events[-1], Done) and "Paris" in events[-1].text
    assert gpu_engine.manager.device.dtype in ("float16", "bfloat16")


def test_imagegen_on_cuda_half_precision(gpu_engine):
    events = list(gpu_engine.respond(Turn(text="draw a red apple", image_options=ImageOptions(
        width=64, height=64, steps=4, seed=1, best_of=2)), CancelToken()))
    res = next(e for e in events if isinstance(e, ImageResult))
    assert len(res.paths) == 2 and len(res.scores) == 2
