"""The pages built in Python (the plan's table, the dashboard's sections) escape what they put in exactly as the
templates do: a value typed by a person (an action's words, a plan's title) can hold any character."""

import pytest
from django.utils.html import escape

from actiontrack.web.escaping import escape_text


@pytest.mark.parametrize("value", [
    "Plain words 1.2", "", "Tom & Jerry", "<script>alert(1)</script>", 'a "quoted" title', "the owner's plan",
    "'\"<>&", "&amp; already escaped", "Red – Overdue", "due 31/05/2021 (On Approval)", 42, None])
def test_a_value_is_escaped_as_django_escapes_it(value):
    assert escape_text(value) == escape(value)
