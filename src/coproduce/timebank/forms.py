from __future__ import annotations

from typing import cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coproduce.lib import ledger
from coproduce.people.models import Organisation, User

from .models import Category, ListingKind, MemberStatus, ShareBalance
from .services import ledger_message


def _model_field(form: forms.Form, name: str) -> forms.ModelChoiceField:
    """A form's choice of rows, whose rows are set for the person filling it in."""
    return cast(forms.ModelChoiceField, form.fields[name])


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class HoursField(forms.CharField):
    """Hours as people write them ("1.5", "1:30", "90 min"), cleaned to whole minutes."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Hours"))
        kwargs.setdefault("help_text", _("In quarter hours, for example 1, 1.5 or 0:45."))
        kwargs.setdefault("max_length", 20)
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "decimal", "autocomplete": "off"})

    def clean(self, value):
        value = super().clean(value)
        if value in (None, ""):
            return None
        try:
            return ledger.parse_hours(value)
        except ledger.LedgerError as error:
            raise forms.ValidationError(ledger_message(error)) from error


class SignedHoursField(forms.CharField):
    """A limit in hours, which may be negative ("-20")."""

    def clean(self, value):
        value = super().clean(value)
        if value in (None, ""):
            return None
        text = value.strip().replace("−", "-")
        sign = -1 if text.startswith("-") else 1
        body = text.lstrip("+-").strip()
        try:
            if float(body.replace(",", ".")) == 0:
                return 0
        except ValueError:
            pass
        try:
            return sign * ledger.parse_hours(body)
        except ledger.LedgerError as error:
            raise forms.ValidationError(ledger_message(error)) from error


class JoinForm(forms.Form):
    area = forms.CharField(
        label=_("Your area"),
        max_length=120,
        required=False,
        help_text=_("The town or neighbourhood, so that people nearby can find you."),
    )
    about = forms.CharField(
        label=_("What you might offer or need"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "A few words for the coordinator, for example: I like gardening and could use help with forms."
        ),
    )


class PreferencesForm(forms.Form):
    share_balance = forms.ChoiceField(
        label=_("Who can see my balance and history"), choices=ShareBalance.choices, widget=forms.RadioSelect
    )
    area = forms.CharField(label=_("Your area"), max_length=120, required=False)


class DecideForm(forms.Form):
    safeguarding_note = forms.CharField(
        label=_("Safeguarding note (only coordinators see this)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: references checked, met in person. Required if you decline."),
    )


class NoteForm(forms.Form):
    safeguarding_note = forms.CharField(
        label=_("Safeguarding note (only coordinators see this)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class ListingForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Is this an offer or a request?"), choices=ListingKind.choices, widget=forms.RadioSelect
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=120,
        help_text=_("For example: I can help with gardening, or: I need a lift to the clinic"),
    )
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=Category.objects.all(), empty_label=_("Choose a category")
    )
    description = forms.CharField(
        label=_("More detail"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    tags = forms.CharField(
        label=_("Tags"),
        max_length=400,
        required=False,
        help_text=_("Words that help people find it, separated by commas, for example: lifts, hospital"),
    )
    area = forms.CharField(label=_("Area"), max_length=120, required=False)
    availability = forms.CharField(
        label=_("When you are available"),
        max_length=200,
        required=False,
        help_text=_("For example: weekday mornings"),
    )
    ends_on = forms.DateField(
        label=_("End date"),
        required=False,
        widget=DateInput(),
        help_text=_("After this date it is no longer shown. Leave empty to keep it open."),
    )


class ListingEditForm(ListingForm):
    is_open = forms.BooleanField(label=_("Still open"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["kind"]


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), max_length=100, required=False)
    kind = forms.ChoiceField(
        label=_("Show"), required=False, choices=[("", _("Offers and requests")), *ListingKind.choices]
    )
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=Category.objects.all(), required=False, empty_label=_("Any category")
    )
    area = forms.CharField(label=_("Area"), max_length=120, required=False)
    tag = forms.CharField(label=_("Tag"), max_length=40, required=False)


def approved_people():
    return User.objects.filter(timebank_member__status=MemberStatus.APPROVED, is_active=True).order_by(
        "display_name"
    )


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        member = getattr(obj, "timebank_member", None)
        return f"{obj.display_name} ({member.area})" if member and member.area else obj.display_name


class PeopleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.display_name


class ExchangeForm(forms.Form):
    GAVE, RECEIVED = "gave", "received"
    direction = forms.ChoiceField(
        label=_("What happened"),
        widget=forms.RadioSelect,
        choices=[(GAVE, _("I gave my time")), (RECEIVED, _("I received help"))],
    )
    other = PersonChoiceField(
        label=_("The other person"), queryset=User.objects.none(), empty_label=_("Choose a member")
    )
    hours = HoursField()
    what = forms.CharField(
        label=_("What was done"), max_length=300, help_text=_("For example: two hours in the garden")
    )
    happened_on = forms.DateField(label=_("When"), widget=DateInput())
    listing = forms.IntegerField(required=False, widget=forms.HiddenInput)
    as_organisation = forms.ModelChoiceField(
        label=_("On behalf of"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("Myself"),
        help_text=_("Choose an organisation you run to use its account instead of yours."),
    )

    def __init__(self, *args, user, organisations, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("happened_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        _model_field(self, "other").queryset = (
            approved_people().exclude(pk=user.pk).select_related("timebank_member")
        )
        if organisations:
            _model_field(self, "as_organisation").queryset = organisations
        else:
            del self.fields["as_organisation"]


class GroupExchangeForm(forms.Form):
    TO_PEOPLE, FROM_PEOPLE = "to_people", "from_people"
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none(), empty_label=_("Choose an organisation")
    )
    direction = forms.ChoiceField(
        label=_("Who gave time"),
        widget=forms.RadioSelect,
        choices=[
            (FROM_PEOPLE, _("Each person gave time to the organisation (for example, at a workshop)")),
            (TO_PEOPLE, _("The organisation gave time to each person")),
        ],
        initial=FROM_PEOPLE,
    )
    people = PeopleChoiceField(
        label=_("People"), queryset=User.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    hours = HoursField(label=_("Hours for each person"))
    what = forms.CharField(label=_("What was done"), max_length=300)
    happened_on = forms.DateField(label=_("When"), widget=DateInput())

    def __init__(self, *args, organisations, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("happened_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        _model_field(self, "organisation").queryset = organisations
        _model_field(self, "people").queryset = approved_people()


class DisputeForm(forms.Form):
    reason = forms.CharField(
        label=_("What is not right"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ResolveForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        widget=forms.RadioSelect,
        choices=[("accept", _("The exchange goes ahead")), ("cancel", _("Cancel the exchange"))],
    )
    hours = HoursField(
        label=_("Corrected hours (each)"),
        required=False,
        help_text=_("Leave empty to keep the hours as recorded."),
    )
    resolution = forms.CharField(
        label=_("How it was resolved"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Both sides will see this."),
    )


class GiveToPotForm(forms.Form):
    hours = HoursField(label=_("Hours to give"))
    description = forms.CharField(label=_("A note"), max_length=300, required=False)


class GrantForm(forms.Form):
    to = PersonChoiceField(
        label=_("Who receives the hours"), queryset=User.objects.none(), empty_label=_("Choose a member")
    )
    hours = HoursField()
    description = forms.CharField(label=_("What it is for"), max_length=300)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _model_field(self, "to").queryset = approved_people().select_related("timebank_member")


class LimitsForm(forms.Form):
    min_hours = SignedHoursField(
        label=_("Lowest balance, in hours"),
        max_length=20,
        required=False,
        help_text=_("Zero or below, for example -20."),
    )
    max_hours = SignedHoursField(label=_("Highest balance, in hours"), max_length=20, required=False)
    use_defaults = forms.BooleanField(label=_("Use the network's limits"), required=False)


class SettingsForm(forms.Form):
    confirmation_required = forms.BooleanField(
        label=_("The other person must confirm each exchange"), required=False
    )
    min_hours = SignedHoursField(label=_("Lowest balance for everyone, in hours"), max_length=20)
    max_hours = SignedHoursField(label=_("Highest balance for everyone, in hours"), max_length=20)


class ReverseForm(forms.Form):
    reason = forms.CharField(
        label=_("Why it is being corrected"), max_length=250, widget=forms.Textarea(attrs={"rows": 2})
    )


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "Columns: date, giver, receiver, hours, description. "
            "Giver and receiver are email addresses, org:<organisation> or pot."
        ),
    )
    source = forms.CharField(
        label=_("Where it comes from"),
        max_length=120,
        required=False,
        help_text=_("For example: Paisley Timebank, 2019–2024"),
    )


class CoordinatorForm(forms.Form):
    is_coordinator = forms.BooleanField(label=_("Coordinator"), required=False)
