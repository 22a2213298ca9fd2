"""Linking a look-back's problems to the unit's earlier round, and the office's decisions."""

from __future__ import annotations

import pytest

from tests.assessment.conftest import Rounds, build_notice
from zhenggai.assessment import links
from zhenggai.assessment.models import LinkKind, LinkState, ProblemLink
from zhenggai.ledger.errors import NotFound, PermissionDenied
from zhenggai.ledger.importing import confirm_notice_import
from zhenggai.ledger.models import AuditEvent, InspectionGroup, InspectionRound, Problem, Unit


def _pairs(created: list[ProblemLink]) -> set[tuple[str, str]]:
    return {(link.problem.title, link.earlier.title) for link in created}


def test_it_links_the_repeated_problems_to_the_earlier_round(rounds: Rounds) -> None:
    created = links.link_repeats(rounds.look_back, by=rounds.world["office"])
    repeats = [link for link in created if link.kind == LinkKind.REPEAT]
    assert _pairs(repeats) == {
        ("落实意识形态工作责任制不到位", "意识形态工作不扎实"),
        ("党组会议记录不完整、不规范", "会议记录不规范"),
        ("财务制度执行不严，报销凭证不规范、白条入账", "财务管理不规范，存在白条入账现象"),
    }
    assert {link.earlier.aspect.inspection_id for link in created} == {rounds.first.pk}
    assert all(link.state == LinkState.CANDIDATE for link in created)


def test_it_leaves_the_unrelated_problems_alone(rounds: Rounds) -> None:
    created = links.link_repeats(rounds.look_back, by=rounds.world["office"])
    linked = {link.problem.title for link in created}
    assert "招商引资工作压力传导不够" not in linked
    assert "安全生产风险排查不到位" not in linked


def test_it_records_the_shared_words_and_one_audit_event(rounds: Rounds) -> None:
    created = links.link_repeats(rounds.look_back, by=rounds.world["office"])
    finance = next(link for link in created if "白条" in link.problem.title)
    assert "白条入账" in finance.shared
    event = AuditEvent.objects.filter(action="lookback.link").get()
    assert event.target_id == str(rounds.look_back.pk)
    assert len(event.after["links"]) == len(created)


def test_running_it_again_adds_nothing(rounds: Rounds) -> None:
    first = links.link_repeats(rounds.look_back, by=rounds.world["office"])
    assert links.link_repeats(rounds.look_back, by=rounds.world["office"]) == []
    assert ProblemLink.objects.count() == len(first)


def test_the_first_round_has_nothing_to_link_to(rounds: Rounds) -> None:
    assert links.link_repeats(rounds.first, by=rounds.world["office"]) == []


def test_the_group_that_imported_may_run_the_matching(rounds: Rounds) -> None:
    assert links.link_repeats(rounds.look_back, by=rounds.world["group"])


@pytest.mark.parametrize(
    ("persona", "error"),
    [("leader", NotFound), ("far_office", NotFound), ("observer", PermissionDenied)],
)
def test_others_may_not_run_the_matching(
    rounds: Rounds, persona: str, error: type[Exception]
) -> None:
    with pytest.raises(error):
        links.link_repeats(rounds.look_back, by=rounds.world[persona])


def _a_link(rounds: Rounds) -> ProblemLink:
    created = links.link_repeats(rounds.look_back, by=rounds.world["office"])
    return next(link for link in created if "会议记录" in link.problem.title)


def test_the_office_confirms_a_link_audited(rounds: Rounds) -> None:
    link = links.confirm_link(_a_link(rounds), by=rounds.world["office"], reason="同一问题")
    assert (link.state, link.kind, link.decided_by) == (
        LinkState.CONFIRMED,
        LinkKind.REPEAT,
        rounds.world["office"],
    )
    event = AuditEvent.objects.filter(action="lookback.confirmed").get()
    assert event.before["state"] == "candidate"
    assert event.after["state"] == "confirmed"


def test_the_office_rejects_a_link(rounds: Rounds) -> None:
    link = links.reject_link(_a_link(rounds), by=rounds.world["office"], reason="不是同一问题")
    assert link.state == LinkState.REJECTED
    assert AuditEvent.objects.filter(action="lookback.rejected").exists()


@pytest.mark.parametrize(
    ("persona", "error"),
    [
        ("group", PermissionDenied),
        ("observer", PermissionDenied),
        ("leader", NotFound),
        ("far_office", NotFound),
    ],
)
def test_only_the_office_decides_links(
    rounds: Rounds, persona: str, error: type[Exception]
) -> None:
    link = _a_link(rounds)
    with pytest.raises(error):
        links.confirm_link(link, by=rounds.world[persona])
    with pytest.raises(error):
        links.reject_link(link, by=rounds.world[persona])
    link.refresh_from_db()
    assert link.state == LinkState.CANDIDATE


def test_links_are_read_through_access(rounds: Rounds) -> None:
    link = _a_link(rounds)
    assert links.get_link_for(rounds.world["office"], link.pk) == link
    for persona in ("leader", "far_office"):
        with pytest.raises(NotFound):
            links.get_link_for(rounds.world[persona], link.pk)
    with pytest.raises(NotFound):
        links.get_link_for(rounds.world["office"], "x")


def test_similar_across_region_finds_the_problem_in_other_units_of_the_region(
    rounds: Rounds,
) -> None:
    world = rounds.world
    # The world's units A and B (same district) share one problem title; the far district has
    # its own inspection of it, which the district office must not see.
    far_unit = Unit.objects.create(region=world.far_district, name="鼓楼区科协")
    far_round = InspectionRound.objects.create(region=world.far_district, name="鼓楼区第一轮")
    far_group = InspectionGroup.objects.create(region=world.far_district, name="鼓楼区巡察组")
    confirm_notice_import(
        build_notice({"方面": ["学习贯彻党的二十大精神不够深入"]}, "2024-01-01"),
        by=world["far_office"],
        unit=far_unit,
        round=far_round,
        group=far_group,
        issuer_confirmed=True,
    )
    problem = Problem.objects.get(aspect__inspection=world.inspection_a)
    found = links.similar_across_region(problem, by=world["office"])
    units = {m.problem.aspect.inspection.unit for m in found}
    assert units == {world.unit_b}
    assert found[0].score > 0.9


@pytest.mark.parametrize(
    ("persona", "error"),
    [
        ("observer", PermissionDenied),
        ("group", PermissionDenied),
        ("liaison", PermissionDenied),
        ("far_office", NotFound),
    ],
)
def test_similar_across_region_is_the_offices(
    rounds: Rounds, persona: str, error: type[Exception]
) -> None:
    problem = Problem.objects.get(aspect__inspection=rounds.world.inspection_a)
    with pytest.raises(error):
        links.similar_across_region(problem, by=rounds.world[persona])


def test_a_vague_title_is_linked_through_its_measures(rounds: Rounds) -> None:
    # 工作要求不高 says nothing; its measure is about 公文 and 归档, the earlier 档案 problem.
    from zhenggai.ledger.models import Aspect, Measure, Problem

    earlier_aspect = Aspect.objects.filter(inspection=rounds.first).first()
    assert earlier_aspect is not None
    old = Problem.objects.create(aspect=earlier_aspect, no=90, title="档案资料管理不规范")
    aspect = Aspect.objects.filter(inspection=rounds.look_back).first()
    assert aspect is not None
    vague = Problem.objects.create(aspect=aspect, no=90, title="工作标准不高")
    Measure.objects.create(
        inspection=rounds.look_back, problem=vague, no=1, content="规范公文管理，及时归档上级文件"
    )
    created = links.link_repeats(rounds.look_back, by=rounds.world["office"])
    mine = [link for link in created if link.problem_id == vague.pk]
    assert mine and mine[0].earlier_id == old.pk
    assert mine[0].kind == LinkKind.REPEAT
