"""The feedback screens: a new inspection, feedback entered and pasted, handed over, then
corrected, withdrawn and restored; statutory deadlines on the pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from tests.ledger.conftest import World
from zhenggai.ledger import actions
from zhenggai.ledger.models import AuditEvent, Inspection, Measure, Problem

PASTED = """一、党的领导弱化方面
（一）落实意识形态工作责任制不到位
1.未按要求每半年专题研究意识形态工作。
2.立行立改：网站信息审核流于形式。
（二）理论学习中心组学习不规范
二、党的建设缺失方面
（一）“三会一课”制度落实不严格
"""


def _as(world: World, persona: str) -> Client:
    client = Client()
    client.force_login(world[persona])
    return client


def _new(world: World, client: Client, **extra: Any) -> Any:
    data = {
        "round": world.round.pk,
        "group": world.group.pk,
        "unit": world.unit_a.pk,
        "feedback_date": "",
        "leads_count": 3,
        **extra,
    }
    return client.post(reverse("web:inspection_new"), data)


def _fresh(world: World) -> Inspection:
    return actions.create_inspection(
        by=world["group"],
        round=world.round,
        group=world.group,
        unit=world.unit_a,
        details={"leads_count": 2},
    )


def _paste(client: Client, inspection: Inspection) -> Any:
    return client.post(reverse("web:feedback_paste", args=[inspection.pk]), {"text": PASTED})


def test_the_group_creates_an_inspection_and_lands_on_its_feedback(world: World) -> None:
    response = _new(world, _as(world, "group"))
    inspection = Inspection.objects.latest("id")
    assert response.status_code == 302
    assert response["Location"] == reverse("web:feedback", args=[inspection.pk])
    assert inspection.handed_over_at is None and inspection.leads_count == 3


@pytest.mark.parametrize(("persona", "status"), [("leader", 403), ("observer", 403)])
def test_others_may_not_create_inspections(world: World, persona: str, status: int) -> None:
    assert _new(world, _as(world, persona)).status_code == status


def test_a_unit_outside_the_users_scope_is_not_a_choice(world: World) -> None:
    from zhenggai.ledger.models import Unit

    far = Unit.objects.create(region=world.far_district, name="鼓楼区某局")
    before = Inspection.objects.count()
    response = _new(world, _as(world, "group"), unit=far.pk)
    assert response.status_code == 200 and Inspection.objects.count() == before


@pytest.mark.parametrize(
    ("persona", "status"),
    [("group", 200), ("office", 200), ("observer", 403), ("leader", 404), ("other", 404)],
)
def test_the_feedback_page_before_hand_over(world: World, persona: str, status: int) -> None:
    inspection = _fresh(world)
    response = _as(world, persona).get(reverse("web:feedback", args=[inspection.pk]))
    assert response.status_code == status
    page = _as(world, persona).get(reverse("web:inspection", args=[inspection.pk]))
    assert page.status_code == (404 if persona in {"leader", "other"} else 200)


def test_paste_previews_without_writing_then_confirm_adds_all(world: World) -> None:
    inspection = _fresh(world)
    group = _as(world, "group")
    preview = _paste(group, inspection)
    items = preview.context["items"]
    assert [i.title for i in items] == [
        "落实意识形态工作责任制不到位",
        "理论学习中心组学习不规范",
        "“三会一课”制度落实不严格",
    ]
    assert items[0].immediate and "网站信息审核" in items[0].text
    assert not Problem.objects.filter(aspect__inspection=inspection).exists()
    token = preview.context["token"]
    confirm = reverse("web:feedback_paste_confirm", args=[inspection.pk])
    assert group.post(confirm, {"token": token}).status_code == 302
    assert Problem.objects.filter(aspect__inspection=inspection).count() == 3
    assert inspection.aspects.count() == 2
    events = AuditEvent.objects.filter(action="inspection.feedback_paste")
    assert events.count() == 1
    group.post(confirm, {"token": token})  # a second confirmation adds nothing
    assert Problem.objects.filter(aspect__inspection=inspection).count() == 3


def test_a_failing_paste_writes_nothing(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    from zhenggai.ledger import actions

    inspection = _fresh(world)
    group = _as(world, "group")
    token = _paste(group, inspection).context["token"]
    calls = []
    real = actions._pasted_problem

    def fail_on_the_third(*args: Any) -> Any:
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("disk full")
        return real(*args)

    monkeypatch.setattr(actions, "_pasted_problem", fail_on_the_third)
    with pytest.raises(RuntimeError):
        group.post(reverse("web:feedback_paste_confirm", args=[inspection.pk]), {"token": token})
    assert not Problem.all_objects.filter(aspect__inspection=inspection).exists()
    assert not inspection.aspects.exists()


def test_text_without_structure_is_refused(world: World) -> None:
    inspection = _fresh(world)
    response = _as(world, "group").post(
        reverse("web:feedback_paste", args=[inspection.pk]),
        {"text": "没有层次的一段话。"},
        follow=True,
    )
    assert "没有识别出问题" in response.content.decode()


def test_hand_over_shows_the_feedback_to_the_unit(world: World) -> None:
    inspection = _fresh(world)
    aspect = actions.add_aspect(inspection, by=world["group"], title="党的领导弱化方面")
    actions.add_problem(aspect, by=world["group"], title="意识形态责任制落实不到位")
    url = reverse("web:inspection", args=[inspection.pk])
    assert (
        _as(world, "leader").post(reverse("web:hand_over", args=[inspection.pk])).status_code == 404
    )
    assert (
        _as(world, "group").post(reverse("web:hand_over", args=[inspection.pk])).status_code == 302
    )
    page = _as(world, "leader").get(url)
    assert page.status_code == 200 and "意识形态责任制落实不到位" in page.content.decode()
    assert "移交问题线索" not in page.content.decode()
    assert "移交问题线索 2 件" in _as(world, "observer").get(url).content.decode()


def test_the_office_sees_a_withdrawn_problem_struck_through_and_restores_it(world: World) -> None:
    problem = world.measure_a.problem
    office = _as(world, "office")
    office.post(reverse("web:problem_withdraw", args=[problem.pk]), {"reason": "与巡察报告不符"})
    url = reverse("web:inspection", args=[world.inspection_a.pk])
    page = office.get(url).content.decode()
    assert "<del>" in page and "与巡察报告不符" in page
    unit_page = _as(world, "leader").get(url).content.decode()
    assert problem.title not in unit_page
    assert (
        _as(world, "leader").post(reverse("web:problem_restore", args=[problem.pk])).status_code
        == 404
    )
    office.post(reverse("web:problem_restore", args=[problem.pk]))
    assert problem.title in _as(world, "leader").get(url).content.decode()


def test_the_unit_splits_merges_and_withdraws_measures_on_the_measure_page(world: World) -> None:
    liaison = _as(world, "liaison")
    measure = world.measure_a
    page = liaison.get(reverse("web:measure", args=[measure.pk])).content.decode()
    assert "拆分为两项" in page
    split = {"first": "制定学习计划", "second": "组织专题学习"}
    liaison.post(reverse("web:measure_split", args=[measure.pk]), split)
    new = Measure.objects.get(content="组织专题学习")
    liaison.post(reverse("web:measure_merge", args=[measure.pk]), {"other": new.pk})
    assert Measure.objects.filter(problem=measure.problem).count() == 2
    liaison.post(reverse("web:measure_withdraw", args=[world.measure_a2.pk]), {"reason": "重复"})
    assert not Measure.objects.filter(pk=world.measure_a2.pk).exists()
    actions_done = AuditEvent.objects.values_list("action", flat=True)
    assert {"measure.split", "measure.merge", "measure.withdraw"} <= set(actions_done)
    owner_page = _as(world, "owner").get(reverse("web:measure", args=[measure.pk])).content
    assert "拆分为两项" not in owner_page.decode()
    observer = _as(world, "observer")
    assert observer.post(reverse("web:measure_split", args=[measure.pk]), split).status_code == 403
    assert not Measure.objects.filter(content="组织专题学习", problem=measure.problem).exists()


def test_problem_edit_access(world: World) -> None:
    url = reverse("web:problem_edit", args=[world.measure_a.problem.pk])
    assert _as(world, "liaison").get(url).status_code == 200
    assert _as(world, "observer").get(url).status_code == 403
    assert _as(world, "other").get(url).status_code == 404
    _as(world, "liaison").post(url, {"title": "淡化", "cause_analysis": "重视不够"})
    problem = Problem.objects.get(pk=world.measure_a.problem.pk)
    assert problem.title != "淡化"  # the finding is not the unit's to change
    _as(world, "liaison").post(url, {"title": problem.title, "cause_analysis": "重视不够"})
    assert Problem.objects.get(pk=problem.pk).cause_analysis == "重视不够"


@time_machine.travel(dt.datetime(2024, 1, 10, 9, tzinfo=dt.UTC))
def test_the_office_withdraws_a_wrong_import_and_nobody_else_sees_it(world: World) -> None:
    url = reverse("web:inspection", args=[world.inspection_a.pk])
    withdraw = reverse("web:inspection_withdraw", args=[world.inspection_a.pk])
    assert _as(world, "group").post(withdraw, {"reason": "错"}).status_code == 403
    assert Inspection.objects.get(pk=world.inspection_a.pk).withdrawn_at is None
    _as(world, "office").post(withdraw, {"reason": "导入到了错误的单位"})
    for persona in ("leader", "group", "observer"):
        assert _as(world, persona).get(url).status_code == 404
    page = _as(world, "office").get(url).content.decode()
    assert "该巡察记录已撤销" in page and "导入到了错误的单位" in page
    _as(world, "office").post(reverse("web:inspection_restore", args=[world.inspection_a.pk]))
    assert _as(world, "leader").get(url).status_code == 200


@time_machine.travel(dt.datetime(2024, 1, 20, 9, tzinfo=dt.UTC))
def test_statutory_deadlines_show_with_their_lights(world: World) -> None:
    # Feedback 2023-12-26: plan due 2024-01-26 (6 days: yellow), reports 2024-02-26 (green).
    page = _as(world, "leader").get(reverse("web:inspection", args=[world.inspection_a.pk]))
    items = page.context["statutory"]
    assert [(i.key, i.due, i.light) for i in items] == [
        ("plan", dt.date(2024, 1, 26), "yellow"),
        ("reports", dt.date(2024, 2, 26), "green"),
    ]
    assert "2024-01-26" in page.content.decode()


@time_machine.travel(dt.datetime(2024, 3, 1, 9, tzinfo=dt.UTC))
def test_passed_statutory_deadlines_are_red_on_the_dashboard(world: World) -> None:
    page = _as(world, "office").get(reverse("web:dashboard"))
    rows = page.context["statutory_due"]
    assert {(i.unit, item.key, item.light) for i, item in rows} >= {
        (world.unit_a, "plan", "red"),
        (world.unit_a, "reports", "red"),
    }
    assert 'id="statutory-due"' in page.content.decode()


def test_the_import_screen_asks_for_confirmation_of_another_issuer(world: World) -> None:
    from importlib import resources

    seed = resources.files("zhenggai.ledger").joinpath("demo_data/longting-kexie-2024.txt")
    office = _as(world, "office")
    form = {"unit": world.unit_b.pk, "round": world.round.pk, "group": world.group.pk}
    upload = SimpleUploadedFile("通报.txt", seed.read_bytes())
    preview = office.post(reverse("web:notice_import"), {**form, "file": upload})
    assert 'name="issuer_confirmed"' in preview.content.decode()
    token = preview.context["token"]
    before = Inspection.objects.count()
    confirm = reverse("web:notice_import_confirm")
    office.post(confirm, {"token": token})
    assert Inspection.objects.count() == before
    assert office.post(confirm, {"token": token, "issuer_confirmed": "1"}).status_code == 302
    assert Inspection.objects.count() == before + 1


def test_aspect_titles_are_corrected_by_the_group_before_hand_over(world: World) -> None:
    inspection = _fresh(world)
    aspect = actions.add_aspect(inspection, by=world["group"], title="党的领导方面")
    url = reverse("web:aspect_edit", args=[aspect.pk])
    _as(world, "group").post(url, {"title": "党的领导弱化方面"})
    aspect.refresh_from_db()
    assert aspect.title == "党的领导弱化方面"
    assert _as(world, "leader").post(url, {"title": "淡化"}).status_code == 404
    assert _as(world, "observer").post(url, {"title": "淡化"}).status_code == 403


@time_machine.travel(dt.datetime(2024, 3, 1, 9, tzinfo=dt.UTC))
def test_the_report_sent_meets_its_statutory_deadline_once(world: World) -> None:
    url = reverse("web:inspection", args=[world.inspection_a.pk])
    submit = reverse("web:report_submit", args=[world.inspection_a.pk])
    before = {i.key: i for i in _as(world, "liaison").get(url).context["statutory"]}
    assert before["reports"].light == "red" and not before["reports"].met
    assert _as(world, "owner").post(submit).status_code == 403
    assert _as(world, "other").post(submit).status_code == 404
    liaison = _as(world, "liaison")
    assert liaison.post(submit).status_code == 302
    page = liaison.get(url)
    after = {i.key: i for i in page.context["statutory"]}
    assert after["reports"].met and after["reports"].light == "green"
    assert 'id="report-submitted"' in page.content.decode()
    assert 'id="report-submit"' not in page.content.decode()
    liaison.post(submit)  # a second time: refused, nothing changes
    events = AuditEvent.objects.filter(action="inspection.report_submitted")
    assert [e.actor for e in events] == [world["liaison"]]
