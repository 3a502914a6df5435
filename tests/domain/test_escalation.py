"""How far up an overdue action has gone: pure rules, no database."""

from datetime import date

from actiontrack.domain.escalation import MANAGERS, SENIOR, days_overdue, levels_reached


def test_days_overdue_counts_whole_days_after_the_due_date():
    assert days_overdue(date(2021, 12, 31), date(2021, 12, 31)) == 0  # due today is not overdue
    assert days_overdue(date(2021, 12, 31), date(2022, 1, 30)) == 30
    assert days_overdue(None, date(2022, 1, 30)) == 0
    assert days_overdue(date(2022, 2, 1), date(2022, 1, 30)) == 0


def test_each_threshold_is_reached_on_its_day_and_an_empty_one_never():
    assert levels_reached(29, 30, 60) == []
    assert levels_reached(30, 30, 60) == [MANAGERS]
    assert levels_reached(60, 30, 60) == [MANAGERS, SENIOR]
    assert levels_reached(400, None, 60) == [SENIOR]
    assert levels_reached(400, 30, None) == [MANAGERS]
    assert levels_reached(400, None, None) == []
