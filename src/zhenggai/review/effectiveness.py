"""The effectiveness sheet (整改评估): indicators, their points, and the grade. Pure Python.

The default sheet has 19 indicators in 4 areas worth 100 points (``design/standards.md``:
~20 indicators, 100 points, 优秀/良好/一般/差; the split between areas is practice, and an
office may change it in its own ``Indicator`` rows). An indicator is either computed from
:class:`LedgerFacts` — counts a caller takes from the ledger — or ``manual`` (the 群众满意度
survey, the head's own performance), entered by hand.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

MANUAL = "manual"
# Points lost per overdue open measure and per confirmed repeat (边改边犯), down to 0.
OVERDUE_PENALTY = Decimal(1)
REPEAT_PENALTY = Decimal(3)
# (lowest total, grade code): 优秀 ≥ 90, 良好 ≥ 75, 一般 ≥ 60, otherwise 差.
GRADES: tuple[tuple[Decimal, str], ...] = (
    (Decimal(90), "excellent"),
    (Decimal(75), "good"),
    (Decimal(60), "fair"),
    (Decimal(0), "poor"),
)
GRADE_LABELS = {"excellent": "优秀", "good": "良好", "fair": "一般", "poor": "差"}


@dataclass(frozen=True)
class IndicatorSpec:
    code: str
    area: str
    name: str
    points: Decimal
    source: str  # a key of COMPUTED, or MANUAL
    description: str = ""


RESPONSIBILITY, EFFECT, KEY, SATISFACTION = "责任落实", "整改成效", "重点问题整改", "群众满意度"
_DEFAULT_ROWS: tuple[tuple[str, str, str, int, str, str], ...] = (
    ("A1", RESPONSIBILITY, "整改措施责任人和时限齐全", 5, "plan_complete",
          "按同时写明责任人（或责任部门）和完成时限的措施占比计分"),
    ("A2", RESPONSIBILITY, "责任领导明确", 5, "leaders_named",
          "按写明责任领导的措施占比计分"),
    ("A3", RESPONSIBILITY, "整改类型明确", 5, "kinds_set",
          "按确定为立行立改、限期整改或长期坚持的措施占比计分"),
    ("A4", RESPONSIBILITY, "主要负责人履行第一责任人职责", 5, MANUAL,
          "听取汇报、研究部署、督促检查情况，人工评定"),
    ("A5", RESPONSIBILITY, "整改报告按时报送", 5, MANUAL,
          "反馈后2个月内报送整改情况报告和主要负责人组织落实情况报告，人工评定"),
    ("B1", EFFECT, "整改措施按期完成率", 10, "on_time",
          "有完成时限的措施中，按期（完成日期不晚于时限）验收销号的占比"),
    ("B2", EFFECT, "问题整改销号率", 8, "problems_closed",
          "全部措施已销号或阶段性完成的问题占比"),
    ("B3", EFFECT, "无超期未完成措施", 6, "overdue",
          "每有1项超过时限仍未完成的措施扣1分，扣完为止"),
    ("B4", EFFECT, "佐证材料完备", 5, "evidence",
          "已销号或阶段性完成的措施中有佐证材料的占比"),
    ("B5", EFFECT, "验收一次通过率", 3, "first_pass",
          "已销号或阶段性完成的措施中从未被退回的占比"),
    ("B6", EFFECT, "长期坚持措施定期报告", 3, "ongoing_reported",
          "长期坚持类措施中有进展记录的占比"),
    ("C1", KEY, "建章立制", 6, "rules_made",
          "措施或进展中制定、修订、建立了制度（办法、方案、机制）的问题占比"),
    ("C2", KEY, "未出现边改边犯", 6, "repeats",
          "每有1个经巡察办确认的重复问题扣3分，扣完为止"),
    ("C3", KEY, "上轮问题整改到位", 5, "prior_fixed",
          "回头看中上轮问题已整改到位（含已不适用）的占比；无上轮问题的得满分"),
    ("C4", KEY, "重点问题、典型问题整改到位", 4, MANUAL, "人工评定"),
    ("C5", KEY, "追责问责和举一反三", 4, MANUAL, "人工评定"),
    ("D1", SATISFACTION, "群众满意度测评", 10, MANUAL,
          "满意度测评结果（满意率×分值），人工填报"),
    ("D2", SATISFACTION, "整改情况公开并公布监督渠道", 3, "published",
          "通报载明电话、信箱或电子邮箱的得满分"),
    ("D3", SATISFACTION, "群众监督意见办理", 2, MANUAL, "人工评定"),
)  # fmt: skip
DEFAULT_INDICATORS = tuple(
    IndicatorSpec(code, area, name, Decimal(points), source, description)
    for code, area, name, points, source, description in _DEFAULT_ROWS
)


@dataclass(frozen=True)
class LedgerFacts:
    """Counts taken from one inspection's ledger on one day."""

    measures: int = 0
    with_owner_and_deadline: int = 0
    with_leader: int = 0
    with_kind: int = 0
    with_deadline: int = 0  # measures other than 长期坚持 that have a deadline
    closed_on_time: int = 0  # … of those, closed with a completion date on or before it
    problems: int = 0
    problems_closed: int = 0
    overdue: int = 0  # open measures past their deadline
    done: int = 0  # closed or phase complete
    done_with_evidence: int = 0
    done_never_returned: int = 0
    ongoing: int = 0
    ongoing_reported: int = 0
    problems_with_rule: int = 0
    confirmed_repeats: int = 0
    candidate_repeats: int = 0
    prior_problems: int = 0
    prior_fixed: int = 0
    published_contacts: bool = False


@dataclass(frozen=True)
class ScoreResult:
    code: str
    points: Decimal | None  # None: a manual indicator not entered yet
    basis: str
    manual: bool = False


def _round(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _share(points: Decimal, part: int, whole: int, what: str) -> tuple[Decimal, str]:
    if whole == 0:  # "无上轮问题", not "无个上轮问题": the measure word goes with a number
        return points, f"无{what.lstrip('项个')}，得满分"
    return _round(points * part / whole), f"{part}/{whole} {what}（{part * 100 // whole}%）"


def _penalty(points: Decimal, count: int, each: Decimal, what: str) -> tuple[Decimal, str]:
    return max(Decimal(0), points - each * count), f"{what} {count} 项，每项扣{each}分"


def _repeats(points: Decimal, facts: LedgerFacts) -> tuple[Decimal, str]:
    value, basis = _penalty(points, facts.confirmed_repeats, REPEAT_PENALTY, "确认的重复问题")
    if facts.candidate_repeats:
        basis += f"；另有 {facts.candidate_repeats} 项疑似重复待巡察办确认"
    return value, basis


Computation = Callable[[Decimal, LedgerFacts], tuple[Decimal, str]]
COMPUTED: dict[str, Computation] = {
    "plan_complete": lambda p, f: _share(p, f.with_owner_and_deadline, f.measures, "项措施"),
    "leaders_named": lambda p, f: _share(p, f.with_leader, f.measures, "项措施"),
    "kinds_set": lambda p, f: _share(p, f.with_kind, f.measures, "项措施"),
    "on_time": lambda p, f: _share(p, f.closed_on_time, f.with_deadline, "项有时限的措施"),
    "problems_closed": lambda p, f: _share(p, f.problems_closed, f.problems, "个问题"),
    "overdue": lambda p, f: _penalty(p, f.overdue, OVERDUE_PENALTY, "超期未完成"),
    "evidence": lambda p, f: _share(p, f.done_with_evidence, f.done, "项已完成措施"),
    "first_pass": lambda p, f: _share(p, f.done_never_returned, f.done, "项已完成措施"),
    "ongoing_reported": lambda p, f: _share(p, f.ongoing_reported, f.ongoing, "项长期坚持措施"),
    "rules_made": lambda p, f: _share(p, f.problems_with_rule, f.problems, "个问题"),
    "repeats": _repeats,
    "prior_fixed": lambda p, f: _share(p, f.prior_fixed, f.prior_problems, "个上轮问题"),
    "published": lambda p, f: (
        (p, "已公布监督渠道") if f.published_contacts else (Decimal(0), "未公布监督渠道")
    ),
}  # fmt: skip


def score(
    spec: IndicatorSpec, facts: LedgerFacts, manual: Mapping[str, Decimal] | None = None
) -> ScoreResult:
    """One indicator's points; a manual one takes the entered points, capped at its value."""
    if spec.source == MANUAL:
        entered = (manual or {}).get(spec.code)
        if entered is None:
            return ScoreResult(spec.code, None, "待人工填报", manual=True)
        points = _round(min(max(Decimal(entered), Decimal(0)), spec.points))
        return ScoreResult(spec.code, points, "人工填报", manual=True)
    points, basis = COMPUTED[spec.source](spec.points, facts)
    return ScoreResult(spec.code, _round(points), basis)


def total(results: Iterable[ScoreResult]) -> Decimal:
    return _round(sum((r.points for r in results if r.points is not None), Decimal(0)))


def grade(points: Decimal) -> str:
    return next(code for lowest, code in GRADES if points >= lowest)
