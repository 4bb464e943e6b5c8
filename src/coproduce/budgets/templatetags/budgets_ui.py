"""Template filters for budgets: money in the budget's currency, and numbers of votes or points."""

from django import template

from ..money import format_money, format_number

register = template.Library()


@register.filter
def money(value, currency: str = "GBP") -> str:
    if value is None or value == "":
        return ""
    return format_money(value, currency)


@register.filter
def number(value) -> str:
    if value is None or value == "":
        return ""
    return format_number(value)


@register.filter
def get(mapping, key):
    """`values|get:project.pk`: a dictionary lookup by a key held in a variable."""
    return mapping.get(key, "") if hasattr(mapping, "get") else ""
