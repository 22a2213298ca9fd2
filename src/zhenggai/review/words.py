"""Word lists and text measures the rules share.

The lists are the vocabulary of weak rectification named in ``design/domain.md``; each regex is
kept small enough to read and is tested with texts that must and must not match.
"""

from __future__ import annotations

import re

from zhenggai.notice.model import DateMention

# Studying, re-studying, passing on documents (以学代改).
STUDY = re.compile(r"(?:重新|集中|专题|深入|认真|传达)?学习了?|研读|领学|交流研讨")
# Acts with a result beyond study: a document or body created, a thing done to someone or
# something. A meeting alone (召开…会议) is not an act: it is where the studying happened.
ACT = re.compile(
    r"制定|修订|修改|建立|健全|出台|印发|下发|成立|设立|归档|制作|印制|配齐|发放|悬挂|公示"
    r"|开展[^，。；]{0,20}活动|慰问|走访|申请|上报|推荐|处理|追缴|退还|清退|清理|排查|整治"
    r"|分工|指定|约谈|问责|考核|剖析|批评"
)
# Acts that leave something behind a reviewer can ask to see (a rule, a body, a file, a sign).
OUTPUT_ACT = re.compile(
    r"制定|修订|修改完善|建立|健全|出台|印发|下发|成立|设立|归档|制作|印制|配齐|发放|悬挂|公示"
)
# Words that promise effort without saying what will exist afterwards (空泛).
VAGUE = re.compile(
    r"进一步|加强|提高|提升|强化|认真|扎实|切实|深入|全面|严格|不断|持续|高度重视|确保|做好"
    r"|努力|积极|大力|着力"
)
# Vague time words the date parser resolves to no window (年初, 定期, 立即 …).
VAGUE_DATE_MEANINGS = frozenset(
    {"year_start", "mid_year", "year_end", "periodic", "recent", "now", "immediate", "ongoing"}
)
# Still pending (未完成), with a few following characters so the evidence reads 有待审核中.
# 拟 only as a verb of intention, not inside 模拟/草拟.
PENDING = re.compile(
    r"(?:有待|正在|逐步|尚未|仍需|(?<![模草虚])拟(?=[定于将对在开召制出建推])"
    r"|待(?:审核|审批|批复|验收|完善|落实))[^，。；、,;\s]{0,4}"
)
# A status that itself says the work is not finished.
NOT_DONE_STATUS = re.compile(r"未完成|阶段性|持续|长期|推进中|正在|部分|未")
# Promises of long-term work (长期坚持) …
LONG_TERM = re.compile(r"长期坚持|常态化|长效|定期|今后|每(?:年|季度|月|周)|持之以恒")
# … and the rule or system that would make them more than a promise.
MECHANISM = re.compile(
    r"(?:制定|修订|修改|建立|健全|完善|出台|印发)[^。；]{0,30}?"
    r"(?:制度|办法|方案|规定|机制|细则|规则|规程)"
)
# Study belongs in the answer when the problem itself is about study.
STUDY_PROBLEM = re.compile(r"学习|理论|第一议题")

_TITLE = re.compile(r"《[^《》]*》")
# Split points for bigrams: punctuation, and digits (dates and counts say nothing of the topic).
_NOT_WORD = re.compile(r"[\s\W_0-9０-９]")
# Bigrams every measure shares with every problem; they say nothing about the topic.
GENERIC_BIGRAMS = frozenset(
    {"工作", "党组", "问题", "整改", "落实", "开展", "加强", "建设", "领导", "责任", "进行",
     "单位", "情况", "要求", "不够", "存在", "方面", "有差", "差距", "不到", "到位", "同志"}
)  # fmt: skip


def find_all(pattern: re.Pattern[str], text: str) -> tuple[str, ...]:
    """The distinct matches of ``pattern`` in ``text``, in the order they first appear."""
    return tuple(dict.fromkeys(m.group(0) for m in pattern.finditer(text)))


def in_title(text: str, mention: DateMention) -> bool:
    """Whether a date is part of a document's title (《国家主席…二0二四年新年贺词》)."""
    start = mention.span[0]
    return any(m.start() < start < m.end() for m in _TITLE.finditer(text))


def bigrams(text: str) -> set[str]:
    """Character bigrams of the text's words, without punctuation, digits and generic bigrams."""
    found: set[str] = set()
    for run in _NOT_WORD.split(text):
        found.update(run[i : i + 2] for i in range(len(run) - 1))
    return found - GENERIC_BIGRAMS


def jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0
