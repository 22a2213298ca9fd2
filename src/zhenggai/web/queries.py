"""Read helpers shared by the screens and the API. Every one starts from ``ledger.access``;
each returns in a fixed number of queries, whatever the number of measures."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db.models import CharField, Count, Prefetch, Q, QuerySet
from django.db.models.functions import Cast
from django.utils import timezone

from zhenggai.ledger import access
from zhenggai.ledger.models import (
    Aspect,
    AuditEvent,
    DeadlineExtension,
    Evidence,
    ExtensionStatus,
    Inspection,
    Measure,
    MeasureStatus,
    Problem,
    ProgressNote,
)
from zhenggai.supervision.deadlines import statutory_items
from zhenggai.supervision.models import Interview, SupervisionOrder
from zhenggai.web import filters

PENDING_LIST_LIMIT = 50
SEARCH_LIMIT = 50


def today() -> dt.date:
    return timezone.localdate()


def inspections_with_counts(user: Any) -> QuerySet[Inspection]:
    """The user's inspections, each annotated ``n_<status>`` and ``n_total`` in one query
    (withdrawn measures not counted)."""
    current = Q(measures__withdrawn_at__isnull=True)
    counts = {
        f"n_{status}": Count("measures", filter=current & Q(measures__status=status))
        for status in MeasureStatus.values
    }
    return access.inspections_for(user).annotate(
        n_total=Count("measures", filter=current), **counts
    )


def statutory(inspection: Inspection, today: dt.date) -> list[Any]:
    """The inspection's plan and report deadlines with their lights (none before hand-over:
    the deadlines run from the feedback the unit has received)."""
    if inspection.handed_over_at is None or inspection.withdrawn_at is not None:
        return []
    # Annotated by ``access.with_plan_submitted`` when the caller lists many inspections.
    plan_met = getattr(inspection, "plan_was_submitted", None)
    return statutory_items(
        inspection.feedback_date,
        today,
        plan_met=access.plan_submitted(inspection) if plan_met is None else plan_met,
        reports_met=access.reports_submitted(inspection),
    )


STATUTORY_LIST_LIMIT = 10


def statutory_due(user: Any, today: dt.date) -> list[tuple[Inspection, Any]]:
    """The dashboard's 法定时限: each unmet statutory deadline of the user's inspections,
    soonest (or longest overdue) first."""
    inspections = access.with_plan_submitted(
        access.inspections_for(user).filter(
            handed_over_at__isnull=False, withdrawn_at__isnull=True, feedback_date__isnull=False
        )
    )
    rows = [
        (inspection, item)
        for inspection in inspections.order_by("-feedback_date", "-id")[:200]
        for item in statutory(inspection, today)
        if not item.met
    ]
    rows.sort(key=lambda row: row[1].due)
    return rows[:STATUTORY_LIST_LIMIT]


def status_counts(inspection: Any) -> dict[str, int]:
    return {status: getattr(inspection, f"n_{status}", 0) for status in MeasureStatus.values}


def inspection_tree(
    user: Any, pk: Any, params: Mapping[str, str] | None = None
) -> tuple[Inspection, list[Aspect]]:
    """The inspection and its aspects → problems → measures (and owners) prefetched: three
    queries for the tree however large it is. The office's tree keeps withdrawn problems and
    measures (struck through, with their reason); everyone else's leaves them out.

    With filters (``web.filters``), the tree shows the matching measures and only the
    problems and aspects that hold one."""
    inspection = access.get_inspection_for(user, pk)
    office = access.may_withdraw_inspection(access.scope_of(user), inspection)
    measure_rows = Measure.all_objects if office else Measure.objects
    problem_rows = Problem.all_objects if office else Problem.objects
    # The inspection joined for each measure's light (behind plan counts from feedback).
    measures = measure_rows.select_related("owner", "inspection").order_by("no", "id")
    problems = problem_rows.order_by("no", "id")
    aspects = Aspect.objects.filter(inspection=inspection)
    if params and filters.is_filtered(params):
        mine = measure_rows.filter(inspection=inspection)
        matching = filters.filter_measures(mine, params, today()).values("pk")
        measures = measures.filter(pk__in=matching)
        problems = problems.filter(measures__in=matching).distinct()
        aspects = aspects.filter(problems__measures__in=matching).distinct()
    problems = problems.prefetch_related(Prefetch("measures", queryset=measures))
    problems = access.hide_confidential(problems, user, "aspect__inspection__", "")
    aspects = aspects.prefetch_related(Prefetch("problems", queryset=problems))
    return inspection, list(aspects.order_by("no", "id"))


def search(user: Any, q: str) -> tuple[list[Problem], list[Measure]]:
    """Problems and measures the user may see whose text contains ``q`` (icontains works the
    same on SQLite and PostgreSQL; a full-text index is a later, PostgreSQL-only step)."""
    q = q.strip()
    if not q:
        return [], []
    problems = access.problems_for(user).filter(
        Q(title__icontains=q) | Q(text__icontains=q) | Q(cause_analysis__icontains=q)
    )
    # A measure is also found by its evidence's 文号 or 题名 (汴科协文〔2024〕6号).
    in_evidence = Evidence.objects.filter(
        Q(doc_number__icontains=q) | Q(title__icontains=q)
    ).values("measure_id")
    measures = access.measures_for(user).filter(
        Q(content__icontains=q)
        | Q(progress__icontains=q)
        | Q(responsible_person__icontains=q)
        | Q(pk__in=in_evidence)
    )
    return list(problems[:SEARCH_LIMIT]), list(measures[:SEARCH_LIMIT])


def measure_history(measure: Measure) -> QuerySet[AuditEvent]:
    """Audit events on the measure and on what hangs from it — its evidence, progress notes,
    extension requests, 督办单 and 约谈 — newest first, in one query (each branch of the OR is
    served by the index ``audit_target``)."""
    on_measure = Q(target_type="measure", target_id=str(measure.pk))
    for model in (Evidence, ProgressNote, DeadlineExtension, SupervisionOrder, Interview):
        ids = model.objects.filter(measure=measure).values(pk_text=Cast("pk", CharField()))
        on_measure |= Q(target_type=model._meta.model_name, target_id__in=ids)
    return AuditEvent.objects.filter(on_measure).order_by("-id")


def pending_extensions(user: Any) -> list[DeadlineExtension]:
    """Requests waiting for the office, oldest first: the dashboard's to-do list."""
    pending = access.extensions_for(user).filter(status=ExtensionStatus.PENDING)
    return list(pending.order_by("requested_at", "id")[:PENDING_LIST_LIMIT])
