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


# Registered once, when this module is first imported: a URL module imported again (a test's ROOT_URLCONF) must
# not register it twice.
register_converter(IdConverter, "id")
