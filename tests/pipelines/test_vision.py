"""Vision role on a tiny random open_clip model loaded by the app's own loading code.

Random weights give arbitrary labels: these tests check structure, determinism, caching,
ranking consistency and score properties, not what the labels say.
"""
from __future__ import annotations

import os
import shutil
import time
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from pipelines import vision
from pipelines.assets import asset
from pipelines.catalog import ResolvedModel
from pipelines.errors import BadInput, ModelUnavailable
from pipelines.events import Label
from pipelines.vision import (
    ClipModel,
    FolderIndex,
    find_terms,
    load_vocabulary,
    parse_question,
    question_kind,
)
from pipelines.vision_questions import Lexicon, candidates_for, load_translations, presence_check

pytestmark = pytest.mark.tiny


@pytest.fixture(scope="module")
def clip_cache(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("clip-cache")


@pytest.fixture(scope="module")
def clip(tiny_clip_dir, clip_cache) -> ClipModel:
    from pipelines.settings import Settings

    resolved = ResolvedModel(role="vision", name="tiny-clip", path=tiny_clip_dir, format="open_clip", source="user-path")
    return vision.load(resolved, "cpu", Settings(), cache_dir=clip_cache)


@pytest.fixture(scope="module")
def lexicon() -> Lexicon:
    return Lexicon()


@pytest.fixture(scope="module")
def small_vocab(tmp_path_factory) -> Path:
    """assets/vocab with short objects and scenes lists (plus "womb"), so a test can afford to
    embed every candidate with open_clip itself; the other vocabularies are whole."""
    vocab = tmp_path_factory.mktemp("vocab")
    shutil.copytree(asset("vocab"), vocab, dirs_exist_ok=True)
    objects = load_vocabulary("objects")
    (vocab / "objects.txt").write_text("\n".join(objects[:100] + ["car", "owl", "table", "hat", "womb"]) + "\n")
    (vocab / "scenes.txt").write_text("\n".join(load_vocabulary("scenes")[:40]) + "\n")
    return vocab


@pytest.fixture(scope="module")
def small_clip(tiny_clip_dir, small_vocab, clip_cache) -> ClipModel:
    return ClipModel(tiny_clip_dir, cache_dir=clip_cache, vocab_dir=small_vocab)


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


@pytest.mark.parametrize("question,kind,asks,subject,value", [
    ("What colour is the cat?", "colour", "colour", "cat", ""),
    ("Is the car red?", "yes_no", "colour", "car", "red"),
    ("is the table made of wood?", "yes_no", "material", "table", "wood"),
    ("is there a dog in the picture?", "yes_no", "presence", "dog", ""),
    ("are there any people?", "yes_no", "presence", "person", ""),
    ("does it have a hat?", "yes_no", "presence", "hat", ""),
    ("is there a red car?", "yes_no", "presence", "red car", ""),
    ("Is it raining?", "yes_no", "weather", "", "rainy"),
    ("is this a painting?", "yes_no", "style", "", "painting"),
    ("is the cat black or white?", "colour", "colour", "cat", ""),
    ("Where was this taken?", "scene", "scene", "", ""),
    ("what is this?", "object", "object", "", ""),
    ("How many people are there?", "count", "count", "person", ""),
    ("what is the table made of?", "material", "material", "table", ""),
    ("what is the mood of this photo", "mood", "mood", "", ""),
    ("describe it", "describe", "describe", "", ""),
])
def test_question_parsing(lexicon, question, kind, asks, subject, value):
    q = parse_question(question, lexicon)
    assert (q.kind, q.asks, q.subject, q.value) == (kind, asks, subject, value)
    assert question_kind(question, lexicon) == kind


def test_words_are_never_cut(small_vocab):
    """"wombat" is neither "womb" nor "bat"; a thing in no vocabulary is scored as itself."""
    assert find_terms("is there a wombat?", ["womb", "bat"]) == []
    assert find_terms("is that a fire truck next to the dogs?", ["fire truck", "dog", "truck"]) == ["fire truck", "dog"]
    lex = Lexicon(small_vocab)
    assert "womb" in lex.vocabulary("objects")
    for question in ("is there a wombat?", "Is there a wombat in this photo?", "do you see any wombats?"):
        q = parse_question(question, lex)
        assert (q.kind, q.asks) == ("yes_no", "presence") and q.subject.startswith("wombat"), question
        assert "womb" not in [m.term for m in q.mentioned]
        cands = candidates_for(q, lex)
        assert q.subject in cands.terms and cands.terms[:cands.cached] == lex.vocabulary("objects")
    q = parse_question("what colour is the wombat?", lex)
    assert (q.kind, q.subject) == ("colour", "wombat")
    assert candidates_for(q, lex).prompts()[0] == ["a photo of a red wombat.", "a red wombat."]


def test_chinese_questions_map_to_the_english_labels(lexicon):
    lex = lexicon
    for name in ("objects", "scenes") + vision.ATTRIBUTE_VOCABULARIES:  # every term has a Chinese name
        zh = load_translations(name)
        terms = load_vocabulary(name)
        assert set(zh) == set(terms), name
        shown = [zh[t][0] for t in terms]
        assert len(set(shown)) == len(shown), name  # no two bars with the same name
    for question in ("图里有狗吗？", "图里有 dog 吗？"):  # mixed-language input too
        q = parse_question(question, lex)
        assert (q.language, q.kind, q.asks, q.subject) == ("zh", "yes_no", "presence", "dog"), question
    q = parse_question("车是什么颜色的？", lex)
    assert (q.kind, q.subject) == ("colour", "car")
    cands = candidates_for(q, lex)
    assert cands.terms == lex.vocabulary("colours") and cands.phrases[0] == "red car"
    assert cands.label(0) == "红色"
    q = parse_question("车是红色的吗？", lex)
    assert (q.kind, q.asks, q.subject, q.value) == ("yes_no", "colour", "car", "red")
    assert parse_question("图里有猫头鹰吗？", lex).subject == "owl"  # the longest name, not 猫 (cat)
    q = parse_question("图里有袋熊吗？", lex)  # a wombat: 熊 (bear) is only part of the word
    assert "bear" not in [m.term for m in q.mentioned] and q.unknown == "袋熊"


class _OpenClip:
    """The plain open_clip computation: prompts -> mean of normalised text features -> softmax."""

    def __init__(self, folder: Path):
        import open_clip

        self.model, _, self.preprocess = open_clip.create_model_and_transforms(f"local-dir:{folder}")
        self.model.eval()
        self.tokenizer = open_clip.get_tokenizer(f"local-dir:{folder}")
        self._texts: dict[tuple[str, ...], Any] = {}

    def probabilities(self, image_path: Path, prompts: list[list[str]]) -> np.ndarray:
        import torch
        from PIL import Image

        groups = [tuple(g) for g in prompts]
        with torch.no_grad():
            todo = list(dict.fromkeys(g for g in groups if g not in self._texts))
            if todo:  # each candidate's mean of normalised prompt features, computed once per test
                feats = self.model.encode_text(self.tokenizer([p for g in todo for p in g]))
                feats = feats / feats.norm(dim=-1, keepdim=True)
                start = 0
                for g in todo:
                    mean = feats[start:start + len(g)].mean(dim=0)
                    self._texts[g] = mean / mean.norm()
                    start += len(g)
            text = torch.stack([self._texts[g] for g in groups])
            img = self.model.encode_image(self.preprocess(Image.open(image_path).convert("RGB"))[None])
            img = img / img.norm(dim=-1, keepdim=True)
            scale = self.model.logit_scale.exp().clamp(max=100)
            return (scale * img @ text.T).softmax(dim=-1)[0].double().numpy()


def test_evidence_probabilities_are_the_plain_open_clip_softmax(small_clip, photos, tiny_clip_dir):
    """Scores are CLIP's softmax over the full candidate set, computed here with open_clip itself
    (on shorter object and scene lists, so that embedding every candidate here stays quick)."""
    clip = small_clip
    lib = _OpenClip(tiny_clip_dir)
    lex = clip.lexicon
    for question, photo in [("What colour is the cat?", "chelsea"), ("is there a wombat?", "rocket"),
                            ("图里有狗吗？", "chelsea"), ("is the car red?", "coffee")]:
        ev = clip.evidence(photos[photo], question, top_k=4)
        q = parse_question(question, lex)
        cands = candidates_for(q, lex)
        expected = lib.probabilities(photos[photo], cands.prompts())
        assert ev.kind == q.kind and ev.candidates == len(cands) == len(expected)
        got = {t: lb.score for t, lb in zip(ev.terms, ev.labels)}
        for term, score in got.items():
            assert score == pytest.approx(expected[cands.terms.index(term)], rel=1e-3, abs=1e-6), (question, term)
        best = [cands.terms[i] for i in np.argsort(-expected)[:4]]
        assert ev.terms[:4] == tuple(best) or set(ev.terms[:4]) == set(best), question
        assert sum(got.values()) < 1 - 1e-3  # not re-normalised over the few shown
        if q.kind == "yes_no":
            assert ev.target == q.target and q.target in ev.terms
            rank = int((expected > expected[cands.terms.index(q.target)]).sum()) + 1
            assert ev.target_rank == rank
        if q.asks == "presence":
            pair = presence_check(q.subject)
            assert pair.prompts()[0][0] == f"a photo with a {q.subject}."
            yes, no = lib.probabilities(photos[photo], pair.prompts())
            assert [lb.score for lb in ev.check] == pytest.approx([yes, no], rel=1e-3)
            assert (ev.answer, ev.answer_score) == (("yes", pytest.approx(yes, rel=1e-3)) if yes >= no
                                                   else ("no", pytest.approx(no, rel=1e-3)))
        elif q.kind == "yes_no":
            assert ev.answer == ("yes" if ev.target_rank == 1 else "no")
        if q.language == "zh":
            assert all(lb.label == lex.label("objects", t, "zh") for t, lb in zip(ev.terms, ev.labels))
            assert "狗" in ev.as_prompt()
    colour = clip.evidence(photos["chelsea"], "What colour is the cat?")
    assert set(candidates_for(parse_question("What colour is the cat?", lex), lex).terms) == set(load_vocabulary("colours"))
    prompt = colour.as_prompt()
    assert "cat" in prompt and colour.labels[0].label in prompt and "93" in prompt and len(prompt) < 800


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
