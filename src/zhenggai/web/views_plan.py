"""Screens of the 整改方案 and its three lists.

Everyone who may read the inspection sees the plan page and the lists; the buttons follow
``ledger.access`` (the unit's leader and liaison submit and ask for changes; the office, the
group and the observers give opinions; the office approves, returns and decides changes).
The plan document and the lists' workbook are the reports' audience (``may_download_reports``):
they show confidential problems.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_GET, require_POST

from zhenggai.ledger import access
from zhenggai.ledger.models import Inspection, MeasureKind, MeasureStatus, User
from zhenggai.planning import actions, completeness, export, lists
from zhenggai.planning.models import PlanStatus
from zhenggai.planning.state import plan_state
from zhenggai.supervision.deadlines import LIGHT_LABELS
from zhenggai.web import queries
from zhenggai.web.forms_plan import (
    ChangeDecisionForm,
    ChangeRequestForm,
    OpinionForm,
    PlanDecisionForm,
)
from zhenggai.web.views import ledger_view, refusals_as_messages
from zhenggai.web.views_supervision import DOCX, XLSX, _attachment

# Translated in the template (``{% translate label %}``); marked here for the catalogue.
LIST_NAMES = {
    "problems": gettext_noop("问题清单"),
    "measures": gettext_noop("任务清单"),
    "responsibilities": gettext_noop("责任清单"),
}


def _to_plan(inspection: Inspection) -> HttpResponse:
    return redirect("web:plan", pk=inspection.pk)


def _allowed(request: HttpRequest, pk: int, rule: Any) -> Inspection:
    """The inspection, if the user may do ``rule`` on its plan: 404 / 403 before any input."""
    inspection = access.get_inspection_for(request.user, pk)
    scope = access.scope_of(request.user)
    access.require(scope, inspection, rule(scope, inspection))
    return inspection


def _errors(request: HttpRequest, form: Any) -> None:
    text = "；".join(str(e) for errors in form.errors.values() for e in errors)
    messages.error(request, _("输入有误：") + text)


@require_GET
@ledger_view
def plan(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = access.get_inspection_for(request.user, pk)
    scope = access.scope_of(request.user)
    state = plan_state(inspection)
    under_review = state.status == PlanStatus.SUBMITTED
    approved = state.status == PlanStatus.APPROVED
    reviewed = {o.reviewer_id for o in state.current.opinions.all()} if state.current else set()  # type: ignore[attr-defined]
    context = {
        "inspection": inspection,
        "state": state,
        "gaps": completeness.missing(inspection) if state.editable else [],
        "may_submit": state.editable and access.may_submit_plan(scope, inspection),
        "opinion_form": (
            OpinionForm()
            if under_review
            and access.may_review_plan(scope, inspection)
            and request.user.pk not in reviewed
            else None
        ),
        "decision_form": (
            PlanDecisionForm()
            if under_review and access.may_approve_plan(scope, inspection)
            else None
        ),
        "change_form": (
            _change_form(inspection)
            if approved and access.may_submit_plan(scope, inspection)
            else None
        ),
        "may_decide_changes": access.may_approve_plan(scope, inspection),
        "may_download": access.may_download_reports(scope, inspection),
    }
    return render(request, "web/plan.html", context)


def _change_form(inspection: Inspection) -> ChangeRequestForm:
    measures = [
        (m.pk, f"{lists.measure_number(m)} {m.content[:30]}")
        for m in lists.plan_measures(inspection)
    ]
    problems = [
        (p.pk, f"{lists.problem_number(p.aspect.no, p.no)} {str(p.title)[:30]}")
        for p in lists.plan_problems(inspection)
    ]
    return ChangeRequestForm(measures=measures, problems=problems)


@require_POST
@ledger_view
def plan_submit(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = _allowed(request, pk, access.may_submit_plan)
    with refusals_as_messages(request):
        version = actions.submit_plan(inspection, by=_user(request))
        if version.late:
            messages.warning(request, _("整改方案已报送（已超过报送时限）。"))
        else:
            messages.success(request, _("整改方案已报送，待审核。"))
    return _to_plan(inspection)


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


@require_POST
@ledger_view
def plan_opinion(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = _allowed(request, pk, access.may_review_plan)
    form = OpinionForm(request.POST)
    if not form.is_valid():
        _errors(request, form)
        return _to_plan(inspection)
    with refusals_as_messages(request):
        actions.record_opinion(inspection, by=_user(request), **form.cleaned_data)
        messages.success(request, _("审核意见已记录。"))
    return _to_plan(inspection)


@require_POST
@ledger_view
def plan_decide(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = _allowed(request, pk, access.may_approve_plan)
    form = PlanDecisionForm(request.POST)
    if not form.is_valid():
        _errors(request, form)
        return _to_plan(inspection)
    with refusals_as_messages(request):
        reason = form.cleaned_data["reason"]
        if form.approve:
            actions.approve_plan(inspection, by=_user(request), reason=reason)
            messages.success(request, _("整改方案已审定。"))
        else:
            actions.return_plan(inspection, by=_user(request), reason=reason)
            messages.success(request, _("整改方案已退回修改。"))
    return _to_plan(inspection)


@require_POST
@ledger_view
def change_request(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = _allowed(request, pk, access.may_submit_plan)
    form = ChangeRequestForm(request.POST)
    if not form.is_valid():
        _errors(request, form)
        return _to_plan(inspection)
    data = form.cleaned_data
    measure = (
        access.get_one(access.measures_for(request.user), data["measure"])
        if data["measure"]
        else None
    )
    problem = access.get_problem_for(request.user, data["problem"]) if data["problem"] else None
    with refusals_as_messages(request):
        actions.request_change(
            inspection,
            by=_user(request),
            kind=data["kind"],
            reason=data["reason"],
            measure=measure,
            problem=problem,
            changes=form.changes(),
        )
        messages.success(request, _("变更申请已提交，待巡察办审批。"))
    return _to_plan(inspection)


@require_POST
@ledger_view
def change_decide(request: HttpRequest, pk: int) -> HttpResponse:
    change = access.get_change_request_for(request.user, pk)
    inspection = change.plan.inspection
    scope = access.scope_of(request.user)
    access.require(scope, inspection, access.may_approve_plan(scope, inspection))
    form = ChangeDecisionForm(request.POST)
    if not form.is_valid():
        _errors(request, form)
        return _to_plan(inspection)
    with refusals_as_messages(request):
        reason = form.cleaned_data["reason"]
        actions.decide_change(change, by=_user(request), approve=form.approve, reason=reason)
        messages.success(request, _("已批准变更。") if form.approve else _("已决定不予变更。"))
    return _to_plan(inspection)


# --- the three lists -----------------------------------------------------------------------


def _params(request: HttpRequest) -> dict[str, str]:
    return {name: request.GET.get(name, "") for name in lists.FILTERS}


@require_GET
@ledger_view
def plan_lists(request: HttpRequest, pk: int) -> HttpResponse:
    """问题清单, 任务清单, 责任清单 of the measures the user may read, filtered by the URL."""
    inspection = access.get_inspection_for(request.user, pk)
    which = request.GET.get("list", "measures")
    which = which if which in LIST_NAMES else "measures"
    params = _params(request)
    context = {
        "inspection": inspection,
        "which": which,
        "tabs": LIST_NAMES,
        "params": params,
        "query": request.GET.urlencode(),
        "lists": lists.three_lists(inspection, queries.today(), params),
        "statuses": MeasureStatus.choices,
        "kinds": [("unset", MeasureKind.UNSET.label), *MeasureKind.choices[1:]],  # type: ignore[attr-defined]
        "lights": list(LIGHT_LABELS.items()),
        "aspects": list(inspection.aspects.order_by("no").values_list("no", "title")),
    }
    return render(request, "web/plan_lists.html", context)


@require_GET
@ledger_view
def plan_lists_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    """The three lists as one workbook, with the filters of the screen."""
    inspection = _allowed(request, pk, access.may_download_reports)
    with translation.override(settings.LANGUAGE_CODE):  # official files are in Chinese
        three = lists.three_lists(inspection, queries.today(), _params(request))

        def save(buffer: Any) -> None:
            export.write_workbook(three, buffer)

        return _attachment(save, f"{inspection.unit.name}三个清单.xlsx", XLSX)


@require_GET
@ledger_view
def plan_docx(request: HttpRequest, pk: int) -> HttpResponse:
    """The 整改方案 as a GB/T 9704 document, as the ledger holds it now."""
    inspection = _allowed(request, pk, access.may_download_reports)
    state = plan_state(inspection)
    with translation.override(settings.LANGUAGE_CODE):  # official files are in Chinese
        three = lists.three_lists(inspection, queries.today())
        doc = export.plan_document(inspection, three, version=state.version, day=queries.today())
    return _attachment(doc.save, f"{inspection.unit.name}整改方案.docx", DOCX)
