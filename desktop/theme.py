"""Light and dark themes: a Fusion palette plus one QSS file per theme, and tinted SVG icons.

``settings.general.theme`` is system, light or dark; system follows ``QStyleHints.colorScheme``.
"""
from __future__ import annotations

import re
from functools import lru_cache

from PySide6.QtCore import QByteArray, QRectF, Qt
from PySide6.QtGui import QColor, QFontDatabase, QGuiApplication, QIcon, QPainter, QPalette, QPixmap
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QApplication

from pipelines.assets import asset

__all__ = ["resolve_theme", "apply_theme", "icon", "current_theme", "COLORS", "SYNTAX", "scaled_qss", "system_point_size"]

COLORS = {
    "light": {"window": "#f6f7f9", "base": "#ffffff", "alt": "#f2f4f7", "text": "#1f2328", "muted": "#667085",
              "line": "#dde1e7", "accent": "#3b6fd8", "accent_text": "#ffffff", "bar": "#3b6fd8",
              "bar_bg": "#e7ecf5", "positive": "#12a150", "negative": "#d92d20", "neutral": "#98a2b3",
              "icon": "#475467"},
    "dark": {"window": "#1b1c1f", "base": "#26282c", "alt": "#2e3035", "text": "#e7e9ec", "muted": "#9aa1ac",
             "line": "#34373c", "accent": "#6b9cff", "accent_text": "#ffffff", "bar": "#6b9cff",
             "bar_bg": "#30343c", "positive": "#3ccf7e", "negative": "#ff6b5e", "neutral": "#8a919c",
             "icon": "#c2c7cf"},
}
#: Code highlighting colours per theme (token kind -> colour), readable on COLORS[...]["alt"].
SYNTAX = {
    "light": {"keyword": "#cf222e", "string": "#0a3069", "comment": "#6e7781", "number": "#0550ae",
              "function": "#8250df", "builtin": "#953800", "decorator": "#8250df"},
    "dark": {"keyword": "#ff7b72", "string": "#a5d6ff", "comment": "#8b949e", "number": "#79c0ff",
             "function": "#d2a8ff", "builtin": "#ffa657", "decorator": "#d2a8ff"},
}
_current = {"name": "light"}


def resolve_theme(choice: str) -> str:
    """light or dark for a settings value (system asks the platform)."""
    if choice in ("light", "dark"):
        return choice
    app = QGuiApplication.instance()
    if app is not None:
        scheme = app.styleHints().colorScheme()
        if scheme == Qt.ColorScheme.Dark:
            return "dark"
    return "light"


def current_theme() -> str:
    return _current["name"]


def _palette(name: str) -> QPalette:
    c = COLORS[name]
    p = QPalette()
    roles = {
        QPalette.ColorRole.Window: c["window"], QPalette.ColorRole.WindowText: c["text"],
        QPalette.ColorRole.Base: c["base"], QPalette.ColorRole.AlternateBase: c["alt"],
        QPalette.ColorRole.Text: c["text"], QPalette.ColorRole.Button: c["base"],
        QPalette.ColorRole.ButtonText: c["text"], QPalette.ColorRole.Highlight: c["accent"],
        QPalette.ColorRole.HighlightedText: c["accent_text"], QPalette.ColorRole.ToolTipBase: c["base"],
        QPalette.ColorRole.ToolTipText: c["text"], QPalette.ColorRole.PlaceholderText: c["muted"],
        QPalette.ColorRole.Link: c["accent"], QPalette.ColorRole.Mid: c["line"],
    }
    for role, color in roles.items():
        p.setColor(role, QColor(color))
    for role in (QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText, QPalette.ColorRole.WindowText):
        p.setColor(QPalette.ColorGroup.Disabled, role, QColor(c["muted"]))
    return p


def system_point_size() -> float:
    """The size of the system's text font (the desktop's font settings), in points."""
    size = QFontDatabase.systemFont(QFontDatabase.SystemFont.GeneralFont).pointSizeF()
    return size if size > 0 else 10.0


def scaled_qss(qss: str, base_pt: float) -> str:
    """The stylesheets give font sizes in ``em`` of the system font (Qt's stylesheets know only pt
    and px): ``font-size: 1.5em`` becomes 1.5 x ``base_pt`` points, so the text follows the system
    font size instead of a fixed one."""
    return re.sub(r"font-size:\s*(\d+(?:\.\d+)?)em",
                  lambda m: f"font-size: {float(m.group(1)) * base_pt:.1f}pt", qss)


def apply_theme(app: QApplication, choice: str) -> str:
    """Apply the theme for a settings value; returns the resolved name (light or dark)."""
    name = resolve_theme(choice)
    _current["name"] = name
    if app.style().name().lower() != "fusion":
        app.setStyle("Fusion")
    try:
        qss = scaled_qss(asset("styles", f"{name}.qss").read_text(encoding="utf-8"), system_point_size())
    except OSError:
        qss = ""
    if app.styleSheet() != qss:  # restyling every widget is not free: only on a real change
        app.setPalette(_palette(name))
        app.setStyleSheet(qss)
    return name


@lru_cache(maxsize=256)
def _icon(name: str, color: str) -> QIcon:
    try:
        svg = asset("icons", f"{name}.svg").read_text(encoding="utf-8")
    except OSError:
        return QIcon()
    svg = svg.replace("currentColor", color)
    renderer = QSvgRenderer(QByteArray(svg.encode("utf-8")))
    out = QIcon()
    for size in (16, 20, 24, 32, 48):
        for ratio in (1.0, 2.0):
            pm = QPixmap(int(size * ratio), int(size * ratio))
            pm.fill(Qt.GlobalColor.transparent)
            painter = QPainter(pm)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            renderer.render(painter, QRectF(0, 0, size * ratio, size * ratio))
            painter.end()
            pm.setDevicePixelRatio(ratio)
            out.addPixmap(pm)
    return out


def icon(name: str, color: str | None = None) -> QIcon:
    """A themed icon from assets/icons (tinted with the theme's icon colour unless told)."""
    return _icon(name, color or COLORS[_current["name"]]["icon"])
