"""Text → Notice: the stages of the notice parser wired together.

    lines ─ chrome.clean_lines ─ header.find_title ─┬─ opening → inspection, basis
                                                    ├─ outline → structure → aspects
                                                    └─ closing → contacts
Dates are resolved in reading order so a date without its year takes the nearest earlier one.
"""

from __future__ import annotations

import logging
import re

from zhenggai.notice.chrome import Dropped, strip_chrome
from zhenggai.notice.dates import DateResolver
from zhenggai.notice.fold import Restorer, fold, needs_folding
from zhenggai.notice.header import (
    find_basis,
    find_contacts,
    find_inspection,
    find_stated,
    find_title,
)
from zhenggai.notice.model import Notice
from zhenggai.notice.outline import build_outline
from zhenggai.notice.structure import Structure, build_structure

log = logging.getLogger(__name__)

# The closing: the call for public supervision, the contacts, the signature and its date.
_CLOSING = re.compile(
    r"^(?:欢迎|如有意见|如对|联系方式|联系电话|监督电话|举报电话|联系人|电子(?:信箱|邮箱|邮件)"
    r"|邮箱|邮政信箱|通信地址|通讯地址|来信地址|地址|邮编|邮政编码|网址|特此通报|附件)"
)
_DATE_LINE = re.compile(r"^\s*\S{4}年\S{1,2}月\S{1,3}日\s*$|^\s*\d{4}[-/.]\d{1,2}[-/.]\d{1,2}\s*$")
_ISSUER_LINE = re.compile(
    r"^(?:中共)?[^\s，。、；：,.;:（）()]{2,30}"
    r"(?:党组|党委|委员会|支部|总支|党工委|局|办公室|学院|学校|幼儿园|卫生院|医院|中心|公司|集团)$"
)


def parse(text: str) -> Notice:
    """Parse a notice's text. Never raises on text: what cannot be found stays empty."""
    return explain(text)[0]


def explain(text: str) -> tuple[Notice, list[Dropped]]:
    """The parsed notice and the page lines dropped as website chrome, each with its reason.

    A text in traditional characters is parsed folded to simplified and read back from the
    original (``fold.py``): what is shown keeps the notice's own characters.
    """
    if not needs_folding(text):
        return _parse(text)
    try:
        folded = fold(text)
    except ImportError:  # opencc missing from this install: parse the text as it is
        log.warning("opencc is not installed: traditional characters are matched unconverted")
        return _parse(text)
    notice, dropped = _parse(folded)
    restorer = Restorer(text, folded)
    # The reasons are the parser's own words: only the page's lines are read back.
    return restorer.restore(notice), [Dropped(restorer.text(d.line), d.reason) for d in dropped]


def _parse(text: str) -> tuple[Notice, list[Dropped]]:
    stripped = strip_chrome(text)
    lines = stripped.lines
    block = find_title(lines)
    body = lines[block.body_start :]
    if block.rest:
        body.insert(0, block.rest)
    end = _closing_start(body, block.issuer)
    outline = build_outline(body[:end])
    structure = build_structure(outline.roots)
    opening = "\n".join(outline.opening)

    issuer = block.issuer or _signature(body[end:]) or _published_by(stripped.metadata)
    notice = Notice(title=block.title, issuer=issuer, preamble="\n".join(structure.preamble))
    resolver = DateResolver()
    notice.inspection = find_inspection(opening, resolver)
    notice.basis = find_basis(opening)
    notice.stated = find_stated(_before_findings(body, structure))
    notice.aspects = structure.aspects
    _resolve_measures(notice, resolver)
    notice.contacts = find_contacts("\n".join(body[end:]) or "\n".join(body))
    return notice, stripped.dropped


def _signature(closing: list[str]) -> str | None:
    """The issuer signing the notice at its end (the last issuer line of the closing)."""
    for line in reversed(closing):
        if _ISSUER_LINE.match(line.strip()) and not _CLOSING.match(line.strip()):
            return line.strip()
    return None


def _published_by(metadata: dict[str, str]) -> str | None:
    """The 发布机构 of the metadata block when it names a party organisation (中共…党组)."""
    value = metadata.get("发布机构") or metadata.get("发文机关")
    return value if value and _ISSUER_LINE.match(value) and value.startswith("中共") else None


def _closing_start(body: list[str], issuer: str | None) -> int:
    """Index of the first line of the closing block, scanning back from the end."""
    end = len(body)
    while end > 0 and _is_closing_line(body[end - 1], issuer):
        end -= 1
    return end


def _is_closing_line(line: str, issuer: str | None) -> bool:
    line = line.strip()
    if _CLOSING.match(line) or _DATE_LINE.match(line):
        return True
    return line == issuer or bool(_ISSUER_LINE.match(line))


def _before_findings(body: list[str], structure: Structure) -> str:
    """The opening and organisation sections: where a notice states its totals."""
    stop = structure.first_measure_line
    return "\n".join(body if stop is None else body[:stop])


def _resolve_measures(notice: Notice, resolver: DateResolver) -> None:
    """Dates of every measure, in reading order (titles carry years too).

    Entities need no reading order: ``build_structure`` finds them as it builds each measure.
    """
    extract = resolver.extract  # one attribute lookup instead of one per text
    for aspect in notice.aspects:
        extract(aspect.title)
        for problem in aspect.problems:
            extract(problem.title)
            if problem.description:
                extract(problem.description)
            for measure in problem.measures:
                measure.dates = extract(measure.text)
