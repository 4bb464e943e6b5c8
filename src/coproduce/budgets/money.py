"""Amounts of money as people read them: "£12,500", "€1,250.50", "1,000 PLN"."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from django.utils.formats import number_format

SYMBOLS = {"GBP": "£", "EUR": "€", "USD": "$"}


def to_decimal(value) -> Decimal:
    if isinstance(value, Fraction):
        return Decimal(value.numerator) / Decimal(value.denominator)
    return Decimal(str(value))


def format_money(value, currency: str) -> str:
    amount = to_decimal(value).quantize(Decimal("0.01"))
    places = 0 if amount == amount.to_integral_value() else 2
    text = number_format(amount, decimal_pos=places, use_l10n=True, force_grouping=True)
    symbol = SYMBOLS.get(currency)
    if symbol:
        return f"-{symbol}{text[1:]}" if text.startswith("-") else f"{symbol}{text}"
    return f"{text} {currency}"


def format_number(value) -> str:
    """Votes, points and scores: whole numbers without decimals, others to two places."""
    number = to_decimal(value)
    if number == number.to_integral_value():
        return number_format(int(number), force_grouping=True)
    return number_format(number.quantize(Decimal("0.01")), decimal_pos=2, force_grouping=True)
