"""Image questions: time to first token, tokens/s and the whole answer of ``TransformersVlm.stream`` (what
the engine runs for the vlm role) against the plain transformers calls on the same picture, question,
model and greedy decoding: ``processor.apply_chat_template`` + ``processor(...)`` + ``model.generate``
with a minimal streamer for the first-token time. The context gives ``vlm_dir``, ``vlm_choice`` (the
device and dtype), ``vlm_label`` and ``vlm_new_tokens``."""
from __future__ import annotations

import time

from .common import FirstToken, Stage, overhead, paired

__all__ = ["run", "QUESTION"]

QUESTION = "What is in this picture? Describe it in one sentence."
NOTE_TTFT = ("pipeline first-token time is the first text piece: TextIteratorStreamer holds text until a word "
             "ends, so it can come a token or two after the first token")


def run(ctx) -> Stage:
    import torch

    from pipelines.images import open_image
    from pipelines.vlm import TransformersVlm

    st = Stage("vlm", models=ctx.vlm_label)
    t0 = time.perf_counter()
    vlm = TransformersVlm(ctx.vlm_dir, device=ctx.vlm_choice, name="bench-vlm")
    st.info["load_seconds"] = round(time.perf_counter() - t0, 3)
    picture = open_image(ctx.photo())
    n_new = int(ctx.vlm_new_tokens)
    model, processor = vlm.model, vlm.processor
    try:
        def ours() -> dict:
            t0 = time.perf_counter()
            first = None
            for _piece in vlm.stream(picture, QUESTION, max_new_tokens=n_new):
                if first is None:
                    first = time.perf_counter()
            end = time.perf_counter()
            first = first or end
            stats = vlm.last_stats
            return {"ttft": first - t0, "total": end - t0, "tokens": stats.new_tokens, "prompt": stats.prompt_tokens}

        def raw() -> dict:
            t0 = time.perf_counter()
            text = processor.apply_chat_template(vlm.messages(QUESTION), add_generation_prompt=True, tokenize=False)
            kwargs = {"do_image_splitting": vlm._split} if hasattr(processor.image_processor, "do_image_splitting") \
                else {}
            inputs = processor(text=[text], images=[vlm._picture(picture)], return_tensors="pt", **kwargs).to(vlm.device)
            if "pixel_values" in inputs:
                inputs["pixel_values"] = inputs["pixel_values"].to(vlm.dtype)
            s = FirstToken()
            prompt = int(inputs["input_ids"].shape[-1])
            with torch.inference_mode():
                out = model.generate(**inputs, max_new_tokens=n_new, do_sample=False, temperature=None, top_p=None,
                                     top_k=None, streamer=s, eos_token_id=vlm._eos or None,
                                     pad_token_id=vlm.tokenizer.pad_token_id)
            processor.batch_decode(out[:, prompt:], skip_special_tokens=True)
            end = time.perf_counter()
            first = s.first or end
            return {"ttft": first - t0, "total": end - t0, "tokens": int(out.shape[1] - prompt)}

        a, b = paired(ours, raw, reps=ctx.reps)
        st.info.update(new_tokens={"pipeline": [r["tokens"] for r in a], "raw": [r["tokens"] for r in b]},
                       prompt_tokens=a[0]["prompt"], picture=list(picture.size), max_side=vlm.max_side,
                       tiles=vlm._split)
        st.add("time to first token (pipeline)", [r["ttft"] * 1000 for r in a], "ms", note=NOTE_TTFT)
        st.add("time to first token (transformers)", [r["ttft"] * 1000 for r in b], "ms")
        st.add("answer, whole (pipeline)", [r["total"] * 1000 for r in a], "ms")
        st.add("answer, whole (transformers)", [r["total"] * 1000 for r in b], "ms")
        # over the whole answer (picture and prompt included): random weights' text can arrive in one piece,
        # so the time after the first piece says nothing about decoding
        st.add("tokens/s, whole answer (pipeline)", [r["tokens"] / r["total"] for r in a], "tok/s", higher=True)
        st.add("tokens/s, whole answer (transformers)", [r["tokens"] / r["total"] for r in b], "tok/s", higher=True)
        st.add("overhead vs processor + generate",
               overhead([r["total"] / max(1, r["tokens"]) for r in a], [r["total"] / max(1, r["tokens"]) for r in b]),
               target="<= 1.05", check=lambda v: v <= 1.05, note="per token (random weights may stop at different lengths)")
    finally:
        vlm.close()
    return st
