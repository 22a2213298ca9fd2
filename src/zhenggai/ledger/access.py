"""Who may see and do what: the only place that scopes reads of the ledger.

Reading. Every role sees the inspections of its scope:
  inspection office, observer   inspections of rounds run in its region or a region below it
  inspection group              inspections made by its group
  unit leader, liaison, owner   inspections of its unit (an owner reads the whole unit ledger)
                                once the feedback is handed over (``handed_over_at``)
  system, security and audit    nothing (三员: accounts, grants, organisations and the audit
  administrators                trail only, in the admin — see "Administration" below)
Anything else does not exist for the user: ``NotFound`` (404), never a hint that it does.
A withdrawn inspection (a wrong import) exists for the office only; withdrawn problems and
measures leave every list (the default managers skip them) and show only in the office's tree.

Confidential problems (``Problem.confidential``, 不予公开). Inside the unit a confidential
problem is read only by its leader, its liaison and the owners of its measures; the group,
the office and the observers read it as everything else of the inspection. For any other
owner of the unit the problem and its measures (and their evidence, extensions, reminders,
look-back links) do not exist: ``problems_for``/``measures_for`` leave them out, so the tree,
the measure page (404), search, the Excel ledger, the API, the dashboard and the reminders
never show them — not masked, absent. The measure counts on the inspection list still
include them (a number, no title); the dashboard counts only what the user reads. The
predicate is ``may_read_problem``; the filter ``_hidden_q``.

Writing. Who may do what to a measure of an inspection the user can see:
  unit work (edit, evidence, progress, extension request)   unit leader, liaison; an owner
                                                             only on measures they own
  submit for close-out                                       unit leader, liaison
  answer a 督办单                                            unit leader, liaison
  verify, close out, return, reopen, decide an extension,    inspection office of the region,
  close or return a 督办单's answer                          unless the user is also a member
                                                             of the measure's unit
  inspection, aspects, problems (the feedback)               inspection group before hand-over,
                                                             office
  hand over the feedback                                     inspection group, office
  measures, cause analysis (the plan)                        unit leader, liaison; group, office
  confidential marking, withdrawing a whole inspection      office

群众监督意见 (``zhenggai.opinions``; they carry the sender's name and contact):
  read                                  unit leader, liaison; group, office, observers — not
                                        a measure's owner
  register one received by phone/letter unit liaison, office
  assign to a problem, out of scope,    unit leader, liaison; office
  answer
  publish the answer, open a measure    inspection office of the region, unless the user is
  or reopen one from an opinion         also a member of the unit (as ``may_decide``)

The plan (整改方案, ``zhenggai.planning``):
  draft (measures, cause analysis)      unit leader, liaison; the group and office may enter it
  submit, request a change              unit leader, liaison
  record an opinion (联审)              inspection office, group, observers — not members of
                                        the inspected unit
  approve, return, decide a change      inspection office of the region, unless the user is
                                        also a member of the unit (as ``may_decide``)
An approved plan is frozen (``plan_frozen``): its measures change through change requests.
A user who may read but not do the action gets ``PermissionDenied`` (403).

Administration (三员, ``zhenggai.ledger.admin``). The three administrator roles hold no scope
and each does only its part: the system administrator organisations and accounts' basic
data; the security administrator grants, activation and password resets of ordinary
accounts; the audit administrator the audit trail. Nobody grants themselves anything, an
administrator role is held alone, nobody reaches a superuser (command line only) and
``is_staff`` follows the grants (``admin_roles_of``, ``may_change_account``,
``may_set_password``, ``grant_refusal`` below).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import reduce
from operator import or_
from typing import Any, TypeVar

from django.db.models import Exists, Model, OuterRef, Q, QuerySet
from django.utils.translation import gettext

from zhenggai.ledger.errors import InvalidTransition, NotFound, PermissionDenied
from zhenggai.ledger.models import (
    ADMIN_ROLES,
    EDITABLE_STATUSES,
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
from zhenggai.opinions.models import Opinion
from zhenggai.planning.models import ChangeRequest, Plan, PlanStatus, PlanVersion

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
    security_admin: bool = False
    audit_admin: bool = False

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
        security_admin=bool(by_role[Role.SECURITY_ADMIN]),
        audit_admin=bool(by_role[Role.AUDIT_ADMIN]),
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


def _scoped(
    queryset: QuerySet[M], user: Any, prefix: str, problem: str | None = None
) -> QuerySet[M]:
    """``queryset`` narrowed to the inspections the user reads and, when the rows hang from a
    problem (``problem`` is the prefix to it), without the confidential ones hidden from them."""
    scope = scope_of(user)
    q = _inspection_q(scope, prefix)
    if q is None:
        return queryset.none()
    queryset = queryset.filter(q)
    hidden = _hidden_q(scope, prefix, problem) if problem is not None else None
    return queryset.exclude(hidden) if hidden is not None else queryset


def _hidden_q(scope: Scope, inspection: str, problem: str) -> Q | None:
    """The confidential problems the scope may not read although it reads their inspection:
    those of a unit where the user is only an owner, who owns none of the problem's measures
    and reads the inspection through no group, office or observer role (see the docstring)."""
    owner_only = scope.owner_units - scope.leader_units - scope.liaison_units
    if not owner_only:
        return None
    owned = Measure.objects.filter(owner_id=scope.user_id).values("problem_id")
    hidden = Q(**{f"{problem}confidential": True, f"{inspection}unit_id__in": owner_only})
    hidden &= ~Q(**{f"{problem}pk__in": owned})
    if scope.groups:
        hidden &= ~Q(**{f"{inspection}group_id__in": scope.groups})
    if scope.read_regions:
        hidden &= ~Q(**{f"{inspection}round__region_id__in": scope.read_regions})
    return hidden


def hide_confidential(
    queryset: QuerySet[M], user: Any, inspection: str, problem: str
) -> QuerySet[M]:
    """Drop from rows of an inspection the user reads (``inspection`` and ``problem`` are the
    prefixes from the model to those) the confidential problems the user may not read."""
    hidden = _hidden_q(scope_of(user), inspection, problem)
    return queryset.exclude(hidden) if hidden is not None else queryset


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
    return _scoped(queryset, user, "aspect__inspection__", problem="")


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
    return _scoped(queryset, user, "inspection__", problem="problem__")


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
    scoped = _scoped(queryset, user, "measure__inspection__", problem="measure__problem__")
    return get_one(scoped, pk)


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
    scope = scope_of(user)
    if isinstance(obj, Measure):
        return may_read_problem(scope, obj.problem)
    return _readable(scope, obj)


def may_read_problem(scope: Scope, problem: Problem) -> bool:
    """A problem (and its measures) is read by whoever reads its inspection, except a
    confidential one: inside the unit only its leader, its liaison and the owners of its
    measures read that; the group, the office and the observers of course do."""
    inspection = problem.aspect.inspection
    if not _readable(scope, inspection):
        return False
    if not problem.confidential:
        return True
    # Those who read the reports (which show confidential problems), and the problem's owners.
    return (
        may_download_reports(scope, inspection)
        or problem.measures.filter(owner_id=scope.user_id).exists()
    )


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
    return is_deciding_office(scope, measure.inspection.round.region_id, measure.inspection.unit_id)


def may_answer_order(scope: Scope, measure: Measure) -> bool:
    """A 督办单 is answered by the unit that received it: its leader or liaison (the unit's
    word to the office, like a submission)."""
    return may_submit(scope, measure)


def may_review_order(scope: Scope, measure: Measure) -> bool:
    """The office closes an answered 督办单 or returns it: the same office that decides."""
    return may_decide(scope, measure)


def may_edit_document_settings(scope: Scope, inspection: Inspection) -> bool:
    """The 版头 of the unit's documents (organ mark, doc numbers, 签发人): its leader or
    liaison, on the screen of any of the unit's inspections."""
    unit_id = inspection.unit_id
    return unit_id in scope.leader_units or unit_id in scope.liaison_units


def _is_office(scope: Scope, inspection: Inspection) -> bool:
    return inspection.round.region_id in scope.office_regions


def is_deciding_office(scope: Scope, region_id: int, unit_id: int) -> bool:
    """The one rule behind every decision of the office: the inspection office of the region,
    and not a member of the unit (nobody decides on their own unit, whatever other roles they
    hold). ``may_decide``, ``may_mark_confidential``, ``may_approve_plan``, the assessment
    decisions and 约谈 of a unit all read it."""
    return region_id in scope.office_regions and unit_id not in scope.units


def may_read_unit(scope: Scope, unit: Unit) -> bool:
    """A unit (e.g. for a 约谈 of the whole unit): its members, the office and observers of
    its region, and whoever reads one of its inspections."""
    if unit.pk in scope.units or unit.region_id in scope.read_regions:
        return True
    q = _inspection_q(scope)
    return q is not None and Inspection.objects.filter(q, unit=unit).exists()


def _deciding_office(scope: Scope, inspection: Inspection) -> bool:
    return is_deciding_office(scope, inspection.round.region_id, inspection.unit_id)


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
    return _deciding_office(scope, inspection)


def may_withdraw_inspection(scope: Scope, inspection: Inspection) -> bool:
    """Withdrawing (or restoring) a whole inspection, e.g. a notice imported into the wrong
    unit: the office only."""
    return _is_office(scope, inspection)


def may_see_leads(scope: Scope, inspection: Inspection) -> bool:
    """The count of 移交问题线索 is never shown to the unit."""
    return inspection.group_id in scope.groups or inspection.round.region_id in scope.read_regions


def reports_submitted(inspection: Inspection) -> bool:
    """Whether the 整改情况报告 is submitted (``actions.submit_report``): the statutory report
    deadline is met."""
    return inspection.report_submitted_at is not None


def may_submit_report(scope: Scope, inspection: Inspection) -> bool:
    """The report is the unit's word to the inspecting body: its leader or liaison records
    that it was sent, once the feedback is handed over."""
    return inspection.handed_over_at is not None and may_submit_plan(scope, inspection)


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


# --- screens of the ledger (measure page, imports, extensions) -------------------------------


def may_edit_measure(scope: Scope, measure: Measure) -> bool:
    """The edit and evidence forms: unit work on a measure still editable."""
    return measure.status in EDITABLE_STATUSES and may_work_on(scope, measure)


def may_import_ledger(scope: Scope, inspection: Inspection) -> bool:
    """Importing the Excel ledger edits measures, which is unit work: the unit's leader, liaison
    or owners (each row is checked again by ``actions.update_measure``)."""
    return inspection.unit_id in scope.units


def may_import_notices(scope: Scope) -> bool:
    """Only an office or a group enters feedback; others are refused the import screens."""
    return bool(scope.office_regions or scope.groups)


def may_request_extension(scope: Scope, measure: Measure, pending: bool) -> bool:
    """The request form: unit work on an editable measure that has a deadline to move and no
    request open yet."""
    if pending or measure.deadline is None:
        return False
    return may_edit_measure(scope, measure)


def may_decide_extension(scope: Scope, measure: Measure, pending: bool) -> bool:
    return pending and may_decide(scope, measure)


# --- look-back and effectiveness (``zhenggai.assessment``) ----------------------------------


def may_review_inspection(scope: Scope, inspection: Inspection) -> bool:
    """The 审查 screen (``zhenggai.review``): the region's office and observers, the group."""
    return inspection.round.region_id in scope.read_regions or inspection.group_id in scope.groups


def may_assess(scope: Scope, inspection: Inspection) -> bool:
    """Look-back links, verdicts and assessments: the deciding office (``is_deciding_office``)."""
    return _deciding_office(scope, inspection)


def may_read_assessment(scope: Scope, inspection: Inspection) -> bool:
    """The status table and the effectiveness sheet: the office and observers of the region."""
    return inspection.round.region_id in scope.read_regions


def may_match_lookback(scope: Scope, inspection: Inspection) -> bool:
    """Matching a newly imported inspection: whoever imported it (the group or the office)."""
    return is_group_or_office(scope, inspection)


# --- publication (``zhenggai.public``) -------------------------------------------------------


def may_publish(scope: Scope, inspection: Inspection) -> bool:
    """Publishing the 整改情况 online is the unit's leader's word."""
    return inspection.unit_id in scope.leader_units


def may_withdraw_publication(scope: Scope, inspection: Inspection) -> bool:
    """Taking a publication offline: the leader who published, or the office of the region."""
    return may_publish(scope, inspection) or _is_office(scope, inspection)


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


# --- administration (三员) ------------------------------------------------------------------

# What each administrator role may change on an account; nobody changes ``is_staff`` (derived
# from the grants) or ``is_superuser`` (command line only) in the admin.
ACCOUNT_FIELDS: dict[Any, frozenset[str]] = {
    Role.SYSADMIN: frozenset({"username", "first_name", "last_name", "email"}),
    Role.SECURITY_ADMIN: frozenset({"is_active"}),
}


def admin_roles_of(user: Any) -> frozenset[str]:
    """The administrator roles the user may use in the admin: active staff only. A superuser
    (made on the command line, never in the admin) holds all three."""
    if not getattr(user, "is_authenticated", False) or not (user.is_active and user.is_staff):
        return frozenset()
    if user.is_superuser:
        return frozenset(ADMIN_ROLES)
    scope = scope_of(user)
    held: dict[Any, bool] = {
        Role.SYSADMIN: scope.sysadmin,
        Role.SECURITY_ADMIN: scope.security_admin,
        Role.AUDIT_ADMIN: scope.audit_admin,
    }
    return frozenset(role for role, yes in held.items() if yes)


def may_administer(user: Any, role: str) -> bool:
    return role in admin_roles_of(user)


def holds_admin_role(account: Any) -> bool:
    return bool(account.pk) and account.memberships.filter(role__in=ADMIN_ROLES).exists()


def may_touch_account(actor: Any, account: Any) -> bool:
    """No administrator role sees or changes a superuser's account; only a superuser does."""
    return bool(actor.is_superuser or not account.is_superuser)


def may_change_account(actor: Any, account: Any, changed: set[str]) -> bool:
    """Basic data is the system administrator's, activation the security administrator's
    (never on their own account)."""
    if not may_touch_account(actor, account):
        return False
    if actor.is_superuser:
        return True
    allowed: set[str] = set()
    roles = admin_roles_of(actor)
    if Role.SYSADMIN in roles:
        allowed |= ACCOUNT_FIELDS[Role.SYSADMIN]
    if Role.SECURITY_ADMIN in roles and account.pk != actor.pk:
        allowed |= ACCOUNT_FIELDS[Role.SECURITY_ADMIN]
    return bool(allowed) and changed <= allowed


def may_create_account(actor: Any) -> bool:
    return may_administer(actor, Role.SYSADMIN)


def may_delete_account(actor: Any, account: Any) -> bool:
    """The system administrator removes ordinary accounts; an administrator's account is
    deactivated by the security administrator instead."""
    if not may_touch_account(actor, account) or account.pk == actor.pk:
        return False
    if actor.is_superuser:
        return True
    return may_administer(actor, Role.SYSADMIN) and not holds_admin_role(account)


def may_set_password(actor: Any, account: Any) -> bool:
    """The security administrator resets ordinary accounts' passwords. Administrators change
    their own on the account page: resetting another administrator's would let one log in as
    the other, which is what the three roles are separated against."""
    if not may_touch_account(actor, account):
        return False
    if actor.is_superuser:
        return True
    return (
        may_administer(actor, Role.SECURITY_ADMIN)
        and account.pk != actor.pk
        and not holds_admin_role(account)
    )


def revoke_refusal(actor: Any, account: Any) -> str:
    """Why ``actor`` may not change ``account``'s grants at all, or "" when they may: only
    the security administrator does, never on their own account or a superuser's."""
    if not (actor.is_superuser or may_administer(actor, Role.SECURITY_ADMIN)):
        return gettext("只有安全管理员可以授予或撤销角色。")
    if not may_touch_account(actor, account) or account.is_superuser:
        return gettext("超级用户的账号只能在命令行管理。")
    if account.pk == actor.pk:
        return gettext("不能给自己授予或撤销角色。")
    return ""


def grant_refusal(actor: Any, account: Any, role: str, *, keep: int | None = None) -> str:
    """Why ``actor`` may not grant ``role`` to ``account``, or "" when they may. An
    administrator role is held alone (no ledger role, no second administrator role beside
    it). ``keep`` is the id of the grant being changed, left out of that check."""
    refusal = revoke_refusal(actor, account)
    if refusal:
        return refusal
    others = Membership.objects.filter(user=account).exclude(pk=keep)
    if role in ADMIN_ROLES and others.exists():
        return gettext("管理员角色不能与其他角色由同一账号兼任。")
    if role not in ADMIN_ROLES and others.filter(role__in=ADMIN_ROLES).exists():
        return gettext("管理员角色不能与其他角色由同一账号兼任。")
    return ""


# --- the plan (整改方案) ---------------------------------------------------------------------

# True while ``zhenggai.planning.actions`` applies a change request the office approved: the
# one way an approved plan's measures change (see ``applying_plan_change``).
_applying_change: ContextVar[bool] = ContextVar("applying_plan_change", default=False)


@contextmanager
def applying_plan_change() -> Iterator[None]:
    token = _applying_change.set(True)
    try:
        yield
    finally:
        _applying_change.reset(token)


def plan_frozen(inspection: Inspection) -> bool:
    """The inspection's plan is approved: its measures' plan fields change only through an
    approved change request."""
    if _applying_change.get():
        return False
    return Plan.objects.filter(inspection_id=inspection.pk, status=PlanStatus.APPROVED).exists()


def plan_submitted(inspection: Inspection) -> bool:
    """A version of the inspection's plan was submitted (the statutory plan deadline is met,
    or was met late)."""
    return PlanVersion.objects.filter(plan__inspection_id=inspection.pk).exists()


def with_plan_submitted(queryset: QuerySet[Inspection]) -> QuerySet[Inspection]:
    """``plan_was_submitted`` on each inspection, as ``plan_submitted`` says, in the same query
    (the dashboard's 法定时限 list asks it of many inspections)."""
    versions = PlanVersion.objects.filter(plan__inspection_id=OuterRef("pk"))
    return queryset.annotate(plan_was_submitted=Exists(versions))


def refuse_if_plan_frozen(inspection: Inspection) -> None:
    if plan_frozen(inspection):
        raise InvalidTransition(
            gettext("整改方案已审定，不能直接修改；如需调整，请提交方案变更申请。")
        )


def _own_unit(scope: Scope, inspection: Inspection) -> bool:
    return inspection.unit_id in scope.units


def may_submit_plan(scope: Scope, inspection: Inspection) -> bool:
    """Submission and change requests are the unit's word: its leader or liaison."""
    unit_id = inspection.unit_id
    return unit_id in scope.leader_units or unit_id in scope.liaison_units


def reviewer_role(scope: Scope, inspection: Inspection) -> str | None:
    """The role in which the user reviews the plan (office, group, observer), or None; a
    member of the inspected unit never reviews its plan."""
    if _own_unit(scope, inspection):
        return None
    if inspection.round.region_id in scope.office_regions:
        return "office"
    if inspection.group_id in scope.groups:
        return "group"
    if inspection.round.region_id in scope.observer_regions:
        return "observer"
    return None


def may_review_plan(scope: Scope, inspection: Inspection) -> bool:
    return reviewer_role(scope, inspection) is not None


def may_approve_plan(scope: Scope, inspection: Inspection) -> bool:
    """Approve, return, decide a change request: as ``may_decide``, nobody on their own unit."""
    return _deciding_office(scope, inspection)


def plans_for(user: Any) -> QuerySet[Plan]:
    return _scoped(Plan.objects.select_related("inspection__round"), user, "inspection__")


def change_requests_for(user: Any) -> QuerySet[ChangeRequest]:
    queryset = ChangeRequest.objects.select_related(
        "plan__inspection__round", "measure", "problem", "requested_by", "decided_by"
    )
    return _scoped(queryset, user, "plan__inspection__")


def get_change_request_for(user: Any, pk: Any) -> ChangeRequest:
    return get_one(change_requests_for(user), pk)


# --- 群众监督意见 (zhenggai.opinions) ---------------------------------------------------------


def may_read_opinions(scope: Scope, inspection: Inspection) -> bool:
    """Opinions name their senders: those who read the reports read them, not an owner."""
    return may_download_reports(scope, inspection)


def may_register_opinion(scope: Scope, inspection: Inspection) -> bool:
    """An opinion received by phone, letter or e-mail is entered by the unit's liaison or the
    office."""
    return inspection.unit_id in scope.liaison_units or _is_office(scope, inspection)


def may_handle_opinion(scope: Scope, inspection: Inspection) -> bool:
    """Assigning an opinion to a problem (or out of scope) and answering it: the unit's
    leader or liaison, or the office."""
    unit_id = inspection.unit_id
    own = unit_id in scope.leader_units or unit_id in scope.liaison_units
    return own or _is_office(scope, inspection)


def may_publish_opinion_answer(scope: Scope, inspection: Inspection) -> bool:
    """What goes online is the office's decision, never the unit's about itself."""
    return _is_office(scope, inspection) and not _own_unit(scope, inspection)


def may_open_measure_from_opinion(scope: Scope, inspection: Inspection) -> bool:
    """A new measure or a closed one reopened because of an opinion: the office decides."""
    return may_publish_opinion_answer(scope, inspection)


def opinions_for(user: Any) -> QuerySet[Opinion]:
    """Opinions on inspections the user reads, for the roles ``may_read_opinions`` names."""
    scope = scope_of(user)
    readable = _inspection_q(scope, "inspection__")
    parts = []
    if scope.leader_units | scope.liaison_units:
        parts.append(Q(inspection__unit_id__in=scope.leader_units | scope.liaison_units))
    if scope.groups:
        parts.append(Q(inspection__group_id__in=scope.groups))
    if scope.read_regions:
        parts.append(Q(inspection__round__region_id__in=scope.read_regions))
    if readable is None or not parts:
        return Opinion.objects.none()
    queryset = Opinion.objects.select_related(
        "inspection__round", "inspection__unit", "problem__aspect", "publication"
    )
    return queryset.filter(readable).filter(reduce(or_, parts))


def get_opinion_for(user: Any, pk: Any) -> Opinion:
    return get_one(opinions_for(user), pk)
