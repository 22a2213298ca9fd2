"""上轮问题整改状态表 of the look-back round, its override by the office, and its export."""

from __future__ import annotations

import io

import openpyxl
import pytest

from tests.assessment.conftest import ROUND_2020, Rounds, import_round
from zhenggai.assessment import links, status
from zhenggai.assessment.export import prior_status_xlsx
from zhenggai.assessment.models import PriorStatus
from zhenggai.ledger.errors import NotFound, PermissionDenied, ValidationError
from zhenggai.ledger.models import AuditEvent, Problem, RoundKind


def _table(rounds: Rounds, persona: str = "office") -> dict[str, status.PriorRow]:
    rows = status.prior_status_table(rounds.look_back, by=rounds.world[persona])
    return {row.title: row for row in rows}


@pytest.fixture
def linked(rounds: Rounds) -> Rounds:
    links.link_repeats(rounds.look_back, by=rounds.world["office"])
    return rounds


def test_every_problem_of_the_previous_round_has_a_row(linked: Rounds) -> None:
    rows = status.prior_status_table(linked.look_back, by=linked.world["office"])
    assert [r.title for r in rows] == [t for titles in ROUND_2020.values() for t in titles]
    assert [r.number for r in rows] == ["一（一）", "一（二）", "一（三）", "二（一）", "二（二）"]
    assert {r.first_round for r in rows} == {"十三届区委第三轮巡察"}


def test_statuses_come_from_the_measures_and_the_repeats(linked: Rounds) -> None:
    table = _table(linked)
    got = {title: (row.status, row.reason) for title, row in table.items()}
    suspected = "疑似边改边犯（待巡察办确认）"
    assert got == {
        "理论学习在学用结合上有差距": ("fully", ""),
        "意识形态工作不扎实": ("partly", suspected),
        "公务用车管理不规范": ("partly", "尚有整改措施未验收销号"),
        "会议记录不规范": ("partly", suspected),
        "财务管理不规范，存在白条入账现象": ("not", suspected),
    }
    assert table["会议记录不规范"].recurrences[0].title == "党组会议记录不完整、不规范"


def test_a_confirmed_repeat_reads_as_such_and_a_rejected_one_not_at_all(linked: Rounds) -> None:
    office = linked.world["office"]
    for link in links.links_for(office):
        if "会议记录" in link.problem.title:
            links.confirm_link(link, by=office)
        elif "意识形态" in link.problem.title:
            links.reject_link(link, by=office, reason="表述相近，实为新问题")
    table = _table(linked)
    assert (table["会议记录不规范"].status, table["会议记录不规范"].reason) == (
        "partly",
        "边改边犯",
    )
    assert (table["意识形态工作不扎实"].status, table["意识形态工作不扎实"].reason) == ("fully", "")


def test_the_office_overrides_a_status_with_a_reason(linked: Rounds) -> None:
    office = linked.world["office"]
    car = Problem.objects.get(aspect__inspection=linked.first, title="公务用车管理不规范")
    status.set_prior_status(
        linked.look_back,
        car,
        status=PriorStatus.NO_LONGER_VALID,
        reason="公车改革后已无公务用车",
        by=office,
    )
    row = _table(linked)["公务用车管理不规范"]
    assert (row.status, row.reason, row.overridden) == (
        "no_longer_valid",
        "公车改革后已无公务用车",
        True,
    )
    assert row.status_label == "已不适用"
    assert AuditEvent.objects.filter(action="lookback.prior_status").count() == 1


def test_an_override_needs_a_reason_and_an_earlier_problem(linked: Rounds) -> None:
    office = linked.world["office"]
    car = Problem.objects.get(aspect__inspection=linked.first, title="公务用车管理不规范")
    with pytest.raises(ValidationError):
        status.set_prior_status(linked.look_back, car, status="fully", reason=" ", by=office)
    new = Problem.objects.filter(aspect__inspection=linked.look_back).first()
    assert new is not None
    with pytest.raises(ValidationError):
        status.set_prior_status(linked.look_back, new, status="fully", reason="已整改", by=office)


@pytest.mark.parametrize(
    ("persona", "error"),
    [
        ("group", PermissionDenied),
        ("observer", PermissionDenied),
        ("leader", NotFound),
        ("far_office", NotFound),
    ],
)
def test_only_the_office_overrides(linked: Rounds, persona: str, error: type[Exception]) -> None:
    car = Problem.objects.get(aspect__inspection=linked.first, title="公务用车管理不规范")
    with pytest.raises(error):
        status.set_prior_status(
            linked.look_back, car, status="fully", reason="已整改", by=linked.world[persona]
        )


def test_the_office_and_observers_read_the_table_others_do_not(linked: Rounds) -> None:
    assert len(_table(linked, "observer")) == 5
    with pytest.raises(PermissionDenied):
        _table(linked, "group")
    for persona in ("leader", "far_office", "sysadmin"):
        with pytest.raises(NotFound):
            _table(linked, persona)


def test_the_round_first_found_follows_the_links_back(linked: Rounds) -> None:
    office = linked.world["office"]
    third = import_round(
        linked.world,
        linked.unit,
        "十五届区委第一轮巡察",
        RoundKind.REGULAR,
        {"方面": ["党组会议记录不规范"]},
        feedback="2026-06-30",
    )
    links.link_repeats(third, by=office)
    rows = {r.title: r for r in status.prior_status_table(third, by=office)}
    minutes = rows["党组会议记录不完整、不规范"]
    assert minutes.first_round == "十三届区委第三轮巡察"
    assert minutes.recurrences and minutes.recurrences[0].title == "党组会议记录不规范"
    assert rows["招商引资工作压力传导不够"].first_round == "十四届区委第五轮巡察（回头看）"


def test_the_table_exports_to_xlsx(linked: Rounds) -> None:
    rows = status.prior_status_table(linked.look_back, by=linked.world["office"])
    book = openpyxl.load_workbook(io.BytesIO(prior_status_xlsx(linked.look_back, rows)))
    values = list(book.active.iter_rows(values_only=True))
    assert values[0][0] == "区农业农村局上轮问题整改状态表"
    assert values[2][:3] == ("序号", "上轮问题", "整改状态")
    assert values[3][:3] == ("一（一）", "理论学习在学用结合上有差距", "已整改到位")
    assert values[7][2] == "未整改"
    assert "待确认" in values[7][6]


def test_a_first_round_has_an_empty_table(rounds: Rounds) -> None:
    assert status.prior_status_table(rounds.first, by=rounds.world["office"]) == []
