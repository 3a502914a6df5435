"""The readers issue 15 added never crash and keep what the cell says, whatever the text (hypothesis):
written dates, rich text, owner cells, status words and two-row headers."""

import string

from hypothesis import given, settings
from hypothesis import strategies as st

from actiontrack.domain.references import REF_MAX, clean_ref
from actiontrack.domain.ukdates import DateError
from actiontrack.domain.written_dates import read_written_date
from actiontrack.interchange.importing.grid import sub_headers
from actiontrack.interchange.importing.groups import group_name
from actiontrack.interchange.importing.refs import parse_ref, split_reference
from actiontrack.interchange.importing.tables import words
from actiontrack.interchange.importing.values import clean_text, owner_parts, read_date, read_status

SETTINGS = settings(max_examples=200, deadline=None)
PIECES = ["Q1", "Q4", "22/23", "2023/24", "Mar-23", "w/c", "15/05/2023", "31 Dec 22", "End of", "June", "2023",
          "Completed", "T23:30:00Z", "2023-05-15", "<p>", "</p>", "<div>", "<br>", "<li>", "&amp;", ",", ";", "/",
          "Ward 3", "Head of Protection", "a.b@x.gov.uk", "Off track", "Parked", "Green", " ", "\n"]
text = st.one_of(st.lists(st.sampled_from(PIECES), max_size=6).map("".join),
                 st.text(alphabet=string.printable + "£–éß", max_size=40))


@SETTINGS
@given(text)
def test_a_written_date_is_a_real_date_with_a_warning_or_nothing(cell):
    try:
        read = read_written_date(cell)
    except DateError as refused:
        assert str(refused)
        return
    assert read is None or (read.warnings and 1 <= read.value.year <= 9999)


@SETTINGS
@given(text)
def test_a_date_cell_is_read_or_reported_never_both_and_never_a_crash(cell):
    read = read_date(cell)
    assert not (read.value is not None and read.error)


@SETTINGS
@given(text)
def test_rich_text_leaves_no_tags_and_keeps_the_words(cell):
    html = f"<div><p>{cell}</p></div>"
    plain = clean_text(html)
    assert "<div" not in plain and "<p>" not in plain
    for word in clean_text(cell.replace("<", " ").replace(">", " ").replace("&", " ")).split():
        assert word in plain or "&" in cell or "<" in cell


@SETTINGS
@given(text)
def test_owner_parts_keep_every_word_of_the_cell(cell):
    parts = owner_parts(cell)
    assert all(part and part == part.strip() for part in parts)
    words = " ".join(parts).replace(",", " ").split()
    for word in clean_text(cell).replace(";", " ").replace("/", " ").replace(",", " ").split():
        stripped = word.strip(" .,-–:")
        assert not stripped or stripped in words or any(stripped in w for w in words)


@SETTINGS
@given(text)
def test_a_status_word_never_blocks_the_file(cell):
    read = read_status(cell)
    assert not read.error


@SETTINGS
@given(st.lists(st.sampled_from(["", "Ref", "Action", "Implementation date", "Owner"]), min_size=1, max_size=8),
       st.lists(st.sampled_from(["", "Original", "Revised", "31/12/2023", "Head of HR", "Check starters."]),
                min_size=1, max_size=8))
def test_a_second_header_row_names_only_sub_columns_of_a_spanning_header(header, row):
    combined = sub_headers(header, row)
    if combined is None:
        return
    for i, cell in enumerate(row):
        if cell:
            assert combined[i].startswith(cell + " ") and not any(ch.isdigit() for ch in cell)
        elif i < len(header):
            assert combined[i] == header[i]


REF_PIECES = ["AFI", "CoC", "Rec", "Recommendation", "MD", "R", "E", "1", "3", "12", "33.22c", "2.1", "a", "-",
              ":", ")", ".", " ", "and", ",", "Volume 2", "The service should"]
ref_text = st.one_of(st.lists(st.sampled_from(REF_PIECES), max_size=6).map("".join), text)


@SETTINGS
@given(ref_text)
def test_a_reference_cell_is_read_within_its_length_or_not_at_all(cell):
    read = parse_ref(cell)
    assert read is None or (read[0] and len(read[0]) <= REF_MAX and clean_ref(read[0]) == read[0])


@SETTINGS
@given(ref_text)
def test_a_recommendation_cell_keeps_its_words_whether_or_not_a_reference_is_read(cell):
    ref, _, body = split_reference(cell)
    assert set(words(body)) <= set(words(cell))
    assert ref is None or len(ref) <= REF_MAX


@SETTINGS
@given(st.one_of(st.sampled_from(["Theme 1: Prevention", "Pillar – People", "Volume 2", "Directorate: Response"]),
                 text))
def test_a_group_heading_gives_a_name_that_is_in_the_heading_and_never_empty(heading):
    if not heading.split():
        return
    name = group_name(heading)
    assert name and name in " ".join(heading.split())
