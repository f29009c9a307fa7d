"""Every catalog entry, from where the catalog finds it to one real inference, with the code a user runs.

Hub entries resolve from a Hugging Face cache folder (tests/fixtures/hub.py) holding tiny random
stand-ins laid out as each repository is, filtered by the entry's own ``files`` list; package
entries resolve from their installed offline packs. Each then loads through the ModelManager's
own loaders and does one thing: transcribe a real recording, chat a few tokens, label a real
photo, draw a 2-step 64x64 picture (with the safety checker where the model has one), speak a
sentence, embed a sentence. A catalog entry with no fixture fails here.
"""
from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from pipelines.catalog import Catalog
from pipelines.devices import DeviceChoice
from pipelines.imagegen import ImageRequest
from pipelines.llm import ChatMessage, GenerationParams
from pipelines.manager import ModelManager
from pipelines.settings import Settings
from tests.fixtures.hub import HUB_REPOS
from tests.helpers.httpserver import FileServer

pytestmark = pytest.mark.tiny

CPU = DeviceChoice(device="cpu", dtype="float32", ctranslate2_compute="int8", reason="tests")


def _shipped_entries():
    from pipelines.paths import Profile

    return Catalog.load(Settings(), Profile.at("/nonexistent-sensorium-profile"), gpu=False).entries()


ENTRIES = {e.name: e for e in _shipped_entries()}
HUB = [name for name, e in ENTRIES.items() if e.source == "hub"]


def test_every_hub_entry_has_a_fixture_and_its_files_exist(hub_cache):
    no_fixture = sorted(f"{e.name} ({e.repo})" for e in ENTRIES.values()
                        if e.source == "hub" and e.repo not in HUB_REPOS)
    assert not no_fixture, f"add a builder to tests/fixtures/hub.py HUB_REPOS for: {', '.join(no_fixture)}"
    assert not hub_cache.missing, f"catalog files the repositories do not have: {hub_cache.missing}"
    assert {e.source for e in ENTRIES.values()} <= {"hub", "package"}  # a local entry would need a fixture too


def _stand_in_checksums(entries):
    """The entries, with the sha256 a hub entry pins for the real files left out: the stand-ins are
    other bytes (tests/pipelines/test_catalog.py checks that the pinned ones name listed files)."""
    return [dataclasses.replace(e, sha256={}) if e.source == "hub" else e for e in entries]


def _settings(hub_cache, entry) -> Settings:
    s = Settings()
    s.device.device = "cpu"
    s.models.hf_cache_dir = str(hub_cache.root)
    setattr(s.models, entry.role, entry.name)
    return s


def _infer(role: str, model, entry, speech_samples, photos):
    """One inference per role; returns a short description for the log."""
    if role == "asr":
        sample = speech_samples[0]
        t = model.transcribe(sample.wav)
        text = t.text()
        assert t.duration > 1.0 and t.language
        if entry.source == "package":  # real weights: the words come out
            assert set(text.lower().replace(".", "").split()) & set(sample.text.split()), text
        return f"{t.language}: {text[:60]!r}"
    if role == "chat":
        out = "".join(model.stream([ChatMessage("user", "What is the capital of Japan?")],
                                   GenerationParams(max_new_tokens=4, seed=1)))
        assert isinstance(out, str) and 1 <= model.last_stats.new_tokens <= 4
        return out
    if role == "vision":
        labels = model.labels_for(photos["chelsea"], ["a cat", "a rocket", "a cup of coffee"])
        assert len(labels) == 3 and abs(sum(label.score for label in labels) - 1.0) < 1e-4
        return labels[0].label
    if role == "vlm":
        answer = model.answer(photos["chelsea"], "What is in this picture?", max_new_tokens=4)
        assert 1 <= model.last_stats.new_tokens <= 4 and model.last_stats.prompt_tokens > 4  # image tokens too
        assert type(model.model).__name__.endswith("ForConditionalGeneration")
        return f"{type(model.model).__name__}: {answer!r}"
    if role == "imagegen":
        r = model.generate(ImageRequest(prompt="a red apple on a table", width=64, height=64, steps=2, seed=3,
                                        preview_every=1))
        assert r.images[0].size == (64, 64) and r.params["steps"] == 2
        assert r.safety_checked is model.has_safety_checker
        assert model.has_safety_checker is (entry.name == "sd-1.5")
        d = model.defaults  # the catalog's recommended values reached the generator
        assert (d.steps, d.guidance, d.width, d.height) == (entry.defaults.steps, entry.defaults.guidance,
                                                            entry.defaults.width, entry.defaults.height)
        return f"{r.images[0].size} safety_checked={r.safety_checked}"
    if role == "tts":
        audio = model.synthesize("今天天气很好。" if entry.language == "zh" else "The weather is lovely today.")
        assert audio.ndim == 1 and len(audio) > model.sample_rate * 0.5 and np.abs(audio).max() > 0.01
        return f"{len(audio) / model.sample_rate:.2f} s of speech"
    if role == "embed":
        texts = ["What is the capital of Japan?", "日本的首都是哪里？"]
        v = model.embed(texts)
        assert v.shape[0] == 2 and v.shape[1] >= 32 and np.allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-3)
        # the document index's encoder: both models are BERT with mean pooling, so int8 CTranslate2 here
        passages = model.passages()
        assert type(passages).__name__ == "PassageEncoder", passages
        cosine = np.sum(passages.embed(texts) * v, axis=1)
        assert cosine.min() > 0.95, cosine
        return f"dim {v.shape[1]}, int8 passages cosine {cosine.min():.4f}"
    raise AssertionError(f"no inference check for role {role}")


@pytest.mark.parametrize("name", list(ENTRIES))
def test_catalog_entry_resolves_loads_and_runs(name, hub_cache, warm_profile, speech_samples, photos):
    entry = ENTRIES[name]
    if entry.source == "hub":
        assert entry.repo in HUB_REPOS, f"{name}: no hub fixture for {entry.repo} in tests/fixtures/hub.py"
    settings = _settings(hub_cache, entry)
    catalog = Catalog(_stand_in_checksums(ENTRIES.values()), {}, settings, warm_profile, gpu=False)
    resolved = catalog.resolve(entry.role)
    assert resolved.name == name
    if entry.source == "hub":
        assert resolved.source == "hf-cache" and resolved.path == hub_cache.snapshot(entry.repo, entry.revision)
        assert sorted(p.relative_to(resolved.path).as_posix() for p in resolved.path.rglob("*")
                      if not p.is_dir()) == sorted(entry.files)  # the snapshot holds the listed files only
    else:
        assert resolved.source == "package"
    assert resolved.variant == entry.variant and resolved.defaults == entry.defaults
    manager = ModelManager(catalog, settings, warm_profile, device=CPU)
    try:
        with manager.lease(entry.role) as model:
            print(f"\n{name}: {_infer(entry.role, model, entry, speech_samples, photos)}")
    finally:
        manager.unload_all()


VARIANT_ENTRIES = [name for name in HUB if ENTRIES[name].variant]


@pytest.mark.parametrize("name", VARIANT_ENTRIES)
def test_fetch_downloads_only_the_listed_variant_files_and_the_download_loads(name, hub_cache, warm_profile):
    """``Catalog.fetch`` from a local server holding the whole repository (fp32 and fp16 files)."""
    entry = ENTRIES[name]
    with FileServer(hub_cache.served(entry.repo)) as srv:
        settings = Settings()
        settings.models.hub_endpoint = srv.url
        settings.models.imagegen = name
        catalog = Catalog(list(ENTRIES.values()), {}, settings, warm_profile, gpu=False)
        fetched = catalog.fetch("imagegen", name)
        requested = sorted(p.split("/resolve/main/", 1)[1] for p, _ in srv.requests)
    assert requested == sorted(entry.files)
    resolved = catalog.resolve("imagegen")
    assert resolved.source == "downloaded" and resolved.path == fetched.path
    assert not list(resolved.path.rglob("diffusion_pytorch_model.safetensors"))  # only the fp16 variant came
    manager = ModelManager(catalog, settings, warm_profile, device=CPU)
    try:
        with manager.lease("imagegen") as gen:
            r = gen.generate(ImageRequest(prompt="a lighthouse", width=64, height=64, steps=2, seed=1))
        assert r.images[0].size == (64, 64) and r.safety_checked is gen.has_safety_checker
    finally:
        manager.unload_all()


@pytest.mark.weights
def test_chat_samples_with_the_models_recommended_values_unless_the_user_sets_them(hub_cache, warm_profile):
    """SmolLM2's card recommends temperature 0.2, top_p 0.9: what a new user's default settings get."""
    settings = Settings()
    assert settings.chat.temperature is None and settings.chat.top_p is None  # "the model's default"
    catalog = Catalog(list(ENTRIES.values()), {}, settings, warm_profile, gpu=False)
    settings.models.chat = "smollm2-135m-instruct"
    manager = ModelManager(catalog, settings, warm_profile, device=CPU)
    question = [ChatMessage("system", settings.chat.system_prompt),
                ChatMessage("user", "What is the capital of Japan?")]
    try:
        with manager.lease("chat") as chat:
            answers = ["".join(chat.stream(question, GenerationParams(
                temperature=settings.chat.temperature, top_p=settings.chat.top_p, max_new_tokens=16, seed=seed)))
                for seed in range(4)]
            used = chat.last_params
            assert (used.temperature, used.top_p) == (0.2, 0.9)
            assert all("Tokyo" in a for a in answers), answers
            settings.chat.temperature = 0.0  # the user's own value wins: greedy
            "".join(chat.stream(question, GenerationParams(temperature=settings.chat.temperature, max_new_tokens=4)))
            assert chat.last_params.temperature == 0.0 and chat.last_params.greedy
    finally:
        manager.unload_all()


def test_qwen_sampling_comes_from_the_catalog_or_the_folders_generation_config(hub_cache, warm_profile):
    from pipelines.llm import TransformersChat

    entry = ENTRIES["qwen2.5-1.5b-instruct"]
    settings = _settings(hub_cache, entry)
    manager = ModelManager(Catalog(list(ENTRIES.values()), {}, settings, warm_profile, gpu=False), settings,
                           warm_profile, device=CPU)
    try:
        with manager.lease("chat") as chat:
            assert chat.sampling == entry.defaults
            "".join(chat.stream([ChatMessage("user", "Hello")], GenerationParams(max_new_tokens=2, seed=0)))
            used = chat.last_params
            assert (used.temperature, used.top_p, used.top_k, used.repetition_penalty) == (0.7, 0.8, 20, 1.1)
    finally:
        manager.unload_all()
    # the same folder picked by the user (no catalog entry): its generation_config.json says the same
    folder = TransformersChat(hub_cache.snapshot(entry.repo), device=CPU)
    try:
        s = folder.sampling
        assert (s.temperature, s.top_p, s.top_k, s.repetition_penalty) == (0.7, 0.8, 20, 1.1)
        assert not folder.fallback_template  # the chat template comes from tokenizer_config.json
    finally:
        folder.close()


@pytest.mark.gpu
@pytest.mark.parametrize("name", [n for n in HUB if ENTRIES[n].role == "imagegen"])
def test_image_models_on_cuda_keep_the_safety_checker_with_the_pipeline(name, hub_cache, warm_profile):
    """fp16 on the GPU: the safety checker is detached from the pipeline to run per request, so it
    must follow the pipeline to the device and its dtype by itself."""
    import torch

    entry = ENTRIES[name]
    settings = _settings(hub_cache, entry)
    settings.device.device = "cuda"
    gpu = DeviceChoice(device="cuda", dtype="float16", ctranslate2_compute="float16", reason="tests")
    manager = ModelManager(Catalog(list(ENTRIES.values()), {}, settings, warm_profile, gpu=True), settings,
                           warm_profile, device=gpu)
    try:
        with manager.lease("imagegen") as gen:
            assert gen._txt2img.unet.device.type == "cuda" and gen._txt2img.unet.dtype == torch.float16
            if gen.has_safety_checker:
                assert gen._safety.device.type == "cuda" and gen._safety.dtype == torch.float16
            r = gen.generate(ImageRequest(prompt="a lighthouse", width=64, height=64, steps=2, seed=1, best_of=2))
            assert len(r.images) == 2 and r.safety_checked is gen.has_safety_checker
    finally:
        manager.unload_all()
