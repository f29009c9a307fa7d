"""open_image on a corpus of awkward files: all real files written with Pillow."""
from __future__ import annotations

import io
import struct
import time
import zlib

import numpy as np
import pytest
from PIL import Image

from pipelines.errors import BadInput
from pipelines.images import SUPPORTED_SUFFIXES, open_image, to_rgb


def _png_header_only(w: int, h: int) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\0" * 16)) + chunk(b"IEND", b""))


def test_exif_orientation_is_honoured(tmp_path):
    im = Image.new("RGB", (20, 10), (255, 0, 0))
    exif = im.getexif()
    exif[0x0112] = 6  # rotate 90 CW when shown
    path = tmp_path / "rotated.jpg"
    im.save(path, exif=exif)
    out = open_image(path)
    assert out.mode == "RGB" and out.size == (10, 20)


def test_cmyk_jpeg(tmp_path):
    path = tmp_path / "cmyk.jpg"
    Image.new("CMYK", (16, 8), (0, 255, 255, 0)).save(path)  # red in CMYK
    out = open_image(path)
    assert out.mode == "RGB" and out.size == (16, 8)
    r, g, b = out.getpixel((8, 4))
    assert r > 200 and g < 60 and b < 60


def test_16_bit_grayscale_is_scaled_not_clipped(tmp_path):
    arr = np.full((8, 8), 32768, dtype=np.uint16)
    path = tmp_path / "deep.png"
    Image.fromarray(arr).save(path)
    assert Image.open(path).mode.startswith("I")
    out = open_image(path)
    assert out.mode == "RGB"
    assert 120 <= out.getpixel((0, 0))[0] <= 135  # half of full scale, not 255


def test_palette_with_transparency_composited_on_white(tmp_path):
    im = Image.new("P", (4, 4), 0)
    im.putpalette([0, 0, 0, 255, 0, 0] + [0] * 762)
    im.putpixel((0, 0), 1)
    im.info["transparency"] = 0
    path = tmp_path / "pal.png"
    im.save(path, transparency=0)
    out = open_image(path)
    assert out.getpixel((0, 0)) == (255, 0, 0)
    assert out.getpixel((3, 3)) == (255, 255, 255)


def test_la_and_rgba_alpha_on_white():
    la = Image.new("LA", (2, 2), (0, 0))
    assert to_rgb(la).getpixel((0, 0)) == (255, 255, 255)
    buf = io.BytesIO()
    Image.new("RGBA", (2, 2), (0, 0, 255, 255)).save(buf, "PNG")
    assert open_image(buf.getvalue()).getpixel((1, 1)) == (0, 0, 255)


def test_animated_gif_first_frame(tmp_path):
    frames = [Image.new("RGB", (8, 8), c) for c in ((255, 0, 0), (0, 255, 0), (0, 0, 255))]
    path = tmp_path / "anim.gif"
    frames[0].save(path, save_all=True, append_images=frames[1:], duration=50, loop=0)
    out = open_image(path)
    r, g, b = out.getpixel((4, 4))
    assert out.size == (8, 8) and r > 200 and g < 50


def test_webp_supported(tmp_path):
    path = tmp_path / "pic.webp"
    Image.new("RGB", (12, 6), (10, 200, 10)).save(path, "WEBP", lossless=True)
    assert open_image(path).getpixel((1, 1)) == (10, 200, 10)
    assert ".webp" in SUPPORTED_SUFFIXES


def test_truncated_file(tmp_path, photos):
    data = photos["coffee"].read_bytes()
    path = tmp_path / "cut.jpg"
    path.write_bytes(data[: len(data) // 3])
    with pytest.raises(BadInput, match="truncated"):
        open_image(path)


def test_zero_bytes(tmp_path):
    path = tmp_path / "empty.png"
    path.write_bytes(b"")
    with pytest.raises(BadInput, match="empty"):
        open_image(path)
    with pytest.raises(BadInput, match="empty"):
        open_image(b"")


def test_text_named_png(tmp_path):
    path = tmp_path / "notes.png"
    path.write_text("this is not a picture\n")
    with pytest.raises(BadInput, match="text file") as e:
        open_image(path)
    assert "\n" not in str(e.value) and "notes.png" in str(e.value)


def test_bomb_refused_before_decoding():
    t0 = time.monotonic()
    with pytest.raises(BadInput, match="30000x30000 pixels.*resize") as e:
        open_image(_png_header_only(30000, 30000), name="bomb.png")
    assert time.monotonic() - t0 < 1.0
    assert "megapixel" in str(e.value)
    with pytest.raises(BadInput, match="12000x10000"):  # above our limit, below Pillow's own
        open_image(_png_header_only(12000, 10000))


def test_svg_and_heic_refused(tmp_path):
    svg = tmp_path / "drawing.svg"
    svg.write_text('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"></svg>')
    with pytest.raises(BadInput, match="SVG.*PNG or JPEG"):
        open_image(svg)
    disguised = tmp_path / "drawing.png"
    disguised.write_text('<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"></svg>')
    with pytest.raises(BadInput, match="SVG"):
        open_image(disguised)
    heic = tmp_path / "IMG_0001.HEIC"
    heic.write_bytes(b"\x00\x00\x00\x18ftypheic" + b"\x00" * 32)
    with pytest.raises(BadInput, match="HEIC.*convert"):
        open_image(heic)


def test_missing_file_and_real_photo(tmp_path, photos):
    with pytest.raises(BadInput, match="does not exist"):
        open_image(tmp_path / "nope.jpg")
    out = open_image(photos["astronaut"])
    assert out.mode == "RGB" and out.size == (512, 512)
    out2 = open_image(photos["astronaut"].read_bytes())
    assert np.array_equal(np.asarray(out), np.asarray(out2))
