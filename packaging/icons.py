"""The app icon at every size a platform asks for, rendered from assets/icons/sensorium.svg with Qt's
own SVG renderer (PySide6's QSvgRenderer, already a dependency) at build time.

    python packaging/icons.py OUT_DIR      # OUT_DIR/hicolor/<N>x<N>/apps/sensorium.png, N = 16 .. 512,
                                           # and OUT_DIR/hicolor/scalable/apps/sensorium.svg

The PyInstaller spec calls ``platform_icon`` for the Windows .ico and the macOS .icns (written with
Pillow from the same renderings).
"""
from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

__all__ = ["FREEDESKTOP_SIZES", "render_png", "freedesktop_icons", "platform_icon"]

#: The hicolor theme's fixed sizes (the freedesktop icon theme specification's usual set).
FREEDESKTOP_SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)
ICON_NAME = "sensorium"


def _app():
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # a build machine has no display
    # a QApplication, not a QGuiApplication: in a process that later opens windows (the test suite,
    # where this may run first) the one application object must be able to carry widgets
    from PySide6.QtWidgets import QApplication

    return QApplication.instance() or QApplication(["sensorium-icons"])


def render_png(svg: Path, size: int, out: Path) -> Path:
    """``svg`` rendered into a transparent ``size`` x ``size`` PNG at ``out``."""
    _app()
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise ValueError(f"{svg} is not an SVG Qt can render")
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter)
    painter.end()
    out.parent.mkdir(parents=True, exist_ok=True)
    if not image.save(str(out), "PNG"):
        raise OSError(f"could not write {out}")
    return out


def freedesktop_icons(svg: Path, share: Path) -> list[Path]:
    """``share``/icons/hicolor/<N>x<N>/apps/sensorium.png for every size, plus the scalable SVG."""
    made = [render_png(svg, n, share / "icons" / "hicolor" / f"{n}x{n}" / "apps" / f"{ICON_NAME}.png")
            for n in FREEDESKTOP_SIZES]
    scalable = share / "icons" / "hicolor" / "scalable" / "apps" / f"{ICON_NAME}.svg"
    scalable.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(svg, scalable)
    return [*made, scalable]


def platform_icon(svg: Path, out: Path) -> Path:
    """A Windows .ico (16 .. 256) or a macOS .icns (16 .. 512, Pillow picks the sizes), by ``out``'s suffix."""
    from PIL import Image

    png = render_png(svg, 512, out.with_suffix(".512.png"))
    with Image.open(png) as image:
        if out.suffix == ".ico":
            image.save(out, sizes=[(n, n) for n in (16, 24, 32, 48, 64, 128, 256)])
        elif out.suffix == ".icns":
            image.save(out)
        else:
            raise ValueError(f"no icon format for {out.suffix!r} (.ico or .icns)")
    return out


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit("usage: python packaging/icons.py OUT_DIR (the share/ folder of an install)")
    repo = Path(__file__).resolve().parent.parent
    for path in freedesktop_icons(repo / "assets" / "icons" / "sensorium.svg", Path(sys.argv[1])):
        print(path)
