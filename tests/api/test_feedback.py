"""The feedback through the API: aspects, problems and measures created, changed and
withdrawn under the same access rules as the screens; deadlines in the inspection detail."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
import time_machine
from django.test import Client

from tests.ledger.conftest import World
from zhenggai.ledger import actions
from zhenggai.ledger.models import AuditEvent, Measure, Problem


def _as(world: World, persona: str) -> Client:
    client = Client()
    client.force_login(world[persona])
    return client


def _post(client: Client, path: str, body: dict[str, Any] | None = None) -> Any:
    return client.post(path, json.dumps(body or {}), content_type="application/json")


def _patch(client: Client, path: str, body: dict[str, Any]) -> Any:
    return client.patch(path, json.dumps(body), content_type="application/json")


def _fresh(world: World) -> Any:
    return actions.create_inspection(
        by=world["group"],
        round=world.round,
        group=world.group,
        unit=world.unit_a,
        details={"leads_count": 4},
    )


def test_the_group_enters_feedback_and_hands_it_over(world: World) -> None:
    inspection = _fresh(world)
    group = _as(world, "group")
    leader = _as(world, "leader")
    aspect = _post(group, f"/api/inspections/{inspection.pk}/aspects", {"title": "党的领导方面"})
    assert aspect.status_code == 201
    body = {"title": "意识形态责任制落实不到位", "immediate": True}
    problem = _post(group, f"/api/aspects/{aspect.json()['id']}/problems", body)
    assert problem.status_code == 201 and problem.json()["immediate"] is True
    assert leader.get(f"/api/inspections/{inspection.pk}").status_code == 404
    assert _post(group, f"/api/inspections/{inspection.pk}/hand-over").status_code == 200
    detail = leader.get(f"/api/inspections/{inspection.pk}").json()
    assert detail["handed_over"] and detail["leads_count"] is None
    assert detail["aspects"][0]["problems"][0]["immediate"] is True
    assert (
        _as(world, "observer").get(f"/api/inspections/{inspection.pk}").json()["leads_count"] == 4
    )


@pytest.mark.parametrize(
    ("persona", "status"), [("observer", 403), ("other", 404), ("leader", 403)]
)
def test_others_may_not_add_to_the_feedback(world: World, persona: str, status: int) -> None:
    aspect = world.measure_a.problem.aspect
    response = _post(_as(world, persona), f"/api/aspects/{aspect.pk}/problems", {"title": "越权"})
    assert response.status_code == status


def test_confidential_is_the_offices_and_cause_analysis_the_units(world: World) -> None:
    url = f"/api/problems/{world.measure_a.problem.pk}"
    assert _patch(_as(world, "group"), url, {"confidential": True}).status_code == 403
    assert _patch(_as(world, "office"), url, {"confidential": True}).json()["confidential"]
    response = _patch(_as(world, "liaison"), url, {"cause_analysis": "学习不系统"})
    assert response.json()["cause_analysis"] == "学习不系统"
    assert _patch(_as(world, "liaison"), url, {"title": "淡化"}).status_code == 403


def test_the_unit_adds_and_withdraws_measures(world: World) -> None:
    liaison = _as(world, "liaison")
    problem = world.measure_a.problem
    created = _post(liaison, f"/api/problems/{problem.pk}/measures", {"content": "建立学习清单"})
    assert created.status_code == 201 and created.json()["status"] == "not_started"
    measure_id = created.json()["id"]
    assert _post(liaison, f"/api/measures/{measure_id}/withdraw", {"reason": ""}).status_code == 400
    assert (
        _post(liaison, f"/api/measures/{measure_id}/withdraw", {"reason": "重复"}).status_code
        == 200
    )
    assert liaison.get(f"/api/measures/{measure_id}").status_code == 404
    assert Measure.all_objects.get(pk=measure_id).withdraw_reason == "重复"
    assert AuditEvent.objects.filter(action="measure.withdraw", target_id=str(measure_id)).exists()


def test_a_withdrawn_problem_leaves_the_inspection_detail(world: World) -> None:
    office = _as(world, "office")
    problem = world.measure_a.problem
    assert _post(office, f"/api/problems/{problem.pk}/withdraw", {"reason": "重复"}).json()[
        "withdrawn"
    ]
    detail = office.get(f"/api/inspections/{world.inspection_a.pk}").json()
    assert detail["aspects"][0]["problems"] == [] and detail["total"] == 0
    assert Problem.all_objects.filter(pk=problem.pk, withdrawn_at__isnull=False).exists()


@time_machine.travel(dt.datetime(2024, 2, 1, 9, tzinfo=dt.UTC))
def test_the_inspection_detail_carries_the_statutory_deadlines(world: World) -> None:
    detail = _as(world, "liaison").get(f"/api/inspections/{world.inspection_a.pk}").json()
    assert [(d["key"], d["due"], d["light"]) for d in detail["statutory"]] == [
        ("plan", "2024-01-26", "red"),
        ("reports", "2024-02-26", "green"),
    ]


def test_the_openapi_document_lists_the_feedback_operations(world: World) -> None:
    paths = _as(world, "office").get("/api/openapi.json").json()["paths"]
    assert "/api/aspects/{aspect_id}/problems" in paths
    assert "/api/measures/{measure_id}/withdraw" in paths
