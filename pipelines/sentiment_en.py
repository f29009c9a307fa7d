"""English mood: VADER's valence sums, read sentence by sentence, with what VADER misses in chat.

- Requests and questions ("draw a happy dog", "what is bad debt?", "how do I kill a process?")
  count for a quarter: their sentiment words are the topic, not the writer's mood, unless the
  sentence says how the writer feels (I, I'm, I feel ... before the word). Politeness (please)
  and bare acknowledgements (yes, ok) are no mood either.
- Chat phrases VADER does not know are scored whole: "didn't work", "not what I asked for",
  "takes forever", "I give up", "can't take this anymore", "burned out", "looking forward to",
  "no problems at all", "thanks for nothing", "keeps crashing"; a few words are added
  (pointless, crashed, lifesaver, nailed, meh).
- Irony: a sentence opening with praise ("Oh great,", "Brilliant,", "Fantastic,") in a message
  about something going wrong (crashed, another error, deleted everything, worse) is negative.

The per-sentence VADER sums are added back together (VADER's own normalisation undone and
redone), so a message scores as VADER would score it, less the topic of its requests.

``upset_cue`` finds an explicitly negative word about the writer's own state ("I'm furious",
"I feel miserable", "I can't take this anymore"), not negated and not inside a request.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

__all__ = ["EnScore", "score", "prepare", "LEXICON_UPDATES", "REQUEST_WEIGHT"]

REQUEST_WEIGHT = 0.1
_ALPHA = 15.0  # VADER's normalisation constant: compound = s / sqrt(s^2 + alpha)

#: (pattern, the single token it becomes, that token's VADER valence)
PHRASES: tuple[tuple[re.Pattern[str], str, float], ...] = tuple(
    (re.compile(p, re.IGNORECASE), tok, v) for p, tok, v in (
        (r"^\W*no,? thanks?(?: you)?\W*$", "xnothanksx", 0.0),
        (r"\bno (?:problems?|issues?|worries|complaints|errors?)(?: at all)?\b", "xnoproblemx", 1.3),
        (r"\b(?:can't|can not|cannot|couldn't) complain\b", "xcantcomplainx", 1.6),
        (r"\blooking forward to\b", "xlookingforwardx", 1.9),
        (r"\bpassed away\b", "xpassedawayx", -2.6),
        (r"\b(?:didn't|did not|doesn't|does not|won't|will not|isn't|is not|not|still not|stopped|never) "
         r"(?:work|working|works|worked)\b", "xnotworkingx", -1.6),
        (r"\bnot what I (?:meant|asked for|asked|wanted|said|need|needed|expected)\b", "xnotwhatiaskedx", -1.6),
        (r"\b(?:takes?|taking|took) (?:forever|ages)\b", "xforeverx", -1.6),
        (r"\btoo (?:slow|expensive|dark|bright|loud|quiet|long|small|blurry|noisy|complicated|hard|difficult|late)\b",
         "xtoox", -1.2),
        (r"\bburn(?:ed|t) out\b", "xburnedoutx", -2.5),
        (r"\b(?:I|I'll|I will|I'm going to|gonna) give up\b|\bgiving up\b", "xgiveupx", -2.0),
        (r"\bcan(?:'t|not| not) (?:take|stand|handle|bear) (?:this|it|them|him|her|any ?more)\b", "xcanttakex", -2.8),
        (r"\b(?:sick|tired) (?:and tired )?of\b", "xsickofx", -2.0),
        (r"\bfed up\b", "xfedupx", -2.2),
        (r"\bthanks for nothing\b", "xthanksfornothingx", -2.2),
        (r"\bbr(?:oke|oken) down\b", "xbrokedownx", -1.6),
        (r"\bkeeps? (?:crashing|freezing|failing|breaking|hanging|dying|getting (?:it )?wrong)\b", "xkeepsx", -1.8),
        (r"\b(?:deleted|lost|wiped|erased|ruined) (?:everything|all my\b)", "xlosteverythingx", -2.2),
        (r"\bwaste of (?:time|money)\b", "xwastex", -1.8),
        (r"\bworks? like a charm\b", "xcharmx", 2.2),
        (r"\bmade my day\b", "xmadedayx", 2.5),
        (r"\bwhat a relief\b", "xreliefx", 2.0),
        (r"\bnot (?:too|that) (?:shabby|bad)\b", "xnotbadx", 1.5),
    ))
#: words VADER lacks or weighs wrongly for chat (valence on VADER's -4..4 scale)
LEXICON_UPDATES = {
    "pointless": -1.6, "crashed": -1.5, "crashes": -1.5, "crashing": -1.5, "freezes": -1.2, "freezing": -0.8,
    "lifesaver": 2.6, "nailed": 1.8, "meh": -1.0, "passed": 1.4, "yes": 0.0, "ok": 0.0, "okay": 0.0,
    "sure": 0.0, "alright": 0.0, "useless": -2.0, "garbage": -2.0, "ugh": -1.5, "phew": 0.8, "yay": 2.0,
    "broke": -1.4, "broken": -1.4, "wrong": -1.6, "incorrect": -1.4, "disappointing": -2.0, "hopeless": -2.6,
    **{tok: v for _, tok, v in PHRASES},
}

_POLITE = re.compile(r"\b(?:please|pls|plz|kindly)\b", re.IGNORECASE)
_SENTENCES = re.compile(r"(?<=[.!?])\s+|\n+")
_REQUEST = re.compile(
    r"^\W*(?:(?:hey|hi|hello|ok|okay|so|and|also|now|then|quick question)\W+)?(?:"
    r"draw|paint|sketch|write|generate|create|make|give|tell|show|list|find|search|explain|describe|translate|"
    r"convert|summari[sz]e|set|remind|rename|open|print|recommend|suggest|help|compose|format|shorten|check|"
    r"calculate|compute|transcribe|play|send|read|add|remove|delete|turn|change|edit|crop|resize|design|plan|book|"
    r"schedule|look up|define|compare|replace|render|imagine|picture|illustrate|put|move|copy|save|undo|"
    r"what(?!\s+an?\b)|what's|whats|how(?!\s+(?:nice|lovely|cool|great|sweet|awful|sad|kind)\b)|who|whom|whose|"
    r"which|where|when|any|i need|i want|i'd like|i would like|i have a question|let me know|go ahead|"
    # an auxiliary opens a question only when the subject follows it ("is it bad", not "was great")
    r"(?:is|are|was|were|do|does|did|can|could|would|will|should|shall|may|might|has|have)\s+"
    r"(?:you|u|i|we|it|there|this|that|these|those|they|he|she|anyone|someone|anybody|somebody|my|the)"
    r")\b", re.IGNORECASE)
_WHY = re.compile(r"^\W*why\b(?!.*\b(?:you|keep|always|still|again|never)\b)[^!]*\?\s*$", re.IGNORECASE)
_OWN_FEELING = re.compile(r"\b(?:I'm|Im|I am|I feel|I'm feeling|I've been|I was|makes me|made me|making me|"
                          r"I (?:really |so |just )?(?:love|hate|like|miss|enjoy|appreciate))\b", re.IGNORECASE)
_IRONY_OPENING = re.compile(
    r"^\W*(?:oh,?\s+|wow,?\s+|yeah,?\s+|just\s+|well,?\s+)?(?:great|wonderful|fantastic|brilliant|perfect|lovely|"
    r"awesome|super|excellent|thanks a lot|gee,? thanks|yeah right|nice one|exactly what i needed)\b[,.!]",
    re.IGNORECASE)
_TROUBLE = re.compile(
    r"\b(?:crash(?:ed|es|ing)?|error|errors|broke|broken|deleted|worse|failed|fails|start over|lost|froze|"
    r"another (?:crash|error|bug|problem|issue|failure|meeting|update|delay)|nothing works|down again)\b|"
    r"xlosteverythingx|xnotworkingx|xkeepsx", re.IGNORECASE)

#: words for a person's state: with "I / me" before them, or opening the sentence, a cue
_PERSON_STATE = (r"furious|angry|mad|upset|sad|depressed|miserable|frustrated|devastated|heartbroken|hopeless|"
                 r"desperate|anxious|scared|terrified|lonely|exhausted|stressed|worthless|humiliated|crying|livid|"
                 r"pissed|infuriated|overwhelmed|helpless|panicking|xcanttakex|xsickofx|xfedupx|xgiveupx|xburnedoutx")
#: ... and words that are a state only when the writer says they are it ("I feel awful", not "awful idea")
_STATE = (_PERSON_STATE + r"|afraid|alone|awful|terrible|horrible|cry|scream|hurt|broken|unbearable|failure|"
          r"hate myself|hate my life")
_CUE_SELF = re.compile(
    rf"\b(?:I|I'm|Im|I am|I've been|I feel|I'm feeling|makes me|made me|making me|me)\b(?P<gap>[^.!?]{{0,30}}?)"
    rf"\b(?P<w>{_STATE})\b", re.IGNORECASE)
_CUE_OPENING = re.compile(rf"^\W*(?:so |absolutely |totally |really )?(?P<w>{_PERSON_STATE}|infuriating|maddening)\b",
                          re.IGNORECASE)
_CUE_THING = re.compile(r"\b(?:so |absolutely |truly )?(?P<w>infuriating|maddening)\b", re.IGNORECASE)
_NEGATED = re.compile(r"\b(?:not|never|no longer|n't|don't|didn't|isn't|wasn't|aren't)\b|n't\b", re.IGNORECASE)


@dataclass(frozen=True)
class EnScore:
    """VADER-scale compound in [-1, 1], whether any word carried sentiment, and the upset cue."""

    score: float
    hits: bool
    upset_cue: str = ""


def prepare(vader: Any) -> Any:
    """Add the chat words and phrase tokens to this VADER instance's lexicon (its own copy)."""
    vader.lexicon.update(LEXICON_UPDATES)
    return vader


def _phrases(text: str) -> str:
    for pattern, tok, _ in PHRASES:
        text = pattern.sub(tok, text)
    return text


def _raw(compound: float) -> float:
    c = max(-0.9999, min(0.9999, compound))
    return c * math.sqrt(_ALPHA) / math.sqrt(1.0 - c * c)


def _is_request(sentence: str) -> bool:
    return bool(_REQUEST.match(sentence) or _WHY.match(sentence))


def _cue(sentence: str) -> str:
    for m in _CUE_SELF.finditer(sentence):
        gap = m.group("gap")
        if not _NEGATED.search(gap) and not re.search(r"\b(?:you|he|she|they|it|this|that)\b", gap, re.IGNORECASE):
            return m.group("w").lower()
    opening = _CUE_OPENING.match(sentence) or _CUE_THING.search(sentence)
    return opening.group("w").lower() if opening else ""


def score(text: str, vader: Any) -> EnScore:
    """Score English ``text`` with a ``prepare``d VADER ``SentimentIntensityAnalyzer``."""
    text = _phrases(_POLITE.sub(" ", text))
    sentences = [s for s in _SENTENCES.split(text) if s and s.strip()]
    total, hits, cue = 0.0, False, ""
    irony = bool(_TROUBLE.search(text))
    for s in sentences:
        c = float(vader.polarity_scores(s)["compound"])
        if c == 0.0:
            continue
        hits = True
        request = _is_request(s) and not _OWN_FEELING.search(s)
        if irony and c > 0 and _IRONY_OPENING.match(s):
            c = -0.5 * c  # "Oh great, it crashed again."
        raw = _raw(c)
        if request:
            raw *= REQUEST_WEIGHT
        elif raw < 0 and not cue:
            cue = _cue(s)
        total += raw
    return EnScore(total / math.sqrt(total * total + _ALPHA), hits, cue)
