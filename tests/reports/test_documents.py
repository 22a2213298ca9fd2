"""The 整改情况报告, the 主要负责人 report and the 督办单, from unit A's inspection."""

from __future__ import annotations

import datetime as dt

from tests.reports.conftest import SECRET, World, docx_bytes
from zhenggai.ledger.models import Inspection, Measure
from zhenggai.notice import read
from zhenggai.reports.documents import (
    draft_sheet,
    leader_report_document,
    report_document,
    supervision_document,
)
from zhenggai.reports.ledger import figures

TODAY = dt.date(2024, 4, 10)  # measure_a2 (due 2024-03-31, not started) is 10 days late


def _text(doc: object) -> str:
    return read(docx_bytes(doc), filename="报告.docx")


def test_figures_count_problems_measures_rules_and_overdue(filled: Inspection) -> None:
    numbers = figures(filled, today=TODAY)
    assert (numbers.aspects, numbers.problems, numbers.measures) == (1, 2, 3)
    assert (numbers.problems_done, numbers.problems_in_progress) == (0, 1)
    assert numbers.problems_not_started == 1  # the confidential one: its measure not started
    assert (numbers.measures_done, numbers.measures_not_started) == (1, 2)
    assert numbers.measures_overdue == 1
    assert numbers.rules_made == 1  # 《…请销假制度》
    assert numbers.accountable is None


def test_the_report_gives_totals_items_reasons_and_next_steps(filled: Inspection) -> None:
    text = _text(report_document(filled, today=TODAY, day=TODAY))
    assert "中共龙亭区委巡察工作领导小组办公室：" in text
    assert "巡察反馈问题共1个方面2个，我单位制定整改措施3条。截至2024年4月10日" in text
    assert "建立完善制度1项；问责＿＿人。" in text  # not in the ledger: a line to fill in
    assert "未开始（逾期10天）" in text
    assert "尚有2条整改措施未完成" in text
    assert "四、下一步工作打算" in text
    assert text.rstrip().endswith("2024年4月10日")
    assert SECRET in text  # the office gets the whole picture: this report is not public


def test_the_report_states_people_held_accountable_when_given(filled: Inspection) -> None:
    assert "问责2人。" in _text(report_document(filled, today=TODAY, accountable=2))


def test_the_leader_report_lists_what_the_head_led(filled: Inspection) -> None:
    text = _text(leader_report_document(filled, leader="张明", today=TODAY))
    assert "主要负责人" in text
    assert "本人领办整改措施1条，已完成1条" in text
    assert "主要负责人：张明" in text


def test_the_supervision_order_names_the_measure_deadline_and_days_late(world: World) -> None:
    measure = Measure.objects.get(pk=world.measure_a2.pk)
    text = _text(supervision_document([draft_sheet(measure, TODAY)]))
    assert "巡察整改督办单" in text
    assert "龙亭区科协党组" in text
    assert "2024年3月31日" in text
    assert "截至2024年4月10日逾期10天" in text
    assert "请于2024年4月17日前将整改情况书面反馈" in text
    assert "督〔2024〕＿＿号" in text  # a draft: the office numbers it when it issues it
