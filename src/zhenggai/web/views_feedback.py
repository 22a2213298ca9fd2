"""The process from its first day: a new inspection, its feedback entered or pasted, checked
and handed over to the unit; then the corrections — edit, split, merge, withdraw, restore —
and the office's undo of a wrong import. Each view fetches through ``ledger.access``, calls
one action and redirects; refusals come back as messages."""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from zhenggai.ledger import access, actions, importing
from zhenggai.ledger.errors import PermissionDenied
from zhenggai.ledger.models import Inspection, Measure, Problem
from zhenggai.notice import parse
from zhenggai.web import queries
from zhenggai.web.forms_feedback import (
    AspectForm,
    InspectionForm,
    MergeForm,
    PasteForm,
    ProblemEditForm,
    ProblemForm,
    ReasonForm,
    SplitForm,
    merge_choices,
)
from zhenggai.web.views import ledger_view, refusals_as_messages

# The pasted feedback waits in the session under this key until it is confirmed.
PASTE_KEY = "feedback_paste"


def _errors(form: Any) -> str:
    return "；".join(str(e) for errors in form.errors.values() for e in errors)


def _to_feedback(inspection: Inspection) -> HttpResponse:
    return redirect("web:feedback", pk=inspection.pk)


def _feedback_inspection(request: HttpRequest, pk: int) -> Inspection:
    """The inspection, if the user may enter its feedback (404 outsiders, 403 the others)."""
    inspection = access.get_inspection_for(request.user, pk)
    scope = access.scope_of(request.user)
    access.require(scope, inspection, access.may_edit_inspection(scope, inspection))
    return inspection


@require_http_methods(["GET", "POST"])
@ledger_view
def inspection_new(request: HttpRequest) -> HttpResponse:
    if not access.may_import_notices(access.scope_of(request.user)):
        raise PermissionDenied(_("只有巡察办或巡察组可以新建巡察。"))
    form = InspectionForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        with refusals_as_messages(request):
            inspection = actions.create_inspection(
                by=request.user,  # type: ignore[arg-type]
                details=form.details(),
                **form.targets(),
            )
            messages.success(request, _("已新建巡察，请录入反馈意见。"))
            return _to_feedback(inspection)
    return render(request, "web/inspection_new.html", {"form": form})


@require_http_methods(["GET"])
@ledger_view
def feedback(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = _feedback_inspection(request, pk)
    _, aspects = queries.inspection_tree(request.user, pk)
    scope = access.scope_of(request.user)
    context = {
        "inspection": inspection,
        "aspects": aspects,
        "aspect_form": AspectForm(),
        "problem_form": ProblemForm(),
        "paste_form": PasteForm(),
        "may_hand_over": access.may_hand_over(scope, inspection),
    }
    return render(request, "web/feedback.html", context)


@require_POST
@ledger_view
def aspect_add(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = _feedback_inspection(request, pk)
    form = AspectForm(request.POST)
    if not form.is_valid():
        messages.error(request, _errors(form))
        return _to_feedback(inspection)
    with refusals_as_messages(request):
        actions.add_aspect(inspection, by=request.user, title=form.cleaned_data["title"])  # type: ignore[arg-type]
        messages.success(request, _("已添加方面。"))
    return _to_feedback(inspection)


@require_POST
@ledger_view
def aspect_edit(request: HttpRequest, pk: int) -> HttpResponse:
    aspect = access.get_aspect_for(request.user, pk)
    form = AspectForm(request.POST)
    if not form.is_valid():
        messages.error(request, _errors(form))
        return _to_feedback(aspect.inspection)
    with refusals_as_messages(request):
        actions.update_aspect(aspect, form.cleaned_data, by=request.user)  # type: ignore[arg-type]
        messages.success(request, _("已保存。"))
    return _to_feedback(aspect.inspection)


@require_POST
@ledger_view
def problem_add(request: HttpRequest, pk: int) -> HttpResponse:
    aspect = access.get_aspect_for(request.user, pk)
    form = ProblemForm(request.POST)
    if not form.is_valid():
        messages.error(request, _errors(form))
        return _to_feedback(aspect.inspection)
    with refusals_as_messages(request):
        data = dict(form.cleaned_data)
        title = data.pop("title")
        actions.add_problem(aspect, by=request.user, title=title, details=data)  # type: ignore[arg-type]
        messages.success(request, _("已添加问题。"))
    return _to_feedback(aspect.inspection)


@require_POST
@ledger_view
def feedback_paste(request: HttpRequest, pk: int) -> HttpResponse:
    """Parse the pasted text and show what would be added; nothing is written yet."""
    inspection = _feedback_inspection(request, pk)
    form = PasteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _errors(form))
        return _to_feedback(inspection)
    items = importing.feedback_items(parse(form.cleaned_data["text"]))
    if not items:
        messages.error(request, _("粘贴的文字中没有识别出问题，请检查“一、”“（一）”等层次。"))
        return _to_feedback(inspection)
    token = secrets.token_urlsafe(16)
    kept = [item.__dict__ for item in items]
    request.session[PASTE_KEY] = {"token": token, "inspection": inspection.pk, "items": kept}
    context = {"inspection": inspection, "items": items, "token": token}
    return render(request, "web/feedback_paste.html", context)


@require_POST
@ledger_view
def feedback_paste_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = _feedback_inspection(request, pk)
    kept = request.session.get(PASTE_KEY) or {}
    if kept.get("token") != request.POST.get("token") or kept.get("inspection") != inspection.pk:
        messages.error(request, _("粘贴内容已过期或已经添加，请重新粘贴。"))
        return _to_feedback(inspection)
    items = [importing.FeedbackItem(**item) for item in kept["items"]]
    with refusals_as_messages(request):
        added = importing.add_pasted_feedback(inspection, items, by=request.user)  # type: ignore[arg-type]
        del request.session[PASTE_KEY]
        messages.success(request, _("已添加 %(n)s 个问题。") % {"n": len(added)})
    return _to_feedback(inspection)


@require_POST
@ledger_view
def hand_over(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = access.get_inspection_for(request.user, pk)
    with refusals_as_messages(request):
        actions.hand_over(inspection, by=request.user)  # type: ignore[arg-type]
        messages.success(request, _("反馈意见已交付被巡察单位。"))
        return redirect("web:inspection", pk=inspection.pk)
    return _to_feedback(inspection)


@require_POST
@ledger_view
def report_submit(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = access.get_inspection_for(request.user, pk)
    with refusals_as_messages(request):
        actions.submit_report(inspection, by=request.user)  # type: ignore[arg-type]
        messages.success(request, _("已记录整改情况报告的报送。"))
    return redirect("web:inspection", pk=inspection.pk)


# --- problems --------------------------------------------------------------------------------


def _problem_initial(problem: Problem) -> dict[str, Any]:
    return {name: getattr(problem, name) for name in ProblemEditForm.base_fields}


def _changed(problem: Problem, cleaned: dict[str, Any]) -> dict[str, Any]:
    """Only what the user changed: the action then checks only the fields they touched."""
    return {k: v for k, v in cleaned.items() if v != getattr(problem, k)}


@require_http_methods(["GET", "POST"])
@ledger_view
def problem_edit(request: HttpRequest, pk: int) -> HttpResponse:
    problem = access.get_problem_for(request.user, pk)
    inspection = problem.aspect.inspection
    scope = access.scope_of(request.user)
    access.require(scope, inspection, access.may_plan(scope, inspection))
    form = ProblemEditForm(request.POST or None, initial=_problem_initial(problem))
    if request.method == "POST" and form.is_valid():
        with refusals_as_messages(request):
            actions.update_problem(problem, _changed(problem, form.cleaned_data), by=request.user)  # type: ignore[arg-type]
            messages.success(request, _("已保存。"))
            return redirect("web:problem_edit", pk=problem.pk)
    context = {
        "problem": problem,
        "inspection": inspection,
        "form": form,
        "reason_form": ReasonForm(),
        "may_withdraw": access.may_edit_inspection(scope, inspection),
        "may_confidential": access.may_mark_confidential(scope, inspection),
        "may_feedback": access.may_edit_inspection(scope, inspection),
    }
    return render(request, "web/problem_edit.html", context)


@require_POST
@ledger_view
def problem_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    problem = access.get_problem_for(request.user, pk)
    form = ReasonForm(request.POST)
    form.is_valid()
    with refusals_as_messages(request):
        reason = form.cleaned_data.get("reason", "")
        actions.withdraw_problem(problem, by=request.user, reason=reason)  # type: ignore[arg-type]
        messages.success(request, _("已撤销该问题。"))
        return redirect("web:inspection", pk=problem.aspect.inspection.pk)
    return redirect("web:problem_edit", pk=problem.pk)


@require_POST
@ledger_view
def problem_restore(request: HttpRequest, pk: int) -> HttpResponse:
    problem = access.get_problem_for(request.user, pk, withdrawn=True)
    with refusals_as_messages(request):
        actions.restore_problem(problem, by=request.user)  # type: ignore[arg-type]
        messages.success(request, _("已恢复该问题。"))
    return redirect("web:inspection", pk=problem.aspect.inspection.pk)


# --- measures --------------------------------------------------------------------------------


def _to_measure(measure: Measure) -> HttpResponse:
    return redirect("web:measure", pk=measure.pk)


def _require_plan(request: HttpRequest, measure: Measure) -> None:
    """Before reading the form: a read-only role gets 403, not a message about its input."""
    scope = access.scope_of(request.user)
    access.require(scope, measure.inspection, access.may_plan(scope, measure.inspection))


@require_POST
@ledger_view
def measure_add(request: HttpRequest, pk: int) -> HttpResponse:
    problem = access.get_problem_for(request.user, pk)
    content = str(request.POST.get("content", "")).strip()
    with refusals_as_messages(request):
        measure = actions.add_measure(problem, by=request.user, content=content)  # type: ignore[arg-type]
        messages.success(request, _("已添加整改措施。"))
        return _to_measure(measure)
    return redirect("web:problem_edit", pk=problem.pk)


@require_POST
@ledger_view
def measure_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    measure = access.get_measure_for(request.user, pk)
    form = ReasonForm(request.POST)
    form.is_valid()
    with refusals_as_messages(request):
        reason = form.cleaned_data.get("reason", "")
        actions.withdraw_measure(measure, by=request.user, reason=reason)  # type: ignore[arg-type]
        messages.success(request, _("已撤销该整改措施。"))
        return redirect("web:inspection", pk=measure.inspection_id)
    return _to_measure(measure)


@require_POST
@ledger_view
def measure_restore(request: HttpRequest, pk: int) -> HttpResponse:
    measure = access.get_measure_for(request.user, pk, withdrawn=True)
    with refusals_as_messages(request):
        actions.restore_measure(measure, by=request.user)  # type: ignore[arg-type]
        messages.success(request, _("已恢复该整改措施。"))
    return redirect("web:inspection", pk=measure.inspection_id)


@require_POST
@ledger_view
def measure_split(request: HttpRequest, pk: int) -> HttpResponse:
    measure = access.get_measure_for(request.user, pk)
    _require_plan(request, measure)
    form = SplitForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("拆分后的两项措施都不能为空。"))
        return _to_measure(measure)
    with refusals_as_messages(request):
        actions.split_measure(measure, by=request.user, **form.cleaned_data)  # type: ignore[arg-type]
        messages.success(request, _("已拆分为两项措施。"))
    return _to_measure(measure)


@require_POST
@ledger_view
def measure_merge(request: HttpRequest, pk: int) -> HttpResponse:
    measure = access.get_measure_for(request.user, pk)
    _require_plan(request, measure)
    form = MergeForm(request.POST, choices=merge_choices(measure))
    if not form.is_valid():
        messages.error(request, _("请选择同一问题下的另一项措施。"))
        return _to_measure(measure)
    other = access.get_measure_for(request.user, form.cleaned_data["other"])
    with refusals_as_messages(request):
        actions.merge_measures(measure, other, by=request.user)  # type: ignore[arg-type]
        messages.success(request, _("已合并。"))
    return _to_measure(measure)


# --- a wrong import ----------------------------------------------------------------------------


@require_POST
@ledger_view
def inspection_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = access.get_inspection_for(request.user, pk)
    form = ReasonForm(request.POST)
    form.is_valid()
    with refusals_as_messages(request):
        reason = form.cleaned_data.get("reason", "")
        actions.withdraw_inspection(inspection, by=request.user, reason=reason)  # type: ignore[arg-type]
        messages.success(request, _("已撤销整条巡察记录；巡察办可以恢复。"))
    return redirect("web:inspection", pk=inspection.pk)


@require_POST
@ledger_view
def inspection_restore(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = access.get_inspection_for(request.user, pk)
    with refusals_as_messages(request):
        actions.restore_inspection(inspection, by=request.user)  # type: ignore[arg-type]
        messages.success(request, _("已恢复该巡察记录。"))
    return redirect("web:inspection", pk=inspection.pk)
