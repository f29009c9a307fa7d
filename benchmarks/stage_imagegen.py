"""Image generation: seconds per image and steps/s of ImageGenerator.generate against the
diffusers ``StableDiffusionPipeline`` call on the same prompt, size, steps, scheduler and seed;
and a best-of-N request against one diffusers call drawing the N images in a batch (one
generator per image, seeds seed..seed+N-1). On the CPU the overhead targets are held in CPU time
(another process on the cores does not change it); on a GPU in wall-clock time."""
from __future__ import annotations

from .common import Stage, overhead, paired, timed_cpu

__all__ = ["run"]

PROMPT = "a lighthouse on a cliff at sunset, oil painting"
BEST_OF = 4


def run(ctx) -> Stage:
    import torch

    from pipelines.imagegen import ImageGenerator, ImageRequest

    st = Stage("imagegen", models=ctx.sd_label)
    gen = ImageGenerator(ctx.sd_dir, ctx.device_choice, name="bench-sd")
    pipe = gen._txt2img
    w = h = ctx.sd_size
    steps = ctx.sd_steps
    on_gpu = gen.device == "cuda"

    def sync():
        if on_gpu:
            torch.cuda.synchronize()

    def ours(n: int):
        req = ImageRequest(prompt=PROMPT, width=w, height=h, steps=steps, guidance=7.0, seed=1, preview_every=0,
                           safety_checker=False, best_of=n)
        return timed_cpu(lambda: (gen.generate(req), sync()))

    def raw(n: int):
        def call():
            pipe.scheduler = gen._scheduler("default")
            gens = [torch.Generator("cpu").manual_seed(1 + i) for i in range(n)]
            pipe(prompt=PROMPT, height=h, width=w, num_inference_steps=steps, guidance_scale=7.0,
                 generator=gens if n > 1 else gens[0], num_images_per_prompt=n, output_type="pil")
            sync()
        return timed_cpu(call)

    def compare(label: str, a: list, b: list) -> None:
        wall_a, wall_b = [x for x, _ in a], [x for x, _ in b]
        st.add(f"overhead {label} (wall clock)", overhead(wall_a, wall_b),
               **({"target": "<= 1.05", "check": lambda v: v <= 1.05} if on_gpu else {}))
        if not on_gpu:
            st.add(f"overhead {label} (CPU time)", overhead([c for _, c in a], [c for _, c in b]),
                   target="<= 1.05", check=lambda v: v <= 1.05)

    a, b = paired(ours(1), raw(1), reps=ctx.reps)
    st.info.update(size=f"{w}x{h}", steps=steps, scheduler=type(pipe.scheduler).__name__, dtype=gen.dtype_name)
    st.add("seconds per image (pipeline)", [x for x, _ in a], "s")
    st.add("seconds per image (diffusers)", [x for x, _ in b], "s")
    target = ">= 30 steps/s (H100, SD 1.5 512x512)" if on_gpu else ""
    st.add("steps/s (pipeline)", [steps / x for x, _ in a], "steps/s", higher=True, target=target,
           check=(lambda v: v >= 30) if target else None)
    st.add("steps/s (diffusers)", [steps / x for x, _ in b], "steps/s", higher=True)
    compare("vs diffusers pipeline call", a, b)

    a, b = paired(ours(BEST_OF), raw(BEST_OF), reps=ctx.reps)
    st.info.update(best_of=BEST_OF, best_of_batch=gen._batch_size((w, h), BEST_OF))
    st.add(f"seconds per best-of-{BEST_OF} (pipeline)", [x for x, _ in a], "s")
    st.add(f"seconds per best-of-{BEST_OF} (diffusers, one batch)", [x for x, _ in b], "s")
    compare(f"of best-of-{BEST_OF} vs one diffusers batch", a, b)
    return st
