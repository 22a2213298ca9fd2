"""Turn a parsed notice (``zhenggai.notice.model.Notice``) into an inspection of the ledger.

First a preview (counts, the problems, warnings; nothing written), then the confirmation,
which writes the inspection with all its aspects, problems and measures in one transaction —
all or nothing — and records it as one audit event.

Measures arrive as 未开始 with their text as content. Dates inside a measure's text are what
the unit reported doing, not deadlines: deadlines are set in the plan.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from zhenggai.ledger import access, actions, audit
from zhenggai.ledger.errors import PermissionDenied, ValidationError
from zhenggai.ledger.models import (
    Aspect,
    Inspection,
    InspectionGroup,
    InspectionRound,
    Measure,
    Problem,
    Unit,
    User,
)
from zhenggai.notice import model as notice_model


@dataclass(frozen=True)
class PreviewProblem:
    aspect_no: int
    no: int
    title: str
    implicit: bool
    measures: int


@dataclass(frozen=True)
class ImportPreview:
    """What ``confirm_notice_import`` would write, for the user to check first."""

    notice: notice_model.Notice
    unit: Unit
    round: InspectionRound
    group: InspectionGroup
    details: dict[str, Any]
    aspects: int
    problems: int
    measures: int
    items: list[PreviewProblem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def preview_notice_import(
    notice: notice_model.Notice,
    *,
    unit: Unit,
    round: InspectionRound,
    group: InspectionGroup,
    by: User,
) -> ImportPreview:
    """Check the user may import and describe the result; writes nothing."""
    if not access.may_create_inspection(access.scope_of(by), round, group, unit):
        raise PermissionDenied("只有巡察办或本巡察组可以导入巡察反馈。")
    warnings: list[str] = []
    details = _inspection_details(notice, warnings)
    items = [
        PreviewProblem(
            a_no, p_no, _problem_title(aspect, problem), problem.implicit, len(problem.measures)
        )
        for a_no, aspect in enumerate(notice.aspects, 1)
        for p_no, problem in enumerate(aspect.problems, 1)
    ]
    warnings += _structure_warnings(notice, items, group)
    warnings += _existing_warnings(unit, round)
    return ImportPreview(
        notice=notice,
        unit=unit,
        round=round,
        group=group,
        details=details,
        aspects=len(notice.aspects),
        problems=len(items),
        measures=sum(item.measures for item in items),
        items=items,
        warnings=warnings,
    )


def _inspection_details(notice: notice_model.Notice, warnings: list[str]) -> dict[str, Any]:
    header = notice.inspection
    return {
        "title": (notice.title or "")[:300],
        "issuer": (notice.issuer or "")[:200],
        "start": _date(header.start, "巡察开始日期", warnings),
        "end": _date(header.end, "巡察结束日期", warnings),
        "feedback_date": _date(header.feedback, "反馈日期", warnings),
        "contacts": notice.contacts.to_json(),
    }


def _date(value: str | None, label: str, warnings: list[str]) -> dt.date | None:
    if not value:
        warnings.append(f"通报中未找到{label}，导入后请补填。")
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        warnings.append(f"{label}“{value}”无法识别，导入后请补填。")
        return None


def _problem_title(aspect: notice_model.Aspect, problem: notice_model.Problem) -> str:
    # An implicit problem (the notice lists measures right under the aspect) is the aspect.
    return problem.title.strip() or aspect.title.strip() or "（未列明问题）"


def _structure_warnings(
    notice: notice_model.Notice, items: list[PreviewProblem], group: InspectionGroup
) -> list[str]:
    warnings = [
        f"第{item.aspect_no}方面第{item.no}个问题没有整改措施。"
        for item in items
        if not item.measures
    ]
    if not items:
        warnings.append("通报中没有识别出任何问题，无法导入。")
    counted = {"aspects": len(notice.aspects), "problems": len(items)}
    counted["measures"] = sum(item.measures for item in items)
    labels = {"aspects": "方面", "problems": "问题", "measures": "整改措施"}
    for key, label in labels.items():
        stated = getattr(notice.stated, key)
        if stated is not None and stated != counted[key]:
            warnings.append(f"通报称共有{label} {stated} 个，实际识别出 {counted[key]} 个。")
    if notice.inspection.group and notice.inspection.group != group.name:
        warnings.append(f"通报中的巡察组为“{notice.inspection.group}”，与所选“{group.name}”不同。")
    reported = sum(1 for m in notice.measures() if m.status)
    if reported:
        warnings.append(
            f"通报中有 {reported} 项措施写明了完成情况；导入后一律为“未开始”，需逐项提交验收。"
        )
    return warnings


def _existing_warnings(unit: Unit, round: InspectionRound) -> list[str]:
    if Inspection.objects.filter(unit=unit, round=round).exists():
        return [f"{unit}在{round}中已有巡察记录，确认后将再新建一条。"]
    return []


def confirm_notice_import(
    preview_or_notice: ImportPreview | notice_model.Notice,
    *,
    by: User,
    unit: Unit | None = None,
    round: InspectionRound | None = None,
    group: InspectionGroup | None = None,
) -> Inspection:
    """Write the inspection and its tree in one transaction, audited as one event."""
    preview = _as_preview(preview_or_notice, by=by, unit=unit, round=round, group=group)
    if not preview.items:
        raise ValidationError("通报中没有识别出任何问题，无法导入。")
    with transaction.atomic():
        inspection = actions.new_inspection(
            by=by,
            round=preview.round,
            group=preview.group,
            unit=preview.unit,
            details=preview.details,
            handed_over=True,
        )
        for a_no, aspect in enumerate(preview.notice.aspects, 1):
            _create_aspect(inspection, a_no, aspect)
        summary = {
            "aspects": preview.aspects,
            "problems": preview.problems,
            "measures": preview.measures,
        }
        after = {**audit.snapshot(inspection), **summary}
        audit.record(
            "inspection.import", actor=by, target=inspection, after=after, detail="导入整改通报"
        )
    return inspection


def _as_preview(
    value: ImportPreview | notice_model.Notice,
    *,
    by: User,
    unit: Unit | None,
    round: InspectionRound | None,
    group: InspectionGroup | None,
) -> ImportPreview:
    if isinstance(value, ImportPreview):
        return value
    if unit is None or round is None or group is None:
        raise ValidationError("导入通报须指定被巡察单位、巡察轮次和巡察组。")
    return preview_notice_import(value, unit=unit, round=round, group=group, by=by)


def _create_aspect(inspection: Inspection, no: int, source: notice_model.Aspect) -> None:
    aspect = Aspect.objects.create(inspection=inspection, no=no, title=source.title.strip())
    for p_no, problem in enumerate(source.problems, 1):
        _create_problem(aspect, p_no, source, problem)


def _create_problem(
    aspect: Aspect, no: int, parent: notice_model.Aspect, source: notice_model.Problem
) -> None:
    problem = Problem.objects.create(
        aspect=aspect,
        no=no,
        title=_problem_title(parent, source),
        text=source.description.strip(),
        implicit=source.implicit,
    )
    for m_no, measure in enumerate(source.measures, 1):
        _create_measure(problem, m_no, measure)


def _create_measure(problem: Problem, no: int, source: notice_model.Measure) -> None:
    Measure.objects.create(
        inspection=problem.aspect.inspection, problem=problem, no=no, content=source.text.strip()
    )
