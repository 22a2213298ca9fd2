"""Handling an opinion in the ledger: who reads and does what, the deadline in working days,
every step audited, a confidential problem never named to the public."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from tests.opinions.conftest import SECRET, World
from zhenggai.ledger import access
from zhenggai.ledger.errors import InvalidTransition, NotFound, PermissionDenied, ValidationError
from zhenggai.ledger.models import AuditEvent, Inspection, Measure, MeasureStatus, Problem
from zhenggai.opinions import actions, reads
from zhenggai.opinions.models import Opinion, OpinionStatus
from zhenggai.public.models import Publication
from zhenggai.supervision.deadlines import add_working_days

# Who may read opinions of unit A's inspection, register one, handle it, publish its answer.
MATRIX = {
    "office": (True, True, True, True),
    "group": (True, False, False, False),
    "leader": (True, False, True, False),
    "liaison": (True, True, True, False),
    "owner": (False, False, False, False),
    "observer": (True, False, False, False),
    "other": (False, False, False, False),
    "far_office": (False, False, False, False),
    "sysadmin": (False, False, False, False),
}


def _registered(world: World, inspection: Inspection) -> Opinion:
    receipt = actions.register(
        inspection, by=world["liaison"], channel="phone", contact="13900000000", text="来电反映"
    )
    return receipt.opinion


@pytest.mark.parametrize("persona", list(MATRIX))
def test_the_access_of_every_role(world: World, filled: Inspection, persona: str) -> None:
    may_read, may_register, may_handle, may_publish = MATRIX[persona]
    opinion = _registered(world, filled)
    user = world[persona]
    assert access.opinions_for(user).filter(pk=opinion.pk).exists() is may_read
    scope = access.scope_of(user)
    assert access.may_register_opinion(scope, filled) is may_register
    assert access.may_handle_opinion(scope, filled) is may_handle
    assert access.may_publish_opinion_answer(scope, filled) is may_publish
    client = Client()
    client.force_login(user)
    page = client.get(reverse("opinions:detail", kwargs={"pk": opinion.pk}))
    assert page.status_code == (200 if may_read else 404)
    listing = client.get(reverse("opinions:inspection", kwargs={"pk": filled.pk}))
    assert listing.status_code in ((200,) if may_read else (403, 404))
    if not may_handle:
        problem = world.measure_a.problem
        with pytest.raises((NotFound, PermissionDenied)):
            actions.assign(opinion, by=user, problem=problem)


def test_the_whole_handling_is_audited(world: World, filled: Inspection) -> None:
    opinion = _registered(world, filled)
    with pytest.raises(InvalidTransition):
        actions.answer(opinion, by=world["liaison"], text="已整改")  # not assigned yet
    actions.assign(opinion, by=world["liaison"], problem=world.measure_a.problem)
    actions.answer(opinion, by=world["liaison"], text="已制定请销假制度。")
    with pytest.raises(PermissionDenied):
        actions.publish_answer(opinion, by=world["leader"])  # the unit does not publish itself
    done = actions.publish_answer(opinion, by=world["office"])
    assert done.status == OpinionStatus.PUBLISHED
    with pytest.raises(InvalidTransition):
        actions.mark_out_of_scope(done, by=world["office"], reason="晚了")
    steps = AuditEvent.objects.filter(action__startswith="opinion.").values_list(
        "action", flat=True
    )
    assert list(steps) == [
        "opinion.register",
        "opinion.assign",
        "opinion.answer",
        "opinion.publish_answer",
    ]


def test_out_of_scope_needs_a_reason_and_can_then_be_answered(
    world: World, filled: Inspection
) -> None:
    opinion = _registered(world, filled)
    with pytest.raises(ValidationError):
        actions.mark_out_of_scope(opinion, by=world["office"], reason=" ")
    actions.mark_out_of_scope(opinion, by=world["office"], reason="属于信访事项，已转办")
    answered = actions.answer(opinion, by=world["office"], text="已转信访部门办理。")
    assert answered.status == OpinionStatus.ANSWERED


def test_the_deadline_is_in_working_days_with_the_measures_light(
    world: World, filled: Inspection, settings
) -> None:
    friday = dt.date(2024, 3, 1)
    assert add_working_days(friday, 15) == dt.date(2024, 3, 22)
    assert add_working_days(friday, 1, frozenset({dt.date(2024, 3, 4)})) == dt.date(2024, 3, 5)
    settings.ZHENGGAI_OPINION_ANSWER_WORKING_DAYS = 15
    opinion = actions.register(
        filled, by=world["office"], channel="letter", contact="信", text="来信", received=friday
    ).opinion
    assert opinion.due == dt.date(2024, 3, 22)
    assert reads.light(opinion, dt.date(2024, 3, 1)) == "green"
    assert reads.light(opinion, dt.date(2024, 3, 20)) == "yellow"
    assert reads.light(opinion, dt.date(2024, 3, 25)) == "red"
    assert reads.reminder(opinion, dt.date(2024, 3, 25)) == "已逾期"
    counts = reads.counts_by_unit(access.opinions_for(world["office"]), dt.date(2024, 3, 25))
    assert counts == [{"unit": filled.unit.name, "open": 1, "overdue": 1, "answered": 0}]


def test_a_confidential_problem_is_never_named_to_the_public(
    world: World, filled: Inspection, published: Publication
) -> None:
    secret = Problem.objects.get(title=SECRET)
    opinion = _registered(world, filled)
    actions.assign(opinion, by=world["office"], problem=secret)
    actions.answer(opinion, by=world["office"], text=f"关于{SECRET}，正在核查。")
    with pytest.raises(ValidationError):
        actions.publish_answer(opinion, by=world["office"])
    fresh = _registered(world, filled)
    actions.assign(fresh, by=world["office"], problem=secret)
    actions.answer(fresh, by=world["office"], text="您反映的情况已转有关部门核查。")
    actions.publish_answer(fresh, by=world["office"])
    page = Client().get(reverse("public:tracking_lookup")).content.decode()
    assert SECRET not in page
    # The owner, who may not read the confidential problem, does not see the opinions at all.
    assert not access.opinions_for(world["owner"]).exists()


def test_the_office_opens_or_reopens_a_measure_from_an_opinion(
    world: World, filled: Inspection
) -> None:
    opinion = _registered(world, filled)
    with pytest.raises(InvalidTransition):
        actions.open_measure(opinion, by=world["office"], content="补充措施")
    actions.assign(opinion, by=world["liaison"], problem=world.measure_a.problem)
    with pytest.raises(PermissionDenied):
        actions.open_measure(opinion, by=world["liaison"], content="补充措施")
    measure = actions.open_measure(opinion, by=world["office"], content="公开请销假制度执行情况")
    assert measure.problem_id == world.measure_a.problem_id
    assert measure.status == MeasureStatus.NOT_STARTED
    closed = Measure.objects.get(pk=world.measure_a.pk)  # closed in ``filled``
    reopened = actions.reopen_measure(
        opinion, by=world["office"], measure=closed, reason="群众反映"
    )
    assert reopened.status == MeasureStatus.IN_PROGRESS
    actions_done = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"opinion.open_measure", "opinion.reopen_measure", "measure.reopen"} <= actions_done


def test_the_ledger_sheet_report_and_dashboard_show_opinions_as_text(
    world: World, filled: Inspection
) -> None:
    import io as _io

    import openpyxl

    from zhenggai.ledger.excel import export_ledger
    from zhenggai.reports.documents import report_document

    formula = '=HYPERLINK("http://evil","点我")'
    actions.register(filled, by=world["liaison"], channel="email", contact="a@b.c", text=formula)
    book = openpyxl.load_workbook(_io.BytesIO(export_ledger(filled, by=world["liaison"])))
    sheet = book["群众监督意见"]
    assert sheet.cell(2, 4).value == formula and sheet.cell(2, 4).data_type == "s"
    owner_book = openpyxl.load_workbook(_io.BytesIO(export_ledger(filled, by=world["owner"])))
    assert "群众监督意见" not in owner_book.sheetnames
    paragraphs = [p.text for p in report_document(filled).document.paragraphs]
    assert any("收到群众监督意见1件" in p for p in paragraphs)
    office = Client()
    office.force_login(world["office"])
    board = office.get(reverse("web:dashboard")).content.decode()
    assert 'id="opinion-counts"' in board and filled.unit.name in board
