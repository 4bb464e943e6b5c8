from decimal import Decimal
from typing import cast

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from coproduce.spaces.forms import ActingForMixin

from .models import EventKind, Meeting, MeetingFormat, Stance


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class MeetingForm(forms.ModelForm):
    online_url = forms.URLField(
        label=_("Link to join online"),
        required=False,
        max_length=200,
        assume_scheme="https",
        help_text=_("Shown only to people who have registered."),
    )

    class Meta:
        model = Meeting
        fields = [
            "title",
            "description",
            "format",
            "starts_at",
            "ends_at",
            "place_name",
            "address",
            "online_url",
            "step_free",
            "hearing_loop",
            "bsl",
            "quiet_room",
            "travel_expenses",
            "childcare",
            "access_notes",
            "capacity",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "format": forms.RadioSelect,
            "starts_at": DateTimeInput(),
            "ends_at": DateTimeInput(),
            "address": forms.Textarea(attrs={"rows": 2}),
            "access_notes": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "place_name": _("For example: Paisley Town Hall, room 2"),
            "access_notes": _(
                "Anything else people need to know: parking, the nearest bus stop, food, how to ask for help."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("starts_at", "ends_at"):
            cast(forms.DateTimeField, self.fields[name]).input_formats = [
                "%Y-%m-%dT%H:%M",
                "%Y-%m-%d %H:%M",
                "%Y-%m-%dT%H:%M:%S",
            ]

    def clean(self):
        super().clean()
        data = self.cleaned_data
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("The meeting must end after it starts."))
        return data


class RegistrationForm(ActingForMixin, forms.Form):
    access_needs = forms.CharField(
        label=_("Anything that would help you take part?"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "For example: a hearing loop, a lift, a BSL interpreter, a quiet space, large print. "
            "Only the facilitators and hosts see this."
        ),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Why?"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Everyone who can see the meeting reads this."),
    )


class CreditsForm(forms.Form):
    organisation = forms.ChoiceField(label=_("Organisation that gives the time credits"), required=False)
    hours = forms.DecimalField(
        label=_("Hours of time credits for attending"),
        min_value=Decimal(0),
        max_value=Decimal(24),
        decimal_places=2,
        max_digits=4,
        help_text=_("0 for none. For example 2 or 1.5."),
    )

    def __init__(self, *args, space, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisations = {str(o.pk): o for o in space.organisations.all()}
        cast(forms.ChoiceField, self.fields["organisation"]).choices = [("", _("Choose an organisation"))] + [
            (pk, o.name) for pk, o in self.organisations.items()
        ]

    def clean(self):
        super().clean()
        data = self.cleaned_data
        data["organisation"] = self.organisations.get(data.get("organisation") or "")
        if data.get("hours") is not None:
            data["minutes"] = int(round(data.pop("hours") * 60))
        return data


ITEM_TITLE_MAX, ITEM_DESCRIPTION_MAX = 200, 2000


class AgendaItemForm(ActingForMixin, forms.Form):
    title = forms.CharField(label=_("What should we talk about?"), max_length=ITEM_TITLE_MAX)
    description = forms.CharField(
        label=_("Why it matters"),
        required=False,
        max_length=ITEM_DESCRIPTION_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class AgendaItemFromIdeaForm(AgendaItemForm):
    """An agenda item made from an idea: which meeting (radios, among those still taking proposals), and the
    title and text, prefilled from the idea and changed as the person likes."""

    meeting = forms.ChoiceField(
        label=_("Which meeting?"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a meeting."), "invalid_choice": _("Choose a meeting.")},
    )

    def __init__(self, *args, meetings, closed_reason, **kwargs):
        super().__init__(*args, **kwargs)
        self.meetings = {str(m.pk): m for m in meetings}
        # Why a meeting that is not offered (any more) takes no proposals: `closed_reason(pk)` -> str or None.
        self.closed_reason = closed_reason
        field = cast(forms.ChoiceField, self.fields["meeting"])
        field.choices = [(pk, _meeting_choice(m)) for pk, m in self.meetings.items()]
        self.order_fields(["meeting", "title", "description"])

    def clean_meeting(self):
        value = self.cleaned_data["meeting"]
        return self.meetings[value]

    def full_clean(self):
        # A meeting whose agenda closed since the page was shown is not a choice any more: say why, not just
        # "choose a meeting".
        chosen = self.data.get("meeting", "") if self.is_bound else ""
        super().full_clean()
        if chosen and chosen not in self.meetings and "meeting" in self.errors:
            reason = self.closed_reason(chosen)
            if reason:
                self.errors["meeting"] = self.error_class([reason])


def _meeting_choice(meeting: Meeting) -> str:
    return f"{meeting.title} – {date_format(timezone.localtime(meeting.starts_at), 'l j F Y, H:i')}"


class MinutesForm(forms.Form):
    minutes = forms.CharField(
        label=_("Minutes"),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What was said, in plain words. Members of the space can read them."),
    )


class AttendanceForm(forms.Form):
    people = forms.MultipleChoiceField(
        label=_("Who was there"), widget=forms.CheckboxSelectMultiple, required=True
    )

    def __init__(self, *args, members=(), recorded=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.members = {str(m.user_id): m.user for m in members}
        cast(forms.ChoiceField, self.fields["people"]).choices = [
            (str(m.user_id), f"{m.user.display_name} ({m.get_perspective_display()})")
            for m in members
            if m.user_id not in recorded
        ]

    def clean_people(self):
        return [self.members[pk] for pk in self.cleaned_data["people"]]


class DecisionForm(forms.Form):
    text = forms.CharField(
        label=_("What was decided"), max_length=3000, widget=forms.Textarea(attrs={"rows": 3})
    )
    agenda_item = forms.ChoiceField(label=_("Agenda item"), required=False)
    dissent = forms.CharField(
        label=_("Dissent"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("If anyone disagreed, record what they said, in their words."),
    )

    def __init__(self, *args, items=(), people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.items = {str(i.pk): i for i in items}
        cast(forms.ChoiceField, self.fields["agenda_item"]).choices = [("", _("Not about one item"))] + [
            (pk, i.title) for pk, i in self.items.items()
        ]
        self.people = {}
        for membership in people:
            name = f"stance_{membership.user_id}"
            self.people[name] = membership.user
            self.fields[name] = forms.ChoiceField(
                label=f"{membership.user.display_name} ({membership.get_perspective_display()})",
                required=False,
                choices=[("", _("Not recorded")), *Stance.choices],
            )

    def stance_fields(self):
        return [self[name] for name in self.people]

    def clean(self):
        super().clean()
        data = self.cleaned_data
        data["agenda_item"] = self.items.get(data.get("agenda_item") or "")
        data["voices"] = {person: data.pop(name) for name, person in self.people.items() if data.get(name)}
        for name in self.people:
            data.pop(name, None)
        if any(s == Stance.DISAGREE for s in data["voices"].values()) and not data.get("dissent", "").strip():
            self.add_error("dissent", _("Someone disagreed: record their dissent in their words."))
        return data


# --- Network events -------------------------------------------------------------------------------


class EventForm(MeetingForm):
    """A network event: a meeting with its kind."""

    class Meta(MeetingForm.Meta):
        fields = ["event_kind", *MeetingForm.Meta.fields]
        widgets = {**MeetingForm.Meta.widgets, "event_kind": forms.RadioSelect}
        labels = {"description": _("What it is about")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        kind = cast(forms.ChoiceField, self.fields["event_kind"])
        kind.choices = EventKind.choices[1:]
        kind.required = True
        kind.error_messages["required"] = _("Choose what kind of event it is.")

    def clean(self):
        data = forms.ModelForm.clean(self) or {}
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("The event ends before it starts. Check the end time."))
        return data


class EventRegistrationForm(forms.Form):
    access_needs = forms.CharField(
        label=_("Anything that would help you take part?"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "For example: a hearing loop, step-free access, a BSL interpreter, captions, a quiet space, "
            "large print. Only the organisers see this."
        ),
    )


class EventFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of event"), required=False)
    format = forms.ChoiceField(label=_("How people take part"), required=False)
    month = forms.ChoiceField(label=_("Month"), required=False)

    def __init__(self, *args, months=(), **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["kind"]).choices = [("", _("Any kind"))] + EventKind.choices[1:]
        cast(forms.ChoiceField, self.fields["format"]).choices = [
            ("", _("Online, in person or hybrid")),
            *MeetingFormat.choices,
        ]
        cast(forms.ChoiceField, self.fields["month"]).choices = [("", _("Any month")), *months]
