"""The main path through the screens (PRG), and refusals shown as messages."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from tests.ledger.conftest import World
from zhenggai.ledger.models import AuditEvent, Evidence, Measure


def _as(world: World, persona: str) -> Client:
    client = Client()
    client.force_login(world[persona])
    return client


def _step(client: Client, measure: Measure, step: str, text: str = "") -> Any:
    url = reverse("web:measure_step", kwargs={"pk": measure.pk, "step": step})
    return client.post(url, {"text": text}, follow=True)


def test_the_unit_submits_and_the_office_closes_out(world: World) -> None:
    measure, liaison, office = world.measure_a, _as(world, "liaison"), _as(world, "office")
    _step(liaison, measure, "start")
    upload = SimpleUploadedFile("会议纪要.pdf", b"%PDF-1.4 minutes", "application/pdf")
    url = reverse("web:evidence_add", kwargs={"pk": measure.pk})
    assert liaison.post(url, {"file": upload}).status_code == 302
    assert Evidence.objects.get(measure=measure).original_name == "会议纪要.pdf"
    assert "已提交验收" in _step(liaison, measure, "submit").content.decode()
    page = _step(office, measure, "close-out", "材料齐全").content.decode()
    assert "已验收销号" in page
    assert "measure.close_out" in page  # the history on the page
    event = AuditEvent.objects.filter(action="measure.close_out").get()
    assert event.actor == world["office"]


def test_a_refusal_is_a_message_not_an_error_page(world: World) -> None:
    liaison = _as(world, "liaison")
    _step(liaison, world.measure_a, "start")
    response = _step(liaison, world.measure_a, "submit")
    assert response.status_code == 200
    assert "请先上传佐证材料，再提交验收。" in response.content.decode()


def test_an_edit_of_a_stale_page_shows_the_conflict(world: World) -> None:
    url = reverse("web:measure_edit", kwargs={"pk": world.measure_a.pk})
    data = {"version": "1", "content": "新的措施内容", "deadline": "2024-03-31", "kind": "deadline"}
    _as(world, "liaison").post(url, data)
    page = _as(world, "leader").post(url, {**data, "content": "又一版"}, follow=True)
    assert "已被他人修改" in page.content.decode()
    assert Measure.objects.get(pk=world.measure_a.pk).content == "新的措施内容"


def test_the_measure_page_offers_only_the_users_buttons(world: World) -> None:
    url = reverse("web:measure", kwargs={"pk": world.measure_a.pk})
    assert "开始整改" in _as(world, "liaison").get(url).content.decode()
    observer_page = _as(world, "observer").get(url).content.decode()
    assert "开始整改" not in observer_page
    assert "添加佐证材料" not in observer_page


def test_pages_render_for_the_office(world: World) -> None:
    office = _as(world, "office")
    assert "逾期未销号" in office.get("/").content.decode()
    assert "区科协" in office.get("/inspections/").content.decode()
    tree = office.get(f"/inspections/{world.inspection_a.pk}/").content.decode()
    assert "逾期" in tree
    assert "学习计划" in office.get("/search/?q=学习计划").content.decode()


def test_search_finds_nothing_of_another_unit(world: World) -> None:
    page = _as(world, "other").get("/search/?q=学习计划").content.decode()
    assert f"/measures/{world.measure_a.pk}/" not in page
    assert f"/measures/{world.measure_b.pk}/" in page
