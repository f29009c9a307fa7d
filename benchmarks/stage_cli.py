"""Command-line start-up: a person scripting Sensorium pays for a fresh process on every call.

Each figure runs ``sensorium <command>`` in a new process against a bare script that does the same
work with the library alone, on the same input and model, in a new process too; the two alternate
so load drift hits both alike. The first round of each warms the file cache and is not counted.
Targets: <= 1.3x for every command.

- transcribe: ``sensorium transcribe clip.wav --json`` vs faster-whisper ``WhisperModel.transcribe``
  with the same decoding options (the settings' file decoding, VAD on);
- chat: ``sensorium chat PROMPT --temperature 0 --max-tokens N --json`` vs transformers
  ``generate`` (greedy, the same N new tokens) from the same converted safetensors copy of the GGUF;
- say: ``sensorium say TEXT -o out.wav`` vs piper ``PiperVoice.synthesize_wav`` on the same voice.
"""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from .common import MACHINE_CACHE, REPO, Stage, overhead

__all__ = ["run", "BARE_TRANSCRIBE", "BARE_CHAT", "BARE_SAY"]

TARGET = 1.3
PROMPT = "What is the capital of France?"
SENTENCE = "The quick brown fox jumps over the lazy dog near the river bank."

BARE_TRANSCRIBE = r"""
import sys
from faster_whisper import WhisperModel
model_dir, wav, beam = sys.argv[1], sys.argv[2], int(sys.argv[3])
model = WhisperModel(model_dir, device="cpu", compute_type="int8")
segments, _ = model.transcribe(wav, language="en", vad_filter=True, beam_size=beam,
                               condition_on_previous_text=False)
print(" ".join(s.text.strip() for s in segments))
"""

BARE_CHAT = r"""
import sys
import torch
from transformers import AutoModelForCausalLM, AutoTokenizer
folder, prompt, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
tok = AutoTokenizer.from_pretrained(folder, local_files_only=True)
model = AutoModelForCausalLM.from_pretrained(folder, local_files_only=True, dtype=torch.float32).eval()
ids = tok.apply_chat_template([{"role": "user", "content": prompt}], add_generation_prompt=True,
                              return_tensors="pt", return_dict=True)
out = model.generate(**ids, max_new_tokens=n, do_sample=False)
print(tok.decode(out[0, ids["input_ids"].shape[1]:], skip_special_tokens=True))
"""

BARE_SAY = r"""
import sys, wave
from piper import PiperVoice
voice = PiperVoice.load(sys.argv[1])
with wave.open(sys.argv[3], "wb") as f:
    voice.synthesize_wav(sys.argv[2], f)
"""


def _run(cmd: list[str], env: dict[str, str]) -> float:
    t0 = time.perf_counter()
    r = subprocess.run(cmd, cwd=REPO, env=env, capture_output=True, text=True, timeout=600)
    seconds = time.perf_counter() - t0
    if r.returncode != 0:
        last = (r.stderr.strip().splitlines() or ["failed"])[-1]
        raise RuntimeError(f"{' '.join(cmd[:4])} ...: {last}")
    return seconds


def _pair(ours: Callable[[], list[str]], bare: list[str], env: dict[str, str], reps: int
          ) -> tuple[list[float], list[float]]:
    """``ours()`` gives the command line (a fresh profile each call). One untimed round first warms
    the file cache, the converted weights and the checksum cache, as any second call would find them."""
    _run(ours(), env), _run(bare, env)
    a, b = [], []
    for _ in range(reps):
        a.append(_run(ours(), env))
        b.append(_run(bare, env))
    return a, b


def run(ctx) -> Stage:
    from pipelines.asr import Decoding
    from pipelines.llm import gguf_cache_dir
    from pipelines.settings import Settings

    st = Stage("cli-startup", models=f"{ctx.asr_label}; {ctx.llm_label}; {ctx.piper_label}")
    reps = max(3, ctx.reps)
    tmp = Path(tempfile.mkdtemp(prefix="sensorium-cli-"))
    # a new profile on every call (as a script run with --profile-dir would), on the machine cache
    env = dict(os.environ, SENSORIUM_CACHE_DIR=str(MACHINE_CACHE), PYTHONPATH=str(REPO))
    env.pop("SENSORIUM_HOME", None)
    py = sys.executable

    def sensorium(*args: str) -> Callable[[], list[str]]:
        return lambda: [py, "-m", "desktop.launcher", "--profile-dir", tempfile.mkdtemp(dir=tmp), *args]

    wav = str(max((p for p, _ in ctx.speech_clips), key=lambda p: p.stat().st_size))  # the longest clip
    beam = Decoding.for_files(Settings()).beam_size
    n = 24
    folder = gguf_cache_dir(ctx.m.smollm2_gguf, ctx.m.converted_dir)
    out = str(tmp / "say.wav")
    runs = {
        "transcribe": _pair(sensorium("transcribe", wav, "--json"),
                            [py, "-c", BARE_TRANSCRIBE, str(ctx.asr_path), wav, str(beam)], env, reps),
        "chat": _pair(sensorium("chat", PROMPT, "--temperature", "0", "--max-tokens", str(n), "--json"),
                      [py, "-c", BARE_CHAT, str(folder), PROMPT, str(n)], env, reps),
        "say": _pair(sensorium("say", SENTENCE, "-o", out),
                     [py, "-c", BARE_SAY, str(ctx.piper_onnx), SENTENCE, out], env, reps),
    }
    for name, (ours, bare) in runs.items():
        st.add(f"sensorium {name}, fresh process", [t * 1000 for t in ours], "ms")
        st.add(f"bare library script ({name}), fresh process", [t * 1000 for t in bare], "ms")
        st.add(f"{name}: overhead vs the bare script", overhead(ours, bare), target=f"<= {TARGET}",
               check=lambda v: v <= TARGET)
    st.info.update(chat_new_tokens=n, transcribe_clip=Path(wav).name, transcribe_beam=beam)
    return st
