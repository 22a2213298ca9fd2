"""The audit trail: one event per action with actor, before and after; a verifiable hash chain."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.db.models import QuerySet

from zhenggai.ledger import actions, audit
from zhenggai.ledger.models import AuditChainHead, AuditEvent, MeasureKind

# Real commits: the anchor file outside the database is written after each commit.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.audit_chain_tampered]


def new_events(since: int) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(id__gt=since).order_by("id"))


def last_id() -> int:
    return AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0


def test_every_action_writes_exactly_one_event_naming_actor_target_before_and_after(world):
    m, office, liaison = world.measure_a, world["office"], world["liaison"]
    steps = [
        ("measure.start_work", liaison, lambda: actions.start_work(m, by=liaison)),
        (
            "measure.update",
            liaison,
            lambda: actions.update_measure(
                m, {"progress": "推进中"}, by=liaison, expected_version=2
            ),
        ),
        ("evidence.add", liaison, lambda: actions.add_evidence(m, by=liaison, title="纪要")),
        ("measure.progress", liaison, lambda: actions.record_progress(m, by=liaison, text="进展")),
        ("measure.submit", liaison, lambda: actions.submit_for_closure(m, by=liaison)),
        ("measure.return", office, lambda: actions.return_measure(m, by=office, reason="补材料")),
        ("measure.submit", liaison, lambda: actions.submit_for_closure(m, by=liaison)),
        ("measure.close_out", office, lambda: actions.verify_and_close_out(m, by=office)),
        ("measure.reopen", office, lambda: actions.reopen(m, by=office, reason="反弹")),
    ]
    for action, actor, step in steps:
        since = last_id()
        step()
        [event] = new_events(since)
        assert (event.action, event.actor, event.actor_label) == (action, actor, actor.username)
        assert event.success
        assert event.after is not None
        if action.startswith("measure.") and action != "measure.progress":
            assert (event.target_type, event.target_id) == ("measure", str(m.pk))
            assert event.before is not None and event.before != event.after
    assert audit.verify_audit_chain().ok


def test_extension_and_structure_actions_are_audited_too(world):
    since = last_id()
    extension = actions.request_extension(
        world.measure_a, by=world["liaison"], deadline=dt.date(2024, 6, 30), reason="等待文件"
    )
    actions.decide_extension(extension, by=world["office"], approve=True)
    inspection = actions.create_inspection(
        by=world["group"], round=world.round, group=world.group, unit=world.unit_b
    )
    aspect = actions.add_aspect(inspection, by=world["group"], title="党的建设方面")
    problem = actions.add_problem(aspect, by=world["group"], title="组织生活不规范")
    actions.hand_over(inspection, by=world["group"])
    actions.update_problem(problem, {"cause_analysis": "重视不够"}, by=world["other"])
    actions.add_measure(problem, by=world["other"], content="规范三会一课")
    actions.update_inspection(inspection, {"title": "新标题"}, by=world["office"])
    events = new_events(since)
    assert [e.action for e in events] == [
        "extension.request",
        "extension.approve_extension",
        "inspection.create",
        "aspect.create",
        "problem.create",
        "inspection.hand_over",
        "problem.update",
        "measure.create",
        "inspection.update",
    ]
    approval = events[1]
    assert (approval.before["measure_deadline"], approval.after["measure_deadline"]) == (
        "2024-03-31",
        "2024-06-30",
    )
    assert (
        events[6].before["cause_analysis"] == "" and events[6].after["cause_analysis"] == "重视不够"
    )


def test_the_chain_verifies_and_detects_a_tampered_row(world, submit):
    submit()
    report = audit.verify_audit_chain()
    assert report.ok and report.checked == AuditEvent.objects.count() >= 3
    victim = AuditEvent.objects.order_by("id")[1]
    # Behind the system's back: the base QuerySet.update skips the model's refusal.
    QuerySet.update(AuditEvent.objects.filter(pk=victim.pk), detail="悄悄改过")
    report = audit.verify_audit_chain()
    assert not report.ok
    assert report.bad_event_id == victim.pk
    assert "篡改" in report.problem


def test_the_chain_detects_a_removed_row_in_the_middle_and_at_the_end(world, submit):
    actions.verify_and_close_out(submit(), by=world["office"])
    ids = list(AuditEvent.objects.order_by("id").values_list("id", flat=True))
    QuerySet.delete(AuditEvent.objects.filter(pk=ids[-1]))
    assert "链尾" in audit.verify_audit_chain().problem
    QuerySet.delete(AuditEvent.objects.filter(pk=ids[1]))
    report = audit.verify_audit_chain()
    assert (report.ok, report.bad_event_id) == (False, ids[2])


def test_a_changed_before_value_is_detected(world):
    actions.start_work(world.measure_a, by=world["liaison"])
    event = AuditEvent.objects.get()
    QuerySet.update(AuditEvent.objects.filter(pk=event.pk), before={"status": "closed"})
    assert not audit.verify_audit_chain().ok


def test_the_orm_refuses_to_change_or_delete_audit_events(world):
    actions.start_work(world.measure_a, by=world["liaison"])
    event = AuditEvent.objects.get()
    with pytest.raises(TypeError):
        AuditEvent.objects.filter(pk=event.pk).update(detail="x")
    with pytest.raises(TypeError):
        AuditEvent.objects.all().delete()
    with pytest.raises(TypeError):
        event.delete()
    event.detail = "x"
    with pytest.raises(TypeError):
        event.save()
    with pytest.raises(TypeError):
        AuditEvent.objects.bulk_create([AuditEvent(action="x")])
    assert audit.verify_audit_chain().ok


@pytest.mark.django_db(transaction=True)
def test_an_event_is_only_recorded_inside_the_transaction_of_its_change(world):
    with pytest.raises(RuntimeError):
        audit.record("measure.update", actor=world["liaison"], target=world.measure_a)


def test_the_chain_continues_when_its_head_row_is_lost(world):
    actions.start_work(world.measure_a, by=world["liaison"])
    AuditChainHead.objects.all().delete()
    actions.update_measure(
        world.measure_a, {"progress": "x"}, by=world["liaison"], expected_version=2
    )
    assert audit.verify_audit_chain().ok


def test_snapshots_are_json_and_hash_the_same_after_a_database_round_trip(world):
    with transaction.atomic():
        event = audit.record(
            "test.snapshot",
            actor=world["office"],
            target=world.measure_a,
            after={"date": dt.date(2024, 1, 19), "kind": MeasureKind.ONGOING, "ids": (1, 2)},
        )
    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.after == {"date": "2024-01-19", "kind": "ongoing", "ids": [1, 2]}
    assert audit.compute_hash(stored) == stored.hash


def test_the_verify_command_reports_both_outcomes(world, capsys):
    actions.start_work(world.measure_a, by=world["liaison"])
    call_command("verify_audit_chain")
    assert "审计链完整" in capsys.readouterr().out
    QuerySet.update(AuditEvent.objects.all(), actor_label="someone")
    with pytest.raises(CommandError, match="校验失败"):
        call_command("verify_audit_chain")


def test_logins_and_failed_logins_are_audited(world, client):
    assert not client.login(username="liaison", password="wrong")
    assert client.login(username="liaison", password="Zhenggai-2024")
    failed, success = AuditEvent.objects.order_by("id")
    assert (failed.action, failed.success, failed.actor, failed.actor_label) == (
        "auth.login_failed",
        False,
        None,
        "liaison",
    )
    assert (success.action, success.actor) == ("auth.login", world["liaison"])
    assert "Zhenggai-2024" not in str(failed.after) + failed.detail
