"""Reporting periods: owners write one progress update per action per period (monthly by default)."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum


class PeriodKind(StrEnum):
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"

    @property
    def label(self) -> str:
        return {PeriodKind.MONTHLY: "Monthly", PeriodKind.QUARTERLY: "Quarterly"}[self]


@dataclass(frozen=True, order=True)
class Period:
    start: date
    end: date

    @property
    def label(self) -> str:
        if self.start.month == self.end.month:
            return f"{calendar.month_name[self.start.month]} {self.start.year}"
        return (f"{calendar.month_name[self.start.month]} to {calendar.month_name[self.end.month]} "
                f"{self.end.year}")

    @property
    def short(self) -> str:
        """ "Nov 2021", "Oct–Dec 2021": for a chart's axis."""
        if self.start.month == self.end.month:
            return f"{calendar.month_abbr[self.start.month]} {self.start.year}"
        return f"{calendar.month_abbr[self.start.month]}–{calendar.month_abbr[self.end.month]} {self.end.year}"

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def period_of(day: date, kind: PeriodKind | str = PeriodKind.MONTHLY) -> Period:
    """The reporting period that contains `day`: its calendar month, or its calendar quarter."""
    kind = PeriodKind(kind)
    if kind is PeriodKind.MONTHLY:
        return Period(date(day.year, day.month, 1), _month_end(day.year, day.month))
    first_month = 3 * ((day.month - 1) // 3) + 1
    return Period(date(day.year, first_month, 1), _month_end(day.year, first_month + 2))


def previous_period(period: Period, kind: PeriodKind | str = PeriodKind.MONTHLY) -> Period:
    return period_of(period.start - timedelta(days=1), kind)
