"""The plan's life: completeness, submission, joint review, approval, freezing, changes."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.ledger.conftest import World
from zhenggai.ledger import actions as ledger_actions
from zhenggai.ledger.errors import InvalidTransition, NotFound, PermissionDenied, ValidationError
from zhenggai.ledger.models import AuditEvent, Measure, MeasureKind, MeasureStatus, Problem
from zhenggai.planning import actions, completeness
from zhenggai.planning.lists import digest
from zhenggai.planning.models import ChangeKind, ChangeStatus, Plan, PlanStatus, VersionStatus


def _approved(world: World) -> None:
    actions.submit_plan(world.inspection_a, by=world["liaison"])
    actions.approve_plan(world.inspection_a, by=world["office"], reason="同意")


# --- completeness, each rule both ways ------------------------------------------------------


def test_a_complete_plan_lacks_nothing(complete: World) -> None:
    assert completeness.missing(complete.inspection_a) == []


def test_a_problem_without_measures_is_named(complete: World) -> None:
    aspect = complete.measure_a.problem.aspect
    Problem.objects.create(aspect=aspect, no=2, title="意识形态责任制落实不到位")
    assert completeness.missing(complete.inspection_a) == [
        "问题一（二）“意识形态责任制落实不到位”尚无整改措施。"
    ]


def test_no_problems_at_all_cannot_make_a_plan(complete: World) -> None:
    Problem.objects.filter(aspect__inspection=complete.inspection_a).delete()
    assert completeness.missing(complete.inspection_a) == [
        "尚未录入巡察反馈问题，无法形成整改方案。"
    ]


@pytest.mark.parametrize(
    ("changes", "gap"),
    [
        ({"kind": ""}, "措施一（一）2未明确整改类型。"),
        ({"responsible_person": "", "owner": None}, "措施一（一）2未明确责任人。"),
        ({"deadline": None}, "措施一（一）2未明确完成时限。"),
        ({"completion_standard": " "}, "措施一（一）2未明确完成标准。"),
        (
            {"kind": MeasureKind.ONGOING, "deadline": None},
            "措施一（一）2为长期坚持类，须设定完成时限或定期报告周期。",
        ),
        ({"kind": MeasureKind.IMMEDIATE}, "措施一（一）2为立行立改事项，报送方案前应已完成。"),
    ],
)
def test_each_measure_rule_names_what_is_missing(
    complete: World, changes: dict[str, object], gap: str
) -> None:
    Measure.objects.filter(pk=complete.measure_a2.pk).update(**changes)
    assert completeness.missing(complete.inspection_a) == [gap]


def test_owner_account_ongoing_period_and_done_immediate_satisfy_the_rules(
    complete: World,
) -> None:
    Measure.objects.filter(pk=complete.measure_a.pk).update(responsible_person="")  # has owner
    Measure.objects.filter(pk=complete.measure_a2.pk).update(
        kind=MeasureKind.ONGOING, deadline=None, review_period_months=3
    )
    assert completeness.missing(complete.inspection_a) == []
    Measure.objects.filter(pk=complete.measure_a2.pk).update(
        kind=MeasureKind.IMMEDIATE, completed_date=dt.date(2024, 1, 5), deadline=dt.date(2024, 1, 5)
    )
    assert completeness.missing(complete.inspection_a) == []
    Measure.objects.filter(pk=complete.measure_a2.pk).update(
        completed_date=None, status=MeasureStatus.SUBMITTED
    )
    assert completeness.missing(complete.inspection_a) == []


def test_an_incomplete_plan_is_refused_with_the_list(world: World) -> None:
    with pytest.raises(ValidationError) as refused:
        actions.submit_plan(world.inspection_a, by=world["liaison"])
    assert "措施一（一）1未明确完成标准。" in refused.value.errors["plan"]
    assert refused.value.message.startswith("整改方案尚不完整")
    assert not AuditEvent.objects.filter(action="plan.submit").exists()


# --- submission and review -----------------------------------------------------------------


def test_submit_return_resubmit_approve_with_opinions(complete: World) -> None:
    inspection = complete.inspection_a
    first = actions.submit_plan(inspection, by=complete["liaison"])
    assert (first.number, first.status, first.late) == (1, VersionStatus.SUBMITTED, True)
    assert first.due == dt.date(2024, 1, 26)  # feedback 2023-12-26 + 1 month
    assert first.sha256 == digest(first.snapshot)
    assert [m["number"] for m in first.snapshot["measures"]] == ["一（一）1", "一（一）2"]
    for persona in ("office", "group", "observer"):
        actions.record_opinion(inspection, by=complete[persona], text=f"{persona}意见")
    with pytest.raises(InvalidTransition, match="您已对该版本提出审核意见"):
        actions.record_opinion(inspection, by=complete["group"], text="再次")
    with pytest.raises(ValidationError, match="退回整改方案时必须说明理由"):
        actions.return_plan(inspection, by=complete["office"], reason=" ")
    actions.return_plan(inspection, by=complete["office"], reason="措施不够具体")
    plan = Plan.objects.get(inspection=inspection)
    assert plan.status == PlanStatus.RETURNED
    second = actions.submit_plan(inspection, by=complete["leader"])
    assert second.number == 2
    actions.record_opinion(inspection, by=complete["observer"], text="同意", agrees=True)
    approved = actions.approve_plan(inspection, by=complete["office"])
    assert approved.status == VersionStatus.APPROVED
    roles = sorted(o.role for o in first.opinions.all())
    assert roles == ["group", "observer", "office"]
    actions_logged = AuditEvent.objects.filter(action__startswith="plan.").values_list(
        "action", flat=True
    )
    assert list(actions_logged) == [
        "plan.submit",
        *["plan.opinion"] * 3,
        "plan.return",
        "plan.submit",
        "plan.opinion",
        "plan.approve",
    ]


def test_a_submitted_plan_cannot_be_submitted_again(complete: World) -> None:
    actions.submit_plan(complete.inspection_a, by=complete["liaison"])
    with pytest.raises(InvalidTransition):
        actions.submit_plan(complete.inspection_a, by=complete["liaison"])


def test_opinions_and_decisions_need_a_plan_under_review(complete: World) -> None:
    with pytest.raises(InvalidTransition, match="整改方案不在审核中"):
        actions.approve_plan(complete.inspection_a, by=complete["office"])
    with pytest.raises(InvalidTransition):
        actions.record_opinion(complete.inspection_a, by=complete["group"], text="意见")


@pytest.mark.parametrize("persona", ["liaison", "leader", "group", "observer", "owner"])
def test_only_the_office_approves(complete: World, persona: str) -> None:
    actions.submit_plan(complete.inspection_a, by=complete["liaison"])
    with pytest.raises(PermissionDenied):
        actions.approve_plan(complete.inspection_a, by=complete[persona])


def test_an_office_member_of_the_unit_cannot_approve_or_review(complete: World) -> None:
    actions.submit_plan(complete.inspection_a, by=complete["liaison"])
    office = complete["office"]
    office.memberships.create(role="liaison", unit=complete.unit_a)
    with pytest.raises(PermissionDenied):
        actions.approve_plan(complete.inspection_a, by=office)
    with pytest.raises(PermissionDenied):
        actions.record_opinion(complete.inspection_a, by=office, text="同意")


@pytest.mark.parametrize("persona", ["other", "far_office", "sysadmin"])
def test_outsiders_get_not_found(complete: World, persona: str) -> None:
    with pytest.raises(NotFound):
        actions.submit_plan(complete.inspection_a, by=complete[persona])


@pytest.mark.parametrize("persona", ["owner", "group", "observer", "office"])
def test_only_the_unit_leader_and_liaison_submit(complete: World, persona: str) -> None:
    with pytest.raises(PermissionDenied):
        actions.submit_plan(complete.inspection_a, by=complete[persona])


def test_a_unit_reviewing_itself_is_refused(complete: World) -> None:
    actions.submit_plan(complete.inspection_a, by=complete["liaison"])
    with pytest.raises(PermissionDenied):
        actions.record_opinion(complete.inspection_a, by=complete["leader"], text="同意")


# --- frozen after approval -----------------------------------------------------------------


def test_an_approved_plan_is_frozen(complete: World) -> None:
    _approved(complete)
    measure = Measure.objects.get(pk=complete.measure_a2.pk)
    with pytest.raises(InvalidTransition, match="整改方案已审定，不能直接修改"):
        ledger_actions.update_measure(
            measure, {"content": "改写"}, by=complete["liaison"], expected_version=measure.version
        )
    with pytest.raises(InvalidTransition, match="整改方案已审定"):
        ledger_actions.add_measure(measure.problem, by=complete["liaison"], content="新措施")
    # Progress is not a plan field: the work goes on.
    ledger_actions.update_measure(
        measure, {"progress": "已开展"}, by=complete["liaison"], expected_version=measure.version
    )


def test_after_approval_the_office_still_marks_a_problem_confidential(complete: World) -> None:
    _approved(complete)
    problem = Problem.objects.get(pk=complete.measure_a2.problem_id)
    with pytest.raises(InvalidTransition, match="整改方案已审定"):
        ledger_actions.update_problem(problem, {"title": "改写"}, by=complete["office"])
    ledger_actions.update_problem(problem, {"confidential": True}, by=complete["office"])
    assert Problem.objects.get(pk=problem.pk).confidential
    assert AuditEvent.objects.filter(action="problem.update", target_id=str(problem.pk)).exists()


def test_before_approval_the_plan_is_edited_directly(complete: World) -> None:
    actions.submit_plan(complete.inspection_a, by=complete["liaison"])
    actions.return_plan(complete.inspection_a, by=complete["office"], reason="补充")
    measure = Measure.objects.get(pk=complete.measure_a2.pk)
    ledger_actions.update_measure(
        measure, {"content": "改写"}, by=complete["liaison"], expected_version=measure.version
    )
    assert Measure.objects.get(pk=measure.pk).content == "改写"


# --- change requests -----------------------------------------------------------------------


def test_a_new_deadline_approved_applies_and_makes_a_version(complete: World) -> None:
    _approved(complete)
    change = actions.request_change(
        complete.inspection_a,
        by=complete["liaison"],
        kind=ChangeKind.NEW_DEADLINE,
        measure=complete.measure_a2,
        changes={"deadline": "2024-06-30"},
        reason="需财政资金",
    )
    decided = actions.decide_change(change, by=complete["office"], approve=True)
    assert decided.status == ChangeStatus.APPROVED
    assert Measure.objects.get(pk=complete.measure_a2.pk).deadline == dt.date(2024, 6, 30)
    assert decided.version is not None and decided.version.number == 2
    plan = Plan.objects.get(inspection=complete.inspection_a)
    assert (plan.version, plan.status) == (2, PlanStatus.APPROVED)
    assert decided.version.snapshot["measures"][1]["deadline"] == "2024-06-30"


def test_a_rejected_change_leaves_the_plan(complete: World) -> None:
    _approved(complete)
    change = actions.request_change(
        complete.inspection_a,
        by=complete["leader"],
        kind=ChangeKind.NEW_OWNER,
        measure=complete.measure_a2,
        changes={"responsible_person": "张科长"},
        reason="人员调整",
    )
    with pytest.raises(ValidationError, match="不予变更时必须说明理由"):
        actions.decide_change(change, by=complete["office"], approve=False)
    actions.decide_change(change, by=complete["office"], approve=False, reason="无必要")
    assert Measure.objects.get(pk=complete.measure_a2.pk).responsible_person == "李主任"
    assert Plan.objects.get(inspection=complete.inspection_a).version == 1
    assert AuditEvent.objects.filter(action="plan.change_reject").count() == 1


def test_new_owner_new_measure_and_withdrawal_apply(complete: World) -> None:
    _approved(complete)
    inspection, liaison, office = complete.inspection_a, complete["liaison"], complete["office"]
    owner = actions.request_change(
        inspection, by=liaison, kind=ChangeKind.NEW_OWNER, measure=complete.measure_a2,
        changes={"responsible_person": "张科长"}, reason="人员调整",
    )  # fmt: skip
    actions.decide_change(owner, by=office, approve=True)
    assert Measure.objects.get(pk=complete.measure_a2.pk).responsible_person == "张科长"
    new = actions.request_change(
        inspection, by=liaison, kind=ChangeKind.NEW_MEASURE, problem=complete.measure_a.problem,
        changes={"content": "建立长效机制", "kind": "deadline", "deadline": dt.date(2024, 12, 31)},
        reason="举一反三",
    )  # fmt: skip
    added = actions.decide_change(new, by=office, approve=True)
    assert added.measure is not None and added.measure.content == "建立长效机制"
    assert added.measure.deadline == dt.date(2024, 12, 31)
    assert AuditEvent.objects.filter(action="measure.create", target_id=added.measure.pk).exists()
    gone = actions.request_change(
        inspection, by=liaison, kind=ChangeKind.WITHDRAW_MEASURE, measure=complete.measure_a2,
        reason="与措施1重复",
    )  # fmt: skip
    actions.decide_change(gone, by=office, approve=True)
    assert not Measure.objects.filter(pk=complete.measure_a2.pk).exists()
    assert Plan.objects.get(inspection=inspection).version == 4


def test_the_last_measure_of_a_problem_cannot_be_withdrawn(complete: World) -> None:
    Measure.objects.filter(pk=complete.measure_a2.pk).delete()
    _approved(complete)
    gone = actions.request_change(
        complete.inspection_a, by=complete["liaison"], kind=ChangeKind.WITHDRAW_MEASURE,
        measure=complete.measure_a, reason="不需要",
    )  # fmt: skip
    with pytest.raises(InvalidTransition, match="唯一的整改措施"):
        actions.decide_change(gone, by=complete["office"], approve=True)
    assert Measure.objects.filter(pk=complete.measure_a.pk).exists()


def test_changes_are_for_approved_plans_and_decided_by_the_office(complete: World) -> None:
    with pytest.raises(InvalidTransition, match="审定前请直接修改"):
        actions.request_change(
            complete.inspection_a, by=complete["liaison"], kind=ChangeKind.NEW_DEADLINE,
            measure=complete.measure_a2, changes={"deadline": "2024-06-30"}, reason="资金",
        )  # fmt: skip
    _approved(complete)
    change = actions.request_change(
        complete.inspection_a, by=complete["liaison"], kind=ChangeKind.NEW_DEADLINE,
        measure=complete.measure_a2, changes={"deadline": "2024-06-30"}, reason="资金",
    )  # fmt: skip
    with pytest.raises(InvalidTransition, match="已有一项变更申请待审批"):
        actions.request_change(
            complete.inspection_a, by=complete["liaison"], kind=ChangeKind.NEW_OWNER,
            measure=complete.measure_a2, changes={"responsible_person": "张"}, reason="调整",
        )  # fmt: skip
    for persona in ("liaison", "group", "observer"):
        with pytest.raises(PermissionDenied):
            actions.decide_change(change, by=complete[persona], approve=True)
    with pytest.raises(NotFound):
        actions.decide_change(change, by=complete["far_office"], approve=True)
