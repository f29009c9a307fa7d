"""Every subcommand through the real `sensorium` entry point, with real and tiny models."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from PIL import Image

from tests.helpers.run import sensorium
from tests.helpers.text import normalize_words, wer


@pytest.fixture
def cli_profile(tmp_path, model_cache) -> Path:
    """A profile dir whose converted-weights cache is the run's shared one (SmolLM2 loads fast)."""
    p = tmp_path / "profile"
    (p / "cache").mkdir(parents=True)
    shared = model_cache / "profile-cache" / "converted"
    shared.mkdir(parents=True, exist_ok=True)
    (p / "cache" / "converted").symlink_to(shared, target_is_directory=True)
    return p


def ok(r) -> dict:
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


@pytest.mark.weights
def test_chat_answers_paris_and_continues(cli_profile):
    out = ok(sensorium("chat", "What is the capital of France?", "--temperature", "0", "--json", profile=cli_profile))
    assert "Paris" in out["reply"]
    cid = out["conversation"]
    assert isinstance(cid, int)
    out2 = ok(sensorium("chat", "Thank you!", "--conversation", str(cid), "--temperature", "0", "--json",
                        profile=cli_profile))
    assert out2["conversation"] == cid
    # plain mode streams the reply to stdout
    r = sensorium("chat", "What is the capital of France?", "--temperature", "0", profile=cli_profile)
    assert r.returncode == 0 and "Paris" in r.stdout
    # history commands see it
    hist = ok(sensorium("history", "list", "--json", profile=cli_profile))
    assert any(c["id"] == cid and c["messages"] == 4 for c in hist["conversations"])
    hits = ok(sensorium("history", "search", "capital", "--json", profile=cli_profile))
    assert any(h["conversation"] == cid and "capital" in h["text"].lower() for h in hits["results"])
    md = sensorium("history", "export", str(cid), "--format", "markdown", profile=cli_profile)
    assert md.returncode == 0 and "Paris" in md.stdout
    js = ok(sensorium("history", "show", str(cid), "--json", profile=cli_profile))
    assert js
    r = sensorium("chat", "", profile=cli_profile)
    assert r.returncode == 1 and r.stderr.startswith("error: ")


@pytest.mark.weights
def test_transcribe_wer_under_10_percent(cli_profile, speech_dir):
    ref_words = hyp_errors = 0
    for wav in sorted(speech_dir.glob("*.wav")):
        out = ok(sensorium("transcribe", str(wav), "--json", profile=cli_profile))
        ref = wav.with_suffix(".txt").read_text()
        assert out["language"] == "en" and out["segments"]
        n = len(normalize_words(ref))
        ref_words += n
        hyp_errors += wer(ref, out["text"]) * n
    total = hyp_errors / ref_words
    print(f"transcribe WER over shared/data/speech: {total:.1%} ({hyp_errors:.0f}/{ref_words} words)")
    assert total < 0.10


@pytest.mark.weights
def test_say_then_transcribe_round_trip(cli_profile, tmp_path):
    sentence = "The quick brown fox jumps over the lazy dog near the river bank."
    wav = tmp_path / "say.wav"
    out = ok(sensorium("say", sentence, "-o", str(wav), "--engine", "piper", "--json", profile=cli_profile))
    assert out["path"] == str(wav) and out["sample_rate"] > 0 and out["seconds"] > 1.0
    text = ok(sensorium("transcribe", str(wav), "--json", profile=cli_profile))["text"]
    err = wer(sentence, text)
    print(f"say -> transcribe WER: {err:.1%} ({text!r})")
    assert err < 0.20


@pytest.mark.tiny
def test_describe_imagine_search(cli_profile, tiny_clip_dir, tiny_sd_dir, photos, tmp_path):
    photo = str(photos["astronaut"])
    out = ok(sensorium("describe", photo, "--model", str(tiny_clip_dir), "--labels", "person,cat,rocket", "--json",
                       profile=cli_profile))
    assert sorted(x["label"] for x in out["labels"]) == ["cat", "person", "rocket"]
    assert isinstance(out["answer"], str) and out["answer"]
    out = ok(sensorium("describe", photo, "--model", str(tiny_clip_dir), "-q", "What colour is the suit?", "--json",
                       profile=cli_profile))
    assert out["labels"] and out["answer"]
    png = tmp_path / "out.png"
    out = ok(sensorium("imagine", "a red apple", "-o", str(png), "--model", str(tiny_sd_dir), "--seed", "3",
                       "--steps", "2", "--size", "64x64", "--json", profile=cli_profile))
    assert out["seed"] == 3 and out["paths"] == [str(png)] and out["safety_checked"] is False
    assert Image.open(png).size == (64, 64)
    out = ok(sensorium("imagine", "snowy", "-o", str(tmp_path / "edit.png"), "--init-image", str(png),
                       "--strength", "0.5", "--steps", "2", "--best-of", "2", "--model", str(tiny_sd_dir),
                       "--json", profile=cli_profile))
    assert len(out["paths"]) == 2 and all(Path(p).exists() for p in out["paths"])
    out = ok(sensorium("search", str(Path(photo).parent), "a rocket", "--top", "2", "--model", str(tiny_clip_dir),
                       "--json", profile=cli_profile))
    assert len(out["results"]) == 2 and out["results"][0]["score"] >= out["results"][1]["score"]
    r = sensorium("imagine", "x", "-o", str(tmp_path / "y.png"), "--steps", "0", "--model", str(tiny_sd_dir),
                  profile=cli_profile)
    assert r.returncode == 1 and r.stderr.count("\n") == 1 and "steps" in r.stderr
