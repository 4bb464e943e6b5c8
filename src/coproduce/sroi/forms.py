"""The social value forms. They parse what people type; the rules (a proxy needs a source, shares from 0 to
100 %, nothing negative) are the services', shown beside the field they name."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import UnitCost


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def _money(label, **kwargs) -> forms.DecimalField:
    return forms.DecimalField(label=label, max_digits=12, decimal_places=2, **kwargs)


def _share(label, help_text) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        max_digits=5,
        decimal_places=2,
        initial=0,
        help_text=help_text,
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "any"}),
    )


class AnalysisForm(forms.Form):
    money_inputs = _money(_("Money put in (£)"), help_text=_("Grants, staff time, rooms: everything spent."))
    volunteer_hours = forms.DecimalField(
        label=_("Volunteer hours"),
        max_digits=10,
        decimal_places=2,
        help_text=_("Hours given freely, not in the timebank."),
    )
    include_timebank_hours = forms.BooleanField(
        label=_("Count the hours given through the timebank in this space"), required=False
    )
    hourly_value = _money(
        _("Value of one hour (£)"),
        help_text=_("The National Living Wage (£12.21 from April 2025) unless you have a better figure."),
    )
    period_start = forms.DateField(label=_("Period from"), required=False, widget=DateInput())
    period_end = forms.DateField(label=_("Period to"), required=False, widget=DateInput())
    discount_rate = forms.DecimalField(
        label=_("Discount rate (%)"),
        max_digits=5,
        decimal_places=2,
        help_text=_("3.5 % is the Treasury Green Book rate."),
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, max_length=3000, widget=forms.Textarea(attrs={"rows": 3})
    )


class UnitCostChoice(forms.ModelChoiceField):
    """A unit cost shown with its figure, source and price year, so the choice is made knowing them."""

    def label_from_instance(self, obj) -> str:
        return f"{obj.name}: £{obj.value:,} per {obj.unit} ({obj.source}, {obj.price_year})"


class OutcomeForm(forms.Form):
    stakeholder = forms.CharField(
        label=_("Who benefits"),
        max_length=120,
        help_text=_("For example: people using the service, carers, the NHS."),
    )
    description = forms.CharField(
        label=_("The outcome"), max_length=200, help_text=_("What changed, in a few words.")
    )
    indicator = forms.CharField(
        label=_("How we know (indicator)"),
        max_length=200,
        help_text=_("For example: A&E attendances in the year before and after."),
    )
    quantity = forms.DecimalField(label=_("How many, each year"), max_digits=12, decimal_places=2)
    unit_cost = UnitCostChoice(
        label=_("Value of one: a unit cost"),
        queryset=UnitCost.objects.none(),
        required=False,
        empty_label=_("None: I give my own value below"),
    )
    own_value = forms.DecimalField(
        label=_("Or your own value of one (£)"), max_digits=10, decimal_places=2, required=False
    )
    own_source = forms.CharField(
        label=_("Source of your own value"),
        max_length=300,
        required=False,
        help_text=_("Needed with your own value: where the figure comes from."),
    )
    deadweight = _share(_("Deadweight (%)"), _("How much would have happened anyway."))
    displacement = _share(_("Displacement (%)"), _("How much this pushed out elsewhere."))
    attribution = _share(_("Attribution (%)"), _("How much others made happen."))
    drop_off = _share(_("Drop-off each year (%)"), _("How much it fades each year after the first."))
    duration_years = forms.IntegerField(label=_("How many years it lasts"), initial=1)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["unit_cost"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = UnitCost.objects.order_by("name")


class UnitCostForm(forms.Form):
    name = forms.CharField(label=_("What it is"), max_length=120)
    unit = forms.CharField(label=_("Per"), max_length=80, help_text=_("For example: attendance, bed day."))
    value = forms.DecimalField(label=_("Value (£)"), max_digits=10, decimal_places=2)
    source = forms.CharField(
        label=_("Source"), max_length=300, help_text=_("The publication the figure comes from.")
    )
    price_year = forms.CharField(label=_("Price year"), max_length=9, help_text=_("For example: 2023/24."))
