"""The dashboard's figures: counts by unit and by aspect, overdue aging, close-outs per month
and the at-risk list, for what the user may see (``ledger.access``) narrowed by the filters.

Every figure is aggregated in the database; the whole dashboard takes a fixed number of
queries whatever the size of the ledger (tests/web/test_query_counts.py). The page, its chart
data and the Excel export are all written from one ``Dashboard``, so they cannot disagree.

No new rules here: lights are ``supervision.lights`` (the one rule of ``supervision.deadlines``),
"done" is its ``DONE_STATUSES``, and overdue days are ``reports.ledger.overdue_days`` (a measure
already submitted to the office is not overdue for the unit, as in the 整改情况报告).
"""

from __future__ import annotations

import datetime as dt
import io
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any
from urllib.parse import urlencode

from django.db.models import Count, DateField, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext as _

from zhenggai.ledger import access
from zhenggai.ledger.models import Decision, DecisionKind, Measure, MeasureStatus
from zhenggai.notice.numerals import int_to_cn
from zhenggai.reports.ledger import SETTLED_MEASURES, overdue_days
from zhenggai.supervision.lights import light_counts, with_light
from zhenggai.web.lights import DONE_STATUSES, LIGHT_LABELS, RED, YELLOW

FILTER_KEYS = ("round", "unit", "inspection")

AT_RISK_LIMIT = 100
# Overdue aging buckets, in days past the deadline (``overdue_days``): (first, last or None).
AGING_BUCKETS: tuple[tuple[int, int | None], ...] = ((1, 30), (31, 90), (91, None))


# --- filters -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    """The GET parameters that narrow the dashboard: ids, or ``None`` for "all". A value that
    is not a whole number makes the filter ``malformed`` (an empty view, never an error)."""

    round: int | None = None
    unit: int | None = None
    inspection: int | None = None
    malformed: bool = False

    @classmethod
    def from_query(cls, query: Mapping[str, Any]) -> Filters:
        values: dict[str, int | None] = {}
        malformed = False
        for key in FILTER_KEYS:
            raw = str(query.get(key, "") or "").strip()
            if raw.isascii() and raw.isdigit() and len(raw) <= 18:
                values[key] = int(raw)
            else:
                values[key] = None
                malformed = malformed or bool(raw)
        return cls(**values, malformed=malformed)

    @property
    def active(self) -> bool:
        return self.malformed or any(getattr(self, key) is not None for key in FILTER_KEYS)

    def query_string(self) -> str:
        """The filters as a query string (for the export link), empty when none is set."""
        pairs = [(key, getattr(self, key)) for key in FILTER_KEYS if getattr(self, key) is not None]
        return urlencode(pairs)


@dataclass(frozen=True)
class Choice:
    value: int
    label: str


@dataclass(frozen=True)
class InspectionChoice:
    """One inspection the user may read, with what the filters and labels need."""

    value: int
    round: Choice
    unit: Choice
    feedback_date: dt.date | None

    @property
    def label(self) -> str:
        return f"{self.round.label} · {self.unit.label}"


@dataclass(frozen=True)
class Options:
    """What the filter lists offer: only the user's own scope, so no name of another unit or
    round can appear, whatever is asked for."""

    inspections: list[InspectionChoice]

    @cached_property
    def rounds(self) -> list[Choice]:
        return sorted({i.round for i in self.inspections}, key=lambda c: (c.label, c.value))

    @cached_property
    def units(self) -> list[Choice]:
        return sorted({i.unit for i in self.inspections}, key=lambda c: (c.label, c.value))

    def allows(self, filters: Filters) -> bool:
        """Every chosen id is one the user may see (else the view is empty: never a leak)."""
        if filters.malformed:
            return False
        return all(
            getattr(filters, key) is None or getattr(filters, key) in self._ids[key]
            for key in FILTER_KEYS
        )

    @cached_property
    def _ids(self) -> dict[str, set[int]]:
        return {
            "round": {c.value for c in self.rounds},
            "unit": {c.value for c in self.units},
            "inspection": {i.value for i in self.inspections},
        }

    def selected(self, filters: Filters) -> list[InspectionChoice]:
        """The inspections the filters leave in view."""
        if not self.allows(filters):
            return []
        return [
            i
            for i in self.inspections
            if filters.round in (None, i.round.value)
            and filters.unit in (None, i.unit.value)
            and filters.inspection in (None, i.value)
        ]

    def describe(self, filters: Filters) -> str:
        """The filters in words, for captions: 轮次：…；单位：…."""
        if not self.allows(filters):
            return _("所选范围不存在或无权查看")
        names = {
            "round": (_("轮次"), {c.value: c.label for c in self.rounds}),
            "unit": (_("单位"), {c.value: c.label for c in self.units}),
            "inspection": (_("巡察"), {i.value: i.label for i in self.inspections}),
        }
        parts = [
            f"{names[key][0]}：{names[key][1][getattr(filters, key)]}"
            for key in FILTER_KEYS
            if getattr(filters, key) is not None
        ]
        return "；".join(parts) or _("全部")


def options_for(user: Any) -> Options:
    """The inspections the user may read, in one query."""
    rows = (
        access.inspections_for(user)
        .order_by("round__name", "unit__name", "id")
        .values_list(
            "id",
            "round_id",
            "round__name",
            "unit_id",
            "unit__name",
            "unit__short_name",
            "feedback_date",
        )
    )
    return Options(
        [
            InspectionChoice(
                value=pk,
                round=Choice(round_id, str(round_name)),
                unit=Choice(unit_id, str(short_name or unit_name)),
                feedback_date=feedback,
            )
            for pk, round_id, round_name, unit_id, unit_name, short_name, feedback in rows
        ]
    )


def _narrow(measures: QuerySet[Measure], options: Options, filters: Filters) -> QuerySet[Measure]:
    if not options.allows(filters):
        return measures.none()
    lookups = {"round": "inspection__round_id", "unit": "inspection__unit_id"}
    lookups["inspection"] = "inspection_id"
    chosen = {
        lookups[k]: getattr(filters, k) for k in FILTER_KEYS if getattr(filters, k) is not None
    }
    return measures.filter(**chosen)


# --- the figures ---------------------------------------------------------------------------


def statuses() -> list[tuple[str, str]]:
    """(value, label) of every measure status, in the order of the charts' segments and the
    tables' columns; labels in the active language."""
    return [(s, str(label)) for s, label in MeasureStatus.choices]


@dataclass(frozen=True)
class StatusRow:
    """One bar of a completion chart: measures by status, in ``MeasureStatus`` order."""

    label: str
    counts: tuple[int, ...]
    # The axis's label where the full one would be cut to the same prefix as its neighbours.
    short: str = ""

    @property
    def total(self) -> int:
        return sum(self.counts)

    @property
    def done(self) -> int:
        pairs = zip(MeasureStatus.values, self.counts, strict=True)
        return sum(n for status, n in pairs if status in DONE_STATUSES)

    @property
    def rate(self) -> float:
        """Per cent done (已销号 and 阶段性完成), one decimal."""
        return round(100 * self.done / self.total, 1) if self.total else 0.0


@dataclass(frozen=True)
class AgingRow:
    label: str
    count: int


@dataclass(frozen=True)
class MonthRow:
    month: dt.date  # the first of the month
    closed: int
    cumulative: int
    total: int

    @property
    def label(self) -> str:
        return f"{self.month:%Y-%m}"

    @property
    def rate(self) -> float:
        return round(100 * self.cumulative / self.total, 1) if self.total else 0.0


@dataclass(frozen=True)
class RiskRow:
    light: str
    measure: Measure
    overdue_days: int

    @property
    def light_label(self) -> str:
        return _(LIGHT_LABELS[self.light])  # the msgids are marked in templatetags/zhenggai_web


@dataclass
class Dashboard:
    today: dt.date
    filters: Filters
    options: Options
    by_unit: list[StatusRow] = field(default_factory=list)
    by_aspect: list[StatusRow] = field(default_factory=list)
    aging: list[AgingRow] = field(default_factory=list)
    progress: list[MonthRow] = field(default_factory=list)
    at_risk: list[RiskRow] = field(default_factory=list)
    lights: dict[str, int] = field(default_factory=dict)

    @property
    def in_scope(self) -> bool:
        return self.options.allows(self.filters)

    @property
    def scope_label(self) -> str:
        return self.options.describe(self.filters)

    @property
    def by_status(self) -> list[tuple[str, str, int]]:
        """The status cards: the sum of the by-unit rows (no query of their own)."""
        totals = [
            sum(row.counts[i] for row in self.by_unit) for i in range(len(MeasureStatus.values))
        ]
        return [(s, label, n) for (s, label), n in zip(statuses(), totals, strict=True)]

    @property
    def total(self) -> int:
        return sum(row.total for row in self.by_unit)

    @property
    def at_risk_total(self) -> int:
        return self.lights.get(RED, 0) + self.lights.get(YELLOW, 0)

    def chart_data(self) -> dict[str, Any]:
        """What ``dashboard.js`` draws (``json_script``), labels included, so the script has
        no text of its own to translate."""
        return {
            "statuses": [{"key": s, "label": label} for s, label in statuses()],
            "units": _status_chart(self.by_unit),
            "aspects": _status_chart(self.by_aspect),
            "aging": {"labels": [r.label for r in self.aging], "values": _counts(self.aging)},
            "progress": {
                "months": [r.label for r in self.progress],
                "closed": [r.closed for r in self.progress],
                "cumulative": [r.cumulative for r in self.progress],
                "total": [r.total for r in self.progress],
            },
            "text": {
                "measures": _("整改措施（项）"),
                "closed": _("当月销号"),
                "cumulative": _("累计销号"),
                "total": _("整改措施总数"),
                "overdue": _("逾期措施（项）"),
            },
        }


def _status_chart(rows: list[StatusRow]) -> dict[str, Any]:
    return {
        "labels": [r.label for r in rows],
        "short": [r.short or r.label for r in rows],
        "counts": [list(r.counts) for r in rows],
    }


def _counts(rows: Iterable[AgingRow]) -> list[int]:
    return [r.count for r in rows]


def dashboard(user: Any, filters: Filters, today: dt.date) -> Dashboard:
    """Everything the dashboard shows, for ``user`` narrowed by ``filters``."""
    options = options_for(user)
    board = Dashboard(today=today, filters=filters, options=options)
    measures = _narrow(access.measures_for(user), options, filters)
    board.lights = light_counts(measures, today)
    board.by_unit = by_unit(measures, options)
    board.by_aspect = by_aspect(measures, options)
    board.aging = aging(measures, today)
    board.progress = progress(measures, options.selected(filters), board.total, today)
    board.at_risk = at_risk(measures, today)
    return board


def _status_rows(
    found: Mapping[Any, Mapping[str, int]], labels: Mapping[Any, str]
) -> list[StatusRow]:
    return [
        StatusRow(label, tuple(found[key].get(s, 0) for s in MeasureStatus.values))
        for key, label in labels.items()
        if key in found
    ]


def by_unit(measures: QuerySet[Measure], options: Options) -> list[StatusRow]:
    """Measures by unit and status (one query); units in the order of the filter list."""
    rows = (
        measures.order_by()
        .values_list("inspection__unit_id", "status")
        .annotate(n=Count("id"))
        .values_list("inspection__unit_id", "status", "n")
    )
    found: dict[int, dict[str, int]] = defaultdict(dict)
    for unit_id, status, n in rows:
        found[unit_id][status] = n
    return _status_rows(found, {c.value: c.label for c in options.units})


def by_aspect(measures: QuerySet[Measure], options: Options) -> list[StatusRow]:
    """Measures by aspect and status (one query). With more than one inspection in view, each
    aspect is prefixed by its inspection, since every notice numbers its own aspects."""
    rows = (
        measures.order_by()
        .values_list("inspection_id", "problem__aspect__no", "problem__aspect__title", "status")
        .annotate(n=Count("id"))
        .values_list(
            "inspection_id", "problem__aspect__no", "problem__aspect__title", "status", "n"
        )
    )
    found: dict[tuple[int, int], dict[str, int]] = defaultdict(dict)
    titles: dict[tuple[int, int], str] = {}
    for inspection_id, no, title, status, n in rows:
        found[(inspection_id, no)][status] = n
        titles[(inspection_id, no)] = f"{int_to_cn(no)}、{title}"
    names = {i.value: i.label for i in options.inspections}
    several = len({key[0] for key in found}) > 1
    order = {pk: index for index, pk in enumerate(names)}
    keys = sorted(found, key=lambda k: (order.get(k[0], len(order)), k[1]))
    if not several:
        return _status_rows(found, {key: titles[key] for key in keys})
    labels = {key: f"{names.get(key[0], '')}：{titles[key]}" for key in keys}
    in_view = {key[0] for key in keys}
    tags = distinct_parts([i for i in options.inspections if i.value in in_view])
    rows = _status_rows(found, labels)
    shorts = [f"{tags.get(key[0], '')}·{titles[key]}" for key in keys]
    return [replace(row, short=short) for row, short in zip(rows, shorts, strict=True)]


def distinct_parts(inspections: Sequence[InspectionChoice]) -> dict[int, str]:
    """What tells the inspections in view apart: the unit when they are of one round, the
    round when they are of one unit, else both. Every label begins with the round, so cut to
    the axis's width they would all read the same."""
    one_round = len({i.round for i in inspections}) == 1
    one_unit = len({i.unit for i in inspections}) == 1
    if one_round and not one_unit:
        return {i.value: i.unit.label for i in inspections}
    if one_unit and not one_round:
        return {i.value: i.round.label for i in inspections}
    return {i.value: f"{i.unit.label} · {i.round.label}" for i in inspections}


def aging(measures: QuerySet[Measure], today: dt.date) -> list[AgingRow]:
    """Open measures by days overdue, as ``overdue_days`` counts them, in one query."""
    overdue = measures.filter(deadline__lt=today).exclude(status__in=SETTLED_MEASURES)
    counts = {}
    for index, (first, last) in enumerate(AGING_BUCKETS):
        within = Q(deadline__lte=today - dt.timedelta(days=first))
        if last is not None:
            within &= Q(deadline__gte=today - dt.timedelta(days=last))
        counts[f"b{index}"] = Count("id", filter=within)
    found = overdue.order_by().aggregate(**counts)
    return [
        AgingRow(_aging_label(first, last), found[f"b{index}"] or 0)
        for index, (first, last) in enumerate(AGING_BUCKETS)
    ]


def _aging_label(first: int, last: int | None) -> str:
    if first <= 1 and last is not None:
        return _("逾期%(last)d天以内") % {"last": last}
    if last is None:
        return _("逾期%(first)d天以上") % {"first": first - 1}
    return _("逾期%(first)d至%(last)d天") % {"first": first, "last": last}


def progress(
    measures: QuerySet[Measure],
    inspections: list[InspectionChoice],
    total: int,
    today: dt.date,
) -> list[MonthRow]:
    """Close-outs per month (local time), cumulative, against the total: for each measure that
    is 已销号 now, its latest 验收销号 decision (a measure reopened and closed again counts
    once, so the last cumulative figure equals the 已销号 count). Months run from the earliest
    feedback (or close-out) to this month. One query."""
    if not total:
        return []
    later = Decision.objects.filter(
        measure=OuterRef("measure"), kind=DecisionKind.CLOSE_OUT
    ).filter(Q(at__gt=OuterRef("at")) | Q(at=OuterRef("at"), id__gt=OuterRef("id")))
    closed_now = measures.filter(status=MeasureStatus.CLOSED).order_by().values("pk")
    rows = (
        Decision.objects.filter(kind=DecisionKind.CLOSE_OUT, measure__in=closed_now)
        .filter(~Exists(later))
        .annotate(month=TruncMonth("at", output_field=DateField()))
        .order_by()
        .values_list("month")
        .annotate(n=Count("id"))
        .values_list("month", "n")
    )
    per_month = {_month(month): n for month, n in rows}
    starts = [_month(i.feedback_date) for i in inspections if i.feedback_date]
    first = min([*starts, *per_month], default=None)
    if first is None:
        return []
    result, cumulative = [], 0
    for month in _months(first, _month(today)):
        cumulative += per_month.get(month, 0)
        result.append(MonthRow(month, per_month.get(month, 0), cumulative, total))
    return result


def _month(day: dt.date) -> dt.date:
    if isinstance(day, dt.datetime):  # a backend that hands back the truncated datetime
        day = day.date()
    return day.replace(day=1)


def _months(first: dt.date, last: dt.date) -> list[dt.date]:
    months = []
    while first <= last:
        months.append(first)
        first = (first + dt.timedelta(days=32)).replace(day=1)
    return months


def at_risk(measures: QuerySet[Measure], today: dt.date) -> list[RiskRow]:
    """Red then yellow measures, worst first (most overdue, then due soonest), at most
    ``AT_RISK_LIMIT``; two queries."""
    rows = []
    for colour in (RED, YELLOW):
        found = with_light(measures, today, colour).order_by("deadline", "id")[:AT_RISK_LIMIT]
        rows += [RiskRow(colour, m, overdue_days(m, today)) for m in found]
    return rows[:AT_RISK_LIMIT]


# --- the export ----------------------------------------------------------------------------


def sheets(board: Dashboard) -> list[tuple[str, list[str], list[list[Any]]]]:
    """(sheet name, header, rows): the figures of each chart and table, as on the page."""
    status_header = [label for _s, label in statuses()]
    unit_rows = [[r.label, *r.counts, r.total, r.done, r.rate] for r in board.by_unit]
    aspect_rows = [[r.label, *r.counts, r.total, r.done, r.rate] for r in board.by_aspect]
    tail = [_("合计"), _("已完成"), _("完成率（%）")]
    return [
        (_("按单位"), [_("被巡察单位"), *status_header, *tail], unit_rows),
        (_("按方面"), [_("方面"), *status_header, *tail], aspect_rows),
        (
            _("逾期账龄"),
            [_("逾期时长"), _("整改措施（项）")],
            [[r.label, r.count] for r in board.aging],
        ),
        (
            _("整改进度"),
            [_("月份"), _("当月销号"), _("累计销号"), _("整改措施总数"), _("累计销号率（%）")],
            [[r.label, r.closed, r.cumulative, r.total, r.rate] for r in board.progress],
        ),
        (
            _("风险清单"),
            [
                _("灯"),
                _("被巡察单位"),
                _("整改措施"),
                _("责任人"),
                _("完成时限"),
                _("逾期天数"),
                _("状态"),
            ],
            [_risk_row(r) for r in board.at_risk],
        ),
    ]


def _risk_row(row: RiskRow) -> list[Any]:
    m = row.measure
    return [
        row.light_label,
        str(m.inspection.unit),
        m.content,
        m.responsible_person,
        m.deadline.isoformat() if m.deadline else "",
        row.overdue_days,
        m.get_status_display(),
    ]


def workbook(board: Dashboard) -> bytes:
    """The dashboard as .xlsx: one sheet per chart or table; row 1 says the scope and the
    day, row 2 is the header, the figures follow."""
    from zhenggai.xlsxtext import workbook as text_workbook

    buffer = io.BytesIO()
    # Text stays text: a measure beginning with "=" is not a formula, nor "http…" a link.
    book = text_workbook(buffer, in_memory=True)
    bold = book.add_format({"bold": True, "bg_color": "#F0ECE4", "border": 1})
    caption = _("统计范围：%(scope)s；统计日期：%(day)s") % {
        "scope": board.scope_label,
        "day": board.today.isoformat(),
    }
    for name, header, rows in sheets(board):
        sheet = book.add_worksheet(name)
        sheet.write(0, 0, caption)
        sheet.write_row(1, 0, header, bold)
        for index, row in enumerate(rows, 2):
            sheet.write_row(index, 0, row)
        sheet.set_column(0, 0, 40)
        sheet.set_column(1, len(header), 12)
    book.close()
    return buffer.getvalue()
