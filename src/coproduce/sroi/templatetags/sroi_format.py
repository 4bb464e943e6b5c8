from django import template

from coproduce.lib import sroi

register = template.Library()


@register.filter
def money(amount) -> str:
    """£1,234.56"""
    return "" if amount is None else sroi.money(float(amount))


@register.filter
def ratio(value) -> str:
    """3.04, or a dash when there is no ratio (nothing put in)."""
    return "–" if value is None else f"{value:.2f}"


@register.filter
def share(percent) -> str:
    """A stored percentage (Decimal("3.50")) as people write it: "3.5 %"."""
    return "" if percent is None else sroi.percent(float(percent) / 100)
