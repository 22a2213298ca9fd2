"""Who may see and do what: the only place that scopes reads of the ledger.

Reading. Every role sees the inspections of its scope:
  inspection office, observer   inspections of rounds run in its region or a region below it
  inspection group              inspections made by its group
  unit leader, liaison, owner   inspections of its unit (an owner reads the whole unit ledger)
                                once the feedback is handed over (``handed_over_at``)
  system administrator          nothing (users and organisations only, in the admin)
Anything else does not exist for the user: ``NotFound`` (404), never a hint that it does.
A withdrawn inspection (a wrong import) exists for the office only; withdrawn problems and
measures leave every list (the default managers skip them) and show only in the office's tree.

Writing. Who may do what to a measure of an inspection the user can see:
  unit work (edit, evidence, progress, extension request)   unit leader, liaison; an owner
                                                             only on measures they own
  submit for close-out                                       unit leader, liaison
  verify, close out, return, reopen, decide an extension     inspection office of the region,
                                                             unless the user is also a member
                                                             of the measure's unit
  inspection, aspects, problems (the feedback)               inspection group before hand-over,
                                                             office
  hand over the feedback                                     inspection group, office
  measures, cause analysis (the plan)                        unit leader, liaison; group, office
  confidential marking, withdrawing a whole inspection      office
A user who may read but not do the action gets ``PermissionDenied`` (403). Once the plan is
approved (``plan_frozen``) its edits go through a change request instead.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import reduce
from operator import or_
from typing import Any, TypeVar

from django.db.models import Model, Q, QuerySet

from zhenggai.ledger.errors import NotFound, PermissionDenied
from zhenggai.ledger.models import (
    Aspect,
    DeadlineExtension,
    Evidence,
    Inspection,
    InspectionGroup,
    InspectionRound,
    Measure,
    Membership,
    Problem,
    Region,
    Role,
    Unit,
)

M = TypeVar("M", bound=Model)


@dataclass(frozen=True)
class Scope:
    """A user's memberships, resolved to ids (regions include the regions below them)."""

    user_id: int | None
    office_regions: frozenset[int] = field(default_factory=frozenset)
    observer_regions: frozenset[int] = field(default_factory=frozenset)
    groups: frozenset[int] = field(default_factory=frozenset)
    leader_units: frozenset[int] = field(default_factory=frozenset)
    liaison_units: frozenset[int] = field(default_factory=frozenset)
    owner_units: frozenset[int] = field(default_factory=frozenset)
    sysadmin: bool = False

    @property
    def units(self) -> frozenset[int]:
        return self.leader_units | self.liaison_units | self.owner_units

    @property
    def read_regions(self) -> frozenset[int]:
        return self.office_regions | self.observer_regions


# Scopes resolved during the current web request, by user id (see ``request_scope_cache``).
_request_scopes: ContextVar[dict[int, Scope] | None] = ContextVar("scopes", default=None)


@contextmanager
def request_scope_cache() -> Iterator[None]:
    """Resolve each user's scope once for the duration of the block — one web request
    (``zhenggai.ledger.middleware``): a page asks several times (the ledger, the reminders
    bell, the buttons) and memberships do not change in between. Outside such a block every
    call resolves afresh, so scripts and tests that change memberships see the change."""
    token = _request_scopes.set({})
    try:
        yield
    finally:
        _request_scopes.reset(token)


def scope_of(user: Any) -> Scope:
    """Resolve the user's memberships (one query, plus one per region-tree level)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Scope(None)
    cache = _request_scopes.get()
    if cache is None:
        return _resolve(user)
    if user.pk not in cache:
        cache[user.pk] = _resolve(user)
    return cache[user.pk]


def _resolve(user: Any) -> Scope:
    by_role: dict[str, set[int]] = {role: set() for role in Role.values}
    rows = Membership.objects.filter(user=user).values_list(
        "role", "region_id", "unit_id", "group_id"
    )
    for role, region_id, unit_id, group_id in rows:
        by_role[role].add(region_id or unit_id or group_id or 0)
    return Scope(
        user_id=user.pk,
        office_regions=_regions(by_role[Role.OFFICE]),
        observer_regions=_regions(by_role[Role.OBSERVER]),
        groups=frozenset(by_role[Role.GROUP]),
        leader_units=frozenset(by_role[Role.UNIT_LEADER]),
        liaison_units=frozenset(by_role[Role.LIAISON]),
        owner_units=frozenset(by_role[Role.OWNER]),
        sysadmin=bool(by_role[Role.SYSADMIN]),
    )


def _regions(ids: set[int]) -> frozenset[int]:
    return frozenset(Region.with_descendants(ids)) if ids else frozenset()


def _inspection_q(scope: Scope, prefix: str = "") -> Q | None:
    """The filter for inspections the scope may read, from a model ``prefix`` away."""
    current = Q(**{f"{prefix}withdrawn_at__isnull": True})
    parts = []
    if scope.office_regions:
        parts.append(Q(**{f"{prefix}round__region_id__in": scope.office_regions}))
    if scope.observer_regions:
        parts.append(Q(**{f"{prefix}round__region_id__in": scope.observer_regions}) & current)
    if scope.groups:
        parts.append(Q(**{f"{prefix}group_id__in": scope.groups}) & current)
    if scope.units:
        handed_over = Q(**{f"{prefix}handed_over_at__isnull": False})
        parts.append(Q(**{f"{prefix}unit_id__in": scope.units}) & current & handed_over)
    return reduce(or_, parts) if parts else None


def _scoped(queryset: QuerySet[M], user: Any, prefix: str) -> QuerySet[M]:
    q = _inspection_q(scope_of(user), prefix)
    return queryset.filter(q) if q is not None else queryset.none()


# --- reading -------------------------------------------------------------------------------


def inspections_for(user: Any) -> QuerySet[Inspection]:
    queryset = Inspection.objects.select_related("round", "group", "unit")
    return _scoped(queryset, user, "")


def problems_for(user: Any, *, withdrawn: bool = False) -> QuerySet[Problem]:
    """Problems the user may read, in inspections not withdrawn (``withdrawn``: the withdrawn
    problems too, for the office's tree and restoring)."""
    queryset = Problem.all_objects.select_related("aspect__inspection").filter(
        aspect__inspection__withdrawn_at__isnull=True
    )
    queryset = queryset.filter(_current_q(user, withdrawn, "aspect__inspection__"))
    return _scoped(queryset, user, "aspect__inspection__")


def _current_q(user: Any, withdrawn: bool, prefix: str) -> Q:
    """Rows not withdrawn; with ``withdrawn``, also the withdrawn rows of inspections of the
    user's office (nobody else may know of them)."""
    current = Q(withdrawn_at__isnull=True)
    if not withdrawn:
        return current
    office = scope_of(user).office_regions
    return current | Q(**{f"{prefix}round__region_id__in": office}) if office else current


def measures_for(user: Any, *, withdrawn: bool = False) -> QuerySet[Measure]:
    """Measures the user may read, with what a ledger row shows already joined; never those
    of a withdrawn inspection (they count nowhere)."""
    queryset = Measure.all_objects.select_related(
        "inspection__round", "inspection__unit", "problem__aspect", "owner"
    ).filter(inspection__withdrawn_at__isnull=True)
    queryset = queryset.filter(_current_q(user, withdrawn, "inspection__"))
    return _scoped(queryset, user, "inspection__")


def get_one(queryset: QuerySet[M], pk: Any) -> M:
    """The object ``pk`` of an already scoped queryset; ``NotFound`` if it is not there or
    ``pk`` is not a number (the one way every ``get_…_for`` fetches by id)."""
    try:
        found = queryset.filter(pk=int(pk)).first()
    except (TypeError, ValueError):
        found = None
    if found is None:
        raise NotFound()
    return found


def get_inspection_for(user: Any, pk: Any) -> Inspection:
    return get_one(inspections_for(user), pk)


def get_aspect_for(user: Any, pk: Any) -> Aspect:
    queryset = Aspect.objects.select_related("inspection__round")
    return get_one(_scoped(queryset, user, "inspection__"), pk)


def get_problem_for(user: Any, pk: Any, *, withdrawn: bool = False) -> Problem:
    queryset = problems_for(user, withdrawn=withdrawn)
    return get_one(queryset.select_related("aspect__inspection__round"), pk)


def get_measure_for(user: Any, pk: Any, *, withdrawn: bool = False) -> Measure:
    return get_one(measures_for(user, withdrawn=withdrawn), pk)


def get_evidence_for(user: Any, pk: Any) -> Evidence:
    queryset = Evidence.objects.select_related("measure__inspection__round")
    return get_one(_scoped(queryset, user, "measure__inspection__"), pk)


def extensions_for(user: Any) -> QuerySet[DeadlineExtension]:
    """Extension requests on measures the user may read (scoped by ``access.measures_for``)."""
    return DeadlineExtension.objects.filter(measure__in=measures_for(user)).select_related(
        "measure__inspection__round", "measure__inspection__unit", "requested_by", "decided_by"
    )


def get_extension_for(user: Any, pk: Any) -> DeadlineExtension:
    return get_one(extensions_for(user), pk)


# --- deciding ------------------------------------------------------------------------------


def _readable(scope: Scope, inspection: Inspection) -> bool:
    """The same rule as ``_inspection_q``, for one inspection already loaded."""
    if inspection.round.region_id in scope.office_regions:
        return True
    if inspection.withdrawn_at is not None:
        return False
    return (
        (inspection.unit_id in scope.units and inspection.handed_over_at is not None)
        or inspection.group_id in scope.groups
        or inspection.round.region_id in scope.observer_regions
    )


def can_read(user: Any, obj: Inspection | Measure) -> bool:
    return _readable(scope_of(user), _inspection_of(obj))


def _inspection_of(obj: Inspection | Measure) -> Inspection:
    return obj if isinstance(obj, Inspection) else obj.inspection


def may_work_on(scope: Scope, measure: Measure) -> bool:
    """Unit work: edit, evidence, progress notes, extension requests."""
    unit_id = measure.inspection.unit_id
    if unit_id in scope.leader_units or unit_id in scope.liaison_units:
        return True
    return unit_id in scope.owner_units and measure.owner_id == scope.user_id


def may_submit(scope: Scope, measure: Measure) -> bool:
    """Submission is the unit's word to the office: its leader or liaison gives it."""
    unit_id = measure.inspection.unit_id
    return unit_id in scope.leader_units or unit_id in scope.liaison_units


def may_decide(scope: Scope, measure: Measure) -> bool:
    """Verification and the office's other decisions. Nobody decides on their own unit's work,
    whatever other roles they hold."""
    inspection = measure.inspection
    return (
        inspection.round.region_id in scope.office_regions and inspection.unit_id not in scope.units
    )


def _is_office(scope: Scope, inspection: Inspection) -> bool:
    return inspection.round.region_id in scope.office_regions


def is_group_or_office(scope: Scope, inspection: Inspection) -> bool:
    """The inspection's own group or the office: who made the feedback (and may run the
    look-back matching on it), whether or not it is handed over."""
    return inspection.group_id in scope.groups or _is_office(scope, inspection)


def may_edit_inspection(scope: Scope, inspection: Inspection) -> bool:
    """The feedback (inspection, aspects, problems) is entered by the group or the office;
    once handed over to the unit, only the office corrects it."""
    own_group = inspection.group_id in scope.groups and inspection.handed_over_at is None
    return own_group or _is_office(scope, inspection)


def may_hand_over(scope: Scope, inspection: Inspection) -> bool:
    """The group (or office) hands its checked feedback to the unit, once."""
    return inspection.handed_over_at is None and may_edit_inspection(scope, inspection)


def may_mark_confidential(scope: Scope, inspection: Inspection) -> bool:
    """不予公开 is the office's decision, never the unit's about itself."""
    return _is_office(scope, inspection) and inspection.unit_id not in scope.units


def may_withdraw_inspection(scope: Scope, inspection: Inspection) -> bool:
    """Withdrawing (or restoring) a whole inspection, e.g. a notice imported into the wrong
    unit: the office only."""
    return _is_office(scope, inspection)


def may_see_leads(scope: Scope, inspection: Inspection) -> bool:
    """The count of 移交问题线索 is never shown to the unit."""
    return inspection.group_id in scope.groups or inspection.round.region_id in scope.read_regions


def plan_frozen(inspection: Inspection) -> bool:
    """Whether the unit's plan is approved, so that edits of the feedback and the plan must go
    through a change request. The plan engineer fills this (the Plan model is theirs); until
    then nothing is frozen."""
    return False


def reports_submitted(inspection: Inspection) -> bool:
    """Whether the 整改情况报告 is submitted: the report deadline is met. Nothing records it
    yet (the integrator wires it to whoever adds the report's submission); never met."""
    return False


def plan_submitted(inspection: Inspection) -> bool:
    """Whether the unit has submitted its 整改方案: the statutory plan deadline is met. The
    plan engineer fills this (their Plan's submission); until then it is never met."""
    return False


def may_plan(scope: Scope, inspection: Inspection) -> bool:
    """The plan (measures, cause analysis) is the unit's; the group and office may enter it."""
    unit_id = inspection.unit_id
    own_unit = unit_id in scope.leader_units or unit_id in scope.liaison_units
    return own_unit or is_group_or_office(scope, inspection)


def may_create_inspection(
    scope: Scope, round: InspectionRound, group: InspectionGroup, unit: Unit
) -> bool:
    return round.region_id in scope.office_regions or group.pk in scope.groups


def import_choices(
    user: Any,
) -> tuple[QuerySet[Unit], QuerySet[InspectionRound], QuerySet[InspectionGroup]]:
    """Units, rounds and groups a notice may be imported for, as ``access.may_create_inspection``
    decides: an office for its regions, a group for its own region (the group and the round
    must share a region, the unit may be anywhere below it)."""
    scope = scope_of(user)
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


def may_download_reports(scope: Scope, inspection: Inspection) -> bool:
    """The reports and the catalogue: the unit's leader and liaison, the group, the office and
    the observers — not a measure's owner (the reports show confidential problems)."""
    unit_id = inspection.unit_id
    return (
        unit_id in scope.leader_units
        or unit_id in scope.liaison_units
        or inspection.group_id in scope.groups
        or inspection.round.region_id in scope.read_regions
    )


def can_write(user: Any, obj: Inspection | Measure) -> bool:
    """Whether the user may change the object in some way (for showing edit controls)."""
    scope = scope_of(user)
    if isinstance(obj, Inspection):
        return may_plan(scope, obj)
    return may_work_on(scope, obj) or may_decide(scope, obj)


def require(scope: Scope, inspection: Inspection, allowed: bool) -> None:
    """Raise ``NotFound`` when the user may not even read, ``PermissionDenied`` when they may
    read but ``allowed`` is false."""
    if not _readable(scope, inspection):
        raise NotFound()
    if not allowed:
        raise PermissionDenied()
