"""Deadline extensions through the API."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.test import Client

from tests.ledger.conftest import World
from zhenggai.ledger.models import AuditEvent, Measure


def _as(world: World, persona: str) -> Client:
    client = Client()
    client.force_login(world[persona])
    return client


def _post(client: Client, path: str, body: dict[str, Any]) -> Any:
    return client.post(path, json.dumps(body), content_type="application/json")


def test_the_unit_requests_and_the_office_approves(world: World) -> None:
    path = f"/api/measures/{world.measure_a.pk}/extensions"
    requested = _post(_as(world, "liaison"), path, {"deadline": "2024-06-30", "reason": "资金"})
    assert requested.status_code == 201
    body = requested.json()
    assert (body["status"], body["previous_deadline"]) == ("pending", "2024-03-31")
    decided = _post(_as(world, "office"), f"/api/extensions/{body['id']}/decide", {"approve": True})
    assert decided.status_code == 200
    assert decided.json()["status"] == "approved"
    assert decided.json()["decided_by"] == "office"
    assert Measure.objects.get(pk=world.measure_a.pk).deadline == dt.date(2024, 6, 30)
    measure = _as(world, "office").get(f"/api/measures/{world.measure_a.pk}").json()
    assert [e["status"] for e in measure["extensions"]] == ["approved"]
    assert AuditEvent.objects.filter(action="extension.request").count() == 1


def test_refusals_carry_a_chinese_detail(world: World) -> None:
    path = f"/api/measures/{world.measure_a.pk}/extensions"
    liaison = _as(world, "liaison")
    early = _post(liaison, path, {"deadline": "2024-01-01", "reason": "资金"})
    assert (early.status_code, early.json()["detail"]) == (400, "申请的完成时限须晚于原完成时限。")
    pk = _post(liaison, path, {"deadline": "2024-06-30", "reason": "资金"}).json()["id"]
    twice = _post(liaison, path, {"deadline": "2024-07-30", "reason": "资金"})
    assert (twice.status_code, twice.json()["detail"]) == (400, "已有一项延期申请待审批。")
    bare = _post(_as(world, "office"), f"/api/extensions/{pk}/decide", {"approve": False})
    assert bare.json()["detail"] == "不予延期时必须说明理由。"
    own = _post(liaison, f"/api/extensions/{pk}/decide", {"approve": True})
    assert own.status_code == 403
    assert (
        _post(_as(world, "office"), "/api/extensions/999999/decide", {"approve": True}).status_code
        == 404
    )
