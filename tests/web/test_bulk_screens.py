"""The tree's filters (kept in the URL) and its bulk bar (issue #16, part 2)."""

from __future__ import annotations

import datetime as dt

from django.test import Client
from django.urls import reverse

from tests.ledger.conftest import Submit, World, _measure
from zhenggai.ledger.models import Measure, MeasureStatus


def _as(world: World, persona: str) -> Client:
    client = Client()
    client.force_login(world[persona])
    return client


def tree(world: World, persona: str, query: str = "") -> str:
    url = reverse("web:inspection", kwargs={"pk": world.inspection_a.pk})
    return _as(world, persona).get(f"{url}?{query}").content.decode()


def test_the_tree_shows_only_the_measures_that_match_the_filters(
    world: World, submit: Submit
) -> None:
    submit(world.measure_a)
    page = tree(world, "office", "status=submitted")
    assert world.measure_a.content in page and world.measure_a2.content not in page
    assert '<option value="submitted" selected>' in page  # the filter stays chosen
    assert world.measure_a2.content in tree(world, "office", "status=not_started")


def test_the_light_filter_follows_the_deadline(world: World) -> None:
    Measure.objects.filter(pk=world.measure_a2.pk).update(
        deadline=dt.date.today() + dt.timedelta(days=90)
    )
    red = tree(world, "office", "light=red")  # measure_a's deadline (2024-03-31) has passed
    assert world.measure_a.content in red and world.measure_a2.content not in red
    assert "没有符合条件的措施" in tree(world, "office", "light=yellow&owner=nobody")


def test_a_reader_sees_no_check_boxes(world: World) -> None:
    assert 'form="bulk"' not in tree(world, "observer")
    assert 'form="bulk"' in tree(world, "liaison")


def test_a_bulk_close_out_returns_to_the_filtered_tree(world: World, submit: Submit) -> None:
    third = _measure(world.inspection_a, 3)
    for measure in (world.measure_a, world.measure_a2, third):
        submit(measure)
    back = reverse("web:inspection", kwargs={"pk": world.inspection_a.pk}) + "?status=submitted"
    data = {"operation": "close", "measure": [world.measure_a.pk, world.measure_a2.pk, third.pk]}
    response = _as(world, "office").post(reverse("web:measures_bulk"), {**data, "next": back})
    assert response.status_code == 302 and response["Location"] == back
    closed = Measure.objects.filter(inspection=world.inspection_a, status=MeasureStatus.CLOSED)
    assert closed.count() == 3


def test_a_refused_bulk_action_says_which_measure_and_why(world: World, submit: Submit) -> None:
    submit(world.measure_a)
    data = {"operation": "close", "measure": [world.measure_a.pk, world.measure_a2.pk]}
    page = _as(world, "office").post(reverse("web:measures_bulk"), data, follow=True)
    text = page.content.decode()
    assert "措施一（一）2" in text and "只有“已提交待验收”的措施可以验收销号" in text
    assert Measure.objects.get(pk=world.measure_a.pk).status == MeasureStatus.SUBMITTED


def test_the_return_address_cannot_leave_the_site(world: World) -> None:
    data = {"operation": "submit", "measure": [world.measure_a.pk], "next": "https://evil.example/"}
    response = _as(world, "liaison").post(reverse("web:measures_bulk"), data)
    assert response["Location"] == reverse("web:inspections")


def test_assigning_without_an_account_is_a_chinese_message(world: World) -> None:
    data = {"operation": "assign", "measure": [world.measure_a2.pk]}
    page = _as(world, "liaison").post(reverse("web:measures_bulk"), data, follow=True)
    assert "请选择责任人账号" in page.content.decode()
