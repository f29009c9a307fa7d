"""pipelines.tts: text for speech, Piper (real offline voice), Coqui (tiny random VITS), streaming."""
from __future__ import annotations

import shutil

import numpy as np
import pytest
import soundfile as sf

from pipelines.cancel import Cancelled, CancelToken
from pipelines.catalog import ResolvedModel
from pipelines.devices import DeviceChoice
from pipelines.errors import BadInput, ModelUnavailable, UntrustedFile
from pipelines.events import SpeechChunk
from pipelines.tts import (
    CoquiEngine,
    PiperEngine,
    SpeechEngine,
    Synthesizer,
    load,
    normalize_for_speech,
    split_sentences,
)

from .test_asr import wer

CPU = DeviceChoice(device="cpu", dtype="float32", ctranslate2_compute="int8")


# ---- sentences -----------------------------------------------------------------------------

def test_split_sentences_english_keeps_abbreviations():
    text = ("Dr. Smith arrived at 3 p.m. today, e.g. after lunch. He left! Did she? "
            "J. R. R. Tolkien wrote it, i.e. the book. The U.S. team won.")
    assert split_sentences(text) == [
        "Dr. Smith arrived at 3 p.m. today, e.g. after lunch.",
        "He left!",
        "Did she?",
        "J. R. R. Tolkien wrote it, i.e. the book.",
        "The U.S. team won.",
    ]


def test_split_sentences_chinese_and_mixed():
    assert split_sentences("你好。今天天气很好！我们走吧？好的") == ["你好。", "今天天气很好！", "我们走吧？", "好的"]
    assert split_sentences("Hello there. 你好。Bye.") == ["Hello there.", "你好。", "Bye."]


def test_split_sentences_quotes_paragraphs_decimals_and_long():
    assert split_sentences('He said "stop." Then he went.\n\nNew paragraph') == [
        'He said "stop."', "Then he went.", "New paragraph"]
    assert split_sentences("Pi is 3.14 roughly. Yes.") == ["Pi is 3.14 roughly.", "Yes."]
    assert split_sentences("   \n ... !! ") == []
    long = ", ".join(["this clause goes on"] * 40) + "."
    parts = split_sentences(long)
    assert len(parts) > 1 and all(len(p) <= 300 for p in parts)


# ---- normalisation -------------------------------------------------------------------------

def test_normalize_markdown():
    md = ("# Results\n\nHere is **bold**, *italic*, `x` and ~~old~~ text.\n\n"
          "- first item\n- second item\n\n"
          "```python\nprint('secret code')\n```\n\n"
          "> quoted line\n\n| a | b |\n|---|---|\n| 1 | 2 |\n")
    out = normalize_for_speech(md)
    assert "print" not in out and "secret" not in out and "(code omitted)" in out
    for junk in ("#", "*", "`", "~", "|", "---", ">"):
        assert junk not in out, junk
    assert "Results." in out and "bold, italic, x and old text." in out
    assert "first item." in out and "second item." in out and "quoted line" in out
    sentences = split_sentences(out)
    assert "Results." in sentences and "first item." in sentences


def test_normalize_links_and_urls():
    out = normalize_for_speech("Read [the guide](https://example.com/docs/guide?x=1) or see "
                               "https://www.python.org/downloads/release/ and <http://foo.bar.org/x>. "
                               "Mail me at jo@mail.example.net. ![a cat](cat.png)")
    assert "the guide" in out and "guide?x" not in out
    assert "python dot org" in out and "downloads" not in out and "http" not in out and "/" not in out
    assert "foo dot bar dot org" in out and "jo at mail dot example dot net" in out
    assert "a cat" in out and "png" not in out


@pytest.mark.parametrize("text, spoken", [
    ("It costs $1,234.56.", "one thousand, two hundred and thirty-four dollars and fifty-six cents"),
    ("Only $5 today", "five dollars"),
    ("£1 or €2.50", "one pound or two euros and fifty cents"),
    ("Raised $3.5M", "three point five million dollars"),
    ("Growth was 12.5% this year", "twelve point five percent"),
    ("Use 100% of it", "one hundred percent"),
    ("Back in 1999 and in 2024", "nineteen ninety-nine and in twenty twenty-four"),
    ("Pi is 3.14", "three point one four"),
    ("The 21st century", "twenty-first century"),
    ("We sold 1,000,000 units", "one million units"),
    ("It was -5 degrees", "minus five degrees"),
    ("Pages 10-20", "ten to twenty"),
    ("Rock & roll", "Rock and roll"),
])
def test_normalize_numbers(text, spoken):
    out = normalize_for_speech(text)
    assert spoken in out, out
    assert not any(ch.isdigit() for ch in out)


def test_normalize_keeps_plain_text_and_drops_emoji():
    assert normalize_for_speech("Hello, world!") == "Hello, world!"
    assert normalize_for_speech("Great job 🎉🚀 today") == "Great job today"
    assert normalize_for_speech("你好，世界。") == "你好，世界。"
    assert normalize_for_speech("") == ""


# ---- Piper -----------------------------------------------------------------------------------

@pytest.mark.weights
def test_piper_synthesizes(piper_engine):
    assert isinstance(piper_engine, SpeechEngine)
    assert piper_engine.sample_rate == 22050
    assert piper_engine.voices() == ("en_US-joe-medium",)
    audio = piper_engine.synthesize("Hello from the offline voice.")
    assert audio.dtype == np.float32 and audio.ndim == 1
    assert 0.5 < audio.shape[0] / piper_engine.sample_rate < 5
    assert 0.05 < float(np.max(np.abs(audio))) <= 1.0
    assert piper_engine.synthesize("").size == 0


@pytest.mark.weights
def test_stream_one_chunk_per_sentence_one_rate(piper_engine):
    synth = Synthesizer(piper_engine, sample_rate=16000)
    chunks = list(synth.stream("## Plan\nFirst sentence here. Second one, e.g. this one! A third?"))
    assert [c.text for c in chunks] == ["Plan.", "First sentence here.", "Second one, e.g. this one!", "A third?"]
    assert [c.index for c in chunks] == [0, 1, 2, 3]
    assert all(isinstance(c, SpeechChunk) and c.sample_rate == 16000 for c in chunks)
    assert all(c.audio.dtype == np.float32 and c.audio.ndim == 1 and c.audio.size > 1600 for c in chunks)
    default = Synthesizer(piper_engine)
    assert default.sample_rate == 22050
    assert next(default.stream("One.")).sample_rate == 22050


@pytest.mark.weights
def test_stream_is_lazy_and_cancellable(piper_engine):
    token = CancelToken()
    stream = Synthesizer(piper_engine).stream("One. Two. Three. Four.", cancel=token)
    first = next(stream)
    assert first.text == "One."
    token.cancel()
    with pytest.raises(Cancelled):
        next(stream)


@pytest.mark.weights
def test_synthesize_to_file(piper_engine, tmp_path):
    synth = Synthesizer(piper_engine, sample_rate=24000)
    path = synth.synthesize_to_file("Short test. Another sentence.", tmp_path / "out.wav")
    info = sf.info(path)
    assert info.samplerate == 24000 and info.channels == 1 and info.subtype == "PCM_16"
    assert info.duration > 1.0
    with pytest.raises(BadInput, match="nothing to say"):
        synth.synthesize_to_file("🎉 **   ** ---", tmp_path / "none.wav")
    assert normalize_for_speech("```\nx = 1\n```") == "(code omitted)."  # a code block is announced


@pytest.mark.weights
def test_round_trip_piper_to_whisper(piper_engine, transcriber):
    sentence = "The quick brown fox jumps over the lazy dog near the river bank."
    audio = Synthesizer(piper_engine, sample_rate=16000).synthesize(sentence)
    heard = transcriber.transcribe(audio, sample_rate=16000).text()
    assert wer(sentence, heard) < 0.2, heard


@pytest.mark.weights
def test_piper_missing_files(tmp_path, piper_voice):
    with pytest.raises(ModelUnavailable, match="does not exist"):
        PiperEngine(tmp_path / "nope.onnx")
    lone = tmp_path / "voice.onnx"
    shutil.copy(piper_voice.onnx, lone)
    with pytest.raises(ModelUnavailable, match="config"):
        PiperEngine(lone)
    with pytest.raises(BadInput, match="not in"):
        PiperEngine(piper_voice.onnx, piper_voice.config, speaker="nobody")


# ---- Coqui -----------------------------------------------------------------------------------

@pytest.mark.tiny
def test_coqui_tiny_vits_from_safetensors(tiny_coqui_dir):
    engine = CoquiEngine(tiny_coqui_dir)
    assert isinstance(engine, SpeechEngine)
    assert engine.weights.name == "model.safetensors" and engine.sample_rate == 16000
    audio = engine.synthesize("Hello from a tiny random voice.")
    assert audio.dtype == np.float32 and audio.ndim == 1 and audio.size > 1000
    assert np.all(np.isfinite(audio))
    chunks = list(Synthesizer(engine, sample_rate=22050).stream("One sentence. Two sentences."))
    assert len(chunks) == 2 and {c.sample_rate for c in chunks} == {22050}


@pytest.fixture(scope="module")
def coqui_pth_dir(tiny_coqui_dir, tmp_path_factory):
    """The tiny VITS as a Coqui-style pickle checkpoint: config.json + model.pth ({"model": state})."""
    import torch
    from safetensors.torch import load_file

    folder = tmp_path_factory.mktemp("coqui-pth")
    shutil.copy(tiny_coqui_dir / "config.json", folder / "config.json")
    torch.save({"model": load_file(str(tiny_coqui_dir / "model.safetensors")), "step": 10}, folder / "model.pth")
    return folder


@pytest.mark.tiny
def test_coqui_pth_refused_unless_trusted(coqui_pth_dir):
    with pytest.raises(UntrustedFile) as err:
        CoquiEngine(coqui_pth_dir)
    assert "model.pth" in str(err.value) and "trusted_files" in str(err.value)
    engine = CoquiEngine(coqui_pth_dir, trusted_files=[str(coqui_pth_dir / "model.pth")])
    assert engine.weights.name == "model.pth"
    assert engine.synthesize("Trusted checkpoint.").size > 0


@pytest.mark.tiny
def test_trusted_pth_still_loads_weights_only(coqui_pth_dir, tmp_path):
    """A trusted checkpoint that holds arbitrary objects is still not unpickled (weights_only=True)."""
    import torch

    folder = tmp_path / "evil"
    folder.mkdir()
    shutil.copy(coqui_pth_dir / "config.json", folder / "config.json")
    torch.save({"model": {}, "hook": _Payload()}, folder / "model.pth")
    with pytest.raises(ModelUnavailable, match="safetensors"):
        CoquiEngine(folder, trusted_files=[str(folder / "model.pth")])
    assert not _EXECUTED, "unpickling ran code from the checkpoint"


_EXECUTED: list[bool] = []


def _run_on_unpickle() -> None:
    _EXECUTED.append(True)


class _Payload:
    def __reduce__(self):
        return (_run_on_unpickle, ())


@pytest.mark.tiny
def test_coqui_errors(tmp_path, tiny_coqui_dir):
    with pytest.raises(ModelUnavailable, match="config.json"):
        CoquiEngine(tmp_path)
    shutil.copy(tiny_coqui_dir / "config.json", tmp_path / "config.json")
    with pytest.raises(ModelUnavailable, match="no weights"):
        CoquiEngine(tmp_path)


@pytest.mark.weights
@pytest.mark.tiny
def test_load_factory(piper_voice, tiny_coqui_dir, settings):
    piper = load(ResolvedModel("tts", "joe", piper_voice.onnx, "piper", "package"), CPU, settings)
    assert isinstance(piper, PiperEngine) and piper.sample_rate == 22050
    coqui = load(ResolvedModel("tts", "tiny", tiny_coqui_dir, "coqui", "user-path"), CPU, settings)
    assert isinstance(coqui, CoquiEngine)
    with pytest.raises(ModelUnavailable, match="format"):
        load(ResolvedModel("tts", "x", tiny_coqui_dir, "diffusers", "user-path"), CPU, settings)
