"""Reads for social value: the analysis worked out (inputs, present value, ratio, the steps in plain words,
the sensitivity table). Never writes."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from coproduce.core import registry
from coproduce.lib import sroi
from coproduce.spaces.models import Space

from .models import Analysis, SroiOutcome, UnitCost
from .services import to_lib


@dataclass(frozen=True)
class InputLine:
    label: str
    detail: str
    amount: float


@dataclass(frozen=True)
class Report:
    analysis: Analysis
    outcomes: list[SroiOutcome]
    inputs: list[InputLine]
    inputs_total: float
    timebank_hours: float | None  # None: the timebank is not installed, or not counted
    result: sroi.Result
    sensitivity: list[sroi.SensitivityRow]

    @property
    def rows(self) -> list[tuple[SroiOutcome, sroi.OutcomeValue]]:
        """Each stored outcome beside what it is worth."""
        return list(zip(self.outcomes, self.result.outcomes, strict=True))


def unit_costs() -> QuerySet[UnitCost]:
    return UnitCost.objects.order_by("name")


def outcomes(analysis: Analysis) -> list[SroiOutcome]:
    return list(analysis.outcomes.select_related("unit_cost").order_by("created_at", "id"))


def timebank_hours(analysis: Analysis) -> float | None:
    """Hours given through the timebank in the space's name, over the analysis' period, from the
    timebank's "space_hours" hook; None when they are not counted or the timebank is not there."""
    if not analysis.include_timebank_hours:
        return None
    space_hours = registry.hook("space_hours")
    if space_hours is None:
        return None
    return float(space_hours(analysis.space_id, since=analysis.period_start, until=analysis.period_end))


def _hours(value: float) -> str:
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def report(analysis: Analysis, *, sensitivity: bool = True) -> Report:
    """Everything the analysis page and the API show, worked out from what is stored (`sensitivity`: with
    the sensitivity table, which works the whole analysis out again for each assumption)."""
    found = outcomes(analysis)
    hourly = float(analysis.hourly_value)
    lines = [InputLine(_("Money"), _("spent on the work"), float(analysis.money_inputs))]
    volunteer = float(analysis.volunteer_hours)
    lines.append(
        InputLine(
            _("Volunteer hours"),
            _("%(hours)s hours × %(value)s") % {"hours": _hours(volunteer), "value": sroi.money(hourly)},
            volunteer * hourly,
        )
    )
    hours = timebank_hours(analysis)
    if hours is not None:
        lines.append(
            InputLine(
                _("Timebank hours"),
                _("%(hours)s hours given in this space's name × %(value)s")
                % {"hours": _hours(hours), "value": sroi.money(hourly)},
                hours * hourly,
            )
        )
    total = sroi.total([line.amount for line in lines])
    model = sroi.Analysis(
        outcomes=tuple(to_lib(o) for o in found),
        inputs_total=total,
        discount_rate=float(analysis.discount_rate / Decimal(100)),
    )
    return Report(
        analysis=analysis,
        outcomes=found,
        inputs=lines,
        inputs_total=total,
        timebank_hours=hours,
        result=sroi.calculate(model),
        sensitivity=sroi.sensitivity(model) if sensitivity else [],
    )


def present_value(outcome: SroiOutcome) -> float:
    """One outcome's present value, at its analysis' discount rate."""
    rate = float(outcome.analysis.discount_rate / Decimal(100))
    model = sroi.Analysis((to_lib(outcome),), inputs_total=0, discount_rate=rate)
    return sroi.calculate(model, explain=False).present_value


def stage_summary(space: Space) -> str:
    """One line for the space page: the ratio, or that there is no analysis yet."""
    analysis = Analysis.objects.filter(space=space).first()
    if analysis is None:
        return _("Not started")
    result = report(analysis, sensitivity=False).result
    if result.ratio is None:
        return _("No inputs recorded yet")
    return _("£%(ratio)s of social value for every £1 put in") % {"ratio": f"{result.ratio:.2f}"}
