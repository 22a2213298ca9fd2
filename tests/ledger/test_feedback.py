"""The process from its first day: feedback entered, handed over, corrected, withdrawn."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from zhenggai.ledger import access, actions
from zhenggai.ledger.errors import InvalidTransition, NotFound, PermissionDenied, ValidationError
from zhenggai.ledger.models import AuditEvent, Evidence, Measure, Problem


def feedback(world):
    inspection = actions.create_inspection(
        by=world["group"], round=world.round, group=world.group, unit=world.unit_a
    )
    aspect = actions.add_aspect(inspection, by=world["group"], title="党的领导弱化方面")
    problem = actions.add_problem(
        aspect, by=world["group"], title="落实意识形态工作责任制不到位", details={"immediate": True}
    )
    return inspection, problem


def actions_on(target) -> list[str]:
    events = AuditEvent.objects.filter(
        target_type=target._meta.model_name, target_id=str(target.pk)
    )
    return list(events.values_list("action", flat=True))


def test_the_unit_does_not_see_feedback_before_hand_over(world):
    inspection, problem = feedback(world)
    for persona in ("leader", "liaison", "owner"):
        assert not access.inspections_for(world[persona]).filter(pk=inspection.pk).exists()
        with pytest.raises(NotFound):
            access.get_problem_for(world[persona], problem.pk)
    assert access.get_inspection_for(world["observer"], inspection.pk) == inspection
    actions.hand_over(inspection, by=world["group"])
    assert access.get_inspection_for(world["leader"], inspection.pk) == inspection
    assert problem.immediate and "inspection.hand_over" in actions_on(inspection)


def test_hand_over_needs_a_problem_and_sets_the_feedback_date(world):
    inspection = actions.create_inspection(
        by=world["group"], round=world.round, group=world.group, unit=world.unit_a
    )
    with pytest.raises(InvalidTransition):
        actions.hand_over(inspection, by=world["group"])
    actions.add_problem(
        actions.add_aspect(inspection, by=world["group"], title="方面"),
        by=world["group"],
        title="问题",
    )
    with time_machine.travel(dt.datetime(2024, 1, 5, 10, tzinfo=dt.UTC)):
        handed = actions.hand_over(inspection, by=world["group"])
    assert handed.feedback_date == dt.date(2024, 1, 5)
    with pytest.raises(PermissionDenied):
        actions.hand_over(inspection, by=world["group"])


def test_after_hand_over_the_group_no_longer_edits_the_feedback_but_the_office_does(world):
    inspection, problem = feedback(world)
    actions.update_problem(problem, {"title": "意识形态责任制落实不到位"}, by=world["group"])
    actions.hand_over(inspection, by=world["group"])
    with pytest.raises(PermissionDenied):
        actions.update_problem(problem, {"title": "再改"}, by=world["group"])
    with pytest.raises(PermissionDenied):
        actions.update_problem(problem, {"title": "淡化"}, by=world["liaison"])
    assert actions.update_problem(problem, {"title": "再改"}, by=world["office"]).title == "再改"


def test_only_the_office_marks_a_problem_confidential(world):
    problem = world.measure_a.problem
    for persona in ("group", "leader"):
        with pytest.raises(PermissionDenied):
            actions.set_confidential(problem, by=world[persona], confidential=True)
    assert actions.set_confidential(problem, by=world["office"], confidential=True).confidential


def test_withdrawing_a_problem_hides_it_and_its_measures_until_restored(world):
    problem = world.measure_a.problem
    with pytest.raises(ValidationError):
        actions.withdraw_problem(problem, by=world["office"], reason=" ")
    actions.withdraw_problem(problem, by=world["office"], reason="与第二方面重复")
    assert not access.measures_for(world["office"]).filter(problem=problem).exists()
    assert not access.problems_for(world["leader"]).filter(pk=problem.pk).exists()
    assert Measure.all_objects.filter(problem=problem, withdrawn_at__isnull=False).count() == 2
    with pytest.raises(PermissionDenied):
        actions.restore_problem(problem, by=world["group"])
    actions.restore_problem(problem, by=world["office"])
    assert access.measures_for(world["office"]).filter(problem=problem).count() == 2
    assert actions_on(problem)[-2:] == ["problem.withdraw", "problem.restore"]


def test_the_unit_withdraws_a_measure_and_only_the_office_restores_it(world):
    measure = world.measure_a2
    actions.withdraw_measure(measure, by=world["liaison"], reason="与第1项重复")
    with pytest.raises(NotFound):
        access.get_measure_for(world["liaison"], measure.pk)
    with pytest.raises(NotFound):
        actions.restore_measure(measure, by=world["other"])
    with pytest.raises(PermissionDenied):
        actions.restore_measure(measure, by=world["liaison"])
    actions.restore_measure(measure, by=world["office"])
    assert actions_on(measure) == ["measure.withdraw", "measure.restore"]


def test_the_observer_and_other_units_cannot_withdraw(world):
    with pytest.raises(PermissionDenied):
        actions.withdraw_measure(world.measure_a, by=world["observer"], reason="越权")
    with pytest.raises(NotFound):
        actions.withdraw_measure(world.measure_a, by=world["other"], reason="越权")


def test_split_keeps_the_measure_and_adds_one_with_its_responsibility(world):
    kept, new = actions.split_measure(
        world.measure_a, by=world["liaison"], first="制定学习计划", second="组织专题学习"
    )
    assert (kept.content, new.content) == ("制定学习计划", "组织专题学习")
    assert (new.no, new.deadline, new.owner_id) == (3, kept.deadline, kept.owner_id)
    assert new.status == "not_started" and "measure.split" in actions_on(kept)
    with pytest.raises(ValidationError):
        actions.split_measure(kept, by=world["liaison"], first="只有一半", second="")


def test_merge_joins_the_texts_moves_evidence_and_withdraws_the_other(world):
    actions.add_evidence(world.measure_a2, by=world["liaison"], title="学习计划")
    kept = actions.merge_measures(world.measure_a, world.measure_a2, by=world["liaison"])
    assert world.measure_a2.content in kept.content
    assert Evidence.objects.filter(measure=kept).count() == 1
    merged = Measure.all_objects.get(pk=world.measure_a2.pk)
    assert merged.withdrawn_at is not None and "第1项" in merged.withdraw_reason
    assert "measure.merge" in actions_on(kept)


def test_measures_of_different_problems_do_not_merge(world):
    with pytest.raises(NotFound):
        actions.merge_measures(world.measure_a, world.measure_b, by=world["liaison"])
    with pytest.raises(ValidationError):
        actions.merge_measures(world.measure_a, world.measure_b, by=world["office"])


def test_a_submitted_measure_is_not_split_or_withdrawn(world, submit):
    measure = submit()
    with pytest.raises(InvalidTransition):
        actions.withdraw_measure(measure, by=world["liaison"], reason="不做了")
    with pytest.raises(InvalidTransition):
        actions.split_measure(measure, by=world["liaison"], first="一", second="二")


def test_a_frozen_plan_refuses_structural_edits(world, monkeypatch):
    monkeypatch.setattr(access, "plan_frozen", lambda inspection: True)
    with pytest.raises(InvalidTransition):
        actions.withdraw_measure(world.measure_a, by=world["liaison"], reason="重复")
    with pytest.raises(InvalidTransition):
        actions.add_measure(world.measure_a.problem, by=world["liaison"], content="新措施")


@time_machine.travel(dt.datetime(2024, 1, 10, 9, tzinfo=dt.UTC))
def test_the_office_withdraws_a_wrong_import_and_restores_it(world):
    inspection = world.inspection_a
    with pytest.raises(PermissionDenied):
        actions.withdraw_inspection(inspection, by=world["group"], reason="导错单位")
    actions.withdraw_inspection(inspection, by=world["office"], reason="导错单位")
    for persona in ("group", "leader", "observer"):
        with pytest.raises(NotFound):
            access.get_inspection_for(world[persona], inspection.pk)
    assert access.get_inspection_for(world["office"], inspection.pk) == inspection
    assert not access.measures_for(world["office"]).filter(inspection=inspection).exists()
    actions.restore_inspection(inspection, by=world["office"])
    assert access.get_inspection_for(world["leader"], inspection.pk) == inspection
    assert actions_on(inspection) == ["inspection.withdraw", "inspection.restore"]


@time_machine.travel(dt.datetime(2024, 3, 1, 9, tzinfo=dt.UTC))
def test_an_inspection_is_not_withdrawn_after_the_plan_period(world):
    # Feedback 2023-12-26: the plan was due 2024-01-26.
    with pytest.raises(InvalidTransition):
        actions.withdraw_inspection(world.inspection_a, by=world["office"], reason="太晚")


def test_withdrawn_problems_keep_their_numbers(world):
    _inspection, problem = feedback(world)
    actions.withdraw_problem(problem, by=world["group"], reason="重复")
    again = actions.add_problem(problem.aspect, by=world["group"], title="新问题")
    assert again.no == 2 and Problem.all_objects.filter(aspect=problem.aspect).count() == 2
