"""pipelines.audio: decoding, downmix, resampling, bad input, WAV writing, levels."""
from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
import soundfile as sf

from pipelines.audio import level_meter, load_audio, peak_level, resample, rms_dbfs, rms_level, write_wav
from pipelines.errors import BadInput


def _tone(rate: int, seconds: float = 1.0, freq: float = 440.0, amp: float = 0.5) -> np.ndarray:
    t = np.arange(int(rate * seconds)) / rate
    return (amp * np.sin(2 * np.pi * freq * t)).astype(np.float32)


def test_import_is_cheap():
    code = ("import sys, pipelines.audio, pipelines.asr, pipelines.tts; "
            "heavy = [m for m in ('torch', 'faster_whisper', 'ctranslate2', 'TTS', 'piper', 'onnxruntime', "
            "'soundfile', 'soxr') if m in sys.modules]; print(heavy); assert not heavy")
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)


def test_wav_file_resampled_to_16k(tmp_path):
    path = write_wav(tmp_path / "a.wav", _tone(44100, 0.5), 44100)
    a = load_audio(path)
    assert a.dtype == np.float32 and a.ndim == 1
    assert abs(a.shape[0] - 8000) <= 2
    assert 0.3 < rms_level(a) < 0.4  # 0.5 amplitude sine: rms 0.354


def test_stereo_flac_and_ogg_downmixed(tmp_path):
    stereo = np.stack([_tone(48000, 0.5), _tone(48000, 0.5)], axis=1)
    for fmt in ("FLAC", "OGG"):
        path = tmp_path / f"s.{fmt.lower()}"
        sf.write(path, stereo, 48000, format=fmt)
        a = load_audio(path, 16000)
        assert a.ndim == 1 and abs(a.shape[0] - 8000) <= 2
        assert 0.3 < rms_level(a) < 0.4


def test_bytes_input_and_mp3_through_pyav(tmp_path):
    path = write_wav(tmp_path / "a.wav", _tone(16000, 1.0), 16000)
    a = load_audio(path.read_bytes())
    assert a.shape == (16000,)
    # an MP3 goes through PyAV (faster_whisper.decode_audio)
    av = pytest.importorskip("av")
    mp3 = tmp_path / "a.mp3"
    with av.open(str(mp3), "w") as out:
        stream = out.add_stream("mp3", rate=16000)
        stream.layout = "mono"
        frame = av.AudioFrame.from_ndarray((_tone(16000, 1.0) * 32767).astype(np.int16)[None, :],
                                           format="s16", layout="mono")
        frame.sample_rate = 16000
        for packet in stream.encode(frame):
            out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
    b = load_audio(mp3)
    assert abs(b.shape[0] - 16000) < 2000 and rms_level(b) > 0.2
    assert load_audio(mp3.read_bytes()).shape == b.shape


def test_numpy_input_int16_stereo_and_channels_first():
    tone = _tone(8000, 1.0)
    a = load_audio(tone, 16000, from_rate=8000)
    assert abs(a.shape[0] - 16000) <= 2
    pcm = (np.stack([tone, tone], axis=1) * 32767).astype(np.int16)
    b = load_audio(pcm, 16000, from_rate=8000)
    assert np.allclose(a, b, atol=1e-3)
    c = load_audio(np.stack([tone, tone]), 16000, from_rate=8000)  # (channels, frames)
    assert np.allclose(a, c, atol=1e-5)


def test_resample_roundtrip_keeps_frequency():
    x = _tone(48000, 1.0, freq=1000)
    y = resample(x, 48000, 16000)
    assert y.dtype == np.float32 and y.shape == (16000,)
    spectrum = np.abs(np.fft.rfft(y))
    assert abs(int(np.argmax(spectrum)) - 1000) <= 1
    assert resample(x, 48000, 48000) is not None and resample(x, 48000, 48000).shape == x.shape


@pytest.mark.parametrize("make", [
    lambda p: b"",
    lambda p: b"RIFF\x24\x00\x00\x00WAVEfmt garbage that is not a header at all",
    lambda p: bytes(np.random.default_rng(0).integers(0, 256, 4000, dtype=np.uint8)),
    lambda p: np.zeros(0, dtype=np.float32),
    lambda p: np.array([0.0, np.nan], dtype=np.float32),
    lambda p: p / "missing.wav",
    lambda p: (p / "empty.wav").write_bytes(b"") or p / "empty.wav",
    lambda p: (p / "text.ogg").write_text("hello, not audio") and p / "text.ogg",
    lambda p: 12345,
])
def test_bad_audio_raises_bad_input(tmp_path, make):
    with pytest.raises(BadInput) as err:
        load_audio(make(tmp_path))
    assert "\n" not in str(err.value) and len(str(err.value)) < 200


def test_zero_length_wav_file(tmp_path):
    path = tmp_path / "zero.wav"
    sf.write(path, np.zeros(0, dtype=np.float32), 16000, subtype="PCM_16")
    with pytest.raises(BadInput, match="no samples"):
        load_audio(path)


def test_write_wav_is_pcm16(tmp_path):
    path = write_wav(tmp_path / "sub" / "x.wav", np.array([0.0, 0.5, -2.0], dtype=np.float32), 22050)
    info = sf.info(path)
    assert info.subtype == "PCM_16" and info.samplerate == 22050 and info.frames == 3
    data, _ = sf.read(path, dtype="float32")
    assert data[2] == pytest.approx(-1.0, abs=1e-3)  # clipped, not wrapped


def test_levels():
    assert rms_level(np.zeros(100)) == 0.0 and rms_dbfs(np.zeros(100)) == -120.0
    assert rms_dbfs(np.ones(100)) == pytest.approx(0.0)
    assert rms_dbfs(_tone(16000, amp=1.0)) == pytest.approx(-3.01, abs=0.05)
    assert peak_level(_tone(16000, amp=0.25)) == pytest.approx(0.25, abs=1e-3)
    assert level_meter(np.zeros(10)) == 0.0 and level_meter(np.ones(10)) == 1.0
    assert 0.0 < level_meter(_tone(16000, amp=0.01)) < 0.5
    assert rms_level(np.zeros(0)) == 0.0
