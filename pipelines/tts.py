"""Speech synthesis: Piper (ONNX) and Coqui TTS engines behind one Protocol, and a
sentence-streaming ``Synthesizer`` so playback can start after the first sentence. The text
handling that makes chat replies speakable (Markdown, URLs, numbers) is in ``speech_text``;
``split_sentences`` and ``normalize_for_speech`` are re-exported here.

Heavy libraries (piper, onnxruntime, torch, TTS, safetensors) are imported inside the engines.
Coqui weights load from ``model.safetensors`` by default; a pickle ``.pth`` checkpoint is refused
unless listed in ``models.trusted_files`` and is then read with ``weights_only=True``.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, runtime_checkable

import numpy as np

from .audio import resample, write_wav
from .cancel import CancelToken
from .errors import BadInput, ModelUnavailable
from .events import SpeechChunk
from .footprint import Footprint, file_footprint, tensor_footprint
from .speech_text import normalize_for_speech, split_sentences
from .trust import ensure_loadable, safe_torch_load

if TYPE_CHECKING:
    from .catalog import ResolvedModel
    from .devices import DeviceChoice
    from .settings import Settings

__all__ = [
    "SpeechEngine",
    "PiperEngine",
    "CoquiEngine",
    "Synthesizer",
    "split_sentences",
    "normalize_for_speech",
    "load",
]


# --------------------------------------------------------------------------------------------
# Engines
# --------------------------------------------------------------------------------------------


@runtime_checkable
class SpeechEngine(Protocol):
    """A loaded voice: text in, float32 mono samples at ``sample_rate`` out."""

    sample_rate: int

    def synthesize(self, text: str) -> np.ndarray: ...

    def voices(self) -> tuple[str, ...]: ...


def _first_line(e: BaseException) -> str:
    s = str(e).strip()
    return s.splitlines()[0] if s else type(e).__name__


class PiperEngine:
    """A Piper voice (``.onnx`` plus its ``.onnx.json`` config) run with onnxruntime."""

    def __init__(self, onnx_path: str | Path, config_path: str | Path | None = None, *,
                 speaker: str | int | None = None, use_cuda: bool = False,
                 length_scale: float | None = None, volume: float = 0.9):
        onnx_path = Path(onnx_path).expanduser()
        config_path = Path(config_path).expanduser() if config_path else Path(f"{onnx_path}.json")
        if not onnx_path.is_file():
            raise ModelUnavailable("Piper voice {onnx_path} does not exist; choose a .onnx voice file in settings",
                                   code="tts.piper_voice_missing", onnx_path=onnx_path,
                                   role="tts", model=str(onnx_path))
        if not config_path.is_file():
            raise ModelUnavailable("Piper voice config {config} is missing; put it next to "
                                   "{voice} (it is downloaded with the voice)",
                                   code="tts.piper_config_missing", config=config_path.name,
                                   voice=onnx_path.name, role="tts",
                                   model=str(onnx_path))
        try:
            from piper import PiperVoice
            from piper.config import SynthesisConfig
        except ImportError as e:  # pragma: no cover
            raise ModelUnavailable("Piper voices need piper-tts; install it with pip install piper-tts",
                                   code="tts.piper_not_installed",
                                   role="tts") from e
        if use_cuda:
            import onnxruntime

            use_cuda = "CUDAExecutionProvider" in onnxruntime.get_available_providers()
        try:
            self._voice = PiperVoice.load(onnx_path, config_path=config_path, use_cuda=use_cuda)
        except Exception as e:
            raise ModelUnavailable("cannot load Piper voice {name}: {error}; "
                                   "check that the .onnx and .onnx.json belong together",
                                   code="tts.piper_load_failed", name=onnx_path.name, error=_first_line(e), role="tts",
                                   model=onnx_path.name) from e
        self.path = onnx_path
        self.name = onnx_path.stem
        self._on_gpu = use_cuda
        # the status shows where it really runs: the CPU onnxruntime build ignores a cuda device
        self.device_name = "cuda" if use_cuda else "cpu"
        self.sample_rate = int(self._voice.config.sample_rate)
        speaker_id = None
        if speaker not in (None, ""):
            ids = self._voice.config.speaker_id_map
            if isinstance(speaker, int) or str(speaker).isdigit():
                speaker_id = int(speaker)
            elif speaker in ids:
                speaker_id = ids[speaker]
            else:
                raise BadInput("voice {speaker} is not in {name}; choose one of "
                               "{choices}", code="tts.unknown_speaker", speaker=repr(speaker),
                               name=self.name, choices=', '.join(sorted(ids)) or 'its default voice only')
        self._syn_config = SynthesisConfig(speaker_id=speaker_id, length_scale=length_scale, volume=volume)

    def voices(self) -> tuple[str, ...]:
        names = tuple(self._voice.config.speaker_id_map)
        return names or (self.name,)

    def footprint(self) -> Footprint:
        """The ONNX weights: in GPU memory with the CUDA provider, else in RAM."""
        return file_footprint([self.path], on_device=self._on_gpu)

    def synthesize(self, text: str) -> np.ndarray:
        parts = [c.audio_float_array for c in self._voice.synthesize(text, syn_config=self._syn_config)]
        if not parts:
            return np.zeros(0, dtype=np.float32)
        return np.concatenate(parts).astype(np.float32, copy=False)


_COQUI_CHECKPOINT_NAMES = ("model.pth", "best_model.pth", "checkpoint.pth", "model_file.pth")


class CoquiEngine:
    """A Coqui TTS model folder: ``config.json`` plus ``model.safetensors`` (preferred) or a
    pickle ``.pth`` checkpoint that the user has listed in ``trusted_files``."""

    def __init__(self, model_dir: str | Path, *, trusted_files: Iterable[str] = (), device: str = "cpu",
                 speaker: str | None = None, language: str | None = None):
        folder = Path(model_dir).expanduser()
        config_path = folder / "config.json"
        if not config_path.is_file():
            raise ModelUnavailable("no config.json in {folder}; a Coqui voice is a folder with config.json "
                                   "and model.safetensors", code="tts.coqui_no_config", folder=folder, role="tts",
                                   model=str(folder))
        weights = folder / "model.safetensors"
        if not weights.is_file():
            found = [folder / n for n in _COQUI_CHECKPOINT_NAMES if (folder / n).is_file()]
            found = found or sorted(folder.glob("*.pth"))
            if not found:
                raise ModelUnavailable("no weights in {folder}: expected model.safetensors (or a .pth "
                                       "checkpoint)", code="tts.coqui_no_weights", folder=folder, role="tts",
                                       model=str(folder))
            weights = found[0]
        trusted_files = list(trusted_files)
        ensure_loadable([weights], trusted_files)  # refuse untrusted pickles before importing anything

        try:
            import torch
            from TTS.config import load_config
            from TTS.tts.models import setup_model
        except ImportError as e:  # pragma: no cover
            raise ModelUnavailable("Coqui voices need coqui-tts; install it with pip install "
                                   "'coqui-tts[codec]' six", code="tts.coqui_not_installed", role="tts") from e
        try:
            config = load_config(str(config_path))
            model = setup_model(config)
        except Exception as e:
            raise ModelUnavailable("cannot build the Coqui model from {config_path}: {error}; "
                                   "check that config.json is a Coqui TTS config",
                                   code="tts.coqui_build_failed", config_path=config_path,
                                   error=_first_line(e), role="tts",
                                   model=folder.name) from e
        state = self._read_state(weights, trusted_files)
        state = {k: v for k, v in state.items() if "speaker_encoder" not in k}
        try:
            model.load_state_dict(state, strict=True)
        except RuntimeError as e:
            raise ModelUnavailable("the weights in {weights} do not match {config} "
                                   "({error}); use the config that came with the weights",
                                   code="tts.coqui_weights_mismatch", weights=weights.name,
                                   config=config_path.name, error=_first_line(e)[:120],
                                   role="tts", model=folder.name) from e
        model.eval()
        if device != "cpu":
            model.to(device)
        self._torch = torch
        self._model = model
        self._config = config
        self.path = folder
        self.weights = weights
        self.name = folder.name
        audio = config.audio
        self.sample_rate = int(audio.get("output_sample_rate") or audio["sample_rate"])
        self.speaker = speaker or None
        self.language = language or None

    @staticmethod
    def _read_state(weights: Path, trusted_files: list[str]) -> dict:
        if weights.suffix == ".safetensors":
            from safetensors.torch import load_file

            try:
                return load_file(str(weights), device="cpu")
            except Exception as e:
                raise ModelUnavailable("cannot read {name}: {error}; the file may be "
                                       "incomplete, download it again", code="tts.coqui_unreadable",
                                       name=weights.name, error=_first_line(e), role="tts") from e
        import pickle

        try:
            ckpt = safe_torch_load(weights, trusted_files)
        except pickle.UnpicklingError as e:
            raise ModelUnavailable("{name} holds objects other than tensors, so it was not loaded "
                                   "even though it is trusted; convert it to model.safetensors",
                                   code="tts.coqui_not_tensors", name=weights.name, role="tts") from e
        if isinstance(ckpt, dict) and isinstance(ckpt.get("model"), dict):
            return ckpt["model"]
        if isinstance(ckpt, dict):
            return ckpt
        raise ModelUnavailable("{name} is not a Coqui checkpoint (no state dict); "
                               "use the model's own checkpoint file", code="tts.not_a_checkpoint",
                               name=weights.name, role="tts")

    def footprint(self) -> Footprint:
        """The parameter and buffer bytes of the Coqui model, on its device."""
        return tensor_footprint(self._model)

    def voices(self) -> tuple[str, ...]:
        manager = getattr(self._model, "speaker_manager", None)
        names = getattr(manager, "speaker_names", None) if manager is not None else None
        return tuple(names) if names else (self.name,)

    def synthesize(self, text: str) -> np.ndarray:
        if not text.strip():
            return np.zeros(0, dtype=np.float32)
        with self._torch.inference_mode():
            out = self._model.synthesize(text, speaker=self.speaker, language=self.language,
                                         use_griffin_lim=True)
        wav = out["wav"]
        if hasattr(wav, "detach"):
            wav = wav.detach().cpu().numpy()
        wav = np.asarray(wav, dtype=np.float32).reshape(-1)
        # VITS ends in tanh, so the samples are in range: check that (min and max propagate a NaN)
        # rather than copy the audio twice on every call to repair it
        if wav.size and not (-1.0 <= float(wav.min()) and float(wav.max()) <= 1.0):
            wav = np.clip(np.nan_to_num(wav), -1.0, 1.0)
        return wav


# --------------------------------------------------------------------------------------------
# Synthesizer
# --------------------------------------------------------------------------------------------


class Synthesizer:
    """Speaks text one sentence at a time through an engine, at one output sample rate."""

    def __init__(self, engine: SpeechEngine, sample_rate: int | None = None, *, language: str = "en",
                 normalize: bool = True):
        self.engine = engine
        self.sample_rate = int(sample_rate or engine.sample_rate)
        self.language = language
        self.normalize = normalize

    def sentences(self, text: str) -> list[str]:
        if self.normalize:
            text = normalize_for_speech(text, self.language)
        return split_sentences(text)

    def synthesize_sentence(self, sentence: str) -> np.ndarray:
        """The audio of one sentence as it is (no normalisation), float32 mono at ``self.sample_rate``."""
        audio = np.asarray(self.engine.synthesize(sentence), dtype=np.float32).reshape(-1)
        if self.engine.sample_rate != self.sample_rate:
            audio = resample(audio, self.engine.sample_rate, self.sample_rate)
        return audio

    def stream(self, text: str, cancel: CancelToken | None = None) -> Iterator[SpeechChunk]:
        """One ``SpeechChunk`` per sentence, all at ``self.sample_rate``; checks ``cancel`` between them."""
        for index, sentence in enumerate(self.sentences(text)):
            if cancel is not None:
                cancel.raise_if_cancelled()
            yield SpeechChunk(audio=self.synthesize_sentence(sentence), sample_rate=self.sample_rate,
                              text=sentence, index=index)

    def synthesize(self, text: str, cancel: CancelToken | None = None, *, pause_s: float = 0.15) -> np.ndarray:
        parts: list[np.ndarray] = []
        for chunk in self.stream(text, cancel):
            if parts:
                parts.append(np.zeros(int(pause_s * self.sample_rate), dtype=np.float32))
            parts.append(chunk.audio)
        if len(parts) == 1:
            return parts[0]
        return np.concatenate(parts) if parts else np.zeros(0, dtype=np.float32)

    def synthesize_to_file(self, text: str, path: str | Path, cancel: CancelToken | None = None) -> Path:
        audio = self.synthesize(text, cancel)
        if audio.size == 0:
            raise BadInput("there is nothing to say: the text has no words after removing code and markup",
                           code="tts.nothing_to_say")
        return write_wav(path, audio, self.sample_rate)


# --------------------------------------------------------------------------------------------
# Factory
# --------------------------------------------------------------------------------------------


def _piper_file(path: Path) -> Path:
    """The .onnx of a Piper voice: the file itself, or the one voice in a folder (a download from the
    hub keeps the repository's layout: zh/zh_CN/huayan/medium/zh_CN-huayan-medium.onnx)."""
    if not path.is_dir():
        return path
    found = sorted(path.rglob("*.onnx"))
    if len(found) != 1:
        if not found:
            raise ModelUnavailable("{path} holds no .onnx voice; choose the voice's .onnx file in Settings",
                                   code="tts.piper_folder_empty", role="tts", model=path.name, path=path)
        raise ModelUnavailable("{path} holds {n} .onnx voices; choose the voice's .onnx file in Settings",
                               code="tts.piper_folder_many", role="tts", model=path.name, path=path, n=len(found))
    return found[0]


def load(resolved: ResolvedModel, device: DeviceChoice, settings: Settings) -> SpeechEngine:
    """Build the engine for a catalog entry: format 'piper' (a .onnx) or 'coqui' (a folder)."""
    path = Path(resolved.path)
    voice = settings.voice.voice or None
    if resolved.format == "piper":
        config = resolved.extra.get("config_path") if resolved.extra else None
        return PiperEngine(_piper_file(path), config_path=config, speaker=voice, use_cuda=device.device == "cuda")
    if resolved.format == "coqui":
        return CoquiEngine(path, trusted_files=settings.models.trusted_files,
                           device="cuda" if device.device == "cuda" else "cpu", speaker=voice)
    raise ModelUnavailable("speech model {name} has format {format}; use a Piper .onnx "
                           "voice or a Coqui folder", code="tts.wrong_format", name=resolved.name,
                           format=repr(resolved.format), role="tts", model=resolved.name)
