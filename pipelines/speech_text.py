"""Text for speech: chat replies (Markdown) turned into what a voice should say, while they stream.

``SpeechSegmenter`` is fed the reply as it is generated and hands back ``SpeechSegment``s to
speak, each as soon as it is complete: a sentence (or, for the first one, a clause), a list item,
a heading, or a short pointer for what only reads on screen (a code block, a table). Each segment
carries the span of the reply text it speaks, so what was heard maps back to the text.
``normalize_for_speech`` and ``split_sentences`` do the same for a whole text at once.

Markdown is read at two levels: blocks line by line (fences, tables, headings, list items,
quotes, rules), decided as soon as a line's first characters allow, and inline markup (links,
images, URLs, code spans, emphasis, HTML tags) removed from each segment's text, whose numbers,
currency and years are then written out in words (num2words).
"""
from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

__all__ = [
    "SpeechSegment",
    "SpeechSegmenter",
    "CODE_POINTER",
    "TABLE_POINTER",
    "split_sentences",
    "normalize_for_speech",
]

CODE_POINTER = "The code is on screen."
TABLE_POINTER = "The table is on screen."


# --------------------------------------------------------------------------------------------
# Sentences
# --------------------------------------------------------------------------------------------

_ABBREVIATIONS = frozenset("""
mr mrs ms dr prof sr jr st mt vs etc e.g i.e cf al approx no nos fig figs vol vols p pp ed eds
inc ltd co corp dept est jan feb mar apr jun jul aug sep sept oct nov dec mon tue wed thu fri sat sun
a.m p.m u.s u.k u.n ph.d b.sc m.sc gen col lt sgt capt rev hon
""".split())

_CLOSERS = "\"'”’)]*_~`"  # what may follow an end mark: closing quotes and brackets, emphasis, code
_EN_END = re.compile(r"""[.!?…]+["'”’)\]*_~`]*(?=\s)""")
_ZH_END = re.compile(r"""[。！？；]+["'”’」』）)]*""")
_CLAUSE_END = re.compile(r"""[,;:]["'”’)\]*_~`]*(?=\s)|[，、；：]""")
_MAX_SENTENCE = 300


def _is_abbreviation(before: str) -> bool:
    token = before.split()[-1] if before.split() else ""
    token = token.lstrip("(\"'“‘[*_~`").lower()
    if not token.endswith("."):
        return False
    core = token[:-1]
    if core in _ABBREVIATIONS:
        return True
    if re.fullmatch(r"[a-z]", core):  # an initial: "J. R. R. Tolkien"
        return True
    return bool(re.fullmatch(r"(?:[a-z]\.)+[a-z]", core))  # e.g / i.e / u.s.a


def _sentence_ends(text: str) -> list[int]:
    """Where sentences end in ``text``: after . ! ? … (with any closing quotes, brackets or
    emphasis) followed by whitespace, unless it is an abbreviation or an initial; after 。！？；
    (Chinese, no space needed)."""
    cuts = []
    for m in _EN_END.finditer(text):
        if m.group(0).startswith(".") and len(m.group(0).rstrip(_CLOSERS)) == 1:
            word = m.start()
            while word > 0 and not text[word - 1].isspace():
                word -= 1
            if _is_abbreviation(text[word:m.end()].rstrip(_CLOSERS)):
                continue
        cuts.append(m.end())
    cuts.extend(m.end() for m in _ZH_END.finditer(text))
    return sorted(set(cuts))


def _split_long(sentence: str, limit: int = _MAX_SENTENCE) -> list[str]:
    if len(sentence) <= limit:
        return [sentence]
    out, cur = [], ""
    for piece in re.split(r"(?<=[,;:，；：])\s*", sentence):
        if cur and len(cur) + len(piece) + 1 > limit:
            out.append(cur.strip())
            cur = ""
        cur = f"{cur} {piece}" if cur else piece
    if cur.strip():
        out.append(cur.strip())
    return out


def split_sentences(text: str) -> list[str]:
    """Split into sentences for speaking: at . ! ? … (English, followed by a space), at 。！？；
    (Chinese, no space needed), and at blank lines. Abbreviations ("e.g.", "Dr.", "a.m.") and
    initials do not end a sentence; very long sentences are cut at commas."""
    sentences: list[str] = []
    for para in re.split(r"\n\s*\n", text):
        para = " ".join(para.split())
        if not para:
            continue
        start = 0
        for cut in _sentence_ends(para):
            piece = para[start:cut].strip()
            if piece:
                sentences.append(piece)
            start = cut
        rest = para[start:].strip()
        if rest:
            sentences.append(rest)
    out: list[str] = []
    for s in sentences:
        out.extend(_split_long(s))
    return [s for s in out if any(ch.isalnum() for ch in s)]


# --------------------------------------------------------------------------------------------
# Inline markup and numbers: one segment's raw text -> the words to say
# --------------------------------------------------------------------------------------------

_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]+)\]\((?:[^()]|\([^)]*\))*\)")
_REF_LINK = re.compile(r"\[([^\]]+)\]\[[^\]]*\]")
_CITATION = re.compile(r"\s*\[\d+(?:\s*[,\u2013-]\s*\d+)*\]")  # a source's number: "[1]", "[1, 3]", "[2-4]"
_AUTOLINK = re.compile(r"<((?:https?|ftp)://[^>\s]+)>")
_URL = re.compile(r"\b(?:(?:https?|ftp)://|www\.)[^\s<>\"')\]]*[^\s<>\"')\].,;:!?]", re.I)  # not its final stop
_EMAIL = re.compile(r"\b([\w.+-]+)@([\w-]+(?:\.[\w-]+)+)\b")
_HTML = re.compile(r"</?[a-zA-Z][^>]*>")
_INLINE_CODE = re.compile(r"`([^`\n]+)`")
_INLINE_CODE_MAX = 40  # longer code spans are not read out
_SYMBOLS = re.compile(r"[*_#`~<>|\\^]+")
_SPACE_BEFORE_MARK = re.compile(r" ([,.;:!?])")
_DIGIT = re.compile(r"\d")
_WORDY = re.compile(r"[^\W_]")  # a letter or digit: something to say
_SENTENCE_END = tuple(".!?;:,。！？；：，、…")


@dataclass(frozen=True)
class _Pointers:
    """What is said instead of what does not read aloud."""

    code: str  # a code block
    table: str | None  # a table; None reads its rows, one sentence each
    inline_code: str  # a code span too long to read


_ON_SCREEN = _Pointers(CODE_POINTER, TABLE_POINTER, "the code on screen")
_READ_OUT = _Pointers("(code omitted).", None, "(code omitted)")  # text read with nothing shown


def _domain(url: str) -> str:
    host = re.sub(r"^(?:[a-z]+://)?", "", url, flags=re.I).split("/")[0].split("?")[0].split("#")[0]
    host = host.split("@")[-1].split(":")[0]
    host = re.sub(r"^www\.", "", host, flags=re.I)
    return host.rstrip(".").replace(".", " dot ")


def _spoken(text: str, lang: str, pointers: _Pointers) -> str:
    """One segment's text as it is said: inline markup removed (links read their text, bare URLs
    their domain, short code spans their content, citations such as [1] not at all), numbers in
    words, emoji and symbols dropped, on one line."""
    if "](" in text or "][" in text:
        text = _IMAGE.sub(lambda m: m.group(1) or "image", text)
        text = _LINK.sub(lambda m: m.group(1), text)
        text = _REF_LINK.sub(lambda m: m.group(1), text)
    if "[" in text:  # the sources a reply cites are on screen, not said
        text = _CITATION.sub("", text)
    if "://" in text or "www." in text.lower():
        text = _AUTOLINK.sub(lambda m: _domain(m.group(1)), text)
        text = _URL.sub(lambda m: _domain(m.group(0)), text)
    if "@" in text:
        text = _EMAIL.sub(lambda m: f"{m.group(1)} at {_domain(m.group(2))}", text)
    if "<" in text:
        text = _HTML.sub("", text)
    if "`" in text:
        text = _INLINE_CODE.sub(lambda m: m.group(1) if len(m.group(1)) <= _INLINE_CODE_MAX
                                else pointers.inline_code, text)
    if lang == "en" and "&" in text:
        text = text.replace("&", " and ")
    if _DIGIT.search(text) and _knows_numbers(lang):
        text = _speak_numbers(text, lang)
    if not text.isascii():
        text = "".join(ch for ch in text if unicodedata.category(ch) not in ("So", "Cs", "Co", "Cn"))
    text = " ".join(_SYMBOLS.sub(" ", text).split())
    return _SPACE_BEFORE_MARK.sub(r"\1", text)


_CURRENCIES = {
    "$": ("dollar", "dollars", "cent", "cents"),
    "€": ("euro", "euros", "cent", "cents"),
    "£": ("pound", "pounds", "penny", "pence"),
    "¥": ("yen", "yen", "", ""),
    "₹": ("rupee", "rupees", "paisa", "paise"),
}
_MONEY = re.compile(r"([$€£¥₹])\s?(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?(?!\d)(\s?(?:k|m|bn|million|billion|thousand)\b)?",
                    re.I)
_PERCENT = re.compile(r"(?<![\w.])(-?\d+(?:\.\d+)?)\s?%")
_ORDINAL = re.compile(r"\b(\d+)(st|nd|rd|th)\b", re.I)
_NUMBER = re.compile(r"(?<![\w.])(-)?(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?(?![\w])")
_SCALE_WORDS = {"k": "thousand", "m": "million", "bn": "billion"}


def _n2w(value, lang: str, **kw) -> str:
    from num2words import num2words

    return num2words(value, lang=lang, **kw)


@functools.cache
def _knows_numbers(lang: str) -> bool:
    try:
        _n2w(1, lang)
    except (NotImplementedError, KeyError, ImportError):
        return False  # num2words does not know this language: leave digits to the voice
    return True


def _cardinal(digits: str, lang: str) -> str:
    digits = digits.replace(",", "")
    if len(digits) > 15 or (len(digits) > 1 and digits.startswith("0")):  # ids, phone numbers, zip codes
        return " ".join(_n2w(int(d), lang) for d in digits)
    return _n2w(int(digits), lang)


def _decimal(intpart: str, frac: str, lang: str) -> str:
    return f"{_cardinal(intpart, lang)} point " + " ".join(_n2w(int(d), lang) for d in frac)


def _money(m: re.Match, lang: str) -> str:
    one, many, sub_one, sub_many = _CURRENCIES[m.group(1)]
    whole = m.group(2).replace(",", "")
    cents = m.group(3)
    scale = (m.group(4) or "").strip().lower()
    if scale:
        scale = _SCALE_WORDS.get(scale, scale)
        amount = _decimal(whole, cents, lang) if cents else _cardinal(whole, lang)
        return f"{amount} {scale} {many}"
    words = f"{_cardinal(whole, lang)} {one if int(whole) == 1 else many}"
    if cents and int(cents.ljust(2, '0')) and sub_one:
        c = int(cents.ljust(2, "0"))
        words += f" and {_n2w(c, lang)} {sub_one if c == 1 else sub_many}"
    return words


def _number(m: re.Match, lang: str) -> str:
    sign, intpart, frac = m.group(1), m.group(2), m.group(3)
    if frac is not None:
        words = _decimal(intpart, frac, lang)
    elif "," not in intpart and len(intpart) == 4 and 1100 <= int(intpart) <= 2099:
        words = _n2w(int(intpart), lang, to="year")
    else:
        words = _cardinal(intpart, lang)
    return f"minus {words}" if sign else words


def _speak_numbers(text: str, lang: str) -> str:
    text = _MONEY.sub(lambda m: _money(m, lang), text)

    def percent(m: re.Match) -> str:
        n = _NUMBER.match(m.group(1))
        return f"{_number(n, lang)} percent" if n else m.group(0)

    text = _PERCENT.sub(percent, text)
    text = _ORDINAL.sub(lambda m: _n2w(int(m.group(1)), lang, to="ordinal"), text)
    # "10-20" reads "ten to twenty"; a dash between numbers is not a minus sign
    text = re.sub(r"(?<=\d)\s?[-–]\s?(?=\d)", " to ", text)
    return _NUMBER.sub(lambda m: _number(m, lang), text)


def _language(language: str) -> str:
    return (language or "en").split("-")[0].split("_")[0].lower() or "en"


# --------------------------------------------------------------------------------------------
# Blocks: what kind of line this is, as soon as its first characters say
# --------------------------------------------------------------------------------------------

_PREFIX = re.compile(r"(?:[ \t]*>)*[ \t]*")  # quote marks and indentation
_HEADING_MARK = re.compile(r"#{1,6}[ \t]+")
_ITEM_MARK = re.compile(r"(?:[-*+•]|\d{1,3}[.)])(?:[ \t]+|$)")
_RULE = re.compile(r"(?:[-*_][ \t]*){3,}")
_TABLE_SEP = re.compile(r"\|?[ \t]*:?-{2,}:?[ \t]*(?:\|[ \t]*:?-{2,}:?[ \t]*)*\|?[ \t]*")
_REF_DEF = re.compile(r"\[[^\]]+\]:[ \t]*\S")
_REF_DEF_SO_FAR = re.compile(r"\[[^\]]*(?:\]:?[ \t]*)?")
_MAYBE_RULE = re.compile(r"[-*_:| \t]+|[+•][ \t]*|\d{1,3}(?:[.)][ \t]*)?")

BLANK, FENCE, TABLE, HEADING, ITEM, RULE, TEXT = "blank", "fence", "table", "heading", "item", "rule", "text"


def _prefix_end(line: str) -> int:
    m = _PREFIX.match(line)  # it matches every line (it may match nothing)
    return m.end() if m else 0


def _classify(line: str, complete: bool) -> tuple[str, int] | None:
    """(kind, where its words start) of a line, or None while its first characters leave it open.
    A kind given for part of a line stays the kind of the whole line, whatever follows."""
    line = line.rstrip("\r")
    p = _prefix_end(line)
    s = line[p:]
    if not s:
        return (BLANK, p) if complete else None
    c = s[0]
    if c in "`~":
        if s.startswith(c * 3):
            return FENCE, p
        return None if not complete and s == c * len(s) else (TEXT, p)
    if c == "|":
        return TABLE, p
    if c == "#":
        if m := _HEADING_MARK.match(s):
            return HEADING, p + m.end()
        return None if not complete and len(s) <= 6 and s == "#" * len(s) else (TEXT, p)
    if c == "[":
        if _REF_DEF.match(s):
            return RULE, p
        return None if not complete and _REF_DEF_SO_FAR.fullmatch(s) else (TEXT, p)
    if c == "=":  # a setext heading's underline
        if s.rstrip() == "=" * len(s.rstrip()):
            return (RULE, p) if complete else None
        return TEXT, p
    if c in "-*_+•:" or c.isdigit():
        if not complete and _MAYBE_RULE.fullmatch(s):
            return None  # a rule, a table's separator or a list item, once more comes
        if complete and "|" in s and _TABLE_SEP.fullmatch(s.rstrip()):
            return TABLE, p
        if complete and _RULE.fullmatch(s.rstrip()):
            return RULE, p
        if m := _ITEM_MARK.match(s):
            return ITEM, p + m.end()
    return TEXT, p


def _closes_fence(line: str, fence: str) -> bool:
    s = line.rstrip()[_prefix_end(line):]
    return len(s) >= len(fence) and s == fence[0] * len(s)


def _is_cjk(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" or "\u3040" <= ch <= "\u30ff"


def _clause_is_long(text: str) -> bool:
    """At least 4 words (or 6 Chinese characters): enough to be worth saying on its own."""
    cjk = sum(1 for ch in text if _is_cjk(ch))
    return cjk >= 6 or len(re.findall(r"[^\W_]+", "".join(" " if _is_cjk(ch) else ch for ch in text))) >= 4


# --------------------------------------------------------------------------------------------
# The segmenter
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SpeechSegment:
    """Words to say, and the span ``[start, end)`` of the reply text they speak. The spans of one
    reply's segments follow each other without gaps, from 0 to the length of the reply; text
    that is not spoken (blank lines, rules, markup) belongs to a neighbouring span."""

    text: str
    start: int
    end: int


_PROSE = (HEADING, ITEM, TEXT)


class SpeechSegmenter:
    """Turns a streaming Markdown reply into segments to speak, each handed back by the ``feed``
    (or ``flush``) call that completes it: a sentence once its end mark and the following space
    have arrived, a list item or heading at the end of its line, a code block once its fence
    closes, a table once a line after it is not a row.

    Two things wait a little longer: a Chinese end mark, for the next character (a closing quote
    may follow it), and an end mark inside a code span or link text not yet closed, for the rest
    of its line.

    With ``first_clause`` the first segment of the reply may end at a comma, semicolon or colon
    (，、；： in Chinese) after at least 4 words (6 Chinese characters), so that speech starts
    sooner. The segments are the same however the text is cut into pieces.

    One segmenter per reply: ``feed`` each piece as it is generated, then ``flush`` at the end.
    The last segment that ``flush`` returns ends at the end of the reply; its text is empty when
    the rest of the reply has nothing to say (a trailing newline, a rule).
    """

    def __init__(self, language: str = "en", first_clause: bool = True, *, on_screen: bool = True):
        self.language = _language(language)
        self.first_clause = first_clause
        self._pointers = _ON_SCREEN if on_screen else _READ_OUT
        self._text = ""
        self._flushed = False
        self._count = 0  # segments handed out
        self._pos = 0  # where the next segment starts: everything before it has been handed out
        self._line = 0  # the start of the line being read
        self._line_kind: str | None = None  # its kind, once its first characters told
        self._block: str | None = None  # the open block: a prose kind, FENCE, TABLE or None
        self._fence_at = 0  # where the opening marks of the open code block start
        self._prose = 0  # where the words of the open prose block not yet handed out start
        self._block_end = 0  # the end of the open block's last whole line (before its newline)
        self._masks: list[tuple[int, int]] = []  # block marks inside the open prose block (not read)
        self._rows: list[tuple[int, int]] = []  # the open table's rows

    # ---- the interface ----------------------------------------------------------------------
    def feed(self, piece: str) -> list[SpeechSegment]:
        if self._flushed:
            raise RuntimeError("this reply was flushed: use a new SpeechSegmenter for the next one")
        if not piece:
            return []
        self._text += piece
        out: list[SpeechSegment] = []
        self._read_lines(out, final=False)
        if self._block in _PROSE:
            # the words of the open block known so far: its lines, and the line being read if it
            # belongs to it (a line whose kind is still open is not, but the newline before it is)
            self._cut(self._line if self._line_kind is None else len(self._text), out, final=False)
        return out

    def flush(self) -> list[SpeechSegment]:
        """The rest of the reply: the unfinished sentence, an open code block (still a pointer)."""
        if self._flushed:
            return []
        self._flushed = True
        out: list[SpeechSegment] = []
        self._read_lines(out, final=True)
        self._close(out)
        end = len(self._text)
        if self._pos < end:
            if out:
                out[-1] = SpeechSegment(out[-1].text, out[-1].start, end)
            else:
                out.append(SpeechSegment("", self._pos, end))
            self._pos = end
        return out

    # ---- lines ------------------------------------------------------------------------------
    def _read_lines(self, out: list[SpeechSegment], final: bool) -> None:
        text = self._text
        while self._line < len(text):
            nl = text.find("\n", self._line)
            complete = nl >= 0 or final
            end = nl if nl >= 0 else len(text)
            line = text[self._line:end]
            if self._block == FENCE:
                if not complete:
                    return
                if self._line_kind != FENCE and _closes_fence(line, self._fence()):  # not the opening line
                    self._say(self._pointers.code, end, out)
                    self._block = None
            else:
                if self._line_kind is None:
                    got = _classify(line, complete)
                    if got is not None and got[0] == TEXT and self._block == TABLE:
                        if not complete:
                            return  # a row without its leading bar, once the line shows a bar
                        if "|" in line:
                            got = (TABLE, got[1])
                    if got is None:
                        return
                    self._start_line(got[0], got[1], out)
                if not complete:
                    return
                self._end_line(end, out)
            self._line, self._line_kind = end + 1, None

    def _start_line(self, kind: str, content: int, out: list[SpeechSegment]) -> None:
        """The line at ``self._line`` is of ``kind``: close the open block unless it continues it."""
        start = self._line
        continues = (kind == TEXT and self._block in (TEXT, ITEM)) or (kind == TABLE and self._block == TABLE)
        if not continues:
            self._close(out)
            if kind in _PROSE:
                self._block, self._prose, self._masks = kind, start, []
            elif kind == FENCE:
                self._block, self._fence_at = FENCE, start + content
            elif kind == TABLE:
                self._block, self._rows = TABLE, []
        if kind in _PROSE and content > 0:
            self._masks.append((start, start + content))
        self._line_kind = kind

    def _fence(self) -> str:
        """The opening marks of the open code block (its line is whole by now)."""
        s = self._text[self._fence_at:self._text.find("\n", self._fence_at)]
        return s[:len(s) - len(s.lstrip(s[0]))]

    def _end_line(self, end: int, out: list[SpeechSegment]) -> None:
        if self._block == TABLE:
            self._rows.append((self._line, end))
        self._block_end = end
        if self._block == HEADING:  # a heading is its one line
            self._close(out)

    def _close(self, out: list[SpeechSegment]) -> None:
        """End the open block: say the rest of its words, or its pointer."""
        block, self._block = self._block, None
        if block in _PROSE:
            self._cut(self._block_end, out, final=True)
            words = self._words(self._prose, self._block_end)
            if words and block != TEXT and not words.rstrip(_CLOSERS + "」』）").endswith(_SENTENCE_END):
                words += "."  # a list item or heading ends where its line does: pause there
            self._say(words, self._block_end, out)
            self._prose = self._block_end
        elif block == FENCE:  # never closed: the reply ended inside it
            self._say(self._pointers.code, len(self._text), out)
        elif block == TABLE:
            if self._pointers.table is not None:
                self._say(self._pointers.table, self._block_end, out)
            else:
                for start, end in self._rows:
                    row = self._text[start:end]
                    if not _TABLE_SEP.fullmatch(row.strip()):
                        cells = [c.strip() for c in row.strip().strip("|").split("|")]
                        words = self._speak(", ".join(c for c in cells if c))
                        self._say(words if words.endswith(_SENTENCE_END) or not words else words + ".", end, out)

    # ---- prose --------------------------------------------------------------------------------
    def _cut(self, avail: int, out: list[SpeechSegment], final: bool) -> None:
        """Hand out the sentences (and the first clause) of the open prose block that end before
        ``avail``; with ``final`` the block's text ends there."""
        while True:
            region = self._masked(self._prose, avail)
            cuts = _sentence_ends(region)
            if self.first_clause and self._count == 0:  # the first segment may be a clause
                cuts = sorted(set(cuts).union(m.end() for m in _CLAUSE_END.finditer(region)
                                              if _clause_is_long(region[:m.end()])))
            for cut in cuts:
                at = self._prose + cut
                if at >= len(self._text) and not final:
                    return  # (Chinese) a closing quote may still follow
                inside = self._inside_span(at, final)
                if inside is None:
                    return
                if not inside:
                    break
            else:
                return
            words = self._words(self._prose, at)
            self._prose = at
            self._say(words, at, out)

    def _inside_span(self, at: int, final: bool) -> bool | None:
        """Whether ``at`` falls inside a code span or a link's text on its line (None: not known
        until the line goes on)."""
        text = self._text
        start = text.rfind("\n", 0, at) + 1
        nl = text.find("\n", at)
        line_done = nl >= 0 or final
        before, after = text[start:at], text[at:nl if nl >= 0 else len(text)]
        depth = 0
        for ch in before:
            if ch == "[":
                depth += 1
            elif ch == "]":
                depth = max(0, depth - 1)
        for open_, closer in ((before.count("`") % 2 == 1, "`"), (depth > 0, "]")):
            if open_:
                if closer in after:
                    return True
                if not line_done:
                    return None
        return False

    def _masked(self, start: int, end: int) -> str:
        """The text of ``[start, end)`` with the block marks (list bullets, heading hashes, quote
        marks) blanked out, so that offsets stay those of the reply."""
        text = self._text[start:end]
        for a, b in self._masks:
            if b > start and a < end:
                a, b = max(a, start) - start, min(b, end) - start
                text = text[:a] + " " * (b - a) + text[b:]
        return text

    def _words(self, start: int, end: int) -> str:
        return self._speak(self._masked(start, end))

    def _speak(self, text: str) -> str:
        words = _spoken(text, self.language, self._pointers)
        return words if _WORDY.search(words) else ""

    def _say(self, words: str, end: int, out: list[SpeechSegment]) -> None:
        """Hand out a segment that speaks ``words`` and ends at ``end``; words that say nothing
        leave their text to the next segment."""
        if not words:
            return
        out.append(SpeechSegment(words, self._pos, end))
        self._pos = end
        self._count += 1


# --------------------------------------------------------------------------------------------
# A whole text at once
# --------------------------------------------------------------------------------------------


def normalize_for_speech(text: str, language: str = "en") -> str:
    """Make text sound right when spoken: Markdown removed (code blocks become "(code omitted)",
    tables read row by row, links read their text, bare URLs their domain), numbers, decimals,
    percentages, currency and years written out in words (num2words), emoji and stray symbols
    dropped. One sentence, list item or heading per paragraph."""
    seg = SpeechSegmenter(language, first_clause=False, on_screen=False)
    parts = seg.feed(text) + seg.flush()
    return "\n\n".join(p.text for p in parts if p.text)
