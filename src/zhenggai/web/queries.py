"""Read helpers shared by the screens and the API. Every one starts from ``ledger.access``;
each returns in a fixed number of queries, whatever the number of measures."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from zhenggai.ledger import access
from zhenggai.ledger.models import (
    Aspect,
    AuditEvent,
    Inspection,
    Measure,
    MeasureStatus,
    Problem,
)
from zhenggai.web.lights import DONE_STATUSES, DUE_SOON_DAYS

OPEN_STATUSES = [s for s in MeasureStatus.values if s not in DONE_STATUSES]
OVERDUE_LIST_LIMIT = 50
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
    measures = Measure.objects.select_related("owner").order_by("no", "id")
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
    soon = on + dt.timedelta(days=DUE_SOON_DAYS)
    still_open = Q(status__in=OPEN_STATUSES)
    lights = measures.order_by().aggregate(
        red=Count("id", filter=still_open & Q(deadline__lt=on)),
        yellow=Count("id", filter=still_open & Q(deadline__gte=on, deadline__lte=soon)),
        total=Count("id"),
    )
    lights["green"] = lights["total"] - lights["red"] - lights["yellow"]
    overdue = measures.filter(still_open, deadline__lt=on).order_by("deadline", "id")
    return {
        "by_status": [(s, label, by_status.get(s, 0)) for s, label in MeasureStatus.choices],
        "lights": lights,
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
