"""整改评估: take the facts from the ledger, score the indicators, store the sheet (audited).

The scoring is pure (``zhenggai.review.effectiveness``); this module counts and stores.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Exists, Max, OuterRef, Q
from django.utils import timezone

from zhenggai.assessment.models import (
    Assessment,
    Indicator,
    LinkKind,
    LinkState,
    PriorStatus,
    ProblemLink,
    Score,
)
from zhenggai.assessment.permissions import require_office
from zhenggai.assessment.status import prior_status_table, with_status
from zhenggai.ledger import audit
from zhenggai.ledger.models import (
    Decision,
    DecisionKind,
    Evidence,
    Inspection,
    Measure,
    MeasureKind,
    MeasureStatus,
    Problem,
    ProblemStatus,
    ProgressNote,
    User,
)
from zhenggai.review import effectiveness
from zhenggai.review.words import MECHANISM

DONE = (MeasureStatus.CLOSED, MeasureStatus.PHASE_COMPLETE)


def write_default_indicators(model: type[Any]) -> None:
    """The default sheet (``effectiveness.DEFAULT_INDICATORS``) as rows of ``model``: called by
    the data migration ``0002_rules_default_indicators`` (with its historical model), so the
    office adjusts rows that exist rather than a table it has to fill."""
    fields = ("code", "area", "name", "points", "source", "description")
    for order, spec in enumerate(effectiveness.DEFAULT_INDICATORS, 1):
        model.objects.create(order=order, **{name: getattr(spec, name) for name in fields})


def active_indicators() -> list[Indicator]:
    """The active indicators; reading the sheet never writes them (they come from the data
    migration and change in the admin, through ``admin_actions``)."""
    return list(Indicator.objects.filter(active=True))


def _indicators_to_assess() -> list[Indicator]:
    """As ``active_indicators``; a database emptied after its migrations (a flushed test
    database) gets the defaults again here, inside the audited ``assess``."""
    if not Indicator.objects.exists():
        write_default_indicators(Indicator)
    return active_indicators()


def ledger_facts(
    inspection: Inspection, *, by: User, today: dt.date | None = None
) -> effectiveness.LedgerFacts:
    """The counts the computed indicators need, from the inspection's ledger as it is today."""
    today = today or timezone.localdate()
    measures = list(_measures(inspection))
    problems = list(with_status(Problem.objects.filter(aspect__inspection=inspection)))
    return effectiveness.LedgerFacts(
        **_measure_counts(measures, today),
        **_problem_counts(problems, measures),
        **_repeat_counts(inspection),
        **_prior_counts(inspection, by),
        published_contacts=any(
            inspection.contacts.get(k) for k in ("phones", "emails", "post_boxes")
        ),
    )


def _measures(inspection: Inspection) -> Any:
    decisions = Decision.objects.filter(measure=OuterRef("pk"))
    return Measure.objects.filter(inspection=inspection).annotate(
        has_evidence=Exists(Evidence.objects.filter(measure=OuterRef("pk"))),
        was_returned=Exists(decisions.filter(kind=DecisionKind.RETURN)),
        has_note=Exists(ProgressNote.objects.filter(measure=OuterRef("pk"))),
        closed_at=Max("decisions__at", filter=Q(decisions__kind=DecisionKind.CLOSE_OUT)),
    )


def _measure_counts(measures: list[Any], today: dt.date) -> dict[str, int]:
    timed = [m for m in measures if m.kind != MeasureKind.ONGOING and m.deadline]
    done = [m for m in measures if m.status in DONE]
    ongoing = [m for m in measures if m.kind == MeasureKind.ONGOING]
    owned = [m for m in measures if m.responsible_person or m.responsible_department or m.owner_id]
    return {
        "measures": len(measures),
        "with_owner_and_deadline": sum(
            1 for m in owned if m.deadline or m.kind == MeasureKind.ONGOING
        ),
        "with_leader": sum(1 for m in measures if m.responsible_leader),
        "with_kind": sum(1 for m in measures if m.kind),
        "with_deadline": len(timed),
        "closed_on_time": sum(1 for m in timed if _on_time(m)),
        "overdue": sum(1 for m in timed if m.status not in DONE and m.deadline < today),
        "done": len(done),
        "done_with_evidence": sum(1 for m in done if m.has_evidence),
        "done_never_returned": sum(1 for m in done if not m.was_returned),
        "ongoing": len(ongoing),
        "ongoing_reported": sum(1 for m in ongoing if m.has_note),
    }


def _on_time(measure: Any) -> bool:
    if measure.status != MeasureStatus.CLOSED:
        return False
    finished = measure.completed_date or (
        timezone.localdate(measure.closed_at) if measure.closed_at else None
    )
    return finished is not None and finished <= measure.deadline


def _problem_counts(problems: list[Any], measures: list[Any]) -> dict[str, int]:
    texts: dict[int, str] = {}
    for m in measures:
        texts[m.problem_id] = texts.get(m.problem_id, "") + f"{m.content}\n{m.progress}\n"
    closed = (ProblemStatus.CLOSED, ProblemStatus.PHASE_COMPLETE)
    return {
        "problems": len(problems),
        "problems_closed": sum(1 for p in problems if p.derived_status in closed),
        "problems_with_rule": sum(1 for p in problems if MECHANISM.search(texts.get(p.pk, ""))),
    }


def _repeat_counts(inspection: Inspection) -> dict[str, int]:
    links = ProblemLink.objects.filter(problem__aspect__inspection=inspection, kind=LinkKind.REPEAT)
    return {
        "confirmed_repeats": links.filter(state=LinkState.CONFIRMED).count(),
        "candidate_repeats": links.filter(state=LinkState.CANDIDATE).count(),
    }


def _prior_counts(inspection: Inspection, by: User) -> dict[str, int]:
    rows = prior_status_table(inspection, by=by)
    fixed = (PriorStatus.FULLY, PriorStatus.NO_LONGER_VALID)
    return {"prior_problems": len(rows), "prior_fixed": len([r for r in rows if r.status in fixed])}


def _spec(indicator: Indicator) -> effectiveness.IndicatorSpec:
    return effectiveness.IndicatorSpec(
        indicator.code, indicator.area, indicator.name, Decimal(indicator.points), indicator.source
    )


def assess(
    inspection: Inspection,
    *,
    by: User,
    manual: Mapping[str, Decimal | int | float | str] | None = None,
    today: dt.date | None = None,
) -> Assessment:
    """Compute and store the sheet. ``manual`` gives points for manual indicators by code;
    points entered before are kept unless given again. Assessing again replaces the scores."""
    require_office(by, inspection)
    with transaction.atomic():
        indicators = _indicators_to_assess()
        entered = {
            **_entered_before(inspection),
            **{k: Decimal(str(v)) for k, v in (manual or {}).items()},
        }
        facts = ledger_facts(inspection, by=by, today=today)
        results = [effectiveness.score(_spec(i), facts, entered) for i in indicators]
        total = effectiveness.total(results)
        before = _assessment_json(inspection)
        sheet, _ = Assessment.objects.update_or_create(
            inspection=inspection,
            defaults={
                "total": total,
                "grade": effectiveness.grade(total),
                "complete": all(r.points is not None for r in results),
                "assessed_at": timezone.now(),
                "assessed_by": by,
            },
        )
        sheet.scores.all().delete()
        for indicator, result in zip(indicators, results, strict=True):
            Score.objects.create(
                assessment=sheet,
                indicator=indicator,
                points=result.points,
                manual=result.manual,
                basis=result.basis,
            )
        audit.record(
            "assessment.assess",
            actor=by,
            target=sheet,
            before=before,
            after=_assessment_json(inspection),
        )
    return sheet


def _entered_before(inspection: Inspection) -> dict[str, Decimal]:
    scores = Score.objects.filter(
        assessment__inspection=inspection, manual=True, points__isnull=False
    ).select_related("indicator")
    return {s.indicator.code: s.points for s in scores}


def _assessment_json(inspection: Inspection) -> dict[str, Any] | None:
    sheet = Assessment.objects.filter(inspection=inspection).first()
    if sheet is None:
        return None
    scores = {s.indicator.code: str(s.points) for s in sheet.scores.select_related("indicator")}
    return {**audit.snapshot(sheet, ("total", "grade", "complete")), "scores": scores}
