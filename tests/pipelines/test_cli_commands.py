"""Every subcommand through the real `sensorium` entry point, with real and tiny models."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from PIL import Image

from tests.helpers.run import sensorium, sensorium_here
from tests.helpers.text import wer, word_errors

pytestmark = pytest.mark.slow  # scheduled first: see tests/conftest.py


@pytest.fixture
def cli_profile(tmp_path) -> Path:
    """A fresh profile dir; its converted weights come from the run's machine cache (SENSORIUM_CACHE_DIR)."""
    return tmp_path / "profile"


def ok(r) -> dict:
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


@pytest.mark.weights
def test_chat_answers_paris_and_continues(cli_profile):
    out = ok(sensorium_here("chat", "What is the capital of France?", "--temperature", "0", "--json",
                            profile=cli_profile))
    assert "Paris" in out["reply"]
    cid = out["conversation"]
    assert isinstance(cid, int)
    out2 = ok(sensorium_here("chat", "Thank you!", "--conversation", str(cid), "--temperature", "0", "--json",
                             profile=cli_profile))
    assert out2["conversation"] == cid
    # plain mode streams the reply to stdout, through the installed entry point in a new process
    r = sensorium("chat", "What is the capital of France?", "--temperature", "0", profile=cli_profile)
    assert r.returncode == 0 and "Paris" in r.stdout
    # history commands see it
    hist = ok(sensorium_here("history", "list", "--json", profile=cli_profile))
    assert any(c["id"] == cid and c["messages"] == 4 for c in hist["conversations"])
    hits = ok(sensorium_here("history", "search", "capital", "--json", profile=cli_profile))
    assert any(h["conversation"] == cid and "capital" in h["text"].lower() for h in hits["results"])
    md = sensorium_here("history", "export", str(cid), "--format", "markdown", profile=cli_profile)
    assert md.returncode == 0 and "Paris" in md.stdout
    js = ok(sensorium_here("history", "show", str(cid), "--json", profile=cli_profile))
    assert js
    r = sensorium_here("chat", "", profile=cli_profile)
    assert r.returncode == 1 and r.stderr.startswith("error: ")


@pytest.mark.weights
def test_transcribe_no_worse_than_faster_whisper(cli_profile, speech_samples, whisper_model_path):
    """`sensorium transcribe` in a fresh process against the plain faster-whisper call on the same
    model, audio and decoding options (the settings' file decoding), on this machine's CPU."""
    from faster_whisper import WhisperModel

    from pipelines.asr import Decoding
    from pipelines.settings import Settings

    plain = WhisperModel(str(whisper_model_path), device="cpu", compute_type="int8")
    decoding = Decoding.for_files(Settings())
    ours_errors = lib_errors = words = 0
    for sample in speech_samples:
        out = ok(sensorium("transcribe", str(sample.wav), "--json", profile=cli_profile))
        assert out["language"] == "en" and out["segments"]
        segments, _ = plain.transcribe(str(sample.wav), language="en", vad_filter=True, **decoding.library_kwargs())
        e_ours, n = word_errors(sample.text, out["text"])
        e_lib, _ = word_errors(sample.text, " ".join(s.text.strip() for s in segments))
        ours_errors, lib_errors, words = ours_errors + e_ours, lib_errors + e_lib, words + n
    print(f"transcribe WER {ours_errors / words:.1%}, faster-whisper {lib_errors / words:.1%} ({words} words)")
    assert ours_errors <= lib_errors


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
    out = ok(sensorium_here("describe", photo, "--model", str(tiny_clip_dir), "--labels", "person,cat,rocket", "--json",
                       profile=cli_profile))
    assert sorted(x["label"] for x in out["labels"]) == ["cat", "person", "rocket"]
    assert isinstance(out["answer"], str) and out["answer"]
    out = ok(sensorium_here("describe", photo, "--model", str(tiny_clip_dir), "-q", "What colour is the suit?", "--json",
                       profile=cli_profile))
    assert out["labels"] and out["answer"]
    png = tmp_path / "out.png"
    out = ok(sensorium_here("imagine", "a red apple", "-o", str(png), "--model", str(tiny_sd_dir), "--seed", "3",
                       "--steps", "2", "--size", "64x64", "--json", profile=cli_profile))
    assert out["seed"] == 3 and out["paths"] == [str(png)] and out["safety_checked"] is False
    assert Image.open(png).size == (64, 64)
    out = ok(sensorium_here("imagine", "snowy", "-o", str(tmp_path / "edit.png"), "--init-image", str(png),
                       "--strength", "0.5", "--steps", "2", "--best-of", "2", "--model", str(tiny_sd_dir),
                       "--json", profile=cli_profile))
    assert len(out["paths"]) == 2 and all(Path(p).exists() for p in out["paths"])
    out = ok(sensorium_here("search", str(Path(photo).parent), "a rocket", "--top", "2", "--model", str(tiny_clip_dir),
                       "--json", profile=cli_profile))
    assert len(out["results"]) == 2 and out["results"][0]["score"] >= out["results"][1]["score"]
    r = sensorium_here("imagine", "x", "-o", str(tmp_path / "y.png"), "--steps", "0", "--model", str(tiny_sd_dir),
                  profile=cli_profile)
    assert r.returncode == 1 and r.stderr.count("\n") == 1 and "steps" in r.stderr
