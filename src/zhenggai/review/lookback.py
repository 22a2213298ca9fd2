"""Look-back (回头看) matching: is a new problem one of the unit's earlier problems again?

Pure Python, no Django. An inspector reads what a problem is about, not its title: a problem
called 工作标准不高 whose measures are about 公文 and 归档 repeats one called 档案资料管理不规范.
So a problem is read twice. First by **area**: the lexicon ``lookback_areas.json`` (kept as data,
with its sources) lists the areas a look-back speaks of (公文档案, 八项规定, 选人用人 …) and the
words that name them; the title's areas count fully, the description's and measures' areas count
fully only when the title names none (a vague title) and a little otherwise (a measure that keeps
minutes does not make a 民主生活会 problem a minutes problem). Second by **wording**: character
bigrams and trigrams (a word is mostly two characters, a trigram keeps
short phrases such as 三重一 or 意识形 together), weighted by TF-IDF over the texts being compared
and compared by cosine. No Chinese embedding model installs offline (``design/libraries.md``),
and on the labelled pairs in ``tests/assessment/pairs.py`` this plain measure separates rewordings
from look-alikes well enough (``docs/lookback.md``).

Before the n-grams are taken, the text is normalised: full-width forms folded (NFKC), the
numbering and the 关于“…”问题 wrapper dropped, and the boilerplate of findings removed — the
judging words (不够, 不到位, 有差距, 流于形式, 不规范 …) say how bad a thing is, not what it is,
and two different problems that are both 不规范 must not look alike for it.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from zhenggai.review.words import GENERIC_BIGRAMS

# Tuned on the tuning units of tests/review/lookback_pairs (never on the held-out ones; figures in
# docs/lookback.md, by benchmarks/bench_lookback.py): at or above REPEAT_THRESHOLD a pair is
# reported as the same problem again (边改边犯); between the two it is only shown as related, for
# the office to look at.
REPEAT_THRESHOLD = 0.35
RELATED_THRESHOLD = 0.20
# How much the areas weigh against the wording in the score, and how much a description's
# areas count when the title names an area of its own.
AREA_WEIGHT = 0.6
BODY_AREA_WEIGHT = 0.3

# Numbering at the start: （一） (1) 1. 1、 一、 第一条 ①.
_NUMBERING = re.compile(
    r"^\s*(?:\(?[一二三四五六七八九十百0-9]+[)、.．]|\([一二三四五六七八九十0-9]+\)"
    r"|第[一二三四五六七八九十0-9]+[条项个点]|[①-⑳])\s*"
)
# 关于“政治理论学习跟进不够及时”的问题 → 政治理论学习跟进不够及时.
_WRAPPED = re.compile(r"^关于[\"“'‘](?P<inner>.+?)[\"”'’]\s*(?:的)?问题")
# Words that judge or frame a finding rather than name its subject. Longest first, so 不到位
# goes before 到位. Replaced by a space: an n-gram must not bridge the gap they leave.
BOILERPLATE = (
    "存在的问题及整改情况", "方面存在的问题", "存在的问题", "整改情况", "方面", "问题", "情况",
    "存在", "仍然", "依然", "较多", "较大", "较重", "突出",
    "不够", "不到位", "到位", "不力", "不足", "有差距", "差距", "有待", "需加强", "加强", "提升",
    "进一步", "不强", "不高", "不实", "不扎实", "扎实", "不严格", "不严", "严格", "不深入",
    "深入", "不充分", "充分", "不及时", "及时", "不规范", "规范", "不健全", "健全", "不完善",
    "完善", "不全面", "不重视", "重视", "薄弱", "缺失", "滞后", "流于形式", "形式化",
    "有松懈", "松懈", "不明显", "不紧密", "不经常", "不完整", "不全", "未", "没有", "不",
    "现象", "等", "的", "和", "与", "及",
    # Framing verbs and nouns: 落实…制度, 执行…, …工作 frame nearly every finding.
    "落实", "执行", "贯彻", "开展", "召开", "制度", "工作",
)  # fmt: skip
_BOILERPLATE = re.compile("|".join(re.escape(w) for w in sorted(BOILERPLATE, key=len)[::-1]))
# Anything that is not a CJK character or a Latin letter separates runs (punctuation, digits).
_SEPARATOR = re.compile(r"[^\u4e00-\u9fffA-Za-z]+")
# Bigrams that appear in nearly every problem; they carry no topic (plus the review's list).
STOP_BIGRAMS = GENERIC_BIGRAMS | frozenset({"党员", "干部", "制度", "执行", "管理", "作用", "意识"})


@dataclass(frozen=True)
class Candidate:
    """An earlier problem as the matcher sees it; ``key`` is the caller's id for it."""

    key: int
    title: str
    text: str = ""
    round: str = ""
    date: str | None = None  # ISO date of the inspection (feedback or start)
    status: str | None = None


@dataclass(frozen=True)
class Match:
    key: int
    score: float
    shared: tuple[str, ...]  # the words the two texts have in common, longest first
    repeat: bool  # score at or above REPEAT_THRESHOLD


def normalise(text: str) -> str:
    """The words that name the problem, runs separated by single spaces."""
    text = unicodedata.normalize("NFKC", text).strip()
    text = _NUMBERING.sub("", text)
    wrapped = _WRAPPED.match(text)
    if wrapped:
        text = wrapped.group("inner")
    text = _BOILERPLATE.sub(" ", text)
    return " ".join(run for run in _SEPARATOR.split(text) if run)


def ngrams(text: str) -> Counter[str]:
    """Character bigrams and trigrams of the normalised text's runs, without stop bigrams."""
    found: Counter[str] = Counter()
    for run in normalise(text).split():
        found.update(g for g in _grams(run, 2) if g not in STOP_BIGRAMS)
        found.update(_grams(run, 3))
    return found


def _grams(run: str, n: int) -> list[str]:
    return [run[i : i + n] for i in range(len(run) - n + 1)]


class Matcher:
    """TF-IDF over a corpus: the texts being compared (a unit's problems, a region's, the pairs).

    Document frequencies come from the corpus, smoothed as scikit-learn does
    (``idf = ln((1 + N) / (1 + df)) + 1``), so an n-gram that is in every text still counts a
    little and one not in the corpus counts most.
    """

    def __init__(self, corpus: Iterable[str]) -> None:
        documents = [set(ngrams(text)) for text in corpus]
        self._n = len(documents)
        self._df: Counter[str] = Counter(g for doc in documents for g in doc)
        # A round is compared with every earlier problem: each text's vector is made once.
        self._vectors: dict[str, dict[str, float]] = {}

    def idf(self, gram: str) -> float:
        return math.log((1 + self._n) / (1 + self._df[gram])) + 1

    def vector(self, text: str) -> dict[str, float]:
        found = self._vectors.get(text)
        if found is None:
            weights = {g: count * self.idf(g) for g, count in ngrams(text).items()}
            norm = math.sqrt(sum(w * w for w in weights.values()))
            found = {g: w / norm for g, w in weights.items()} if norm else {}
            self._vectors[text] = found
        return found

    def similarity(self, a: str, b: str) -> float:
        return cosine(self.vector(a), self.vector(b))


def cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(w * b.get(g, 0.0) for g, w in a.items())


def wording_similarity(
    matcher: Matcher, title: str, text: str, other_title: str, other_text: str
) -> float:
    """The better of title against title and title-plus-text against title-plus-text: a short
    title can say it all, while a long description would drown it."""
    by_title = matcher.similarity(title, other_title)
    if not (text or other_text):
        return by_title
    whole = matcher.similarity(f"{title} {text}", f"{other_title} {other_text}")
    return max(by_title, whole)


def problem_similarity(
    matcher: Matcher, title: str, text: str, other_title: str, other_text: str
) -> float:
    """How likely the two problems are the same one: their areas and their wording, weighed.
    When neither names an area of the lexicon, the wording is all there is to go on."""
    mine, theirs = area_vector(title, text), area_vector(other_title, other_text)
    by_wording = wording_similarity(matcher, title, text, other_title, other_text)
    if not (mine or theirs):
        return by_wording
    return AREA_WEIGHT * cosine(mine, theirs) + (1 - AREA_WEIGHT) * by_wording


# --- the areas a look-back speaks of ------------------------------------------------------


@lru_cache(maxsize=1)
def lexicon() -> dict[str, tuple[str, ...]]:
    """Area → the words that name it, from ``lookback_areas.json`` in this package."""
    raw = resources.files("zhenggai.review").joinpath("lookback_areas.json").read_text("utf-8")
    return {name: tuple(area["terms"]) for name, area in json.loads(raw)["areas"].items()}


@lru_cache(maxsize=1)
def _term_pattern() -> tuple[re.Pattern[str], dict[str, tuple[str, ...]]]:
    by_term: dict[str, list[str]] = {}
    for name, terms in lexicon().items():
        for term in terms:
            by_term.setdefault(term, []).append(name)
    # Longest first: 生活作风 is read before 作风, 会议记录 before 记录.
    ordered = sorted(by_term, key=len, reverse=True)
    pattern = re.compile("|".join(re.escape(t) for t in ordered))
    return pattern, {t: tuple(names) for t, names in by_term.items()}


@lru_cache(maxsize=4096)
def areas(text: str) -> frozenset[str]:
    """The areas ``text`` speaks of (full-width forms folded first)."""
    pattern, names = _term_pattern()
    text = unicodedata.normalize("NFKC", text)
    return frozenset(name for m in pattern.finditer(text) for name in names[m.group(0)])


@lru_cache(maxsize=4096)
def area_vector(title: str, text: str) -> dict[str, float]:
    """Unit vector of a problem's areas: the title's count 1; the description's count 1 when
    the title names no area (工作要求不高 says nothing, its measures say 公文), else a little."""
    in_title = areas(title)
    body_weight = BODY_AREA_WEIGHT if in_title else 1.0
    weights = {name: body_weight for name in areas(text)} if text else {}
    weights.update({name: 1.0 for name in in_title})
    norm = math.sqrt(sum(w * w for w in weights.values()))
    return {name: w / norm for name, w in weights.items()} if norm else {}


def shared_words(a: str, b: str) -> tuple[str, ...]:
    """The longest runs (two characters or more) of ``a``'s normalised text found in ``b``'s,
    longest first, leaving out runs inside a longer one and runs made of stop bigrams only."""
    left, right = normalise(a), normalise(b)
    found: set[str] = set()
    for run in left.split():
        start = 0
        while start < len(run) - 1:
            end = start + 2
            while end <= len(run) and run[start:end] in right:
                end += 1
            piece = run[start : end - 1]
            if len(piece) >= 2:
                found.add(piece)
                start = end - 1
            else:
                start += 1
    meaningful = [w for w in found if not set(_grams(w, 2)) <= STOP_BIGRAMS]
    meaningful.sort(key=lambda w: (-len(w), w))
    return tuple(w for w in meaningful if not any(w != o and w in o for o in meaningful))


def match(
    title: str,
    text: str,
    candidates: Sequence[Candidate],
    *,
    matcher: Matcher | None = None,
    threshold: float = RELATED_THRESHOLD,
    limit: int = 3,
) -> list[Match]:
    """The candidates at or above ``threshold``, best first, at most ``limit``.

    Without a ``matcher``, the IDF comes from the new problem and the candidates themselves.
    """
    if matcher is None:
        corpus = [f"{title} {text}", *(f"{c.title} {c.text}" for c in candidates)]
        matcher = Matcher(corpus)
    scored = []
    for candidate in candidates:
        score = problem_similarity(matcher, title, text, candidate.title, candidate.text)
        if score >= threshold:
            shared = shared_words(f"{title} {text}", f"{candidate.title} {candidate.text}")
            scored.append(Match(candidate.key, round(score, 4), shared, score >= REPEAT_THRESHOLD))
    scored.sort(key=lambda m: (-m.score, m.key))
    return scored[:limit]


# --- the status of an earlier problem in a look-back --------------------------------------

FULLY, PARTLY, NOT_CORRECTED, NO_LONGER_VALID = "fully", "partly", "not", "no_longer_valid"
RECURRED = "边改边犯"
_DONE = frozenset({"closed", "phase_complete"})


def prior_status(problem_status: str, recurrences: int, *, confirmed: bool) -> tuple[str, str]:
    """(status, reason) of an earlier problem from its ledger status and whether it came back.

    A problem closed out on paper that recurs was not really fixed: partly corrected, for the
    reason 边改边犯; one that recurs while still open is not corrected. An unconfirmed match is
    reported as suspected, so the office sees it before the table is sent.
    """
    recurred = RECURRED if confirmed else f"疑似{RECURRED}（待巡察办确认）"
    if problem_status in _DONE:
        return (PARTLY, recurred) if recurrences else (FULLY, "")
    if recurrences:
        return NOT_CORRECTED, recurred
    if problem_status == "not_started":
        return NOT_CORRECTED, "整改措施尚未开始"
    return PARTLY, "尚有整改措施未验收销号"
