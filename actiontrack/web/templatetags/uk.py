"""Template filters for UK dates and status tags, reading the one definition in the domain."""

from django import template

from actiontrack.domain import external, ukdates

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


@register.filter
def due(value, condition=None):
    """A due date with its condition, the one way: 31/12/2021 (On Approval), or "No date set".
    `{{ action|due }}` for anything with due_on and due_condition (an action, a row, a proposal);
    `{{ date|due:condition }}` for a date and its condition."""
    if condition is None and hasattr(value, "due_on"):
        return ukdates.format_due(value.due_on, getattr(value, "due_condition", ""))
    return ukdates.format_due(value, condition or "")


@register.filter
def external_text(value):
    """Closure by an outside body, as every output says it (domain.external)."""
    return external.external_text(value or None)
