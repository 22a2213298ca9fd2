"""Generic outline tree → aspects, problems and measures.

Notices differ in how many levels they print and what the top levels are for:
- the usual three: 一、 aspect → （一） problem → 1. measure (the seed);
- an organisation section first ("一、组织整改落实情况") and the findings in a container
  ("二、巡察反馈问题整改进展情况") whose children are the aspects;
- measures straight under an aspect (the seed's 四) → one implicit problem;
- four or five levels: the levels below the measure stay inside the measure's text.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from zhenggai.notice.entities import find_entities
from zhenggai.notice.model import Aspect, Measure, Problem
from zhenggai.notice.outline import Node

_ORGANISATION = re.compile(
    r"组织|领导|主体责任|政治站位|政治责任|政治担当|总体情况|基本情况|工作情况|整改工作"
)
_CONTAINER = re.compile(
    r"(?:反馈|巡察|巡视).{0,8}(?:问题|意见).{0,6}(?:整改|落实)|整改(?:任务|工作)?落实情况"
    r"|问题整改(?:进展|落实)?情况|整改进展情况|整改任务"
)
_EPILOGUE = re.compile(r"^(?:下一步|下步|今后)|(?:下一步|下步|今后).{0,6}(?:打算|安排|计划|措施)")
# Findings name a shortcoming; organisation sections describe the unit's own efforts.
_FINDINGS_WORDS = re.compile(r"问题|方面|不|差距|欠|薄弱|缺|松|漏|偏")

_SENTENCE_END = re.compile(r"[。！!？?；;]")
_QUOTED = r"[“\"「『]\s*(?P<inner>.+?)\s*[”\"」』]"
_WRAPPERS = [
    re.compile(rf"^关于\s*{_QUOTED}\s*(?:方面)?\s*(?:的)?\s*(?:问题)?\s*(?:的)?\s*(?:整改.*)?$"),
    re.compile(rf"^在\s*{_QUOTED}\s*方面.*$"),
    re.compile(r"^关于(?P<inner>.+?)(?:方面)?的?问题(?:的整改(?:情况)?)?$"),
]
_LABEL_PREFIX = re.compile(r"^(?:反馈问题|具体问题|存在问题|问题)\s*[：:]\s*")
_BOILERPLATE = re.compile(
    r"(?:方面)?(?:存在的?问题(?:及|和|与)?(?:其)?整改(?:落实)?(?:情况)?|存在的?问题|的问题|问题)$"
    r"|方面$"
)
# The last words of every _BOILERPLATE match: a title ending otherwise needs no regex scan.
_BOILERPLATE_ENDS = ("问题", "整改", "落实", "情况", "方面")

# Styles that, by convention, number measures rather than problems.
_MEASURE_STYLES = frozenset({"shi", "circled", "ar_paren", "di"})


@dataclass
class Structure:
    aspects: list[Aspect]
    preamble: list[str]  # text of organisation/summary sections, before the findings
    first_measure_line: int | None  # index of the line where the first measure starts


def build_structure(roots: list[Node]) -> Structure:
    preamble_nodes, content = _split_sections(roots)
    styles = _level_styles(content)
    aspects = [_aspect(node, styles) for node in content]
    preamble = [node.marker + node.full_text() for node in preamble_nodes]
    first = min(_measure_lines(content, styles), default=None)
    return Structure(aspects, preamble, first)


def _split_sections(roots: list[Node]) -> tuple[list[Node], list[Node]]:
    """Organisation sections and a trailing 下一步 section are not findings."""
    organisation = [_is_organisation(n) for n in roots]
    preamble = [n for n, is_org in zip(roots, organisation, strict=True) if is_org]
    content = [n for n, is_org in zip(roots, organisation, strict=True) if not is_org]
    while len(content) > 1 and _EPILOGUE.search(_title_text(content[-1])):
        content.pop()
    containers = [n for n in content if _is_container(n, alone=len(content) == 1)]
    if len(containers) == 1 and (len(content) == 1 or not preamble):
        container = containers[0]
        preamble += [n for n in content if n is not container]
        content = container.children
    return preamble, content


def _is_organisation(node: Node) -> bool:
    """How the unit organised the work (领导小组, 主体责任): a narrative, not findings."""
    title = _title_text(node)
    if not _ORGANISATION.search(title) or _FINDINGS_WORDS.search(title):
        return False
    return not _has_measures_label(node)


def _has_measures_label(node: Node) -> bool:
    return node.measures_label or any(_has_measures_label(c) for c in node.children)


def _is_container_title(node: Node) -> bool:
    title = _title_text(node)
    return bool(_CONTAINER.search(title)) and "方面" not in title


def _is_container(node: Node, *, alone: bool) -> bool:
    """A section whose children are the aspects: named so, or too deep to be one aspect."""
    if _is_container_title(node):
        depth = _depth_below(node)
        return depth >= 3 or (depth == 2 and _children_are_aspects(node))
    return alone and _depth_below(node) >= 3


def _children_are_aspects(node: Node) -> bool:
    return any("方面" in _title_text(child) for child in node.children)


def _depth_below(node: Node) -> int:
    return 1 + max(map(_depth_below, node.children)) if node.children else 0


def _level_styles(aspect_nodes: list[Node]) -> tuple[str | None, str | None]:
    """The style most aspects number their problems with, and problems their measures."""
    problem_styles = Counter(c.style for a in aspect_nodes for c in a.children)
    measure_styles = Counter(g.style for a in aspect_nodes for c in a.children for g in c.children)
    problem = problem_styles.most_common(1)[0][0] if problem_styles else None
    measure = measure_styles.most_common(1)[0][0] if measure_styles else None
    return problem, measure


def _children_are_measures(node: Node, styles: tuple[str | None, str | None]) -> bool:
    """Measures printed straight under an aspect (a skipped level)."""
    if not node.children:
        return False
    if node.measures_label:
        return True
    style = node.children[0].style
    problem_style, measure_style = styles
    if style == problem_style:
        return False
    return style == measure_style or style in _MEASURE_STYLES


def _aspect(node: Node, styles: tuple[str | None, str | None]) -> Aspect:
    title = clean_title(_title_text(node))
    if node.children and not _children_are_measures(node, styles):
        problems = [_problem(child) for child in node.children]
        return Aspect(node.no, title, problems)
    return Aspect(node.no, title, [_implicit_problem(node, title)])


def _implicit_problem(node: Node, aspect_title: str) -> Problem:
    description = "\n".join(_head_rest(node) + node.texts(after_label=False))
    status = node.status()
    # no, title, implicit, measures, description, status (positional: see _measure)
    return Problem(1, description or aspect_title, True, _measures(node, status), "", status)


def _problem(node: Node) -> Problem:
    title = clean_title(_title_text(node))
    description = "\n".join(_head_rest(node) + node.texts(after_label=False))
    status = node.status()
    return Problem(node.no, title, False, _measures(node, status), description, status)


def _measures(node: Node, status: str | None) -> list[Measure]:
    """Numbered items below, or else the unnumbered account after 整改情况：."""
    if node.children:
        return [_measure(c.no, c.full_text(), c.status() or status) for c in node.children]
    after = node.texts(after_label=True) if node.measures_label else []
    text = "\n".join(after)
    return [_measure(1, text, status)] if text else []


def _measure(no: int, text: str, status: str | None) -> Measure:
    """A measure with its entities; its dates wait for ``parse`` (they need reading order).

    Built whole and positionally (no, text, dates, entities, status): a keyword call that
    leaves the defaults to their factories costs several times as much, and a notice has
    dozens of measures.
    """
    return Measure(no, text, [], find_entities(text), status)


def _measure_lines(aspect_nodes: list[Node], styles: tuple[str | None, str | None]) -> list[int]:
    """Where measures start: the text before the first one is the notice's own summary."""
    holders = []
    for node in aspect_nodes:
        implicit = not node.children or _children_are_measures(node, styles)
        holders += [node] if implicit else node.children
    return [h.children[0].line if h.children else h.line for h in holders if _holds_measures(h)]


def _holds_measures(node: Node) -> bool:
    return bool(node.children) or (node.measures_label and any(node.texts(after_label=True)))


def _title_text(node: Node) -> str:
    """The heading: the marker line up to its first sentence end."""
    match = _SENTENCE_END.search(node.head)
    return node.head[: match.start()] if match else node.head


def _head_rest(node: Node) -> list[str]:
    match = _SENTENCE_END.search(node.head)
    rest = node.head[match.end() :].strip() if match else ""
    return [rest] if rest else []


def clean_title(text: str) -> str:
    """Drop labels, quotes around the finding, 方面/的问题 boilerplate and the final stop."""
    title = text.strip()
    label = _LABEL_PREFIX.match(title)
    title = (title[label.end() :] if label else title).strip()
    for wrapper in _WRAPPERS:
        match = wrapper.match(title)
        if match:
            title = match.group("inner")
            break
    title = title.strip().rstrip("。.；;，,：:")
    # _BOILERPLATE ends at the end of the title ($ also allows a final newline), so it matches
    # at most once, and only where the title ends with one of its last words.
    boilerplate = None
    if title.removesuffix("\n").endswith(_BOILERPLATE_ENDS):
        boilerplate = _BOILERPLATE.search(title)
    stripped = (title[: boilerplate.start()] if boilerplate else title).strip()
    return stripped or title
