"""The measure filters of the tree and the lists, read from the URL's query string.

``filter_measures`` narrows a queryset and returns a queryset, so a list applies it before
paginating and a page link keeps the filters (``query_string``). The light is computed by
``supervision.deadlines.light`` from each row's status and dates (one query of four columns);
the other filters are SQL (``planning.lists.filter_measures``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import urlencode

from django.db.models import QuerySet
from django.http import HttpRequest

from zhenggai.ledger.models import Inspection, Measure, MeasureKind, MeasureStatus
from zhenggai.planning import lists
from zhenggai.supervision.deadlines import LIGHT_LABELS, Rules, light

# status, light, owner, department, kind, aspect, and for lists that span inspections:
TREE_FILTERS = lists.FILTERS
MEASURE_FILTERS = (*TREE_FILTERS, "unit", "inspection")


def params_of(request: HttpRequest, names: Iterable[str] = MEASURE_FILTERS) -> dict[str, str]:
    return {name: request.GET.get(name, "").strip() for name in names}


def is_filtered(params: Mapping[str, str]) -> bool:
    return any(params.values())


def query_string(params: Mapping[str, str]) -> str:
    """The filters for a link (pagination, export, the bulk form's return): set ones only."""
    return urlencode({k: v for k, v in params.items() if v})


def filter_measures(
    measures: QuerySet[Measure], params: Mapping[str, str], today: dt.date
) -> QuerySet[Measure]:
    measures = lists.filter_measures(measures, params)
    if (unit := params.get("unit", "")).isdigit():
        measures = measures.filter(inspection__unit_id=int(unit))
    if (inspection := params.get("inspection", "")).isdigit():
        measures = measures.filter(inspection_id=int(inspection))
    if wanted := params.get("light"):
        measures = measures.filter(pk__in=_lit(measures, wanted, today))
    return measures


def _lit(measures: QuerySet[Measure], wanted: str, today: dt.date) -> list[int]:
    rules = Rules.from_settings()
    rows = measures.values_list("pk", "status", "deadline", "inspection__feedback_date")
    return [
        pk
        for pk, status, deadline, start in rows
        if light(status, deadline, today, start=start, rules=rules) == wanted
    ]


def filter_choices(inspection: Inspection | None = None) -> dict[str, Any]:
    """What the filter bar offers (the aspects only within one inspection)."""
    kinds = [("unset", MeasureKind.UNSET.label), *MeasureKind.choices[1:]]  # type: ignore[attr-defined]
    aspects = (
        list(inspection.aspects.order_by("no").values_list("no", "title")) if inspection else []
    )
    return {
        "statuses": MeasureStatus.choices,
        "kinds": kinds,
        "lights": list(LIGHT_LABELS.items()),
        "aspects_choice": aspects,
    }
