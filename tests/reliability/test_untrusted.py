"""Untrusted files: only safetensors, GGUF, CTranslate2 and ONNX load by default; a pickle checkpoint
is refused with an explanation unless trusted in settings, and even then read with weights_only."""
from __future__ import annotations

import pickle
import shutil

import pytest

from pipelines.errors import UntrustedFile
from pipelines.trust import ensure_loadable, safe_torch_load

from .conftest import check_message

PICKLES = (".bin", ".pt", ".pth", ".ckpt", ".pkl")


@pytest.mark.parametrize("suffix", PICKLES)
def test_pickle_checkpoints_are_refused_unless_trusted(tmp_path, suffix):
    f = tmp_path / f"model{suffix}"
    f.write_bytes(b"\x80\x04N.")
    with pytest.raises(UntrustedFile) as e:
        ensure_loadable([f], [])
    check_message(str(e.value), suffix)
    assert "trusted_files" in str(e.value) and str(f) in str(e.value)
    ensure_loadable([f], [str(f)])  # the exact file, trusted in settings


def test_safe_formats_load_by_default(tmp_path):
    for name in ("model.safetensors", "model.gguf", "voice.onnx"):
        ensure_loadable([tmp_path / name], [])
    ct2 = tmp_path / "whisper"
    ct2.mkdir()
    (ct2 / "config.json").write_text("{}")
    ensure_loadable([ct2 / "model.bin"], [], ctranslate2=True)  # CTranslate2's own format, not a pickle


class Evil:
    def __reduce__(self):
        import os

        return (os.system, ("touch /tmp/sensorium-pwned-by-pickle",))


def test_even_a_trusted_pickle_cannot_run_code(tmp_path):
    import os

    import torch

    marker = "/tmp/sensorium-pwned-by-pickle"
    if os.path.exists(marker):
        os.unlink(marker)
    f = tmp_path / "evil.pt"
    torch.save({"weights": torch.zeros(2), "payload": Evil()}, f)
    with pytest.raises(pickle.UnpicklingError):
        safe_torch_load(f, [str(f)])
    assert not os.path.exists(marker)
    good = tmp_path / "good.pt"
    torch.save({"weights": torch.ones(3)}, good)
    assert safe_torch_load(good, [str(good)])["weights"].sum().item() == 3


@pytest.mark.tiny
def test_a_pickle_only_diffusers_folder_is_refused(tiny_sd_dir, tmp_path):
    from pipelines.imagegen import ImageGenerator

    folder = tmp_path / "sd"
    shutil.copytree(tiny_sd_dir, folder)
    st = next((folder / "unet").glob("*.safetensors"))
    st.rename(st.with_suffix(".bin"))
    with pytest.raises(UntrustedFile) as e:
        ImageGenerator(folder, "cpu")
    check_message(str(e.value), "diffusers")


@pytest.mark.weights
def test_a_pickle_only_embedding_folder_is_refused_unless_trusted(minilm_dir, text_embedder, tmp_path):
    """The embed role goes through the same check as every other role: the MiniLM pack with its
    weights saved as pytorch_model.bin instead of safetensors is refused; trusted, it loads (the
    library reads it with weights_only) and embeds exactly like the safetensors original."""
    import numpy as np
    import torch
    from safetensors.torch import load_file

    from pipelines.catalog import ResolvedModel
    from pipelines.embed import TextEmbedder, load
    from pipelines.settings import Settings

    folder = tmp_path / "minilm"
    shutil.copytree(minilm_dir, folder)
    weights = folder / "model.safetensors"
    torch.save(load_file(str(weights)), folder / "pytorch_model.bin")
    weights.unlink()
    with pytest.raises(UntrustedFile) as e:
        TextEmbedder(folder)
    check_message(str(e.value), "pytorch_model.bin")
    settings = Settings()
    settings.device.dtype = "float32"  # compared with the plain float32 library call (no bfloat16 autocast)
    with pytest.raises(UntrustedFile):  # the catalog's loader passes the settings' trust list
        load(ResolvedModel("embed", "minilm", folder, "sentence-transformers", "user-path"), "cpu", settings)
    settings.models.trusted_files = [str(folder / "pytorch_model.bin")]
    trusted = load(ResolvedModel("embed", "minilm", folder, "sentence-transformers", "user-path"), "cpu", settings)
    text = ["draw a lighthouse at dusk", "what is the capital of France?"]
    np.testing.assert_allclose(trusted.embed(text), text_embedder.embed(text), atol=1e-6)
