"""Markdown to safe HTML for message bubbles, and a text browser that never loads anything remote.

markdown-it-py renders with raw HTML disabled; the result then goes through a whitelist
sanitizer (tags and attributes). Links keep only http, https and mailto targets; images are
replaced by their alt text (a reply can never make the window fetch a URL). Code blocks are
highlighted with Pygments (when installed) as ``<span style="color:#rrggbb">`` runs in the theme's
syntax colours: the only style a span may carry.
"""
from __future__ import annotations

import html
import re
from html.parser import HTMLParser

from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import QDesktopServices, QGuiApplication, QTextCursor, QTextDocument
from PySide6.QtWidgets import QSizePolicy, QTextBrowser

from .i18n import translate

__all__ = ["render_markdown", "render_body", "block_starts", "markdown_css", "highlight_code", "sanitize_html",
           "safe_link", "SafeTextBrowser", "open_link", "COPY_SCHEME"]

ALLOWED_TAGS = {
    "p", "br", "hr", "em", "strong", "b", "i", "u", "s", "del", "code", "pre", "blockquote", "ul", "ol", "li",
    "h1", "h2", "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td", "a", "span", "div", "sub", "sup",
}
VOID_TAGS = {"br", "hr"}
ALLOWED_ATTRS = {"a": {"href", "title"}, "th": {"align", "style"}, "td": {"align", "style"}, "ol": {"start"},
                 "span": {"style"}}
SAFE_SCHEMES = ("http", "https", "mailto")
COPY_SCHEME = "copy-code"  # the window's own "Copy code" links (copy-code:N), never opened
_TEXT_ALIGN = re.compile(r"text-align:(left|right|center|justify);?")
_CODE_STYLE = re.compile(r"color:#[0-9a-f]{6};(font-weight:bold;)?(font-style:italic;)?")
_STYLE_RULES = {"th": _TEXT_ALIGN, "td": _TEXT_ALIGN, "span": _CODE_STYLE}

_md = None


def _parser():
    global _md
    if _md is None:
        from markdown_it import MarkdownIt

        _md = MarkdownIt("commonmark", {"html": False, "linkify": False, "breaks": True, "typographer": False})
        _md.enable(["table", "strikethrough"])
        _md.add_render_rule("fence", _render_code)
        _md.add_render_rule("code_block", _render_code)
    return _md


def _render_code(self, tokens, idx, options, env) -> str:
    """A fenced or indented code block, highlighted; its exact code is kept in ``env["codes"]``."""
    token = tokens[idx]
    lang = token.info.strip().split(maxsplit=1)[0] if token.type == "fence" and token.info.strip() else ""
    env.setdefault("codes", []).append((lang, token.content))
    return f"<pre><code>{highlight_code(token.content, lang, env.get('syntax'))}</code></pre>\n"


def highlight_code(code: str, lang: str, syntax: dict | None) -> str:
    """Escaped code with colour spans from ``syntax`` (token kind -> #rrggbb); plain without Pygments."""
    if not syntax or not lang:
        return html.escape(code, quote=False)
    try:
        from pygments.lexers import get_lexer_by_name
        from pygments.util import ClassNotFound
    except ImportError:
        return html.escape(code, quote=False)
    try:
        lexer = get_lexer_by_name(lang, stripnl=False, ensurenl=False)
    except ClassNotFound:
        return html.escape(code, quote=False)
    out = []
    for ttype, value in lexer.get_tokens(code):
        kind = _token_kind(ttype)
        text = html.escape(value, quote=False)
        if kind and kind in syntax and value.strip():
            extra = "font-style:italic;" if kind == "comment" else ("font-weight:bold;" if kind == "keyword" else "")
            out.append(f'<span style="color:{syntax[kind]};{extra}">{text}</span>')
        else:
            out.append(text)
    return "".join(out)


def _token_kind(ttype) -> str | None:
    from pygments import token as t

    for kind, base in (("comment", t.Comment), ("string", t.String), ("number", t.Number),
                       ("builtin", t.Name.Builtin), ("function", t.Name.Function), ("function", t.Name.Class),
                       ("keyword", t.Keyword), ("keyword", t.Operator.Word), ("decorator", t.Name.Decorator)):
        if ttype in base:
            return kind
    return None


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
                self.out.append(html.escape(translate("Markdown", "[image: {alt}]").format(alt=alt)))
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
            if name == "style" and not _STYLE_RULES[tag].fullmatch(value.replace(" ", "").lower()):
                continue  # only alignment and code colours: no url(), no other CSS
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


def markdown_css(code_bg: str = "#f2f4f7", line: str = "#dde1e7") -> str:
    """The small built-in style of rendered Markdown (Qt's CSS subset)."""
    return (f"pre {{ background: {code_bg}; padding: 6px; white-space: pre-wrap; }}"
            f"code {{ font-family: 'DejaVu Sans Mono', monospace; background: {code_bg}; }}"
            f"table {{ border-collapse: collapse; }}"
            f"th, td {{ border: 1px solid {line}; padding: 3px 6px; }}"
            f"th {{ background: {code_bg}; }}"
            "p { margin-top: 0px; margin-bottom: 6px; } ul, ol { margin-top: 0px; margin-bottom: 6px; }"
            "blockquote { margin-left: 10px; }")


def render_body(text: str, syntax: dict | None = None, env: dict | None = None) -> str:
    """Markdown to sanitized HTML without the style; ``env`` collects the code blocks (``codes``)."""
    env = {} if env is None else env
    env["syntax"] = syntax
    return sanitize_html(_parser().render(text or "", env))


def block_starts(source: str) -> list[int]:
    """Character offsets where the top-level Markdown blocks of ``source`` start."""
    lines = [0] + [m.end() for m in re.finditer("\n", source)]
    return [lines[t.map[0]] for t in _parser().parse(source) if t.level == 0 and t.nesting >= 0 and t.map]


def render_markdown(text: str, *, code_bg: str = "#f2f4f7", line: str = "#dde1e7", syntax: dict | None = None) -> str:
    """Markdown to sanitized HTML with a small built-in style (Qt's HTML subset)."""
    return f"<style>{markdown_css(code_bg, line)}</style>" + render_body(text, syntax)


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
    codeCopied = Signal(str)

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
        self._markdown = None  # the renderer, made by the first setMarkdownText (user bubbles never need one)

    @property
    def markdown(self):
        """The document's Markdown renderer (desktop/streaming.py), made on first use."""
        if self._markdown is None:
            from .streaming import MarkdownRenderer  # it renders with this module's functions

            self._markdown = MarkdownRenderer(self.document())
        return self._markdown

    def loadResource(self, type_: int, name: QUrl):  # noqa: N802 (Qt name)
        if name.scheme().lower() == "data":
            return super().loadResource(type_, name)
        self.refused.append(name.toString())
        return None

    def _on_anchor(self, url: QUrl) -> None:
        if url.scheme() == COPY_SCHEME:
            index = int(url.path()) if url.path().isdigit() else -1
            if self._markdown is not None and 0 <= index < len(self._markdown.codes):
                code = self._markdown.codes[index][1]
                QGuiApplication.clipboard().setText(code)
                self.codeCopied.emit(code)
            return
        self.linkClicked.emit(url)
        open_link(url)

    def createMimeDataFromSelection(self):  # noqa: N802 (Qt name)
        """Copying a selection leaves out the "Copy code" lines above code blocks (they are the
        window's controls, not the reply): plain text and HTML both come from a copy of the document
        without them."""
        cur = self.textCursor()
        doc = self.document()
        labels = _copy_label_blocks(doc)
        if not labels or not cur.hasSelection():
            return super().createMimeDataFromSelection()
        start, end = cur.selectionStart(), cur.selectionEnd()

        def shifted(x: int) -> int:  # a position of the document, in the copy without the labels
            return x - sum(max(0, min(x, pos + length) - pos) for pos, length in labels)

        # Qt's own mime data for the same selection of a copy without the labels: a QMimeData made in
        # Python would be deleted twice (by Python and by the clipboard that owns it)
        other = QTextBrowser()
        clone = doc.clone(other)
        for pos, length in reversed(labels):  # from the end: earlier positions stay valid
            c = QTextCursor(clone)
            c.setPosition(pos)
            c.setPosition(min(pos + length, clone.characterCount() - 1), QTextCursor.MoveMode.KeepAnchor)
            c.removeSelectedText()
        last = clone.characterCount() - 1
        other.setDocument(clone)
        sel = QTextCursor(clone)
        sel.setPosition(min(shifted(start), last))
        sel.setPosition(min(shifted(end), last), QTextCursor.MoveMode.KeepAnchor)
        other.setTextCursor(sel)
        return QTextBrowser.createMimeDataFromSelection(other)

    def _fit(self, *_):
        h = int(self.document().size().height()) + 4
        if self.height() != h:
            self.setFixedHeight(h)

    def resizeEvent(self, e):
        super().resizeEvent(e)
        if self._auto:
            self.document().setTextWidth(self.viewport().width())
            self._fit()

    def setMarkdownText(self, text: str, *, code_bg: str = "#f2f4f7", line: str = "#dde1e7",
                        syntax: dict | None = None, final: bool = True) -> None:
        """Render Markdown; a text that extends the last one re-renders only its tail (streaming).

        A selection the user made survives, by character positions, even a render from the start.
        """
        cur = self.textCursor()
        keep = (cur.anchor(), cur.position()) if cur.hasSelection() else None
        self.markdown.render(text, css=markdown_css(code_bg, line), syntax=syntax, final=final)
        cur = self.textCursor()
        if keep is not None and (cur.anchor(), cur.position()) != keep:
            last = self.document().characterCount() - 1
            cur.setPosition(min(keep[0], last))
            cur.setPosition(min(keep[1], last), QTextCursor.MoveMode.KeepAnchor)
            self.setTextCursor(cur)


def _copy_label_blocks(doc: QTextDocument) -> list[tuple[int, int]]:
    """(position, length) of each block that holds a "Copy code" link, its line break included."""
    out = []
    b = doc.begin()
    while b.isValid():
        it = b.begin()
        while not it.atEnd():
            if it.fragment().charFormat().anchorHref().startswith(COPY_SCHEME + ":"):
                out.append((b.position(), b.length()))
                break
            it += 1
        b = b.next()
    return out


def plain_document(text: str) -> QTextDocument:
    doc = QTextDocument()
    doc.setPlainText(text)
    return doc
