"""Social value (SROI) per space: what was put in, the outcomes with their financial proxies, and the
network's table of unit costs. The arithmetic is `coproduce.lib.sroi`'s; these tables keep its inputs.

Shares (deadweight, displacement, attribution, drop-off, the discount rate) are kept as percentages with
two decimals, as people type them; money in pounds and pence."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from coproduce.core.validators import single_line
from coproduce.lib.sroi import MAX_DURATION_YEARS

# The National Living Wage from April 2025 (£12.21 an hour): a plain, defensible value of an hour given.
DEFAULT_HOURLY_VALUE = Decimal("12.21")
DEFAULT_DISCOUNT_RATE = Decimal("3.50")


def _percent(name: str) -> Q:
    return Q(**{f"{name}__gte": 0}) & Q(**{f"{name}__lte": 100})


class UnitCost(models.Model):
    """A financial proxy the network offers: what one unit of something (an A&E attendance avoided) costs
    the public purse, with where the figure comes from and its price year. Network admins keep the table."""

    name = models.CharField(_("what it is"), max_length=120, unique=True, validators=[single_line])
    unit = models.CharField(
        _("per"), max_length=80, validators=[single_line], help_text=_("For example: attendance, bed day.")
    )
    value = models.DecimalField(_("value (£)"), max_digits=10, decimal_places=2)
    source = models.CharField(_("source"), max_length=300, validators=[single_line])
    price_year = models.CharField(
        _("price year"), max_length=9, validators=[single_line], help_text=_("For example: 2023/24.")
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=Q(value__gte=0), name="sroi_unit_cost_not_negative"),
            models.CheckConstraint(condition=~Q(source=""), name="sroi_unit_cost_has_source"),
            models.CheckConstraint(condition=~Q(price_year=""), name="sroi_unit_cost_has_price_year"),
        ]

    def __str__(self) -> str:
        return f"{self.name}: £{self.value} per {self.unit} ({self.price_year})"


class Analysis(models.Model):
    """One space's social value: what was put in (money, volunteer hours, timebank hours at an hourly
    value) and the discount rate; its outcomes are `SroiOutcome` rows."""

    space = models.OneToOneField("spaces.Space", on_delete=models.CASCADE, related_name="sroi_analysis")
    money_inputs = models.DecimalField(
        _("money put in (£)"),
        max_digits=12,
        decimal_places=2,
        default=Decimal("0"),
        help_text=_("Grants, staff time, rooms: everything spent, in pounds."),
    )
    volunteer_hours = models.DecimalField(
        _("volunteer hours"),
        max_digits=10,
        decimal_places=2,
        default=Decimal("0"),
        help_text=_("Hours given freely that are not in the timebank."),
    )
    include_timebank_hours = models.BooleanField(
        _("count the hours given through the timebank in this space"), default=True
    )
    hourly_value = models.DecimalField(
        _("value of one hour (£)"),
        max_digits=7,
        decimal_places=2,
        default=DEFAULT_HOURLY_VALUE,
        help_text=_("The National Living Wage (£12.21 from April 2025) unless you have a better figure."),
    )
    period_start = models.DateField(_("from"), null=True, blank=True)
    period_end = models.DateField(_("to"), null=True, blank=True)
    discount_rate = models.DecimalField(
        _("discount rate (%)"),
        max_digits=5,
        decimal_places=2,
        default=DEFAULT_DISCOUNT_RATE,
        help_text=_("3.5 % is the Treasury Green Book rate."),
    )
    notes = models.TextField(_("notes"), max_length=3000, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("social value analysis")
        verbose_name_plural = _("social value analyses")
        constraints = [
            models.CheckConstraint(condition=Q(money_inputs__gte=0), name="sroi_money_not_negative"),
            models.CheckConstraint(condition=Q(volunteer_hours__gte=0), name="sroi_hours_not_negative"),
            models.CheckConstraint(condition=Q(hourly_value__gte=0), name="sroi_hourly_value_not_negative"),
            models.CheckConstraint(condition=_percent("discount_rate"), name="sroi_discount_rate_percent"),
            models.CheckConstraint(
                condition=Q(period_start__isnull=True)
                | Q(period_end__isnull=True)
                | Q(period_end__gte=models.F("period_start")),
                name="sroi_period_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"Social value of {self.space}"

    def get_absolute_url(self) -> str:
        return reverse("sroi:analysis", args=[self.space.slug])


class SroiOutcome(models.Model):
    """One outcome of the analysis: for whom (stakeholder), how it shows (indicator), how many, and what one
    is worth: a shipped unit cost, or the space's own value with its source."""

    analysis = models.ForeignKey(Analysis, on_delete=models.CASCADE, related_name="outcomes")
    stakeholder = models.CharField(
        _("who benefits"),
        max_length=120,
        validators=[single_line],
        help_text=_("For example: people using the service, carers, the NHS."),
    )
    description = models.CharField(
        _("the outcome"),
        max_length=200,
        validators=[single_line],
        help_text=_("What changed, in a few words."),
    )
    indicator = models.CharField(_("how we know (indicator)"), max_length=200, validators=[single_line])
    quantity = models.DecimalField(_("how many"), max_digits=12, decimal_places=2)
    unit_cost = models.ForeignKey(
        UnitCost,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="outcomes",
        verbose_name=_("unit cost"),
    )
    own_value = models.DecimalField(
        _("your own value (£)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    own_source = models.CharField(
        _("source of your value"), max_length=300, blank=True, validators=[single_line]
    )
    deadweight = models.DecimalField(
        _("deadweight (%)"), max_digits=5, decimal_places=2, default=Decimal("0")
    )
    displacement = models.DecimalField(
        _("displacement (%)"), max_digits=5, decimal_places=2, default=Decimal("0")
    )
    attribution = models.DecimalField(
        _("attribution (%)"), max_digits=5, decimal_places=2, default=Decimal("0")
    )
    drop_off = models.DecimalField(
        _("drop-off each year (%)"), max_digits=5, decimal_places=2, default=Decimal("0")
    )
    duration_years = models.PositiveSmallIntegerField(_("how many years it lasts"), default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=0), name="sroi_outcome_quantity_not_negative"),
            models.CheckConstraint(condition=_percent("deadweight"), name="sroi_outcome_deadweight_percent"),
            models.CheckConstraint(
                condition=_percent("displacement"), name="sroi_outcome_displacement_percent"
            ),
            models.CheckConstraint(
                condition=_percent("attribution"), name="sroi_outcome_attribution_percent"
            ),
            models.CheckConstraint(condition=_percent("drop_off"), name="sroi_outcome_drop_off_percent"),
            models.CheckConstraint(
                condition=Q(duration_years__gte=1) & Q(duration_years__lte=MAX_DURATION_YEARS),
                name="sroi_outcome_duration_range",
            ),
            # A proxy is a shipped unit cost, or the space's own value with its source: never both, never a
            # number without a source.
            models.CheckConstraint(
                condition=(Q(unit_cost__isnull=False) & Q(own_value__isnull=True) & Q(own_source=""))
                | (Q(unit_cost__isnull=True) & Q(own_value__gte=0) & ~Q(own_source="")),
                name="sroi_outcome_proxy_has_source",
            ),
        ]

    def __str__(self) -> str:
        return self.description

    @property
    def proxy_value(self) -> Decimal:
        if self.unit_cost is not None:
            return self.unit_cost.value
        return self.own_value or Decimal("0")

    @property
    def proxy_source(self) -> str:
        if self.unit_cost is not None:
            return f"{self.unit_cost.name}, {self.unit_cost.source} ({self.unit_cost.price_year})"
        return self.own_source
