"""Language model: time to first token and tokens/s of TransformersChat.stream against a plain
transformers ``generate`` (with a minimal streamer for the first-token time) on the same prompt,
model, greedy decoding and token count; then, where the context has one (the CPU run), the same
for LlamaCppChat.stream (what the app runs for a GGUF on the CPU) against llama.cpp's own
streamed completion (``xllamacpp.Server.handle_chat_completions``) on the same loaded model."""
from __future__ import annotations

import time

from .common import FirstToken, Stage, overhead, paired

__all__ = ["run"]

NOTE_LLAMA = ("each call asks a new question after the same system prompt, which llama.cpp keeps cached "
              "from the call before: a conversation's turn")
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
    if hasattr(ctx, "llamacpp_backend"):
        llamacpp(st, ctx)
    return st


def llamacpp(st: Stage, ctx) -> None:
    """The llama.cpp rows: LlamaCppChat (HTTP streaming) against the library's in-process streaming call."""
    from pipelines.llm import ChatMessage, GenerationParams

    backend = ctx.llamacpp_backend()
    try:
        st.info["llama.cpp"] = {"load_seconds": round(backend.load_seconds, 3), "threads": backend.threads,
                                "weights": backend.quantization}
        n_new = ctx.llm_new_tokens
        asked = [0]

        def question() -> list[ChatMessage]:  # a new question every call, so neither side reuses the other's
            asked[0] += 1
            return [ChatMessage("system", "You are a helpful assistant."),
                    ChatMessage("user", f"{PROMPT} Make it story number {asked[0]}.")]

        def ours() -> dict:
            messages = question()
            t0 = time.perf_counter()
            first = None
            for _piece in backend.stream(messages, GenerationParams(temperature=0.0, max_new_tokens=n_new)):
                if first is None:
                    first = time.perf_counter()
            end = time.perf_counter()
            return {"ttft": first - t0, "total": end - t0, "tokens": backend.last_stats.new_tokens,
                    "decode": end - first}

        def raw() -> dict:
            body = {"messages": [m.as_dict() for m in question()], "temperature": 0, "max_tokens": n_new,
                    "stream": True}
            seen = {"first": None, "tokens": 0}

            def chunk(data: dict) -> bool:
                delta = ((data.get("choices") or [{}])[0].get("delta") or {}).get("content")
                if delta:
                    seen["tokens"] += 1
                    if seen["first"] is None:
                        seen["first"] = time.perf_counter()
                return False

            t0 = time.perf_counter()
            backend.server.handle_chat_completions(body, chunk)
            end = time.perf_counter()
            return {"ttft": seen["first"] - t0, "total": end - t0, "tokens": seen["tokens"],
                    "decode": end - seen["first"]}

        a, b = paired(ours, raw, reps=ctx.reps)
        st.info["llama.cpp"]["new_tokens"] = {"pipeline": [r["tokens"] for r in a], "raw": [r["tokens"] for r in b]}
        st.add("time to first token (llama.cpp pipeline)", [r["ttft"] * 1000 for r in a], "ms", note=NOTE_LLAMA)
        st.add("time to first token (llama.cpp library call)", [r["ttft"] * 1000 for r in b], "ms")
        st.add("tokens/s (llama.cpp pipeline)", [(r["tokens"] - 1) / r["decode"] for r in a], "tok/s", higher=True)
        st.add("tokens/s (llama.cpp library call)", [(r["tokens"] - 1) / r["decode"] for r in b], "tok/s",
               higher=True)
        st.add("overhead vs the llama.cpp library call",
               overhead([r["total"] / r["tokens"] for r in a], [r["total"] / r["tokens"] for r in b]),
               target="<= 1.05", check=lambda v: v <= 1.05, note="per token (HTTP streaming against an in-process call)")
    finally:
        backend.close()
