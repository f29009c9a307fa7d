"""Vision role on a tiny random open_clip model loaded by the app's own loading code.

Random weights give arbitrary labels: these tests check structure, determinism, caching,
ranking consistency and score properties, not what the labels say.
"""
from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import numpy as np
import pytest

from pipelines import vision
from pipelines.catalog import ResolvedModel
from pipelines.errors import BadInput, ModelUnavailable
from pipelines.events import Label
from pipelines.vision import ClipModel, Evidence, FolderIndex, find_terms, load_vocabulary, question_kind

pytestmark = pytest.mark.tiny


@pytest.fixture(scope="module")
def clip_cache(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("clip-cache")


@pytest.fixture(scope="module")
def clip(tiny_clip_dir, clip_cache) -> ClipModel:
    from pipelines.settings import Settings

    resolved = ResolvedModel(role="vision", name="tiny-clip", path=tiny_clip_dir, format="open_clip", source="user-path")
    return vision.load(resolved, "cpu", Settings(), cache_dir=clip_cache)


def test_import_is_cheap():
    import subprocess
    import sys

    code = "import sys, pipelines.vision, pipelines.imagegen, pipelines.images; " \
           "print(any(m in sys.modules for m in ('torch', 'open_clip', 'diffusers', 'transformers')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_vocabularies_are_large_and_clean():
    sizes = {name: len(load_vocabulary(name)) for name in ("objects", "scenes", "attributes")}
    assert sizes["objects"] >= 1000 and sizes["scenes"] >= 300 and sizes["attributes"] >= 300
    assert sum(sizes.values()) >= 2000
    for name in vision.VOCABULARIES:
        terms = load_vocabulary(name)
        assert terms and len(terms) == len(set(terms))
        assert all(t == t.strip().lower() and t for t in terms)
    colours = load_vocabulary("colours")
    assert {"red", "black", "white", "orange"} <= set(colours)
    assert set(colours) <= set(load_vocabulary("attributes"))


def test_embeddings_normalized_and_deterministic(clip, photos):
    imgs = clip.embed_images([photos["chelsea"], photos["coffee"]])
    assert imgs.shape == (2, clip.embed_dim) and imgs.dtype == np.float32
    assert np.allclose(np.linalg.norm(imgs, axis=1), 1, atol=1e-5)
    again = clip.embed_images([photos["chelsea"]])
    assert np.allclose(imgs[0], again[0], atol=1e-6)
    txt = clip.embed_texts(["a cat", "a cup of coffee"])
    assert txt.shape == (2, clip.embed_dim) and np.allclose(np.linalg.norm(txt, axis=1), 1, atol=1e-5)
    s = clip.similarity(photos["chelsea"], "a cat")
    assert -1.0 <= s <= 1.0


def test_zero_shot_and_vocab_cache(clip, clip_cache, photos, tiny_clip_dir):
    labels = clip.zero_shot(photos["chelsea"], "objects", top_k=5)
    assert len(labels) == 5 and all(isinstance(lb, Label) for lb in labels)
    scores = [lb.score for lb in labels]
    assert scores == sorted(scores, reverse=True) and 0 < sum(scores) <= 1 + 1e-6
    assert clip.zero_shot(photos["chelsea"], "objects", top_k=5) == labels  # deterministic
    cached = list((clip_cache / "clip-text").glob("*objects*.npy"))
    assert len(cached) == 1
    # a second model instance (a new session) reads the cached embeddings instead of embedding again
    fresh = ClipModel(tiny_clip_dir, cache_dir=clip_cache)
    t0 = time.monotonic()
    terms, emb = fresh.vocabulary("objects")
    assert time.monotonic() - t0 < 0.5
    assert emb.shape == (len(terms), fresh.embed_dim)
    assert fresh.zero_shot(photos["chelsea"], "objects", top_k=5) == labels
    for vocab in ("scenes", "attributes", "colours"):
        got = clip.zero_shot(photos["coffee"], vocab, top_k=3)
        assert len(got) == 3 and set(lb.label for lb in got) <= set(load_vocabulary(vocab))
    with pytest.raises(BadInput, match="unknown vocabulary"):
        clip.zero_shot(photos["coffee"], "planets")


def test_labels_for_is_a_softmax_over_candidates(clip, photos):
    cands = ["a cat", "a rocket", "a cup of coffee", "an astronaut"]
    labels = clip.labels_for(photos["rocket"], cands)
    assert sorted(lb.label for lb in labels) == sorted(cands)
    assert abs(sum(lb.score for lb in labels) - 1) < 1e-6
    # the ranking agrees with cosine similarity of the same embeddings
    img = clip.embed_images([photos["rocket"]])[0]
    sims = clip.embed_texts(cands, templates=("a photo of {}.", "{}.")) @ img
    assert [lb.label for lb in labels] == [cands[i] for i in np.argsort(-sims)]
    with pytest.raises(BadInput):
        clip.labels_for(photos["rocket"], [])


@pytest.mark.parametrize("question,kind", [
    ("What colour is the cat?", "colour"),
    ("is there a dog in the picture?", "presence"),
    ("Where was this taken?", "scene"),
    ("what is this?", "object"),
    ("How many people are there?", "count"),
    ("Is it raining?", "weather"),
    ("what is the table made of?", "material"),
    ("what is the mood of this photo", "mood"),
    ("describe it", "describe"),
])
def test_question_kind(question, kind):
    assert question_kind(question) == kind


def test_find_terms_matches_phrases_and_plurals():
    objects = load_vocabulary("objects")
    assert find_terms("What colour is the cat?", objects) == ["cat"]
    assert "fire truck" in find_terms("is that a fire truck next to the dogs?", objects)
    assert "dog" in find_terms("is that a fire truck next to the dogs?", objects)
    assert find_terms("what colour is it?", objects) == []


def test_evidence_for_colour_question(clip, photos):
    ev = clip.evidence(photos["chelsea"], "What colour is the cat?", top_k=5)
    assert isinstance(ev, Evidence) and ev.kind == "colour" and ev.subject == "cat"
    assert "cat" in ev.mentioned
    colours = set(load_vocabulary("colours"))
    assert len(ev.labels) == 5 and all(lb.label in colours for lb in ev.labels)
    assert abs(sum(lb.score for lb in ev.labels) - 1) < 1e-6
    prompt = ev.as_prompt()
    assert "cat" in prompt and ev.labels[0].label in prompt and len(prompt) < 800


def test_evidence_for_presence_and_scene(clip, photos):
    ev = clip.evidence(photos["rocket"], "Is there a dog in this photo?", top_k=4)
    assert ev.kind == "presence" and ev.subject == "dog"
    assert "dog" in [lb.label for lb in ev.labels] and len(ev.labels) == 5
    assert abs(sum(lb.score for lb in ev.labels) - 1) < 1e-6
    assert "'dog'" in ev.as_prompt()
    # a thing outside the vocabulary is still scored
    ev2 = clip.evidence(photos["rocket"], "is there a flux capacitor?", top_k=3)
    assert ev2.subject == "flux capacitor" and "flux capacitor" in [lb.label for lb in ev2.labels]
    ev3 = clip.evidence(photos["rocket"], "where is this?", top_k=3)
    scenes = set(load_vocabulary("scenes"))
    assert ev3.kind == "scene" and all(lb.label in scenes for lb in ev3.labels)
    assert ev3.context and ev3.places
    # a colour named in the question is always among the scored candidates
    ev4 = clip.evidence(photos["chelsea"], "is the cat's colour purple?", top_k=2)
    assert "purple" in [lb.label for lb in ev4.labels]


def test_missing_model_folder_is_a_clear_error(tmp_path, tiny_clip_dir):
    with pytest.raises(ModelUnavailable, match="open_clip_config.json"):
        ClipModel(tmp_path)
    partial = tmp_path / "partial"
    partial.mkdir()
    shutil.copy(tiny_clip_dir / "open_clip_config.json", partial)
    with pytest.raises(ModelUnavailable, match="no weights"):
        ClipModel(partial)


def test_folder_index_incremental(clip, photos, tmp_path):
    root = photos["chelsea"].parent
    sub = root / "more"
    sub.mkdir()
    shutil.copy(photos["coffee"], sub / "coffee-copy.jpg")
    (root / "broken.jpg").write_bytes(b"not a jpeg at all")
    (root / "readme.txt").write_text("ignored: not an image suffix")
    cache = tmp_path / "index"
    index = FolderIndex(root, clip, cache)
    events = []
    first = index.update(progress=events.append)
    assert (first.total, first.embedded, first.skipped, first.removed) == (5, 5, 1, 0)
    assert events[-1].done == events[-1].total == 6
    second = FolderIndex(root, clip, cache).update()  # a new session: nothing re-embedded
    assert (second.embedded, second.unchanged, second.total, second.skipped) == (0, 6, 5, 1)
    st = photos["rocket"].stat()
    os.utime(photos["rocket"], ns=(st.st_atime_ns, st.st_mtime_ns + 5_000_000_000))
    third = index.update()
    assert third.embedded == 1 and third.unchanged == 5
    photos["astronaut"].unlink()
    fourth = index.update()
    assert fourth.removed == 1 and fourth.total == 4 and fourth.embedded == 0

    results = index.search_text("a cat", top_k=3)
    assert len(results) == 3
    assert [r.score for r in results] == sorted((r.score for r in results), reverse=True)
    assert all(r.path.exists() for r in results)
    hits = index.search_image(photos["coffee"], top_k=10)
    assert len(hits) == 4
    assert hits[0].score == pytest.approx(1.0, abs=1e-4)  # the identical picture (or its copy) first
    assert hits[0].path.name in ("coffee.jpg", "coffee-copy.jpg")
    with pytest.raises(BadInput):
        index.search_text("  ")


def test_folder_index_cancel_keeps_work(clip, photos, tmp_path):
    from pipelines.cancel import Cancelled, CancelToken

    token = CancelToken()

    def progress(p):
        if p.done >= 2:
            token.cancel()

    index = FolderIndex(photos["chelsea"].parent, clip, tmp_path / "idx", batch_size=2)
    with pytest.raises(Cancelled):
        index.update(progress=progress, cancel=token)
    assert len(index) == 2
    report = index.update()
    assert report.embedded == 2 and report.total == 4
