from django import forms
from django.utils.translation import gettext_lazy as _

from coproduce.spaces.models import Perspective, StageKind

from .models import Offer


class ListingForm(forms.Form):
    intro = forms.CharField(
        label=_("A short introduction"),
        max_length=300,
        help_text=_("One or two sentences other members see first, for example: Peer worker in Paisley."),
    )
    offers = forms.MultipleChoiceField(
        label=_("What I offer"), choices=Offer.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    lived_experience_of = forms.CharField(
        label=_("Lived experience I am willing to share"),
        max_length=200,
        required=False,
        help_text=_(
            "Only if you want to, in your own words, for example: caring for a parent with dementia."
        ),
    )
    stages = forms.MultipleChoiceField(
        label=_("Co-production Star stages I know"),
        choices=StageKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    skills = forms.CharField(
        label=_("Skills"),
        max_length=300,
        required=False,
        help_text=_("Separated by commas, for example: facilitation, easy read, evaluation."),
    )
    experience = forms.CharField(
        label=_("Experience"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    interests = forms.CharField(label=_("Interests"), max_length=300, required=False)
    perspectives = forms.MultipleChoiceField(
        label=_("My perspective"),
        choices=Perspective.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Only if you want other members to know it. You can leave this blank."),
    )
    place = forms.CharField(
        label=_("Town or area"),
        max_length=80,
        required=False,
        help_text=_("A town or area is enough, for example: Renfrewshire. Never your address."),
    )


class FilterForm(forms.Form):
    q = forms.CharField(label=_("Skill or words"), required=False, max_length=100)
    stage = forms.ChoiceField(
        label=_("Stage"), required=False, choices=[("", _("Any stage")), *StageKind.choices]
    )
    offer = forms.ChoiceField(
        label=_("Offers"), required=False, choices=[("", _("Anything")), *Offer.choices]
    )
    place = forms.CharField(label=_("Town or area"), required=False, max_length=80)


class HelpRequestForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What kind of help would you like?"),
        choices=[
            (Offer.MENTORING, _("Mentoring")),
            (Offer.PEER_SUPPORT, _("Peer support")),
            (Offer.CRITICAL_FRIEND, _("A critical friend")),
            (Offer.LIVED_EXPERIENCE, _("Someone with lived experience")),
        ],
        widget=forms.RadioSelect,
    )
    lived_experience_of = forms.CharField(
        label=_("Lived experience of what?"),
        max_length=200,
        required=False,
        help_text=_("Only if you chose someone with lived experience, for example: homelessness."),
    )
    description = forms.CharField(
        label=_("What would you like help with?"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("A few sentences. Only you see this request."),
    )
    stage = forms.ChoiceField(
        label=_("Which stage is it about?"), required=False, choices=[("", _("Not sure")), *StageKind.choices]
    )
    place = forms.CharField(label=_("Town or area"), required=False, max_length=80)


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("Your message"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("They see your name, never your email address."),
    )
    help_request = forms.IntegerField(required=False, widget=forms.HiddenInput)


class ReportForm(forms.Form):
    reason = forms.CharField(
        label=_("What is wrong?"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Only the network's administrators see your report."),
    )


class ResolveForm(forms.Form):
    remove = forms.BooleanField(required=False, widget=forms.HiddenInput)
    note = forms.CharField(label=_("A note (optional)"), required=False, max_length=150)
