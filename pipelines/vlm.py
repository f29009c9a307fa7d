"""Image questions with a vision-language model: the ``vlm`` role (CLIP keeps ``vision``).

``TransformersVlm`` runs any transformers image-text-to-text model from a local folder through
``AutoModelForImageTextToText`` and ``AutoProcessor`` (SmolVLM / Idefics3, Qwen2.5-VL): the
question goes in through the model's own chat template with an image content part, the answer
streams out token by token (transformers' ``TextIteratorStreamer``) and a stopping criterion checks
the ``CancelToken`` between tokens. Earlier questions and answers about the same picture
(``history``) become the earlier turns of the chat, with the picture in the first one, so a
follow-up question is answered in context.

Weights load from safetensors only, never from the network (``local_files_only``); fp16/bf16 on a
GPU (the device choice's dtype), fp32 on the CPU. On the CPU a picture is shown to the model at
512 pixels on its longest side and not split into tiles (SmolVLM would otherwise encode 17 tiles
of 512x512, tens of seconds on a laptop CPU); on a GPU at up to 2048 pixels, tiled as the model's
processor does by default.

torch and transformers are imported inside the functions: importing this module is cheap.
"""
from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from .cancel import Cancelled, CancelToken
from .errors import BadInput, ModelUnavailable, OutOfMemory, SensoriumError
from .footprint import Footprint, tensor_footprint
from .llm import eos_token_ids

if TYPE_CHECKING:
    from .images import ImageSource

__all__ = ["QA", "VlmStats", "VisionLanguageModel", "TransformersVlm", "load", "DEFAULT_MAX_NEW_TOKENS",
           "CPU_MAX_SIDE", "GPU_MAX_SIDE"]

DEFAULT_MAX_NEW_TOKENS = 256
CPU_MAX_SIDE = 512  # pixels on the longest side the model sees on the CPU (one tile)
GPU_MAX_SIDE = 2048


@dataclass(frozen=True)
class QA:
    """An earlier question about the same picture and the answer it got."""

    question: str
    answer: str


@dataclass(frozen=True)
class VlmStats:
    """The last answer: prompt tokens (image tokens included), new tokens, seconds, how it stopped
    (eos-or-length | cancelled | closed | error)."""

    prompt_tokens: int
    new_tokens: int
    seconds: float
    stopped: str


class VisionLanguageModel(Protocol):
    """What the engine needs of the ``vlm`` role."""

    name: str

    def stream(self, image: ImageSource, question: str, *, history: Sequence[QA] = (),
               max_new_tokens: int = DEFAULT_MAX_NEW_TOKENS, cancel: CancelToken | None = None) -> Iterator[str]:
        """The answer, piece by piece; raises ``Cancelled`` when ``cancel`` stopped it."""
        ...

    def answer(self, image: ImageSource, question: str, *, history: Sequence[QA] = (),
               max_new_tokens: int = DEFAULT_MAX_NEW_TOKENS, cancel: CancelToken | None = None,
               on_token: Callable[[str], None] | None = None) -> str:
        """The whole answer (``on_token`` sees each piece as it comes)."""
        ...

    def footprint(self) -> Footprint: ...

    def close(self) -> None: ...


class _StopWhenCancelled:
    """A transformers StoppingCriteria: stop when the token is cancelled or the reader went away;
    counts the new tokens."""

    def __init__(self, cancel: CancelToken | None, halt: threading.Event, prompt_len: int):
        self.cancel, self.halt, self.prompt_len = cancel, halt, prompt_len
        self.new_tokens = 0
        self._answers: tuple[Any, Any] | None = None

    def __call__(self, input_ids, scores, **kwargs):
        import torch

        self.new_tokens = int(input_ids.shape[-1]) - self.prompt_len
        stop = self.halt.is_set() or (self.cancel is not None and self.cancel.cancelled)
        answers = self._answers
        if answers is None or answers[0].shape[0] != input_ids.shape[0]:  # made once, not per token
            answers = self._answers = tuple(torch.full((input_ids.shape[0],), v, dtype=torch.bool,
                                                       device=input_ids.device) for v in (False, True))
        return answers[stop]


def _check_folder(folder: Path, name: str) -> None:
    if not folder.is_dir() or not (folder / "config.json").is_file():
        raise ModelUnavailable("{folder} is not a vision-language model folder (no config.json): choose a "
                               "transformers image-text-to-text folder for models.vlm",
                               code="vlm.not_a_model_folder", folder=folder, role="vlm", model=name)
    if not any(folder.glob("*.safetensors")):
        raise ModelUnavailable("{folder} has no safetensors weights (*.safetensors); Sensorium loads "
                               "vision-language models from safetensors only: choose another folder for models.vlm",
                               code="vlm.no_weights", folder=folder,
                               role="vlm", model=name)


class TransformersVlm:
    """A vision-language model run here with transformers (see the module docstring)."""

    def __init__(self, folder: str | Path, *, device: Any = None, name: str = "", max_side: int | None = None):
        import torch
        from transformers import AutoModelForImageTextToText, AutoProcessor

        t0 = time.perf_counter()
        folder = Path(folder).expanduser()
        self.path = folder
        self.name = name or folder.name
        _check_folder(folder, self.name)
        self.device = str(getattr(device, "device", device) or "cpu")
        gpu = self.device in ("cuda", "mps")
        dtype_name = getattr(device, "dtype", "float32") if gpu else "float32"
        self.dtype = getattr(torch, dtype_name)
        self.max_side = int(max_side or (GPU_MAX_SIDE if gpu else CPU_MAX_SIDE))
        self._split = gpu  # tiles on a GPU only (see the module docstring)
        try:
            self.processor = _load_processor(folder, AutoProcessor)
            self.model = AutoModelForImageTextToText.from_pretrained(
                str(folder), dtype=self.dtype, local_files_only=True, use_safetensors=True)
        except (OSError, ValueError, KeyError, TypeError) as e:
            raise ModelUnavailable(
                "cannot load the vision-language model from {folder} ({detail}): choose "
                "another model for image questions in Settings > Models", code="vlm.load_failed",
                folder=folder, detail=' '.join(str(e).split())[:160], role="vlm", model=self.name) from e
        self.model.to(self.device).eval()
        self.tokenizer = self.processor.tokenizer
        if getattr(self.processor, "chat_template", None) is None:
            raise ModelUnavailable("{folder} has no chat template (chat_template.json or .jinja), so questions "
                                   "cannot be put to it: choose another model for models.vlm",
                                   code="vlm.no_chat_template", folder=folder, role="vlm",
                                   model=self.name)
        self._eos = eos_token_ids(self.model, self.tokenizer)
        self._lock = threading.Lock()  # one answer at a time per model
        self.last_prompt = ""  # the chat as the model saw it (before the image tokens were expanded)
        self.last_stats: VlmStats | None = None
        self.load_seconds = time.perf_counter() - t0

    # ---- the prompt ---------------------------------------------------------------------------
    @staticmethod
    def messages(question: str, history: Sequence[QA] = ()) -> list[dict[str, Any]]:
        """The chat in the processors' content-part form: the picture in the first user turn."""
        turns = [*history, QA(question, "")]
        out: list[dict[str, Any]] = []
        for i, qa in enumerate(turns):
            content: list[dict[str, str]] = [{"type": "image"}] if i == 0 else []
            content.append({"type": "text", "text": qa.question})
            out.append({"role": "user", "content": content})
            if i < len(turns) - 1:
                out.append({"role": "assistant", "content": [{"type": "text", "text": qa.answer}]})
        return out

    def _picture(self, image: ImageSource):
        from .images import open_image

        pil = open_image(image)
        if max(pil.size) > self.max_side:
            scale = self.max_side / max(pil.size)
            pil = pil.resize((max(1, round(pil.width * scale)), max(1, round(pil.height * scale))))
        return pil

    def _inputs(self, image: ImageSource, question: str, history: Sequence[QA]) -> Any:
        question = " ".join((question or "").split())
        if not question:
            raise BadInput("the question about the picture is empty: ask something about it",
                           code="vlm.empty_question")
        text = self.processor.apply_chat_template(self.messages(question, history), add_generation_prompt=True,
                                                  tokenize=False)
        kwargs: dict[str, Any] = {}
        if hasattr(self.processor.image_processor, "do_image_splitting"):
            kwargs["do_image_splitting"] = self._split
        inputs = self.processor(text=[text], images=[self._picture(image)], return_tensors="pt", **kwargs)
        self.last_prompt = text
        return inputs.to(self.device)

    # ---- answering ----------------------------------------------------------------------------
    def stream(self, image: ImageSource, question: str, *, history: Sequence[QA] = (),
               max_new_tokens: int = DEFAULT_MAX_NEW_TOKENS, cancel: CancelToken | None = None) -> Iterator[str]:
        import torch
        from transformers import StoppingCriteriaList, TextIteratorStreamer

        if cancel is not None:
            cancel.raise_if_cancelled()
        with self._lock:
            halt = threading.Event()
            criteria = _StopWhenCancelled(cancel, halt, 0)
            streamer = TextIteratorStreamer(self.tokenizer, skip_prompt=True, skip_special_tokens=True)
            pad = self.tokenizer.pad_token_id if self.tokenizer.pad_token_id is not None else \
                (self._eos[0] if self._eos else None)
            errors: list[BaseException] = []

            def work() -> None:
                # the picture and the prompt are prepared on the generating thread too: torch work on a
                # second thread would start a second OpenMP team per answer (a few ms each, measured)
                try:
                    inputs = self._inputs(image, question, history)
                    if "pixel_values" in inputs:
                        inputs["pixel_values"] = inputs["pixel_values"].to(self.dtype)
                    criteria.prompt_len = int(inputs["input_ids"].shape[-1])
                    with torch.inference_mode():
                        self.model.generate(**inputs, streamer=streamer, max_new_tokens=max(1, int(max_new_tokens)),
                                            do_sample=False, temperature=None, top_p=None, top_k=None,
                                            stopping_criteria=StoppingCriteriaList([criteria]),
                                            eos_token_id=self._eos or None, pad_token_id=pad)
                except BaseException as e:  # re-raised on the reader's thread
                    errors.append(e)
                    streamer.end()

            t0 = time.perf_counter()
            stopped = "eos-or-length"
            worker = threading.Thread(target=work, name=f"vlm-{self.name}", daemon=True)
            worker.start()
            try:
                for piece in streamer:
                    if errors:
                        break
                    if cancel is not None and cancel.cancelled:
                        stopped = "cancelled"
                        break
                    if piece:
                        yield piece
                if cancel is not None and cancel.cancelled:
                    stopped = "cancelled"
            except GeneratorExit:
                stopped = "closed"
                raise
            finally:
                halt.set()
                worker.join()
                if errors and stopped == "eos-or-length":
                    stopped = "error"
                self.last_stats = VlmStats(criteria.prompt_len, criteria.new_tokens, time.perf_counter() - t0, stopped)
        if stopped == "cancelled":
            raise Cancelled()
        if errors:
            raise _translate_error(errors[0], self.name)

    def answer(self, image: ImageSource, question: str, *, history: Sequence[QA] = (),
               max_new_tokens: int = DEFAULT_MAX_NEW_TOKENS, cancel: CancelToken | None = None,
               on_token: Callable[[str], None] | None = None) -> str:
        pieces = []
        for piece in self.stream(image, question, history=history, max_new_tokens=max_new_tokens, cancel=cancel):
            pieces.append(piece)
            if on_token is not None:
                on_token(piece)
        return "".join(pieces).strip()

    def footprint(self) -> Footprint:
        """The parameter and buffer bytes of the loaded model, on its device."""
        return tensor_footprint(getattr(self, "model", None))

    def close(self) -> None:
        model, self.model = getattr(self, "model", None), None
        if model is not None and self.device == "cuda":
            import torch

            del model
            torch.cuda.empty_cache()

    def __repr__(self) -> str:
        return f"TransformersVlm({self.name!r}, device={self.device!r})"


def _load_processor(folder: Path, auto: Any) -> Any:
    """``AutoProcessor`` for the folder. A preprocessor_config.json that names an image processor class
    transformers 5 no longer has (``Qwen2_5_VLImageProcessor``, still in Qwen2.5-VL repositories) makes
    it refuse the folder, although the model type says which class to use: then the processor loads from
    a temporary view of the folder (links to its files) whose preprocessor_config.json leaves the class
    name out, so the model type decides. The folder itself is never changed."""
    import json
    import shutil
    import tempfile

    try:
        return auto.from_pretrained(str(folder), local_files_only=True)
    except ValueError as e:
        pre = folder / "preprocessor_config.json"
        if "image processor" not in str(e) or not pre.is_file():
            raise
        data = json.loads(pre.read_text(encoding="utf-8"))
        if data.pop("image_processor_type", None) is None:
            raise
    view = Path(tempfile.mkdtemp(prefix="sensorium-vlm-processor-"))
    try:
        for f in folder.iterdir():
            if f.is_file() and f.suffix in (".json", ".txt", ".jinja", ".model") and f.name != pre.name:
                (view / f.name).symlink_to(f.resolve())
        (view / pre.name).write_text(json.dumps(data), encoding="utf-8")
        return auto.from_pretrained(str(view), local_files_only=True)
    finally:
        shutil.rmtree(view, ignore_errors=True)


def _translate_error(e: BaseException, name: str) -> BaseException:
    if type(e).__name__ == "OutOfMemoryError" or isinstance(e, MemoryError):
        return OutOfMemory("not enough memory to answer with {name}: choose a smaller model for image questions "
                           "in Settings > Models, or close other programs", code="vlm.out_of_memory",
                           name=name)
    return e


def load(resolved: Any, device: Any, settings: Any) -> TransformersVlm:
    """Build the vlm role from a catalog resolution (format 'transformers')."""
    if resolved.format != "transformers":
        raise ModelUnavailable("{name} is a {format} model, not a transformers vision-language "
                               "model: choose one for image questions in Settings > Models",
                               code="vlm.wrong_format", name=resolved.name, format=resolved.format, role="vlm",
                               model=resolved.name)
    try:
        return TransformersVlm(resolved.path, device=device, name=resolved.name)
    except SensoriumError:
        raise
    except MemoryError as e:
        raise OutOfMemory("not enough memory to load {name}: close other programs or choose a smaller "
                          "model for image questions", code="vlm.out_of_memory_loading", name=resolved.name) from e
