"""Numbered outline of a notice body → a generic tree of nodes.

Notices number their levels 一、 / （一） / 1. / （1） / ① / 一是…, with full- or half-width
punctuation, sometimes several items run together in one paragraph, sometimes skipping a
level. This module only recovers the tree as printed; ``structure.py`` decides which level
is an aspect, a problem or a measure.

How a marker is accepted: it must continue a list already open on the stack (the next number,
tolerating one skipped number), or open a new list at 1. A style that is shallower by
convention (GB/T 9704 order 一、 → （一） → 1. → （1）) closes deeper lists before it opens.
Everything else that merely looks like a marker ("1.5万元", "…统一是…") stays text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from zhenggai.notice.numerals import CIRCLED, PARENTHESIZED, cn_to_int, int_to_cn, symbol_to_int

# Conventional depth of each numbering style; a list never opens inside a deeper style.
RANK = {
    "cn_dun": 0,  # 一、
    "cn_paren": 1,  # （一）
    "label_problem": 2,  # 问题1： / 反馈问题一：
    "arabic": 3,  # 1. / 1、
    "ar_paren": 4,  # （1） / ⑴ / 1）
    "circled": 5,  # ①
    "di": 6,  # 第一，
    "shi": 7,  # 一是
}

_CN = "一二三四五六七八九十"
_MARKER = (
    rf"(?P<cn_dun>[{_CN}]{{1,3}})[、.．]"
    rf"|[（(]\s*(?P<cn_paren>[{_CN}]{{1,3}})\s*[）)]"
    rf"|(?:反馈)?问题\s*(?P<label_problem>[{_CN}]{{1,3}}|\d{{1,2}})\s*[：:、.．]"
    rf"|(?P<di>第[{_CN}]{{1,3}})[，,、：:]"
    rf"|(?P<shi>[{_CN}]{{1,3}})是(?![否的非])"
    r"|[（(]\s*(?P<ar_paren>\d{1,2})\s*[）)]"
    r"|(?P<ar_rparen>\d{1,2})[）)]"
    r"|(?P<ar_sym>[⑴-⒇])"
    r"|(?P<circled>[①-⑳])"
    # "1.2024年2月18日" is measure 1 starting with a date; "1.5万元" is a number.
    r"|(?P<arabic>\d{1,2})(?:、|[.．](?!\d)|[.．](?=\d{4}年|\d{1,2}月\d))"
)
_LINE_START = re.compile(rf"\s*(?:{_MARKER})\s*")
# Inside a line, only list styles that are commonly run together, after a sentence ends. The
# sentence end is matched (one character, not part of the marker) rather than looked behind
# for: the regex engine then jumps from one punctuation mark to the next instead of trying
# every position. No marker ends with one of these marks, so no two cuts overlap either way.
_INLINE = re.compile(
    r"[。；;！!？?：:]\s*(?:"
    rf"(?P<shi>[{_CN}]{{1,3}})是(?![否的非])"
    r"|[（(]\s*(?P<ar_paren>\d{1,2})\s*[）)]"
    r"|(?P<ar_sym>[⑴-⒇])"
    r"|(?P<circled>[①-⑳])"
    r"|(?P<arabic>\d{1,2})(?:、|[.．](?!\d)|[.．](?=\d{4}年|\d{1,2}月\d))"
    r")\s*"
)
_STYLE_ALIASES = {"ar_rparen": "ar_paren", "ar_sym": "ar_paren"}

# "整改情况：" introduces the measures; "整改状态：完成" reports a status.
_LABEL = re.compile(
    r"\s*(?P<name>整改(?:落实)?情况|整改(?:进展|落实|完成)情况|整改措施|整改举措|整改进展"
    r"|整改结果|落实情况|主要措施|整改状态|完成情况|完成状态|整改进度)\s*[：:]\s*"
)
STATUS_LABELS = frozenset({"整改状态", "完成情况", "完成状态", "整改进度"})
_NOT_MEASURES_LABELS = STATUS_LABELS | {"text"}
_MAX_STATUS_LEN = 12


@dataclass(slots=True)
class Node:
    """One numbered item as printed, with the lines under it until the next item."""

    style: str
    no: int
    marker: str  # the marker as printed ("1.", "（一）")
    head: str  # the rest of the marker's line, up to the next inline marker
    line: int  # index of the line it starts on
    # Unnumbered text before the first child: ("text", str) or (label name, value).
    parts: list[tuple[str, str]] = field(default_factory=list)
    children: list[Node] = field(default_factory=list)

    @property
    def measures_label(self) -> bool:
        """True when "整改情况：" (or the like) appears before the first child."""
        return any(kind not in _NOT_MEASURES_LABELS for kind, _ in self.parts)

    def texts(self, *, after_label: bool | None = None) -> list[str]:
        """Text parts; ``after_label`` selects those after (True) or before (False) 整改情况."""
        out, seen = [], False
        for kind, value in self.parts:
            if kind != "text":
                if kind not in STATUS_LABELS:
                    seen = True
                    if value and after_label is not False:
                        out.append(value)
                continue
            if after_label is None or after_label == seen:
                out.append(value)
        return out

    def status(self) -> str | None:
        for kind, value in self.parts:
            if kind in STATUS_LABELS and value:
                return value
        return None

    def full_text(self) -> str:
        """Everything under this item, its sub-items kept with their printed markers."""
        if not self.parts and not self.children:
            return self.head  # a one-line item: most measures
        pieces = [self.head] if self.head else []
        pieces += [_part_text(kind, value) for kind, value in self.parts]
        pieces += [child.marker + child.full_text() for child in self.children]
        return "\n".join([p for p in pieces if p])


def _part_text(kind: str, value: str) -> str:
    return value if kind == "text" else f"{kind}：{value}"


@dataclass
class Outline:
    """The numbered tree and the unnumbered lines before its first item (the opening)."""

    roots: list[Node]
    opening: list[str]


# One piece of a line: (style, None for plain text; number; marker as printed; the text after
# the marker; index of the line; whether an earlier piece of the same line precedes it). A plain
# tuple: the parser makes one per line or more, and a tuple builds several times faster than
# an object.
_Token = tuple[str | None, int, str, str, int, bool]


def build_outline(lines: list[str]) -> Outline:
    builder = _Builder()
    for index, line in enumerate(lines):
        for token in _tokenize(line, index):
            builder.feed(token)
    return Outline(roots=builder.root.children, opening=builder.opening)


def _tokenize(line: str, index: int) -> list[_Token]:
    """Split one line into a leading marker (if any) and inline markers after sentence ends."""
    tokens: list[_Token] = []
    pos = 0
    first = _LINE_START.match(line)
    style, no = (None, 0)
    marker = ""
    if first and (found := _style_of(first)):
        style, no = found
        marker, pos = first.group(0).strip(), first.end()
    rest = line[pos:]
    start = 0
    # Most lines run no items together: a ``search`` that finds nothing costs a fraction of
    # setting up ``finditer``; resuming where the last match ended finds the same matches.
    m = _INLINE.search(rest)
    while m is not None:
        found = _style_of(m)
        if found is not None:
            # The cut is after the sentence end the match starts with (it stays with the text).
            text = rest[start : m.start() + 1]
            tokens.append((style, no, marker, text, index, bool(tokens)))
            style, no = found
            marker, start = m.group(0)[1:].strip(), m.end()
        m = _INLINE.search(rest, m.end())
    tokens.append((style, no, marker, rest[start:], index, bool(tokens)))
    return tokens


def _style_of(match: re.Match[str]) -> tuple[str, int] | None:
    # Each alternative of a marker pattern has exactly one named group, and it is the last
    # group the match closes.
    name = match.lastgroup
    if name is None:
        return None
    value = match[name]
    number = _MARKER_NUMBERS.get(value)
    if number is None:  # 0, 一十, full-width digits …: rare, read the slow way
        number = symbol_to_int(value) if name in ("ar_sym", "circled") else None
        if number is None:
            number = cn_to_int(value.removeprefix("第"))
    return (_STYLE_ALIASES.get(name, name), number) if number else None


# The number of every common marker (一, 第三, 12, 07, ①, ⑵): the parser reads one or more
# per line, and a lookup is much faster than reading the numeral.
_MARKER_NUMBERS: dict[str, int] = {
    **{
        form: n
        for n in range(1, 100)
        for form in (str(n), f"{n:02d}", int_to_cn(n), "第" + int_to_cn(n))
    },
    **{symbol: n + 1 for n, symbol in enumerate(CIRCLED)},
    **{symbol: n + 1 for n, symbol in enumerate(PARENTHESIZED)},
}


class _Builder:
    """Keeps the stack of open items and decides, marker by marker, where each item goes."""

    def __init__(self) -> None:
        self.root = Node("root", 0, "", "", -1)
        self.stack: list[Node] = [self.root]
        self.opening: list[str] = []

    def feed(self, token: _Token) -> None:
        style, no, _marker, _text, _line, inline = token
        if style is not None:
            depth = self._place(style, no, inline)
            if depth is not None:
                self._open(depth, token)
                return
        self._add_text(token)

    def _place(self, style: str, no: int, inline: bool) -> int | None:
        """Stack depth the new item's parent sits at, or None when it is not an item."""
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].style == style:
                prev = self.stack[depth].no
                if prev < no <= prev + 2 or (no == 1 and depth == len(self.stack) - 1):
                    return depth - 1
                break
        else:
            if no == 1 or (len(self.stack) == 1 and not inline and not self.root.children):
                return self._parent_for_new_list(style)
        return None

    def _parent_for_new_list(self, style: str) -> int:
        """A new list nests under the deepest open item of a shallower style."""
        depth = len(self.stack) - 1
        while depth > 0 and RANK[self.stack[depth].style] >= RANK[style]:
            depth -= 1
        return depth

    def _open(self, parent_depth: int, token: _Token) -> None:
        style, no, marker, text, line, _inline = token
        del self.stack[parent_depth + 1 :]
        node = Node(style or "", no, marker, "", line)
        self.stack[parent_depth].children.append(node)
        self.stack.append(node)
        _add_head(node, text)

    def _add_text(self, token: _Token) -> None:
        style, _no, marker, text, _line, inline = token
        top = self.stack[-1]
        if style is not None:
            text = marker + text
        if top is self.root:
            if text.strip():
                self._add_opening(text, inline)
            return
        # The top of the stack is always the item opened last, so it has no children yet.
        if inline:
            _append_inline(top, text)
        else:
            _add_line(top, text)

    def _add_opening(self, text: str, inline: bool) -> None:
        if inline and self.opening:
            self.opening[-1] += text
        else:
            self.opening.append(text.strip())


def _add_head(node: Node, text: str) -> None:
    label = _LABEL.match(text)
    if label:
        node.parts.append((label.group("name"), text[label.end() :].strip()))
    else:
        node.head = text.strip()


def _add_line(node: Node, text: str) -> None:
    text = text.strip()
    if not text:
        return
    label = _LABEL.match(text)
    if not label:
        node.parts.append(("text", text))
        return
    name, value = label.group("name"), text[label.end() :].strip()
    if name in STATUS_LABELS and (len(value) > _MAX_STATUS_LEN or "。" in value[:-1]):
        name = "整改情况"  # a long "完成情况：…" is the account of the work, not a status
    node.parts.append((name, value))


def _append_inline(node: Node, text: str) -> None:
    """Text that continues the node's last line (a rejected inline marker)."""
    if node.parts:
        kind, value = node.parts[-1]
        node.parts[-1] = (kind, value + text)
    else:
        node.head += text
