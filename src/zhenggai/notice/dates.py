"""Chinese dates in notices → ISO dates with a precision.

Two precompiled regexes find *atoms*: a number with what follows it (2024年3月22日, 3月,
2024-01-19, 20日, 第一季度) and fixed vague phrases (年初, 每季度, 截至目前). A pass over the
atoms in text order joins two dates separated by 至/到/-/— into a range and fills in missing
years and months from what the document said before. Digits and punctuation may be full-width.

Precisions and ``meaning`` codes:

- ``day``: 2024年1月19日, 2024-01-19, 二〇二四年一月十九日, 2024年717日 and 2024717日 (when the
  dropped 年/月 leave a single reading), ranges of days.
- ``month``: 2024年3月, 2025年1—3月. ``quarter``: 2024年第一季度, 一季度, 2024年Q1.
  ``year``: 2024年, 2024年度, 2024年春节 (the festival itself is not resolved), 从2024年开始.
- ``vague``, with a ``meaning``: ``early_month`` / ``mid_month`` / ``late_month``
  (上旬/中旬/下旬), ``first_half`` / ``second_half`` (上半年/下半年), ``month_start`` /
  ``month_end`` (3月初, 3月底), ``year_start`` / ``mid_year`` / ``year_end`` (年初, 年中,
  年底/年末), ``quarterly`` / ``monthly`` / ``yearly`` / ``half_yearly`` / ``weekly`` /
  ``daily`` (每季度 …), ``periodic`` (定期), ``ongoing`` (长期坚持), ``immediate`` (立行立改,
  立即), ``recent`` (近期), ``now`` (目前), ``to_date`` (截至目前). Only windows the calendar
  defines get dates: a 旬 is ten days (the last runs to the month's end), a half is six months
  once the year is known; 年底 or 月初 name no exact window and keep ``None``. A range with a
  vague end is vague; its meaning is the ends' shared meaning (``early_month`` for
  4月上旬至7月上旬), else ``<start>_to_<end>``.
- ``截至X`` has ``start=None``; ``X至今`` keeps X's start and precision, ``end=None`` and
  meaning ``since``.

Not resolved, on purpose:

- A date whose year is known neither from itself nor from earlier text (3月7日 opening a
  document) is emitted with ``start``/``end`` ``None``, not skipped and not guessed: the mention,
  its precision and its span are still facts for the reviewer and the header code.
- A compact day with two readings (2024111日: 1-11 or 11-1) and an impossible day
  (2023年2月29日) are not emitted at all.
- Four digits followed by a bracket or 号 (汴科协文〔2024〕6号) are a document year, not a date;
  a lone day (6号, 20日) counts only as the end of a range or in a list after a date (5日、6日).
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from operator import methodcaller

from zhenggai.notice.model import DateMention, Precision
from zhenggai.notice.numerals import cn_year, int_to_cn

# ---------------------------------------------------------------------------------------------
# Patterns

_D = "0-9０-９"
_CN = "一二三四五六七八九"
# Characters a number may be written with: Arabic, full-width, Chinese (二〇二四, 十九).
_N = f"{_D}〇零○Ｏ{_CN}十"
_MONTH = f"[1１][0-2０-２]|[0０]?[1-9１-９]|十[一二]?|[{_CN}]"
_DAY = f"[12１２][0-9０-９]|[3３][01０１]|[0０]?[1-9１-９]|[二三]?十[{_CN}]?|[{_CN}]"
_SEP = "(?:至|到|[-—–～~－―‐]{1,2})"
_QUARTER_Q = "[QqＱｑ]"
# A number written without its unit because the range's end carries it: 7月17-20日, 1-3月,
# 2023-2024年.
_DAY_BEFORE_RANGE = rf"(?=\s*起?\s*{_SEP}\s*[{_D}]{{1,4}}\s*(?:月\s*[{_D}]{{1,2}}\s*)?[日号])"
_MONTH_BEFORE_RANGE = rf"(?=\s*{_SEP}\s*[{_D}]{{1,2}}\s*月)"
_YEAR_BEFORE_RANGE = rf"(?=\s*{_SEP}\s*[{_D}]{{4}}\s*年)"
# Words that make 年初/年中/年末 part of another word: 初步, 初心, 中央, 中心, 中小学, 末位 ….
_CHU = "初(?![步级心中稿审次衷])"
_ZHONG = "中(?![心央国华共层小学专级青老期秋])"
_MO = "末(?!位)"


def _month_tail(p: str) -> str:
    """What may follow a month: a day (groups ``{p}d``) or a part of the month (``{p}mv``)."""
    return rf"""(?:
        (?P<{p}d>{_DAY})(?:\s*[日号]|{_DAY_BEFORE_RANGE})
      | (?P<{p}mv>[上中下]旬|{_CHU}|底|{_MO})
    )"""


_YEAR_TAIL = rf"""(?:
    (?P<ymd>[{_D}]{{3,4}})\s*[日号]
  | (?P<ym>{_MONTH})(?:\s*月份?|{_MONTH_BEFORE_RANGE})(?:\s*{_month_tail("y")})?
  | 第?\s*(?P<yq>[一二三四1-4１-４])\s*季度
  | {_QUARTER_Q}(?P<yqq>[1-4１-４])(?![{_D}])
  | (?P<yh>[上下])半年
  | 年?(?P<yv>{_CHU}|{_ZHONG}|底|{_MO})
  | 度
)"""

# A number and its unit. The lead is possessive so it is always a whole run of numerals:
# 12024年 reads as one (invalid) year, never as 2024年. No number starts with a Chinese zero,
# which frees ○2024年 (○ as a bullet).
_NUMBER_ATOM = re.compile(
    rf"""
    (?P<lead>[{_D}{_CN}十第QqＱｑ][{_N}]{{0,7}}+)
    # Most numbers are no dates (共学习9次): one cheap look at the next character first.
    (?=[\s年月日号季\-./／．－至到～~—–―‐起QqＱｑ]|(?<=[QqＱｑ][1-4１-４]))
    (?:
        # 2024-01-19, 2024.1.19, 2024/1/19, never inside a longer dotted number.
        (?P<iso>[-./／．－])(?P<im>[{_D}]{{1,2}})(?P=iso)(?P<id>[{_D}]{{1,2}})
        (?![{_D}]|[.．][{_D}])
      | \s*(?P<year>年|(?={_QUARTER_Q}[1-4１-４]))(?:\s*{_YEAR_TAIL})?  # 2024年…, 2024Q1
      | \s*(?P<month>月)份?(?:\s*{_month_tail("")})?
      | \s*(?P<day>[日号])
      | \s*(?P<quarter>季度)
      | (?P<to_month>{_MONTH_BEFORE_RANGE})
      | (?P<to_year>{_YEAR_BEFORE_RANGE})
      | (?<=(?<![A-Za-z])[QqＱｑ][1-4１-４])(?![{_D}])  # Q1, not FAQ1
    )
    """,
    re.VERBOSE,
)
# Every alternative starts with a literal, so the regex engine skips other text quickly.
_WORD_ATOM = re.compile(
    rf"""
    截[至止](?:到|至)?\s*(?:目前|现在|今)
  | 长期坚持|立行立改|立即|近期|目前|定期
  | 每(?:季度|半年|年|月|周|日|天)
  | 上半年|下半年
  | 年(?<![{_N}两几多全每近历]年)(?:{_CHU}|{_ZHONG}|底|{_MO})
    """,
    re.VERBOSE,
)
_RANGE_SEP = re.compile(rf"\s*起?\s*{_SEP}\s*")
_SINCE = re.compile(r"\s*起?\s*(?:至|到)\s*今(?![年后天日])")
_CUT = re.compile(r"截[至止](?:到|至)?\s*$")
_TITLE = re.compile(r"《[^《》\n]*》")

_LIST_SEP = frozenset("、和及")
_CUT_END = frozenset("至止到 \t\n\u3000")
_QUARTER_MARKS = "第QqＱｑ"

_TEN_DAYS = {  # 旬: meaning, first day, last day (0: the month's last day)
    "上旬": ("early_month", 1, 10),
    "中旬": ("mid_month", 11, 20),
    "下旬": ("late_month", 21, 0),
}
_MONTH_EDGE = {"初": "month_start", "底": "month_end", "末": "month_end"}
_PART_OF_YEAR = {"初": "year_start", "中": "mid_year", "底": "year_end", "末": "year_end"}
_VAGUE = {
    "长期坚持": "ongoing",
    "立行立改": "immediate",
    "立即": "immediate",
    "近期": "recent",
    "目前": "now",
    "定期": "periodic",
    "每季度": "quarterly",
    "每半年": "half_yearly",
    "每年": "yearly",
    "每月": "monthly",
    "每周": "weekly",
    "每日": "daily",
    "每天": "daily",
}
_COARSENESS: dict[Precision, int] = {"day": 0, "month": 1, "quarter": 2, "year": 3, "vague": 4}
_DAYS_IN_MONTH = (0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
_START = methodcaller("start")
_FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
# Every way a month, day or quarter number is written (7, 07, ７, 十七 …): a lookup is much
# faster than parsing each one.
_SMALL_NUMBERS = {
    form: n
    for n in range(1, 32)
    for arabic in (str(n), f"{n:02d}")
    for form in (arabic, arabic.translate(_FULL_WIDTH), int_to_cn(n))
}
# "-MM-DD" for every month and day: formatting numbers is the slowest step of building a date.
_MONTH_DAY_SUFFIX = [[f"-{month:02d}-{day:02d}" for day in range(32)] for month in range(13)]
_SEPARATOR_START = frozenset("至到-—–～~－―‐起 \t\n\u3000")


# ---------------------------------------------------------------------------------------------
# Periods: what one atom names, before it becomes a DateMention


@dataclass(slots=True)
class _Period:
    """A calendar window; treated as immutable (plain slots: frozen ones build slowly)."""

    # ISO dates: as strings they compare in calendar order.
    start: str | None
    end: str | None
    precision: Precision
    meaning: str | None = None
    # The calendar year and month the text refers to (written or inherited), for later dates.
    year: int | None = None
    month: int | None = None
    year_written: bool = False


def _last_day(year: int | None, month: int) -> int:
    if month != 2:
        return _DAYS_IN_MONTH[month]
    # Without a year, allow 29 February: the day may be real, only we cannot place it.
    return 29 if year is None or calendar.isleap(year) else 28


def _iso(year: int, month: int, day: int) -> str:
    return f"{year}{_MONTH_DAY_SUFFIX[month][day]}"


def _window(
    year: int | None, first: tuple[int, int], last: tuple[int, int]
) -> tuple[str | None, str | None]:
    """From (month, day) to (month, day) of ``year``; a last day of 0 is the month's end."""
    if year is None:
        return None, None
    return _iso(year, *first), _iso(year, last[0], last[1] or _last_day(year, last[0]))


def _day(year: int | None, month: int | None, day: int | None, written: bool) -> _Period | None:
    if month is None or day is None or not 1 <= month <= 12:
        return None
    # Every date passes here: only February needs the call that knows leap years.
    if not 1 <= day <= (_DAYS_IN_MONTH[month] if month != 2 else _last_day(year, month)):
        return None
    when = None if year is None else _iso(year, month, day)
    # start, end, precision, meaning, year, month, year_written (positional: the commonest date)
    return _Period(when, when, "day", None, year, month, written)


def _month(year: int | None, month: int, written: bool) -> _Period:
    start, end = _window(year, (month, 1), (month, 0))
    return _Period(start, end, "month", year=year, month=month, year_written=written)


def _part_of_month(year: int | None, month: int, part: str, written: bool) -> _Period:
    if part not in _TEN_DAYS:
        return _Period(None, None, "vague", _MONTH_EDGE[part], year, month, written)
    meaning, first_day, last_day = _TEN_DAYS[part]
    start, end = _window(year, (month, first_day), (month, last_day))
    return _Period(start, end, "vague", meaning, year, month, written)


def _quarter(year: int | None, quarter: int, written: bool) -> _Period | None:
    if not 1 <= quarter <= 4:
        return None
    start, end = _window(year, (quarter * 3 - 2, 1), (quarter * 3, 0))
    return _Period(start, end, "quarter", year=year, year_written=written)


def _half(year: int | None, half: str, written: bool) -> _Period:
    first, last = ((1, 1), (6, 30)) if half == "上" else ((7, 1), (12, 31))
    start, end = _window(year, first, last)
    meaning = "first_half" if half == "上" else "second_half"
    return _Period(start, end, "vague", meaning, year, None, written)


def _year(year: int) -> _Period:
    return _Period(_iso(year, 1, 1), _iso(year, 12, 31), "year", year=year, year_written=True)


def _compact_day(digits: str, year: int | None, written: bool) -> _Period | None:
    """717 → 7-17, 1231 → 12-31; None unless exactly one split is a real day (111: 1-11, 11-1).

    ``digits`` may be full-width: ``int`` reads them.
    """
    readings = [
        day
        for cut in (1, 2)
        if len(digits) - cut <= 2
        and (day := _day(year, int(digits[:cut]), int(digits[cut:]), written)) is not None
    ]
    return readings[0] if len(readings) == 1 else None


def _year_number(text: str) -> int | None:
    """2024, ２０２４, 二〇二四, 二0二四 → 2024; None unless a four-figure year 1900–2199."""
    if len(text) == 4 and text.isdigit():
        year = int(text)
        return year if 1900 <= year <= 2199 else None
    return cn_year(text)


# ---------------------------------------------------------------------------------------------
# Reading a number atom


# The day and part-of-month groups of _month_tail after a year (prefix "y") and after a month.
_YEAR_MONTH_TAIL = ("yd", "ymv")
_MONTH_TAIL = ("d", "mv")


def _read_month_tail(
    m: re.Match[str], groups: tuple[str, str], year: int | None, month: int | None, written: bool
) -> _Period | None:
    """A month and what follows it: ``groups`` name its day and its part of the month."""
    if month is None or not 1 <= month <= 12:
        return None
    day, part = m.group(*groups)
    if day:
        return _day(year, month, _SMALL_NUMBERS.get(day), written)
    if part:
        return _part_of_month(year, month, part, written)
    return _month(year, month, written)


# Readers take the atom, the year and the month known from context. Which one applies is told
# by the last group the atom matched (``Match.lastgroup``): yd for 2024年3月22日, d for 3月22日 ….


def _read_iso(m: re.Match[str], year: int | None, month: int | None) -> _Period | None:
    lead = m["lead"]
    written = _year_number(lead) if lead.isdigit() else None
    return None if written is None else _day(written, int(m["im"]), int(m["id"]), True)


def _read_year(m: re.Match[str], year: int | None, month: int | None) -> _Period | None:
    """2024年 or 2024年度 (what followed the year was no date)."""
    written = _year_number(m["lead"])
    return None if written is None else _year(written)


def _read_year_month(m: re.Match[str], year: int | None, month: int | None) -> _Period | None:
    """2024年3月, 2024年3月22日, 2024年4月上旬."""
    written = _year_number(m["lead"])
    if written is None:
        return None
    return _read_month_tail(m, _YEAR_MONTH_TAIL, written, _SMALL_NUMBERS.get(m["ym"]), True)


def _read_year_compact(m: re.Match[str], year: int | None, month: int | None) -> _Period | None:
    """2024年717日: the 月 was dropped."""
    written = _year_number(m["lead"])
    return None if written is None else _compact_day(m["ymd"], written, True)


def _read_year_quarter(m: re.Match[str], year: int | None, month: int | None) -> _Period | None:
    """2024年第一季度, 2024年Q1, 2024Q1."""
    written = _year_number(m["lead"])
    number = _SMALL_NUMBERS[m["yq"] or m["yqq"]]
    return None if written is None else _quarter(written, number, True)


def _read_year_half(m: re.Match[str], year: int | None, month: int | None) -> _Period | None:
    written = _year_number(m["lead"])
    return None if written is None else _half(written, m["yh"], True)


def _read_year_part(m: re.Match[str], year: int | None, month: int | None) -> _Period | None:
    """2024年初, 2024年底: the year is known, the days are not."""
    written = _year_number(m["lead"])
    if written is None:
        return None
    return _Period(None, None, "vague", _PART_OF_YEAR[m["yv"]], written, None, True)


def _read_month(m: re.Match[str], year: int | None, month: int | None) -> _Period | None:
    """3月, 3月22日, 4月上旬; with five or six digits the year lost its 年 (20247月17日)."""
    lead = m["lead"]
    if lead.isdigit() and len(lead) in (5, 6):
        written = _year_number(lead[:4])
        if written is None:
            return None
        return _read_month_tail(m, _MONTH_TAIL, written, int(lead[4:]), True)
    if len(lead) > 2 or (not lead.isdigit() and m["d"] is None):
        return None  # a Chinese month needs its day: 三月 alone is too often something else
    return _read_month_tail(m, _MONTH_TAIL, year, _SMALL_NUMBERS.get(lead), False)


def _read_day(m: re.Match[str], year: int | None, month: int | None) -> _Period | None:
    """20日 (the month comes from context), 717日, 2024717日."""
    lead = m["lead"]
    if lead.isdigit() and len(lead) in (7, 8):
        written = _year_number(lead[:4])
        return None if written is None else _compact_day(lead[4:], written, True)
    if m["day"] == "号":
        return None  # 6号 alone is a document or a room number more often than a day
    if lead.isdigit() and len(lead) in (3, 4):
        return _compact_day(lead, year, False)
    return _day(year, month, _SMALL_NUMBERS.get(lead), False)


def _read_quarter(m: re.Match[str], year: int | None, month: int | None) -> _Period | None:
    """第一季度, 一季度, Q1."""
    number = _SMALL_NUMBERS.get(m["lead"].lstrip(_QUARTER_MARKS))
    return None if number is None else _quarter(year, number, False)


def _read_month_before_range(
    m: re.Match[str], year: int | None, month: int | None
) -> _Period | None:
    """The 1 of 1-3月."""
    number = _SMALL_NUMBERS.get(m["lead"])
    return None if number is None or number > 12 else _month(year, number, False)


def _read_year_before_range(
    m: re.Match[str], year: int | None, month: int | None
) -> _Period | None:
    """The 2023 of 2023-2024年."""
    written = _year_number(m["lead"])
    return None if written is None else _year(written)


_Reader = Callable[[re.Match[str], int | None, int | None], _Period | None]
_READERS: dict[str | None, _Reader] = {
    "id": _read_iso,
    "year": _read_year,
    "ym": _read_year_month,
    "yd": _read_year_month,
    "ymv": _read_year_month,
    "ymd": _read_year_compact,
    "yq": _read_year_quarter,
    "yqq": _read_year_quarter,
    "yh": _read_year_half,
    "yv": _read_year_part,
    "month": _read_month,
    "d": _read_month,
    "mv": _read_month,
    "day": _read_day,
    "quarter": _read_quarter,
    "lead": _read_quarter,  # Q1: the quarter is all in the lead
    "to_month": _read_month_before_range,
    "to_year": _read_year_before_range,
}


def _read_number(m: re.Match[str], year: int | None, month: int | None) -> _Period | None:
    """A number atom; ``year`` and ``month`` stand in for the parts the text leaves out."""
    return _READERS[m.lastgroup](m, year, month)


def _is_lone_day(m: re.Match[str]) -> bool:
    """20日 or 717日 without a year: they need a date before them to mean anything."""
    return m.lastgroup == "day" and m.end("lead") - m.start() <= 4


def _read_word(text: str, year: int | None) -> _Period:
    if text[0] == "截":
        return _Period(None, None, "vague", "to_date")
    if text[0] == "年":
        return _Period(None, None, "vague", _PART_OF_YEAR[text[1]])
    if text.endswith("半年") and text[0] in "上下":
        return _half(year, text[0], False)
    return _Period(None, None, "vague", _VAGUE[text])


# ---------------------------------------------------------------------------------------------
# Ranges


def _runs_forward(first: _Period, last: _Period) -> bool:
    starts = first.start is None or last.start is None or first.start <= last.start
    ends = first.end is None or last.end is None or first.end <= last.end
    return starts and ends


def _join(first: _Period, last: _Period) -> _Period:
    """The range from ``first`` to ``last``, as precise as its coarser end."""
    precision = first.precision
    if last.precision != precision:  # most ranges join two days: no max() for them
        precision = max(precision, last.precision, key=_COARSENESS.__getitem__)
    meaning = None
    if precision == "vague":
        meaning = first.meaning
        if first.meaning != last.meaning:
            meaning = f"{first.meaning or first.precision}_to_{last.meaning or last.precision}"
    return _Period(first.start, last.end, precision, meaning, last.year, last.month)


# ---------------------------------------------------------------------------------------------
# The resolver


# A mention and the period behind it (what later dates inherit from).
_Found = tuple[DateMention, _Period]


def _mention(
    text: str, begin: int, end: int, period: _Period, *, open_start: bool = False
) -> DateMention:
    start = None if open_start else period.start
    # text, start, end, precision, meaning, span (positional: one is built per date)
    return DateMention(
        text[begin:end], start, period.end, period.precision, period.meaning, (begin, end)
    )


class DateResolver:
    """Finds dates in text in document order, remembering the last full year and month.

    Feed it the document's pieces in reading order: a date missing its year (11月17日) takes
    the year of the nearest earlier date that had one, across calls. The end of a range takes
    what it leaves out from its start (2023年10月13日至11月17日, 2024年7月17日至20日); an end
    that would fall before its start has run into the next year (2023年12月27日至1月5日).
    Dates inside 《》 titles are reported but do not set the year for later dates: a title's
    year (《关于表扬2023年度…的通知》) describes the cited document, not the events around it.
    """

    def __init__(self, year: int | None = None, month: int | None = None) -> None:
        self.year = year
        self.month = month

    def extract(self, text: str) -> list[DateMention]:
        """The mentions in ``text`` in order; ``year`` and ``month`` move on past them."""
        atoms = _atoms(text)
        if not atoms:
            return []  # most titles and many sentences hold no date
        has_titles = "《" in text
        found: list[DateMention] = []
        covered = previous_end = -1
        pos = 0
        while pos < len(atoms):
            if atoms[pos].start() < covered:
                pos += 1  # 上半年 inside 2024年上半年
                continue
            result, used = self._read_at(text, atoms, pos, previous_end)
            pos += used
            covered = atoms[pos - 1].end()
            if result is None:
                continue
            mention, period = result
            found.append(mention)
            begin, previous_end = mention.span
            if not has_titles or not _in_title(text, begin):
                self._remember(period)
        return found

    def _read_at(
        self, text: str, atoms: Sequence[re.Match[str]], pos: int, previous_end: int
    ) -> tuple[_Found | None, int]:
        """The mention starting at ``atoms[pos]`` and how many atoms it used."""
        atom = atoms[pos]
        if atom.re is _WORD_ATOM:
            period = _read_word(atom[0], self.year)
            return (_mention(text, *atom.span(), period), period), 1
        begin = _cut_start(text, atom.start())
        lone = _is_lone_day(atom)
        if lone and begin is None and not _continues_list(text, atom.start(), previous_end):
            return None, 1
        first = _read_number(atom, self.year, self.month)
        if first is None:
            return None, 1
        if begin is not None:
            return (_mention(text, begin, atom.end(), first, open_start=True), first), 1
        if not lone and pos + 1 < len(atoms):
            ranged = _range(text, atom, atoms[pos + 1], first)
            if ranged is not None:
                return ranged, 2
        return _single(text, atom, first), 1

    def _remember(self, period: _Period) -> None:
        """Keep the year and month a mention names; a year alone (2024年) forgets the month."""
        if period.year is not None or period.month is not None:
            self.year, self.month = period.year, period.month


def _in_title(text: str, pos: int) -> bool:
    """Whether ``pos`` lies inside a 《》 title (a ``_TITLE`` match of ``text``).

    A title holds no 《 but its first character, so only the last 《 at or before ``pos`` can
    open the title around it; and a 《 starts a title exactly where ``_TITLE`` matches there.
    Looking at that one 《 is cheaper than finding every title of the text.
    """
    start = text.rfind("《", 0, pos + 1)
    if start < 0:
        return False
    title = _TITLE.match(text, start)
    return title is not None and pos < title.end()


def _atoms(text: str) -> list[re.Match[str]]:
    """Number and word atoms in text order."""
    atoms = _matches(_NUMBER_ATOM, text)
    words = _matches(_WORD_ATOM, text)
    return sorted(atoms + words, key=_START) if words else atoms


def _matches(pattern: re.Pattern[str], text: str) -> list[re.Match[str]]:
    """``list(pattern.finditer(text))`` for patterns whose matches are never empty.

    A text holds a few atoms at most, and each ``search`` costs a fraction of setting up
    ``finditer``; the search resumes where the last match ended, as ``finditer`` does.
    """
    found = []
    match = pattern.search(text)
    while match is not None:
        found.append(match)
        match = pattern.search(text, match.end())
    return found


def _cut_start(text: str, start: int) -> int | None:
    """Where 截至/截止 begins right before ``start``, if it does."""
    if start < 2 or text[start - 1] not in _CUT_END:
        return None
    cut = _CUT.search(text, max(0, start - 8), start)
    return None if cut is None else cut.start()


def _continues_list(text: str, start: int, previous_end: int) -> bool:
    """A bare day right after a date and 、/和/及 (3月5日、6日) belongs to that date's month."""
    return previous_end >= 0 and start == previous_end + 1 and text[previous_end] in _LIST_SEP


def _range(text: str, atom: re.Match[str], after: re.Match[str], first: _Period) -> _Found | None:
    """``atom`` to ``after`` when a range separator is all that lies between them."""
    end = atom.end()
    if after.re is not _NUMBER_ATOM or text[end] not in _SEPARATOR_START:
        return None
    if not _RANGE_SEP.fullmatch(text, end, after.start()):
        return None
    last = _read_number(after, first.year, first.month)
    if last is None:
        return None
    if not _runs_forward(first, last):
        if first.year is None or last.year_written:
            return None
        # An end that inherited its year and falls before the start is in the next year.
        last = _read_number(after, first.year + 1, first.month)
        if last is None or not _runs_forward(first, last):
            return None
    joined = _join(first, last)
    return _mention(text, atom.start(), after.end(), joined), joined


def _single(text: str, atom: re.Match[str], period: _Period) -> _Found:
    """One date, or the start of an open range when 至今 follows it."""
    end = atom.end()
    since = _SINCE.match(text, end) if end < len(text) and text[end] in _SEPARATOR_START else None
    if since is None:
        return _mention(text, *atom.span(), period), period
    opened = replace(period, end=None, meaning="since")
    return _mention(text, atom.start(), since.end(), opened), period


def extract_dates(text: str, *, year: int | None = None) -> list[DateMention]:
    """All dates in one text, years inherited within it."""
    return DateResolver(year=year).extract(text)
