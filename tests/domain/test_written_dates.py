"""Due dates as people write them in trackers (issue 15): each is read as a real date, says what it was read
as, and keeps the words that say more than the date as its condition. No database."""

from datetime import date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from actiontrack.domain.ukdates import DateError
from actiontrack.domain.written_dates import read_written_date


@pytest.mark.parametrize(("text", "day", "condition"), [
    ("Q4 22/23", date(2023, 3, 31), "Q4 22/23"),  # the financial year starts in April
    ("Q1 2023/24", date(2023, 6, 30), "Q1 2023/24"),
    ("Q3 FY22/23", date(2022, 12, 31), "Q3 FY22/23"),
    ("Q3 2022", date(2022, 9, 30), "Q3 2022"),  # a single year: a calendar quarter, and the warning says so
    ("Mar-23", date(2023, 3, 31), ""),
    ("Sept 2024", date(2024, 9, 30), ""),
    ("By end of March 2024", date(2024, 3, 31), ""),
    ("31 Dec 22", date(2022, 12, 31), ""),
    ("1st Feb 24", date(2024, 2, 1), ""),
    ("w/c 15/05/2023", date(2023, 5, 21), "w/c 15/05/2023"),
    ("Week commencing 2 January 2023", date(2023, 1, 8), "Week commencing 2 January 2023"),
    ("Completed 14/02/2024", date(2024, 2, 14), ""),
    ("2023-05-15T23:30:00Z", date(2023, 5, 16), ""),  # British Summer Time: already the 16th in the UK
    ("2023-01-15T23:30:00Z", date(2023, 1, 15), ""),  # Greenwich Mean Time: the same day
    ("2023-05-15 08:00:00", date(2023, 5, 15), ""),
])
def test_a_date_as_people_write_it_is_read_with_a_warning_saying_how(text, day, condition):
    read = read_written_date(text)
    assert (read.value, read.condition) == (day, condition)
    assert read.warnings and text in read.warnings[0] and day.strftime("%d/%m/%Y") in read.warnings[0]


def test_a_calendar_quarter_says_how_to_write_a_financial_one():
    assert "write it as a financial year, e.g. Q3 22/23" in read_written_date("Q3 2022").warnings[0]


@pytest.mark.parametrize("text", ["Ongoing", "TBC", "On Approval", "Complete", "Target 31/03/2022, revised 30/06/2022",
                                  "Q5 2022", "Smarch 2023"])
def test_words_with_no_date_or_more_than_one_are_not_read_as_a_date(text):
    assert read_written_date(text) is None


@pytest.mark.parametrize(("text", "says"), [("Q2 22/24", "24 does not follow 22"),
                                            ("w/c 31/02/2023", "February 2023 has 28 days")])
def test_an_impossible_date_in_a_recognised_form_is_refused_naming_it(text, says):
    with pytest.raises(DateError, match=says):
        read_written_date(text)


@given(st.integers(2000, 2098), st.integers(1, 4), st.booleans())
def test_every_financial_quarter_ends_on_the_last_day_of_its_third_month(first, quarter, short):
    years = f"{first % 100:02d}/{(first + 1) % 100:02d}" if short else f"{first}/{first + 1}"
    read = read_written_date(f"Q{quarter} {years}")
    months_from_april = 3 * quarter  # Q1 ends in June, Q4 in March
    end_month = (3 + months_from_april - 1) % 12 + 1
    assert read.value.month == end_month
    assert read.value.year == (first if quarter < 4 else first + 1)
    assert (read.value + timedelta(days=1)).day == 1


@given(st.dates(date(2000, 1, 1), date(2098, 12, 31)))
def test_a_week_is_read_as_the_sixth_day_after_it_begins(start):
    assert read_written_date(f"w/c {start:%d/%m/%Y}").value == start + timedelta(days=6)


@given(st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2098, 12, 31)))
def test_a_utc_date_time_is_its_uk_date_the_same_day_or_the_next(moment):
    read = read_written_date(moment.strftime("%Y-%m-%dT%H:%M:%SZ"))
    assert read.value - moment.date() in (timedelta(0), timedelta(days=1))
