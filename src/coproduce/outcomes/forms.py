"""The personal outcomes forms. They parse what people type; the rules (consent first, scores 1 to 5, who may
do what) are the services', shown beside the field they name."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import PersonalOutcome, Score
from .services import RatingIn


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class ConsentForm(forms.Form):
    agree = forms.BooleanField(
        label=_("I agree that what I say about my outcomes is recorded here"),
        help_text=_(
            "Only you and the people you choose will see it. You can take it back at any time: "
            "what was recorded is then deleted."
        ),
    )


class WithdrawForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Yes, stop recording and delete what was recorded in this space"),
        help_text=_("Your conversations, scores and plan here are deleted. This cannot be undone."),
    )


class HelpersForm(forms.Form):
    helpers = forms.MultipleChoiceField(
        label=_("Who else may see my outcomes and work on my plan with me"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Facilitators and practitioners of this space. Nobody else sees them."),
    )

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.members = {str(m.user_id): m.user for m in choices}
        field = self.fields["helpers"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = [
            (str(m.user_id), f"{m.user.display_name} ({m.get_perspective_display()})") for m in choices
        ]

    def clean_helpers(self):
        return [self.members[pk] for pk in self.cleaned_data["helpers"]]


SCORE_CHOICES = [("", _("We did not talk about this")), *[(str(v), label) for v, label in Score.choices]]


class ConversationForm(forms.Form):
    held_on = forms.DateField(label=_("When we talked"), widget=DateInput())

    def __init__(self, *args, sets, **kwargs):
        kwargs.setdefault("initial", {"held_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.sets = []
        for key, heading, outcomes in sets:
            names = []
            for outcome in outcomes:
                label = PersonalOutcome(outcome).label
                self.fields[f"score_{outcome}"] = forms.ChoiceField(
                    label=label, choices=SCORE_CHOICES, required=False, widget=forms.RadioSelect
                )
                self.fields[f"words_{outcome}"] = forms.CharField(
                    label=_("%(outcome)s, in your own words") % {"outcome": label},
                    required=False,
                    max_length=2000,
                    widget=forms.Textarea(attrs={"rows": 2}),
                )
                names.append(outcome)
            self.sets.append((key, heading, names))

    def outcome_fields(self):
        """(key, heading, [(score field, words field)]) for the template, set by set."""
        return [
            (key, heading, [(self[f"score_{o}"], self[f"words_{o}"]) for o in names])
            for key, heading, names in self.sets
        ]

    def clean(self):
        data = super().clean() or {}
        ratings = []
        for _key, _heading, names in self.sets:
            for outcome in names:
                score, words = data.get(f"score_{outcome}"), (data.get(f"words_{outcome}") or "").strip()
                if score:
                    ratings.append(RatingIn(outcome=outcome, score=int(score), own_words=words))
                elif words:
                    self.add_error(f"score_{outcome}", _("Choose a number for what was said, from 1 to 5."))
        if not ratings and not self.errors:
            raise forms.ValidationError(_("Rate at least one outcome that you talked about."))
        data["ratings"] = ratings
        return data


class PlanForm(forms.Form):
    outcomes = forms.MultipleChoiceField(
        label=_("The outcomes I chose to work on"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=PersonalOutcome.choices,
    )
    my_part = forms.CharField(
        label=_("What I will do"), required=False, max_length=3000, widget=forms.Textarea(attrs={"rows": 3})
    )
    others_part = forms.CharField(
        label=_("What others will do"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Family, friends, the service, practitioners: who does what."),
    )
    last_reviewed_on = forms.DateField(label=_("Last reviewed"), required=False, widget=DateInput())
    next_review_on = forms.DateField(label=_("Next review"), required=False, widget=DateInput())

    def __init__(self, *args, sets, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = [o for _key, _heading, outcomes in sets for o in outcomes]
        field = self.fields["outcomes"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = [(o, PersonalOutcome(o).label) for o in allowed]


class EraseForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Yes, erase everything recorded about my outcomes, in every space"),
        help_text=_("Consents, conversations, scores, plans and who could see them. This cannot be undone."),
    )
