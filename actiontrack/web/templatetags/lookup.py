"""`mapping|of:key`: a value from a dict the view built (each action's latest update, by its id)."""

from django import template

register = template.Library()


@register.filter
def of(mapping, key):
    return mapping.get(key) if mapping else None
