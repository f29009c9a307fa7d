"""The evaluation gate of a trained adapter: it is switched on only when it beats the base model on the
held-out slice of the user's own ratings and does not regress a fixed sanity set.

* held-out pairs (DPO): how often the chosen reply is the likelier one (preference accuracy) and the mean
  margin ``logp(chosen) - logp(rejected)``; the adapter must be at least as accurate and have the larger
  margin;
* held-out good replies (SFT): their mean negative log-likelihood per token; the adapter's must be lower;
* the sanity set (assets/learning/sanity.tsv): greedy answers to plain questions must still contain the
  expected word as often as the base model's do, and the base model's own answers must not become much
  less likely under the adapter (at most ``NLL_TOLERANCE`` nats a token more): it still talks normally.

Base figures are the same model with the adapter switched off (peft ``disable_adapter``).
"""
from __future__ import annotations

import contextlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..assets import asset
from ..errors import Text
from ..events import EvalRow
from .train import Example, sequence_logprobs

__all__ = ["Verdict", "SanityQuestion", "sanity_set", "pair_scores", "mean_nll", "answers", "gate",
           "NLL_TOLERANCE"]

NLL_TOLERANCE = 0.75


@dataclass(frozen=True)
class SanityQuestion:
    question: str
    expect: tuple[str, ...]

    def answered(self, answer: str) -> bool:
        low = answer.lower()
        return any(word.lower() in low for word in self.expect)


@dataclass(frozen=True)
class Verdict:
    accepted: bool
    reason: Text
    table: tuple[EvalRow, ...]


def sanity_set() -> tuple[SanityQuestion, ...]:
    out = []
    for line in asset("learning", "sanity.tsv").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#") or line.startswith("question\t"):
            continue
        question, expect = line.split("\t", 1)
        out.append(SanityQuestion(question.strip(), tuple(w.strip() for w in expect.split("|") if w.strip())))
    return tuple(out)


def _switch(model: Any, adapter: bool):
    return contextlib.nullcontext() if adapter else model.disable_adapter()


def pair_scores(model: Any, pairs: Sequence[tuple[Example, Example]], pad_id: int, *, adapter: bool = True
                ) -> tuple[float, float]:
    """(preference accuracy, mean margin in nats) over held-out (chosen, rejected) examples."""
    import torch

    margins = []
    with torch.no_grad(), _switch(model, adapter):
        for c, r in pairs:
            logp = sequence_logprobs(model, [c, r], pad_id)[0]
            margins.append(float(logp[0] - logp[1]))
    if not margins:
        return 0.0, 0.0
    return sum(m > 0 for m in margins) / len(margins), sum(margins) / len(margins)


def mean_nll(model: Any, examples: Sequence[Example], pad_id: int, *, adapter: bool = True) -> float:
    """The mean negative log-likelihood per reply token over ``examples``."""
    import torch

    total, count = 0.0, 0
    with torch.no_grad(), _switch(model, adapter):
        for e in examples:
            s, n = sequence_logprobs(model, [e], pad_id)
            total -= float(s[0])
            count += int(n[0])
    return total / max(1, count)


def answers(model: Any, tokenizer: Any, prompts: Sequence[Example], end_ids: Sequence[int], *,
            adapter: bool = True, max_new_tokens: int = 32) -> list[str]:
    """Greedy answers to the rendered prompts (``Example.ids`` of a prompt alone)."""
    import torch

    out = []
    device = next(model.parameters()).device
    with torch.no_grad(), _switch(model, adapter):
        for p in prompts:
            ids = torch.tensor([list(p.ids)], device=device)
            gen = model.generate(input_ids=ids, attention_mask=torch.ones_like(ids), max_new_tokens=max_new_tokens,
                                 do_sample=False, eos_token_id=list(end_ids) or None,
                                 pad_token_id=(list(end_ids) or [0])[0])
            out.append(tokenizer.decode(gen[0, ids.shape[1]:], skip_special_tokens=True).strip())
    return out


def gate(model: Any, tokenizer: Any, *, method: str, heldout_pairs: Sequence[tuple[Example, Example]],
         heldout_good: Sequence[Example], sanity_prompts: Sequence[Example], sanity: Sequence[SanityQuestion],
         end_ids: Sequence[int], pad_id: int, encode_answer: Any) -> Verdict:
    """Base against adapter; ``encode_answer(prompt_example, answer) -> Example`` renders a sanity answer."""
    rows: list[EvalRow] = []
    if method == "dpo":
        acc_b, margin_b = pair_scores(model, heldout_pairs, pad_id, adapter=False)
        acc_a, margin_a = pair_scores(model, heldout_pairs, pad_id, adapter=True)
        better = acc_a >= acc_b and margin_a > margin_b
        rows.append(EvalRow("held-out pairs: chosen reply preferred", acc_b, acc_a, True, acc_a >= acc_b,
                            count=len(heldout_pairs), unit="share"))
        rows.append(EvalRow("held-out pairs: mean margin, nats", margin_b, margin_a, True, margin_a > margin_b))
    else:
        nll_b = mean_nll(model, heldout_good, pad_id, adapter=False)
        nll_a = mean_nll(model, heldout_good, pad_id, adapter=True)
        better = nll_a < nll_b
        rows.append(EvalRow("held-out good replies: loss per token", nll_b, nll_a, False, better,
                            count=len(heldout_good)))
    base_answers = answers(model, tokenizer, sanity_prompts, end_ids, adapter=False)
    new_answers = answers(model, tokenizer, sanity_prompts, end_ids, adapter=True)
    right_b = sum(q.answered(a) for q, a in zip(sanity, base_answers))
    right_a = sum(q.answered(a) for q, a in zip(sanity, new_answers))
    kept = right_a >= right_b
    rows.append(EvalRow("sanity questions answered", float(right_b), float(right_a), True, kept, count=len(sanity),
                        unit="count"))
    own = [encode_answer(p, a) for p, a in zip(sanity_prompts, base_answers)]
    nll_own_b = mean_nll(model, own, pad_id, adapter=False)
    nll_own_a = mean_nll(model, own, pad_id, adapter=True)
    fluent = nll_own_a <= nll_own_b + NLL_TOLERANCE
    rows.append(EvalRow("sanity: the base model's answers, loss per token", nll_own_b, nll_own_a, False, fluent))
    if not better:
        reason = Text.of("learning.gate_not_better", "the adapter was not switched on: on the held-out ratings it "
                         "did no better than the model without it")
    elif not kept:
        reason = Text.of("learning.gate_sanity", "the adapter was not switched on: it answered {adapter} of the "
                         "{count} sanity questions, the model without it {base}", adapter=right_a,
                         count=len(sanity), base=right_b)
    elif not fluent:
        reason = Text.of("learning.gate_fluency", "the adapter was not switched on: it makes ordinary answers much "
                         "less likely ({adapter} against {base} nats a token)", adapter=f"{nll_own_a:.2f}",
                         base=f"{nll_own_b:.2f}")
    else:
        reason = Text.of("learning.gate_passed", "the adapter is on: it beat the model without it on the held-out "
                         "ratings and kept the sanity questions")
    return Verdict(better and kept and fluent, reason, tuple(rows))
