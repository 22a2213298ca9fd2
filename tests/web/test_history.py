"""The change history on the inspection page: the inspection's, its aspects' and each problem's
(who, when, what, before and after), only for those who may see the inspection."""

from __future__ import annotations

import datetime as dt
import re

from django.test import Client
from django.urls import reverse

from tests.ledger.conftest import World
from zhenggai.ledger import actions
from zhenggai.ledger.models import AuditEvent, Problem
from zhenggai.web import history


def _as(world: World, persona: str) -> Client:
    client = Client()
    client.force_login(world[persona])
    return client


def _page(client: Client, world: World) -> str:
    response = client.get(reverse("web:inspection", kwargs={"pk": world.inspection_a.pk}))
    assert response.status_code == 200
    return response.content.decode()


def _problem_block(page: str, problem: Problem) -> str:
    """The HTML of one problem's block on the inspection page."""
    start = f'<div class="problem" id="problem-{problem.pk}">'
    found = re.search(re.escape(start) + r"(.*?)\n  </div>", page, re.S)
    assert found is not None
    return found.group(1)


def test_an_edit_of_a_problem_shows_in_that_problems_history(world: World) -> None:
    problem = world.measure_a.problem
    actions.update_problem(problem, {"title": "学习贯彻不深入不系统"}, by=world["office"])
    block = _problem_block(_page(_as(world, "liaison"), world), problem)
    assert "problem.update" in block
    assert "修改问题" in block
    assert "office" in block  # the actor
    # Before and after, by the field's name, not as JSON.
    assert "<dt>问题</dt>" in block
    assert "<del>学习贯彻党的二十大精神不够深入</del>" in block
    assert "<ins>学习贯彻不深入不系统</ins>" in block
    assert '"title"' not in block


def test_an_edit_of_the_inspection_shows_in_the_inspection_history(world: World) -> None:
    changes = {"feedback_date": dt.date(2023, 12, 28)}
    actions.update_inspection(world.inspection_a, changes, by=world["office"])
    page = _page(_as(world, "leader"), world)
    section = page.split('id="inspection-history"', 1)[1]
    assert "inspection.update" in section
    assert "office" in section
    assert "<dt>反馈日期</dt>" in section
    assert "<del>2023-12-26</del>" in section
    assert "<ins>2023-12-28</ins>" in section


def test_choices_and_flags_read_as_labels(world: World) -> None:
    problem = world.measure_a.problem
    actions.update_problem(problem, {"confidential": True}, by=world["office"])
    block = _problem_block(_page(_as(world, "office"), world), problem)
    assert "<dt>不予公开</dt>" in block
    assert "<del>否</del>" in block
    assert "<ins>是</ins>" in block


def test_measures_keep_their_history_on_their_own_pages(world: World) -> None:
    actions.start_work(world.measure_a, by=world["liaison"])
    page = _page(_as(world, "liaison"), world)
    assert "measure.start_work" not in page
    measure_page = _as(world, "liaison").get(reverse("web:measure", args=[world.measure_a.pk]))
    assert "measure.start_work" in measure_page.content.decode()
    assert "<ins>整改中</ins>" in measure_page.content.decode()


def test_another_units_user_gets_404(world: World) -> None:
    actions.update_problem(world.measure_a.problem, {"title": "新标题"}, by=world["office"])
    url = reverse("web:inspection", kwargs={"pk": world.inspection_a.pk})
    for persona in ("other", "far_office", "sysadmin"):
        response = _as(world, persona).get(url)
        assert response.status_code == 404
        assert "新标题" not in response.content.decode()


def test_events_of_other_inspections_stay_off_the_page(world: World) -> None:
    actions.update_problem(world.measure_b.problem, {"title": "文旅局的问题"}, by=world["office"])
    assert "文旅局的问题" not in _page(_as(world, "office"), world)


def test_the_history_is_one_query_whatever_the_number_of_events(
    world: World, django_assert_num_queries: object
) -> None:
    problem = world.measure_a.problem
    for n in range(3):
        actions.update_problem(problem, {"cause_analysis": f"原因{n}"}, by=world["liaison"])
    aspects = list(world.inspection_a.aspects.prefetch_related("problems"))
    with django_assert_num_queries(1):  # type: ignore[operator]
        tree = history.tree_history(world.inspection_a, aspects)
    assert len(tree.of_problem(problem.pk)) == 3
    assert tree.inspection == []


def test_each_problem_shows_at_most_its_limit(world: World, monkeypatch: object) -> None:
    problem = world.measure_a.problem
    for n in range(4):
        actions.update_problem(problem, {"cause_analysis": f"原因{n}"}, by=world["liaison"])
    monkeypatch.setattr(history, "PROBLEM_HISTORY_LIMIT", 2)  # type: ignore[attr-defined]
    aspects = list(world.inspection_a.aspects.prefetch_related("problems"))
    events = history.tree_history(world.inspection_a, aspects).of_problem(problem.pk)
    newest = AuditEvent.objects.filter(target_type="problem").order_by("-id")[:2]
    assert [e.pk for e in events] == [e.pk for e in newest]


def test_keys_beyond_the_model_read_as_words(db: None) -> None:
    imported = AuditEvent(
        target_type="inspection",
        action="inspection.import",
        after={"id": 3, "feedback_date": "2023-12-26", "aspects": 4, "measures": [7, 8]},
    )
    assert history.changes(imported) == [
        history.Change("反馈日期", "—", "2023-12-26"),
        history.Change("方面", "—", "4"),
        history.Change("整改措施", "—", "7、8"),
    ]
    linked = AuditEvent(target_type="inspection", after={"links": [{"id": 1}, {"id": 2}]})
    assert history.changes(linked) == [history.Change("问题关联", "—", "2 项")]
    assert history.action_label("lookback.link") == "回头看比对"
    assert history.action_label("something.new") == "something.new"


def test_the_measure_page_shows_what_hangs_from_the_measure(world: World) -> None:
    # An extension request and a 督办单 are objects of their own, but their history belongs
    # with the measure they are about.
    from django.utils import timezone

    from zhenggai.supervision.escalation import issue_supervision_order

    measure = world.measure_a
    actions.request_extension(
        measure, by=world["liaison"], deadline=dt.date(2024, 6, 30), reason="需协调财政资金"
    )
    issue_supervision_order(
        measure,
        by=world["office"],
        required_action="请说明逾期原因",
        reply_by=timezone.localdate() + dt.timedelta(days=7),
    )
    response = _as(world, "liaison").get(reverse("web:measure", kwargs={"pk": measure.pk}))
    found = re.search(
        r'<table class="history" id="measure-history">(.*?)</table>',
        response.content.decode(),
        re.S,
    )
    assert found is not None
    table = found.group(1)
    assert "申请延期" in table and "需协调财政资金" in table
    assert "下发督办单" in table and "请说明逾期原因" in table
