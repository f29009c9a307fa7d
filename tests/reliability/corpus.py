"""Generate a corpus of bad (and awkward but valid) inputs: images, audio, text and parameters.

Everything is generated here from code and a fixed seed (no hand-picked files), so the corpus
is the same on every machine and grows by adding a generator, not a fixture file. Besides the
named cases, a few seeded byte-level mutations of valid PNG, JPEG and WAV files are added.

    python -m tests.reliability.corpus OUT_DIR     # writes the files and prints the counts

The tests call ``build(out_dir)``. Each case has a ``kind`` (image, audio, text, params), a
``name`` and either a ``path`` (files), a ``text`` or ``options`` (image generation options).
"""
from __future__ import annotations

import io
import random
import struct
import sys
import zlib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["Case", "Corpus", "build", "SEED", "FUZZ_PER_FORMAT"]

SEED = 20240611
FUZZ_PER_FORMAT = 4
SPEECH = Path(__file__).resolve().parents[1] / "data" / "speech" / "cards-001.wav"  # the project's own copy


@dataclass(frozen=True)
class Case:
    kind: str  # image | audio | text | params
    name: str
    path: Path | None = None
    text: str = ""
    options: dict[str, Any] = field(default_factory=dict)
    note: str = ""  # what the case checks, for reports

    def __str__(self) -> str:
        return f"{self.kind}:{self.name}"


@dataclass
class Corpus:
    root: Path
    cases: list[Case]

    def of(self, kind: str) -> list[Case]:
        return [c for c in self.cases if c.kind == kind]

    def counts(self) -> dict[str, int]:
        return dict(Counter(c.kind for c in self.cases))


# ---- low-level writers ------------------------------------------------------------------------
def _chunk(tag: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF)


def write_png_stream(path: Path, width: int, height: int, bit_depth: int, color_type: int, row) -> None:
    """A PNG written row by row (``row(y) -> bytes`` without the filter byte), compressed as it goes:
    a 30000x30000 picture costs a few seconds and a megabyte, not 900 MB."""
    comp = zlib.compressobj(9)
    body = bytearray()
    for y in range(height):
        body += comp.compress(b"\x00" + row(y))
    body += comp.flush()
    ihdr = struct.pack(">IIBBBBB", width, height, bit_depth, color_type, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", ihdr) + _chunk(b"IDAT", bytes(body))
                     + _chunk(b"IEND", b""))


def _wav_header(fmt_tag: int, channels: int, rate: int, bits: int, data_len: int) -> bytes:
    block = channels * bits // 8
    fmt = struct.pack("<HHIIHH", fmt_tag, channels, rate, rate * block, block, bits)
    return (b"RIFF" + struct.pack("<I", 4 + 8 + len(fmt) + 8 + data_len) + b"WAVE"
            + b"fmt " + struct.pack("<I", len(fmt)) + fmt + b"data" + struct.pack("<I", data_len))


def _photo(w: int = 96, h: int = 64):
    """A small picture with structure (gradients and a disc), so encoders produce real data."""
    from PIL import Image, ImageDraw

    y, x = np.mgrid[0:h, 0:w]
    arr = np.stack([(x * 255 // max(1, w - 1)), (y * 255 // max(1, h - 1)), ((x + y) * 7) % 256], -1)
    im = Image.fromarray(arr.astype(np.uint8), "RGB")
    ImageDraw.Draw(im).ellipse((w // 4, h // 4, w * 3 // 4, h * 3 // 4), fill=(250, 240, 20))
    return im


def _mutate(data: bytes, rng: random.Random, keep_header: int) -> bytes:
    b = bytearray(data)
    how = rng.choice(("flip", "zero", "cut", "dup"))
    if how == "flip":
        for _ in range(rng.randint(1, 32)):
            i = rng.randrange(keep_header, len(b))
            b[i] ^= 1 << rng.randrange(8)
    elif how == "zero":
        i = rng.randrange(keep_header, len(b))
        b[i:i + rng.randint(1, 256)] = bytes(min(len(b) - i, 256))[: len(b[i:i + 256])]
    elif how == "cut":
        b = b[: rng.randrange(keep_header, len(b))]
    else:
        i = rng.randrange(keep_header, len(b))
        b[i:i] = b[i:i + rng.randint(1, 512)]
    return bytes(b)


# ---- images -----------------------------------------------------------------------------------
def _images(d: Path, rng: random.Random) -> list[Case]:
    from PIL import Image, ImageDraw
    from PIL.PngImagePlugin import PngInfo

    d.mkdir(parents=True, exist_ok=True)
    cases: list[Case] = []

    def add(name: str, note: str) -> Path:
        p = d / name
        cases.append(Case("image", name, p, note=note))
        return p

    photo = _photo()
    png = io.BytesIO()
    photo.save(png, "PNG")
    jpg = io.BytesIO()
    photo.save(jpg, "JPEG", quality=90)
    add("zero-bytes.png", "empty file").write_bytes(b"")
    add("truncated.png", "PNG cut in half").write_bytes(png.getvalue()[: len(png.getvalue()) // 2])
    add("truncated.jpg", "JPEG cut in half").write_bytes(jpg.getvalue()[: len(jpg.getvalue()) // 2])
    add("header-only.png", "PNG signature and nothing else").write_bytes(b"\x89PNG\r\n\x1a\n")
    add("text-named.png", "a text file named .png").write_text("this is not a picture\n" * 20)
    add("random-bytes.jpg", "random bytes named .jpg").write_bytes(rng.randbytes(4096))
    write_png_stream(add("bomb-30000x30000.png", "decompression bomb"), 30000, 30000, 8, 0,
                     lambda y, z=bytes(30000): z)
    write_png_stream(add("wide-200000x1.png", "extreme aspect ratio"), 200000, 1, 8, 0,
                     lambda y: bytes(200000))
    photo.convert("CMYK").save(add("cmyk.jpg", "CMYK JPEG"), "JPEG", quality=90)
    g16 = (np.linspace(0, 65535, 96 * 64).reshape(64, 96)).astype(np.uint16)
    Image.fromarray(g16).save(add("gray16.png", "16-bit grayscale PNG"))
    rgb16 = (np.asarray(photo).astype(np.uint16) * 257).astype(">u2")
    write_png_stream(add("rgb16.png", "16-bit RGB PNG"), 96, 64, 16, 2, lambda y: rgb16[y].tobytes())
    pal = photo.convert("P", palette=Image.Palette.ADAPTIVE, colors=16)
    pal.info["transparency"] = 0
    pal.save(add("palette-transparent.png", "palette with transparency"), transparency=0)
    pal.save(add("palette-transparent.gif", "GIF with transparency"), transparency=0)
    frames = [Image.new("RGB", (48, 48), c) for c in ("red", "green", "blue")]
    frames[0].save(add("animated.gif", "animated GIF"), save_all=True, append_images=frames[1:], duration=80, loop=0)
    exif = Image.Exif()
    exif[0x010E] = "x" * 60000  # ImageDescription: the JPEG APP1 segment is nearly full
    exif[0x0131] = "generator"
    photo.save(add("huge-exif.jpg", "60 kB EXIF"), "JPEG", exif=exif.tobytes())
    info = PngInfo()
    info.add_text("Comment", "y" * 4_000_000)
    photo.save(add("huge-text-chunk.png", "4 MB text chunk"), pnginfo=info)
    # EXIF orientation 6: stored 80x40 (left red, right blue), shown rotated 90 degrees clockwise
    o = Image.new("RGB", (80, 40), "red")
    ImageDraw.Draw(o).rectangle((40, 0, 79, 39), fill="blue")
    ex = Image.Exif()
    ex[0x0112] = 6
    o.save(add("exif-orientation-6.jpg", "EXIF orientation: must be honoured (becomes 40x80, red on top)"),
           "JPEG", exif=ex.tobytes(), quality=95)
    (d / "vector.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
                                  '<image href="http://example.invalid/x.png"/></svg>')
    cases.append(Case("image", "vector.svg", d / "vector.svg", note="SVG"))
    add("svg-named.png", "SVG content named .png").write_text(
        '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"><rect width="5" height="5"/></svg>')
    heic = struct.pack(">I", 24) + b"ftypheic" + b"\x00\x00\x00\x00mif1heic" + rng.randbytes(2000)
    add("photo.heic", "HEIC").write_bytes(heic)
    add("heic-named.jpg", "HEIC content named .jpg").write_bytes(heic)
    photo.save(add("photo.webp", "WebP"), "WEBP", quality=80)
    frames[0].save(add("animated.webp", "animated WebP"), "WEBP", save_all=True, append_images=frames[1:])
    photo.convert("RGBA").save(add("rgba.png", "RGBA"))
    photo.convert("LA").save(add("gray-alpha.png", "grayscale with alpha"))
    photo.convert("1").save(add("bilevel.png", "1-bit"))
    Image.new("RGB", (1, 1), "white").save(add("one-pixel.png", "1x1"))
    Image.fromarray(g16.astype(np.int32) * 3, "I").save(add("int32.tif", "32-bit integer TIFF"))
    photo.save(add("bitmap.bmp", "BMP"))
    photo.save(add("photo.avif", "AVIF"), "AVIF")
    (d / "folder.png").mkdir(exist_ok=True)
    cases.append(Case("image", "folder.png", d / "folder.png", note="a folder named .png"))
    cases.append(Case("image", "missing.png", d / "does-not-exist.png", note="no such file"))
    for i in range(FUZZ_PER_FORMAT):
        add(f"fuzz-{i}.png", "mutated PNG").write_bytes(_mutate(png.getvalue(), rng, 8))
        add(f"fuzz-{i}.jpg", "mutated JPEG").write_bytes(_mutate(jpg.getvalue(), rng, 2))
    return cases


# ---- audio ------------------------------------------------------------------------------------
def _audio(d: Path, rng: random.Random) -> list[Case]:
    import soundfile as sf

    d.mkdir(parents=True, exist_ok=True)
    cases: list[Case] = []
    nrng = np.random.default_rng(SEED)

    def add(name: str, note: str) -> Path:
        p = d / name
        cases.append(Case("audio", name, p, note=note))
        return p

    speech, rate = sf.read(str(SPEECH), dtype="float32")  # tests/data travels with every clone
    if speech.ndim > 1:
        speech = speech.mean(axis=1)
    add("empty.wav", "zero bytes").write_bytes(b"")
    add("no-frames.wav", "a WAV header and no samples").write_bytes(_wav_header(1, 1, 16000, 16, 0))
    sf.write(str(add("10ms.wav", "10 ms")), nrng.normal(0, 0.1, 160).astype(np.float32), 16000)
    sf.write(str(add("one-sample.wav", "a single sample")), np.zeros(1, np.float32), 16000)
    sf.write(str(add("silence.wav", "3 s of digital silence")), np.zeros(48000, np.float32), 16000)
    sf.write(str(add("noise.wav", "3 s of white noise")), nrng.uniform(-1, 1, 48000).astype(np.float32), 16000,
             subtype="PCM_16")
    clipped = np.clip(speech * 20.0, -1.0, 1.0)
    sf.write(str(add("clipped.wav", "speech amplified 20x and clipped")), clipped, rate, subtype="PCM_16")
    from pipelines.audio import resample

    sf.write(str(add("speech-8k.wav", "speech at 8 kHz")), resample(speech, rate, 8000), 8000, subtype="PCM_16")
    s48 = resample(speech, rate, 48000)
    stereo = np.stack([s48, 0.5 * s48], axis=1)
    sf.write(str(add("speech-48k-stereo.wav", "speech, 48 kHz stereo")), stereo, 48000, subtype="PCM_16")
    sf.write(str(add("speech-6ch.wav", "6 channels")), np.tile(speech[:, None], (1, 6)), rate, subtype="PCM_16")
    sf.write(str(add("speech-u8.wav", "8-bit unsigned PCM")), speech, rate, subtype="PCM_U8")
    sf.write(str(add("speech.flac", "FLAC")), speech, rate)
    sf.write(str(add("speech.ogg", "Ogg Vorbis")), speech, rate, format="OGG", subtype="VORBIS")
    # one hour: quiet noise (-66 dBFS) with one utterance at the start, as FLAC (a few MB)
    hour = add("one-hour.flac", "one hour long")
    with sf.SoundFile(str(hour), "w", 16000, 1, format="FLAC", subtype="PCM_16") as f:
        f.write(resample(speech, rate, 16000))
        block = 16000 * 60
        for _ in range(60):
            f.write(nrng.normal(0, 0.0005, block).astype(np.float32))
    nan = np.zeros(16000, np.float32)
    nan[::100] = np.nan
    sf.write(str(add("nan-samples.wav", "float WAV with NaN samples")), nan, 16000, subtype="FLOAT")
    good = io.BytesIO()
    sf.write(good, speech, rate, format="WAV", subtype="PCM_16")
    wav = good.getvalue()
    add("corrupt-header.wav", "RIFF header overwritten").write_bytes(b"RIFX\xff\xff" + rng.randbytes(38) + wav[44:])
    add("bad-fmt-chunk.wav", "fmt chunk says 0 channels").write_bytes(
        _wav_header(1, 0, 16000, 16, len(wav) - 44) + wav[44:])
    add("unsupported-codec.wav", "WAV with an unknown codec tag (0x1234)").write_bytes(
        _wav_header(0x1234, 1, 16000, 16, 32000) + rng.randbytes(32000))
    add("g729-codec.wav", "WAV with G.729 (not decodable here)").write_bytes(
        _wav_header(0x0083, 1, 8000, 8, 8000) + rng.randbytes(8000))
    add("random.mp3", "random bytes named .mp3").write_bytes(rng.randbytes(8192))
    add("text.wav", "a text file named .wav").write_text("hello\n" * 200)
    for i in range(FUZZ_PER_FORMAT):
        add(f"fuzz-{i}.wav", "mutated WAV").write_bytes(_mutate(wav, rng, 0))
    cases.append(Case("audio", "missing.wav", d / "does-not-exist.wav", note="no such file"))
    return cases


# ---- text -------------------------------------------------------------------------------------
def _texts(rng: random.Random) -> list[Case]:
    words = ("river", "cloud", "lantern", "copper", "meadow", "signal", "harbor", "violet", "quartz", "ember")
    long_prompt = " ".join(f"{rng.choice(words)}{i}" for i in range(12000))  # far past a 2k-8k context
    paste = ("Lorem ipsum dolor sit amet, consectetur adipiscing elit. " * 18000)[:1_000_000]
    t = [
        ("empty", "", "nothing typed"),
        ("whitespace", " \n\t \u3000 ", "only whitespace"),
        ("1MB-paste", paste, "a 1 MB paste"),
        ("control-chars", "hello\x00\x01\x07\x1b[31mred\x1b[0m\x7f there\r\nsecond line", "control characters"),
        ("lone-surrogates", "bad \ud800 pair \udfff end", "lone surrogates"),
        ("only-surrogate", "\udc80", "a lone surrogate and nothing else"),
        ("right-to-left", "\u202emirror\u202c \u05e9\u05dc\u05d5\u05dd \u0645\u0631\u062d\u0628\u0627 \u200f?",
         "right-to-left and bidi overrides"),
        ("emoji", "\U0001F600\U0001F469\u200d\U0001F469\u200d\U0001F467 what does \U0001F308 mean? \U0001F1FA\U0001F1F8",
         "emoji and ZWJ sequences"),
        ("chinese", "\u4f60\u597d\uff0c\u4eca\u5929\u5929\u6c14\u600e\u4e48\u6837\uff1f", "Chinese"),
        ("draw-chinese", "\u753b\u4e00\u53ea\u732b", "a Chinese drawing request"),
        ("zalgo", "h" + "\u0301\u0316\u0337" * 300 + "i", "stacked combining marks"),
        ("long-word", "a" * 100_000, "one 100k-character word"),
        ("longer-than-context", long_prompt, "a prompt longer than the context window"),
        ("html-injection", '<img src="http://example.invalid/p.png"><script>alert(1)</script> hi', "HTML in the prompt"),
        ("fts-syntax", 'NEAR("a" "b") OR * AND "unterminated', "full-text search syntax"),
        ("null-only", "\x00\x00\x00", "only NUL bytes"),
        ("bom-and-zwsp", "\ufeff\u200b\u200b hello \u2060", "BOM and zero-width characters"),
    ]
    return [Case("text", n, text=v, note=note) for n, v, note in t]


# ---- generation parameters ------------------------------------------------------------------
def _params() -> list[Case]:
    p = [
        ("steps-0", {"steps": 0}), ("steps-10000", {"steps": 10000}), ("steps-negative", {"steps": -3}),
        ("size-7x7", {"width": 7, "height": 7}), ("size-8192x8192", {"width": 8192, "height": 8192}),
        ("size-0x512", {"width": 0, "height": 512}), ("size-100x60", {"width": 100, "height": 60}),
        ("strength-negative", {"strength": -0.5, "init": True}), ("strength-2", {"strength": 2.0, "init": True}),
        ("strength-0", {"strength": 0.0, "init": True}),
        ("guidance-negative", {"guidance": -5.0}), ("guidance-nan", {"guidance": float("nan")}),
        ("guidance-inf", {"guidance": float("inf")}), ("guidance-1000", {"guidance": 1000.0}),
        ("best-of-0", {"best_of": 0}), ("best-of-100", {"best_of": 100}),
        ("seed-negative", {"seed": -1}), ("seed-huge", {"seed": 2**70}),
        ("scheduler-unknown", {"scheduler": "warp-drive"}), ("prompt-empty", {"prompt": ""}),
        ("init-extreme-aspect", {"init": "wide-200000x1.png"}), ("init-one-pixel", {"init": "one-pixel.png"}),
        ("init-refused-heic", {"init": "photo.heic"}),
        ("prompt-huge", {"prompt": "a cat " * 5000}),
    ]
    return [Case("params", n, options=o) for n, o in p]


def build(root: str | Path) -> Corpus:
    root = Path(root)
    rng = random.Random(SEED)
    cases = _images(root / "images", rng) + _audio(root / "audio", rng) + _texts(rng) + _params()
    return Corpus(root, cases)


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m tests.reliability.corpus OUT_DIR", file=sys.stderr)
        return 2
    corpus = build(argv[0])
    for kind, n in corpus.counts().items():
        print(f"{kind:7} {n:4} cases")
    print(f"written under {corpus.root}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
