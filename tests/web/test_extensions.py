"""Deadline extensions on the screens: the unit asks, the office decides."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.test import Client
from django.urls import reverse

from tests.ledger.conftest import World
from zhenggai.ledger import actions
from zhenggai.ledger.models import AuditEvent, DeadlineExtension, ExtensionStatus, Measure


def _as(world: World, persona: str) -> Client:
    client = Client()
    client.force_login(world[persona])
    return client


def _request(client: Client, measure: Measure, deadline: str, reason: str = "需协调资金") -> Any:
    url = reverse("web:extension_request", kwargs={"pk": measure.pk})
    return client.post(url, {"deadline": deadline, "reason": reason}, follow=True)


def _decide(client: Client, extension: DeadlineExtension, decision: str, reason: str = "") -> Any:
    url = reverse("web:extension_decide", kwargs={"pk": extension.pk})
    return client.post(url, {"decision": decision, "reason": reason}, follow=True)


def _pending(world: World) -> DeadlineExtension:
    return actions.request_extension(
        world.measure_a, by=world["liaison"], deadline=dt.date(2024, 6, 30), reason="需协调资金"
    )


def test_the_unit_requests_and_the_office_approves(world: World) -> None:
    page = _request(_as(world, "owner"), world.measure_a, "2024-06-30").content.decode()
    assert "延期申请已提交，待巡察办审批。" in page
    extension = DeadlineExtension.objects.get(measure=world.measure_a)
    assert extension.status == ExtensionStatus.PENDING
    office = _as(world, "office")
    assert "申请延至 2024-06-30" in office.get(f"/measures/{world.measure_a.pk}/").content.decode()
    assert "已批准延期。" in _decide(office, extension, "approve", "同意").content.decode()
    assert Measure.objects.get(pk=world.measure_a.pk).deadline == dt.date(2024, 6, 30)
    event = AuditEvent.objects.get(action="extension.approve_extension")
    assert event.actor == world["office"]


def test_a_rejection_needs_a_reason(world: World) -> None:
    extension = _pending(world)
    office = _as(world, "office")
    assert "不予延期时必须说明理由。" in _decide(office, extension, "reject").content.decode()
    assert DeadlineExtension.objects.get(pk=extension.pk).status == ExtensionStatus.PENDING
    _decide(office, extension, "reject", "理由不充分")
    assert DeadlineExtension.objects.get(pk=extension.pk).status == ExtensionStatus.REJECTED
    assert Measure.objects.get(pk=world.measure_a.pk).deadline == dt.date(2024, 3, 31)


def test_an_earlier_deadline_is_refused_with_a_message(world: World) -> None:
    page = _request(_as(world, "liaison"), world.measure_a, "2024-01-01").content.decode()
    assert "申请的完成时限须晚于原完成时限。" in page
    assert not DeadlineExtension.objects.exists()


def test_the_unit_cannot_decide_its_own_request(world: World) -> None:
    extension = _pending(world)
    url = reverse("web:extension_decide", kwargs={"pk": extension.pk})
    assert _as(world, "leader").post(url, {"decision": "approve"}).status_code == 403
    assert _as(world, "other").post(url, {"decision": "approve"}).status_code == 404
    assert DeadlineExtension.objects.get(pk=extension.pk).status == ExtensionStatus.PENDING


def test_the_measure_page_offers_the_right_form(world: World) -> None:
    url = f"/measures/{world.measure_a.pk}/"
    assert "extension-request-form" in _as(world, "liaison").get(url).content.decode()
    assert "extension-request-form" not in _as(world, "office").get(url).content.decode()
    _pending(world)
    assert "extension-request-form" not in _as(world, "liaison").get(url).content.decode()
    assert "extension-decide-form" in _as(world, "office").get(url).content.decode()
    assert "extension-decide-form" not in _as(world, "observer").get(url).content.decode()


def test_the_dashboard_lists_pending_requests_in_scope(world: World) -> None:
    _pending(world)
    assert "需协调资金" in _as(world, "office").get("/").content.decode()
    assert "需协调资金" not in _as(world, "other").get("/").content.decode()
    assert "没有待审批的延期申请。" in _as(world, "far_office").get("/").content.decode()
