"""The effectiveness sheet: pure scoring, the computation on a small ledger, exports, access.

The small ledger is the world's unit A: one problem, two 限期整改 measures due 2024-03-31;
``measure_a`` (owner account, evidence) is closed out on 2024-03-01, ``measure_a2`` is still
open on 2024-06-01. By hand: A1 1/2 of 5 = 2.5, A2 0, A3 5, B1 1/2 of 10 = 5, B2 0, B3 6 − 1 = 5,
B4 5, B5 3, B6 (no 长期坚持) 3, C1 0 (a study plan is no rule), C2 6, C3 (no earlier round) 5,
D2 0 (no contacts): 39.5 computed; with 29 manual points, 68.5 → 一般.
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import docx
import openpyxl
import pytest
import time_machine

from tests.ledger.conftest import Submit, World
from zhenggai.assessment.export import assessment_docx, assessment_xlsx
from zhenggai.assessment.models import Indicator
from zhenggai.assessment.sheet import assess
from zhenggai.ledger import actions
from zhenggai.ledger.errors import NotFound, PermissionDenied
from zhenggai.ledger.models import AuditEvent
from zhenggai.review import effectiveness as eff

MANUAL = {"A4": 5, "A5": 5, "C4": 4, "C5": 4, "D1": 9, "D3": 2}
JUNE = dt.date(2024, 6, 1)


def test_the_default_sheet_has_about_twenty_indicators_worth_100_points() -> None:
    assert 18 <= len(eff.DEFAULT_INDICATORS) <= 22
    assert sum(i.points for i in eff.DEFAULT_INDICATORS) == 100
    assert {i.area for i in eff.DEFAULT_INDICATORS} == {
        "责任落实",
        "整改成效",
        "重点问题整改",
        "群众满意度",
    }
    assert {i.source for i in eff.DEFAULT_INDICATORS} - {eff.MANUAL} <= set(eff.COMPUTED)


@pytest.mark.parametrize(
    ("total", "grade"),
    [(Decimal(100), "excellent"), (Decimal(90), "excellent"), (Decimal("89.9"), "good"),
     (Decimal(75), "good"), (Decimal(60), "fair"), (Decimal("59.9"), "poor"), (Decimal(0), "poor")],
)  # fmt: skip
def test_grades(total: Decimal, grade: str) -> None:
    assert eff.grade(total) == grade


def _spec(code: str) -> eff.IndicatorSpec:
    return next(i for i in eff.DEFAULT_INDICATORS if i.code == code)


def test_shares_penalties_and_empty_bases() -> None:
    facts = eff.LedgerFacts(
        with_deadline=3, closed_on_time=2, overdue=9, confirmed_repeats=1, candidate_repeats=2
    )
    assert eff.score(_spec("B1"), facts).points == Decimal("6.7")
    assert eff.score(_spec("B3"), facts).points == 0
    repeats = eff.score(_spec("C2"), facts)
    assert repeats.points == 3
    assert "2 项疑似重复" in repeats.basis
    # No prior round: the basis reads 无上轮问题 (no stray measure word before the noun).
    assert eff.score(_spec("C3"), facts).basis == "无上轮问题，得满分"
    assert eff.score(_spec("B6"), facts) == eff.ScoreResult(
        "B6", Decimal(3), "无长期坚持措施，得满分"
    )


def test_manual_points_are_capped_and_missing_ones_stay_empty() -> None:
    facts = eff.LedgerFacts()
    assert eff.score(_spec("D1"), facts, {"D1": Decimal(15)}).points == 10
    assert eff.score(_spec("D1"), facts).points is None


@pytest.fixture
def small_ledger(world: World, submit: Submit) -> World:
    with time_machine.travel(dt.datetime(2024, 3, 1, 8, tzinfo=dt.UTC), tick=False):
        actions.verify_and_close_out(submit(), by=world["office"])
    return world


def _points(sheet: object) -> dict[str, Decimal | None]:
    return {s.indicator.code: s.points for s in sheet.scores.select_related("indicator")}  # type: ignore[attr-defined]


def test_assess_computes_the_sheet_of_a_small_ledger(small_ledger: World) -> None:
    sheet = assess(small_ledger.inspection_a, by=small_ledger["office"], manual=MANUAL, today=JUNE)
    points = _points(sheet)
    expected = {"A1": "2.5", "A2": "0", "A3": "5", "B1": "5", "B2": "0", "B3": "5", "B4": "5",
                "B5": "3", "B6": "3", "C1": "0", "C2": "6", "C3": "5", "D2": "0"}  # fmt: skip
    assert {code: points[code] for code in expected} == {k: Decimal(v) for k, v in expected.items()}
    assert (sheet.total, sheet.grade, sheet.complete) == (Decimal("68.5"), "fair", True)
    assert (
        AuditEvent.objects.filter(action="assessment.assess", target_id=str(sheet.pk)).count() == 1
    )


def test_without_manual_points_the_sheet_is_incomplete(small_ledger: World) -> None:
    sheet = assess(small_ledger.inspection_a, by=small_ledger["office"], today=JUNE)
    assert (sheet.total, sheet.grade, sheet.complete) == (Decimal("39.5"), "poor", False)
    assert _points(sheet)["D1"] is None


def test_assessing_again_keeps_manual_points_and_replaces_the_rest(small_ledger: World) -> None:
    office = small_ledger["office"]
    assess(small_ledger.inspection_a, by=office, manual=MANUAL, today=JUNE)
    sheet = assess(small_ledger.inspection_a, by=office, manual={"D1": 10}, today=JUNE)
    assert sheet.total == Decimal("69.5")
    assert sheet.scores.count() == len(eff.DEFAULT_INDICATORS)
    event = AuditEvent.objects.filter(action="assessment.assess").last()
    assert event is not None and event.before["total"] == "68.5"


def test_the_office_adjusts_the_indicator_table(small_ledger: World) -> None:
    office = small_ledger["office"]
    assess(small_ledger.inspection_a, by=office, manual=MANUAL, today=JUNE)
    Indicator.objects.filter(code="D2").update(active=False)
    sheet = assess(small_ledger.inspection_a, by=office, today=JUNE)
    assert "D2" not in _points(sheet)
    assert sheet.total == Decimal("68.5")


@pytest.mark.parametrize(
    ("persona", "error"),
    [
        ("group", PermissionDenied),
        ("observer", PermissionDenied),
        ("liaison", PermissionDenied),
        ("far_office", NotFound),
        ("sysadmin", NotFound),
    ],
)
def test_only_the_office_assesses(world: World, persona: str, error: type[Exception]) -> None:
    with pytest.raises(error):
        assess(world.inspection_a, by=world[persona])


def test_the_sheet_exports_to_xlsx_and_docx(small_ledger: World) -> None:
    sheet = assess(small_ledger.inspection_a, by=small_ledger["office"], manual=MANUAL, today=JUNE)
    rows = list(
        openpyxl.load_workbook(io.BytesIO(assessment_xlsx(sheet))).active.iter_rows(
            values_only=True
        )
    )
    assert rows[0][0] == "区科协巡察整改评估表"
    assert rows[3][:5] == ("责任落实", "A1", "整改措施责任人和时限齐全", 5, 2.5)
    assert tuple(c for c in rows[-2] if c) == ("总分：68.5",)
    document = docx.Document(io.BytesIO(assessment_docx(sheet)))
    table = document.tables[0]
    assert len(table.rows) == len(eff.DEFAULT_INDICATORS) + 1
    assert table.rows[1].cells[2].text == "整改措施责任人和时限齐全"
    assert [p.text for p in document.paragraphs][-2:] == ["总分：68.5", "等次：一般"]
