"""Import of a parsed notice: preview writes nothing, confirmation writes all or nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from zhenggai.ledger import importing
from zhenggai.ledger.errors import PermissionDenied, ValidationError
from zhenggai.ledger.models import AuditEvent, Inspection, Measure, MeasureStatus, Problem
from zhenggai.notice.model import Aspect, DateMention, Notice, Stated
from zhenggai.notice.model import Inspection as Header
from zhenggai.notice.model import Measure as NMeasure
from zhenggai.notice.model import Problem as NProblem


def seed_like_notice() -> Notice:
    """A small notice shaped like the seed: 2 aspects, one with an implicit problem."""
    dated = NMeasure(
        no=1,
        text="2024年2月18日召开党组会议，专题学习《中国共产党巡视工作条例》。",
        dates=[DateMention("2024年2月18日", "2024-02-18", "2024-02-18", "day")],
        status="已完成",
    )
    return Notice(
        title="中共开封市龙亭区科协党组关于巡察整改情况的通报",
        issuer="中共开封市龙亭区科协党组",
        inspection=Header("区委第一巡察组", "2023-10-13", "2023-11-17", "2023-12-26"),
        stated=Stated(aspects=2, problems=3, measures=4),
        aspects=[
            Aspect(
                1,
                "政治引领不突出方面",
                [
                    NProblem(1, "学习贯彻不深入", measures=[dated, NMeasure(2, "建立学习制度。")]),
                    NProblem(2, "意识形态工作不到位", description="责任制落实不够。"),
                ],
            ),
            Aspect(
                2,
                "上轮巡察整改不到位方面",
                [NProblem(1, "", implicit=True, measures=[NMeasure(1, "逐项对账销号。")])],
            ),
        ],
    )


def preview(world, persona="group", notice=None):
    return importing.preview_notice_import(
        notice or seed_like_notice(),
        unit=world.unit_a,
        round=world.round,
        group=world.group,
        by=world[persona],
    )


def test_the_preview_counts_and_warns_without_writing(world):
    inspections, events = Inspection.objects.count(), AuditEvent.objects.count()
    result = preview(world)
    assert (result.aspects, result.problems, result.measures) == (2, 3, 3)
    assert [(p.aspect_no, p.no, p.measures) for p in result.items] == [
        (1, 1, 2),
        (1, 2, 0),
        (2, 1, 1),
    ]
    assert result.items[2].title == "上轮巡察整改不到位方面" and result.items[2].implicit
    warnings = "\n".join(result.warnings)
    assert "第1方面第2个问题没有整改措施" in warnings
    assert "通报称共有整改措施 4 个，实际识别出 3 个" in warnings
    assert "写明了完成情况" in warnings
    assert "已有巡察记录" in warnings  # the fixture already has an inspection of unit A
    assert (Inspection.objects.count(), AuditEvent.objects.count()) == (inspections, events)


def test_confirming_writes_the_whole_tree_as_one_audited_event(world):
    since = AuditEvent.objects.count()
    inspection = importing.confirm_notice_import(preview(world), by=world["group"])
    assert (inspection.start, inspection.feedback_date) == (
        dt.date(2023, 10, 13),
        dt.date(2023, 12, 26),
    )
    assert inspection.issuer == "中共开封市龙亭区科协党组"
    problems = Problem.objects.filter(aspect__inspection=inspection).order_by("aspect__no", "no")
    assert [(p.aspect.no, p.no, p.implicit) for p in problems] == [
        (1, 1, False),
        (1, 2, False),
        (2, 1, True),
    ]
    assert problems[1].text == "责任制落实不够。"
    measures = Measure.objects.filter(inspection=inspection)
    assert measures.count() == 3
    assert {m.status for m in measures} == {MeasureStatus.NOT_STARTED}
    first = measures.get(problem=problems[0], no=1)
    assert first.content.startswith("2024年2月18日召开党组会议")
    assert first.deadline is None  # a date in the text is what was done, not a deadline
    [event] = AuditEvent.objects.all()[since:]
    assert (event.action, event.actor, event.target_id) == (
        "inspection.import",
        world["group"],
        str(inspection.pk),
    )
    assert (event.after["aspects"], event.after["problems"], event.after["measures"]) == (2, 3, 3)


def test_a_notice_is_accepted_directly_too(world):
    inspection = importing.confirm_notice_import(
        seed_like_notice(),
        unit=world.unit_a,
        round=world.round,
        group=world.group,
        by=world["office"],
    )
    assert inspection.unit == world.unit_a
    with pytest.raises(ValidationError):
        importing.confirm_notice_import(seed_like_notice(), by=world["office"])


def test_an_empty_measure_is_refused_as_add_measure_refuses_it_and_nothing_is_written(world):
    """The third measure is blank: the import stops there, in Chinese, leaving no inspection,
    no problem, no measure and no audit event of the first two."""
    counts = (Inspection.objects.count(), Problem.objects.count(), Measure.objects.count())
    events = AuditEvent.objects.count()
    notice = seed_like_notice()
    notice.aspects[1].problems[0].measures[0].text = "  "
    warned = preview(world, notice=notice).warnings
    assert "第2方面第1个问题的第1项整改措施内容为空，无法导入，请先修改通报。" in warned
    with pytest.raises(ValidationError, match="第2方面第1个问题的第1项整改措施") as refused:
        importing.confirm_notice_import(preview(world, notice=notice), by=world["group"])
    assert refused.value.message.endswith("不能为空。")
    assert (Inspection.objects.count(), Problem.objects.count(), Measure.objects.count()) == counts
    assert AuditEvent.objects.count() == events


@pytest.mark.parametrize("persona", ["leader", "liaison", "owner", "observer", "sysadmin", "other"])
def test_only_the_group_and_office_import(world, persona):
    with pytest.raises(PermissionDenied):
        preview(world, persona)
    with pytest.raises(PermissionDenied):
        importing.confirm_notice_import(
            seed_like_notice(),
            unit=world.unit_a,
            round=world.round,
            group=world.group,
            by=world[persona],
        )


def test_a_notice_without_problems_is_refused_and_bad_dates_are_warnings(world):
    empty = Notice(inspection=Header(start="2023-13-40"))
    result = preview(world, notice=empty)
    assert any("无法识别" in w for w in result.warnings)
    assert any("没有识别出任何问题" in w for w in result.warnings)
    with pytest.raises(ValidationError):
        importing.confirm_notice_import(result, by=world["group"])


def test_a_notice_of_another_issuer_is_refused_unless_confirmed(world):
    targets = {"unit": world.unit_b, "round": world.round, "group": world.group}
    result = importing.preview_notice_import(seed_like_notice(), by=world["office"], **targets)
    assert result.issuer_mismatch and any("发文单位" in w for w in result.warnings)
    before = Inspection.objects.count()
    with pytest.raises(ValidationError, match="发文单位"):
        importing.confirm_notice_import(result, by=world["office"])
    assert Inspection.objects.count() == before
    inspection = importing.confirm_notice_import(result, by=world["office"], issuer_confirmed=True)
    assert inspection.unit == world.unit_b and inspection.handed_over_at is not None
