"""`{% load timebank_tags %}`: `{{ minutes|hours }}` -> "1.5 h", `{{ minutes|signed_hours }}` -> "+1.5 h"."""

from django import template

from coproduce.lib.ledger import format_minutes

from ..access import nav_flags

register = template.Library()


@register.filter
def hours(minutes) -> str:
    return format_minutes(int(minutes or 0))


@register.filter
def signed_hours(minutes) -> str:
    return format_minutes(int(minutes or 0), signed=True)


@register.filter
def percent_of(value, total) -> int:
    """Bar widths on the dashboard: value as a whole percentage of total."""
    return round(100 * (value or 0) / total) if total else 0


@register.simple_tag
def timebank_nav(user) -> dict[str, bool]:
    """What the timebank's own menu shows the person (`access.nav_flags`)."""
    return nav_flags(user)
