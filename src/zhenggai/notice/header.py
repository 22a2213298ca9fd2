"""The notice's title block, opening and closing.

A notice starts with a title block (issuer and title), then an opening naming the inspection
(group, period, feedback date, legal basis), sometimes a preamble with the totals it states
("反馈的6个方面18个突出问题，制定164项整改措施"), and ends with contacts offered for supervision.
Each finder here reads one of those parts and returns ``None``/empty for what the text does not
say: nothing is guessed.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator
from dataclasses import dataclass

from zhenggai.notice.dates import DateResolver
from zhenggai.notice.model import Contacts, DateMention, Inspection, Stated
from zhenggai.notice.numerals import cn_to_int


@dataclass
class TitleBlock:
    issuer: str | None
    title: str | None
    # Index of the first line after the title block (where the opening or body starts).
    body_start: int
    # The first paragraph's words when the title ran into it on the same line.
    rest: str | None = None


# ---------------------------------------------------------------------------------------------
# Title block

_TITLE_END = r"(?:通报|报告|公告|公示|通告|汇报|情况|说明|公开|公布)(?:[（(][^（）()]{1,16}[）)])?"
_TITLE_WITH_ABOUT = re.compile(rf"(.*?)(关于.*{_TITLE_END})")
_TITLE_ENDING = re.compile(rf".*{_TITLE_END}")
# A title without 关于 is only taken when it names the subject (中共XX党组巡察整改情况的通报).
_TITLE_SUBJECT = re.compile(r"巡察|巡视|整改")
# Where an issuer ends inside a title without 关于.
_ISSUER_SPLIT = re.compile(r"(.+?(?:党组|党委|党工委|委员会|党总支|党支部|总支部|支部))(.+)")
_ORG_END = re.compile(
    r"(?:党组|党委|党工委|委员会|支部|总支|局|院|厅|部|委|办|办公室|政府|中心|公司|集团|学校|学院"
    r"|大学|医院|协会|联合会|总会|工会|所|站|队|社|馆|处|署|团|庭|室|科|园|镇|街道|村|社区)$"
)
_ORG_START = re.compile(r"中共|中国共产党")
_MAX_ISSUER_LEN = 40
# Lines of a title block are short and no sentences; a line that is either ends the search.
_MAX_TITLE_LINE = 80
_MAX_TITLE_BLOCK = 6
_NOT_TITLE_PUNCT = re.compile(r"[。，,；;：:！!？?]")
_OUTLINE_START = re.compile(
    r"[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[）)]|\d+[、.．]|[一二三四五六七八九十]+是"
)


# A title run into the first paragraph: "中共XX党组关于巡察整改情况的通报根据县委统一部署，…".
_RUN_IN = re.compile(
    rf"(.{{0,40}}?)(关于[^，,。；;：:]{{2,60}}?{_TITLE_END})"
    r"(?=根据|按照|依据|遵照|为深入|为认真|近期|\d{4}年|20\d\d年|\d{4}年)"
)


def find_title(lines: list[str]) -> TitleBlock:
    """``_find_title``, or a title run into the first paragraph of the first lines."""
    block = _find_title(lines)
    if block.title is not None:
        return block
    for pos in range(min(len(lines), _MAX_TITLE_BLOCK)):
        if _TITLE_START.search(lines[pos][:_MAX_TITLE_LINE]) is None:
            continue
        run_in = _RUN_IN.match(lines[pos])
        if run_in:
            prefix = run_in.group(1).strip()
            issuer = prefix if prefix and _is_issuer(prefix) else None
            if issuer is None and not prefix and pos > 0 and _is_issuer(lines[pos - 1]):
                issuer = lines[pos - 1]
            return TitleBlock(issuer, run_in.group(2), pos + 1, lines[pos][run_in.end() :])
    return block


_TITLE_START = re.compile("关于")


def _find_title(lines: list[str]) -> TitleBlock:
    """Issuer and title from the short lines at the top of ``clean_lines`` output.

    Two shapes: an issuer line over a "关于…的通报" line, or one line "中共XX党组关于…的通报"
    split at the first 关于. Lines above the title that are neither (a column name the chrome
    filter did not know) are skipped; with no title, ``body_start`` is the first sentence.
    """
    for pos in range(min(len(lines), _MAX_TITLE_BLOCK)):
        line = lines[pos]
        if not _is_title_zone(line):
            return TitleBlock(None, None, pos)
        block = _title_at(lines, pos)
        if block is not None:
            return block
    return TitleBlock(None, None, 0)


def _is_title_zone(line: str) -> bool:
    return (
        len(line) <= _MAX_TITLE_LINE
        and not _NOT_TITLE_PUNCT.search(line)
        and not _OUTLINE_START.match(line)
    )


def _title_at(lines: list[str], pos: int) -> TitleBlock | None:
    """The title block whose title line is ``lines[pos]`` (possibly run on to the next line)."""
    line = lines[pos]
    end = pos + 1
    if not _TITLE_ENDING.fullmatch(line) and end < len(lines) and "关于" in line:
        joined = line + lines[end]
        if _is_title_zone(lines[end]) and _TITLE_ENDING.fullmatch(joined):
            line, end = joined, end + 1
    about = _TITLE_WITH_ABOUT.fullmatch(line)
    if about:
        prefix, title = about.group(1), about.group(2)
        if prefix:
            prefix = prefix.strip()
            return TitleBlock(prefix if _is_issuer(prefix) else None, title, end)
        above = lines[pos - 1] if pos > 0 else ""
        return TitleBlock(above if _is_issuer(above) else None, title, end)
    if _TITLE_ENDING.fullmatch(line) and _TITLE_SUBJECT.search(line):
        split = _ISSUER_SPLIT.fullmatch(line)
        if split and _is_issuer(split.group(1)):
            return TitleBlock(split.group(1), split.group(2), end)
        return TitleBlock(None, line, end)
    return None


def _is_issuer(text: str) -> bool:
    return (
        2 <= len(text) <= _MAX_ISSUER_LEN
        and "关于" not in text
        and not _NOT_TITLE_PUNCT.search(text)
        and bool(_ORG_START.match(text) or _ORG_END.search(text))
    )


# ---------------------------------------------------------------------------------------------
# Opening: inspection group, period, feedback date

_NUMBER = r"[一二三四五六七八九十\d]+"
_GROUP_OWNER = r"(?:中央|自治区党委|[省市区县州旗盟]委|党工委|工委|(?:集团|公司|校|院)?党委|党组)"
_GROUP_KIND = r"(?:联动|专项|机动|交叉|提级|延伸)"
# The term and round may come first: 七届市委第十二轮巡察一组, 十三届区委第五轮巡察第二组; two
# groups share one name: 县委第二、第三巡察组.
_GROUP_TERM = r"(?:[一二三四五六七八九十]+届)?"
_GROUP_ROUND = rf"(?:第{_NUMBER}轮(?:第{_NUMBER}批)?)?"
_GROUP_NUMBERED = re.compile(
    rf"{_GROUP_TERM}{_GROUP_OWNER}?{_GROUP_ROUND}第{_NUMBER}(?:[、和及]第?{_NUMBER})*"
    rf"{_GROUP_KIND}?巡[察视]组"
    rf"|{_GROUP_TERM}{_GROUP_OWNER}{_GROUP_ROUND}巡[察视]第?{_NUMBER}组"
)
_GROUP_ANY = re.compile(rf"{_GROUP_OWNER}?{_GROUP_KIND}?巡[察视]组")
_SENTENCE = re.compile(r"[^。！？；;!?\n]+")
# The sentence that says the group inspected the unit: 对…开展/进行了(常规)巡察, 进驻.
_INSPECTED = re.compile(
    r"对.{1,60}?(?:开展|进行|实施)了?[^。；，,]{0,8}?巡[察视]|巡[察视]组.{0,30}?进驻|巡[察视]了"
)
# The feedback event, not a later mention of 反馈意见 (召开落实巡察反馈意见专题会).
_FEEDBACK = re.compile(
    r"向.{0,40}?反馈|反馈(?:了|给|至|巡[察视])|进行了?.{0,8}?反馈|作出?了?.{0,6}?反馈|集中反馈|反馈会"
    r"|日反馈(?=[，,；;]|$)"
)


def find_inspection(text: str, resolver: DateResolver | None = None) -> Inspection:
    """Group, period and feedback date from the opening.

    Only day-precision dates count: "2024年4月上旬至7月上旬" leaves start and end empty.
    Dates missing a year take it from the earlier dates of ``text`` (10月24日 after 2024年…).
    """
    mentions = _Mentions((resolver or DateResolver()).extract(text))
    sentences = [(m.start(), m.end()) for m in _SENTENCE.finditer(text)]
    period = _inspection_period(text, sentences, mentions)
    return Inspection(
        group=_find_group(text),
        start=period.start if period else None,
        end=period.end if period else None,
        feedback=_feedback_date(text, sentences, mentions, period),
    )


class _Mentions:
    """Date mentions in text order, looked up by the sentence they start in."""

    def __init__(self, mentions: list[DateMention]) -> None:
        self._mentions = sorted(mentions, key=lambda m: m.span[0])
        self._starts = [m.span[0] for m in self._mentions]

    def within(self, begin: int, end: int) -> list[DateMention]:
        return self._mentions[bisect_left(self._starts, begin) : bisect_left(self._starts, end)]


def _find_group(text: str) -> str | None:
    match = _GROUP_NUMBERED.search(text) or _GROUP_ANY.search(text)
    return match.group() if match else None


def _inspection_period(
    text: str, sentences: list[tuple[int, int]], mentions: _Mentions
) -> DateMention | None:
    """The first date of the sentence saying the group inspected, when it is a day range.

    That sentence is the one with 对…开展/进行了巡察 (or 进驻); failing that, the first
    sentence naming a group and a date.
    """
    for says_it in (_INSPECTED, _GROUP_ANY):
        for begin, end in sentences:
            if not says_it.search(text, begin, end):
                continue
            inside = mentions.within(begin, end)
            if inside:
                return inside[0] if _is_day_range(inside[0]) else None
    return None


def _feedback_date(
    text: str,
    sentences: list[tuple[int, int]],
    mentions: _Mentions,
    period: DateMention | None,
) -> str | None:
    """The day closest before the first feedback event of a sentence (else the first after)."""
    for begin, end in sentences:
        event = _FEEDBACK.search(text, begin, end)
        if event is None:
            continue
        days = [m for m in mentions.within(begin, end) if _is_day(m) and m is not period]
        before = [m for m in days if m.span[1] <= event.start()]
        chosen = before[-1] if before else (days[0] if days else None)
        if chosen is not None:
            return chosen.start
    return None


def _is_day(mention: DateMention) -> bool:
    return mention.precision == "day" and mention.start is not None and mention.start == mention.end


def _is_day_range(mention: DateMention) -> bool:
    return (
        mention.precision == "day"
        and mention.start is not None
        and mention.end is not None
        and mention.start < mention.end
    )


# ---------------------------------------------------------------------------------------------
# Legal basis

_BASIS_CLAUSE = re.compile(
    r"(?:按照|根据|依据|依照|遵照)((?:《[^《》\n]{1,80}》|[^《》，,。；;：:\n])*)"
)
_BOOK_TITLE = re.compile(r"《([^《》\n]{1,80})》")


def find_basis(text: str) -> list[str]:
    """Titles in 《》 cited as the basis: 按照《中国共产党巡视工作条例》有关规定."""
    found: list[str] = []
    for clause in _BASIS_CLAUSE.finditer(text):
        for title in _BOOK_TITLE.findall(clause.group(1)):
            if title not in found:
                found.append(title)
    return found


# ---------------------------------------------------------------------------------------------
# Stated totals

_COUNT = r"(\d+|[一二两三四五六七八九十]+)"
# A count is not an ordinal (第三个方面), part of a longer number, or "每一项" / "各个".
_FREE = r"(?<![\d.第每各逐这那该此一二两三四五六七八九十])"
_ASPECTS = re.compile(rf"{_FREE}{_COUNT}个方面")
# Only these words may stand between the count and 问题: "6个立行立改问题" or "7个重点难点问题"
# are subsets, and 12类问题 counts categories.
_PROBLEMS = re.compile(
    rf"{_FREE}{_COUNT}(?:个|条|项)(具体|突出|反馈)?问题(?!线索|清单)"
    rf"|(?:反馈|发现|指出|梳理出?|查找出?|涉及)的?问题(?:共|共计)?{_COUNT}(?:个|条|项)"
)
_MEASURES = re.compile(
    rf"{_FREE}{_COUNT}(?:条|项|个)(?:具体整改|整改|具体)(?:措施|举措)"
    rf"|(?:整改措施|整改举措|具体措施)(?:共|共计)?{_COUNT}(?:条|项|个)"
)
# Done: "已完成整改19个", "整改完成28个", "28个问题已整改完成"; never 阶段性完成 / 基本完成.
_DONE = re.compile(
    rf"(?<!阶段性)(?<!基本)(?:已经?|均已)?(?:完成整改|整改完成|整改到位|整改销号|销号)"
    rf"(?:的)?(?:问题)?(?:共|共计)?{_COUNT}(?:个|条|项)(?!项目)"
    rf"|已经?(?:完成|整改|办结)(?:问题)?{_COUNT}(?:个|条|项)(?!项目)"
    rf"|{_FREE}{_COUNT}(?:个|条|项)(?:问题|整改措施|措施)?(?:已经?|均已)(?:全部)?"
    # not "37个问题已整改完成34个": there the count after is the one done
    rf"(?:完成整改|整改完成|整改到位|销号)(?!{_COUNT})"
)
# One regex search is faster than a substring test per word.
_DONE_WORDS = re.compile(r"完成|到位|销号|办结|已整改")
_RATE = re.compile(
    r"(?:整改|问题|总体完成|完成)[^\d，,。；;]{0,6}?率(?:为|达到|已达|达|是)?\s*"
    r"(?:(\d+(?:\.\d+)?)\s*[%％]|百分之([一二三四五六七八九十百]+|\d+(?:\.\d+)?))"
)
# Words that make a count a part of the total (其中…, 已完成…, 剩余…), said before it.
_SUBSET = re.compile(r"其中|剩余|尚有|还有|未|正在|已完成|已整改|已办结|已落实|阶段性|部分")
# A kind of problem before a done count makes it that kind's ("立行立改问题12个已完成整改").
_KIND_OF_PROBLEM = re.compile(r"立行立改|限期|长期|阶段性|基本|部分|移交|信访|线索")
_CLAUSE_START = re.compile(r"[，,、：:]")
_SUBSET_WINDOW = 40
# A sentence about an earlier round (the seed's 回头看 paragraph) states that round's totals.
_EARLIER_ROUND = re.compile(r"上轮|上一轮|上次|前次|前轮|上届|回头看")
_THIS_ROUND = re.compile(r"本次|本轮|此次")
_ANY_COUNT = re.compile(rf"{_FREE}{_COUNT}(?:个|条|项)")


def find_stated(text: str) -> Stated:
    """Totals the notice states about the feedback it received (opening and preamble).

    Counts of other things (rules made, people disciplined, 立行立改 subsets) are left out;
    where a problem count is refined later ("12类问题…细化成39个具体问题") the refined one wins.
    """
    stated = Stated()
    first_problems: int | None = None
    refined_problems: int | None = None
    for sentence in _current_round_sentences(text):
        # Substring tests before the regexes: most sentences state no total at all. Every
        # total but the rate is counted in 个, 条 or 项 (_ASPECTS: 个方面).
        counted = "个" in sentence or "条" in sentence or "项" in sentence
        if stated.aspects is None and "个方面" in sentence:
            stated.aspects = next(_counts(_ASPECTS, sentence), None)
        if counted and "问题" in sentence:
            for count, refined in _problem_counts(sentence):
                first_problems = count if first_problems is None else first_problems
                refined_problems = count if refined else refined_problems
        if stated.measures is None and counted and ("措施" in sentence or "举措" in sentence):
            stated.measures = next(_counts(_MEASURES, sentence, subset=_SUBSET), None)
        if stated.done is None and counted and _DONE_WORDS.search(sentence):
            stated.done = next(_counts(_DONE, sentence, subset=_KIND_OF_PROBLEM), None)
        if stated.rate_percent is None and "率" in sentence:
            stated.rate_percent = next(_rates(sentence), None)
    stated.problems = refined_problems if refined_problems is not None else first_problems
    return stated


def _current_round_sentences(text: str) -> list[str]:
    sentences = _SENTENCE.findall(text)
    # The words of _EARLIER_ROUND hold no sentence end: without one in the text, no sentence
    # needs testing (most notices never mention an earlier round).
    if _EARLIER_ROUND.search(text) is None:
        return sentences
    return [sentence for sentence in sentences if not _is_earlier_round(sentence)]


def _is_earlier_round(sentence: str) -> bool:
    """A sentence naming an earlier round (上轮, 回头看) unless 本次/本轮 precedes its counts.

    "…反馈了五个方面21条问题，本轮巡察回头看发现…" reports the earlier round's totals;
    "本次巡察同时对上轮整改情况回头看，反馈了5个方面…" reports this round's.
    """
    if _EARLIER_ROUND.search(sentence) is None:
        return False
    first_count = _ANY_COUNT.search(sentence)
    stop = first_count.start() if first_count else len(sentence)
    return _THIS_ROUND.search(sentence, 0, stop) is None


def _problem_counts(sentence: str) -> Iterator[tuple[int, bool]]:
    """(count, refined) for each problem total in the sentence; 具体 marks a refined count."""
    for match in _PROBLEMS.finditer(sentence):
        if _is_subset(sentence, match.start()):
            continue
        count = _to_int(match.group(1) or match.group(3))
        if count is not None:
            yield count, match.group(2) == "具体"


def _counts(
    pattern: re.Pattern[str], sentence: str, *, subset: re.Pattern[str] | None = None
) -> Iterator[int]:
    """Counts matched by ``pattern``, except where ``subset`` words precede them in the clause."""
    for match in pattern.finditer(sentence):
        if subset is not None and _is_subset(sentence, match.start(), subset):
            continue
        count = _to_int(next(g for g in match.groups() if g is not None))
        if count is not None:
            yield count


def _is_subset(sentence: str, pos: int, subset: re.Pattern[str] = _SUBSET) -> bool:
    """Whether ``subset`` words stand between the clause start and ``pos``.

    Only a short window before ``pos`` is read, so a long sentence full of counts stays linear.
    """
    window_start = max(0, pos - _SUBSET_WINDOW)
    separators = [m.end() for m in _CLAUSE_START.finditer(sentence, window_start, pos)]
    clause_start = separators[-1] if separators else window_start
    return subset.search(sentence, clause_start, pos) is not None


def _rates(sentence: str) -> Iterator[float]:
    for match in _RATE.finditer(sentence):
        if match.group(1):
            yield float(match.group(1))
            continue
        spoken = match.group(2)
        value = float(spoken) if spoken[0].isdigit() else _spoken_percent(spoken)
        if value is not None:
            yield value


def _spoken_percent(spoken: str) -> float | None:
    """百分之七十六 → 76; 百分之百 → 100."""
    if spoken == "百":
        return 100.0
    value = _to_int(spoken)
    return float(value) if value is not None else None


def _to_int(count: str) -> int | None:
    if count.isdigit():
        return cn_to_int(count)
    return cn_to_int(count.replace("两", "二"))


# ---------------------------------------------------------------------------------------------
# Contacts

# Where the closing invitation starts: 欢迎…监督 / 如有意见建议 / 联系方式.
_INVITATION = re.compile(
    r"欢迎.{0,30}监督|如有.{0,6}意见|联系方式|联系电话|监督电话|举报电话|请.{0,12}反映"
)
# IGNORECASE stops the regex engine from skipping to a pattern's first character, so a whole
# line is searched slowly: the Chinese words (which have no case) are searched case-sensitively,
# and the Latin word only in lines that have its first letter.
_CONTACT_WORDS = re.compile(
    r"电话|手机|热线|邮箱|信箱|电子邮件|邮件|邮政|地址|邮编|网址|网站|来信|来电"
)
_CONTACT_LATIN = re.compile(r"E-?mail", re.IGNORECASE)
# Without an invitation, only cue lines this close to the end are taken as the closing.
_CLOSING_FALLBACK_LINES = 5
_FOOTER_WORDS = re.compile(r"版权所有|网站标识码|公网安备|©|主办单位|技术支持")
_FOOTER_LATIN = re.compile(r"ICP备|Copyright", re.IGNORECASE)

_EMAIL = re.compile(r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
_URL = re.compile(
    r"(?:https?://|www\.)[A-Za-z0-9._~:/?#@!$&'*+,;=%-]+"
    r"|(?<![A-Za-z0-9.-])[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.gov\.cn",
    re.IGNORECASE,
)
_PHONE = re.compile(
    r"(?<![0-9A-Za-z_-])(?:"
    r"1[3-9]\d{9}"  # mobile
    r"|(?:[(（]0\d{2,3}[)）]|0\d{2,3}[-\s])\s?\d{7,8}"  # landline with area code
    r"|[2-9]\d{6,7}"  # landline without area code
    r"|123\d{2}"  # 12388 (discipline inspection), 12380 (organisation dept.), 12345
    r")(?:\s*转\s*\d{1,6})?(?!\d)"
)
_POST_LABEL = re.compile(
    r"(?<!电子)(?:邮政信箱|通信地址|通讯地址|来信地址|邮寄地址|来信请寄|信箱|地址)"
)
_POST_VALUE = re.compile(r"\s*[:：为]?\s*([^；;。\n]+)")
_POST_VALUE_END = re.compile(
    r"[，,、\s]*(?:联系电话|电话|手机|电子邮箱|电子信箱|邮箱|电子邮件|E-?mail|网址|网站|传真)",
    re.IGNORECASE,
)
_POSTCODE = re.compile(r"(?:邮编|邮政编码)\s*[:：]?\s*\d{6}")
_TO_ASCII = str.maketrans("０１２３４５６７８９－—–‒―−＠．", "0123456789------@.")


def find_contacts(text: str) -> Contacts:
    """Phones, e-mails, post boxes and websites offered for supervision in the closing.

    Only the closing (from the last invitation 欢迎…监督 / 联系方式 on) is read, so URLs of
    the website around the notice and phone numbers inside measures are not taken.
    """
    contacts = Contacts()
    for line in _closing_lines(text):
        _read_contact_line(line, contacts)
    return contacts


def _is_contact_cue(line: str) -> bool:
    if _CONTACT_WORDS.search(line):
        return True
    return ("e" in line or "E" in line) and _CONTACT_LATIN.search(line) is not None


def _is_footer(line: str) -> bool:
    if _FOOTER_WORDS.search(line):
        return True
    # ICP备 has a 备, Copyright a C or c.
    has_cue = "备" in line or "c" in line or "C" in line
    return has_cue and _FOOTER_LATIN.search(line) is not None


def _closing_lines(text: str) -> list[str]:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    lines = [line for line in lines if not _is_footer(line)]
    anchor = None
    for pos in range(len(lines) - 1, -1, -1):
        if _INVITATION.search(lines[pos]):
            anchor = pos
            break
    if anchor is None:
        tail = lines[-_CLOSING_FALLBACK_LINES:]
        return [line for line in tail if _is_contact_cue(line)]
    # Contact lines just above the invitation belong to the same closing.
    while anchor > 0 and _is_contact_cue(lines[anchor - 1]) and len(lines[anchor - 1]) < 60:
        anchor -= 1
    return lines[anchor:]


def _read_contact_line(line: str, contacts: Contacts) -> None:
    line = line.translate(_TO_ASCII)
    emails = _EMAIL.findall(line)
    _add(contacts.emails, emails)
    rest = _EMAIL.sub(" ", line)
    sites = [site.rstrip(".,;:!?)") for site in _URL.findall(rest)]
    _add(contacts.websites, sites)
    rest = _URL.sub(" ", rest)
    boxes = _post_boxes(rest)
    _add(contacts.post_boxes, boxes)
    for box in boxes:
        rest = rest.replace(box, " ")
    _add(contacts.phones, [" ".join(p.split()) for p in _PHONE.findall(rest)])


def _post_boxes(line: str) -> list[str]:
    """Values of 邮政信箱 / 通信地址 labels, up to the next contact label; a bare 邮编 too."""
    boxes: list[str] = []
    pos = 0
    while label := _POST_LABEL.search(line, pos):
        value = _POST_VALUE.match(line, label.end())
        if value is None:
            pos = label.end()
            continue
        text = value.group(1)
        cut = _POST_VALUE_END.search(text)
        text = text[: cut.start()] if cut else text
        # The next label is looked for after this value (开封市2188号信箱 holds 信箱 again).
        pos = value.start(1) + len(text)
        text = text.strip(" ，,、")
        if text:
            boxes.append(text)
    covered = " ".join(boxes)
    boxes += [code for code in _POSTCODE.findall(line) if code not in covered]
    return boxes


def _add(target: list[str], values: list[str]) -> None:
    for value in values:
        if value and value not in target:
            target.append(value)
