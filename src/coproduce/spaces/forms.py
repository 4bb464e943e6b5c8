from typing import TYPE_CHECKING, cast

from django import forms
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from coproduce.people.models import ContactPreference, Organisation

from . import access as space_access
from .models import Perspective, Role, Space, Stage, StageKind, StageStatus

if TYPE_CHECKING:  # what ActingForMixin is mixed into, for the type checker only
    from django.forms import BaseForm as _FormBase
else:
    _FormBase = object

PERSPECTIVE_HELP = _(
    "This is how you take part, not what you are allowed to do. It helps show whose voices are heard. "
    "You can change it later."
)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class SpaceForm(forms.ModelForm):
    organisations = forms.ModelMultipleChoiceField(
        queryset=Organisation.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label=_("Organisations involved"),
        help_text=_(
            "An organisation is listed once one of its admins accepts; until then it is invited. "
            "Organisations you run are listed at once."
        ),
    )

    class Meta:
        model = Space
        fields = ["title", "purpose", "place", "visibility", "organisations"]
        widgets = {"purpose": forms.Textarea(attrs={"rows": 4}), "visibility": forms.RadioSelect}
        help_texts = {
            "title": _("For example: Redesign of the mental-health drop-in"),
            "purpose": _("What you want to change together, in words anyone can understand."),
            "place": _("The town, area or neighbourhood, for example: Paisley"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # Invited organisations stay ticked, so that saving the form does not withdraw the invitation.
            invited = self.instance.partnership_requests.filter(status="pending").values_list(
                "organisation_id", flat=True
            )
            self.initial["organisations"] = [
                *self.instance.organisations.values_list("pk", flat=True),
                *invited,
            ]


class SpaceCreateForm(SpaceForm):
    perspective = forms.ChoiceField(
        label=_("You take part as"),
        choices=Perspective.choices,
        initial=Perspective.FACILITATOR,
        widget=forms.RadioSelect,
        help_text=PERSPECTIVE_HELP,
    )


class JoinRequestForm(forms.Form):
    perspective = forms.ChoiceField(
        label=_("I take part as"),
        choices=Perspective.choices,
        widget=forms.RadioSelect,
        help_text=PERSPECTIVE_HELP,
    )
    message = forms.CharField(
        label=_("A few words to the hosts"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class InvitationAcceptForm(forms.Form):
    perspective = forms.ChoiceField(
        label=_("I take part as"),
        choices=Perspective.choices,
        widget=forms.RadioSelect,
        help_text=PERSPECTIVE_HELP,
    )


class DecisionForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Needed when you decline. The person will see it."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Not "(optional)": the same label as before the error, which says when it is needed.
        # An attribute of our own, read by components/field.html.
        self.fields["reason"].optional_note = _("needed if you decline")  # type: ignore[attr-defined]


class MembershipForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, widget=forms.RadioSelect)
    perspective = forms.ChoiceField(
        label=_("Perspective"), choices=Perspective.choices, widget=forms.RadioSelect
    )

    def __init__(self, *args, can_change_role: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not can_change_role:
            del self.fields["role"]


class RemoveForm(forms.Form):
    reason = forms.CharField(
        label=_("Why are you removing this person?"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The person and the other hosts will see it."),
    )


class StageForm(forms.ModelForm):
    class Meta:
        model = Stage
        fields = ["status", "starts_on", "ends_on", "summary"]
        widgets = {
            "status": forms.RadioSelect,
            "starts_on": DateInput(),
            "ends_on": DateInput(),
            "summary": forms.Textarea(attrs={"rows": 3}),
        }

    def clean(self):
        super().clean()
        data = self.cleaned_data
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("The end date must be on or after the start date."))
        return data


class InvitationForm(forms.Form):
    role = forms.ChoiceField(
        label=_("They join as"), choices=Role.choices, initial=Role.MEMBER, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("Who it is for"), required=False, max_length=120, help_text=_("Only hosts see this.")
    )
    max_uses = forms.IntegerField(
        label=_("How many people can use it"), min_value=1, max_value=500, initial=1
    )
    days = forms.IntegerField(label=_("Days until it stops working"), min_value=1, max_value=90, initial=14)


class AssistedPersonForm(forms.Form):
    display_name = forms.CharField(
        label=_("Their name, as others will see it"),
        max_length=80,
        help_text=_("A first name or initials is enough. Ask them how they want to be shown."),
    )
    perspective = forms.ChoiceField(
        label=_("They take part as"), choices=Perspective.choices, widget=forms.RadioSelect
    )
    contact_preference = forms.ChoiceField(
        label=_("How they like to be contacted"),
        choices=[c for c in ContactPreference.choices if c[0] != ContactPreference.EMAIL],
        initial=ContactPreference.IN_PERSON,
    )
    consent = forms.BooleanField(
        label=_("They agreed to take part and for me to record it for them"),
        help_text=_("Everything you do for them is recorded and they can see it if they later sign in."),
    )


class EntryDisputeForm(forms.Form):
    text = forms.CharField(
        label=_("What is wrong?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("In your own words. The hosts of the space read it and put it right."),
        error_messages={"required": _("Say what is wrong, so that the hosts can put it right.")},
    )


class DirectoryForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    place = forms.ChoiceField(label=_("Place"), required=False)
    stage = forms.ChoiceField(
        label=_("Stage open now"), required=False, choices=[("", _("Any stage")), *StageKind.choices]
    )
    organisation = forms.ChoiceField(label=_("Organisation"), required=False)

    def __init__(self, *args, places=(), **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["place"]).choices = [
            ("", _("Anywhere")),
            *[(p, p) for p in places],
        ]
        cast(forms.ChoiceField, self.fields["organisation"]).choices = [
            ("", _("Any organisation")),
            *Organisation.objects.values_list("slug", "name"),
        ]


STATUS_CHOICES = StageStatus.choices


class ActingForMixin(_FormBase):
    """Adds "Who is this for?" to a form, for a facilitator or host taking part for someone who takes part
    with help (assisted participation; `spaces.access.can_act_for` has the rule, the service records it).

    The choice appears only when the signed-in person may make it and there is someone to choose. A posted
    `on_behalf_of` the form did not offer is refused with PermissionDenied while the form is built: nobody
    else's name goes on an idea, comment or registration because a request said so. `cleaned_data` then
    holds `on_behalf_of` (a User, the facilitator themself by default) only when the choice was offered, so
    views can pass `**form.cleaned_data` to the service unchanged.
    """

    def __init__(self, *args, actor, space, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor = actor
        memberships = space_access.people_to_act_for(actor, space)
        self._people = {str(m.user_id): m.user for m in memberships}
        if self._people:
            self._people[str(actor.pk)] = actor
            self.fields["on_behalf_of"] = forms.ChoiceField(
                label=_("Who is this for?"),
                choices=[
                    (str(actor.pk), _("Me (%(name)s)") % {"name": actor.display_name}),
                    *[
                        (str(m.user_id), f"{m.user.display_name} ({m.get_perspective_display().lower()})")
                        for m in memberships
                    ],
                ],
                initial=str(actor.pk),
                help_text=_(
                    "To record this for someone who takes part with help, choose them. It is recorded with "
                    "your name, and they can see it on their page of what was done on their behalf."
                ),
                error_messages={
                    "invalid_choice": _(
                        "Choose yourself or a member of this space who takes part with help."
                    ),
                    "required": _("Choose who this is for."),
                },
            )
            self.order_fields(["on_behalf_of"])
        elif self.is_bound and self.data.get("on_behalf_of", "") not in ("", str(actor.pk)):
            if space_access.has_role(actor, space, space_access.FACILITATOR):
                raise PermissionDenied(
                    _(
                        "You can act only for members of this space who take part with help or have asked for it."
                    )
                )
            raise PermissionDenied(_("Only facilitators and hosts can act for someone else."))

    @property
    def acting_for(self):
        """The "Who is this for?" field, or None when it is not offered (for templates)."""
        return self["on_behalf_of"] if "on_behalf_of" in self.fields else None

    def prefer_someone_else(self) -> None:
        """Choose the first person who takes part with help, for a form the facilitator cannot use for
        themself (they are already registered, for example)."""
        others = [pk for pk in self._people if pk != str(self.actor.pk)]
        if others and not self.is_bound:
            self.initial["on_behalf_of"] = others[0]

    def clean_on_behalf_of(self):
        return self._people[self.cleaned_data["on_behalf_of"]]
