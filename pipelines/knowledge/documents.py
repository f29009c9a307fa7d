"""The user's documents as text: parse PDF, Word (.docx), HTML, Markdown and plain text, and cut
them into passages for the index.

``parse(path)`` returns a ``ParsedDocument`` whose ``pages`` are the document's text, page by page
for a PDF (1-based ``number``) and one page of ``number`` None for the rest. A file that cannot be
read raises ``BadInput`` with one line saying why and what to do. ``chunk(doc, chunk_chars)`` cuts the
pages into passages of about ``chunk_chars`` characters on paragraph and sentence boundaries, with a
small overlap; each keeps its page, character offsets, 1-based line (Markdown and text) and the
nearest heading. pypdf and python-docx are imported inside the functions that need them.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from ..errors import BadInput

__all__ = ["SUPPORTED_SUFFIXES", "MAX_DOCUMENT_BYTES", "Page", "ParsedDocument", "Chunk", "is_document", "parse",
           "chunk"]

SUPPORTED_SUFFIXES = (".pdf", ".docx", ".html", ".htm", ".md", ".markdown", ".txt")
_KINDS = {".pdf": "pdf", ".docx": "docx", ".html": "html", ".htm": "html", ".md": "markdown",
          ".markdown": "markdown", ".txt": "text"}
MAX_DOCUMENT_BYTES = 200 * 1024 * 1024
_LINED = ("markdown", "text")  # kinds whose text is the file's, so a passage has a line number


@dataclass(frozen=True)
class Page:
    """One page of text (``number`` None for a document without pages); ``headings`` are
    (offset into ``text``, heading) in order."""

    number: int | None
    text: str
    headings: tuple[tuple[int, str], ...] = ()


@dataclass(frozen=True)
class ParsedDocument:
    path: Path
    kind: str  # pdf | docx | html | markdown | text
    title: str
    pages: tuple[Page, ...]

    @property
    def chars(self) -> int:
        return sum(len(p.text) for p in self.pages)


@dataclass(frozen=True)
class Chunk:
    """A passage of a document: ``text`` is ``page.text[start:end]`` (stripped)."""

    text: str
    page: int | None
    start: int
    end: int
    line: int | None
    title: str


def is_document(path: str | Path) -> bool:
    """Whether ``path`` is a file of a kind ``parse`` reads (by its suffix)."""
    p = Path(path)
    return p.suffix.lower() in SUPPORTED_SUFFIXES and p.is_file()


def parse(path: str | Path) -> ParsedDocument:
    path = Path(path).expanduser()
    name = path.name
    kind = _KINDS.get(path.suffix.lower())
    if kind is None:
        raise BadInput("{name} is not a kind of document Sensorium reads: add PDF, Word (.docx), HTML, Markdown "
                       "or text files", code="documents.unsupported", name=name)
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise BadInput("{path} does not exist: check the path", code="documents.missing", path=path) from None
    except OSError as e:
        raise BadInput("cannot read {name} ({why}): check that you may read the file", code="documents.unreadable",
                       name=name, why=e.strerror or e) from e
    if path.is_dir():
        raise BadInput("{name} is a folder: add it as a folder, or pick the files in it",
                       code="documents.is_folder", name=name)
    if size == 0:
        raise BadInput("{name} is empty: there is nothing in it to index", code="documents.empty", name=name)
    if size > MAX_DOCUMENT_BYTES:
        raise BadInput("{name} is {size} MB, more than the {limit} MB one document may have: split it into "
                       "smaller files", code="documents.too_large", name=name, size=size // (1024 * 1024),
                       limit=MAX_DOCUMENT_BYTES // (1024 * 1024))
    try:
        if kind == "pdf":
            doc = _parse_pdf(path)
        elif kind == "docx":
            doc = _parse_docx(path)
        else:
            text = _read_text(path)
            doc = _parse_html(path, text) if kind == "html" else _parse_plain(path, kind, text)
    except OSError as e:
        raise BadInput("cannot read {name} ({why}): check that you may read the file", code="documents.unreadable",
                       name=name, why=e.strerror or e) from e
    if not any(p.text.strip() for p in doc.pages):
        raise BadInput("{name} has no text in it: there is nothing to index", code="documents.no_text", name=name)
    return doc


# ---- formats ----------------------------------------------------------------------------------
def _read_text(path: Path) -> str:
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise BadInput("{name} is not UTF-8 text (an undecodable byte at offset {offset}): save it as UTF-8 and "
                       "add it again", code="documents.not_utf8", name=path.name, offset=e.start) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


_MD_HEADING = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.+?)[ \t#]*$", re.M)


def _parse_plain(path: Path, kind: str, text: str) -> ParsedDocument:
    headings = tuple((m.start(), m.group(2).strip()) for m in _MD_HEADING.finditer(text))
    first = next((ln.strip() for ln in text.splitlines() if ln.strip()), "")
    first_is_title = kind == "text" and len(first) <= 80 and not first.endswith((".", ":", ";", ","))
    title = headings[0][1] if headings else first if first_is_title else path.stem
    return ParsedDocument(path, kind, title, (Page(None, text, headings),))


def _parse_pdf(path: Path) -> ParsedDocument:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    name = path.name
    try:
        reader = PdfReader(path)
        if reader.is_encrypted:
            try:
                opened = reader.decrypt("")  # many PDFs are encrypted with an empty password to open them
            except Exception:
                opened = 0
            if not opened:
                raise BadInput("{name} is a password-protected PDF: save a copy without the password and add that",
                               code="documents.pdf_encrypted", name=name)
        pages = []
        for i, page in enumerate(reader.pages, start=1):
            text = page.extract_text() or ""
            pages.append(Page(i, _tidy_pdf_text(text)))
        meta_title = ""
        try:
            meta_title = str((reader.metadata or {}).get("/Title") or "").strip()
        except Exception:  # a damaged info dictionary is no reason to refuse the text
            meta_title = ""
    except BadInput:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, IndexError) as e:
        raise BadInput("{name} is not a readable PDF ({why}): open it and save or export it again",
                       code="documents.pdf_corrupt", name=name, why=str(e)[:120] or type(e).__name__) from e
    if not pages:
        raise BadInput("{name} is a PDF without pages: export it again", code="documents.pdf_no_pages", name=name)
    if not any(p.text.strip() for p in pages):
        raise BadInput("{name} has no text layer (a scanned PDF?): run text recognition on it (e.g. ocrmypdf) "
                       "and add the result", code="documents.pdf_scanned", name=name)
    first = next((ln.strip() for p in pages for ln in p.text.splitlines() if ln.strip()), "")
    return ParsedDocument(path, "pdf", meta_title or first[:120] or path.stem, tuple(pages))


def _tidy_pdf_text(text: str) -> str:
    lines = [" ".join(ln.split()) for ln in text.replace("\r", "\n").split("\n")]
    out = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", out).strip()


def _parse_docx(path: Path) -> ParsedDocument:
    import zipfile

    name = path.name
    try:
        import docx
        from docx.opc.exceptions import PackageNotFoundError
        from docx.table import Table

        document = docx.Document(str(path))
        parts: list[str] = []
        headings: list[tuple[int, str]] = []
        offset = 0
        title = ""
        for block in document.iter_inner_content():
            if isinstance(block, Table):
                rows = []
                for row in block.rows:
                    cells = []
                    for cell in row.cells:
                        t = " ".join(cell.text.split())
                        if t and (not cells or cells[-1] != t):  # a merged cell repeats itself
                            cells.append(t)
                    if cells:
                        rows.append(" | ".join(cells))
                text = "\n".join(rows)
            else:
                text = " ".join(block.text.split())
                style = (block.style.name if block.style is not None else "") or ""
                if text and (style.startswith("Heading") or style == "Title"):
                    headings.append((offset, text))
                    if not title and style in ("Title", "Heading 1"):
                        title = text
            if text:
                parts.append(text)
                offset += len(text) + 2
        core_title = (document.core_properties.title or "").strip()
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as e:
        raise BadInput("{name} is not a readable Word document ({why}): open it in Word or LibreOffice and save it "
                       "as .docx again", code="documents.docx_corrupt", name=name,
                       why=str(e)[:120] or type(e).__name__) from e
    except Exception as e:  # lxml's XMLSyntaxError and friends: a damaged part inside the package
        if type(e).__module__.startswith(("lxml", "docx")):
            raise BadInput("{name} is not a readable Word document ({why}): open it in Word or LibreOffice and "
                           "save it as .docx again", code="documents.docx_corrupt", name=name,
                           why=str(e)[:120] or type(e).__name__) from e
        raise
    text = "\n\n".join(parts)
    return ParsedDocument(path, "docx", core_title or title or (headings[0][1] if headings else path.stem),
                          (Page(None, text, tuple(headings)),))


class _VisibleText(HTMLParser):
    """The visible text of an HTML page as paragraphs, its headings and its title."""

    SKIP = {"script", "style", "noscript", "template", "svg", "head", "iframe", "object", "nav"}
    BLOCK = {"p", "div", "br", "li", "ul", "ol", "tr", "table", "section", "article", "header", "footer", "main",
             "aside", "nav", "pre", "blockquote", "dd", "dt", "dl", "figure", "figcaption", "form", "hr",
             "h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "caption", "address"}
    HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.headings: list[tuple[int, str]] = []
        self.title = ""
        self._buf: list[str] = []
        self._skip = 0
        self._in_title = False
        self._heading = 0
        self._offset = 0

    def handle_starttag(self, tag, attrs):
        if tag == "title":
            self._in_title = True
            return
        if tag in self.SKIP:
            self._skip += 1
            return
        if tag in self.BLOCK:
            self._flush()
        if tag in self.HEADINGS:
            self._heading += 1

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False
            return
        if tag in self.SKIP:
            self._skip = max(0, self._skip - 1)
            return
        if tag in self.BLOCK:
            self._flush()
        if tag in self.HEADINGS:
            self._heading = max(0, self._heading - 1)

    def handle_data(self, data):
        if self._in_title:
            self.title += data
        elif not self._skip:
            self._buf.append(data)

    def _flush(self) -> None:
        text = " ".join("".join(self._buf).split())
        self._buf = []
        if not text:
            return
        if self._heading:
            self.headings.append((self._offset, text))
        self.parts.append(text)
        self._offset += len(text) + 2

    def close(self) -> None:
        super().close()
        self._flush()


def _parse_html(path: Path, source: str) -> ParsedDocument:
    parser = _VisibleText()
    parser.feed(source)
    parser.close()
    text = "\n\n".join(parser.parts)
    title = " ".join(parser.title.split()) or (parser.headings[0][1] if parser.headings else path.stem)
    return ParsedDocument(path, "html", title, (Page(None, text, tuple(parser.headings)),))


# ---- chunking ---------------------------------------------------------------------------------
_PARAGRAPH = re.compile(r"\n[ \t]*\n+")
_SENTENCE_END = re.compile(r"(?<=[.!?。！？;；])[\"'”’)\]]*\s+|(?<=[。！？])")


def _units(text: str, start: int, end: int, limit: int) -> list[tuple[int, int]]:
    """The spans a paragraph ``text[start:end]`` is cut into: itself when short, else its sentences,
    and a sentence longer than ``limit`` at spaces (or anywhere, for text without them)."""
    if end - start <= limit:
        return [(start, end)]
    spans, s = [], start
    for m in _SENTENCE_END.finditer(text, start, end):
        if m.end() > s:
            spans.append((s, m.end()))
            s = m.end()
    if s < end:
        spans.append((s, end))
    out = []
    for a, b in spans:
        while b - a > limit:
            cut = text.rfind(" ", a + limit // 2, a + limit)
            cut = cut + 1 if cut > a else a + limit
            out.append((a, cut))
            a = cut
        if b > a:
            out.append((a, b))
    return out


def _chunk_page(page: Page, chunk_chars: int, overlap: int) -> list[tuple[int, int]]:
    text = page.text
    heading_starts = {o for o, _ in page.headings}
    paragraphs, s = [], 0
    for m in _PARAGRAPH.finditer(text):
        paragraphs.append((s, m.start()))
        s = m.end()
    paragraphs.append((s, len(text)))
    if heading_starts:  # a heading inside a paragraph (Markdown without a blank line before it) starts one
        cuts = sorted(heading_starts)
        split = []
        for a, b in paragraphs:
            inner = [h for h in cuts if a < h < b]
            for h in inner:
                split.append((a, h))
                a = h
            split.append((a, b))
        paragraphs = split
    spans: list[tuple[int, int]] = []
    cur: list[tuple[int, int]] = []  # the units of the chunk being filled

    def close() -> None:
        if cur:
            spans.append((cur[0][0], cur[-1][1]))

    for a, b in paragraphs:
        # trim the paragraph's own whitespace so offsets point at text
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if a >= b:
            continue
        if a in heading_starts and cur:  # a heading starts a new passage (no overlap across sections)
            close()
            cur = []
        for u in _units(text, a, b, chunk_chars):
            if cur and u[1] - cur[0][0] > chunk_chars:
                close()
                kept: list[tuple[int, int]] = []
                for prev in reversed(cur):  # the last sentence(s), up to ``overlap`` characters
                    if prev[1] - prev[0] + sum(k[1] - k[0] for k in kept) > overlap:
                        break
                    kept.insert(0, prev)
                cur = kept if kept and u[1] - kept[0][0] <= chunk_chars else []
            cur.append(u)
    close()
    return spans


def chunk(doc: ParsedDocument, chunk_chars: int = 900) -> list[Chunk]:
    """The passages of ``doc``: about ``chunk_chars`` characters each (never more, unless one word is),
    cut at paragraph and sentence ends, consecutive passages of a section sharing up to a quarter of
    that in whole sentences (the last sentence or two)."""
    chunk_chars = max(50, int(chunk_chars))
    overlap = chunk_chars // 4
    out: list[Chunk] = []
    lined = doc.kind in _LINED
    for page in doc.pages:
        offsets = [o for o, _ in page.headings]
        for a, b in _chunk_page(page, chunk_chars, overlap):
            text = page.text[a:b].strip()
            if not text:
                continue
            i = bisect.bisect_right(offsets, a)
            title = page.headings[i - 1][1] if i else doc.title
            line = page.text.count("\n", 0, a) + 1 if lined else None
            out.append(Chunk(text, page.number, a, b, line, title))
    return out
