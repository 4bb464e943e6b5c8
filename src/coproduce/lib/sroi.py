"""Social return on investment (SROI) arithmetic, on plain data: no Django here.

The method follows "A guide to social return on investment" (Social Value UK, 2012):

1. Each outcome's value for one year is its quantity times its financial proxy (what one unit of the
   outcome is worth, e.g. one A&E attendance avoided).
2. What is not owed to the project is taken away: deadweight (what would have happened anyway),
   displacement (what this pushed out elsewhere) and attribution (the part others made happen).
3. An outcome may last several years; after the first year it fades by the drop-off rate each year.
4. Every year's value is discounted to today (the Treasury Green Book rate, 3.5 %, by default): year 1 is
   divided by (1 + rate), year 2 by (1 + rate)², and so on.
5. Present value is the sum; net present value is present value less the inputs (the value of what was
   put in); the SROI ratio is present value divided by inputs.

Shares (deadweight, displacement, attribution, drop-off, the discount rate) are fractions from 0 to 1;
the pages show them as percentages. Money is in pounds, as floats, rounded only when shown.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

DEFAULT_DISCOUNT_RATE = 0.035  # HM Treasury Green Book, for the first 30 years
MAX_DURATION_YEARS = 50
SHARES = ("deadweight", "displacement", "attribution", "drop_off")


class SroiError(ValueError):
    """Input that cannot be worked out. `field` names the input at fault (for the form beside it); `code`
    lets the web layer show a translated message; the English message is the default."""

    def __init__(self, field: str, message: str, code: str = "invalid") -> None:
        super().__init__(message)
        self.field = field
        self.code = code


@dataclass(frozen=True)
class Outcome:
    """One outcome: `quantity` units a year (people, visits avoided), each worth `proxy_value` pounds."""

    name: str
    quantity: float
    proxy_value: float
    deadweight: float = 0.0
    displacement: float = 0.0
    attribution: float = 0.0
    drop_off: float = 0.0
    duration_years: int = 1


@dataclass(frozen=True)
class Analysis:
    outcomes: tuple[Outcome, ...]
    inputs_total: float
    discount_rate: float = DEFAULT_DISCOUNT_RATE


@dataclass(frozen=True)
class OutcomeValue:
    name: str
    gross_per_year: float  # quantity × proxy
    impact_per_year: float  # after deadweight, displacement and attribution, in year 1
    yearly: tuple[float, ...]  # the value in each year, after drop-off, before discounting
    present_value: float


@dataclass(frozen=True)
class Step:
    """One line of the calculation in plain words, with the number it arrives at."""

    text: str
    amount: float


@dataclass(frozen=True)
class Result:
    outcomes: tuple[OutcomeValue, ...]
    inputs_total: float
    discount_rate: float
    present_value: float
    net_present_value: float
    ratio: float | None  # None when nothing was put in: a ratio cannot be worked out
    steps: tuple[Step, ...] = field(default=())


@dataclass(frozen=True)
class SensitivityRow:
    assumption: str  # which one was varied, in plain words
    change: str  # how, e.g. "+10 points", "× 0.5"
    ratio: float | None
    net_present_value: float


# --- Validation ---------------------------------------------------------------------------------------

_LABELS = {
    "deadweight": "Deadweight",
    "displacement": "Displacement",
    "attribution": "Attribution",
    "drop_off": "Drop-off",
}


def _finite(field_name: str, value: float, label: str) -> None:
    if not isinstance(value, int | float) or isinstance(value, bool) or not math.isfinite(value):
        raise SroiError(field_name, f"{label} must be a number.", "not_number")


def validate_outcome(outcome: Outcome) -> None:
    """Raises SroiError naming the first field at fault."""
    _finite("quantity", outcome.quantity, "The quantity")
    if outcome.quantity < 0:
        raise SroiError("quantity", "The quantity cannot be negative.", "negative")
    _finite("proxy_value", outcome.proxy_value, "The value of one unit")
    if outcome.proxy_value < 0:
        raise SroiError("proxy_value", "The value of one unit cannot be negative.", "negative")
    for name in SHARES:
        value = getattr(outcome, name)
        label = _LABELS[name]
        _finite(name, value, label)
        if value < 0:
            raise SroiError(name, f"{label} cannot be less than 0 %.", "negative")
        if value > 1:
            raise SroiError(name, f"{label} cannot be more than 100 %.", "over_100")
    if isinstance(outcome.duration_years, bool) or not isinstance(outcome.duration_years, int):
        raise SroiError("duration_years", "The duration is a whole number of years.", "not_whole")
    if not 1 <= outcome.duration_years <= MAX_DURATION_YEARS:
        raise SroiError(
            "duration_years",
            f"The duration is from 1 to {MAX_DURATION_YEARS} years.",
            "duration_range",
        )


def validate(analysis: Analysis) -> None:
    _finite("inputs_total", analysis.inputs_total, "The inputs")
    if analysis.inputs_total < 0:
        raise SroiError("inputs_total", "The inputs cannot be negative.", "negative")
    _finite("discount_rate", analysis.discount_rate, "The discount rate")
    if not 0 <= analysis.discount_rate <= 1:
        raise SroiError("discount_rate", "The discount rate is from 0 % to 100 %.", "rate_range")
    for outcome in analysis.outcomes:
        validate_outcome(outcome)


# --- Arithmetic ---------------------------------------------------------------------------------------


def impact_per_year(outcome: Outcome) -> float:
    """Year 1's value owed to the project: gross value less deadweight, displacement and attribution."""
    gross = outcome.quantity * outcome.proxy_value
    return gross * (1 - outcome.deadweight) * (1 - outcome.displacement) * (1 - outcome.attribution)


def yearly_values(outcome: Outcome) -> np.ndarray:
    """The value in each year of the outcome's duration: year 1 in full, then less drop-off each year."""
    years = np.arange(outcome.duration_years, dtype=float)  # 0 for year 1
    return impact_per_year(outcome) * (1.0 - outcome.drop_off) ** years


def discount_factors(rate: float, years: int) -> np.ndarray:
    """1 / (1 + rate)^t for t = 1..years: year 1 is discounted too (as in the SROI guide)."""
    return 1.0 / (1.0 + rate) ** np.arange(1, years + 1, dtype=float)


def _value(outcome: Outcome, rate: float) -> OutcomeValue:
    yearly = yearly_values(outcome)
    present = float(np.sum(yearly * discount_factors(rate, outcome.duration_years)))
    return OutcomeValue(
        name=outcome.name,
        gross_per_year=outcome.quantity * outcome.proxy_value,
        impact_per_year=impact_per_year(outcome),
        yearly=tuple(float(v) for v in yearly),
        present_value=present,
    )


def money(amount: float) -> str:
    """£1,234.56; negative amounts as −£12.00."""
    sign = "−" if amount < 0 and round(abs(amount), 2) > 0 else ""
    return f"{sign}£{abs(amount):,.2f}"


def percent(share: float) -> str:
    """0.035 -> "3.5 %"; 0.2 -> "20 %"."""
    text = f"{share * 100:.2f}".rstrip("0").rstrip(".")
    return f"{text} %"


def _number(value: float) -> str:
    return f"{value:,.2f}".rstrip("0").rstrip(".") if value != int(value) else f"{int(value):,}"


def _outcome_steps(outcome: Outcome, value: OutcomeValue, rate: float) -> list[Step]:
    steps = [
        Step(
            f"“{outcome.name}”: {_number(outcome.quantity)} × {money(outcome.proxy_value)} = "
            f"{money(value.gross_per_year)} a year before anything is taken away.",
            value.gross_per_year,
        )
    ]
    running = value.gross_per_year
    for name, why in (
        ("deadweight", "what would have happened anyway"),
        ("displacement", "what this pushed out elsewhere"),
        ("attribution", "the part others made happen"),
    ):
        share = float(getattr(outcome, name))
        if share:
            running = running * (1 - share)
            steps.append(
                Step(
                    f"Take away {percent(share)} {_LABELS[name].lower()} ({why}): {money(running)}.", running
                )
            )
    if outcome.duration_years > 1:
        fade = (
            f", less {percent(outcome.drop_off)} drop-off each year after the first"
            if outcome.drop_off
            else ""
        )
        steps.append(
            Step(
                f"It lasts {outcome.duration_years} years{fade}: "
                + ", ".join(f"year {i} {money(v)}" for i, v in enumerate(value.yearly, start=1))
                + ".",
                float(sum(value.yearly)),
            )
        )
    steps.append(
        Step(
            f"Discounted at {percent(rate)} a year (year 1 divided by {1 + rate:.4g}, year 2 by "
            f"{1 + rate:.4g}², and so on), its present value is {money(value.present_value)}.",
            value.present_value,
        )
    )
    return steps


def calculate(analysis: Analysis, *, explain: bool = True) -> Result:
    """Present value, net present value and the ratio, with the steps in plain words (`explain`)."""
    validate(analysis)
    rate = analysis.discount_rate
    values = tuple(_value(outcome, rate) for outcome in analysis.outcomes)
    present = float(sum(v.present_value for v in values))
    net = present - analysis.inputs_total
    ratio = present / analysis.inputs_total if analysis.inputs_total > 0 else None
    steps: list[Step] = []
    if explain:
        for outcome, value in zip(analysis.outcomes, values, strict=True):
            steps.extend(_outcome_steps(outcome, value, rate))
        if not values:
            steps.append(Step("No outcomes are recorded yet, so the social value is £0.00.", 0.0))
        steps.append(Step(f"All outcomes together: present value {money(present)}.", present))
        steps.append(
            Step(
                f"The inputs (what was put in) are worth {money(analysis.inputs_total)}.",
                analysis.inputs_total,
            )
        )
        steps.append(
            Step(
                f"Net present value: {money(present)} − {money(analysis.inputs_total)} = {money(net)}.",
                net,
            )
        )
        if ratio is None:
            steps.append(
                Step(
                    "No inputs are recorded, so the ratio cannot be worked out (it would divide by zero).",
                    0.0,
                )
            )
        else:
            steps.append(
                Step(
                    f"SROI ratio: {money(present)} ÷ {money(analysis.inputs_total)} = {ratio:.2f}. For every "
                    f"£1 put in, about {money(ratio)} of social value.",
                    ratio,
                )
            )
    return Result(
        outcomes=values,
        inputs_total=analysis.inputs_total,
        discount_rate=rate,
        present_value=present,
        net_present_value=net,
        ratio=ratio,
        steps=tuple(steps),
    )


# --- Sensitivity --------------------------------------------------------------------------------------


def _clamp(share: float) -> float:
    return min(1.0, max(0.0, share))


def _each(analysis: Analysis, change: Callable[[Outcome], Outcome]) -> Analysis:
    return replace(analysis, outcomes=tuple(change(o) for o in analysis.outcomes))


def _with(outcome: Outcome, name: str, value: float) -> Outcome:
    changes: dict[str, Any] = {name: value}
    return replace(outcome, **changes)


def _share_shift(name: str, points: int) -> Callable[[Analysis], Analysis]:
    def shift(analysis: Analysis) -> Analysis:
        return _each(analysis, lambda o: _with(o, name, _clamp(getattr(o, name) + points / 100)))

    return shift


def _scale(name: str, factor: float) -> Callable[[Analysis], Analysis]:
    def scale(analysis: Analysis) -> Analysis:
        return _each(analysis, lambda o: _with(o, name, getattr(o, name) * factor))

    return scale


def _duration(years: int) -> Callable[[Analysis], Analysis]:
    def shift(analysis: Analysis) -> Analysis:
        return _each(
            analysis,
            lambda o: replace(o, duration_years=min(MAX_DURATION_YEARS, max(1, o.duration_years + years))),
        )

    return shift


def _rate(rate: float) -> Callable[[Analysis], Analysis]:
    return lambda analysis: replace(analysis, discount_rate=rate)


def _inputs(factor: float) -> Callable[[Analysis], Analysis]:
    return lambda analysis: replace(analysis, inputs_total=analysis.inputs_total * factor)


def _signed(points: int) -> str:
    return f"+{points} points" if points > 0 else f"−{abs(points)} points"


def _variations() -> list[tuple[str, str, Callable[[Analysis], Analysis]]]:
    rows: list[tuple[str, str, Callable[[Analysis], Analysis]]] = []
    for name in SHARES:
        for points in (-25, -10, 10, 25):
            rows.append((_LABELS[name], _signed(points), _share_shift(name, points)))
    for name, label in (("quantity", "Quantity"), ("proxy_value", "Value of one unit (financial proxy)")):
        for factor in (0.5, 1.5):
            rows.append((label, f"× {factor:g}", _scale(name, factor)))
    for years in (-1, 1):
        rows.append(("Duration", f"{years:+d} year", _duration(years)))
    for rate in (0.0, 0.07):
        rows.append(("Discount rate", f"{percent(rate)} instead", _rate(rate)))
    for factor in (0.5, 1.5):
        rows.append(("Inputs", f"× {factor:g}", _inputs(factor)))
    return rows


def sensitivity(analysis: Analysis) -> list[SensitivityRow]:
    """The ratio with each assumption varied on its own, for every outcome at once: shares ±10 and ±25
    percentage points (kept within 0–100 %), quantities and proxies halved and half as much again, the
    duration a year shorter and longer, the discount rate at 0 % and 7 %, and the inputs halved and half as
    much again. The first row is the analysis as it stands."""
    validate(analysis)
    base = calculate(analysis, explain=False)
    rows = [SensitivityRow("As entered", "", base.ratio, base.net_present_value)]
    for assumption, change, vary in _variations():
        result = calculate(vary(analysis), explain=False)
        rows.append(SensitivityRow(assumption, change, result.ratio, result.net_present_value))
    return rows


def total(values: Sequence[float]) -> float:
    """The sum of amounts (e.g. money and valued hours), refusing negatives plainly."""
    for value in values:
        _finite("inputs_total", value, "An input")
        if value < 0:
            raise SroiError("inputs_total", "An input cannot be negative.", "negative")
    return float(sum(values))
