"""Speech synthesis: Piper (ONNX) and Coqui TTS engines behind one Protocol, plus the text
handling that makes chat replies speakable (Markdown, URLs, numbers) and a sentence-streaming
``Synthesizer`` so playback can start after the first sentence.

Heavy libraries (piper, onnxruntime, torch, TTS, safetensors) are imported inside the engines.
Coqui weights load from ``model.safetensors`` by default; a pickle ``.pth`` checkpoint is refused
unless listed in ``models.trusted_files`` and is then read with ``weights_only=True``.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, runtime_checkable

import numpy as np

from .audio import resample, write_wav
from .cancel import CancelToken
from .errors import BadInput, ModelUnavailable
from .events import SpeechChunk
from .footprint import Footprint, file_footprint, tensor_footprint
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
            raise ModelUnavailable(f"Piper voice {onnx_path} does not exist; choose a .onnx voice file in settings",
                                   role="tts", model=str(onnx_path))
        if not config_path.is_file():
            raise ModelUnavailable(f"Piper voice config {config_path.name} is missing; put it next to "
                                   f"{onnx_path.name} (it is downloaded with the voice)", role="tts",
                                   model=str(onnx_path))
        try:
            from piper import PiperVoice
            from piper.config import SynthesisConfig
        except ImportError as e:  # pragma: no cover
            raise ModelUnavailable("Piper voices need piper-tts; install it with pip install piper-tts",
                                   role="tts") from e
        if use_cuda:
            import onnxruntime

            use_cuda = "CUDAExecutionProvider" in onnxruntime.get_available_providers()
        try:
            self._voice = PiperVoice.load(onnx_path, config_path=config_path, use_cuda=use_cuda)
        except Exception as e:
            raise ModelUnavailable(f"cannot load Piper voice {onnx_path.name}: {_first_line(e)}; "
                                   "check that the .onnx and .onnx.json belong together", role="tts",
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
                raise BadInput(f"voice {speaker!r} is not in {self.name}; choose one of "
                               f"{', '.join(sorted(ids)) or 'its default voice only'}")
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
            raise ModelUnavailable(f"no config.json in {folder}; a Coqui voice is a folder with config.json "
                                   "and model.safetensors", role="tts", model=str(folder))
        weights = folder / "model.safetensors"
        if not weights.is_file():
            found = [folder / n for n in _COQUI_CHECKPOINT_NAMES if (folder / n).is_file()]
            found = found or sorted(folder.glob("*.pth"))
            if not found:
                raise ModelUnavailable(f"no weights in {folder}: expected model.safetensors (or a .pth "
                                       "checkpoint)", role="tts", model=str(folder))
            weights = found[0]
        trusted_files = list(trusted_files)
        ensure_loadable([weights], trusted_files)  # refuse untrusted pickles before importing anything

        try:
            import torch
            from TTS.config import load_config
            from TTS.tts.models import setup_model
        except ImportError as e:  # pragma: no cover
            raise ModelUnavailable("Coqui voices need coqui-tts; install it with pip install "
                                   "'coqui-tts[codec]' six", role="tts") from e
        try:
            config = load_config(str(config_path))
            model = setup_model(config)
        except Exception as e:
            raise ModelUnavailable(f"cannot build the Coqui model from {config_path}: {_first_line(e)}; "
                                   "check that config.json is a Coqui TTS config", role="tts",
                                   model=folder.name) from e
        state = self._read_state(weights, trusted_files)
        state = {k: v for k, v in state.items() if "speaker_encoder" not in k}
        try:
            model.load_state_dict(state, strict=True)
        except RuntimeError as e:
            raise ModelUnavailable(f"the weights in {weights.name} do not match {config_path.name} "
                                   f"({_first_line(e)[:120]}); use the config that came with the weights",
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
                raise ModelUnavailable(f"cannot read {weights.name}: {_first_line(e)}; the file may be "
                                       "incomplete, download it again", role="tts") from e
        import pickle

        try:
            ckpt = safe_torch_load(weights, trusted_files)
        except pickle.UnpicklingError as e:
            raise ModelUnavailable(f"{weights.name} holds objects other than tensors, so it was not loaded "
                                   "even though it is trusted; convert it to model.safetensors", role="tts") from e
        if isinstance(ckpt, dict) and isinstance(ckpt.get("model"), dict):
            return ckpt["model"]
        if isinstance(ckpt, dict):
            return ckpt
        raise ModelUnavailable(f"{weights.name} is not a Coqui checkpoint (no state dict); "
                               "use the model's own checkpoint file", role="tts")

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
        return np.clip(np.nan_to_num(wav), -1.0, 1.0)


# --------------------------------------------------------------------------------------------
# Text for speech
# --------------------------------------------------------------------------------------------

_ABBREVIATIONS = frozenset("""
mr mrs ms dr prof sr jr st mt vs etc e.g i.e cf al approx no nos fig figs vol vols p pp ed eds
inc ltd co corp dept est jan feb mar apr jun jul aug sep sept oct nov dec mon tue wed thu fri sat sun
a.m p.m u.s u.k u.n ph.d b.sc m.sc gen col lt sgt capt rev hon
""".split())

_EN_END = re.compile(r"""[.!?…]+["'”’)\]]*(?=\s)""")
_ZH_END = re.compile(r"""[。！？；]+["'”’」』）)]*""")
_MAX_SENTENCE = 300


def _is_abbreviation(before: str) -> bool:
    token = before.split()[-1] if before.split() else ""
    token = token.lstrip("(\"'“‘[").lower()
    if not token.endswith("."):
        return False
    core = token[:-1]
    if core in _ABBREVIATIONS:
        return True
    if re.fullmatch(r"[a-z]", core):  # an initial: "J. R. R. Tolkien"
        return True
    return bool(re.fullmatch(r"(?:[a-z]\.)+[a-z]", core))  # e.g / i.e / u.s.a


def _split_long(sentence: str, limit: int = _MAX_SENTENCE) -> list[str]:
    if len(sentence) <= limit:
        return [sentence]
    out, cur = [], ""
    for piece in re.split(r"(?<=[,;:，；：])\s*", sentence):
        if cur and len(cur) + len(piece) + 1 > limit:
            out.append(cur.strip())
            cur = ""
        cur = f"{cur} {piece}" if cur else piece
    if cur.strip():
        out.append(cur.strip())
    return out


def split_sentences(text: str) -> list[str]:
    """Split into sentences for speaking: at . ! ? … (English, followed by a space), at 。！？；
    (Chinese, no space needed), and at blank lines. Abbreviations ("e.g.", "Dr.", "a.m.") and
    initials do not end a sentence; very long sentences are cut at commas."""
    sentences: list[str] = []
    for para in re.split(r"\n\s*\n", text):
        para = " ".join(para.split())
        if not para:
            continue
        cuts = []
        for m in _EN_END.finditer(para):
            if m.group(0).startswith(".") and len(m.group(0).rstrip("\"'”’)]")) == 1:
                if _is_abbreviation(para[: m.end()].rstrip("\"'”’)]")):
                    continue
            cuts.append(m.end())
        cuts.extend(m.end() for m in _ZH_END.finditer(para))
        start = 0
        for cut in sorted(set(cuts)):
            piece = para[start:cut].strip()
            if piece:
                sentences.append(piece)
            start = cut
        rest = para[start:].strip()
        if rest:
            sentences.append(rest)
    out: list[str] = []
    for s in sentences:
        out.extend(_split_long(s))
    return [s for s in out if any(ch.isalnum() for ch in s)]


# Markdown ----------------------------------------------------------------------------------

CODE_OMITTED = "(code omitted)"
_FENCE = re.compile(r"(^|\n)[ \t]*(```|~~~)[^\n]*\n.*?(?:\n[ \t]*\2[ \t]*(?=\n|$)|$)", re.S)
_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]+)\]\((?:[^()]|\([^)]*\))*\)")
_REF_LINK = re.compile(r"\[([^\]]+)\]\[[^\]]*\]")
_REF_DEF = re.compile(r"^\s*\[[^\]]+\]:\s*\S+.*$", re.M)
_AUTOLINK = re.compile(r"<((?:https?|ftp)://[^>\s]+)>")
_URL = re.compile(r"\b(?:(?:https?|ftp)://|www\.)[^\s<>\"')\]]+", re.I)
_EMAIL = re.compile(r"\b([\w.+-]+)@([\w-]+(?:\.[\w-]+)+)\b")
_HTML = re.compile(r"</?[a-zA-Z][^>]*>")
_INLINE_CODE = re.compile(r"`([^`\n]+)`")
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$")
_BULLET = re.compile(r"^\s*(?:[-*+•]|\d{1,3}[.)])\s+(.*)$")
_QUOTE = re.compile(r"^\s*>+\s?(.*)$")
_RULE = re.compile(r"^\s*(?:[-*_]\s*){3,}$")
_TABLE_SEP = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_EMPHASIS = [
    re.compile(r"\*\*\*(.+?)\*\*\*"), re.compile(r"\*\*(.+?)\*\*"), re.compile(r"__(.+?)__"),
    re.compile(r"~~(.+?)~~"), re.compile(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])"),
    re.compile(r"(?<![\w_])_(?!\s)(.+?)(?<!\s)_(?![\w_])"),
]
_SENTENCE_END = tuple(".!?;:,。！？；：，…")


def _domain(url: str) -> str:
    host = re.sub(r"^(?:[a-z]+://)?", "", url, flags=re.I).split("/")[0].split("?")[0].split("#")[0]
    host = host.split("@")[-1].split(":")[0]
    host = re.sub(r"^www\.", "", host, flags=re.I)
    return host.rstrip(".").replace(".", " dot ")


def _strip_markdown(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _FENCE.sub(lambda m: f"{m.group(1)}{CODE_OMITTED}.\n\n", text)
    text = _REF_DEF.sub("", text)
    text = _IMAGE.sub(lambda m: m.group(1) or "image", text)
    text = _LINK.sub(lambda m: m.group(1), text)
    text = _REF_LINK.sub(lambda m: m.group(1), text)
    text = _AUTOLINK.sub(lambda m: _domain(m.group(1)), text)
    text = _URL.sub(lambda m: _domain(m.group(0)), text)
    text = _EMAIL.sub(lambda m: f"{m.group(1)} at {_domain(m.group(2))}", text)
    text = _HTML.sub("", text)
    text = _INLINE_CODE.sub(lambda m: m.group(1) if len(m.group(1)) <= 40 else CODE_OMITTED, text)
    for rx in _EMPHASIS:
        text = rx.sub(lambda m: m.group(1), text)

    lines_out: list[str] = []
    paragraph: list[str] = []

    def flush() -> None:
        if paragraph:
            lines_out.append(" ".join(paragraph))
            paragraph.clear()

    def block(line: str) -> None:  # a line that stands alone: end it so the voice pauses
        flush()
        line = line.strip()
        if line:
            lines_out.append(line if line.endswith(_SENTENCE_END) else line + ".")

    for raw in text.split("\n"):
        line = raw.rstrip()
        if not line.strip():
            flush()
            lines_out.append("")
            continue
        if _RULE.match(line) or _TABLE_SEP.match(line):
            flush()
            continue
        if m := _HEADING.match(line):
            block(m.group(1))
            continue
        if m := _QUOTE.match(line):
            line = m.group(1)
            if not line.strip():
                continue
        if m := _BULLET.match(line):
            block(m.group(1))
            continue
        if "|" in line and line.strip().startswith("|"):
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            block(", ".join(c for c in cells if c))
            continue
        paragraph.append(line.strip())
    flush()
    out = "\n".join(lines_out)
    return re.sub(r"\n{3,}", "\n\n", out).strip()


# Numbers -----------------------------------------------------------------------------------

_CURRENCIES = {
    "$": ("dollar", "dollars", "cent", "cents"),
    "€": ("euro", "euros", "cent", "cents"),
    "£": ("pound", "pounds", "penny", "pence"),
    "¥": ("yen", "yen", "", ""),
    "₹": ("rupee", "rupees", "paisa", "paise"),
}
_MONEY = re.compile(r"([$€£¥₹])\s?(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?(?!\d)(\s?(?:k|m|bn|million|billion|thousand)\b)?",
                    re.I)
_PERCENT = re.compile(r"(?<![\w.])(-?\d+(?:\.\d+)?)\s?%")
_ORDINAL = re.compile(r"\b(\d+)(st|nd|rd|th)\b", re.I)
_NUMBER = re.compile(r"(?<![\w.])(-)?(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?(?![\w])")
_SCALE_WORDS = {"k": "thousand", "m": "million", "bn": "billion"}


def _n2w(value, lang: str, **kw) -> str:
    from num2words import num2words

    return num2words(value, lang=lang, **kw)


def _cardinal(digits: str, lang: str) -> str:
    digits = digits.replace(",", "")
    if len(digits) > 15 or (len(digits) > 1 and digits.startswith("0")):  # ids, phone numbers, zip codes
        return " ".join(_n2w(int(d), lang) for d in digits)
    return _n2w(int(digits), lang)


def _decimal(intpart: str, frac: str, lang: str) -> str:
    return f"{_cardinal(intpart, lang)} point " + " ".join(_n2w(int(d), lang) for d in frac)


def _money(m: re.Match, lang: str) -> str:
    one, many, sub_one, sub_many = _CURRENCIES[m.group(1)]
    whole = m.group(2).replace(",", "")
    cents = m.group(3)
    scale = (m.group(4) or "").strip().lower()
    if scale:
        scale = _SCALE_WORDS.get(scale, scale)
        amount = _decimal(whole, cents, lang) if cents else _cardinal(whole, lang)
        return f"{amount} {scale} {many}"
    words = f"{_cardinal(whole, lang)} {one if int(whole) == 1 else many}"
    if cents and int(cents.ljust(2, '0')) and sub_one:
        c = int(cents.ljust(2, "0"))
        words += f" and {_n2w(c, lang)} {sub_one if c == 1 else sub_many}"
    return words


def _number(m: re.Match, lang: str) -> str:
    sign, intpart, frac = m.group(1), m.group(2), m.group(3)
    if frac is not None:
        words = _decimal(intpart, frac, lang)
    elif "," not in intpart and len(intpart) == 4 and 1100 <= int(intpart) <= 2099:
        words = _n2w(int(intpart), lang, to="year")
    else:
        words = _cardinal(intpart, lang)
    return f"minus {words}" if sign else words


def _speak_numbers(text: str, lang: str) -> str:
    try:
        _n2w(1, lang)
    except (NotImplementedError, KeyError, ImportError):
        return text  # num2words does not know this language: leave digits to the voice
    text = _MONEY.sub(lambda m: _money(m, lang), text)
    def percent(m: re.Match) -> str:
        n = _NUMBER.match(m.group(1))
        return f"{_number(n, lang)} percent" if n else m.group(0)

    text = _PERCENT.sub(percent, text)
    text = _ORDINAL.sub(lambda m: _n2w(int(m.group(1)), lang, to="ordinal"), text)
    # "10-20" reads "ten to twenty"; a dash between numbers is not a minus sign
    text = re.sub(r"(?<=\d)\s?[-–]\s?(?=\d)", " to ", text)
    text = _NUMBER.sub(lambda m: _number(m, lang), text)
    return text


def normalize_for_speech(text: str, language: str = "en") -> str:
    """Make text sound right when spoken: Markdown removed (code blocks become "(code omitted)",
    links read their text, bare URLs their domain), numbers, decimals, percentages, currency and
    years written out in words (num2words), emoji and stray symbols dropped."""
    text = _strip_markdown(text)
    lang = (language or "en").split("-")[0].split("_")[0].lower()
    if lang in ("en", ""):
        text = text.replace("&", " and ")
    text = _speak_numbers(text, lang or "en")
    text = "".join(ch for ch in text if unicodedata.category(ch) not in ("So", "Cs", "Co", "Cn")
                   or ch in "\n")
    text = re.sub(r"[*_#`~<>|\\^]+", " ", text)
    lines = [" ".join(line.split()) for line in text.split("\n")]
    text = "\n".join(lines)
    text = re.sub(r"\s+([,.;:!?])", r"\1", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


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

    def stream(self, text: str, cancel: CancelToken | None = None) -> Iterator[SpeechChunk]:
        """One ``SpeechChunk`` per sentence, all at ``self.sample_rate``; checks ``cancel`` between them."""
        for index, sentence in enumerate(self.sentences(text)):
            if cancel is not None:
                cancel.raise_if_cancelled()
            audio = np.asarray(self.engine.synthesize(sentence), dtype=np.float32).reshape(-1)
            if self.engine.sample_rate != self.sample_rate:
                audio = resample(audio, self.engine.sample_rate, self.sample_rate)
            yield SpeechChunk(audio=audio, sample_rate=self.sample_rate, text=sentence, index=index)

    def synthesize(self, text: str, cancel: CancelToken | None = None, *, pause_s: float = 0.15) -> np.ndarray:
        gap = np.zeros(int(pause_s * self.sample_rate), dtype=np.float32)
        parts: list[np.ndarray] = []
        for chunk in self.stream(text, cancel):
            if parts:
                parts.append(gap)
            parts.append(chunk.audio)
        return np.concatenate(parts) if parts else np.zeros(0, dtype=np.float32)

    def synthesize_to_file(self, text: str, path: str | Path, cancel: CancelToken | None = None) -> Path:
        audio = self.synthesize(text, cancel)
        if audio.size == 0:
            raise BadInput("there is nothing to say: the text has no words after removing code and markup")
        return write_wav(path, audio, self.sample_rate)


# --------------------------------------------------------------------------------------------
# Factory
# --------------------------------------------------------------------------------------------


def load(resolved: ResolvedModel, device: DeviceChoice, settings: Settings) -> SpeechEngine:
    """Build the engine for a catalog entry: format 'piper' (a .onnx) or 'coqui' (a folder)."""
    path = Path(resolved.path)
    voice = settings.voice.voice or None
    if resolved.format == "piper":
        config = resolved.extra.get("config_path") if resolved.extra else None
        return PiperEngine(path, config_path=config, speaker=voice, use_cuda=device.device == "cuda")
    if resolved.format == "coqui":
        return CoquiEngine(path, trusted_files=settings.models.trusted_files,
                           device="cuda" if device.device == "cuda" else "cpu", speaker=voice)
    raise ModelUnavailable(f"speech model {resolved.name} has format {resolved.format!r}; use a Piper .onnx "
                           "voice or a Coqui folder", role="tts", model=resolved.name)
