"""Screens of the review (整改审查), the look-back (回头看) and the effectiveness sheet (整改评估).

Who sees what (``docs/lookback.md`` for the actions' own checks):

- the review: the office and the observers of the region and the inspection group. Not the
  unit: findings are machine-made leads for the people who judge the rectification, not
  verdicts, and a unit shown the word lists would learn to write around them;
- the look-back panel, the status table and the sheet: the office and the observers read them;
  the office decides (confirms or rejects links, overrides a status, assesses);
- 举一反三 (the same problem across the region): the office only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zhenggai.assessment import export, links, sheet, status
from zhenggai.assessment.models import Assessment, Indicator, ProblemLink
from zhenggai.assessment.permissions import require_office, require_region_reader
from zhenggai.assessment.review_adapter import inspection_snapshot
from zhenggai.ledger import access, audit
from zhenggai.ledger.models import Inspection, Measure
from zhenggai.review import Finding, MeasureView, ProblemView, Review, review, rule_by_id
from zhenggai.web.forms_assessment import AssessForm, LinkDecisionForm, PriorStatusForm
from zhenggai.web.views import ledger_view, refusals_as_messages

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


# --- who may (the rules are ``access.may_review_inspection`` and ``access.may_assess``) -------


def require_reviewer(user: Any, inspection: Inspection) -> None:
    scope = access.scope_of(user)
    access.require(scope, inspection, access.may_review_inspection(scope, inspection))


# --- the review ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ReviewedMeasure:
    view: MeasureView
    score: int
    findings: list[Finding]
    pk: int | None  # the ledger measure, for the link to its page

    @property
    def evidence_words(self) -> list[str]:
        return [word for finding in self.findings for word in finding.evidence]


@dataclass(frozen=True)
class ReviewedProblem:
    view: ProblemView
    score: int
    findings: list[Finding]
    measures: list[ReviewedMeasure]


def reviewed(result: Review, measure_ids: dict[tuple[int, int, int], int]) -> list[ReviewedProblem]:
    """The review grouped by problem, each measure with its findings and score."""

    def measure(m: MeasureView) -> ReviewedMeasure:
        pk = measure_ids.get((m.aspect, m.problem, m.no))
        return ReviewedMeasure(m, result.measure_score(m), result.measure_findings(m), pk)

    return [
        ReviewedProblem(
            p, result.problem_score(p), result.problem_findings(p), [measure(m) for m in p.measures]
        )
        for p in result.snapshot.problems
    ]


def _measure_ids(inspection: Inspection) -> dict[tuple[int, int, int], int]:
    rows = Measure.objects.filter(inspection=inspection).values_list(
        "problem__aspect__no", "problem__no", "no", "pk"
    )
    return {(a, p, n): pk for a, p, n, pk in rows}


def review_of(inspection: Inspection) -> Review:
    return review(inspection_snapshot(inspection))


@require_GET
@ledger_view
def inspection_review(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = access.get_inspection_for(request.user, pk)
    require_reviewer(request.user, inspection)
    result = review_of(inspection)
    context = {
        "inspection": inspection,
        "score": result.notice_score(),
        "problems": reviewed(result, _measure_ids(inspection)),
        "rules": {rule.id: rule for rule in (rule_by_id(f.rule) for f in result.findings)},
    }
    return render(request, "web/review.html", context)


# --- the look-back -------------------------------------------------------------------------


@require_GET
@ledger_view
def lookback_panel(request: HttpRequest, pk: int) -> HttpResponse:
    """The inspection page's look-back box (loaded by htmx, so the tree page stays cheap)."""
    inspection = access.get_inspection_for(request.user, pk)
    scope = access.scope_of(request.user)
    found = links.links_for(request.user).filter(problem__aspect__inspection=inspection)
    context = {
        "inspection": inspection,
        "links": found.order_by("problem__aspect__no", "problem__no", "-score"),
        "reviewer": access.may_review_inspection(scope, inspection),
        "reader": access.may_read_assessment(scope, inspection),
        "office": access.may_assess(scope, inspection),
        "form": LinkDecisionForm(),
    }
    return render(request, "web/_lookback.html", context)


def _decide_link(request: HttpRequest, pk: int, *, confirm: bool) -> HttpResponse:
    link = links.get_link_for(request.user, pk)
    form = LinkDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("输入有误，请重新选择。"))
    else:
        with refusals_as_messages(request):
            kind, reason = form.cleaned_data["kind"], form.cleaned_data["reason"]
            if confirm:
                links.confirm_link(link, by=request.user, kind=kind, reason=reason)  # type: ignore[arg-type]
            else:
                links.reject_link(link, by=request.user, reason=reason)  # type: ignore[arg-type]
            messages.success(request, _("已确认关联。") if confirm else _("已否定关联。"))
    return redirect("web:inspection", pk=_inspection_id(link))


def _inspection_id(link: ProblemLink) -> int:
    return int(link.problem.aspect.inspection_id)


@require_POST
@ledger_view
def link_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide_link(request, pk, confirm=True)


@require_POST
@ledger_view
def link_reject(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide_link(request, pk, confirm=False)


@require_http_methods(["GET", "POST"])
@ledger_view
def prior_status(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = access.get_inspection_for(request.user, pk)
    if request.method == "POST":
        require_office(request.user, inspection)
        form = PriorStatusForm(request.POST)
        if form.is_valid():
            _set_prior_status(request, inspection, form)
        else:
            messages.error(request, _("请选择整改状态并填写理由。"))
        return redirect("web:prior_status", pk=inspection.pk)
    rows = status.prior_status_table(inspection, by=request.user)  # type: ignore[arg-type]
    office = access.may_assess(access.scope_of(request.user), inspection)
    context = {"inspection": inspection, "rows": rows, "office": office, "form": PriorStatusForm()}
    return render(request, "web/prior_status.html", context)


def _set_prior_status(request: HttpRequest, inspection: Inspection, form: PriorStatusForm) -> None:
    problem = access.problems_for(request.user).filter(pk=form.cleaned_data["problem"]).first()
    if problem is None:
        messages.error(request, _("只能认定上一轮巡察发现的问题。"))
        return
    with refusals_as_messages(request):
        status.set_prior_status(
            inspection,
            problem,
            status=form.cleaned_data["status"],
            reason=form.cleaned_data["reason"],
            by=request.user,  # type: ignore[arg-type]
        )
        messages.success(request, _("已保存整改状态认定。"))


def _download(data: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


@require_GET
@ledger_view
def prior_status_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = access.get_inspection_for(request.user, pk)
    rows = status.prior_status_table(inspection, by=request.user)  # type: ignore[arg-type]
    data = export.prior_status_xlsx(inspection, rows)
    audit.record_read(
        "export.prior_status", actor=request.user, target=inspection, file_format="xlsx"
    )
    return _download(data, XLSX, f"上轮问题整改状态表-{inspection.unit}.xlsx")


@require_GET
@ledger_view
def problem_similar(request: HttpRequest, pk: int) -> HttpResponse:
    """举一反三: the same problem in every unit of the office's region."""
    problem = access.get_problem_for(request.user, pk)
    found = links.similar_across_region(problem, by=request.user)  # type: ignore[arg-type]
    context = {"problem": problem, "inspection": problem.aspect.inspection, "found": found}
    return render(request, "web/similar.html", context)


# --- the effectiveness sheet ---------------------------------------------------------------


def _manual_indicators() -> list[Indicator]:
    return [i for i in sheet.active_indicators() if i.source == "manual"]


@require_http_methods(["GET", "POST"])
@ledger_view
def assessment(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = access.get_inspection_for(request.user, pk)
    require_region_reader(request.user, inspection)
    if request.method == "POST":
        return _assess(request, inspection)
    found = Assessment.objects.filter(inspection=inspection).first()
    office = access.may_assess(access.scope_of(request.user), inspection)
    form = AssessForm(initial=_entered(found), indicators=_manual_indicators()) if office else None
    scores = found.scores.select_related("indicator") if found else []
    context = {"inspection": inspection, "sheet": found, "scores": scores, "form": form}
    return render(request, "web/assessment.html", context)


def _assess(request: HttpRequest, inspection: Inspection) -> HttpResponse:
    """The office computes the sheet with the manual points entered in the form."""
    require_office(request.user, inspection)
    form = AssessForm(request.POST, indicators=_manual_indicators())
    if form.is_valid():
        sheet.assess(inspection, by=request.user, manual=form.manual())  # type: ignore[arg-type]
        messages.success(request, _("已完成整改评估。"))
    else:
        messages.error(request, _("输入有误：") + "；".join(_errors(form)))
    return redirect("web:assessment", pk=inspection.pk)


def _entered(found: Assessment | None) -> dict[str, Any]:
    if found is None:
        return {}
    scores = found.scores.filter(manual=True).select_related("indicator")
    return {s.indicator.code: s.points for s in scores}


def _errors(form: AssessForm) -> list[str]:
    return [f"{form.fields[name].label}：{e}" for name, errs in form.errors.items() for e in errs]


def _sheet_for(request: HttpRequest, pk: int) -> Assessment | None:
    inspection = access.get_inspection_for(request.user, pk)
    require_region_reader(request.user, inspection)
    found = Assessment.objects.filter(inspection=inspection).select_related("inspection").first()
    if found is None:
        messages.error(request, _("尚未进行整改评估，无法下载评估表。"))
    return found


@require_GET
@ledger_view
def assessment_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    found = _sheet_for(request, pk)
    if found is None:
        return redirect("web:assessment", pk=pk)
    data = export.assessment_xlsx(found)
    audit.record_read("export.assessment", actor=request.user, target=found, file_format="xlsx")
    return _download(data, XLSX, f"整改评估表-{found.inspection.unit}.xlsx")


@require_GET
@ledger_view
def assessment_docx(request: HttpRequest, pk: int) -> HttpResponse:
    found = _sheet_for(request, pk)
    if found is None:
        return redirect("web:assessment", pk=pk)
    data = export.assessment_docx(found)
    audit.record_read("download.assessment", actor=request.user, target=found, file_format="docx")
    return _download(data, DOCX, f"整改评估表-{found.inspection.unit}.docx")
