"""Forms of the quality pages: the community mix and a self-assessment round."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coproduce.lib.quality.standards import RATING_MAX, RATING_MIN, STANDARDS
from coproduce.people.models import User
from coproduce.spaces.models import Perspective


class TargetMixForm(forms.Form):
    """Percent of the community the space serves, by perspective."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for value, label in Perspective.choices:
            self.fields[value] = forms.IntegerField(
                label=label,
                min_value=0,
                max_value=100,
                required=False,
                help_text=_("Percent, 0 to 100. Leave empty if you do not know."),
            )

    def shares(self) -> dict[str, int | None]:
        return {p: self.cleaned_data.get(p) for p in Perspective.values}


RATING_CHOICES = [(n, str(n)) for n in range(RATING_MIN, RATING_MAX + 1)]


class SelfAssessmentForm(forms.Form):
    agreed_on = forms.DateField(
        # A date input takes ISO dates only: in the locale's format the browser would show it empty.
        label=_("The day you agreed it"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    participants = forms.ModelMultipleChoiceField(
        label=_("Who took part"), queryset=User.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, space, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agreed_on"].initial = timezone.localdate()
        participants = self.fields["participants"]
        assert isinstance(participants, forms.ModelMultipleChoiceField)
        participants.queryset = User.objects.filter(memberships__space=space).order_by("display_name", "id")
        for standard in STANDARDS:
            self.fields[f"rating_{standard.id}"] = forms.TypedChoiceField(
                label=_("%(name)s: %(aim)s") % {"name": standard.name, "aim": standard.aim},
                choices=RATING_CHOICES,
                coerce=int,
                widget=forms.RadioSelect,
                help_text=_("1 not at all, 6 fully. ") + " ".join(standard.indicators),
            )
            self.fields[f"notes_{standard.id}"] = forms.CharField(
                label=_("Evidence and notes for %(name)s") % {"name": standard.name.lower()},
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def ratings(self) -> dict[str, int]:
        return {s.id: self.cleaned_data[f"rating_{s.id}"] for s in STANDARDS}

    def notes(self) -> dict[str, str]:
        return {s.id: self.cleaned_data.get(f"notes_{s.id}", "") for s in STANDARDS}
