"""The main path through the API: the unit submits, the office closes out; conflicts."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client

from tests.ledger.conftest import World
from zhenggai.ledger.models import AuditEvent, DecisionKind, Measure


def _as(world: World, persona: str) -> Client:
    client = Client()
    client.force_login(world[persona])
    return client


def _post(client: Client, path: str, body: dict[str, Any] | None = None) -> Any:
    return client.post(path, json.dumps(body or {}), content_type="application/json")


def _patch(client: Client, path: str, body: dict[str, Any]) -> Any:
    return client.patch(path, json.dumps(body), content_type="application/json")


def test_the_unit_submits_and_the_office_closes_out(world: World) -> None:
    url = f"/api/measures/{world.measure_a.pk}"
    liaison, office = _as(world, "liaison"), _as(world, "office")
    assert _post(liaison, f"{url}/start").json()["status"] == "in_progress"
    assert _post(liaison, f"{url}/evidence", {"title": "党组会议纪要"}).status_code == 201
    assert _post(liaison, f"{url}/submit").json()["status"] == "submitted"
    closed = _post(office, f"{url}/close-out", {"reason": "材料齐全"})
    assert closed.status_code == 200
    assert closed.json()["status"] == "closed"
    assert [d["kind"] for d in closed.json()["decisions"]] == ["submit", "close_out"]
    event = AuditEvent.objects.filter(action="measure.close_out").get()
    assert (event.actor, event.target_id) == (world["office"], str(world.measure_a.pk))


def test_a_refused_transition_is_400_with_a_chinese_detail(world: World) -> None:
    url = f"/api/measures/{world.measure_a.pk}"
    liaison = _as(world, "liaison")
    _post(liaison, f"{url}/start")
    response = _post(liaison, f"{url}/submit")
    assert response.status_code == 400
    assert response.json() == {"detail": "请先上传佐证材料，再提交验收。"}
    assert _post(_as(world, "office"), f"{url}/return").status_code == 400


def test_the_second_patch_with_the_same_version_gets_409(world: World) -> None:
    url = f"/api/measures/{world.measure_a.pk}"
    first = _patch(_as(world, "liaison"), url, {"version": 1, "progress": "已召开专题会"})
    assert first.status_code == 200
    assert first.json()["version"] == 2
    second = _patch(_as(world, "leader"), url, {"version": 1, "progress": "另一个说法"})
    assert second.status_code == 409
    assert "已被他人修改" in second.json()["detail"]
    assert Measure.objects.get(pk=world.measure_a.pk).progress == "已召开专题会"


def test_nobody_closes_out_their_own_submission(world: World, submit: Any) -> None:
    measure = submit()
    response = _post(_as(world, "liaison"), f"/api/measures/{measure.pk}/close-out")
    assert response.status_code == 403
    assert not measure.decisions.filter(kind=DecisionKind.CLOSE_OUT).exists()


def test_the_tree_shows_owners_and_lights(world: World) -> None:
    response = _as(world, "office").get(f"/api/inspections/{world.inspection_a.pk}")
    tree = response.json()
    measures = tree["aspects"][0]["problems"][0]["measures"]
    assert [m["owner"] for m in measures] == ["owner", None]
    assert {m["light"] for m in measures} == {"red"}  # deadline 2024-03-31 has passed
    assert tree["total"] == 2
    assert tree["counts"]["not_started"] == 2
    read = AuditEvent.objects.get(action="export.api_ledger")
    assert (read.actor, read.target_id) == (world["office"], str(world.inspection_a.pk))


def test_the_list_shows_only_what_the_user_may_see(world: World) -> None:
    ids = {i["id"] for i in _as(world, "other").get("/api/inspections").json()}
    assert ids == {world.inspection_b.pk}
    assert _as(world, "other").get(f"/api/inspections/{world.inspection_a.pk}").status_code == 404


def test_the_openapi_schema_is_served(client: Client) -> None:
    assert client.get("/api/openapi.json").json()["info"]["title"] == "整改台账 API"
