from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from coproduce.spaces import selectors as space_selectors
from coproduce.spaces.models import Perspective

from .models import ActionStatus


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class ActionForm(forms.Form):
    title = forms.CharField(label=_("What will be done"), max_length=200)
    description = forms.CharField(
        label=_("Details"), required=False, max_length=3000, widget=forms.Textarea(attrs={"rows": 3})
    )
    owner = forms.TypedChoiceField(
        label=_("Who owns it"),
        coerce=int,
        help_text=_("Any member can own an action. They say how it is going, and everyone can see it."),
    )
    due_on = forms.DateField(label=_("Due by"), required=False, widget=DateInput())

    def __init__(self, *args, space, **kwargs):
        super().__init__(*args, **kwargs)
        self.members = {m.user_id: m for m in space_selectors.members(space)}
        cast(forms.ChoiceField, self.fields["owner"]).choices = [("", _("Choose a member"))] + [
            (m.user_id, f"{m.user.display_name} ({m.get_perspective_display()})")
            for m in self.members.values()
        ]

    def clean_owner(self):
        return self.members[self.cleaned_data["owner"]].user


class ReportForm(forms.Form):
    text = forms.CharField(
        label=_("What happened"), max_length=3000, widget=forms.Textarea(attrs={"rows": 3})
    )
    status = forms.ChoiceField(label=_("Status"), choices=ActionStatus.choices, widget=forms.RadioSelect)
    progress = forms.IntegerField(
        label=_("How far it has got (0 to 100 %)"),
        min_value=0,
        max_value=100,
        help_text=_("Done sets it to 100."),
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Needed if it is dropped. Everyone can read it."),
    )

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if data.get("status") == ActionStatus.DROPPED and not data.get("reason", "").strip():
            self.add_error("reason", _("Say why it was dropped: everyone who took part will read it."))
        return data


class TrackerFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any status")), *ActionStatus.choices]
    )
    perspective = forms.ChoiceField(
        label=_("Owner takes part as"),
        required=False,
        choices=[("", _("Any perspective")), *Perspective.choices],
    )
    overdue = forms.BooleanField(label=_("Only overdue actions"), required=False)
    sort = forms.ChoiceField(
        label=_("Order"),
        required=False,
        choices=[
            ("due", _("Due soonest first")),
            ("newest", _("Newest first")),
            ("updated", _("Recently updated")),
        ],
    )
