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

from zhenggai.ledger import access, actions
from zhenggai.ledger.errors import PermissionDenied, ValidationError
from zhenggai.ledger.models import (
    Inspection,
    InspectionGroup,
    InspectionRound,
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
    # The notice was issued by another organisation than the chosen unit: the import is
    # refused unless the user confirms (``confirm_notice_import(issuer_confirmed=True)``).
    issuer_mismatch: bool = False


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
    mismatch = not issuer_matches(notice.issuer, unit)
    if mismatch:
        warnings.append(
            f"通报的发文单位“{notice.issuer}”不是所选的“{unit.name}”，请确认没有选错单位。"
        )
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
        issuer_mismatch=mismatch,
    )


def issuer_matches(issuer: str | None, unit: Unit) -> bool:
    """Whether the notice's 发文单位 names the unit (中共…党组 around the unit's name counts);
    a notice without an issuer cannot contradict the choice."""
    issuer = (issuer or "").strip().removeprefix("中共")
    if not issuer:
        return True
    names = [name for name in (unit.name.removeprefix("中共"), unit.short_name) if name]
    return any(name in issuer or issuer in name for name in names)


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
    warnings += [
        f"第{a_no}方面第{p_no}个问题的第{m_no}项整改措施内容为空，无法导入，请先修改通报。"
        for a_no, aspect in enumerate(notice.aspects, 1)
        for p_no, problem in enumerate(aspect.problems, 1)
        for m_no, measure in enumerate(problem.measures, 1)
        if not measure.text.strip()
    ]
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
    issuer_confirmed: bool = False,
) -> Inspection:
    """Write the inspection and its tree through ``actions.import_inspection`` (one
    transaction, one audit event, the checks of ``add_measure``). A notice of another issuer
    than the chosen unit is refused unless ``issuer_confirmed``."""
    preview = _as_preview(preview_or_notice, by=by, unit=unit, round=round, group=group)
    if not preview.items:
        raise ValidationError("通报中没有识别出任何问题，无法导入。")
    if preview.issuer_mismatch and not issuer_confirmed:
        raise ValidationError(
            f"通报的发文单位“{preview.notice.issuer}”不是所选的“{preview.unit.name}”；"
            "如确属该单位，请勾选确认后再导入。"
        )
    return actions.import_inspection(
        by=by,
        round=preview.round,
        group=preview.group,
        unit=preview.unit,
        details=preview.details,
        aspects=tuple(_new_aspect(aspect) for aspect in preview.notice.aspects),
    )


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


def _new_aspect(source: notice_model.Aspect) -> actions.NewAspect:
    problems = tuple(
        actions.NewProblem(
            title=_problem_title(source, problem),
            text=problem.description.strip(),
            implicit=problem.implicit,
            measures=tuple(measure.text for measure in problem.measures),
        )
        for problem in source.problems
    )
    return actions.NewAspect(title=source.title.strip(), problems=problems)


# --- the group's feedback, pasted as text ---------------------------------------------------


@dataclass(frozen=True)
class FeedbackItem:
    aspect: str
    title: str
    text: str
    immediate: bool


def feedback_items(notice: notice_model.Notice) -> list[FeedbackItem]:
    """The problems of a pasted 反馈意见, read with the notice parser: aspects (一、) and
    problems (（一）); numbered lines under a problem are its 问题表现, not measures. A problem
    that says 立行立改 is flagged ``immediate``."""
    items = []
    for aspect in notice.aspects:
        for problem in aspect.problems:
            lines = [problem.description.strip(), *(m.text.strip() for m in problem.measures)]
            text = "\n".join(line for line in lines if line)
            title = _problem_title(aspect, problem)
            items.append(
                FeedbackItem(aspect.title.strip(), title, text, "立行立改" in f"{title}{text}")
            )
    return items


def add_pasted_feedback(
    inspection: Inspection, items: list[FeedbackItem], *, by: User
) -> list[Problem]:
    """Append the pasted aspects and problems to the inspection's feedback in one transaction
    (all or nothing), audited as one event; an aspect of the same title is reused."""
    if not items:
        raise ValidationError("粘贴的文字中没有识别出问题，请检查“一、”“（一）”等层次。")
    problems = [
        (
            item.aspect,
            actions.NewProblem(title=item.title, text=item.text, immediate=item.immediate),
        )
        for item in items
    ]
    return actions.add_feedback(inspection, problems, by=by)
