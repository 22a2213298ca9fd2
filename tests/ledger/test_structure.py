"""Entering the feedback (inspection, aspects, problems) and the plan (measures)."""

from __future__ import annotations

import datetime as dt

import pytest

from zhenggai.ledger import actions
from zhenggai.ledger.errors import NotFound, PermissionDenied, ValidationError
from zhenggai.ledger.models import InspectionGroup, MeasureStatus


def create(world, persona="group", **details):
    return actions.create_inspection(
        by=world[persona], round=world.round, group=world.group, unit=world.unit_b, details=details
    )


@pytest.mark.parametrize("persona", ["group", "office"])
def test_the_group_or_office_enters_an_inspection(world, persona):
    inspection = create(world, persona, start="2024-03-01", end="2024-04-15", title="第二轮")
    assert (inspection.start, inspection.title) == (dt.date(2024, 3, 1), "第二轮")


@pytest.mark.parametrize(
    "persona", ["leader", "liaison", "owner", "observer", "sysadmin", "far_office"]
)
def test_nobody_else_enters_an_inspection(world, persona):
    with pytest.raises(PermissionDenied):
        create(world, persona)


def test_a_group_of_another_region_does_not_fit_the_round(world):
    stranger = InspectionGroup.objects.create(region=world.far_district, name="鼓楼区第一巡察组")
    with pytest.raises(ValidationError):
        actions.create_inspection(
            by=world["office"], round=world.round, group=stranger, unit=world.unit_b
        )


@pytest.mark.parametrize(
    "details",
    [
        {"start": "2024-03-01", "end": "2024-02-01"},
        {"end": "2024-03-01", "feedback_date": "2024-02-01"},
    ],
)
def test_inspection_dates_must_be_in_order(world, details):
    with pytest.raises(ValidationError):
        create(world, **details)


def test_aspects_and_problems_are_numbered_in_order(world):
    inspection = create(world)
    first = actions.add_aspect(inspection, by=world["group"], title="政治建设方面")
    second = actions.add_aspect(inspection, by=world["group"], title="作风建设方面")
    problem = actions.add_problem(
        second, by=world["office"], title="文山会海", details={"confidential": True}
    )
    assert (first.no, second.no, problem.no, problem.confidential) == (1, 2, 1, True)


def test_the_unit_writes_the_plan_but_not_the_findings(world):
    problem = world.measure_a.problem
    actions.update_problem(problem, {"cause_analysis": "理论学习不系统"}, by=world["liaison"])
    with pytest.raises(PermissionDenied):
        actions.update_problem(problem, {"title": "淡化问题"}, by=world["liaison"])
    with pytest.raises(PermissionDenied):
        actions.update_aspect(problem.aspect, {"title": "淡化方面"}, by=world["leader"])
    with pytest.raises(PermissionDenied):
        actions.add_problem(problem.aspect, by=world["leader"], title="自查问题")
    measure = actions.add_measure(
        problem, by=world["leader"], content="建立理论学习清单", details={"kind": "immediate"}
    )
    assert (measure.no, measure.status, measure.inspection) == (
        3,
        MeasureStatus.NOT_STARTED,
        world.inspection_a,
    )


def test_after_hand_over_only_the_office_edits_the_findings(world):
    with pytest.raises(PermissionDenied):
        actions.update_problem(world.measure_a.problem, {"title": "新表述"}, by=world["group"])
    problem = actions.update_problem(
        world.measure_a.problem, {"title": "新表述", "confidential": True}, by=world["office"]
    )
    assert (problem.title, problem.confidential) == ("新表述", True)
    aspect = actions.update_aspect(problem.aspect, {"title": "新方面"}, by=world["office"])
    assert aspect.title == "新方面"


def test_other_units_and_observers_change_nothing(world):
    problem = world.measure_a.problem
    with pytest.raises(NotFound):
        actions.add_measure(problem, by=world["other"], content="越权")
    with pytest.raises(NotFound):
        actions.update_inspection(world.inspection_a, {"title": "越权"}, by=world["other"])
    with pytest.raises(PermissionDenied):
        actions.update_inspection(world.inspection_a, {"title": "越权"}, by=world["observer"])
    with pytest.raises(PermissionDenied):
        actions.add_aspect(world.inspection_a, by=world["observer"], title="越权")


def test_fields_outside_the_form_are_refused(world):
    with pytest.raises(ValidationError) as caught:
        actions.update_inspection(world.inspection_a, {"unit": world.unit_b.pk}, by=world["office"])
    assert "unit" in caught.value.errors
