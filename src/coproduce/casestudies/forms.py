from django import forms
from django.utils.translation import gettext_lazy as _

from coproduce.people.models import Organisation
from coproduce.spaces.models import Perspective, StageKind

from .models import Licence

LONG = {"rows": 6}


class CaseStudyForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=160)
    place = forms.CharField(label=_("Place"), max_length=120, required=False)
    organisations = forms.ModelMultipleChoiceField(
        label=_("Organisations on this site"),
        queryset=Organisation.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    organisations_text = forms.CharField(
        label=_("Other organisations"),
        max_length=300,
        required=False,
        help_text=_("Organisations that are not on this site, with commas between."),
    )
    stages = forms.MultipleChoiceField(
        label=_("Stages of the Co-production Star used"),
        choices=StageKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    perspectives = forms.MultipleChoiceField(
        label=_("Perspectives involved"),
        choices=Perspective.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    topics = forms.CharField(
        label=_("Topics"),
        max_length=200,
        required=False,
        help_text=_("With commas between: mental health, housing, young people."),
    )
    what_happened = forms.CharField(
        label=_("What happened"), max_length=8000, required=False, widget=forms.Textarea(attrs=LONG)
    )
    what_changed = forms.CharField(
        label=_("What changed"),
        max_length=6000,
        required=False,
        widget=forms.Textarea(attrs=LONG),
        help_text=_("The outcomes: for people, for services, for how decisions are made."),
    )
    evidence = forms.CharField(
        label=_("Evidence of what changed"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Where the figures come from: a survey, a report, the space's impact report."),
    )
    what_was_hard = forms.CharField(
        label=_("What was hard"), max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    what_it_cost = forms.CharField(
        label=_("What it cost"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Money, time and people's hours, as near as you know."),
    )
    licence = forms.ChoiceField(
        label=_("Licence for reuse"),
        choices=Licence.choices,
        initial=Licence.CC_BY,
        widget=forms.RadioSelect,
        help_text=_("CC BY lets anyone reuse it if they say where it came from."),
    )


class CaseStudyFilterForm(forms.Form):
    stage = forms.ChoiceField(
        label=_("Stage"), required=False, choices=[("", _("Any stage")), *StageKind.choices]
    )
    perspective = forms.ChoiceField(
        label=_("Perspective involved"),
        required=False,
        choices=[("", _("Any perspective")), *Perspective.choices],
    )
    topic = forms.CharField(label=_("Topic"), required=False, max_length=60)
    place = forms.CharField(label=_("Place"), required=False, max_length=60)
    outcome = forms.CharField(
        label=_("Outcome"), required=False, max_length=100, help_text=_("Words about what changed.")
    )
    space = forms.IntegerField(required=False, widget=forms.HiddenInput)


class ContactForm(forms.Form):
    message = forms.CharField(
        label=_("Your message"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "The author sees your name and this message on the site. Nobody's email address is shown: "
            "say how they can reach you if you wish."
        ),
    )
