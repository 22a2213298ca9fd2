"""The ledger's screens of 群众监督意见: an inspection's opinions (and registering one received
by phone, letter or e-mail), one opinion with its handling steps, its attachment. Thin, as
``zhenggai.web``: fetch through ``access``, validate a form, call one action, redirect."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from zhenggai.ledger import access
from zhenggai.ledger.errors import PermissionDenied
from zhenggai.ledger.models import MeasureStatus
from zhenggai.opinions import actions, reads
from zhenggai.opinions.forms import AnswerForm, AssignForm, RegisterOpinionForm
from zhenggai.opinions.models import OPEN_STATUSES, Opinion, OpinionStatus
from zhenggai.web.views import ledger_view, refusals_as_messages


def _readable_inspection(request: HttpRequest, pk: int):  # type: ignore[no-untyped-def]
    inspection = access.get_inspection_for(request.user, pk)
    scope = access.scope_of(request.user)
    if not access.may_read_opinions(scope, inspection):
        raise PermissionDenied()
    return inspection, scope


@require_GET
@ledger_view
def inspection_opinions(request: HttpRequest, pk: int) -> HttpResponse:
    inspection, scope = _readable_inspection(request, pk)
    today = timezone.localdate()
    opinions = list(access.opinions_for(request.user).filter(inspection=inspection))
    rows = [(o, reads.light(o, today), reads.reminder(o, today)) for o in opinions]
    context = {
        "inspection": inspection,
        "rows": rows,
        "may_register": access.may_register_opinion(scope, inspection),
        "form": RegisterOpinionForm(),
    }
    return render(request, "opinions/list.html", context)


@require_POST
@ledger_view
def register(request: HttpRequest, pk: int) -> HttpResponse:
    inspection, _scope = _readable_inspection(request, pk)
    form = RegisterOpinionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("登记失败：请检查来源渠道、联系方式和意见内容。"))
        return redirect("opinions:inspection", pk=inspection.pk)
    with refusals_as_messages(request):
        data = form.cleaned_data
        receipt = actions.register(
            inspection,
            by=request.user,  # type: ignore[arg-type]
            channel=data["channel"],
            name=data["name"],
            contact=data["contact"],
            text=data["text"],
            received=data["received"],
        )
        messages.success(
            request,
            _("已登记。请把查询码告知反映人（只显示这一次）：%(code)s") % {"code": receipt.code},
        )
        return redirect("opinions:detail", pk=receipt.opinion.pk)
    return redirect("opinions:inspection", pk=inspection.pk)


def _problem_choices(request: HttpRequest, opinion: Opinion) -> list[tuple[int, str]]:
    problems = access.problems_for(request.user).filter(aspect__inspection=opinion.inspection)
    return [
        (p.pk, f"{p.aspect.no}.{p.no} {p.title}"[:120])
        for p in problems.order_by("aspect__no", "no")
    ]


@require_GET
@ledger_view
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    opinion = access.get_opinion_for(request.user, pk)
    scope = access.scope_of(request.user)
    inspection = opinion.inspection
    today = timezone.localdate()
    closed = []
    if opinion.problem_id is not None:
        measures = access.measures_for(request.user).filter(problem_id=opinion.problem_id)
        closed = list(
            measures.filter(status__in=(MeasureStatus.CLOSED, MeasureStatus.PHASE_COMPLETE))
        )
    context = {
        "opinion": opinion,
        "inspection": inspection,
        "light": reads.light(opinion, today),
        "reminder": reads.reminder(opinion, today),
        "is_open": opinion.status in OPEN_STATUSES,
        "may_handle": access.may_handle_opinion(scope, inspection),
        "may_publish": access.may_publish_opinion_answer(scope, inspection)
        and opinion.status == OpinionStatus.ANSWERED,
        "may_measure": access.may_open_measure_from_opinion(scope, inspection)
        and opinion.problem_id is not None,
        "assign_form": AssignForm(problems=_problem_choices(request, opinion)),
        "answer_form": AnswerForm(initial={"answer": opinion.answer}),
        "closed_measures": closed,
    }
    return render(request, "opinions/detail.html", context)


def _back(opinion: Opinion) -> HttpResponse:
    return redirect("opinions:detail", pk=opinion.pk)


@require_POST
@ledger_view
def assign(request: HttpRequest, pk: int) -> HttpResponse:
    opinion = access.get_opinion_for(request.user, pk)
    form = AssignForm(request.POST, problems=_problem_choices(request, opinion))
    if not form.is_valid():
        messages.error(request, _("请选择对应的问题。"))
        return _back(opinion)
    with refusals_as_messages(request):
        problem = access.get_problem_for(request.user, form.cleaned_data["problem"])
        actions.assign(opinion, by=request.user, problem=problem)  # type: ignore[arg-type]
        messages.success(request, _("已对应到问题。"))
    return _back(opinion)


@require_POST
@ledger_view
def out_of_scope(request: HttpRequest, pk: int) -> HttpResponse:
    opinion = access.get_opinion_for(request.user, pk)
    with refusals_as_messages(request):
        reason = request.POST.get("reason", "")
        actions.mark_out_of_scope(opinion, by=request.user, reason=reason)  # type: ignore[arg-type]
        messages.success(request, _("已标记为不属于整改范围。"))
    return _back(opinion)


@require_POST
@ledger_view
def answer(request: HttpRequest, pk: int) -> HttpResponse:
    opinion = access.get_opinion_for(request.user, pk)
    with refusals_as_messages(request):
        text = request.POST.get("answer", "")
        actions.answer(opinion, by=request.user, text=text)  # type: ignore[arg-type]
        messages.success(request, _("已答复。"))
    return _back(opinion)


@require_POST
@ledger_view
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    opinion = access.get_opinion_for(request.user, pk)
    with refusals_as_messages(request):
        actions.publish_answer(opinion, by=request.user)  # type: ignore[arg-type]
        messages.success(request, _("答复已公开，反映人可凭查询码查看。"))
    return _back(opinion)


@require_POST
@ledger_view
def open_measure(request: HttpRequest, pk: int) -> HttpResponse:
    opinion = access.get_opinion_for(request.user, pk)
    with refusals_as_messages(request):
        content = request.POST.get("content", "")
        measure = actions.open_measure(opinion, by=request.user, content=content)  # type: ignore[arg-type]
        messages.success(request, _("已新增整改措施。"))
        return redirect("web:measure", pk=measure.pk)
    return _back(opinion)


@require_POST
@ledger_view
def reopen_measure(request: HttpRequest, pk: int) -> HttpResponse:
    opinion = access.get_opinion_for(request.user, pk)
    with refusals_as_messages(request):
        measure = access.get_measure_for(request.user, request.POST.get("measure"))
        reason = request.POST.get("reason", "")
        actions.reopen_measure(opinion, by=request.user, measure=measure, reason=reason)  # type: ignore[arg-type]
        messages.success(request, _("已重新打开该措施。"))
    return _back(opinion)


@require_GET
@ledger_view
def attachment(request: HttpRequest, pk: int) -> HttpResponse:
    opinion = access.get_opinion_for(request.user, pk)
    if not opinion.attachment:
        raise Http404()
    response = FileResponse(
        opinion.attachment.open("rb"),
        as_attachment=True,
        filename=opinion.attachment_name or "attachment",
        content_type=opinion.attachment_type or "application/octet-stream",
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
