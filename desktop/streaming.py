"""Markdown rendered into a QTextDocument one top-level block at a time, so a streaming reply
re-renders only its tail.

The source splits into a *stable* prefix and a *tail*. The prefix ends where the last top-level
block of the text's complete lines starts: lines that are complete never change, and text appended
after them can change only that last block (a fence still open, a list that may continue, a
paragraph that may become a heading or a table). The prefix's blocks are rendered once and stay in
the document as the same QTextBlocks; each update removes the document from the stored position
on and inserts the tail's blocks again. A one-shot render goes through the same steps, so a streamed
document equals the one-shot document of its final text. Every piece is sanitized by markdown.py.

Reference-style link definitions (``[x]: https://...``) may change blocks above them: a finished
text that has one is rendered again from the start (the selection is kept by the browser).
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from PySide6.QtGui import QTextCursor, QTextDocument, QTextDocumentFragment

from .i18n import translate
from .markdown import COPY_SCHEME, block_starts, render_body

__all__ = ["MarkdownRenderer"]

_REFERENCE = re.compile(r"^ {0,3}\[[^\]]+\]:", re.M)
_PRE = "<pre>"


@dataclass
class _Stable:
    source: str = ""  # the Markdown source of the stable prefix
    end: int = 0  # document position where the tail starts
    formats: tuple = ()  # block and block-char format of the prefix's last block (a removal resets them)
    codes: list = field(default_factory=list)  # (language, code) of the prefix's code blocks


class MarkdownRenderer:
    """Keeps a document equal to the rendering of the latest text; see the module doc.

    ``rendered_chars`` is how many source characters the last update rendered (tests check that
    it stays bounded by the tail); ``codes`` are the (language, code) of every code block shown.
    """

    def __init__(self, document: QTextDocument):
        self.document = document
        document.setUndoRedoEnabled(False)
        self._style: tuple = ()
        self._piece = QTextDocument(document)  # one scratch document, reused for every piece
        self._revision = document.revision()
        self._stable = _Stable()
        self.codes: list[tuple[str, str]] = []
        self.rendered_chars = 0
        self._copy = "Copy code"  # the label of the copy links, in the language of the last render

    @property
    def stable_chars(self) -> int:
        """How many source characters are rendered once and for all (the tail starts there)."""
        return len(self._stable.source)

    def render(self, text: str, *, css: str, syntax: dict | None, final: bool = False) -> bool:
        """Bring the document up to ``text``; returns True when it was rendered from the start."""
        # the "Copy code" label is part of the style: after a language switch the reply renders again
        self._copy = html.escape(translate("MarkdownRenderer", "Copy code"))
        style = (css, tuple(sorted((syntax or {}).items())), self._copy)
        full = (style != self._style or not text.startswith(self._stable.source)
                or self.document.revision() != self._revision  # someone else edited the document
                or (final and _REFERENCE.search(text) is not None))
        if full:
            self._style, self._stable = style, _Stable()
            self.document.clear()
            self.document.setDefaultStyleSheet(css)
        self._syntax = syntax
        st = self._stable
        cursor = QTextCursor(self.document)
        cursor.setPosition(st.end)
        cursor.movePosition(QTextCursor.MoveOperation.End, QTextCursor.MoveMode.KeepAnchor)
        cursor.removeSelectedText()
        if st.formats:  # removing a block separator gives the block before it the format after it
            cursor.setBlockFormat(st.formats[0])
            cursor.setBlockCharFormat(st.formats[1])
        self.rendered_chars = 0
        complete = text[len(st.source):text.rfind("\n") + 1]
        starts = block_starts(complete) if complete else []
        if len(starts) > 1:  # blocks before the last complete one are final: render them once
            starts[0] = 0
            for a, b in zip(starts, starts[1:]):
                self._insert(cursor, complete[a:b], st.codes)
            st.source += complete[:starts[-1]]
            st.end = cursor.position()
            st.formats = (cursor.blockFormat(), cursor.blockCharFormat())
        tail = text[len(st.source):]
        self.codes = list(st.codes)
        if tail.strip():
            bounds = block_starts(tail) or [0]  # [0] for a lone link definition
            bounds[0] = 0
            for a, b in zip(bounds, [*bounds[1:], len(tail)]):
                self._insert(cursor, tail[a:b], self.codes)
        self._revision = self.document.revision()
        return full

    def _insert(self, cursor: QTextCursor, source: str, codes: list) -> None:
        """Append one top-level block at the document's end (the cursor stays at the end)."""
        self.rendered_chars += len(source)
        env: dict = {}
        body = render_body(source, self._syntax, env).strip()
        if env.get("codes"):  # a copy action above each code block (markdown-it writes every <pre>)
            parts = body.split(_PRE)
            for k, (lang, _code) in enumerate(env["codes"]):
                label = f"{lang} · " if lang else ""
                parts[k] += f'<p>{label}<a href="{COPY_SCHEME}:{len(codes) + k}">{self._copy}</a></p>'
            body = _PRE.join(parts)
            codes.extend(env["codes"])
        piece = self._piece
        piece.setDefaultStyleSheet(self.document.defaultStyleSheet())
        piece.setHtml(body)
        first = piece.begin()
        # Qt merges a fragment's first block into the block at the cursor. A paragraph, heading or
        # code line gets a block of its own with its own format; a list or table starts one itself.
        own_block = first.textList() is None and not piece.rootFrame().childFrames()
        cursor.movePosition(QTextCursor.MoveOperation.End)
        if own_block and not self.document.isEmpty():
            cursor.insertBlock()
        start = cursor.position()
        cursor.insertFragment(QTextDocumentFragment(piece))
        if own_block:
            fix = QTextCursor(self.document.findBlock(start))
            fix.setBlockFormat(first.blockFormat())
        cursor.movePosition(QTextCursor.MoveOperation.End)
