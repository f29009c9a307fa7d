"""Image generation: seconds per image and steps/s of ImageGenerator.generate against the
diffusers ``StableDiffusionPipeline`` call on the same prompt, size, steps, scheduler and seed."""
from __future__ import annotations

import time

from .common import Stage, overhead, paired

__all__ = ["run"]

PROMPT = "a lighthouse on a cliff at sunset, oil painting"


def run(ctx) -> Stage:
    import torch

    from pipelines.imagegen import ImageGenerator, ImageRequest

    st = Stage("imagegen", models=ctx.sd_label)
    gen = ImageGenerator(ctx.sd_dir, ctx.device_choice, name="bench-sd")
    pipe = gen._txt2img
    w = h = ctx.sd_size
    steps = ctx.sd_steps
    req = ImageRequest(prompt=PROMPT, width=w, height=h, steps=steps, guidance=7.0, seed=1, preview_every=0,
                       safety_checker=False)

    def sync():
        if gen.device == "cuda":
            torch.cuda.synchronize()

    def ours() -> float:
        t0 = time.perf_counter()
        gen.generate(req)
        sync()
        return time.perf_counter() - t0

    def raw() -> float:
        t0 = time.perf_counter()
        pipe.scheduler = gen._scheduler("default")
        g = torch.Generator("cpu").manual_seed(1)
        pipe(prompt=PROMPT, height=h, width=w, num_inference_steps=steps, guidance_scale=7.0, generator=g,
             output_type="pil")
        sync()
        return time.perf_counter() - t0

    a, b = paired(ours, raw, reps=ctx.reps)
    st.info.update(size=f"{w}x{h}", steps=steps, scheduler=type(pipe.scheduler).__name__, dtype=gen.dtype_name)
    st.add("seconds per image (pipeline)", a, "s")
    st.add("seconds per image (diffusers)", b, "s")
    target = ">= 30 steps/s (H100, SD 1.5 512x512)" if ctx.device == "cuda" else ""
    st.add("steps/s (pipeline)", [steps / t for t in a], "steps/s", higher=True, target=target,
           check=(lambda v: v >= 30) if target else None)
    st.add("steps/s (diffusers)", [steps / t for t in b], "steps/s", higher=True)
    st.add("overhead vs diffusers pipeline call", overhead(a, b), target="<= 1.05", check=lambda v: v <= 1.05)
    return st
