"""Read helpers shared by the screens and the API. Every one starts from ``ledger.access``;
each returns in a fixed number of queries, whatever the number of measures."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from zhenggai.ledger import access
from zhenggai.ledger.errors import NotFound
from zhenggai.ledger.models import (
    Aspect,
    AuditEvent,
    DeadlineExtension,
    ExtensionStatus,
    Inspection,
    InspectionGroup,
    InspectionRound,
    Measure,
    MeasureStatus,
    Problem,
    Region,
    Unit,
)
from zhenggai.supervision.lights import light_counts
from zhenggai.web.lights import DONE_STATUSES

OPEN_STATUSES = [s for s in MeasureStatus.values if s not in DONE_STATUSES]
OVERDUE_LIST_LIMIT = 50
PENDING_LIST_LIMIT = 50
SEARCH_LIMIT = 50


def today() -> dt.date:
    return timezone.localdate()


def inspections_with_counts(user: Any) -> QuerySet[Inspection]:
    """The user's inspections, each annotated ``n_<status>`` and ``n_total`` in one query."""
    counts = {
        f"n_{status}": Count("measures", filter=Q(measures__status=status))
        for status in MeasureStatus.values
    }
    return access.inspections_for(user).annotate(n_total=Count("measures"), **counts)


def status_counts(inspection: Any) -> dict[str, int]:
    return {status: getattr(inspection, f"n_{status}", 0) for status in MeasureStatus.values}


def inspection_tree(user: Any, pk: Any) -> tuple[Inspection, list[Aspect]]:
    """The inspection and its aspects → problems → measures (and owners) prefetched: three
    queries for the tree however large it is."""
    inspection = access.get_inspection_for(user, pk)
    # The inspection joined for each measure's light (behind plan counts from feedback).
    measures = Measure.objects.select_related("owner", "inspection").order_by("no", "id")
    problems = Problem.objects.order_by("no", "id").prefetch_related(
        Prefetch("measures", queryset=measures)
    )
    aspects = Aspect.objects.filter(inspection=inspection).prefetch_related(
        Prefetch("problems", queryset=problems)
    )
    return inspection, list(aspects.order_by("no", "id"))


def dashboard(user: Any, on: dt.date) -> dict[str, Any]:
    """Counts by status and by light, and the overdue measures, for what the user may see."""
    measures = access.measures_for(user)
    by_status = dict(
        measures.order_by().values_list("status").annotate(n=Count("id")).values_list("status", "n")
    )
    still_open = Q(status__in=OPEN_STATUSES)
    overdue = measures.filter(still_open, deadline__lt=on).order_by("deadline", "id")
    return {
        "by_status": [(s, label, by_status.get(s, 0)) for s, label in MeasureStatus.choices],
        "lights": light_counts(measures, on),
        "yellow_days": settings.ZHENGGAI_YELLOW_DAYS,
        "overdue": list(overdue[:OVERDUE_LIST_LIMIT]),
    }


def search(user: Any, q: str) -> tuple[list[Problem], list[Measure]]:
    """Problems and measures the user may see whose text contains ``q`` (icontains works the
    same on SQLite and PostgreSQL; a full-text index is a later, PostgreSQL-only step)."""
    q = q.strip()
    if not q:
        return [], []
    problems = access.problems_for(user).filter(
        Q(title__icontains=q) | Q(text__icontains=q) | Q(cause_analysis__icontains=q)
    )
    measures = access.measures_for(user).filter(
        Q(content__icontains=q) | Q(progress__icontains=q) | Q(responsible_person__icontains=q)
    )
    return list(problems[:SEARCH_LIMIT]), list(measures[:SEARCH_LIMIT])


def measure_history(measure: Measure) -> QuerySet[AuditEvent]:
    """Audit events on the measure, its evidence and its progress notes, newest first (each
    branch of the OR is served by the index ``audit_target``)."""
    evidence_ids = [str(pk) for pk in measure.evidence.values_list("pk", flat=True)]
    note_ids = [str(pk) for pk in measure.notes.values_list("pk", flat=True)]
    on_measure = Q(target_type="measure", target_id=str(measure.pk))
    on_evidence = Q(target_type="evidence", target_id__in=evidence_ids)
    on_notes = Q(target_type="progressnote", target_id__in=note_ids)
    return AuditEvent.objects.filter(on_measure | on_evidence | on_notes).order_by("-id")


def import_choices(
    user: Any,
) -> tuple[QuerySet[Unit], QuerySet[InspectionRound], QuerySet[InspectionGroup]]:
    """Units, rounds and groups a notice may be imported for, as ``access.may_create_inspection``
    decides: an office for its regions, a group for its own region (the group and the round
    must share a region, the unit may be anywhere below it)."""
    scope = access.scope_of(user)
    group_regions = set(
        InspectionGroup.objects.filter(pk__in=scope.groups).values_list("region_id", flat=True)
    )
    regions = scope.office_regions | frozenset(group_regions)
    below = Region.with_descendants(regions) if regions else set()
    units = Unit.objects.filter(region_id__in=below)
    rounds = InspectionRound.objects.filter(region_id__in=regions)
    groups = InspectionGroup.objects.filter(
        Q(region_id__in=scope.office_regions) | Q(pk__in=scope.groups)
    )
    return units, rounds, groups


def may_import_notices(user: Any) -> bool:
    """Only an office or a group enters feedback; others are refused the import screens."""
    scope = access.scope_of(user)
    return bool(scope.office_regions or scope.groups)


def extensions_for(user: Any) -> QuerySet[DeadlineExtension]:
    """Extension requests on measures the user may read (scoped by ``access.measures_for``)."""
    return DeadlineExtension.objects.filter(measure__in=access.measures_for(user)).select_related(
        "measure__inspection__round", "measure__inspection__unit", "requested_by", "decided_by"
    )


def get_extension_for(user: Any, pk: Any) -> DeadlineExtension:
    try:
        found = extensions_for(user).filter(pk=int(pk)).first()
    except (TypeError, ValueError):
        found = None
    if found is None:
        raise NotFound()
    return found


def pending_extensions(user: Any) -> list[DeadlineExtension]:
    """Requests waiting for the office, oldest first: the dashboard's to-do list."""
    pending = extensions_for(user).filter(status=ExtensionStatus.PENDING)
    return list(pending.order_by("requested_at", "id")[:PENDING_LIST_LIMIT])
