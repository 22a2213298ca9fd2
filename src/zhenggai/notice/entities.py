"""Facts inside a measure's text: 《》 titles, 文号, counts, percentages, money, status words.

Everything is kept as written, in text order, without duplicates. Each kind is found by one
precompiled regex that starts with a literal or a character class (so the regex engine skips
ordinary text quickly); the few judgements a regex cannot make are small checks on its matches.
"""

from __future__ import annotations

import re

from zhenggai.notice.model import Entities

# ---------------------------------------------------------------------------------------------
# Documents and document numbers

_DOCUMENT = re.compile(r"《([^《》\n]{1,200})》|〈([^〈〉\n]{1,200})〉|<<([^<>\n]{1,200})>>")


def _documents(text: str) -> list[str]:
    # Most measures cite no document: substring tests are much faster than the regex scan.
    if "《" not in text and "〈" not in text and "<<" not in text:
        return []
    return [m[1] or m[2] or m[3] for m in _DOCUMENT.finditer(text)]


# The bracketed year and the number of a 文号: 〔2024〕6号, [2024]6号, （2024）第6号.
_DOC_NUMBER_TAIL = re.compile(
    r"[〔［\[【（(﹝]\s*[12１２][0-9０-９]{3}\s*[〕］\]】）)﹞]\s*第?\s*[0-9０-９]{1,4}\s*号"
)
# Characters that end the issuer's abbreviation when read backwards from the bracket: particles
# and the verbs that introduce a 文号 (下发了汴科协文〔2024〕6号, 根据国发〔2024〕1号).
_NOT_ISSUER = "了的在于将和与及按照据根依以为由对向从把被转印下是见经即等其该并"
_ISSUER = re.compile(rf"(?:(?![{_NOT_ISSUER}])[\u4e00-\u9fff]){{1,8}}$")
_ISSUER_WINDOW = 8


def _doc_numbers(text: str) -> list[str]:
    if "号" not in text:
        return []  # every 文号 ends with 号; a substring test is much faster than the regex scan
    found = []
    for tail in _DOC_NUMBER_TAIL.finditer(text):
        start = tail.start()
        issuer = _ISSUER.search(text, max(0, start - _ISSUER_WINDOW), start)
        if issuer is None:
            continue  # （2024）6号 without an issuer is not a 文号
        begin = issuer.start()
        # 下发 / 印发 / 转发 + 汴科协文: the 发 belongs to the verb, not to the issuer.
        if text[begin] == "发" and begin > 0 and text[begin - 1] in "下转印":
            begin += 1
        if begin < start:
            found.append(text[begin : tail.end()])
    return found


# ---------------------------------------------------------------------------------------------
# Quantities: counts, percentages, money

_CN_NUMERALS = "零〇一二两三四五六七八九十百千万亿"
_MAGNITUDES = "百千万亿"
_CN_DIGITS = frozenset("一二两三四五六七八九十")
_ARABIC = frozenset("0123456789０１２３４５６７８９")
_DECIMAL_POINT = frozenset(".．")
# Character sets for the checks on a number (set methods are much faster than generators).
_DIGIT_CHARS = _ARABIC | _CN_DIGITS
_CN_NUMERAL_CHARS = frozenset(_CN_NUMERALS)
_ARABIC_DECIMAL_CHARS = _ARABIC | _DECIMAL_POINT
# A verb measure counts an action and its context is the verb before it (共学习9次); a noun
# measure counts things, named after it when they are (3个先进集体) or else before it (制度12项).
_VERB_MEASURES = ("次", "人次", "场次", "遍", "轮", "个月")
_MEASURES = "人次|场次|个月|次|个|项|条|件|人|名|家|场|期|篇|份|批|户|处|起|轮|遍|册|套|台|所|位|张"
_NUMBER_CHARS = f"0-9０-９{_CN_NUMERALS}"
_AFTER_NUMBER = "%％分余多万亿千百元" + "".join(sorted({word[0] for word in _MEASURES.split("|")}))
_QUANTITY = re.compile(
    rf"""
    # A whole run of numerals: the look-behind stops retries inside 2024 or 0371-22786227.
    (?P<number>[{_NUMBER_CHARS}](?<![{_NUMBER_CHARS}][{_NUMBER_CHARS}])[{_NUMBER_CHARS}]*+
        (?:[.．,][0-9０-９]+)*)
    # Most numbers are dates or codes: one cheap look at what follows before the alternatives.
    (?=\s*[{_AFTER_NUMBER}])
    \s*(?:
        (?P<percent>[%％])
      | (?<=百)(?P<percent_words>分之[零〇一二两三四五六七八九十百点]+)  # 百分之六十
      | (?P<money>(?:余|多)?[万亿千百]?(?:余|多)?元)
      | (?:余|多)?(?P<measure>{_MEASURES})
    )
    """,
    re.VERBOSE,
)
# Context words: the (mostly two-character) word before a number, with 共/累计/每 before it
# (共学习9次, 制度12项, 每季度一次), or up to six characters after a noun measure, stopping at
# particles and at the verbs that usually follow a counted noun (3个先进集体表彰 …).
_NOT_CONTEXT = "了的和与及等并或在于是为对向从把被将由以按照据根依年月日号"
_CONTEXT_BEFORE = re.compile(
    rf"(?:共计?|累计|合计|总计|每)?(?:(?![{_NOT_CONTEXT}])[\u4e00-\u9fff]){{1,2}}$"
)
_CONTEXT_AFTER = re.compile(
    rf"""(?:(?!表彰|分配|负责|开展|进行|参加|召开|完成|落实|整改|学习|组织|报送|上报|发放|申请
          |获得|受到|给予|分别|共计|累计|以上|以下|左右|[{_NOT_CONTEXT}])[\u4e00-\u9fff]){{1,6}}""",
    re.VERBOSE,
)
_CONTEXT_WINDOW = 4  # 共学习, 累计填报, 每季度
_OPENING_QUOTES = frozenset("“‘「『\"'")


def _has_digit(number: str) -> bool:
    """万 or 千 alone (万元, 千家万户) are no amount."""
    return not _DIGIT_CHARS.isdisjoint(number)


def _is_count(text: str, match: re.Match[str]) -> bool:
    """A number with a measure word that really counts something."""
    number = match["number"]
    start = match.start()
    before = text[start - 1] if start else ""
    if before == "第" or before in _ARABIC or before in _DECIMAL_POINT:
        return False  # 第八个 is an ordinal; .5个 is the tail of a decimal
    digits = number.rstrip(_MAGNITUDES)
    if _ARABIC.issuperset(digits):
        return bool(digits)  # 9次, 3万人次
    if not _has_digit(number) or not _CN_NUMERAL_CHARS.issuperset(number):
        return False  # 3十 mixes scripts
    # “两个维护”, “四个意识”: numbered slogans in quotes are names; 一起 means "together".
    return before not in _OPENING_QUOTES and match[0] != "一起"


def _count_phrase(text: str, match: re.Match[str]) -> str:
    """The count with a few characters of context, as written."""
    start, end = match.span()
    if match["measure"] not in _VERB_MEASURES:
        after = _CONTEXT_AFTER.match(text, end)
        if after is not None:
            return text[start : after.end()]
    before = _CONTEXT_BEFORE.search(text, max(0, start - _CONTEXT_WINDOW), start)
    return text[before.start() if before else start : end]


def _is_arabic_percent(match: re.Match[str]) -> bool:
    return _ARABIC_DECIMAL_CHARS.issuperset(match["number"])


def _quantities(text: str) -> tuple[list[str], list[str], list[str]]:
    """Counts, percentages and money, in text order."""
    counts: list[str] = []
    percentages: list[str] = []
    money: list[str] = []
    # A measure holds a few quantities at most: a ``search`` costs a fraction of setting up
    # ``finditer``, and resuming where the last match ended finds the same matches.
    match = _QUANTITY.search(text)
    while match is not None:
        if (match["percent"] and _is_arabic_percent(match)) or match["percent_words"]:
            percentages.append(match[0])
        elif match["money"] and _has_digit(match["number"]):
            money.append(match[0])
        elif match["measure"] and _is_count(text, match):
            counts.append(_count_phrase(text, match))
        match = _QUANTITY.search(text, match.end())
    return counts, percentages, money


# ---------------------------------------------------------------------------------------------
# Status words

# Longest first, each guard after its literal: 完成率 is a rate, 模拟 a simulation, 拟定 drafting,
# 对待 / 接待 / 待遇 no waiting at all.
_STATUS = re.compile(
    r"""
    有待审核中|阶段性完成|已完成|已整改|未完成|持续推进|长期坚持|有待|正在|逐步
  | 完成(?!率|情况|时限|时间|期限)
  | 拟(?<![模虚草比]拟)(?!定)
  | 待(?<![对接期看招款优虐善交]待)(?![遇人客])
    """,
    re.VERBOSE,
)


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items)) if len(items) > 1 else items


def find_entities(text: str) -> Entities:
    """All facts of one measure's text, each kind in text order and without duplicates."""
    counts, percentages, money = _quantities(text)
    # Positional arguments, in the field order of Entities: a keyword call of a dataclass
    # costs nearly twice as much, and the parser builds one Entities per measure.
    return Entities(
        _unique(_documents(text)),
        _unique(_doc_numbers(text)),
        _unique(counts),
        _unique(percentages),
        _unique(money),
        _unique(_STATUS.findall(text)),
    )
