"""督办单 and 约谈: only the inspection office of the region, audited, numbered per region and
year."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tests.supervision.conftest import World, at
from zhenggai.ledger.errors import InvalidTransition, NotFound, PermissionDenied, ValidationError
from zhenggai.ledger.models import (
    Aspect,
    AuditEvent,
    Inspection,
    InspectionGroup,
    InspectionRound,
    Measure,
    MeasureStatus,
    Problem,
    Unit,
)
from zhenggai.supervision.escalation import (
    get_order_for,
    issue_supervision_order,
    order_document_fields,
    orders_for,
    record_interview,
)
from zhenggai.supervision.models import Interview, SupervisionOrder

D = dt.date
OVERDUE_DAY = D(2024, 4, 8)


def issue(world: World, measure: Measure | None = None, by: str = "office") -> SupervisionOrder:
    return issue_supervision_order(
        measure or world.measure_a,
        by=world[by],
        required_action="请于回复期限前完成整改并书面报告。",
        reply_by=timezone.localdate() + dt.timedelta(days=12),
    )


def far_measure(world: World) -> Measure:
    """A measure of a unit in 鼓楼区, whose office is ``far_office``."""
    unit = Unit.objects.create(region=world.far_district, name="鼓楼区教育局")
    group = InspectionGroup.objects.create(region=world.far_district, name="区委第二巡察组")
    round = InspectionRound.objects.create(region=world.far_district, name="十四届区委第三轮")
    inspection = Inspection.objects.create(
        round=round, group=group, unit=unit, feedback_date=D(2023, 12, 26)
    )
    aspect = Aspect.objects.create(inspection=inspection, no=1, title="方面")
    problem = Problem.objects.create(aspect=aspect, no=1, title="问题")
    return Measure.objects.create(
        inspection=inspection, problem=problem, no=1, content="措施", deadline=D(2024, 3, 31)
    )


def test_orders_are_numbered_per_region_and_year(world: World):
    with at(OVERDUE_DAY):
        first, second = issue(world), issue(world, world.measure_b)
        far = issue(world, far_measure(world), by="far_office")
    assert [first.number, second.number, far.number] == [
        "督〔2024〕1号",
        "督〔2024〕2号",
        "督〔2024〕1号",
    ]
    with at(D(2025, 1, 3)):
        assert issue(world).number == "督〔2025〕1号"


def test_issuing_is_audited_and_recorded_on_the_measure(world: World):
    with at(OVERDUE_DAY):
        order = issue(world)
    event = AuditEvent.objects.get(action="supervision.order.issue")
    assert (event.actor, event.target_type, event.target_id) == (
        world["office"],
        "supervisionorder",
        str(order.pk),
    )
    assert event.after["measure_id"] == world.measure_a.pk and event.target_label == order.number
    assert list(world.measure_a.supervision_orders.all()) == [order]
    assert (order.deadline, order.status) == (D(2024, 3, 31), "issued")


@pytest.mark.parametrize(
    ("persona", "error"),
    [
        ("leader", PermissionDenied),
        ("liaison", PermissionDenied),
        ("owner", PermissionDenied),
        ("group", PermissionDenied),
        ("observer", PermissionDenied),
        ("other", NotFound),
        ("far_office", NotFound),
        ("sysadmin", NotFound),
    ],
)
def test_only_the_office_of_the_region_may_issue(world: World, persona: str, error: type):
    with at(OVERDUE_DAY), pytest.raises(error):
        issue(world, by=persona)
    assert not SupervisionOrder.objects.exists()
    assert not AuditEvent.objects.filter(action="supervision.order.issue").exists()


def test_only_an_overdue_unfinished_measure_gets_an_order(world: World):
    with at(D(2024, 3, 31)), pytest.raises(InvalidTransition):
        issue(world)
    Measure.objects.filter(pk=world.measure_a.pk).update(status=MeasureStatus.CLOSED)
    with at(OVERDUE_DAY), pytest.raises(InvalidTransition):
        issue(world)


def test_the_order_needs_an_action_and_a_reply_date_not_in_the_past(world: World):
    with at(OVERDUE_DAY):
        with pytest.raises(ValidationError) as empty:
            issue_supervision_order(
                world.measure_a, by=world["office"], required_action=" ", reply_by=D(2024, 4, 20)
            )
        with pytest.raises(ValidationError) as past:
            issue_supervision_order(
                world.measure_a, by=world["office"], required_action="整改", reply_by=D(2024, 4, 7)
            )
    assert "required_action" in empty.value.errors and "reply_by" in past.value.errors


def test_the_unit_reads_its_orders_and_outsiders_do_not(world: World):
    with at(OVERDUE_DAY):
        order = issue(world)
    assert get_order_for(world["liaison"], order.pk) == order
    assert list(orders_for(world["other"])) == []
    with pytest.raises(NotFound):
        get_order_for(world["far_office"], order.pk)


def test_the_document_gets_the_orders_fields(world: World):
    with at(OVERDUE_DAY):
        fields = order_document_fields(issue(world))
    assert fields["number"] == "督〔2024〕1号"
    assert fields["unit"] == "龙亭区科协党组"
    assert (fields["deadline"], fields["days_overdue"]) == (D(2024, 3, 31), 8)
    assert fields["issued_on"] == OVERDUE_DAY and fields["reply_by"] == D(2024, 4, 20)
    assert fields["required_action"].startswith("请于回复期限前")


# --- 约谈 -------------------------------------------------------------------------------------


def interview(world: World, target: object, by: str = "office") -> Interview:
    return record_interview(
        target,  # type: ignore[arg-type]
        by=world[by],
        date=OVERDUE_DAY,
        people="单位主要负责人、分管领导",
        summary="指出整改进度滞后，要求限期完成。",
    )


def test_an_interview_about_a_measure_follows_its_latest_order(world: World):
    with at(OVERDUE_DAY):
        issue(world)
        latest = issue(world)
        talk = interview(world, world.measure_a)
    assert (talk.unit, talk.measure, talk.order) == (world.unit_a, world.measure_a, latest)
    event = AuditEvent.objects.get(action="supervision.interview.record")
    assert (event.actor, event.target_id) == (world["office"], str(talk.pk))


def test_an_interview_about_a_unit(world: World):
    with at(OVERDUE_DAY):
        talk = interview(world, world.unit_a)
    assert (talk.unit, talk.measure, talk.order) == (world.unit_a, None, None)


@pytest.mark.parametrize(
    ("persona", "error"),
    [("liaison", PermissionDenied), ("observer", PermissionDenied), ("far_office", NotFound)],
)
@pytest.mark.parametrize("about", ["measure", "unit"])
def test_only_the_office_records_interviews(world: World, persona: str, error: type, about: str):
    target = world.measure_a if about == "measure" else world.unit_a
    with at(OVERDUE_DAY), pytest.raises(error):
        interview(world, target, by=persona)
    assert not Interview.objects.exists()


def test_an_interview_is_not_recorded_before_it_happens(world: World):
    with at(D(2024, 4, 7)), pytest.raises(ValidationError):
        interview(world, world.unit_a)


def test_the_report_command_prints_the_recorded_order_and_drafts_the_rest(world: World, tmp_path):
    import docx

    from zhenggai.cli import main

    with at(OVERDUE_DAY):
        order = issue(world)
    out = tmp_path / "督办单.docx"
    args = ["report", "supervision", "--inspection", str(world.inspection_a.pk), "-o", str(out)]
    assert main([*args, "--date", OVERDUE_DAY.isoformat()]) == 0
    document = docx.Document(str(out))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    text = "\n".join([p.text for p in document.paragraphs] + cells)
    # measure_a as the office issued it; measure_a2 (also overdue, no order yet) as a draft.
    assert order.number in text and order.required_action in text
    assert "督〔2024〕＿＿号" in text and text.count("巡察整改督办单") == 2
