"""One run of learning from ratings, as the engine and the command line start it: the ratings, the
chat model's weights, LoRA training, the gate, the adapter stored (and switched on when it passed)."""
from __future__ import annotations

import hashlib
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import asdict, replace
from pathlib import Path
from typing import Any, TypeVar

from ..cancel import Cancelled, CancelToken
from ..errors import BadInput, Text
from ..events import Learned, LearnProgress
from .adapters import AdapterRegistry
from .ratings import RatingSet
from .train import Example, LearnParams, add_lora, encode, save_adapter, train_dpo, train_sft

__all__ = ["params_from_settings", "split", "training_device", "run", "learn"]

T = TypeVar("T")


def params_from_settings(settings: Any) -> LearnParams:
    s = settings.learning
    return LearnParams(method=s.method, epochs=s.epochs, learning_rate=s.learning_rate, lora_rank=s.lora_rank,
                       lora_alpha=2 * s.lora_rank, beta=s.beta, max_steps=s.max_steps)


def split(items: Sequence[T], prompt_of: Callable[[T], str], share: float = 0.25) -> tuple[list[T], list[T]]:
    """(train, held out): the items ordered by a stable hash of their prompt, the first quarter (at least
    two) held out; the same ratings always split the same way, and one prompt is never on both sides."""
    prompts = sorted({" ".join(prompt_of(i).split()) for i in items},
                     key=lambda p: hashlib.sha256(p.encode("utf-8")).digest())
    held_prompts = set(prompts[:max(2, round(len(prompts) * share))])
    held = [i for i in items if " ".join(prompt_of(i).split()) in held_prompts]
    train = [i for i in items if " ".join(prompt_of(i).split()) not in held_prompts]
    return train, held


def learn(model: Any, tokenizer: Any, ratings: RatingSet, *, system: str, params: LearnParams, out_dir: Path,
          model_name: str, progress: Callable[[LearnProgress], None] | None = None,
          cancel: CancelToken | None = None) -> tuple[Learned, Any]:
    """Train an adapter on ``model`` (a transformers causal LM) from ``ratings``, evaluate it, save it under
    ``out_dir`` (its id a new folder name). Returns the Learned event and the peft model."""
    from .evaluate import gate, sanity_set

    t0 = time.perf_counter()
    method = ratings.method(params.method)
    say = progress or (lambda _p: None)
    say(LearnProgress("preparing"))
    end_id = tokenizer.convert_tokens_to_ids("<|im_end|>")
    if not isinstance(end_id, int) or end_id == tokenizer.unk_token_id:
        end_id = tokenizer.eos_token_id
    pad_id = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else (end_id or 0)

    def ex(prompt: str, reply: str) -> Example:
        return encode(tokenizer, system, prompt, reply, params.max_tokens, end_id)

    peft_model = add_lora(model, params)
    if method == "dpo":
        train, held = split(list(ratings.pairs), lambda p: p.prompt)
        train_ex = [(ex(p.prompt, p.chosen), ex(p.prompt, p.rejected)) for p in train]
        held_pairs = [(ex(p.prompt, p.chosen), ex(p.prompt, p.rejected)) for p in held]
        held_good: list[Example] = []
        losses = train_dpo(peft_model, train_ex, params, pad_id, progress=say, cancel=cancel)
        n_pairs, n_examples = len(ratings.pairs), len(train_ex)
    else:
        train_g, held_g = split(list(ratings.sft_examples()), lambda g: g.prompt)
        sft_ex = [ex(g.prompt, g.reply) for g in train_g]
        held_pairs, held_good = [], [ex(g.prompt, g.reply) for g in held_g]
        losses = train_sft(peft_model, sft_ex, params, pad_id, progress=say, cancel=cancel)
        n_pairs, n_examples = len(ratings.pairs), len(sft_ex)
    if cancel is not None and cancel.cancelled:
        raise Cancelled()
    say(LearnProgress("evaluating"))
    sanity = sanity_set()
    prompts = [ex(q.question, "") for q in sanity]
    prompts = [Example(p.ids[:p.prompt_len], p.prompt_len) for p in prompts]

    def answered(prompt: Example, answer: str) -> Example:  # a sanity prompt with an answer after it
        body = list(tokenizer(answer, add_special_tokens=False)["input_ids"]) + ([end_id] if end_id is not None else [])
        return Example(prompt.ids + tuple(body), prompt.prompt_len)

    verdict = gate(peft_model, tokenizer, method=method, heldout_pairs=held_pairs, heldout_good=held_good,
                   sanity_prompts=prompts, sanity=sanity, end_ids=[end_id] if end_id is not None else [],
                   pad_id=pad_id, encode_answer=answered)
    adapter_id = time.strftime("%Y%m%d-%H%M%S") + "-" + uuid.uuid4().hex[:6]
    manifest = {"model": model_name, "method": method, "params": asdict(params), "accepted": verdict.accepted,
                "reason": verdict.reason.as_record(), "table": [asdict(r) for r in verdict.table],
                "pairs": n_pairs, "examples": n_examples, "losses": losses,
                "heldout": len(held_pairs) or len(held_good)}
    save_adapter(peft_model, out_dir / adapter_id, manifest)
    event = Learned(adapter_id, method, verdict.accepted, verdict.reason, verdict.table, n_pairs, n_examples,
                    time.perf_counter() - t0)
    return event, peft_model


def training_device(preference: str = "auto", dtype: str = "auto") -> Any:
    """Where and in what precision the adapter trains. A CUDA GPU with bfloat16 trains in it (half the
    memory of float32; peft keeps LoRA's own weights in float32); float16 needs a loss scaler against
    underflow, so it, Apple's GPU and the CPU train in float32. ``device.dtype`` float32 or bfloat16 is
    taken as set."""
    from ..devices import select_device

    choice = select_device(preference, "auto")
    if dtype == "bfloat16" or (dtype == "auto" and choice.device == "cuda" and choice.dtype == "bfloat16"):
        return replace(choice, dtype="bfloat16")
    return replace(choice, dtype="float32")


def run(engine: Any, progress: Callable[[LearnProgress], None], cancel: CancelToken | None = None) -> Learned:
    """The engine's run: its history's ratings, its chosen local chat model, its adapters folder; an
    accepted adapter is switched on."""
    from ..llm import TransformersChat
    from .ratings import collect

    settings = engine.settings
    if settings.server("chat") is not None:
        raise BadInput("learning from ratings trains the chat model on this computer, but replies come from a "
                       "server: switch Settings > Servers > Replies come from a server off first",
                       code="learning.remote_chat")
    ratings = collect(engine.store)
    params = params_from_settings(settings)
    ratings.method(params.method)  # too few ratings: say so before a model loads
    progress(LearnProgress("preparing"))
    resolved = engine.catalog.resolve("chat")
    if resolved.format not in ("gguf", "transformers"):
        raise BadInput("learning from ratings needs a transformers or GGUF chat model, not {format}",
                       code="learning.wrong_format", format=resolved.format)
    path = Path(resolved.path)
    if path.is_dir() and resolved.format == "gguf":
        path = sorted(path.glob("*.gguf"))[0]
    device = training_device(settings.device.device, settings.device.dtype)
    if device.is_gpu:  # one copy of the weights on the GPU: the chat role's goes (it reloads for the next reply)
        engine.manager.unload("chat")
    registry = AdapterRegistry(engine.profile.adapters_dir)
    chat = TransformersChat(path, device=device, converted_dir=engine.profile.converted_dir, name=resolved.name,
                            trusted_files=settings.models.trusted_files)
    try:
        out_dir = registry.folder_for(resolved.name, "x").parent
        event, _ = learn(chat.model, chat.tokenizer, ratings, system=settings.chat.system_prompt, params=params,
                         out_dir=out_dir, model_name=resolved.name, progress=progress, cancel=cancel)
    finally:
        chat.close()
    if event.accepted:
        registry.activate(event.adapter_id)
    return event


def cancelled_event() -> Learned:
    return Learned("", "", False, Text.of("learning.cancelled", "learning from ratings was cancelled; nothing "
                                          "was changed"), cancelled=True)
