"""Language model: time to first token and tokens/s of TransformersChat.stream against a plain
transformers ``generate`` (with a minimal streamer for the first-token time) on the same prompt,
model, greedy decoding and token count."""
from __future__ import annotations

import time

from .common import Stage, overhead, paired

__all__ = ["run"]

NOTE_TTFT = "pipeline first-token time is the first text piece: transformers' TextIteratorStreamer holds text until a word ends, so it comes one or two tokens (~85 ms each here) after the first token"
PROMPT = "Tell me a short story about a lighthouse keeper and the sea."


def run(ctx) -> Stage:
    import torch

    from pipelines.llm import ChatMessage, GenerationParams

    st = Stage("llm", models=ctx.llm_label)
    backend = ctx.llm_backend()
    st.info["load"] = {"source": backend.load_info.source, "seconds": round(backend.load_info.seconds, 3)}
    messages = [ChatMessage("system", "You are a helpful assistant."), ChatMessage("user", PROMPT)]
    n_new = ctx.llm_new_tokens
    params = GenerationParams(temperature=0.0, max_new_tokens=n_new)
    model, tok = backend.model, backend.tokenizer

    def ours() -> dict:
        t0 = time.perf_counter()
        first = None
        for _piece in backend.stream(messages, params):
            if first is None:
                first = time.perf_counter()
        end = time.perf_counter()
        n = backend.last_stats.new_tokens
        return {"ttft": first - t0, "total": end - t0, "tokens": n, "decode": end - first}

    class FirstToken:  # transformers' streamer protocol: put() gets the prompt, then each new token
        def __init__(self):
            self.calls, self.first = 0, None

        def put(self, value):
            self.calls += 1
            if self.calls == 2 and self.first is None:
                self.first = time.perf_counter()

        def end(self):
            pass

    def raw() -> dict:
        t0 = time.perf_counter()
        ids = tok.apply_chat_template([m.as_dict() for m in messages], add_generation_prompt=True,
                                      return_tensors="pt", return_dict=True)["input_ids"].to(backend.device)
        s = FirstToken()
        with torch.inference_mode():
            out = model.generate(input_ids=ids, attention_mask=torch.ones_like(ids), max_new_tokens=n_new,
                                 do_sample=False, temperature=None, top_p=None, top_k=None, streamer=s,
                                 eos_token_id=backend._eos or None,
                                 pad_token_id=tok.pad_token_id if tok.pad_token_id is not None else backend._eos[0])
        tok.decode(out[0, ids.shape[1]:], skip_special_tokens=True)
        end = time.perf_counter()
        return {"ttft": s.first - t0, "total": end - t0, "tokens": int(out.shape[1] - ids.shape[1]),
                "decode": end - s.first}

    a, b = paired(ours, raw, reps=ctx.reps)
    st.info["new_tokens"] = {"pipeline": [r["tokens"] for r in a], "raw": [r["tokens"] for r in b]}
    st.info["prompt_tokens"] = backend.last_stats.prompt_tokens
    st.add("time to first token (pipeline)", [r["ttft"] * 1000 for r in a], "ms", note=NOTE_TTFT)
    st.add("time to first token (transformers)", [r["ttft"] * 1000 for r in b], "ms")
    st.add("tokens/s (pipeline)", [(r["tokens"] - 1) / r["decode"] for r in a], "tok/s", higher=True)
    st.add("tokens/s (transformers)", [(r["tokens"] - 1) / r["decode"] for r in b], "tok/s", higher=True)
    ov = st.add("overhead vs transformers generate", overhead([r["total"] for r in a], [r["total"] for r in b]),
                target="<= 1.05", check=lambda v: v <= 1.05)
    if a[0]["tokens"] != b[0]["tokens"]:
        ov.note = f"token counts differ ({a[0]['tokens']} vs {b[0]['tokens']}): ratio is per token"
        ov.series = overhead([r["total"] / r["tokens"] for r in a], [r["total"] / r["tokens"] for r in b])
        ov.met = ov.series.median <= 1.05
    return st
