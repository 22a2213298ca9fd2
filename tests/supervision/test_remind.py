"""``zhenggai remind`` through the life of a deadline: 30, 7 and 1 days before, on the day,
and overdue. Each run sends exactly the reminders due; a second run sends none."""

from __future__ import annotations

import datetime as dt
import io
import smtplib
import threading
from typing import Any

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import connection

from tests.supervision.conftest import World, at
from zhenggai import cli
from zhenggai.ledger import actions
from zhenggai.ledger.errors import NotFound
from zhenggai.ledger.models import AuditEvent, Measure, MeasureKind, MeasureStatus, Membership, Role
from zhenggai.supervision import reminders
from zhenggai.supervision.models import Channel, Reminder, Subject

D = dt.date


def remind(*argv: str) -> str:
    out = io.StringIO()
    call_command("remind", *argv, stdout=out)
    return out.getvalue()


def sent(world: World) -> set[tuple[str, str, str]]:
    """(recipient, measure, kind) of every reminder, measure named a / a2 / b."""
    names = {world.measure_a.pk: "a", world.measure_a2.pk: "a2", world.measure_b.pk: "b"}
    rows = Reminder.objects.values_list("recipient__username", "measure_id", "kind")
    return {(user, names.get(measure, "-"), kind) for user, measure, kind in rows}


def expected(kind: str) -> set[tuple[str, str, str]]:
    return {("owner", "a", kind), ("liaison", "a", kind), ("liaison", "a2", kind)} | {
        ("other", "b", kind)
    }


STAGES = [
    (D(2024, 3, 1), "before_30"),
    (D(2024, 3, 24), "before_7"),
    (D(2024, 3, 30), "before_1"),
    (D(2024, 3, 31), "due"),
    (D(2024, 4, 1), "overdue"),
]


def test_each_stage_is_sent_once_to_the_owner_and_the_liaison(mailed_world: World):
    world = mailed_world
    with at(D(2024, 2, 29)):
        remind()
    assert sent(world) == set()
    so_far: set[tuple[str, str, str]] = set()
    for day, kind in STAGES:
        with at(day):
            output = remind()
            assert "新提醒 4 条，发送邮件 4 封" in output
            assert "新提醒 0 条，发送邮件 0 封" in remind()  # the second run tells nobody
        so_far |= expected(kind)
        assert sent(world) == so_far
    with at(D(2024, 4, 20)):
        assert "新提醒 0 条" in remind()
    assert Reminder.objects.count() == 20 == len(mail.outbox)


def test_a_user_of_another_unit_never_hears_of_this_unit(mailed_world: World):
    world = mailed_world
    for day, _ in STAGES:
        with at(day):
            remind()
    about = set(
        Reminder.objects.filter(recipient=world["other"]).values_list("measure_id", flat=True)
    )
    assert about == {world.measure_b.pk}
    for persona in ("leader", "office", "group", "observer", "far_office", "sysadmin"):
        assert not Reminder.objects.filter(recipient=world[persona]).exists(), persona


def test_one_email_per_reminder_with_a_chinese_subject(mailed_world: World):
    with at(D(2024, 3, 24)):
        remind()
    assert len(mail.outbox) == 4
    to_owner = [m for m in mail.outbox if m.to == ["owner@example.gov.cn"]]
    assert len(to_owner) == 1
    message = to_owner[0]
    assert message.subject.startswith("【整改提醒】还有7天到期：区科协：")
    assert "2024年3月31日" in message.body and "第1项措施" in message.body
    assert message.from_email == "zhenggai@localhost"
    assert all(r.emailed_at is not None for r in Reminder.objects.all())


def test_without_an_email_address_the_reminder_is_in_app_only(world: World):
    with at(D(2024, 3, 24)):
        assert "新提醒 4 条，发送邮件 0 封" in remind()
    assert set(Reminder.objects.values_list("channel", flat=True)) == {Channel.IN_APP}
    assert mail.outbox == []


def test_a_done_measure_gets_no_reminder(mailed_world: World):
    Measure.objects.filter(pk=mailed_world.measure_b.pk).update(status=MeasureStatus.CLOSED)
    with at(D(2024, 4, 1)):
        remind()
    assert not Reminder.objects.filter(measure=mailed_world.measure_b).exists()


def test_an_approved_extension_gets_its_own_reminders(mailed_world: World):
    world = mailed_world
    with at(D(2024, 3, 24)):
        remind()
        extension = actions.request_extension(
            world.measure_a, by=world["liaison"], deadline=D(2024, 4, 30), reason="需协调上级部门"
        )
        actions.decide_extension(extension, by=world["office"], approve=True)
    with at(D(2024, 3, 31)):
        remind()
    new = Reminder.objects.filter(measure=world.measure_a, deadline=D(2024, 4, 30))
    assert set(new.values_list("recipient__username", "kind")) == {
        ("owner", "before_30"),
        ("liaison", "before_30"),
    }
    old = Reminder.objects.filter(measure=world.measure_a, deadline=D(2024, 3, 31))
    assert set(old.values_list("kind", flat=True)) == {"before_7"}


def test_a_missed_day_is_caught_up_with_the_current_stage_only(mailed_world: World):
    with at(D(2024, 3, 27)):  # nobody ran the scheduler on the 1st or the 24th
        remind()
    assert set(Reminder.objects.values_list("kind", flat=True)) == {"before_7"}


def test_the_liaison_who_owns_a_measure_is_told_once(mailed_world: World):
    world = mailed_world
    Measure.objects.filter(pk=world.measure_a2.pk).update(owner=world["liaison"])
    with at(D(2024, 3, 24)):
        remind()
    assert Reminder.objects.filter(measure=world.measure_a2).count() == 1


def test_an_inactive_owner_is_not_told(mailed_world: World):
    world = mailed_world
    world["owner"].is_active = False
    world["owner"].save(update_fields=["is_active"])
    with at(D(2024, 3, 24)):
        remind()
    assert not Reminder.objects.filter(recipient=world["owner"]).exists()


def test_the_plan_and_the_reports_are_reminded_to_the_liaison_and_the_leader(
    mailed_world: World,
):
    world = mailed_world
    with at(D(2024, 1, 25)):  # plan due tomorrow; reports in 32 days
        remind()
    rows = Reminder.objects.filter(inspection=world.inspection_a, measure__isnull=True)
    assert set(rows.values_list("recipient__username", "subject", "kind")) == {
        ("liaison", Subject.PLAN, "before_1"),
        ("leader", Subject.PLAN, "before_1"),
    }
    with at(D(2024, 2, 26)):
        remind()
        assert "新提醒 0 条" in remind()
    assert rows.filter(subject=Subject.REPORT, kind="due").count() == 2
    subjects = [m.subject for m in mail.outbox if m.to == ["leader@example.gov.cn"]]
    assert "【整改提醒】今天到期：区科协：整改情况报告报送" in subjects


def test_ongoing_measures_are_reminded_of_their_reports(mailed_world: World):
    world = mailed_world
    Measure.objects.filter(pk=world.measure_b.pk).update(
        kind=MeasureKind.ONGOING,
        review_period_months=3,
        deadline=None,
        status=MeasureStatus.PHASE_COMPLETE,
    )
    with at(D(2024, 3, 26)):  # 3 months after feedback
        remind()
    review = Reminder.objects.get(measure=world.measure_b)
    assert (review.subject, review.kind, review.deadline) == (Subject.REVIEW, "due", D(2024, 3, 26))
    with at(D(2024, 6, 25)):
        remind()
    assert Reminder.objects.filter(measure=world.measure_b, deadline=D(2024, 6, 26)).count() == 1


def test_a_dry_run_lists_and_sends_nothing(mailed_world: World):
    with at(D(2024, 3, 24)):
        output = remind("--dry-run")
    assert "将发送提醒 4 条" in output
    assert Reminder.objects.count() == 0 and mail.outbox == []


def test_today_can_be_given(mailed_world: World):
    assert "2024-03-24：新提醒 4 条" in remind("--today", "2024-03-24")


def test_a_run_that_sends_is_audited_once(mailed_world: World):
    with at(D(2024, 3, 24)):
        remind()
        remind()
    events = AuditEvent.objects.filter(action="supervision.remind")
    assert [(e.actor_label, e.after) for e in events] == [
        ("zhenggai remind", {"today": "2024-03-24", "created": 4})
    ]


def test_a_failed_email_is_retried_by_the_next_run_and_sent_once(
    mailed_world: World, monkeypatch: pytest.MonkeyPatch
):
    def refuse(*args: Any, **kwargs: Any) -> int:
        raise smtplib.SMTPServerDisconnected("connection lost")

    monkeypatch.setattr(reminders, "send_mail", refuse)
    with at(D(2024, 3, 24)), pytest.raises(CommandError, match="4 封邮件发送失败"):
        remind()
    assert Reminder.objects.filter(emailed_at__isnull=True).count() == 4
    monkeypatch.undo()
    with at(D(2024, 3, 25)):
        assert "新提醒 0 条，发送邮件 4 封" in remind()
        assert "发送邮件 0 封" in remind()
    assert len(mail.outbox) == 4


def test_the_zhenggai_command_runs_it(mailed_world: World, capsys: pytest.CaptureFixture[str]):
    assert cli.main(["remind", "--today", "2024-03-24", "--dry-run"]) == 0
    assert "将发送提醒 4 条" in capsys.readouterr().out
    assert cli.main(["remind", "--today", "2024-03-24"]) == 0
    assert Reminder.objects.count() == 4


def test_a_bad_date_is_refused_in_chinese(capsys: pytest.CaptureFixture[str]):
    with pytest.raises(SystemExit):
        cli.main(["remind", "--today", "24/03/2024"])
    assert "日期格式应为 YYYY-MM-DD" in capsys.readouterr().err


# --- the bell --------------------------------------------------------------------------------


def test_unread_reminders_are_the_users_own_and_can_be_marked_read(mailed_world: World):
    world = mailed_world
    with at(D(2024, 3, 24)):
        remind()
    mine = list(reminders.unread_reminders(world["owner"]))
    assert [r.measure_id for r in mine] == [world.measure_a.pk]
    assert "整改措施完成时限：2024年3月31日（还有7天到期）" in reminders.describe(mine[0])
    with pytest.raises(NotFound):
        reminders.mark_read(world["liaison"], mine[0].pk)
    reminders.mark_read(world["owner"], mine[0].pk)
    assert not reminders.unread_reminders(world["owner"]).exists()
    assert reminders.mark_all_read(world["liaison"]) == 2


def test_a_user_who_left_the_unit_no_longer_sees_its_reminders(mailed_world: World):
    world = mailed_world
    with at(D(2024, 3, 24)):
        remind()
    Membership.objects.filter(user=world["owner"], role=Role.OWNER).delete()
    assert not reminders.unread_reminders(world["owner"]).exists()


# --- two runs at once -------------------------------------------------------------------------


@pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="SQLite serialises writers (IMMEDIATE transactions); the overlap is PostgreSQL's",
)
@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_tell_each_person_once(mailed_world: World):
    due = reminders.Due(
        mailed_world.inspection_a.pk,
        mailed_world.measure_a.pk,
        mailed_world["owner"].pk,
        Subject.MEASURE,
        "before_7",
        D(2024, 3, 31),
    )
    created = _together(lambda: reminders._create(due, "owner@example.gov.cn"))
    assert sorted(created) == [False, True]
    with at(D(2024, 3, 24)):
        results = _together(lambda: reminders.send_reminders(D(2024, 3, 24)))
    assert sum(r.created for r in results) == 3  # the owner's was there already
    assert sum(r.emailed for r in results) == 4 == len(mail.outbox)
    assert Reminder.objects.count() == 4


def _together(call: Any) -> list[Any]:
    barrier = threading.Barrier(2)
    results: list[Any] = []

    def run() -> None:
        try:
            barrier.wait()
            results.append(call())
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results
