"""Website chrome (breadcrumbs, 索引号 blocks, 发布时间, 字体大小) → removed.

Notices copied from government sites carry the page around them: breadcrumbs, a metadata
block (索引号 / 发布机构 / 成文日期 …, label and value often on separate lines), a line of
发布时间 / 来源 / 浏览量, buttons (打印 关闭 分享 朗读), footers. ``clean_lines`` drops
those and keeps every line of the notice itself. A line is only dropped when *all* of it is
chrome: a body sentence that mentions 来源 or 日期 has other words and survives.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

# Metadata labels whose value may stand on the next line (a "信息索引号:" line, then the value).
_BLOCK_LABELS = (
    "信息索引号|索引号|文件名称|标题|发布机构|发文机关|发文单位|成文日期|发文日期|生成日期|"
    "发布日期|公开方式|公开范围|公开时限|发文字号|文号|主题分类|主题词|信息分类|体裁分类|"
    "组配分类|服务对象|所属机构|所属主题|有效性|效力状态|生效日期|废止日期"
)
# Labels that carry the title itself: their value is kept unless the title stands elsewhere.
_TITLE_LABELS = frozenset({"文件名称", "标题"})
# Labels seen inline in a "发布时间:… 来源:… 浏览量:…" line (besides the block labels).
_INLINE_LABELS = (
    "信息来源|文章来源|来源|发布时间|更新时间|作者|撰稿|供稿|编辑|责任编辑|审核|"
    "浏览量|浏览次数|浏览|阅读量|阅读次数|阅读|点击量|点击数|点击率|点击|访问量|访问次数|访问|人气|"
    "字号|字体大小|字体|分享到|分享|发布者|发布人|发布单位|录入|责编"
)
# 日期 / 时间 are too common as table labels ("时间：2024年3月底前") to drop with any value:
# as chrome they only take a machine-written date (2023-05-04 08:46:31).
_DATE_LABELS = "日期|时间"

_ISO_DATETIME = r"\d{4}[-/.]\d{1,2}[-/.]\d{1,2}(?:\s*\d{1,2}[:：]\d{2}(?:[:：]\d{2})?)?"
_CN_DATETIME = r"\d{4}年\d{1,2}月\d{1,2}日\s*\d{1,2}[:：]\d{2}(?:[:：]\d{2})?"
_DATETIME = rf"(?:{_ISO_DATETIME}|{_CN_DATETIME})"
_ANY_LABEL = rf"(?:{_BLOCK_LABELS}|{_INLINE_LABELS})"
_FONT_SIZES = r"[大中小](?:\s*[大中小]){1,2}"  # 字号：大 中 小
_SHORT_VALUE = r"[^\s:：。，,；;！!？?]{0,40}?"
# A value ends at a space, the end, or where the next label starts without a space
# ("发布日期:2026-02-26信息来源:市卫健委").
_VALUE_END = rf"(?=\s|$|{_ANY_LABEL}\s*[:：]|{_DATE_LABELS}\s*[:：])"
_FIELD = (
    rf"(?:{_ANY_LABEL})\s*[:：]\s*(?:{_DATETIME}|{_FONT_SIZES}|{_SHORT_VALUE}){_VALUE_END}"
    rf"|(?:{_DATE_LABELS})\s*[:：]\s*(?:{_DATETIME})?{_VALUE_END}"
)
_BUTTON = (
    r"打印本页|打印此页|打印|关闭窗口|关闭本页|关闭|分享到|分享|朗读|返回上一级|返回顶部|返回首页|"
    r"返回|收藏本页|收藏|我要纠错|纠错|保存本页|保存|扫一扫|微信|微博|QQ空间|默认|视力保护色|"
    r"字体大小|字号|字体|大\s*中\s*小|小\s*中\s*大|下载|相关链接|相关文章|用手机看|"
    r"扫一扫在手机打开当前页|手机扫码|手机版|无障碍|繁体|简体|登录|注册|手机端浏览|打印正文|"
    # a page counter: 共2页 第1页 上一页 下一页 尾页
    r"共\s*\d+\s*页|第\s*\d+\s*页|上一页|下一页|首页|尾页|末页"
)
_URL_TOKEN = r"(?:https?://|www\.)[A-Za-z0-9._~:/?#@!$&'*+,;=%-]+"
_CHROME_LINE = re.compile(
    rf"(?:\s*(?:{_FIELD}|{_DATETIME}|{_URL_TOKEN}|(?:{_BUTTON})(?=\s|$)))+\s*"
)
# Chrome lines are short; longer lines are never tested (keeps the scan linear).
_CHROME_MAX_LEN = 160
# Brackets and separators around buttons: 【打印本页】 [关闭] 打印 | 关闭.
_DECORATION = re.compile(r"[【】\[\]［］〖〗|｜丨]")

_BLOCK_LABEL_ONLY = re.compile(rf"({_BLOCK_LABELS})\s*[:：]?")
_TITLE_FIELD = re.compile(r"(?:文件名称|标题)\s*[:：]\s*(\S.*)")
_POSITION_WORDS = "当前位置|您的位置|您现在的位置|你的位置|所在位置"
_BREADCRUMB = re.compile(rf"(?:{_POSITION_WORDS})\s*[:：]|首页\s*[>＞›»]")
_CRUMB_SEPARATOR = re.compile(r"\s*[>＞›»]\s*")
_CRUMB_MARK = re.compile(r"[>＞›»]")  # one per separator; found faster without the spaces
_URL_START = r"https?://|www\."
_URL_ONLY = re.compile(rf"(?:{_URL_START})\S*", re.IGNORECASE)
_FOOTER = re.compile(
    r"版权所有|ICP备|网站标识码|公网安备|Copyright|©|技术支持\s*[:：]|主办单位\s*[:：]|承办单位\s*[:：]",
    re.IGNORECASE,
)
# IGNORECASE stops the regex engine from skipping to a footer's first character, so every line
# would be searched slowly. Every footer match contains one of these case-sensitive cues (ICP备
# and 公网安备 a 备, Copyright a C or c): only lines that have one are searched with _FOOTER.
_FOOTER_CUE = re.compile(r"版权所有|备|网站标识码|C|c|©|技术支持|主办单位|承办单位")
_NEXT_WORDS = "上一篇|下一篇|上一条|下一条"
_NEXT_ARTICLE = re.compile(rf"(?:{_NEXT_WORDS})\s*[:：]?")
# What a line must start with for any of the line-start patterns above (_BLOCK_LABEL_ONLY,
# _TITLE_FIELD, _URL_ONLY, _BREADCRUMB, _NEXT_ARTICLE) to match it. Body sentences start with
# none of these: one quick match spares them five.
_CHROME_START = re.compile(
    rf"{_BLOCK_LABELS}|{_POSITION_WORDS}|首页|{_NEXT_WORDS}|(?i:{_URL_START})"
)
# A site's column name standing alone above the article.
_COLUMN_NAMES = frozenset(
    [
        "通知公告",
        "公示公告",
        "公告公示",
        "通知通告",
        "工作动态",
        "新闻中心",
        "新闻动态",
        "政务公开",
        "信息公开",
        "党务公开",
        "巡察工作",
        "巡察反馈",
        "巡察公告",
        "巡视巡察",
        "巡察整改",
        "正文",
    ]
)
_BULLET = re.compile(r"(?:[•·●▪◆■►▶]|[-–](?=\s))\s*")
_BULLET_START = frozenset("•·●▪◆■►▶-–")  # most lines start with none: no regex call for them
_TITLE_TRAILING_DATE = re.compile(
    r"(.*?(?:通报|报告|公告|公示|通告|汇报|情况|说明))\s*[（(]?"
    rf"(?:{_ISO_DATETIME}|\d{{4}}年\d{{1,2}}月\d{{1,2}}日)[)）]?"
)
_MAX_TITLE_WITH_DATE = 120
_SENTENCE_PUNCT = re.compile(r"[。，,；;！!？?]")
_INVISIBLE_CHARS = "\u200b\u200c\u200d\u2060\ufeff"
_INVISIBLE = re.compile(f"[{_INVISIBLE_CHARS}]")
# A metadata value on its own line is short and no sentence.
_VALUE_MAX_LEN = 80


# Why a line was dropped (``zhenggai parse --explain`` shows these to the user).
BREADCRUMB = "面包屑导航"
COLUMN = "网站栏目名"
METADATA = "信息公开元数据（索引号、发布机构等）"
PAGE_LINE = "网页发布信息、按钮或页码"
URL = "网址"
FOOTER = "网站页脚"
NEXT_ARTICLE = "上一篇/下一篇链接"
TITLE_REPEATED = "元数据中的标题（正文另有标题）"
COLUMN_PREFIX = "栏目前缀"

# A metadata table row: 索 引 号 | 01047834X/2022-00970 | 主题分类 | | (labels may be spaced).
_TABLE_CELL = re.compile(r"\s*[|｜]\s*")
_SPACES = re.compile(r"\s+")
_BLOCK_LABEL_SET = frozenset(_BLOCK_LABELS.split("|")) | {"名称", "来源"}
_TITLE_CELL_LABELS = frozenset({"文件名称", "标题", "名称"})
# A column name in brackets before the title: 【通知公告】中共…的通报.
_COLUMN_PREFIX = re.compile(r"[【\[［〖]([^】\]］〗]{2,8})[】\]］〗]\s*(?=\S)")


@dataclass
class Dropped:
    line: str
    reason: str


@dataclass
class Stripped:
    """The notice's lines, and the page's lines dropped around them with the reason."""

    lines: list[str] = field(default_factory=list)
    dropped: list[Dropped] = field(default_factory=list)
    # Values of the metadata block (发布机构 → 中共…党组), for the title finder's fallbacks.
    metadata: dict[str, str] = field(default_factory=dict)


def clean_lines(text: str) -> list[str]:
    """The text's lines, stripped, blank lines and website chrome dropped."""
    return strip_chrome(text).lines


def strip_chrome(text: str) -> Stripped:
    """``clean_lines`` with every dropped line and its reason."""
    # Substring tests are much faster than a regex scan, and most texts have no invisibles.
    if any(ch in text for ch in _INVISIBLE_CHARS):
        text = _INVISIBLE.sub("", text)
    lines = [_strip_bullet(line.strip()) for line in text.splitlines()]
    lines = [line for line in lines if line]
    seen = Counter(lines)
    result = Stripped()
    out, drop = result.lines, result.dropped
    label: str | None = None  # the block label whose value may be on this line
    for line in lines:
        if label is not None and _is_value(line):
            result.metadata.setdefault(label, line)
            # The title as a metadata value: keep it only if the page does not print it again.
            if label in _TITLE_LABELS and seen[line] == 1:
                out.append(line)
            else:
                drop.append(Dropped(line, METADATA))
            label = None
            continue
        label = None
        labelled = _CHROME_START.match(line) is not None
        label_only = _BLOCK_LABEL_ONLY.fullmatch(line) if labelled else None
        if label_only:
            label = label_only.group(1)
            drop.append(Dropped(line, METADATA))
            continue
        title = _TITLE_FIELD.fullmatch(line) if labelled else None
        if title:
            value = title.group(1).strip()
            if seen[value] == 0:
                out.append(value)
            else:
                drop.append(Dropped(line, TITLE_REPEATED))
            continue
        if ("|" in line or "｜" in line) and _table_row(line, seen, result):
            continue
        reason = _chrome_reason(line, labelled)
        if reason is not None:
            drop.append(Dropped(line, reason))
            continue
        out.append(_strip_title_date(_strip_column_prefix(line, drop)))
    return result


def _table_row(line: str, seen: Counter[str], result: Stripped) -> bool:
    """A row of a metadata table: dropped, its title cell kept as a line (unless printed again)."""
    cells = [_SPACES.sub("", cell) for cell in _TABLE_CELL.split(line.strip("|｜ "))]
    if not any(cell in _BLOCK_LABEL_SET for cell in cells):
        return False
    for pos, cell in enumerate(cells[:-1]):
        value = cells[pos + 1]
        if cell in _BLOCK_LABEL_SET and value and value not in _BLOCK_LABEL_SET:
            result.metadata.setdefault(cell, value)
            if cell in _TITLE_CELL_LABELS and seen[value] == 0:
                result.lines.append(value)
    result.dropped.append(Dropped(line, METADATA))
    return True


def _strip_column_prefix(line: str, drop: list[Dropped]) -> str:
    if line[0] not in "【[［〖":
        return line
    match = _COLUMN_PREFIX.match(line)
    if match is None or _SENTENCE_PUNCT.search(match.group(1)):
        return line
    drop.append(Dropped(match.group().strip(), COLUMN_PREFIX))
    return line[match.end() :]


def is_chrome(line: str) -> bool:
    """True when the whole (stripped, non-empty) line is website furniture."""
    return _chrome_reason(line, _CHROME_START.match(line) is not None) is not None


def _chrome_reason(line: str, labelled: bool) -> str | None:  # noqa: PLR0911 (one per kind)
    """Why the line is chrome, or None; ``labelled``: whether ``_CHROME_START`` matches it."""
    if labelled and _URL_ONLY.fullmatch(line):
        return URL
    if labelled and _BREADCRUMB.match(line):
        return BREADCRUMB
    if _is_footer(line):
        return FOOTER
    if line in _COLUMN_NAMES:
        return COLUMN
    if labelled and _NEXT_ARTICLE.match(line):
        return NEXT_ARTICLE
    # Neither a breadcrumb trail nor a _CHROME_LINE (labels, short values, dates, buttons) can
    # hold sentence punctuation: the body's sentences, most lines, stop here.
    if len(line) > _CHROME_MAX_LEN or _SENTENCE_PUNCT.search(line):
        return None
    if _is_breadcrumb_trail(line):
        return BREADCRUMB
    if _CHROME_LINE.fullmatch(_DECORATION.sub(" ", line)) is not None:
        return PAGE_LINE
    return None


def _is_footer(line: str) -> bool:
    return _FOOTER_CUE.search(line) is not None and _FOOTER.search(line) is not None


def _strip_bullet(line: str) -> str:
    if line[:1] not in _BULLET_START:
        return line
    match = _BULLET.match(line)
    return line[match.end() :] if match else line


def _is_breadcrumb_trail(line: str) -> bool:
    """巡察工作 > 巡察反馈 > : two or more '>' between short words, no sentence."""
    if len(_CRUMB_MARK.findall(line)) < 2:
        return False
    parts = [p for p in _CRUMB_SEPARATOR.split(line) if p]
    return all(len(p) <= 12 for p in parts) and not _SENTENCE_PUNCT.search(line)


def _is_value(line: str) -> bool:
    return (
        len(line) <= _VALUE_MAX_LEN
        and not _SENTENCE_PUNCT.search(line)
        and not _BLOCK_LABEL_ONLY.fullmatch(line)
    )


def _strip_title_date(line: str) -> str:
    """ "…的通报 2026-02-13" → "…的通报" (a date the site printed after the title)."""
    if len(line) > _MAX_TITLE_WITH_DATE or line[-1] not in "0123456789日)）":
        return line
    match = _TITLE_TRAILING_DATE.fullmatch(line)
    if match and not _SENTENCE_PUNCT.search(line):
        return match.group(1)
    return line
