"""Image generation and image questions on a real OpenAI-compatible server started by the suite on
127.0.0.1 (tests/helpers/openai_media_server.py, a process of its own running the tiny random Stable
Diffusion and SmolVLM with diffusers and transformers). What Sensorium's clients return is compared
with a plain httpx request, with the plain diffusers call and with the local TransformersVlm on the
same tiny models."""
from __future__ import annotations

import base64
import dataclasses
import io
import json
import threading
import time

import httpx
import numpy as np
import pytest
from PIL import Image

from pipelines.cancel import Cancelled, CancelToken
from pipelines.errors import BadInput, ModelUnavailable
from pipelines.imagegen import ImageRequest
from pipelines.remote import ServerConfig, list_models, open_role
from pipelines.remote.vlm import image_data_url
from pipelines.vlm import QA, TransformersVlm
from tests.fixtures.servers import MEDIA_IMAGE_MODEL, MEDIA_MAX_SIDE, MEDIA_URL_MODEL, MEDIA_VLM_MODEL
from tests.helpers.run import sensorium, sensorium_here

pytestmark = [pytest.mark.tiny, pytest.mark.slow]

APPLE = ImageRequest("a red apple on a table", negative_prompt="blurry", width=64, height=64, steps=3, guidance=7.0,
                     seed=3, preview_every=0)
QUESTION = "What is in this picture?"


def client(role: str, engine, model: str | None = None, **kw):
    return open_role(ServerConfig(role, engine.base_url, model or engine.models[role]), **kw)


def pixels(image) -> np.ndarray:
    return np.asarray(image.convert("RGB"), dtype=np.int16)


@pytest.fixture(scope="module")
def plain_pipe(tiny_sd_dir):
    """The same tiny SD in this process, run by a plain diffusers call on one thread, as the server runs it."""
    import torch
    from diffusers import StableDiffusionPipeline

    pipe = StableDiffusionPipeline.from_pretrained(str(tiny_sd_dir), local_files_only=True)
    pipe.set_progress_bar_config(disable=True)
    threads = torch.get_num_threads()

    def draw(req: ImageRequest, n: int = 1) -> list:
        torch.set_num_threads(1)
        try:
            return pipe(prompt=req.prompt, negative_prompt=req.negative_prompt or None, height=req.height,
                        width=req.width, num_inference_steps=req.steps, guidance_scale=req.guidance,
                        num_images_per_prompt=n, generator=torch.Generator("cpu").manual_seed(req.seed)).images
        finally:
            torch.set_num_threads(threads)

    return draw


def assert_same_picture(a, b) -> None:
    """Pixel-exact: the same float32 CPU computation on one thread, here and on the server."""
    assert a.size == b.size, (a.size, b.size)
    diff = np.abs(pixels(a) - pixels(b))
    assert diff.max() == 0, f"{int((diff > 0).sum())} values differ, by up to {diff.max()}"


# ---- image generation ----------------------------------------------------------------------------------
def test_pictures_equal_the_plain_diffusers_call_and_are_saved_as_local_ones(media_engine, plain_pipe, tmp_path):
    gen = client("imagegen", media_engine)
    seen = []
    one = gen.generate(APPLE, on_progress=seen.append, output_dir=tmp_path)
    assert_same_picture(one.images[0], plain_pipe(APPLE)[0])
    assert seen and all(p.total == 0 and p.step == 0 and p.count == 1 for p in seen)  # busy, no count
    assert one.seed == 3 and one.seeds == [3] and one.safety_checked is False and one.flagged == [False]
    # saved as the local generator saves: <time>-<seed>-<slug>.png with the parameters in text chunks
    (path,) = one.paths
    assert path.parent == tmp_path and path.name.endswith("-3-a-red-apple-on-a-table.png")
    saved = Image.open(path)
    assert_same_picture(saved, one.images[0])
    meta = json.loads(saved.text["sensorium"])
    assert (meta["prompt"], meta["seed"], meta["steps"], meta["width"], meta["model"]) == (
        APPLE.prompt, 3, 3, 64, MEDIA_IMAGE_MODEL)
    assert meta["server"] == media_engine.base_url and "Steps: 3" in saved.text["parameters"]

    # n > 1: one request, the plain call's num_images_per_prompt with the same generator
    two = gen.generate(dataclasses.replace(APPLE, best_of=2), output_dir=tmp_path)
    expected = plain_pipe(APPLE, n=2)
    assert len(two.images) == len(two.paths) == 2 and not two.notes
    for got, want in zip(two.images, expected):
        assert_same_picture(got, want)
    assert not np.array_equal(pixels(two.images[0]), pixels(two.images[1]))
    assert len({p.name for p in (*one.paths, *two.paths)}) == 3  # no picture overwrote another

    # a server that answers with a link to itself: the picture is fetched from there
    linked = client("imagegen", media_engine, MEDIA_URL_MODEL).generate(APPLE)
    assert_same_picture(linked.images[0], one.images[0])
    assert linked.paths == []  # no folder named: nothing saved
    assert "GET /files/" in media_engine.log_tail(50)
    gen.close()


def test_cancel_in_the_middle_returns_at_once_and_the_server_stops(media_engine):
    gen = client("imagegen", media_engine, tick_s=0.2)
    long = ImageRequest("a long one", width=64, height=64, steps=150, seed=1, preview_every=0)  # ~8 s to draw
    cancel, seen = CancelToken(), []
    threading.Timer(1.0, cancel.cancel).start()
    t0 = time.perf_counter()
    with pytest.raises(Cancelled):
        gen.generate(long, cancel=cancel, on_progress=seen.append)
    waited = time.perf_counter() - t0
    assert waited < 1.5, waited
    # the heartbeat: busy events with the time so far, on this thread, while the server worked
    assert len(seen) >= 3 and seen[-1].elapsed_s > seen[0].elapsed_s and all(p.total == 0 for p in seen)
    # the server saw the connection go and stopped drawing; it holds one job at a time, so the next is quick
    t1 = time.perf_counter()
    nxt = gen.generate(APPLE)
    assert nxt.images[0].size == (64, 64)
    assert time.perf_counter() - t1 < 4.0, "the server went on drawing the cancelled picture"
    assert "stopped after" in media_engine.log_tail(30) and "of 150 steps" in media_engine.log_tail(30)
    gen.close()


def test_server_refusals_are_one_line_and_name_the_setting(media_engine):
    with pytest.raises(ModelUnavailable) as e:
        client("imagegen", media_engine, "no-such-model").generate(APPLE)
    msg = str(e.value)
    assert "\n" not in msg and "HTTP 404" in msg and "servers.imagegen.model" in msg and "no-such-model" in msg

    gen = client("imagegen", media_engine)
    too_big = 2 * MEDIA_MAX_SIDE  # within what Sensorium allows, beyond what this server makes
    with pytest.raises(BadInput) as e:
        gen.generate(ImageRequest("a red apple", width=too_big, height=too_big, steps=1, seed=0))
    msg = str(e.value)
    assert "\n" not in msg and f"{too_big}x{too_big}" in msg and "HTTP 400" in msg
    assert "Invalid size" in msg and "servers.imagegen.model" in msg and "imagegen.width" in msg

    with pytest.raises(BadInput) as e:  # img2img is not in the generations API: refused before sending
        gen.generate(ImageRequest("a blue apple", init_image="/nonexistent.png", steps=1))
    assert "\n" not in str(e.value) and "servers.imagegen.use_server" in str(e.value)

    assert set(list_models(ServerConfig("imagegen", media_engine.base_url, ""))) == {
        MEDIA_IMAGE_MODEL, MEDIA_URL_MODEL, MEDIA_VLM_MODEL}
    gen.close()


def test_imagine_on_the_server_from_the_command_line(media_engine, plain_pipe, tmp_path):
    out = tmp_path / "apple.png"
    t0 = time.perf_counter()
    r = sensorium("imagine", APPLE.prompt, "-o", str(out), "--server", media_engine.base_url, "--server-model",
                  MEDIA_IMAGE_MODEL, "--json", "--steps", "3", "--size", "64x64", "--seed", "3", "--guidance", "7",
                  "--negative", "blurry", profile=tmp_path / "p")
    print(f"\nsensorium imagine --server: {time.perf_counter() - t0:.2f} s (process start included)")
    assert r.returncode == 0, r.stderr
    got = json.loads(r.stdout)
    assert got["paths"] == [str(out)] and got["seed"] == 3 and got["safety_checked"] is False
    assert_same_picture(Image.open(out), plain_pipe(APPLE)[0])
    assert "imagine: working" in r.stderr  # the busy line, once (stderr is not a terminal)
    # what the API cannot do is one line that says what to do, from the command line too
    init = tmp_path / "init.png"
    Image.new("RGB", (64, 64), "white").save(init)
    bad = sensorium_here("imagine", "a blue apple", "-o", str(tmp_path / "x.png"), "--init-image", str(init),
                         "--server", media_engine.base_url, "--server-model", MEDIA_IMAGE_MODEL,
                         profile=tmp_path / "p")
    assert bad.returncode != 0 and bad.stderr.count("\n") == 1 and "servers.imagegen.use_server" in bad.stderr


# ---- image questions -----------------------------------------------------------------------------------
def test_vlm_answer_equals_plain_http_and_the_local_model(media_engine, tiny_vlm_dir, photos):
    vlm = client("vlm", media_engine)
    local = TransformersVlm(tiny_vlm_dir)  # the CPU's one tile of at most 512 pixels, greedy
    history = [QA("Is there a person?", "Yes, an astronaut.")]
    answers = {}
    for name, earlier in (("astronaut", ()), ("astronaut", history), ("coffee", ())):
        pieces = list(vlm.stream(photos[name], QUESTION, history=earlier, max_new_tokens=24))
        ours = "".join(pieces).strip()
        body = {"model": MEDIA_VLM_MODEL, "max_tokens": 24, "temperature": 0,
                "messages": vlm.messages(QUESTION, image_data_url(photos[name]), earlier)}
        with media_engine.client() as plain:
            r = plain.post("/v1/chat/completions", json=body)
        assert r.status_code == 200, r.text
        expected = r.json()["choices"][0]["message"]["content"].strip()
        assert len(pieces) >= 2 and ours == expected
        assert ours == local.answer(photos[name], QUESTION, history=earlier, max_new_tokens=24)
        assert vlm.last_stats.stopped == "eos-or-length" and vlm.last_stats.new_tokens == len(pieces)
        answers[(name, len(earlier))] = ours
    assert len(set(answers.values())) == 3  # the picture and the history reach the model
    vlm.close()


def test_describe_on_the_server_from_the_command_line(media_engine, photos, tmp_path):
    r = sensorium("describe", str(photos["chelsea"]), "-q", QUESTION, "--server", media_engine.base_url,
                  "--server-model", MEDIA_VLM_MODEL, "--json", profile=tmp_path / "p")
    assert r.returncode == 0, r.stderr
    # no CLIP here (none is offline): the server's model answers alone, and the note says why
    assert "vision-language model alone" in r.stderr
    vlm = client("vlm", media_engine)
    assert json.loads(r.stdout)["answer"].strip() == vlm.answer(photos["chelsea"], QUESTION, max_new_tokens=256)
    vlm.close()


def test_vlm_pictures_are_shrunk_and_errors_are_one_line(media_engine, tmp_path):
    big = tmp_path / "big.png"
    Image.fromarray(np.random.default_rng(0).integers(0, 255, (1500, 3000, 3), dtype=np.uint8)).save(big)
    url = image_data_url(big)  # over a megapixel after shrinking: JPEG
    head, _, data = url.partition(",")
    assert head == "data:image/jpeg;base64" and Image.open(io.BytesIO(base64.b64decode(data))).size == (2048, 1024)
    small = image_data_url(big, max_side=512)
    assert small.startswith("data:image/png;base64,")
    assert Image.open(io.BytesIO(base64.b64decode(small.partition(",")[2]))).size == (512, 256)

    vlm = client("vlm", media_engine, max_side=64)
    assert vlm.answer(big, QUESTION, max_new_tokens=4)  # a small picture went; the server answered
    with pytest.raises(ModelUnavailable) as e:
        client("vlm", media_engine, "no-such-vlm").answer(big, QUESTION, max_new_tokens=4)
    assert "\n" not in str(e.value) and "servers.vlm.model" in str(e.value)
    with pytest.raises(BadInput):
        vlm.answer(big, "   ")
    with pytest.raises(Cancelled):
        cancel = CancelToken()
        cancel.cancel()
        list(vlm.stream(big, QUESTION, cancel=cancel))
    with httpx.Client(trust_env=False) as plain:  # the server's own envelope for a bad part
        r = plain.post(media_engine.base_url + "/chat/completions", json={
            "model": MEDIA_VLM_MODEL, "messages": [{"role": "user", "content": [{"type": "video"}]}]})
    assert r.status_code == 400 and r.json()["error"]["type"] == "invalid_request_error"
    vlm.close()
