"""Path converters. `<id:...>` is Django's `<int:...>` held to what a database id can be: ASCII digits, at most
2**63 - 1. A longer number is simply an address that names nothing (404); given to the database it would fail
(SQLite cannot bind it; PostgreSQL's bigint cannot hold it)."""

from __future__ import annotations

from django.urls import register_converter

from actiontrack.pages.forms import ID_MAX


class IdConverter:
    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if number > ID_MAX:
            raise ValueError("too large to be an id")  # the resolver takes this as "no match"
        return number

    def to_url(self, value: int) -> str:
        return str(value)


class PartConverter:
    """An address part naming a recommendation or an action ("2.1", "E1b", "CoC-1a"): anything but a slash or a
    control character. A NUL byte in an address names nothing; given to PostgreSQL it would fail."""

    regex = "[^/\x00-\x1f\x7f]+"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


# Registered once, when this module is first imported: a URL module imported again (a test's ROOT_URLCONF) must
# not register it twice.
register_converter(IdConverter, "id")
register_converter(PartConverter, "part")
