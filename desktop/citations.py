"""The passages a reply rests on: the side panel's list of sources ([n], file, page, the passage with
its beginning emphasised), and opening one where it is: a PDF in the default viewer at its page
(``file:…#page=N``, else the file), any other document in Sensorium's own viewer, scrolled to the
passage and highlighting it, with "Open in default app".

A citation is the ``Passage.as_citation()`` dict that the reply's ``meta["citations"]`` keeps
(``file``, ``page``, ``text``, ``number``, ``score``, ``line``, ``title``). The document's text is read
off the GUI thread (``document_text``, on the documents worker)."""
from __future__ import annotations

import html
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QColor, QDesktopServices, QKeyEvent, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import (
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from .i18n import on_language, translate
from .theme import current_theme

__all__ = ["CitationList", "CitationCard", "CitationViewer", "citation_label", "document_text", "find_passage",
           "open_in_default_app", "pdf_url", "EMPHASIS_CHARS"]

#: How much of a passage's beginning is emphasised in the list (where it starts to matter).
EMPHASIS_CHARS = 80
PREVIEW_CHARS = 320
#: The viewer's highlight of the cited passage, readable under each theme's text colour.
HIGHLIGHT = {"light": "#fff1a8", "dark": "#5c4a12"}


def citation_label(c: dict) -> str:
    """"[2] notes.md · page 3" (the page only for a paged document)."""
    name = Path(str(c.get("file", ""))).name or str(c.get("file", ""))
    head = f"[{c.get('number') or '?'}] {name}"
    if c.get("page"):
        head += " · " + translate("Citations", "page {page}").format(page=c["page"])
    elif c.get("line"):
        head += " · " + translate("Citations", "line {line}").format(line=c["line"])
    return head


def _passage_html(text: str) -> str:
    text = " ".join(str(text).split())
    if len(text) > PREVIEW_CHARS:
        text = text[:PREVIEW_CHARS].rsplit(" ", 1)[0] + "…"
    cut = text[:EMPHASIS_CHARS]
    if len(text) > EMPHASIS_CHARS and " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return f"<b>{html.escape(cut)}</b>{html.escape(text[len(cut):])}"


def pdf_url(path: str, page: int | None) -> QUrl:
    url = QUrl.fromLocalFile(str(path))
    if page:
        url.setFragment(f"page={int(page)}")
    return url


def open_in_default_app(path: str, page: int | None = None) -> bool:
    """The file in the desktop's default application (a PDF at ``page`` where the viewer takes
    ``#page=N``; the file itself when the viewer refuses the address)."""
    if page and QDesktopServices.openUrl(pdf_url(path, page)):
        return True
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


def document_text(path: str) -> str:
    """A document's text as the index read it (any format the documents library parses); a worker
    thread's call: it reads and decodes the file."""
    from pipelines.knowledge import documents

    doc = documents.parse(path)
    text = getattr(doc, "text", None)
    if isinstance(text, str) and text:
        return text
    pages = getattr(doc, "pages", None) or ()
    return "\n\n".join(p if isinstance(p, str) else str(getattr(p, "text", "")) for p in pages)


def find_passage(text: str, passage: str, line: int | None = None) -> tuple[int, int]:
    """Where ``passage`` is in ``text`` (start, end), whitespace-insensitive; near ``line`` when the
    text does not hold it as it was indexed; (-1, -1) when neither tells."""
    passage = passage.strip()
    if passage:
        i = text.find(passage)
        if i >= 0:
            return i, i + len(passage)
        words = passage.split()
        for n in (len(words), 12, 6):  # the whole passage, else its first words, across any whitespace
            probe = words[:n]
            if not probe:
                break
            m = re.search(r"\s+".join(re.escape(w) for w in probe), text)
            if m:
                if n == len(words):
                    return m.start(), m.end()
                return m.start(), min(len(text), m.start() + len(passage))
    if line:
        lines = text.splitlines(keepends=True)
        start = sum(len(x) for x in lines[:max(0, line - 1)])
        return start, start + len(lines[line - 1]) if line - 1 < len(lines) else start
    return -1, -1


class CitationCard(QFrame):
    """One passage in the list: "[n] file · page", the passage (its beginning in bold). A click,
    Enter or Space opens it."""

    activated = Signal(dict)

    def __init__(self, citation: dict, parent=None):
        super().__init__(parent)
        self.citation = dict(citation)
        self.setObjectName("CitationCard")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(8, 6, 8, 6)
        lay.setSpacing(2)
        self.head = QLabel()
        self.head.setObjectName("CitationHead")
        self.head.setWordWrap(True)
        self.body = QLabel(_passage_html(self.citation.get("text", "")))
        self.body.setObjectName("CitationText")
        self.body.setTextFormat(Qt.TextFormat.RichText)
        self.body.setWordWrap(True)
        lay.addWidget(self.head)
        lay.addWidget(self.body)
        on_language(self, self._retranslate)

    def _retranslate(self) -> None:
        label = citation_label(self.citation)
        self.head.setText(html.escape(label))
        tip = translate("Citations", "Open {file} at this passage").format(file=self.citation.get("file", ""))
        self.setToolTip(tip)
        self.setAccessibleName(translate("Citations", "Source {label}").format(label=label))
        self.setAccessibleDescription(" ".join(str(self.citation.get("text", "")).split())[:PREVIEW_CHARS])

    def mouseReleaseEvent(self, e):
        if e.button() == Qt.MouseButton.LeftButton and self.rect().contains(e.position().toPoint()):
            self.activated.emit(self.citation)
        super().mouseReleaseEvent(e)

    def keyPressEvent(self, e: QKeyEvent):
        if e.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self.activated.emit(self.citation)
            return
        super().keyPressEvent(e)


class CitationList(QWidget):
    """The passages of the selected reply; ``activated(citation)`` when one is opened."""

    activated = Signal(dict)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("CitationList")
        self.lay = QVBoxLayout(self)
        self.lay.setContentsMargins(0, 0, 0, 0)
        self.lay.setSpacing(6)
        self.cards: list[CitationCard] = []

    def set_citations(self, citations: list[dict]) -> None:
        for c in self.cards:
            c.setParent(None)
            c.deleteLater()
        self.cards = []
        for c in citations or ():
            card = CitationCard(c)
            card.activated.connect(self.activated)
            self.lay.addWidget(card)
            self.cards.append(card)
        self.setVisible(bool(self.cards))


class CitationViewer(QDialog):
    """A document's text, read-only, scrolled to the passage and highlighting it; "Open in default
    app" hands the file to the desktop. ``load(read)`` reads the text off the GUI thread:
    ``read(path, on_done, on_error)``."""

    def __init__(self, citation: dict, read: Callable[[str, Callable[[str], None], Callable[[str], None]], None],
                 parent=None, *, open_file: Callable[[str, int | None], bool] = open_in_default_app):
        super().__init__(parent)
        self.setObjectName("CitationViewer")
        self.citation = dict(citation)
        self.path = str(citation.get("file", ""))
        self._open_file = open_file
        self.resize(760, 560)
        lay = QVBoxLayout(self)
        self.head = QLabel()
        self.head.setObjectName("CardTitle")
        self.head.setWordWrap(True)
        lay.addWidget(self.head)
        self.text = QPlainTextEdit()
        self.text.setObjectName("CitationDocument")
        self.text.setReadOnly(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                          | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        lay.addWidget(self.text, 1)
        self.note = QLabel()
        self.note.setObjectName("Muted")
        self.note.setWordWrap(True)
        lay.addWidget(self.note)
        row = QHBoxLayout()
        self.open_button = QPushButton()
        self.open_button.setAutoDefault(False)
        self.open_button.clicked.connect(lambda: self._open_file(self.path, self.citation.get("page")))
        self.close_button = QPushButton()
        self.close_button.clicked.connect(self.accept)
        row.addWidget(self.open_button)
        row.addStretch(1)
        row.addWidget(self.close_button)
        lay.addLayout(row)
        self.span: tuple[int, int] = (-1, -1)
        self.loaded = False
        self._state = "loading"
        on_language(self, self._retranslate)
        read(self.path, self.show_text, self._failed)

    def _retranslate(self) -> None:
        self.setWindowTitle(Path(self.path).name or self.path)
        self.head.setText(html.escape(citation_label(self.citation)))
        self.text.setAccessibleName(translate("CitationViewer", "Document text"))
        self.open_button.setText(translate("CitationViewer", "Open in default app"))
        self.close_button.setText(translate("CitationViewer", "Close"))
        self._show_note()

    def _show_note(self) -> None:
        if self._state == "loading":
            self.note.setText(translate("CitationViewer", "Reading the document…"))
        elif self._state == "found":
            self.note.setText(translate("CitationViewer", "The highlighted passage is the one the reply cited."))
        elif self._state == "moved":
            self.note.setText(translate("CitationViewer", "The passage is no longer in the file as it was indexed: "
                                        "add the document again to index its new text."))
        else:
            self.note.setText(self._state)

    def _failed(self, reason: str) -> None:
        self._state = translate("CitationViewer", "The document could not be read ({problem}): open it in the "
                                "default app instead.").format(problem=reason)
        self._show_note()

    def show_text(self, text: str) -> None:
        self.loaded = True
        self.text.setPlainText(text)
        start, end = find_passage(text, str(self.citation.get("text", "")), self.citation.get("line"))
        self.span = (start, end)
        self._state = "found" if start >= 0 else "moved"
        self._show_note()
        if start < 0:
            return
        cursor = self.text.textCursor()
        cursor.setPosition(start)
        cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        sel = QTextEdit.ExtraSelection()
        fmt = QTextCharFormat()
        fmt.setBackground(QColor(HIGHLIGHT[current_theme()]))
        sel.format, sel.cursor = fmt, cursor
        self.text.setExtraSelections([sel])
        here = self.text.textCursor()
        here.setPosition(start)
        self.text.setTextCursor(here)
        self.text.centerCursor()

    def highlighted(self) -> str:
        sels = self.text.extraSelections()
        return sels[0].cursor.selectedText().replace("\u2029", "\n") if sels else ""


def make_reader(worker: Any) -> Callable[[str, Callable[[str], None], Callable[[str], None]], None]:
    """``read(path, on_done, on_error)`` on ``worker`` (a JobWorker)."""
    return lambda path, on_done, on_error: worker.call(lambda: document_text(path), on_done, on_error)
