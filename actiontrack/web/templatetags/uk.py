"""Template filters for UK dates and status tags, reading the one definition in the domain."""

from django import template

from actiontrack.domain import ukdates

register = template.Library()


@register.filter
def short(value):
    """30/11/2021"""
    return ukdates.format_short(value)


@register.filter(name="long")
def long_(value):
    """30 November 2021"""
    return ukdates.format_long(value)


@register.filter
def iso(value):
    return value.isoformat() if value else ""


@register.filter
def times(value):
    """Revision counts in words: once, twice, 3 times."""
    return {1: "once", 2: "twice"}.get(value, f"{value} times")
