"""The plan through the API: the same cycle and refusals as on the screens."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client

from tests.ledger.conftest import World
from zhenggai.ledger.models import Measure


def _as(world: World, persona: str) -> Client:
    client = Client()
    client.force_login(world[persona])
    return client


def _post(client: Client, path: str, body: dict[str, Any] | None = None) -> Any:
    return client.post(path, json.dumps(body or {}), content_type="application/json")


def test_completeness_lists_the_gaps(world: World) -> None:
    path = f"/api/inspections/{world.inspection_a.pk}/plan/completeness"
    body = _as(world, "liaison").get(path).json()
    assert body["complete"] is False
    assert "措施一（一）2未明确责任人。" in body["missing"]


def test_the_cycle_through_the_api(complete: World) -> None:
    base = f"/api/inspections/{complete.inspection_a.pk}/plan"
    liaison, office = _as(complete, "liaison"), _as(complete, "office")
    assert _as(complete, "observer").get(base).json()["status"] == "draft"
    submitted = _post(liaison, f"{base}/submit")
    assert submitted.status_code == 200
    assert submitted.json()["versions"][0]["late"] is True
    opinion = _post(_as(complete, "group"), f"{base}/opinion", {"text": "同意", "agrees": True})
    assert opinion.json()["versions"][0]["opinions"][0]["role"] == "group"
    bare = _post(office, f"{base}/return", {"reason": ""})
    assert (bare.status_code, bare.json()["detail"]) == (400, "退回整改方案时必须说明理由。")
    assert _post(liaison, f"{base}/approve").status_code == 403
    approved = _post(office, f"{base}/approve", {"reason": "同意"})
    assert approved.json()["status"] == "approved"
    change = _post(
        liaison,
        f"{base}/changes",
        {
            "kind": "new_owner",
            "measure_id": complete.measure_a2.pk,
            "changes": {"responsible_person": "张科长"},
            "reason": "人员调整",
        },
    )
    assert change.status_code == 201
    pk = change.json()["id"]
    assert _post(liaison, f"/api/plan-changes/{pk}/decide", {"approve": True}).status_code == 403
    decided = _post(office, f"/api/plan-changes/{pk}/decide", {"approve": True})
    assert (decided.json()["status"], decided.json()["version"]) == ("approved", 2)
    assert Measure.objects.get(pk=complete.measure_a2.pk).responsible_person == "张科长"


def test_a_frozen_measure_refuses_a_patch_in_chinese(complete: World) -> None:
    base = f"/api/inspections/{complete.inspection_a.pk}/plan"
    _post(_as(complete, "liaison"), f"{base}/submit")
    _post(_as(complete, "office"), f"{base}/approve")
    patch = _as(complete, "liaison").patch(
        f"/api/measures/{complete.measure_a2.pk}",
        json.dumps({"version": 1, "content": "改写"}),
        content_type="application/json",
    )
    assert patch.status_code == 400
    assert patch.json()["detail"].startswith("整改方案已审定，不能直接修改")


def test_outsiders_get_404(complete: World) -> None:
    base = f"/api/inspections/{complete.inspection_a.pk}/plan"
    client = _as(complete, "other")
    assert client.get(base).status_code == 404
    assert _post(client, f"{base}/submit").status_code == 404
