"""Statutory reminders follow the feedback: none before hand-over, none for a withdrawn
inspection, none for the plan once it is submitted, none for a report recorded as sent."""

from __future__ import annotations

import datetime as dt
import io

from django.core.management import call_command

from tests.supervision.conftest import World, at
from zhenggai.ledger import actions
from zhenggai.ledger.models import Inspection
from zhenggai.supervision.models import Reminder, Subject


def remind() -> None:
    call_command("remind", stdout=io.StringIO())


def statutory(inspection: Inspection) -> set[str]:
    rows = Reminder.objects.filter(inspection=inspection, measure__isnull=True)
    return set(rows.values_list("subject", flat=True))


def test_feedback_not_handed_over_runs_no_deadline(world: World) -> None:
    world.inspection_a.handed_over_at = None
    world.inspection_a.save(update_fields=["handed_over_at"])
    with at(dt.date(2024, 1, 25)):
        remind()
    assert statutory(world.inspection_a) == set()
    assert statutory(world.inspection_b) == {Subject.PLAN}


def test_a_withdrawn_inspection_reminds_nobody(world: World) -> None:
    with at(dt.date(2024, 1, 10)):
        actions.withdraw_inspection(world.inspection_a, by=world["office"], reason="导错单位")
    with at(dt.date(2024, 1, 25)):
        remind()
    assert statutory(world.inspection_a) == set()
    assert not Reminder.objects.filter(measure=world.measure_a).exists()


def _plan_submitted(world: World, inspection: Inspection) -> None:
    """A submitted version of the inspection's plan, as ``planning.actions`` leaves it."""
    from zhenggai.planning.models import Plan, PlanVersion, VersionStatus

    plan = Plan.objects.create(inspection=inspection, version=1)
    PlanVersion.objects.create(
        plan=plan,
        number=1,
        status=VersionStatus.SUBMITTED,
        snapshot={},
        sha256="0" * 64,
        submitted_by=world["liaison"],
    )


def test_a_submitted_plan_and_a_sent_report_are_not_reminded(world: World) -> None:
    # Feedback 2023-12-26: the plan is due 2024-01-26, the report 2024-02-26.
    _plan_submitted(world, world.inspection_a)
    with at(dt.date(2024, 1, 26)):
        remind()
    assert statutory(world.inspection_a) == set()
    assert statutory(world.inspection_b) == {Subject.PLAN}
    with at(dt.date(2024, 2, 20)):
        actions.submit_report(world.inspection_a, by=world["liaison"])
    with at(dt.date(2024, 2, 26)):
        remind()
    assert statutory(world.inspection_a) == set()
    assert Subject.REPORT in statutory(world.inspection_b)
