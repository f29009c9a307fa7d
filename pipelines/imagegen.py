"""Image generation with diffusers: text to image and image to image, with previews and cancel.

``ImageGenerator`` loads a Stable Diffusion folder (``model_index.json`` + component folders,
safetensors, optionally a weight variant such as the hub's ``*.fp16.safetensors``) once; the
img2img pipeline is built from the same components, so the weights are in memory once.
``generate(request, cancel, on_progress)`` runs one request:

* steps, guidance, size and sampler left unset (None, "default") take the model's defaults: its
  catalog entry's (``ModelDefaults``), or for a folder the catalog does not describe, those of
  its kind (few-step distilled models such as SD-Turbo run 2 steps without guidance);
* parameters are validated (one-line ``BadInput`` with the fix) and sizes rounded to multiples
  of 8 and capped to what the device's free memory allows (the result's ``notes`` say so);
* the diffusers pipeline call does the whole job (denoising, VAE decode, post-processing);
  progress comes through its ``callback_on_step_end``: an ``ImageProgress`` per step with the
  elapsed time and, every ``preview_every`` steps, a small PNG made from the latents with the
  linear latent-to-RGB approximation (no VAE decode);
* cancel is checked in the same callback, which raises ``Cancelled`` out of the pipeline (no
  decode of a picture nobody will see), and nothing is saved;
* best-of-N draws seeds seed, seed+1, ... in one batch (one generator per image, so each image is
  the one its seed gives alone) as far as memory allows, and ranks them by CLIP prompt
  similarity when a ``ClipModel`` is given;
* out of memory: a batch is drawn again one image at a time; a single image frees the other
  models (``on_oom``) and retries, then retries once at half the pixels, then ``OutOfMemory``;
* the safety checker (when the model has one and it is on) runs on the device and dtype of the
  pipeline, on all images at once;
* each PNG carries the parameters used as text chunks: ``sensorium`` (JSON) and ``parameters``
  (the AUTOMATIC1111 format other tools read).

torch and diffusers are imported inside functions: importing this module is cheap.
"""
from __future__ import annotations

import gc
import io
import json
import math
import os
import re
import secrets
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from .cancel import Cancelled, CancelToken
from .catalog import ModelDefaults
from .errors import BadInput, ModelUnavailable, OutOfMemory, Text
from .events import ImageOptions, ImageProgress, ImageResult
from .footprint import Footprint, tensor_footprint
from .tempfiles import temp_path

__all__ = [
    "SCHEDULERS",
    "LATENT_RGB_FACTORS",
    "ImageRequest",
    "GenerationResult",
    "ImageGenerator",
    "validate_request",
    "infer_defaults",
    "plan_size",
    "latents_to_preview",
    "png_metadata",
    "save_images",
    "load",
]

#: Scheduler names (settings.imagegen.scheduler) -> (diffusers class, extra config, A1111 sampler name).
SCHEDULERS: dict[str, tuple[str, dict[str, Any], str]] = {
    "ddim": ("DDIMScheduler", {}, "DDIM"),
    "euler": ("EulerDiscreteScheduler", {}, "Euler"),
    "euler_a": ("EulerAncestralDiscreteScheduler", {}, "Euler a"),
    "dpm++": ("DPMSolverMultistepScheduler", {"algorithm_type": "dpmsolver++"}, "DPM++ 2M"),
    "lms": ("LMSDiscreteScheduler", {}, "LMS"),
    "pndm": ("PNDMScheduler", {"skip_prk_steps": True}, "PLMS"),
}

#: The well-known linear approximation of SD 1.x latents (4 channels) to RGB.
LATENT_RGB_FACTORS = (
    (0.298, 0.207, 0.208),
    (0.187, 0.286, 0.173),
    (-0.158, 0.189, 0.264),
    (-0.184, -0.271, -0.473),
)

MIN_SIDE, MAX_SIDE = 64, 2048
MAX_ASPECT = 4  # an init picture longer than this is cropped to its centre
MAX_STEPS = 150
MAX_BEST_OF = 8
MAX_GUIDANCE = 30.0
# Rough peak working memory per output pixel (UNet activations with SDPA, CFG batch of 2, VAE decode).
_BYTES_PER_PIXEL = {"float32": 12_000, "float16": 6_000, "bfloat16": 6_000}
#: What a Stable Diffusion model that says nothing else gets (the values the SD 1.x/2.x cards use).
STANDARD_DEFAULTS = ModelDefaults(steps=25, guidance=7.0)
#: Few-step distilled models (SD-Turbo, SDXL-Turbo, Lightning, Hyper-SD): 1-4 steps, no guidance.
FEW_STEP_DEFAULTS = ModelDefaults(steps=2, guidance=0.0)
#: Latent consistency models: a few steps with light guidance.
LCM_DEFAULTS = ModelDefaults(steps=4, guidance=1.0)
_FEW_STEP_HINTS = ("turbo", "lightning", "hyper-sd", "hypersd")

ProgressFn = Callable[[ImageProgress], None]


@dataclass(frozen=True)
class ImageRequest:
    """One generation request. ``width``/``height`` None: the model's default size (or the init
    image's); ``steps``/``guidance`` None and ``scheduler`` "default": the model's defaults."""

    prompt: str
    negative_prompt: str = ""
    width: int | None = None
    height: int | None = None
    steps: int | None = None
    guidance: float | None = None
    seed: int | None = None  # None: random, recorded in the result
    strength: float = 0.6  # img2img only: how much the init image changes
    init_image: str | Path | None = None  # a path: img2img
    scheduler: str = "default"
    best_of: int = 1
    preview_every: int = 2  # 0: no previews
    safety_checker: bool = True

    @classmethod
    def from_settings(cls, prompt: str, settings, options: ImageOptions | None = None,
                      init_image: str | Path | None = None, defaults: ModelDefaults | None = None) -> ImageRequest:
        """A turn's ``ImageOptions``, else the settings' imagegen section, else ``defaults`` (the
        model's, when the caller knows them; else left None for the generator to fill in)."""
        s = getattr(settings, "imagegen", settings)
        o = options or ImageOptions()
        d = defaults or ModelDefaults()

        def pick(*values):
            return next((v for v in values if v is not None), None)

        scheduler = pick(o.scheduler, s.scheduler) or "default"
        return cls(
            prompt=prompt,
            negative_prompt=pick(o.negative_prompt, s.negative_prompt),
            width=pick(o.width, None if init_image else pick(s.width, d.width)),
            height=pick(o.height, None if init_image else pick(s.height, d.height)),
            steps=pick(o.steps, s.steps, d.steps),
            guidance=pick(o.guidance, s.guidance, d.guidance),
            seed=o.seed,
            strength=pick(o.strength, s.strength),
            init_image=init_image,
            scheduler=d.scheduler if scheduler == "default" and d.scheduler else scheduler,
            best_of=pick(o.best_of, s.best_of),
            preview_every=s.preview_every,
            safety_checker=s.safety_checker,
        )


@dataclass
class GenerationResult:
    images: list  # PIL images, best first when ranked
    paths: list[Path]  # saved PNGs, same order (empty when no output folder was given)
    seed: int  # the base seed (image i of best-of used seed + i)
    safety_checked: bool
    flagged: list[bool]
    scores: list[float]  # CLIP prompt similarity per image when ranked, else empty
    params: dict[str, Any]
    seeds: list[int] = field(default_factory=list)  # the seed of each image, same order
    notes: list[str] = field(default_factory=list)  # adjustments made (size rounded, capped, retried)
    texts: list[Text] = field(default_factory=list)  # the same notes as code + template + params (Notice)

    def to_event(self) -> ImageResult:
        return ImageResult(paths=tuple(str(p) for p in self.paths), seed=self.seed,
                           prompt=self.params.get("prompt", ""), safety_checked=self.safety_checked,
                           flagged=tuple(self.flagged), scores=tuple(self.scores), params=dict(self.params))


# ---------------------------------------------------------------------------------------------
# Pure helpers
# ---------------------------------------------------------------------------------------------

def _round8(x: float) -> int:
    return max(8, int(math.floor(x / 8.0 + 0.5)) * 8)


def plan_size(width: int, height: int, max_pixels: int | None) -> tuple[int, int, list[Text]]:
    """Round to multiples of 8 and shrink (keeping the aspect ratio) to at most ``max_pixels``."""
    notes: list[Text] = []
    w, h = _round8(width), _round8(height)
    if (w, h) != (width, height):
        notes.append(Text.of("imagegen.size_rounded", "size rounded from {asked} to {size} (multiples of 8)",
                             asked=f"{width}x{height}", size=f"{w}x{h}"))
    if max_pixels and w * h > max_pixels:
        scale = math.sqrt(max_pixels / (w * h))
        nw, nh = max(MIN_SIDE, int(w * scale) // 8 * 8), max(MIN_SIDE, int(h * scale) // 8 * 8)
        notes.append(Text.of("imagegen.size_reduced", "size reduced from {asked} to {size} to fit in memory",
                             asked=f"{w}x{h}", size=f"{nw}x{nh}"))
        w, h = nw, nh
    return w, h, notes


def latents_to_preview(latents, max_side: int = 256) -> bytes:
    """A small PNG from SD latents (first of the batch) by the linear latent-to-RGB approximation."""
    import numpy as np
    import torch
    from PIL import Image

    lat = latents[0].detach().float().cpu()
    if lat.shape[0] != 4:  # not an SD 1.x latent: show the first three channels
        lat = torch.cat([lat, lat, lat])[:3]
        rgb = lat.permute(1, 2, 0)
    else:
        rgb = torch.einsum("chw,cr->hwr", lat, torch.tensor(LATENT_RGB_FACTORS))
    arr = ((rgb.clamp(-1, 1) + 1) * 127.5).round().to(torch.uint8).numpy()
    img = Image.fromarray(np.ascontiguousarray(arr), "RGB")
    h, w = arr.shape[:2]
    scale = max(1.0, min(2.0, max_side / max(w, h)))
    if scale > 1:
        img = img.resize((int(w * scale), int(h * scale)), Image.Resampling.BILINEAR)
    buf = io.BytesIO()
    img.save(buf, "PNG", compress_level=1)
    return buf.getvalue()


def _a1111(params: dict[str, Any]) -> str:
    # a value left to a serving engine (None: its default, not known here) is left out
    fields = (("Steps", params["steps"]), ("Sampler", params["sampler"]), ("CFG scale", params["guidance"]),
              ("Seed", params["seed"]), ("Size", f"{params['width']}x{params['height']}"), ("Model", params["model"]))
    parts = [f"{name}: {value}" for name, value in fields if value is not None]
    if params.get("init_image"):
        parts.append(f"Denoising strength: {params['strength']}")
    text = params["prompt"]
    if params.get("negative_prompt"):
        text += f"\nNegative prompt: {params['negative_prompt']}"
    return text + "\n" + ", ".join(parts)


def png_metadata(params: dict[str, Any]):
    """PNG text chunks: 'sensorium' (JSON) and 'parameters' (AUTOMATIC1111 style)."""
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("sensorium", json.dumps(params, ensure_ascii=False, sort_keys=True))
    info.add_text("parameters", _a1111(params))
    info.add_text("Software", "Sensorium")
    return info


def _slug(text: str, n: int = 40) -> str:
    s = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return (s[:n].rstrip("-")) or "image"


def _is_oom(e: BaseException) -> bool:
    import torch

    if isinstance(e, torch.OutOfMemoryError):
        return True
    return isinstance(e, RuntimeError) and ("out of memory" in str(e).lower()
                                            or "can't allocate memory" in str(e).lower())


# ---------------------------------------------------------------------------------------------
# The generator
# ---------------------------------------------------------------------------------------------

def validate_request(req: ImageRequest, native_size: int | None = None) -> tuple[ImageRequest, list[Text]]:
    """Check a request before any model is loaded: a one-line BadInput for what cannot run, and notes
    for what was adjusted."""
    notes: list[Text] = []
    if not req.prompt or not req.prompt.strip():
        raise BadInput("the prompt is empty; describe the picture you want", code="imagegen.empty_prompt")
    if req.steps is not None and (not isinstance(req.steps, int) or not 1 <= req.steps <= MAX_STEPS):
        raise BadInput("steps must be between 1 and {max_steps} (got {steps}); choose 20-30 for most models, "
                       "1-4 for a turbo model", code="imagegen.steps_out_of_range", max_steps=MAX_STEPS,
                       steps=req.steps)
    if req.guidance is not None and not 0.0 <= float(req.guidance) <= MAX_GUIDANCE:
        raise BadInput("guidance must be between 0 and {max_guidance} (got {guidance}); choose 5-9 for most "
                       "models", code="imagegen.guidance_out_of_range", max_guidance=f"{MAX_GUIDANCE:g}",
                       guidance=req.guidance)
    if not 0.0 <= float(req.strength) <= 1.0:
        raise BadInput("strength must be between 0 and 1 (got {strength}); choose 0.3-0.7 to keep the picture "
                       "recognisable", code="imagegen.strength_out_of_range", strength=req.strength)
    if not isinstance(req.best_of, int) or not 1 <= req.best_of <= MAX_BEST_OF:
        raise BadInput("best-of must be between 1 and {max_best_of} (got {best_of}); "
                       "use 1 for a single image", code="imagegen.best_of_out_of_range",
                       max_best_of=MAX_BEST_OF, best_of=req.best_of)
    if req.preview_every < 0:
        raise BadInput("preview interval {preview_every} is negative; use 0 (off) or a number of steps",
                       code="imagegen.preview_negative", preview_every=req.preview_every)
    if req.seed is not None and not 0 <= int(req.seed) < 2**63:
        raise BadInput("seed {seed} is out of range; use a whole number from 0 up, or none for random",
                       code="imagegen.seed_out_of_range", seed=req.seed)
    sched = (req.scheduler or "default").lower()
    if sched != "default" and sched not in SCHEDULERS:
        raise BadInput("unknown scheduler {scheduler}; choose one of default, {choices}",
                       code="imagegen.unknown_scheduler", scheduler=repr(req.scheduler),
                       choices=', '.join(SCHEDULERS))
    for side, value in (("width", req.width), ("height", req.height)):
        if value is not None and not MIN_SIDE <= int(value) <= MAX_SIDE:
            if native_size:
                raise BadInput("{side} {value} is out of range; choose {min} to {max} pixels (the model's own size "
                               "is {native})", code="imagegen.size_out_of_range_native", side=side, value=value,
                               min=MIN_SIDE, max=MAX_SIDE, native=native_size)
            raise BadInput("{side} {value} is out of range; choose {min} to {max} pixels",
                           code="imagegen.size_out_of_range", side=side, value=value, min=MIN_SIDE, max=MAX_SIDE)
    if req.init_image is not None and req.steps is not None:
        effective = int(req.steps * req.strength)
        if effective < 1:
            strength = min(1.0, 1.0 / req.steps + 1e-6)
            notes.append(Text.of("imagegen.strength_raised", "strength raised from {asked} to {strength} so at "
                                 "least one step runs", asked=req.strength, strength=f"{strength:.3f}"))
            req = _replace(req, strength=strength)
    return _replace(req, scheduler=sched), notes


def infer_defaults(folder: Path, scheduler_class: str = "") -> ModelDefaults:
    """Defaults for a diffusers folder the catalog does not describe (a folder the user picked).

    Nothing in a diffusers folder says "distilled for few steps", so the signs are the ones people
    and tools rely on: an LCMScheduler (latent consistency models), or a name that says turbo,
    lightning or Hyper-SD, in the folder's path (a hub cache keeps the repository's name there:
    ``models--stabilityai--sd-turbo/snapshots/<commit>``) or in model_index.json's ``_name_or_path``.
    Running such a model at 25 steps with guidance 7 is ten times slower and over-cooks the
    picture; anything else gets the standard Stable Diffusion values.
    """
    if scheduler_class == "LCMScheduler":
        return LCM_DEFAULTS
    names = [part.lower() for part in folder.parts[-3:]]
    try:
        names.append(str(json.loads((folder / "model_index.json").read_text(encoding="utf-8"))
                         .get("_name_or_path", "")).lower())
    except (OSError, ValueError, AttributeError):
        pass
    if any("lcm" in re.split(r"[^a-z0-9]+", n) for n in names):
        return LCM_DEFAULTS
    if any(hint in n for n in names for hint in _FEW_STEP_HINTS):
        return FEW_STEP_DEFAULTS
    return STANDARD_DEFAULTS


def _merge_defaults(base: ModelDefaults, over: ModelDefaults | None) -> ModelDefaults:
    """``over``'s values where it has them, ``base``'s elsewhere."""
    if over is None:
        return base
    return ModelDefaults(**{k: v if v is not None else getattr(base, k) for k, v in asdict(over).items()})


def _weights_variant(folder: Path) -> str | None:
    """The variant a folder's UNet weights come in when it has only variant files (a hub download
    of ``*.fp16.safetensors`` alone); None when the plain file is there."""
    unet = folder / "unet"
    if any((unet / f"diffusion_pytorch_model.{ext}").is_file() for ext in ("safetensors", "bin")):
        return None
    for f in sorted(unet.glob("diffusion_pytorch_model.*.safetensors")):
        parts = f.name.split(".")
        if len(parts) == 3:
            return parts[1]
    return None


class ImageGenerator:
    """A loaded Stable Diffusion pipeline (txt2img and img2img sharing one set of weights)."""

    def __init__(self, path: str | Path, device: Any = "cpu", *, name: str = "",
                 output_dir: str | Path | None = None, trusted_files: Sequence[str] = (),
                 max_pixels: int | None = None, variant: str | None = None,
                 defaults: ModelDefaults | None = None):
        """``variant``: the weight files' variant ("fp16" for ``*.fp16.safetensors``; None: the
        folder is looked at). ``defaults``: the catalog entry's; unset values are inferred."""
        folder = Path(path).expanduser()
        self.path = folder
        self.name = name or folder.name
        self.output_dir = Path(output_dir) if output_dir else None
        self.device = str(getattr(device, "device", device) or "cpu")
        self.dtype_name = getattr(device, "dtype", "float32") if self.device != "cpu" else "float32"
        self._max_pixels_override = max_pixels
        self._lock = threading.Lock()
        if not (folder / "model_index.json").is_file():
            raise ModelUnavailable(
                "{folder} is not a diffusers model folder (no model_index.json); choose a Stable Diffusion "
                "folder saved with save_pretrained in Settings > Models", code="imagegen.not_a_model_folder",
                folder=folder, role="imagegen", model=self.name)
        use_safetensors = self._check_weights(folder, trusted_files)
        try:
            import torch
            from diffusers import StableDiffusionImg2ImgPipeline, StableDiffusionPipeline

            dtype = getattr(torch, self.dtype_name)
            self.variant = variant or _weights_variant(folder)
            pipe = StableDiffusionPipeline.from_pretrained(
                str(folder), local_files_only=True, use_safetensors=use_safetensors, dtype=dtype,
                variant=self.variant)
        except Exception as e:
            first = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
            raise ModelUnavailable(
                "could not load the image generation model from {folder} ({error}); check that the folder "
                "is complete or choose another model", code="imagegen.load_failed", folder=folder,
                error=first, role="imagegen", model=self.name) from e
        self._safety = pipe.safety_checker
        self._feature_extractor = pipe.feature_extractor
        pipe.safety_checker = None  # run separately, per request (see _check_safety)
        pipe.register_to_config(requires_safety_checker=False)
        pipe = pipe.to(self.device)
        if self._safety is not None:  # detached above, so it has to follow the pipeline itself
            self._safety = self._safety.to(self.device, dtype=dtype).eval()
        pipe.set_progress_bar_config(disable=True)
        components = {k: v for k, v in pipe.components.items()}
        components["safety_checker"] = None
        self._txt2img: Any = pipe
        img2img: Any = StableDiffusionImg2ImgPipeline(**components, requires_safety_checker=False)
        img2img.set_progress_bar_config(disable=True)
        self._img2img = img2img
        self._scheduler_config = dict(pipe.scheduler.config)
        self._default_scheduler = type(pipe.scheduler)
        self.native_size = int(pipe.unet.config.sample_size) * int(pipe.vae_scale_factor)
        self.defaults = _merge_defaults(infer_defaults(folder, self._default_scheduler.__name__), defaults)

    @staticmethod
    def _check_weights(folder: Path, trusted_files: Sequence[str]) -> bool:
        """True when every component has safetensors; pickle-only components must be trusted."""
        from .trust import ensure_loadable

        pickles: list[Path] = []
        for sub in sorted(p for p in folder.iterdir() if p.is_dir()):
            if any(sub.glob("*.safetensors")):
                continue
            pickles.extend(p for p in sub.glob("*") if p.suffix in (".bin", ".pt", ".pth", ".ckpt"))
        if pickles:
            ensure_loadable(pickles, trusted_files)
            return False
        return True

    @property
    def has_safety_checker(self) -> bool:
        return self._safety is not None and self._feature_extractor is not None

    def footprint(self) -> Footprint:
        """The parameter and buffer bytes of the pipeline's modules (text encoder, UNet, VAE; shared
        by txt2img and img2img) and of the safety checker, each on its device."""
        return tensor_footprint(*self._txt2img.components.values(), self._safety)

    def __repr__(self) -> str:
        return f"ImageGenerator({self.name!r}, device={self.device!r}, dtype={self.dtype_name})"

    # ---- memory -------------------------------------------------------------------------
    def max_pixels(self) -> int:
        """Largest image (in pixels) this device can make now, from its free memory."""
        if self._max_pixels_override:
            return int(self._max_pixels_override)
        per_px = _BYTES_PER_PIXEL.get(self.dtype_name, 12_000)
        if self.device == "cuda":
            from .devices import free_gpu_memory

            mem = free_gpu_memory()
            if mem:
                return max(MIN_SIDE * MIN_SIDE, int(mem[0] * 0.9 / per_px))
        if self.device == "cpu":
            try:
                import psutil

                free = psutil.virtual_memory().available
                return max(MIN_SIDE * MIN_SIDE, min(MAX_SIDE * MAX_SIDE, int(free * 0.7 / per_px)))
            except Exception:
                pass
        return MAX_SIDE * MAX_SIDE

    # ---- validation ---------------------------------------------------------------------
    def _validate(self, req: ImageRequest) -> tuple[ImageRequest, list[Text]]:
        return validate_request(req, self.native_size)

    def _target_size(self, req: ImageRequest, init) -> tuple[int, int]:
        if req.width is not None and req.height is not None:
            return int(req.width), int(req.height)
        if init is not None:
            w, h = init.size
            # at most MAX_ASPECT:1 (the picture's centre is used: Stable Diffusion draws nothing useful
            # on a strip, and a 200000x1 strip must not become a 2048x64 job), at the model's area,
            # and never a side over MAX_SIDE
            if w > MAX_ASPECT * h:
                w = MAX_ASPECT * h
            elif h > MAX_ASPECT * w:
                h = MAX_ASPECT * w
            area = self.native_size * self.native_size
            scale = min(1.0, math.sqrt(area / (w * h)), MAX_SIDE / max(w, h))
            w, h = max(MIN_SIDE, w * scale), max(MIN_SIDE, h * scale)
            return int(req.width or w), int(req.height or h)
        return int(req.width or self.native_size), int(req.height or self.native_size)

    # ---- generation ---------------------------------------------------------------------
    def _scheduler(self, name: str):
        import diffusers

        if name == "default":
            return self._default_scheduler.from_config(self._scheduler_config)
        cls_name, extra, _ = SCHEDULERS[name]
        return getattr(diffusers, cls_name).from_config(self._scheduler_config, **extra)

    def generate(self, request: ImageRequest, cancel: CancelToken | None = None,
                 on_progress: ProgressFn | None = None, *, clip=None,
                 output_dir: str | Path | None = None,
                 on_oom: Callable[[], Sequence[str]] | None = None) -> GenerationResult:
        """Run one request. Raises BadInput, Cancelled (nothing saved) or OutOfMemory.

        Out of memory: with ``on_oom`` (the model manager's ``free_others``), other models are freed
        and the image retried once at the same size; then (or without ``on_oom``) once at half the
        pixels; then ``OutOfMemory``. Each retry is recorded in the result's ``notes``.
        """
        with self._lock:
            self._on_oom = on_oom
            try:
                return self._generate(request, cancel, on_progress, clip, output_dir)
            finally:
                self._on_oom = None

    def _with_defaults(self, req: ImageRequest) -> ImageRequest:
        """Fill what the request leaves to the model (None steps/guidance/size, "default" sampler)."""
        d = self.defaults
        scheduler = req.scheduler or "default"
        return _replace(
            req,
            steps=req.steps if req.steps is not None else (d.steps or STANDARD_DEFAULTS.steps),
            guidance=req.guidance if req.guidance is not None else (
                d.guidance if d.guidance is not None else STANDARD_DEFAULTS.guidance),
            width=req.width if req.width is not None or req.init_image is not None else d.width,
            height=req.height if req.height is not None or req.init_image is not None else d.height,
            scheduler=d.scheduler if scheduler == "default" and d.scheduler else scheduler)

    def _generate(self, request, cancel, on_progress, clip, output_dir) -> GenerationResult:
        from .images import open_image

        req, notes = self._validate(self._with_defaults(request))
        assert req.steps is not None and req.guidance is not None  # _with_defaults filled them
        if cancel is not None:
            cancel.raise_if_cancelled()
        init = open_image(req.init_image) if req.init_image is not None else None
        w, h, size_notes = plan_size(*self._target_size(req, init), self.max_pixels())
        notes += size_notes
        seed = int(req.seed) if req.seed is not None else secrets.randbelow(2**32)
        seeds = [seed + i for i in range(req.best_of)]
        t0 = time.monotonic()
        images, (w, h) = self._draw(req, init, (w, h), seeds, cancel, on_progress, t0, notes)

        safety_checked, flagged = False, [False] * len(images)
        if req.safety_checker and self.has_safety_checker:
            images, flagged = self._check_safety(images)
            safety_checked = True
        scores: list[float] = []
        order = list(range(len(images)))
        if clip is not None and len(images) > 1:
            sims = clip.similarities(images, req.prompt)
            order = sorted(order, key=lambda i: -float(sims[i]))
            scores = [float(sims[i]) for i in order]
        images = [images[i] for i in order]
        seeds = [seeds[i] for i in order]
        flagged = [flagged[i] for i in order]
        sampler = SCHEDULERS[req.scheduler][2] if req.scheduler in SCHEDULERS else self._default_scheduler.__name__
        params = {
            "prompt": req.prompt, "negative_prompt": req.negative_prompt, "seed": seed, "steps": req.steps,
            "guidance": float(req.guidance), "width": w, "height": h, "scheduler": req.scheduler,
            "sampler": sampler, "model": self.name, "best_of": req.best_of,
            "strength": float(req.strength) if init is not None else None,
            "init_image": str(req.init_image) if req.init_image is not None else None,
            "safety_checked": safety_checked, "seconds": round(time.monotonic() - t0, 3),
        }
        if cancel is not None:
            cancel.raise_if_cancelled()
        out_dir = Path(output_dir) if output_dir else self.output_dir
        paths = self._save(images, seeds, scores, params, out_dir) if out_dir else []
        return GenerationResult(images=images, paths=paths, seed=seed, safety_checked=safety_checked,
                                flagged=flagged, scores=scores, params=params, seeds=seeds,
                                notes=[str(t) for t in notes], texts=notes)

    def _batch_size(self, size: tuple[int, int], count: int) -> int:
        """How many images of this size one pipeline call draws together within the memory estimate."""
        return max(1, min(count, self.max_pixels() // (size[0] * size[1])))

    def _draw(self, req, init, size, seeds, cancel, on_progress, t0, notes) -> tuple[list, tuple[int, int]]:
        """Every seed's image, in batches as large as memory allows. A batch that runs out of memory
        is drawn again one image at a time (each with the single-image retries)."""
        images: list = []
        batch = self._batch_size(size, len(seeds))
        while len(images) < len(seeds):
            if cancel is not None:
                cancel.raise_if_cancelled()
            index = len(images)
            chunk = seeds[index:index + batch]
            if len(chunk) == 1:
                image, size = self._one_with_retry(req, init, size, chunk[0], index, cancel, on_progress, t0, notes)
                images.append(image)
                continue
            try:
                images += self._run(req, init, size, chunk, index, cancel, on_progress, t0)
            except Exception as e:
                if not _is_oom(e):
                    raise
                self._free_memory()
                notes.append(Text.of("imagegen.oom_one_at_a_time", "ran out of memory drawing {count} images at "
                                     "once; drew them one at a time", count=len(chunk)))
                batch = 1
        return images, size

    def _one_with_retry(self, req, init, size, seed, index, cancel, on_progress, t0, notes):
        try:
            return self._run(req, init, size, [seed], index, cancel, on_progress, t0)[0], size
        except Exception as e:
            if not _is_oom(e):
                raise
            first = f"{size[0]}x{size[1]}"
        on_oom = getattr(self, "_on_oom", None)
        if on_oom is not None:
            try:
                freed = list(on_oom())
            except Exception:
                freed = []
            self._free_memory()
            try:
                image = self._run(req, init, size, [seed], index, cancel, on_progress, t0)[0]
                if freed:
                    notes.append(Text.of("imagegen.oom_unloaded", "ran out of memory at {size}; unloaded {models} "
                                         "and retried at the same size", size=first, models=", ".join(freed)))
                else:
                    notes.append(Text.of("imagegen.oom_freed_cache", "ran out of memory at {size}; freed cached "
                                         "memory and retried at the same size", size=first))
                return image, size
            except Exception as e:
                if not _is_oom(e):
                    raise
            notes.append(Text.of("imagegen.oom_still", "still out of memory at {size} after that", size=first))
        self._free_memory()
        w, h = size
        smaller = (max(MIN_SIDE, int(w / math.sqrt(2)) // 8 * 8), max(MIN_SIDE, int(h / math.sqrt(2)) // 8 * 8))
        notes.append(Text.of("imagegen.oom_smaller", "ran out of memory at {size}; retried at {smaller}", size=first,
                             smaller=f"{smaller[0]}x{smaller[1]}"))
        try:
            return self._run(req, init, smaller, [seed], index, cancel, on_progress, t0)[0], smaller
        except Exception as e:
            if not _is_oom(e):
                raise
        self._free_memory()
        if self.device == "cuda":
            raise OutOfMemory("ran out of GPU making a {size} image, and at {smaller} too; choose a smaller size or "
                              "fewer images, or close other programs using the GPU", code="imagegen.out_of_gpu",
                              size=first, smaller=f"{smaller[0]}x{smaller[1]}")
        raise OutOfMemory("ran out of memory making a {size} image, and at {smaller} too; choose a smaller size or "
                          "fewer images, or close other programs using the memory", code="imagegen.out_of_memory",
                          size=first, smaller=f"{smaller[0]}x{smaller[1]}")

    def _free_memory(self) -> None:
        gc.collect()
        if self.device == "cuda":
            import torch

            torch.cuda.empty_cache()

    def _run(self, req: ImageRequest, init, size, seeds: list[int], index: int, cancel, on_progress, t0) -> list:
        """One diffusers pipeline call drawing ``len(seeds)`` images (image i from its own generator,
        seeded ``seeds[i]``); returns PIL images. Cancel raises out of the step callback."""
        import torch

        w, h = size
        assert req.steps is not None and req.guidance is not None  # _with_defaults filled them
        pipe: Any = self._img2img if init is not None else self._txt2img
        pipe.scheduler = self._scheduler(req.scheduler)
        generators = [torch.Generator("cpu").manual_seed(s) for s in seeds]

        def callback(p, step, timestep, kwargs):
            done = step + 1
            total = int(getattr(p, "_num_timesteps", 0) or req.steps)
            if on_progress is not None:
                preview = None
                if req.preview_every and (done % req.preview_every == 0 or done == total):
                    preview = latents_to_preview(kwargs["latents"])
                on_progress(ImageProgress(step=done, total=total, index=index, count=req.best_of,
                                          elapsed_s=time.monotonic() - t0, preview_png=preview))
            if cancel is not None and cancel.cancelled:
                raise Cancelled()  # straight out of the pipeline: no decode of an unwanted picture
            return kwargs

        common = dict(prompt=req.prompt, negative_prompt=req.negative_prompt or None,
                      num_inference_steps=req.steps, guidance_scale=float(req.guidance),
                      num_images_per_prompt=len(seeds), generator=generators if len(seeds) > 1 else generators[0],
                      output_type="pil", callback_on_step_end=callback,
                      callback_on_step_end_tensor_inputs=["latents"])
        if init is not None:
            from PIL import ImageOps

            out = pipe(image=ImageOps.fit(init, (w, h)), strength=float(req.strength), **common)
        else:
            out = pipe(height=h, width=w, **common)
        if cancel is not None and cancel.cancelled:  # cancelled during the decode
            raise Cancelled()
        return list(out.images)

    def _check_safety(self, images: list) -> tuple[list, list[bool]]:
        import numpy as np
        import torch
        from PIL import Image

        safety = self._safety
        pixels = self._feature_extractor(images, return_tensors="pt").pixel_values
        arrays = np.stack([np.asarray(im, dtype=np.float32) / 255.0 for im in images])
        with torch.no_grad():
            checked, flags = safety(images=arrays, clip_input=pixels.to(safety.device, safety.dtype))
        out = []
        for im, arr, flag in zip(images, checked, flags):
            out.append(Image.fromarray((np.clip(arr, 0, 1) * 255).round().astype(np.uint8)) if flag else im)
        return out, [bool(f) for f in flags]

    def _save(self, images, seeds, scores, params, out_dir: Path) -> list[Path]:
        return save_images(images, seeds, scores, params, out_dir)


def save_images(images: Sequence[Any], seeds: Sequence[int], scores: Sequence[float], params: dict[str, Any],
                out_dir: Path) -> list[Path]:
    """Save a request's pictures as PNGs in ``out_dir`` (``<time>-<seed>-<prompt slug>.png``, with -1, -2
    ... when the name is taken), each carrying ``params`` as text chunks with its own seed, the base
    seed, its rank and CLIP score; written to a temporary name first, so a kill leaves no half PNG."""
    out_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    paths = []
    for rank, (im, s) in enumerate(zip(images, seeds)):
        meta = dict(params, seed=s, base_seed=params["seed"], rank=rank)
        if scores:
            meta["clip_score"] = round(scores[rank], 5)
        base = f"{stamp}-{s}-{_slug(params['prompt'])}"
        path = out_dir / f"{base}.png"
        n = 1
        while path.exists():
            path = out_dir / f"{base}-{n}.png"
            n += 1
        tmp = temp_path(path)  # a kill mid-write leaves no half PNG under the real name
        try:
            im.save(tmp, "PNG", pnginfo=png_metadata(meta))
            os.replace(tmp, path)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        paths.append(path)
    return paths


def _replace(req: ImageRequest, **changes) -> ImageRequest:
    data = asdict(req)
    data.update(changes)
    return ImageRequest(**data)


def load(resolved, device, settings, *, output_dir: str | Path | None = None) -> ImageGenerator:
    """Build the image generation role from a catalog resolution (format 'diffusers')."""
    if resolved.format != "diffusers":
        raise ModelUnavailable(
            "{name} is a {format} model, not a diffusers one; choose a Stable Diffusion "
            "folder for image generation in Settings > Models", code="imagegen.wrong_format",
            name=resolved.name, format=resolved.format, role="imagegen", model=resolved.name)
    return ImageGenerator(resolved.path, device, name=resolved.name, output_dir=output_dir,
                          trusted_files=tuple(settings.models.trusted_files), variant=resolved.variant or None,
                          defaults=resolved.defaults)
