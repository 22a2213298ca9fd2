"""Bulk work (issue #16, part 2): one transaction, all-or-nothing, each measure checked with
the single-measure action's own rules, one summary event, and a list of what was refused."""

from __future__ import annotations

import datetime as dt

import pytest
from tests.ledger.conftest import Submit, World, _measure

from zhenggai.ledger import bulk
from zhenggai.ledger.models import AuditEvent, DeadlineExtension, Measure, MeasureStatus


def status(measure: Measure) -> str:
    return Measure.objects.get(pk=measure.pk).status


def test_the_office_closes_three_measures_in_one_action(world: World, submit: Submit) -> None:
    third = _measure(world.inspection_a, 3)
    picked = [world.measure_a, world.measure_a2, third]
    for measure in picked:
        submit(measure)
    done = bulk.close_out([m.pk for m in picked], by=world["office"], note="材料齐全")
    assert {m.pk for m in done} == {m.pk for m in picked}
    assert {status(m) for m in picked} == {MeasureStatus.CLOSED}
    summary = AuditEvent.objects.get(action="measure.bulk_close_out")
    assert summary.actor == world["office"] and sorted(summary.after["measures"]) == sorted(
        m.pk for m in picked
    )
    # Each measure keeps its own close-out in its history.
    assert AuditEvent.objects.filter(action="measure.close_out").count() == 3


def test_one_refused_measure_leaves_all_of_them_unchanged(world: World, submit: Submit) -> None:
    submit(world.measure_a)  # measure_a2 is still 未开始: it cannot be closed
    with pytest.raises(bulk.BulkRefused) as refused:
        bulk.close_out([world.measure_a.pk, world.measure_a2.pk], by=world["office"])
    assert status(world.measure_a) == MeasureStatus.SUBMITTED  # not closed either
    assert [label for label, _ in refused.value.refusals] == ["措施一（一）2"]
    assert "只有“已提交待验收”的措施可以验收销号" in refused.value.message
    assert not AuditEvent.objects.filter(action__in=["measure.close_out", "measure.bulk_close_out"])


def test_the_unit_cannot_close_its_own_work_nor_touch_another_units(
    world: World, submit: Submit
) -> None:
    submit(world.measure_a)
    with pytest.raises(bulk.BulkRefused) as refused:
        bulk.close_out([world.measure_a.pk], by=world["leader"])
    assert "无权" in refused.value.refusals[0][1]
    # Another unit's measure is not even visible to the liaison of unit A.
    with pytest.raises(bulk.BulkRefused) as unseen:
        bulk.submit([world.measure_b.pk], by=world["liaison"])
    assert unseen.value.refusals == [(f"#{world.measure_b.pk}", "未找到，或您无权查看。")]
    assert status(world.measure_a) == MeasureStatus.SUBMITTED


def test_the_liaison_assigns_an_owner_to_several_measures(world: World) -> None:
    bulk.assign(
        [world.measure_a.pk, world.measure_a2.pk], by=world["liaison"], owner=world["owner"]
    )
    owners = set(
        Measure.objects.filter(inspection=world.inspection_a).values_list("owner", flat=True)
    )
    assert owners == {world["owner"].pk}
    # measure_a had that owner already: only measure_a2 changed, and only it has an event.
    updated = AuditEvent.objects.filter(action="measure.update").values_list("target_id", flat=True)
    assert list(updated) == [str(world.measure_a2.pk)]
    assert AuditEvent.objects.filter(action="measure.bulk_assign").count() == 1


def test_an_owner_from_another_unit_is_refused(world: World) -> None:
    with pytest.raises(bulk.BulkRefused, match="责任人须为本单位的用户"):
        bulk.assign([world.measure_a2.pk], by=world["liaison"], owner=world["other"])
    assert Measure.objects.get(pk=world.measure_a2.pk).owner is None


def test_rescheduling_a_set_deadline_asks_for_an_extension(world: World) -> None:
    later = dt.date(2024, 6, 30)
    unset = _measure(world.inspection_a, 3)
    Measure.objects.filter(pk=unset.pk).update(deadline=None)
    bulk.reschedule(
        [world.measure_a.pk, unset.pk], by=world["liaison"], deadline=later, reason="需协调"
    )
    assert Measure.objects.get(pk=unset.pk).deadline == later  # none was set: set directly
    assert Measure.objects.get(pk=world.measure_a.pk).deadline == dt.date(2024, 3, 31)
    extension = DeadlineExtension.objects.get(measure=world.measure_a)
    assert extension.requested_deadline == later and extension.status == "pending"


def test_an_empty_selection_is_refused(world: World) -> None:
    with pytest.raises(bulk.ValidationError, match="请先勾选"):
        bulk.submit([], by=world["liaison"])
