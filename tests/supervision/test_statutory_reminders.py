"""Statutory reminders follow the feedback: none before hand-over, none for a withdrawn
inspection, none for the plan once it is submitted."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command

from tests.supervision.conftest import World, at
from zhenggai.ledger import access, actions
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


def test_a_submitted_plan_is_not_reminded(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(access, "plan_submitted", lambda inspection: True)
    with at(dt.date(2024, 2, 26)):
        remind()
    assert statutory(world.inspection_a) == {Subject.REPORT}
