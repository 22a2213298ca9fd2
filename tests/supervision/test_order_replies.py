"""A 督办单 answered: the unit's leader or liaison replies with evidence, the office closes it
or returns it for a better answer; each step audited; the office is reminded of what waits for
its decision (extension requests, answered orders, submitted measures), once."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.supervision.conftest import World, at, submit
from zhenggai.ledger import actions
from zhenggai.ledger.errors import InvalidTransition, NotFound, PermissionDenied, ValidationError
from zhenggai.ledger.models import AuditEvent, Evidence
from zhenggai.supervision import reminders
from zhenggai.supervision.escalation import (
    answer_order,
    close_order,
    issue_supervision_order,
    return_order,
)
from zhenggai.supervision.models import OrderStatus, Reminder, ReplyOutcome, Subject

__all__ = ["submit"]

D = dt.date
OVERDUE_DAY = D(2024, 4, 8)


def _order(world: World):  # type: ignore[no-untyped-def]
    return issue_supervision_order(
        world.measure_a,
        by=world["office"],
        required_action="请说明逾期原因并限期完成。",
        reply_by=timezone.localdate() + dt.timedelta(days=7),
    )


def _reference(world: World) -> Evidence:
    return actions.add_evidence(
        world.measure_a,
        by=world["liaison"],
        title="整改专题会议纪要",
        doc_number="科协纪〔2024〕3号",
    )


def test_the_unit_answers_and_the_office_closes_the_order(world: World) -> None:
    with at(OVERDUE_DAY):
        order = _order(world)
        minutes = _reference(world)
        reply = answer_order(
            order, by=world["liaison"], text="已于4月5日召开专题会议。", evidence=[minutes]
        )
        order.refresh_from_db()
        assert order.status == OrderStatus.REPLIED
        assert list(reply.evidence.all()) == [minutes]
        close_order(order, by=world["office"], note="整改到位")
    order.refresh_from_db()
    reply.refresh_from_db()
    assert (order.status, reply.outcome, reply.review_note) == ("closed", "closed", "整改到位")
    actions_done = AuditEvent.objects.filter(action__startswith="supervision.order.")
    assert list(actions_done.values_list("action", flat=True).order_by("id")) == [
        "supervision.order.issue",
        "supervision.order.reply",
        "supervision.order.close",
    ]
    with pytest.raises(InvalidTransition):
        answer_order(order, by=world["liaison"], text="再补充")


def test_a_returned_answer_is_answered_again(world: World) -> None:
    with at(OVERDUE_DAY):
        order = _order(world)
        answer_order(order, by=world["leader"], text="正在推进。")
        with pytest.raises(ValidationError):
            return_order(order, by=world["office"], reason=" ")
        return_order(order, by=world["office"], reason="未说明完成时限")
        order.refresh_from_db()
        assert order.status == OrderStatus.ISSUED
        answer_order(order, by=world["liaison"], text="已明确4月30日前完成。")
    outcomes = list(order.replies.order_by("id").values_list("outcome", "review_note"))
    assert outcomes == [(ReplyOutcome.RETURNED, "未说明完成时限"), (ReplyOutcome.PENDING, "")]


@pytest.mark.parametrize(
    ("persona", "error"),
    [("owner", PermissionDenied), ("office", PermissionDenied), ("other", NotFound)],
)
def test_only_the_units_leader_or_liaison_answers(
    world: World, persona: str, error: type[Exception]
) -> None:
    with at(OVERDUE_DAY):
        order = _order(world)
        with pytest.raises(error):
            answer_order(order, by=world[persona], text="回复")
    assert not order.replies.exists()


def test_only_the_office_closes_and_only_an_answered_order(world: World) -> None:
    with at(OVERDUE_DAY):
        order = _order(world)
        with pytest.raises(InvalidTransition):
            close_order(order, by=world["office"])
        answer_order(order, by=world["liaison"], text="已完成。")
        with pytest.raises(PermissionDenied):
            close_order(order, by=world["leader"])
        with pytest.raises(NotFound):
            close_order(order, by=world["far_office"])
        with pytest.raises(ValidationError):
            answer_order(_order(world), by=world["liaison"], text="  ")


def test_evidence_of_another_measure_is_refused_and_nothing_is_written(world: World) -> None:
    with at(OVERDUE_DAY):
        order = _order(world)
        foreign = actions.add_evidence(world.measure_a2, by=world["liaison"], title="别的材料")
        with pytest.raises(ValidationError):
            answer_order(order, by=world["liaison"], text="回复", evidence=[foreign])
    order.refresh_from_db()
    assert order.status == OrderStatus.ISSUED and not order.replies.exists()


def test_the_measure_page_shows_the_status_and_takes_the_answer_with_a_file(
    world: World,
) -> None:
    with at(OVERDUE_DAY):
        order = _order(world)
        liaison = Client()
        liaison.force_login(world["liaison"])
        page = reverse("web:measure", kwargs={"pk": world.measure_a.pk})
        shown = liaison.get(page).content.decode()
        assert "已下发" in shown and reverse("web:order_reply", kwargs={"pk": order.pk}) in shown
        upload = SimpleUploadedFile("会议纪要.pdf", b"%PDF-1.4 minutes", "application/pdf")
        url = reverse("web:order_reply", kwargs={"pk": order.pk})
        assert liaison.post(url, {"text": "已整改。", "file": upload}).status_code == 302
        order.refresh_from_db()
        assert order.status == OrderStatus.REPLIED
        assert [e.original_name for e in order.replies.get().evidence.all()] == ["会议纪要.pdf"]
        office = Client()
        office.force_login(world["office"])
        assert "已回复" in office.get(page).content.decode()
        close = reverse("web:order_close", kwargs={"pk": order.pk})
        assert liaison.post(close).status_code == 403
        assert office.post(close, {"note": "同意办结"}).status_code == 302
        listed = office.get(reverse("web:orders")).content.decode()
    order.refresh_from_db()
    assert order.status == OrderStatus.CLOSED
    assert "已办结" in listed


def test_the_office_is_reminded_once_of_what_it_must_decide(world: World) -> None:
    with at(D(2024, 3, 20)):
        actions.start_work(world.measure_a2, by=world["liaison"])
        actions.request_extension(
            world.measure_a2, by=world["liaison"], deadline=D(2024, 5, 31), reason="需等待审计结论"
        )
    with at(OVERDUE_DAY):
        order = _order(world)
        answer_order(order, by=world["liaison"], text="已整改。")
        reminders.send_reminders(OVERDUE_DAY)
        again = reminders.send_reminders(OVERDUE_DAY)
    office = Reminder.objects.filter(recipient=world["office"])
    subjects = set(office.values_list("subject", "measure_id"))
    assert subjects == {
        (Subject.EXTENSION, world.measure_a2.pk),
        (Subject.ORDER_REPLY, world.measure_a.pk),
    }
    assert again.created == 0
    text = reminders.describe(office.get(subject=Subject.ORDER_REPLY))
    assert "请审核" in text and "区科协" in text
    assert not Reminder.objects.filter(recipient=world["far_office"]).exists()


def test_a_submitted_measure_reminds_the_office_to_verify(world: World, submit) -> None:  # type: ignore[no-untyped-def]
    with at(D(2024, 3, 20)):
        submit()
        reminders.send_reminders(D(2024, 3, 20))
    rows = Reminder.objects.filter(recipient=world["office"], subject=Subject.VERIFY)
    assert list(rows.values_list("measure_id", "deadline")) == [
        (world.measure_a.pk, D(2024, 3, 20))
    ]
