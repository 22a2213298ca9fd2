"""Deadlines, lights and reminder stages: pure functions, no database."""

from __future__ import annotations

import datetime as dt

import pytest

from zhenggai.supervision import deadlines as dl
from zhenggai.supervision.deadlines import GREEN, RED, YELLOW, Rules

D = dt.date
RULES = Rules()
FEEDBACK = D(2023, 12, 26)
DEADLINE = D(2024, 3, 31)


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (D(2023, 12, 26), 1, D(2024, 1, 26)),
        (D(2023, 12, 26), 2, D(2024, 2, 26)),
        (D(2024, 1, 31), 1, D(2024, 2, 29)),
        (D(2023, 1, 31), 1, D(2023, 2, 28)),
        (D(2024, 3, 31), -1, D(2024, 2, 29)),
        (D(2024, 11, 30), 3, D(2025, 2, 28)),
    ],
)
def test_months_are_calendar_months_clamped_to_the_month_end(day, months, expected):
    assert dl.add_months(day, months) == expected


def test_the_plan_is_due_one_month_and_the_reports_two_months_after_feedback():
    owed = dl.statutory_deadlines(FEEDBACK, RULES)
    assert owed == dl.StatutoryDeadlines(plan=D(2024, 1, 26), reports=D(2024, 2, 26))
    assert dl.statutory_deadlines(None, RULES) is None


def test_the_statutory_months_are_settings(settings):
    settings.ZHENGGAI_PLAN_MONTHS, settings.ZHENGGAI_REPORT_MONTHS = 2, 3
    owed = dl.statutory_deadlines(FEEDBACK)
    assert owed is not None and (owed.plan, owed.reports) == (D(2024, 2, 26), D(2024, 3, 26))


def test_ongoing_reviews_start_after_three_months_then_follow_the_period():
    dates = dl.review_dates(D(2023, 11, 30), 3, until=D(2024, 12, 31), rules=RULES)
    assert dates == [D(2024, 2, 29), D(2024, 5, 30), D(2024, 8, 30), D(2024, 11, 30)]
    assert dl.review_dates(FEEDBACK, None, until=D(2030, 1, 1), rules=RULES) == []


def test_the_next_review_is_the_first_on_or_after_today():
    assert dl.next_review(FEEDBACK, 3, D(2024, 3, 26), RULES) == D(2024, 3, 26)
    assert dl.next_review(FEEDBACK, 3, D(2024, 3, 27), RULES) == D(2024, 6, 26)
    assert dl.next_review(FEEDBACK, 1, D(2024, 1, 1), RULES) == D(2024, 3, 26)
    assert dl.next_review(None, 3, D(2024, 1, 1), RULES) is None


@pytest.mark.parametrize(
    ("today", "status", "expected"),
    [
        (D(2024, 2, 11), "not_started", GREEN),  # 47 of 96 days gone
        (D(2024, 2, 12), "not_started", YELLOW),  # half the time gone, not started: behind plan
        (D(2024, 2, 12), "in_progress", GREEN),
        (D(2024, 3, 23), "in_progress", GREEN),  # 8 days left
        (D(2024, 3, 24), "in_progress", YELLOW),  # 7 days left
        (D(2024, 3, 31), "submitted", YELLOW),  # the deadline day
        (D(2024, 4, 1), "in_progress", RED),
        (D(2024, 4, 1), "submitted", RED),  # not closed out yet
        (D(2024, 4, 1), "closed", GREEN),
        (D(2024, 4, 1), "phase_complete", GREEN),
    ],
)
def test_a_measure_light_at_each_boundary(today, status, expected):
    assert dl.light(status, DEADLINE, today, start=FEEDBACK, rules=RULES) == expected


def test_without_a_deadline_or_a_start_there_is_nothing_to_be_late_for():
    assert dl.light("not_started", None, D(2030, 1, 1), rules=RULES) == GREEN
    assert dl.light("not_started", DEADLINE, D(2024, 3, 1), rules=RULES) == GREEN


def test_the_thresholds_are_settings(settings):
    settings.ZHENGGAI_YELLOW_DAYS = 14
    settings.ZHENGGAI_BEHIND_PLAN_PERCENT = 90
    assert dl.light("in_progress", DEADLINE, D(2024, 3, 17)) == YELLOW
    assert dl.light("not_started", DEADLINE, D(2024, 3, 1), start=FEEDBACK) == GREEN


def test_an_aggregate_is_the_worst_of_its_children():
    assert dl.worst([]) == GREEN
    assert dl.worst([GREEN, GREEN]) == GREEN
    assert dl.worst([GREEN, YELLOW, GREEN]) == YELLOW
    assert dl.worst([YELLOW, RED, GREEN]) == RED


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (D(2024, 2, 29), None),
        (D(2024, 3, 1), "before_30"),
        (D(2024, 3, 23), "before_30"),
        (D(2024, 3, 24), "before_7"),
        (D(2024, 3, 29), "before_7"),
        (D(2024, 3, 30), "before_1"),
        (D(2024, 3, 31), "due"),
        (D(2024, 4, 1), "overdue"),
        (D(2025, 4, 1), "overdue"),
    ],
)
def test_the_reminder_stage_for_each_day(today, expected):
    assert dl.reminder_stage(DEADLINE, today, (30, 7, 1)) == expected


def test_without_after_nothing_is_said_once_the_date_has_passed():
    assert dl.reminder_stage(DEADLINE, D(2024, 4, 1), (30, 7, 1), after=False) is None


def test_stages_read_in_chinese():
    labels = [dl.stage_label(k) for k in ("before_30", "before_1", "due", "overdue")]
    assert labels == ["还有30天到期", "还有1天到期", "今天到期", "已逾期"]
