"""Editing a measure: validation, ownership, and optimistic locking by version."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection

from zhenggai.ledger import actions
from zhenggai.ledger.errors import ConflictError, NotFound, PermissionDenied, ValidationError
from zhenggai.ledger.models import AuditEvent, Measure, MeasureKind


def edit(world, changes, persona="liaison", measure=None, version=None):
    measure = measure or world.measure_a
    version = measure.version if version is None else version
    return actions.update_measure(measure, changes, by=world[persona], expected_version=version)


def test_an_edit_saves_the_fields_bumps_the_version_and_is_audited(world):
    measure = edit(world, {"progress": "已起草学习计划", "responsible_person": "张三"})
    assert (measure.progress, measure.responsible_person, measure.version) == (
        "已起草学习计划",
        "张三",
        2,
    )
    event = AuditEvent.objects.get(action="measure.update")
    assert event.actor == world["liaison"]
    assert event.before["progress"] == "" and event.after["progress"] == "已起草学习计划"
    assert (event.before["version"], event.after["version"]) == (1, 2)


def test_a_stale_version_raises_a_conflict_and_writes_nothing(world):
    edit(world, {"progress": "第一人保存"}, persona="liaison")
    events = AuditEvent.objects.count()
    with pytest.raises(ConflictError, match="已被他人修改") as caught:
        edit(world, {"progress": "第二人保存"}, persona="leader", version=1)
    assert "刷新" in caught.value.message
    measure = Measure.objects.get(pk=world.measure_a.pk)
    assert (measure.progress, measure.version) == ("第一人保存", 2)
    assert AuditEvent.objects.count() == events


def test_a_transition_makes_earlier_edits_stale(world):
    version = world.measure_a.version
    actions.start_work(world.measure_a, by=world["liaison"])
    with pytest.raises(ConflictError):
        edit(world, {"progress": "基于旧页面"}, version=version)


def test_the_conditional_update_refuses_a_version_changed_after_the_check(world, monkeypatch):
    """Simulate the race: another save lands between reading the measure and the UPDATE."""
    original = actions._clean_measure_changes

    def clean_then_lose_the_race(measure, changes, scope):
        Measure.objects.filter(pk=measure.pk).update(version=measure.version + 1)
        return original(measure, changes, scope)

    monkeypatch.setattr(actions, "_clean_measure_changes", clean_then_lose_the_race)
    with pytest.raises(ConflictError):
        edit(world, {"progress": "竞争"})
    assert Measure.objects.get(pk=world.measure_a.pk).progress == ""


@pytest.mark.django_db(transaction=True)
def test_two_people_saving_the_same_version_at_once_one_wins_one_conflicts(world):
    if connection.vendor != "postgresql":
        pytest.skip("two real connections at once need a server database")
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def save(persona: str) -> None:
        barrier.wait()
        try:
            edit(world, {"progress": f"{persona} 的修改"}, persona=persona, version=1)
            outcomes.append("saved")
        except ConflictError:
            outcomes.append("conflict")
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(p,)) for p in ("leader", "liaison")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["conflict", "saved"]
    assert Measure.objects.get(pk=world.measure_a.pk).version == 2


def test_unchanged_values_are_not_an_edit(world):
    measure = edit(world, {"content": world.measure_a.content})
    assert measure.version == 1
    assert not AuditEvent.objects.filter(action="measure.update").exists()


@pytest.mark.parametrize(
    "changes",
    [
        {"status": "closed"},
        {"version": 9},
        {"inspection": 1},
        {"kind": "sometimes"},
        {"content": "   "},
        {"deadline": "明年"},
        {"completed_date": dt.date(2999, 1, 1)},
        {"review_period_months": 3},
        {"responsible_leader": "很长" * 100},
    ],
)
def test_invalid_changes_are_refused_with_a_message_per_field(world, changes):
    with pytest.raises(ValidationError) as caught:
        edit(world, changes)
    assert set(caught.value.errors) == set(changes)
    assert all(caught.value.errors.values())
    assert Measure.objects.get(pk=world.measure_a.pk).version == 1


def test_a_review_period_goes_with_the_ongoing_kind(world):
    measure = edit(world, {"kind": MeasureKind.ONGOING, "review_period_months": "3"})
    assert (measure.kind, measure.review_period_months) == (MeasureKind.ONGOING, 3)


def test_the_deadline_is_set_once_then_moves_only_by_extension(world):
    Measure.objects.filter(pk=world.measure_a.pk).update(deadline=None)
    measure = edit(
        world, {"deadline": "2024-03-31"}, measure=Measure.objects.get(pk=world.measure_a.pk)
    )
    assert measure.deadline == dt.date(2024, 3, 31)
    with pytest.raises(ValidationError) as caught:
        edit(world, {"deadline": dt.date(2024, 6, 30)}, measure=measure)
    assert "申请延期" in caught.value.errors["deadline"][0]


def test_the_liaison_assigns_an_owner_from_the_unit(world):
    measure = edit(world, {"owner": world["owner"]}, measure=world.measure_a2)
    assert measure.owner == world["owner"]


def test_an_owner_from_another_unit_is_refused(world):
    with pytest.raises(ValidationError) as caught:
        edit(world, {"owner": world["other"].pk}, measure=world.measure_a2)
    assert caught.value.errors["owner"] == ["责任人须为本单位的用户。"]


def test_an_owner_edits_their_measure_but_cannot_hand_it_over(world):
    edit(world, {"progress": "按计划推进"}, persona="owner")
    with pytest.raises(ValidationError) as caught:
        edit(world, {"owner": world["leader"]}, persona="owner", version=2)
    assert "owner" in caught.value.errors


def test_edits_are_scoped_like_everything_else(world):
    with pytest.raises(NotFound):
        edit(world, {"progress": "越权"}, persona="other")
    with pytest.raises(PermissionDenied):
        edit(world, {"progress": "越权"}, persona="observer")
    with pytest.raises(PermissionDenied):
        edit(world, {"progress": "越权"}, persona="owner", measure=world.measure_a2)
