"""Opening pictures the user drops, attaches or points a folder search at.

``open_image`` is the one door: whatever the file (EXIF-rotated JPEG, CMYK, 16-bit, palette with
transparency, animated GIF, WebP), it returns an 8-bit RGB ``PIL.Image`` the way a photo viewer
would show it, or raises ``BadInput`` with one line that says what to do. The pixel limit is
checked from the header, before any pixel is decoded, so a decompression bomb costs nothing.
"""
from __future__ import annotations

import io
import os
import re
import warnings
from pathlib import Path
from typing import IO

from PIL import Image, ImageOps, UnidentifiedImageError

from .errors import BadInput

__all__ = [
    "SUPPORTED_SUFFIXES",
    "MAX_PIXELS",
    "ImageSource",
    "open_image",
    "to_rgb",
    "is_supported",
]

#: Suffixes a folder search indexes and a file dialog offers.
SUPPORTED_SUFFIXES: frozenset[str] = frozenset({
    ".jpg", ".jpeg", ".jpe", ".jfif", ".png", ".gif", ".webp", ".bmp", ".dib", ".tif", ".tiff",
    ".ppm", ".pgm", ".pbm", ".pnm", ".tga", ".ico", ".avif",
})

#: Largest picture accepted, in pixels (100 megapixels: a 10000x10000 scan).
MAX_PIXELS = 100_000_000

_REFUSED_SUFFIXES = {  # the kind of file (see _refused)
    ".svg": "svg",
    ".svgz": "svg",
    ".heic": "heic",
    ".heif": "heif",
    ".psd": "psd",
    ".raw": "raw",
    ".cr2": "raw",
    ".nef": "raw",
    ".arw": "raw",
    ".dng": "raw",
    ".pdf": "pdf",
}

ImageSource = str | os.PathLike | bytes | bytearray | memoryview | Image.Image | IO[bytes]


def is_supported(path: str | os.PathLike) -> bool:
    return Path(path).suffix.lower() in SUPPORTED_SUFFIXES


def _describe(name: str) -> str:
    return name or "the image"


def _sniff_refused(head: bytes) -> str | None:
    """Recognise formats we refuse from their first bytes (whatever the file is called): the kind."""
    text = head.lstrip()[:256].lower()
    if text.startswith(b"<svg") or (text.startswith(b"<?xml") and b"<svg" in head.lower()):
        return "svg"
    if len(head) >= 12 and head[4:8] == b"ftyp" and head[8:12] in (b"heic", b"heix", b"hevc", b"heim",
                                                                      b"heis", b"mif1", b"msf1"):
        return "heic"
    if head.startswith(b"%PDF"):
        return "pdf"
    return None


def _refused(name: str, kind: str) -> BadInput:
    """The error for a kind of file this app does not open (from _REFUSED_SUFFIXES or _sniff_refused)."""
    if kind == "svg":
        return BadInput("cannot open {name}: it is a vector drawing (SVG); convert it to PNG or JPEG",
                        code="image.refused_svg", name=name)
    if kind == "heic":
        return BadInput("cannot open {name}: HEIC photos are not supported; convert it to PNG or JPEG",
                        code="image.refused_heic", name=name)
    if kind == "heif":
        return BadInput("cannot open {name}: HEIF photos are not supported; convert it to PNG or JPEG",
                        code="image.refused_heif", name=name)
    if kind == "psd":
        return BadInput("cannot open {name}: Photoshop documents are not supported; convert it to PNG or JPEG",
                        code="image.refused_psd", name=name)
    if kind == "raw":
        return BadInput("cannot open {name}: camera RAW files are not supported; convert it to PNG or JPEG",
                        code="image.refused_raw", name=name)
    return BadInput("cannot open {name}: it is a PDF document; convert it to PNG or JPEG",
                    code="image.refused_pdf", name=name)


def _looks_like_text(head: bytes) -> bool:
    if not head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return all(b >= 9 for b in head[:512])


def _open_without_bomb_check(fp: IO[bytes]) -> tuple[int, int] | None:
    """Read only the header to learn the size of a picture Pillow refused as a bomb."""
    Image.init()
    fp.seek(0)
    prefix = fp.read(16)
    for fmt in Image.ID:
        try:
            factory, accept = Image.OPEN[fmt]
            if accept and not accept(prefix):
                continue
            fp.seek(0)
            im = factory(fp, "")
            return im.size
        except Exception:
            continue
    return None


def _too_big(name: str, size: tuple[int, int] | None, pixels: int | None = None) -> BadInput:
    limit = MAX_PIXELS // 1_000_000
    if size:
        return BadInput("{name} is {width}x{height} pixels, larger than the {limit} megapixel limit; resize it "
                        "(for example to 4000 pixels on the long side) and try again", code="image.too_many_pixels",
                        name=_describe(name), width=size[0], height=size[1], limit=limit)
    if pixels:
        return BadInput("{name} is {megapixels} megapixels, larger than the {limit} megapixel limit; resize it "
                        "(for example to 4000 pixels on the long side) and try again", code="image.too_many_megapixels",
                        name=_describe(name), megapixels=f"{pixels / 1e6:.0f}", limit=limit)
    return BadInput("{name} is too large, larger than the {limit} megapixel limit; resize it "
                    "(for example to 4000 pixels on the long side) and try again", code="image.too_large",
                    name=_describe(name), limit=limit)


def to_rgb(im: Image.Image) -> Image.Image:
    """8-bit RGB the way a viewer shows it: alpha composited on white, 16-bit scaled, CMYK converted."""
    mode = im.mode
    if mode == "RGB":
        return im
    if mode == "P":
        im = im.convert("RGBA" if "transparency" in im.info else "RGB")
        mode = im.mode
    elif mode == "PA":
        im = im.convert("RGBA")
        mode = "RGBA"
    if mode in ("I", "I;16", "I;16B", "I;16L", "I;16N", "F"):
        import numpy as np

        arr = np.asarray(im).astype(np.float64)
        top = float(arr.max()) if arr.size else 0.0
        if mode.startswith("I;16") or 255 < top <= 65535:
            arr = arr / 257.0
        elif top > 65535:
            arr = arr * (255.0 / top)
        elif mode == "F" and top <= 1.0:
            arr = arr * 255.0
        im = Image.fromarray(np.clip(np.rint(arr), 0, 255).astype(np.uint8), "L")
        mode = "L"
    if mode in ("RGBA", "LA", "La", "RGBa"):
        rgba = im.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(background, rgba).convert("RGB")
    if mode == "RGBX":
        return im.convert("RGB")
    return im.convert("RGB")  # L, 1, CMYK, YCbCr, LAB, HSV


def open_image(source: ImageSource, *, name: str = "", max_pixels: int = MAX_PIXELS,
               draft: tuple[int, int] | None = None) -> Image.Image:
    """Open a picture as an 8-bit RGB ``PIL.Image`` (EXIF orientation applied, first frame only).

    ``source`` is a path, the file's bytes, an open binary file or an existing ``PIL.Image``.
    ``draft`` lets JPEG decode at a reduced scale at least this big (fast thumbnails for indexing).
    Raises ``BadInput`` (one line, says what to do) for anything that cannot be shown.
    """
    if isinstance(source, Image.Image):
        image = ImageOps.exif_transpose(source) or source
        return to_rgb(image).copy() if image is source else to_rgb(image)

    fp: IO[bytes]
    if isinstance(source, (bytes, bytearray, memoryview)):
        data = bytes(source)
        name = name or "the image"
        if not data:
            raise BadInput("{name} is empty (0 bytes); choose another picture", code="image.empty_file",
                           name=name)
        fp = io.BytesIO(data)
    elif isinstance(source, (str, os.PathLike)):
        path = Path(source).expanduser()
        name = name or path.name
        suffix = path.suffix.lower()
        if suffix in _REFUSED_SUFFIXES:
            raise _refused(name, _REFUSED_SUFFIXES[suffix])
        try:
            size = path.stat().st_size
        except FileNotFoundError:
            raise BadInput("{name} does not exist; check the path", code="image.missing", name=name) from None
        except OSError as e:
            raise BadInput("cannot read {name} ({reason}); check its permissions",
                           code="image.no_permission", name=name, reason=e.strerror) from None
        if path.is_dir():
            raise BadInput("{name} is a folder, not a picture; choose an image file", code="image.is_folder",
                           name=name)
        if size == 0:
            raise BadInput("{name} is empty (0 bytes); choose another picture", code="image.empty_file",
                           name=name)
        try:
            fp = open(path, "rb")  # noqa: SIM115 - closed below
        except OSError as e:
            raise BadInput("cannot read {name} ({reason}); check its permissions",
                           code="image.no_permission", name=name, reason=e.strerror) from None
    elif hasattr(source, "read"):
        fp = source  # type: ignore[assignment]
        name = name or getattr(source, "name", "") or "the image"
    else:
        raise BadInput("cannot open {kind} as a picture; give a file path or image bytes",
                       code="image.bad_source", kind=type(source).__name__)

    try:
        return _decode(fp, name, max_pixels, draft)
    finally:
        if isinstance(source, (str, os.PathLike)):
            fp.close()


def _decode(fp: IO[bytes], name: str, max_pixels: int, draft: tuple[int, int] | None) -> Image.Image:
    try:
        head = fp.read(1024)
        fp.seek(0)
    except OSError as e:
        raise BadInput("cannot read {name} ({error}); check the file", code="image.unreadable", name=name,
                       error=e) from None
    refused = _sniff_refused(head)
    if refused:
        raise _refused(name, refused)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            im = Image.open(fp)
    except Image.DecompressionBombError as e:
        m = re.search(r"\((\d+) pixels\)", str(e))
        raise _too_big(name, _open_without_bomb_check(fp), int(m.group(1)) if m else None) from None
    except UnidentifiedImageError:
        if _looks_like_text(head):
            raise BadInput("{name} is a text file, not a picture; choose a PNG, JPEG or WebP image",
                           code="image.text_file", name=name) from None
        raise BadInput("{name} is not a picture this app can read; convert it to PNG or JPEG",
                       code="image.unknown_format", name=name) from None
    except OSError as e:
        if "truncated" in str(e).lower():
            raise BadInput("{name} is truncated or damaged; copy or download it again",
                           code="image.truncated", name=name) from None
        raise BadInput("cannot open {name} ({error}); convert it to PNG or JPEG", code="image.unopenable",
                       name=name, error=e) from None
    w, h = im.size
    if w * h > max_pixels:
        raise _too_big(name, (w, h))
    if w <= 0 or h <= 0:
        raise BadInput("{name} has no pixels; choose another picture", code="image.no_pixels", name=name)
    try:
        if getattr(im, "is_animated", False):
            im.seek(0)
        if draft and im.format == "JPEG":
            im.draft("RGB", draft)
        im.load()
        rotated = ImageOps.exif_transpose(im)
        out = to_rgb(rotated if rotated is not None else im)
        out.load()
    except OSError as e:
        text = str(e)
        if "truncated" in text.lower() or "broken" in text or "unrecognized data stream" in text:
            raise BadInput("{name} is truncated or damaged; copy or download it again",
                           code="image.truncated", name=name) from None
        raise BadInput("cannot decode {name} ({error}); re-save it as PNG or JPEG", code="image.undecodable",
                       name=name, error=text) from None
    except (ValueError, SyntaxError, EOFError) as e:
        raise BadInput("cannot decode {name} ({error}); re-save it as PNG or JPEG", code="image.undecodable",
                       name=name, error=e) from None
    if out is im:
        out = im.copy()  # detach from the file
    out.info.pop("exif", None)
    return out

