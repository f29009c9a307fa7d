"""Chinese mood from words, not substrings: a lexicon read over jieba's segmentation.

The text is cut into words by a jieba tokenizer (the caller's, see ``SentimentAnalyzer``), so a
sentiment character inside another word stays out of it: 美国 and 美元 are not 美, 差不多 and 误差
are not 差, 坏账 is not 坏, 好久 / 好像 / 好几 are not 好. Words jieba splits where the meaning is
one unit are added to its dictionary (``USER_WORDS``: 压力测试 is a test, not stress).

Each clause (split at punctuation and at 但是 / 可是 / 不过) is read left to right:
- a negator (不 没 没有 别 并不 毫不 ...) flips the next sentiment word of the same clause, at most
  ``NEGATION_REACH`` words on: 不开心 is negative, 不难过 / 不差 mildly positive;
- two negators keep the sign, weakened: 没有不开心 is mildly positive, not upset;
- 不太 / 不是很 / 没那么 weaken: 不太好用 is mildly negative; 一点也不 / 根本不 / 并不 strengthen;
- degree words scale the next sentiment word (很 非常 太 特别 超 真 好 挺 最; 有点 / 有些 soften),
  and so do the suffixes 死 / 极了 / 透了 / 得要命 (笑死, 爱死, 烦死, 美极了);
- a clause that asks for something or asks a question (帮我画一只开心的小狗, 生气的时候怎么办?)
  counts for a quarter: its sentiment words are its topic, not the writer's mood, unless the
  writer says how they feel in it (我很焦虑, 怎么办?);
- a few fixed phrases are scored whole (一点用都没有, 不是我想要的, 越改越差).
The clause sums are added and squashed with tanh. Where praise and a complaint of something going
wrong (又崩了, 越改越差, 呵呵) share a message, the praise is taken as irony and dropped.

``score`` also reports the upset cue: a strong negative word about the writer's own state
(难过, 气死, 崩溃, 受不了 ...) that is not negated, not in a question or request, and whose clause
has no other subject than 我 (这个软件老是崩溃 is not a cue; 我快崩溃了 is).
"""
from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

__all__ = ["USER_WORDS", "ZhScore", "score", "NEGATION_REACH"]

#: jieba splits these where the meaning is one word (or joins them wrongly with their neighbours)
USER_WORDS = ("压力测试", "好耶", "松了一口气", "没问题", "别烦", "谢啦", "笑死", "爱死", "哭笑不得", "好多了", "好用", "难用",
              "压力大", "压力太大", "压力好大", "压力很大", "压力特别大", "压力山大")

POSITIVE = {
    "开心": 0.8, "高兴": 0.8, "快乐": 0.8, "愉快": 0.7, "幸福": 0.9, "喜欢": 0.6, "爱": 0.6, "热爱": 0.7,
    "喜爱": 0.7, "棒": 0.8, "太棒了": 0.9, "太好了": 0.9, "好极了": 0.9, "不错": 0.6, "真不错": 0.7,
    "满意": 0.7, "谢谢": 0.5, "感谢": 0.6, "多谢": 0.6, "谢啦": 0.5, "谢了": 0.5, "厉害": 0.7, "完美": 0.9,
    "兴奋": 0.7, "激动": 0.6, "舒服": 0.5, "顺利": 0.6, "优秀": 0.7, "精彩": 0.7, "漂亮": 0.7, "美": 0.5,
    "美丽": 0.7, "好看": 0.6, "好听": 0.6, "好吃": 0.6, "好玩": 0.6, "好用": 0.6, "有用": 0.5, "管用": 0.5,
    "实用": 0.4, "大忙": 0.6, "哈哈": 0.6, "哈哈哈": 0.7, "嘻嘻": 0.5, "赞": 0.7, "点赞": 0.6, "惊喜": 0.7,
    "期待": 0.5, "放心": 0.4, "安心": 0.5, "轻松": 0.5, "成功": 0.6, "升职": 0.6, "加薪": 0.6, "喜悦": 0.8,
    "欣慰": 0.6, "温暖": 0.6, "可爱": 0.6, "好": 0.4, "聪明": 0.5, "清楚": 0.4, "准确": 0.4, "简单": 0.3,
    "方便": 0.4, "划算": 0.5, "值得": 0.4, "感动": 0.6, "满足": 0.5, "享受": 0.5, "自豪": 0.7, "骄傲": 0.5,
    "庆幸": 0.5, "幸运": 0.7, "好运": 0.6, "进步": 0.5, "牛": 0.5, "给力": 0.7, "靠谱": 0.6, "酷": 0.5,
    "帅": 0.5, "爽": 0.6, "有意思": 0.5, "有趣": 0.6, "好笑": 0.6, "搞笑": 0.4, "逗": 0.4, "笑": 0.4,
    "笑死": 0.6, "爱死": 0.9, "松了一口气": 0.6, "放松": 0.4, "解决": 0.3, "搞定": 0.5, "修好": 0.5,
    "跑通": 0.5, "通过": 0.3, "录取": 0.6, "考上": 0.6, "恭喜": 0.7, "祝贺": 0.6, "救星": 0.8, "耐心": 0.4,
    "贴心": 0.6, "周到": 0.5, "高效": 0.5, "流畅": 0.5, "清晰": 0.4, "美味": 0.6, "舒心": 0.6, "好耶": 0.7,
    "耶": 0.4, "辛苦": 0.3, "合适": 0.4, "没问题": 0.4, "好多了": 0.6, "顺心": 0.6, "乐": 0.4, "甜": 0.3,
    "强": 0.4, "还行": 0.3, "丰富": 0.3, "精准": 0.4, "好评": 0.6, "佩服": 0.6, "感激": 0.7, "荣幸": 0.6,
}
NEGATIVE = {
    "难过": -0.8, "伤心": -0.8, "生气": -0.8, "愤怒": -0.9, "气死": -0.9, "气死我了": -0.9, "失望": -0.7,
    "讨厌": -0.7, "烦": -0.6, "烦死": -0.9, "烦人": -0.6, "烦死人": -0.9, "别烦": -0.6, "糟糕": -0.8,
    "糟透": -0.9, "糟透了": -0.9, "差劲": -0.8, "差": -0.5, "垃圾": -0.8, "崩溃": -0.8, "郁闷": -0.7,
    "焦虑": -0.7, "紧张": -0.5, "压力": -0.4, "痛苦": -0.9, "难受": -0.7, "累": -0.5, "心累": -0.7,
    "累死": -0.8, "疲惫": -0.6, "哭": -0.6, "绝望": -1.0, "害怕": -0.6, "恐惧": -0.7, "担心": -0.5,
    "担忧": -0.5, "无聊": -0.5, "后悔": -0.6, "孤独": -0.6, "寂寞": -0.5, "可恶": -0.8, "恶心": -0.8,
    "受不了": -0.8, "受够": -0.9, "受够了": -0.9, "没用": -0.6, "废物": -0.9, "出错": -0.5, "弄错": -0.5,
    "搞错": -0.5, "写错": -0.4, "搞砸": -0.6, "考砸": -0.7, "失败": -0.6, "倒霉": -0.7, "睡不着": -0.5,
    "失眠": -0.6, "不爽": -0.7, "委屈": -0.7, "抑郁": -0.9, "坏": -0.4, "丑": -0.6, "难看": -0.6,
    "难听": -0.6, "难吃": -0.6, "难用": -0.6, "麻烦": -0.5, "慢": -0.4, "贵": -0.4, "吵": -0.4, "坑": -0.6,
    "离谱": -0.6, "过分": -0.6, "无语": -0.6, "崩": -0.5, "死机": -0.6, "卡顿": -0.5, "模糊": -0.4,
    "变形": -0.4, "吓人": -0.6, "可怕": -0.7, "糟心": -0.7, "闹心": -0.6, "心烦": -0.7, "烦躁": -0.7,
    "生病": -0.5, "疼": -0.5, "心疼": -0.5, "痛": -0.5, "悲伤": -0.8, "难": -0.3, "困难": -0.3, "复杂": -0.3,
    "浪费": -0.6, "浪费时间": -0.7, "不满": -0.7, "抱怨": -0.4, "骂": -0.6, "嫌弃": -0.6, "怕": -0.4,
    "慌": -0.5, "着急": -0.5, "疯": -0.6, "呵呵": -0.5, "唉": -0.5, "尴尬": -0.5, "丢": -0.4, "丢人": -0.6,
    "失恋": -0.8, "分手": -0.6, "去世": -0.8, "死": -0.6, "没意思": -0.5, "不行": -0.4, "不值": -0.5,
    "哭笑不得": -0.4, "压力大": -0.6, "压力太大": -0.8, "压力好大": -0.8, "压力很大": -0.7,
    "压力特别大": -0.8, "压力山大": -0.8, "不怎么样": -0.4, "累坏": -0.8, "伤心欲绝": -1.0, "心碎": -0.9,
    "沮丧": -0.7, "泄气": -0.5, "憋屈": -0.7, "窝火": -0.8, "恼火": -0.8, "火大": -0.8, "不耐烦": -0.6,
    "住院": -0.5, "挂科": -0.6, "迟到": -0.3, "丢失": -0.4, "报废": -0.5, "白费": -0.6, "卡死": -0.7,
    "闪退": -0.6, "乱码": -0.4, "太坑": -0.7, "坑爹": -0.7, "辣眼睛": -0.6,
}
LEXICON = {**POSITIVE, **NEGATIVE}

#: strong words about one's own state: not negated, not asked about, and with no other subject
#: in their clause (这个软件老是崩溃 is about the software), an upset cue. Weak words (累, 烦, 担心)
#: are not cues however much they are intensified.
STATE_WORDS = frozenset({
    "难过", "伤心", "生气", "愤怒", "崩溃", "绝望", "痛苦", "难受", "委屈", "抑郁", "哭", "焦虑", "累死", "累坏",
    "失恋", "疯", "糟透", "糟透了", "伤心欲绝", "心碎", "沮丧", "憋屈", "窝火", "恼火", "火大", "悲伤", "心累",
    "郁闷", "压力大", "压力太大", "压力好大", "压力很大", "压力特别大", "压力山大",
})
#: ... these say it whatever the subject (这个 bug 烦死人了, 这个 app 气死我了)
INHERENT_STATE_WORDS = frozenset({"气死", "气死我了", "烦死", "烦死人", "受不了", "受够", "受够了"})
#: ... and these only with 我 / 自己 before them (我很失败, not 测试失败了)
SELF_STATE_WORDS = frozenset({"失败", "孤独", "没用", "废物", "寂寞"})

NEGATORS = frozenset({"不", "没", "没有", "别", "未", "毫不", "从不", "绝不", "不是", "并非", "从没", "从来不",
                      "无", "甭", "莫", "不曾"})
#: before a negator: "not at all"
STRONG_BEFORE_NEGATOR = frozenset({"一点", "一点儿", "一点点", "根本", "完全", "压根", "丝毫", "并", "绝对", "从来",
                                   "也", "都"})
#: after a negator: "not very"
WEAK_AFTER_NEGATOR = frozenset({"太", "怎么", "很", "大", "那么", "特别", "够", "算", "是很", "十分", "非常", "这么"})
INTENSIFIERS = {
    "很": 1.2, "非常": 1.5, "太": 1.5, "特别": 1.5, "超": 1.5, "超级": 1.5, "真": 1.3, "真的": 1.3, "真是": 1.3,
    "挺": 1.1, "蛮": 1.1, "最": 1.6, "十分": 1.5, "极其": 1.6, "格外": 1.4, "实在": 1.4, "简直": 1.5, "更": 1.2,
    "越来越": 1.3, "好": 1.3, "多么": 1.4, "这么": 1.2, "那么": 1.2, "相当": 1.4, "特": 1.4, "贼": 1.4,
    "有点": 0.6, "有些": 0.6, "有一点": 0.6, "有点儿": 0.6, "稍微": 0.6, "略": 0.6, "比较": 0.9, "还": 0.9,
    "还算": 0.8, "太过": 1.5, "尤其": 1.4, "如此": 1.3,
}
#: amplify a following negative word only (又崩了, 总是崩溃)
NEGATIVE_AMPLIFIERS = {"又": 1.3, "总是": 1.2, "老是": 1.2, "一直": 1.1, "居然": 1.2, "竟然": 1.2, "还是": 1.1}
POST_INTENSIFIERS = frozenset({"死", "死了", "极了", "极", "透", "透了", "坏了", "要命", "爆了", "炸了", "疯了", "坏"})
CLAUSE_BREAKS = frozenset("，。！？；、,.!?;~～…：:\n\t")
BUT = frozenset({"但是", "但", "可是", "不过", "然而", "只是"})
QUESTION_PARTICLES = frozenset({"吗", "呢", "么", "嘛吗"})
REQUEST_STARTS = frozenset({
    "帮", "帮我", "帮忙", "给", "给我", "画", "写", "生成", "做", "把", "推荐", "翻译", "找", "找到", "设", "定",
    "设置", "列出", "描述", "告诉", "讲", "讲讲", "查", "查一下", "算", "总结", "介绍", "解释", "改", "转", "打开",
    "创建", "起", "搜索", "搜", "提醒", "说说", "来", "请", "麻烦", "能不能", "可不可以", "能否", "可以", "怎么",
    "如何", "为什么", "什么", "哪", "哪里", "哪个", "哪些", "是否", "谁", "多少", "几", "为何",
})
LEADING_POLITE = frozenset({"请", "麻烦", "能", "可以", "能不能", "可不可以", "帮忙", "你能", "您能"})
OTHER_SUBJECTS = frozenset({"他", "她", "它", "他们", "她们", "它们", "你", "您", "你们", "这个", "那个", "这", "那",
                            "大家", "别人", "软件", "程序", "系统", "电脑", "手机", "这款", "该"})
PARTICLES = frozenset({"了", "的", "啊", "呀", "吧", "哦", "呢", "嘛", "啦", "哇", "哈", "呐", "嘞", "喔"})
DECOMPOSE_PREFIXES = frozenset("不没太很好真超挺最别蛮特贼")
DECOMPOSE_SUFFIXES = ("死我了", "我了", "极了", "透了", "死了", "死人", "坏了", "了", "啦", "呀", "啊", "哦", "死", "坏")

NEGATION_REACH = 3  # words between a negator and the word it flips (degree words not counted)
QUESTION_WEIGHT = 0.1  # a request or a question: its sentiment words are its topic
SQUASH = 1.3

# fixed phrases scored whole (their span is blanked before segmentation)
PHRASES: tuple[tuple[re.Pattern[str], float], ...] = tuple((re.compile(p), w) for p, w in (
    (r"(?:根本|完全)?不是我(?:想要|要|想|要求)的", -0.6),
    (r"一点(?:儿)?(?:用|意思|效果|帮助|进步)?(?:都|也)没有", -0.7),
    (r"没(?:什么|啥|一点)用", -0.6),
    (r"越[\u4e00-\u9fff]{1,2}越(?:差|糟|乱|忙|糟糕|难看|慢|烂|离谱)", -0.7),
    (r"说了(?:好几|多少|无数|很多|几)(?:遍|次)", -0.4),
    (r"(?:根本)?没(?:在)?(?:认真)?听(?:我说话|我说)?", -0.4),
    (r"(?:浪费|白费)(?:时间|功夫|钱|精力)", -0.6),
    (r"值这个价", 0.4),
    (r"没有比(?:这|它|这个)更[\u4e00-\u9fff]{1,3}的了", 0.6),
    (r"帮了(?:我)?(?:大忙|很多)", 0.7),
    (r"不值(?:这个价|得)", -0.5),
    (r"好(?:久|几年)没(?:这么|那么|有这么)", 0.0),  # "it's been long since I was this ...": the word after decides
))
#: something going wrong: beside praise, the praise is irony (好棒哦，又死机了)
_TROUBLE = re.compile(r"又(?:崩|死机|错|出错|坏|断|卡|挂|闪退|失败|不行)|越[\u4e00-\u9fff]{1,2}越(?:差|糟|忙|乱|慢)|呵呵")
_FIRST_PERSON = frozenset({"我", "我们", "俺", "本人"})
#: "no thanks": a thank-you after a refusal is politeness, not a mood
_DECLINE = re.compile(r"^(?:不用|不必|不需要|不要|算了)(?:了|啦)?[，,。.\s]*(?:谢谢|谢了|谢啦|多谢)(?:你|您)?[。.!！]*$")


@dataclass(frozen=True)
class ZhScore:
    """A score in [-1, 1], the sentiment words that counted, and the upset cue ('' when none)."""

    score: float
    hits: int
    upset_cue: str = ""


def _decompose(token: str, depth: int = 0) -> list[str] | None:
    """Split a jieba word that is not in the lexicon into a degree/negation prefix, a lexicon word
    and a suffix: 太慢 -> 太 慢, 不太好 -> 不 太 好, 美极了 -> 美 极了. None when it holds no lexicon word."""
    if token in LEXICON:
        return [token]
    if depth > 3 or len(token) < 2:
        return None
    for suf in DECOMPOSE_SUFFIXES:
        if token.endswith(suf) and len(token) > len(suf):
            stem = _decompose(token[: -len(suf)], depth + 1)
            if stem is not None:
                return [*stem, suf]
    if token[0] in DECOMPOSE_PREFIXES:
        rest = _decompose(token[1:], depth + 1)
        if rest is not None:
            return [token[0], *rest]
    return None


def _words(tokens: Iterable[str]) -> list[str]:
    out: list[str] = []
    for t in tokens:
        t = t.strip()
        if not t:
            continue
        if t.lower() in LEXICON:
            out.append(t.lower())
            continue
        out.extend(_decompose(t) or [t])
    return out


def _clauses(words: list[str]) -> list[tuple[list[str], str, bool]]:
    """(words, closing punctuation, after a 'but') per clause."""
    out: list[tuple[list[str], str, bool]] = []
    cur: list[str] = []
    after_but = False
    for w in words:
        if w in CLAUSE_BREAKS or all(c in CLAUSE_BREAKS for c in w):
            if cur:
                out.append((cur, w, after_but))
                after_but = False
            elif out:  # "！！" or "？！": keep the strongest mark on the clause before
                prev = out[-1]
                out[-1] = (prev[0], prev[1] + w, prev[2])
            cur = []
        elif w in BUT:
            if cur:
                out.append((cur, "", after_but))
            cur, after_but = [], True
        else:
            cur.append(w)
    if cur:
        out.append((cur, "", after_but))
    return out


def _is_question_or_request(words: list[str], punct: str) -> bool:
    if "？" in punct or "?" in punct:
        return True
    content = [w for w in words if w not in PARTICLES]
    if not content:
        return False
    if words[-1] in QUESTION_PARTICLES:
        return True
    i = 0
    while i < len(content) - 1 and (content[i] in LEADING_POLITE or
                                    content[i] in ("你", "您") and content[i + 1] in LEADING_POLITE):
        i += 1
    after = content[i + 1] if i + 1 < len(content) else ""
    if after in LEXICON or after in ("得", "错", "了", "的", "完"):
        return False  # 翻译错了, 写得很好: a statement about what was done
    return content[i] in REQUEST_STARTS or (content[0] in ("请", "麻烦") and len(content) > 1)


def _states_own_feeling(words: list[str]) -> bool:
    """True when a question says how the writer feels (我很焦虑，怎么办): 我 in it, and not a request."""
    return any(w in _FIRST_PERSON for w in words) and words[0] not in ("帮", "帮我", "给我", "给", "把")


def _clause_score(words: list[str], punct: str) -> tuple[float, int, str, bool]:
    """(sum, hits, upset cue, praise) for one clause."""
    total, hits, cue, praise = 0.0, 0, "", False
    neg, neg_kind, gap = 0, "", 0
    mult, neg_mult = 1.0, 1.0
    skip = -1
    asking = _is_question_or_request(words, punct) and not _states_own_feeling(words)
    for i, w in enumerate(words):
        if i <= skip:
            continue
        nxt = words[i + 1] if i + 1 < len(words) else ""
        if w in NEGATORS:
            if nxt == "比":  # 没有比这更好的: a superlative, not a negation
                continue
            neg += 1
            gap = 0
            before = words[max(0, i - 2):i]
            if nxt in WEAK_AFTER_NEGATOR:
                neg_kind = "weak"
                skip = i + 1  # 不太好: the degree word belongs to the negation, it does not intensify
            elif any(b in STRONG_BEFORE_NEGATOR for b in before):
                neg_kind = "strong"
            elif not neg_kind:
                neg_kind = "plain"
            continue
        if w == "好" and (nxt in LEXICON or nxt in NEGATORS or nxt in INTENSIFIERS) and nxt != "好":
            mult *= INTENSIFIERS["好"]  # 好开心, 好累: an adverb
            continue
        if w == "好" and i == 0 and (nxt in ("的", "吧", "啊", "呀", "嘞", "") or nxt in CLAUSE_BREAKS):
            continue  # 好的 / 好吧 / a bare 好: "OK"
        if w in INTENSIFIERS and w != "好" and nxt and (nxt in LEXICON or nxt in NEGATORS or nxt in INTENSIFIERS):
            mult *= INTENSIFIERS[w]
            continue
        if w in NEGATIVE_AMPLIFIERS:
            neg_mult *= NEGATIVE_AMPLIFIERS[w]
            continue
        weight = LEXICON.get(w)
        if w in ("对", "错") and all(x in PARTICLES for x in words[i + 1:]):
            weight = 0.4 if w == "对" else -0.5  # 说得太对了 / 翻译错了: only at the end of a clause
        if weight is None:
            gap += 1
            if neg and gap > NEGATION_REACH:
                neg, neg_kind = 0, ""
            continue
        v = weight
        negated = neg % 2 == 1
        if neg:
            if neg % 2 == 0:  # 没有不开心: the sign stays, weaker
                v = 0.6 * weight
            elif neg_kind == "weak":
                v = -0.5 * weight if weight > 0 else 0.2 * -weight
            elif neg_kind == "strong":
                v = -0.9 * weight if weight > 0 else 0.6 * -weight
            else:
                v = -0.7 * weight if weight > 0 else 0.5 * -weight
        v *= mult
        if v < 0:
            v *= neg_mult
        # suffixes that amplify the word before: 笑死, 烦死了, 美极了, 累坏了, 模糊得要命
        j = i + 1
        if j < len(words) and words[j] == "得" and j + 1 < len(words) and words[j + 1] in ("要命", "不行", "很", "厉害"):
            v *= 1.5
            skip = j + 1
        elif j < len(words) and words[j] in POST_INTENSIFIERS:
            v *= 1.5
            skip = j
        total += v
        hits += 1
        if v > 0.25 and not negated:
            praise = True
        if not negated and v <= -0.5 and not asking and (
                w in INHERENT_STATE_WORDS
                or w in STATE_WORDS and not any(x in OTHER_SUBJECTS for x in words[:i])
                or w in SELF_STATE_WORDS and any(x in _FIRST_PERSON or x == "自己" for x in words[:i])):
            cue = cue or w
        neg, neg_kind, mult, neg_mult = 0, "", 1.0, 1.0
    if asking:
        total *= QUESTION_WEIGHT
    if "！" in punct or "!" in punct:
        total *= 1.2
    return total, hits, cue, praise


def score(text: str, cut: Callable[[str], Iterable[str]]) -> ZhScore:
    """Score Chinese ``text``; ``cut`` is a jieba tokenizer's ``cut`` (or any word segmenter)."""
    if _DECLINE.match(text.strip()):
        return ZhScore(0.0, 0, "")
    total, hits = 0.0, 0
    trouble = bool(_TROUBLE.search(text))
    for pattern, weight in PHRASES:
        for _ in pattern.finditer(text):
            total += weight
            hits += weight != 0.0
        text = pattern.sub(" ", text)
    clauses = _clauses(_words(cut(text)))
    parts = [_clause_score(ws, p) for ws, p, _ in clauses]
    trouble = trouble or total < 0
    turned = any(after_but for _, _, after_but in clauses)
    seen_but = False
    cue = ""
    for (s, h, c, praise), (_, _, after_but) in zip(parts, clauses):
        seen_but = seen_but or after_but
        if praise and trouble and len(parts) > 1 and s > 0:
            continue  # irony beside something going wrong
        if turned:  # 不错，但是太慢了: what follows 但是 outweighs what comes before (as VADER does with "but")
            s *= 1.5 if seen_but else 0.5
        total += s
        hits += h
        cue = cue or c
    if not hits:
        return ZhScore(0.0, 0, "")
    return ZhScore(math.tanh(SQUASH * total), hits, cue)
