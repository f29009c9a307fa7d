"""Audio in and out: decode anything to float32 mono at one rate, write WAV, level meter helpers.

``load_audio`` accepts a path, the bytes of an encoded file, or a numpy array (with ``from_rate``).
WAV/FLAC/OGG are read with soundfile; other codecs (MP3, M4A, WebM, ...) go through PyAV via
``faster_whisper.decode_audio``, imported only when needed. Audio that cannot be used raises
``BadInput`` with a one-line message.
"""
from __future__ import annotations

import io
import math
from pathlib import Path

import numpy as np

from .errors import BadInput

__all__ = [
    "AudioSource",
    "load_audio",
    "resample",
    "to_mono",
    "write_wav",
    "rms_level",
    "rms_dbfs",
    "peak_level",
    "level_meter",
]

AudioSource = str | Path | bytes | bytearray | memoryview | np.ndarray

_SILENCE_DBFS = -120.0


def to_mono(audio: np.ndarray, *, channels_last: bool | None = None) -> np.ndarray:
    """Downmix to one channel (mean of channels). 2-D input is (frames, channels) unless it is
    obviously (channels, frames), i.e. the first axis is small and the second large."""
    a = np.asarray(audio)
    if a.ndim == 1:
        return a
    if a.ndim != 2:
        raise BadInput("audio array has {ndim} dimensions; pass a 1-D mono or 2-D (frames, channels) array",
                       code="audio.bad_dimensions", ndim=a.ndim)
    if channels_last is None:
        channels_last = not (a.shape[0] <= 8 and a.shape[1] > a.shape[0])
    return a.mean(axis=1 if channels_last else 0, dtype=np.float64).astype(np.float32)


def _as_float32(a: np.ndarray) -> np.ndarray:
    """Integer PCM is scaled to [-1, 1]; floats are cast."""
    if a.dtype.kind == "f":
        return a.astype(np.float32, copy=False)
    if a.dtype.kind == "i":
        return (a.astype(np.float32) / float(2 ** (8 * a.dtype.itemsize - 1))).astype(np.float32)
    if a.dtype.kind == "u":  # unsigned PCM (8-bit WAV)
        half = float(2 ** (8 * a.dtype.itemsize - 1))
        return ((a.astype(np.float32) - half) / half).astype(np.float32)
    if a.dtype.kind == "b":
        return a.astype(np.float32)
    raise BadInput("audio array has unsupported dtype {dtype}; pass float32 or int16 samples",
                   code="audio.bad_dtype", dtype=a.dtype)


def resample(audio: np.ndarray, from_rate: int, to_rate: int) -> np.ndarray:
    """Resample mono (1-D) or (frames, channels) audio; float32 out. soxr if present, else scipy."""
    a = np.asarray(audio, dtype=np.float32)
    from_rate, to_rate = int(from_rate), int(to_rate)
    if from_rate <= 0 or to_rate <= 0:
        raise BadInput("invalid sample rate ({from_rate} -> {to_rate} Hz); rates must be positive",
                       code="audio.bad_sample_rate", from_rate=from_rate, to_rate=to_rate)
    if from_rate == to_rate or a.shape[0] == 0:
        return np.ascontiguousarray(a)
    try:
        import soxr

        out = soxr.resample(a, from_rate, to_rate, quality="HQ")
    except ImportError:  # pragma: no cover - soxr is a dependency; scipy is the fallback
        from scipy.signal import resample_poly

        g = math.gcd(from_rate, to_rate)
        out = resample_poly(a, to_rate // g, from_rate // g, axis=0)
    return np.ascontiguousarray(out, dtype=np.float32)


def _read_soundfile(data) -> tuple[np.ndarray, int] | None:
    """Try soundfile; None when the container is not one libsndfile knows."""
    import soundfile as sf

    try:
        a, rate = sf.read(data, dtype="float32", always_2d=True)
    except (sf.LibsndfileError, RuntimeError, TypeError, ValueError):
        return None
    return a.mean(axis=1).astype(np.float32, copy=False), int(rate)


def _decode_av(data, sample_rate: int, what: str) -> np.ndarray:
    try:
        from faster_whisper import decode_audio
    except ImportError:  # pragma: no cover
        raise BadInput("cannot decode {what}: only WAV, FLAC and OGG are supported without PyAV; "
                       "convert it to WAV", code="audio.needs_pyav", what=what) from None
    try:
        return np.asarray(decode_audio(data, sampling_rate=sample_rate), dtype=np.float32)
    except Exception as e:  # av.error.* and friends: corrupt or unsupported
        raise BadInput("cannot decode {what}: it is not a supported or intact audio file "
                       "({kind}); try WAV, FLAC, OGG or MP3", code="audio.undecodable", what=what,
                       kind=type(e).__name__) from e


def load_audio(source: AudioSource, sample_rate: int = 16000, *, from_rate: int | None = None) -> np.ndarray:
    """Decode ``source`` to float32 mono at ``sample_rate``.

    ``source`` is a file path, the bytes of an encoded audio file, or a numpy array of samples
    (1-D mono or 2-D (frames, channels)) recorded at ``from_rate`` (default: ``sample_rate``).
    """
    if isinstance(source, np.ndarray):
        rate = int(from_rate or sample_rate)
        a = to_mono(_as_float32(np.asarray(source)))
        what = "the audio array"
    elif isinstance(source, (bytes, bytearray, memoryview)):
        raw = bytes(source)
        what = "the audio data"
        if not raw:
            raise BadInput("the audio data is empty; record or choose a non-empty audio file",
                           code="audio.empty_data")
        got = _read_soundfile(io.BytesIO(raw))
        if got is None:
            a, rate = _decode_av(io.BytesIO(raw), sample_rate, what), sample_rate
        else:
            a, rate = got
    elif isinstance(source, (str, Path)):
        path = Path(source).expanduser()
        what = path.name or str(path)
        if not path.is_file():
            raise BadInput("audio file {path} does not exist; check the path", code="audio.file_missing",
                           path=path)
        if path.stat().st_size == 0:
            raise BadInput("audio file {what} is empty (0 bytes); record or choose another file",
                           code="audio.file_empty", what=what)
        got = _read_soundfile(str(path))
        if got is None:
            a, rate = _decode_av(str(path), sample_rate, what), sample_rate
        else:
            a, rate = got
    else:
        raise BadInput("cannot use {kind} as audio; pass a file path, bytes or a numpy array",
                       code="audio.bad_source", kind=type(source).__name__)

    if a.size == 0:
        raise BadInput("{what} contains no samples (zero length); record or choose another file",
                       code="audio.no_samples", what=what)
    if not np.all(np.isfinite(a)):
        raise BadInput("{what} contains NaN or infinite samples; pass valid audio", code="audio.not_finite",
                       what=what)
    return resample(a, rate, sample_rate)


def write_wav(path: str | Path, audio: np.ndarray, sample_rate: int) -> Path:
    """Write mono (or (frames, channels)) float audio as 16-bit PCM WAV; returns the path."""
    import soundfile as sf

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    a = np.clip(_as_float32(np.asarray(audio)), -1.0, 1.0)
    sf.write(str(path), a, int(sample_rate), subtype="PCM_16", format="WAV")
    return path


def rms_level(audio: np.ndarray) -> float:
    """Root-mean-square level in [0, 1] (0 for empty input)."""
    a = np.asarray(audio, dtype=np.float32)
    if a.size == 0:
        return 0.0
    return float(np.sqrt(np.mean(np.square(a, dtype=np.float64))))


def rms_dbfs(audio: np.ndarray) -> float:
    """RMS level in dB relative to full scale (a full-scale sine is about -3 dBFS); -120 for silence."""
    rms = rms_level(audio)
    return _SILENCE_DBFS if rms <= 1e-6 else max(_SILENCE_DBFS, 20.0 * math.log10(rms))


def peak_level(audio: np.ndarray) -> float:
    a = np.asarray(audio, dtype=np.float32)
    return float(np.max(np.abs(a))) if a.size else 0.0


def level_meter(audio: np.ndarray, floor_db: float = -60.0) -> float:
    """Level for a meter widget: RMS in dBFS mapped linearly from ``floor_db``..0 to 0..1."""
    db = rms_dbfs(audio)
    return float(min(1.0, max(0.0, (db - floor_db) / -floor_db)))
