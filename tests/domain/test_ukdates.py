"""UK dates: parsing as people write them in action plans, and formatting for tables and prose."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from actiontrack.domain.ukdates import (
    DateError,
    ParsedDate,
    format_due,
    format_long,
    format_short,
    parse_as_at,
    parse_uk_date,
)

any_date = st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31))


@pytest.mark.parametrize(
    ("text", "expected", "condition"),
    [
        ("31/12/2021", date(2021, 12, 31), ""),
        ("1/4/21", date(2021, 4, 1), ""),
        ("01/04/2021", date(2021, 4, 1), ""),
        ("31 May 2021", date(2021, 5, 31), ""),
        ("31st May 2021", date(2021, 5, 31), ""),
        ("2nd June 2021", date(2021, 6, 2), ""),
        ("30 Sept 2021", date(2021, 9, 30), ""),
        ("2021-12-31", date(2021, 12, 31), ""),
        ("29/02/2024", date(2024, 2, 29), ""),
        ("  31/12/2021  ", date(2021, 12, 31), ""),
        ("31/12/2021 (On Approval)", date(2021, 12, 31), "On Approval"),
        ("31 March 2022 (subject to funding)", date(2022, 3, 31), "subject to funding"),
    ],
)
def test_a_date_written_the_uk_way_is_read_with_its_condition_and_no_warnings(text, expected, condition):
    parsed = parse_uk_date(text)
    assert parsed == ParsedDate(value=expected, condition=condition, warnings=())


def test_a_doubled_separator_is_repaired_but_never_silently():
    parsed = parse_uk_date("31//12/2021")
    assert parsed.value == date(2021, 12, 31)
    assert len(parsed.warnings) == 1
    assert "31//12/2021" in parsed.warnings[0]
    assert "31/12/2021" in parsed.warnings[0].split("read as")[-1]


def test_a_repaired_date_keeps_its_condition_and_its_warning():
    parsed = parse_uk_date("31//12/2021 (On Approval)")
    assert parsed.value == date(2021, 12, 31)
    assert parsed.condition == "On Approval"
    assert parsed.warnings and "31//12/2021" in parsed.warnings[0]


@pytest.mark.parametrize("text", ["31/02/2021", "29/02/2021", "00/01/2021", "12/13/2021", "31/04/2021", "32 May 2021"])
def test_an_impossible_date_is_refused_with_a_message_quoting_it(text):
    with pytest.raises(DateError) as raised:
        parse_uk_date(text)
    assert text in str(raised.value)


@pytest.mark.parametrize("text", ["soon", "", "   ", "TBC", "Q3 2021", "31 Smarch 2021", "(On Approval)", "31/12"])
def test_text_that_is_not_a_date_is_refused(text):
    with pytest.raises(DateError):
        parse_uk_date(text)


def test_a_date_error_is_a_value_error():
    assert issubclass(DateError, ValueError)


@pytest.mark.parametrize("text", ["01/01/0000", "0000-01-01", "1 January 0000"])
def test_year_zero_is_refused_as_a_date_error_quoting_the_text(text):
    with pytest.raises(DateError) as raised:
        parse_uk_date(text)
    assert text in str(raised.value)


@pytest.mark.parametrize(
    ("value", "short", "long"),
    [
        (date(2021, 11, 30), "30/11/2021", "30 November 2021"),
        (date(2021, 4, 1), "01/04/2021", "1 April 2021"),
        (date(1900, 1, 1), "01/01/1900", "1 January 1900"),
        (None, "", ""),
    ],
)
def test_dates_are_shown_in_tables_as_dd_mm_yyyy_and_in_prose_with_the_month_name(value, short, long):
    assert format_short(value) == short
    assert format_long(value) == long


@pytest.mark.parametrize(
    ("value", "condition", "shown"),
    [
        (date(2021, 12, 31), "On Approval", "31/12/2021 (On Approval)"),
        (date(2021, 12, 31), "", "31/12/2021"),
        (None, "", "No date set"),
        (None, "On Approval", "No date set"),
    ],
)
def test_a_due_date_is_shown_with_its_condition_or_as_no_date_set(value, condition, shown):
    assert format_due(value, condition) == shown


def test_a_due_date_shown_with_its_condition_reads_back_the_same():
    parsed = parse_uk_date(format_due(date(2021, 12, 31), "On Approval"))
    assert (parsed.value, parsed.condition) == (date(2021, 12, 31), "On Approval")


@pytest.mark.parametrize(
    ("text", "expected"),
    [("2021-11-30", date(2021, 11, 30)), ("30/11/2021", date(2021, 11, 30)), ("30 November 2021", date(2021, 11, 30))],
)
def test_an_as_at_date_may_be_iso_or_uk(text, expected):
    assert parse_as_at(text) == expected


def test_an_as_at_date_cannot_carry_a_condition():
    with pytest.raises(DateError) as raised:
        parse_as_at("30/11/2021 (On Approval)")
    assert "30/11/2021 (On Approval)" in str(raised.value)


def test_an_as_at_date_that_is_not_a_date_is_refused():
    with pytest.raises(DateError):
        parse_as_at("yesterday")


@given(any_date)
def test_every_date_shown_in_a_table_reads_back_as_itself_without_warnings(d):
    parsed = parse_uk_date(format_short(d))
    assert parsed.value == d
    assert parsed.warnings == ()
    assert parsed.condition == ""


@given(any_date)
def test_every_date_shown_in_prose_reads_back_as_itself_without_warnings(d):
    parsed = parse_uk_date(format_long(d))
    assert parsed.value == d
    assert parsed.warnings == ()
    assert parsed.condition == ""


@given(any_date)
def test_every_iso_date_reads_back_as_itself(d):
    assert parse_uk_date(d.isoformat()) == ParsedDate(value=d)


@given(st.text(max_size=40))
def test_any_text_is_either_a_date_or_a_date_error(text):
    try:
        parsed = parse_uk_date(text)
    except DateError:
        return
    assert isinstance(parsed.value, date)


def test_an_as_at_date_with_a_typing_slip_is_refused_with_what_it_looks_like():
    from actiontrack.domain.ukdates import parse_as_at

    with pytest.raises(DateError, match="doubled separator.*for example 31/12/2021"):
        parse_as_at("31//12/2021")
