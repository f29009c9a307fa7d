"""Label vocabularies and question parsing for the vision role (pure text: no model needed).

The vocabularies are plain text files in assets/vocab/, one English term per line; ``TEMPLATES``
are the prompt ensembles their text embeddings are built from. assets/vocab/zh/ holds the same
vocabularies in Chinese: one line per English term, ``english<TAB>中文名|同义词…``; the first
Chinese name is what the user sees, every name is matched in questions.

``parse_question`` reads a question in English or Chinese as words (never substrings of words)
and says what to score: which vocabulary gives the answer candidates, the thing asked about, and
for yes/no questions ("is the car red?", "is there a dog?", "图里有狗吗？") the value or object to
check. ``candidates_for`` turns that into a ``CandidateSet``: every candidate of the vocabulary,
phrased for CLIP ("a red car", "a blue car", …), all scored together by one softmax.
"""
from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .assets import asset
from .errors import BadInput

__all__ = [
    "VOCABULARIES",
    "ATTRIBUTE_VOCABULARIES",
    "TEMPLATES",
    "SUBJECT_TEMPLATES",
    "PRESENCE_TEMPLATES",
    "CandidateSet",
    "Lexicon",
    "Match",
    "Question",
    "candidates_for",
    "presence_check",
    "fill_template",
    "load_vocabulary",
    "load_translations",
    "parse_question",
    "question_kind",
    "find_terms",
]

#: Attribute vocabularies (each a file in assets/vocab/); "attributes" is all of them together.
ATTRIBUTE_VOCABULARIES = ("colours", "materials", "styles", "times", "weather", "moods", "patterns")
VOCABULARIES = ("objects", "scenes", "attributes") + ATTRIBUTE_VOCABULARIES
_SINGLE_VOCABULARIES = ("objects", "scenes") + ATTRIBUTE_VOCABULARIES

#: Prompt ensembles: each term's text embedding is the mean over its vocabulary's templates.
TEMPLATES: dict[str, tuple[str, ...]] = {
    "objects": ("a photo of a {}.", "a photo of the {}.", "a close-up photo of a {}.",
                "a picture of a {}.", "a good photo of a {}."),
    "scenes": ("a photo of a {}.", "a photo taken in a {}.", "a picture of the {}.", "a view of a {}."),
    "colours": ("a photo of something {}.", "a {} object.", "the colour {}."),
    "materials": ("a photo of something made of {}.", "a close-up of {}.", "an object made of {}."),
    "styles": ("a {}.", "an image that is a {}.", "a {} of a scene."),
    "times": ("a photo taken at {}.", "a photo taken during the {}.", "{}."),
    "weather": ("a photo taken in {} weather.", "a {} day.", "{} weather."),
    "moods": ("a {} photo.", "a picture with a {} mood.", "a {} scene."),
    "patterns": ("a photo of something with a {} pattern.", "a {} surface.", "a {} texture."),
}
#: Templates for an attribute of a named thing ("a red car", "a table made of wood").
SUBJECT_TEMPLATES = ("a photo of a {}.", "a {}.")
#: How an attribute value and the thing it belongs to make one phrase, per vocabulary.
_SUBJECT_PHRASES = {"colours": "{value} {subject}", "patterns": "{value} {subject}",
                    "materials": "{subject} made of {value}"}
#: The yes/no check of a thing's presence: "a photo with a dog." against "a photo without a dog."
PRESENCE_TEMPLATES = ("a photo {}.", "a picture {}.")

#: The kind of question each vocabulary answers, and back.
_VOCAB_KIND = {"colours": "colour", "materials": "material", "styles": "style", "times": "time",
               "weather": "weather", "moods": "mood", "patterns": "pattern", "scenes": "scene",
               "objects": "object"}
_KIND_VOCAB = {kind: vocab for vocab, kind in _VOCAB_KIND.items()}
_KIND_VOCAB.update({"count": "objects", "describe": "objects", "presence": "objects"})


# ---------------------------------------------------------------------------------------------
# Vocabulary files
# ---------------------------------------------------------------------------------------------

def _vocab_file(name: str, vocab_dir: Path | None = None) -> Path:
    return (vocab_dir or asset("vocab")) / f"{name}.txt"


def load_vocabulary(name: str, vocab_dir: Path | None = None) -> list[str]:
    """Terms of a vocabulary, in file order, without duplicates, comments or blank lines."""
    if name == "attributes":
        terms: list[str] = []
        for sub in ATTRIBUTE_VOCABULARIES:
            terms.extend(load_vocabulary(sub, vocab_dir))
        return list(dict.fromkeys(terms))
    if name not in VOCABULARIES:
        raise BadInput("unknown vocabulary {name}; choose one of {choices}",
                       code="vision.unknown_vocabulary", name=repr(name), choices=', '.join(VOCABULARIES))
    path = _vocab_file(name, vocab_dir)
    lines = path.read_text(encoding="utf-8").splitlines()
    out = [ln.strip().lower() for ln in lines if ln.strip() and not ln.lstrip().startswith("#")]
    return list(dict.fromkeys(out))


def load_translations(name: str, vocab_dir: Path | None = None) -> dict[str, tuple[str, ...]]:
    """English term -> its Chinese names (first: the one shown) from assets/vocab/zh/NAME.txt.

    Missing file: no translations. Lines are ``english<TAB>名|同义词``; ``#`` starts a comment."""
    if name == "attributes":
        merged: dict[str, tuple[str, ...]] = {}
        for sub in ATTRIBUTE_VOCABULARIES:
            for k, v in load_translations(sub, vocab_dir).items():
                merged.setdefault(k, v)
        return merged
    if name not in VOCABULARIES:
        raise BadInput("unknown vocabulary {name}; choose one of {choices}",
                       code="vision.unknown_vocabulary", name=repr(name), choices=', '.join(VOCABULARIES))
    path = (vocab_dir or asset("vocab")) / "zh" / f"{name}.txt"
    if not path.is_file():
        return {}
    out: dict[str, tuple[str, ...]] = {}
    for ln in path.read_text(encoding="utf-8").splitlines():
        if not ln.strip() or ln.lstrip().startswith("#") or "\t" not in ln:
            continue
        en, zh = ln.split("\t", 1)
        names = tuple(dict.fromkeys(n.strip() for n in zh.split("|") if n.strip()))
        if en.strip() and names:
            out.setdefault(en.strip().lower(), names)
    return out


def _vocab_hash(name: str, vocab_dir: Path | None) -> str:
    """Key of a vocabulary's cached text embeddings: its English file(s) and templates (the
    translations are only shown and matched, never embedded, so they are not part of it)."""
    h = hashlib.sha256()
    names = ATTRIBUTE_VOCABULARIES if name == "attributes" else (name,)
    for n in names:
        h.update(_vocab_file(n, vocab_dir).read_bytes())
    h.update(repr(_templates_for(name)).encode())
    return h.hexdigest()[:16]


def _templates_for(vocab: str) -> tuple[str, ...]:
    if vocab == "attributes":
        return ("a photo of something {}.", "a {} image.", "{}.")
    return TEMPLATES[vocab]


_AN = re.compile(r"\ba ([aeiou])", re.IGNORECASE)


def fill_template(template: str, term: str) -> str:
    """``template.format(term)`` with "a" before a vowel made "an" ("an orange car")."""
    text = template.format(term)
    return _AN.sub(lambda m: "an " + m.group(1), text)


_fill = fill_template


# ---------------------------------------------------------------------------------------------
# Words and terms
# ---------------------------------------------------------------------------------------------

_IRREGULAR = {"people": "person", "men": "man", "women": "woman", "children": "child", "mice": "mouse",
              "geese": "goose", "feet": "foot", "teeth": "tooth", "knives": "knife", "leaves": "leaf",
              "wolves": "wolf", "shelves": "shelf", "loaves": "loaf", "calves": "calf", "oxen": "ox"}
#: Words people ask with that mean a vocabulary term ("is it raining?" asks about "rainy").
_ALIASES = {"raining": "rainy", "rain": "rainy", "snowing": "snowy", "storming": "stormy",
            "wooden": "wood", "woolen": "wool", "woollen": "wool", "colourful": "colorful",
            "multicoloured": "multicolored", "night-time": "nighttime", "day-time": "daytime"}

_STOP = frozenset("""a an the is are was were be this that these those it its of in on at to for with
and or what which who where when how many much there do does did can could you see image picture
photo photograph show shows showing me tell please any some kind type colour color""".split())


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+(?:[-'][a-z0-9]+)*", text.lower())


def _singular(word: str) -> list[str]:
    forms = [word]
    if word.endswith("'s"):
        forms.append(word[:-2])
        word = word[:-2]
    if word in _IRREGULAR:
        forms.append(_IRREGULAR[word])
    if word in _ALIASES:
        forms.append(_ALIASES[word])
    if len(word) > 3 and word.endswith("ies"):
        forms.append(word[:-3] + "y")
    if len(word) > 3 and word.endswith("es"):
        forms.append(word[:-2])
    if len(word) > 2 and word.endswith("s") and not word.endswith("ss"):
        forms.append(word[:-1])
    return list(dict.fromkeys(forms))


def _spans(words: Sequence[str], vocab: set[str], skip_stop: bool = True) -> list[tuple[int, int, str]]:
    """(start, end, term) of the vocabulary terms in a word list: whole words only, longest
    phrases first, plurals and possessives matched, in text order."""
    found: list[tuple[int, int, str]] = []
    used: set[int] = set()
    for n in (4, 3, 2, 1):
        for i in range(len(words) - n + 1):
            if any(j in used for j in range(i, i + n)):
                continue
            gram = list(words[i:i + n])
            if n == 1 and skip_stop and gram[0] in _STOP:
                continue
            heads = [w[:-2] if w.endswith("'s") else w for w in gram[:-1]]
            for last in _singular(gram[-1]):
                c = " ".join(heads + [last])
                if c in vocab:
                    found.append((i, i + n, c))
                    used.update(range(i, i + n))
                    break
    return sorted(found)


def find_terms(text: str, terms: Iterable[str]) -> list[str]:
    """Vocabulary terms that occur in ``text`` as whole words (longest phrases first, plurals
    matched, in text order): "wombat" does not contain "womb"."""
    return list(dict.fromkeys(t for _, _, t in _spans(_words(text), set(terms))))


_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


@dataclass(frozen=True)
class Match:
    """A vocabulary term found in a question."""

    vocab: str  # "objects", "colours", …
    term: str  # the English term CLIP scores
    start: int  # word index (English) or character offset (Chinese)
    end: int
    text: str = ""  # as written in the question


class Lexicon:
    """Every vocabulary of a folder, English and Chinese, loaded once (a ``ClipModel`` keeps one)."""

    def __init__(self, vocab_dir: str | Path | None = None):
        self.vocab_dir = Path(vocab_dir) if vocab_dir else None
        self.terms = {v: tuple(load_vocabulary(v, self.vocab_dir)) for v in _SINGLE_VOCABULARIES}
        self._sets = {v: set(t) for v, t in self.terms.items()}
        self.zh = {v: load_translations(v, self.vocab_dir) for v in _SINGLE_VOCABULARIES}
        # Chinese name -> the (vocabulary, term) pairs it names, in vocabulary order
        self._zh_index: dict[str, list[tuple[str, str]]] = {}
        for v in _SINGLE_VOCABULARIES:
            known = self._sets[v]
            for en, names in self.zh[v].items():
                if en not in known:
                    continue
                for name in names:
                    self._zh_index.setdefault(name, []).append((v, en))
        self._zh_longest = max((len(k) for k in self._zh_index), default=0)

    def vocabulary(self, vocab: str) -> tuple[str, ...]:
        return self.terms[vocab]

    def known(self, vocab: str, term: str) -> bool:
        return term in self._sets[vocab]

    def label(self, vocab: str, term: str, language: str = "en") -> str:
        """What the user sees for a term: the term itself, or its Chinese name ("red car" -> 红色的汽车)."""
        if language != "zh":
            return term
        for v in (vocab, *_SINGLE_VOCABULARIES):
            names = self.zh.get(v, {}).get(term)
            if names:
                return names[0]
        words = term.split(" ")
        for k in range(1, len(words)):  # modifiers before a known object
            head = " ".join(words[k:])
            if head in self._sets["objects"] and self.zh["objects"].get(head):
                mods = [self.label("colours", w, language) for w in words[:k]]
                return "".join(m + "的" for m in mods) + self.zh["objects"][head][0]
        return term

    def find_en(self, words: Sequence[str]) -> list[Match]:
        out: list[Match] = []
        for v in _SINGLE_VOCABULARIES:
            out.extend(Match(v, t, s, e, " ".join(words[s:e])) for s, e, t in _spans(words, self._sets[v]))
        return sorted(out, key=lambda m: (m.start, _SINGLE_VOCABULARIES.index(m.vocab)))

    def find_zh(self, text: str) -> list[Match]:
        """Chinese names in ``text``: longest first, never overlapping ("猫头鹰" is an owl, not a cat);
        a one-character name counts only where a word can end, so "熊" in "袋熊" (a wombat) is not
        a bear."""
        taken = [False] * len(text)
        spans: list[tuple[int, int]] = []
        for n in range(min(self._zh_longest, len(text)), 0, -1):
            for i in range(len(text) - n + 1):
                if text[i:i + n] not in self._zh_index or any(taken[i:i + n]):
                    continue
                for j in range(i, i + n):
                    taken[j] = True
                spans.append((i, i + n))

        def edge(k: int, side: str) -> bool:  # can a word end between k-1 and k?
            if k <= 0 or k >= len(text):
                return True
            c = text[k] if side == "right" else text[k - 1]
            inside = taken[k] if side == "right" else taken[k - 1]
            allowed = _ZH_RIGHT if side == "right" else _ZH_LEFT
            return inside or not _CJK.match(c) or c in allowed

        out: list[Match] = []
        for i, j in spans:
            if j - i > 1 or edge(i, "left") and edge(j, "right"):
                out.extend(Match(v, t, i, j, text[i:j]) for v, t in self._zh_index[text[i:j]])
        return sorted(out, key=lambda m: (m.start, _SINGLE_VOCABULARIES.index(m.vocab)))


#: Characters a Chinese noun may follow or be followed by without being part of a longer word
#: (particles, measure words, sizes, question words).
_ZH_LEFT = frozenset("有是的个只辆条张把头匹位棵朵件台本块幅些几这那在里中上下和与或跟同及还没无一两三四五六七八九十"
                     "大小老新旧长短高矮胖瘦多少好美")
_ZH_RIGHT = frozenset("吗嘛么呢吧啊呀了的是在里中上下边旁前后和与或跟同及还有没们子儿着过都也很什怎多几")


# ---------------------------------------------------------------------------------------------
# Questions
# ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Question:
    """What a question asks of an image, and which candidates answer it."""

    text: str
    language: str  # "en" or "zh"
    kind: str  # yes_no | colour | count | weather | time | material | style | mood | pattern | scene | object | describe
    vocab: str  # the vocabulary the answer candidates come from
    asks: str = ""  # yes_no: "presence" or the attribute checked ("colour", "scene", …); otherwise == kind
    subject: str = ""  # the thing asked about, as CLIP scores it ("car"; "flux capacitor" if not in a vocabulary)
    value: str = ""  # yes_no on an attribute: the value to check ("red")
    mentioned: tuple[Match, ...] = ()  # vocabulary terms in the question
    unknown: str = ""  # words of a Chinese question not in the label lists (CLIP reads only English)

    @property
    def target(self) -> str:
        """What a yes/no question checks: the value ("red") or the thing ("dog")."""
        return self.value or self.subject


_AUX = frozenset("""is are was were does do did can could has have will would should isn't aren't doesn't
don't""".split())
_DET = frozenset("""a an the any some this that these those my your his her their our its one two three
several many few""".split())
_PRONOUN = frozenset("it this that these those they there he she".split())
_NP_STOP = frozenset("""in on at near by under over behind beside next inside outside here there anywhere
visible present around of from to with without or and but so if while where which that who this
picture image photo photograph shot frame scene please""".split())
_PRESENCE_VERBS = frozenset("have has show shows contain contains include includes feature features got".split())

_KIND_CUES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("colour", re.compile(r"\b(colou?rs?|colou?red|hue|shade of)\b")),
    ("count", re.compile(r"\bhow many\b")),
    ("weather", re.compile(r"\b(weather|raining|rainy|snowing|snowy|sunny|cloudy|foggy|stormy)\b")),
    ("time", re.compile(r"\b(time of (the )?day|what time|day or night|night or day|daytime|night ?time)\b")),
    ("material", re.compile(r"\b(made (of|from|out of)|materials?)\b")),
    ("style", re.compile(r"\b(style|art ?style|painting or|drawing or|photo or|medium)\b")),
    ("mood", re.compile(r"\b(mood|feel|feeling|emotion|atmosphere|vibe|tone)\b")),
    ("pattern", re.compile(r"\b(pattern|texture|surface)\b")),
    ("scene", re.compile(r"\bwhere\b|\b(place|location|setting|indoors|outdoors|inside or outside)\b")),
    ("object", re.compile(r"\bwhat\b|\bwhich\b|\bidentify\b|\bwho\b")),
)

_ZH_KIND_CUES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("colour", re.compile(r"颜色|顏色|什么色|啥色|哪种色|色彩")),
    ("count", re.compile(r"多少|几[个只辆条张头匹位棵朵件台本把块]")),
    ("weather", re.compile(r"天气|下雨|下雪|晴天|阴天")),
    ("time", re.compile(r"白天还是|晚上还是|什么时[候间]|几点|时间|时段")),
    ("material", re.compile(r"什么做的|啥做的|什么材[料质]|材质|材料|制成")),
    ("style", re.compile(r"风格|画风|照片还是|画还是|什么类型的图")),
    ("mood", re.compile(r"氛围|情绪|气氛|心情|感觉")),
    ("pattern", re.compile(r"图案|花纹|纹理|质感")),
    ("scene", re.compile(r"哪里|哪儿|在哪|什么地方|什么场所|地点|场景|室内还是室外")),
    ("object", re.compile(r"什么|啥|哪个|哪些|谁|是何")),
)
#: Words of a Chinese question that contain label names but are not about the image's content.
_ZH_FRAME = re.compile(r"这张图片?|这张照片|这张相片|这幅图|图片|图像|图中|图里|图上|画面|照片里|照片中|照片上|这个|那个|什么|东西")
_ZH_YES_NO = re.compile(r"(?:吗|嘛|(?<![什怎这那多])么)[\s？?！!。.]*$|有没有|是不是|是否|有无|对不对|能不能看[到见]")
_ZH_PRESENCE = re.compile(r"有没有|有无|有.{0,12}[吗嘛么]|看[到见得]|存在|包含")
_ZH_FREE = re.compile(r"(?:有没有|有无|有|是不是|是)(?:一[个只辆条张把头匹位棵朵件台]|任何|些)?(.{1,10}?)"
                      r"(?:吗|嘛|么|呢|[？?！!。.]|$)")


def _cue_kind(text: str, cues: Sequence[tuple[str, re.Pattern[str]]]) -> str:
    for kind, cue in cues:
        if cue.search(text):
            return kind
    return "describe"


def _noun_phrase(words: Sequence[str], start: int) -> tuple[int, int]:
    """(start, end) of the noun phrase at ``start``: determiners skipped, up to a preposition, at
    most four words."""
    i = start
    while i < len(words) and words[i] in _DET:
        i += 1
    j = i
    while j < len(words) and j - i < 4 and words[j] not in _NP_STOP and words[j] not in _AUX:
        j += 1
    return i, j


def _thing(words: Sequence[str], span: tuple[int, int], matches: Sequence[Match]) -> str:
    """The thing a noun phrase names, as CLIP scores it: a vocabulary object with the words before
    it ("red car"), else the phrase itself ("flux capacitor")."""
    i, j = span
    if i >= j:
        return ""
    objects = [m for m in matches if m.vocab == "objects" and i <= m.start < j]
    if objects:
        m = objects[-1]
        head = [w[:-2] if w.endswith("'s") else w for w in words[i:m.start]]
        return " ".join(head + [m.term])
    return " ".join(words[i:j])


def parse_question(question: str, lexicon: Lexicon | None = None) -> Question:
    """Read a question (English or Chinese) as words and say what to score; see ``Question``."""
    lex = lexicon or Lexicon()
    text = " ".join((question or "").split())
    if _CJK.search(text):
        return _parse_zh(text, lex)
    return _parse_en(text, lex)


def _parse_en(text: str, lex: Lexicon) -> Question:
    words = _words(text)
    matches = tuple(lex.find_en(words))
    yes_no = _parse_en_yes_no(text, words, matches, lex)
    if yes_no is not None:
        return yes_no
    low = " ".join(text.lower().split())
    kind = _cue_kind(low, _KIND_CUES)
    attrs = [m for m in matches if m.vocab in ATTRIBUTE_VOCABULARIES]
    if kind in ("describe", "object") and "or" in words and attrs:  # "is the cat black or white?"
        kind = _VOCAB_KIND[attrs[0].vocab]
    vocab = _KIND_VOCAB[kind]
    objects = [m for m in matches if m.vocab == "objects"]
    subject = ""
    if objects:
        subject = objects[0].term
    elif kind in ("colour", "material", "pattern", "count"):
        subject = _free_subject_en(words)
    elif kind == "describe" and any(m.vocab == "scenes" for m in matches):
        subject = next(m.term for m in matches if m.vocab == "scenes")
    return Question(text, "en", kind, vocab, asks=kind, subject=subject, mentioned=matches)


def _free_subject_en(words: Sequence[str]) -> str:
    """The thing a "what colour is the wombat?" question is about when it is in no vocabulary."""
    content = [i for i, w in enumerate(words) if w not in _STOP and w not in _AUX
               and not re.fullmatch(r"colou?r(s|ed)?|made|material|many|number|pattern|texture", w)]
    if not content:
        return ""
    i, j = _noun_phrase(words, content[0])
    return " ".join(w[:-2] if w.endswith("'s") else w for w in words[i:j][:3])


_FRAME_WORDS = frozenset("picture image photo photograph shot drawing".split())


def _parse_en_yes_no(text: str, words: Sequence[str], matches: Sequence[Match], lex: Lexicon) -> Question | None:
    """Yes/no forms: "is there a dog?", "do you see …", "does it have …", "is this a …?", "is the car red?"."""
    if not words or "or" in words:
        return None
    first = words[0]

    def presence(start: int) -> Question | None:
        thing = _thing(words, _noun_phrase(words, start), matches)
        if not thing:
            return None
        return Question(text, "en", "yes_no", "objects", asks="presence", subject=thing, mentioned=tuple(matches))

    def check(vocab: str, value: str, subject: str = "") -> Question:
        return Question(text, "en", "yes_no", vocab, asks=_VOCAB_KIND[vocab], value=value,
                        subject=subject if vocab in _SUBJECT_PHRASES else "", mentioned=tuple(matches))

    for k in range(len(words) - 2):  # "can you tell me if there is a dog?"
        if words[k] in ("if", "whether") and words[k + 1] == "there" and words[k + 2] in ("is", "are"):
            return presence(k + 3)
    if first not in _AUX and first != "any":
        return None
    if first == "any":  # "any dogs?"
        return presence(0)
    if len(words) > 1 and words[1] == "there":  # "is there a dog", "are there any people"
        return presence(2)
    if len(words) > 2 and words[1] == "you" and words[2] in ("see", "spot", "find", "notice"):
        return presence(3)
    for k in range(1, min(4, len(words))):  # "does it have a hat", "does the picture show a dog"
        if words[k] in _PRESENCE_VERBS and all(w in _PRONOUN or w in _DET or w in _FRAME_WORDS for w in words[1:k]):
            return presence(k + 1)
    if first not in ("is", "are", "was", "were", "isn't", "aren't") or len(words) < 2:
        return None
    if len(words) >= 3 and words[1] in _PRONOUN and words[2] in ("a", "an"):
        # "is this a painting?", "is it a cat?", "is this a kitchen?", "is this a photo of a cat?"
        span = _noun_phrase(words, 2)
        k = span[0]
        if k < len(words) and words[k] in _FRAME_WORDS:
            if k + 1 < len(words) and words[k + 1] == "of":
                return presence(k + 2)
            if lex.known("styles", words[k]):
                return check("styles", words[k])
        inside = [m for m in matches if span[0] <= m.start < span[1]]
        style = next((m for m in inside if m.vocab == "styles"), None)
        obj = next((m for m in inside if m.vocab == "objects"), None)
        scene = next((m for m in inside if m.vocab == "scenes"), None)
        if style is not None:
            return check("styles", style.term)
        if obj is None and scene is not None:
            return check("scenes", scene.term)
        return presence(2)
    # "is the car red?", "is it sunny?", "is the table made of wood?", "are the flowers yellow?"
    pronoun = words[1] in _PRONOUN
    span = (2, 2) if pronoun else _noun_phrase(words, 1)
    subject_obj = next((m for m in matches if m.vocab == "objects" and span[0] <= m.start < span[1]), None)
    after = subject_obj.end if subject_obj is not None else (2 if pronoun else span[0])
    values = [m for m in matches if m.vocab in ATTRIBUTE_VOCABULARIES + ("scenes",) and m.start >= after]
    if not values:
        return None
    value = values[0]
    if subject_obj is not None:
        subject = subject_obj.term
    elif pronoun:
        subject = ""
    else:
        subject = " ".join(w[:-2] if w.endswith("'s") else w for w in words[span[0]:min(span[1], value.start)])
    return check(value.vocab, value.term, subject)


def _parse_zh(text: str, lex: Lexicon) -> Question:
    masked = _ZH_FRAME.sub(lambda m: "\0" * len(m.group(0)), text)
    # English words in a Chinese question ("图里有 corgi 吗") are matched as English, at their offsets
    latin = list(re.finditer(r"[A-Za-z0-9]+(?:[-'][A-Za-z0-9]+)*", text))
    english = [Match(m.vocab, m.term, latin[m.start].start(), latin[m.end - 1].end(), m.text)
               for m in lex.find_en([w.group(0).lower() for w in latin])]
    matches = tuple(sorted([*lex.find_zh(masked), *english],
                           key=lambda m: (m.start, _SINGLE_VOCABULARIES.index(m.vocab))))

    def firsts(vocabs: Iterable[str]) -> list[Match]:  # one term per place in the text
        seen: set[int] = set()
        out = []
        for m in matches:
            if m.vocab in vocabs and m.start not in seen:
                seen.add(m.start)
                out.append(m)
        return out

    objects, attrs, scenes = firsts(("objects",)), firsts(ATTRIBUTE_VOCABULARIES), firsts(("scenes",))
    kind = _cue_kind(text, _ZH_KIND_CUES)
    # an open question ("车是什么颜色的？") names what it asks; a yes/no one names a value to check
    open_question = kind in ("colour", "count", "material", "scene", "time", "style", "mood", "pattern")
    if _ZH_YES_NO.search(text) and not open_question:
        if _ZH_PRESENCE.search(text) and objects:  # "图里有狗吗？", "有没有红色的车？"
            obj = objects[0]
            mods = [m.term for m in attrs if m.vocab in _SUBJECT_PHRASES and m.end <= obj.start]
            return Question(text, "zh", "yes_no", "objects", asks="presence", subject=" ".join(mods + [obj.term]),
                            mentioned=matches)
        if attrs:  # "车是红色的吗？", "是晴天吗？"
            value = attrs[0]
            subject = objects[0].term if objects and value.vocab in _SUBJECT_PHRASES else ""
            return Question(text, "zh", "yes_no", value.vocab, asks=_VOCAB_KIND[value.vocab], subject=subject,
                            value=value.term, mentioned=matches)
        if scenes and not objects:  # "这是厨房吗？"
            return Question(text, "zh", "yes_no", "scenes", asks="scene", value=scenes[0].term, mentioned=matches)
        if objects:  # "这是猫吗？"
            return Question(text, "zh", "yes_no", "objects", asks="presence", subject=objects[0].term,
                            mentioned=matches)
    unknown = ""
    if not objects and _ZH_YES_NO.search(text):
        free = _ZH_FREE.search(_ZH_FRAME.sub("", text))
        if free and not _CUE_WORDS_ZH.fullmatch(free.group(1).strip("的了")):
            unknown = free.group(1).strip("的了")
    subject = objects[0].term if objects else ""
    return Question(text, "zh", kind, _KIND_VOCAB[kind], asks=kind, subject=subject, mentioned=matches,
                    unknown=unknown)


_CUE_WORDS_ZH = re.compile(r"[什么啥谁哪几多少怎样么个些]*")


def question_kind(question: str, lexicon: Lexicon | None = None) -> str:
    """yes_no | colour | count | weather | time | material | style | mood | pattern | scene | object | describe."""
    return parse_question(question, lexicon).kind


# ---------------------------------------------------------------------------------------------
# Candidate sets: what one softmax scores together
# ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class CandidateSet:
    """Candidates scored together by one softmax over CLIP's scaled similarities.

    Candidate ``i`` means ``terms[i]`` and is embedded as the mean over ``templates`` filled with
    ``phrases[i]``. With ``vocab`` set, the first terms are that whole vocabulary (in file order,
    phrased as themselves with the vocabulary's templates), so its cached embeddings serve."""

    terms: tuple[str, ...]
    phrases: tuple[str, ...]
    templates: tuple[str, ...]
    vocab: str = ""  # the vocabulary the terms come from
    cached: int = 0  # how many leading candidates are the vocabulary's cached embeddings
    labels: tuple[str, ...] = field(default=(), compare=False)  # what the user sees, per term

    def __len__(self) -> int:
        return len(self.terms)

    def prompts(self) -> list[list[str]]:
        """Every candidate's filled prompts (the text CLIP embeds)."""
        return [[fill_template(t, p) for t in self.templates] for p in self.phrases]

    def label(self, i: int) -> str:
        return self.labels[i] if self.labels else self.terms[i]


def _article(thing: str) -> str:
    """"a dog", "an owl", "wheels" (a plural takes none)."""
    if thing.endswith("s") and not thing.endswith("ss"):
        return thing
    return ("an " if thing[:1] in "aeiou" else "a ") + thing


def candidates_for(q: Question, lexicon: Lexicon, extra: Sequence[str] = ()) -> CandidateSet:
    """The full candidate set that answers ``q``: a whole vocabulary, phrased with the subject
    when it has one ("red car" … "blue car"), plus the thing asked about when it is in no
    vocabulary (scored as itself) and any ``extra`` terms."""
    vocab = q.vocab
    terms = list(lexicon.vocabulary(vocab))

    def label_of(term: str) -> str:
        return lexicon.label(vocab, term, q.language)

    if q.subject and vocab in _SUBJECT_PHRASES:
        pattern = _SUBJECT_PHRASES[vocab]
        phrases = tuple(pattern.format(value=t, subject=q.subject) for t in terms)
        return CandidateSet(tuple(terms), phrases, SUBJECT_TEMPLATES, vocab=vocab, cached=0,
                            labels=tuple(label_of(t) for t in terms))
    more = [t for t in [q.subject if vocab == "objects" else "", q.value, *extra]
            if t and not lexicon.known(vocab, t)]
    more = list(dict.fromkeys(more))
    all_terms = tuple(terms + more)
    return CandidateSet(all_terms, all_terms, _templates_for(vocab), vocab=vocab, cached=len(terms),
                        labels=tuple(label_of(t) for t in all_terms))


def presence_check(thing: str, label: str = "", language: str = "en") -> CandidateSet:
    """"a photo with a dog." against "a photo without a dog.": terms ("yes", "no")."""
    art = _article(thing)
    shown = label or thing
    return CandidateSet(("yes", "no"), (f"with {art}", f"without {art}"), PRESENCE_TEMPLATES,
                        labels=(shown, f"没有{shown}" if language == "zh" else f"no {shown}"))
