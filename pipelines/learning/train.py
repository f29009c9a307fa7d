"""LoRA training from ratings: DPO on preference pairs, or SFT on good replies (peft; the losses are
written out here, no trl).

* DPO (Rafailov et al. 2023): ``-log sigmoid(beta * ((logp_c - ref_c) - (logp_r - ref_r)))`` over the
  summed log-probabilities of the reply tokens; the reference is the base model (the LoRA's B matrices
  start at zero, so it is the model before the first step), computed once.
* SFT: the mean negative log-likelihood of the good replies' tokens (the prompt is not learned).

Each example is the chat template's rendering of the system prompt and the user's message, then the
reply and the end-of-turn token, as the chat role sends them. Training is seeded (the same ratings
give the same adapter on the same machine), reports every step and checks ``cancel`` between steps;
the adapter is written to a temporary folder and renamed into place, safetensors only.
"""
from __future__ import annotations

import json
import math
import os
import shutil
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..cancel import Cancelled, CancelToken
from ..events import LearnProgress

__all__ = ["LearnParams", "Example", "encode", "sequence_logprobs", "add_lora", "train_dpo", "train_sft",
           "save_adapter", "MANIFEST"]

MANIFEST = "sensorium-adapter.json"


@dataclass(frozen=True)
class LearnParams:
    method: str = "auto"  # auto | dpo | sft
    epochs: int = 3
    learning_rate: float = 5e-4
    lora_rank: int = 8
    lora_alpha: int = 16
    beta: float = 0.1
    max_steps: int = 0  # 0: every example of every epoch
    max_tokens: int = 192  # a longer reply is cut (prompt and reply together)
    seed: int = 0


@dataclass(frozen=True)
class Example:
    """Token ids of one rendered turn: ``ids[:prompt_len]`` is the prompt, the rest the reply."""

    ids: tuple[int, ...]
    prompt_len: int


def encode(tokenizer: Any, system: str, prompt: str, reply: str, max_tokens: int, end_id: int | None) -> Example:
    """The chat template's prompt (system + user, with the assistant's header) and the reply's tokens."""
    messages = ([{"role": "system", "content": system}] if system else []) + [{"role": "user", "content": prompt}]
    head = tokenizer.apply_chat_template(messages, add_generation_prompt=True, tokenize=True)
    if hasattr(head, "keys"):
        head = head["input_ids"]
    head = list(head[0] if head and isinstance(head[0], list) else head)
    body = list(tokenizer(reply, add_special_tokens=False)["input_ids"])
    if end_id is not None:
        body.append(int(end_id))
    keep_head = max(1, min(len(head), max_tokens // 2))
    head = head[-keep_head:]  # a very long prompt keeps its end (the question and the header)
    body = body[:max(1, max_tokens - len(head))]
    return Example(tuple(head + body), len(head))


def sequence_logprobs(model: Any, examples: Sequence[Example], pad_id: int) -> Any:
    """Summed log-probabilities of each example's reply tokens and their counts: (sums, counts) tensors."""
    import torch

    width = max(len(e.ids) for e in examples)
    ids = torch.full((len(examples), width), pad_id, dtype=torch.long)
    mask = torch.zeros((len(examples), width), dtype=torch.long)
    target = torch.zeros((len(examples), width), dtype=torch.bool)
    for i, e in enumerate(examples):
        ids[i, :len(e.ids)] = torch.tensor(e.ids)
        mask[i, :len(e.ids)] = 1
        target[i, e.prompt_len:len(e.ids)] = True
    device = next(model.parameters()).device
    ids, mask, target = ids.to(device), mask.to(device), target.to(device)
    logits = model(input_ids=ids, attention_mask=mask).logits[:, :-1].float()
    logp = torch.log_softmax(logits, dim=-1).gather(-1, ids[:, 1:].unsqueeze(-1)).squeeze(-1)
    chosen = target[:, 1:]
    return (logp * chosen).sum(-1), chosen.sum(-1)


def add_lora(model: Any, params: LearnParams) -> Any:
    """``model`` with a fresh LoRA on its attention projections (B = 0: the same outputs as before)."""
    from peft import LoraConfig, get_peft_model

    names = {n.rsplit(".", 1)[-1] for n, _ in model.named_modules()}
    targets = [t for t in ("q_proj", "k_proj", "v_proj", "o_proj") if t in names] or ["c_attn", "c_proj"]
    config = LoraConfig(r=params.lora_rank, lora_alpha=params.lora_alpha, lora_dropout=0.0, bias="none",
                        target_modules=targets, task_type="CAUSAL_LM")
    return get_peft_model(model, config)


def _steps(n: int, params: LearnParams) -> list[int]:
    """The order examples are visited in: every epoch a seeded shuffle; cut at max_steps."""
    import random

    rng = random.Random(params.seed)
    order: list[int] = []
    for _ in range(max(1, params.epochs)):
        epoch = list(range(n))
        rng.shuffle(epoch)
        order += epoch
    return order[:params.max_steps] if params.max_steps > 0 else order


def _loop(model: Any, order: list[int], loss_of: Callable[[int], Any], params: LearnParams,
          progress: Callable[[LearnProgress], None] | None, cancel: CancelToken | None) -> list[float]:
    import torch

    torch.manual_seed(params.seed)
    model.train()
    trainable = [p for p in model.parameters() if p.requires_grad]
    opt = torch.optim.AdamW(trainable, lr=params.learning_rate, weight_decay=0.0)
    losses: list[float] = []
    total = len(order)
    for step, i in enumerate(order, 1):
        if cancel is not None and cancel.cancelled:
            model.eval()
            raise Cancelled()
        warm = min(1.0, step / max(1, total // 10))  # a short warm-up, then a linear decay to a tenth
        lr = params.learning_rate * warm * (1.0 - 0.9 * (step - 1) / max(1, total - 1))
        for group in opt.param_groups:
            group["lr"] = lr
        loss = loss_of(i)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(trainable, 1.0)
        opt.step()
        value = float(loss.detach())
        losses.append(value if math.isfinite(value) else float("nan"))
        if progress is not None:
            progress(LearnProgress("training", step, total, value))
    model.eval()
    return losses


def train_dpo(model: Any, pairs: Sequence[tuple[Example, Example]], params: LearnParams, pad_id: int, *,
              progress: Callable[[LearnProgress], None] | None = None,
              cancel: CancelToken | None = None) -> list[float]:
    """DPO over (chosen, rejected) examples; ``model`` is a peft model whose adapter is still zero."""
    import torch
    import torch.nn.functional as F

    with torch.no_grad():
        model.eval()
        ref = [sequence_logprobs(model, [c, r], pad_id)[0].detach() for c, r in pairs]

    def loss_of(i: int):
        c, r = pairs[i]
        logp = sequence_logprobs(model, [c, r], pad_id)[0]
        margin = (logp[0] - ref[i][0]) - (logp[1] - ref[i][1])
        return -F.logsigmoid(params.beta * margin)

    return _loop(model, _steps(len(pairs), params), loss_of, params, progress, cancel)


def train_sft(model: Any, examples: Sequence[Example], params: LearnParams, pad_id: int, *,
              progress: Callable[[LearnProgress], None] | None = None,
              cancel: CancelToken | None = None) -> list[float]:
    """SFT: the mean negative log-likelihood of each good reply's tokens."""
    def loss_of(i: int):
        total, count = sequence_logprobs(model, [examples[i]], pad_id)
        return -(total / count.clamp(min=1)).mean()

    return _loop(model, _steps(len(examples), params), loss_of, params, progress, cancel)


def save_adapter(model: Any, folder: Path, manifest: dict[str, Any]) -> Path:
    """Write the adapter (safetensors) and its manifest to a temporary folder beside ``folder``, then
    rename it into place: a crash or a cancel never leaves half an adapter."""
    folder = Path(folder)
    folder.parent.mkdir(parents=True, exist_ok=True)
    tmp = folder.with_name(f".{folder.name}.tmp-{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    model.save_pretrained(str(tmp), safe_serialization=True)
    for pickle in tmp.glob("*.bin"):  # never written with safe_serialization; refused if it were
        pickle.unlink()
    (tmp / MANIFEST).write_text(json.dumps({**manifest, "created": time.time()}, indent=1, ensure_ascii=False),
                                encoding="utf-8")
    if folder.exists():
        shutil.rmtree(folder)
    tmp.rename(folder)
    return folder
