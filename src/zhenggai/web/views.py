"""The screens. Each view fetches through ``ledger.access``, validates a form, calls one
action and redirects (POST → redirect → GET); refusals come back as messages in Chinese."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as Forbidden
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_GET, require_POST

from zhenggai.ledger import access, actions, audit
from zhenggai.ledger.errors import (
    ConflictError,
    InvalidTransition,
    NotFound,
    PermissionDenied,
    ValidationError,
)
from zhenggai.ledger.models import (
    EDITABLE_STATUSES,
    EvidenceKind,
    ExtensionStatus,
    Measure,
    MeasureStatus,
)
from zhenggai.web import filters, history, pages, queries
from zhenggai.web.forms import (
    EvidenceForm,
    ExtensionDecisionForm,
    ExtensionRequestForm,
    MeasureForm,
    NoteForm,
)
from zhenggai.web.forms_bulk import bulk_context
from zhenggai.web.forms_feedback import MergeForm, ReasonForm, SplitForm, merge_choices
from zhenggai.web.workflow import (
    STEPS,
    available_steps,
    message_of,
)

View = Callable[..., HttpResponse]


def ledger_view(view: View) -> View:
    """Login required; the ledger's NotFound → 404 and PermissionDenied → 403 pages."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except NotFound as exc:
            raise Http404(exc.message) from exc
        except PermissionDenied as exc:
            raise Forbidden(exc.message) from exc

    return login_required(wrapped)


@contextmanager
def refusals_as_messages(request: HttpRequest) -> Iterator[None]:
    """A refused action (wrong state, bad input, someone saved first) is a message on the
    page the user came from, not an error page."""
    try:
        yield
    except (InvalidTransition, ValidationError, ConflictError) as exc:
        messages.error(request, message_of(exc))


def _to_measure(measure: Measure) -> HttpResponse:
    return redirect("web:measure", pk=measure.pk)


@require_GET
@ledger_view
def inspection_list(request: HttpRequest) -> HttpResponse:
    ids = access.inspections_for(request.user).order_by(*pages.NEWEST)
    page = pages.page_of(request, ids.values_list("pk", flat=True))
    inspections = queries.inspections_with_counts(request.user).filter(pk__in=list(page))
    inspections = inspections.order_by(*pages.NEWEST)
    rows = [(i, queries.status_counts(i)) for i in inspections]
    context = {
        "rows": rows,
        "page": page,
        "statuses": MeasureStatus.choices,
        "may_import": access.may_import_notices(access.scope_of(request.user)),
    }
    return render(request, "web/inspections.html", context)


@require_GET
@ledger_view
def inspection_detail(request: HttpRequest, pk: int) -> HttpResponse:
    params = filters.params_of(request, filters.TREE_FILTERS)
    inspection, aspects = queries.inspection_tree(request.user, pk, params)
    scope = access.scope_of(request.user)
    context = {
        "inspection": inspection,
        "aspects": aspects,
        "params": params,
        "filtered": filters.is_filtered(params),
        "query": filters.query_string(params),
        **filters.filter_choices(inspection),
        **bulk_context(scope, inspection),
        "today": queries.today(),
        "may_import_ledger": access.may_import_ledger(scope, inspection),
        "history": history.tree_history(inspection, aspects),
        "statutory": queries.statutory(inspection, queries.today()),
        "may_see_leads": access.may_see_leads(scope, inspection),
        "may_feedback": access.may_edit_inspection(scope, inspection),
        "may_plan": access.may_plan(scope, inspection),
        "may_withdraw": access.may_withdraw_inspection(scope, inspection),
        "may_submit_report": access.may_submit_report(scope, inspection)
        and not access.reports_submitted(inspection),
    }
    return render(request, "web/inspection.html", context)


@require_GET
@ledger_view
def measure_detail(request: HttpRequest, pk: int) -> HttpResponse:
    measure = access.get_measure_for(request.user, pk)
    editable = access.may_edit_measure(access.scope_of(request.user), measure)
    context = {
        "measure": measure,
        "today": queries.today(),
        "evidence": measure.evidence.select_related("uploaded_by"),
        "decisions": measure.decisions.select_related("actor"),
        "notes": measure.notes.select_related("author"),
        "history": queries.measure_history(measure).select_related("actor")[:100],
        "steps": available_steps(request.user, measure),
        "edit_form": (
            MeasureForm(initial=_initial(measure), unit_id=measure.inspection.unit_id)
            if editable
            else None
        ),
        "evidence_form": EvidenceForm() if editable else None,
        "structure": _structure_forms(request.user, measure),
        **_extension_context(request.user, measure),
    }
    return render(request, "web/measure.html", context)


def _structure_forms(user: Any, measure: Measure) -> dict[str, Any] | None:
    """Split, merge and withdraw, for whoever may change the plan while it is editable."""
    scope = access.scope_of(user)
    if measure.status not in EDITABLE_STATUSES or not access.may_plan(scope, measure.inspection):
        return None
    choices = merge_choices(measure)
    return {
        "split": SplitForm(initial={"first": measure.content}),
        "merge": MergeForm(choices=choices) if choices else None,
        "withdraw": ReasonForm(),
    }


def _extension_context(user: Any, measure: Measure) -> dict[str, Any]:
    extensions = list(measure.extensions.select_related("requested_by", "decided_by"))
    pending = next((e for e in extensions if e.status == ExtensionStatus.PENDING), None)
    return {
        "extensions": extensions,
        "pending_extension": pending,
        "extension_form": (
            ExtensionRequestForm()
            if access.may_request_extension(access.scope_of(user), measure, bool(pending))
            else None
        ),
        "decision_form": (
            ExtensionDecisionForm()
            if access.may_decide_extension(access.scope_of(user), measure, bool(pending))
            else None
        ),
    }


def _initial(measure: Measure) -> dict[str, Any]:
    return {name: getattr(measure, name) for name in MeasureForm.base_fields}


@require_POST
@ledger_view
def measure_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    if step not in STEPS:
        raise Http404()
    measure = access.get_measure_for(request.user, pk)
    form = NoteForm(request.POST)
    form.is_valid()  # the text is optional; the action says when it is required
    with refusals_as_messages(request):
        STEPS[step].act(measure, request.user, form.cleaned_data.get("text", ""))
        label = pgettext("workflow step", STEPS[step].label)
        messages.success(request, _("已%(step)s。") % {"step": label})
    return _to_measure(measure)


@require_POST
@ledger_view
def measure_edit(request: HttpRequest, pk: int) -> HttpResponse:
    measure = access.get_measure_for(request.user, pk)
    form = MeasureForm(request.POST, unit_id=measure.inspection.unit_id)
    if not form.is_valid():
        messages.error(request, _("输入有误：") + "；".join(_form_errors(form)))
        return _to_measure(measure)
    with refusals_as_messages(request):
        version = form.cleaned_data["version"]
        actions.update_measure(measure, form.changes(), by=request.user, expected_version=version)  # type: ignore[arg-type]
        messages.success(request, _("已保存。"))
    return _to_measure(measure)


@require_POST
@ledger_view
def evidence_add(request: HttpRequest, pk: int) -> HttpResponse:
    measure = access.get_measure_for(request.user, pk)
    form = EvidenceForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "；".join(_form_errors(form)))
        return _to_measure(measure)
    with refusals_as_messages(request):
        actions.add_evidence(measure, by=request.user, **form.cleaned_data)  # type: ignore[arg-type]
        messages.success(request, _("佐证材料已添加。"))
    return _to_measure(measure)


@require_POST
@ledger_view
def extension_request(request: HttpRequest, pk: int) -> HttpResponse:
    measure = access.get_measure_for(request.user, pk)
    form = ExtensionRequestForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("输入有误：") + "；".join(_form_errors(form)))
        return _to_measure(measure)
    with refusals_as_messages(request):
        actions.request_extension(measure, by=request.user, **form.cleaned_data)  # type: ignore[arg-type]
        messages.success(request, _("延期申请已提交，待巡察办审批。"))
    return _to_measure(measure)


@require_POST
@ledger_view
def extension_decide(request: HttpRequest, pk: int) -> HttpResponse:
    extension = access.get_extension_for(request.user, pk)
    form = ExtensionDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("输入有误：") + "；".join(_form_errors(form)))
        return redirect("web:measure", pk=extension.measure_id)
    with refusals_as_messages(request):
        reason = form.cleaned_data["reason"]
        actions.decide_extension(extension, by=request.user, approve=form.approve, reason=reason)  # type: ignore[arg-type]
        messages.success(request, _("已批准延期。") if form.approve else _("已决定不予延期。"))
    return redirect("web:measure", pk=extension.measure_id)


def _form_errors(form: Any) -> list[str]:
    return [str(error) for errors in form.errors.values() for error in errors]


@require_GET
@ledger_view
def evidence_file(request: HttpRequest, pk: int) -> HttpResponse:
    """Evidence files are served only through this view, after the access check."""
    evidence = access.get_evidence_for(request.user, pk)
    if evidence.kind != EvidenceKind.FILE or not evidence.file:
        raise Http404()
    response = FileResponse(
        evidence.file.open("rb"), as_attachment=True, filename=evidence.original_name
    )
    file_format = Path(evidence.original_name).suffix.lstrip(".").lower()
    audit.record_read(
        "download.evidence", actor=request.user, target=evidence, file_format=file_format
    )
    return response


@require_GET
@ledger_view
def search(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "")
    problems, measures = queries.search(request.user, q)
    context = {"q": q, "problems": problems, "measures": measures, "today": queries.today()}
    return render(request, "web/search.html", context)
