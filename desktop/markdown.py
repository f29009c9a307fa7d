"""Markdown to safe HTML for message bubbles, and a text browser that never loads anything remote.

markdown-it-py renders with raw HTML disabled; the result then goes through a whitelist
sanitizer (tags and attributes). Links keep only http, https and mailto targets; images are
replaced by their alt text (a reply can never make the window fetch a URL).
"""
from __future__ import annotations

import html
import re
from html.parser import HTMLParser

from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import QDesktopServices, QTextDocument
from PySide6.QtWidgets import QSizePolicy, QTextBrowser

__all__ = ["render_markdown", "sanitize_html", "safe_link", "SafeTextBrowser", "open_link"]

ALLOWED_TAGS = {
    "p", "br", "hr", "em", "strong", "b", "i", "u", "s", "del", "code", "pre", "blockquote", "ul", "ol", "li",
    "h1", "h2", "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td", "a", "span", "div", "sub", "sup",
}
VOID_TAGS = {"br", "hr"}
ALLOWED_ATTRS = {"a": {"href", "title"}, "th": {"align", "style"}, "td": {"align", "style"}, "ol": {"start"}}
SAFE_SCHEMES = ("http", "https", "mailto")
_TEXT_ALIGN = re.compile(r"text-align:(left|right|center|justify);?")

_md = None


def _parser():
    global _md
    if _md is None:
        from markdown_it import MarkdownIt

        _md = MarkdownIt("commonmark", {"html": False, "linkify": False, "breaks": True, "typographer": False})
        _md.enable(["table", "strikethrough"])
    return _md


def safe_link(href: str) -> str | None:
    """The link if its scheme is http, https or mailto; None otherwise (javascript:, file:, data:...)."""
    url = QUrl(href.strip())
    if url.isValid() and url.scheme().lower() in SAFE_SCHEMES and url.scheme():
        return url.toString()
    return None


class _Sanitizer(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.stack: list[str] = []
        self.skip = 0  # inside a dropped element whose text must not show (script/style)

    def handle_starttag(self, tag, attrs):
        tag = tag.lower()
        if tag in ("script", "style", "iframe", "object"):
            self.skip += 1
            return
        if tag == "img":
            alt = dict(attrs).get("alt") or ""
            if alt and not self.skip:
                self.out.append(html.escape(f"[image: {alt}]"))
            return
        if tag not in ALLOWED_TAGS or self.skip:
            return
        kept = []
        for name, value in attrs:
            name = name.lower()
            if name not in ALLOWED_ATTRS.get(tag, set()) or value is None:
                continue
            if name == "href":
                value = safe_link(value)
                if value is None:
                    continue
            if name == "style" and not _TEXT_ALIGN.fullmatch(value.replace(" ", "").lower()):
                continue  # only the alignment markdown-it writes: no url(), no other CSS
            kept.append(f' {name}="{html.escape(value, quote=True)}"')
        self.out.append(f"<{tag}{''.join(kept)}>")
        if tag not in VOID_TAGS:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag.lower() in ALLOWED_TAGS and tag.lower() not in VOID_TAGS and self.stack and self.stack[-1] == tag:
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        tag = tag.lower()
        if tag in ("script", "style", "iframe", "object"):
            self.skip = max(0, self.skip - 1)
            return
        if tag in self.stack:
            while self.stack:
                t = self.stack.pop()
                self.out.append(f"</{t}>")
                if t == tag:
                    break

    def handle_data(self, data):
        if not self.skip:
            self.out.append(html.escape(data, quote=False))

    def close(self):
        super().close()
        while self.stack:
            self.out.append(f"</{self.stack.pop()}>")


def sanitize_html(fragment: str) -> str:
    s = _Sanitizer()
    s.feed(fragment)
    s.close()
    return "".join(s.out)


def render_markdown(text: str, *, code_bg: str = "#f2f4f7", line: str = "#dde1e7") -> str:
    """Markdown to sanitized HTML with a small built-in style (Qt's HTML subset)."""
    body = sanitize_html(_parser().render(text or ""))
    style = (f"<style>pre {{ background: {code_bg}; padding: 6px; white-space: pre-wrap; }}"
             f"code {{ font-family: 'DejaVu Sans Mono', monospace; background: {code_bg}; }}"
             f"table {{ border-collapse: collapse; }}"
             f"th, td {{ border: 1px solid {line}; padding: 3px 6px; }}"
             f"th {{ background: {code_bg}; }}"
             "p { margin-top: 0px; margin-bottom: 6px; } ul, ol { margin-top: 0px; margin-bottom: 6px; }"
             "blockquote { margin-left: 10px; }</style>")
    return style + body


def open_link(url: QUrl) -> bool:
    """Open a clicked link in the system browser: http, https and mailto only."""
    if url.scheme().lower() in SAFE_SCHEMES:
        return QDesktopServices.openUrl(url)
    return False


class SafeTextBrowser(QTextBrowser):
    """Read-only rich text that loads no resources except data and never follows links itself.

    The height follows the document (for bubbles in a scroll area): set ``auto_height``.
    """

    linkClicked = Signal(QUrl)

    def __init__(self, parent=None, *, auto_height: bool = True):
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.anchorClicked.connect(self._on_anchor)
        self._auto = auto_height
        self.refused: list[str] = []  # URLs refused (for tests and the log)
        if auto_height:
            self.setVerticalScrollBarPolicy(self.verticalScrollBarPolicy().ScrollBarAlwaysOff)
            self.setHorizontalScrollBarPolicy(self.horizontalScrollBarPolicy().ScrollBarAlwaysOff)
            self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            self.document().documentLayout().documentSizeChanged.connect(self._fit)
        self.document().setDocumentMargin(2)

    def loadResource(self, type_: int, name: QUrl):  # noqa: N802 (Qt name)
        if name.scheme().lower() == "data":
            return super().loadResource(type_, name)
        self.refused.append(name.toString())
        return None

    def _on_anchor(self, url: QUrl) -> None:
        self.linkClicked.emit(url)
        open_link(url)

    def _fit(self, *_):
        h = int(self.document().size().height()) + 4
        if self.height() != h:
            self.setFixedHeight(h)

    def resizeEvent(self, e):
        super().resizeEvent(e)
        if self._auto:
            self.document().setTextWidth(self.viewport().width())
            self._fit()

    def setMarkdownText(self, text: str, *, code_bg: str = "#f2f4f7", line: str = "#dde1e7") -> None:
        self.setHtml(render_markdown(text, code_bg=code_bg, line=line))


def plain_document(text: str) -> QTextDocument:
    doc = QTextDocument()
    doc.setPlainText(text)
    return doc
