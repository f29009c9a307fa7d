"""Image generation end to end on a tiny random Stable Diffusion, through the loading code users run."""
from __future__ import annotations

import io
import json
import shutil

import numpy as np
import pytest
from PIL import Image

from pipelines import imagegen
from pipelines.cancel import Cancelled, CancelToken
from pipelines.catalog import ModelDefaults, ResolvedModel
from pipelines.devices import select_device
from pipelines.errors import BadInput, ModelUnavailable, OutOfMemory
from pipelines.events import ImageOptions, ImageProgress, ImageResult
from pipelines.imagegen import (
    FEW_STEP_DEFAULTS,
    LCM_DEFAULTS,
    STANDARD_DEFAULTS,
    ImageGenerator,
    ImageRequest,
    infer_defaults,
    plan_size,
)
from pipelines.settings import Settings

pytestmark = pytest.mark.tiny


@pytest.fixture(scope="module")
def gen(tiny_sd_dir) -> ImageGenerator:
    resolved = ResolvedModel(role="imagegen", name="tiny-sd", path=tiny_sd_dir, format="diffusers", source="user-path")
    return imagegen.load(resolved, select_device("cpu"), Settings())


@pytest.fixture(scope="module")
def tiny_clip(tiny_clip_dir, tmp_path_factory):
    from pipelines.vision import ClipModel

    return ClipModel(tiny_clip_dir, cache_dir=tmp_path_factory.mktemp("clip-cache"))


def req(**kw) -> ImageRequest:
    base = dict(prompt="a red apple on a table", negative_prompt="blurry", width=64, height=64, steps=3,
                guidance=5.0, seed=7, preview_every=0)
    base.update(kw)
    return ImageRequest(**base)


def pixels(im) -> np.ndarray:
    return np.asarray(im, dtype=np.int16)


def same_picture(a, b) -> bool:
    """Equal up to float rounding: a batch computes in a different order than a single image, so
    a pixel may land one level apart."""
    return int(np.abs(pixels(a) - pixels(b)).max()) <= 1


def test_txt2img_saves_png_with_metadata(gen, profile):
    out = profile.images_dir
    result = gen.generate(req(), output_dir=out)
    assert len(result.images) == 1 and result.images[0].size == (64, 64)
    assert result.seed == 7 and result.seeds == [7]
    assert [p.parent for p in result.paths] == [out] and result.paths[0].suffix == ".png"
    saved = Image.open(result.paths[0])
    meta = json.loads(saved.text["sensorium"])
    for key, value in {"prompt": "a red apple on a table", "negative_prompt": "blurry", "seed": 7, "steps": 3,
                       "guidance": 5.0, "width": 64, "height": 64, "scheduler": "default",
                       "model": "tiny-sd"}.items():
        assert meta[key] == value, key
    params = saved.text["parameters"]
    assert params.startswith("a red apple on a table\nNegative prompt: blurry\n")
    assert "Steps: 3" in params and "Seed: 7" in params and "Size: 64x64" in params and "CFG scale: 5.0" in params
    assert np.array_equal(pixels(saved.convert("RGB")), pixels(result.images[0]))
    event = result.to_event()
    assert isinstance(event, ImageResult) and event.paths == (str(result.paths[0]),) and event.seed == 7


def test_same_seed_same_pixels_and_random_seed_recorded(gen):
    a = gen.generate(req(seed=123)).images[0]
    b = gen.generate(req(seed=123)).images[0]
    c = gen.generate(req(seed=124)).images[0]
    assert np.array_equal(pixels(a), pixels(b))
    assert not np.array_equal(pixels(a), pixels(c))
    r = gen.generate(req(seed=None))
    assert isinstance(r.seed, int) and r.params["seed"] == r.seed
    again = gen.generate(req(seed=r.seed)).images[0]
    assert np.array_equal(pixels(again), pixels(r.images[0]))
    assert r.paths == []  # no output folder given: nothing written


def test_the_settings_offer_exactly_the_schedulers_that_run():
    from pipelines.catalog import SCHEDULER_CHOICES
    from pipelines.imagegen import SCHEDULERS

    assert set(SCHEDULER_CHOICES) == {"default", *SCHEDULERS}


@pytest.mark.parametrize("scheduler", ["ddim", "euler", "euler_a", "dpm++", "lms", "pndm"])
def test_schedulers(gen, scheduler):
    r = gen.generate(req(scheduler=scheduler, steps=2))
    assert r.images[0].size == (64, 64) and r.params["scheduler"] == scheduler


def test_img2img_from_a_photo(gen, photos, tmp_path):
    events = []
    r = gen.generate(req(init_image=photos["chelsea"], width=None, height=None, steps=4, strength=0.5,
                         preview_every=1), on_progress=events.append, output_dir=tmp_path)
    w, h = r.images[0].size
    assert w % 8 == 0 and h % 8 == 0 and w > h  # the photo's landscape shape is kept
    assert [e.step for e in events] == [1, 2] and all(e.total == 2 for e in events)  # 4 steps x 0.5
    meta = json.loads(Image.open(r.paths[0]).text["sensorium"])
    assert meta["strength"] == 0.5 and meta["init_image"] == str(photos["chelsea"])
    assert "Denoising strength: 0.5" in Image.open(r.paths[0]).text["parameters"]
    same = gen.generate(req(init_image=photos["chelsea"], width=64, height=64, steps=4, strength=0.5))
    again = gen.generate(req(init_image=photos["chelsea"], width=64, height=64, steps=4, strength=0.5))
    assert np.array_equal(pixels(same.images[0]), pixels(again.images[0]))


def test_progress_events_with_previews(gen):
    events: list[ImageProgress] = []
    gen.generate(req(steps=4, preview_every=2), on_progress=events.append)
    assert [e.step for e in events] == [1, 2, 3, 4] and all(e.total == 4 for e in events)
    assert [e.preview_png is not None for e in events] == [False, True, False, True]
    elapsed = [e.elapsed_s for e in events]
    assert elapsed == sorted(elapsed) and elapsed[0] >= 0
    preview = Image.open(io.BytesIO(events[1].preview_png))
    assert preview.format == "PNG" and max(preview.size) <= 256 and preview.mode == "RGB"


def test_cancel_after_step_two_saves_nothing(gen, tmp_path):
    token = CancelToken()
    steps = []

    def on_progress(e):
        steps.append(e.step)
        if e.step == 2:
            token.cancel()

    out = tmp_path / "out"
    with pytest.raises(Cancelled):
        gen.generate(req(steps=8), cancel=token, on_progress=on_progress, output_dir=out)
    assert steps == [1, 2]
    assert not out.exists() or not any(out.iterdir())
    # the generator is usable again afterwards
    assert gen.generate(req(steps=2)).images


def test_cancel_before_start(gen):
    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        gen.generate(req(), cancel=token)


def test_best_of_ranked_by_clip(gen, tiny_clip, tmp_path):
    events = []
    r = gen.generate(req(best_of=3, seed=40), clip=tiny_clip, on_progress=events.append, output_dir=tmp_path)
    assert len(r.images) == len(r.paths) == len(r.scores) == 3
    assert sorted(r.seeds) == [40, 41, 42] and r.seed == 40
    assert r.scores == sorted(r.scores, reverse=True)
    recomputed = [tiny_clip.similarity(im, r.params["prompt"]) for im in r.images]
    assert np.allclose(recomputed, r.scores, atol=1e-5)
    # one batch: one progress event per step for the three together
    assert [(e.step, e.index, e.count) for e in events] == [(1, 0, 3), (2, 0, 3), (3, 0, 3)]
    for rank, path in enumerate(r.paths):
        meta = json.loads(Image.open(path).text["sensorium"])
        assert meta["rank"] == rank and meta["seed"] == r.seeds[rank]
        assert meta["clip_score"] == pytest.approx(r.scores[rank], abs=1e-4)
    single = gen.generate(req(seed=r.seeds[0]))  # each image is reproducible from its own seed
    assert same_picture(single.images[0], r.images[0])
    others = {s: im for s, im in zip(r.seeds, r.images)}
    assert not same_picture(others[40], others[41])


def test_best_of_one_at_a_time_when_memory_is_short(gen):
    batched = gen.generate(req(best_of=3, seed=40))
    cap = gen._max_pixels_override
    gen._max_pixels_override = 64 * 64  # room for one 64x64 image at a time
    events = []
    try:
        apart = gen.generate(req(best_of=3, seed=40), on_progress=events.append)
    finally:
        gen._max_pixels_override = cap
    assert {(e.index, e.count) for e in events} == {(0, 3), (1, 3), (2, 3)}
    assert batched.seeds == apart.seeds == [40, 41, 42]
    assert all(same_picture(a, b) for a, b in zip(batched.images, apart.images))


def test_a_batch_out_of_memory_is_drawn_one_at_a_time(gen):
    import torch

    calls = []

    def oom_in_the_batch(e):
        calls.append(e.index)
        if len(calls) == 1:
            raise torch.OutOfMemoryError("CUDA out of memory. Tried to allocate 2.00 GiB")

    r = gen.generate(req(best_of=2, seed=5, steps=2), on_progress=oom_in_the_batch)
    assert r.seeds == [5, 6] and len(r.images) == 2
    assert any("one at a time" in n for n in r.notes)
    assert calls == [0, 0, 0, 1, 1]  # the batch's first step, then each image's two steps


@pytest.mark.parametrize("changes,match", [
    (dict(steps=0), "steps must be between 1 and 150"),
    (dict(steps=10000), "steps must be between 1 and 150"),
    (dict(width=7, height=7), "width 7 is out of range"),
    (dict(width=8192, height=8192), "width 8192 is out of range"),
    (dict(strength=-0.5, init_image="x.png"), "strength must be between 0 and 1"),
    (dict(guidance=-1.0), "guidance must be between"),
    (dict(prompt="  "), "prompt is empty"),
    (dict(scheduler="warp"), "unknown scheduler 'warp'"),
    (dict(best_of=0), "best-of must be between"),
])
def test_parameter_validation(gen, changes, match):
    with pytest.raises(BadInput, match=match) as e:
        gen.generate(req(**changes))
    assert "\n" not in str(e.value) and ";" in str(e.value)  # one line: what failed; what to do


def test_an_init_image_sets_the_size_within_the_models_area():
    """An edit takes the init picture's shape at the model's own area; a strip is cropped to 4:1
    around its centre (no 2048x64 job from a 200000x1 strip), and a small picture is not enlarged."""
    from types import SimpleNamespace

    def size(native: int, w: int, h: int) -> tuple[int, int]:
        gen = SimpleNamespace(native_size=native)
        return ImageGenerator._target_size(gen, ImageRequest(prompt="x", init_image="in.png"),  # type: ignore[arg-type]
                                           SimpleNamespace(size=(w, h)))

    assert size(512, 40000, 2000) == (1024, 256) and size(512, 2000, 40000) == (256, 1024)
    assert size(64, 40000, 2000) == (128, 64) and size(64, 2000, 40000) == (64, 128)
    assert size(512, 200000, 1) == (64, 64) and size(512, 1, 200000) == (64, 64)  # 4x1 px: the minimum
    assert size(512, 1024, 768) == (591, 443)  # 512x512 worth of pixels, the same shape
    assert size(512, 300, 200) == (300, 200)


def test_sizes_rounded_and_capped(gen):
    r = gen.generate(req(width=100, height=70, steps=1))
    assert r.images[0].size == (104, 72) and any("rounded" in n for n in r.notes)
    assert plan_size(1024, 512, 256 * 256)[:2] == (360, 176)
    assert plan_size(512, 512, None) == (512, 512, [])
    cap = gen._max_pixels_override
    gen._max_pixels_override = 64 * 64
    try:
        capped = gen.generate(req(width=128, height=128, steps=1))
    finally:
        gen._max_pixels_override = cap
    assert capped.images[0].size == (64, 64) and any("memory" in n for n in capped.notes)
    assert 64 * 64 <= gen.max_pixels() <= 2048 * 2048


def test_strength_too_low_for_any_step_is_raised(gen, photos):
    r = gen.generate(req(init_image=photos["coffee"], steps=4, strength=0.0))
    assert r.images and any("strength raised" in n for n in r.notes)


def test_out_of_memory_retries_once_smaller(gen, tmp_path):
    import torch

    calls = []

    def oom_once(e):
        calls.append(e.step)
        if len(calls) == 1:
            raise torch.OutOfMemoryError("CUDA out of memory. Tried to allocate 2.00 GiB")

    r = gen.generate(req(width=128, height=128, steps=2), on_progress=oom_once, output_dir=tmp_path)
    assert r.images[0].size == (88, 88) and r.params["width"] == 88
    assert any("retried at 88x88" in n for n in r.notes)
    assert len(list(tmp_path.glob("*.png"))) == 1

    def always_oom(e):
        raise torch.OutOfMemoryError("CUDA out of memory")

    with pytest.raises(OutOfMemory, match="128x128.*88x88.*smaller size") as e:
        gen.generate(req(width=128, height=128, steps=2), on_progress=always_oom)
    assert "\n" not in str(e.value)


def test_request_from_settings():
    s = Settings()
    r = ImageRequest.from_settings("a boat", s, ImageOptions(steps=3, seed=5, scheduler="euler"))
    # what the settings leave to the model stays None, for the generator to fill in
    assert (r.steps, r.seed, r.scheduler, r.width, r.guidance) == (3, 5, "euler", None, None)
    assert r.negative_prompt == s.imagegen.negative_prompt and r.safety_checker is True
    turbo = ModelDefaults(steps=2, guidance=0.0, width=512, height=512)
    d = ImageRequest.from_settings("a boat", s, None, defaults=turbo)
    assert (d.steps, d.guidance, d.width, d.height, d.scheduler) == (2, 0.0, 512, 512, "default")
    s.imagegen.steps, s.imagegen.guidance = 30, 6.5  # the user's own values win over the model's
    mine = ImageRequest.from_settings("a boat", s, None, defaults=turbo)
    assert (mine.steps, mine.guidance) == (30, 6.5)
    i2i = ImageRequest.from_settings("a boat", s, None, init_image="in.png", defaults=turbo)
    assert i2i.width is None and i2i.init_image == "in.png"


def test_model_defaults_apply_unless_the_request_sets_a_value(tiny_sd_dir, profile):
    gen = ImageGenerator(tiny_sd_dir, name="tiny-sd", defaults=ModelDefaults(steps=3, guidance=0.0, width=64,
                                                                             height=72))
    events = []
    r = gen.generate(ImageRequest(prompt="a red apple", seed=1, preview_every=0), on_progress=events.append,
                     output_dir=profile.images_dir)
    assert r.images[0].size == (64, 72) and [e.step for e in events] == [1, 2, 3]
    assert (r.params["steps"], r.params["guidance"], r.params["width"], r.params["height"]) == (3, 0.0, 64, 72)
    saved = Image.open(r.paths[0])
    assert json.loads(saved.text["sensorium"])["guidance"] == 0.0
    assert "Steps: 3" in saved.text["parameters"] and "CFG scale: 0.0" in saved.text["parameters"]
    own = gen.generate(ImageRequest(prompt="a red apple", seed=1, steps=2, guidance=5.0, width=64, height=64))
    assert (own.params["steps"], own.params["guidance"], own.images[0].size) == (2, 5.0, (64, 64))


def test_folders_without_catalog_defaults_get_their_kinds(tmp_path, tiny_sd_dir):
    def folder(name, **index):
        d = tmp_path / name
        d.mkdir(parents=True)
        (d / "model_index.json").write_text(json.dumps({"_class_name": "StableDiffusionPipeline", **index}))
        return d

    assert infer_defaults(folder("my-sd15")) == STANDARD_DEFAULTS
    assert infer_defaults(folder("sdxl-turbo-local")) == FEW_STEP_DEFAULTS
    assert infer_defaults(folder("models--stabilityai--sd-turbo/snapshots/abc123")) == FEW_STEP_DEFAULTS
    assert infer_defaults(folder("renamed", _name_or_path="ByteDance/SDXL-Lightning")) == FEW_STEP_DEFAULTS
    assert infer_defaults(folder("dreamshaper-lcm")) == LCM_DEFAULTS
    assert infer_defaults(folder("anything"), "LCMScheduler") == LCM_DEFAULTS
    assert infer_defaults(folder("claymation")) == STANDARD_DEFAULTS  # "lcm" only as a word of its own
    assert (STANDARD_DEFAULTS.steps, STANDARD_DEFAULTS.guidance) == (25, 7.0)
    assert (FEW_STEP_DEFAULTS.steps, FEW_STEP_DEFAULTS.guidance) == (2, 0.0)
    turbo = tmp_path / "sd-turbo-copy"
    shutil.copytree(tiny_sd_dir, turbo)
    r = ImageGenerator(turbo).generate(ImageRequest(prompt="a boat", width=64, height=64, seed=2))
    assert (r.params["steps"], r.params["guidance"]) == (2, 0.0)


def test_loading_errors(tmp_path, tiny_sd_dir):
    with pytest.raises(ModelUnavailable, match="model_index.json"):
        ImageGenerator(tmp_path)
    wrong = ResolvedModel(role="imagegen", name="x", path=tiny_sd_dir, format="gguf", source="user-path")
    with pytest.raises(ModelUnavailable, match="not a diffusers"):
        imagegen.load(wrong, "cpu", Settings())
    broken = tmp_path / "broken"
    shutil.copytree(tiny_sd_dir, broken)
    shutil.rmtree(broken / "unet")
    with pytest.raises(ModelUnavailable, match="could not load"):
        ImageGenerator(broken)


def test_safety_checker_on_by_default_and_switchable(tiny_sd_safety_dir, gen):
    assert not gen.has_safety_checker
    assert gen.generate(req(steps=1)).safety_checked is False  # no checker in this model: recorded as not run
    safe = ImageGenerator(tiny_sd_safety_dir, name="tiny-sd-safety")
    assert safe.has_safety_checker
    checked = safe.generate(req(steps=2, seed=3))
    assert checked.safety_checked is True and checked.flagged == [True]
    assert pixels(checked.images[0]).max() == 0  # a flagged image is blacked out
    unchecked = safe.generate(req(steps=2, seed=3, safety_checker=False))
    assert unchecked.safety_checked is False and unchecked.flagged == [False]
    assert pixels(unchecked.images[0]).max() > 0
    assert unchecked.to_event().safety_checked is False and checked.to_event().flagged == (True,)
