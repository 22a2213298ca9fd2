"""The measure workflow: every rule tried both ways, by the personas of conftest.py."""

from __future__ import annotations

import datetime as dt

import pytest

from zhenggai.ledger import actions
from zhenggai.ledger.errors import InvalidTransition, NotFound, PermissionDenied, ValidationError
from zhenggai.ledger.models import (
    AuditEvent,
    DeadlineExtension,
    Decision,
    DecisionKind,
    ExtensionStatus,
    Measure,
    MeasureKind,
    MeasureStatus,
    Membership,
    Role,
)


def status_of(measure: Measure) -> str:
    return Measure.objects.get(pk=measure.pk).status


# --- start work ----------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["leader", "liaison", "owner"])
def test_the_unit_starts_work_on_its_measure(world, persona):
    measure = actions.start_work(world.measure_a, by=world[persona])
    assert measure.status == MeasureStatus.IN_PROGRESS
    assert measure.version == 2


def test_an_owner_cannot_start_a_measure_owned_by_nobody(world):
    with pytest.raises(PermissionDenied):
        actions.start_work(world.measure_a2, by=world["owner"])


@pytest.mark.parametrize("persona", ["other", "sysadmin", "far_office"])
def test_outsiders_do_not_find_the_measure(world, persona):
    with pytest.raises(NotFound):
        actions.start_work(world.measure_a, by=world[persona])


@pytest.mark.parametrize("persona", ["observer", "office", "group"])
def test_roles_that_may_read_but_not_do_unit_work_are_denied(world, persona):
    with pytest.raises(PermissionDenied):
        actions.start_work(world.measure_a, by=world[persona])
    assert status_of(world.measure_a) == MeasureStatus.NOT_STARTED


def test_work_cannot_start_twice(world):
    actions.start_work(world.measure_a, by=world["liaison"])
    with pytest.raises(InvalidTransition):
        actions.start_work(world.measure_a, by=world["liaison"])


def test_a_deactivated_user_has_no_access(world):
    liaison = world["liaison"]
    liaison.is_active = False
    liaison.save(update_fields=["is_active"])
    with pytest.raises(NotFound):
        actions.start_work(world.measure_a, by=liaison)


# --- submission ----------------------------------------------------------------------------


def test_submission_freezes_the_evidence_and_records_a_decision(world, submit):
    measure = submit()
    assert measure.status == MeasureStatus.SUBMITTED
    assert all(e.frozen for e in measure.evidence.all())
    decision = Decision.objects.get(measure=measure)
    assert decision.kind == DecisionKind.SUBMIT
    assert decision.actor == world["liaison"]
    assert decision.snapshot["status"] == MeasureStatus.SUBMITTED
    assert decision.snapshot["content"] == measure.content


def test_the_leader_may_submit(world, submit):
    assert submit(by="leader").status == MeasureStatus.SUBMITTED


def test_an_owner_may_not_submit_for_the_unit(world, submit):
    with pytest.raises(PermissionDenied):
        submit(by="owner")


def test_nothing_is_submitted_without_evidence(world):
    actions.start_work(world.measure_a, by=world["liaison"])
    with pytest.raises(InvalidTransition, match="佐证材料"):
        actions.submit_for_closure(world.measure_a, by=world["liaison"])
    assert status_of(world.measure_a) == MeasureStatus.IN_PROGRESS


def test_a_measure_not_started_cannot_be_submitted(world):
    actions.add_evidence(world.measure_a, by=world["liaison"], title="会议纪要")
    with pytest.raises(InvalidTransition):
        actions.submit_for_closure(world.measure_a, by=world["liaison"])


def test_a_submitted_measure_cannot_be_edited(world, submit):
    measure = submit()
    with pytest.raises(InvalidTransition, match="不能修改"):
        actions.update_measure(
            measure,
            {"progress": "又做了一些"},
            by=world["liaison"],
            expected_version=measure.version,
        )
    assert Measure.objects.get(pk=measure.pk).progress == ""


def test_no_evidence_is_added_to_a_submitted_measure(world, submit):
    measure = submit()
    with pytest.raises(InvalidTransition):
        actions.add_evidence(measure, by=world["liaison"], title="补充材料")
    assert measure.evidence.count() == 1


def test_frozen_evidence_cannot_be_removed_even_after_a_return(world, submit):
    measure = submit()
    actions.return_measure(measure, by=world["office"], reason="材料不全")
    with pytest.raises(InvalidTransition, match="锁定"):
        actions.remove_evidence(measure.evidence.get(), by=world["liaison"])


# --- close-out -----------------------------------------------------------------------------


def test_the_office_verifies_and_closes_out(world, submit):
    measure = actions.verify_and_close_out(submit(), by=world["office"], note="材料齐全")
    assert measure.status == MeasureStatus.CLOSED
    decision = measure.decisions.get(kind=DecisionKind.CLOSE_OUT)
    assert (decision.actor, decision.reason) == (world["office"], "材料齐全")


@pytest.mark.parametrize("persona", ["leader", "liaison", "owner", "observer", "group"])
def test_nobody_but_the_office_closes_out(world, submit, persona):
    measure = submit()
    with pytest.raises(PermissionDenied):
        actions.verify_and_close_out(measure, by=world[persona])
    assert status_of(measure) == MeasureStatus.SUBMITTED


@pytest.mark.parametrize("persona", ["other", "far_office", "sysadmin"])
def test_outsiders_cannot_close_out(world, submit, persona):
    with pytest.raises(NotFound):
        actions.verify_and_close_out(submit(), by=world[persona])


def test_an_office_user_who_is_also_in_the_unit_cannot_close_out_its_measures(world, submit):
    Membership.objects.create(user=world["office"], role=Role.LIAISON, unit=world.unit_a)
    measure = submit(by="liaison")
    with pytest.raises(PermissionDenied):
        actions.verify_and_close_out(measure, by=world["office"])


def test_whoever_submitted_can_never_verify_it_even_after_moving_to_the_office(world, submit):
    measure = submit(by="liaison")
    liaison = world["liaison"]
    Membership.objects.filter(user=liaison).delete()
    Membership.objects.create(user=liaison, role=Role.OFFICE, region=world.district)
    with pytest.raises(PermissionDenied, match="自己提交"):
        actions.verify_and_close_out(measure, by=liaison)


def test_no_close_out_without_evidence(world):
    Measure.objects.filter(pk=world.measure_a.pk).update(status=MeasureStatus.SUBMITTED)
    with pytest.raises(InvalidTransition, match="佐证材料"):
        actions.verify_and_close_out(world.measure_a, by=world["office"])
    assert status_of(world.measure_a) == MeasureStatus.SUBMITTED


def test_a_measure_in_progress_cannot_be_closed_out(world):
    actions.start_work(world.measure_a, by=world["liaison"])
    actions.add_evidence(world.measure_a, by=world["liaison"], title="会议纪要")
    with pytest.raises(InvalidTransition):
        actions.verify_and_close_out(world.measure_a, by=world["office"])


def test_a_closed_measure_cannot_be_edited(world, submit):
    measure = actions.verify_and_close_out(submit(), by=world["office"])
    with pytest.raises(InvalidTransition):
        actions.update_measure(
            measure, {"content": "改写"}, by=world["liaison"], expected_version=measure.version
        )


# --- 长期坚持: phase complete and periodic progress -------------------------------------------


@pytest.fixture
def ongoing(world):
    Measure.objects.filter(pk=world.measure_a.pk).update(kind=MeasureKind.ONGOING)
    return Measure.objects.get(pk=world.measure_a.pk)


def test_an_ongoing_measure_is_never_closed_out(world, submit, ongoing):
    measure = submit(ongoing)
    with pytest.raises(InvalidTransition, match="阶段性完成"):
        actions.verify_and_close_out(measure, by=world["office"])


def test_the_office_marks_an_ongoing_measure_phase_complete_and_progress_goes_on(
    world, submit, ongoing
):
    measure = actions.mark_phase_complete(submit(ongoing), by=world["office"], note="阶段目标达成")
    assert measure.status == MeasureStatus.PHASE_COMPLETE
    assert measure.decisions.filter(kind=DecisionKind.VERIFY).exists()
    note = actions.record_progress(measure, by=world["owner"], text="第二季度召开专题会议 1 次")
    assert note.measure == measure


def test_only_ongoing_measures_are_marked_phase_complete(world, submit):
    with pytest.raises(InvalidTransition, match="长期坚持"):
        actions.mark_phase_complete(submit(), by=world["office"])


def test_the_unit_cannot_mark_its_own_measure_phase_complete(world, submit, ongoing):
    with pytest.raises(PermissionDenied):
        actions.mark_phase_complete(submit(ongoing), by=world["leader"])


# --- return and reopen ---------------------------------------------------------------------


def test_the_office_returns_with_a_reason_and_the_unit_resubmits(world, submit):
    measure = actions.return_measure(submit(), by=world["office"], reason="缺少会议记录原件")
    assert measure.status == MeasureStatus.RETURNED
    assert measure.decisions.get(kind=DecisionKind.RETURN).reason == "缺少会议记录原件"
    measure = actions.update_measure(
        measure, {"progress": "已补充原件"}, by=world["liaison"], expected_version=measure.version
    )
    assert measure.status == MeasureStatus.RETURNED
    actions.add_evidence(measure, by=world["liaison"], title="会议记录原件")
    measure = actions.submit_for_closure(measure, by=world["liaison"])
    assert measure.status == MeasureStatus.SUBMITTED
    assert measure.evidence.filter(frozen=True).count() == 2


@pytest.mark.parametrize("reason", ["", "   "])
def test_returning_requires_a_reason(world, submit, reason):
    measure = submit()
    with pytest.raises(ValidationError):
        actions.return_measure(measure, by=world["office"], reason=reason)
    assert status_of(measure) == MeasureStatus.SUBMITTED


def test_the_unit_cannot_return_its_own_submission(world, submit):
    with pytest.raises(PermissionDenied):
        actions.return_measure(submit(), by=world["leader"], reason="想再改改")


def test_the_office_reopens_a_closed_measure_with_a_reason(world, submit):
    measure = actions.verify_and_close_out(submit(), by=world["office"])
    with pytest.raises(ValidationError):
        actions.reopen(measure, by=world["office"], reason="")
    measure = actions.reopen(measure, by=world["office"], reason="回头看发现问题反弹")
    assert measure.status == MeasureStatus.IN_PROGRESS
    assert measure.decisions.filter(kind=DecisionKind.REOPEN).count() == 1


def test_only_closed_or_phase_complete_measures_are_reopened(world):
    with pytest.raises(InvalidTransition):
        actions.reopen(world.measure_a, by=world["office"], reason="无")


def test_the_unit_cannot_reopen(world, submit):
    measure = actions.verify_and_close_out(submit(), by=world["office"])
    with pytest.raises(PermissionDenied):
        actions.reopen(measure, by=world["liaison"], reason="想再改改")


# --- deadline extensions -------------------------------------------------------------------


def request(world, persona="liaison", deadline=dt.date(2024, 6, 30)):
    return actions.request_extension(
        world.measure_a, by=world[persona], deadline=deadline, reason="需等待上级文件"
    )


def test_the_unit_requests_and_the_office_approves_an_extension(world):
    extension = request(world)
    assert extension.status == ExtensionStatus.PENDING
    assert extension.previous_deadline == dt.date(2024, 3, 31)
    actions.decide_extension(extension, by=world["office"], approve=True)
    measure = Measure.objects.get(pk=world.measure_a.pk)
    assert measure.deadline == dt.date(2024, 6, 30)
    assert measure.version == 2
    kinds = set(measure.decisions.values_list("kind", flat=True))
    assert kinds == {DecisionKind.REQUEST_EXTENSION, DecisionKind.APPROVE_EXTENSION}


def test_a_rejection_needs_a_reason_and_keeps_the_deadline(world):
    extension = request(world)
    with pytest.raises(ValidationError):
        actions.decide_extension(extension, by=world["office"], approve=False)
    actions.decide_extension(extension, by=world["office"], approve=False, reason="理由不充分")
    assert DeadlineExtension.objects.get().status == ExtensionStatus.REJECTED
    assert Measure.objects.get(pk=world.measure_a.pk).deadline == dt.date(2024, 3, 31)


@pytest.mark.parametrize("persona", ["leader", "liaison", "owner", "observer", "group"])
def test_only_the_office_decides_an_extension(world, persona):
    extension = request(world)
    with pytest.raises(PermissionDenied):
        actions.decide_extension(extension, by=world[persona], approve=True)
    assert DeadlineExtension.objects.get().status == ExtensionStatus.PENDING


def test_an_outsider_does_not_find_the_extension(world):
    with pytest.raises(NotFound):
        actions.decide_extension(request(world), by=world["far_office"], approve=True)


@pytest.mark.parametrize("persona", ["office", "observer", "group"])
def test_only_the_unit_requests_an_extension(world, persona):
    with pytest.raises(PermissionDenied):
        request(world, persona)


def test_an_extension_must_move_the_deadline_later(world):
    with pytest.raises(ValidationError):
        request(world, deadline=dt.date(2024, 3, 1))


def test_one_pending_extension_at_a_time(world):
    request(world)
    with pytest.raises(InvalidTransition, match="待审批"):
        request(world, deadline=dt.date(2024, 9, 30))


def test_an_extension_is_decided_once(world):
    extension = request(world)
    actions.decide_extension(extension, by=world["office"], approve=True)
    with pytest.raises(InvalidTransition):
        actions.decide_extension(extension, by=world["office"], approve=False, reason="改主意")


def test_an_extension_is_not_requested_for_a_measure_without_a_deadline(world):
    Measure.objects.filter(pk=world.measure_a2.pk).update(deadline=None)
    with pytest.raises(InvalidTransition, match="直接填写"):
        actions.request_extension(
            world.measure_a2, by=world["liaison"], deadline=dt.date(2024, 6, 30), reason="x"
        )


# --- progress notes ------------------------------------------------------------------------


def test_progress_is_recorded_while_work_goes_on(world):
    actions.start_work(world.measure_a, by=world["owner"])
    note = actions.record_progress(
        world.measure_a, by=world["owner"], text="已完成初稿", date=dt.date(2024, 1, 19)
    )
    assert (note.author, note.date) == (world["owner"], dt.date(2024, 1, 19))


def test_progress_needs_text_a_past_date_and_work_under_way(world):
    with pytest.raises(InvalidTransition):
        actions.record_progress(world.measure_a, by=world["owner"], text="计划中")
    actions.start_work(world.measure_a, by=world["owner"])
    with pytest.raises(ValidationError):
        actions.record_progress(world.measure_a, by=world["owner"], text="  ")
    with pytest.raises(ValidationError):
        actions.record_progress(
            world.measure_a, by=world["owner"], text="预计完成", date=dt.date(2999, 1, 1)
        )
    assert not world.measure_a.notes.exists()


def test_failed_actions_leave_no_audit_event_and_no_decision(world, submit):
    measure = submit()
    events, decisions = AuditEvent.objects.count(), Decision.objects.count()
    attempts = [
        lambda: actions.verify_and_close_out(measure, by=world["liaison"]),
        lambda: actions.return_measure(measure, by=world["office"], reason=""),
        lambda: actions.start_work(measure, by=world["liaison"]),
        lambda: actions.submit_for_closure(measure, by=world["liaison"]),
        lambda: actions.add_evidence(measure, by=world["liaison"], title="迟到的材料"),
        lambda: actions.reopen(measure, by=world["office"], reason="不该打开"),
        lambda: actions.update_measure(
            measure, {"progress": "x"}, by=world["owner"], expected_version=1
        ),
    ]
    for attempt in attempts:
        with pytest.raises((PermissionDenied, InvalidTransition, ValidationError)):
            attempt()
    assert (AuditEvent.objects.count(), Decision.objects.count()) == (events, decisions)
